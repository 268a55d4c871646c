//! `claimgraph ingest` and `claimgraph watch`: news into the store.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use claimgraph_ingest::{ingest, Config, Fetcher, Options, Progress, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Outcome;

/// Settings shared by the commands that use the store.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The database file (default: store.path in claimgraph.toml, else claimgraph.db).
    #[arg(long, value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,

    /// The settings file (default: ./claimgraph.toml if it exists).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
}

impl StoreArgs {
    pub fn load(&self) -> Result<Config> {
        let mut config = Config::load(self.config.as_deref())?;
        if let Some(db) = &self.db {
            config.store_path = db.clone();
        }
        Ok(config)
    }
}

/// Analyse news and store it: files, folders, JSON Lines, RSS/Atom feeds, URLs.
///
/// Each INPUT is a file (text or HTML), a folder (read recursively), a JSON Lines file
/// (`.jsonl`, one record per line: {"text" or "html", "url", "title", "published",
/// "source"}), an RSS or Atom feed (file or URL: its items are stored, fetching their
/// pages when the feed carries only summaries), or the URL of an article.
///
/// Ingesting the same content again adds nothing; the same URL with changed text is
/// stored as a new version linked to the earlier one. A killed run leaves only whole
/// documents; running it again completes the rest.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph ingest articles/                       # every file under articles/
  claimgraph ingest --db news.db feed.xml dump.jsonl
  claimgraph ingest https://news.example/rss.xml
  claimgraph ingest --json corpus/ | jq .failed     # summary for scripts
  claimgraph ingest --failed                        # what failed and was not read since

Exit status: 0 when every input was stored, 2 when some failed (listed in the summary),
1 when the store failed (for instance another process held its write lock for over 10 s):
the run stops at once, keeping the documents written before.")]
pub struct Args {
    /// Files, folders, feeds or URLs to ingest.
    #[arg(value_name = "INPUT", required_unless_present = "failed")]
    inputs: Vec<String>,

    /// List the inputs that failed and have not been read since (with the reason and
    /// how many runs they failed in), instead of ingesting. Failed feed items are
    /// fetched again by the next run of their feed.
    #[arg(long, conflicts_with = "inputs")]
    failed: bool,

    #[command(flatten)]
    store: StoreArgs,

    /// Worker threads for analysis (default: one per core; at most four per core).
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    threads: Option<usize>,

    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,

    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,

    /// Allow fetching from private, loopback and link-local addresses.
    #[arg(long)]
    allow_private: bool,

    /// Read and analyse everything but store nothing (to check inputs, or to measure).
    #[arg(long)]
    dry_run: bool,
}

/// Analysis threads per core at most: more only add memory and switching (analysis is
/// CPU-bound; the reader and the writer have their own threads).
const MAX_THREADS_PER_CORE: usize = 4;

/// The analysis threads to start: one per core unless asked, and never more than
/// [`MAX_THREADS_PER_CORE`] per core (saying so).
fn threads(requested: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = cores * MAX_THREADS_PER_CORE;
    match requested {
        None => cores,
        Some(n) if n > max => {
            eprintln!(
                "claimgraph: --threads {n} is more than {MAX_THREADS_PER_CORE} per core; using {max} ({cores} core{})",
                if cores == 1 { "" } else { "s" }
            );
            max
        }
        Some(n) => n,
    }
}

/// `--threads`: a whole number, at least 1.
fn parse_threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(_) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Ok(usize::MAX),
        Err(_) => Err(format!("'{s}' is not a number of threads")),
    }
}

/// A progress bar on standard error when it is a terminal.
fn progress_bar(total_bytes: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total_bytes);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn run_ingest(
    inputs: &[String],
    config: &Config,
    threads: usize,
    dry_run: bool,
    stop: &Arc<AtomicBool>,
    bar: &ProgressBar,
) -> Result<Summary> {
    let fetcher = Fetcher::new(config.fetch.clone()).with_stop(Arc::clone(stop));
    let start = Instant::now();
    let mut on_progress = |p: Progress| {
        bar.set_position(p.bytes);
        let secs = start.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!("{} docs ({:.0} docs/s)", p.documents, p.documents as f64 / secs));
    };
    let options = Options { threads, batch_size: config.batch_size, dry_run, extract: config.extract };
    ingest(inputs, &config.store_path, Some(&fetcher), &options, stop, &mut on_progress)
        .with_context(|| format!("ingesting into {}", config.store_path.display()))
}

