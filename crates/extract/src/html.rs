//! HTML pages to plain text: keep the article, drop the page around it.
//!
//! The main content is found by `dom_smoothie` (a port of Mozilla's Readability, the
//! algorithm behind Firefox's reader view) with its formatted text mode, which keeps
//! paragraphs apart. When it finds no article (short pages, odd markup) we fall back to
//! the text of the page's paragraphs and headings, and say so in a diagnostic. The title
//! and publication date come from the page's metadata (Open Graph, `article:*`, JSON-LD,
//! `<meta name="date">`, `<time datetime>`).
//!
//! Before any of that, [`prescan`] reads the bytes once for the shape of the markup:
//! the parser and Readability take time that grows faster than the page when elements
//! nest thousands deep or a tag carries a huge number of attributes, and no article
//! needs either. Such a page is refused with an [`InputError`] that says which cap it
//! passed, before it is parsed.

use claimgraph_model::{Date, Diagnostic};
use dom_smoothie::{Config, Readability, TextMode};

use crate::document::normalize_text;
use crate::InputError;

/// Deepest nesting of elements accepted. Real pages nest a few dozen deep; parsing and
/// Readability slow down sharply past a few thousand.
pub const MAX_DEPTH: usize = 256;
/// Most attributes on one tag.
pub const MAX_ATTRIBUTES_PER_TAG: usize = 256;
/// Most attributes in a page (a large news page has a few thousand).
pub const MAX_ATTRIBUTES: usize = 200_000;

/// Elements that never have content, and elements whose end tag may be left out (the
/// parser closes them itself): neither nests.
const NON_NESTING: &[&str] = &[
    "area", "base", "body", "br", "caption", "col", "colgroup", "dd", "dt", "embed", "head", "hr", "html", "img",
    "input", "li", "link", "meta", "optgroup", "option", "p", "param", "rb", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "thead", "tr", "track", "wbr",
];
/// Elements whose content is raw text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed"];

/// The shape of a page's markup, as [`prescan`] measured it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub max_depth: usize,
    pub max_attributes_per_tag: usize,
    pub attributes: usize,
}

/// Measures nesting depth and attribute counts in one pass over the bytes, and refuses
/// the page when one is over its cap. Lenient like a browser: unclosed and stray end
/// tags only move the depth count, and comments and raw text are skipped.
pub fn prescan(html: &str) -> Result<Shape, InputError> {
    let b = html.as_bytes();
    let mut shape = Shape::default();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if matches!(b.get(i), Some(b'!' | b'?')) {
            i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            continue; // a bare '<' in text
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let nests = !NON_NESTING.contains(&name.as_str()) && !RAW_TEXT.contains(&name.as_str());
        i = name_start + name_len;
        // Attributes: names, each with an optional (quoted) value, up to '>'.
        let mut n_attrs = 0usize;
        let mut self_closing = false;
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                self_closing = b[i] == b'/';
                i += 1;
            }
            match b.get(i) {
                None => break,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            self_closing = false;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'>' | b'=' | b'/') {
                i += 1;
            }
            n_attrs += 1;
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        j = memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e + 1);
                    }
                    _ => {
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                    }
                }
                i = j;
            }
        }
        if !closing {
            shape.attributes += n_attrs;
            shape.max_attributes_per_tag = shape.max_attributes_per_tag.max(n_attrs);
            if n_attrs > MAX_ATTRIBUTES_PER_TAG {
                return Err(InputError::HtmlTooComplex {
                    what: format!("a <{name}> tag has {n_attrs} attributes, more than {MAX_ATTRIBUTES_PER_TAG}"),
                });
            }
            if shape.attributes > MAX_ATTRIBUTES {
                return Err(InputError::HtmlTooComplex {
                    what: format!("the page has more than {MAX_ATTRIBUTES} attributes"),
                });
            }
        }
        if RAW_TEXT.contains(&name.as_str()) && !closing {
            let end = format!("</{name}");
            i = find_ignore_case(b, i, end.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if nests {
            if closing {
                depth = depth.saturating_sub(1);
            } else if !self_closing {
                depth += 1;
                shape.max_depth = shape.max_depth.max(depth);
                if depth > MAX_DEPTH {
                    return Err(InputError::HtmlTooComplex {
                        what: format!("elements nest more than {MAX_DEPTH} deep"),
                    });
                }
            }
        }
    }
    Ok(shape)
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&c| c == needle)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| from + p)
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub text: String,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The main text of an HTML page, with its title and publication date when the page
/// states them.
/// Elements that are never part of an article's text.
const BOILERPLATE: &str = "script, style, noscript, template, iframe, svg, nav, footer, aside, form, button, \
     [role='navigation'], [role='banner'], [role='contentinfo'], [aria-hidden='true']";

