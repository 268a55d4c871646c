//! The `entities` stage: named persons, organisations, armed groups, government bodies,
//! outlets, places and nationalities, each with one canonical name for all its mentions
//! in the document.
//!
//! No registry ships NER weights we could load, so the [`RuleRecognizer`] works from
//! tables and the shape of names: a longest-match look-up in the embedded tables (places
//! from GeoNames, hand-built alias tables for groups, government bodies, outlets and
//! demonyms), then runs of capitalised words classified by what surrounds them (a title
//! before a name, a given name first, an organisation word last). A second pass links
//! single words to the full names they shorten ("Lavrov" after "Sergei Lavrov") and
//! acronyms to the names they abbreviate. The stage sits behind [`EntityRecognizer`] so
//! that a learned model can replace it.

use std::collections::HashMap;
use std::ops::Range;

use claimgraph_model::{Entity, EntityKind, Span};

use crate::lexicon;
use crate::resources::{extend_key, with_lower, Feature, Resources};
use crate::sentences::SentenceTokens;
use crate::tokens::{is_all_caps, is_capitalized, Token, TokenKind};

/// Finds the entities of one document.
pub trait EntityRecognizer: Send + Sync + std::fmt::Debug {
    fn recognize(&self, text: &str, tokens: &[Token], sentences: &[SentenceTokens]) -> Vec<Entity>;
}

/// The rule- and table-based recogniser (see the module docs).
#[derive(Debug)]
pub struct RuleRecognizer<'r> {
    resources: &'r Resources,
}

impl<'r> RuleRecognizer<'r> {
    pub fn new(resources: &'r Resources) -> RuleRecognizer<'r> {
        RuleRecognizer { resources }
    }
}

/// What a mention was recognised as, before mentions are grouped into entities.
#[derive(Debug, Clone, PartialEq)]
enum Found {
    /// A table entry.
    Entry(u32),
    /// A name classified by its shape and context.
    Named(EntityKind),
    /// A lone capitalised word that is an entity only if it shortens a known name.
    Unknown,
}

#[derive(Debug, Clone)]
struct Mention {
    tokens: Range<usize>,
    span: Span,
    found: Found,
}

/// Particles inside names: "Abu Bakr al-Baghdadi", "Stade de France", "Ministry of
/// Defence".
const CONNECTORS: &[&str] =
    &["al", "bin", "da", "de", "del", "der", "des", "di", "du", "el", "ibn", "la", "le", "of", "van", "von"];

/// First words that make a run of capitalised words a place ("Rue Victor Hugo",
/// "Camp Shorabak", "Mount Sinjar").
const PLACE_PREFIXES: &[&str] =
    &["Avenida", "Calle", "Camp", "Fort", "Lake", "Mount", "Piazza", "Place", "Plaza", "Rue", "Via"];

/// Lower-case nouns that extend a place name before them ("Kerman province", "Idlib
/// province", "Victor Hugo street").
const PLACE_NOUNS: &[&str] =
    &["county", "district", "governorate", "mosque", "oblast", "province", "road", "square", "street"];

/// Capitalised abbreviations that name no organisation.
const NOT_ACRONYMS: &[&str] = &[
    "AFP", "AK", "AM", "BREAKING", "CCTV", "CEO", "COVID", "DNA", "EDT", "EST", "FILE", "GMT", "GPS", "HIV", "ID",
    "IED", "IEDs", "MP", "NOTE", "OK", "PHOTO", "PHOTOS", "PM", "RPG", "SUV", "TNT", "TV", "UPDATE", "UTC", "VIDEO",
    "WATCH", "WMD",
];

fn is_name_like(word: &str) -> bool {
    if is_capitalized(word) {
        return true;
    }
    // "al-Baghdadi", "ez-Zor", "d'Orsay".
    match word.find(['-', '\'', '’']) {
        Some(p) if p <= 3 => word[p..].chars().nth(1).is_some_and(char::is_uppercase),
        _ => false,
    }
}

/// "M", "R.R", "J.K": initials in a name.
fn is_initials(word: &str) -> bool {
    !word.is_empty() && word.split('.').all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
}

fn is_calendar_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    lexicon::weekday(&lower).is_some() && word.len() >= 6
        || lexicon::month(&lower).is_some()
            && word.len() >= 3
            && !matches!(lower.as_str(), "may" | "mar" | "jan" | "jun" | "dec")
}

