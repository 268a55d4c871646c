//! Fetching over HTTP(S), safe to point at the internet.
//!
//! Every request: rustls for TLS, connect and read timeouts, an overall deadline per
//! fetch (a read timeout alone resets on every byte, so a server trickling a byte at a
//! time could hold a fetch for ever), a stop flag checked between reads (Ctrl-C), a
//! body size cap, an honest
//! User-Agent, a delay between requests to the same host, and conditional GET when the
//! caller has validators (ETag, Last-Modified). Private, loopback and link-local
//! addresses are refused unless allowed: the check runs in the resolver, on the
//! addresses the connection will actually use, so a DNS answer that changes between a
//! check and the connection (rebinding) cannot slip through, and it runs again for
//! every redirect, which we follow ourselves (up to a limit) for that reason. IPv6
//! forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged
//! by the address they embed.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use claimgraph_store::FeedState;
use url::Url;

use crate::config::FetchConfig;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not an http(s) URL: {0}")]
    Scheme(String),
    #[error("bad URL {url}: {message}")]
    BadUrl { url: String, message: String },
    #[error("refused {url}: it resolves to a private, loopback or link-local address (use --allow-private to permit)")]
    Private { url: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url}: redirect without a Location header")]
    NoLocation { url: String },
    #[error("{url}: body larger than the {limit}-byte limit")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: no complete answer within the {secs}-second deadline (fetch.deadline_secs)")]
    Deadline { url: String, secs: u64 },
    #[error("{url}: stopped (Ctrl-C)")]
    Stopped { url: String },
}

/// A fetched resource.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: String,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub validators: FeedState,
    /// 304: the caller's copy is current; `body` is empty.
    pub not_modified: bool,
}

impl Fetched {
    /// The charset its Content-Type declares, for the document stage to decode with.
    pub fn charset(&self) -> Option<String> {
        self.content_type.as_deref().and_then(claimgraph_extract::document::content_type_charset)
    }
}

/// Whether an address is one a fetch from the internet must not reach.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // shared address space (CGNAT)
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)) // benchmarking
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            let embedded = embedded_v4s(v6);
            if !embedded.is_empty() {
                return embedded.into_iter().any(|v4| is_private(IpAddr::V4(v4)));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0) // discard-only
                || (s[0] == 0x0064 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64 (64:ff9b:1::/48)
        }
    }
}

/// The IPv4 addresses an IPv6 address stands for, when it is one of the forms that embed
/// one: mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4
/// `2002:aabb:ccdd::` and Teredo `2001:0::` (two: the server's, and the client's
/// inverted in the last 32 bits). Empty for every other address.
fn embedded_v4s(v6: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = v6.segments();
    let from = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = v6.to_ipv4_mapped() {
        return vec![v4];
    }
    if s[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
        return vec![from(s[6], s[7])]; // IPv4-compatible (deprecated)
    }
    if s[..6] == [0x0064, 0xff9b, 0, 0, 0, 0] {
        return vec![from(s[6], s[7])]; // NAT64 well-known prefix
    }
    if s[0] == 0x2002 {
        return vec![from(s[1], s[2])]; // 6to4
    }
    if s[0] == 0x2001 && s[1] == 0 {
        return vec![from(!s[6], !s[7]), from(s[2], s[3])]; // Teredo: client, server
    }
    Vec::new()
}

