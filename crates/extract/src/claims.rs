//! The `claims` stage: who asserts what — reported speech, direct and indirect, with its
//! speaker, cue, content, targets and kind.
//!
//! Rules over tokens, sentence by sentence. A cue is a reporting verb ("said", "told",
//! "denied", "warned"…) or phrase ("according to", "in a statement"). Three shapes
//! cover most news prose:
//!
//! * speaker first: `SPEAKER [also] CUE [that|:] CONTENT` — "The ministry said 95 had died";
//! * content first: `CONTENT, SPEAKER CUE.` or `CONTENT, CUE SPEAKER.` — "“We will respond,”
//!   the minister said";
//! * `according to SPEAKER, CONTENT` and `CONTENT, according to SPEAKER`.
//!
//! A quotation that runs over several sentences is one content. A quoted sentence with no
//! cue of its own right after an attributed quotation continues it. The speaker is the
//! entity named in the speaker phrase (the last person, else the last organisation), a
//! pronoun or role noun resolved to the nearest fitting entity before it, or the phrase
//! itself ("officials"); vague sources ("some reports") have no name. The kind comes from
//! the cue and the content: responsibility taken, blame laid, involvement denied, a threat
//! warned of, a figure reported, or a plain statement.

use std::ops::Range;

use claimgraph_model::{ActorRef, Claim, ClaimKind, Entity, EntityKind, Span, TimeValue};

use crate::resources::with_lower;
use crate::tokens::TokenKind;
use crate::Layers;

/// Reporting verbs, lower case, sorted.
const CUES: &[&str] = &[
    "accuse",
    "accused",
    "accuses",
    "acknowledge",
    "acknowledged",
    "acknowledges",
    "added",
    "adding",
    "adds",
    "admit",
    "admits",
    "admitted",
    "affirmed",
    "agree",
    "agreed",
    "agrees",
    "alleged",
    "alleges",
    "announce",
    "announced",
    "announces",
    "applauded",
    "argue",
    "argued",
    "argues",
    "arguing",
    "ask",
    "asked",
    "asking",
    "asks",
    "asserted",
    "asserts",
    "assured",
    "attributed",
    "attributes",
    "attributing",
    "backed",
    "believe",
    "believed",
    "believes",
    "blame",
    "blamed",
    "blames",
    "blasted",
    "boasted",
    "call",
    "called",
    "calls",
    "charged",
    "cited",
    "citing",
    "claim",
    "claimed",
    "claiming",
    "claims",
    "commented",
    "complained",
    "conceded",
    "concluded",
    "condemned",
    "confirm",
    "confirmed",
    "confirms",
    "contended",
    "convicted",
    "countered",
    "criticised",
    "criticized",
    "decided",
    "declared",
    "declares",
    "declined",
    "defended",
    "demanded",
    "demands",
    "denied",
    "denies",
    "denounced",
    "deny",
    "described",
    "disagreed",
    "disagrees",
    "disclosed",
    "dismissed",
    "dismisses",
    "doubted",
    "doubts",
    "emphasised",
    "emphasized",
    "emphasizing",
    "encouraging",
    "endorsed",
    "estimated",
    "estimates",
    "expects",
    "explained",
    "explaining",
    "explains",
    "fear",
    "feared",
    "fears",
    "feel",
    "feels",
    "felt",
    "found",
    "hope",
    "hoped",
    "hopes",
    "indicated",
    "informed",
    "insist",
    "insisted",
    "insisting",
    "insists",
    "knew",
    "know",
    "knows",
    "lamented",
    "lashed",
    "maintain",
    "maintained",
    "maintains",
    "mention",
    "mentioned",
    "mentions",
    "noted",
    "notes",
    "noting",
    "observed",
    "opposed",
    "opposes",
    "pledge",
    "pledged",
    "pledges",
    "pointed",
    "praised",
    "predicted",
    "predicts",
    "promise",
    "promised",
    "promises",
    "promising",
    "proposed",
    "proposes",
    "questioned",
    "recalled",
    "recalls",
    "recommended",
    "refused",
    "refuses",
    "rejected",
    "rejects",
    "remarked",
    "replied",
    "reported",
    "reports",
    "responded",
    "reveal",
    "revealed",
    "revealing",
    "said",
    "say",
    "saying",
    "says",
    "seem",
    "seems",
    "sentenced",
    "show",
    "showed",
    "shows",
    "signaled",
    "signalled",
    "slammed",
    "speculated",
    "stated",
    "stressed",
    "stresses",
    "stressing",
    "suggest",
    "suggested",
    "suggesting",
    "suggests",
    "support",
    "supported",
    "supports",
    "suspect",
    "suspected",
    "suspects",
    "telling",
    "tells",
    "testified",
    "thinks",
    "thought",
    "threatened",
    "told",
    "touted",
    "tweeted",
    "underlined",
    "urged",
    "urges",
    "urging",
    "vow",
    "vowed",
    "vowing",
    "vows",
    "want",
    "wanted",
    "wants",
    "warn",
    "warned",
    "warning",
    "warns",
    "welcomed",
    "worries",
    "worry",
    "writes",
    "wrote",
];

/// Words between a speaker and its cue that belong to neither ("The ministry has also said").
const AUXILIARIES: &[&str] = &[
    "again",
    "already",
    "also",
    "am",
    "angrily",
    "are",
    "been",
    "being",
    "bluntly",
    "can",
    "can't",
    "can’t",
    "categorically",
    "could",
    "couldn't",
    "couldn’t",
    "did",
    "didn't",
    "didn’t",
    "do",
    "does",
    "doesn't",
    "doesn’t",
    "don't",
    "don’t",
    "earlier",
    "even",
    "firmly",
    "flatly",
    "had",
    "has",
    "hasn't",
    "hasn’t",
    "have",
    "haven't",
    "haven’t",
    "immediately",
    "initially",
    "is",
    "isn't",
    "isn’t",
    "just",
    "later",
    "long",
    "may",
    "might",
    "must",
    "n't",
    "never",
    "not",
    "once",
    "only",
    "openly",
    "previously",
    "privately",
    "publicly",
    "quickly",
    "recently",
    "repeatedly",
    "reportedly",
    "separately",
    "should",
    "since",
    "still",
    "strongly",
    "subsequently",
    "then",
    "vehemently",
    "was",
    "wasn't",
    "wasn’t",
    "were",
    "will",
    "won't",
    "won’t",
    "would",
    "wouldn't",
    "wouldn’t",
];

/// Words that end a speaker phrase when reading leftwards from the cue.
const SPEAKER_STOPS: &[&str] = &[
    "after", "although", "as", "because", "before", "but", "how", "if", "since", "so", "than", "that", "though",
    "unless", "until", "what", "when", "where", "whereas", "which", "while", "who", "whom", "whose", "why",
];

