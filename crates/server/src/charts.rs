//! The map, the timeline and the actor network: SVG drawn on the server (no script, no
//! tile server, no request leaving the machine).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use claimgraph_model::Date;
use claimgraph_store::IncidentSummary;
use serde_json::Value;

use crate::api::{blocking, matching, ApiError, IncidentQuery};
use crate::html::{esc, page, seg};
use crate::pages::error_page;
use crate::AppState;

/// Natural Earth 1:110m country outlines (see data/SOURCES.md).
const WORLD: &str = include_str!("../data/world.svg.txt");
/// Most incidents drawn on a map or a timeline (the largest tallies first on the map).
const MAX_DRAWN: usize = 5000;

/// The filter form of the list, the map and the timeline, filled with the query's values.
pub(crate) fn filter_form(action: &str, q: &IncidentQuery) -> String {
    let val = |o: &Option<String>| esc(o.as_deref().unwrap_or(""));
    format!(
        "<form class=\"filters\" method=\"get\" action=\"{action}\">\
<input name=\"q\" placeholder=\"Search labels and places\" value=\"{}\">\
<input name=\"since\" placeholder=\"since YYYY-MM-DD\" value=\"{}\">\
<input name=\"until\" placeholder=\"until YYYY-MM-DD\" value=\"{}\">\
<input name=\"kind\" placeholder=\"kind\" value=\"{}\">\
<input name=\"place\" placeholder=\"place or country code\" value=\"{}\">\
<input name=\"actor\" placeholder=\"actor\" value=\"{}\">\
<button type=\"submit\">Filter</button></form>",
        val(&q.q),
        val(&q.since),
        val(&q.until),
        val(&q.kind),
        val(&q.place),
        val(&q.actor)
    )
}

async fn incidents_for(state: &Arc<AppState>, q: &IncidentQuery) -> Result<Vec<IncidentSummary>, ApiError> {
    let q = q.clone();
    blocking(state, move |store, canon, _| matching(store, canon, &q)).await
}

/// Incidents on a world map, each a circle sized by its death toll.
pub async fn map(State(state): State<Arc<AppState>>, Query(q): Query<IncidentQuery>) -> Response {
    let mut list = match incidents_for(&state, &q).await {
        Ok(l) => l,
        Err(e) => return error_page(e),
    };
    list.retain(|s| s.lat.is_some() && s.lon.is_some());
    list.sort_by(|a, b| {
        let k = |s: &IncidentSummary| s.killed.map_or(0.0, |k| k.1);
        k(b).total_cmp(&k(a)).then_with(|| a.id.cmp(&b.id))
    });
    list.truncate(MAX_DRAWN);
    let mut svg = String::from(
        "<svg class=\"map\" viewBox=\"0 0 360 180\" role=\"img\" aria-label=\"Incidents on a world map\"><rect class=\"sea\" width=\"360\" height=\"180\"/>",
    );
    for line in WORLD.lines() {
        if let Some((name, d)) = line.split_once('\t') {
            let _ = write!(svg, "<path class=\"land\" d=\"{d}\"><title>{}</title></path>", esc(name));
        }
    }
    // Largest first, so small circles stay clickable on top.
    for s in &list {
        let (Some(lat), Some(lon)) = (s.lat, s.lon) else { continue };
        let killed = s.killed.map_or(0.0, |k| k.1);
        let r = (0.7 + killed.sqrt() * 0.3).min(7.0);
        let _ = write!(
            svg,
            "<a href=\"/incidents/{}\"><circle class=\"incident\" cx=\"{:.2}\" cy=\"{:.2}\" r=\"{r:.2}\"><title>{} · {} · killed {}</title></circle></a>",
            seg(&s.id),
            lon + 180.0,
            90.0 - lat,
            esc(s.label.as_deref().unwrap_or(&s.kind)),
            esc(s.date.as_deref().unwrap_or("undated")),
            s.killed.map_or("unknown".to_string(), |k| format!("{}–{}", k.0, k.1))
        );
    }
    svg.push_str("</svg>");
    let body = format!(
        "<h1>Map</h1>{}<p class=\"muted\">{} incidents with a known place; circles grow with the highest death toll reported.</p>{svg}",
        filter_form("/map", &q),
        list.len()
    );
    Html(page("Map", &body)).into_response()
}

