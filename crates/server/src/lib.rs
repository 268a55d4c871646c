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

mod api;
mod charts;
mod html;
mod pages;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
    stores: Vec<Mutex<SqliteStore>>,
    next: AtomicUsize,
    resources: Resources,
    grades: Grades,
    tokens: Vec<Token>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("connections", &self.stores.len()).finish_non_exhaustive()
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
        let mut stores = vec![Mutex::new(first)];
        for _ in 1..config.connections.max(1) {
            let s = open(&config.db)?;
            s.set_cache_mb(64).map_err(|e| e.to_string())?;
            stores.push(Mutex::new(s));
        }
        let grades = Grades::from_checked(&config.grades);
        Ok(Arc::new(AppState {
            records: Fresh::default(),
            sentences: Fresh::default(),
            stores,
            next: AtomicUsize::new(0),
            resources,
            grades,
            tokens: config.tokens.clone(),
        }))
    }

    /// An incident's record as JSON, from the cache when fresh (blocking).
    pub(crate) fn record(&self, asked: &str) -> Result<Arc<serde_json::Value>, api::ApiError> {
        self.records.get_or_build(asked, || {
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
        })
    }

    /// The sentences of a record's claims (cached like records; blocking).
    pub(crate) fn sentences(&self, id: &str, record: &serde_json::Value) -> Sentences {
        let Ok(built) = self.sentences.get_or_build(id, || {
            Ok::<_, std::convert::Infallible>(self.with_store(|store, _, _| claim_sentences(store, record)))
        });
        built
    }

    /// Runs `f` with a store connection (blocking: call from the blocking pool).
    fn with_store<T>(&self, f: impl FnOnce(&SqliteStore, &Canon, &Grades) -> T) -> T {
        let canon = Canon::new(&self.resources);
        for s in &self.stores {
            if let Ok(store) = s.try_lock() {
                return f(&store, &canon, &self.grades);
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.stores.len();
        let store = self.stores[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&store, &canon, &self.grades)
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
    fn get_or_build<E>(&self, key: &str, build: impl FnOnce() -> Result<V, E>) -> Result<Arc<V>, E> {
        let now = std::time::Instant::now();
        if let Some((at, v)) = self.map.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
            if now.duration_since(*at) < RECORD_TTL {
                return Ok(Arc::clone(v));
            }
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
        next.run(req).await
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Store errors as API errors.
impl From<StoreError> for api::ApiError {
    fn from(e: StoreError) -> Self {
        api::ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "store_error", &e.to_string())
    }
}
