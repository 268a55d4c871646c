//! `claimgraph incidents`, `incident`, `actor` and `resolve`: incidents across documents.

use std::io::Write;

use anyhow::{bail, Context, Result};
use claimgraph_extract::Resources;
use claimgraph_ingest::config::Config;
use claimgraph_model::{Date, IncidentKind};
use claimgraph_resolve::record::Record;
use claimgraph_resolve::{Canon, Grades};
use claimgraph_store::{IncidentFilter, SqliteStore};

use crate::ingest::StoreArgs;
use crate::Outcome;

/// Opens the store named by the flags and settings, resolving mentions ingested since
/// the last resolution first (a store written by an older claimgraph has none resolved).
/// A file that cannot be written is read as it is (with a warning when it has reports
/// not resolved yet). Returns the extraction tables too, parsed once for both.
pub fn open(args: &StoreArgs) -> Result<(SqliteStore, Config, Resources)> {
    let config = args.load()?;
    if !config.store_path.exists() {
        bail!("no database at {} (ingest something first, or pass --db)", config.store_path.display());
    }
    let mut store =
        SqliteStore::open(&config.store_path).with_context(|| format!("opening {}", config.store_path.display()))?;
    let resources = Resources::embedded();
    let unresolved = store.unresolved_mentions()?;
    if unresolved > 0 && store.is_read_only() {
        eprintln!(
            "claimgraph: {} is read-only: {unresolved} report{} ingested since the last resolution {} not in these incidents (run `claimgraph resolve` with write access)",
            config.store_path.display(),
            if unresolved == 1 { "" } else { "s" },
            if unresolved == 1 { "is" } else { "are" },
        );
    } else if unresolved > 0 {
        claimgraph_resolve::update(&mut store, &Canon::new(&resources), false).context("resolving incidents")?;
    }
    Ok((store, config, resources))
}

pub fn grades(config: &Config) -> Grades {
    Grades::from_checked(&config.reliability)
}

/// The full record of an incident.
pub fn record(store: &SqliteStore, id: &str, canon: &Canon, grades: &Grades) -> Result<Record> {
    Ok(claimgraph_resolve::record::load(store, id, canon, grades)?)
}

pub fn day(s: &str) -> Result<i64, String> {
    Date::parse_iso(s)
        .filter(|_| s.len() == 10)
        .map(|d| d.to_days())
        .ok_or_else(|| format!("'{s}' is not a date like 2024-01-04"))
}

fn kind(s: &str) -> Result<String, String> {
    IncidentKind::parse(s).map(|k| k.as_str().to_string()).ok_or_else(|| {
        let all: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("'{s}' is not a kind; one of: {}", all.join(", "))
    })
}

/// List incidents merged across every stored document.
///
/// Each incident gathers the reports of one real incident from all documents: where and
/// when, the reconciled death toll (lowest to highest figure reported, and the latest),
/// and who is named responsible. Newest first.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph incidents --since 2024-01-01 --kind bombing
  claimgraph incidents --place Kerman
  claimgraph incidents --actor 'IS-K' --json > isk.json
  claimgraph incidents --jsonl | jq -c '{id, killed}'")]
