//! Turning inputs (paths, URLs) into raw documents: files, folders walked recursively,
//! JSON Lines records, RSS/Atom feeds (files or URLs) and article URLs.
//!
//! Inputs are read lazily, one document at a time, so a folder of a million files or a
//! multi-gigabyte JSON Lines file streams through in constant memory. Every input that
//! cannot be read yields a [`Failure`] naming it (with a line number for JSON Lines),
//! and the rest goes on: a JSON Lines line that is not UTF-8 costs that line only, a
//! folder's FIFOs, sockets and devices are skipped with a reason (reading one would
//! block), and a symlink that leads back into a folder being walked is reported, not
//! followed round for ever. A feed item whose page cannot be fetched is stored from
//! the feed's own summary when it has one, and reported as failed either way, so the
//! caller keeps it for another try (the feed's validators are not returned then).

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
    /// Stored from a feed item's summary because its page could not be fetched.
    pub from_summary: bool,
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
    /// A feed was read (or answered 304): its validators, to be stored once its items
    /// are; `None` when some item failed, so that the next run reads the feed again.
    FeedRead {
        url: String,
        state: Option<FeedState>,
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

/// What a folder walk finds: a regular file to read, or an entry skipped with why.
enum Walked {
    File(PathBuf),
    Skipped(PathBuf, String),
}

/// Files under a folder, recursively, sorted, hidden entries skipped. Symlinks are
/// followed, but a folder already on the way down (a loop) is not entered again, and
/// entries that are not regular files or folders are skipped with a reason.
fn walk(dir: &Path, out: &mut Vec<Walked>) -> std::io::Result<()> {
    let mut ancestors = vec![std::fs::canonicalize(dir)?];
    walk_in(dir, out, &mut ancestors)
}

fn walk_in(dir: &Path, out: &mut Vec<Walked>, ancestors: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        let meta = match std::fs::metadata(&p) {
            Ok(m) => m,
            Err(err) => {
                out.push(Walked::Skipped(p, format!("cannot read (a broken or looping symlink?): {err}")));
                continue;
            }
        };
        if meta.is_dir() {
            let real = match std::fs::canonicalize(&p) {
                Ok(r) => r,
                Err(err) => {
                    out.push(Walked::Skipped(p, format!("cannot read folder: {err}")));
                    continue;
                }
            };
            if let Some(up) = ancestors.iter().find(|a| **a == real) {
                let reason =
                    format!("symlink loop: it leads back to {}, already being read; not followed", up.display());
                out.push(Walked::Skipped(p, reason));
                continue;
            }
            ancestors.push(real);
            let walked = walk_in(&p, out, ancestors);
            ancestors.pop();
            if let Err(err) = walked {
                out.push(Walked::Skipped(p, format!("cannot read folder: {err}")));
            }
        } else if meta.is_file() {
            out.push(Walked::File(p));
        } else {
            out.push(Walked::Skipped(p, not_regular(&meta)));
        }
    }
    Ok(())
}

/// Why a path that is neither a file nor a folder is skipped.
fn not_regular(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        let kind = if t.is_fifo() {
            "a FIFO (named pipe)"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_block_device() || t.is_char_device() {
            "a device"
        } else {
            "not a regular file"
        };
        format!("{kind}: skipped, only regular files are read")
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        "not a regular file: skipped, only regular files are read".to_string()
    }
}

