//! The resolver's promises: the incidents do not depend on the order mentions arrive
//! in, blocking loses no pair the rule would merge (the blocked result equals the
//! brute-force one), and ids stay the same.

use claimgraph_model::{Date, Geo, IncidentKind, TimeValue};
use claimgraph_resolve::{brute_force, Mention, Resolver};
use proptest::prelude::*;

/// A few places close together and far apart (two within 60 km, one across a border,
/// one near the antimeridian, one far north), so that random mentions often match.
const PLACES: &[(&str, &str, f64, f64, bool)] = &[
    ("Kabul", "AF", 34.53, 69.17, false),
    ("Bagram", "AF", 34.95, 69.26, false),
    ("Afghanistan", "AF", 33.9, 67.7, true),
    ("Peshawar", "PK", 34.01, 71.58, false),
    ("Suva", "FJ", -18.14, 178.44, false),
    ("Labasa", "FJ", -16.43, 179.38, false),
    ("Longyearbyen", "SJ", 78.22, 15.65, false),
    // Across cell boundaries from the places above: a row north of Kabul, and either
    // side of the antimeridian.
    ("Charikar", "AF", 35.01, 69.17, false),
    ("Taveuni", "FJ", -16.8, 179.97, false),
    ("Vuna", "FJ", -16.8, -179.9, false),
    ("Barentsburg", "SJ", 78.07, 14.21, false),
];
const KINDS: &[IncidentKind] =
    &[IncidentKind::Bombing, IncidentKind::ArmedAssault, IncidentKind::Airstrike, IncidentKind::SuicideBombing];
const ACTORS: &[&str] = &["Taliban", "IS-K", "Haqqani Network"];

fn mention() -> impl Strategy<Value = Mention> {
    (
        0usize..6,
        0u32..3,
        0usize..KINDS.len(),
        prop::option::weighted(0.8, (0i64..8, 0u8..3)),
        prop::option::of(0i64..30),
        prop::option::weighted(0.9, 0usize..PLACES.len()),
        prop::option::of(prop::sample::select(vec![3.0, 4.0, 40.0, 90.0])),
        prop::collection::vec(0usize..ACTORS.len(), 0..2),
        prop::option::of(prop::sample::select(vec!["Kabul bombing", "bombing in Kabul", "attack on a market"])),
        prop::collection::vec(prop::sample::select(vec!["Banky", "Kirkpatrick", "Gray"]), 0..2),
    )
        .prop_map(|(doc, n, kind, date, published, place, killed, actors, label, people)| {
            let base = Date::new(2024, 3, 1).unwrap();
            let date = date.map(|(offset, precision)| {
                let d = base.add_days(offset);
                match precision {
                    0 => TimeValue::Day(d),
                    1 => TimeValue::Month(d.year, d.month),
                    _ => TimeValue::Year(d.year),
                }
            });
            let (country, geo, coarse) = match place {
                Some(p) => {
                    let (_, cc, lat, lon, coarse) = PLACES[p];
                    (Some(cc.to_string()), Some(Geo { lat, lon }), coarse)
                }
                None => (None, None, true),
            };
            Mention {
                doc: format!("doc{doc}"),
                n,
                kind: KINDS[kind],
                date,
                published: published.map(|p| base.add_days(p)),
                country,
                geo,
                coarse,
                killed,
                actors: actors.into_iter().map(|a| ACTORS[a].to_string()).collect(),
                people: people.into_iter().map(str::to_string).collect(),
                label: label.map(str::to_string),
                place: place.map(|p| PLACES[p].0.to_string()),
                reference: false,
            }
        })
}

/// Mentions with distinct keys (document, position).
fn mentions() -> impl Strategy<Value = Vec<Mention>> {
    prop::collection::vec(mention(), 1..40).prop_map(|mut v| {
        v.sort_by(|a, b| (&a.doc, a.n).cmp(&(&b.doc, b.n)));
        v.dedup_by(|a, b| a.doc == b.doc && a.n == b.n);
        v
    })
}

