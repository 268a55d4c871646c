//! Full-text search over documents and claims.
//!
//! Documents are indexed with FTS5 and ranked with bm25 over the newest matches (see
//! [`CANDIDATES`]); a claim is a hit when its document matches and its own text holds
//! one of the query's words or phrases, so claims need no index of their own (that
//! index cost ingest a third of its speed for little gain).
//!
//! Users write `"exact phrase"`, `prefix*`, `AND`, `OR`, `NOT` and parentheses; words
//! side by side must all match. [`parse_query`] checks that language and rewrites it into
//! FTS5's, quoting every term, so no input can reach FTS5 as syntax it did not mean (a
//! stray `-` or `:` is a term, not an operator) and a malformed query gets a message that
//! says what is wrong and where, instead of an SQLite error.
//!
//! Operands side by side are joined with an explicit `AND` (FTS5 rejects an implicit
//! AND next to a parenthesised group: `bomb (kabul OR herat)` was a syntax error), and
//! a query is bounded in length ([`MAX_QUERY_CHARS`]), nesting ([`MAX_DEPTH`]: FTS5's
//! parser has a small fixed stack), terms ([`MAX_TERMS`]) and prefix terms
//! ([`MAX_PREFIX_TERMS`], [`MIN_PREFIX_CHARS`]: each one expands into every indexed word
//! it starts, so a few hundred of them, or one of a single letter, took seconds), each
//! limit with its own message.

use rusqlite::{params_from_iter, Connection, ToSql};

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty")]
    Empty,
    #[error("unclosed quotation mark starting at character {0}")]
    UnclosedQuote(usize),
    #[error("unbalanced parenthesis at character {0}")]
    UnbalancedParen(usize),
    #[error("{0} needs a term on both sides (e.g. 'bomb {0} blast')")]
    DanglingOperator(&'static str),
    #[error("empty parentheses at character {0}")]
    EmptyGroup(usize),
    #[error("the query is {0} characters long; at most {MAX_QUERY_CHARS} are allowed (search for fewer words)")]
    TooLong(usize),
    #[error("parentheses nest {0} deep; at most {MAX_DEPTH} levels are allowed (flatten the query)")]
    TooDeep(usize),
    #[error("the query has {0} terms; at most {MAX_TERMS} are allowed (search for fewer words)")]
    TooManyTerms(usize),
    #[error("the query has {0} prefix terms (word*); at most {MAX_PREFIX_TERMS} are allowed (spell some words out)")]
    TooManyPrefixTerms(usize),
    #[error("prefix term '{0}*' is too short: give at least {MIN_PREFIX_CHARS} characters before the *")]
    PrefixTooShort(String),
}

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Deepest nesting of parentheses accepted (FTS5's parser overflows at about 50).
pub const MAX_DEPTH: usize = 10;
/// Most words, phrases and prefix terms in one query.
pub const MAX_TERMS: usize = 32;
/// Most prefix terms (`word*`) in one query: each is a scan of the index's vocabulary.
pub const MAX_PREFIX_TERMS: usize = 4;
/// Shortest prefix accepted: on 100,000 documents `s*` took a second, `str*` 60 ms.
pub const MIN_PREFIX_CHARS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Term(String),
    Prefix(String),
    Phrase(String),
    And,
    Or,
    Not,
    Open(usize),
    Close(usize),
}

