//! The `document` stage: bytes in, one immutable text out.
//!
//! Decoding never fails on bad bytes (they become U+FFFD and a diagnostic); it fails
//! only on input that holds no document at all: nothing, binary data, or a page with no
//! readable text. HTML keeps its main content with paragraph breaks (see [`crate::html`]).
//! The id is a content hash of the final text, so the same text always has the same id
//! whatever file or URL it came from.

use claimgraph_model::{Date, Diagnostic};
use sha2::{Digest, Sha256};

use crate::html;
use crate::InputError;

/// What the caller knows about a document before reading it.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<Date>,
    /// Force HTML (`Some(true)`) or text (`Some(false)`); `None` sniffs the content.
    pub html: Option<bool>,
}

/// The decoded text and what was learnt on the way.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub was_html: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes bytes as UTF-8 text or HTML.
pub fn decode(bytes: &[u8], meta: &Meta) -> Result<Decoded, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    if looks_binary(bytes) {
        return Err(InputError::Binary);
    }
    let mut diagnostics = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let raw = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            let s = String::from_utf8_lossy(bytes);
            let n_bad = s.matches('\u{FFFD}').count();
            diagnostics.push(Diagnostic::warning(format!(
                "input is not valid UTF-8: {n_bad} invalid byte sequence(s) replaced with U+FFFD"
            )));
            s
        }
    };
    let was_html = meta.html.unwrap_or_else(|| looks_like_html(&raw));
    let (text, title, published) = if was_html {
        html::prescan(&raw)?;
        let page = html::main_content(&raw);
        diagnostics.extend(page.diagnostics);
        (page.text, page.title, page.published)
    } else {
        let text = normalize_text(&raw);
        let title = headline(&text);
        (text, title, None)
    };
    if text.trim().is_empty() {
        return Err(if was_html { InputError::NoHtmlText } else { InputError::Empty });
    }
    Ok(Decoded { text, title, published, was_html, diagnostics })
}

/// The first line of a text, when it reads as a headline: short, followed by a blank
/// line, and without a final full stop.
fn headline(text: &str) -> Option<String> {
    let (first, rest) = text.split_once('\n')?;
    let first = first.trim();
    let ok = !first.is_empty()
        && first.chars().count() <= 200
        && rest.starts_with('\n')
        && !first.ends_with(['.', ':', ';', ','])
        && first.split_whitespace().count() >= 3;
    ok.then(|| first.to_string())
}

/// Binary data: a NUL byte, or many control characters, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let n_control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    n_control * 10 > head.len()
}

/// HTML when the first markup-looking thing is a doctype or one of the document tags.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(1024).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || (head.starts_with('<')
            && ["<head", "<body", "<p>", "<div", "<article", "<meta"].iter().any(|t| head.contains(t)))
}

/// Line endings to `\n`, trailing spaces off each line, form feeds and other control
/// characters (but tab) to spaces, and no blank lines beyond one in a row.
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut n_blank = 0;
    for line in raw.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line).trim_end();
        if line.is_empty() {
            n_blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if n_blank > 0 { "\n\n" } else { "\n" });
        }
        n_blank = 0;
        out.extend(line.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }));
    }
    out
}

/// Stable id of a text: the first 16 hex digits of its SHA-256.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// ISO 639-1 code of the text's language, judged on its first thousand or so characters,
/// or `und` when the detector is not confident.
pub fn language(text: &str) -> (String, Option<Diagnostic>) {
    let mut end = text.len().min(1200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    // Fast path: English prose is full of English function words, and most of what we
    // read is English. The trigram detector decides the rest.
    if crate::lexicon::english_ratio(sample) >= 0.25 {
        return ("en".to_string(), None);
    }
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() || info.lang() == whatlang::Lang::Eng => {
            let code = iso639_1(info.lang());
            let diag = (code != "en").then(|| {
                Diagnostic::warning(format!(
                    "document language is {code}, not English: entities, times and figures are not extracted"
                ))
            });
            (code.to_string(), diag)
        }
        _ => {
            // Short or mixed text: trust English if most words are common English words.
            if crate::lexicon::english_ratio(sample) > 0.15 {
                ("en".to_string(), None)
            } else {
                (
                    "und".to_string(),
                    Some(Diagnostic::warning("document language could not be told; treated as English")),
                )
            }
        }
    }
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Ara => "ar",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Tur => "tr",
        Pol => "pl",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Heb => "he",
        Ell => "el",
        Ces => "cs",
        Ron => "ro",
        Hun => "hu",
        Ind => "id",
        Vie => "vi",
        Tha => "th",
        Ben => "bn",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Bul => "bg",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Aze => "az",
        Bel => "be",
        Kat => "ka",
        Hye => "hy",
        Tam => "ta",
        Tel => "te",
        Mar => "mr",
        Pan => "pa",
        Guj => "gu",
        Kan => "kn",
        Mal => "ml",
        Amh => "am",
        Afr => "af",
        Epo => "eo",
        Lat => "la",
        Tgl => "tl",
        Jav => "jv",
        Mkd => "mk",
        Uzb => "uz",
        Yid => "yi",
        Sna => "sn",
        Zul => "zu",
        Aka => "ak",
        Ori => "or",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Mya => "my",
        Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_document() {
        let meta = Meta::default();
        assert!(matches!(decode(b"", &meta), Err(InputError::Empty)));
        assert!(matches!(decode(b" \n\t ", &meta), Err(InputError::Empty)));
        assert!(matches!(decode(b"\x7fELF\x02\x01\x01\x00\x00\x00", &meta), Err(InputError::Binary)));
        assert!(matches!(
            decode(b"<html><head><title>x</title></head><body></body></html>", &meta),
            Err(InputError::NoHtmlText)
        ));
    }

    #[test]
    fn replaces_invalid_utf8_and_says_so() {
        let d = decode(b"Gunmen attacked \xff\xfe the hotel.", &Meta::default()).unwrap();
        assert_eq!(d.text, "Gunmen attacked \u{FFFD}\u{FFFD} the hotel.");
        assert_eq!(d.diagnostics.len(), 1);
        assert!(d.diagnostics[0].message.contains("not valid UTF-8"));
    }

    #[test]
    fn normalizes_line_endings_and_blank_runs() {
        assert_eq!(normalize_text("A\r\nB  \r\n\r\n\r\n\nC\x0c"), "A\nB\n\nC");
    }

    #[test]
    fn id_depends_on_text_only() {
        assert_eq!(content_id("abc"), content_id("abc"));
        assert_ne!(content_id("abc"), content_id("abd"));
        assert_eq!(content_id("abc").len(), 16);
    }

    #[test]
    fn tells_english_from_french() {
        let (en, _) = language(
            "Gunmen attacked a concert hall in the city on Friday evening, killing dozens of people, officials said.",
        );
        assert_eq!(en, "en");
        let (fr, diag) = language("Des hommes armés ont attaqué une salle de concert vendredi soir, tuant des dizaines de personnes, selon les autorités.");
        assert_eq!(fr, "fr");
        assert!(diag.unwrap().message.contains("not English"));
    }
}