/// Nouns for people by their role: a phrase ending in one names a person.
const PERSON_ROLES: &[&str] = &[
    "adviser",
    "advisor",
    "aide",
    "ambassador",
    "analyst",
    "candidate",
    "chairman",
    "chief",
    "commander",
    "congressman",
    "congresswoman",
    "director",
    "economist",
    "envoy",
    "expert",
    "governor",
    "historian",
    "lawmaker",
    "lawyer",
    "leader",
    "mayor",
    "member",
    "minister",
    "nominee",
    "official",
    "president",
    "professor",
    "prosecutor",
    "researcher",
    "secretary",
    "senator",
    "source",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "strategist",
    "witness",
];

const PRONOUNS_PERSON: &[&str] = &["he", "she", "him", "her"];
const PRONOUNS_GROUP: &[&str] = &["it", "they", "we"];

/// Speaker phrases that name no one.
const VAGUE_SOURCES: &[&str] = &["it", "reports", "rumours", "rumors", "some", "some reports", "there", "this", "what"];

/// The layers the claims stage reads.
pub type Context<'a> = Layers<'a>;

/// An entity mention located in tokens.
#[derive(Debug, Clone, Copy)]
struct Mention {
    span: Span,
    entity: usize,
}

struct Doc<'a> {
    cx: Context<'a>,
    mentions: Vec<Mention>,
    /// Entity index by id, so that finding a speaker's entity does not scan them all.
    by_id: rustc_hash::FxHashMap<&'a str, usize>,
}

impl<'a> Doc<'a> {
    fn entity(&self, id: &str) -> Option<&'a Entity> {
        self.by_id.get(id).map(|&k| &self.cx.entities[k])
    }

    fn word(&self, i: usize) -> &'a str {
        self.cx.tokens[i].text(self.cx.text)
    }

    fn is(&self, i: usize, s: &str) -> bool {
        i < self.cx.tokens.len() && self.word(i).eq_ignore_ascii_case(s)
    }

    fn is_any(&self, i: usize, list: &[&str]) -> bool {
        i < self.cx.tokens.len() && with_lower(self.word(i), |w| list.binary_search(&w).is_ok() || list.contains(&w))
    }

    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.cx.tokens[r.start].span.start, self.cx.tokens[r.end - 1].span.end)
    }

    /// Entity mentions inside a byte span, in text order.
    fn mentions_in(&self, span: Span) -> impl Iterator<Item = &Mention> {
        let from = self.mentions.partition_point(|m| m.span.start < span.start);
        self.mentions[from..].iter().take_while(move |m| m.span.end <= span.end)
    }

    /// The last entity mention of a fitting kind that ends before `byte`.
    fn last_before(&self, byte: usize, fits: impl Fn(EntityKind) -> bool) -> Option<usize> {
        let upto = self.mentions.partition_point(|m| m.span.end <= byte);
        self.mentions[..upto].iter().rev().find(|m| fits(self.cx.entities[m.entity].kind)).map(|m| m.entity)
    }
}

fn is_quote(s: &str) -> bool {
    matches!(s, "\"" | "“" | "”" | "‘" | "’" | "'" | "«" | "»")
}

fn is_open_quote(s: &str) -> bool {
    matches!(s, "“" | "‘" | "«")
}

fn is_close_quote(s: &str) -> bool {
    matches!(s, "”" | "’" | "»")
}

/// A found claim before ids are given.
#[derive(Debug, Clone)]
struct Found {
    speaker: ActorRef,
    speaker_span: Option<Span>,
    cue: Span,
    content: Range<usize>,
    span: Span,
    by_quote: bool,
    /// "CONTENT, SPEAKER CUE": the content comes first.
    content_first: bool,
}

/// Finds the claims of a document. `about` is filled in later by the incidents stage.
pub fn extract(cx: Context) -> Vec<Claim> {
    let mut mentions: Vec<Mention> = cx
        .entities
        .iter()
        .enumerate()
        .flat_map(|(e, ent)| ent.mentions.iter().map(move |&span| Mention { span, entity: e }))
        .collect();
    mentions.sort_by_key(|m| m.span.start);
    let by_id = cx.entities.iter().enumerate().rev().map(|(k, e)| (e.id.as_str(), k)).collect();
    let doc = Doc { cx, mentions, by_id };
    let quotes = quotation_spans(&doc);
    let mut found: Vec<Found> = Vec::new();
    for (s_idx, s) in cx.sentences.iter().enumerate() {
        if cx.deadline.passed() {
            break; // the caller reports the document as too slow
        }
        let before = found.len();
        let range = s.tokens.clone();
        // Every cue is tried: a sentence may hold several claims, and one may be nested
        // in another's content ("X promised …, officials said").
        let mut here: Vec<Found> = range.clone().filter_map(|i| claim_at(&doc, &range, i, &quotes)).collect();
        if here.is_empty() {
            here.extend(transcript_turn(&doc, &range));
        }
        // A cue inside another claim's speaker phrase is not a claim of its own; a claim
        // nested in a content-first claim ends where that claim's content ends.
        let speaker_spans: Vec<Span> = here.iter().filter_map(|f| f.speaker_span).collect();
        here.retain(|f| !speaker_spans.iter().any(|sp| sp.contains(f.cue)));
        let outer: Vec<(Span, usize)> =
            here.iter().filter(|f| f.content_first).map(|f| (doc.span(f.content.clone()), f.content.end)).collect();
        for f in here.iter_mut().filter(|f| !f.content_first) {
            if let Some(&(_, end)) = outer.iter().find(|(sp, end)| sp.contains(f.cue) && f.content.end > *end) {
                f.content.end = end;
                f.span = Span::new(f.span.start, doc.cx.tokens[end - 1].span.end);
            }
        }
        // "A said X, and B said Y": A's content ends before B's clause.
        let clause_starts: Vec<usize> = here
            .iter()
            .filter(|f| !f.content_first)
            .filter_map(|f| f.speaker_span)
            .filter_map(|sp| {
                let k = range.clone().find(|&j| doc.cx.tokens[j].span.start == sp.start)?;
                (k >= 2 && doc.is_any(k - 1, &["and", "but", "while", "whereas"]) && doc.word(k - 2) == ",")
                    .then(|| k - 2)
                    .or_else(|| (k >= 1 && doc.word(k - 1) == ";").then(|| k - 1))
            })
            .collect();
        for f in here.iter_mut().filter(|f| !f.content_first) {
            if let Some(&cut) = clause_starts.iter().find(|&&c| c > f.content.start && c < f.content.end) {
                f.content.end = cut;
                f.span = Span::new(f.span.start, doc.cx.tokens[cut - 1].span.end);
            }
        }
        here.retain(|f| f.content.end > f.content.start + 1);
        found.extend(here);
        // A quoted sentence with no cue continues the quotation attributed just before.
        if found.len() == before && s_idx > 0 {
            let prev_sentence = &cx.sentences[s_idx - 1].tokens;
            if let Some(prev) = found.last().filter(|f| f.by_quote && f.content.end >= prev_sentence.start) {
                let first = range.start;
                if is_quote(doc.word(first)) && prev.content.end <= first {
                    let content = first + 1..trim_end(&doc, range.clone());
                    if content.start < content.end {
                        let speaker = prev.speaker.clone();
                        found.push(Found {
                            speaker,
                            speaker_span: None,
                            cue: prev.cue,
                            span: doc.span(range.clone()),
                            content,
                            by_quote: true,
                            content_first: false,
                        });
                    }
                }
            }
        }
    }
    found
        .into_iter()
        .enumerate()
        .map(|(n, f)| {
            let content = doc.span(f.content.clone());
            let kind = kind_of(&doc, &f, content);
            let targets = targets_of(&doc, &f, kind, content);
            Claim {
                id: format!("c{}", n + 1),
                kind,
                speaker: f.speaker,
                cue: Some(f.cue.of(cx.text).to_string()),
                targets,
                about: None,
                date: claim_date(&doc, f.span, content),
                content,
                span: f.span,
            }
        })
        .collect()
}

