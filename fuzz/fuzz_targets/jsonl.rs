//! JSON Lines records as `claimgraph ingest` reads a `.jsonl` file: one line, one
//! document (text or html, url, title, published, source). Must never panic; a bad line
//! is a failure naming its line number, never the end of the file.
#![no_main]

use claimgraph_fuzz::scratch_file;
use claimgraph_ingest::sources::{read_inputs, Event};
use claimgraph_store::FeedState;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = scratch_file("records.jsonl");
    std::fs::write(&path, data).expect("the scratch file is written");
    let inputs = [path.display().to_string()];
    let prefix = format!("{}:", path.display());
    read_inputs(&inputs, None, &|_| FeedState::default(), &mut |event| {
        match event {
            Event::Doc(doc) => {
                assert!(doc.origin.starts_with(&prefix), "a record's origin names its line: {}", doc.origin);
                assert!(doc.meta.html.is_some(), "a record says whether it is text or html");
            }
            Event::Failed(f) => assert!(!f.reason.is_empty(), "a failure without a reason: {f:?}"),
            Event::FeedRead { .. } => panic!("a JSON Lines file is not a feed"),
        }
        true
    });
});
