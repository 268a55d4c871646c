//! The JSON API under `/api/v1`.
//!
//! Lists are paged with an opaque `cursor` (pass the `next_cursor` of one page to get the
//! next; it is absent on the last page). Errors are `{code, message}` with the HTTP
//! status that fits, for malformed parameters too (the [`Q`] and [`P`] extractors turn
//! axum's plain-text rejections into them). A saturated or slow server answers 503 with
//! Retry-After. `/api/v1/openapi.json` is generated from these handlers.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use claimgraph_model::{Date, IncidentKind};
use claimgraph_store::{IncidentFilter, SearchQuery, Store};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;

/// An error: a stable machine-readable code and a sentence for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    pub(crate) status: StatusCode,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: &str) -> ApiError {
        ApiError { status, code: code.to_string(), message: message.to_string() }
    }

    fn bad(message: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    fn not_found(message: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({"code": self.code, "message": self.message}))).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Query parameters, with a malformed one answered as a JSON [`ApiError`] (axum's
/// `Query` answers in plain text).
#[derive(Debug)]
pub(crate) struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Q(v)),
            Err(e) => {
                Err(ApiError::bad(&format!("{}: check the parameters against /api/v1/openapi.json", e.body_text())))
            }
        }
    }
}

/// A path parameter, with a malformed one (bad percent-encoding) answered as a JSON
/// [`ApiError`].
#[derive(Debug)]
pub(crate) struct P<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for P<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(P(v)),
            Err(e) => Err(ApiError::bad(&e.body_text())),
        }
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// Runs store work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(
            &claimgraph_store::SqliteStore,
            &claimgraph_resolve::Canon,
            &claimgraph_resolve::Grades,
        ) -> Result<T, ApiError>
        + Send
        + 'static,
) -> Result<T, ApiError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || state.with_store(f))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()))?
}

/// Filters of incident lists (the API and the incident page share them).
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Only incidents on or after this day (YYYY-MM-DD).
    pub since: Option<String>,
    /// Only incidents on or before this day (YYYY-MM-DD).
    pub until: Option<String>,
    /// Only this kind (bombing, armed_assault, airstrike, ...).
    pub kind: Option<String>,
    /// Only this place (name or ISO country code).
    pub place: Option<String>,
    /// Only incidents this actor is named responsible for (any alias).
    pub actor: Option<String>,
    /// Words in the label or the place.
    pub q: Option<String>,
    /// Order: "date" (newest first, the default), "killed" (highest toll first) or
    /// "reports" (most documents first).
    pub sort: Option<String>,
    /// From a previous page's next_cursor.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<usize>,
}

impl IncidentQuery {
    /// The filters, by parameter name (paging and sort left out).
    pub(crate) fn filters(&self) -> [(&'static str, &Option<String>); 6] {
        [
            ("q", &self.q),
            ("since", &self.since),
            ("until", &self.until),
            ("kind", &self.kind),
            ("place", &self.place),
            ("actor", &self.actor),
        ]
    }
}

/// Largest offset a cursor may carry: far past any store's end, far below where SQL's
/// integers (and `offset + limit`) overflow.
const MAX_OFFSET: usize = 1_000_000_000;

/// A page's start and size from a cursor (`o<offset>`) and a requested size (1 to 200,
/// default 50).
fn paging(cursor: Option<&str>, limit: Option<usize>) -> Result<(usize, usize), ApiError> {
    let offset = match cursor {
        None | Some("") => 0,
        Some(c) => {
            let digits = c.strip_prefix("o").filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            let digits = digits.ok_or_else(|| {
                ApiError::bad(&format!("malformed cursor {c:?}: pass the next_cursor of a previous page"))
            })?;
            digits.parse::<usize>().ok().filter(|&n| n <= MAX_OFFSET).ok_or_else(|| {
                ApiError::bad(&format!("cursor {c:?} is out of range: pass the next_cursor of a previous page"))
            })?
        }
    };
    Ok((offset, limit.unwrap_or(50).clamp(1, 200)))
}

fn day(s: &Option<String>, what: &str) -> Result<Option<i64>, ApiError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(d) => Date::parse_iso(d)
            .filter(|_| d.len() == 10)
            .map(|d| Some(d.to_days()))
            .ok_or_else(|| ApiError::bad(&format!("{what} must be a date like 2024-01-04, not {d:?}"))),
    }
}

