//! The server in-process (`oneshot`): the API's shapes and errors, pagination, the
//! OpenAPI document, the safety layer, and hostile documents that must not run.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use claimgraph_extract::{Extractor, Meta};
use claimgraph_model::Date;
use claimgraph_server::{check_bind, router, AppState, Config, Limits, Role, Token};
use claimgraph_store::{NewDocument, SqliteStore, Store};
use serde_json::Value;
use tower::ServiceExt;

const HOSTILE: &str = r#"<html><head><title>Blast <script>alert('title')</script> kills 12</title></head>
<body><article><h1>Blast <img src=x onerror="alert('h1')"> kills 12 in Peshawar</h1>
<p>A bomb exploded at a market in Peshawar on Monday, killing 12 people and wounding 30, police said. <a href="javascript:alert('link')">More</a></p>
<p>The Pakistani Taliban claimed responsibility for the attack, a spokesman said in a statement &lt;script&gt;alert('text')&lt;/script&gt;.</p>
<p>Officials said the explosion tore through stalls selling fruit and clothes as shoppers crowded the market before dusk.</p>
</article></body></html>"#;

fn store_with(docs: &[(&str, &str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("claimgraph-server-{}-{}", std::process::id(), docs.len()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let x = Extractor::new();
    let mut batch = Vec::new();
    for (n, (body, url, published)) in docs.iter().enumerate() {
        let meta = Meta {
            url: Some(url.to_string()),
            source: Some("Test <b>Wire</b>".to_string()),
            published: Date::parse_iso(published),
            ..Meta::default()
        };
        batch.push(NewDocument::new(x.extract(body.as_bytes(), &meta).unwrap(), format!("raw{n}"), None));
    }
    store.write_batch(&batch).unwrap();
    path
}

fn app(db: PathBuf, tokens: Vec<Token>) -> axum::Router {
    let state: Arc<AppState> =
        AppState::open(&Config { db, grades: vec![], tokens, connections: 2, limits: Limits::default() })
            .expect("the store opens");
    router(state)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), 10_000_000).await.unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

fn peshawar(n: usize) -> String {
    format!(
        "Blast kills {k} in Peshawar market\n\nA bomb exploded in a market in Peshawar on Monday, killing {k} people, police said. Report {n}.\n",
        k = 10 + n
    )
}

#[tokio::test]
async fn hostile_documents_are_escaped_everywhere() {
    let db = store_with(&[
        (HOSTILE, "javascript:alert('url')", "2024-03-04"),
        (&peshawar(1), "https://x.example/1", "2024-03-04"),
    ]);
    let app = app(db, vec![]);
    let (status, headers, list) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("script-src 'self'"));
    let (_, _, json) = get(&app, "/api/v1/incidents").await;
    let page: Value = serde_json::from_str(&json).unwrap();
    let mut pages = vec![list];
    for i in page["items"].as_array().unwrap() {
        let id = i["id"].as_str().unwrap();
        let (status, _, html) = get(&app, &format!("/incidents/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        pages.push(html);
    }
    let (_, _, search) = get(&app, "/api/v1/search?q=peshawar").await;
    let hits: Value = serde_json::from_str(&search).unwrap();
    for h in hits["items"].as_array().unwrap() {
        let (status, _, html) = get(&app, &format!("/documents/{}", h["document"].as_str().unwrap())).await;
        assert_eq!(status, StatusCode::OK);
        pages.push(html);
    }
    assert!(pages.len() >= 3, "the list, an incident and the documents were rendered");
    for html in &pages {
        for bad in ["<script", "onerror=", "javascript:", "<b>Wire", "<img"] {
            assert!(!html.to_lowercase().contains(bad), "{bad:?} survived unescaped in:\n{html}");
        }
    }
    assert!(pages.iter().any(|p| p.contains("&lt;script&gt;")), "hostile text is shown, escaped");
}

#[tokio::test]
async fn the_api_pages_filters_and_errors() {
    let docs: Vec<(String, String, String)> = (0..5)
        .map(|n| {
            (
                peshawar(n).replace("Peshawar", ["Peshawar", "Quetta", "Karachi", "Lahore", "Multan"][n]),
                format!("https://x.example/{n}"),
                format!("2024-03-{:02}", n + 4),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = docs.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    let app = app(store_with(&refs), vec![]);
    let (status, _, body) = get(&app, "/api/v1/incidents?limit=2").await;
    assert_eq!(status, StatusCode::OK);
    let first: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("more pages");
    let (_, _, body) = get(&app, &format!("/api/v1/incidents?limit=2&cursor={cursor}")).await;
    let second: Value = serde_json::from_str(&body).unwrap();
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);
    let (_, _, body) = get(&app, "/api/v1/incidents?q=quetta").await;
    let quetta: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(quetta["items"].as_array().unwrap().len(), 1);
    let id = quetta["items"][0]["id"].as_str().unwrap();
    let (status, _, body) = get(&app, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let record: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(record["place"]["name"], "Quetta");
    for (uri, status, code) in [
        ("/api/v1/incidents/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/incidents?since=yesterday", StatusCode::BAD_REQUEST, "bad_request"),
        ("/api/v1/incidents?kind=picnic", StatusCode::BAD_REQUEST, "bad_request"),
        ("/api/v1/incidents?cursor=zzz", StatusCode::BAD_REQUEST, "bad_request"),
        ("/api/v1/search?q=%22unclosed", StatusCode::BAD_REQUEST, "bad_request"),
        ("/api/v1/documents/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/nothing/here", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (got, _, body) = get(&app, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        let e: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(e["code"], code, "{uri}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The map (country outlines shipped with the app, a circle per located incident),
    // the timeline, filtered like the list.
    let (status, _, map) = get(&app, "/map?kind=bombing").await;
    assert_eq!(status, StatusCode::OK);
    assert!(map.matches("<path class=\"land\"").count() > 150, "country outlines");
    assert_eq!(map.matches("<circle class=\"incident\"").count(), 5, "{map}");
    let (_, _, one) = get(&app, "/map?place=Quetta").await;
    assert_eq!(one.matches("<circle class=\"incident\"").count(), 1);
    let (status, _, timeline) = get(&app, "/timeline").await;
    assert_eq!(status, StatusCode::OK);
    assert!(timeline.contains("class=\"bar\""), "{timeline}");
    assert!(timeline.contains("/?since=2024-03-01&amp;until=2024-03-31"));
    let (status, _, claims) = get(&app, "/api/v1/claims?kind=figure&limit=2").await;
    assert_eq!(status, StatusCode::OK, "{claims}");
    let claims: Value = serde_json::from_str(&claims).unwrap();
    assert!(claims["items"].as_array().unwrap().iter().all(|c| c["kind"] == "figure"));
    assert_eq!(get(&app, "/api/v1/claims?kind=gossip").await.0, StatusCode::BAD_REQUEST);
    let long = format!("/api/v1/incidents?q={}", "a".repeat(5000));
    assert_eq!(get(&app, &long).await.0, StatusCode::URI_TOO_LONG);
    let (_, _, spec) = get(&app, "/api/v1/openapi.json").await;
    let spec: Value = serde_json::from_str(&spec).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/documents/{id}",
        "/api/v1/actors/{name}",
        "/api/v1/search",
    ] {
        assert!(spec["paths"][path]["get"].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn tokens_guard_every_request_and_public_addresses_need_them() {
    let db = store_with(&[(&peshawar(1), "https://x.example/1", "2024-03-04")]);
    let token = Token { token: "a-long-enough-secret-token".into(), role: Role::Read };
    let app = app(db, vec![token.clone()]);
    for uri in ["/", "/api/v1/incidents", "/assets/app.css"] {
        assert_eq!(get(&app, uri).await.0, StatusCode::UNAUTHORIZED, "{uri}");
    }
    let request = Request::get("/api/v1/incidents")
        .header(header::AUTHORIZATION, "Bearer a-long-enough-secret-token")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.clone().oneshot(request).await.unwrap().status(), StatusCode::OK);
    let wrong = Request::get("/").header(header::AUTHORIZATION, "Bearer nope").body(Body::empty()).unwrap();
    assert_eq!(app.oneshot(wrong).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let public = "0.0.0.0:8080".parse().unwrap();
    assert!(check_bind(&public, &[]).unwrap_err().contains("no access tokens"));
    assert!(check_bind(&public, &[token]).is_ok());
    assert!(check_bind(&"127.0.0.1:8080".parse().unwrap(), &[]).is_ok());
}