/// Incidents per month, as bars linking to the list of that month.
pub async fn timeline(State(state): State<Arc<AppState>>, Query(q): Query<IncidentQuery>) -> Response {
    let list = match incidents_for(&state, &q).await {
        Ok(l) => l,
        Err(e) => return error_page(e),
    };
    let mut months: BTreeMap<(i32, u8), (usize, f64)> = BTreeMap::new();
    for s in list.iter().take(MAX_DRAWN * 10) {
        if let Some(d) = s.first_day {
            let date = Date::from_days(d);
            let e = months.entry((date.year, date.month)).or_default();
            e.0 += 1;
            e.1 += s.killed.map_or(0.0, |k| k.0);
        }
    }
    let mut body = format!("<h1>Timeline</h1>{}", filter_form("/timeline", &q));
    let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) else {
        body.push_str("<p class=\"muted\">No dated incident matches.</p>");
        return Html(page("Timeline", &body)).into_response();
    };
    // Every month from the first to the last, empty ones too.
    let mut all = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last && all.len() < 1200 {
        all.push(((y, m), months.get(&(y, m)).copied().unwrap_or_default()));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    let max = all.iter().map(|(_, (n, _))| *n).max().unwrap_or(1).max(1) as f64;
    let (w, h, bar) = (1000.0, 220.0, 1000.0 / all.len() as f64);
    let mut svg = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Incidents per month\">",
        h + 20.0
    );
    for (i, ((y, m), (n, killed))) in all.iter().enumerate() {
        let x = i as f64 * bar;
        if *n > 0 {
            let bh = (*n as f64 / max) * (h - 10.0);
            let last_day = claimgraph_model::days_in_month(*y, *m);
            let _ = write!(
                svg,
                "<a href=\"/?since={y:04}-{m:02}-01&amp;until={y:04}-{m:02}-{last_day:02}\"><rect class=\"bar\" x=\"{x:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{bh:.2}\"><title>{y:04}-{m:02}: {n} incident(s), at least {killed} killed</title></rect></a>",
                h - bh,
                (bar - 0.5).max(0.5)
            );
        }
        if *m == 1 || i == 0 {
            let _ = write!(svg, "<text class=\"tick\" x=\"{x:.2}\" y=\"{}\">{y}</text>", h + 15.0);
        }
    }
    svg.push_str("</svg>");
    let _ = write!(
        body,
        "<p class=\"muted\">{} dated incidents, by month.</p>{svg}",
        months.values().map(|v| v.0).sum::<usize>()
    );
    Html(page("Timeline", &body)).into_response()
}

