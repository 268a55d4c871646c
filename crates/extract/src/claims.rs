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

use claimgraph_model::{ActorRef, Claim, ClaimKind, Entity, EntityKind, Quantity, Span, TimeMention, TimeValue};

use crate::resources::with_lower;
use crate::sentences::SentenceTokens;
use crate::tokens::{Token, TokenKind};

/// Reporting verbs, lower case, sorted.
const CUES: &[&str] = &[
    "accuse", "accused", "accuses", "acknowledged", "acknowledges", "added", "adds", "admits", "admitted", "affirmed",
    "alleged", "alleges", "announced", "announces", "argued", "argues", "asked", "asserted", "asserts", "assured",
    "attributed", "attributes", "attributing",
    "believe", "believes", "blame", "blamed", "blames", "boasted", "charged", "cited", "claim", "claimed", "claiming",
    "claims", "commented", "complained", "conceded", "concluded", "condemned", "confirmed", "confirms", "contended",
    "countered", "declared", "declares", "denied", "denies", "deny", "described", "disclosed", "dismissed",
    "dismisses", "emphasised", "emphasized", "estimated", "explained", "explains", "found", "indicated", "informed",
    "insisted", "insists", "maintained", "maintains", "mentioned", "noted", "notes", "observed", "pledged",
    "pointed", "predicted", "promised", "rejected", "rejects", "remarked", "replied", "reported", "reports",
    "responded", "revealed", "said", "say", "saying", "says", "signalled", "signaled", "speculated", "stated",
    "states", "stressed", "stresses", "suggested", "suggests", "suspected", "suspects", "tells", "testified",
    "thinks", "threatened", "told", "tweeted", "underlined", "urged", "vowed", "vows", "warn", "warned", "warning",
    "warns", "wrote", "writes",
];

/// Words between a speaker and its cue that belong to neither ("The ministry has also said").
const AUXILIARIES: &[&str] = &[
    "again", "already", "also", "angrily", "bluntly", "categorically", "did", "does", "earlier", "firmly", "flatly",
    "had", "has", "have", "immediately", "initially", "later", "later", "long", "never", "once", "only", "openly",
    "previously", "privately", "publicly", "quickly", "recently", "repeatedly", "reportedly", "separately", "since",
    "strongly", "subsequently", "then", "vehemently", "was", "were", "would", "will", "could", "can", "may", "might",
    "should", "must", "not", "do", "n't", "never",
];

/// Words that end a speaker phrase when reading leftwards from the cue.
const SPEAKER_STOPS: &[&str] = &[
    "after", "although", "as", "because", "before", "but", "if", "since", "so", "than", "that", "though", "unless",
    "until", "when", "whereas", "which", "while", "who", "whom", "whose", "what", "where", "how", "why",
];

const PRONOUNS_PERSON: &[&str] = &["he", "she", "him", "her"];
const PRONOUNS_GROUP: &[&str] = &["it", "they", "we"];

/// Speaker phrases that name no one.
const VAGUE_SOURCES: &[&str] = &["it", "reports", "rumours", "rumors", "some", "some reports", "there", "this", "what"];

/// The layers the claims stage reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub sentences: &'a [SentenceTokens],
    pub entities: &'a [Entity],
    pub times: &'a [TimeMention],
    pub quantities: &'a [Quantity],
}

/// An entity mention located in tokens.
#[derive(Debug, Clone, Copy)]
struct Mention {
    span: Span,
    entity: usize,
}

struct Doc<'a> {
    cx: Context<'a>,
    mentions: Vec<Mention>,
}

