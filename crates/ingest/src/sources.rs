//! Turning inputs (paths, URLs) into raw documents: files, folders walked recursively,
//! JSON Lines records, RSS/Atom feeds (files or URLs) and article URLs.
//!
//! Inputs are read lazily, one document at a time, so a folder of a million files or a
//! multi-gigabyte JSON Lines file streams through in constant memory. Every input that
//! cannot be read yields a [`Failure`] naming it (with a line number for JSON Lines),
//! and the rest goes on.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use claimgraph_extract::Meta;
use claimgraph_model::Date;
use claimgraph_store::FeedState;
use serde::Deserialize;

use crate::fetch::Fetcher;

/// One document's raw bytes and what is known about it.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub bytes: Vec<u8>,
    pub meta: Meta,
    /// Where it came from, for messages: a path, `path:line`, or a URL.
    pub origin: String,
    /// The file it was read from.
    pub path: Option<String>,
}

/// An input, or part of one, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub origin: String,
    pub reason: String,
}

/// What reading inputs produces, in order.
#[derive(Debug)]
pub enum Event {
    Doc(RawDoc),
    Failed(Failure),
    /// A feed was read completely: its validators, to be stored once its items are.
    FeedRead {
        url: String,
        state: FeedState,
    },
}

/// A JSON Lines record.
#[derive(Debug, Deserialize)]
struct Record {
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Files under a folder, recursively, sorted, hidden entries skipped.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Total bytes of the local inputs, for progress.
pub fn local_bytes(inputs: &[String]) -> u64 {
    let mut total = 0;
    for input in inputs.iter().filter(|i| !is_url(i)) {
        let p = Path::new(input);
        if p.is_dir() {
            let mut files = Vec::new();
            if walk(p, &mut files).is_ok() {
                total += files.iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum::<u64>();
            }
        } else if let Ok(m) = p.metadata() {
            total += m.len();
        }
    }
    total
}

fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start();
    (head.starts_with("<?xml") || head.starts_with("<rss") || head.starts_with("<feed") || head.starts_with("<rdf"))
        && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf"))
}

/// Reads every input, sending events to `emit` (which returns false to stop early).
pub fn read_inputs(
    inputs: &[String],
    fetcher: Option<&Fetcher>,
    feed_state: &dyn Fn(&str) -> FeedState,
    emit: &mut dyn FnMut(Event) -> bool,
) {
    for input in inputs {
        if !read_input(input, fetcher, feed_state, emit) {
            return;
        }
    }
}

fn read_input(
    input: &str,
    fetcher: Option<&Fetcher>,
    feed_state: &dyn Fn(&str) -> FeedState,
    emit: &mut dyn FnMut(Event) -> bool,
) -> bool {
    if is_url(input) {
        return read_url(input, fetcher, feed_state, emit);
    }
    let path = Path::new(input);
    let meta = match path.metadata() {
        Ok(m) => m,
        Err(e) => {
            let reason = if e.kind() == std::io::ErrorKind::NotFound {
                "no such file or folder".to_string()
            } else {
                e.to_string()
            };
            return emit(Event::Failed(Failure { origin: input.to_string(), reason }));
        }
    };
    if meta.is_dir() {
        let mut files = Vec::new();
        if let Err(e) = walk(path, &mut files) {
            return emit(Event::Failed(Failure {
                origin: input.to_string(),
                reason: format!("cannot read folder: {e}"),
            }));
        }
        for f in files {
            if !read_file(&f, fetcher, emit) {
                return false;
            }
        }
        true
    } else {
        read_file(path, fetcher, emit)
    }
}

fn read_file(path: &Path, fetcher: Option<&Fetcher>, emit: &mut dyn FnMut(Event) -> bool) -> bool {
    let origin = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if matches!(ext.as_str(), "jsonl" | "ndjson") {
        return read_jsonl(path, emit);
    }
    let size = path.metadata().map(|m| m.len()).unwrap_or(0);
    if size > claimgraph_extract::MAX_INPUT_BYTES {
        return emit(Event::Failed(Failure {
            origin,
            reason: format!(
                "file is {} MB, more than the {} MB limit for one document",
                size >> 20,
                claimgraph_extract::MAX_INPUT_BYTES >> 20
            ),
        }));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return emit(Event::Failed(Failure { origin, reason: format!("cannot read: {e}") })),
    };
    if matches!(ext.as_str(), "rss" | "atom" | "xml") || looks_like_feed(&bytes) {
        return read_feed(&bytes, &origin, None, fetcher, emit);
    }
    emit(Event::Doc(RawDoc { bytes, meta: Meta::default(), origin: origin.clone(), path: Some(origin) }))
}

