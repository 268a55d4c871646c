//! What every fuzz target checks of the spans it is given.

use claimgraph_model::Span;

/// A span lies inside `text`, in order, and on UTF-8 character boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} span {span:?} is reversed");
    assert!(span.end <= text.len(), "{what} span {span:?} is past the end ({} bytes)", text.len());
    assert!(text.is_char_boundary(span.start), "{what} span {span:?} starts inside a character");
    assert!(text.is_char_boundary(span.end), "{what} span {span:?} ends inside a character");
}
