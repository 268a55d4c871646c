//! The incident record: what `claimgraph incident ID` prints, in the shape of
//! `incidents.schema.json` — the merged facts, every figure reported (the tally's
//! evolution) with a reconciled range, the attribution board, contradictions, warnings
//! that came before, and every claim with its document and credibility.

use std::collections::{BTreeMap, BTreeSet};

use claimgraph_model::TimeValue;
use claimgraph_store::{DocRef, IncidentSummary, MentionRow, SqliteStore, StoreError, StoredClaim};
use serde::Serialize;

use crate::canon::Canon;
use crate::reliability::{credibility, source_key, Grades};

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub kind: String,
    pub label: Option<String>,
    pub date: Option<String>,
    pub place: Option<PlaceOut>,
    pub killed: Option<Tally>,
    pub injured: Option<Tally>,
    pub perpetrators: Vec<Party>,
    pub contradictions: Vec<Contradiction>,
    pub warnings: Vec<ClaimOut>,
    pub n_sources: usize,
    /// Curated records (imported with `claimgraph import`) this incident was linked to,
    /// as `reference:<dataset>/<event id>`.
    pub references: Vec<String>,
    pub documents: Vec<DocOut>,
    pub figures: Vec<FigureOut>,
    pub claims: Vec<ClaimOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaceOut {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A reconciled figure: lowest and highest reported by sources not graded unreliable
/// (E), and the figure in the latest report.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub low: f64,
    pub high: Option<f64>,
    pub latest: Option<f64>,
    pub n_reports: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub name: String,
    /// claimed, accused, suspected, confirmed, denied, or disputed (claimed or accused,
    /// and denied; or one of several parties claiming it).
    pub status: &'static str,
    /// Documents reporting that the party claimed it.
    pub responsibility: usize,
    /// Documents reporting that others blamed or suspected it.
    pub accusations: usize,
    /// Documents reporting that it denied it.
    pub denials: usize,
    pub n_sources: usize,
    /// Reliability grades of those sources (A–F), best first.
    pub grades: Vec<char>,
    /// Who made each accusation.
    pub accused_by: Vec<Attribution>,
    pub claimed_in: Vec<Attribution>,
    pub denied_in: Vec<Attribution>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribution {
    pub speaker: Option<String>,
    /// The claim's id (`document/local id`), when the statement is a claim.
    pub claim: Option<String>,
    pub document: String,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contradiction {
    /// competing_responsibility, accused_while_claimed, denied, figures_disagree.
    pub kind: &'static str,
    /// Ids of the claims (`document/claim`) or figures (`document/incident`) involved.
    pub claims: Vec<String>,
    pub parties: Vec<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocOut {
    pub id: String,
    pub path: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub reliability: Option<char>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureOut {
    /// `document/incident`: the report this figure is from.
    pub id: String,
    pub category: &'static str,
    pub value: f64,
    pub upper: Option<f64>,
    pub qualifier: String,
    pub document: String,
    pub published: Option<String>,
    pub source: Option<String>,
    pub speaker: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimOut {
    pub id: String,
    pub local_id: String,
    pub kind: String,
    pub speaker: Option<String>,
    pub speaker_entity: Option<String>,
    pub cue: Option<String>,
    pub targets: Vec<String>,
    pub date: Option<String>,
    pub text: String,
    pub document: String,
    pub published: Option<String>,
    pub source: Option<String>,
    /// 1–6, see the reliability module.
    pub credibility: u8,
}

/// Relative and absolute tolerance within which figures published within a day of each
/// other are taken to agree.
pub const FIGURE_TOLERANCE: (f64, f64) = (0.25, 2.0);

fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    // Highest count; ties to the first in sort order, so the choice is deterministic.
    counts
        .into_iter()
        .fold(None, |best: Option<(&str, usize)>, (v, c)| match best {
            Some((_, bc)) if bc >= c => best,
            _ => Some((v, c)),
        })
        .map(|(v, _)| v)
}

fn kind_of(members: &[&MentionRow]) -> String {
    let specific = members.iter().filter(|m| !matches!(m.kind.as_str(), "armed_assault" | "other"));
    most_common(specific.map(|m| m.kind.as_str()))
        .or_else(|| most_common(members.iter().map(|m| m.kind.as_str())))
        .unwrap_or("other")
        .to_string()
}

fn date_of(members: &[&MentionRow]) -> Option<String> {
    let days = members.iter().filter_map(|m| m.date.as_deref()).filter(|d| d.len() == 10);
    most_common(days).or_else(|| most_common(members.iter().filter_map(|m| m.date.as_deref()))).map(str::to_string)
}

fn place_of<'a>(members: &[&'a MentionRow], canon: &Canon) -> Option<&'a MentionRow> {
    let precise: Vec<&MentionRow> =
        members.iter().copied().filter(|m| m.place.as_deref().is_some_and(|p| !canon.coarse_place(p))).collect();
    let pool = if precise.is_empty() { members.to_vec() } else { precise };
    let name = most_common(pool.iter().filter_map(|m| m.place.as_deref()))?;
    pool.into_iter().find(|m| m.place.as_deref() == Some(name))
}

fn perpetrators(row: &MentionRow) -> Vec<(String, String)> {
    serde_json::from_str::<Vec<serde_json::Value>>(&row.perpetrators)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some((p.get("name")?.as_str()?.to_string(), p.get("status")?.as_str()?.to_string())))
        .collect()
}