pub struct ListArgs {
    /// Only incidents on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    since: Option<i64>,
    /// Only incidents on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    until: Option<i64>,
    /// Only incidents of this kind (bombing, armed_assault, airstrike, ...).
    #[arg(long, value_name = "KIND", value_parser = kind)]
    kind: Option<String>,
    /// Only incidents at this place (a place name or a country code such as IR).
    #[arg(long, value_name = "PLACE")]
    place: Option<String>,
    /// Only incidents this actor is named responsible for (any alias: IS-K, ISIS-K, ...).
    #[arg(long, value_name = "NAME")]
    actor: Option<String>,
    /// Most incidents to list (default: 50 on screen, all with --json or --jsonl).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// A JSON array of full incident records (incidents.schema.json).
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// One full incident record per line.
    #[arg(long)]
    jsonl: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_list(args: ListArgs) -> Result<Outcome> {
    let (store, config, resources) = open(&args.store)?;
    let canon = Canon::new(&resources);
    let grades = grades(&config);
    let filter = IncidentFilter {
        since_day: args.since,
        until_day: args.until,
        kind: args.kind,
        place: args.place,
        actor: args.actor.as_deref().map(|a| canon.actor_key(a)),
        ..IncidentFilter::default()
    };
    let mut list = store.incidents(&filter)?;
    let total = list.len();
    let machine = args.json || args.jsonl;
    if let Some(n) = args.limit.or(if machine { None } else { Some(50) }) {
        list.truncate(n);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json || args.jsonl {
        if args.json {
            out.write_all(b"[")?;
        }
        for (n, s) in list.iter().enumerate() {
            let r = record(&store, &s.id, &canon, &grades)?;
            if args.json {
                if n > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(b"\n")?;
            }
            serde_json::to_writer(&mut out, &r)?;
            if args.jsonl {
                out.write_all(b"\n")?;
            }
        }
        if args.json {
            out.write_all(b"\n]\n")?;
        }
        out.flush()?;
        return Ok(Outcome::AllOk);
    }
    if list.is_empty() {
        writeln!(out, "no incidents match")?;
    }
    for s in &list {
        writeln!(out, "{}", list_line(&record(&store, &s.id, &canon, &grades)?))?;
    }
    if total > list.len() {
        writeln!(out, "… and {} more (--limit N shows more; --since, --kind, --place narrow it)", total - list.len())?;
    }
    out.flush()?;
    Ok(Outcome::AllOk)
}

/// One incident as a line of a list: date, kind, place, tally, leading attribution,
/// documents, id.
pub fn list_line(r: &Record) -> String {
    format!(
        "{:<10}  {:<16} {:<28} {:<22} {:<40} {} doc{}  {}",
        r.date.as_deref().unwrap_or("undated"),
        r.kind,
        truncate(&place_text(r), 28),
        tally_text("killed", r.killed.as_ref()),
        truncate(&leading(r), 40),
        r.documents.len(),
        if r.documents.len() == 1 { "" } else { "s" },
        r.id
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn place_text(r: &Record) -> String {
    match &r.place {
        Some(p) => match &p.country {
            Some(c) if *c != p.name => format!("{}, {c}", p.name),
            _ => p.name.clone(),
        },
        None => "place unknown".to_string(),
    }
}

fn tally_text(what: &str, t: Option<&claimgraph_resolve::record::Tally>) -> String {
    let Some(t) = t else { return format!("{what} unknown") };
    let fmt = |v: f64| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") };
    match t.high {
        Some(h) if h != t.low => format!("{what} {}–{}", fmt(t.low), fmt(h)),
        _ => format!("{what} {}", fmt(t.low)),
    }
}

/// The leading attribution: the party most reports name, with its status.
fn leading(r: &Record) -> String {
    match r.perpetrators.first() {
        Some(p) if r.perpetrators.len() > 1 => format!("{} ({}) +{}", p.name, p.status, r.perpetrators.len() - 1),
        Some(p) => format!("{} ({})", p.name, p.status),
        None => "no one named".to_string(),
    }
}

/// Show one incident: tally over time, attribution board, contradictions, claims.
///
/// ID is an incident id from `claimgraph incidents` (an id an incident had before a
/// later report merged it into another still works).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph incident inc-3f2a9c1e5b7d8a60-0
  claimgraph incident inc-3f2a9c1e5b7d8a60-0 --json | jq .perpetrators")]
pub struct ShowArgs {
    #[arg(value_name = "ID")]
    id: String,
    /// The record as JSON (an item of incidents.schema.json).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_show(args: ShowArgs) -> Result<Outcome> {
    let (store, config, resources) = open(&args.store)?;
    let Some(id) = store.incident_id(args.id.trim())? else {
        bail!("no incident {} in {} (list them with `claimgraph incidents`)", args.id, config.store_path.display());
    };
    let canon = Canon::new(&resources);
    let r = record(&store, &id, &canon, &grades(&config))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &r)?;
        writeln!(out)?;
        return Ok(Outcome::AllOk);
    }
    print_record(&mut out, &r, &args.id)?;
    Ok(Outcome::AllOk)
}

fn print_record(out: &mut impl Write, r: &Record, asked: &str) -> Result<()> {
    writeln!(out, "{} — {}, {}, {}", r.id, r.kind, place_text(r), r.date.as_deref().unwrap_or("date unknown"))?;
    if asked != r.id {
        writeln!(out, "({asked} was merged into this incident)")?;
    }
    if let Some(l) = &r.label {
        writeln!(out, "label: {l}")?;
    }
    for (what, t) in [("killed", &r.killed), ("injured", &r.injured)] {
        match t {
            Some(t) => writeln!(
                out,
                "{}; latest report {}; {} report{}",
                tally_text(what, Some(t)),
                t.latest.map_or("unknown".into(), |v| format!("{v}")),
                t.n_reports,
                if t.n_reports == 1 { "" } else { "s" }
            )?,
            None => writeln!(out, "{what}: unknown")?,
        }
    }
    writeln!(out, "{} document(s) from {} independent source(s)", r.documents.len(), r.n_sources)?;
    if !r.figures.is_empty() {
        writeln!(out, "\nThe tally over time:")?;
        for f in &r.figures {
            writeln!(
                out,
                "  {:<10}  {:<8} {:>6} ({})  {}{}  doc {}",
                f.published.as_deref().unwrap_or("undated"),
                f.category,
                f.value,
                f.qualifier,
                f.source.as_deref().unwrap_or("unknown source"),
                f.speaker.as_deref().map(|s| format!(", per {s}")).unwrap_or_default(),
                f.document
            )?;
        }
    }
    writeln!(out, "\nWho is named responsible:")?;
    if r.perpetrators.is_empty() {
        writeln!(out, "  no one, in any report")?;
    }
    for p in &r.perpetrators {
        let grades: String =
            p.grades.iter().collect::<Vec<_>>().iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",");
        writeln!(
            out,
            "  {} — {}: {} report(s) of a claim, {} of accusations, {} of denials; {} source(s) [{}]",
            p.name, p.status, p.responsibility, p.accusations, p.denials, p.n_sources, grades
        )?;
        for (label, list) in [("claimed", &p.claimed_in), ("accused by", &p.accused_by), ("denied", &p.denied_in)] {
            for a in list {
                writeln!(
                    out,
                    "      {label}: {} ({}, doc {})",
                    a.speaker.as_deref().unwrap_or("unnamed"),
                    a.source.as_deref().unwrap_or("unknown source"),
                    a.document
                )?;
            }
        }
    }
    if !r.contradictions.is_empty() {
        writeln!(out, "\nContradictions:")?;
        for c in &r.contradictions {
            writeln!(out, "  {}: {} [{}]", c.kind, c.detail, c.claims.join(", "))?;
        }
    }
    if !r.warnings.is_empty() {
        writeln!(out, "\nWarnings before it:")?;
        for w in &r.warnings {
            writeln!(
                out,
                "  {} {}: {}",
                w.date.as_deref().unwrap_or("?"),
                w.speaker.as_deref().unwrap_or("unnamed"),
                w.text
            )?;
        }
    }
    if !r.claims.is_empty() {
        writeln!(out, "\nClaims (credibility 1 confirmed … 6 cannot be judged):")?;
        for c in &r.claims {
            writeln!(
                out,
                "  [{} · {}] {}: \"{}\" — {}, {} (doc {})",
                c.kind,
                c.credibility,
                c.speaker.as_deref().unwrap_or("unnamed"),
                c.text.split_whitespace().collect::<Vec<_>>().join(" "),
                c.source.as_deref().unwrap_or("unknown source"),
                c.published.as_deref().unwrap_or("undated"),
                c.document
            )?;
        }
    }
    writeln!(out, "\nDocuments:")?;
    for d in &r.documents {
        writeln!(
            out,
            "  {}  {}  {}{}  {}",
            d.published.as_deref().unwrap_or("undated  "),
            d.source.as_deref().unwrap_or("unknown source"),
            d.title.as_deref().unwrap_or("(untitled)"),
            d.reliability.map(|g| format!(" [{g}]")).unwrap_or_default(),
            d.url.as_deref().or(d.path.as_deref()).unwrap_or(&d.id)
        )?;
    }
    Ok(())
}

/// One actor across the store: its incidents, and what it claimed, denied, was accused
/// of and accused others of.
///
/// NAME may be any alias the tables know ("IS-K", "ISIS-K", "Islamic State Khorasan
/// Province" are one actor); other names match ignoring case, punctuation and "the".
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph actor IS-K
  claimgraph actor 'Islamic State Khorasan Province' --json")]
pub struct ActorArgs {
    #[arg(value_name = "NAME", required = true)]
    name: Vec<String>,
    /// Most incidents (the newest) and claims of each kind to show.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_actor(args: ActorArgs) -> Result<Outcome> {
    let (store, config, resources) = open(&args.store)?;
    let canon = Canon::new(&resources);
    let grades = grades(&config);
    let asked = args.name.join(" ");
    let Some(value) = claimgraph_resolve::actor::profile(&store, &canon, &grades, &asked, args.limit)? else {
        bail!("no incident or claim in {} names {asked:?}", config.store_path.display());
    };
    let name = value["name"].as_str().unwrap_or_default().to_string();
    let names: Vec<String> = serde_json::from_value(value["names"].clone()).unwrap_or_default();
    let as_list = |k: &str| value[k].as_array().cloned().unwrap_or_default();
    let (incidents, claimed, denied, accused_of, accused_others) =
        (as_list("incidents"), as_list("claimed"), as_list("denied"), as_list("accused_of"), as_list("accused_others"));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(Outcome::AllOk);
    }
    writeln!(
        out,
        "{name}{}",
        if names.len() > 1 { format!(" (also: {})", names[1..].join(", ")) } else { String::new() }
    )?;
    let count = if value["more_incidents"].as_bool() == Some(true) {
        format!("the newest {}; `claimgraph incidents --actor` lists them all", incidents.len())
    } else {
        incidents.len().to_string()
    };
    writeln!(out, "\nIncidents it is named responsible for ({count}):")?;
    for i in &incidents {
        writeln!(
            out,
            "  {:<10}  {:<16} {:<20} {:<10} {}",
            i["date"].as_str().unwrap_or("undated"),
            i["kind"].as_str().unwrap_or(""),
            i["place"].as_str().unwrap_or("place unknown"),
            i["status"].as_str().unwrap_or(""),
            i["id"].as_str().unwrap_or("")
        )?;
    }
    for (title, list) in [
        ("What it claimed", &claimed),
        ("What it denied", &denied),
        ("What it was accused of", &accused_of),
        ("Whom it accused", &accused_others),
    ] {
        writeln!(out, "\n{title} ({}):", list.len())?;
        for c in list {
            writeln!(
                out,
                "  {} {}: \"{}\" ({}, doc {})",
                c["published"].as_str().unwrap_or("undated"),
                c["speaker"].as_str().unwrap_or("unnamed"),
                c["text"].as_str().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "),
                c["source"].as_str().unwrap_or("unknown source"),
                c["document"].as_str().unwrap_or("")
            )?;
        }
    }
    Ok(Outcome::AllOk)
}

