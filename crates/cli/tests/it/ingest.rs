//! `claimgraph ingest`, `search` and `watch`, run as a user would.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::server::{Route, Server};
use crate::{bin, run, stderr, stdout, tempdir};

fn summary(o: &std::process::Output) -> Value {
    serde_json::from_str(stdout(o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn ingest(db: &Path, args: &[&str]) -> std::process::Output {
    run(bin().arg("ingest").arg("--json").arg("--db").arg(db).args(args))
}

fn article(n: usize) -> String {
    format!(
        "Blast kills {k} in market number {n}\n\nA bomb exploded in a crowded market in Peshawar on Monday, killing {k} people and wounding {w}, police said. Officials said report {n} was the latest of several attacks this month.\n",
        k = 3 + n % 40,
        w = 10 + n % 70
    )
}

#[test]
fn ingest_is_idempotent_and_keeps_versions_of_a_url() {
    let dir = tempdir();
    let db = dir.join("news.db");
    let jsonl = dir.join("feed.jsonl");
    let records = [
        serde_json::json!({"text": article(1), "url": "https://n.example/a", "title": "A", "published": "2024-03-04", "source": "Test Wire"}),
        serde_json::json!({"text": article(2), "url": "https://n.example/b", "published": "2024-03-04"}),
        serde_json::json!({"text": article(3), "url": "https://n.example/a", "published": "2024-03-05"}),
        serde_json::json!({"text": article(2), "url": "https://n.example/b", "published": "2024-03-04"}),
    ];
    std::fs::write(&jsonl, records.iter().map(|r| r.to_string() + "\n").collect::<String>()).unwrap();
    let o = ingest(&db, &[jsonl.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["ingested"], 3, "{s}");
    assert_eq!(s["new_versions"], 1, "the second text at /a is a new version: {s}");
    assert_eq!(s["duplicates"], 1, "{s}");
    // Again: nothing new, everything skipped before analysis.
    let s = summary(&ingest(&db, &[jsonl.to_str().unwrap()]));
    assert_eq!(s["ingested"], 0, "{s}");
    assert_eq!(s["duplicates"], 4, "{s}");
    // The stored document is searchable, with the query language.
    let o = run(bin().args(["search", "--json", "--db"]).arg(&db).arg("peshawar AND market*"));
    assert!(o.status.success(), "{}", stderr(&o));
    let hits: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(
        hits.iter().any(|h| h["kind"] == "document" && h["snippet"].as_str().unwrap().contains("[Peshawar]")),
        "{hits:?}"
    );
    let o = run(bin().args(["search", "--json", "--since", "2024-03-05", "--db"]).arg(&db).arg("peshawar"));
    let hits: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(hits.iter().all(|h| h["published"] == "2024-03-05"), "{hits:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn malformed_records_and_queries_are_reported_not_fatal() {
    let dir = tempdir();
    let db = dir.join("news.db");
    let jsonl = dir.join("bad.jsonl");
    std::fs::write(
        &jsonl,
        format!("{}\n{{not json\n{{\"url\": \"https://x.example\"}}\n", serde_json::json!({"text": article(7)})),
    )
    .unwrap();
    let o = ingest(&db, &[jsonl.to_str().unwrap(), dir.join("missing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let s = summary(&o);
    assert_eq!(s["ingested"], 1);
    let failed: Vec<String> =
        s["failed"].as_array().unwrap().iter().map(|f| format!("{}: {}", f["input"], f["reason"])).collect();
    assert!(failed.iter().any(|f| f.contains("bad.jsonl:2") && f.contains("not a JSON record")), "{failed:?}");
    assert!(failed.iter().any(|f| f.contains("bad.jsonl:3") && f.contains("neither")), "{failed:?}");
    assert!(failed.iter().any(|f| f.contains("missing") && f.contains("no such file")), "{failed:?}");
    let o = run(bin().args(["search", "--db"]).arg(&db).arg("\"unclosed phrase"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("malformed query: unclosed quotation mark"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn feed_routes(server_base: &str) -> HashMap<String, Route> {
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Test Courier</title>
<item><title>Blast in Quetta</title><link>{server_base}/a1</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>Short.</description></item>
<item><title>Raid in Lahore</title><link>{server_base}/a2</link><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate><description>Short.</description></item>
</channel></rss>"#
    );
    let page = |t: &str| {
        format!(
            "<html><head><title>{t}</title></head><body><article><h1>{t}</h1><p>{}</p></article></body></html>",
            article(t.len())
        )
    };
    let mut routes = HashMap::new();
    let mut rss = Route::ok("application/rss+xml", feed);
    rss.headers.push(("ETag".into(), "\"v1\"".into()));
    routes.insert("/feed.xml".to_string(), rss);
    routes.insert("/a1".to_string(), Route::ok("text/html", page("Blast in Quetta")));
    routes.insert("/a2".to_string(), Route::ok("text/html", page("Raid in Lahore city")));
    routes.insert(
        "/moved".to_string(),
        Route { status: 302, headers: vec![("Location".into(), "/a1".into())], body: vec![], trickle: false },
    );
    routes.insert("/big".to_string(), Route::ok("text/html", vec![b'x'; 5000]));
    routes
}

#[test]
fn feeds_over_http_conditional_get_and_the_private_address_guard() {
    let routes_server = Server::start(feed_routes);
    let url = routes_server.url("/feed.xml");
    let dir = tempdir();
    let db = dir.join("news.db");
    let cfg = dir.join("claimgraph.toml");
    std::fs::write(&cfg, "[fetch]\nper_host_delay_ms = 0\nmax_body_bytes = 2000\n").unwrap();
    let cfg = cfg.to_str().unwrap();

    // Loopback is refused without --allow-private.
    let o = ingest(&db, &["--config", cfg, &url]);
    assert_eq!(o.status.code(), Some(2));
    let s = summary(&o);
    assert!(s["failed"][0]["reason"].as_str().unwrap().contains("refused"), "{s}");
    assert!(routes_server.seen.lock().unwrap().is_empty(), "nothing was sent to a refused address");

    // With it, the feed's items are fetched and stored.
    let o = ingest(&db, &["--config", cfg, "--allow-private", &url]);
    let s = summary(&o);
    assert_eq!(s["ingested"], 2, "{s} {}", stderr(&o));
    let seen = routes_server.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|r| r.headers["user-agent"].starts_with("claimgraph/")), "{seen:?}");

    // Again: the feed answers 304 to the stored ETag, and nothing is fetched twice.
    let s = summary(&ingest(&db, &["--config", cfg, "--allow-private", &url]));
    assert_eq!(s["ingested"], 0, "{s}");
    let seen = routes_server.seen.lock().unwrap().clone();
    let last = seen.last().unwrap();
    assert_eq!(last.path, "/feed.xml");
    assert_eq!(last.headers.get("if-none-match").map(String::as_str), Some("\"v1\""));

    // Redirects are followed (and checked); bodies over the cap are refused.
    let s = summary(&ingest(&db, &["--config", cfg, "--allow-private", &routes_server.url("/moved")]));
    assert_eq!(s["duplicates"].as_u64().unwrap() + s["ingested"].as_u64().unwrap(), 1, "{s}");
    let s = summary(&ingest(&db, &["--config", cfg, "--allow-private", &routes_server.url("/big")]));
    assert!(s["failed"][0]["reason"].as_str().unwrap().contains("larger than the 2000-byte limit"), "{s}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn watch_polls_and_stops_after_its_rounds() {
    let server = Server::start(feed_routes);
    let dir = tempdir();
    let db = dir.join("news.db");
    let down = format!("http://{}/missing.xml", server.addr);
    let o = run(bin()
        .args(["watch", "--every", "1s", "--rounds", "2", "--allow-private", "--db"])
        .arg(&db)
        .arg(server.url("/feed.xml"))
        .arg(&down));
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("2 new"), "{err}");
    assert!(
        err.contains("HTTP 404") && err.contains("retrying in"),
        "a feed that is down is retried with backoff: {err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Regression for the crash-safety brief: kill -9 at random moments leaves a database
/// that opens, passes integrity_check and holds only whole documents; running again
/// completes the rest.
#[test]
fn kill_dash_nine_leaves_whole_documents_and_a_rerun_completes() {
    let dir = tempdir();
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let n_docs = 240;
    for n in 0..n_docs {
        std::fs::write(corpus.join(format!("{n:04}.txt")), article(n)).unwrap();
    }
    let db = dir.join("news.db");
    let cfg = dir.join("claimgraph.toml");
    std::fs::write(&cfg, "[ingest]\nbatch_size = 7\n").unwrap();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for round in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
            .args(["ingest", "--quiet", "--threads", "2", "--config"])
            .arg(&cfg)
            .arg("--db")
            .arg(&db)
            .arg(&corpus)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay_ms = 30 + seed % 250;
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let store = claimgraph_store::SqliteStore::open(&db).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        assert!(store.partial_documents().unwrap().is_empty(), "round {round}: half-written documents");
    }
    let o = run(bin().args(["ingest", "--json", "--config"]).arg(&cfg).arg("--db").arg(&db).arg(&corpus));
    assert!(o.status.success(), "{}", stderr(&o));
    let store = claimgraph_store::SqliteStore::open(&db).unwrap();
    use claimgraph_store::Store;
    assert_eq!(store.counts().unwrap().documents, n_docs as u64, "the rerun completed the corpus");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A database written by schema version 1 (made from three of the demo articles) must
/// open, migrate if needed, and answer as it did.
#[test]
fn a_schema_v1_database_still_opens_and_answers() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/schema-v1.db");
    let dir = tempdir();
    let db: PathBuf = dir.join("old.db");
    std::fs::copy(&fixture, &db).unwrap();
    let store = claimgraph_store::SqliteStore::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), claimgraph_store::SCHEMA_VERSION);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    use claimgraph_store::Store;
    assert_eq!(store.counts().unwrap().documents, 3);
    drop(store);
    let o = run(bin().args(["search", "--json", "--db"]).arg(&db).arg("kerman"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).lines().count() >= 1);
    // Its incidents were never resolved: the incident commands resolve them first.
    let o = run(bin().args(["incidents", "--json", "--db"]).arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!list.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
