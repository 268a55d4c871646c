//! Issue 18, inputs: nothing read is lost, and no input or server can hold a run.
//!
//! Each test is named after the defect it pins and runs the binary against a loopback
//! server whose answers can change between runs (a page that is down, then up), or
//! that trickles its answer a byte at a time. Processes that could hang on the old
//! code run with a deadline and are killed, failing the test, when they pass it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::server::{Route, Server};
use crate::{bin, run, stderr, stdout, tempdir};

fn page(title: &str, place: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Gunmen attacked a police \
         station in {place} on Monday, killing four officers and wounding nine, officials said. The attack \
         was the third in {place} this month, police said.</p></article></body></html>"
    )
}

/// A feed of two items, `/a1` and `/a2`, with an ETag; `a2_summary` is the second
/// item's description.
fn feed(base: &str, a2_summary: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Test Ledger</title>
<item><title>Attack in Quetta</title><link>{base}/a1</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Attack in Multan</title><link>{base}/a2</link><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate><description>{a2_summary}</description></item>
</channel></rss>"#
    )
}

/// A server for [`feed`] whose `/a2` answers 503 until `up` is set.
fn feed_server(a2_summary: &'static str) -> (Server, Arc<AtomicBool>) {
    let up = Arc::new(AtomicBool::new(false));
    let base = Arc::new(Mutex::new(String::new()));
    let (up2, base2) = (Arc::clone(&up), Arc::clone(&base));
    let server = Server::with_handler(Arc::new(move |path: &str| match path {
        "/feed.xml" => {
            Route::ok("application/rss+xml", feed(&base2.lock().unwrap(), a2_summary)).with_header("ETag", "\"f1\"")
        }
        "/a1" => Route::ok("text/html", page("Attack in Quetta", "Quetta")),
        "/a2" if up2.load(Ordering::SeqCst) => Route::ok("text/html", page("Attack in Multan", "Multan")),
        "/a2" => Route::status(503),
        _ => Route::status(404),
    }));
    *base.lock().unwrap() = format!("http://{}", server.addr);
    (server, up)
}

fn ingest(db: &Path, args: &[&str]) -> Output {
    run(bin().args(["ingest", "--json", "--allow-private", "--config"]).arg(config(db)).arg("--db").arg(db).args(args))
}

/// No delay between requests to the test server.
fn config(db: &Path) -> std::path::PathBuf {
    let cfg = db.with_extension("toml");
    std::fs::write(&cfg, "[fetch]\nper_host_delay_ms = 0\n").unwrap();
    cfg
}

fn summary(o: &Output) -> Value {
    serde_json::from_str(stdout(o).trim()).unwrap_or_else(|e| panic!("{e}: {} {}", stdout(o), stderr(o)))
}