fn print_summary(summary: &Summary, json: bool) -> Result<()> {
    if json {
        let failed: Vec<_> =
            summary.failed.iter().map(|f| serde_json::json!({"input": f.origin, "reason": f.reason})).collect();
        println!(
            "{}",
            serde_json::json!({
                "ingested": summary.ingested,
                "new_versions": summary.new_versions,
                "duplicates": summary.duplicates,
                "from_summaries": summary.from_summaries,
                "failed": failed,
                "bytes": summary.bytes,
                "seconds": summary.seconds,
                "interrupted": summary.interrupted,
            })
        );
        return Ok(());
    }
    let secs = summary.seconds.max(0.001);
    eprintln!(
        "ingested {} document{} ({} new version{}), skipped {} duplicate{}, {} failed, in {:.1} s ({:.0} docs/s, {:.2} MB/s){}",
        summary.ingested,
        if summary.ingested == 1 { "" } else { "s" },
        summary.new_versions,
        if summary.new_versions == 1 { "" } else { "s" },
        summary.duplicates,
        if summary.duplicates == 1 { "" } else { "s" },
        summary.failed.len(),
        summary.seconds,
        summary.ingested as f64 / secs,
        summary.bytes as f64 / 1e6 / secs,
        if summary.interrupted { " — interrupted, run again to finish" } else { "" },
    );
    if summary.from_summaries > 0 {
        eprintln!(
            "  {} feed item{} stored from the feed's summary: the page could not be fetched (retried next run)",
            summary.from_summaries,
            if summary.from_summaries == 1 { "" } else { "s" },
        );
    }
    for f in &summary.failed {
        eprintln!("  failed: {}: {}", f.origin, f.reason);
    }
    Ok(())
}

fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // A second Ctrl-C kills the process as usual.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("stopping: finishing the documents already read (Ctrl-C again to quit at once)");
    });
    stop
}

/// `claimgraph ingest --failed`: the failures the store keeps.
fn list_failed(config: &Config, json: bool) -> Result<Outcome> {
    if !config.store_path.exists() {
        anyhow::bail!(
            "no database at {}: nothing was ingested there yet (pass --db PATH)",
            config.store_path.display()
        );
    }
    let store = claimgraph_store::SqliteStore::open(&config.store_path)
        .with_context(|| format!("opening {}", config.store_path.display()))?;
    let failures = store.failures()?;
    if json {
        for f in &failures {
            println!(
                "{}",
                serde_json::json!({
                    "input": f.origin, "reason": f.reason, "attempts": f.attempts,
                    "first_failed_at": f.first_failed_at, "last_failed_at": f.last_failed_at,
                })
            );
        }
    } else if failures.is_empty() {
        eprintln!("no failed inputs in {}", config.store_path.display());
    } else {
        for f in &failures {
            let times = if f.attempts == 1 { "once".to_string() } else { format!("{} times", f.attempts) };
            println!("{}: {} (failed {times}, last at {})", f.origin, f.reason, f.last_failed_at);
        }
    }
    Ok(Outcome::AllOk)
}

pub fn run(args: Args) -> Result<Outcome> {
    let mut config = args.store.load()?;
    if args.failed {
        return list_failed(&config, args.json);
    }
    config.fetch.allow_private |= args.allow_private;
    let stop = stop_on_ctrl_c();
    let bar = progress_bar(claimgraph_ingest::sources::local_bytes(&args.inputs), args.quiet || args.json);
    let summary = run_ingest(&args.inputs, &config, threads(args.threads), args.dry_run, &stop, &bar)?;
    bar.finish_and_clear();
    print_summary(&summary, args.json)?;
    if !args.dry_run {
        resolve_after_ingest(&config, args.json)?;
    }
    Ok(if summary.failed.is_empty() { Outcome::AllOk } else { Outcome::SomeFailed })
}

/// Merges the new documents' incidents into incidents across documents.
fn resolve_after_ingest(config: &Config, quiet: bool) -> Result<()> {
    if !config.store_path.exists() {
        return Ok(());
    }
    let start = Instant::now();
    let mut store = claimgraph_store::SqliteStore::open(&config.store_path)?;
    let resources = claimgraph_extract::Resources::embedded();
    let s = claimgraph_resolve::update(&mut store, &claimgraph_resolve::Canon::new(&resources), false)
        .context("resolving incidents across documents")?;
    if !quiet {
        eprintln!("{}", crate::incidents::resolve_line(&s, start.elapsed().as_secs_f64()));
    }
    Ok(())
}

