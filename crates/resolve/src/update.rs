//! Resolving a store: mentions resolved before are added as they were linked (no
//! comparisons), new ones are compared with everything through the blocking index, and
//! only what changed is written. Because the incidents are the connected components of a
//! symmetric rule, this gives the same incidents, with the same ids, as resolving every
//! mention from scratch in any order.

use claimgraph_model::{Date, Geo, IncidentKind, TimeValue};
use claimgraph_store::{MentionRow, Resolution, SqliteStore, Store, StoreError};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::canon::Canon;
use crate::cluster::Resolver;
use crate::mention::Mention;
use crate::record::summarize;

/// What a resolution did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    pub mentions: usize,
    /// Mentions not resolved before this run.
    pub new_mentions: usize,
    pub incidents: usize,
    /// Incidents written (new, grown or merged).
    pub changed: usize,
    /// Incidents merged into another by a report that bridged them.
    pub merged: usize,
    pub comparisons: u64,
}

/// What the rest of a document says that helps tell its incidents apart: its first
/// precise place (else its first place), and the people it names.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    pub place: Option<(String, Geo, bool)>,
    /// The first place named that is not a country, region or province, known to the
    /// tables or not (a church, a plant, a street).
    pub site: Option<String>,
    pub people: Vec<String>,
    /// For a document without a publication date: the latest full date its text gives
    /// (a dateline, mostly), standing in for it.
    pub dated: Option<Date>,
}

/// Most people per document taken as evidence.
const MAX_PEOPLE: usize = 12;

/// The context of every stored document, by document seq. `undated` lists the documents
/// (seq, id) without a publication date.
pub fn contexts(
    store: &SqliteStore,
    canon: &Canon,
    undated: &[(i64, &str)],
) -> Result<FxHashMap<i64, DocContext>, StoreError> {
    let mut out: FxHashMap<i64, DocContext> = FxHashMap::default();
    for &(seq, id) in undated {
        let Some((_, analysis)) = store.document(id)? else { continue };
        let latest = analysis["times"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["value"].as_str())
            .filter(|v| v.len() == 10)
            .filter_map(Date::parse_iso)
            .max();
        out.entry(seq).or_default().dated = latest;
    }
    store.each_place_and_person(|doc, name, kind, _| {
        let ctx = out.entry(doc).or_default();
        if kind == "place" {
            if ctx.site.is_none() && !canon.coarse_place(name) {
                ctx.site = Some(name.to_string());
            }
            if ctx.place.as_ref().is_none_or(|p| p.2) {
                if let Some(p) = canon.place(name) {
                    if ctx.place.is_none() || !p.2 {
                        ctx.place = Some(p);
                    }
                }
            }
        } else if ctx.people.len() < MAX_PEOPLE {
            let words: Vec<&str> = name.split_whitespace().collect();
            if words.len() >= 2 && !canon.known_person(name) {
                let surname = words[words.len() - 1].trim_end_matches(['.', ',']).to_string();
                if surname.len() > 2 && canon.surname_like(&surname) && !ctx.people.contains(&surname) {
                    ctx.people.push(surname);
                }
            }
        }
    })?;
    Ok(out)
}

/// A stored mention as the resolver sees it. A mention without a place takes its
/// document's (for comparing only: the incident record shows places reports gave).
pub fn mention_of(row: &MentionRow, canon: &Canon, ctx: Option<&DocContext>) -> Mention {
    let mut actors: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&row.perpetrators)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get("name").and_then(|n| n.as_str()))
        .map(|n| canon.actor(n))
        .collect();
    actors.sort();
    actors.dedup();
    let own_geo = match (row.lat, row.lon) {
        (Some(lat), Some(lon)) => Some(Geo { lat, lon }),
        _ => None,
    };
    let inferred = if row.country.is_none() && own_geo.is_none() { ctx.and_then(|c| c.place.clone()) } else { None };
    Mention {
        doc: row.doc.id.clone(),
        n: row.n,
        kind: IncidentKind::parse(&row.kind).unwrap_or(IncidentKind::Other),
        date: row.date.as_deref().and_then(TimeValue::parse),
        published: row.doc.published.as_deref().and_then(Date::parse_iso).or_else(|| ctx.and_then(|c| c.dated)),
        country: row.country.clone().or_else(|| inferred.as_ref().map(|p| p.0.clone())),
        geo: own_geo.or_else(|| inferred.as_ref().map(|p| p.1)),
        coarse: match &inferred {
            Some(p) => p.2,
            None => row.place.as_deref().is_none_or(|p| canon.coarse_place(p)),
        },
        killed: row.killed.as_ref().map(|k| k.0),
        actors,
        people: ctx.map(|c| c.people.clone()).unwrap_or_default(),
        label: row.label.clone(),
        place: row.place.clone().or_else(|| ctx.and_then(|c| c.site.clone())),
        reference: row.doc.url.as_deref().is_some_and(|u| u.starts_with("reference:")),
    }
}

