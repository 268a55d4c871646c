//! `claimgraph export` and `claimgraph import`: incidents out to other tools' formats,
//! curated datasets in.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use claimgraph_exchange::import::Dataset;
use claimgraph_exchange::{export, Format, Selection};
use claimgraph_extract::Resources;
use claimgraph_resolve::Canon;
use claimgraph_store::{IncidentFilter, SqliteStore};

use crate::ingest::StoreArgs;
use crate::Outcome;

/// Export incidents for other tools: STIX 2.1, ACLED- or GTD-shaped CSV, GeoJSON, JSON Lines.
///
/// Streams one incident at a time, so memory stays flat on a large store. The same store
/// exports the same ids every time. docs/EXPORTS.md documents every format, column by
/// column, and how figures are reconciled (the most conservative figure, as ACLED does;
/// unknown stays empty, never 0).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph export --format stix --output bundle.json
  claimgraph export --format csv-acled --since 2024-01-01 > events.csv
  claimgraph export --format geojson --until 2015-12-31 --output incidents.geojson
  claimgraph export --format jsonl --incident inc-3f2a9c1e5b7d8a60-0")]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, value_parser = Format::NAMES)]
    format: String,
    /// Only incidents on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::incidents::day)]
    since: Option<i64>,
    /// Only incidents on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::incidents::day)]
    until: Option<i64>,
    /// Only this incident.
    #[arg(long, value_name = "ID", conflicts_with_all = ["since", "until"])]
    incident: Option<String>,
    /// Write here instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_export(args: ExportArgs) -> Result<Outcome> {
    let (store, config, resources) = crate::incidents::open(&args.store)?;
    // One pass over the store: a small page cache keeps memory flat however large it is.
    store.set_cache_mb(16)?;
    let canon = Canon::new(&resources);
    let grades = crate::incidents::grades(&config);
    let format = Format::parse(&args.format).context("unknown format")?;
    let selection = Selection {
        filter: IncidentFilter { since_day: args.since, until_day: args.until, ..IncidentFilter::default() },
        incident: args.incident.clone(),
    };
    let n = match &args.output {
        Some(path) => {
            // Write beside the target and rename: a failed export leaves no half file.
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut out = BufWriter::new(file);
            let n = export(&store, &canon, &grades, &selection, format, &mut out);
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    drop(out);
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            };
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let n = export(&store, &canon, &grades, &selection, format, &mut out)?;
            out.flush()?;
            n
        }
    };
    eprintln!(
        "exported {n} incident{} as {}{}",
        if n == 1 { "" } else { "s" },
        args.format,
        args.output.as_ref().map(|p| format!(" to {}", p.display())).unwrap_or_default()
    );
    Ok(Outcome::AllOk)
}

/// Import curated records (ACLED- or GTD-shaped CSV) as reference incidents.
///
/// Each row becomes a reference incident, marked as such: its record lists it under
/// `references`, and its document's URL is `reference:acled/<event id>` or
/// `reference:gtd/<event id>`. News reports are then merged with it like with any other
/// report. Malformed rows are reported with their line number and skipped; the rest are
/// imported. Importing the same file again adds nothing.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph import --format csv-acled acled_2024.csv
  claimgraph export --format csv-gtd > gtd.csv && claimgraph import --db other.db --format csv-gtd gtd.csv

Exit status: 0 when every row was imported, 2 when some were skipped.")]
pub struct ImportArgs {
    /// The file's shape.
    #[arg(long, value_parser = ["csv-acled", "csv-gtd"])]
    format: String,
    /// The CSV file (with a header row).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_import(args: ImportArgs) -> Result<Outcome> {
    let config = args.store.load()?;
    let dataset = if args.format == "csv-acled" { Dataset::Acled } else { Dataset::Gtd };
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut store =
        SqliteStore::open(&config.store_path).with_context(|| format!("opening {}", config.store_path.display()))?;
    let resources = Resources::embedded();
    let canon = Canon::new(&resources);
    let summary = claimgraph_exchange::import::import(&mut store, &canon, dataset, std::io::BufReader::new(file))
        .with_context(|| format!("importing {}", args.file.display()))?;
    let start = std::time::Instant::now();
    let resolved = claimgraph_resolve::update(&mut store, &canon, false)?;
    eprintln!(
        "imported {} reference incident{} from {} ({} already there, {} skipped)",
        summary.imported,
        if summary.imported == 1 { "" } else { "s" },
        args.file.display(),
        summary.duplicates,
        summary.skipped.len()
    );
    for (line, reason) in &summary.skipped {
        eprintln!("  skipped line {line}: {reason}");
    }
    eprintln!("{}", crate::incidents::resolve_line(&resolved, start.elapsed().as_secs_f64()));
    if summary.imported == 0 && summary.duplicates == 0 && !summary.skipped.is_empty() {
        bail!("no row of {} could be imported", args.file.display());
    }
    Ok(if summary.skipped.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}
