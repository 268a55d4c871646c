//! A STIX 2.1 bundle of the exported incidents.
//!
//! | claimgraph | STIX 2.1 |
//! |---|---|
//! | claimgraph itself | `identity` (system), creator of the extension definition |
//! | the tallies and the board's counts | an `extension-definition` (property extension) on each `incident` |
//! | an incident | `incident`, its tallies in the extension |
//! | its place | `location` (country, coordinates) |
//! | a party named responsible | `threat-actor`, and a `related-to` `relationship` to the incident saying how (claimed, accused, denied, status) |
//! | a source (outlet) | `identity` (organization), its reliability grade in the description |
//! | a speaker | `identity` |
//! | a claim | `note` created by its speaker's identity, about the incident and the parties it names, with `confidence` from its credibility |
//! | a document | `report` created by its source, referencing the incidents, places, parties and claims it holds |
//!
//! Confidence follows the STIX 2.1 specification's appendix on confidence scales
//! (Admiralty credibility): 1 → 90, 2 → 70, 3 → 50, 4 → 30, 5 → 10, and 6 ("cannot be
//! judged") leaves `confidence` out. Every id is made from a stable name (the incident
//! id, the document's content id, the claim's id, the actor's key), and every timestamp
//! comes from publication dates, so the same store exports the same bundle. (Ids are
//! UUIDv4 in form, as STIX 2.1 asks of domain objects, but drawn from a hash of those
//! names: see [`crate::ids`].)

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use claimgraph_resolve::record::{ClaimOut, Record};
use claimgraph_resolve::{actor_key, Canon};
use claimgraph_store::SqliteStore;
use serde_json::{json, Map, Value};

use crate::ids::stix_id;
use crate::{Result, Selection, Sink};

/// When the extension definition was published (a fixed date: it changes only with its
/// version).
const EXTENSION_DATE: &str = "2026-11-29T00:00:00.000Z";
const EXTENSION_VERSION: &str = "1.0.0";
/// A timestamp for objects no dated document stands behind.
const UNDATED: &str = "1970-01-01T00:00:00.000Z";

pub struct Stix<'a> {
    canon: &'a Canon<'a>,
    bundle: String,
    producer: String,
    extension: String,
    /// Shared objects already written (identities, actors, places, warnings): a set that
    /// grows with the number of distinct parties and speakers, not with documents.
    emitted: BTreeSet<String>,
    /// Documents to report at the end, and each exported incident's place: kept as ids
    /// only, so memory stays small on a large store.
    docs: BTreeSet<String>,
    incidents: BTreeMap<String, Option<String>>,
    first: bool,
}

impl std::fmt::Debug for Stix<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stix").field("bundle", &self.bundle).finish_non_exhaustive()
    }
}

/// A date (YYYY, YYYY-MM or YYYY-MM-DD) as a STIX timestamp.
pub fn timestamp(date: Option<&str>) -> String {
    match date.map(str::trim) {
        Some(d) if d.len() == 10 => format!("{d}T00:00:00.000Z"),
        Some(d) if d.len() == 7 => format!("{d}-01T00:00:00.000Z"),
        Some(d) if d.len() == 4 => format!("{d}-01-01T00:00:00.000Z"),
        _ => UNDATED.to_string(),
    }
}

/// Admiralty credibility (1–6) as STIX confidence, per the specification's appendix.
pub fn confidence(credibility: u8) -> Option<u8> {
    match credibility {
        1 => Some(90),
        2 => Some(70),
        3 => Some(50),
        4 => Some(30),
        5 => Some(10),
        _ => None,
    }
}

fn grade_words(g: char) -> &'static str {
    match g {
        'A' => "completely reliable",
        'B' => "usually reliable",
        'C' => "fairly reliable",
        'D' => "not usually reliable",
        'E' => "unreliable",
        _ => "reliability cannot be judged",
    }
}

