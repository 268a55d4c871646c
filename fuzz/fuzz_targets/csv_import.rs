//! `claimgraph import`'s CSV reader (ACLED- or GTD-shaped rows into reference
//! documents), without a store. The first byte picks the shape. Must never panic; every
//! document's spans lie inside its text on character boundaries, its figures are whole
//! numbers within the bound, and every skipped row has a line number (the csv crate counts
//! lines by `\n`, so in a file whose lines end with a lone `\r` every row is on line 1).
#![no_main]

use std::sync::OnceLock;

use claimgraph_exchange::import::{read_rows, Dataset, MAX_FIGURE};
use claimgraph_extract::Resources;
use claimgraph_fuzz::check_span;
use claimgraph_resolve::Canon;
use libfuzzer_sys::fuzz_target;

static RESOURCES: OnceLock<Resources> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&first, csv)) = data.split_first() else { return };
    let dataset = if first % 2 == 0 { Dataset::Acled } else { Dataset::Gtd };
    let canon = Canon::new(RESOURCES.get_or_init(Resources::embedded));
    let skipped = read_rows(&canon, dataset, csv, |_, analysis| {
        let text = analysis.document.text.as_str();
        check_span(text, analysis.sentences[0].span, "sentence");
        for q in &analysis.quantities {
            check_span(text, q.span, "figure");
            assert!(q.value >= 0.0 && q.value <= MAX_FIGURE && q.value.fract() == 0.0, "figure {}", q.value);
        }
        for i in &analysis.incidents {
            for &m in &i.mentions {
                check_span(text, m, "incident mention");
            }
            if let Some(geo) = i.place.as_ref().and_then(|p| p.geo) {
                assert!((-90.0..=90.0).contains(&geo.lat) && (-180.0..=180.0).contains(&geo.lon), "{geo:?}");
            }
        }
        Ok(())
    });
    if let Ok(skipped) = skipped {
        for (line, reason) in skipped {
            assert!(line >= 1, "skipped row without a line number: {reason}");
        }
    }
});