fn lex(q: &str) -> Result<Vec<Tok>, QueryError> {
    // Control characters separate words like spaces: FTS5 reads a NUL as the end of the
    // query ("unterminated string") and other controls as syntax errors, which the
    // `query` fuzz target found. The mapping keeps every character's position.
    let cleaned: String = q.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let q = cleaned.as_str();
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let char_pos = i;
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' {
            let start = i + 1;
            let end = (start..chars.len()).find(|&k| chars[k].1 == '"').ok_or(QueryError::UnclosedQuote(char_pos))?;
            let phrase: String = chars[start..end].iter().map(|&(_, c)| c).collect();
            if !phrase.trim().is_empty() {
                out.push(Tok::Phrase(phrase.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
            i = end + 1;
        } else if c == '(' {
            out.push(Tok::Open(char_pos));
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close(char_pos));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].1.is_whitespace() && !matches!(chars[i].1, '"' | '(' | ')') {
                i += 1;
            }
            let end_byte = chars.get(i).map_or(q.len(), |&(b, _)| b);
            let word = &q[pos..end_byte];
            let _ = start;
            out.push(match word {
                "AND" => Tok::And,
                "OR" => Tok::Or,
                "NOT" => Tok::Not,
                // Punctuation-only words ("-", ":", "*") match nothing: they are dropped
                // here, so an operator next to one is seen as dangling, not sent to FTS5.
                w if !w.chars().any(char::is_alphanumeric) => continue,
                w if w.ends_with('*') => Tok::Prefix(w.trim_end_matches('*').to_string()),
                w => Tok::Term(w.to_string()),
            });
        }
    }
    Ok(out)
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Checks a user query and rewrites it into FTS5 syntax.
pub fn parse_query(q: &str) -> Result<String, QueryError> {
    let n_chars = q.chars().count();
    if n_chars > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong(n_chars));
    }
    let toks = lex(q)?;
    if toks.is_empty() {
        return Err(QueryError::Empty);
    }
    let n_terms = toks.iter().filter(|t| matches!(t, Tok::Term(_) | Tok::Prefix(_) | Tok::Phrase(_))).count();
    if n_terms > MAX_TERMS {
        return Err(QueryError::TooManyTerms(n_terms));
    }
    let n_prefix = toks.iter().filter(|t| matches!(t, Tok::Prefix(_))).count();
    if n_prefix > MAX_PREFIX_TERMS {
        return Err(QueryError::TooManyPrefixTerms(n_prefix));
    }
    for t in &toks {
        if let Tok::Prefix(w) = t {
            if w.chars().count() < MIN_PREFIX_CHARS {
                return Err(QueryError::PrefixTooShort(w.clone()));
            }
        }
    }
    let mut out = Vec::new();
    let mut depth: Vec<usize> = Vec::new();
    // Whether the previous token ends an operand (a term or a closing parenthesis).
    let mut after_operand = false;
    for (k, t) in toks.iter().enumerate() {
        // Operands side by side must all match: say so with an explicit AND.
        if after_operand && matches!(t, Tok::Term(_) | Tok::Prefix(_) | Tok::Phrase(_) | Tok::Open(_)) {
            out.push("AND".to_string());
        }
        match t {
            Tok::Term(w) => {
                out.push(quote(w));
                after_operand = true;
            }
            Tok::Prefix(w) => {
                out.push(format!("{}*", quote(w)));
                after_operand = true;
            }
            Tok::Phrase(p) => {
                out.push(quote(p));
                after_operand = true;
            }
            Tok::And | Tok::Or | Tok::Not => {
                let name = match t {
                    Tok::And => "AND",
                    Tok::Or => "OR",
                    _ => "NOT",
                };
                let next_is_operand =
                    matches!(toks.get(k + 1), Some(Tok::Term(_) | Tok::Prefix(_) | Tok::Phrase(_) | Tok::Open(_)));
                if !after_operand || !next_is_operand {
                    return Err(QueryError::DanglingOperator(name));
                }
                out.push(name.to_string());
                after_operand = false;
            }
            Tok::Open(p) => {
                if matches!(toks.get(k + 1), Some(Tok::Close(_))) {
                    return Err(QueryError::EmptyGroup(*p));
                }
                depth.push(*p);
                if depth.len() > MAX_DEPTH {
                    // The deepest level, not the first one past the limit, in the message.
                    let mut level = depth.len();
                    let mut deepest = level;
                    for t in &toks[k + 1..] {
                        match t {
                            Tok::Open(_) => level += 1,
                            Tok::Close(_) => level = level.saturating_sub(1),
                            _ => {}
                        }
                        deepest = deepest.max(level);
                    }
                    return Err(QueryError::TooDeep(deepest));
                }
                out.push("(".to_string());
                after_operand = false;
            }
            Tok::Close(p) => {
                if depth.pop().is_none() {
                    return Err(QueryError::UnbalancedParen(*p));
                }
                out.push(")".to_string());
                after_operand = true;
            }
        }
    }
    if let Some(p) = depth.pop() {
        return Err(QueryError::UnbalancedParen(p));
    }
    if out.is_empty() {
        return Err(QueryError::Empty);
    }
    Ok(out.join(" "))
}