impl<'a> Stix<'a> {
    pub fn new(canon: &'a Canon<'a>, selection: &Selection) -> Stix<'a> {
        let f = &selection.filter;
        let name = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            selection.incident, f.since_day, f.until_day, f.kind, f.place, f.actor, f.limit
        );
        Stix {
            canon,
            bundle: stix_id("bundle", &name),
            producer: stix_id("identity", "claimgraph"),
            extension: stix_id("extension-definition", &format!("incident-tally-{EXTENSION_VERSION}")),
            emitted: BTreeSet::new(),
            docs: BTreeSet::new(),
            incidents: BTreeMap::new(),
            first: true,
        }
    }

    fn emit(&mut self, out: &mut dyn Write, object: &Value) -> Result<()> {
        out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut *out, object).map_err(std::io::Error::from)?;
        Ok(())
    }

    /// Emits an object once (shared objects: identities, actors, places).
    fn emit_once(&mut self, out: &mut dyn Write, id: &str, make: impl FnOnce() -> Value) -> Result<()> {
        if self.emitted.insert(id.to_string()) {
            let object = make();
            self.emit(out, &object)?;
        }
        Ok(())
    }

    fn sdo(kind: &str, id: &str, created: &str, modified: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(id));
        m.insert("created".into(), json!(created));
        m.insert("modified".into(), json!(modified));
        m
    }

    fn source_identity(
        &mut self,
        out: &mut dyn Write,
        name: &str,
        grade: Option<char>,
        created: &str,
    ) -> Result<String> {
        let id = stix_id("identity", &format!("source:{}", name.to_lowercase()));
        self.emit_once(out, &id.clone(), || {
            let mut m = Stix::sdo("identity", &id, created, created);
            m.insert("name".into(), json!(name));
            m.insert("identity_class".into(), json!("organization"));
            m.insert("sectors".into(), json!(["communications"]));
            let grade = grade.unwrap_or('F');
            m.insert(
                "description".into(),
                json!(format!("News source. Admiralty reliability {grade} ({}).", grade_words(grade))),
            );
            Value::Object(m)
        })?;
        Ok(id)
    }

    fn speaker_identity(&mut self, out: &mut dyn Write, c: &ClaimOut) -> Result<Option<String>> {
        let Some(name) = c.speaker_entity.as_deref().or(c.speaker.as_deref()).map(str::trim).filter(|n| !n.is_empty())
        else {
            return Ok(None);
        };
        let id = stix_id("identity", &format!("speaker:{}", self.canon.actor_key(name)));
        let created = timestamp(c.published.as_deref());
        self.emit_once(out, &id.clone(), || {
            let mut m = Stix::sdo("identity", &id, &created, &created);
            m.insert("name".into(), json!(name));
            m.insert("identity_class".into(), json!("unknown"));
            m.insert("description".into(), json!("A speaker quoted in the news, as claimgraph found them."));
            Value::Object(m)
        })?;
        Ok(Some(id))
    }
}

