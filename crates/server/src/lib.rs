//! claimgraph's HTTP API and web UI, served from the one binary.
//!
//! * `api.rs`: the JSON API under `/api/v1` (incidents, documents, actors, search), with
//!   errors as `{code, message}` and an OpenAPI 3.1 document generated from the handlers.
//! * `pages.rs`: server-rendered pages (incident list, incident, document). Every piece
//!   of text from a document is escaped (`html.rs`); no page carries inline script.
//! * Safe by default: [`check_bind`] refuses a non-loopback address unless access tokens
//!   are configured, and then every request must carry one; every response carries a
//!   Content-Security-Policy that forbids inline script; request targets are capped.
//!
//! Store access is blocking (SQLite), so handlers run it on the blocking pool with one
//! of a few connections.
//!
//! Under load and faults (see [`Limits`]): the accept loop is hyper's http1 builder with a
//! header-read timeout, which also closes idle keep-alive connections and clients that
//! trickle their headers (axum::serve has neither); every request has a time limit (503
//! `{code, message}` past it); and the expensive builds (searches, actor profiles,
//! incident records not in the cache) take one of a few permits, waiting briefly for
//! one and then answering 503 with Retry-After, so a burst of them cannot queue up
//! behind each other while the cheap pages wait. Actor profiles and records are cached.

mod api;
mod charts;
mod html;
mod pages;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use claimgraph_extract::Resources;
use claimgraph_resolve::{Canon, Grades};
use claimgraph_store::{SqliteStore, StoreError};

pub use api::ApiDoc;

/// What a token may do. Everything served today is reading; `Analyst` is where write
/// features (annotations, watch rules) will go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Read,
    Analyst,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub token: String,
    pub role: Role,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub grades: Vec<(String, char)>,
    pub tokens: Vec<Token>,
    /// Store connections (one per concurrent request that reads the store).
    pub connections: usize,
    pub limits: Limits,
}

/// Time limits and caps that keep the server answering under load and faults.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A client must send a request's headers within this long of starting it (or of
    /// the previous response, on a keep-alive connection): idle and trickling
    /// connections are closed after it.
    pub header_timeout: Duration,
    /// Longest time a request is worked on before it gets a 503.
    pub request_timeout: Duration,
    /// Expensive builds of each kind (searches, actor profiles, records) run at once:
    /// each kind has its own permits, so slow profiles cannot starve quick searches.
    pub expensive_permits: usize,
    /// How long an expensive request waits for a permit before it gets a 503.
    pub expensive_wait: Duration,
    /// Open connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(10),
            expensive_permits: std::thread::available_parallelism().map_or(2, |n| n.get()),
            expensive_wait: Duration::from_millis(500),
            max_connections: 1024,
        }
    }
}

/// How long a built incident record is served from memory.
pub const RECORD_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Most records kept.
const RECORD_CACHE: usize = 2048;

/// Largest request body accepted (no route takes one yet; write features will).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_TARGET_BYTES: usize = 4096;

