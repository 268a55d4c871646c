//! Why a store's incident holds the mentions it does: every pair of its mentions that
//! meets the threshold, with the evidence.
//! Usage: cargo run --example explain -- DB INCIDENT_ID

use claimgraph_extract::Resources;
use claimgraph_resolve::mention::explain;
use claimgraph_resolve::update::{contexts, mention_of};
use claimgraph_resolve::Canon;
use claimgraph_store::SqliteStore;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let store = SqliteStore::open(std::path::Path::new(&args[1])).expect("open");
    let resources = Resources::embedded();
    let canon = Canon::new(&resources);
    let rows = store.incident_mentions(&args[2]).expect("members");
    let undated: Vec<(i64, &str)> =
        rows.iter().filter(|r| r.doc.published.is_none()).map(|r| (r.doc.seq, r.doc.id.as_str())).collect();
    let ctx = contexts(&store, &canon, &undated).expect("contexts");
    let ms: Vec<_> = rows.iter().map(|r| mention_of(r, &canon, ctx.get(&r.doc.seq))).collect();
    for (i, a) in ms.iter().enumerate() {
        println!(
            "{i}: {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            rows[i].doc.path, a.kind, a.date, a.published, a.country, a.label, a.people
        );
    }
    for i in 0..ms.len() {
        for j in 0..i {
            if let Some(s) = explain(&ms[i], &ms[j]).filter(|s| *s >= 3.5) {
                println!("{j} -- {i}: {s}");
            }
        }
    }
}
