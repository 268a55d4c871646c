//! The search query language (`claimgraph_store::parse_query`): must never panic, and a
//! query it accepts must run: its FTS5 rewrite is never a database error.
#![no_main]

use std::sync::{Mutex, OnceLock};

use claimgraph_store::{parse_query, SearchQuery, SqliteStore, Store, StoreError};
use libfuzzer_sys::fuzz_target;

static STORE: OnceLock<Mutex<SqliteStore>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    if parse_query(q).is_err() {
        return;
    }
    let store = STORE.get_or_init(|| Mutex::new(SqliteStore::open_in_memory().expect("an in-memory store")));
    let store = store.lock().unwrap_or_else(|e| e.into_inner());
    match store.search(&SearchQuery { query: q.to_string(), limit: 5, ..SearchQuery::default() }) {
        Ok(_) | Err(StoreError::Query(_)) => {}
        Err(e) => panic!("the accepted query {q:?} failed in the database: {e}"),
    }
});
