//! `claimgraph extract`: analyse files and print the analysis.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use claimgraph_extract::{render, schema, Extractor, InputError, Meta, Options, MAX_INPUT_BYTES};
use claimgraph_model::Date;

use crate::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The analysis as JSON (analysis.schema.json, version 1).
    Json,
    /// The text with its annotations inline, for a person to read.
    Text,
}

/// Extract entities, dates, figures, incidents and claims from news documents.
///
/// Each FILE is UTF-8 text or an HTML page (told apart by its content); `-` reads
/// standard input. For HTML the main article is kept and navigation, scripts, ads and
/// boilerplate are dropped; the title and publication date are taken from the page's
/// metadata when the flags do not give them.
///
/// A file that cannot be read or holds no document (empty, binary, too large, a page
/// without text, a page whose markup nests too deep), or whose analysis takes longer
/// than --max-seconds, gets a one-line error on standard error; the other files are
/// still processed and the exit status is 2.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph extract --published 2024-01-04 kerman.txt
  claimgraph extract --format text page.html
  claimgraph extract --jsonl articles/*.txt > analyses.jsonl
  cat story.txt | claimgraph extract --title 'Blast in Kerman' -")]
pub struct Args {
    /// Files to read; `-` is standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Publication date (YYYY-MM-DD) that "yesterday" or "on Sunday" are resolved
    /// against. Without it (and without one in the page's metadata) such dates are null.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    published: Option<Date>,

    /// Title of the document (overrides the HTML title).
    #[arg(long, value_name = "T")]
    title: Option<String>,

    /// URL the document came from, recorded in the output.
    #[arg(long, value_name = "U")]
    url: Option<String>,

    /// Publisher or outlet, recorded in the output.
    #[arg(long, value_name = "S")]
    source: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,

    /// One compact JSON object per line (implies --format json).
    #[arg(long)]
    jsonl: bool,

    /// Treat every input as HTML (default: tell from the content).
    #[arg(long, conflicts_with = "plain")]
    html: bool,

    /// Treat every input as plain text, even if it looks like HTML.
    #[arg(long)]
    plain: bool,

    /// Largest document analysed, in bytes; larger ones are reported and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = Options::default().max_bytes)]
    max_bytes: u64,

    /// Time budget for one document, in seconds; a document that takes longer is
    /// reported as too slow and skipped.
    #[arg(long, value_name = "SECS", default_value_t = Options::default().max_seconds)]
    max_seconds: f64,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s)
        .filter(|_| s.len() == 10)
        .ok_or_else(|| format!("'{s}' is not a date in the form YYYY-MM-DD (e.g. 2024-01-04)"))
}

pub fn run(args: Args) -> Result<Outcome> {
    let extractor = Extractor::with_options(Options { max_bytes: args.max_bytes, max_seconds: args.max_seconds });
    let meta = Meta {
        title: args.title.clone(),
        url: args.url.clone(),
        source: args.source.clone(),
        published: args.published,
        html: if args.html {
            Some(true)
        } else if args.plain {
            Some(false)
        } else {
            None
        },
        charset: None,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut n_failed = 0;
    for path in &args.files {
        let analysis = read_input(path).and_then(|bytes| extractor.extract(&bytes, &meta).map_err(describe));
        let analysis = match analysis {
            Ok(a) => a,
            Err(message) => {
                out.flush()?;
                eprintln!("claimgraph: {}: {message}", path.display());
                n_failed += 1;
                continue;
            }
        };
        if args.jsonl {
            schema::write_json(&analysis, &mut out, false)?;
            out.write_all(b"\n")?;
        } else if args.format == Format::Text {
            if args.files.len() > 1 {
                writeln!(out, "==> {} <==", path.display())?;
            }
            out.write_all(render::report(&analysis).as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            schema::write_json(&analysis, &mut out, true)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush().context("writing the output")?;
    Ok(if n_failed > 0 { Outcome::SomeFailed } else { Outcome::AllOk })
}

fn describe(err: InputError) -> String {
    match err {
        InputError::Empty => "empty file: nothing to analyse".to_string(),
        InputError::Binary => "binary file, not text or HTML: skipped".to_string(),
        InputError::NoHtmlText => "HTML page has no readable text (no body or only markup)".to_string(),
        InputError::TooLarge { size, max } => {
            format!("{size} bytes is more than the {max}-byte limit for one document (see --max-bytes)")
        }
        InputError::TooSlow { millis } => format!(
            "analysis took longer than {} s, the budget for one document: skipped (see --max-seconds)",
            millis as f64 / 1000.0
        ),
        other => other.to_string(),
    }
}

/// Reads a file or standard input, refusing directories and oversized files before
/// reading them.
fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(format!("standard input is larger than the {MAX_INPUT_BYTES}-byte limit for one document"));
        }
        return Ok(bytes);
    }
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    })?;
    if meta.is_dir() {
        return Err("is a directory: name the files in it (e.g. DIR/*.txt)".to_string());
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "file is {} MB, more than the {} MB limit for one document",
            meta.len() / (1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}
