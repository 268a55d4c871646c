//! A tiny HTTP/1.1 server on loopback for tests: fixed routes or a handler whose answers
//! may change between requests, conditional GET by ETag, an answer that trickles a byte
//! every 200 ms, and a log of what it was asked. Each connection is answered on its own
//! thread (so a trickling answer holds only its own), one request per connection; the
//! server stops when dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub struct Route {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Send the body one byte every 200 ms.
    pub trickle: bool,
}

impl Route {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            trickle: false,
        }
    }

    /// An error answer with a short text body.
    pub fn status(status: u16) -> Route {
        Route::ok("text/plain", format!("status {status}")).with_status(status)
    }

    pub fn with_status(mut self, status: u16) -> Route {
        self.status = status;
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Route {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Answers a request for a path.
pub type Handler = dyn Fn(&str) -> Route + Send + Sync;

/// A request as the server saw it (header names in lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
}

pub struct Server {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server of fixed routes, which may name its own address (`make_routes`
    /// gets `http://127.0.0.1:PORT`); other paths get 404.
    pub fn start(make_routes: impl FnOnce(&str) -> HashMap<String, Route>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let routes = make_routes(&format!("http://{}", listener.local_addr().unwrap()));
        Server::serve(listener, Arc::new(move |path| routes.get(path).cloned().unwrap_or(Route::status(404))))
    }

    /// Starts a server that asks `handler` for every answer.
    pub fn with_handler(handler: Arc<Handler>) -> Server {
        Server::serve(TcpListener::bind("127.0.0.1:0").unwrap(), handler)
    }

    fn serve(listener: TcpListener, handler: Arc<Handler>) -> Server {
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (Arc::clone(&seen), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (handler, seen, stop) = (Arc::clone(&handler), Arc::clone(&seen2), Arc::clone(&stop2));
                std::thread::spawn(move || answer(stream, &*handler, &seen, &stop));
            }
        });
        Server { addr, seen, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

fn answer(mut stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<Seen>>, stop: &AtomicBool) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let route = handler(&path);
    // Conditional GET: an ETag that matches gets 304.
    let etag = route.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("etag")).map(|(_, v)| v.clone());
    let (status, body) = if etag.is_some() && headers.get("if-none-match") == etag.as_ref() {
        (304, Vec::new())
    } else {
        (route.status, route.body.clone())
    };
    seen.lock().unwrap().push(Seen { path, headers });
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in &route.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if route.trickle {
        for b in body {
            if stop.load(Ordering::SeqCst) || stream.write_all(&[b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    } else {
        let _ = stream.write_all(&body);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
    }
}
