//! The server's accept loop on loopback: connections that send nothing, trickle their
//! headers or sit idle after a response are closed after the header timeout (the server
//! used to hold them for ever). Every wait here has a deadline, so a regression fails
//! the test instead of hanging it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use claimgraph_extract::{Extractor, Meta};
use claimgraph_server::{serve_on, AppState, Config, Limits};
use claimgraph_store::{NewDocument, SqliteStore, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEADER_TIMEOUT: Duration = Duration::from_millis(300);
/// Far above the header timeout, far below "never".
const DEADLINE: Duration = Duration::from_secs(10);

fn store(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("claimgraph-conn-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let text = "Blast in Herat\n\nA bomb exploded in a market in Herat on Monday, killing 5 people, police said.\n";
    let meta = Meta { url: Some("https://wire.example/1".to_string()), ..Meta::default() };
    let doc = NewDocument::new(Extractor::new().extract(text.as_bytes(), &meta).unwrap(), "raw1".to_string(), None);
    store.write_batch(&[doc]).unwrap();
    path
}

/// Starts a server on a free loopback port; it stops when the returned sender drops.
async fn start(name: &str) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let limits = Limits { header_timeout: HEADER_TIMEOUT, ..Limits::default() };
    let state: Arc<AppState> =
        AppState::open(&Config { db: store(name), grades: vec![], tokens: vec![], connections: 2, limits }).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_on(listener, state, async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// Reads until the server closes the connection (end of file or a reset), or fails the
/// test at the deadline. Returns the bytes read.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = DEADLINE.checked_sub(started.elapsed()).unwrap_or_default();
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return got,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server still holds the connection after {DEADLINE:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connection_is_closed() {
    let (addr, _stop) = start("idle").await;
    // A connection that never sends a request.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    read_until_closed(&mut silent).await;
    assert!(started.elapsed() >= HEADER_TIMEOUT / 2, "closed before the timeout: {:?}", started.elapsed());
    // A keep-alive connection left idle after its response.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /assets/app.css HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let response = read_until_closed(&mut kept).await;
    assert!(response.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&response));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickling_request_headers_time_out() {
    let (addr, _stop) = start("trickle").await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").await.unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    // One byte of header every 50 ms, never finishing: the server must hang up.
    loop {
        assert!(started.elapsed() < DEADLINE, "the server still reads the trickled headers after {DEADLINE:?}");
        if stream.write_all(b"a").await.is_err() {
            break;
        }
        match tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            // A 408 or similar before closing is fine: keep reading until closed.
            Ok(Ok(_)) | Err(_) => {}
        }
    }
    assert!(started.elapsed() >= HEADER_TIMEOUT / 2, "closed before the timeout: {:?}", started.elapsed());
}
