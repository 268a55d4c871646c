//! Names across documents: one canonical actor for its variants, and how precise a place
//! name is. Both come from the extraction tables, so that "IS-K", "ISIS-K" and "Islamic
//! State Khorasan Province" resolve to the one name the tables give.

use claimgraph_extract::resources::{key_of, Feature};
use claimgraph_extract::tokens::tokenize;
use claimgraph_extract::Resources;
use claimgraph_model::{EntityKind, Geo};

use crate::mention::actor_key;

/// Canonical names, from the extraction tables.
#[derive(Debug, Clone, Copy)]
pub struct Canon<'a> {
    resources: &'a Resources,
}

impl<'a> Canon<'a> {
    pub fn new(resources: &'a Resources) -> Canon<'a> {
        Canon { resources }
    }

    fn entry(&self, name: &str) -> Option<&'a claimgraph_extract::resources::Entry> {
        let name = name.trim();
        let name = name.strip_prefix("the ").or_else(|| name.strip_prefix("The ")).unwrap_or(name);
        let key = key_of(name, &tokenize(name));
        self.resources.lookup(&key).map(|id| self.resources.entry(id))
    }

    /// The canonical name of an actor: the tables' name for a known alias, otherwise the
    /// name as written, trimmed.
    pub fn actor(&self, name: &str) -> String {
        match self.entry(name) {
            Some(e) if e.kind != EntityKind::Place => e.canonical.clone(),
            _ => name.trim().to_string(),
        }
    }

    /// The key an actor is stored and looked up by: its canonical name's [`actor_key`].
    pub fn actor_key(&self, name: &str) -> String {
        actor_key(&self.actor(name))
    }

    /// A place the tables know: its country, coordinates, and whether it is coarse (a
    /// country, region or province).
    pub fn place(&self, name: &str) -> Option<(String, Geo, bool)> {
        let e = self.entry(name).filter(|e| e.kind == EntityKind::Place)?;
        let coarse = matches!(e.feature, Feature::Country | Feature::Region | Feature::Admin1);
        Some((e.country.clone()?, e.geo?, coarse))
    }

    /// Whether the tables list this name as a public figure (whose name in two reports
    /// says nothing about their being one incident).
    pub fn known_person(&self, name: &str) -> bool {
        self.entry(name).is_some_and(|e| e.kind == EntityKind::Person)
    }

    /// Every country the gazetteer knows: (ISO 3166-1 alpha-2 code, name).
    pub fn countries(&self) -> Vec<(String, String)> {
        self.resources
            .entries
            .iter()
            .filter(|e| e.kind == EntityKind::Place && e.feature == Feature::Country)
            .filter_map(|e| Some((e.country.clone()?, e.canonical.clone())))
            .collect()
    }

    /// Whether a word could be a surname: not an organisation word ("Corp", "Ministry")
    /// nor a title ("Sheriff"), as in names misread as people's.
    pub fn surname_like(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        word.chars().next().is_some_and(char::is_uppercase)
            && self.resources.org_word(word).is_none()
            && self.resources.org_word(&lower).is_none()
            && self.resources.title(&lower).is_none()
    }

    /// Whether a place name is a country, region or province rather than a city or site.
    pub fn coarse_place(&self, name: &str) -> bool {
        matches!(self.entry(name).map(|e| e.feature), Some(Feature::Country | Feature::Region | Feature::Admin1))
    }
}
