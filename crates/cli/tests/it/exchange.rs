//! `claimgraph export` and `import`, run as a user would, and checked with the tools
//! their users read them with (tools/check_exports.py: the OASIS STIX schemas and
//! `stix2_validator --strict`, pandas and R, RFC 7946).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::incidents::{demo_records, ingest_records};
use crate::{bin, run, stderr, stdout, tempdir};

/// The Python that runs tools/check_exports.py: CLAIMGRAPH_PYTHON (CI points it at a
/// virtualenv with stix2-validator, jsonschema and pandas), else python3. Unless
/// CLAIMGRAPH_REQUIRE_EXPORT_TOOLS=1 (as in CI), a missing tool skips its check.
pub(crate) fn check(kind: &str, files: &[&Path]) {
    let python = std::env::var("CLAIMGRAPH_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/check_exports.py");
    let mut cmd = Command::new(python);
    cmd.arg(script).arg(kind).args(files);
    if std::env::var("CLAIMGRAPH_REQUIRE_EXPORT_TOOLS").as_deref() != Ok("1") {
        cmd.env("CLAIMGRAPH_ALLOW_MISSING_TOOLS", "1");
    }
    let o = cmd.output().expect("python runs");
    assert!(o.status.success(), "{kind} check failed:\n{}{}", stdout(&o), stderr(&o));
    eprintln!("{}", stdout(&o));
}

fn export(db: &Path, args: &[&str], out: &Path) {
    let o = run(bin().args(["export", "--db"]).arg(db).args(args).arg("--output").arg(out));
    assert!(o.status.success(), "{}", stderr(&o));
}

fn demo_store(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    ingest_records(&db, dir, "demo.jsonl", &demo_records());
    db
}

fn csv_rows(path: &Path, columns: &[&str]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv_reader(&text);
    let header: Vec<String> = reader.remove(0);
    let idx: Vec<usize> = columns.iter().map(|c| header.iter().position(|h| h == c).expect(c)).collect();
    let mut rows: Vec<Vec<String>> = reader.into_iter().map(|r| idx.iter().map(|&i| r[i].clone()).collect()).collect();
    rows.sort();
    rows
}

