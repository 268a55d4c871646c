//! Tokenize arbitrary text, extract times then quantities, and check that every span
//! lies inside the text and on UTF-8 character boundaries, and that a range's upper
//! bound is never below its value.
#![no_main]

use claimgraph_extract::{quantities, times, tokens};
use claimgraph_fuzz::check_span;
use claimgraph_model::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let toks = tokens::tokenize(text);
    let published = Date::new(2024, 1, 4);
    let found_times = times::extract(text, &toks, published);
    let found = quantities::extract(text, &toks, &found_times);
    for q in &found {
        check_span(text, q.span, "quantity");
        if let Some(upper) = q.upper {
            assert!(
                upper >= q.value,
                "quantity {:?} ({:?}) has upper {upper} below value {}",
                q.span,
                q.span.of(text),
                q.value
            );
        }
    }
});