/// Merge the incidents of newly ingested documents into incidents across documents.
///
/// `ingest` does this at the end of every run, and the incident commands do it when they
/// find unresolved reports; run it by hand after changing claimgraph (--rebuild
/// resolves every report again from scratch).
#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// Forget earlier results and resolve everything again.
    #[arg(long)]
    rebuild: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_resolve(args: ResolveArgs) -> Result<Outcome> {
    let config = args.store.load()?;
    if !config.store_path.exists() {
        bail!("no database at {} (ingest something first, or pass --db)", config.store_path.display());
    }
    let mut store =
        SqliteStore::open(&config.store_path).with_context(|| format!("opening {}", config.store_path.display()))?;
    let resources = Resources::embedded();
    let start = std::time::Instant::now();
    let s = claimgraph_resolve::update(&mut store, &Canon::new(&resources), args.rebuild)?;
    eprintln!("{}", resolve_line(&s, start.elapsed().as_secs_f64()));
    Ok(Outcome::AllOk)
}

pub fn resolve_line(s: &claimgraph_resolve::UpdateSummary, secs: f64) -> String {
    format!(
        "resolved {} new report{} of incidents: {} incident{} across documents ({} written, {} merged) in {:.2} s",
        s.new_mentions,
        if s.new_mentions == 1 { "" } else { "s" },
        s.incidents,
        if s.incidents == 1 { "" } else { "s" },
        s.changed,
        s.merged,
        secs
    )
}
