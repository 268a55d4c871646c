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

mod output;

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
  claimgraph export --format jsonl --incident inc-3f2a9c1e5b7d8a60-0

--output and what is there already:
  nothing, or a file      written to a temporary file beside it, renamed over it when
                          complete (a failed export changes nothing); the file's
                          permissions are kept
  a file with hard links  written to a temporary file, then copied into the file, so
                          every link sees the export
  a symbolic link         the file it points at is written as above; the link stays
                          (a link to nothing is refused)
  a FIFO or a device      written straight into (no temporary file)
  a directory             refused")]
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
    /// Write here instead of standard output (see below for what an existing FILE gets).
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
        Some(path) => output::write_to(path, |out| Ok(export(&store, &canon, &grades, &selection, format, out)?))?,
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

/// Import curated records (ACLED- or GTD-shaped CSV) as reference incidents, or remove them.
///
/// Each row becomes a reference incident, marked as such: its record lists it under
/// `references`, and its document's URL is `reference:acled/<event id>` or
/// `reference:gtd/<event id>`. News reports are then merged with it like with any other
/// report. A file whose header is not of the format's shape is refused whole. Malformed
/// rows (a wrong field count, a quote left open, a bad date, a figure that is not a whole
/// number up to 10,000,000) are reported with their line number and skipped; the rest are
/// imported. Importing the same file again adds nothing.
///
/// `--remove` takes an import back: the rows of FILE (the same bytes as imported) are
/// deleted from the store with their reference documents, and the store is resolved
/// again so that no incident links to them. `--remove-all` removes every reference
/// incident of the format.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph import --format csv-acled acled_2024.csv
  claimgraph export --format csv-gtd > gtd.csv && claimgraph import --db other.db --format csv-gtd gtd.csv
  claimgraph import --format csv-acled --remove acled_2024.csv
  claimgraph import --format csv-gtd --remove-all

Exit status: 0 when every row was imported (or removed), 2 when some were skipped.")]
pub struct ImportArgs {
    /// The file's shape.
    #[arg(long, value_parser = ["csv-acled", "csv-gtd"])]
    format: String,
    /// The CSV file (with a header row).
    #[arg(value_name = "FILE", required_unless_present = "remove_all")]
    file: Option<PathBuf>,
    /// Remove the reference incidents FILE's rows were imported as, instead of importing.
    #[arg(long)]
    remove: bool,
    /// Remove every reference incident imported in this format (no FILE).
    #[arg(long, conflicts_with_all = ["file", "remove"])]
    remove_all: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_import(args: ImportArgs) -> Result<Outcome> {
    let config = args.store.load()?;
    let dataset = if args.format == "csv-acled" { Dataset::Acled } else { Dataset::Gtd };
    // The file first: a mistyped name must not create a store.
    let input = match args.file.as_ref().filter(|_| !args.remove_all) {
        Some(path) => Some((
            path,
            std::io::BufReader::new(
                std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            ),
        )),
        None => None,
    };
    let mut store =
        SqliteStore::open(&config.store_path).with_context(|| format!("opening {}", config.store_path.display()))?;
    let resources = Resources::embedded();
    let canon = Canon::new(&resources);
    let Some((path, input)) = input else {
        let summary = claimgraph_exchange::import::remove_all(&mut store, dataset)?;
        return removed(&mut store, &canon, &summary, &format!("every {} import", dataset.name()));
    };
    if args.remove {
        let summary = claimgraph_exchange::import::remove(&mut store, dataset, input)
            .with_context(|| format!("removing the import of {}", path.display()))?;
        return removed(&mut store, &canon, &summary, &path.display().to_string());
    }
    let summary = claimgraph_exchange::import::import(&mut store, &canon, dataset, input)
        .with_context(|| format!("importing {}", path.display()))?;
    let start = std::time::Instant::now();
    let resolved = claimgraph_resolve::update(&mut store, &canon, false)?;
    eprintln!(
        "imported {} reference incident{} from {} ({} already there, {} skipped)",
        summary.imported,
        if summary.imported == 1 { "" } else { "s" },
        path.display(),
        summary.duplicates,
        summary.skipped.len()
    );
    for (line, reason) in &summary.skipped {
        eprintln!("  skipped line {line}: {reason}");
    }
    eprintln!("{}", crate::incidents::resolve_line(&resolved, start.elapsed().as_secs_f64()));
    if summary.imported == 0 && summary.duplicates == 0 && !summary.skipped.is_empty() {
        bail!("no row of {} could be imported", path.display());
    }
    Ok(if summary.skipped.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}

/// Reports a removal and resolves the store again, so that no incident links to what
/// was removed.
fn removed(
    store: &mut SqliteStore,
    canon: &Canon,
    summary: &claimgraph_exchange::import::RemoveSummary,
    what: &str,
) -> Result<Outcome> {
    let start = std::time::Instant::now();
    let resolved = claimgraph_resolve::update(store, canon, false)?;
    eprintln!(
        "removed {} reference incident{} of {what} ({} row{} not in the store, {} skipped)",
        summary.removed,
        if summary.removed == 1 { "" } else { "s" },
        summary.not_found,
        if summary.not_found == 1 { "" } else { "s" },
        summary.skipped.len()
    );
    for (line, reason) in &summary.skipped {
        eprintln!("  skipped line {line}: {reason}");
    }
    eprintln!("{}", crate::incidents::resolve_line(&resolved, start.elapsed().as_secs_f64()));
    Ok(if summary.skipped.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}
