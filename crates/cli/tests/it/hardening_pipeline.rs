//! The ingest pipeline and the store's locking under failure (issue 18): writers that
//! fail loudly, never hang; a held write lock is waited for, then reported as busy;
//! files the store cannot use are refused before anything is written; read commands
//! work on a read-only store; `--threads` is capped.
//!
//! Every child process here runs under a deadline ([`run_within`]): a regression that
//! hangs fails its test instead of hanging the suite.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde_json::Value;

use crate::{bin, run, stderr, stdout, tempdir};

/// How a child run under a deadline ended.
struct Finished {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
}

/// A child whose output goes to files (so a full pipe cannot block it).
struct Running {
    child: std::process::Child,
    dir: PathBuf,
    started: Instant,
    what: String,
}

fn spawn(cmd: &mut Command, what: &str) -> Running {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "claimgraph-it-{}-run-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.join("stdout")).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr")).unwrap())
        .spawn()
        .expect("the claimgraph binary runs");
    Running { child, dir, started: Instant::now(), what: what.to_string() }
}

impl Running {
    /// Waits for the child, killing it and failing the test if it is still running
    /// `limit` after it started.
    fn wait_within(mut self, limit: Duration) -> Finished {
        let (out, err) = (self.dir.join("stdout"), self.dir.join("stderr"));
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if self.started.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "{}: still running after {} s (hung), killed; it printed: {}",
                    self.what,
                    limit.as_secs(),
                    std::fs::read_to_string(&err).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let finished = Finished {
            code: status.code(),
            stdout: std::fs::read_to_string(&out).unwrap(),
            stderr: std::fs::read_to_string(&err).unwrap(),
            seconds: self.started.elapsed().as_secs_f64(),
        };
        let _ = std::fs::remove_dir_all(&self.dir);
        finished
    }
}

/// Runs `cmd` under a deadline (see [`Running::wait_within`]).
fn run_within(cmd: &mut Command, limit: Duration, what: &str) -> Finished {
    spawn(cmd, what).wait_within(limit)
}

/// A short report of its own, different for every `n` (so none is a duplicate).
fn report(n: usize) -> String {
    format!(
        "A car bomb exploded near checkpoint {n} in Mosul on Tuesday, killing {k} soldiers and wounding {w}, army officials said.\n",
        k = 2 + n % 17,
        w = 5 + n % 23
    )
}

/// A folder of `count` reports, numbered from `first`.
fn folder_of_reports(dir: &Path, name: &str, first: usize, count: usize) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    for n in first..first + count {
        std::fs::write(folder.join(format!("r{n:05}.txt")), report(n)).unwrap();
    }
    folder
}