/// The Content-Security-Policy of every response: scripts and styles only from the
/// server itself, never inline.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub struct AppState {
    /// Incident records built lately: a large incident's record takes tens of
    /// milliseconds to build, and a page is often asked for again. Entries expire after
    /// [`RECORD_TTL`], so reports ingested meanwhile show up.
    records: Fresh<serde_json::Value>,
    /// Each cached record's claims in their sentences, as HTML (see [`claim_sentences`]).
    sentences: Fresh<std::collections::HashMap<String, String>>,
    /// Actor profiles built lately, by the name asked for (a profile reads every claim
    /// naming the actor: hundreds of milliseconds for a common one).
    actors: Fresh<serde_json::Value>,
    /// Records and profiles built (not served from the cache), for tests and logs.
    n_builds: AtomicUsize,
    /// Permits by [`Expensive`] kind.
    expensive: [Permits; 3],
    limits: Limits,
    stores: Pool,
    resources: Resources,
    grades: Grades,
    tokens: Vec<Token>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("connections", &self.stores.n).finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the store (resolving reports ingested since the last resolution).
    pub fn open(config: &Config) -> Result<Arc<AppState>, String> {
        let resources = Resources::embedded();
        let open = |p: &Path| SqliteStore::open(p).map_err(|e| format!("opening {}: {e}", p.display()));
        let mut first = open(&config.db)?;
        // A read-only file is served as it is: resolving would need to write it.
        if !first.is_read_only() && first.unresolved_mentions().map_err(|e| e.to_string())? > 0 {
            claimgraph_resolve::update(&mut first, &Canon::new(&resources), false).map_err(|e| e.to_string())?;
        }
        first.set_cache_mb(64).map_err(|e| e.to_string())?;
        let mut stores = vec![first];
        for _ in 1..config.connections.max(1) {
            let s = open(&config.db)?;
            s.set_cache_mb(64).map_err(|e| e.to_string())?;
            stores.push(s);
        }
        let grades = Grades::from_checked(&config.grades);
        Ok(Arc::new(AppState {
            records: Fresh::default(),
            sentences: Fresh::default(),
            actors: Fresh::default(),
            n_builds: AtomicUsize::new(0),
            expensive: std::array::from_fn(|_| Permits::new(config.limits.expensive_permits)),
            limits: config.limits.clone(),
            stores: Pool { n: stores.len(), free: Mutex::new(stores), returned: Condvar::new() },
            resources,
            grades,
            tokens: config.tokens.clone(),
        }))
    }

    /// An incident's record as JSON, from the cache when fresh (blocking).
    pub(crate) fn record(&self, asked: &str) -> Result<Arc<serde_json::Value>, api::ApiError> {
        self.records.get_or_build_gated(
            asked,
            || self.expensive_permit(Expensive::Record),
            || {
                self.n_builds.fetch_add(1, Ordering::Relaxed);
                self.with_store(|store, canon, grades| {
                    let Some(id) = store.incident_id(asked)? else {
                        return Err(api::ApiError::new(
                            StatusCode::NOT_FOUND,
                            "not_found",
                            &format!("no incident {asked}"),
                        ));
                    };
                    Ok(serde_json::to_value(claimgraph_resolve::record::load(store, &id, canon, grades)?)
                        .unwrap_or_default())
                })
            },
        )
    }

    /// An actor's profile as JSON, from the cache when fresh (blocking).
    pub(crate) fn actor(&self, name: &str) -> Result<Arc<serde_json::Value>, api::ApiError> {
        self.actors.get_or_build_gated(
            name,
            || self.expensive_permit(Expensive::Actor),
            || {
                self.n_builds.fetch_add(1, Ordering::Relaxed);
                self.with_store(|store, canon, grades| {
                    claimgraph_resolve::actor::profile(store, canon, grades, name, 50)?.ok_or_else(|| {
                        api::ApiError::new(
                            StatusCode::NOT_FOUND,
                            "not_found",
                            &format!("no incident or claim names {name:?}"),
                        )
                    })
                })
            },
        )
    }

    /// Records and actor profiles built so far (the rest were served from the cache).
    pub fn n_builds(&self) -> usize {
        self.n_builds.load(Ordering::Relaxed)
    }

    /// A permit to run an expensive build, or the 503 that says the server is saturated
    /// (blocking: waits up to [`Limits::expensive_wait`]).
    pub(crate) fn expensive_permit(&self, kind: Expensive) -> Result<Permit<'_>, api::ApiError> {
        self.expensive[kind as usize].acquire(self.limits.expensive_wait).ok_or_else(|| {
            let what = match kind {
                Expensive::Search => "searches",
                Expensive::Actor => "actor profiles",
                Expensive::Record => "incident records",
            };
            api::ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                &format!("the server is busy building other {what}; try again in a moment"),
            )
        })
    }

    /// The sentences of a record's claims (cached like records; blocking).
    pub(crate) fn sentences(&self, id: &str, record: &serde_json::Value) -> Sentences {
        let Ok(built) = self.sentences.get_or_build(id, || {
            Ok::<_, std::convert::Infallible>(self.with_store(|store, _, _| claim_sentences(store, record)))
        });
        built
    }

    /// Runs `f` with a store connection, the first one free (blocking: call from the
    /// blocking pool).
    fn with_store<T>(&self, f: impl FnOnce(&SqliteStore, &Canon, &Grades) -> T) -> T {
        let canon = Canon::new(&self.resources);
        let store = self.stores.take();
        f(store.0.as_ref().expect("a taken connection"), &canon, &self.grades)
    }
}

