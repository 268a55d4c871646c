//! `claimgraph bench`: throughput of the extraction pipeline on one core.
//!
//! The input is the embedded demo corpus (or the given files), repeated until it holds
//! at least `--mb` megabytes, all read into memory first so that only the pipeline is
//! timed: decoding, HTML to text, every stage, and writing the JSON (to a sink), as
//! `claimgraph extract --jsonl` does. One thread, so the figure is per core.
//!
//! `--scaling` instead times single documents of 10 KB to 10 MB of several kinds
//! (ordinary articles, a sentence made to be slow, HTML nested deep or with many
//! attributes), to show that the work per document is linear in its size.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use claimgraph_extract::{schema, Extractor, Meta, Options, Stage, StageTimes};
use claimgraph_model::Date;

use crate::Outcome;

/// Measure extraction throughput (MB/s on one core).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph bench                      # demo corpus repeated to 20 MB
  claimgraph bench --mb 50 --json
  claimgraph bench --dump-text DIR      # also write the extracted texts (for peer tools)
  claimgraph bench --scaling            # seconds per document, 10 KB to 10 MB, by kind")]
pub struct Args {
    /// Instead: time single documents of 10 KB, 100 KB, 1 MB and 10 MB of each kind
    /// (demo articles concatenated, one sentence repeated, HTML nested deep, HTML with
    /// many attributes) and print seconds and MB/s, to show the work is linear in size.
    #[arg(long, conflicts_with_all = ["files", "dump_text", "search", "resolve", "load"])]
    scaling: bool,

    /// With --scaling: the largest size, in megabytes (default 10).
    #[arg(long, default_value_t = 10.0, requires = "scaling")]
    scaling_max_mb: f64,

    /// Repeat the input until it holds at least this many megabytes.
    #[arg(long, default_value_t = 20.0)]
    mb: f64,

    /// Files to use instead of the demo corpus.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,

    /// Write each distinct input's extracted text to DIR/<n>.txt, so that another tool
    /// can be timed on the same text.
    #[arg(long, value_name = "DIR")]
    dump_text: Option<PathBuf>,

    /// Instead: time searches against this database (p50/p99 latency in-process).
    #[arg(long, value_name = "DB", conflicts_with_all = ["files", "dump_text"])]
    search: Option<PathBuf>,

    /// With --search: how many queries to run.
    #[arg(long, default_value_t = 1000)]
    queries: usize,

    /// Instead: resolve the incident mentions in this JSON Lines file (made by
    /// `tools/generate_corpus.py --mentions N`) across documents, and score the result
    /// against their "truth" field.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["files", "dump_text", "search"])]
    resolve: Option<PathBuf>,

    /// Instead: load a running `claimgraph serve` at this base URL (e.g.
    /// http://127.0.0.1:8080) with the incident list, incident pages, actor pages and
    /// searches, at each --rps rate in turn for --seconds, and report one table of
    /// latency percentiles, errors and load shed (503s).
    #[arg(long, value_name = "URL", conflicts_with_all = ["files", "dump_text", "search", "resolve"])]
    load: Option<String>,

    /// With --load: requests per second (an open-loop schedule); several rates, comma
    /// separated, are run one after the other.
    #[arg(long, value_delimiter = ',', default_value = "200,500,1000")]
    rps: Vec<u32>,

    /// With --load: how long to keep it up.
    #[arg(long, default_value_t = 20)]
    seconds: u32,
}

/// Queries of the kinds analysts type: words, names, phrases, prefixes, booleans, with
/// and without date filters.
const QUERIES: &[&str] = &[
    "bombing",
    "kabul",
    "\"claimed responsibility\"",
    "explos*",
    "gunmen AND hotel",
    "militants NOT police",
    "(airstrike OR shelling) AND children",
    "\"death toll\"",
    "denied",
    "hostage*",
    "karachi market",
    "interior minister",
    "suicide bomber",
    "\"no evidence\"",
    "funeral*",
    "drone strike",
    "lagos OR abuja",
    "warned",
    "checkpoint",
    "\"islamic state\"",
    "peshawar",
    "blamed",
    "convoy",
    "mosque",
    "rocket*",
];

