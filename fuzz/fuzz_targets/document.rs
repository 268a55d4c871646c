//! The whole pipeline on raw bytes: must never panic, and every span of a successful
//! analysis lies inside the document text and on UTF-8 character boundaries.
#![no_main]

use std::sync::OnceLock;

use claimgraph_extract::{Extractor, Meta};
use claimgraph_fuzz::check_span;
use libfuzzer_sys::fuzz_target;

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let extractor = EXTRACTOR.get_or_init(Extractor::new);
    let Ok(analysis) = extractor.extract(data, &Meta::default()) else {
        return;
    };
    let text = analysis.document.text.as_str();
    for s in &analysis.sentences {
        check_span(text, s.span, "sentence");
    }
    for e in &analysis.entities {
        for &m in &e.mentions {
            check_span(text, m, "entity mention");
        }
    }
    for t in &analysis.times {
        check_span(text, t.span, "time");
    }
    for q in &analysis.quantities {
        check_span(text, q.span, "quantity");
    }
});
