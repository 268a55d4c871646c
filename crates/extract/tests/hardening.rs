//! Regression tests for issue 18's "work per document is quadratic and unbounded": long
//! inputs made to be slow, and markup made to be slow to parse.
//!
//! Each runs its document on a thread and waits with a deadline, so a regression fails
//! the test instead of hanging the suite (the runaway thread dies with the process).
//! The limits are generous (a debug build on a shared machine) yet far below what the
//! quadratic code needed: on that code the repeated sentence took 11.6 s for 100 KB in
//! a release build, so 1 MB would take some twenty minutes.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use claimgraph_extract::{sentences::MAX_SENTENCE_TOKENS, Extractor, InputError, Meta, Options};
use claimgraph_model::Analysis;

/// Runs `f` on a thread; fails the test if it takes longer than `secs`.
fn within<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(_) => panic!("{what}: not done after {secs} s (started {:?} ago)", start.elapsed()),
    }
}

fn extract(bytes: Vec<u8>) -> Result<Analysis, InputError> {
    let extractor = Extractor::with_options(Options { max_seconds: 600.0, ..Options::default() });
    extractor.extract(&bytes, &Meta::default())
}

/// `n` bytes or so of one sentence repeated without a full stop.
fn repeated_sentence(n: usize) -> String {
    let s = "A bomb killed 12 people in Kabul on Monday police said and ";
    let mut text = s.repeat(n / s.len() + 1);
    text.push('.');
    text
}

#[test]
fn repeated_long_sentence_is_analysed_in_linear_time() {
    let text = repeated_sentence(1_000_000);
    let n = text.len();
    let a = within(120, "1 MB of one repeated sentence", move || extract(text.into_bytes())).unwrap();
    // The work is bounded by what each sentence holds: none is longer than the cap, and
    // no claim reaches across more than one sentence's worth of text (before, each of
    // the 17,000 claims held the whole text up to it, which made the output alone
    // quadratic).
    assert!(a.sentences.len() > n / 2000, "{} sentences for {n} bytes", a.sentences.len());
    assert!(!a.claims.is_empty() && !a.incidents.is_empty());
    let longest = a.claims.iter().map(|c| c.span.end - c.span.start).max().unwrap();
    assert!(longest < 20 * MAX_SENTENCE_TOKENS, "a claim spans {longest} bytes");
    let total: usize = a.claims.iter().map(|c| c.span.end - c.span.start).sum();
    assert!(total < 40 * n, "claims span {total} bytes in all for {n} bytes of text");
}

#[test]
fn concatenated_articles_are_analysed_in_linear_time() {
    // Ordinary sentences, dated and placed, repeated: many incidents and claims, each of
    // which used to be compared with all the others.
    let article = "A car bomb exploded near a checkpoint in Kabul on Monday, killing 12 people, police said. \
        The Taliban denied any role in the attack. On Tuesday, gunmen attacked a hotel in Mogadishu, \
        officials said, and at least five guards were wounded. A spokesman blamed al-Shabaab for the raid.\n\n";
    // 3 MB: the quadratic code took 8.6 s on 1 MB of this in a release build, so more
    // than a minute on 3 MB; the linear code takes a fraction of a second.
    let text = article.repeat(3_000_000 / article.len());
    let a = within(60, "3 MB of concatenated articles", move || extract(text.into_bytes())).unwrap();
    assert!(a.incidents.len() > 100, "{} incidents", a.incidents.len());
}

#[test]
fn deeply_nested_html_is_capped_before_parsing() {
    let mut page = String::from("<html><body><article><p>Gunmen attacked a hotel in the capital on Friday.</p>");
    page.push_str(&"<div>".repeat(100_000));
    page.push_str("text");
    page.push_str(&"</div>".repeat(100_000));
    page.push_str("</article></body></html>");
    let err = within(30, "100,000 nested <div>", move || extract(page.into_bytes())).unwrap_err();
    assert!(matches!(&err, InputError::HtmlTooComplex { what } if what.contains("nest")), "{err}");
    assert!(err.to_string().contains("256 deep"), "{err}");
    // Ordinary nesting, and the many unclosed <p> and <li> of old pages, pass.
    let mut page = String::from("<html><body><article>");
    page.push_str(&"<div>".repeat(100));
    page.push_str(&"<p>Gunmen attacked a hotel in the capital on Friday, officials said. ".repeat(1000));
    page.push_str(&"<li>item".repeat(1000));
    page.push_str(&"</div>".repeat(100));
    page.push_str("</article></body></html>");
    let a = within(60, "100 nested <div>", move || extract(page.into_bytes())).unwrap();
    assert!(a.document.text.contains("Gunmen attacked"));
}

#[test]
fn million_attributes_html_is_capped() {
    let mut page = String::from("<html><body><p ");
    for k in 0..1_000_000 {
        page.push_str(&format!("a{k} "));
    }
    page.push_str(">Gunmen attacked a hotel in the capital on Friday.</p></body></html>");
    let err = within(30, "a tag with a million attributes", move || extract(page.into_bytes())).unwrap_err();
    assert!(matches!(&err, InputError::HtmlTooComplex { what } if what.contains("<p> tag has")), "{err}");
    // The same number spread over many tags is capped too.
    let mut page = String::from("<html><body>");
    for _ in 0..100_000 {
        page.push_str("<span a=1 b=2 c='3'>x</span>");
    }
    page.push_str("</body></html>");
    let err = within(30, "300,000 attributes in a page", move || extract(page.into_bytes())).unwrap_err();
    assert!(err.to_string().contains("more than 200000 attributes"), "{err}");
}

#[test]
fn markup_in_comments_and_scripts_does_not_count_towards_the_caps() {
    let mut page = String::from("<html><head><script>");
    page.push_str(&"if (a <div> b) {} ".repeat(2000));
    page.push_str("</script><!-- ");
    page.push_str(&"<div>".repeat(2000));
    page.push_str(
        " --></head><body><article><p>Gunmen attacked a hotel in the capital on Friday.</p></article></body></html>",
    );
    let shape = claimgraph_extract::html::prescan(&page).unwrap();
    assert!(shape.max_depth < 10, "{shape:?}");
}

#[test]
fn document_over_the_size_budget_is_reported() {
    let extractor = Extractor::with_options(Options { max_bytes: 1000, ..Options::default() });
    let err = extractor.extract(repeated_sentence(2000).as_bytes(), &Meta::default()).unwrap_err();
    assert!(matches!(err, InputError::TooLarge { max: 1000, .. }), "{err}");
}

#[test]
fn document_over_the_time_budget_is_reported() {
    let extractor = Extractor::with_options(Options { max_seconds: 0.0, ..Options::default() });
    let err = extractor.extract(repeated_sentence(20_000).as_bytes(), &Meta::default()).unwrap_err();
    assert!(matches!(err, InputError::TooSlow { .. }), "{err}");
    assert!(err.to_string().starts_with("analysis took longer than 0 s"), "{err}");
    // The next document with a budget goes through.
    let a = extract(repeated_sentence(2000).into_bytes()).unwrap();
    assert!(!a.incidents.is_empty());
}
