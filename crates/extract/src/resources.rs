//! The data the entity stage matches against: places, armed groups, government
//! bodies, outlets, demonyms, given names, titles. All of it is embedded in the binary
//! from `data/` (see `data/SOURCES.md` for where each table comes from) and parsed
//! once into hash maps keyed by normalised token sequences.
//!
//! A key is the tokens of a name joined by a space between two words and by nothing
//! next to punctuation, so "Deir ez-Zor" and "Deir ez - Zor", or "U.S." and "U.S .",
//! meet on the same key.

use std::cell::RefCell;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use claimgraph_model::{EntityKind, Geo};

use crate::tokens::{is_all_caps, tokenize, Token, TokenKind};

const GAZETTEER: &str = include_str!("../data/gazetteer.tsv");
const PLACES_EXTRA: &str = include_str!("../data/places_extra.tsv");
const PLACE_STOPLIST: &str = include_str!("../data/place_stoplist.txt");
const ARMED_GROUPS: &str = include_str!("../data/armed_groups.tsv");
const GOVERNMENTS: &str = include_str!("../data/governments.tsv");
const MEDIA: &str = include_str!("../data/media.tsv");
const PERSONS: &str = include_str!("../data/persons.tsv");
const ORGANIZATIONS: &str = include_str!("../data/organizations.tsv");
const NATIONALITIES: &str = include_str!("../data/nationalities.tsv");
const FIRST_NAMES: &str = include_str!("../data/first_names.txt");
const FIRST_NAMES_AMBIGUOUS: &str = include_str!("../data/first_names_ambiguous.txt");
const TITLES: &str = include_str!("../data/titles.tsv");
const ORG_SUFFIXES: &str = include_str!("../data/org_suffixes.txt");

/// One named thing from the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub canonical: String,
    pub kind: EntityKind,
    pub country: Option<String>,
    pub geo: Option<Geo>,
    /// Ranks entries that share an alias: higher wins.
    pub rank: u64,
    /// For places, where known (0 otherwise).
    pub population: u64,
    /// For places: country, region, admin1 or city.
    pub feature: Feature,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    City,
    /// A building, site or installation: a hotel, a shrine, a pipeline.
    Facility,
    Admin1,
    Region,
    Country,
    /// An alias-table entry (group, government body, outlet, demonym).
    Actor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    Honorific,
    Office,
    Military,
    Religious,
}

/// Everything the entity stage looks up, built once and shared by all documents.
#[derive(Debug)]
pub struct Resources {
    pub entries: Vec<Entry>,
    exact: HashMap<String, u32>,
    folded: HashMap<String, u32>,
    /// First-token keys of every alias, exact and lower-cased: a cheap filter before
    /// the longer look-ups.
    first_exact: HashSet<String>,
    first_folded: HashSet<String>,
    /// Every key that a longer alias's key starts with (whole tokens), exact and folded:
    /// a longest-match scan stops as soon as its key is in neither.
    prefixes: HashSet<String>,
    pub max_alias_tokens: usize,
    place_stoplist: HashSet<String>,
    first_names: HashSet<String>,
    first_names_ambiguous: HashSet<String>,
    titles: HashMap<String, TitleKind>,
    pub max_title_tokens: usize,
    org_suffixes: HashMap<String, EntityKind>,
}

thread_local! {
    static LOWER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Calls `f` with the lower-case form of `s`, without allocating in the common case.
pub fn with_lower<T>(s: &str, f: impl FnOnce(&str) -> T) -> T {
    if !s.chars().any(char::is_uppercase) {
        return f(s);
    }
    LOWER.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        if s.is_ascii() {
            buf.push_str(s);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(s.chars().flat_map(char::to_lowercase));
        }
        f(&buf)
    })
}

/// The key of a token sequence (see the module docs).
pub fn key_of(text: &str, tokens: &[Token]) -> String {
    let mut key = String::new();
    push_key(&mut key, text, tokens);
    key
}

fn push_key(key: &mut String, text: &str, tokens: &[Token]) {
    for (n, &t) in tokens.iter().enumerate() {
        extend_key(key, text, n.checked_sub(1).map(|p| tokens[p]), t);
    }
}

/// Appends one token to a key whose last token was `prev`.
pub fn extend_key(key: &mut String, text: &str, prev: Option<Token>, t: Token) {
    if prev.is_some_and(|p| p.kind != TokenKind::Punct) && t.kind != TokenKind::Punct {
        key.push(' ');
    }
    key.push_str(t.text(text));
}