/// Whether most words of the sentence are capitalised, as in a headline set in title
/// case or capitals, where capitals say nothing about names.
fn is_title_case(text: &str, tokens: &[Token], range: Range<usize>) -> bool {
    // Headlines carry no final stop; a sentence that has one is prose, however many
    // names it lists.
    let last = tokens[range.end - 1].text(text);
    if matches!(last, "." | "!" | "?" | "\"" | "”" | "'" | "’") {
        return false;
    }
    let mut n_long = 0;
    let mut n_cap = 0;
    for t in &tokens[range] {
        let w = t.text(text);
        if t.kind == TokenKind::Word && w.chars().count() > 3 {
            n_long += 1;
            if is_capitalized(w) {
                n_cap += 1;
            }
        }
    }
    n_long >= 3 && n_cap * 10 >= n_long * 7
}

impl EntityRecognizer for RuleRecognizer<'_> {
    fn recognize(&self, text: &str, tokens: &[Token], sentences: &[SentenceTokens]) -> Vec<Entity> {
        let mut mentions = Vec::new();
        for sentence in sentences {
            self.scan_sentence(text, tokens, sentence.tokens.clone(), &mut mentions);
        }
        link_acronyms(text, tokens, &mut mentions);
        group(self.resources, text, mentions)
    }
}

