//! Tokenize arbitrary text, extract the time expressions, and check that every span
//! lies inside the text and on UTF-8 character boundaries.
#![no_main]

use claimgraph_extract::{times, tokens};
use claimgraph_fuzz::check_span;
use claimgraph_model::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let toks = tokens::tokenize(text);
    for t in &toks {
        check_span(text, t.span, "token");
    }
    let published = Date::new(2024, 1, 4);
    let found = times::extract(text, &toks, published);
    for t in &found {
        check_span(text, t.span, "time");
    }
});