fn read_jsonl(path: &Path, emit: &mut dyn FnMut(Event) -> bool) -> bool {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return emit(Event::Failed(Failure {
                origin: path.display().to_string(),
                reason: format!("cannot read: {e}"),
            }))
        }
    };
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let origin = format!("{}:{}", path.display(), n + 1);
        let line = match line {
            Ok(l) => l,
            Err(e) => return emit(Event::Failed(Failure { origin, reason: format!("cannot read: {e}") })),
        };
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                if !emit(Event::Failed(Failure { origin, reason: format!("not a JSON record: {e}") })) {
                    return false;
                }
                continue;
            }
        };
        let (bytes, html) = match (record.text, record.html) {
            (Some(t), _) => (t.into_bytes(), Some(false)),
            (None, Some(h)) => (h.into_bytes(), Some(true)),
            (None, None) => {
                if !emit(Event::Failed(Failure { origin, reason: "record has neither \"text\" nor \"html\"".into() })) {
                    return false;
                }
                continue;
            }
        };
        let meta = Meta {
            title: record.title,
            url: record.url,
            source: record.source,
            published: record.published.as_deref().and_then(Date::parse_iso),
            html,
        };
        if !emit(Event::Doc(RawDoc { bytes, meta, origin, path: Some(path.display().to_string()) })) {
            return false;
        }
    }
    true
}

fn read_url(
    url: &str,
    fetcher: Option<&Fetcher>,
    feed_state: &dyn Fn(&str) -> FeedState,
    emit: &mut dyn FnMut(Event) -> bool,
) -> bool {
    let Some(fetcher) = fetcher else {
        return emit(Event::Failed(Failure { origin: url.to_string(), reason: "fetching is turned off".into() }));
    };
    let state = feed_state(url);
    let fetched = match fetcher.get(url, Some(&state)) {
        Ok(f) => f,
        Err(e) => return emit(Event::Failed(Failure { origin: url.to_string(), reason: e.to_string() })),
    };
    if fetched.not_modified {
        return true;
    }
    let is_feed = fetched.content_type.as_deref().is_some_and(|c| c.contains("rss") || c.contains("atom"))
        || looks_like_feed(&fetched.body);
    if is_feed {
        if !read_feed(&fetched.body, url, Some(url), Some(fetcher), emit) {
            return false;
        }
        return emit(Event::FeedRead { url: url.to_string(), state: fetched.validators });
    }
    let meta = Meta { url: Some(fetched.url.clone()), ..Meta::default() };
    emit(Event::Doc(RawDoc { bytes: fetched.body, meta, origin: url.to_string(), path: None }))
}

/// Items of a feed: their own content when it is a whole article, else the page at
/// their link (fetched when a fetcher is given), else their summary.
fn read_feed(
    bytes: &[u8],
    origin: &str,
    feed_url: Option<&str>,
    fetcher: Option<&Fetcher>,
    emit: &mut dyn FnMut(Event) -> bool,
) -> bool {
    let parser = feed_rs::parser::Builder::new().base_uri(feed_url).build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return emit(Event::Failed(Failure {
                origin: origin.to_string(),
                reason: format!("not a valid RSS or Atom feed: {e}"),
            }))
        }
    };
    let source = feed.title.as_ref().map(|t| t.content.trim().to_string()).filter(|t| !t.is_empty());
    for entry in feed.entries {
        let link = entry.links.first().map(|l| l.href.clone());
        let item_origin = link.clone().unwrap_or_else(|| format!("{origin} (item {})", entry.id));
        let title = entry.title.as_ref().map(|t| t.content.trim().to_string());
        let published = entry
            .published
            .or(entry.updated)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .and_then(|s: String| Date::parse_iso(&s));
        let content = entry.content.as_ref().and_then(|c| c.body.clone()).filter(|b| b.len() > 500);
        let meta = Meta { title, url: link.clone(), source: source.clone(), published, html: None };
        let event = if let Some(body) = content {
            Event::Doc(RawDoc {
                bytes: body.into_bytes(),
                meta: Meta { html: Some(true), ..meta },
                origin: item_origin,
                path: None,
            })
        } else if let (Some(link), Some(fetcher)) = (&link, fetcher) {
            match fetcher.get(link, None) {
                Ok(f) => Event::Doc(RawDoc { bytes: f.body, meta, origin: item_origin, path: None }),
                Err(e) => Event::Failed(Failure { origin: item_origin, reason: e.to_string() }),
            }
        } else if let Some(summary) = entry.summary.as_ref().map(|s| s.content.clone()).filter(|s| !s.trim().is_empty())
        {
            Event::Doc(RawDoc {
                bytes: summary.into_bytes(),
                meta: Meta { html: Some(true), ..meta },
                origin: item_origin,
                path: None,
            })
        } else {
            Event::Failed(Failure {
                origin: item_origin,
                reason: "feed item has no content, summary or fetchable link".into(),
            })
        };
        if !emit(event) {
            return false;
        }
    }
    true
}
