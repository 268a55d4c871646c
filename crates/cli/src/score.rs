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
    Scores { n_documents, rows: vec![sentences, entity_spans, entities, times, quantities], accuracies: acc, errors }
}
