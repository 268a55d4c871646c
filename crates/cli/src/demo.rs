//! `claimgraph demo`: the pipeline on the bundled demo corpus, with a readable report
//! and per-stage accuracy against the corpus's hand annotations.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{bail, Context, Result};
use claimgraph_extract::{render, Extractor, Meta};
use claimgraph_model::{Analysis, Date, EntityKind};
use serde::Deserialize;

use crate::score::{self, Annotation, Scores};
use crate::Outcome;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Run the pipeline on the bundled demo corpus and score it.
///
/// The corpus is 18+ short articles about five incidents (Kerman 2024, Paris 2015,
/// Mumbai 2008, MH17 2014, Nord Stream 2022), written for claimgraph from public facts,
/// as text and HTML, each with hand annotations. The report lists, per article, what
/// was found; the table at the end scores each stage against the annotations.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph demo              # summary per article, then the accuracy table
  claimgraph demo --inline     # also show each text with its annotations inline
  claimgraph demo --score-only # just the accuracy table")]
pub struct Args {
    /// Show each article's text with its annotations inline.
    #[arg(long)]
    inline: bool,

    /// Print only the accuracy table.
    #[arg(long, conflicts_with = "inline")]
    score_only: bool,

    /// Print the accuracy figures as JSON instead of a table.
    #[arg(long)]
    json: bool,

    /// After the table, list every difference from the annotations (missed, spurious,
    /// wrong value), article by article.
    #[arg(long)]
    errors: bool,

    /// Also keep the analysed corpus, with its incidents across documents, in this
    /// database (then try `claimgraph incidents --db PATH`).
    #[arg(long, value_name = "PATH")]
    db: Option<std::path::PathBuf>,
}

/// One article of the demo manifest (`demo/corpus.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestEntry {
    pub file: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Which incident the article reports (scores incidents across documents).
    pub incident: Option<String>,
}

/// A demo article with its analysis and annotation.
#[derive(Debug)]
pub struct DemoResult {
    pub entry: ManifestEntry,
    pub analysis: Analysis,
    pub annotation: Option<Annotation>,
}

/// The contents of an embedded demo file (path under `demo/`).
pub fn demo_file(path: &str) -> Option<&'static str> {
    DEMO_FILES.iter().find(|(p, _)| *p == path).map(|&(_, c)| c)
}

/// The articles of the embedded corpus (`demo/corpus.json`).
pub fn manifest() -> Result<Vec<ManifestEntry>> {
    let manifest = demo_file("corpus.json").context("the demo corpus manifest (demo/corpus.json) is not embedded")?;
    let entries: Vec<ManifestEntry> =
        serde_json::from_str(manifest).context("demo/corpus.json is not a valid manifest")?;
    if entries.is_empty() {
        bail!("the demo corpus is empty");
    }
    Ok(entries)
}

/// Runs the extractor over the embedded corpus.
pub fn run_corpus(extractor: &Extractor) -> Result<Vec<DemoResult>> {
    let mut results = Vec::new();
    for entry in manifest()? {
        let content =
            demo_file(&entry.file).with_context(|| format!("demo file {} is listed but not embedded", entry.file))?;
        let meta = Meta {
            title: entry.title.clone(),
            url: entry.url.clone(),
            source: entry.source.clone(),
            published: entry.published.as_deref().and_then(Date::parse_iso),
            html: None,
            charset: None,
        };
        let analysis = extractor
            .extract(content.as_bytes(), &meta)
            .map_err(|e| anyhow::anyhow!("demo file {}: {e}", entry.file))?;
        let stem = entry.file.rsplit('/').next().unwrap_or(&entry.file);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let annotation = match demo_file(&format!("annotations/{stem}.json")) {
            Some(json) => {
                Some(serde_json::from_str(json).with_context(|| format!("annotations/{stem}.json is malformed"))?)
            }
            None => None,
        };
        results.push(DemoResult { entry, analysis, annotation });
    }
    Ok(results)
}