/// A store with the current schema and one document in it.
fn store_with_one_document(dir: &Path) -> PathBuf {
    let db = dir.join("news.db");
    let one = dir.join("one.txt");
    std::fs::write(&one, "Gunmen attacked a bus in Lahore on Friday, killing 4 passengers, police said.\n").unwrap();
    let o = run(bin().args(["ingest", "--quiet", "--db"]).arg(&db).arg(&one));
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

/// A connection holding the store's write lock until dropped or committed.
fn hold_write_lock(db: &Path) -> Connection {
    let holder = Connection::open(db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE; INSERT INTO feeds (url) VALUES ('https://held.example/lock');").unwrap();
    holder
}

fn documents_in(db: &Path) -> i64 {
    Connection::open(db).unwrap().query_row("SELECT count(*) FROM documents", [], |r| r.get(0)).unwrap()
}

#[test]
fn ingest_does_not_hang_after_a_store_write_error() {
    // 2,000 documents fill every channel while the first batch waits for the lock; the
    // old pipeline then left the reader blocked on a full channel forever.
    let dir = tempdir();
    let db = store_with_one_document(&dir);
    let folder = folder_of_reports(&dir, "reports", 0, 2000);
    let holder = hold_write_lock(&db);
    // The fixed run gives up after the 10 s busy timeout; 90 s is far above that.
    let f = run_within(
        bin().args(["ingest", "--quiet", "--threads", "2", "--db"]).arg(&db).arg(&folder),
        Duration::from_secs(90),
        "ingest while the store is locked",
    );
    drop(holder);
    assert_eq!(f.code, Some(1), "a store error must exit 1: {}", f.stderr);
    assert!(f.stderr.contains("is busy") && f.stderr.contains("news.db"), "the message names the cause: {}", f.stderr);
    assert!(f.seconds >= 9.0, "it gave up before its busy timeout ({:.1} s): {}", f.seconds, f.stderr);
    assert_eq!(documents_in(&db), 1, "nothing was written while the lock was held");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ingest_waits_its_busy_timeout_for_a_held_write_lock() {
    // Deferred transactions failed with "database is locked" at once (0.12 s) despite
    // the 10 s busy timeout; a write transaction must take the lock up front and wait.
    let dir = tempdir();
    let db = store_with_one_document(&dir);
    let folder = folder_of_reports(&dir, "reports", 0, 100);
    let holder = hold_write_lock(&db);
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        holder.execute_batch("COMMIT").unwrap();
    });
    let f = run_within(
        bin().args(["ingest", "--json", "--quiet", "--db"]).arg(&db).arg(&folder),
        Duration::from_secs(60),
        "ingest waiting for the lock",
    );
    release.join().unwrap();
    assert_eq!(f.code, Some(0), "{}", f.stderr);
    let summary: Value = serde_json::from_str(f.stdout.trim()).unwrap();
    assert_eq!(summary["ingested"], 100, "{summary}");
    assert_eq!(documents_in(&db), 101);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_concurrent_ingests_both_finish_or_the_second_says_busy() {
    // First on a new file: the two race to create the schema (before, one failed with
    // "table documents already exists"). Then again on the filled file: their batches
    // contend for the write lock (before, one failed at once with "database is locked"
    // or, with enough documents queued, hung on a full channel).
    let dir = tempdir();
    let db = dir.join("shared.db");
    let mut expected = 0;
    for (round, first) in [(0, 0), (1, 100_000)] {
        let one = folder_of_reports(&dir, &format!("round{round}-a"), first, 1000);
        let two = folder_of_reports(&dir, &format!("round{round}-b"), first + 10_000, 1000);
        let ingest = |folder: &Path, what: &str| {
            spawn(bin().args(["ingest", "--json", "--quiet", "--db"]).arg(&db).arg(folder), what)
        };
        let (a, b) = (ingest(&one, "one of two concurrent ingests"), ingest(&two, "the other concurrent ingest"));
        // Alone, each takes a few seconds (debug build); 240 s is far above both together.
        let (a, b) = (a.wait_within(Duration::from_secs(240)), b.wait_within(Duration::from_secs(240)));
        let mut finished = 0;
        for f in [&a, &b] {
            match f.code {
                Some(0) => {
                    let summary: Value = serde_json::from_str(f.stdout.trim()).unwrap();
                    assert_eq!(summary["ingested"], 1000, "round {round}: {summary}");
                    finished += 1;
                }
                Some(1) => assert!(
                    f.stderr.contains("is busy"),
                    "round {round}: a failure must say the store is busy: {}",
                    f.stderr
                ),
                other => panic!("round {round}: exit {other:?}: {}", f.stderr),
            }
        }
        assert!(finished > 0, "round {round}: neither ingest finished: {} / {}", a.stderr, b.stderr);
        expected += 1000 * finished;
        assert!(documents_in(&db) >= expected, "round {round}");
    }
    let check: String = Connection::open(&db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn user_version_minus_one_is_an_error_not_a_panic() {
    let dir = tempdir();
    let db = dir.join("odd.db");
    Connection::open(&db).unwrap().pragma_update(None, "user_version", -1).unwrap();
    let input = dir.join("report.txt");
    std::fs::write(&input, report(1)).unwrap();
    let input = input.to_str().unwrap();
    for args in [&["search", "bomb"][..], &["incidents"], &["ingest", "--quiet", input]] {
        let o = run(bin().args(args).arg("--db").arg(&db));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("schema version -1"), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn newer_schema_is_refused_before_switching_to_wal() {
    let dir = tempdir();
    let db = dir.join("future.db");
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (1);").unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let input = dir.join("report.txt");
    std::fs::write(&input, report(1)).unwrap();
    let input = input.to_str().unwrap();
    for args in [&["search", "bomb"][..], &["ingest", "--quiet", input]] {
        let o = run(bin().args(args).arg("--db").arg(&db));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("newer than this claimgraph knows"), "{args:?}: {}", stderr(&o));
    }
    let conn = Connection::open(&db).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "delete", "the refused file was switched to WAL");
    drop(conn);
    assert!(!dir.join("future.db-wal").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Sets `path`'s permission bits.
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `GET path` on a local server: the status line and the body.
fn http_get(port: u16, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

#[test]
fn read_only_database_can_be_read() {
    let dir = tempdir();
    let store_dir = dir.join("archive");
    std::fs::create_dir_all(&store_dir).unwrap();
    let db = store_dir.join("news.db");
    let input = dir.join("claimed.txt");
    std::fs::write(
        &input,
        "A suicide bomber killed 9 people at a police station in Quetta on Tuesday, officials said. \
         The Islamic State claimed responsibility for the bombing in a statement.\n",
    )
    .unwrap();
    let o = run(bin().args(["ingest", "--quiet", "--db"]).arg(&db).arg(&input));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(bin().args(["incidents", "--json", "--db"]).arg(&db));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let id = list[0]["id"].as_str().expect("an incident").to_string();
    // The file and its folder read-only (for root these bits change nothing; the store's
    // own read-only test opens it read-only by flag).
    chmod(&db, 0o444);
    chmod(&store_dir, 0o555);
    // As root the bits bind nobody, so the read commands run as user `nobody` where
    // `setpriv` can start the binary that way (it always can in CI and on a developer
    // machine whose checkout is world-readable); otherwise as the user running the tests.
    let (reader, bits_bind) = unprivileged_bin();
    let reads: [&[&str]; 6] = [
        &["search", "quetta"],
        &["incidents", "--json"],
        &["incident", &id],
        &["actor", "Islamic State"],
        &["export", "--format", "geojson"],
        &["export", "--format", "jsonl"],
    ];
    for args in reads {
        let f = run_within(reader().args(args).arg("--db").arg(&db), Duration::from_secs(60), args[0]);
        assert_eq!(f.code, Some(0), "{args:?} on a read-only store: {}", f.stderr);
        assert!(!f.stdout.is_empty(), "{args:?} printed nothing: {}", f.stderr);
    }
    // Writing is refused with a clear message, before any input is read (checkable
    // where the bits bind: as nobody, or as any user but root).
    if bits_bind {
        let o = run(reader().args(["ingest", "--quiet", "--db"]).arg(&db).arg(&input));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("is read-only"), "{}", stderr(&o));
    }
    // serve, too.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = reader()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db"])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline || server.try_wait().unwrap().is_some() {
            let _ = server.kill();
            let _ = server.wait();
            chmod(&store_dir, 0o755);
            panic!("serve did not start on a read-only store");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http_get(port, "/api/v1/incidents");
    let _ = server.kill();
    let _ = server.wait();
    chmod(&store_dir, 0o755);
    chmod(&db, 0o644);
    assert!(status.contains(" 200 "), "{status}: {body}");
    assert!(body.contains(&id), "{body}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A way to run claimgraph as an unprivileged user when the tests run as root (where file
/// permission bits change nothing): `setpriv` to `nobody`, if that can start the binary.
fn unprivileged_bin() -> (fn() -> Command, bool) {
    fn as_nobody() -> Command {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(env!("CARGO_BIN_EXE_claimgraph"));
        cmd
    }
    let root = std::fs::read_to_string("/proc/self/status")
        .is_ok_and(|s| s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0")));
    if root && as_nobody().arg("--version").output().is_ok_and(|o| o.status.success()) {
        (as_nobody, true)
    } else {
        if root {
            eprintln!("note: setpriv cannot start claimgraph as nobody here; the read-only checks run as root");
        }
        (bin, !root)
    }
}

#[test]
fn threads_flag_is_capped() {
    let dir = tempdir();
    let db = dir.join("news.db");
    let folder = folder_of_reports(&dir, "reports", 0, 20);
    let f = run_within(
        bin().args(["ingest", "--json", "--quiet", "--threads", "100000", "--db"]).arg(&db).arg(&folder),
        Duration::from_secs(120),
        "ingest with 100000 threads",
    );
    assert_eq!(f.code, Some(0), "{}", f.stderr);
    assert!(f.stderr.contains("--threads 100000 is more than 4 per core; using"), "{}", f.stderr);
    let summary: Value = serde_json::from_str(f.stdout.trim()).unwrap();
    assert_eq!(summary["ingested"], 20, "{summary}");
    let o = run(bin().args(["ingest", "--quiet", "--threads", "0", "--db"]).arg(&db).arg(&folder));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("at least 1"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn watch_stops_with_an_error_when_the_store_stays_locked() {
    // `watch` runs the same pipeline each round: a store error must end it (exit 1,
    // naming the cause), not hang it nor be taken for a failing feed.
    let dir = tempdir();
    let db = store_with_one_document(&dir);
    let folder = folder_of_reports(&dir, "reports", 0, 1000);
    let holder = hold_write_lock(&db);
    let f = run_within(
        bin().args(["watch", "--every", "1s", "--rounds", "3", "--threads", "2", "--db"]).arg(&db).arg(&folder),
        Duration::from_secs(90),
        "watch while the store is locked",
    );
    drop(holder);
    assert_eq!(f.code, Some(1), "{}", f.stderr);
    assert!(f.stderr.contains("is busy"), "{}", f.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}
