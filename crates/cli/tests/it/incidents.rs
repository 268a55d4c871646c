//! Incidents across documents: `ingest` resolves, `incidents`, `incident`, `actor`.
//! The input is the demo corpus (demo/), with its manifest's metadata, as JSON Lines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{assert_valid_as, bin, run, stderr, stdout, tempdir};

/// The demo articles as JSON Lines records, in manifest order.
pub(crate) fn demo_records() -> Vec<String> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo");
    let manifest: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(demo.join("corpus.json")).unwrap()).unwrap();
    manifest
        .iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap();
            let body = std::fs::read_to_string(demo.join(file)).unwrap();
            let key = if file.ends_with(".html") { "html" } else { "text" };
            serde_json::json!({key: body, "url": e["url"], "title": e["title"], "published": e["published"], "source": e["source"]})
                .to_string()
        })
        .collect()
}

pub(crate) fn ingest_records(db: &Path, dir: &Path, name: &str, records: &[String]) {
    let file = dir.join(name);
    std::fs::write(&file, records.join("\n") + "\n").unwrap();
    let o = run(bin().args(["ingest", "--quiet", "--db"]).arg(db).arg(&file));
    assert!(o.status.success(), "{}", stderr(&o));
}

fn incidents(db: &Path, extra: &[&str]) -> Vec<Value> {
    let o = run(bin().args(["incidents", "--json", "--db"]).arg(db).args(extra));
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// Each incident as (id, its documents' urls): what must not depend on ingest order.
fn partition(list: &[Value]) -> BTreeSet<(String, BTreeSet<String>)> {
    list.iter()
        .map(|i| {
            let docs = i["documents"].as_array().unwrap().iter().map(|d| d["url"].as_str().unwrap().to_string());
            (i["id"].as_str().unwrap().to_string(), docs.collect())
        })
        .collect()
}

fn db_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

#[test]
fn reports_of_one_incident_merge_whatever_the_order_and_the_record_follows_the_schema() {
    let dir = tempdir();
    let records = demo_records();
    let all = db_in(&dir, "all.db");
    ingest_records(&all, &dir, "all.jsonl", &records);
    let list = incidents(&all, &[]);
    assert_valid_as(&Value::Array(list.clone()), "incidents.schema.json");

    // Kerman: the first report, the claim a day later and the analysis weeks later are
    // one incident, with every figure reported and the attribution laid out.
    let kerman =
        list.iter().find(|i| i["place"]["name"] == "Kerman" && i["date"] == "2024-01-03").expect("the Kerman bombing");
    assert!(kerman["documents"].as_array().unwrap().len() >= 3, "{kerman:#}");
    let killed = &kerman["killed"];
    assert_eq!(killed["high"], 103.0, "the highest toll reported");
    assert!(killed["low"].as_f64().unwrap() <= 95.0);
    assert!(kerman["figures"].as_array().unwrap().iter().any(|f| f["category"] == "killed" && f["value"] == 95.0));
    let party = |name: &str| kerman["perpetrators"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned();
    let is = party("Islamic State").expect("Islamic State on the board");
    assert_eq!(is["status"], "claimed");
    assert!(is["n_sources"].as_u64().unwrap() >= 2);
    let israel = party("Israel").expect("Israel on the board");
    assert_eq!(israel["status"], "disputed", "accused and denied: {israel:#}");
    let kinds: BTreeSet<&str> =
        kerman["contradictions"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains("accused_while_claimed") && kinds.contains("denied"), "{kinds:?}");
    for c in kerman["claims"].as_array().unwrap() {
        let credibility = c["credibility"].as_u64().unwrap();
        assert!((1..=6).contains(&credibility));
    }
    // Attacks on other days, in other cities, stay apart.
    assert!(list.iter().any(|i| i["place"]["name"] == "Mumbai"));
    assert!(!kerman["documents"].as_array().unwrap().iter().any(|d| d["url"].as_str().unwrap().contains("mumbai")));

    // The same documents in reverse order, and in two runs: the same incidents, ids too.
    let reversed = db_in(&dir, "reversed.db");
    let mut rev = records.clone();
    rev.reverse();
    ingest_records(&reversed, &dir, "rev.jsonl", &rev);
    assert_eq!(partition(&incidents(&reversed, &[])), partition(&list));
    let halves = db_in(&dir, "halves.db");
    ingest_records(&halves, &dir, "second.jsonl", &records[records.len() / 2..]);
    ingest_records(&halves, &dir, "first.jsonl", &records[..records.len() / 2]);
    assert_eq!(partition(&incidents(&halves, &[])), partition(&list));

    // Filters.
    let bombings = incidents(&all, &["--kind", "bombing", "--since", "2024-01-01", "--until", "2024-01-31"]);
    assert!(!bombings.is_empty() && bombings.iter().all(|i| i["kind"] == "bombing"));
    assert!(incidents(&all, &["--place", "IR"]).iter().all(|i| i["place"]["country"] == "IR"));
    let by_alias = incidents(&all, &["--actor", "the islamic state"]);
    assert!(by_alias.iter().any(|i| i["id"] == kerman["id"]));
    let o = run(bin().args(["incidents", "--jsonl", "--limit", "2", "--db"]).arg(&all));
    assert_eq!(stdout(&o).lines().count(), 2);

    // One incident, for people and as JSON; an unknown id is an error that says so.
    let id = kerman["id"].as_str().unwrap();
    let o = run(bin().args(["incident", "--db"]).arg(&all).arg(id));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for part in ["The tally over time", "Who is named responsible", "Islamic State — claimed", "Contradictions"] {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
    let o = run(bin().args(["incident", "--json", "--db"]).arg(&all).arg(id));
    let one: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_valid_as(&Value::Array(vec![one]), "incidents.schema.json");
    let o = run(bin().args(["incident", "--db"]).arg(&all).arg("inc-nothing-0"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no incident inc-nothing-0"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_actor_is_one_actor_under_any_of_its_names() {
    let dir = tempdir();
    let db = db_in(&dir, "demo.db");
    ingest_records(&db, &dir, "all.jsonl", &demo_records());
    let actor = |name: &str| -> Value {
        let o = run(bin().args(["actor", "--json", "--db"]).arg(&db).arg(name));
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let a = actor("IS-K");
    assert_eq!(a["name"], "Islamic State-Khorasan");
    assert_eq!(a["name"], actor("ISIS-K")["name"]);
    assert_eq!(a["name"], actor("Islamic State Khorasan Province")["name"]);
    assert!(!a["incidents"].as_array().unwrap().is_empty(), "{a:#}");
    assert!(!a["accused_of"].as_array().unwrap().is_empty(), "{a:#}");
    let is = actor("Islamic State");
    assert!(!is["claimed"].as_array().unwrap().is_empty(), "{is:#}");
    assert_eq!(is["more_incidents"], false, "{is:#}");
    let o = run(bin().args(["actor", "--db"]).arg(&db).arg("Nobody At All"));
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18: the profile built every record of every incident an actor is named in, so
/// a frequently named actor took seconds and the web server shed its page under load.
#[test]
fn actor_profile_work_is_bounded_by_its_limit() {
    let dir = tempdir();
    let db = db_in(&dir, "demo.db");
    ingest_records(&db, &dir, "all.jsonl", &demo_records());
    let profile = |limit: &str| -> Value {
        let o = run(bin().args(["actor", "--json", "--limit", limit, "--db"]).arg(&db).arg("Islamic State"));
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let all = profile("50");
    let n = all["incidents"].as_array().unwrap().len();
    assert!(n >= 2, "the demo names the Islamic State in several incidents: {all:#}");
    let one = profile("1");
    assert_eq!(one["incidents"].as_array().unwrap().len(), 1, "{one:#}");
    assert_eq!(one["more_incidents"], true, "{one:#}");
    assert_eq!(one["incidents"][0], all["incidents"][0], "the newest comes first in both");
    let o = run(bin().args(["actor", "--limit", "1", "--db"]).arg(&db).arg("Islamic State"));
    assert!(stdout(&o).contains("(the newest 1; "), "{}", stdout(&o));
    let o = run(bin().args(["actor", "--db"]).arg(&db).arg("Nobody At All"));
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn source_grades_come_from_the_settings_and_show_on_the_board() {
    let dir = tempdir();
    let db = db_in(&dir, "demo.db");
    ingest_records(&db, &dir, "all.jsonl", &demo_records());
    let config = dir.join("claimgraph.toml");
    std::fs::write(&config, "[reliability]\n'Meridian Wire' = 'A'\n'globaldesk.example' = 'B'\n").unwrap();
    let o = run(bin().args(["incidents", "--json", "--place", "Kerman", "--config"]).arg(&config).arg("--db").arg(&db));
    assert!(o.status.success(), "{}", stderr(&o));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let kerman = &list[0];
    let grade = |url_part: &str| {
        kerman["documents"].as_array().unwrap().iter().find(|d| d["url"].as_str().unwrap().contains(url_part)).unwrap()
            ["reliability"]
            .clone()
    };
    assert_eq!(grade("meridianwire"), "A");
    assert_eq!(grade("globaldesk"), "B");
    let is = kerman["perpetrators"].as_array().unwrap().iter().find(|p| p["name"] == "Islamic State").unwrap();
    assert_eq!(is["grades"][0], "B", "{is:#}");
    std::fs::write(&config, "[reliability]\n'Meridian Wire' = 'Z'\n").unwrap();
    let o = run(bin().args(["incidents", "--config"]).arg(&config).arg("--db").arg(&db));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a grade is a letter from A"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}