/// Spans (in tokens) of quotations, opening mark to closing mark, across sentences.
fn quotation_spans(doc: &Doc) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, t) in doc.cx.tokens.iter().enumerate() {
        if t.kind != TokenKind::Punct {
            continue;
        }
        let mut w = t.text(doc.cx.text);
        // '' and `` (two marks in a row) stand for a double quotation mark.
        let next_glued = doc.cx.tokens.get(i + 1).is_some_and(|n| n.glued && n.text(doc.cx.text) == w);
        let prev_glued = i > 0 && t.glued && doc.cx.tokens[i - 1].text(doc.cx.text) == w;
        if matches!(w, "'" | "`") {
            if prev_glued || !next_glued {
                continue;
            }
            w = "\"";
        }
        match (w, open) {
            ("“" | "«", _) => open = Some(i),
            ("”" | "»", Some(o)) => {
                out.push(o..i + 1);
                open = None;
            }
            ("\"", None) => open = Some(i),
            ("\"", Some(o)) => {
                out.push(o..i + 1);
                open = None;
            }
            _ => {}
        }
        // A paragraph break closes nothing, but a quote left open for long is a stray mark.
        if let Some(o) = open {
            if i - o > 400 {
                open = None;
            }
        }
    }
    out
}

/// Last token index (exclusive) of a sentence without its final punctuation and quotes.
fn trim_end(doc: &Doc, r: Range<usize>) -> usize {
    let mut end = r.end;
    while end > r.start && doc.cx.tokens[end - 1].kind == TokenKind::Punct {
        end -= 1;
    }
    end
}

/// Whether a lower-case word is a reporting verb ("said", "told", "denied").
pub fn is_reporting_verb(lower: &str) -> bool {
    CUES.binary_search(&lower).is_ok()
}

/// A reporting verb: lower case (a capitalised "States" or "Said" is a name) and not
/// inside an entity's name.
fn is_cue(doc: &Doc, i: usize) -> bool {
    let w = doc.word(i);
    doc.cx.tokens[i].kind == TokenKind::Word
        && w.chars().next().is_some_and(char::is_lowercase)
        && (CUES.binary_search(&w).is_ok() || verb_before_that(doc, i))
        && doc.mentions_in(doc.cx.tokens[i].span).next().is_none()
}

/// Any verb-looking word followed by a "that" clause ("Polls suggest that", "he
/// conceded that"): a finite verb in -s or -ed, not a noun after a determiner ("the fact
/// that") nor a conjunction ("so that", "now that").
fn verb_before_that(doc: &Doc, i: usize) -> bool {
    let w = doc.word(i);
    if !doc.is(i + 1, "that") || w.len() < 4 || !(w.ends_with("ed") || w.ends_with('s')) || w.ends_with("ss") {
        return false;
    }
    let determiner = i > 0
        && doc.is_any(
            i - 1,
            &[
                "a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
                "no", "any", "every",
            ],
        );
    !determiner
        && !matches!(
            w,
            "is" | "was"
                | "has"
                | "does"
                | "seems"
                | "means"
                | "things"
                | "days"
                | "years"
                | "times"
                | "reports"
                | "news"
        )
}

/// A claim whose cue is at token `i` of the sentence `s`.
fn claim_at(doc: &Doc, s: &Range<usize>, i: usize, quotes: &[Range<usize>]) -> Option<Found> {
    // "according to SPEAKER, CONTENT" / "CONTENT, according to SPEAKER".
    if doc.is(i, "according") && doc.is(i + 1, "to") {
        return according_to(doc, s, i);
    }
    // "in a statement" with a speaker before it ("The group said in a statement" is
    // handled at "said"; "Hamas, in a statement, denied" at "denied").
    if !is_cue(doc, i) {
        return None;
    }
    let lower = doc.word(i).to_lowercase();
    // Cues that are nouns or adjectives here: "the claims", "a warning", "found dead".
    if matches!(lower.as_str(), "claims" | "claim" | "warning" | "reports" | "found" | "suspects" | "suspected")
        && i > s.start
        && doc.is_any(
            i - 1,
            &[
                "the", "a", "an", "these", "those", "such", "its", "their", "his", "her", "new", "were", "was", "been",
                "being", "be",
            ],
        )
    {
        return None;
    }
    if lower == "found" && doc.is_any(i + 1, &["dead", "guilty", "alive", "inside", "near", "in", "at"]) {
        return None;
    }
    // Phrasal verbs that report nothing: "called off a trip", "called up reservists".
    if lower.starts_with("call") && doc.is_any(i + 1, &["off", "up", "back", "in"]) {
        return None;
    }
    // Words that are nouns as often as verbs count only with what a verb takes after it.
    let takes = |list: &[&str]| doc.is_any(i + 1, list);
    let noun_like = match lower.as_str() {
        "warning" => !takes(&["that", "of", "against", "about", "him", "her", "them", "it"]),
        "claims" | "claim" => !takes(&["that", "responsibility", "credit", "to", "it", "the"]),
        "reports" => !takes(&["that"]),
        // "police suspected Lashkar-e-Taiba", "investigators suspect that…", not
        // "suspected militants".
        "suspects" | "suspected" | "suspect" => {
            !(takes(&["that"])
                || doc.cx.tokens.get(i + 1).is_some_and(|t| crate::tokens::is_capitalized(t.text(doc.cx.text))))
        }
        _ => false,
    };
    if noun_like {
        return None;
    }
    // "to warn", "to say": an infinitive reports nothing said.
    if i > s.start && doc.is(i - 1, "to") {
        return None;
    }
    let cue = doc.cx.tokens[i].span;
    let end = trim_end(doc, s.clone());

    // Content first: "CONTENT, SPEAKER CUE." / "CONTENT,” CUE SPEAKER."
    if let Some(f) = content_first(doc, s, i, end, quotes) {
        return Some(f);
    }

    // Participles ("…, saying that …", "by saying …"): the speaker is the clause's subject.
    let participle = lower.ends_with("ing") && i > s.start && doc.is_any(i - 1, &[",", "by", "after", "while", "when"]);
    // Speaker first: "SPEAKER [aux] CUE [that|:] CONTENT".
    let (speaker_range, speaker) = if participle { subject_of(doc, s, i)? } else { speaker_before(doc, s, i)? };
    // "what they said was": a relative clause, not a report.
    if speaker_range.start > s.start && doc.is_any(speaker_range.start - 1, &["what", "which", "whatever"]) {
        return None;
    }
    let mut c = i + 1;
    // "told reporters (that)", "told the BBC", "told state television": skip the hearer.
    if matches!(lower.as_str(), "told" | "tells" | "informed" | "assured" | "warned" | "urged" | "asked") {
        let mut k = c;
        while k < end && k < c + 5 && !doc.is_any(k, &["that", ":", ",", "\"", "“", "of", "the"]) {
            k += 1;
        }
        if doc.is(k, "that")
            || doc.is(k, ":")
            || doc.is(k, ",")
            || k == c + 1
            || doc.is_any(c, &["reporters", "journalists"])
        {
            c = k;
        }
    }
    // "said on Thursday that", "said in a statement that", "said late Wednesday".
    let mut k = c;
    while k < end && k < c + 8 {
        if doc.is_any(k, &["that", ":"]) {
            c = k;
            break;
        }
        if doc.cx.tokens[k].kind == TokenKind::Punct && !matches!(doc.word(k), "," | "-") {
            break;
        }
        k += 1;
    }
    while c < end
        && (doc.is_any(c, &["that", ":", ",", "-", "—", "–"]) || is_quote(doc.word(c)) && !is_close_quote(doc.word(c)))
    {
        c += 1;
    }
    // Quoted content may run past this sentence: to its closing mark.
    let mut content_end = end;
    let mut by_quote = false;
    if let Some(q) = quotes.iter().find(|q| q.start + 1 >= c && q.start <= c && q.end > c) {
        content_end = q.end - 1;
        by_quote = true;
    }
    if content_end <= c || content_end - c < 2 {
        return None;
    }
    // A cue with no clause after it ("as he said", "the figures he cited") is not a claim.
    let span = doc.span(speaker_range.start..content_end).cover(cue);
    Some(Found {
        speaker,
        speaker_span: Some(doc.span(speaker_range)),
        cue,
        content: c..content_end,
        span,
        by_quote,
        content_first: false,
    })
}