impl Sink for Stix<'_> {
    fn begin(&mut self, out: &mut dyn Write) -> Result<()> {
        write!(out, "{{\"type\":\"bundle\",\"id\":\"{}\",\"objects\":[", self.bundle)?;
        let producer = self.producer.clone();
        let mut m = Stix::sdo("identity", &producer, EXTENSION_DATE, EXTENSION_DATE);
        m.insert("name".into(), json!("claimgraph"));
        m.insert("identity_class".into(), json!("system"));
        m.insert("description".into(), json!("Extracts incidents and claims about political violence from news."));
        self.emitted.insert(producer.clone());
        self.emit(out, &Value::Object(m))?;
        let ext = self.extension.clone();
        let mut m = Stix::sdo("extension-definition", &ext, EXTENSION_DATE, EXTENSION_DATE);
        m.insert("created_by_ref".into(), json!(producer));
        m.insert("name".into(), json!("claimgraph incident tallies"));
        m.insert(
            "description".into(),
            json!("Casualty tallies reconciled across news reports (lowest and highest credible figure, and the latest) and the counts behind an incident record."),
        );
        m.insert(
            "schema".into(),
            json!("https://example.invalid/claimgraph/docs/EXPORTS.md#the-stix-incident-extension"),
        );
        m.insert("version".into(), json!(EXTENSION_VERSION));
        m.insert("extension_types".into(), json!(["property-extension"]));
        self.emit(out, &Value::Object(m))
    }

    fn incident(&mut self, out: &mut dyn Write, r: &Record) -> Result<()> {
        let dates: Vec<&str> = r.documents.iter().filter_map(|d| d.published.as_deref()).collect();
        let created = timestamp(dates.iter().min().copied());
        let modified = timestamp(dates.iter().max().copied());
        let incident_id = stix_id("incident", &r.id);

        // Place.
        let location_id = match &r.place {
            Some(p) if p.country.is_some() || (p.lat.is_some() && p.lon.is_some()) => {
                let id = stix_id("location", &format!("{}|{:?}|{:?}|{:?}", p.name, p.country, p.lat, p.lon));
                let (created, p) = (created.clone(), p.clone());
                self.emit_once(out, &id.clone(), || {
                    let mut m = Stix::sdo("location", &id, &created, &created);
                    m.insert("name".into(), json!(p.name));
                    if let Some(c) = &p.country {
                        m.insert("country".into(), json!(c.to_uppercase()));
                    }
                    if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
                        m.insert("latitude".into(), json!(lat));
                        m.insert("longitude".into(), json!(lon));
                    }
                    Value::Object(m)
                })?;
                Some(id)
            }
            _ => None,
        };

        // The incident, its tallies in the extension.
        let mut ext = Map::new();
        ext.insert("extension_type".into(), json!("property-extension"));
        ext.insert("kind".into(), json!(r.kind));
        if let Some(d) = &r.date {
            ext.insert("date".into(), json!(d));
        }
        for (what, tally) in [("killed", &r.killed), ("injured", &r.injured)] {
            if let Some(t) = tally {
                ext.insert(format!("{what}_low"), json!(t.low));
                if let Some(h) = t.high {
                    ext.insert(format!("{what}_high"), json!(h));
                }
                if let Some(l) = t.latest {
                    ext.insert(format!("{what}_latest"), json!(l));
                }
                ext.insert(format!("{what}_reports"), json!(t.n_reports));
            }
        }
        ext.insert("n_documents".into(), json!(r.documents.len()));
        ext.insert("n_sources".into(), json!(r.n_sources));
        let place = r.place.as_ref().map(|p| p.name.as_str()).unwrap_or("an unknown place");
        let name = r.label.clone().unwrap_or_else(|| format!("{} in {place}", r.kind.replace('_', " ")));
        let mut m = Stix::sdo("incident", &incident_id, &created, &modified);
        m.insert("created_by_ref".into(), json!(self.producer));
        m.insert("name".into(), json!(name));
        m.insert(
            "description".into(),
            json!(format!(
                "{} at {place} on {}, from {} document(s) by {} independent source(s).",
                r.kind.replace('_', " "),
                r.date.as_deref().unwrap_or("an unknown date"),
                r.documents.len(),
                r.n_sources
            )),
        );
        m.insert("external_references".into(), json!([{"source_name": "claimgraph", "external_id": r.id}]));
        m.insert("extensions".into(), json!({ self.extension.clone(): ext }));
        self.emit(out, &Value::Object(m))?;
        if let Some(loc) = &location_id {
            let rel = stix_id("relationship", &format!("{}->{loc}", r.id));
            let mut m = Stix::sdo("relationship", &rel, &created, &modified);
            m.insert("relationship_type".into(), json!("related-to"));
            m.insert("description".into(), json!("The incident took place here."));
            m.insert("source_ref".into(), json!(incident_id));
            m.insert("target_ref".into(), json!(loc));
            self.emit(out, &Value::Object(m))?;
        }

        // The attribution board: a threat actor per party, related to the incident.
        let mut actor_ids: BTreeMap<String, String> = BTreeMap::new();
        for p in &r.perpetrators {
            let key = actor_key(&p.name);
            let id = stix_id("threat-actor", &key);
            let (name, c) = (p.name.clone(), created.clone());
            self.emit_once(out, &id.clone(), || {
                let mut m = Stix::sdo("threat-actor", &id, &c, &c);
                m.insert("name".into(), json!(name));
                Value::Object(m)
            })?;
            actor_ids.insert(key.clone(), id.clone());
            let rel = stix_id("relationship", &format!("{key}->{}", r.id));
            let mut m = Stix::sdo("relationship", &rel, &created, &modified);
            m.insert("relationship_type".into(), json!("related-to"));
            m.insert(
                "description".into(),
                json!(format!(
                    "Named responsible: {} ({} report(s) of a claim of responsibility, {} of accusations, {} of denials, {} independent source(s)).",
                    p.status, p.responsibility, p.accusations, p.denials, p.n_sources
                )),
            );
            m.insert("source_ref".into(), json!(id));
            m.insert("target_ref".into(), json!(incident_id));
            self.emit(out, &Value::Object(m))?;
        }

        // Documents (reported at the end) and their sources.
        self.incidents.insert(r.id.clone(), location_id.clone());
        for d in &r.documents {
            self.docs.insert(d.id.clone());
            if let Some(name) = d.source.as_deref().filter(|s| !s.trim().is_empty()) {
                self.source_identity(out, name.trim(), d.reliability, &timestamp(d.published.as_deref()))?;
            }
        }

        // Claims, as notes by their speakers. A claim is about one incident, so it is
        // written once; a warning can also be listed as preceding other incidents, so
        // warnings are remembered.
        for c in r.claims.iter().chain(&r.warnings) {
            let note = stix_id("note", &c.id);
            if c.kind == "warning" && !self.emitted.insert(note.clone()) {
                continue;
            }
            let author = self.speaker_identity(out, c)?;
            let when = timestamp(c.published.as_deref());
            let mut refs = vec![incident_id.clone()];
            for t in &c.targets {
                if let Some(id) = actor_ids.get(&self.canon.actor_key(t)) {
                    if !refs.contains(id) {
                        refs.push(id.clone());
                    }
                }
            }
            let mut m = Stix::sdo("note", &note, &when, &when);
            if let Some(a) = &author {
                m.insert("created_by_ref".into(), json!(a));
            }
            let speaker = c.speaker_entity.as_deref().or(c.speaker.as_deref());
            m.insert("abstract".into(), json!(format!("{} by {}", c.kind, speaker.unwrap_or("an unnamed source"))));
            m.insert("content".into(), json!(c.text));
            if let Some(s) = speaker {
                m.insert("authors".into(), json!([s]));
            }
            m.insert("object_refs".into(), json!(refs));
            if let Some(conf) = confidence(c.credibility) {
                m.insert("confidence".into(), json!(conf));
            }
            m.insert(
                "external_references".into(),
                json!([{"source_name": "claimgraph", "external_id": c.id, "description": format!("claim in document {}", c.document)}]),
            );
            self.emit(out, &Value::Object(m))?;
        }
        Ok(())
    }

    /// A report per document, read back from the store one at a time: the incidents
    /// (and their places) it reports, and the notes of its claims about them.
    fn end(&mut self, out: &mut dyn Write, store: &SqliteStore) -> Result<()> {
        let docs = std::mem::take(&mut self.docs);
        for doc in docs {
            let Some(d) = store.doc_ref(&doc)? else { continue };
            let mut refs: BTreeSet<String> = BTreeSet::new();
            let mut mentions: BTreeSet<String> = BTreeSet::new();
            for (local, incident) in store.document_links(d.seq)? {
                if let Some(location) = self.incidents.get(&incident) {
                    refs.insert(stix_id("incident", &incident));
                    refs.extend(location.clone());
                    mentions.insert(local);
                }
            }
            for c in store.document_claims(d.seq)? {
                if c.about.as_ref().is_some_and(|a| mentions.contains(a)) {
                    refs.insert(stix_id("note", &format!("{}/{}", d.id, c.local_id)));
                }
            }
            if refs.is_empty() {
                continue;
            }
            let id = stix_id("report", &doc);
            let when = timestamp(d.published.as_deref());
            let mut m = Stix::sdo("report", &id, &when, &when);
            if let Some(source) = d.source.as_deref().filter(|s| !s.trim().is_empty()) {
                m.insert(
                    "created_by_ref".into(),
                    json!(stix_id("identity", &format!("source:{}", source.trim().to_lowercase()))),
                );
            }
            m.insert("name".into(), json!(d.title.clone().unwrap_or_else(|| format!("Document {doc}"))));
            m.insert("report_types".into(), json!(["threat-report"]));
            m.insert("published".into(), json!(when));
            m.insert("object_refs".into(), json!(refs));
            // The URL goes in the description: STIX wants a hash of what a `url` points
            // at, and we keep the text, not the bytes served there.
            let mut reference = Map::new();
            reference.insert("source_name".into(), json!(d.source.clone().unwrap_or_else(|| "claimgraph".into())));
            reference.insert("external_id".into(), json!(doc));
            if let Some(u) = d.url.as_deref() {
                reference.insert("description".into(), json!(format!("published at {u}")));
            }
            m.insert("external_references".into(), json!([reference]));
            self.emit(out, &Value::Object(m))?;
        }
        out.write_all(b"\n]}\n")?;
        Ok(())
    }
}