/// What to search for, and where.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub query: String,
    /// Publication dates, YYYY-MM-DD, inclusive.
    pub since: Option<String>,
    pub until: Option<String>,
    pub source: Option<String>,
    /// Only claims of this kind (and no documents).
    pub claim_kind: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Document,
    Claim,
}

/// One result, best first.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: HitKind,
    pub doc: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    /// For a claim: its id in the document, kind and speaker.
    pub claim: Option<(String, String, Option<String>)>,
    /// Text around the match, the matched words between `[` and `]`.
    pub snippet: String,
    /// bm25 rank: lower is better.
    pub rank: f64,
}

fn filters(q: &SearchQuery, args: &mut Vec<Box<dyn ToSql>>) -> String {
    let mut sql = String::new();
    if let Some(s) = &q.since {
        args.push(Box::new(s.clone()));
        sql.push_str(&format!(" AND d.published >= ?{}", args.len()));
    }
    if let Some(u) = &q.until {
        args.push(Box::new(u.clone()));
        sql.push_str(&format!(" AND d.published <= ?{}", args.len()));
    }
    if let Some(src) = &q.source {
        args.push(Box::new(src.clone()));
        sql.push_str(&format!(" AND d.source = ?{} COLLATE NOCASE", args.len()));
    }
    sql
}

/// How many of the newest matching documents are ranked. Scoring every match of a
/// common word across a large store costs hundreds of milliseconds; ranking the newest
/// few hundred keeps a query within milliseconds, and for news the newest matches are
/// the ones wanted. (A search narrowed by words or dates has fewer matches and is ranked
/// whole.)
const CANDIDATES: i64 = 500;

/// The words and phrases of a query that a hit must contain (its positive terms), lower
/// case, for finding the claims that match inside a matching document.
fn positive_terms(q: &str) -> Vec<(String, bool)> {
    let Ok(toks) = lex(q) else { return Vec::new() };
    let mut out = Vec::new();
    // `NOT` negates the next term, or the whole group it precedes (down to the depth
    // where that group closes).
    let mut negated = false;
    let mut depth = 0usize;
    let mut negated_groups: Vec<usize> = Vec::new();
    for t in toks {
        let in_negated_group = !negated_groups.is_empty();
        match t {
            Tok::Not => negated = true,
            Tok::Open(_) => {
                depth += 1;
                if negated {
                    negated_groups.push(depth);
                    negated = false;
                }
            }
            Tok::Close(_) => {
                if negated_groups.last() == Some(&depth) {
                    negated_groups.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Term(_) | Tok::Prefix(_) | Tok::Phrase(_) if negated || in_negated_group => negated = false,
            Tok::Term(w) => out.push((w.to_lowercase(), false)),
            Tok::Prefix(w) => out.push((w.to_lowercase(), true)),
            Tok::Phrase(p) => out.push((p.to_lowercase(), false)),
            Tok::And | Tok::Or => {}
        }
    }
    out
}

/// Whether a claim's text contains a term (a prefix term: a word starting with it).
fn claim_matches(text: &str, terms: &[(String, bool)]) -> bool {
    let lower = text.to_lowercase();
    terms.iter().any(|(t, prefix)| {
        lower.match_indices(t.as_str()).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + t.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && (*prefix || !after.is_some_and(char::is_alphanumeric))
        })
    })
}