impl RuleRecognizer<'_> {
    fn scan_sentence(&self, text: &str, tokens: &[Token], range: Range<usize>, out: &mut Vec<Mention>) {
        let r = self.resources;
        let title_case = is_title_case(text, tokens, range.clone());
        let word = |i: usize| tokens[i].text(text);
        let mut i = range.start;
        while i < range.end {
            let t = tokens[i];
            let w = word(i);
            if t.kind != TokenKind::Word || !(is_name_like(w) || r.may_start(w)) {
                i += 1;
                continue;
            }
            let dict = self.longest_entry(text, tokens, i, range.end);
            let mut run_end = self.run_end(text, tokens, i, range.end);
            // A title inside a run starts a new name: "US Army Col. Myles Caggins".
            if self.title_tokens(text, tokens, i, run_end) == 0 {
                if let Some(k) = (i + 1..run_end).find(|&k| {
                    let n = self.title_tokens(text, tokens, k, run_end);
                    n > 0 && k + n < run_end && is_capitalized(word(k))
                }) {
                    run_end = k;
                }
            }
            let run_len = run_end - i;
            let dict_len = dict.map_or(0, |(n, _)| n);
            // "The Health Ministry", "In Paris": a sentence opener is not part of the name.
            if run_len >= 2 && dict_len < run_len && with_lower(w, lexicon::is_common_word) {
                i += 1;
                continue;
            }
            // "U.S. Air Force", "Syrian Democratic Forces", "Iranian Foreign Ministry": a
            // state or demonym before an organisation's name is part of it.
            if let Some((n, id)) = dict {
                let e = r.entry(id);
                let statelike = e.kind == EntityKind::Nationality || e.feature == Feature::Country;
                if statelike && i + n < range.end && !tokens[i + n].newline_before && is_capitalized(word(i + n)) {
                    let end2 = self.run_end(text, tokens, i + n, range.end);
                    if let Some(kind) = self.org_kind_in(text, tokens, i + n..end2) {
                        let kind = if kind == EntityKind::ArmedGroup { EntityKind::Government } else { kind };
                        out.push(mention(tokens, i..end2, Found::Named(kind)));
                        i = end2;
                        continue;
                    }
                }
            }
            if dict_len > 0 && dict_len >= run_len {
                let (n, id) = dict.unwrap_or_default();
                i = self.push_entry(text, tokens, i, n, id, range.end, out);
                continue;
            }
            if run_len == 0 {
                i += 1;
                continue;
            }
            // A title before the name: "President François Hollande", "Foreign
            // Minister Sergei Lavrov", "spokesman Nasser Kanaani", "Mr. Smith".
            let n_title = self.title_tokens(text, tokens, i, run_end);
            if n_title > 0 && i + n_title < run_end {
                let start = i + n_title;
                // The name may itself start a table entry ("President Putin" is not a
                // place, but "Minister Kerman" would be odd): a titled name is a person.
                out.push(mention(tokens, start..run_end, Found::Named(EntityKind::Person)));
                i = run_end;
                continue;
            }
            // A lower-case title before the run ("spokesman Nasser Kanaani") makes it a
            // person, unless the run starts with a known name ("spokesman US Army …").
            let title_before = i > range.start && self.title_tokens_before(text, tokens, i) > 0 && dict.is_none();
            let first = w;
            let last = word(run_end - 1);
            let mut last_kind = r.org_word(last);
            // "Pakistan Army", "Russian Forces": an army named after a state is the state's.
            if last_kind == Some(EntityKind::ArmedGroup)
                && dict.is_some_and(|(_, id)| matches!(r.entry(id).kind, EntityKind::Place | EntityKind::Nationality))
            {
                last_kind = Some(EntityKind::Government);
            }
            let first_kind = r
                .org_word(first)
                .filter(|_| run_len >= 3 && CONNECTORS.contains(&word(i + 1)))
                .or_else(|| (run_len >= 2 && PLACE_PREFIXES.contains(&first)).then_some(EntityKind::Place));
            let inner_kind =
                if run_len >= 2 && dict_len < run_len { self.org_kind_in(text, tokens, i..run_end) } else { None };
            if let Some(kind) = last_kind.or(first_kind).or(inner_kind) {
                if run_len >= 2 || is_all_caps(first) {
                    out.push(mention(tokens, i..run_end, Found::Named(kind)));
                    i = run_end;
                    continue;
                }
            }
            let given_name = r.is_first_name(first) && !r.is_ambiguous_first_name(first) || title_before;
            if run_len >= 2 && given_name && !title_case {
                out.push(mention(tokens, i..run_end, Found::Named(EntityKind::Person)));
                i = run_end;
                continue;
            }
            if let Some((n, id)) = dict {
                i = self.push_entry(text, tokens, i, n, id, range.end, out);
                continue;
            }
            // Sentence openers and calendar words are not names.
            let at_start = i == range.start || is_opener(tokens, text, i);
            if (at_start && with_lower(first, lexicon::is_common_word)) || is_calendar_word(first) {
                i += 1;
                continue;
            }
            if title_case || run_len == 1 {
                let found = if title_before {
                    Found::Named(EntityKind::Person)
                } else if run_len == 1
                    && is_all_caps(first)
                    && first.chars().count() <= 6
                    && !title_case
                    && !r.may_start(first)
                    && !NOT_ACRONYMS.contains(&first)
                {
                    Found::Named(EntityKind::Organization)
                } else {
                    Found::Unknown
                };
                out.push(mention(tokens, i..i + 1, found));
                i += 1;
                continue;
            }
            // A run of unknown capitalised words: a name unless one of its words is
            // known as something else, in which case each word is taken on its own.
            let known_inside = (i + 1..run_end)
                .any(|j| r.may_start(word(j)) && self.longest_entry(text, tokens, j, run_end).is_some());
            let looks_like_name = run_len <= 4
                && (i..run_end).all(|j| {
                    let w = word(j);
                    CONNECTORS.contains(&w)
                        || (is_capitalized(w)
                            && !is_all_caps(w)
                            && w.chars().any(char::is_lowercase)
                            && !is_calendar_word(w))
                });
            if known_inside || !looks_like_name {
                out.push(mention(tokens, i..i + 1, Found::Unknown));
                i += 1;
                continue;
            }
            out.push(mention(tokens, i..run_end, Found::Named(EntityKind::Person)));
            i = run_end;
        }
    }

    /// Records a table match of `n` tokens at `i` (if accepted) and returns where to go on.
    /// A sentence-final "." belongs to the sentence, not to "U.S."; a lower-case place
    /// noun after a place joins it ("Kerman province").
    #[allow(clippy::too_many_arguments)]
    fn push_entry(
        &self,
        text: &str,
        tokens: &[Token],
        i: usize,
        n: usize,
        id: u32,
        end: usize,
        out: &mut Vec<Mention>,
    ) -> usize {
        if !self.accept_entry(text, tokens, i, id) {
            return i + n;
        }
        let mut stop = i + n;
        if n > 1 && stop == end && tokens[stop - 1].text(text) == "." {
            stop -= 1;
        }
        let entry = self.resources.entry(id);
        if entry.kind == EntityKind::Place
            && entry.feature != Feature::Country
            && stop < end
            && PLACE_NOUNS.contains(&tokens[stop].text(text))
        {
            stop += 1;
        }
        out.push(mention(tokens, i..stop, Found::Entry(id)));
        i + n.max(stop - i)
    }

    /// The kind of the last organisation word in a run of two or more words ("Air Force
    /// Office of Special Investigations" → government), if it has one that is not a place
    /// word.
    fn org_kind_in(&self, text: &str, tokens: &[Token], run: Range<usize>) -> Option<EntityKind> {
        if run.len() < 2 && !run.clone().any(|j| self.resources.org_word(tokens[j].text(text)).is_some()) {
            return None;
        }
        run.rev().filter_map(|j| self.resources.org_word(tokens[j].text(text))).find(|k| *k != EntityKind::Place)
    }

    /// The longest table entry starting at token `i` and ending before `end`.
    fn longest_entry(&self, text: &str, tokens: &[Token], i: usize, end: usize) -> Option<(usize, u32)> {
        let r = self.resources;
        if !r.may_start(tokens[i].text(text)) {
            return None;
        }
        let max = r.max_alias_tokens.min(end - i);
        let mut best = None;
        let mut key = String::with_capacity(64);
        for n in 1..=max {
            if n > 1 && tokens[i + n - 1].newline_before {
                break;
            }
            extend_key(&mut key, text, (n > 1).then(|| tokens[i + n - 2]), tokens[i + n - 1]);
            if let Some(id) = r.lookup(&key) {
                best = Some((n, id));
            }
            if !r.is_prefix(&key) {
                break;
            }
        }
        // A trailing "." belongs to the entry only for dotted abbreviations ("U.S.").
        best
    }

    /// Accepts a table match unless it is an everyday word or a name in disguise.
    fn accept_entry(&self, text: &str, tokens: &[Token], i: usize, id: u32) -> bool {
        let r = self.resources;
        let entry = r.entry(id);
        if entry.kind != EntityKind::Place || entry.feature == Feature::Country {
            return true;
        }
        let w = tokens[i].text(text);
        if is_calendar_word(w) || lexicon::month(&w.to_lowercase()).is_some() {
            return false;
        }
        // "Hope", "Mobile", "Police", and small towns that share a name with people
        // ("Jalali"): only after a preposition of place.
        let small_town = entry.feature == Feature::City && entry.population > 0 && entry.population < 100_000;
        if r.is_ambiguous_place(w) || with_lower(w, lexicon::is_common_word) || small_town {
            let prev = i.checked_sub(1).map(|p| tokens[p].text(text).to_lowercase());
            return matches!(
                prev.as_deref(),
                Some("in" | "at" | "near" | "from" | "outside" | "to" | "across" | "into" | "of" | "over")
            );
        }
        true
    }

    /// End of the run of capitalised words starting at `i` (exclusive).
    fn run_end(&self, text: &str, tokens: &[Token], i: usize, end: usize) -> usize {
        let word = |j: usize| tokens[j].text(text);
        let mut j = i;
        while j < end {
            let t = tokens[j];
            if j > i && t.newline_before {
                break;
            }
            let w = word(j);
            if t.kind == TokenKind::Word && is_name_like(w) {
                j += 1;
                continue;
            }
            if j > i && t.kind == TokenKind::Word && CONNECTORS.contains(&w) && j + 1 < end && is_name_like(word(j + 1))
            {
                j += 1;
                continue;
            }
            // "Mr. Smith", "Seymour M. Hersh": a dot after a title or an initial.
            if j > i && w == "." && t.glued && j + 1 < end && is_name_like(word(j + 1)) && !tokens[j + 1].glued {
                let prev = word(j - 1);
                let initial = is_initials(prev);
                if initial || lexicon::is_title_abbreviation(&prev.to_lowercase()) {
                    j += 1;
                    continue;
                }
            }
            break;
        }
        // A run does not end on a connector or a dot.
        while j > i && (CONNECTORS.contains(&word(j - 1)) || matches!(word(j - 1), "." | "for")) {
            j -= 1;
        }
        j
    }

    /// How many tokens at the start of the run `i..end` form a title.
    fn title_tokens(&self, text: &str, tokens: &[Token], i: usize, end: usize) -> usize {
        let r = self.resources;
        let mut best = 0;
        let mut phrase = String::new();
        let mut n_words = 0;
        let mut j = i;
        while j < end && n_words < r.max_title_tokens + 1 {
            let w = tokens[j].text(text);
            if w == "." {
                j += 1;
                if best == j - 1 - i {
                    best = j - i;
                }
                continue;
            }
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(&w.to_lowercase());
            n_words += 1;
            j += 1;
            if r.title(&phrase).is_some() {
                best = j - i;
            }
        }
        best
    }

    /// Whether a lower-case title stands right before token `i` ("spokesman Kanaani").
    fn title_tokens_before(&self, text: &str, tokens: &[Token], i: usize) -> usize {
        let prev = tokens[i - 1].text(text);
        if tokens[i - 1].kind == TokenKind::Word && self.resources.title(&prev.to_lowercase()).is_some() {
            1
        } else {
            0
        }
    }
}

