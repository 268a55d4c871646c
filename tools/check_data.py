#!/usr/bin/env python3
"""Check the data files under crates/extract/data/ (no third-party packages).

  python3 tools/check_data.py          check, print row counts, exit 1 on errors
  python3 tools/check_data.py --fix    also re-sort the hand-written TSV files

Checks: UTF-8, header line starting with '#', same number of columns on every
row, no tabs or empty first column, no duplicate keys where keys must be
unique, rows sorted (accent-folded, case-folded first column), country codes
known to gazetteer.tsv, lat/lon in range, aliases without empty parts.
"""

import os
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "extract", "data")

_FOLD = {"’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "ʼ": "'", "ø": "o", "Ø": "O", "ł": "l",
         "Ł": "L", "ı": "i", "ß": "ss", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "Ae", "œ": "oe",
         "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "–": "-", "—": "-", "`": "'"}


def fold(s):
    s = "".join(_FOLD.get(ch, ch) for ch in s)
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def sort_key(s):
    return fold(s).casefold()


# file -> (columns, unique first column?, column holding country codes or None,
#          columns holding '|' lists, hand-written (may be re-sorted by --fix))
TSV = {
    "gazetteer.tsv": (8, False, 1, [7], False),
    "places_extra.tsv": (9, False, 1, [7], False),
    "armed_groups.tsv": (4, True, 2, [1], True),
    "governments.tsv": (4, True, 2, [1], True),
    "media.tsv": (4, True, 2, [1], True),
    "nationalities.tsv": (3, True, 1, [2], True),
    "titles.tsv": (2, True, None, [], True),
    "org_suffixes.txt": (2, True, None, [], True),
    "persons.tsv": (4, True, 2, [1], True),
    "organizations.tsv": (4, True, 2, [1], True),
}
LISTS = ["first_names.txt", "first_names_ambiguous.txt", "place_stoplist.txt"]
KINDS = {
    "titles.tsv": {"honorific", "office", "military", "religious"},
    "org_suffixes.txt": {"government", "organization", "armed_group", "place", "media"},
}
FEATURES = {"country", "admin1", "city", "continent", "region", "facility"}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def main():
    fix = "--fix" in sys.argv
    errors = []
    counts = {}

    def err(fname, lineno, msg):
        errors.append(f"{fname}:{lineno}: {msg}")

    countries = set()
    gaz = os.path.join(DATA, "gazetteer.tsv")
    if os.path.exists(gaz):
        for line in read(gaz)[1:]:
            parts = line.split("\t")
            if len(parts) > 5 and parts[5] == "country":
                countries.add(parts[1])

    for fname, (ncol, unique, ccol, listcols, hand) in TSV.items():
        path = os.path.join(DATA, fname)
        if not os.path.exists(path):
            err(fname, 0, "missing")
            continue
        lines = read(path)
        if lines and lines[-1] == "":
            lines = lines[:-1]
        else:
            err(fname, len(lines), "no final newline")
        if not lines or not lines[0].startswith("#"):
            err(fname, 1, "first line must be a '#' header")
            continue
        if len(lines[0].split("\t")) != ncol:
            err(fname, 1, f"header has {len(lines[0].split(chr(9)))} columns, want {ncol}")
        head = [lines[0]]
        i = 1
        while i < len(lines) and lines[i].startswith("#"):
            head.append(lines[i])
            i += 1
        rows = []
        seen = set()
        for n, line in enumerate(lines[i:], start=i + 1):
            parts = line.split("\t")
            if len(parts) != ncol:
                err(fname, n, f"{len(parts)} columns, want {ncol}")
                continue
            if not parts[0].strip() or parts[0] != parts[0].strip():
                err(fname, n, "empty or padded first column")
            if unique:
                if parts[0] in seen:
                    err(fname, n, f"duplicate {parts[0]!r}")
                seen.add(parts[0])
            if ccol is not None and parts[ccol]:
                for cc in parts[ccol].split("|"):
                    if countries and cc not in countries:
                        err(fname, n, f"unknown country code {cc!r}")
            for lc in listcols:
                if parts[lc] and any(not a.strip() or a != a.strip() for a in parts[lc].split("|")):
                    err(fname, n, "empty or padded entry in '|' list")
            if fname in KINDS and parts[1] not in KINDS[fname]:
                err(fname, n, f"unknown kind {parts[1]!r}")
            if fname in ("gazetteer.tsv", "places_extra.tsv"):
                try:
                    lat, lon = float(parts[2]), float(parts[3])
                    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                        err(fname, n, "lat/lon out of range")
                except ValueError:
                    err(fname, n, "lat/lon not numbers")
                if parts[4] and not parts[4].isdigit():
                    err(fname, n, "population not an integer")
                if parts[5] not in FEATURES:
                    err(fname, n, f"unknown feature {parts[5]!r}")
            rows.append((n, parts))
        keys = [sort_key(p[0]) for _, p in rows]
        if keys != sorted(keys):
            if fix and hand:
                rows.sort(key=lambda r: (sort_key(r[1][0]), r[1][0]))
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    for h in head:
                        f.write(h + "\n")
                    for _, p in rows:
                        f.write("\t".join(p) + "\n")
                print(f"{fname}: re-sorted")
            else:
                bad = next(r for r, (a, b) in zip(rows[1:], zip(keys, keys[1:])) if a > b)
                err(fname, bad[0], "rows not sorted")
        counts[fname] = len(rows)

    for fname in LISTS:
        path = os.path.join(DATA, fname)
        if not os.path.exists(path):
            err(fname, 0, "missing")
            continue
        lines = [l for l in read(path) if l]
        if not lines or not lines[0].startswith("#"):
            err(fname, 1, "first line must be a '#' comment")
        body = [l for l in lines if not l.startswith("#")]
        for n, l in enumerate(lines, start=1):
            if not l.startswith("#") and (l != l.strip() or "\t" in l):
                err(fname, n, "padded entry or tab")
        if len(set(body)) != len(body):
            err(fname, 0, "duplicate entries")
        counts[fname] = len(body)

    total = 0
    for fname in sorted(os.listdir(DATA)):
        total += os.path.getsize(os.path.join(DATA, fname))
    for fname in sorted(counts):
        print(f"{fname:28} {counts[fname]:>7} rows")
    print(f"{'total size':28} {total:>7} bytes")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
