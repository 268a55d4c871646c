//! The search query language under random input: any string either parses or gets a
//! clear [`QueryError`], and any query that parses runs on a real store without error
//! (no SQLite or FTS5 error can reach a user as a 500).

use claimgraph_extract::{Extractor, Meta};
use claimgraph_store::QueryError;
use claimgraph_store::{parse_query, NewDocument, SearchQuery, SqliteStore, Store, StoreError};
use proptest::prelude::*;

thread_local! {
    static STORE: SqliteStore = store();
}

const SENTENCES: &[&str] = &[
    "A bomb exploded at a market in Kabul on Monday, killing 12 people, police said.",
    "Gunmen attacked a checkpoint near Herat on Tuesday; the Taliban denied any role.",
    "The Islamic State group claimed responsibility for the blast in Jalalabad, officials said.",
    "A drone strike hit a convoy outside Mosul, wounding 4 soldiers, the army said.",
];

fn store() -> SqliteStore {
    let extractor = Extractor::new();
    let mut store = SqliteStore::open_in_memory().unwrap();
    let batch: Vec<NewDocument> = SENTENCES
        .iter()
        .enumerate()
        .map(|(n, text)| {
            let meta = Meta { url: Some(format!("https://wire.example/{n}")), ..Meta::default() };
            let analysis = extractor.extract(text.as_bytes(), &meta).unwrap();
            NewDocument::new(analysis, claimgraph_extract::document::content_id(text), None)
        })
        .collect();
    store.write_batch(&batch).unwrap();
    store
}

/// Pieces of queries: words of the store, operators in and out of place, quotes,
/// parentheses, prefixes, punctuation and non-ASCII text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "bomb",
            "kabul",
            "herat",
            "taliban",
            "claimed",
            "AND",
            "OR",
            "NOT",
            "(",
            ")",
            "\"",
            "*",
            "-",
            ":",
            "bo*",
            "\"islamic state\"",
            "al-Qaeda",
            "é",
            "日本",
            "^",
            "NEAR",
            "col:x",
            "'",
            "+",
            "\\",
            "{",
            "}",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9\"()*:^ -]{1,6}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), prop::sample::select(vec!["", " "])), 0..24)
        .prop_map(|parts| parts.into_iter().map(|(p, sep)| format!("{p}{sep}")).collect())
}

/// Syntactically valid queries: terms, phrases and prefixes combined with the operators
/// and nested groups.
fn valid_query() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec!["bomb", "kabul", "herat", "\"islamic state\"", "claim*", "drone", "police"])
        .prop_map(str::to_string);
    leaf.prop_recursive(6, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
            (inner.clone(), prop::sample::select(vec!["AND", "OR", "NOT"]), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn any_query_parses_or_gets_a_clear_error_and_never_an_sqlite_error(q in query()) {
        let result = STORE.with(|s| s.search(&SearchQuery { query: q.clone(), limit: 5, ..SearchQuery::default() }));
        match (parse_query(&q), result) {
            (Ok(_), Ok(_)) => {}
            (Err(e), Err(StoreError::Query(f))) => {
                prop_assert_eq!(&e, &f);
                prop_assert!(!e.to_string().is_empty());
            }
            (parsed, searched) => prop_assert!(false, "{q:?}: parsed {parsed:?}, searched {searched:?}"),
        }
    }

    #[test]
    fn valid_queries_always_search(q in valid_query()) {
        // Big trees may pass the size limits; those have their own errors.
        prop_assume!(!matches!(
            parse_query(&q),
            Err(QueryError::TooManyTerms(_) | QueryError::TooManyPrefixTerms(_) | QueryError::TooLong(_))
        ));
        prop_assert!(parse_query(&q).is_ok(), "{q:?}: {:?}", parse_query(&q));
        let hits = STORE.with(|s| s.search(&SearchQuery { query: q.clone(), limit: 5, ..SearchQuery::default() }));
        prop_assert!(hits.is_ok(), "{q:?}: {hits:?}");
    }
}

/// Regression: queries the `query` fuzz target found (`fuzz/crashes/query/`), such as a
/// group followed by `NOT` and a control character, which `parse_query` accepted and FTS5
/// then refused with a syntax error.
#[test]
fn fuzz_crash_queries_stay_fixed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/crashes/query");
    let mut n = 0;
    for f in std::fs::read_dir(&root).unwrap().flatten() {
        let path = f.path();
        if path.extension().is_some_and(|e| e == "txt") {
            continue;
        }
        let q = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let result = STORE.with(|s| s.search(&SearchQuery { query: q.clone(), limit: 5, ..SearchQuery::default() }));
        assert!(matches!(result, Ok(_) | Err(StoreError::Query(_))), "{}: {q:?} gave {result:?}", path.display());
        n += 1;
    }
    assert!(n >= 1, "the crash inputs are missing");
}