/// "CONTENT, SPEAKER CUE." and "CONTENT, CUE SPEAKER.": the cue comes after a comma (or
/// closing quote) and the sentence ends soon after it.
/// Verbs that can follow the content they report ("…, he said").
const FRONTING_CUES: &[&str] = &[
    "acknowledged",
    "added",
    "adds",
    "admitted",
    "argued",
    "argues",
    "asked",
    "asserted",
    "claimed",
    "claims",
    "conceded",
    "continued",
    "declared",
    "explained",
    "insisted",
    "insists",
    "noted",
    "notes",
    "recalled",
    "replied",
    "reported",
    "responded",
    "said",
    "says",
    "stated",
    "stressed",
    "suggested",
    "told",
    "tweeted",
    "warned",
    "warns",
    "writes",
    "wrote",
];

fn content_first(doc: &Doc, s: &Range<usize>, i: usize, end: usize, quotes: &[Range<usize>]) -> Option<Found> {
    if !doc.is_any(i, FRONTING_CUES) || i <= s.start {
        return None;
    }
    // What follows the cue up to the next comma: nothing, a speaker ("said the
    // minister"), or a hearer or a time ("told reporters", "said on Thursday").
    let tail_end = (i + 1..end).find(|&j| doc.word(j) == ",").unwrap_or(end);
    if tail_end - (i + 1) > 14 {
        return None;
    }
    // Where the content ends: the comma or closing quote before the speaker phrase.
    let mut j = i;
    while j > s.start && (is_quote(doc.word(j - 1)) && !is_open_quote(doc.word(j - 1))) {
        j -= 1;
    }
    let after_punct = j < i || (j > s.start && doc.word(j - 1) == ",");
    let (speaker_range, speaker, content_end) = if after_punct && j > s.start && doc.word(j - 1) == "," && j == i
        || j < i
    {
        // "…,” said the minister" or "…, said the minister": the speaker comes after,
        // unless a preposition does ("…, said at a rally").
        let after = i + 1;
        if after >= tail_end
            || doc.is_any(
                after,
                &[
                    "at",
                    "in",
                    "on",
                    "during",
                    "after",
                    "before",
                    "last",
                    "this",
                    "earlier",
                    "later",
                    "today",
                    "yesterday",
                    "that",
                    "to",
                    "of",
                    "it",
                    "so",
                ],
            )
        {
            return None;
        }
        let r = after..phrase_end(doc, after..tail_end.min(after + 10));
        // The speaker phrase fills the rest of the clause, but for a time or place
        // ("…, said the minister on Thursday"); otherwise this is a new clause.
        let rest_ok = r.end >= tail_end
            || doc.is_any(r.end, &["on", "in", "at", "during", "late", "early", "yesterday", "today", "last", "this"]);
        if r.is_empty() || !rest_ok || r.clone().any(|k| doc.is_any(k, AUXILIARIES)) {
            return None;
        }
        let mut ce = j;
        while ce > s.start && matches!(doc.word(ce - 1), ",")
            || ce > s.start && is_quote(doc.word(ce - 1)) && !is_open_quote(doc.word(ce - 1))
        {
            ce -= 1;
        }
        let sp = resolve_speaker(doc, r.clone());
        (r, sp, ce)
    } else {
        // "…, the minister said" and "…, Mr. X, the head of Y, said": the speaker is
        // before the cue, after the comma that ends the content.
        let (r, sp) = speaker_before(doc, s, i)?;
        if r.start <= s.start || r.clone().any(|k| doc.is_any(k, SPEAKER_STOPS)) {
            return None;
        }
        let mut ce = r.start;
        let w = doc.word(ce - 1);
        if !(w == "," || is_quote(w) && !is_open_quote(w)) {
            return None;
        }
        // After a closing quotation mark the cue may carry a long tail ("…,” she said
        // several months after her release); after a bare comma only a short one.
        let quoted = is_quote(w) || ce >= 2 && is_quote(doc.word(ce - 2));
        if !quoted
            && tail_end - (i + 1) > 4
            && !doc.is_any(i + 1, &["in", "on", "at", "late", "early", "reporters", "journalists"])
        {
            return None;
        }
        while ce > s.start
            && (doc.word(ce - 1) == "," || is_quote(doc.word(ce - 1)) && !is_open_quote(doc.word(ce - 1)))
        {
            ce -= 1;
        }
        (r, sp, ce)
    };
    // Content: back to the opening quote if it closes a quotation, else to the sentence
    // start.
    let mut start = s.start;
    let mut content_end = content_end;
    let mut by_quote = false;
    if let Some(q) =
        quotes.iter().rev().find(|q| q.end >= content_end && q.end <= content_end + 3 && q.start < content_end)
    {
        start = q.start + 1;
        content_end = content_end.min(q.end - 1).max(start);
        by_quote = true;
        while content_end > start && doc.word(content_end - 1) == "," {
            content_end -= 1;
        }
    } else {
        while start < content_end && is_quote(doc.word(start)) {
            start += 1;
        }
    }
    if content_end <= start || content_end - start < 2 {
        return None;
    }
    let cue = doc.cx.tokens[i].span;
    let span = doc.span(start..speaker_range.end.max(i + 1)).cover(cue);
    Some(Found {
        speaker,
        speaker_span: Some(doc.span(speaker_range)),
        cue,
        content: start..content_end,
        span,
        by_quote,
        content_first: true,
    })
}

