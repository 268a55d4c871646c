//! The server's limits from inside: a saturated pool of expensive permits, the request
//! time limit, the caches, and the JSON errors for bad parameters (in-process, `oneshot`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use claimgraph_extract::{Extractor, Meta};
use claimgraph_model::Date;
use claimgraph_store::{NewDocument, SqliteStore, Store};
use serde_json::Value;
use tower::ServiceExt;

use crate::{router, AppState, Config, Expensive, Limits};

/// A store of a few reports of our own about two attacks, resolved on open.
fn store(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("claimgraph-server-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let x = Extractor::new();
    let texts = [
        "Bomb kills 9 in Herat\n\nA car bomb exploded near a mosque in Herat on Friday, killing 9 people, police said. The Taliban claimed responsibility for the bombing, a spokesman said.\n",
        "Herat bombing toll rises\n\nThe toll from Friday's car bomb in Herat rose to 11, officials said. The Taliban claimed responsibility for the attack in a statement.\n",
        "Gunmen attack Kabul checkpoint\n\nGunmen attacked a police checkpoint in Kabul on Sunday, killing 3 officers, the interior ministry said.\n",
    ];
    let batch: Vec<NewDocument> = texts
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let meta = Meta {
                url: Some(format!("https://wire.example/{n}")),
                source: Some(format!("Wire {n}")),
                published: Date::parse_iso("2024-05-03"),
                ..Meta::default()
            };
            NewDocument::new(x.extract(t.as_bytes(), &meta).unwrap(), format!("raw{n}"), None)
        })
        .collect();
    store.write_batch(&batch).unwrap();
    path
}

fn state(name: &str, limits: Limits) -> Arc<AppState> {
    AppState::open(&Config { db: store(name), grades: vec![], tokens: vec![], connections: 2, limits }).unwrap()
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), 10_000_000).await.unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

fn json_error(body: &str) -> (String, String) {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    (v["code"].as_str().unwrap().to_string(), v["message"].as_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saturated_expensive_queries_get_503_not_a_queue() {
    let limits = Limits { expensive_permits: 1, expensive_wait: Duration::from_millis(100), ..Limits::default() };
    let state = state("saturated", limits);
    let app = router(Arc::clone(&state));
    // Other requests hold the only permit of each kind.
    let held: Vec<_> =
        [Expensive::Search, Expensive::Actor].into_iter().map(|k| state.expensive_permit(k).unwrap()).collect();
    let started = Instant::now();
    for uri in ["/api/v1/search?q=herat", "/api/v1/actors/Taliban", "/actors/Taliban"] {
        let (status, headers, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {body}");
        assert_eq!(headers[header::RETRY_AFTER], "1", "{uri}");
        if uri.starts_with("/api") {
            assert_eq!(json_error(&body).0, "busy");
        }
    }
    // Answered after the short wait, not queued until the permit came back.
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // Cheap pages, and expensive work of another kind, are still served meanwhile.
    let (status, _, _) = get(&app, "/api/v1/incidents").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, page) = get(&app, "/api/v1/incidents?limit=1").await;
    assert_eq!(status, StatusCode::OK);
    let id = serde_json::from_str::<Value>(&page).unwrap()["items"][0]["id"].as_str().unwrap().to_string();
    let (status, _, body) = get(&app, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    drop(held);
    let (status, _, body) = get(&app, "/api/v1/search?q=herat").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_over_the_time_limit_is_a_503_json_error() {
    // The search waits (up to 10 s) for the permit this test holds: far past the limit.
    let limits = Limits {
        request_timeout: Duration::from_millis(200),
        expensive_permits: 1,
        expensive_wait: Duration::from_secs(10),
        ..Limits::default()
    };
    let state = state("timeout", limits);
    let app = router(Arc::clone(&state));
    let held = state.expensive_permit(Expensive::Search).unwrap();
    let started = Instant::now();
    let (status, headers, body) = get(&app, "/api/v1/search?q=herat").await;
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers[header::RETRY_AFTER], "1");
    let (code, message) = json_error(&body);
    assert_eq!(code, "timeout");
    assert!(message.contains("longer than 0.2 s"), "{message}");
    drop(held);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actor_page_is_cached() {
    let state = state("actor-cache", Limits::default());
    let app = router(Arc::clone(&state));
    let (status, _, first) = get(&app, "/actors/Taliban").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let built = state.n_builds();
    for uri in ["/actors/Taliban", "/api/v1/actors/Taliban", "/actors/Taliban"] {
        let (status, _, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(state.n_builds(), built, "the profile was built again instead of served from the cache");
}

/// Under load one actor's profile was built once per request that got a permit, so most
/// of its requests were shed: requests queued behind a build of the same key now get it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_for_one_profile_build_it_once() {
    let limits = Limits { expensive_permits: 1, expensive_wait: Duration::from_secs(60), ..Limits::default() };
    let state = state("actor-once", limits);
    let app = router(Arc::clone(&state));
    let requests: Vec<_> = (0..6)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { get(&app, "/api/v1/actors/Taliban").await.0 })
        })
        .collect();
    for r in requests {
        assert_eq!(r.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(state.n_builds(), 1, "one profile, built more than once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_query_parameter_is_a_json_error() {
    let app = router(state("bad-param", Limits::default()));
    for uri in [
        "/api/v1/incidents?limit=many",
        "/api/v1/claims?limit=-1",
        "/api/v1/search",
        "/api/v1/search?q=herat&limit=x",
        "/api/v1/actors/%FF",
    ] {
        let (status, headers, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
        let (code, message) = json_error(&body);
        assert_eq!(code, "bad_request", "{uri}");
        assert!(!message.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_range_cursor_is_a_400_not_a_500() {
    let app = router(state("cursor", Limits::default()));
    for uri in [
        "/api/v1/incidents?cursor=o18446744073709551615",
        "/api/v1/incidents?cursor=o99999999999999999999999",
        "/api/v1/claims?cursor=o18446744073709551615",
        "/api/v1/incidents?cursor=o-5",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(json_error(&body).1.contains("cursor"), "{body}");
    }
    // Past the end but in range: an empty last page.
    let (status, _, body) = get(&app, "/api/v1/incidents?cursor=o100000").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    assert!(page["next_cursor"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_with_parenthesised_or_group_works() {
    let app = router(state("or-group", Limits::default()));
    let (status, _, body) = get(&app, "/api/v1/search?q=bomb%20(kabul%20OR%20herat)").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hits: Value = serde_json::from_str(&body).unwrap();
    assert!(!hits["items"].as_array().unwrap().is_empty(), "{body}");
    let deep = format!("{}bomb{}", "(".repeat(300), ")".repeat(300));
    let (status, _, body) =
        get(&app, &format!("/api/v1/search?q={}", deep.replace('(', "%28").replace(')', "%29"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(json_error(&body).1.contains("nest"), "{body}");
}