fn tally(figures: &[(&MentionRow, f64, Option<char>)]) -> Option<Tally> {
    if figures.is_empty() {
        return None;
    }
    let credible: Vec<_> = figures.iter().filter(|f| f.2 != Some('E')).collect();
    let pool = if credible.is_empty() { figures.iter().collect() } else { credible };
    let low = pool.iter().map(|f| f.1).fold(f64::INFINITY, f64::min);
    let high = pool.iter().map(|f| f.1).fold(f64::NEG_INFINITY, f64::max);
    let latest = pool
        .iter()
        .max_by(|a, b| {
            (&a.0.doc.published, a.1).partial_cmp(&(&b.0.doc.published, b.1)).unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|f| f.1);
    Some(Tally { low, high: Some(high), latest, n_reports: figures.len() })
}

fn days(date: Option<&str>) -> (Option<i64>, Option<i64>) {
    match date.and_then(TimeValue::parse) {
        Some(v) => (Some(v.first_day().to_days()), Some(v.last_day().to_days())),
        None => (None, None),
    }
}

/// The row an incident list shows, and the (actor key, name) pairs of its parties.
pub fn summarize(id: &str, members: &[&MentionRow], canon: &Canon) -> (IncidentSummary, Vec<(String, String)>) {
    let date = date_of(members);
    let (first_day, last_day) = days(date.as_deref());
    let place = place_of(members, canon);
    let range = |pick: fn(&MentionRow) -> Option<f64>| {
        let v: Vec<f64> = members.iter().filter_map(|m| pick(m)).collect();
        (!v.is_empty()).then(|| {
            (v.iter().copied().fold(f64::INFINITY, f64::min), v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        })
    };
    let mut actors: BTreeMap<String, String> = BTreeMap::new();
    for m in members {
        for (name, _) in perpetrators(m) {
            let canonical = canon.actor(&name);
            actors.entry(crate::mention::actor_key(&canonical)).or_insert(canonical);
        }
    }
    let mut docs: BTreeSet<&str> = BTreeSet::new();
    docs.extend(members.iter().map(|m| m.doc.id.as_str()));
    let summary = IncidentSummary {
        id: id.to_string(),
        kind: kind_of(members),
        label: most_common(
            members.iter().filter(|m| place.is_some_and(|p| p.place == m.place)).filter_map(|m| m.label.as_deref()),
        )
        .or_else(|| most_common(members.iter().filter_map(|m| m.label.as_deref())))
        .map(str::to_string),
        date,
        first_day,
        last_day,
        place: place.and_then(|p| p.place.clone()),
        country: place.and_then(|p| p.country.clone()),
        lat: place.and_then(|p| p.lat),
        lon: place.and_then(|p| p.lon),
        killed: range(|m| m.killed.as_ref().map(|k| k.0)),
        injured: range(|m| m.injured.as_ref().map(|k| k.0)),
        n_documents: docs.len() as i64,
        first_published: members.iter().filter_map(|m| m.doc.published.clone()).min(),
        leading: leading_party(members, canon),
    };
    (summary, actors.into_iter().collect())
}

/// The party most reports name responsible, as "name (status)": claimed when a report
/// says it claimed it, else accused or suspected, else denied.
fn leading_party(members: &[&MentionRow], canon: &Canon) -> Option<String> {
    let mut parties: BTreeMap<String, (usize, String, BTreeSet<String>)> = BTreeMap::new();
    for m in members {
        for (name, status) in perpetrators(m) {
            let canonical = canon.actor(&name);
            let e =
                parties.entry(crate::mention::actor_key(&canonical)).or_insert_with(|| (0, canonical, BTreeSet::new()));
            e.0 += 1;
            e.2.insert(status);
        }
    }
    let (_, name, statuses) = parties
        .into_values()
        .filter(|p| !(p.2.len() == 1 && p.2.contains("denied")))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
    let status =
        ["confirmed", "claimed", "accused", "suspected", "denied"].into_iter().find(|s| statuses.contains(*s))?;
    Some(format!("{name} ({status})"))
}

#[derive(Default)]
struct Evidence {
    name: BTreeMap<String, usize>,
    claimed: BTreeSet<String>,
    accused: BTreeSet<String>,
    suspected: BTreeSet<String>,
    denied: BTreeSet<String>,
    confirmed: BTreeSet<String>,
    sources: BTreeSet<String>,
    accused_by: BTreeSet<Attribution>,
    claimed_in: BTreeSet<Attribution>,
    denied_in: BTreeSet<Attribution>,
}

fn claim_id(doc: &DocRef, local: &str) -> String {
    format!("{}/{}", doc.id, local)
}

fn attribution(c: &StoredClaim) -> Attribution {
    Attribution {
        speaker: c.speaker_entity.clone().or_else(|| c.speaker.clone()),
        claim: Some(claim_id(&c.doc, &c.local_id)),
        document: c.doc.id.clone(),
        source: c.doc.source.clone(),
    }
}

fn targets(c: &StoredClaim) -> Vec<String> {
    serde_json::from_str(&c.targets).unwrap_or_default()
}

/// Reads an incident's mentions and their documents' claims from the store, and builds
/// its record.
pub fn load(store: &SqliteStore, id: &str, canon: &Canon, grades: &Grades) -> Result<Record, StoreError> {
    let members = store.incident_mentions(id)?;
    let mut claims = Vec::new();
    let mut seen = BTreeSet::new();
    for m in &members {
        if seen.insert(m.doc.seq) {
            claims.extend(store.document_claims(m.doc.seq)?);
        }
    }
    Ok(build(id, &members, &claims, canon, grades))
}

/// Builds the record of an incident from its mentions and the claims of their documents.
pub fn build(id: &str, members: &[MentionRow], claims: &[StoredClaim], canon: &Canon, grades: &Grades) -> Record {
    let refs: Vec<&MentionRow> = members.iter().collect();
    let (summary, _) = summarize(id, &refs, canon);
    let grade = |d: &DocRef| grades.grade(d.source.as_deref(), d.url.as_deref());
    let skey = |d: &DocRef| source_key(d.source.as_deref(), d.url.as_deref(), &d.id);

    // The documents, in order of publication.
    let mut documents: Vec<&DocRef> = Vec::new();
    for m in members {
        if !documents.iter().any(|d| d.seq == m.doc.seq) {
            documents.push(&m.doc);
        }
    }
    documents.sort_by(|a, b| (&a.published, &a.id).cmp(&(&b.published, &b.id)));

    // Claims about this incident: those whose `about` is one of the member mentions.
    let about: BTreeSet<(i64, &str)> = members.iter().map(|m| (m.doc.seq, m.local_id.as_str())).collect();
    let ours: Vec<&StoredClaim> =
        claims.iter().filter(|c| c.about.as_deref().is_some_and(|a| about.contains(&(c.doc.seq, a)))).collect();

    // The figures: every killed and injured figure, by publication.
    // Who gave a figure: the figure claim of its document whose words hold the number.
    let figure_speaker = |m: &MentionRow, value: f64| {
        let number = format!("{value}");
        let with_commas = thousands(value);
        ours.iter()
            .find(|c| {
                c.doc.seq == m.doc.seq
                    && c.kind == "figure"
                    && (has_number(&c.text, &number) || has_number(&c.text, &with_commas))
            })
            .and_then(|c| c.speaker_entity.clone().or_else(|| c.speaker.clone()))
    };
    let mut figures = Vec::new();
    let mut killed = Vec::new();
    let mut injured = Vec::new();
    for m in members {
        for (category, fig, list) in [("killed", &m.killed, &mut killed), ("injured", &m.injured, &mut injured)] {
            if let Some((value, qualifier)) = fig {
                list.push((m, *value, grade(&m.doc)));
                figures.push(FigureOut {
                    id: format!("{}/{}", m.doc.id, m.local_id),
                    category,
                    value: *value,
                    upper: None,
                    qualifier: qualifier.clone(),
                    document: m.doc.id.clone(),
                    published: m.doc.published.clone(),
                    source: m.doc.source.clone(),
                    speaker: figure_speaker(m, *value),
                });
            }
        }
    }
    figures.sort_by(|a, b| (&a.published, &a.document, a.category).cmp(&(&b.published, &b.document, b.category)));

    // The attribution board: perpetrator statuses from every report, with the claims
    // that say who made them.
    let mut parties: BTreeMap<String, Evidence> = BTreeMap::new();
    for m in members {
        for (name, status) in perpetrators(m) {
            let canonical = canon.actor(&name);
            let e = parties.entry(crate::mention::actor_key(&canonical)).or_default();
            *e.name.entry(canonical).or_default() += 1;
            let doc = m.doc.id.clone();
            match status.as_str() {
                "claimed" => e.claimed.insert(doc),
                "accused" => e.accused.insert(doc),
                "suspected" => e.suspected.insert(doc),
                "denied" => e.denied.insert(doc),
                "confirmed" => e.confirmed.insert(doc),
                _ => false,
            };
            e.sources.insert(skey(&m.doc));
        }
    }
    for c in &ours {
        let speaker_key = c.speaker_entity.as_deref().or(c.speaker.as_deref()).map(|s| canon.actor_key(s));
        let target_keys: Vec<String> = targets(c).iter().map(|t| canon.actor_key(t)).collect();
        let mut note = |key: &str, f: &dyn Fn(&mut Evidence)| {
            if let Some(e) = parties.get_mut(key) {
                f(e);
                e.sources.insert(skey(&c.doc));
            }
        };
        match c.kind.as_str() {
            "responsibility" => {
                if let Some(k) = &speaker_key {
                    note(k, &|e| {
                        e.claimed.insert(c.doc.id.clone());
                        e.claimed_in.insert(attribution(c));
                    });
                }
            }
            "accusation" => {
                for k in &target_keys {
                    note(k, &|e| {
                        e.accused.insert(c.doc.id.clone());
                        e.accused_by.insert(attribution(c));
                    });
                }
            }
            "denial" => {
                for k in speaker_key.iter().chain(&target_keys) {
                    note(k, &|e| {
                        e.denied.insert(c.doc.id.clone());
                        e.denied_in.insert(attribution(c));
                    });
                }
            }
            _ => {}
        }
    }
    let claimants = parties.values().filter(|e| !e.claimed.is_empty()).count();
    let mut board: Vec<Party> = parties
        .values()
        .map(|e| {
            let accusations = e.accused.union(&e.suspected).count();
            let status = if !e.confirmed.is_empty() {
                "confirmed"
            } else if (!e.claimed.is_empty() || accusations > 0) && !e.denied.is_empty()
                || !e.claimed.is_empty() && claimants > 1
            {
                "disputed"
            } else if !e.claimed.is_empty() {
                "claimed"
            } else if !e.accused.is_empty() {
                "accused"
            } else if !e.suspected.is_empty() {
                "suspected"
            } else {
                "denied"
            };
            let mut grades: Vec<char> = members
                .iter()
                .filter(|m| e.sources.contains(&skey(&m.doc)))
                .map(|m| grade(&m.doc).unwrap_or('F'))
                .collect::<BTreeSet<char>>()
                .into_iter()
                .collect();
            grades.sort();
            Party {
                name: most_common(e.name.iter().flat_map(|(n, c)| std::iter::repeat_n(n.as_str(), *c)))
                    .unwrap_or("")
                    .to_string(),
                status,
                responsibility: e.claimed.len(),
                accusations,
                denials: e.denied.len(),
                n_sources: e.sources.len(),
                grades,
                accused_by: e.accused_by.iter().cloned().collect(),
                claimed_in: e.claimed_in.iter().cloned().collect(),
                denied_in: e.denied_in.iter().cloned().collect(),
            }
        })
        .collect();
    board.sort_by(|a, b| {
        (b.responsibility + b.accusations, b.n_sources, &a.name).cmp(&(
            a.responsibility + a.accusations,
            a.n_sources,
            &b.name,
        ))
    });

    let contradictions = contradictions(&board, &figures);

    // Credibility of each claim: independent sources for it and against it. Claims are
    // grouped by what they say (kind, speaker, targets) first, so a large incident costs
    // one pass per distinct statement rather than per pair of claims.
    let support_key = |c: &StoredClaim| -> SupportKey {
        let mut t: Vec<String> = targets(c).iter().map(|t| canon.actor_key(t)).collect();
        t.sort();
        (c.kind.clone(), c.speaker_entity.as_deref().or(c.speaker.as_deref()).map(|s| canon.actor_key(s)), t)
    };
    let mut by_key: BTreeMap<SupportKey, (BTreeSet<String>, Option<char>)> = BTreeMap::new();
    let keys: Vec<SupportKey> = claims.iter().map(support_key).collect();
    for (c, key) in claims.iter().zip(&keys) {
        if c.about.as_deref().is_some_and(|a| about.contains(&(c.doc.seq, a))) {
            let entry = by_key.entry(key.clone()).or_default();
            entry.0.insert(skey(&c.doc));
            if let Some(g) = grade(&c.doc) {
                entry.1 = Some(entry.1.map_or(g, |b: char| b.min(g)));
            }
        }
    }
    let credibility_of: BTreeMap<&SupportKey, u8> = by_key
        .iter()
        .map(|(key, (sources, best))| {
            let against: BTreeSet<&String> =
                by_key.iter().filter(|(other, _)| opposes(other, key)).flat_map(|(_, (s, _))| s).collect();
            (key, credibility(sources.len(), against.len(), *best))
        })
        .collect();
    let out_claim = |(c, key): (&StoredClaim, &SupportKey)| ClaimOut {
        id: claim_id(&c.doc, &c.local_id),
        local_id: c.local_id.clone(),
        kind: c.kind.clone(),
        speaker: c.speaker.clone(),
        speaker_entity: c.speaker_entity.clone(),
        cue: c.cue.clone(),
        targets: targets(c),
        date: c.date.clone(),
        text: c.text.clone(),
        document: c.doc.id.clone(),
        published: c.doc.published.clone(),
        source: c.doc.source.clone(),
        // A claim not about this incident (a warning before it) stands on its own.
        credibility: credibility_of.get(key).copied().unwrap_or_else(|| credibility(1, 0, grade(&c.doc))),
    };
    let ours_keyed: Vec<(&StoredClaim, &SupportKey)> = claims
        .iter()
        .zip(&keys)
        .filter(|(c, _)| c.about.as_deref().is_some_and(|a| about.contains(&(c.doc.seq, a))))
        .collect();
    let claims_out: Vec<ClaimOut> = ours_keyed.iter().map(|&ck| out_claim(ck)).collect();

    // Warnings that came before: warning claims in these documents dated before the
    // incident (by their own date, else their document's publication).
    let start = summary.first_day;
    let warnings: Vec<ClaimOut> = claims
        .iter()
        .zip(&keys)
        .filter(|(c, _)| c.kind == "warning")
        .filter(|(c, _)| {
            let when = c.date.as_deref().or(c.doc.published.as_deref()).and_then(TimeValue::parse);
            matches!((when, start), (Some(w), Some(s)) if w.last_day().to_days() < s)
        })
        .map(out_claim)
        .collect();

    let n_sources = documents.iter().map(|d| skey(d)).collect::<BTreeSet<_>>().len();
    Record {
        id: id.to_string(),
        kind: summary.kind,
        label: summary.label,
        date: summary.date,
        place: summary.place.map(|name| PlaceOut {
            name,
            country: summary.country,
            lat: summary.lat,
            lon: summary.lon,
        }),
        killed: tally(&killed),
        injured: tally(&injured),
        perpetrators: board,
        contradictions,
        warnings,
        n_sources,
        references: documents
            .iter()
            .filter_map(|d| d.url.as_deref().filter(|u| u.starts_with("reference:")).map(str::to_string))
            .collect(),
        documents: documents
            .iter()
            .map(|d| DocOut {
                id: d.id.clone(),
                path: d.path.clone(),
                url: d.url.clone(),
                title: d.title.clone(),
                source: d.source.clone(),
                published: d.published.clone(),
                reliability: grade(d),
            })
            .collect(),
        figures,
        claims: claims_out,
    }
}

type SupportKey = (String, Option<String>, Vec<String>);

/// Whether claim `a` speaks against claim `b`: a denial by a party against an accusation
/// of it or its claim, another party's claim of responsibility against a claim or an
/// accusation, and the reverse.
fn opposes(a: &SupportKey, b: &SupportKey) -> bool {
    let party = |k: &SupportKey| -> Vec<String> {
        match k.0.as_str() {
            "responsibility" => k.1.iter().cloned().collect(),
            "accusation" => k.2.clone(),
            "denial" => k.1.iter().chain(&k.2).cloned().collect(),
            _ => Vec::new(),
        }
    };
    let (pa, pb) = (party(a), party(b));
    if pa.is_empty() || pb.is_empty() {
        return false;
    }
    let same = pa.iter().any(|p| pb.contains(p));
    match (a.0.as_str(), b.0.as_str()) {
        ("denial", "responsibility" | "accusation") | ("responsibility" | "accusation", "denial") => same,
        ("responsibility", "responsibility") => !same,
        ("responsibility", "accusation") | ("accusation", "responsibility") => !same,
        _ => false,
    }
}

fn contradictions(board: &[Party], figures: &[FigureOut]) -> Vec<Contradiction> {
    let mut out = Vec::new();
    let ids = |list: &[Attribution]| list.iter().filter_map(|a| a.claim.clone()).collect::<Vec<_>>();
    let claimants: Vec<&Party> = board.iter().filter(|p| p.responsibility > 0).collect();
    if claimants.len() > 1 {
        out.push(Contradiction {
            kind: "competing_responsibility",
            claims: claimants.iter().flat_map(|p| ids(&p.claimed_in)).collect(),
            parties: claimants.iter().map(|p| p.name.clone()).collect(),
            detail: format!("{} parties are reported to have claimed it", claimants.len()),
        });
    }
    for c in &claimants {
        for p in board.iter().filter(|p| p.name != c.name && p.accusations > 0) {
            let mut claims = ids(&c.claimed_in);
            claims.extend(ids(&p.accused_by));
            out.push(Contradiction {
                kind: "accused_while_claimed",
                claims,
                parties: vec![c.name.clone(), p.name.clone()],
                detail: format!("{} is blamed while {} claimed it", p.name, c.name),
            });
        }
    }
    for p in board.iter().filter(|p| p.denials > 0 && (p.responsibility > 0 || p.accusations > 0)) {
        let mut claims = ids(&p.claimed_in);
        claims.extend(ids(&p.accused_by));
        claims.extend(ids(&p.denied_in));
        out.push(Contradiction {
            kind: "denied",
            claims,
            parties: vec![p.name.clone()],
            detail: format!(
                "{} is named responsible by {} report(s) and denied it in {}",
                p.name,
                p.responsibility + p.accusations,
                p.denials
            ),
        });
    }
    // Figures published within a day of each other that differ beyond the tolerance:
    // a count growing over days is the tally's evolution, not a contradiction.
    for category in ["killed", "injured"] {
        let list: Vec<&FigureOut> =
            figures.iter().filter(|f| f.category == category && f.qualifier == "exact").collect();
        let mut involved: BTreeSet<String> = BTreeSet::new();
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                let near = match (day_of(a), day_of(b)) {
                    (Some(x), Some(y)) => (x - y).abs() <= 1,
                    _ => false,
                };
                let (lo, hi) = (a.value.min(b.value), a.value.max(b.value));
                if near && hi - lo > FIGURE_TOLERANCE.1 && hi - lo > FIGURE_TOLERANCE.0 * hi {
                    involved.insert(a.id.clone());
                    involved.insert(b.id.clone());
                }
            }
        }
        if !involved.is_empty() {
            out.push(Contradiction {
                kind: "figures_disagree",
                claims: involved.into_iter().collect(),
                parties: Vec::new(),
                detail: format!(
                    "exact {category} figures published within a day of each other differ by more than {}% and {}",
                    FIGURE_TOLERANCE.0 * 100.0,
                    FIGURE_TOLERANCE.1
                ),
            });
        }
    }
    out
}

/// Whether `text` holds `number` as a whole number (not inside a longer one).
fn has_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit() || c == ',')
    })
}

/// 1234567 as "1,234,567".
fn thousands(value: f64) -> String {
    let digits = format!("{value}");
    if digits.contains('.') || digits.len() <= 3 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn day_of(f: &FigureOut) -> Option<i64> {
    f.published.as_deref().and_then(claimgraph_model::Date::parse_iso).map(|d| d.to_days())
}