/// "WALLACE: Let's start…", "Mr. Putin: …": a transcript turn, the speaker's label at
/// the start of a line, content to the end of the paragraph.
fn transcript_turn(doc: &Doc, s: &Range<usize>) -> Option<Found> {
    let first = s.start;
    if !doc.cx.tokens[first].newline_before && first != 0 {
        return None;
    }
    let mut j = first;
    while j < s.end && j < first + 4 && doc.word(j) != ":" {
        let w = doc.word(j);
        if !(crate::tokens::is_capitalized(w) || w == "." || is_quote(w)) {
            return None;
        }
        j += 1;
    }
    if j >= s.end || doc.word(j) != ":" || j == first || j + 2 >= s.end {
        return None;
    }
    let name_start = (first..j).find(|&k| !is_quote(doc.word(k)))?;
    if name_start >= j {
        return None;
    }
    // The content runs to the end of the paragraph.
    let mut end = s.end;
    while end < doc.cx.tokens.len() {
        let gap = &doc.cx.text[doc.cx.tokens[end - 1].span.end..doc.cx.tokens[end].span.start];
        if gap.contains("\n\n") || doc.cx.tokens[end].newline_before && gap.contains('\n') {
            break;
        }
        end += 1;
    }
    while end > j + 1 && doc.cx.tokens[end - 1].kind == TokenKind::Punct {
        end -= 1;
    }
    if end <= j + 2 {
        return None;
    }
    // A speaker's label is in capitals ("WALLACE") or names a person ("Mr. Putin"); a
    // headline's "Analysis:" or "Update:" is neither.
    let label = doc.span(name_start..j);
    let names_person = doc.mentions_in(label).any(|m| doc.cx.entities[m.entity].kind == EntityKind::Person);
    if !(names_person || crate::tokens::is_all_caps(label.of(doc.cx.text))) {
        return None;
    }
    let speaker = resolve_speaker(doc, name_start..j);
    let cue = doc.cx.tokens[j].span;
    Some(Found {
        speaker,
        speaker_span: Some(doc.span(name_start..j)),
        cue,
        content: j + 1..end,
        span: doc.span(name_start..end),
        by_quote: false,
        content_first: false,
    })
}

/// "according to SPEAKER, CONTENT" and "CONTENT, according to SPEAKER".
fn according_to(doc: &Doc, s: &Range<usize>, i: usize) -> Option<Found> {
    let end = trim_end(doc, s.clone());
    let cue = doc.span(i..i + 2);
    let sp_start = i + 2;
    let sp_end = phrase_end(doc, sp_start..end.min(sp_start + 12));
    if sp_end <= sp_start {
        return None;
    }
    let speaker = resolve_speaker(doc, sp_start..sp_end);
    let content = if i > s.start + 2 && doc.word(i - 1) == "," {
        // "CONTENT, according to SPEAKER."
        s.start..i - 1
    } else if doc.is(sp_end, ",") {
        sp_end + 1..end
    } else {
        return None;
    };
    if content.len() < 2 {
        return None;
    }
    let span = doc.span(content.start.min(i)..content.end.max(sp_end));
    let content_first = content.start < i;
    Some(Found {
        speaker,
        speaker_span: Some(doc.span(sp_start..sp_end)),
        cue,
        content,
        span,
        by_quote: false,
        content_first,
    })
}

/// Where a speaker phrase that starts at `r.start` ends: at a comma, a cue-like verb
/// or the end of the sentence.
fn phrase_end(doc: &Doc, r: Range<usize>) -> usize {
    let mut j = r.start;
    while j < r.end {
        let w = doc.word(j);
        if doc.cx.tokens[j].kind == TokenKind::Punct && !matches!(w, "'" | "’" | "." | "-") {
            break;
        }
        if doc.is_any(j, &["that", "who", "which", "in", "on", "at", "to"]) && j > r.start {
            break;
        }
        j += 1;
    }
    j
}

/// Drops auxiliaries at the end of a speaker range ("the ministry has also" → "the
/// ministry").
fn skip_aux_back(doc: &Doc, r: Range<usize>) -> usize {
    let mut e = r.end;
    while e > r.start && (doc.is_any(e - 1, AUXILIARIES) || is_adverb(doc.word(e - 1))) {
        e -= 1;
    }
    e
}

/// "forcefully", "quickly": a lower-case word in -ly.
fn is_adverb(w: &str) -> bool {
    w.len() > 4
        && w.ends_with("ly")
        && w.chars().next().is_some_and(char::is_lowercase)
        && !matches!(w, "italy" | "family" | "july" | "rally" | "ally" | "assembly")
}