/// The store connections, each lent to one request at a time. A request waits for the
/// first one free (the connections used to be picked round-robin when all were busy, so
/// a cheap page could wait behind a long build while another connection was idle).
struct Pool {
    n: usize,
    free: Mutex<Vec<SqliteStore>>,
    returned: Condvar,
}

/// A lent connection, given back when dropped (also when the request panics).
struct Lent<'a>(Option<SqliteStore>, &'a Pool);

impl Pool {
    fn take(&self) -> Lent<'_> {
        let free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        let mut free = self.returned.wait_while(free, |free| free.is_empty()).unwrap_or_else(|e| e.into_inner());
        Lent(free.pop(), self)
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            self.1.free.lock().unwrap_or_else(|e| e.into_inner()).push(store);
            self.1.returned.notify_one();
        }
    }
}

/// The kinds of expensive work, each with its own permits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expensive {
    Search = 0,
    Actor = 1,
    Record = 2,
}

/// A counting semaphore for blocking threads: the expensive builds run on the blocking
/// pool, where a permit is taken just before the work (after the cache missed).
#[derive(Debug)]
struct Permits {
    free: Mutex<usize>,
    returned: Condvar,
}

/// A taken permit, given back when dropped.
#[derive(Debug)]
pub(crate) struct Permit<'a>(&'a Permits);

impl Permits {
    fn new(n: usize) -> Permits {
        Permits { free: Mutex::new(n), returned: Condvar::new() }
    }

    fn acquire(&self, wait: Duration) -> Option<Permit<'_>> {
        let free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        let (mut free, _) =
            self.returned.wait_timeout_while(free, wait, |free| *free == 0).unwrap_or_else(|e| e.into_inner());
        if *free == 0 {
            return None;
        }
        *free -= 1;
        Some(Permit(self))
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.returned.notify_one();
    }
}

/// Values built lately, by key, served while younger than [`RECORD_TTL`]. At most
/// [`RECORD_CACHE`] are kept: expired ones are dropped first, then all.
struct Fresh<V> {
    map: Mutex<std::collections::HashMap<String, (std::time::Instant, Arc<V>)>>,
}

impl<V> Default for Fresh<V> {
    fn default() -> Self {
        Fresh { map: Mutex::default() }
    }
}

impl<V> Fresh<V> {
    /// The value cached under `key`, if it is fresh.
    fn fresh(&self, key: &str) -> Option<Arc<V>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).filter(|(at, _)| at.elapsed() < RECORD_TTL).map(|(_, v)| Arc::clone(v))
    }

    /// As [`Fresh::get_or_build`], but a build must first pass `gate` (an expensive-work
    /// permit), and the cache is looked at again once through it: requests that queued
    /// for one key while it was being built get that build instead of each building it
    /// again (under load, one actor's profile was built many times over and most of its
    /// requests were shed).
    fn get_or_build_gated<G, E>(
        &self,
        key: &str,
        gate: impl FnOnce() -> Result<G, E>,
        build: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Some(v) = self.fresh(key) {
            return Ok(v);
        }
        let _gate = gate()?;
        self.get_or_build(key, build)
    }

    fn get_or_build<E>(&self, key: &str, build: impl FnOnce() -> Result<V, E>) -> Result<Arc<V>, E> {
        let now = std::time::Instant::now();
        if let Some(v) = self.fresh(key) {
            return Ok(v);
        }
        // Built outside the lock: other requests are served meanwhile.
        let value = Arc::new(build()?);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= RECORD_CACHE {
            map.retain(|_, (at, _)| now.duration_since(*at) < RECORD_TTL);
            if map.len() >= RECORD_CACHE {
                map.clear();
            }
        }
        map.insert(key.to_string(), (now, Arc::clone(&value)));
        Ok(value)
    }
}

/// Claim id (`document/claim`) → the claim's sentence as HTML, the claimed words marked.
pub(crate) type Sentences = Arc<std::collections::HashMap<String, String>>;

