//! The web UI as a person uses it, in headless Chromium: open the incident list, filter
//! it, open an incident, follow a claim to the sentence it came from, open the map.
//! Chromium is found as CLAIMGRAPH_CHROMIUM or `chromium` on the PATH; without it the
//! test is skipped unless CLAIMGRAPH_REQUIRE_BROWSER=1 (as in CI, which installs it).
//! Screenshots of each page land in target/screenshots/.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{bin, run, stderr, tempdir};

fn chromium() -> Option<String> {
    if let Ok(c) = std::env::var("CLAIMGRAPH_CHROMIUM") {
        return Some(c);
    }
    ["chromium", "chromium-browser", "google-chrome"].into_iter().map(str::to_string).find(|c| {
        Command::new(c).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    })
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(db: &Path, port: u16) -> Server {
    let child = bin()
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// The page as Chromium rendered it, and a screenshot of it.
fn visit(chrome: &str, profile: &Path, url: &str, shot: &str) -> String {
    let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1200"];
    let o = Command::new(chrome)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(dom.contains("<main>"), "{url} did not render: {}", String::from_utf8_lossy(&o.stderr));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let _ = Command::new(chrome)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", dir.join(shot).display()))
        .arg(url)
        .output();
    dom
}

/// The first `href="PREFIX..."` in a page.
fn link(dom: &str, prefix: &str) -> String {
    let at = dom.find(&format!("href=\"{prefix}")).unwrap_or_else(|| panic!("no link to {prefix} in:\n{dom}"));
    let rest = &dom[at + 6..];
    rest[..rest.find('"').unwrap()].replace("&amp;", "&")
}

#[test]
fn an_analyst_goes_from_the_list_to_a_claim_and_the_map() {
    let Some(chrome) = chromium() else {
        assert_ne!(std::env::var("CLAIMGRAPH_REQUIRE_BROWSER").as_deref(), Ok("1"), "Chromium is required but missing");
        eprintln!("skipped: no Chromium");
        return;
    };
    let dir = tempdir();
    let db: PathBuf = dir.join("demo.db");
    let o = run(bin().args(["demo", "--score-only", "--db"]).arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let port = free_port();
    let _server = start(&db, port);
    let base = format!("http://127.0.0.1:{port}");
    let profile = dir.join("chrome");

    let list = visit(&chrome, &profile, &format!("{base}/"), "1-incidents.png");
    assert!(list.contains("<h1>Incidents</h1>") && list.contains("Mumbai"), "{list}");
    let filtered = visit(&chrome, &profile, &format!("{base}/?place=Kerman"), "2-filtered.png");
    assert!(filtered.contains("Kerman") && !filtered.contains(">Mumbai<"), "{filtered}");
    let incident = visit(&chrome, &profile, &format!("{base}{}", link(&filtered, "/incidents/")), "3-incident.png");
    assert!(incident.contains("Who is named responsible") && incident.contains("The tally over time"), "{incident}");
    // A claim's link (the figures table links documents without an anchor).
    let claim = incident
        .match_indices("href=\"/documents/")
        .map(|(at, _)| {
            let rest = &incident[at + 6..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .find(|l| l.contains('#'))
        .expect("a claim links to its document");
    let (_, anchor) = claim.split_once('#').expect("a claim link points at its claim");
    let document = visit(&chrome, &profile, &format!("{base}{claim}"), "4-document.png");
    assert!(
        document.contains(&format!("<mark class=\"claim\" id=\"{anchor}\"")),
        "the claim is marked in its document"
    );
    let map = visit(&chrome, &profile, &format!("{base}/map"), "5-map.png");
    assert!(map.contains("class=\"land\"") && map.contains("class=\"incident\""), "{map}");
    let timeline = visit(&chrome, &profile, &format!("{base}/timeline"), "6-timeline.png");
    assert!(timeline.contains("class=\"bar\""));
    let actor = visit(&chrome, &profile, &format!("{base}/actors/Israel"), "7-actor.png");
    assert!(actor.contains("Who accuses whom") && actor.contains("<line"), "{actor}");
    drop(_server);
    std::fs::remove_dir_all(&dir).unwrap();
}
