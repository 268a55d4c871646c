//! Regressions of issue 18 in exports and imports: what `export --output` does to what is
//! already at the path, formula cells in CSV, and imports of the wrong shape, with broken
//! quotes or absurd figures, and taking an import back. All data is written here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::exchange::{check, csv_reader};
use crate::incidents::ingest_records;
use crate::{bin, run, stderr, stdout, tempdir};

const GTD_HEADER: &str = "eventid,iyear,imonth,iday,country_txt,city,latitude,longitude,attacktype1_txt,suicide,gname,claimed,nkill,nwound,summary";

/// Two invented reference rows.
fn gtd_rows() -> String {
    format!(
        "{GTD_HEADER}\n\
         202405140001,2024,5,14,Pakistan,Peshawar,34.01,71.58,Bombing/Explosion,0,Unknown,0,14,30,A bomb at a bus station.\n\
         202406020001,2024,6,2,Chile,Valparaiso,-33.05,-71.62,Armed Assault,0,Unknown,0,2,5,Shots fired at a depot.\n"
    )
}

/// A store holding the rows of `csv` (GTD-shaped), imported.
fn store_with(dir: &Path, csv: &str) -> PathBuf {
    let db = dir.join("store.db");
    let file = dir.join("rows.csv");
    std::fs::write(&file, csv).unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&file));
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

fn export_to(db: &Path, format: &str, out: &Path) -> Output {
    run(bin().args(["export", "--format", format, "--db"]).arg(db).arg("--output").arg(out))
}

/// Runs `cmd`, killing it and failing the test if it has not finished within `limit`.
fn run_with_deadline(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the claimgraph binary runs");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Files in `dir` left behind by an export (temporary files).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect()
}