/// The store filter for a query (without paging).
fn filter_of(canon: &claimgraph_resolve::Canon, q: &IncidentQuery) -> Result<IncidentFilter, ApiError> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(
            IncidentKind::parse(k).ok_or_else(|| ApiError::bad(&format!("unknown kind {k:?}")))?.as_str().to_string(),
        ),
        None => None,
    };
    let sort = match q.sort.as_deref().filter(|s| !s.is_empty()) {
        None | Some("date") => None,
        Some(s @ ("killed" | "reports")) => Some(s.to_string()),
        Some(other) => return Err(ApiError::bad(&format!("sort must be date, killed or reports, not {other:?}"))),
    };
    Ok(IncidentFilter {
        since_day: day(&q.since, "since")?,
        until_day: day(&q.until, "until")?,
        kind,
        place: q.place.clone().filter(|p| !p.trim().is_empty()),
        actor: q.actor.as_deref().filter(|a| !a.trim().is_empty()).map(|a| canon.actor_key(a)),
        words: q.q.as_deref().unwrap_or("").split_whitespace().map(str::to_string).collect(),
        sort,
        offset: 0,
        limit: None,
    })
}

/// Every incident summary matching the filters (for the map and the timeline).
pub(crate) fn matching(
    store: &claimgraph_store::SqliteStore,
    canon: &claimgraph_resolve::Canon,
    q: &IncidentQuery,
) -> Result<Vec<claimgraph_store::IncidentSummary>, ApiError> {
    Ok(store.incidents(&filter_of(canon, q)?)?)
}

/// One page of incident summaries, and the cursor of the next: paged in SQL, so a page
/// costs the same on any store.
pub(crate) fn incident_page(
    store: &claimgraph_store::SqliteStore,
    canon: &claimgraph_resolve::Canon,
    q: &IncidentQuery,
) -> Result<(Vec<Value>, Option<String>), ApiError> {
    let (offset, limit) = paging(q.cursor.as_deref(), q.limit)?;
    let mut filter = filter_of(canon, q)?;
    filter.offset = offset;
    filter.limit = Some(limit + 1);
    let mut page = store.incidents(&filter)?;
    let next = (page.len() > limit).then(|| format!("o{}", offset + limit));
    page.truncate(limit);
    let items = page
        .into_iter()
        .map(|s| {
            json!({
                "id": s.id, "kind": s.kind, "label": s.label, "date": s.date, "place": s.place,
                "country": s.country, "lat": s.lat, "lon": s.lon,
                "killed": s.killed.map(|(lo, hi)| json!({"low": lo, "high": hi})),
                "injured": s.injured.map(|(lo, hi)| json!({"low": lo, "high": hi})),
                "n_documents": s.n_documents, "first_published": s.first_published,
                "leading": s.leading,
            })
        })
        .collect();
    Ok((items, next))
}

/// List incidents, newest first.
#[utoipa::path(get, path = "/api/v1/incidents", params(IncidentQuery),
    responses((status = 200, description = "A page of incidents: {items, next_cursor}", body = Object),
              (status = 400, description = "A malformed filter", body = ApiError)))]
async fn list_incidents(State(state): State<Arc<AppState>>, Q(q): Q<IncidentQuery>) -> ApiResult {
    let (items, next) = blocking(&state, move |store, canon, _| incident_page(store, canon, &q)).await?;
    Ok(Json(json!({"items": items, "next_cursor": next})))
}

/// One incident's full record (incidents.schema.json).
#[utoipa::path(get, path = "/api/v1/incidents/{id}", params(("id" = String, Path, description = "An incident id")),
    responses((status = 200, description = "The record", body = Object),
              (status = 404, description = "No such incident", body = ApiError)))]
async fn get_incident(State(state): State<Arc<AppState>>, P(id): P<String>) -> Result<Json<Value>, ApiError> {
    let state2 = Arc::clone(&state);
    let record = tokio::task::spawn_blocking(move || state2.record(&id))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()))??;
    Ok(Json((*record).clone()))
}

/// One document: metadata, text and annotations (analysis.schema.json).
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = String, Path, description = "A document's content id")),
    responses((status = 200, description = "The analysis, with the text", body = Object),
              (status = 404, description = "No such document", body = ApiError)))]
async fn get_document(State(state): State<Arc<AppState>>, P(id): P<String>) -> ApiResult {
    let doc = blocking(&state, move |store, _, _| {
        store
            .document(&id)?
            .map(|(_, analysis)| analysis)
            .ok_or_else(|| ApiError::not_found(&format!("no document {id}")))
    })
    .await?;
    Ok(Json(doc))
}

/// One actor: its incidents, and what it claimed, denied, was accused of and accused
/// others of.
#[utoipa::path(get, path = "/api/v1/actors/{name}", params(("name" = String, Path, description = "Any of the actor's names")),
    responses((status = 200, description = "The actor's profile", body = Object),
              (status = 404, description = "Nothing in the store names it", body = ApiError)))]
async fn get_actor(State(state): State<Arc<AppState>>, P(name): P<String>) -> ApiResult {
    let profile = actor_profile(&state, name).await?;
    Ok(Json((*profile).clone()))
}

