//! What every fuzz target checks of the spans it is given, and a scratch folder for the
//! targets that go through the file readers.

use claimgraph_model::Span;

/// A span lies inside `text`, in order, and on UTF-8 character boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} span {span:?} is reversed");
    assert!(span.end <= text.len(), "{what} span {span:?} is past the end ({} bytes)", text.len());
    assert!(text.is_char_boundary(span.start), "{what} span {span:?} starts inside a character");
    assert!(text.is_char_boundary(span.end), "{what} span {span:?} ends inside a character");
}

/// A file in this process's scratch folder (in memory where /dev/shm exists), for the
/// targets that fuzz a reader through the path it reads: `ingest` reads feeds and JSON
/// Lines from files, as users give them.
pub fn scratch_file(name: &str) -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let dir = base.join(format!("claimgraph-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    });
    dir.join(name)
}
