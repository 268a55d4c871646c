//! Server-rendered pages. Every string from the store goes through `esc`; links to the
//! outside only through `safe_href`; no page has inline script (the CSP forbids it).

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use claimgraph_store::Store;
use serde_json::Value;

use crate::api::{blocking, incident_page, ApiError, IncidentQuery};
use crate::html::{esc, page, safe_href, seg};
use crate::AppState;

const CSS: &str = include_str!("assets/app.css");

pub(crate) fn error_page(e: ApiError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::SERVICE_UNAVAILABLE => "Busy",
        s if s.is_server_error() => "Server error",
        _ => "Bad request",
    };
    let mut response =
        (e.status, Html(page(title, &format!("<h1>{}</h1><p>{}</p>", esc(&e.code), esc(&e.message))))).into_response();
    if e.status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
    }
    response
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
        Some(x) => format!("{x}"),
        None => "unknown".to_string(),
    }
}

fn tally(v: &Value) -> String {
    if v.is_null() {
        return "unknown".to_string();
    }
    let (lo, hi) = (num(&v["low"]), num(&v["high"]));
    if lo == hi || v["high"].is_null() {
        lo
    } else {
        format!("{lo}–{hi}")
    }
}

async fn incidents(State(state): State<Arc<AppState>>, Query(q): Query<IncidentQuery>) -> Response {
    let shown = q.clone();
    let page_result = blocking(&state, move |store, canon, _| incident_page(store, canon, &q)).await;
    let (items, next) = match page_result {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let mut body = String::from("<h1>Incidents</h1>");
    body.push_str(&crate::charts::filter_form("/", &shown));
    // Column heads sort, keeping the filters.
    let mut keep = String::new();
    for (k, v) in shown.filters() {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            let _ = write!(keep, "&amp;{k}={}", seg(v));
        }
    }
    let _ = write!(
        body,
        "<table><thead><tr><th><a href=\"/?sort=date{keep}\">Date</a></th><th>Kind</th><th>Place</th>\
<th><a href=\"/?sort=killed{keep}\">Killed</a></th><th>Label</th><th>Named responsible</th><th><a href=\"/?sort=reports{keep}\">Reports</a></th></tr></thead><tbody>"
    );
    for i in &items {
        let id = i["id"].as_str().unwrap_or("");
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/incidents/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            esc(i["date"].as_str().unwrap_or("undated")),
            esc(i["kind"].as_str().unwrap_or("")),
            esc(i["place"].as_str().unwrap_or("unknown")),
            esc(&tally(&i["killed"])),
            seg(id),
            esc(i["label"].as_str().unwrap_or(id)),
            esc(i["leading"].as_str().unwrap_or("no one named")),
            i["n_documents"]
        );
    }
    body.push_str("</tbody></table>");
    if items.is_empty() {
        body.push_str("<p class=\"muted\">No incident matches.</p>");
    }
    if let Some(cursor) = next {
        let mut link = format!("/?cursor={}{keep}", seg(&cursor));
        if let Some(sort) = shown.sort.as_deref().filter(|s| !s.is_empty()) {
            let _ = write!(link, "&amp;sort={}", seg(sort));
        }
        let _ = write!(body, "<p class=\"pager\"><a href=\"{link}\">Next page</a></p>");
    }
    Html(page("Incidents", &body)).into_response()
}