/// Reads the documents of a record's claims and cuts each claim's words out of its
/// text: the whole claim (speaker, cue and content), with the content marked.
fn claim_sentences(store: &SqliteStore, record: &serde_json::Value) -> std::collections::HashMap<String, String> {
    use claimgraph_store::Store;
    let mut out = std::collections::HashMap::new();
    let mut docs: Vec<&str> = ["claims", "warnings"]
        .iter()
        .flat_map(|k| record[*k].as_array().into_iter().flatten())
        .filter_map(|c| c["document"].as_str())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    for doc in docs {
        let Ok(Some((_, a))) = store.document(doc) else { continue };
        let text: Vec<char> = a["document"]["text"].as_str().unwrap_or("").chars().collect();
        let span = |v: &serde_json::Value| Some((v["start"].as_u64()? as usize, v["end"].as_u64()? as usize));
        for c in a["claims"].as_array().into_iter().flatten() {
            let (Some((s, e)), Some((cs, ce))) = (span(&c["span"]), span(&c["content_span"])) else { continue };
            let (s, e) = (s.min(cs), e.max(ce));
            if e > text.len() || !(s <= cs && cs <= ce && ce <= e) {
                continue;
            }
            let part = |a: usize, b: usize| html::esc(&text[a..b].iter().collect::<String>());
            out.insert(
                format!("{doc}/{}", c["id"].as_str().unwrap_or("")),
                format!("{}<mark class=\"claim\">{}</mark>{}", part(s, cs), part(cs, ce), part(ce, e)),
            );
        }
    }
    out
}

/// Refuses to serve beyond this machine without access tokens.
pub fn check_bind(addr: &SocketAddr, tokens: &[Token]) -> Result<(), String> {
    if addr.ip().is_loopback() || !tokens.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "refusing to serve on {addr}: it is reachable from other machines and no access tokens are set. \
             Bind to 127.0.0.1, or add [[server.tokens]] to claimgraph.toml (see docs/CONFIG.md)"
        ))
    }
}

/// The whole application: API, pages, assets, and the safety layer around them.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Caps the request target, checks the access token when tokens are set, and adds the
/// security headers to every response.
async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let mut response = if target > MAX_TARGET_BYTES {
        api::ApiError::new(StatusCode::URI_TOO_LONG, "uri_too_long", "the request target is too long").into_response()
    } else if !state.tokens.is_empty() && !authorized(&state, &req) {
        api::ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this server needs an access token: send 'Authorization: Bearer TOKEN'",
        )
        .into_response()
    } else {
        match tokio::time::timeout(state.limits.request_timeout, next.run(req)).await {
            Ok(response) => response,
            Err(_) => api::ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                &format!(
                    "the request took longer than {:.1} s and was stopped; try a narrower query",
                    state.limits.request_timeout.as_secs_f64()
                ),
            )
            .into_response(),
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

fn authorized(state: &AppState, req: &Request) -> bool {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    bearer.is_some_and(|b| state.tokens.iter().any(|t| constant_time_eq(t.token.as_bytes(), b.as_bytes())))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves until Ctrl-C.
pub async fn serve(addr: SocketAddr, state: Arc<AppState>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves on a bound listener until `shutdown` completes, then lets the requests in
/// flight finish (for at most a few seconds).
///
/// One hyper http1 connection per client, with a header-read timeout
/// ([`Limits::header_timeout`]): hyper starts that clock whenever it waits for a request
/// head, so it closes a connection that sends nothing, one that trickles its headers, and
/// a keep-alive connection left idle.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let limits = state.limits.clone();
    let app = router(state);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&open).acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    eprintln!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
        let connection =
            graceful.watch(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone())));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(5)) => {}
    }
    Ok(())
}

/// Store errors as API errors.
/// Store errors as API errors: a malformed search query is the client's (400), anything
/// else is logged and answered with a generic 500.
impl From<StoreError> for api::ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Query(q) => {
                api::ApiError::new(StatusCode::BAD_REQUEST, "bad_request", &format!("malformed query: {q}"))
            }
            e => {
                eprintln!("store error while serving a request: {e}");
                api::ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the store failed to answer; see the server log",
                )
            }
        }
    }
}