fn failed_list(db: &Path) -> Vec<Value> {
    let o = run(bin().args(["ingest", "--failed", "--json", "--db"]).arg(db));
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Issue 18: a feed item whose page fetch failed was lost for good: the feed's ETag
/// was stored anyway, so the next run got 304 and never saw the item again.
#[test]
fn feed_item_whose_fetch_fails_is_retried_next_run() {
    let (server, up) = feed_server("");
    let dir = tempdir();
    let db = dir.join("news.db");
    let url = server.url("/feed.xml");

    let o = ingest(&db, &[&url]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(s["ingested"], 1, "{s}");
    assert!(s["failed"][0]["reason"].as_str().unwrap().contains("HTTP 503"), "{s}");
    // Kept in the store with its reason.
    let failed = failed_list(&db);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["input"], server.url("/a2"));
    assert!(failed[0]["reason"].as_str().unwrap().contains("HTTP 503"), "{failed:?}");

    // The page is back: the feed is read again in full (no validators were stored) and
    // the item is stored; the failure is forgotten.
    up.store(true, Ordering::SeqCst);
    let o = ingest(&db, &[&url]);
    let s = summary(&o);
    assert!(o.status.success(), "{s}");
    assert_eq!(s["ingested"], 1, "the failed item is fetched on the next run: {s}");
    assert!(failed_list(&db).is_empty());
    let seen = server.seen.lock().unwrap().clone();
    let feed_requests: Vec<_> = seen.iter().filter(|r| r.path == "/feed.xml").collect();
    assert_eq!(
        feed_requests[1].headers.get("if-none-match"),
        None,
        "no ETag is sent while an item had failed: {seen:?}"
    );

    // Now everything is read, the ETag is kept and the feed answers 304.
    let s = summary(&ingest(&db, &[&url]));
    assert_eq!(s["ingested"], 0, "{s}");
    let seen = server.seen.lock().unwrap().clone();
    let last = seen.last().unwrap();
    assert_eq!(
        (last.path.as_str(), last.headers.get("if-none-match").map(String::as_str)),
        ("/feed.xml", Some("\"f1\"")),
        "{seen:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18: the feed's own summary of an item was not used when its page could not
/// be fetched, so the item was lost; now it is stored (and said so) and fetched again.
#[test]
fn feed_summary_is_used_when_the_page_fetch_fails() {
    let (server, up) = feed_server(
        "Gunmen attacked a checkpoint in Multan on Tuesday, killing three soldiers, the army said in a statement.",
    );
    let dir = tempdir();
    let db = dir.join("news.db");
    let url = server.url("/feed.xml");

    let o = ingest(&db, &[&url]);
    let s = summary(&o);
    assert_eq!(o.status.code(), Some(2), "the item is still reported as failed: {s}");
    assert_eq!(s["ingested"], 2, "{s}");
    assert_eq!(s["from_summaries"], 1, "{s}");
    let reason = s["failed"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("HTTP 503") && reason.contains("summary"), "{s}");
    let o = run(bin().args(["ingest", "--allow-private", "--config"]).arg(config(&db)).arg("--db").arg(&db).arg(&url));
    assert!(stderr(&o).contains("stored from the feed's summary"), "the summary line says so: {}", stderr(&o));
    let o = run(bin().args(["search", "--json", "--db"]).arg(&db).arg("checkpoint"));
    assert!(stdout(&o).contains("Multan"), "the summary is stored and searchable: {}", stdout(&o));

    // Once the page is up, it replaces the summary as a new version of the URL.
    up.store(true, Ordering::SeqCst);
    let o = ingest(&db, &[&url]);
    let s = summary(&o);
    assert!(o.status.success(), "{s}");
    assert_eq!((s["ingested"].as_u64(), s["new_versions"].as_u64()), (Some(1), Some(1)), "{s}");
    assert!(failed_list(&db).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Waits for `child` until `deadline`, killing it (and failing the test) past it.
fn wait_with_deadline(mut child: Child, deadline: Duration, what: &str) -> (std::process::ExitStatus, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status, err);
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {deadline:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 18: `watch` on a dead feed retried for ever and exited 0.
#[test]
fn watch_gives_up_on_a_dead_feed_and_exits_nonzero() {
    let dir = tempdir();
    let db = dir.join("news.db");
    // A port nothing listens on: every poll fails at once.
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/feed.xml", l.local_addr().unwrap())
    };
    let child = bin()
        .args(["watch", "--every", "1s", "--give-up-after", "2", "--allow-private", "--config"])
        .arg(config(&db))
        .arg("--db")
        .arg(&db)
        .arg(&dead)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Two polls 2 s apart; the old code never stopped.
    let (status, err) = wait_with_deadline(child, Duration::from_secs(60), "watch on a dead feed");
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("giving up after 2 failed polls in a row"), "{err}");
    assert!(err.contains("every feed failed"), "{err}");
    // The failure is kept for `ingest --failed`.
    assert!(failed_list(&db).iter().any(|f| f["input"] == dead.as_str()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18: Ctrl-C in `watch` waited for a trickling server to finish (each byte reset
/// the read timeout). The fetch now stops between two reads.
#[cfg(unix)]
#[test]
fn ctrl_c_in_watch_stops_a_trickling_fetch_promptly() {
    let server = Server::with_handler(Arc::new(|_: &str| Route {
        trickle: true,
        ..Route::ok("application/rss+xml", vec![b' '; 400]) // 80 s at 5 bytes a second
    }));
    let dir = tempdir();
    let db = dir.join("news.db");
    let child = bin()
        .args(["watch", "--every", "1s", "--allow-private", "--config"])
        .arg(config(&db))
        .arg("--db")
        .arg(&db)
        .arg(server.url("/slow.xml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Let the fetch start, then interrupt it.
    let start = Instant::now();
    while !server.seen.lock().unwrap().iter().any(|r| r.path == "/slow.xml") {
        assert!(start.elapsed() < Duration::from_secs(30), "the feed was never fetched");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let interrupted = Instant::now();
    let sent = Command::new("kill").arg("-INT").arg(child.id().to_string()).status().unwrap();
    assert!(sent.success());
    let (_, err) = wait_with_deadline(child, Duration::from_secs(20), "watch after Ctrl-C");
    // The fetch's deadline is 60 s and the body takes 80 s; stopping takes well under 20.
    assert!(interrupted.elapsed() < Duration::from_secs(20), "{err}");
    assert!(err.contains("watch stopped"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18: a page's charset declared only in the HTTP `Content-Type` was ignored.
#[test]
fn http_content_type_charset_is_used_for_the_page() {
    let mut body = b"<html><head><title>Attack</title></head><body><article><p>Gunmen attacked a caf".to_vec();
    body.extend_from_slice(
        b"\xe9 in Besan\xe7on on Monday, killing two people, police said.</p></article></body></html>",
    );
    let server =
        Server::with_handler(Arc::new(move |_: &str| Route::ok("text/html; charset=windows-1252", body.clone())));
    let dir = tempdir();
    let db = dir.join("news.db");
    let s = summary(&ingest(&db, &[&server.url("/story")]));
    assert_eq!(s["ingested"], 1, "{s}");
    let o = run(bin().args(["search", "--json", "--db"]).arg(&db).arg("Besançon"));
    assert!(stdout(&o).contains("Besançon"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}
