//! Properties every analysis must have, whatever the text: spans lie in bounds and on
//! character boundaries, sentences tile the text in order, and the same input gives
//! the same output.

use claimgraph_extract::{schema, Extractor, Meta};
use claimgraph_model::{Analysis, Date, Span};
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(Extractor::new)
}

/// Text built from news-like pieces, odd characters and whitespace, so that the
/// stages' patterns actually fire.
fn newsy_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "At least 95 people",
        " were killed",
        " in Kerman",
        " on Wednesday, January 3",
        ".",
        " ",
        "\n",
        "\n\n",
        "Dr.",
        " U.S.",
        " \"We will",
        " respond,\"",
        " said",
        " Foreign Minister Sergei Lavrov",
        " ISIS-K",
        " (ISKP)",
        " more than 280",
        " dozens",
        " 2,000 or more",
        " between 10 and 15",
        " from 1992 to 1995",
        " 2014-2016",
        " last week",
        " yesterday",
        " Élysée",
        " the Kremlin",
        " 東京",
        " \u{FFFD}",
        " a.m.",
        " 8:30 p.m.",
        " Jan.",
        " all 298 on board",
        "!",
        "?",
        " — ",
        "’s",
        " al-Qaeda",
        " Al Jazeera",
        " tens of thousands",
        "  ",
        "\t",
    ]);
    prop::collection::vec(pieces, 1..60).prop_map(|v| v.concat())
}

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end && span.end <= text.len(), "{what} span {span:?} out of bounds");
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
    Ok(())
}

fn check_analysis(a: &Analysis) -> Result<(), TestCaseError> {
    let text = a.document.text.as_str();
    for s in &a.sentences {
        check_span(text, s.span, "sentence")?;
    }
    for e in &a.entities {
        for &m in &e.mentions {
            check_span(text, m, "entity")?;
        }
    }
    for t in &a.times {
        check_span(text, t.span, "time")?;
    }
    for q in &a.quantities {
        check_span(text, q.span, "quantity")?;
    }
    // Sentences tile the text: in order, without overlap, and only whitespace between
    // or around them.
    let mut pos = 0;
    for s in &a.sentences {
        prop_assert!(s.span.start >= pos, "sentences overlap or are out of order");
        prop_assert!(
            text[pos..s.span.start].trim().is_empty(),
            "text between sentences is lost: {:?}",
            &text[pos..s.span.start]
        );
        prop_assert!(!s.span.is_empty());
        pos = s.span.end;
    }
    prop_assert!(text[pos..].trim().is_empty(), "text after the last sentence is lost");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_sound_and_sentences_tile(text in newsy_text()) {
        let meta = Meta { published: Date::new(2024, 1, 4), html: Some(false), ..Meta::default() };
        if let Ok(a) = extractor().extract(text.as_bytes(), &meta) {
            check_analysis(&a)?;
        }
    }

    #[test]
    fn arbitrary_unicode_never_breaks_spans(text in "\\PC{0,300}") {
        let meta = Meta { published: Date::new(2015, 11, 14), html: Some(false), ..Meta::default() };
        if let Ok(a) = extractor().extract(text.as_bytes(), &meta) {
            check_analysis(&a)?;
        }
    }

    #[test]
    fn same_input_same_output(text in newsy_text()) {
        let meta = Meta { published: Date::new(2024, 1, 4), ..Meta::default() };
        let a = extractor().extract(text.as_bytes(), &meta).ok().map(|a| schema::to_json(&a));
        let b = extractor().extract(text.as_bytes(), &meta).ok().map(|a| schema::to_json(&a));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = extractor().extract(&bytes, &Meta::default());
    }
}

/// Regression: inputs the fuzzers once crashed on (`fuzz/crashes/`): "between 4,000 and
/// 3,500" gave a range whose upper end was below its value, and a document opening with
/// "X said" underflowed an index in the claims stage.
#[test]
fn fuzz_crashes_stay_fixed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/crashes");
    let mut n = 0;
    for target in std::fs::read_dir(&root).unwrap().flatten() {
        for f in std::fs::read_dir(target.path()).unwrap().flatten() {
            let path = f.path();
            if path.extension().is_some_and(|e| e == "txt") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let meta = Meta { published: Date::new(2024, 1, 4), ..Meta::default() };
            if let Ok(a) = extractor().extract(&bytes, &meta) {
                for q in &a.quantities {
                    assert!(q.upper.is_none_or(|u| u >= q.value), "{}: {q:?}", path.display());
                }
            }
            n += 1;
        }
    }
    assert!(n >= 2, "the crash inputs are missing");
}
