//! The `document` stage: bytes in, one immutable text out.
//!
//! Decoding never fails on bad bytes (they become U+FFFD and a diagnostic); it fails
//! only on input that holds no document at all: nothing, binary data, or a page with no
//! readable text. The encoding is, in this order: a byte-order mark (UTF-8, UTF-16LE/BE),
//! UTF-8 when the bytes are UTF-8 (a few damaged sequences are repaired, not taken for
//! another encoding), the charset the transport declared (HTTP `Content-Type`), the one
//! an HTML page declares (`<meta charset>` or `http-equiv`), and else a guess by
//! `chardetng` (the detector Firefox uses for unlabelled pages). Anything but UTF-8 is
//! said in an info diagnostic, so a wrong guess can be traced. HTML keeps its main
//! content with paragraph breaks (see [`crate::html`]).
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
    /// The charset the transport declared (`charset=` of an HTTP `Content-Type`).
    pub charset: Option<String>,
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

/// Decodes bytes (in any encoding the module docs list) as text or HTML.
pub fn decode(bytes: &[u8], meta: &Meta) -> Result<Decoded, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    let mut diagnostics = Vec::new();
    let raw = to_text(bytes, meta, &mut diagnostics)?;
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

/// The bytes as text, by the first rule of the module docs that applies.
fn to_text<'a>(
    bytes: &'a [u8],
    meta: &Meta,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<std::borrow::Cow<'a, str>, InputError> {
    use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
    let (encoding, body, why) = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        (encoding, &bytes[bom_len..], "its byte-order mark")
    } else if let Some(encoding) = utf16_without_bom(bytes) {
        (encoding, bytes, "its zero bytes")
    } else {
        if looks_binary(bytes) {
            return Err(InputError::Binary);
        }
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Ok(std::borrow::Cow::Borrowed(s));
        }
        let declared = |label: Option<&str>| {
            label.and_then(|l| Encoding::for_label(l.trim().as_bytes())).filter(|e| *e != UTF_16LE && *e != UTF_16BE)
        };
        if mostly_utf8(bytes) {
            (UTF_8, bytes, "its content")
        } else if let Some(encoding) = declared(meta.charset.as_deref()) {
            (encoding, bytes, "the Content-Type of its response")
        } else if let Some(encoding) = declared(html_meta_charset(bytes).as_deref()) {
            (encoding, bytes, "its HTML meta charset")
        } else {
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            (detector.guess(None, chardetng::Utf8Detection::Allow), bytes, "a guess from its bytes")
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if encoding == UTF_8 {
        if !had_errors {
            return Ok(text);
        }
        let n_bad = text.matches('\u{FFFD}').count();
        diagnostics.push(Diagnostic::warning(format!(
            "input is not valid UTF-8: {n_bad} invalid byte sequence(s) replaced with U+FFFD"
        )));
    } else {
        diagnostics.push(Diagnostic::info(format!("input decoded as {} (from {why})", encoding.name())));
        if had_errors {
            diagnostics.push(Diagnostic::warning(format!(
                "input has byte sequences that are not valid {}: replaced with U+FFFD",
                encoding.name()
            )));
        }
    }
    Ok(text)
}

/// UTF-16 without a byte-order mark: most of the first bytes' odd (LE) or even (BE)
/// positions are zero, as in text that is mostly Latin script.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_odd = head.chunks_exact(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    let zero_even = head.chunks_exact(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    if zero_odd * 10 >= pairs * 9 {
        Some(encoding_rs::UTF_16LE)
    } else if zero_even * 10 >= pairs * 9 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 with a few damaged sequences, rather than text in another encoding: at least
/// as many well-formed multi-byte characters as malformed sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut n_multibyte, mut n_invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        n_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        n_invalid += usize::from(!chunk.invalid().is_empty());
    }
    n_multibyte > 0 && n_multibyte >= n_invalid
}

/// The charset an HTML page declares in its first 4 KiB: `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
pub fn html_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(at) = tag.find("charset") {
            let value = tag[at + 7..].trim_start();
            let Some(value) = value.strip_prefix('=') else { continue };
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            let end = value.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '/' | '>'));
            let label = &value[..end.unwrap_or(value.len())];
            if !label.is_empty() {
                return Some(label.to_string());
            }
        }
    }
    None
}

/// The `charset=` parameter of a `Content-Type` header value.
pub fn content_type_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_string())
    })
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
        // UTF-8 (the accents are well formed) with one damaged byte: repaired, not
        // taken for another encoding.
        let mut bytes = "Gunmen attacked the café in Kraków ".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xff the hotel.");
        let d = decode(&bytes, &Meta::default()).unwrap();
        assert_eq!(d.text, "Gunmen attacked the café in Kraków \u{FFFD} the hotel.");
        assert_eq!(d.diagnostics.len(), 1);
        assert!(d.diagnostics[0].message.contains("not valid UTF-8"));
    }

    /// Issue 18: UTF-16 text was rejected as binary (its zero bytes).
    #[test]
    fn utf16_text_with_bom_is_read() {
        let text = "Gunmen attacked a café in Zürich on Monday, police said.";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for bytes in [&le, &be] {
            let d = decode(bytes, &Meta::default()).unwrap();
            assert_eq!(d.text, text);
            assert!(d.diagnostics.iter().any(|g| g.message.contains("UTF-16")), "{:?}", d.diagnostics);
        }
        // Without a mark, the zero bytes of mostly-Latin text tell it too.
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&bare, &Meta::default()).unwrap().text, text);
        // A UTF-8 byte-order mark is dropped.
        let d = decode(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), &Meta::default()).unwrap();
        assert_eq!(d.text, text);
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
        // Real binary data is still refused.
        assert!(matches!(
            decode(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00", &Meta::default()),
            Err(InputError::Binary)
        ));
    }

    /// Issue 18: an HTML page's declared charset (windows-1252) was ignored, so its
    /// accented letters became U+FFFD.
    #[test]
    fn html_declared_windows_1252_charset_is_decoded() {
        let page = |head: &str| -> Vec<u8> {
            let mut b = format!("<html><head>{head}<title>Attack</title></head><body><article><p>").into_bytes();
            // "Gunmen attacked the café in Besançon, police said." in windows-1252.
            b.extend_from_slice(b"Gunmen attacked the caf\xe9 in Besan\xe7on on Monday \x96 police said.");
            b.extend_from_slice(b"</p></article></body></html>");
            b
        };
        for head in [
            r#"<meta charset="windows-1252">"#,
            r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">"#,
        ] {
            let d = decode(&page(head), &Meta::default()).unwrap();
            assert!(d.text.contains("café in Besançon on Monday – police"), "{head}: {}", d.text);
            assert!(
                d.diagnostics.iter().any(|g| g.message.contains("windows-1252") && g.message.contains("meta charset")),
                "{:?}",
                d.diagnostics
            );
        }
        // Declared by HTTP instead (the fetcher puts it in `Meta::charset`).
        let meta = Meta { charset: content_type_charset("text/html; charset=ISO-8859-1"), ..Meta::default() };
        let d = decode(&page(""), &meta).unwrap();
        assert!(d.text.contains("café in Besançon"), "{}", d.text);
        // Declared nowhere: the detector still reads it as a Latin encoding.
        let d = decode(&page(""), &Meta::default()).unwrap();
        assert!(d.text.contains("café in Besançon"), "{}", d.text);
        assert!(d.diagnostics.iter().any(|g| g.message.contains("guess")), "{:?}", d.diagnostics);
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