fn run_search(db: &std::path::Path, n: usize, json: bool) -> Result<Outcome> {
    use claimgraph_store::{SearchQuery, SqliteStore, Store};
    let store = SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?;
    let docs = store.counts()?.documents;
    let mut latencies = Vec::with_capacity(n);
    let mut n_hits = 0usize;
    for k in 0..n {
        let q = SearchQuery {
            query: QUERIES[k % QUERIES.len()].to_string(),
            since: (k % 3 == 0).then(|| "2015-01-01".to_string()),
            limit: 20,
            ..SearchQuery::default()
        };
        let t = Instant::now();
        n_hits += store.search(&q)?.len();
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let (p50, p99, max) = (pct(0.5), pct(0.99), latencies[latencies.len() - 1]);
    if json {
        println!(
            "{}",
            serde_json::json!({"documents": docs, "queries": n, "hits": n_hits, "p50_ms": p50, "p99_ms": p99, "max_ms": max})
        );
    } else {
        println!("search over {docs} documents, {n} queries ({n_hits} hits): p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms");
    }
    Ok(Outcome::AllOk)
}

pub fn run(args: Args) -> Result<Outcome> {
    if let Some(db) = &args.search {
        return run_search(db, args.queries.max(1), args.json);
    }
    if let Some(file) = &args.resolve {
        return run_resolve(file, args.json);
    }
    if args.scaling {
        return run_scaling(args.scaling_max_mb, args.json);
    }
    if let Some(base) = &args.load {
        return run_load(base.trim_end_matches('/'), &args.rps, args.seconds.max(1), args.json);
    }
    let extractor = Extractor::new();
    let mut inputs: Vec<(Vec<u8>, Meta)> = Vec::new();
    if args.files.is_empty() {
        for entry in crate::demo::manifest()? {
            let raw = crate::demo::demo_file(&entry.file)
                .with_context(|| format!("demo file {} is listed but not embedded", entry.file))?;
            let meta = Meta { published: entry.published.as_deref().and_then(Date::parse_iso), ..Meta::default() };
            inputs.push((raw.as_bytes().to_vec(), meta));
        }
    } else {
        for f in &args.files {
            let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
            inputs.push((bytes, Meta::default()));
        }
    }
    if let Some(dir) = &args.dump_text {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for (n, (bytes, meta)) in inputs.iter().enumerate() {
            if let Ok(a) = extractor.extract(bytes, meta) {
                std::fs::write(dir.join(format!("{n:04}.txt")), &a.document.text)?;
            }
        }
    }
    let unit: usize = inputs.iter().map(|(b, _)| b.len()).sum();
    let target = (args.mb * 1e6) as usize;
    let repeats = target.div_ceil(unit.max(1)).max(1);
    let mut timings = StageTimes::default();
    let mut sink = std::io::sink();
    let mut n_docs = 0usize;
    let mut n_bytes = 0usize;
    let mut n_text_bytes = 0usize;
    let start = Instant::now();
    for _ in 0..repeats {
        for (bytes, meta) in &inputs {
            if let Ok(a) = extractor.extract_timed(bytes, meta, &mut timings) {
                schema::write_json(&a, &mut sink, false)?;
                n_text_bytes += a.document.text.len();
            }
            n_docs += 1;
            n_bytes += bytes.len();
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let mb_per_s = n_bytes as f64 / 1e6 / seconds;
    let text_mb_per_s = n_text_bytes as f64 / 1e6 / seconds;
    let stages: Vec<(&str, f64)> =
        Stage::ALL.iter().map(|&s| (s.name(), timings.total[s as usize].as_secs_f64())).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let json = serde_json::json!({
            "documents": n_docs,
            "input_bytes": n_bytes,
            "text_bytes": n_text_bytes,
            "seconds": seconds,
            "input_mb_per_s": mb_per_s,
            "text_mb_per_s": text_mb_per_s,
            "docs_per_s": n_docs as f64 / seconds,
            "stage_seconds": stages.iter().map(|(n, s)| (n.to_string(), serde_json::json!(s))).collect::<serde_json::Map<_, _>>(),
        });
        writeln!(out, "{json}")?;
    } else {
        writeln!(
            out,
            "extract pipeline, one thread: {n_docs} documents, {:.1} MB in, {:.1} MB of text",
            n_bytes as f64 / 1e6,
            n_text_bytes as f64 / 1e6
        )?;
        writeln!(
            out,
            "  {seconds:.2} s  →  {mb_per_s:.2} MB/s of input, {text_mb_per_s:.2} MB/s of text, {:.0} documents/s",
            n_docs as f64 / seconds
        )?;
        let staged: f64 = stages.iter().map(|(_, s)| s).sum();
        for (name, s) in &stages {
            writeln!(out, "  {name:<18} {s:>7.2} s  {:>5.1}%", 100.0 * s / seconds)?;
        }
        writeln!(
            out,
            "  {:<18} {:>7.2} s  {:>5.1}%",
            "json output",
            seconds - staged,
            100.0 * (seconds - staged) / seconds
        )?;
    }
    Ok(Outcome::AllOk)
}

/// The first `n` bytes of `unit` repeated, cut on a character boundary.
fn repeat_to(unit: &str, n: usize) -> String {
    let mut s = unit.repeat(n / unit.len().max(1) + 1);
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// One document of each kind and size, timed alone (small ones repeated until a
/// quarter of a second has passed, and averaged).
fn run_scaling(max_mb: f64, json: bool) -> Result<Outcome> {
    let extractor = Extractor::with_options(Options { max_bytes: u64::MAX, max_seconds: 600.0 });
    let mut articles = String::new();
    for entry in crate::demo::manifest()? {
        let raw = crate::demo::demo_file(&entry.file)
            .with_context(|| format!("demo file {} is listed but not embedded", entry.file))?;
        if let Ok(a) = extractor.extract(raw.as_bytes(), &Meta::default()) {
            articles.push_str(&a.document.text);
            articles.push_str("\n\n");
        }
    }
    let paragraphs: String =
        articles.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| format!("<p>{p}</p>\n")).collect();
    let sizes: Vec<usize> =
        [10_000, 100_000, 1_000_000, 10_000_000].into_iter().filter(|&n| n as f64 <= max_mb * 1e6).collect();
    type Make = Box<dyn Fn(usize) -> String>;
    let kinds: Vec<(&str, Make)> = vec![
        ("ordinary (demo articles)", Box::new(move |n| repeat_to(&articles, n))),
        (
            "adversarial (one sentence)",
            Box::new(|n| repeat_to("A bomb killed 12 people in Kabul on Monday police said and ", n)),
        ),
        (
            "html (demo articles)",
            Box::new(move |n| {
                format!("<html><body><article>{}</article></body></html>", repeat_to(&paragraphs, n.saturating_sub(46)))
            }),
        ),
        (
            // Just under the nesting cap (deeper pages are refused before parsing).
            "html (<div> 250 deep)",
            Box::new(|n| {
                let block = format!(
                    "{}<p>Gunmen attacked a hotel in the capital on Friday, police said.</p>{}",
                    "<div>".repeat(250),
                    "</div>".repeat(250)
                );
                format!("<html><body><article>{}</article></body></html>", block.repeat(n.div_ceil(block.len())))
            }),
        ),
        (
            // 200 attributes a tag; past 200,000 in a page it is refused before parsing.
            "html (200 attributes a tag)",
            Box::new(|n| {
                let attrs: String = (0..200).map(|k| format!(" a{k}=\"{k}\"")).collect();
                let tag = format!("<span{attrs}>Gunmen attacked a hotel.</span>\n");
                format!("<html><body><article>{}</article></body></html>", tag.repeat(n.div_ceil(tag.len())))
            }),
        ),
    ];
    let mut rows = Vec::new();
    for (kind, make) in &kinds {
        for &n in &sizes {
            let doc = make(n);
            let start = Instant::now();
            let mut runs = 0u32;
            let outcome = loop {
                let r = extractor.extract(doc.as_bytes(), &Meta::default());
                runs += 1;
                if start.elapsed().as_secs_f64() >= 0.25 || runs >= 1000 {
                    break match r {
                        Ok(a) => format!(
                            "ok: {} sentences, {} incidents, {} claims",
                            a.sentences.len(),
                            a.incidents.len(),
                            a.claims.len()
                        ),
                        Err(e) => format!("refused: {e}"),
                    };
                }
            };
            let seconds = start.elapsed().as_secs_f64() / runs as f64;
            rows.push((*kind, doc.len(), seconds, doc.len() as f64 / 1e6 / seconds, outcome));
        }
    }
    if json {
        let list: Vec<_> = rows
            .iter()
            .map(
                |(k, n, s, r, o)| serde_json::json!({"kind": k, "bytes": n, "seconds": s, "mb_per_s": r, "outcome": o}),
            )
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(Outcome::AllOk);
    }
    println!("{:<28} {:>10} {:>10} {:>9}  outcome", "kind", "bytes", "seconds", "MB/s");
    for (k, n, s, r, o) in &rows {
        let o: String = o.chars().take(90).collect();
        println!("{k:<28} {n:>10} {s:>10.4} {r:>9.2}  {o}");
    }
    println!();
    // The ratio of throughput at the largest analysed size to the smallest: about 1 when
    // the work is linear, falling as size^-1 when it is quadratic. Refused documents
    // (over a cap, before any analysis) are left out.
    for (kind, _) in &kinds {
        let of: Vec<_> = rows.iter().filter(|r| r.0 == *kind && r.4.starts_with("ok")).collect();
        if let (Some(first), Some(last)) = (of.first(), of.last()) {
            println!(
                "{kind:<28} MB/s at {:.1} MB / MB/s at {:.0} KB: {:.2}",
                last.1 as f64 / 1e6,
                first.1 as f64 / 1e3,
                last.3 / first.3
            );
        }
    }
    Ok(Outcome::AllOk)
}

/// Resolves generated mentions in file order (the order of publication), one core, and
/// scores the incidents with B-cubed against the generator's truth.
fn run_resolve(file: &std::path::Path, json: bool) -> Result<Outcome> {
    use claimgraph_model::{Geo, IncidentKind, TimeValue};
    use claimgraph_resolve::{Canon, Mention, Resolver};
    use std::io::BufRead;

    let resources = claimgraph_extract::Resources::embedded();
    let canon = Canon::new(&resources);
    let reader =
        std::io::BufReader::new(std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?);
    let mut mentions = Vec::new();
    let mut truth: Vec<String> = Vec::new();
    let mut last_doc = String::new();
    let mut n_in_doc = 0u32;
    for (line_no, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}:{}: not JSON", file.display(), line_no + 1))?;
        let s = |k: &str| v[k].as_str().map(str::to_string);
        let doc = s("doc").unwrap_or_default();
        n_in_doc = if doc == last_doc { n_in_doc + 1 } else { 0 };
        last_doc.clone_from(&doc);
        let geo = match (v["lat"].as_f64(), v["lon"].as_f64()) {
            (Some(lat), Some(lon)) => Some(Geo { lat, lon }),
            _ => None,
        };
        let place = s("place");
        mentions.push(Mention {
            doc,
            n: n_in_doc,
            kind: v["kind"].as_str().and_then(IncidentKind::parse).unwrap_or(IncidentKind::Other),
            date: v["date"].as_str().and_then(TimeValue::parse),
            published: v["published"].as_str().and_then(Date::parse_iso),
            country: s("country"),
            geo,
            coarse: place.as_deref().is_none_or(|p| canon.coarse_place(p)),
            killed: v["killed"].as_f64(),
            actors: v["actors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
                .map(|a| canon.actor(a))
                .collect(),
            people: Vec::new(),
            label: s("label"),
            place,
            reference: false,
        });
        truth.push(s("truth").unwrap_or_default());
    }
    let start = Instant::now();
    let mut resolver = Resolver::new();
    for m in &mentions {
        resolver.add(m);
    }
    let groups = resolver.groups();
    let secs = start.elapsed().as_secs_f64();
    // B-cubed over mentions, from the (predicted, true) co-occurrence counts.
    let mut pred_of = vec![0usize; mentions.len()];
    for (g, group) in groups.groups.iter().enumerate() {
        for &m in &group.members {
            pred_of[m] = g;
        }
    }
    let mut both: rustc_hash::FxHashMap<(usize, &str), f64> = Default::default();
    let mut true_size: rustc_hash::FxHashMap<&str, f64> = Default::default();
    for (m, t) in truth.iter().enumerate() {
        *both.entry((pred_of[m], t.as_str())).or_default() += 1.0;
        *true_size.entry(t.as_str()).or_default() += 1.0;
    }
    let (mut p_sum, mut r_sum) = (0.0, 0.0);
    for (&(g, t), &c) in &both {
        p_sum += c * c / groups.groups[g].members.len() as f64;
        r_sum += c * c / true_size[t];
    }
    let n = mentions.len().max(1) as f64;
    let (p, r) = (p_sum / n, r_sum / n);
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    let report = serde_json::json!({
        "mentions": mentions.len(),
        "incidents": groups.groups.len(),
        "true_incidents": true_size.len(),
        "seconds": secs,
        "us_per_mention": secs * 1e6 / n,
        "comparisons_per_mention": resolver.comparisons() as f64 / n,
        "bcubed_precision": p,
        "bcubed_recall": r,
        "bcubed_f1": f,
    });
    if json {
        println!("{report}");
    } else {
        println!(
            "resolved {} mentions into {} incidents ({} true) in {:.2} s: {:.1} µs and {:.1} comparisons per mention; B-cubed P {:.3} R {:.3} F1 {:.3}",
            mentions.len(),
            groups.groups.len(),
            true_size.len(),
            secs,
            secs * 1e6 / n,
            resolver.comparisons() as f64 / n,
            p,
            r,
            f
        );
    }
    Ok(Outcome::AllOk)
}

/// An open-loop load: request `i` is due at `i / rps` seconds, whatever happened to the
/// ones before, and its latency counts from when it was due (so a slow server cannot hide
/// its queue). Requests rotate over the incident list page, incident pages, actor pages
/// and searches; each rate is run in turn and the figures are printed as one table. A 503
/// (the server shedding load, with Retry-After) is counted apart from other errors. A run
/// is bounded: requests time out after 5 s, and one that could not be sent within 5 s of
/// its due time fails unsent, so a run lasts about `seconds + 5`.
fn run_load(base: &str, rates: &[u32], seconds: u32, json: bool) -> Result<Outcome> {
    use std::time::Duration;

    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build();
    let list: serde_json::Value = agent
        .get(&format!("{base}/api/v1/incidents?limit=200"))
        .call()
        .with_context(|| format!("{base} does not answer: start `claimgraph serve` first"))
        .and_then(|r| Ok(serde_json::from_str(&r.into_string()?)?))?;
    let items = list["items"].as_array().cloned().unwrap_or_default();
    let ids: Vec<String> = items.iter().filter_map(|i| i["id"].as_str().map(str::to_string)).collect();
    if ids.is_empty() {
        anyhow::bail!("the server's store has no incidents to load");
    }
    // The party named responsible, without its status ("Boko Haram (claimed)").
    let mut actors: Vec<String> = items
        .iter()
        .filter_map(|i| i["leading"].as_str())
        .map(|l| l.rsplit_once(" (").map_or(l, |(name, _)| name).to_string())
        .collect();
    actors.sort();
    actors.dedup();
    if actors.is_empty() {
        actors.push("police".to_string());
    }
    let targets = LoadTargets { base, ids: &ids, actors: &actors };
    let mut table = Vec::new();
    for &rps in rates.iter().filter(|&&r| r > 0) {
        table.push((rps, load_at(&targets, rps, seconds)));
    }
    let names = ["incident list page", "incident page", "actor page", "search API", "all"];
    if json {
        let runs: Vec<serde_json::Value> = table
            .iter()
            .map(|(rps, run)| {
                let mut out = serde_json::Map::new();
                out.insert("target_rps".into(), (*rps).into());
                out.insert("achieved_rps".into(), run.achieved_rps.into());
                for (name, row) in names.iter().zip(&run.rows) {
                    out.insert(
                        name.to_string(),
                        serde_json::json!({"requests": row.n, "p50_ms": row.p50, "p99_ms": row.p99,
                                           "errors": row.errors, "shed_503": row.shed}),
                    );
                }
                serde_json::Value::Object(out)
            })
            .collect();
        println!("{}", serde_json::json!({ "runs": runs, "seconds": seconds }));
    } else {
        println!("{seconds} s at each rate; latency from when each request was due; 503 = shed with Retry-After");
        println!(
            "{:>6} {:>8}  {:<20} {:>8} {:>9} {:>9} {:>7} {:>7}",
            "target", "achieved", "requests", "n", "p50 ms", "p99 ms", "errors", "503s"
        );
        for (rps, run) in &table {
            for (k, (name, row)) in names.iter().zip(&run.rows).enumerate() {
                let (t, a) =
                    if k == 0 { (rps.to_string(), format!("{:.0}", run.achieved_rps)) } else { Default::default() };
                println!(
                    "{t:>6} {a:>8}  {name:<20} {:>8} {:>9.1} {:>9.1} {:>7} {:>7}",
                    row.n, row.p50, row.p99, row.errors, row.shed
                );
            }
        }
    }
    Ok(Outcome::AllOk)
}

/// What a load run asks for.
struct LoadTargets<'a> {
    base: &'a str,
    ids: &'a [String],
    actors: &'a [String],
}

/// One line of the load table.
struct LoadRow {
    n: usize,
    p50: f64,
    p99: f64,
    /// Failed requests other than 503s: refused, timed out, or any other status.
    errors: usize,
    /// 503s: the server said it was saturated.
    shed: usize,
}

struct LoadRun {
    achieved_rps: f64,
    /// By kind (list, incident, actor, search), then all together.
    rows: Vec<LoadRow>,
}

/// One open-loop run at `rps` for `seconds`.
fn load_at(t: &LoadTargets<'_>, rps: u32, seconds: u32) -> LoadRun {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::time::Duration;

    const WORDS: &[&str] = &[
        "bombing",
        "kabul",
        "\"claimed responsibility\"",
        "explos*",
        "militants NOT police",
        "denied",
        "bomb (kabul OR baghdad)",
    ];
    const KINDS: usize = 4;
    const TIMEOUT: Duration = Duration::from_secs(5);
    let total = (rps * seconds) as usize;
    let next = AtomicUsize::new(0);
    // (kind, latency in ms, outcome: 0 ok, 1 shed, 2 error)
    let results: Mutex<Vec<(usize, f64, u8)>> = Mutex::new(Vec::with_capacity(total));
    let start = Instant::now();
    // Enough workers that a slow answer does not delay the ones due after it.
    let workers = (rps as usize / 2).clamp(8, 512);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let agent = ureq::AgentBuilder::new().timeout(TIMEOUT).build();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return;
                    }
                    let due = Duration::from_secs_f64(i as f64 / rps as f64);
                    if let Some(wait) = due.checked_sub(start.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    let (kind, n) = (i % KINDS, i / KINDS);
                    // Bounded: a request the generator could not send within the client
                    // timeout of its due time (every worker waiting on a slow server) is
                    // counted as failed, with the latency it has already had.
                    let late = start.elapsed() - due;
                    if late > TIMEOUT {
                        results.lock().unwrap_or_else(|e| e.into_inner()).push((kind, late.as_secs_f64() * 1000.0, 2));
                        continue;
                    }
                    let base = t.base;
                    let url = match kind {
                        0 => format!("{base}/?limit=50"),
                        1 => format!("{base}/incidents/{}", t.ids[n % t.ids.len()]),
                        2 => format!("{base}/actors/{}", url_escape(&t.actors[n % t.actors.len()])),
                        _ => format!("{base}/api/v1/search?q={}", url_escape(WORDS[n % WORDS.len()])),
                    };
                    let outcome = match agent.get(&url).call() {
                        Ok(r) => u8::from(r.into_string().is_err()) * 2,
                        Err(ureq::Error::Status(503, _)) => 1,
                        Err(_) => 2,
                    };
                    let latency = (start.elapsed() - due).as_secs_f64() * 1000.0;
                    results.lock().unwrap_or_else(|e| e.into_inner()).push((kind, latency, outcome));
                }
            });
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let row = |kind: Option<usize>| -> LoadRow {
        let of_kind: Vec<&(usize, f64, u8)> = results.iter().filter(|r| kind.is_none_or(|k| r.0 == k)).collect();
        let mut l: Vec<f64> = of_kind.iter().map(|r| r.1).collect();
        l.sort_by(f64::total_cmp);
        let at = |p: f64| if l.is_empty() { 0.0 } else { l[((l.len() as f64 - 1.0) * p).round() as usize] };
        LoadRow {
            n: l.len(),
            p50: at(0.5),
            p99: at(0.99),
            errors: of_kind.iter().filter(|r| r.2 == 2).count(),
            shed: of_kind.iter().filter(|r| r.2 == 1).count(),
        }
    };
    let mut rows: Vec<LoadRow> = (0..KINDS).map(|k| row(Some(k))).collect();
    rows.push(row(None));
    LoadRun { achieved_rps: results.len() as f64 / elapsed, rows }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~*".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
