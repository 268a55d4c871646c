//! Escaping for HTML: every string from a document goes through [`esc`].

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL safe to put in an `href`: only http(s) links to other sites pass; anything
/// else (`javascript:`, `data:`) is dropped.
pub fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| esc(url.trim()))
}

/// A path segment (an id) for a link: percent-encodes anything but letters, digits and
/// `-._~`.
pub fn seg(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A page around `body`.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · claimgraph</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body>\
<header><a class=\"brand\" href=\"/\">claimgraph</a> <nav><a href=\"/\">Incidents</a> <a href=\"/map\">Map</a> <a href=\"/timeline\">Timeline</a> <a href=\"/api/v1/openapi.json\">API</a></nav></header>\
<main>{body}</main></body></html>",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_refuses_script_links() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" JavaScript:alert(1)"), None);
        assert_eq!(
            safe_href("https://example.org/a?b=\"c\"").as_deref(),
            Some("https://example.org/a?b=&quot;c&quot;")
        );
        assert_eq!(seg("a/b c"), "a%2Fb%20c");
    }
}