/// An HTTP client with the safety rules of the module docs.
#[derive(Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    config: FetchConfig,
    last_request: Arc<Mutex<HashMap<String, Instant>>>,
    stop: Arc<AtomicBool>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("config", &self.config).finish()
    }
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Fetcher {
        let allow_private = config.allow_private;
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(config.connect_timeout)
            .timeout_read(config.read_timeout)
            .redirects(0)
            .user_agent(&config.user_agent)
            .resolver(move |netloc: &str| -> std::io::Result<Vec<SocketAddr>> {
                let addrs: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
                if allow_private {
                    return Ok(addrs);
                }
                let public: Vec<SocketAddr> = addrs.into_iter().filter(|a| !is_private(a.ip())).collect();
                if public.is_empty() {
                    return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "private address refused"));
                }
                Ok(public)
            })
            .build();
        Fetcher {
            agent,
            config,
            last_request: Arc::new(Mutex::new(HashMap::new())),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same fetcher, giving up on a fetch (between two reads, or while pacing) once
    /// `stop` is set: Ctrl-C need not wait for a slow server.
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Fetcher {
        self.stop = stop;
        self
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Waits until the per-host delay since the last request to `host` has passed;
    /// returns how long it waited.
    fn pace(&self, host: &str) -> Duration {
        let wait = {
            let mut last = self.last_request.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let next = last.get(host).map_or(now, |&t| t + self.config.per_host_delay);
            let wait = next.saturating_duration_since(now);
            last.insert(host.to_string(), now + wait);
            wait
        };
        let until = Instant::now() + wait;
        while !self.stop.load(Ordering::Relaxed) && Instant::now() < until {
            std::thread::sleep(until.saturating_duration_since(Instant::now()).min(Duration::from_millis(100)));
        }
        wait
    }

    /// GETs `url`, following redirects itself and sending the validators if given.
    ///
    /// The whole fetch, redirects and body included, ends by `fetch.deadline_secs`
    /// (not counting the waits between requests to one host, which are ours).
    pub fn get(&self, url: &str, validators: Option<&FeedState>) -> Result<Fetched, FetchError> {
        let mut deadline = Instant::now() + self.config.deadline;
        let past_deadline =
            |url: &str| FetchError::Deadline { url: url.to_string(), secs: self.config.deadline.as_secs() };
        let mut current =
            Url::parse(url).map_err(|e| FetchError::BadUrl { url: url.to_string(), message: e.to_string() })?;
        for _ in 0..=self.config.max_redirects {
            if !matches!(current.scheme(), "http" | "https") {
                return Err(FetchError::Scheme(current.to_string()));
            }
            let host = current.host_str().unwrap_or("").to_string();
            // A literal address is checked here too (the resolver sees it as well).
            if !self.config.allow_private {
                if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
                    if is_private(ip) {
                        return Err(FetchError::Private { url: current.to_string() });
                    }
                }
            }
            deadline += self.pace(&host);
            if self.stop.load(Ordering::Relaxed) {
                return Err(FetchError::Stopped { url: current.to_string() });
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(past_deadline(current.as_str()));
            }
            let mut req = self.agent.get(current.as_str()).timeout(remaining);
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    req = req.set("If-None-Match", etag);
                }
                if let Some(lm) = &v.last_modified {
                    req = req.set("If-Modified-Since", lm);
                }
            }
            let resp = match req.call() {
                Ok(r) => r,
                Err(ureq::Error::Status(code, r)) if (300..400).contains(&code) => r,
                Err(ureq::Error::Status(status, _)) => {
                    return Err(FetchError::Status { url: current.to_string(), status });
                }
                Err(ureq::Error::Transport(t)) => {
                    let message = t.to_string();
                    if message.contains("private address refused") {
                        return Err(FetchError::Private { url: current.to_string() });
                    }
                    if Instant::now() >= deadline {
                        return Err(past_deadline(current.as_str()));
                    }
                    return Err(FetchError::Transport { url: current.to_string(), message });
                }
            };
            let status = resp.status();
            if status == 304 {
                return Ok(Fetched {
                    url: current.to_string(),
                    body: Vec::new(),
                    content_type: None,
                    validators: validators.cloned().unwrap_or_default(),
                    not_modified: true,
                });
            }
            if (300..400).contains(&status) {
                let location =
                    resp.header("Location").ok_or_else(|| FetchError::NoLocation { url: current.to_string() })?;
                current = current
                    .join(location)
                    .map_err(|e| FetchError::BadUrl { url: location.to_string(), message: e.to_string() })?;
                continue;
            }
            let validators = FeedState {
                etag: resp.header("ETag").map(str::to_string),
                last_modified: resp.header("Last-Modified").map(str::to_string),
            };
            let content_type = resp.header("Content-Type").map(str::to_string);
            let final_url = resp.get_url().to_string();
            let limit = self.config.max_body_bytes;
            let mut body = Vec::new();
            let mut reader = resp.into_reader().take(limit + 1);
            let mut chunk = [0u8; 16 * 1024];
            loop {
                if self.stop.load(Ordering::Relaxed) {
                    return Err(FetchError::Stopped { url: final_url });
                }
                match reader.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => body.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) if Instant::now() >= deadline => return Err(past_deadline(&final_url)),
                    Err(e) => return Err(FetchError::Transport { url: final_url, message: e.to_string() }),
                }
            }
            if body.len() as u64 > limit {
                return Err(FetchError::TooLarge { url: final_url, limit });
            }
            return Ok(Fetched { url: final_url, body, content_type, validators, not_modified: false });
        }
        Err(FetchError::TooManyRedirects { url: url.to_string(), limit: self.config.max_redirects })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    #[test]
    fn private_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip} is private");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip} is public");
        }
    }

    /// Issue 18: `[::127.0.0.1]`, NAT64 and 6to4 forms of private addresses passed the
    /// guard; Teredo and the mapped form are checked too, and the same forms of public
    /// addresses still pass.
    #[test]
    fn nat64_6to4_and_embedded_v4_private_addresses_are_refused() {
        for ip in [
            "::127.0.0.1",                          // IPv4-compatible loopback (what `[::127.0.0.1]` is)
            "::10.0.0.1",                           // IPv4-compatible private
            "::ffff:192.168.1.1",                   // IPv4-mapped
            "::ffff:169.254.169.254",               // mapped metadata address
            "64:ff9b::127.0.0.1",                   // NAT64 of loopback
            "64:ff9b::a9fe:a9fe",                   // NAT64 of 169.254.169.254
            "64:ff9b:1::1",                         // local-use NAT64
            "2002:7f00:1::",                        // 6to4 of 127.0.0.1
            "2002:c0a8:101::1",                     // 6to4 of 192.168.1.1
            "2001:0:4136:e378:8000:63bf:f5ff:fffe", // Teredo, client 10.0.0.1 (inverted)
            "2001:0:7f00:1::1",                     // Teredo, server 127.0.0.1
            "fec0::1",                              // site-local
            "2001:db8::1",                          // documentation
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip} must be refused");
        }
        for ip in [
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",                     // NAT64 of 8.8.8.8
            "2002:808:808::1",                      // 6to4 of 8.8.8.8
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7", // Teredo, client 8.8.8.8
            "2a00:1450:4001:82a::200e",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip} is public and must pass");
        }
        // The URL form of the issue is refused before any connection is made.
        let fetcher = Fetcher::new(FetchConfig::default());
        let err = fetcher.get("http://[::127.0.0.1]:9/", None).unwrap_err();
        assert!(matches!(err, FetchError::Private { .. }), "{err}");
    }

    /// Issue 18: the read timeout restarts on every byte, so a server sending one byte
    /// now and then held a fetch as long as it liked. The overall deadline ends it.
    #[test]
    fn trickling_server_hits_the_fetch_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        // One byte every 200 ms for up to 60 s: each read is far within the read
        // timeout, and the whole far beyond the deadline.
        std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else { return };
            let mut buf = [0u8; 1024];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 300\r\nContent-Type: text/plain\r\n\r\n");
            for _ in 0..300 {
                if stream.write_all(b"x").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        let config = FetchConfig {
            allow_private: true,
            read_timeout: Duration::from_secs(20),
            deadline: Duration::from_secs(2),
            per_host_delay: Duration::ZERO,
            ..FetchConfig::default()
        };
        let start = Instant::now();
        let result = Fetcher::new(config).get(&format!("http://{addr}/slow"), None);
        let took = start.elapsed();
        let err = result.expect_err("a trickled body must not be accepted after the deadline");
        assert!(matches!(err, FetchError::Deadline { .. }), "{err}");
        assert!(err.to_string().contains("2-second deadline"), "{err}");
        // 2 s deadline; the old code took the full 60 s.
        assert!(took < Duration::from_secs(15), "took {took:?}");
    }

    #[test]
    fn a_set_stop_flag_ends_a_fetch() {
        let stop = Arc::new(AtomicBool::new(true));
        let config = FetchConfig { allow_private: true, ..FetchConfig::default() };
        let err = Fetcher::new(config).with_stop(stop).get("http://127.0.0.1:9/", None).unwrap_err();
        assert!(matches!(err, FetchError::Stopped { .. }), "{err}");
    }
}
