//! `claimgraph search` with the query forms its help text teaches, and the limits that
//! keep a hostile query from reaching FTS5.

use std::path::Path;

use serde_json::Value;

use crate::{bin, run, stderr, stdout, tempdir};

fn two_bombings(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("news.db");
    let kabul = dir.join("kabul.txt");
    let herat = dir.join("herat.txt");
    let mosul = dir.join("mosul.txt");
    std::fs::write(
        &kabul,
        "Bomb hits Kabul market\n\nA bomb exploded in a market in Kabul on Monday, killing 6 people, police said.\n",
    )
    .unwrap();
    std::fs::write(&herat, "Bomb hits Herat mosque\n\nA bomb exploded near a mosque in Herat on Friday, killing 4 people, officials said.\n").unwrap();
    std::fs::write(&mosul, "Bomb hits Mosul road\n\nA roadside bomb exploded outside Mosul on Sunday, wounding 2 soldiers, the army said.\n").unwrap();
    let o = run(bin().args(["ingest", "--json", "--db"]).arg(&db).arg(&kabul).arg(&herat).arg(&mosul));
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

#[test]
fn search_with_parenthesised_or_group_works() {
    let dir = tempdir();
    let db = two_bombings(&dir);
    let o = run(bin().args(["search", "--json", "--db"]).arg(&db).arg("bomb (kabul OR herat)"));
    assert!(o.status.success(), "{}", stderr(&o));
    let hits: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let documents: Vec<&str> =
        hits.iter().filter(|h| h["kind"] == "document").map(|h| h["title"].as_str().unwrap()).collect();
    assert_eq!(documents.len(), 2, "{hits:?}");
    assert!(documents.iter().all(|t| !t.contains("Mosul")), "{documents:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deeply_nested_query_is_a_clear_error_not_a_stack_overflow() {
    let dir = tempdir();
    let db = two_bombings(&dir);
    let deep = format!("{}bomb{}", "(".repeat(300), ")".repeat(300));
    let o = run(bin().args(["search", "--db"]).arg(&db).arg(&deep));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("malformed query: parentheses nest 300 deep; at most 10"), "{}", stderr(&o));
    let prefixes: Vec<String> = (0..20).map(|n| format!("bo{n}*")).collect();
    let o = run(bin().args(["search", "--db"]).arg(&db).arg(prefixes.join(" OR ")));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("20 prefix terms"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}