/// Resolves the mentions ingested since the last run (all of them with `rebuild`).
pub fn update(store: &mut SqliteStore, canon: &Canon, rebuild: bool) -> Result<UpdateSummary, StoreError> {
    let mut rows: Vec<MentionRow> = Vec::new();
    store.each_mention(|r| rows.push(r))?;
    if rebuild {
        for r in &mut rows {
            r.incident = None;
        }
    }
    let mut undated: Vec<(i64, &str)> =
        rows.iter().filter(|r| r.doc.published.is_none()).map(|r| (r.doc.seq, r.doc.id.as_str())).collect();
    undated.dedup();
    let contexts = contexts(store, canon, &undated)?;
    let mention = |r: &MentionRow| mention_of(r, canon, contexts.get(&r.doc.seq));
    let mut resolver = Resolver::new();
    // Mention number -> row.
    let mut order: Vec<usize> = Vec::with_capacity(rows.len());
    let mut first_of: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, r) in rows.iter().enumerate() {
        if let Some(link) = r.incident.as_deref() {
            let with = first_of.get(link).copied();
            let id = resolver.add_resolved(&mention(r), with);
            first_of.entry(link).or_insert(id);
            order.push(i);
        }
    }
    let mut new_mentions = 0;
    for (i, r) in rows.iter().enumerate() {
        if r.incident.is_none() {
            resolver.add(&mention(r));
            order.push(i);
            new_mentions += 1;
        }
    }
    let groups = resolver.groups();
    let mut res = Resolution::default();
    let mut new_id_of_row: Vec<Option<&str>> = vec![None; rows.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (g, group) in groups.groups.iter().enumerate() {
        let mut changed = false;
        for &m in &group.members {
            let row = &rows[order[m]];
            new_id_of_row[order[m]] = Some(&group.id);
            if row.incident.as_deref() != Some(group.id.as_str()) {
                res.links.push((row.doc.seq, row.n, group.id.clone()));
                changed = true;
            }
        }
        if changed || rebuild {
            touched.push(g);
        }
    }
    let live: FxHashSet<&str> = groups.groups.iter().map(|g| g.id.as_str()).collect();
    let mut merged: FxHashMap<&str, &str> = FxHashMap::default();
    for (i, r) in rows.iter().enumerate() {
        if let (Some(old), Some(new)) = (r.incident.as_deref(), new_id_of_row[i]) {
            if !live.contains(old) {
                merged.insert(old, new);
            }
        }
    }
    let mut merged: Vec<(String, String)> = merged.into_iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    merged.sort();
    res.merged = merged;
    for &g in &touched {
        let group = &groups.groups[g];
        let members: Vec<&MentionRow> = group.members.iter().map(|&m| &rows[order[m]]).collect();
        let (summary, actors) = summarize(&group.id, &members, canon);
        res.incidents.push(summary);
        res.actors.extend(actors.into_iter().map(|(key, name)| (key, group.id.clone(), name)));
    }
    let summary = UpdateSummary {
        mentions: rows.len(),
        new_mentions,
        incidents: groups.groups.len(),
        changed: touched.len(),
        merged: res.merged.len(),
        comparisons: resolver.comparisons(),
    };
    store.write_resolution(&res, rebuild)?;
    Ok(summary)
}