fn rows(table: &str) -> impl Iterator<Item = Vec<&str>> {
    table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn words(list: &str) -> impl Iterator<Item = &str> {
    list.lines().map(|l| l.split('\t').next().unwrap_or("").trim()).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn non_empty(s: Option<&&str>) -> Option<String> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_string)
}

impl Resources {
    /// Parses the embedded tables. Takes a few tens of milliseconds; build one and share
    /// it.
    pub fn embedded() -> Resources {
        let mut r = Resources {
            entries: Vec::new(),
            exact: HashMap::default(),
            folded: HashMap::default(),
            first_exact: HashSet::default(),
            first_folded: HashSet::default(),
            prefixes: HashSet::default(),
            max_alias_tokens: 1,
            place_stoplist: words(PLACE_STOPLIST).map(str::to_string).collect(),
            first_names: words(FIRST_NAMES).map(str::to_string).collect(),
            first_names_ambiguous: words(FIRST_NAMES_AMBIGUOUS).map(str::to_string).collect(),
            titles: HashMap::default(),
            max_title_tokens: 1,
            org_suffixes: HashMap::default(),
        };
        for row in rows(TITLES) {
            let kind = match row.get(1).copied().unwrap_or("office") {
                "honorific" => TitleKind::Honorific,
                "military" => TitleKind::Military,
                "religious" => TitleKind::Religious,
                _ => TitleKind::Office,
            };
            let title = row[0].trim_end_matches('.');
            let n_tokens = tokenize(title).len();
            r.max_title_tokens = r.max_title_tokens.max(n_tokens);
            r.titles.insert(title.to_lowercase(), kind);
        }
        for row in rows(ORG_SUFFIXES) {
            let kind = row.get(1).and_then(|k| EntityKind::parse(k)).unwrap_or(EntityKind::Organization);
            r.org_suffixes.insert(row[0].to_string(), kind);
        }
        for (table, kind) in [
            (ARMED_GROUPS, EntityKind::ArmedGroup),
            (GOVERNMENTS, EntityKind::Government),
            (MEDIA, EntityKind::Media),
            (ORGANIZATIONS, EntityKind::Organization),
            (PERSONS, EntityKind::Person),
        ] {
            for row in rows(table) {
                let canonical = row[0].to_string();
                let country = non_empty(row.get(2)).filter(|c| c.len() == 2);
                let aliases: Vec<String> = row
                    .get(1)
                    .map(|a| a.split('|').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect())
                    .unwrap_or_default();
                let id = r.push(Entry {
                    canonical: canonical.clone(),
                    kind,
                    country,
                    geo: None,
                    rank: u64::MAX,
                    population: 0,
                    feature: Feature::Actor,
                });
                r.add_alias(&canonical, id);
                for alias in &aliases {
                    r.add_alias(alias, id);
                }
            }
        }
        for row in rows(NATIONALITIES) {
            let demonym = row[0].to_string();
            let country = non_empty(row.get(1)).filter(|c| c.len() == 2);
            let id = r.push(Entry {
                canonical: demonym.clone(),
                kind: EntityKind::Nationality,
                country,
                geo: None,
                rank: u64::MAX - 1,
                population: 0,
                feature: Feature::Actor,
            });
            r.add_alias(&demonym, id);
            if let Some(variants) = row.get(2) {
                for v in variants.split('|').map(str::trim).filter(|v| !v.is_empty()) {
                    r.add_alias(v, id);
                }
            }
        }
        for table in [GAZETTEER, PLACES_EXTRA] {
            for row in rows(table) {
                if row.len() < 6 {
                    continue;
                }
                let feature = match row[5] {
                    "country" => Feature::Country,
                    "region" => Feature::Region,
                    "admin1" => Feature::Admin1,
                    "facility" => Feature::Facility,
                    _ => Feature::City,
                };
                let population: u64 = row[4].parse().unwrap_or(0);
                let geo = match (row[2].parse::<f64>(), row[3].parse::<f64>()) {
                    (Ok(lat), Ok(lon)) => Some(Geo { lat, lon }),
                    _ => None,
                };
                // Countries beat regions beat provinces beat cities; within a feature,
                // population decides ("Paris" is the French capital, not Paris, Texas).
                let rank = ((feature as u64) << 40) + population.min((1 << 40) - 1);
                let id = r.push(Entry {
                    canonical: row[0].to_string(),
                    kind: EntityKind::Place,
                    country: non_empty(row.get(1)).filter(|c| c.len() == 2),
                    geo,
                    rank,
                    population,
                    feature,
                });
                r.add_alias(row[0], id);
                if let Some(alts) = row.get(7) {
                    for alt in alts.split('|').map(str::trim).filter(|a| !a.is_empty()) {
                        r.add_alias(alt, id);
                    }
                }
            }
        }
        r
    }