impl<'a> Doc<'a> {
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
    let mut mentions: Vec<Mention> =
        cx.entities.iter().enumerate().flat_map(|(e, ent)| ent.mentions.iter().map(move |&span| Mention { span, entity: e })).collect();
    mentions.sort_by_key(|m| m.span.start);
    let doc = Doc { cx, mentions };
    let quotes = quotation_spans(&doc);
    let mut found: Vec<Found> = Vec::new();
    for (s_idx, s) in cx.sentences.iter().enumerate() {
        let before = found.len();
        let range = s.tokens.clone();
        // Every cue is tried: a sentence may hold several claims, and one may be nested
        // in another's content ("X promised …, officials said").
        let mut here: Vec<Found> = range.clone().filter_map(|i| claim_at(&doc, &range, i, &quotes)).collect();
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
                    .then_some(k - 2)
                    .or_else(|| (k >= 1 && doc.word(k - 1) == ";").then_some(k - 1))
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
            if let Some(prev) = found.last().filter(|f| f.by_quote) {
                let first = range.start;
                if is_quote(doc.word(first)) && prev.content.end + 3 >= first {
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
        let w = t.text(doc.cx.text);
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

/// A reporting verb: lower case (a capitalised "States" or "Said" is a name) and not
/// inside an entity's name.
fn is_cue(doc: &Doc, i: usize) -> bool {
    let w = doc.word(i);
    doc.cx.tokens[i].kind == TokenKind::Word
        && w.chars().next().is_some_and(char::is_lowercase)
        && CUES.binary_search(&w).is_ok()
        && doc.mentions_in(doc.cx.tokens[i].span).next().is_none()
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
        && doc.is_any(i - 1, &["the", "a", "an", "these", "those", "such", "its", "their", "his", "her", "new", "were", "was", "been", "being", "be"])
    {
        return None;
    }
    if lower == "found" && doc.is_any(i + 1, &["dead", "guilty", "alive", "inside", "near", "in", "at"]) {
        return None;
    }
    // Words that are nouns as often as verbs count only with what a verb takes after it.
    let takes = |list: &[&str]| doc.is_any(i + 1, list);
    let noun_like = match lower.as_str() {
        "warning" => !takes(&["that", "of", "against", "about", "him", "her", "them", "it"]),
        "claims" | "claim" => !takes(&["that", "responsibility", "credit", "to", "it", "the"]),
        "reports" => !takes(&["that"]),
        "suspects" | "suspected" => true,
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

    // Speaker first: "SPEAKER [aux] CUE [that|:] CONTENT".
    let (speaker_range, speaker) = speaker_before(doc, s, i)?;
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
        if doc.is(k, "that") || doc.is(k, ":") || doc.is(k, ",") {
            c = k;
        } else if k == c + 1 || doc.is_any(c, &["reporters", "journalists"]) {
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
    while c < end && (doc.is_any(c, &["that", ":", ",", "-", "—", "–"]) || is_quote(doc.word(c)) && !is_close_quote(doc.word(c))) {
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
    "acknowledged", "added", "adds", "admitted", "argued", "argues", "asked", "asserted", "claimed", "claims",
    "conceded", "continued", "declared", "explained", "insisted", "insists", "noted", "notes", "recalled", "replied",
    "reported", "responded", "said", "says", "stated", "stressed", "suggested", "told", "tweeted", "warned", "warns",
    "wrote", "writes",
];

fn content_first(doc: &Doc, s: &Range<usize>, i: usize, end: usize, quotes: &[Range<usize>]) -> Option<Found> {
    if !doc.is_any(i, FRONTING_CUES) {
        return None;
    }
    // Find the comma or closing quote that ends the content: it stands before the speaker
    // phrase (or right before the cue, for "…,” said the minister").
    let mut k = i;
    let mut n_back = 0;
    while k > s.start && n_back < 9 {
        k -= 1;
        n_back += 1;
        let w = doc.word(k);
        if matches!(w, "," | "”" | "\"" | "’") || is_close_quote(w) {
            break;
        }
        if doc.cx.tokens[k].kind == TokenKind::Punct && !matches!(w, "'" | "." | "-") {
            return None;
        }
    }
    let w = doc.word(k);
    if !(matches!(w, "," | "\"") || is_close_quote(w)) || k <= s.start {
        return None;
    }
    // The clause after the cue must be short: a speaker or nothing ("…, he said.").
    let after = end.saturating_sub(i + 1);
    let inverted = k + 1 == i; // "…, said the minister."
    if after > 14 || (!inverted && after > 4 && !doc.is_any(i + 1, &["in", "on", "at", "late", "early", "reporters", "journalists"])) {
        return None;
    }
    let (speaker_range, speaker) = if inverted {
        let r = i + 1..end.min(i + 1 + 10);
        let r = r.start..phrase_end(doc, r);
        if r.is_empty() {
            return None;
        }
        let sp = resolve_speaker(doc, r.clone());
        (r, sp)
    } else {
        let r = k + 1..i;
        let r = r.start..skip_aux_back(doc, r.clone());
        if r.is_empty() || r.len() > 10 || r.clone().any(|j| doc.is_any(j, SPEAKER_STOPS)) {
            return None;
        }
        (r.clone(), resolve_speaker(doc, r))
    };
    // Content: back to the opening quote if the comma closes a quotation, else to the
    // sentence start.
    let mut content_end = k;
    while content_end > s.start && matches!(doc.word(content_end - 1), "," | "\"") {
        content_end -= 1;
    }
    if doc.word(k) != "," && content_end > s.start && doc.word(content_end - 1) == "," {
        content_end -= 1;
    }
    let mut start = s.start;
    let mut by_quote = false;
    if let Some(q) = quotes.iter().rev().find(|q| q.end >= k && q.end <= k + 2 && q.start < k) {
        start = q.start + 1;
        content_end = content_end.min(q.end - 1);
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
    Some(Found { speaker, speaker_span: Some(doc.span(sp_start..sp_end)), cue, content, span, by_quote: false, content_first })
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
    while e > r.start && doc.is_any(e - 1, AUXILIARIES) {
        e -= 1;
    }
    e
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
        end = open;
    }
    let mut start = end;
    while start > s.start && end - start < 12 {
        let j = start - 1;
        let w = doc.word(j);
        let t = doc.cx.tokens[j];
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
    // Function words alone ("but did not say") name no speaker.
    if (start..end).all(|j| doc.is_any(j, AUXILIARIES) || doc.is_any(j, SPEAKER_STOPS) || doc.is_any(j, &["and", "or", "but", "to", "of"])) {
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
        match at.and_then(|a| doc.cx.times.iter().find(|t| t.span.contains(a))) {
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

/// Who a speaker phrase names: the last person in it, else the last organisation-like
/// entity, else a resolved pronoun, else the phrase itself.
fn resolve_speaker(doc: &Doc, r: Range<usize>) -> ActorRef {
    let span = doc.span(r.clone());
    let text = span.of(doc.cx.text);
    let inside: Vec<&Mention> = doc.mentions_in(span).collect();
    let actor = |e: usize| ActorRef { name: Some(doc.cx.entities[e].name.clone()), entity: Some(doc.cx.entities[e].id.clone()) };
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
const ACCUSE_CUES: &[&str] =
    &["accuse", "accused", "accuses", "alleged", "alleges", "attributed", "attributes", "attributing", "blame", "blamed", "blames", "charged"];
const DENY_CUES: &[&str] = &["denied", "denies", "deny", "dismissed", "dismisses", "rejected", "rejects"];
const WARN_CUES: &[&str] = &["warn", "warned", "warning", "warns", "threatened"];
const DENIAL_PHRASES: &[&str] = &[
    "absurd", "baseless", "fabricated", "fabrication", "fabrications", "false", "groundless", "had nothing to do", "has nothing to do",
    "have nothing to do", "lie", "no evidence", "no indication", "no involvement", "no link", "no part", "no reason to believe",
    "no role", "nonsense", "not involved", "nothing to do with", "propaganda", "ridiculous", "smear", "unfounded",
    "was not behind", "were not behind", "not responsible",
];
const BLAME_PHRASES: &[&str] = &[
    "is behind", "are behind", "blame", "points to", "points firmly to", "pointed to", "pointing to", "lay with", "lies with", "responsibility for the", "fingerprints", "had help from", "hand of", "involvement of", "masterminded", "orchestrated",
    "ordered the", "responsible for", "sponsored", "the trail led", "trail leads", "was behind", "were behind",
    "backed by", "acting on behalf of", "on the orders of", "carried out by", "directed by",
];
const WARNING_PHRASES: &[&str] = &["could attack", "imminent", "plot", "planning an attack", "planning attacks", "threat", "warned"];

/// Whether `hay` holds one of the phrases as whole words.
fn contains_any(hay: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| {
        hay.match_indices(n).any(|(at, _)| {
            let before = hay[..at].chars().next_back();
            let after = hay[at + n.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// The kind of a claim, from its cue and content.
fn kind_of(doc: &Doc, f: &Found, content: Span) -> ClaimKind {
    let cue = f.cue.of(doc.cx.text).to_lowercase();
    let body = content.of(doc.cx.text).to_lowercase();
    let whole = f.span.of(doc.cx.text).to_lowercase();
    let speaker_kind = f.speaker.entity.as_ref().and_then(|id| doc.cx.entities.iter().find(|e| &e.id == id)).map(|e| e.kind);
    if cue.starts_with("claim") && contains_any(&whole, RESPONSIBILITY_WORDS) {
        return ClaimKind::Responsibility;
    }
    if contains_any(&whole, &["claimed responsibility", "claiming responsibility", "took responsibility", "claimed credit"]) {
        return ClaimKind::Responsibility;
    }
    // "The group said its fighters carried out the attack", "IS said it had sent the
    // bombers": an armed group speaking of its own deed.
    let head: String = body.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    let self_reference = contains_any(&head, &["it", "its", "our", "we", "they", "their"]);
    if speaker_kind == Some(EntityKind::ArmedGroup)
        && self_reference
        && (contains_any(&body, CARRIED_OUT) || contains_any(&body, &["sent the", "dispatched", "attackers", "bombers", "fighters", "martyrs"]))
        && !contains_any(&body, DENIAL_PHRASES)
    {
        return ClaimKind::Responsibility;
    }
    if DENY_CUES.contains(&cue.as_str()) || contains_any(&body, DENIAL_PHRASES) {
        return ClaimKind::Denial;
    }
    if ACCUSE_CUES.contains(&cue.as_str()) || contains_any(&body, BLAME_PHRASES) {
        return ClaimKind::Accusation;
    }
    if WARN_CUES.contains(&cue.as_str()) || contains_any(&body, WARNING_PHRASES) && !body.contains("attack on") {
        return ClaimKind::Warning;
    }
    let has_figure = doc.cx.quantities.iter().any(|q| {
        content.contains(q.span) && !matches!(q.category, claimgraph_model::Category::Other)
    });
    if has_figure {
        return ClaimKind::Figure;
    }
    ClaimKind::Statement
}

/// Who is blamed, denied or warned about: the actors named in the content (for an
/// accusation cue, the object right after it), or, for a denial with none, the speaker
/// itself ("Pakistan denied any role").
fn targets_of(doc: &Doc, f: &Found, kind: ClaimKind, content: Span) -> Vec<ActorRef> {
    let fits = |k: EntityKind| {
        matches!(k, EntityKind::ArmedGroup | EntityKind::Government | EntityKind::Person | EntityKind::Organization | EntityKind::Place)
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
            if let Some(e) = f.speaker.entity.as_ref().and_then(|id| doc.cx.entities.iter().find(|e| &e.id == id)) {
                push(&mut out, e);
            }
            return out;
        }
        _ => {}
    }
    let speaker = f.speaker.entity.clone();
    // "blamed X for", "accused X of": the object after the cue counts too.
    let search = if ACCUSE_CUES.contains(&f.cue.of(doc.cx.text).to_lowercase().as_str()) {
        Span::new(f.cue.end, content.end.max(f.cue.end)).cover(content)
    } else {
        content
    };
    for m in doc.mentions_in(search) {
        let e = &doc.cx.entities[m.entity];
        if fits(e.kind) && Some(&e.id) != speaker.as_ref() {
            // Places count as actors only when they are states ("blamed Israel").
            if e.kind == EntityKind::Place && !is_state(e) {
                continue;
            }
            push(&mut out, e);
        }
    }
    if kind == ClaimKind::Denial && out.is_empty() {
        if let Some(e) = speaker.as_ref().and_then(|id| doc.cx.entities.iter().find(|e| &e.id == id)) {
            push(&mut out, e);
        }
    }
    out
}

/// A place that is a country (has a country code and its name is the country's).
fn is_state(e: &Entity) -> bool {
    e.kind == EntityKind::Place && e.country.is_some() && e.geo.is_some() && !e.name.contains(' ') || e.name.starts_with("United ")
}

/// When the claim was made: a day-precision time in the claim outside its content
/// ("said on Thursday"), else none.
fn claim_date(doc: &Doc, span: Span, content: Span) -> Option<TimeValue> {
    doc.cx
        .times
        .iter()
        .filter(|t| span.contains(t.span) && !content.contains(t.span))
        .find_map(|t| t.value.clone().filter(|v| matches!(v, TimeValue::Day(_))))
}