pub fn main_content(html: &str) -> Page {
    let mut page = Page::default();
    // One parse serves the metadata and Readability; only the rare fallback parses again.
    let doc = dom_query::Document::from(html);
    let meta_title = first_attr(&doc, &[("meta[property='og:title']", "content")])
        .or_else(|| Some(doc.select("title").text().trim().to_string()).filter(|t| !t.is_empty()));
    let meta_published = first_attr(
        &doc,
        &[
            ("meta[property='article:published_time']", "content"),
            ("meta[name='date']", "content"),
            ("meta[name='pubdate']", "content"),
            ("meta[itemprop='datePublished']", "content"),
            ("meta[name='dc.date']", "content"),
            ("time[datetime]", "datetime"),
        ],
    )
    .and_then(|s| Date::parse_iso(&s));
    // Readability drops the headline (it becomes the title): keep it as the text's first
    // line, as a reader sees it.
    let headline = {
        let h1 = doc.select("article h1, main h1, h1").first().text();
        Some(h1.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|h| !h.is_empty() && h.len() <= 300)
    };
    // Page furniture goes before Readability sees the page: on short pages it would
    // otherwise keep menus and footers along with the story.
    doc.select(BOILERPLATE).remove();
    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let article = Readability::with_document(doc, None, Some(config)).and_then(|mut r| r.parse());
    match article {
        Ok(article) if !article.text_content.trim().is_empty() => {
            page.text = normalize_text(&article.text_content);
            if let Some(h) = headline.filter(|h| !lede(&page.text).contains(h.as_str())) {
                page.text = format!("{h}\n\n{}", page.text);
            }
            page.title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
            page.published = article.published_time.as_deref().and_then(Date::parse_iso);
        }
        _ => {
            let doc = dom_query::Document::from(html);
            doc.select(BOILERPLATE).remove();
            page.text = fallback_text(&doc);
            if !page.text.is_empty() {
                page.diagnostics.push(Diagnostic::info(
                    "no article found in the page; kept the text of its paragraphs and headings",
                ));
            }
        }
    }
    page.title = page.title.or(meta_title);
    page.published = page.published.or(meta_published);
    page
}

fn first_attr(doc: &dom_query::Document, selectors: &[(&str, &str)]) -> Option<String> {
    selectors.iter().find_map(|(selector, attr)| {
        let selection = doc.select(selector);
        let value = selection.attr(attr)?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// Paragraphs and headings of the body, outside navigation, headers, footers and
/// asides, one per paragraph.
/// The first 600 bytes or so of a text (cut on a character boundary): where a headline
/// that the text repeats would be.
fn lede(text: &str) -> &str {
    let mut end = text.len().min(600);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn fallback_text(doc: &dom_query::Document) -> String {
    doc.select("header").remove();
    let mut paragraphs = Vec::new();
    for node in doc.select("body h1, body h2, body h3, body p, body li, body blockquote, body pre").iter() {
        let text = node.text();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            paragraphs.push(text);
        }
    }
    if paragraphs.is_empty() {
        let body = doc.select("body").text();
        let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            paragraphs.push(text);
        }
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Blast kills dozens | The Harbour Post</title>
<meta property="og:title" content="Blast kills dozens near memorial">
<meta property="article:published_time" content="2024-01-04T09:00:00Z">
<script>var ads = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="ad">Buy now</div>
<article><h1>Blast kills dozens near memorial</h1>
<p>Two explosions struck a crowd walking to a memorial in the city of Kerman on Wednesday, officials said. The blasts came minutes apart and caused panic among the mourners who had gathered there.</p>
<p>The health ministry said at least 95 people had died and more than 280 were wounded in the attack, which came during a ceremony marking the anniversary.</p>
<p>No group had claimed responsibility by Wednesday evening, though several officials pointed to foreign enemies of the country.</p>
</article><aside>Related stories: something else entirely</aside>
<footer>Copyright 2024</footer></body></html>"#;

    #[test]
    fn keeps_the_article_and_drops_the_page() {
        let page = main_content(PAGE);
        assert!(page.text.contains("Two explosions struck"), "{}", page.text);
        assert!(page.text.starts_with("Blast kills dozens near memorial\n\n"), "the headline stays: {}", page.text);
        assert!(page.text.contains("\n\nThe health ministry said"), "paragraphs stay apart: {}", page.text);
        for junk in ["Home", "Buy now", "var ads", "Related stories", "Copyright"] {
            assert!(!page.text.contains(junk), "{junk} should be dropped: {}", page.text);
        }
        assert_eq!(page.published, Date::new(2024, 1, 4));
        assert!(page.title.unwrap().starts_with("Blast kills dozens"));
    }

    #[test]
    fn the_lede_is_cut_on_a_character_boundary() {
        let text = format!("a{}", "ë".repeat(400));
        assert!(!text.is_char_boundary(600));
        assert_eq!(lede(&text).len(), 599);
        assert_eq!(lede("short"), "short");
        // The whole path: a headline the text does not start with, a multi-byte
        // character across byte 600.
        let page = format!(
            "<html><body><article><h1>Depot hit</h1><p>{}</p><p>{}</p></article></body></html>",
            text,
            "Police said the blast in Biryulëvo was deliberate. ".repeat(8)
        );
        assert!(main_content(&page).text.contains("Biryulëvo"));
    }

    #[test]
    fn falls_back_on_short_pages() {
        let page = main_content("<html><body><nav>Menu</nav><p>Gunmen stormed the hotel.</p><time datetime=\"2008-11-27\">Nov 27</time></body></html>");
        assert!(page.text.starts_with("Gunmen stormed the hotel."), "{}", page.text);
        assert!(!page.text.contains("Menu"));
        assert_eq!(page.published, Date::new(2008, 11, 27));
    }
}