    fn push(&mut self, entry: Entry) -> u32 {
        self.entries.push(entry);
        (self.entries.len() - 1) as u32
    }

    fn add_alias(&mut self, alias: &str, id: u32) {
        let tokens = tokenize(alias);
        if tokens.is_empty() {
            return;
        }
        self.max_alias_tokens = self.max_alias_tokens.max(tokens.len());
        let key = key_of(alias, &tokens);
        let first = tokens[0].text(alias).to_string();
        let mut prefix = String::new();
        for n in 0..tokens.len() - 1 {
            extend_key(&mut prefix, alias, n.checked_sub(1).map(|p| tokens[p]), tokens[n]);
            self.prefixes.insert(prefix.clone());
            self.prefixes.insert(prefix.to_lowercase());
        }
        let rank = self.entries[id as usize].rank;
        let better = |map: &HashMap<String, u32>, key: &str, entries: &[Entry]| {
            map.get(key).is_none_or(|&old| entries[old as usize].rank < rank)
        };
        if better(&self.exact, &key, &self.entries) {
            self.exact.insert(key.clone(), id);
        }
        self.first_exact.insert(first.clone());
        // Acronyms ("IS", "PET", "AP") match only as written.
        if !is_all_caps(alias) || alias.chars().count() > 6 {
            let folded_key = key.to_lowercase();
            if better(&self.folded, &folded_key, &self.entries) {
                self.folded.insert(folded_key, id);
            }
            self.first_folded.insert(first.to_lowercase());
        }
    }

    /// Whether a name could start at this word.
    pub fn may_start(&self, word: &str) -> bool {
        self.first_exact.contains(word)
            || word.chars().next().is_some_and(char::is_uppercase)
                && with_lower(word, |l| self.first_folded.contains(l))
    }

    /// The entry for a key, exact case first, then ignoring case for capitalised text.
    pub fn lookup(&self, key: &str) -> Option<u32> {
        if let Some(&id) = self.exact.get(key) {
            return Some(id);
        }
        if key.chars().next().is_some_and(char::is_uppercase) {
            return with_lower(key, |l| self.folded.get(l).copied());
        }
        None
    }

    /// Whether some alias longer than `key` starts with it.
    pub fn is_prefix(&self, key: &str) -> bool {
        self.prefixes.contains(key) || with_lower(key, |l| self.prefixes.contains(l))
    }

    pub fn entry(&self, id: u32) -> &Entry {
        &self.entries[id as usize]
    }

    /// A place name that is also an everyday word or name: taken only with support from
    /// the context.
    pub fn is_ambiguous_place(&self, name: &str) -> bool {
        self.place_stoplist.contains(name)
    }

    pub fn is_first_name(&self, word: &str) -> bool {
        self.first_names.contains(word)
    }

    pub fn is_ambiguous_first_name(&self, word: &str) -> bool {
        self.first_names_ambiguous.contains(word)
    }

    /// The kind of title a (lower-case) phrase is ("president", "foreign minister").
    pub fn title(&self, lower: &str) -> Option<TitleKind> {
        self.titles.get(lower.trim_end_matches('.')).copied()
    }

    /// The entity kind a name ending (or starting) with this word has ("Ministry" →
    /// government, "Brigades" → armed group).
    pub fn org_word(&self, word: &str) -> Option<EntityKind> {
        self.org_suffixes.get(word).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_spacing_around_punctuation() {
        let a = "Deir ez-Zor";
        let b = "Deir ez - Zor";
        assert_eq!(key_of(a, &tokenize(a)), key_of(b, &tokenize(b)));
        let c = "U.S.";
        assert_eq!(key_of(c, &tokenize(c)), "U.S.");
    }

    #[test]
    fn tables_load_and_resolve_aliases() {
        let r = Resources::embedded();
        let isk = r.lookup("ISKP").map(|id| r.entry(id).canonical.clone());
        assert_eq!(isk, r.lookup("ISIS-K").map(|id| r.entry(id).canonical.clone()));
        assert!(isk.is_some());
        let paris = r.entry(r.lookup("Paris").unwrap());
        assert_eq!(paris.country.as_deref(), Some("FR"));
        assert_eq!(r.entry(r.lookup("Al Jazeera").unwrap()).kind, EntityKind::Media);
        assert_eq!(r.entry(r.lookup("Iranian").unwrap()).kind, EntityKind::Nationality);
        assert!(r.lookup("is").is_none(), "acronyms do not match lower-case words");
    }
}