/// The speaker phrase ending right before cue `i`, and who it names.
fn speaker_before(doc: &Doc, s: &Range<usize>, i: usize) -> Option<(Range<usize>, ActorRef)> {
    let mut end = skip_aux_back(doc, s.start..i);
    if end <= s.start {
        return None;
    }
    // "SPEAKER, the head of Y, said": skip the apposition between commas.
    if doc.word(end - 1) == "," {
        let close = end - 1;
        let open = (s.start..close).rev().take(16).find(|&j| doc.word(j) == ",")?;
        if open <= s.start || (open + 1..close).any(|j| is_cue(doc, j)) {
            return None;
        }
        // "The prime minister, Manuel Valls, said": the name in the apposition is the speaker.
        let aside = doc.span(open + 1..close);
        // ... unless the phrase before the apposition names a person itself ("Mohammad
        // Jamshidi, an aide to President Ebrahim Raisi, wrote": Jamshidi wrote).
        let head_start =
            (s.start..open).rev().take_while(|&k| doc.cx.tokens[k].kind != TokenKind::Punct).last().unwrap_or(open);
        let head = doc.span(head_start.min(open.saturating_sub(1))..open);
        let head_names_person = doc.mentions_in(head).any(|m| doc.cx.entities[m.entity].kind == EntityKind::Person);
        if let Some(m) = doc
            .mentions_in(aside)
            .find(|m| doc.cx.entities[m.entity].kind == EntityKind::Person)
            .filter(|_| !head_names_person)
        {
            let e = m.entity;
            let r =
                (s.start..open).rev().take_while(|&k| doc.cx.tokens[k].kind != TokenKind::Punct).last().unwrap_or(open)
                    ..close;
            return Some((
                r,
                ActorRef { name: Some(doc.cx.entities[e].name.clone()), entity: Some(doc.cx.entities[e].id.clone()) },
            ));
        }
        end = open;
    }
    let mut start = end;
    while start > s.start && end - start < 14 {
        let j = start - 1;
        let w = doc.word(j);
        let t = doc.cx.tokens[j];
        // "Rep. Gwen Moore (D-Wis.)": a bracketed aside belongs to the phrase.
        if w == ")" {
            if let Some(open) = (s.start..j).rev().take(8).find(|&k| doc.word(k) == "(") {
                start = open;
                continue;
            }
        }
        if t.kind == TokenKind::Punct && !matches!(w, "'" | "’" | "." | "-" | "&") {
            break;
        }
        if doc.is_any(j, SPEAKER_STOPS) || (t.kind == TokenKind::Word && is_cue(doc, j)) {
            break;
        }
        start = j;
    }
    // ", who said": the speaker is the phrase before the relative pronoun.
    if start == end && doc.is_any(end - 1, &["who"]) && end >= 3 && doc.word(end - 2) == "," {
        let inner = s.start..end - 2;
        let mut st = inner.end;
        while st > inner.start && inner.end - st < 10 {
            let j = st - 1;
            if doc.cx.tokens[j].kind == TokenKind::Punct && !matches!(doc.word(j), "'" | "’" | "." | "-") {
                break;
            }
            st = j;
        }
        if st < inner.end {
            let r = st..inner.end;
            return Some((r.clone(), resolve_speaker(doc, r)));
        }
        return None;
    }
    if start == end {
        return None;
    }
    // "Pakistan denied any role and dismissed the charge": the second verb shares the
    // first one's subject.
    if end > start && doc.is_any(end - 1, &["and", "but", "or"]) {
        return subject_of(doc, s, i);
    }
    // Function words alone ("but did not say") name no speaker.
    if (start..end).all(|j| {
        doc.is_any(j, AUXILIARIES) || doc.is_any(j, SPEAKER_STOPS) || doc.is_any(j, &["and", "or", "but", "to", "of"])
    }) {
        return None;
    }
    // A speaker phrase starts with a name, a determiner, a pronoun or a noun, not a
    // preposition, conjunction or date left over from the clause before.
    loop {
        if start < end && doc.is_any(start, &["and", "or", "of", "in", "on", "at", "for", "by", "with", "from", "to"]) {
            start += 1;
            continue;
        }
        let at = doc.cx.tokens.get(start).map(|t| t.span);
        match at.and_then(|a| {
            // Times are sorted and do not overlap: the one that can hold `a` starts last
            // at or before it.
            let k = doc.cx.times.partition_point(|t| t.span.start <= a.start);
            k.checked_sub(1).map(|k| &doc.cx.times[k]).filter(|t| t.span.contains(a))
        }) {
            Some(t) if start < end => {
                while start < end && t.span.contains(doc.cx.tokens[start].span) {
                    start += 1;
                }
            }
            _ => break,
        }
    }
    if start == end {
        return None;
    }
    let r = start..end;
    Some((r.clone(), resolve_speaker(doc, r)))
}

/// The subject of the clause a participle hangs from: the first actor named in the
/// sentence before it, or a pronoun opening the sentence.
fn subject_of(doc: &Doc, s: &Range<usize>, i: usize) -> Option<(Range<usize>, ActorRef)> {
    let span = doc.span(s.start..i);
    let person_or_actor = |k: EntityKind| !matches!(k, EntityKind::Place | EntityKind::Nationality | EntityKind::Other);
    if let Some(m) = doc.mentions_in(span).find(|m| person_or_actor(doc.cx.entities[m.entity].kind)) {
        let k0 = (s.start..i).find(|&k| doc.cx.tokens[k].span.start >= m.span.start)?;
        let k1 = (k0..i).find(|&k| doc.cx.tokens[k].span.end >= m.span.end).map_or(k0 + 1, |k| k + 1);
        return Some((k0..k1, resolve_speaker(doc, k0..k1)));
    }
    let first = s.start + usize::from(is_quote(doc.word(s.start)));
    if doc.is_any(first, &["he", "she", "they", "it", "we"]) {
        return Some((first..first + 1, resolve_speaker(doc, first..first + 1)));
    }
    // "Belgian police arrested two men, saying …": the words before the first verb.
    let verb = (first..i).find(|&k| {
        let w = doc.word(k);
        k > first
            && w.chars().next().is_some_and(char::is_lowercase)
            && (w.ends_with("ed") || doc.is_any(k, AUXILIARIES))
    })?;
    (verb - first <= 5).then(|| (first..verb, resolve_speaker(doc, first..verb)))
}

