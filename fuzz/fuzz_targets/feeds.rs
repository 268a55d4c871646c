//! RSS and Atom feeds as `claimgraph ingest` reads a feed file: feed-rs, then each item
//! into a document (its content, else its summary; nothing is fetched). Must never
//! panic; every event names where it came from, and a failure says why.
#![no_main]

use claimgraph_fuzz::scratch_file;
use claimgraph_ingest::sources::{read_inputs, Event};
use claimgraph_store::FeedState;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = scratch_file("feed.xml");
    std::fs::write(&path, data).expect("the scratch file is written");
    let inputs = [path.display().to_string()];
    read_inputs(&inputs, None, &|_| FeedState::default(), &mut |event| {
        match event {
            Event::Doc(doc) => assert!(!doc.origin.is_empty(), "a feed item without an origin"),
            Event::Failed(f) => assert!(!f.origin.is_empty() && !f.reason.is_empty(), "a failure without a reason: {f:?}"),
            Event::FeedRead { .. } => {}
        }
        true
    });
});