/// Poll feeds and ingest new items until stopped (Ctrl-C).
///
/// Each round fetches every FEED (conditional GET: unchanged feeds cost one small
/// request) and stores the items not seen before. A feed that is down or malformed is
/// logged and retried with backoff (twice the interval, then four times, up to eight),
/// while the others go on; after `--give-up-after` failed polls in a row it is given up
/// on, and when every feed is given up on, watch exits with status 2. Ctrl-C stops the
/// fetch under way and finishes the items already fetched, then exits.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph watch https://news.example/rss.xml --every 10m
  claimgraph watch --db news.db feeds/*.xml --every 30s")]
pub struct WatchArgs {
    /// Feeds to poll (URLs or files).
    #[arg(value_name = "FEED", required = true)]
    feeds: Vec<String>,

    /// Time between rounds: 30s, 10m, 1h.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    every: Duration,

    /// Stop after this many rounds (default: run until Ctrl-C).
    #[arg(long, value_name = "N")]
    rounds: Option<u64>,

    #[command(flatten)]
    store: StoreArgs,

    /// Worker threads for analysis (default: one per core; at most four per core).
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    threads: Option<usize>,

    /// Allow fetching from private, loopback and link-local addresses.
    #[arg(long)]
    allow_private: bool,

    /// Give up on a feed after this many failed polls in a row (default:
    /// ingest.watch_give_up_after in claimgraph.toml, else 5).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    give_up_after: Option<u32>,
}

pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().map_err(|_| format!("'{s}' is not a duration like 30s, 10m or 1h"))?;
    let secs = match unit {
        "s" | "" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("'{s}': the unit must be s, m or h (e.g. 10m)")),
    };
    if secs == 0 {
        return Err("the interval must be more than zero".to_string());
    }
    Ok(Duration::from_secs(secs))
}

pub fn run_watch(args: WatchArgs) -> Result<Outcome> {
    let mut config = args.store.load()?;
    config.fetch.allow_private |= args.allow_private;
    let stop = stop_on_ctrl_c();
    let threads = threads(args.threads);
    let hidden = ProgressBar::hidden();
    // Per feed: consecutive failures and the time of the next poll.
    let mut failures = vec![0u32; args.feeds.len()];
    let mut next_poll = vec![Instant::now(); args.feeds.len()];
    let give_up_after = args.give_up_after.unwrap_or(config.watch_give_up_after);
    let mut dead = vec![false; args.feeds.len()];
    let mut round = 0u64;
    while !stop.load(Ordering::SeqCst) {
        let due: Vec<usize> = (0..args.feeds.len()).filter(|&i| !dead[i] && next_poll[i] <= Instant::now()).collect();
        for i in due {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let feed = &args.feeds[i];
            let summary = run_ingest(std::slice::from_ref(feed), &config, threads, false, &stop, &hidden)?;
            if summary.ingested > 0 {
                resolve_after_ingest(&config, false)?;
            }
            let feed_failed = summary.failed.iter().any(|f| &f.origin == feed);
            if feed_failed {
                failures[i] += 1;
                let reason = summary.failed.iter().find(|f| &f.origin == feed).map_or("failed", |f| f.reason.as_str());
                if failures[i] >= give_up_after {
                    dead[i] = true;
                    eprintln!("{feed}: {reason} — giving up after {} failed polls in a row", failures[i]);
                    continue;
                }
                let factor = 1u32 << failures[i].min(3);
                eprintln!("{feed}: {reason} — retrying in {}s", (args.every * factor).as_secs());
                next_poll[i] = Instant::now() + args.every * factor;
            } else {
                failures[i] = 0;
                next_poll[i] = Instant::now() + args.every;
                eprintln!(
                    "{feed}: {} new, {} seen before, {} failed",
                    summary.ingested,
                    summary.duplicates,
                    summary.failed.len()
                );
            }
        }
        round += 1;
        if dead.iter().all(|&d| d) {
            eprintln!("watch stopped: every feed failed {give_up_after} polls in a row");
            return Ok(Outcome::SomeFailed);
        }
        if args.rounds.is_some_and(|n| round >= n) {
            break;
        }
        // Sleep until the next feed is due, waking often to notice Ctrl-C.
        let wake = (0..next_poll.len()).filter(|&i| !dead[i]).map(|i| next_poll[i]).min().unwrap_or_else(Instant::now);
        while !stop.load(Ordering::SeqCst) && Instant::now() < wake {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let n_dead = dead.iter().filter(|&&d| d).count();
    if n_dead > 0 {
        eprintln!("watch stopped; gave up on {n_dead} of {} feeds", dead.len());
        return Ok(Outcome::SomeFailed);
    }
    eprintln!("watch stopped");
    Ok(Outcome::AllOk)
}
