//! Source reliability (the Admiralty grades A–F, set by the user) and the credibility of
//! claims (1–6, from corroboration by independent sources).
//!
//! Grades, as NATO's AJP-2.1 defines them: A completely reliable, B usually reliable,
//! C fairly reliable, D not usually reliable, E unreliable, F reliability cannot be
//! judged. A source no grade is set for is F.
//!
//! Credibility of a claim, from the independent sources (distinct outlets) that carry
//! the same claim (same kind, same speaker, same targets) and those that carry a claim
//! against it (a denial of an accusation, another party's claim of responsibility):
//! * 5 improbable — more sources against it than for it;
//! * 4 doubtful — as many against as for, or a single source graded D or E;
//! * 1 confirmed — three or more independent sources;
//! * 2 probably true — two;
//! * 3 possibly true — one, graded A to C;
//! * 6 cannot be judged — one source of unknown reliability (F or ungraded).

use std::collections::BTreeMap;

/// Grades by source name or web domain, both lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grades {
    by_name: BTreeMap<String, char>,
}

impl Grades {
    /// Reads `name = grade` pairs; an error names the first bad grade.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Grades, String> {
        let mut by_name = BTreeMap::new();
        for (name, grade) in pairs {
            let g = grade.trim().to_ascii_uppercase();
            let c = match g.as_str() {
                "A" | "B" | "C" | "D" | "E" | "F" => g.chars().next().unwrap_or('F'),
                _ => return Err(format!("reliability of {name:?} is {grade:?}: a grade is one of A, B, C, D, E, F")),
            };
            by_name.insert(name.trim().to_lowercase(), c);
        }
        Ok(Grades { by_name })
    }

    /// Grades already checked (as `claimgraph.toml` reads them): (name, letter A–F).
    pub fn from_checked(pairs: &[(String, char)]) -> Grades {
        Grades { by_name: pairs.iter().map(|(name, g)| (name.trim().to_lowercase(), *g)).collect() }
    }

    /// The grade of a document's source: by its source name, then its URL's host or a
    /// parent domain of it ("www.bbc.co.uk" finds "bbc.co.uk").
    pub fn grade(&self, source: Option<&str>, url: Option<&str>) -> Option<char> {
        if let Some(g) = source.and_then(|s| self.by_name.get(&s.trim().to_lowercase())) {
            return Some(*g);
        }
        let owned = host_of(url?)?.to_ascii_lowercase();
        let mut host = owned.as_str();
        loop {
            if let Some(g) = self.by_name.get(host) {
                return Some(*g);
            }
            match host.split_once('.') {
                Some((_, parent)) if parent.contains('.') => host = parent,
                _ => return None,
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// The host of a URL, lower case, without "www.".
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// What makes sources independent: the outlet's name, else the URL's host, else the
/// document itself.
pub fn source_key(source: Option<&str>, url: Option<&str>, doc: &str) -> String {
    if let Some(s) = source.map(str::trim).filter(|s| !s.is_empty()) {
        return s.to_lowercase();
    }
    if let Some(h) = url.and_then(host_of) {
        return h.to_ascii_lowercase();
    }
    format!("document {doc}")
}

/// Credibility 1–6 (see the module docs) from the number of independent sources for and
/// against a claim and the best grade among the sources for it.
pub fn credibility(sources_for: usize, sources_against: usize, best_grade: Option<char>) -> u8 {
    if sources_against > sources_for {
        5
    } else if sources_against > 0 && sources_against == sources_for {
        4
    } else if sources_for >= 3 {
        1
    } else if sources_for == 2 {
        2
    } else {
        match best_grade {
            Some('A' | 'B' | 'C') => 3,
            Some('D' | 'E') => 4,
            _ => 6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_by_name_and_domain() {
        let g = Grades::new([("Reuters", "a"), ("bbc.co.uk", "B")]).unwrap();
        assert_eq!(g.grade(Some("reuters"), None), Some('A'));
        assert_eq!(g.grade(None, Some("https://www.bbc.co.uk/news/1")), Some('B'));
        assert_eq!(g.grade(None, Some("https://news.bbc.co.uk/x")), Some('B'));
        assert_eq!(g.grade(Some("Other"), Some("https://example.org/")), None);
        assert!(Grades::new([("x", "G")]).unwrap_err().contains("one of A"));
    }

    #[test]
    fn credibility_follows_corroboration() {
        assert_eq!(credibility(3, 0, None), 1);
        assert_eq!(credibility(2, 1, None), 2);
        assert_eq!(credibility(1, 0, Some('B')), 3);
        assert_eq!(credibility(1, 0, Some('E')), 4);
        assert_eq!(credibility(1, 1, Some('A')), 4);
        assert_eq!(credibility(1, 2, Some('A')), 5);
        assert_eq!(credibility(1, 0, None), 6);
    }

    #[test]
    fn source_keys() {
        assert_eq!(source_key(Some(" AP "), None, "d"), "ap");
        assert_eq!(source_key(None, Some("http://www.Example.com:8080/a"), "d"), "example.com");
        assert_eq!(source_key(None, None, "d1"), "document d1");
    }
}
