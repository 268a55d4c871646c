//! Issue 18, bounded work per document: a document over the time budget, or a page
//! whose markup is made to be slow to parse, is reported on its own line and the batch
//! goes on with the next file.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{bin, tempdir};

/// Runs the command with a deadline: polls the child, kills it and fails the test if it
/// is still running after `secs`. Returns (exit code, stdout, stderr).
fn run_with_deadline(cmd: &mut std::process::Command, secs: u64) -> (Option<i32>, String, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the claimgraph binary runs");
    // Drain the pipes on threads so that a full pipe cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("claimgraph still running after {secs} s: the time budget did not stop it");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.code(), out.join().unwrap(), err.join().unwrap())
}

#[test]
fn document_over_the_time_budget_is_reported_and_the_batch_goes_on() {
    let dir = tempdir();
    // 4 MB of one sentence repeated: minutes of work even when linear in a debug build,
    // hours on the quadratic code.
    let slow = dir.join("slow.txt");
    let sentence = "A bomb killed 12 people in Kabul on Monday police said and ";
    std::fs::write(&slow, sentence.repeat(4_000_000 / sentence.len())).unwrap();
    let nested = dir.join("nested.html");
    let page = format!(
        "<html><body><article><p>Gunmen attacked a hotel in the capital on Friday.</p>{}</article></body></html>",
        "<div>".repeat(50_000)
    );
    std::fs::write(&nested, page).unwrap();
    let ok = dir.join("ok.txt");
    std::fs::write(&ok, "Gunmen attacked a hotel in the capital on Friday, killing three guards, police said.\n")
        .unwrap();
    let (code, out, err) = run_with_deadline(
        bin().args(["extract", "--jsonl", "--max-seconds", "2"]).arg(&slow).arg(&nested).arg(&ok),
        300,
    );
    assert_eq!(code, Some(2), "some files failed, so the exit status is 2; stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one line per failed file: {err}");
    assert!(lines[0].contains("slow.txt") && lines[0].contains("analysis took longer than 2 s"), "{err}");
    assert!(lines[1].contains("nested.html") && lines[1].contains("nest more than 256 deep"), "{err}");
    let analyses: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(analyses.len(), 1, "the batch went on to ok.txt: {out}");
    assert!(analyses[0]["document"]["text"].as_str().unwrap().starts_with("Gunmen attacked"));
}
