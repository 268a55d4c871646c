//! One actor across the store: the incidents it is named responsible for, and what it
//! claimed, denied, was accused of and accused others of. Shared by `claimgraph actor`
//! and the HTTP API.

use claimgraph_store::{IncidentFilter, SqliteStore, StoreError, StoredClaim};
use serde_json::{json, Value};

use crate::record::load;
use crate::{actor_key, Canon, Grades};

/// The profile of the actor `asked` names (any alias), with its newest `limit` incidents
/// and at most `limit` claims of each kind; `None` when no incident or claim in the store
/// names it. `more_incidents` says that older incidents were left out: building each
/// incident's record is the expensive part, so a profile's work is bounded by `limit`,
/// not by how often the actor is named (an actor named in thousands of incidents took
/// seconds, and the web server shed its page under load).
pub fn profile(
    store: &SqliteStore,
    canon: &Canon,
    grades: &Grades,
    asked: &str,
    limit: usize,
) -> Result<Option<Value>, StoreError> {
    let name = canon.actor(asked);
    let key = actor_key(&name);
    let mut names = store.actor_names(&key)?;
    if !names.contains(&name) {
        names.insert(0, name.clone());
    }
    let list = store.incidents(&IncidentFilter {
        actor: Some(key.clone()),
        limit: Some(limit.saturating_add(1)),
        ..IncidentFilter::default()
    })?;
    let more_incidents = list.len() > limit;
    let mut incidents = Vec::new();
    for s in list.iter().take(limit) {
        let r = load(store, &s.id, canon, grades)?;
        if let Some(p) = r.perpetrators.iter().find(|p| canon.actor_key(&p.name) == key) {
            incidents.push(json!({
                "id": r.id, "kind": r.kind, "date": r.date, "place": r.place.as_ref().map(|p| &p.name),
                "status": p.status, "responsibility": p.responsibility, "accusations": p.accusations,
                "denials": p.denials, "n_sources": p.n_sources,
            }));
        }
    }
    let claims = store.actor_claims(&names, limit * 4)?;
    if incidents.is_empty() && claims.is_empty() {
        return Ok(None);
    }
    let speaks = |c: &StoredClaim| {
        c.speaker_entity.as_deref().or(c.speaker.as_deref()).is_some_and(|s| canon.actor_key(s) == key)
    };
    let targeted = |c: &StoredClaim| {
        serde_json::from_str::<Vec<String>>(&c.targets).unwrap_or_default().iter().any(|t| canon.actor_key(t) == key)
    };
    let pick = |f: &dyn Fn(&StoredClaim) -> bool| -> Vec<Value> {
        claims
            .iter()
            .filter(|c| f(c))
            .take(limit)
            .map(|c| {
                json!({
                    "id": format!("{}/{}", c.doc.id, c.local_id), "kind": c.kind,
                    "speaker": c.speaker_entity.as_ref().or(c.speaker.as_ref()), "cue": c.cue,
                    "targets": serde_json::from_str::<Value>(&c.targets).unwrap_or_default(),
                    "text": c.text, "document": c.doc.id, "source": c.doc.source, "published": c.doc.published,
                })
            })
            .collect()
    };
    Ok(Some(json!({
        "name": name, "key": key, "names": names, "incidents": incidents, "more_incidents": more_incidents,
        "claimed": pick(&|c| c.kind == "responsibility" && speaks(c)),
        "denied": pick(&|c| c.kind == "denial" && (speaks(c) || targeted(c))),
        "accused_of": pick(&|c| c.kind == "accusation" && targeted(c)),
        "accused_others": pick(&|c| c.kind == "accusation" && speaks(c)),
        "statements": pick(&|c| speaks(c) && !matches!(c.kind.as_str(), "responsibility" | "denial" | "accusation")),
    })))
}