#[cfg(unix)]
#[test]
fn export_output_does_not_replace_a_symlink() {
    let dir = tempdir();
    let db = store_with(&dir, &gtd_rows());
    let real = dir.join("real.csv");
    std::fs::write(&real, "old content\n").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let o = export_to(&db, "csv-gtd", &link);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("eventid,"), "the export went to its target");
    // A link to nothing is refused, clearly, and nothing is created.
    let dangling = dir.join("dangling.csv");
    std::os::unix::fs::symlink("nowhere/x.csv", &dangling).unwrap();
    let o = export_to(&db, "csv-gtd", &dangling);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is a symbolic link to nowhere/x.csv"), "{}", stderr(&o));
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn export_output_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let db = store_with(&dir, &gtd_rows());
    let out = dir.join("private.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = export_to(&db, "jsonl", &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private file stays private (mode {mode:o})");
    assert!(std::fs::read_to_string(&out).unwrap().contains("Peshawar"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn export_output_keeps_hard_links() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempdir();
    let db = store_with(&dir, &gtd_rows());
    let (a, b) = (dir.join("a.geojson"), dir.join("b.geojson"));
    std::fs::write(&a, "old").unwrap();
    std::fs::hard_link(&a, &b).unwrap();
    let o = export_to(&db, "geojson", &a);
    assert!(o.status.success(), "{}", stderr(&o));
    let (ma, mb) = (std::fs::metadata(&a).unwrap(), std::fs::metadata(&b).unwrap());
    assert_eq!(ma.ino(), mb.ino(), "the two names are still one file");
    assert_eq!(ma.nlink(), 2);
    assert!(std::fs::read_to_string(&b).unwrap().contains("FeatureCollection"), "the other link sees the export");
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn export_to_a_fifo_or_device_is_handled() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempdir();
    let db = store_with(&dir, &gtd_rows());
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // The reader: blocks until the export opens the FIFO, then reads it to the end.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = run_with_deadline(
        bin().args(["export", "--format", "csv-acled", "--db"]).arg(&db).arg("--output").arg(&fifo),
        Duration::from_secs(120),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still a FIFO");
    let read = reader.join().unwrap();
    assert!(read.starts_with("event_id_cnty,") && read.contains("Valparaiso"), "{read}");
    // A character device (the null device, made here; only the superuser can).
    let null = dir.join("null");
    if Command::new("mknod").arg(&null).args(["c", "1", "3"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    {
        let o = export_to(&db, "stix", &null);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_char_device(), "the device is still one");
    }
    // A directory is refused.
    let o = export_to(&db, "stix", &dir);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A CSV's cells by column name.
fn cells(text: &str, column: &str) -> Vec<String> {
    let mut rows = csv_reader(text);
    let header = rows.remove(0);
    let i = header.iter().position(|h| h == column).expect(column);
    rows.into_iter().map(|r| r[i].clone()).collect()
}

#[test]
fn csv_cells_starting_with_formula_characters_are_neutralised() {
    let dir = tempdir();
    let db = store_with(
        &dir,
        &format!(
            "{GTD_HEADER}\n\
             202406020001,2024,6,2,Chile,@SUM(A1),-33.05,-71.62,Armed Assault,0,=HYPERLINK(x),0,2,5,+1 shots\n"
        ),
    );
    for (format, column, expected) in [
        ("csv-gtd", "gname", "'=HYPERLINK(x)"),
        ("csv-gtd", "city", "'@SUM(A1)"),
        ("csv-acled", "actor1", "'=HYPERLINK(x)"),
    ] {
        let out = dir.join(format!("{format}.csv"));
        let o = export_to(&db, format, &out);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(cells(&text, column), [expected], "{format} {column}:\n{text}");
        // Numbers stay numbers, negative ones too.
        assert_eq!(cells(&text, "longitude"), ["-71.62"], "{text}");
        assert_eq!(cells(&text, "latitude"), ["-33.05"], "{text}");
    }
    // pandas and R read the neutralised files without warnings.
    check("csv", &[&dir.join("csv-gtd.csv"), &dir.join("csv-acled.csv")]);
    // The `'` is taken off again on import: a round trip keeps the names.
    let again = dir.join("again.db");
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&again).arg(dir.join("csv-gtd.csv")));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("again.csv");
    assert!(export_to(&again, "csv-gtd", &out).status.success());
    assert_eq!(cells(&std::fs::read_to_string(&out).unwrap(), "gname"), ["'=HYPERLINK(x)"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn incident_list(db: &Path) -> Vec<Value> {
    let o = run(bin().args(["incidents", "--json", "--db"]).arg(db));
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn import_of_the_wrong_shape_is_refused() {
    let dir = tempdir();
    let db = dir.join("store.db");
    let acled = dir.join("acled.csv");
    std::fs::write(
        &acled,
        "event_id_cnty,event_date,event_type,sub_event_type,country,location,fatalities\n\
         PK1,2024-05-14,Explosions/Remote violence,Remote explosive/landmine/IED,Pakistan,Peshawar,14\n",
    )
    .unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&acled));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not a GTD-shaped CSV") && err.contains("--format csv-acled"), "{err}");
    assert!(err.contains("iyear"), "names what is missing: {err}");
    let other = dir.join("people.csv");
    std::fs::write(&other, "name,age\nAlma,40\nBruno,52\n").unwrap();
    for format in ["csv-gtd", "csv-acled"] {
        let o = run(bin().args(["import", "--format", format, "--db"]).arg(&db).arg(&other));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("line 1: name,age"), "{}", stderr(&o));
    }
    assert!(incident_list(&db).is_empty(), "no junk incidents");
    // The right header with rows that lack what the format requires: named and skipped.
    let thin = dir.join("thin.csv");
    std::fs::write(
        &thin,
        format!(
            "{GTD_HEADER}\n\
             2,2024,5,14,Pakistan,Peshawar,,,,0,Unknown,0,14,30,\n\
             202405140001,2024,5,14,Pakistan,Peshawar,34.01,71.58,Bombing/Explosion,0,Unknown,0,14,30,\n"
        ),
    )
    .unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&thin));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("skipped line 2: no attacktype1_txt"), "{err}");
    assert!(err.contains("imported 1 reference incident "), "{err}");
    assert_eq!(incident_list(&db).len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unterminated_quote_does_not_swallow_the_next_row() {
    let dir = tempdir();
    let db = dir.join("store.db");
    let csv = dir.join("quote.csv");
    // Line 3 opens a quote in `city` that line 4 closes: the record has the right number
    // of fields, and line 4's row would vanish inside it.
    std::fs::write(
        &csv,
        "eventid,iyear,country_txt,city,imonth,iday,attacktype1_txt\n\
         1,2024,Pakistan,Peshawar,5,14,Bombing/Explosion\n\
         2,2024,Chile,\"Valparaiso,6,2,Armed Assault\n\
         3,2024,Chile,Santiago\",6,3,Armed Assault\n\
         4,2024,Chile,Temuco,6,4,Armed Assault\n",
    )
    .unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&csv));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("skipped line 3: the field \"city\" runs over 2 lines"), "{err}");
    assert!(err.contains("(lines 3-4)"), "the swallowed line is named: {err}");
    assert!(err.contains("imported 2 reference incidents"), "{err}");
    let places: Vec<String> =
        incident_list(&db).iter().map(|i| i["place"]["name"].as_str().unwrap_or_default().to_string()).collect();
    assert!(places.iter().all(|p| !p.contains('\n')), "{places:?}");
    // A quote left open to the end of the file: the wrong field count, with its lines.
    std::fs::write(
        &csv,
        "eventid,iyear,country_txt,city,imonth,iday,attacktype1_txt\n\
         5,2024,Chile,\"Osorno,6,5,Armed Assault\n\
         6,2024,Chile,Arica,6,6,Armed Assault\n",
    )
    .unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&csv));
    let err = stderr(&o);
    assert!(err.contains("skipped line 2: 4 fields where the header has 7 (lines 2-3)"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn absurd_fatality_counts_are_rejected() {
    let dir = tempdir();
    let db = dir.join("store.db");
    let csv = dir.join("figures.csv");
    let row = |id: u32, nkill: &str| {
        format!("{id},2024,5,14,Pakistan,Peshawar,34.01,71.58,Bombing/Explosion,0,Unknown,0,{nkill},1,Row {id}.\n")
    };
    let mut text = format!("{GTD_HEADER}\n");
    for (id, nkill) in [(1, "1e20"), (2, "-3"), (3, "20000000"), (4, "2.5"), (5, "NaN"), (6, "\"1,204\""), (7, "12")] {
        text.push_str(&row(id, nkill));
    }
    std::fs::write(&csv, text).unwrap();
    let o = run(bin().args(["import", "--format", "csv-gtd", "--db"]).arg(&db).arg(&csv));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("skipped line 2: nkill \"1e20\" is not a whole number from 0 to 10000000"), "{err}");
    assert!(err.contains("skipped line 3: nkill \"-3\""), "{err}");
    assert!(err.contains("skipped line 4: nkill \"20000000\" is over 10000000"), "{err}");
    assert!(err.contains("skipped line 5: nkill \"2.5\""), "{err}");
    assert!(err.contains("skipped line 6: nkill \"NaN\""), "{err}");
    assert!(err.contains("imported 2 reference incidents"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_import_can_be_removed() {
    let dir = tempdir();
    let db = dir.join("store.db");
    let article = serde_json::json!({
        "text": "PESHAWAR, Pakistan — A bomb exploded at a crowded bus station in Peshawar on Tuesday, \
                 killing 14 people and wounding 30, police said. No group has claimed the attack.",
        "url": "https://news.example/peshawar-bus-station",
        "title": "Bomb kills 14 at Peshawar bus station",
        "published": "2024-05-14",
        "source": "Example Wire",
    })
    .to_string();
    ingest_records(&db, &dir, "news.jsonl", &[article]);
    let csv = dir.join("gtd.csv");
    std::fs::write(&csv, gtd_rows()).unwrap();
    let import = |extra: &[&str], file: Option<&Path>| {
        let mut cmd = bin();
        cmd.args(["import", "--format", "csv-gtd", "--db"]).arg(&db).args(extra);
        if let Some(f) = file {
            cmd.arg(f);
        }
        let o = run(&mut cmd);
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    let references = || -> Vec<Value> {
        incident_list(&db).iter().flat_map(|i| i["references"].as_array().cloned().unwrap_or_default()).collect()
    };
    let peshawar_documents = || -> Vec<String> {
        let list = incident_list(&db);
        let i = list.iter().find(|i| i["place"]["name"] == "Peshawar").expect("the Peshawar incident");
        i["documents"].as_array().unwrap().iter().map(|d| d["url"].as_str().unwrap().to_string()).collect()
    };
    import(&[], Some(&csv));
    assert_eq!(references().len(), 2);
    assert_eq!(peshawar_documents().len(), 2, "the news report joined the reference: {:?}", peshawar_documents());

    let err = import(&["--remove"], Some(&csv));
    assert!(err.contains("removed 2 reference incidents"), "{err}");
    assert!(references().is_empty(), "no incident links to a removed reference");
    assert_eq!(peshawar_documents(), ["https://news.example/peshawar-bus-station"], "the news report stays");
    assert_eq!(incident_list(&db).len(), 1);
    // Removing again finds nothing; importing again works (the rows are not remembered).
    assert!(import(&["--remove"], Some(&csv)).contains("removed 0 reference incidents of"));
    assert!(import(&[], Some(&csv)).contains("imported 2 reference incidents"));
    assert_eq!(references().len(), 2);
    let err = import(&["--remove-all"], None);
    assert!(err.contains("removed 2 reference incidents of every GTD import"), "{err}");
    assert!(references().is_empty());
    assert_eq!(peshawar_documents().len(), 1);
    let search = run(bin().args(["search", "--db"]).arg(&db).arg("Valparaiso"));
    assert!(!stdout(&search).contains("Valparaiso"), "the full-text index forgot them: {}", stdout(&search));
    std::fs::remove_dir_all(&dir).unwrap();
}