pub fn run(args: Args) -> Result<Outcome> {
    let extractor = Extractor::new();
    let results = run_corpus(&extractor)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if !args.score_only && !args.json {
        for r in &results {
            write_summary(&mut out, r, args.inline)?;
        }
    }
    let scores = score::score_all(
        results.iter().filter_map(|r| r.annotation.as_ref().map(|a| (r.entry.file.as_str(), &r.analysis, a))),
    );
    let (records, bcubed) = across_documents(&results, args.db.as_deref())?;
    if args.json {
        let mut json = scores.to_json();
        json["incidents_across_documents"] =
            serde_json::json!({"bcubed_precision": bcubed.0, "bcubed_recall": bcubed.1, "bcubed_f1": bcubed.2});
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        write_scores(&mut out, &scores, results.len())?;
        let many: Vec<_> = records.iter().filter(|r| r.documents.len() > 1).collect();
        writeln!(
            out,
            "\nIncidents across documents: {} incidents, {} reported by more than one article \
             (B-cubed against the manifest: P {:.3} R {:.3} F1 {:.3})",
            records.len(),
            many.len(),
            bcubed.0,
            bcubed.1,
            bcubed.2
        )?;
        for r in many {
            writeln!(out, "  {}", crate::incidents::list_line(r))?;
        }
        if let Some(db) = &args.db {
            writeln!(out, "Stored in {}: try `claimgraph incidents --db {0}`", db.display())?;
        }
    }
    if args.errors {
        writeln!(out, "\nDifferences from the annotations:")?;
        for line in &scores.errors {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(Outcome::AllOk)
}

/// Stores the analysed corpus (in `db`, or in memory), resolves its incidents across
/// documents, and scores the grouping of articles against the manifest's `incident`
/// field: B-cubed precision, recall and F1 over articles, each counted in the largest
/// incident it reports (as `score_ecbplus.py` does).
fn across_documents(
    results: &[DemoResult],
    db: Option<&std::path::Path>,
) -> Result<(Vec<claimgraph_resolve::record::Record>, (f64, f64, f64))> {
    use claimgraph_store::{IncidentFilter, NewDocument, SqliteStore, Store};
    let mut store = match db {
        Some(p) => SqliteStore::open(p).with_context(|| format!("opening {}", p.display()))?,
        None => SqliteStore::open_in_memory()?,
    };
    let docs: Vec<NewDocument> = results
        .iter()
        .map(|r| {
            let raw = format!("demo:{}", r.analysis.document.id);
            NewDocument::new(r.analysis.clone(), raw, Some(format!("demo/{}", r.entry.file)))
        })
        .collect();
    store.write_batch(&docs)?;
    let resources = claimgraph_extract::Resources::embedded();
    let canon = claimgraph_resolve::Canon::new(&resources);
    claimgraph_resolve::update(&mut store, &canon, false)?;
    let grades = claimgraph_resolve::Grades::default();
    let mut records = Vec::new();
    for s in store.incidents(&IncidentFilter::default())? {
        records.push(crate::incidents::record(&store, &s.id, &canon, &grades)?);
    }
    // Each article in the largest incident that holds it.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(records[i].documents.len()));
    let mut assigned: BTreeMap<&str, usize> = BTreeMap::new();
    for i in order {
        for d in &records[i].documents {
            assigned.entry(d.id.as_str()).or_insert(i);
        }
    }
    let gold: Vec<(&str, &str, Option<usize>)> = results
        .iter()
        .filter_map(|r| {
            let id = r.analysis.document.id.as_str();
            r.entry.incident.as_deref().map(|g| (id, g, assigned.get(id).copied()))
        })
        .collect();
    let same_pred = |a: &(&str, &str, Option<usize>), b: &(&str, &str, Option<usize>)| match (a.2, b.2) {
        (Some(x), Some(y)) => x == y,
        _ => a.0 == b.0,
    };
    let (mut p, mut r) = (0.0, 0.0);
    for a in &gold {
        let pred: Vec<_> = gold.iter().filter(|b| same_pred(a, b)).collect();
        let truth = gold.iter().filter(|b| b.1 == a.1).count();
        let both = pred.iter().filter(|b| b.1 == a.1).count();
        p += both as f64 / pred.len() as f64;
        r += both as f64 / truth as f64;
    }
    let n = gold.len().max(1) as f64;
    let (p, r) = (p / n, r / n);
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    Ok((records, (p, r, f)))
}

fn write_summary(out: &mut impl Write, r: &DemoResult, inline: bool) -> Result<()> {
    let a = &r.analysis;
    let d = &a.document;
    let text = d.text.as_str();
    writeln!(out, "━━ {} ━━", r.entry.file)?;
    writeln!(
        out,
        "{} · {} · {}",
        d.title.as_deref().unwrap_or("(no title)"),
        d.source.as_deref().unwrap_or("unknown source"),
        d.published.map_or_else(|| "date unknown".to_string(), |p| p.to_string())
    )?;
    let mut by_kind: BTreeMap<EntityKind, Vec<String>> = BTreeMap::new();
    for e in &a.entities {
        let mut label = e.name.clone();
        if !e.aliases.is_empty() {
            label.push_str(&format!(" (= {})", e.aliases.join(", ")));
        }
        by_kind.entry(e.kind).or_default().push(label);
    }
    for (kind, names) in by_kind {
        writeln!(out, "  {:<13} {}", kind.as_str(), names.join("; "))?;
    }
    let times: Vec<String> = a
        .times
        .iter()
        .map(|t| {
            format!(
                "\"{}\" → {}",
                t.span.of(text),
                t.value.as_ref().map_or_else(|| "unknown".to_string(), ToString::to_string)
            )
        })
        .collect();
    if !times.is_empty() {
        writeln!(out, "  {:<13} {}", "times", times.join("; "))?;
    }
    let figures: Vec<String> = a
        .quantities
        .iter()
        .map(|q| format!("\"{}\" {} ({})", q.span.of(text), q.category.as_str(), q.qualifier.as_str()))
        .collect();
    if !figures.is_empty() {
        writeln!(out, "  {:<13} {}", "figures", figures.join("; "))?;
    }
    for diag in &a.diagnostics {
        writeln!(out, "  note          {}", diag.message)?;
    }
    let incidents_and_claims = render::incidents_and_claims(a);
    for line in incidents_and_claims.lines().filter(|l| !l.is_empty()) {
        writeln!(out, "  {line}")?;
    }
    if inline {
        writeln!(out, "\n{}", render::inline(a))?;
    }
    writeln!(out)?;
    Ok(())
}

fn write_scores(out: &mut impl Write, scores: &Scores, n_docs: usize) -> Result<()> {
    writeln!(out, "Accuracy against the hand annotations ({} of {n_docs} articles annotated)", scores.n_documents)?;
    writeln!(out, "  {:<28} {:>6} {:>6} {:>9} {:>7} {:>7}", "stage", "gold", "found", "precision", "recall", "F1")?;
    for row in &scores.rows {
        writeln!(
            out,
            "  {:<28} {:>6} {:>6} {:>9.3} {:>7.3} {:>7.3}",
            row.name,
            row.n_gold,
            row.n_pred,
            row.precision(),
            row.recall(),
            row.f1()
        )?;
    }
    for (name, (right, total)) in &scores.accuracies {
        let acc = if *total == 0 { 0.0 } else { *right as f64 / *total as f64 };
        writeln!(out, "  {name:<50} {right:>4}/{total:<4} {acc:.3}")?;
    }
    Ok(())
}