/// Runs a search. Documents are matched and ranked with FTS5 (bm25, over the newest
/// [`CANDIDATES`] matches); claims are the claims of matching documents whose own text
/// holds one of the query's terms, ranked with their document.
pub(crate) fn run(conn: &Connection, q: &SearchQuery) -> Result<Vec<Hit>> {
    let fts = parse_query(&q.query)?;
    let limit = q.limit.max(1);
    let terms = positive_terms(&q.query);
    // Step 1: the best documents among the newest candidates, without snippets.
    let mut args: Vec<Box<dyn ToSql>> = vec![Box::new(fts.clone())];
    let f = filters(q, &mut args);
    args.push(Box::new(CANDIDATES));
    let sql = format!(
        "SELECT seq, rank FROM (
             SELECT d.seq AS seq, bm25(documents_fts) AS rank
             FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid
             WHERE documents_fts MATCH ?1{f}
             ORDER BY documents_fts.rowid DESC LIMIT ?{})
         ORDER BY rank",
        args.len()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let ranked: Vec<(i64, f64)> = stmt
        .query_map(params_from_iter(args.iter().map(|a| a.as_ref())), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    // Step 2: metadata for the hits shown, by primary key; snippets are cut here from
    // the text (asking FTS5 for them re-runs the whole match).
    let mut meta =
        conn.prepare_cached("SELECT id, title, url, source, published, text FROM documents WHERE seq = ?1")?;
    let mut claims =
        conn.prepare_cached("SELECT local_id, kind, speaker, text FROM claims WHERE doc = ?1 ORDER BY n")?;
    let mut hits = Vec::new();
    for &(seq, rank) in &ranked {
        if hits.len() >= limit {
            break;
        }
        type Meta = (String, Option<String>, Option<String>, Option<String>, Option<String>, String);
        let (doc, title, url, source, published, text): Meta =
            meta.query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
        let snippet = snippet_of(&text, &terms);
        let doc_claims: Vec<(String, String, Option<String>, String)> =
            claims.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        for (id, kind, speaker, text) in doc_claims {
            if q.claim_kind.as_ref().is_some_and(|k| *k != kind) || !claim_matches(&text, &terms) {
                continue;
            }
            hits.push(Hit {
                kind: HitKind::Claim,
                doc: doc.clone(),
                title: title.clone(),
                url: url.clone(),
                source: source.clone(),
                published: published.clone(),
                claim: Some((id, kind, speaker)),
                snippet: highlight(&text, &terms),
                rank,
            });
        }
        if q.claim_kind.is_none() {
            hits.push(Hit { kind: HitKind::Document, doc, title, url, source, published, claim: None, snippet, rank });
        }
    }
    hits.truncate(limit);
    Ok(hits)
}

/// About 30 words of a document around the first match of the query's terms, the terms
/// between `[` and `]`.
fn snippet_of(text: &str, terms: &[(String, bool)]) -> String {
    let lower = text.to_lowercase();
    let first = terms
        .iter()
        .filter_map(|(t, _)| lower.find(t.as_str()))
        .min()
        .filter(|_| lower.len() == text.len())
        .unwrap_or(0);
    // Start a few words before the match, on a word boundary.
    let mut start = first;
    let mut words_back = 0;
    while start > 0 && words_back < 8 {
        start -= 1;
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        if text[start..].starts_with(char::is_whitespace) {
            words_back += 1;
        }
    }
    let window: String = text[start..].split_whitespace().take(30).collect::<Vec<_>>().join(" ");
    let prefix = if start > 0 { "…" } else { "" };
    format!("{prefix}{}…", highlight(&window, terms))
}

/// A claim's text with the query's terms between `[` and `]`.
fn highlight(text: &str, terms: &[(String, bool)]) -> String {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return text.to_string();
    }
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for (t, prefix) in terms {
        for (at, _) in lower.match_indices(t.as_str()) {
            let mut end = at + t.len();
            if *prefix {
                end += lower[end..].find(|c: char| !c.is_alphanumeric()).unwrap_or(lower.len() - end);
            }
            let before = lower[..at].chars().next_back();
            if !before.is_some_and(char::is_alphanumeric) {
                marks.push((at, end));
            }
        }
    }
    marks.sort();
    let mut out = String::with_capacity(text.len() + 8);
    let mut pos = 0;
    for (a, b) in marks {
        if a < pos {
            continue;
        }
        out.push_str(&text[pos..a]);
        out.push('[');
        out.push_str(&text[a..b]);
        out.push(']');
        pos = b;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_the_user_language_into_quoted_fts5() {
        assert_eq!(parse_query("kerman bombing").unwrap(), r#""kerman" AND "bombing""#);
        assert_eq!(parse_query(r#""islamic state" AND claim*"#).unwrap(), r#""islamic state" AND "claim"*"#);
        assert_eq!(parse_query("(israel OR iran) NOT drone").unwrap(), r#"( "israel" OR "iran" ) NOT "drone""#);
        assert_eq!(parse_query("al-Qaeda: -").unwrap(), r#""al-Qaeda:""#);
    }

    #[test]
    fn search_with_parenthesised_or_group_works() {
        // The form the help text teaches: FTS5 has no implicit AND before a group.
        assert_eq!(parse_query("bomb (kabul OR herat)").unwrap(), r#""bomb" AND ( "kabul" OR "herat" )"#);
        assert_eq!(parse_query("(kabul) bomb").unwrap(), r#"( "kabul" ) AND "bomb""#);
        assert_eq!(parse_query("(a OR b) (c OR d)").unwrap(), r#"( "a" OR "b" ) AND ( "c" OR "d" )"#);
    }

    #[test]
    fn punctuation_next_to_an_operator_is_a_dangling_operator_not_an_fts5_error() {
        assert_eq!(parse_query("iran NOT -"), Err(QueryError::DanglingOperator("NOT")));
        assert_eq!(parse_query("iran ( - )"), Err(QueryError::EmptyGroup(5)));
        assert_eq!(parse_query("iran -*"), Ok(r#""iran""#.to_string()));
    }

    #[test]
    fn deeply_nested_query_is_a_clear_error_not_a_stack_overflow() {
        let deep = format!("{}bomb{}", "(".repeat(300), ")".repeat(300));
        assert_eq!(parse_query(&deep), Err(QueryError::TooDeep(300)));
        let ok = format!("{}bomb{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse_query(&ok).is_ok());
        assert!(QueryError::TooDeep(300).to_string().contains("at most 10 levels"));
    }

    #[test]
    fn many_prefix_terms_are_capped() {
        // The issue's 4 KB query: 400 prefix terms, which took 1.9 s on 100,000 documents.
        let many: Vec<String> = (0..400).map(|n| format!("w{n}*")).collect();
        assert_eq!(parse_query(&many.join(" ")), Err(QueryError::TooLong(many.join(" ").chars().count())));
        let some_prefixes: Vec<String> = (0..MAX_PREFIX_TERMS + 1).map(|n| format!("wor{n}*")).collect();
        assert_eq!(parse_query(&some_prefixes.join(" ")), Err(QueryError::TooManyPrefixTerms(MAX_PREFIX_TERMS + 1)));
        let words: Vec<String> = (0..MAX_TERMS + 1).map(|n| format!("w{n}")).collect();
        assert_eq!(parse_query(&words.join(" ")), Err(QueryError::TooManyTerms(MAX_TERMS + 1)));
        let fine: Vec<String> = (0..MAX_PREFIX_TERMS).map(|n| format!("wor{n}*")).collect();
        assert!(parse_query(&fine.join(" OR ")).is_ok());
        // One short prefix expands into most of the vocabulary.
        assert_eq!(parse_query("s*"), Err(QueryError::PrefixTooShort("s".to_string())));
        assert!(parse_query("str*").is_ok());
    }

    #[test]
    fn a_negated_group_gives_no_positive_terms() {
        let terms = positive_terms("bomb NOT (kabul OR herat) blast");
        assert_eq!(terms, [("bomb".to_string(), false), ("blast".to_string(), false)]);
    }

    #[test]
    fn claims_match_and_highlight_the_positive_terms() {
        let terms = positive_terms(r#""islamic state" OR claim* NOT denied"#);
        assert_eq!(terms, [("islamic state".to_string(), false), ("claim".to_string(), true)]);
        assert!(claim_matches("The Islamic State group said", &terms));
        assert!(claim_matches("it claimed the attack", &terms));
        assert!(!claim_matches("nobody denied it", &terms));
        assert_eq!(highlight("IS claimed it", &terms), "IS [claimed] it");
    }

    #[test]
    fn malformed_queries_get_clear_errors() {
        assert_eq!(parse_query("   "), Err(QueryError::Empty));
        assert_eq!(parse_query(r#""islamic state"#), Err(QueryError::UnclosedQuote(0)));
        assert_eq!(parse_query("(iran OR israel"), Err(QueryError::UnbalancedParen(0)));
        assert_eq!(parse_query("iran)"), Err(QueryError::UnbalancedParen(4)));
        assert_eq!(parse_query("AND iran"), Err(QueryError::DanglingOperator("AND")));
        assert_eq!(parse_query("iran OR"), Err(QueryError::DanglingOperator("OR")));
        assert_eq!(parse_query("NOT iran"), Err(QueryError::DanglingOperator("NOT")));
        assert_eq!(parse_query("iran ()"), Err(QueryError::EmptyGroup(5)));
    }
}
