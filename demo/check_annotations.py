#!/usr/bin/env python3
"""Consistency checks for the demo corpus (stdlib only).

Usage: python3 demo/check_annotations.py [--review] [NN ...]

Checks, for every article listed in corpus.json:
  * corpus.json and every annotation file parse as JSON and have the expected keys;
  * every annotated sentence occurs verbatim in the visible article text, in order,
    and together the sentences cover the whole visible text;
  * every entity / time / quantity "text" and every claim "text_contains" occurs;
  * times and quantities are listed in text order;
  * enum fields use the documented values.
With --review it also prints capitalised words that are not covered by any
entity annotation (sentence-initial words included), to help spot misses.

Visible text of an .html article = the <h1> headline followed by the <p>
elements inside <article> (or <div class="story-body">), with entities decoded.
"""
import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

DEMO = Path(__file__).resolve().parent

ENTITY_KINDS = {"person", "organization", "armed_group", "government", "media", "place", "nationality"}
QUALIFIERS = {"exact", "at_least", "more_than", "at_most", "fewer_than", "approx", "range"}
CATEGORIES = {"killed", "injured", "arrested", "kidnapped", "displaced", "missing", "other"}
INCIDENT_KINDS = {"armed_assault", "bombing", "suicide_bombing", "hostage_taking", "hijacking", "assassination",
                  "arson", "airstrike", "missile_strike", "drone_strike", "shelling", "massacre", "other"}
CLAIM_KINDS = {"responsibility", "accusation", "denial", "warning", "figure", "statement"}
PERP_STATUS = {"claimed", "accused", "suspected", "confirmed", "denied"}
INCIDENTS = {"kerman-2024", "paris-2015", "mumbai-2008", "mh17-2014", "nordstream-2022"}
TIME_RE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?)(/\d{4}(-\d{2}(-\d{2})?)?)?$")


class Visible(HTMLParser):
    """Collects the h1 and the <p> blocks inside <article> / <div class="story-body">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.stack = []          # open tags
        self.body_depth = None   # stack depth of the article container
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self.stack.append(tag)
            return
        self.stack.append(tag)
        if self.body_depth is None and (tag == "article" or (tag == "div" and "story-body" in (a.get("class") or "").split())):
            self.body_depth = len(self.stack)
        if tag == "h1" or (tag == "p" and self.body_depth is not None):
            self.cur = []

    def handle_endtag(self, tag):
        if tag in ("h1", "p") and self.cur is not None:
            text = re.sub(r"\s+", " ", "".join(self.cur)).strip()
            if text:
                self.blocks.append(text)
            self.cur = None
        # pop to matching tag
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i] == tag:
                if self.body_depth is not None and i + 1 <= self.body_depth:
                    self.body_depth = None
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("script", "style"):
            return
        if self.cur is not None:
            self.cur.append(data)


def visible_text(path):
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        p = Visible()
        p.feed(raw)
        return "\n\n".join(p.blocks)
    return raw


def check(entry, review=False):
    errs = []
    art = DEMO / entry["file"]
    ann_path = DEMO / "annotations" / (Path(entry["file"]).stem + ".json")
    text = visible_text(art)
    ann = json.loads(ann_path.read_text(encoding="utf-8"))
    for k in ("sentences", "entities", "times", "quantities", "incidents", "claims"):
        if k not in ann:
            errs.append(f"missing key {k}")
    if entry.get("incident") not in INCIDENTS:
        errs.append(f"bad incident id {entry.get('incident')}")

    # sentences: in order, covering everything
    pos = 0
    rest = []
    for s in ann["sentences"]:
        i = text.find(s, pos)
        if i < 0:
            errs.append(f"sentence not found (in order): {s[:70]!r}")
            continue
        rest.append(text[pos:i])
        pos = i + len(s)
    rest.append(text[pos:])
    leftover = "".join(rest).strip()
    if leftover:
        errs.append(f"text not covered by sentences: {leftover[:120]!r}")

    def in_order(items, label):
        p = 0
        for it in items:
            i = text.find(it["text"], p)
            if i < 0:
                if it["text"] in text:
                    errs.append(f"{label} out of order: {it['text']!r}")
                else:
                    errs.append(f"{label} not in text: {it['text']!r}")
                continue
            p = i + len(it["text"])

    seen = set()
    for e in ann["entities"]:
        if e["text"] not in text:
            errs.append(f"entity not in text: {e['text']!r}")
        if e["text"] in seen:
            errs.append(f"duplicate entity text: {e['text']!r}")
        seen.add(e["text"])
        if e["kind"] not in ENTITY_KINDS:
            errs.append(f"bad entity kind {e['kind']}")
        if e["text"].startswith("the ") or (e["text"].startswith("The ") and e["text"] != "The Hague"):
            errs.append(f"entity text starts with 'the': {e['text']!r}")
    in_order(ann["times"], "time")
    for t in ann["times"]:
        v = t["value"]
        if v is not None and not TIME_RE.match(v):
            errs.append(f"bad time value {v!r}")
    in_order(ann["quantities"], "quantity")
    for q in ann["quantities"]:
        if q["qualifier"] not in QUALIFIERS:
            errs.append(f"bad qualifier {q['qualifier']}")
        if q["category"] not in CATEGORIES:
            errs.append(f"bad category {q['category']}")
        if (q["qualifier"] == "range") != (q["upper"] is not None):
            errs.append(f"range/upper mismatch {q['text']!r}")
    for inc in ann["incidents"]:
        if inc["kind"] not in INCIDENT_KINDS:
            errs.append(f"bad incident kind {inc['kind']}")
        for key in ("label", "kind", "date", "place", "country", "killed", "injured", "perpetrators"):
            if key not in inc:
                errs.append(f"incident missing {key}")
        for f in ("killed", "injured"):
            if inc.get(f) is not None and inc[f]["qualifier"] not in QUALIFIERS:
                errs.append(f"bad incident qualifier {inc[f]}")
        if inc.get("date") and not TIME_RE.match(inc["date"]):
            errs.append(f"bad incident date {inc['date']}")
        for p in inc.get("perpetrators", []):
            if p["status"] not in PERP_STATUS:
                errs.append(f"bad perpetrator status {p['status']}")
    for c in ann["claims"]:
        if c["kind"] not in CLAIM_KINDS:
            errs.append(f"bad claim kind {c['kind']}")
        if c["text_contains"] not in text:
            errs.append(f"claim text not found: {c['text_contains']!r}")
        if c["cue"] not in text:
            errs.append(f"claim cue not found: {c['cue']!r}")

    if review:
        covered = [False] * len(text)
        for e in ann["entities"]:
            for m in re.finditer(re.escape(e["text"]), text):
                for k in range(m.start(), m.end()):
                    covered[k] = True
        words = set()
        for m in re.finditer(r"\b[A-Z][\w'’.-]*", text):
            if not covered[m.start()]:
                words.add(m.group())
        print("   uncovered capitalised:", " ".join(sorted(words)))
    return errs, len(re.findall(r"\S+", text))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    review = "--review" in sys.argv
    corpus = json.loads((DEMO / "corpus.json").read_text(encoding="utf-8"))
    total = 0
    bad = 0
    for entry in corpus:
        nn = Path(entry["file"]).name[:2]
        if args and nn not in args:
            continue
        print(entry["file"])
        errs, words = check(entry, review)
        total += words
        for e in errs:
            print("   ERROR", e)
        bad += len(errs)
        print(f"   words: {words}")
    print(f"total words (visible text): {total}; errors: {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