/// Who a speaker phrase names: the last person in it, else the last organisation-like
/// entity, else a resolved pronoun, else the phrase itself.
fn resolve_speaker(doc: &Doc, r: Range<usize>) -> ActorRef {
    let span = doc.span(r.clone());
    let text = span.of(doc.cx.text);
    let inside: Vec<&Mention> = doc.mentions_in(span).collect();
    let actor = |e: usize| ActorRef {
        name: Some(doc.cx.entities[e].name.clone()),
        entity: Some(doc.cx.entities[e].id.clone()),
    };
    if let Some(m) = inside.iter().rev().find(|m| doc.cx.entities[m.entity].kind == EntityKind::Person) {
        return actor(m.entity);
    }
    let is_actor = |k: EntityKind| {
        matches!(k, EntityKind::Organization | EntityKind::Government | EntityKind::ArmedGroup | EntityKind::Media)
    };
    if let Some(m) = inside.iter().rev().find(|m| is_actor(doc.cx.entities[m.entity].kind)) {
        return actor(m.entity);
    }
    let lower = text.to_lowercase();
    // "The GOP nominee", "the Indiana governor": a person described, not the body named.
    let head_word = lower.rsplit(' ').next().unwrap_or("");
    if r.len() >= 2 && PERSON_ROLES.contains(&head_word) {
        return ActorRef { name: Some(text.to_string()), entity: None };
    }
    if r.len() == 1 {
        if PRONOUNS_PERSON.contains(&lower.as_str()) {
            if let Some(e) = doc.last_before(span.start, |k| k == EntityKind::Person) {
                return actor(e);
            }
            return ActorRef { name: Some(text.to_string()), entity: None };
        }
        if PRONOUNS_GROUP.contains(&lower.as_str()) {
            if let Some(e) = doc.last_before(span.start, |k| is_actor(k) || k == EntityKind::Person) {
                return actor(e);
            }
        }
    }
    // A role noun ("the spokeswoman", "the group") names the last entity of its kind.
    let head = lower.rsplit(' ').next().unwrap_or("");
    let role = match head {
        "spokesman" | "spokeswoman" | "spokesperson" | "minister" | "president" | "official" | "leader" | "chief"
        | "commander" | "governor" | "prosecutor" | "ambassador" | "envoy" | "secretary" => Some(EntityKind::Person),
        "group" | "organisation" | "organization" | "ministry" | "government" | "agency" | "militants" | "movement" => {
            None
        }
        _ => None,
    };
    if lower.starts_with("the ") && role == Some(EntityKind::Person) && r.len() <= 3 {
        if let Some(e) = doc.last_before(span.start, |k| k == EntityKind::Person) {
            return actor(e);
        }
    }
    if lower.starts_with("the ") && head == "group" && r.len() <= 3 {
        if let Some(e) = doc.last_before(span.start, |k| k == EntityKind::ArmedGroup) {
            return actor(e);
        }
    }
    if let Some(m) = inside.iter().rev().find(|m| doc.cx.entities[m.entity].kind != EntityKind::Nationality) {
        // "Iran's foreign ministry": a state speaking through a body we do not know.
        if !inside.is_empty() && r.len() <= 2 {
            return actor(m.entity);
        }
    }
    if VAGUE_SOURCES.contains(&lower.as_str()) || lower.ends_with("reports") && r.len() <= 2 {
        return ActorRef { name: None, entity: None };
    }
    ActorRef { name: Some(text.to_string()), entity: None }
}

const RESPONSIBILITY_WORDS: &[&str] = &["credit", "responsibility"];
const CARRIED_OUT: &[&str] = &["carried out", "conducted", "were behind", "was behind", "staged", "executed"];
/// Verdicts: a court's finding that someone did it ("convicted three men of murder",
/// "sentenced him to life"). Claims of kind accusation whose targets are confirmed
/// perpetrators.
pub const VERDICT_CUES: &[&str] = &["convicted", "sentenced"];

const ACCUSE_CUES: &[&str] = &[
    "accuse",
    "accused",
    "accuses",
    "alleged",
    "alleges",
    "attributed",
    "attributes",
    "attributing",
    "blame",
    "blamed",
    "blames",
    "charged",
    "convicted",
    "sentenced",
    "suspect",
    "suspected",
    "suspects",
];
const DENY_CUES: &[&str] = &["denied", "denies", "deny", "dismissed", "dismisses", "rejected", "rejects"];
const WARN_CUES: &[&str] = &["warn", "warned", "warning", "warns", "threatened"];
const DENIAL_PHRASES: &[&str] = &[
    "absurd",
    "baseless",
    "fabricated",
    "fabrication",
    "fabrications",
    "false",
    "groundless",
    "had nothing to do",
    "has nothing to do",
    "have nothing to do",
    "lie",
    "no evidence",
    "no indication",
    "no involvement",
    "no link",
    "no part",
    "no reason to believe",
    "no role",
    "nonsense",
    "not involved",
    "nothing to do with",
    "propaganda",
    "ridiculous",
    "smear",
    "unfounded",
    "was not behind",
    "were not behind",
    "not responsible",
];
const BLAME_PHRASES: &[&str] = &[
    "is behind",
    "are behind",
    "blame",
    "points to",
    "points firmly to",
    "pointed to",
    "pointing to",
    "lay with",
    "lies with",
    "responsibility for the",
    "fingerprints",
    "had help from",
    "hand of",
    "involvement of",
    "masterminded",
    "orchestrated",
    "ordered the",
    "responsible for",
    "sponsored",
    "the trail led",
    "trail leads",
    "was behind",
    "were behind",
    "backed by",
    "acting on behalf of",
    "on the orders of",
    "carried out by",
    "directed by",
];
const WARNING_PHRASES: &[&str] =
    &["could attack", "imminent", "plot", "planning an attack", "planning attacks", "threat", "warned"];

/// The words of a span (its word tokens), for phrase look-ups on word boundaries
/// without allocating.
struct Words<'a>(Vec<&'a str>);

impl<'a> Words<'a> {
    fn of(doc: &Doc<'a>, span: Span) -> Words<'a> {
        let from = doc.cx.tokens.partition_point(|t| t.span.start < span.start);
        Words(
            doc.cx.tokens[from..]
                .iter()
                .take_while(|t| t.span.end <= span.end)
                .filter(|t| t.kind != TokenKind::Punct)
                .map(|t| t.text(doc.cx.text))
                .collect(),
        )
    }
}

/// The kind of a claim, from its cue and content.
fn kind_of(doc: &Doc, f: &Found, content: Span) -> ClaimKind {
    let cue = f.cue.of(doc.cx.text).to_lowercase();
    let body = Words::of(doc, content);
    let in_body = lists_in(&body.0);
    let in_whole = lists_in(&Words::of(doc, f.span).0);
    let in_head = |n: usize| lists_in(&body.0[..n.min(body.0.len())]);
    let has = |bits: u32, list: Phrases| bits & (1 << list as u32) != 0;
    let speaker_kind = f.speaker.entity.as_ref().and_then(|id| doc.entity(id)).map(|e| e.kind);
    // "claimed responsibility", "claimed the attack", "took responsibility".
    if cue.starts_with("claim") && (has(in_whole, Phrases::Responsibility) || has(in_head(3), Phrases::Acts)) {
        return ClaimKind::Responsibility;
    }
    if has(in_whole, Phrases::Claimed) {
        return ClaimKind::Responsibility;
    }
    // "The group said its fighters carried out the attack", "IS said it had sent the
    // bombers": an armed group speaking of its own deed.
    if speaker_kind == Some(EntityKind::ArmedGroup)
        && has(in_head(6), Phrases::SelfReference)
        && (has(in_body, Phrases::CarriedOut) || has(in_body, Phrases::Sent))
        && !has(in_body, Phrases::Denial)
    {
        return ClaimKind::Responsibility;
    }
    if DENY_CUES.contains(&cue.as_str()) || has(in_body, Phrases::Denial) {
        return ClaimKind::Denial;
    }
    if ACCUSE_CUES.contains(&cue.as_str()) || has(in_body, Phrases::Blame) {
        return ClaimKind::Accusation;
    }
    if WARN_CUES.contains(&cue.as_str()) || has(in_body, Phrases::Warning) && !has(in_body, Phrases::AttackOn) {
        return ClaimKind::Warning;
    }
    let has_figure = crate::inside(doc.cx.quantities, content, |q| q.span)
        .any(|q| !matches!(q.category, claimgraph_model::Category::Other));
    if has_figure {
        return ClaimKind::Figure;
    }
    ClaimKind::Statement
}

/// The phrase lists a claim's kind is judged by.
#[derive(Debug, Clone, Copy)]
enum Phrases {
    Responsibility,
    Acts,
    Claimed,
    SelfReference,
    CarriedOut,
    Sent,
    Denial,
    Blame,
    Warning,
    AttackOn,
}

const ACT_WORDS: &[&str] = &[
    "attack",
    "attacks",
    "bombing",
    "bombings",
    "blast",
    "blasts",
    "killing",
    "killings",
    "assault",
    "shooting",
    "massacre",
    "operation",
    "explosion",
    "explosions",
    "assassination",
    "hijacking",
    "strike",
    "strikes",
];

const PHRASE_LISTS: [(Phrases, &[&str]); 10] = [
    (Phrases::Responsibility, RESPONSIBILITY_WORDS),
    (Phrases::Acts, ACT_WORDS),
    (Phrases::Claimed, &["claimed responsibility", "claiming responsibility", "took responsibility", "claimed credit"]),
    (Phrases::SelfReference, &["it", "its", "our", "we", "they", "their"]),
    (Phrases::CarriedOut, CARRIED_OUT),
    (Phrases::Sent, &["sent the", "dispatched", "attackers", "bombers", "fighters", "martyrs"]),
    (Phrases::Denial, DENIAL_PHRASES),
    (Phrases::Blame, BLAME_PHRASES),
    (Phrases::Warning, WARNING_PHRASES),
    (Phrases::AttackOn, &["attack on"]),
];

/// First word of every phrase → (its list, the phrase), built once.
fn phrase_index() -> &'static rustc_hash::FxHashMap<&'static str, Vec<(Phrases, &'static str)>> {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Vec<(Phrases, &'static str)>>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: rustc_hash::FxHashMap<&'static str, Vec<(Phrases, &'static str)>> = Default::default();
        for (list, phrases) in PHRASE_LISTS {
            for p in phrases {
                map.entry(p.split(' ').next().unwrap_or(p)).or_default().push((list, p));
            }
        }
        map
    })
}

