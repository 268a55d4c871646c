//! Per-stage accuracy against hand annotations (the demo corpus's `annotations/`).
//!
//! Annotations name mentions by their text rather than offsets, so they are easy to
//! write and review: a stage is scored on the set of distinct (text, label) pairs per
//! document. Values (a time's date, a figure's qualifier and category, an entity's
//! canonical name) are scored as accuracy over the mentions both sides found.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use claimgraph_model::Analysis;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Deserialize)]
pub struct Annotation {
    #[serde(default)]
    pub sentences: Vec<String>,
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub times: Vec<GoldTime>,
    #[serde(default)]
    pub quantities: Vec<GoldQuantity>,
    #[serde(default)]
    pub incidents: Vec<GoldIncident>,
    #[serde(default)]
    pub claims: Vec<GoldClaim>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFigure {
    pub value: f64,
    pub qualifier: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldPerpetrator {
    pub name: String,
    pub status: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldIncident {
    pub label: Option<String>,
    pub kind: String,
    pub date: Option<String>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub killed: Option<GoldFigure>,
    pub injured: Option<GoldFigure>,
    #[serde(default)]
    pub perpetrators: Vec<GoldPerpetrator>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    pub kind: String,
    pub speaker: Option<String>,
    #[serde(default)]
    pub targets: Vec<String>,
    pub text_contains: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    pub text: String,
    pub kind: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldTime {
    pub text: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuantity {
    pub text: String,
    pub value: f64,
    pub upper: Option<f64>,
    pub qualifier: String,
    pub category: String,
}

/// Counts for precision and recall.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub name: String,
    pub n_gold: usize,
    pub n_pred: usize,
    pub n_match: usize,
}

impl Row {
    pub fn precision(&self) -> f64 {
        ratio(self.n_match, self.n_pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.n_match, self.n_gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub n_documents: usize,
    pub rows: Vec<Row>,
    /// name → (right, total)
    pub accuracies: BTreeMap<String, (usize, usize)>,
    /// Human-readable differences ("missed", "spurious", "wrong value"), per document.
    pub errors: Vec<String>,
}

impl Scores {
    pub fn to_json(&self) -> Value {
        json!({
            "documents": self.n_documents,
            "stages": self.rows.iter().map(|r| json!({
                "stage": r.name, "gold": r.n_gold, "found": r.n_pred, "matched": r.n_match,
                "precision": r.precision(), "recall": r.recall(), "f1": r.f1(),
            })).collect::<Vec<_>>(),
            "accuracy": self.accuracies.iter().map(|(k, (right, total))| json!({
                "what": k, "right": right, "total": total, "accuracy": ratio(*right, *total),
            })).collect::<Vec<_>>(),
        })
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn add_sets<T: Ord + Clone + std::fmt::Debug>(
    row: &mut Row,
    gold: &BTreeSet<T>,
    pred: &BTreeSet<T>,
    errors: &mut Vec<String>,
) {
    row.n_gold += gold.len();
    row.n_pred += pred.len();
    row.n_match += gold.intersection(pred).count();
    for g in gold.difference(pred) {
        errors.push(format!("  {}: missed {g:?}", row.name));
    }
    for p in pred.difference(gold) {
        errors.push(format!("  {}: spurious {p:?}", row.name));
    }
}

/// Scores every (analysis, annotation) pair.
pub fn score_all<'a>(docs: impl IntoIterator<Item = (&'a str, &'a Analysis, &'a Annotation)>) -> Scores {
    let mut sentences = Row { name: "sentences".into(), ..Row::default() };
    let mut entities = Row { name: "entities (text+kind)".into(), ..Row::default() };
    let mut entity_spans = Row { name: "entity mentions (text)".into(), ..Row::default() };
    let mut times = Row { name: "times (text)".into(), ..Row::default() };
    let mut quantities = Row { name: "quantities (text)".into(), ..Row::default() };
    let mut incidents = Row { name: "incidents (date+place)".into(), ..Row::default() };
    let mut perpetrators = Row { name: "perpetrators (name+status)".into(), ..Row::default() };
    let mut claims = Row { name: "claims (content)".into(), ..Row::default() };
    let mut targets = Row { name: "claim targets".into(), ..Row::default() };
    let mut acc: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut bump = |name: &str, right: bool| {
        let e = acc.entry(name.to_string()).or_default();
        e.0 += usize::from(right);
        e.1 += 1;
    };
    let mut n_documents = 0;
    let mut errors = Vec::new();
    for (name, a, gold) in docs {
        n_documents += 1;
        errors.push(format!("{name}:"));
        let errors = &mut errors;
        let text = a.document.text.as_str();
        // Sentences: exact text after folding whitespace.
        let gs: BTreeSet<String> = gold.sentences.iter().map(|s| norm(s)).collect();
        let ps: BTreeSet<String> = a.sentences.iter().map(|s| norm(s.span.of(text))).collect();
        add_sets(&mut sentences, &gs, &ps, errors);
        // Entities: distinct (surface, kind).
        let ge: BTreeSet<(String, String)> = gold.entities.iter().map(|e| (norm(&e.text), e.kind.clone())).collect();
        let mut pe = BTreeSet::new();
        let mut pred_name: HashMap<String, String> = HashMap::new();
        for e in &a.entities {
            for m in &e.mentions {
                let surface = norm(m.of(text));
                pred_name.insert(surface.clone(), e.name.clone());
                pe.insert((surface, e.kind.as_str().to_string()));
            }
        }
        add_sets(&mut entities, &ge, &pe, errors);
        let ge_text: BTreeSet<String> = ge.iter().map(|(t, _)| t.clone()).collect();
        let pe_text: BTreeSet<String> = pe.iter().map(|(t, _)| t.clone()).collect();
        add_sets(&mut entity_spans, &ge_text, &pe_text, &mut Vec::new());
        for g in &gold.entities {
            if let (Some(name), Some(pred)) = (&g.name, pred_name.get(&norm(&g.text))) {
                let right = norm(name) == norm(pred);
                if !right {
                    errors.push(format!("  entity name: {:?} is {name:?}, found as {pred:?}", g.text));
                }
                bump("entity canonical name (of mentions found)", right);
            }
        }
        // Times: detection by text, value on the matched ones.
        let gt: BTreeSet<String> = gold.times.iter().map(|t| norm(&t.text)).collect();
        let pt: BTreeMap<String, Option<String>> =
            a.times.iter().map(|t| (norm(t.span.of(text)), t.value.as_ref().map(ToString::to_string))).collect();
        add_sets(&mut times, &gt, &pt.keys().cloned().collect(), errors);
        for g in &gold.times {
            if let Some(v) = pt.get(&norm(&g.text)) {
                if *v != g.value {
                    errors.push(format!("  time value: {:?} is {:?}, found {v:?}", g.text, g.value));
                }
                bump("time value (of times found)", *v == g.value);
            }
        }
        score_incidents(a, gold, &mut incidents, &mut perpetrators, &mut bump, errors);
        score_claims(a, gold, &mut claims, &mut targets, &mut bump, errors);
        // Quantities: detection by text; value, qualifier and category on the matched.
        let gq: BTreeSet<String> = gold.quantities.iter().map(|q| norm(&q.text)).collect();
        let pq: BTreeMap<String, &claimgraph_model::Quantity> =
            a.quantities.iter().map(|q| (norm(q.span.of(text)), q)).collect();
        add_sets(&mut quantities, &gq, &pq.keys().cloned().collect(), errors);
        for g in &gold.quantities {
            if let Some(q) = pq.get(&norm(&g.text)) {
                bump("figure value (of figures found)", (q.value - g.value).abs() < 1e-9 && q.upper == g.upper);
                bump("figure qualifier (of figures found)", q.qualifier.as_str() == g.qualifier);
                bump("figure category (of figures found)", q.category.as_str() == g.category);
                if q.category.as_str() != g.category || q.qualifier.as_str() != g.qualifier {
                    errors.push(format!(
                        "  figure: {:?} is {} {}, found {} {}",
                        g.text,
                        g.category,
                        g.qualifier,
                        q.category.as_str(),
                        q.qualifier.as_str()
                    ));
                }
            }
        }
    }
    Scores {
        n_documents,
        rows: vec![sentences, entity_spans, entities, times, quantities, incidents, perpetrators, claims, targets],
        accuracies: acc,
        errors,
    }
}

/// Words of a name, for loose matching ("Islamic State group" ~ "Islamic State").
fn name_words(s: &str) -> BTreeSet<String> {
    const STOP: &[&str] = &["the", "of", "and", "a", "an", "group", "s", "mr", "president", "minister"];
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

fn names_match(a: &str, b: &str) -> bool {
    let (wa, wb) = (name_words(a), name_words(b));
    !wa.is_empty() && !wb.is_empty() && (wa.is_subset(&wb) || wb.is_subset(&wa))
}

/// A date at its precision matches a gold date when one is a prefix of the other
/// ("2024-01" and "2024-01-03").
fn dates_match(pred: Option<&str>, gold: Option<&str>) -> bool {
    match (pred, gold) {
        (Some(p), Some(g)) => p.starts_with(g) || g.starts_with(p),
        (None, None) => true,
        _ => false,
    }
}

/// Incidents: a gold incident is found by a predicted one in the same place (same name,
/// or a place in the same country) whose date matches at its precision or is unknown;
/// then date, kind, figures and perpetrators are compared on the pairs.
fn score_incidents(
    a: &Analysis,
    gold: &Annotation,
    row: &mut Row,
    perps: &mut Row,
    bump: &mut impl FnMut(&str, bool),
    errors: &mut Vec<String>,
) {
    row.n_gold += gold.incidents.len();
    row.n_pred += a.incidents.len();
    let mut used = vec![false; a.incidents.len()];
    for g in &gold.incidents {
        let found = a.incidents.iter().enumerate().find(|(k, p)| {
            let date = p.date.as_ref().map(ToString::to_string);
            let place_ok = match (&p.place, &g.place) {
                (Some(pp), Some(gp)) => {
                    names_match(&pp.name, gp) || pp.country.is_some() && pp.country.as_deref() == g.country.as_deref()
                }
                (None, None) => true,
                _ => false,
            };
            !used[*k] && (date.is_none() || dates_match(date.as_deref(), g.date.as_deref())) && place_ok
        });
        let Some((k, p)) = found else {
            errors.push(format!("  incidents: missed {:?} ({} {:?} {:?})", g.label, g.kind, g.date, g.place));
            continue;
        };
        used[k] = true;
        row.n_match += 1;
        bump("incident kind (of incidents found)", p.kind.as_str() == g.kind);
        let date = p.date.as_ref().map(ToString::to_string);
        bump("incident date (of incidents found)", dates_match(date.as_deref(), g.date.as_deref()));
        let fig = |f: &Option<claimgraph_model::Figure>, gf: &Option<GoldFigure>| match (f, gf) {
            (Some(f), Some(g)) => (f.value - g.value).abs() < 1e-9 && f.qualifier.as_str() == g.qualifier,
            (None, None) => true,
            _ => false,
        };
        let killed_ok = fig(&p.killed, &g.killed);
        if !killed_ok {
            errors.push(format!(
                "  incident {:?}: killed {:?}, found {:?}",
                g.label,
                g.killed.as_ref().map(|f| f.value),
                p.killed.as_ref().map(|f| f.value)
            ));
        }
        bump("incident killed figure (of incidents found)", killed_ok);
        bump("incident injured figure (of incidents found)", fig(&p.injured, &g.injured));
        perps.n_gold += g.perpetrators.len();
        perps.n_pred += p.perpetrators.len();
        for gp in &g.perpetrators {
            if p.perpetrators.iter().any(|pp| pp.status.as_str() == gp.status && names_match(&pp.name, &gp.name)) {
                perps.n_match += 1;
            } else {
                errors.push(format!("  incident {:?}: missed perpetrator {} ({})", g.label, gp.name, gp.status));
            }
        }
    }
    for (k, p) in a.incidents.iter().enumerate() {
        if !used[k] {
            errors.push(format!("  incidents: spurious {:?} ({})", p.label, p.kind.as_str()));
        }
    }
}

/// Claims: a gold claim is found by a predicted claim whose text holds the gold's
/// distinctive substring; then kind, speaker and targets are compared.
fn score_claims(
    a: &Analysis,
    gold: &Annotation,
    row: &mut Row,
    targets: &mut Row,
    bump: &mut impl FnMut(&str, bool),
    errors: &mut Vec<String>,
) {
    let text = a.document.text.as_str();
    row.n_gold += gold.claims.len();
    row.n_pred += a.claims.len();
    let mut used = vec![false; a.claims.len()];
    for g in &gold.claims {
        let needle = norm(&g.text_contains);
        let found = a
            .claims
            .iter()
            .enumerate()
            .filter(|(k, _)| !used[*k])
            .find(|(_, c)| norm(c.span.of(text)).contains(&needle));
        let Some((k, c)) = found else {
            errors.push(format!("  claims: missed {} by {:?}: {:?}", g.kind, g.speaker, g.text_contains));
            continue;
        };
        used[k] = true;
        row.n_match += 1;
        let kind_ok = c.kind.as_str() == g.kind;
        if !kind_ok {
            errors.push(format!("  claim kind: {:?} is {}, found {}", g.text_contains, g.kind, c.kind.as_str()));
        }
        bump("claim kind (of claims found)", kind_ok);
        let speaker_ok = match (&c.speaker.name, &g.speaker) {
            (Some(p), Some(gs)) => !name_words(p).is_disjoint(&name_words(gs)),
            (None, None) => true,
            _ => false,
        };
        bump("claim speaker (of claims found)", speaker_ok);
        targets.n_gold += g.targets.len();
        targets.n_pred += c.targets.len();
        targets.n_match += g
            .targets
            .iter()
            .filter(|gt| c.targets.iter().any(|t| t.name.as_deref().is_some_and(|n| names_match(n, gt))))
            .count();
    }
}