/// An actor's profile, from the cache when fresh (the API and the page share it).
pub(crate) async fn actor_profile(state: &Arc<AppState>, name: String) -> Result<Arc<Value>, ApiError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || state.actor(&name))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()))?
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ClaimParams {
    /// responsibility, accusation, denial, warning, figure or statement.
    kind: Option<String>,
    /// The speaker's canonical name (or the words naming an unresolved speaker).
    speaker: Option<String>,
    /// Documents published on or after this day (YYYY-MM-DD).
    since: Option<String>,
    /// Documents published on or before this day (YYYY-MM-DD).
    until: Option<String>,
    /// From a previous page's next_cursor.
    cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<usize>,
}

/// Claims across the store, newest first.
#[utoipa::path(get, path = "/api/v1/claims", params(ClaimParams),
    responses((status = 200, description = "A page of claims: {items, next_cursor}", body = Object),
              (status = 400, description = "A malformed filter", body = ApiError)))]
async fn list_claims(State(state): State<Arc<AppState>>, Q(p): Q<ClaimParams>) -> ApiResult {
    day(&p.since, "since")?;
    day(&p.until, "until")?;
    const KINDS: [&str; 6] = ["responsibility", "accusation", "denial", "warning", "figure", "statement"];
    if let Some(k) = p.kind.as_deref().filter(|k| !KINDS.contains(k)) {
        return Err(ApiError::bad(&format!("unknown claim kind {k:?}; one of {}", KINDS.join(", "))));
    }
    let (offset, limit) = paging(p.cursor.as_deref(), p.limit)?;
    let rows = blocking(&state, move |store, _, _| {
        Ok(store.claims(
            p.kind.as_deref(),
            p.speaker.as_deref().filter(|s| !s.is_empty()),
            p.since.as_deref().filter(|s| !s.is_empty()),
            p.until.as_deref().filter(|s| !s.is_empty()),
            offset,
            limit + 1,
        )?)
    })
    .await?;
    let next = (rows.len() > limit).then(|| format!("o{}", offset + limit));
    let items: Vec<Value> = rows
        .iter()
        .take(limit)
        .map(|c| {
            json!({
                "id": format!("{}/{}", c.doc.id, c.local_id), "kind": c.kind, "speaker": c.speaker,
                "speaker_entity": c.speaker_entity, "cue": c.cue,
                "targets": serde_json::from_str::<Value>(&c.targets).unwrap_or_default(), "about": c.about,
                "date": c.date, "text": c.text, "document": c.doc.id, "source": c.doc.source,
                "published": c.doc.published,
            })
        })
        .collect();
    Ok(Json(json!({"items": items, "next_cursor": next})))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchParams {
    /// The query: words, "phrases", prefix*, AND, OR, NOT, parentheses.
    q: String,
    since: Option<String>,
    until: Option<String>,
    /// Only claims of this kind.
    kind: Option<String>,
    /// At most this many hits (1 to 100, default 20).
    limit: Option<usize>,
}

/// Full-text search over documents and claims.
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, description = "{items}: ranked hits with snippets", body = Object),
              (status = 400, description = "A malformed query", body = ApiError)))]
async fn search(State(state): State<Arc<AppState>>, Q(p): Q<SearchParams>) -> ApiResult {
    day(&p.since, "since")?;
    day(&p.until, "until")?;
    // Malformed queries are answered before waiting for a permit.
    claimgraph_store::parse_query(&p.q).map_err(|e| ApiError::bad(&format!("malformed query: {e}")))?;
    // The permit is taken before a store connection, so a search waiting for one does
    // not keep a connection from the cheap pages.
    let query = SearchQuery {
        query: p.q,
        since: p.since,
        until: p.until,
        source: None,
        claim_kind: p.kind,
        limit: p.limit.unwrap_or(20).clamp(1, 100),
    };
    let hits = tokio::task::spawn_blocking(move || {
        let _permit = state.expensive_permit(crate::Expensive::Search)?;
        state.with_store(|store, _, _| Ok::<_, ApiError>(store.search(&query)?))
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()))??;
    let items: Vec<Value> = hits
        .iter()
        .map(|h| {
            json!({
                "document": h.doc, "title": h.title, "url": h.url, "source": h.source, "published": h.published,
                "claim": h.claim.as_ref().map(|(id, kind, speaker)| json!({"id": id, "kind": kind, "speaker": speaker})),
                "snippet": h.snippet, "rank": h.rank,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "claimgraph API",
        version = "1",
        description = "Incidents, claims and documents from a claimgraph store."
    ),
    paths(list_incidents, get_incident, get_document, get_actor, list_claims, search),
    components(schemas(ApiError))
)]
pub struct ApiDoc;

async fn openapi() -> Json<Value> {
    Json(serde_json::to_value(ApiDoc::openapi()).unwrap_or_default())
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/incidents", get(list_incidents))
        .route("/api/v1/incidents/{id}", get(get_incident))
        .route("/api/v1/documents/{id}", get(get_document))
        .route("/api/v1/actors/{name}", get(get_actor))
        .route("/api/v1/claims", get(list_claims))
        .route("/api/v1/search", get(search))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/{*rest}", get(not_found))
}