/// Which phrase lists have a phrase (whole words, any case) in `words`, as bits.
fn lists_in(words: &[&str]) -> u32 {
    let index = phrase_index();
    let mut bits = 0u32;
    for (i, w) in words.iter().enumerate() {
        with_lower(w, |lower| {
            for (list, phrase) in index.get(lower).into_iter().flatten() {
                let rest_matches = phrase
                    .split(' ')
                    .skip(1)
                    .enumerate()
                    .all(|(k, r)| words.get(i + 1 + k).is_some_and(|x| x.eq_ignore_ascii_case(r)));
                if rest_matches {
                    bits |= 1 << *list as u32;
                }
            }
        });
    }
    bits
}

/// Who is blamed, denied or warned about: the actors named in the content (for an
/// accusation cue, the object right after it), or, for a denial with none, the speaker
/// itself ("Pakistan denied any role").
fn targets_of(doc: &Doc, f: &Found, kind: ClaimKind, content: Span) -> Vec<ActorRef> {
    let fits = |k: EntityKind| {
        matches!(
            k,
            EntityKind::ArmedGroup
                | EntityKind::Government
                | EntityKind::Person
                | EntityKind::Organization
                | EntityKind::Place
        )
    };
    let mut out: Vec<ActorRef> = Vec::new();
    let push = |out: &mut Vec<ActorRef>, e: &Entity| {
        if !out.iter().any(|a| a.entity.as_deref() == Some(e.id.as_str())) {
            out.push(ActorRef { name: Some(e.name.clone()), entity: Some(e.id.clone()) });
        }
    };
    match kind {
        ClaimKind::Statement | ClaimKind::Figure => return Vec::new(),
        ClaimKind::Responsibility => {
            if let Some(e) = f.speaker.entity.as_ref().and_then(|id| doc.entity(id)) {
                push(&mut out, e);
            }
            return out;
        }
        _ => {}
    }
    let speaker = f.speaker.entity.clone();
    let cue = f.cue.of(doc.cx.text).to_lowercase();
    // A verdict's targets are whom it names before what they were found guilty of
    // ("convicted A, B and C of murder for the downing of …").
    if VERDICT_CUES.contains(&cue.as_str()) {
        let after = &doc.cx.text[f.cue.end..content.end.max(f.cue.end)];
        let stop =
            [" of ", " to ", " for ", " in ", ". "].iter().filter_map(|w| after.find(w)).min().unwrap_or(after.len());
        for m in doc.mentions_in(Span::new(f.cue.end, f.cue.end + stop)) {
            let e = &doc.cx.entities[m.entity];
            if matches!(e.kind, EntityKind::Person | EntityKind::ArmedGroup | EntityKind::Organization) {
                push(&mut out, e);
            }
        }
        return out;
    }
    // "blamed X for", "accused X of": the object after the cue counts too.
    let search = if ACCUSE_CUES.contains(&cue.as_str()) {
        Span::new(f.cue.end, content.end.max(f.cue.end)).cover(content)
    } else {
        content
    };
    for m in doc.mentions_in(search) {
        let e = &doc.cx.entities[m.entity];
        if fits(e.kind) && Some(&e.id) != speaker.as_ref() {
            // Places count as actors only when they are states ("blamed Israel"), and
            // not where they say where ("charged a man in Staunton").
            if e.kind == EntityKind::Place && (!is_state(e) || locative(doc, m.span)) {
                continue;
            }
            push(&mut out, e);
        }
    }
    if kind == ClaimKind::Denial && out.is_empty() {
        if let Some(e) = speaker.as_ref().and_then(|id| doc.entity(id)) {
            push(&mut out, e);
        }
    }
    out
}

/// Whether a mention follows "in", "at", "near" or "from": a place as a place.
fn locative(doc: &Doc, span: Span) -> bool {
    let before = doc.cx.text[..span.start].trim_end();
    let word = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    matches!(word.to_ascii_lowercase().as_str(), "in" | "at" | "near" | "from" | "outside" | "inside")
}

/// A place that is a country (has a country code and its name is the country's).
fn is_state(e: &Entity) -> bool {
    e.kind == EntityKind::Place && e.country.is_some() && e.geo.is_some() && !e.name.contains(' ')
        || e.name.starts_with("United ")
}

/// When the claim was made: a day-precision time in the claim outside its content
/// ("said on Thursday"), else none.
fn claim_date(doc: &Doc, span: Span, content: Span) -> Option<TimeValue> {
    crate::inside(doc.cx.times, span, |t| t.span)
        .filter(|t| !content.contains(t.span))
        .find_map(|t| t.value.clone().filter(|v| matches!(v, TimeValue::Day(_))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [CUES, AUXILIARIES, SPEAKER_STOPS, FRONTING_CUES, PERSON_ROLES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "unsorted near {:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
    }
}