/// A small CSV reader for the tests (quoted fields, doubled quotes, commas, newlines).
pub(crate) fn csv_reader(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn stix_is_valid_strict_and_stable() {
    let dir = tempdir();
    let db = demo_store(&dir);
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    export(&db, &["--format", "stix"], &a);
    export(&db, &["--format", "stix"], &b);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "the same store exports the same bundle");
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let objects = bundle["objects"].as_array().unwrap();
    let of = |t: &str| objects.iter().filter(|o| o["type"] == t).collect::<Vec<_>>();
    assert_eq!(of("extension-definition").len(), 1);
    let ext = of("extension-definition")[0]["id"].as_str().unwrap().to_string();
    let kerman = of("incident").into_iter().find(|i| i["name"] == "Kerman blasts").expect("the Kerman incident");
    assert_eq!(kerman["extensions"][&ext]["killed_high"], 103.0);
    assert!(of("threat-actor").iter().any(|t| t["name"] == "Islamic State"));
    assert!(of("report").iter().all(|r| !r["object_refs"].as_array().unwrap().is_empty()));
    // Claims are notes by their speakers; credibility maps to STIX confidence.
    let notes = of("note");
    assert!(notes.iter().all(|n| n["created_by_ref"].as_str().is_none_or(|s| s.starts_with("identity--"))));
    assert!(notes.iter().any(|n| n["confidence"].is_number()));
    // Every reference points at an object in the bundle.
    let ids: BTreeSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    for o in objects {
        for r in o["object_refs"].as_array().into_iter().flatten().chain([
            &o["source_ref"],
            &o["target_ref"],
            &o["created_by_ref"],
        ]) {
            if let Some(r) = r.as_str() {
                assert!(ids.contains(r), "{} refers to {r}, which is not in the bundle", o["id"]);
            }
        }
    }
    check("stix", &[&a]);
    // One incident alone.
    let one = dir.join("one.json");
    let id = kerman["external_references"][0]["external_id"].as_str().unwrap();
    export(&db, &["--format", "stix", "--incident", id], &one);
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&one).unwrap()).unwrap();
    assert_eq!(bundle["objects"].as_array().unwrap().iter().filter(|o| o["type"] == "incident").count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_and_geojson_load_in_their_tools_and_csv_round_trips() {
    let dir = tempdir();
    let db = demo_store(&dir);
    let (acled, gtd, geo) = (dir.join("acled.csv"), dir.join("gtd.csv"), dir.join("incidents.geojson"));
    export(&db, &["--format", "csv-acled"], &acled);
    export(&db, &["--format", "csv-gtd"], &gtd);
    export(&db, &["--format", "geojson"], &geo);
    check("csv", &[&acled, &gtd]);
    check("geojson", &[&geo]);
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    let kerman = fc["features"].as_array().unwrap().iter().find(|f| f["properties"]["place"] == "Kerman").unwrap();
    assert_eq!(kerman["geometry"]["coordinates"][0].as_f64().unwrap().round(), 57.0, "longitude first");
    assert!(kerman["properties"]["perpetrators"].as_array().unwrap().iter().any(|p| p["status"] == "claimed"));
    let kerman_row = csv_rows(&acled, &["location", "fatalities", "actor1", "event_type"])
        .into_iter()
        .find(|r| r[0] == "Kerman")
        .unwrap();
    assert_eq!(kerman_row[1], "40", "the most conservative figure");
    assert_eq!(kerman_row[2], "Islamic State");

    // Round trip: what is exported and imported into an empty store exports the same.
    let acled_cols = [
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "country",
        "location",
        "latitude",
        "longitude",
        "fatalities",
    ];
    let gtd_cols = [
        "iyear",
        "imonth",
        "iday",
        "approxdate",
        "country_txt",
        "provstate",
        "city",
        "latitude",
        "longitude",
        "attacktype1_txt",
        "gname",
        "nkill",
        "nwound",
        "suicide",
    ];
    for (format, file, cols) in [("csv-acled", &acled, &acled_cols[..]), ("csv-gtd", &gtd, &gtd_cols[..])] {
        let fresh = dir.join(format!("{format}.db"));
        let o = run(bin().args(["import", "--format", format, "--db"]).arg(&fresh).arg(file));
        assert!(o.status.success(), "{}", stderr(&o));
        let again = dir.join(format!("again-{format}.csv"));
        export(&fresh, &["--format", format], &again);
        assert_eq!(csv_rows(&again, cols), csv_rows(file, cols), "{format} round trip");
        // Importing again adds nothing.
        let o = run(bin().args(["import", "--format", format, "--db"]).arg(&fresh).arg(file));
        assert!(stderr(&o).contains("imported 0 reference incidents"), "{}", stderr(&o));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn imported_records_are_references_news_reports_join_and_bad_rows_are_named() {
    let dir = tempdir();
    let db = demo_store(&dir);
    // A curated record of the Kerman bombings (facts: 3 January 2024, Kerman, Iran; the
    // official toll was revised to 95; Islamic State claimed it), a malformed date, and
    // a broken quote.
    let csv = dir.join("gtd.csv");
    std::fs::write(
        &csv,
        "eventid,iyear,imonth,iday,country_txt,city,latitude,longitude,attacktype1_txt,suicide,gname,claimed,nkill,nwound,summary\n\
         202401030001,2024,1,3,Iran,Kerman,30.28,57.08,Bombing/Explosion,1,Islamic State,1,95,284,Two blasts near a memorial ceremony.\n\
         202401030002,2024,13,3,Iran,Kerman,30.28,57.08,Bombing/Explosion,1,Islamic State,1,95,284,Bad month.\n\
         202401030003,2024,1,3,Iran,\"Kerman,30.28,57.08,Bombing/Explosion\n",
    )
    .unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&csv));
    assert_eq!(o.status.code(), Some(2), "some rows were skipped: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("imported 1 reference incident"), "{err}");
    assert!(err.contains("skipped line 3: imonth 13"), "{err}");
    assert!(err.contains("skipped line 4"), "{err}");
    let o = run(bin().args(["incidents", "--json", "--place", "Kerman", "--db"]).arg(&db));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let kerman = list.iter().find(|i| i["date"] == "2024-01-03").unwrap();
    assert_eq!(kerman["references"], serde_json::json!(["reference:gtd/202401030001"]), "{kerman:#}");
    assert!(kerman["documents"].as_array().unwrap().len() >= 4, "the news reports stay linked");
    std::fs::remove_dir_all(&dir).unwrap();
}