/// Who accuses whom around an actor: accusers of it, and those it accuses.
pub fn network(profile: &Value) -> String {
    let center = profile["name"].as_str().unwrap_or("");
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in profile["accused_of"].as_array().into_iter().flatten() {
        if let Some(s) = c["speaker"].as_str() {
            *edges.entry((s.to_string(), center.to_string())).or_default() += 1;
        }
    }
    for c in profile["accused_others"].as_array().into_iter().flatten() {
        for t in c["targets"].as_array().into_iter().flatten().filter_map(|t| t.as_str()) {
            if t != center {
                *edges.entry((center.to_string(), t.to_string())).or_default() += 1;
            }
        }
    }
    if edges.is_empty() {
        return "<p class=\"muted\">No accusations by or against it yet.</p>".to_string();
    }
    let mut others: Vec<&str> =
        edges.keys().flat_map(|(a, b)| [a.as_str(), b.as_str()]).filter(|n| *n != center).collect();
    others.sort_unstable();
    others.dedup();
    others.truncate(24);
    let (cx, cy, radius) = (300.0, 200.0, 160.0);
    let pos = |name: &str| -> (f64, f64) {
        match others.iter().position(|o| *o == name) {
            Some(i) => {
                let a = i as f64 / others.len() as f64 * std::f64::consts::TAU;
                (cx + radius * a.cos(), cy + radius * a.sin())
            }
            None => (cx, cy),
        }
    };
    let mut svg = String::from(
        "<svg class=\"network\" viewBox=\"0 0 600 400\" role=\"img\" aria-label=\"Who accuses whom\">\
<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\"/></marker></defs>",
    );
    for ((a, b), n) in &edges {
        if !(a == center || others.contains(&a.as_str())) || !(b == center || others.contains(&b.as_str())) {
            continue;
        }
        let ((x1, y1), (x2, y2)) = (pos(a), pos(b));
        let _ = write!(
            svg,
            "<line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke-width=\"{:.1}\" marker-end=\"url(#arrow)\"><title>{} accuses {} ({n} claim(s))</title></line>",
            x1 + (x2 - x1) * 0.9,
            y1 + (y2 - y1) * 0.9,
            1.0 + (*n as f64).ln_1p(),
            esc(a),
            esc(b)
        );
    }
    for name in std::iter::once(center).chain(others.iter().copied()) {
        let (x, y) = pos(name);
        let class = if name == center { "node center" } else { "node" };
        let _ = write!(
            svg,
            "<a href=\"/actors/{}\"><circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"8\"/><text class=\"label\" x=\"{x:.1}\" y=\"{:.1}\">{}</text></a>",
            seg(name),
            y - 12.0,
            esc(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Every figure reported, over publication time: killed and injured, one point per
/// report (its source and speaker in the tooltip), the killed reports joined by a line.
pub fn tally_chart(figures: &Value) -> String {
    let list: Vec<(i64, f64, &str, String)> = figures
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| {
            let day = Date::parse_iso(f["published"].as_str()?)?.to_days();
            let title = format!(
                "{} {} {} ({}), {}{}",
                f["published"].as_str().unwrap_or(""),
                f["category"].as_str().unwrap_or(""),
                f["value"],
                f["qualifier"].as_str().unwrap_or(""),
                f["source"].as_str().unwrap_or("unknown source"),
                f["speaker"].as_str().map(|s| format!(", per {s}")).unwrap_or_default()
            );
            Some((day, f["value"].as_f64()?, f["category"].as_str()?, title))
        })
        .collect();
    if list.len() < 2 {
        return String::new();
    }
    let (d0, d1) = (list.iter().map(|f| f.0).min().unwrap_or(0), list.iter().map(|f| f.0).max().unwrap_or(0));
    let vmax = list.iter().map(|f| f.1).fold(1.0, f64::max);
    let (w, h, pad) = (600.0, 180.0, 30.0);
    let x = |d: i64| {
        pad + if d1 > d0 { (d - d0) as f64 / (d1 - d0) as f64 * (w - 2.0 * pad) } else { (w - 2.0 * pad) / 2.0 }
    };
    let y = |v: f64| h - pad + 10.0 - v / vmax * (h - pad - 10.0);
    let mut svg = format!(
        "<svg class=\"tally-chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Figures reported over time\">\
<line class=\"axis\" x1=\"{pad}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        h - pad + 10.0,
        w - pad,
        h - pad + 10.0
    );
    let killed: Vec<String> =
        list.iter().filter(|f| f.2 == "killed").map(|f| format!("{:.1},{:.1}", x(f.0), y(f.1))).collect();
    if killed.len() > 1 {
        let _ = write!(svg, "<polyline class=\"killed-line\" points=\"{}\"/>", killed.join(" "));
    }
    for (day, v, category, title) in &list {
        let _ = write!(
            svg,
            "<circle class=\"pt-{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}</title></circle>",
            if *category == "killed" { "killed" } else { "injured" },
            x(*day),
            y(*v),
            esc(title)
        );
    }
    let label = |d: i64| Date::from_days(d).to_string();
    let _ = write!(
        svg,
        "<text class=\"tick\" x=\"{pad}\" y=\"{h}\">{}</text><text class=\"tick end\" x=\"{}\" y=\"{h}\">{}</text>\
<text class=\"tick\" x=\"2\" y=\"{}\">{}</text><text class=\"legend-k\" x=\"{}\" y=\"14\">● killed</text><text class=\"legend-i\" x=\"{}\" y=\"28\">● injured</text></svg>",
        label(d0),
        w - pad,
        label(d1),
        y(vmax) + 4.0,
        vmax,
        w - 90.0,
        w - 90.0
    );
    svg
}
