//! Fetching over HTTP(S), safe to point at the internet.
//!
//! Every request: rustls for TLS, connect and read timeouts, a body size cap, an honest
//! User-Agent, a delay between requests to the same host, and conditional GET when the
//! caller has validators (ETag, Last-Modified). Private, loopback and link-local
//! addresses are refused unless allowed: the check runs in the resolver, on the
//! addresses the connection will actually use, so a DNS answer that changes between a
//! check and the connection (rebinding) cannot slip through, and it runs again for
//! every redirect, which we follow ourselves (up to a limit) for that reason.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Instant;

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
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
        }
    }
}

/// An HTTP client with the safety rules of the module docs.
#[derive(Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    config: FetchConfig,
    last_request: Arc<Mutex<HashMap<String, Instant>>>,
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
        Fetcher { agent, config, last_request: Arc::new(Mutex::new(HashMap::new())) }
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Waits until the per-host delay since the last request to `host` has passed.
    fn pace(&self, host: &str) {
        let wait = {
            let mut last = self.last_request.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let next = last.get(host).map_or(now, |&t| t + self.config.per_host_delay);
            let wait = next.saturating_duration_since(now);
            last.insert(host.to_string(), now + wait);
            wait
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// GETs `url`, following redirects itself and sending the validators if given.
    pub fn get(&self, url: &str, validators: Option<&FeedState>) -> Result<Fetched, FetchError> {
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
            self.pace(&host);
            let mut req = self.agent.get(current.as_str());
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
            resp.into_reader()
                .take(limit + 1)
                .read_to_end(&mut body)
                .map_err(|e| FetchError::Transport { url: final_url.clone(), message: e.to_string() })?;
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
}