fn is_opener(tokens: &[Token], text: &str, i: usize) -> bool {
    i > 0 && matches!(tokens[i - 1].text(text), "\"" | "“" | "‘" | "'" | "(" | "-" | "–" | "—" | ":")
}

fn mention(tokens: &[Token], range: Range<usize>, found: Found) -> Mention {
    let span = Span::new(tokens[range.start].span.start, tokens[range.end - 1].span.end);
    Mention { tokens: range, span, found }
}

/// "Islamic Revolutionary Guard Corps (IRGC)": the acronym in brackets names the
/// entity before it; and a lone all-capital word made of a known name's initials
/// ("JIT" after "Joint Investigation Team") is that name.
fn link_acronyms(text: &str, tokens: &[Token], mentions: &mut [Mention]) {
    for k in 1..mentions.len() {
        let (before, after) = mentions.split_at_mut(k);
        let prev = &before[k - 1];
        let cur = &mut after[0];
        let bracketed = cur.tokens.start >= 1
            && prev.tokens.end + 1 == cur.tokens.start
            && tokens[cur.tokens.start - 1].text(text) == "(";
        let cur_text = cur.span.of(text);
        if bracketed && is_all_caps(cur_text) && matches!(cur.found, Found::Unknown | Found::Named(_)) {
            if let Found::Named(kind) = prev.found {
                if kind != EntityKind::Person {
                    cur.found = Found::Named(kind);
                }
            }
        }
    }
}

fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|w| !w.is_empty() && !CONNECTORS.contains(w) && !matches!(*w, "and" | "the" | "for"))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Groups mentions into entities: table entries by entry, persons by full name (a
/// single word joins the full name it is the last or first word of), other names by
/// their text.
fn group(r: &Resources, text: &str, mentions: Vec<Mention>) -> Vec<Entity> {
    struct Group {
        name: String,
        kind: EntityKind,
        entry: Option<u32>,
        surface: Vec<String>,
        spans: Vec<Span>,
        first: usize,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Persons and organisations with several words first, so that lone words can join them.
    let mut full_names: Vec<(String, EntityKind, usize)> = Vec::new();
    let add = |groups: &mut Vec<Group>,
               by_key: &mut HashMap<String, usize>,
               key: String,
               name: String,
               kind: EntityKind,
               entry: Option<u32>,
               m: &Mention| {
        let idx = *by_key.entry(key).or_insert_with(|| {
            groups.push(Group { name, kind, entry, surface: Vec::new(), spans: Vec::new(), first: m.span.start });
            groups.len() - 1
        });
        let g = &mut groups[idx];
        let surface = m.span.of(text).to_string();
        if !g.surface.contains(&surface) {
            g.surface.push(surface);
        }
        g.spans.push(m.span);
        g.first = g.first.min(m.span.start);
        idx
    };
    let mut pending = Vec::new();
    for m in &mentions {
        // A name found by its shape that the tables know ("President Ebrahim Raisi")
        // joins the table's entity, so that "Raisi" alone lands there too.
        let found = match &m.found {
            Found::Named(kind) => r
                .lookup(&normalize_name(m.span.of(text)))
                .filter(|&id| r.entry(id).kind == *kind)
                .map_or_else(|| m.found.clone(), Found::Entry),
            other => other.clone(),
        };
        match &found {
            Found::Entry(id) => {
                let e = r.entry(*id);
                add(
                    &mut groups,
                    &mut by_key,
                    format!("entry:{}", e.canonical),
                    e.canonical.clone(),
                    e.kind,
                    Some(*id),
                    m,
                );
            }
            Found::Named(kind) => {
                let name = normalize_name(m.span.of(text));
                let n_words = name.split(' ').count();
                if n_words >= 2 {
                    let idx = add(
                        &mut groups,
                        &mut by_key,
                        format!("{}:{name}", kind.as_str()),
                        name.clone(),
                        *kind,
                        None,
                        m,
                    );
                    full_names.push((name, *kind, idx));
                } else {
                    pending.push(m.clone());
                }
            }
            Found::Unknown => pending.push(m.clone()),
        }
    }
    // Lone words: the last or first word of a full name, or the initials of one; the
    // latest full name that fits. Indexed by those words, so that a long document does
    // not compare every lone word with every full name.
    let mut person_last: HashMap<&str, usize> = HashMap::new();
    let mut person_first: HashMap<&str, usize> = HashMap::new();
    let mut place_first: HashMap<&str, usize> = HashMap::new();
    let mut by_initials: HashMap<String, usize> = HashMap::new();
    for (k, (name, kind, _)) in full_names.iter().enumerate() {
        let first = name.split(' ').next().unwrap_or("");
        let last = name.rsplit(' ').next().unwrap_or("");
        match kind {
            EntityKind::Person => {
                person_last.insert(last, k);
                person_first.insert(first, k);
            }
            EntityKind::Place => {
                place_first.insert(first, k);
            }
            _ => {
                by_initials.insert(initials(name), k);
            }
        }
    }
    for m in &pending {
        let word = normalize_name(m.span.of(text));
        let w = word.as_str();
        let joined = [
            person_last.get(w).copied(),
            person_first.get(w).copied().filter(|_| !r.is_first_name(w)),
            place_first.get(w).copied(),
            by_initials.get(w).copied().filter(|_| is_all_caps(w)),
        ]
        .into_iter()
        .flatten()
        .max()
        .map(|k| &full_names[k]);
        match (joined, &m.found) {
            (Some(&(_, _, idx)), _) => {
                let g = &mut groups[idx];
                let surface = m.span.of(text).to_string();
                if !g.surface.contains(&surface) {
                    g.surface.push(surface);
                }
                g.spans.push(m.span);
            }
            (None, Found::Named(kind)) => {
                add(&mut groups, &mut by_key, format!("{}:{word}", kind.as_str()), word.clone(), *kind, None, m);
            }
            _ => {}
        }
    }
    groups.sort_by_key(|g| g.first);
    groups
        .into_iter()
        .enumerate()
        .map(|(n, mut g)| {
            g.spans.sort();
            g.spans.dedup();
            let entry = g.entry.map(|id| r.entry(id));
            let aliases = g.surface.into_iter().filter(|s| *s != g.name).collect();
            Entity {
                id: format!("e{}", n + 1),
                name: g.name,
                kind: g.kind,
                aliases,
                country: entry.and_then(|e| e.country.clone()),
                geo: entry.and_then(|e| e.geo),
                mentions: g.spans,
            }
        })
        .collect()
}

/// One space between words, no line breaks.
fn normalize_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