async fn incident(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let state2 = Arc::clone(&state);
    let record = tokio::task::spawn_blocking(move || {
        state2.record(&id).map(|r| {
            let sentences = state2.sentences(&id, &r);
            (r, sentences)
        })
    })
    .await;
    let (r, sentences) = match record {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return error_page(e),
        Err(e) => return error_page(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string())),
    };
    let s = |v: &Value| esc(v.as_str().unwrap_or(""));
    let mut b = String::new();
    let place = r["place"]["name"].as_str().unwrap_or("an unknown place");
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"muted\">{} · {} · {}</p>",
        esc(r["label"].as_str().unwrap_or(r["id"].as_str().unwrap_or(""))),
        s(&r["kind"]),
        esc(place),
        esc(r["date"].as_str().unwrap_or("date unknown"))
    );
    let _ = write!(
        b,
        "<p class=\"tally\">Killed: <strong>{}</strong> (latest {}) · Injured: <strong>{}</strong></p>\
<p class=\"muted\">{} documents from {} independent sources</p>",
        esc(&tally(&r["killed"])),
        esc(&num(&r["killed"]["latest"])),
        esc(&tally(&r["injured"])),
        r["documents"].as_array().map_or(0, Vec::len),
        r["n_sources"]
    );
    b.push_str("<h2>The tally over time</h2>");
    b.push_str(&crate::charts::tally_chart(&r["figures"]));
    b.push_str("<table><thead><tr><th>Published</th><th>Figure</th><th>Qualifier</th><th>Source</th><th>Speaker</th></tr></thead><tbody>");
    for f in r["figures"].as_array().into_iter().flatten() {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{} {}</td><td>{}</td><td><a href=\"/documents/{}\">{}</a></td><td>{}</td></tr>",
            esc(f["published"].as_str().unwrap_or("undated")),
            esc(&num(&f["value"])),
            s(&f["category"]),
            s(&f["qualifier"]),
            seg(f["document"].as_str().unwrap_or("")),
            esc(f["source"].as_str().unwrap_or("unknown source")),
            s(&f["speaker"])
        );
    }
    b.push_str("</tbody></table><h2>Who is named responsible</h2><table><thead><tr><th>Party</th><th>Status</th><th>Claims</th><th>Accusations (by)</th><th>Denials</th><th>Sources</th></tr></thead><tbody>");
    for p in r["perpetrators"].as_array().into_iter().flatten() {
        let by: Vec<String> = p["accused_by"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| esc(a["speaker"].as_str().unwrap_or("unnamed")))
            .collect();
        let status = p["status"].as_str().unwrap_or("");
        let grades: Vec<String> =
            p["grades"].as_array().into_iter().flatten().map(|g| esc(g.as_str().unwrap_or(""))).collect();
        let _ = write!(
            b,
            "<tr><td><a href=\"/actors/{}\">{}</a></td><td class=\"status-{}\">{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{} [{}]</td></tr>",
            seg(p["name"].as_str().unwrap_or("")),
            s(&p["name"]),
            esc(status),
            esc(status),
            p["responsibility"],
            p["accusations"],
            if by.is_empty() { String::new() } else { format!("({})", by.join(", ")) },
            p["denials"],
            p["n_sources"],
            grades.join(",")
        );
    }
    b.push_str("</tbody></table>");
    let contradictions = r["contradictions"].as_array().cloned().unwrap_or_default();
    if !contradictions.is_empty() {
        b.push_str("<h2>Contradictions</h2>");
        for c in &contradictions {
            let _ =
                write!(b, "<div class=\"contradiction\"><strong>{}</strong>: {}</div>", s(&c["kind"]), s(&c["detail"]));
        }
    }
    for (title, key) in [("Warnings before it", "warnings"), ("Claims", "claims")] {
        let list = r[key].as_array().cloned().unwrap_or_default();
        if list.is_empty() {
            continue;
        }
        let _ = write!(b, "<h2>{title}</h2><table><thead><tr><th>Kind</th><th>Speaker</th><th>Claim</th><th>Credibility</th><th>Source</th></tr></thead><tbody>");
        for c in &list {
            let (doc, local) = (c["document"].as_str().unwrap_or(""), c["local_id"].as_str().unwrap_or(""));
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td class=\"sentence\">{} <a href=\"/documents/{}#{}\">in the document</a></td><td>{}</td><td>{} {}</td></tr>",
                s(&c["kind"]),
                esc(c["speaker"].as_str().unwrap_or("unnamed")),
                // The claim in its sentence, the claimed words marked (else the words).
                sentences
                    .get(c["id"].as_str().unwrap_or(""))
                    .cloned()
                    .unwrap_or_else(|| format!("<mark class=\"claim\">{}</mark>", s(&c["text"]))),
                seg(doc),
                seg(local),
                c["credibility"],
                esc(c["source"].as_str().unwrap_or("")),
                esc(c["published"].as_str().unwrap_or(""))
            );
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("<h2>Documents</h2><ul>");
    for d in r["documents"].as_array().into_iter().flatten() {
        let _ = write!(
            b,
            "<li><a href=\"/documents/{}\">{}</a> <span class=\"muted\">{} · {}</span></li>",
            seg(d["id"].as_str().unwrap_or("")),
            esc(d["title"].as_str().unwrap_or("(untitled)")),
            esc(d["source"].as_str().unwrap_or("unknown source")),
            esc(d["published"].as_str().unwrap_or("undated"))
        );
    }
    b.push_str("</ul>");
    Html(page(r["label"].as_str().unwrap_or("Incident"), &b)).into_response()
}

