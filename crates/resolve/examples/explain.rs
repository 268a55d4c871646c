//! Why a store's incidents hold the mentions they do: every pair of the mentions of the
//! given incidents, with the evidence (a diagnostic for tuning the rule).
//! Usage: cargo run -p claimgraph-resolve --example explain -- DB INCIDENT_ID...

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
    let mut rows = Vec::new();
    for id in &args[2..] {
        rows.extend(store.incident_mentions(id).expect("members"));
    }
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
            println!("{j} -- {i}: {:?}", explain(&ms[i], &ms[j]));
        }
    }
}