fn resolve(ms: &[Mention]) -> claimgraph_resolve::Groups {
    let mut r = Resolver::new();
    for m in ms {
        r.add(m);
    }
    r.groups()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn blocked_equals_brute_force_in_any_order(ms in mentions(), seed in any::<u64>()) {
        let reference = brute_force(&ms);
        // The same mentions in a shuffled order, numbered by their new position.
        let mut order: Vec<usize> = (0..ms.len()).collect();
        let mut x = seed | 1;
        for i in (1..order.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let shuffled: Vec<Mention> = order.iter().map(|&i| ms[i].clone()).collect();
        let got = resolve(&shuffled);
        // Compare as sets of keys with ids: positions differ between the two orders.
        let as_keys = |g: &claimgraph_resolve::Groups, list: &[Mention]| -> Vec<(String, Vec<(String, u32)>)> {
            g.groups.iter().map(|g| (g.id.clone(), g.members.iter().map(|&m| (list[m].doc.clone(), list[m].n)).collect())).collect()
        };
        prop_assert_eq!(as_keys(&got, &shuffled), as_keys(&reference, &ms));
    }

    #[test]
    fn resolving_in_two_runs_equals_one(ms in mentions(), split in 0usize..40) {
        // An earlier run resolved the first part; a later one adds the rest, as ingest does.
        let split = split.min(ms.len());
        let first = resolve(&ms[..split]);
        let mut r = Resolver::new();
        let mut first_of = std::collections::HashMap::new();
        for g in &first.groups {
            for &m in &g.members {
                let with = first_of.get(&g.id).copied();
                let id = r.add_resolved(&ms[m], with);
                first_of.entry(g.id.clone()).or_insert(id);
            }
        }
        let mut order: Vec<usize> = first.groups.iter().flat_map(|g| g.members.clone()).collect();
        for (i, m) in ms.iter().enumerate().skip(split) {
            r.add(m);
            order.push(i);
        }
        let got = r.groups();
        let as_keys = |g: &claimgraph_resolve::Groups, pos: &dyn Fn(usize) -> usize| -> Vec<(String, Vec<(String, u32)>)> {
            g.groups.iter().map(|g| (g.id.clone(), g.members.iter().map(|&m| (ms[pos(m)].doc.clone(), ms[pos(m)].n)).collect())).collect()
        };
        prop_assert_eq!(as_keys(&got, &|m| order[m]), as_keys(&brute_force(&ms), &|m| m));
    }
}

fn at(doc: &str, place: usize, day: i64, kind: IncidentKind) -> Mention {
    let (_, cc, lat, lon, coarse) = PLACES[place];
    let d = Date::new(2024, 3, 1).unwrap().add_days(day);
    Mention {
        doc: doc.to_string(),
        n: 0,
        kind,
        date: Some(TimeValue::Day(d)),
        published: Some(d),
        country: Some(cc.to_string()),
        geo: Some(Geo { lat, lon }),
        coarse,
        killed: None,
        actors: Vec::new(),
        people: Vec::new(),
        label: None,
        place: Some(PLACES[place].0.to_string()),
        reference: false,
    }
}

#[test]
fn same_place_same_day_merges_and_other_days_stay_apart() {
    let ms = vec![
        at("a", 0, 0, IncidentKind::Bombing),
        at("b", 1, 0, IncidentKind::SuicideBombing), // Bagram: 47 km from Kabul, same day
        at("c", 0, 5, IncidentKind::Bombing),        // Kabul five days later: another attack
        at("d", 3, 0, IncidentKind::Bombing),        // Peshawar the same day: another country
    ];
    let g = brute_force(&ms);
    let sizes: Vec<usize> = g.groups.iter().map(|g| g.members.len()).collect();
    assert_eq!(sizes, vec![2, 1, 1], "{g:?}");
    assert_eq!(g.groups[0].id, "inc-a-0");
}

#[test]
fn a_bomb_and_an_airstrike_are_not_one_incident() {
    let g = brute_force(&[at("a", 0, 0, IncidentKind::Bombing), at("b", 0, 0, IncidentKind::Airstrike)]);
    assert_eq!(g.groups.len(), 2);
}

#[test]
fn a_year_only_report_joins_with_an_actor_but_not_without() {
    // A generic "attack" in Bagram that year, and a bombing in Kabul, 47 km away.
    let mut later = at("b", 1, 0, IncidentKind::ArmedAssault);
    later.date = Some(TimeValue::Year(2024));
    let first = at("a", 0, 2, IncidentKind::Bombing);
    assert_eq!(brute_force(&[first.clone(), later.clone()]).groups.len(), 2);
    let (mut first, mut later) = (first, later);
    first.actors = vec!["Islamic State-Khorasan".into()];
    later.actors = vec!["islamic state khorasan".into()];
    assert_eq!(brute_force(&[first, later]).groups.len(), 1);
}

#[test]
fn two_incidents_of_one_document_stay_two() {
    let a = at("a", 0, 0, IncidentKind::Bombing);
    let mut b = at("a", 0, 0, IncidentKind::Bombing);
    b.n = 1;
    assert_eq!(brute_force(&[a.clone(), b]).groups.len(), 2);
    assert_eq!(brute_force(&[a, at("b", 0, 0, IncidentKind::Bombing)]).groups.len(), 1);
}

#[test]
fn the_random_mentions_do_merge() {
    // Guards the properties above against passing vacuously.
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut merged = 0;
    for _ in 0..100 {
        let ms = mentions().new_tree(&mut runner).unwrap().current();
        let g = brute_force(&ms);
        merged += usize::from(g.groups.len() < ms.len());
    }
    assert!(merged > 50, "only {merged} of 100 cases merged anything");
}