/// The document text with its claims and entities marked. Spans count characters.
async fn document(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let doc = blocking(&state, move |store, _, _| {
        store
            .document(&id)?
            .map(|(_, a)| a)
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", &format!("no document {id}")))
    })
    .await;
    let a = match doc {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    let d = &a["document"];
    let text: Vec<char> = d["text"].as_str().unwrap_or("").chars().collect();
    // Claims are the outer marks; entities, dates and figures are marked inside and
    // outside them (one level of nesting; a mark crossing a claim's edge is left out).
    let span = |v: &Value| Some((v["start"].as_u64()? as usize, v["end"].as_u64()? as usize));
    let mut outer: Vec<(usize, usize, String)> = Vec::new();
    for c in a["claims"].as_array().into_iter().flatten() {
        if let Some((s, e)) = span(&c["content_span"]).or_else(|| span(&c["span"])) {
            let tag = format!(
                "<mark class=\"claim\" id=\"{}\" title=\"{}\">",
                esc(c["id"].as_str().unwrap_or("")),
                esc(&format!(
                    "{} by {}",
                    c["kind"].as_str().unwrap_or(""),
                    c["speaker"]["name"].as_str().unwrap_or("unnamed")
                ))
            );
            outer.push((s, e, tag));
        }
    }
    let mut inner: Vec<(usize, usize, String)> = Vec::new();
    for e in a["entities"].as_array().into_iter().flatten() {
        for m in e["mentions"].as_array().into_iter().flatten() {
            if let Some((s, end)) = span(m) {
                let tag = format!(
                    "<span class=\"ent ent-{}\" title=\"{}\">",
                    esc(e["kind"].as_str().unwrap_or("")),
                    esc(e["name"].as_str().unwrap_or(""))
                );
                inner.push((s, end, tag));
            }
        }
    }
    for (layer, class) in [("times", "time"), ("quantities", "figure")] {
        for t in a[layer].as_array().into_iter().flatten() {
            if let Some((s, e)) = span(&t["span"]) {
                let title = match layer {
                    "times" => t["value"].as_str().unwrap_or("date unknown").to_string(),
                    _ => format!(
                        "{} {} ({})",
                        t["category"].as_str().unwrap_or(""),
                        num(&t["value"]),
                        t["qualifier"].as_str().unwrap_or("")
                    ),
                };
                inner.push((s, e, format!("<span class=\"{class}\" title=\"{}\">", esc(&title))));
            }
        }
    }
    let html = marked(&text, outer, inner);
    let title = d["title"].as_str().unwrap_or("(untitled)");
    let link = d["url"]
        .as_str()
        .and_then(safe_href)
        .map(|u| format!(" · <a href=\"{u}\" rel=\"noopener noreferrer\">original</a>"));
    let body = format!(
        "<h1>{}</h1><p class=\"muted\">{} · {}{}</p><p class=\"legend\"><mark class=\"claim\">claim</mark> \
<span class=\"ent\">entity</span> <span class=\"time\">date</span> <span class=\"figure\">figure</span></p>\
<div class=\"doc-text\">{html}</div>",
        esc(title),
        esc(d["source"].as_str().unwrap_or("unknown source")),
        esc(d["published"].as_str().unwrap_or("undated")),
        link.unwrap_or_default()
    );
    Html(page(title, &body)).into_response()
}

async fn actor(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> Response {
    let p = match crate::api::actor_profile(&state, name).await {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let s = |v: &Value| esc(v.as_str().unwrap_or(""));
    let names: Vec<String> =
        p["names"].as_array().into_iter().flatten().map(|n| esc(n.as_str().unwrap_or(""))).collect();
    let mut b = format!("<h1>{}</h1><p class=\"muted\">Also: {}</p>", s(&p["name"]), names.join(", "));
    b.push_str("<h2>Who accuses whom</h2>");
    b.push_str(&crate::charts::network(&p));
    b.push_str("<h2>Incidents it is named responsible for</h2><table><thead><tr><th>Date</th><th>Kind</th><th>Place</th><th>Status</th></tr></thead><tbody>");
    for i in p["incidents"].as_array().into_iter().flatten() {
        let status = i["status"].as_str().unwrap_or("");
        let _ = write!(
            b,
            "<tr><td>{}</td><td><a href=\"/incidents/{}\">{}</a></td><td>{}</td><td class=\"status-{}\">{}</td></tr>",
            esc(i["date"].as_str().unwrap_or("undated")),
            seg(i["id"].as_str().unwrap_or("")),
            s(&i["kind"]),
            esc(i["place"].as_str().unwrap_or("unknown")),
            esc(status),
            esc(status)
        );
    }
    b.push_str("</tbody></table>");
    if p["more_incidents"].as_bool() == Some(true) {
        b.push_str("<p class=\"muted\">The newest incidents only; older ones are in the incident list, filtered by this actor.</p>");
    }
    for (title, key) in [
        ("What it claimed", "claimed"),
        ("What it denied", "denied"),
        ("What it was accused of", "accused_of"),
        ("Whom it accused", "accused_others"),
    ] {
        let _ = write!(b, "<h2>{title}</h2><ul>");
        for c in p[key].as_array().into_iter().flatten() {
            let id = c["id"].as_str().unwrap_or("");
            let (doc, local) = id.split_once('/').unwrap_or((id, ""));
            let _ = write!(
                b,
                "<li>{}: <a href=\"/documents/{}#{}\">{}</a> <span class=\"muted\">{} {}</span></li>",
                esc(c["speaker"].as_str().unwrap_or("unnamed")),
                seg(doc),
                seg(local),
                s(&c["text"]),
                esc(c["source"].as_str().unwrap_or("")),
                esc(c["published"].as_str().unwrap_or(""))
            );
        }
        b.push_str("</ul>");
    }
    Html(page(p["name"].as_str().unwrap_or("Actor"), &b)).into_response()
}

/// Text with non-overlapping marks, escaped.
fn flat(text: &[char], from: usize, to: usize, mut marks: Vec<(usize, usize, String)>) -> String {
    marks.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
    let mut html = String::new();
    let mut at = from;
    for (s, e, tag) in marks {
        if s < at || e > to || s >= e {
            continue;
        }
        html.push_str(&esc(&text[at..s].iter().collect::<String>()));
        html.push_str(&tag);
        html.push_str(&esc(&text[s..e].iter().collect::<String>()));
        html.push_str("</span>");
        at = e;
    }
    html.push_str(&esc(&text[at.min(to)..to].iter().collect::<String>()));
    html
}

/// Text with claims marked, and entities, dates and figures marked inside and around
/// them.
fn marked(text: &[char], mut outer: Vec<(usize, usize, String)>, inner: Vec<(usize, usize, String)>) -> String {
    outer.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
    let within = |from: usize, to: usize| -> Vec<(usize, usize, String)> {
        inner.iter().filter(|m| m.0 >= from && m.1 <= to).cloned().collect()
    };
    let mut html = String::new();
    let mut at = 0;
    for (s, e, tag) in outer {
        if s < at || e > text.len() || s >= e {
            continue;
        }
        html.push_str(&flat(text, at, s, within(at, s)));
        html.push_str(&tag);
        html.push_str(&flat(text, s, e, within(s, e)));
        html.push_str("</mark>");
        at = e;
    }
    html.push_str(&flat(text, at, text.len(), within(at, text.len())));
    html
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], CSS).into_response()
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(incidents))
        .route("/incidents/{id}", get(incident))
        .route("/documents/{id}", get(document))
        .route("/actors/{name}", get(actor))
        .route("/map", get(crate::charts::map))
        .route("/timeline", get(crate::charts::timeline))
        .route("/assets/app.css", get(css))
}
