//! `claimgraph search`: full-text search over stored documents and claims.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use claimgraph_model::Date;
use claimgraph_store::{HitKind, SearchQuery, SqliteStore, Store, StoreError};

use crate::ingest::StoreArgs;
use crate::Outcome;

/// Search stored documents and claims.
///
/// The query language: words (all must match), "exact phrases", prefix* matches, and
/// AND, OR, NOT (in capitals) with parentheses. Hits are ranked (BM25), each with a
/// snippet around the match and the document it came from. A query has at most 1000
/// characters, 32 terms, 4 prefix terms of at least 3 characters each, and 10 levels
/// of parentheses.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph search kerman bombing
  claimgraph search 'bomb (kabul OR herat)'
  claimgraph search '\"islamic state\" AND claim*' --since 2024-01-01
  claimgraph search '(israel OR iran) NOT drone' --kind denial --json")]
pub struct Args {
    /// The query (several words are joined with spaces).
    #[arg(value_name = "QUERY", required = true)]
    query: Vec<String>,

    /// Only documents published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    since: Option<String>,

    /// Only documents published on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    until: Option<String>,

    /// Only documents from this source (outlet), ignoring case.
    #[arg(long, value_name = "S")]
    source: Option<String>,

    /// Only claims of this kind.
    #[arg(long, value_name = "K", value_parser = ["responsibility", "accusation", "denial", "warning", "figure", "statement"])]
    kind: Option<String>,

    /// Most hits to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,

    /// One JSON object per hit, one per line.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    store: StoreArgs,
}

fn date(s: &str) -> Result<String, String> {
    Date::parse_iso(s)
        .filter(|_| s.len() == 10)
        .map(|d| d.to_string())
        .ok_or_else(|| format!("'{s}' is not a date like 2024-01-04"))
}

pub fn run(args: Args) -> Result<Outcome> {
    let config = args.store.load()?;
    if !config.store_path.exists() {
        anyhow::bail!("no database at {} (ingest something first, or pass --db)", config.store_path.display());
    }
    let store =
        SqliteStore::open(&config.store_path).with_context(|| format!("opening {}", config.store_path.display()))?;
    let query = SearchQuery {
        query: args.query.join(" "),
        since: args.since,
        until: args.until,
        source: args.source,
        claim_kind: args.kind,
        limit: args.limit,
    };
    let hits = match store.search(&query) {
        Ok(h) => h,
        Err(StoreError::Query(e)) => anyhow::bail!("malformed query: {e}"),
        Err(e) => return Err(e.into()),
    };
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = stdout.lock();
    if args.json {
        for h in &hits {
            let json = serde_json::json!({
                "kind": match h.kind { HitKind::Document => "document", HitKind::Claim => "claim" },
                "document": h.doc,
                "title": h.title,
                "url": h.url,
                "source": h.source,
                "published": h.published,
                "claim": h.claim.as_ref().map(|(id, kind, speaker)| serde_json::json!({"id": id, "kind": kind, "speaker": speaker})),
                "snippet": h.snippet,
                "rank": h.rank,
            });
            writeln!(out, "{json}")?;
        }
        return Ok(Outcome::AllOk);
    }
    if hits.is_empty() {
        writeln!(out, "no matches")?;
    }
    for (n, h) in hits.iter().enumerate() {
        let what = match &h.claim {
            Some((_, kind, speaker)) => {
                format!("{kind} claim by {}", speaker.as_deref().unwrap_or("an unnamed source"))
            }
            None => "document".to_string(),
        };
        writeln!(
            out,
            "{}. {} — {} · {} · {}",
            n + 1,
            h.title.as_deref().unwrap_or("(untitled)"),
            what,
            h.source.as_deref().unwrap_or("unknown source"),
            h.published.as_deref().unwrap_or("undated")
        )?;
        let snippet = h.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        let snippet = if color { snippet.replace('[', "\x1b[1m").replace(']', "\x1b[0m") } else { snippet };
        writeln!(out, "   {snippet}")?;
        writeln!(out, "   doc {}{}", h.doc, h.url.as_deref().map(|u| format!("  {u}")).unwrap_or_default())?;
    }
    Ok(Outcome::AllOk)
}