/// Total bytes of the local inputs, for progress.
pub fn local_bytes(inputs: &[String]) -> u64 {
    let mut total = 0;
    for input in inputs.iter().filter(|i| !is_url(i)) {
        let p = Path::new(input);
        if p.is_dir() {
            let mut files = Vec::new();
            if walk(p, &mut files).is_ok() {
                total += files
                    .iter()
                    .filter_map(|w| match w {
                        Walked::File(f) => f.metadata().ok(),
                        Walked::Skipped(..) => None,
                    })
                    .map(|m| m.len())
                    .sum::<u64>();
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
        for w in files {
            let going_on = match w {
                Walked::File(f) => read_file(&f, fetcher, emit),
                Walked::Skipped(p, reason) => emit(Event::Failed(Failure { origin: p.display().to_string(), reason })),
            };
            if !going_on {
                return false;
            }
        }
        true
    } else if !meta.is_file() {
        emit(Event::Failed(Failure { origin: input.to_string(), reason: not_regular(&meta) }))
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
    emit(Event::Doc(RawDoc {
        bytes,
        meta: Meta::default(),
        origin: origin.clone(),
        path: Some(origin),
        from_summary: false,
    }))
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
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    for n in 1.. {
        let origin = format!("{}:{}", path.display(), n);
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return emit(Event::Failed(Failure { origin, reason: format!("cannot read: {e}") })),
        }
        let bytes = if n == 1 { buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf) } else { &buf };
        // A line that is not UTF-8 costs that line, not the rest of the file.
        let line = match std::str::from_utf8(bytes) {
            Ok(l) => l,
            Err(e) => {
                let reason = format!(
                    "line is not valid UTF-8 (bad byte at column {}): skipped; JSON Lines must be UTF-8",
                    e.valid_up_to() + 1
                );
                if !emit(Event::Failed(Failure { origin, reason })) {
                    return false;
                }
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = match serde_json::from_str(line) {
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
            charset: None,
        };
        let doc = RawDoc { bytes, meta, origin, path: Some(path.display().to_string()), from_summary: false };
        if !emit(Event::Doc(doc)) {
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
        return emit(Event::FeedRead { url: url.to_string(), state: None });
    }
    let is_feed = fetched.content_type.as_deref().is_some_and(|c| c.contains("rss") || c.contains("atom"))
        || looks_like_feed(&fetched.body);
    if is_feed {
        // The validators only when every item was read: a 304 next time must not hide
        // an item that failed this time.
        let mut item_failed = false;
        let going_on = read_feed(&fetched.body, url, Some(url), Some(fetcher), &mut |event| {
            item_failed |= matches!(event, Event::Failed(_));
            emit(event)
        });
        if !going_on {
            return false;
        }
        let state = (!item_failed).then_some(fetched.validators);
        return emit(Event::FeedRead { url: url.to_string(), state });
    }
    let meta = Meta { url: Some(fetched.url.clone()), charset: fetched.charset(), ..Meta::default() };
    emit(Event::Doc(RawDoc { bytes: fetched.body, meta, origin: url.to_string(), path: None, from_summary: false }))
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
        let meta = Meta { title, url: link.clone(), source: source.clone(), published, html: None, charset: None };
        let summary = entry.summary.as_ref().map(|s| s.content.clone()).filter(|s| !s.trim().is_empty());
        let summary_doc = |summary: String, meta: Meta, origin: String, from_summary: bool| {
            Event::Doc(RawDoc {
                bytes: summary.into_bytes(),
                meta: Meta { html: Some(true), ..meta },
                origin,
                path: None,
                from_summary,
            })
        };
        let event = if let Some(body) = content {
            Event::Doc(RawDoc {
                bytes: body.into_bytes(),
                meta: Meta { html: Some(true), ..meta },
                origin: item_origin,
                path: None,
                from_summary: false,
            })
        } else if let (Some(link), Some(fetcher)) = (&link, fetcher) {
            match fetcher.get(link, None) {
                Ok(f) => {
                    let meta = Meta { charset: f.charset(), ..meta };
                    Event::Doc(RawDoc { bytes: f.body, meta, origin: item_origin, path: None, from_summary: false })
                }
                // The page is out of reach: keep what the feed itself says, and report
                // the item as failed so that it is fetched again next time.
                Err(e) => match summary {
                    Some(summary) => {
                        let reason = format!("{e}; stored the feed's summary of it instead, to be fetched again");
                        if !emit(summary_doc(summary, meta, item_origin.clone(), true)) {
                            return false;
                        }
                        Event::Failed(Failure { origin: item_origin, reason })
                    }
                    None => Event::Failed(Failure { origin: item_origin, reason: e.to_string() }),
                },
            }
        } else if let Some(summary) = summary {
            summary_doc(summary, meta, item_origin, false)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("claimgraph-sources-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Reads `inputs` on another thread, failing the test rather than hanging it.
    fn read_with_deadline(inputs: Vec<String>) -> (Vec<RawDoc>, Vec<Failure>) {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut docs, mut failed) = (Vec::new(), Vec::new());
            read_inputs(&inputs, None, &|_| FeedState::default(), &mut |event| {
                match event {
                    Event::Doc(d) => docs.push(d),
                    Event::Failed(f) => failed.push(f),
                    Event::FeedRead { .. } => {}
                }
                true
            });
            let _ = tx.send((docs, failed));
        });
        rx.recv_timeout(Duration::from_secs(30)).expect("reading the inputs did not finish within 30 s: it hangs")
    }

    /// Issue 18: one line of invalid UTF-8 in a JSON Lines file ended the file there,
    /// silently dropping every line after it.
    #[test]
    fn invalid_utf8_line_in_jsonl_skips_only_that_line() {
        let dir = tempdir("jsonl");
        let path = dir.join("wire.jsonl");
        let mut bytes = b"{\"text\": \"Gunmen attacked a checkpoint near Mosul on Monday.\"}\n".to_vec();
        bytes.extend_from_slice(b"{\"text\": \"A bomb hit a caf\xe9 in Kirkuk.\"}\n");
        bytes.extend_from_slice(b"{\"text\": \"Rockets struck an airbase in Erbil on Tuesday.\"}\r\n");
        bytes.extend_from_slice(b"\n{\"text\": \"Police in Basra arrested two suspects.\"}");
        std::fs::write(&path, bytes).unwrap();
        let (docs, failed) = read_with_deadline(vec![path.display().to_string()]);
        let texts: Vec<String> = docs.iter().map(|d| String::from_utf8(d.bytes.clone()).unwrap()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[1].contains("Erbil") && texts[2].contains("Basra"), "{texts:?}");
        assert_eq!(docs[2].origin, format!("{}:5", path.display()));
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].origin, format!("{}:2", path.display()));
        assert!(failed[0].reason.contains("not valid UTF-8") && failed[0].reason.contains("column 27"), "{failed:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 18: the folder walk followed a symlink back into its own folder until the
    /// path was too long (losing the whole folder), and blocked for ever on a FIFO.
    #[cfg(unix)]
    #[test]
    fn folder_walk_survives_symlink_loops_and_skips_fifos() {
        let dir = tempdir("walk");
        let news = dir.join("news");
        std::fs::create_dir_all(news.join("sub")).unwrap();
        std::fs::write(news.join("a.txt"), "Gunmen attacked a bus in Quetta on Monday.").unwrap();
        std::fs::write(news.join("sub/b.txt"), "A bomb exploded in a market in Peshawar.").unwrap();
        std::os::unix::fs::symlink("..", news.join("sub/up")).unwrap();
        std::os::unix::fs::symlink(&news, news.join("again")).unwrap();
        std::os::unix::fs::symlink(news.join("missing"), news.join("broken")).unwrap();
        let fifo = news.join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (docs, failed) = read_with_deadline(vec![news.display().to_string(), fifo.display().to_string()]);
        let mut origins: Vec<&str> = docs.iter().map(|d| d.origin.as_str()).collect();
        origins.sort();
        assert_eq!(
            origins,
            [news.join("a.txt").display().to_string(), news.join("sub/b.txt").display().to_string()],
            "{failed:?}"
        );
        let reason = |name: &str| {
            failed
                .iter()
                .filter(|f| f.origin == news.join(name).display().to_string())
                .map(|f| f.reason.clone())
                .collect::<Vec<_>>()
        };
        assert!(reason("again")[0].contains("symlink loop"), "{failed:?}");
        assert!(reason("sub/up")[0].contains("symlink loop"), "{failed:?}");
        assert!(reason("broken")[0].contains("cannot read"), "{failed:?}");
        // The FIFO, met in the walk and named on its own.
        let fifo_reasons = reason("pipe.txt");
        assert_eq!(fifo_reasons.len(), 2, "{failed:?}");
        assert!(fifo_reasons.iter().all(|r| r.contains("FIFO")), "{failed:?}");
        assert_eq!(failed.len(), 5, "{failed:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
