//! One incident as one document reports it, and the features the resolver compares.

use claimgraph_model::{Date, Geo, IncidentKind, TimeValue};
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// An incident as one document reports it: what the resolver merges.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The document's content id: with `n`, the mention's key, stable across stores.
    pub doc: String,
    /// The incident's position in its document.
    pub n: u32,
    pub kind: IncidentKind,
    /// When it happened, at the precision the text gave.
    pub date: Option<TimeValue>,
    /// When the document was published.
    pub published: Option<Date>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub geo: Option<Geo>,
    /// The place is a country, region or province, not a city or a site.
    pub coarse: bool,
    pub killed: Option<f64>,
    /// Parties named responsible, by canonical name.
    pub actors: Vec<String>,
    /// Surnames of the people the document names (victims, suspects, witnesses) that the
    /// tables do not know as public figures: reports of one incident name the same people.
    pub people: Vec<String>,
    pub label: Option<String>,
    /// The place's name, as reported (its words in the label are not counted twice).
    pub place: Option<String>,
    /// A curated record (imported from ACLED or GTD), not a news report: two of them are
    /// never one incident, as a curated dataset keeps one record per incident.
    pub reference: bool,
}

/// How long after an incident it is still reported as news: an undated mention is taken
/// to be about an incident in the `REPORT_WINDOW_DAYS` before its publication.
pub const REPORT_WINDOW_DAYS: i64 = 45;

/// Incidents that may be one another's: kinds that reports confuse fall in one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// A generic attack (armed assault) or an unknown kind: compatible with every kind.
    Any,
    /// People attacked at close range: massacre, hostage taking, hijacking, assassination.
    Assault,
    Blast,
    Strike,
    Arson,
}

impl Family {
    fn of(kind: IncidentKind) -> Family {
        use IncidentKind::*;
        match kind {
            ArmedAssault | Other => Family::Any,
            Massacre | HostageTaking | Hijacking | Assassination => Family::Assault,
            Bombing | SuicideBombing => Family::Blast,
            Airstrike | MissileStrike | DroneStrike | Shelling => Family::Strike,
            Arson => Family::Arson,
        }
    }

    pub(crate) fn compatible(self, other: Family) -> bool {
        self == other || self == Family::Any || other == Family::Any
    }
}

/// A mention reduced to what comparisons need.
#[derive(Debug, Clone)]
pub(crate) struct Features {
    /// Days (from the civil epoch) between which it may have happened, inclusive.
    pub lo: i64,
    pub hi: i64,
    /// The day the text gave, if it gave one.
    pub day: Option<i64>,
    /// The month (year * 12 + month) and year the text gave, at month precision or finer.
    pub month: Option<i64>,
    pub year: Option<i32>,
    /// The day the report was published, when the text gave no date at all.
    pub undated_published: Option<i64>,
    pub country: Option<u32>,
    /// Latitude and longitude of a precise place (a city or a site).
    pub point: Option<(f64, f64)>,
    pub family: Family,
    pub killed: Option<f64>,
    /// Hashed actor keys, sorted.
    pub actors: Vec<u64>,
    /// Hashed content words of the label, sorted.
    pub label: Vec<u64>,
    /// Hashed surnames, sorted.
    pub people: Vec<u64>,
    /// Hashed place name, lower case.
    pub place: Option<u64>,
    /// Hashed document id.
    pub doc: u64,
    pub reference: bool,
}

pub(crate) const UNBOUNDED: (i64, i64) = (i64::MIN / 4, i64::MAX / 4);

impl Features {
    pub(crate) fn of(m: &Mention) -> Features {
        let (lo, hi, day) = match (&m.date, m.published) {
            (Some(TimeValue::Day(d)), _) => {
                let d = d.to_days();
                // One day either side: reports written in other time zones, or counting
                // from a night attack's start or end.
                (d - 1, d + 1, Some(d))
            }
            (Some(v), _) => (v.first_day().to_days(), v.last_day().to_days(), None),
            (None, Some(p)) => (p.to_days() - REPORT_WINDOW_DAYS, p.to_days(), None),
            (None, None) => (UNBOUNDED.0, UNBOUNDED.1, None),
        };
        let point = match (m.geo, m.coarse) {
            (Some(g), false) if g.lat.is_finite() && g.lon.is_finite() => Some((g.lat, g.lon)),
            _ => None,
        };
        let mut actors: Vec<u64> = m.actors.iter().map(|a| hash_str(&actor_key(a))).collect();
        actors.sort_unstable();
        actors.dedup();
        let mut label: Vec<u64> = m.label.as_deref().map(label_words).unwrap_or_default();
        let place_words = m.place.as_deref().map(label_words).unwrap_or_default();
        label.retain(|w| !place_words.contains(w));
        label.sort_unstable();
        label.dedup();
        let mut people: Vec<u64> = m.people.iter().map(|p| hash_str(&p.to_lowercase())).collect();
        people.sort_unstable();
        people.dedup();
        Features {
            lo,
            hi,
            day,
            month: match &m.date {
                Some(TimeValue::Day(d)) => Some(i64::from(d.year) * 12 + i64::from(d.month)),
                Some(TimeValue::Month(y, mo)) => Some(i64::from(*y) * 12 + i64::from(*mo)),
                _ => None,
            },
            year: match &m.date {
                Some(TimeValue::Day(d)) => Some(d.year),
                Some(TimeValue::Month(y, _) | TimeValue::Year(y)) => Some(*y),
                _ => None,
            },
            undated_published: if m.date.is_none() { m.published.map(|p| p.to_days()) } else { None },
            country: m.country.as_deref().map(country_code),
            point,
            family: Family::of(m.kind),
            killed: m.killed.filter(|k| k.is_finite()),
            actors,
            label,
            people,
            place: m.place.as_deref().map(|p| hash_str(&p.trim().to_lowercase())),
            doc: hash_str(&m.doc),
            reference: m.reference,
        }
    }
}

/// The key actor names are compared by: lower case, letters and digits only, without a
/// leading "the" ("The Taliban", "taliban" and "Taliban." are one actor).
pub fn actor_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    lower.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn country_code(cc: &str) -> u32 {
    let mut code = 0u32;
    for b in cc.bytes().take(4) {
        code = code << 8 | u32::from(b.to_ascii_uppercase());
    }
    code
}

pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// Words a label shares with another label of the same incident: not function words, and
/// not the incident words that every label has.
fn label_words(label: &str) -> Vec<u64> {
    // Function words, and the words for the act itself (kinds are compared already).
    const SKIP: &[&str] = &[
        "a",
        "an",
        "the",
        "in",
        "of",
        "on",
        "at",
        "near",
        "by",
        "and",
        "to",
        "for",
        "attack",
        "attacks",
        "attacked",
        "attacker",
        "attackers",
        "killing",
        "killings",
        "bomb",
        "bombs",
        "bombing",
        "bombings",
        "bomber",
        "bombers",
        "bombed",
        "blast",
        "blasts",
        "explosion",
        "explosions",
        "exploded",
        "shooting",
        "shootings",
        "gunman",
        "gunmen",
        "opened",
        "fire",
        "strike",
        "strikes",
        "airstrike",
        "airstrikes",
        "missile",
        "missiles",
        "torched",
        "arson",
        "assault",
        "siege",
        "hostage",
        "hostages",
        "massacre",
        "murder",
        "murdered",
        "shot",
        "down",
        "armed",
        "suicide",
        "drone",
        "taking",
        "hijacking",
        "assassination",
        "shelling",
        "other",
    ];
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !SKIP.contains(&w.as_str()))
        .map(|w| hash_str(&w))
        .collect()
}

/// Great-circle distance in kilometres.
pub(crate) fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dp = (b.0 - a.0).to_radians();
    let dl = (b.1 - a.1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.min(1.0).sqrt().asin()
}

fn shares(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Places further apart than this are different incidents (the sites of one coordinated
/// attack in a city lie closer).
pub const MAX_DISTANCE_KM: f64 = 60.0;

/// How long after an incident an undated report of it counts as fresh news of it.
const FRESH_DAYS: i64 = 7;

/// Evidence needed to call two compatible mentions one incident (see [`same_incident`]).
const THRESHOLD: f32 = 3.0;

/// Whether two mentions report one incident. Symmetric, so that the incidents (the
/// connected components of this relation) do not depend on the order mentions arrive in.
///
/// Hard conditions: different documents (and not two curated records), compatible kinds, overlapping date windows, the
/// same country, and precise places within [`MAX_DISTANCE_KM`]. Then the evidence must
/// reach [`THRESHOLD`]. Points are given for:
/// - place: the same country (0.5), plus a city or site within range (1.5) and under the
///   same name (0.5), or the same place name where coordinates are unknown (1.5);
/// - date: the same day (2), a day apart (1.5), the same month (1) or year (0.5) when one
///   gives no day, or an undated report published within a week after the other's day (1);
/// - who: a shared actor (1.5); people named in both documents (1.5 for one, 2.5 for more);
/// - what: kinds of one specific family (0.5); the same death toll (0.75), or tolls too
///   far apart to be one count growing (-1.5); label words in common (0.5, or 1 when they
///   share most of them).
///
/// The same city on the same day is enough, and so is the same named city with kinds of
/// one family. So is a shared party in the same country on the same day. Tuned on ECB+,
/// the generated corpus and the demo (BENCHMARKS.md).
pub(crate) fn same_incident(a: &Features, b: &Features) -> bool {
    evidence(a, b).is_some_and(|score| score >= THRESHOLD)
}

/// The evidence that two mentions report one incident (see [`same_incident`]), or
/// `None` when a hard condition rules it out.
pub fn explain(a: &Mention, b: &Mention) -> Option<f32> {
    evidence(&Features::of(a), &Features::of(b))
}

fn evidence(a: &Features, b: &Features) -> Option<f32> {
    // Two incidents of one document are two: extraction already kept them apart.
    if a.doc == b.doc || a.reference && b.reference || !a.family.compatible(b.family) || a.lo > b.hi || b.lo > a.hi {
        return None;
    }
    let mut score = 0.0f32;
    match (a.country, b.country) {
        (Some(x), Some(y)) if x != y => return None,
        (Some(_), Some(_)) => score += 0.5,
        _ => {}
    }
    if let (Some(p), Some(q)) = (a.point, b.point) {
        if distance_km(p, q) > MAX_DISTANCE_KM {
            return None;
        }
        score += 1.5;
        // Reported under the same name, not just nearby.
        if a.place.is_some() && a.place == b.place {
            score += 0.5;
        }
    } else if a.place.is_some() && a.place == b.place {
        // The same place by name, where the tables give no coordinates (a church, a
        // plant, a street).
        score += 1.5;
    }
    if let (Some(x), Some(y)) = (a.day, b.day) {
        score += if x == y { 2.0 } else { 1.5 };
    } else if a.month.is_some() && a.month == b.month {
        score += 1.0;
    } else if a.year.is_some() && a.year == b.year {
        score += 0.5;
    }
    // An undated report published within a week after the other's day: news of it.
    let fresh = |x: &Features, y: &Features| match (x.day, y.undated_published) {
        (Some(d), Some(p)) => (0..=FRESH_DAYS).contains(&(p - d)),
        _ => false,
    };
    if fresh(a, b) || fresh(b, a) {
        score += 1.0;
    }
    if a.family == b.family && a.family != Family::Any {
        score += 0.5;
    }
    if shares(&a.actors, &b.actors) > 0 {
        score += 1.5;
    }
    score += match shares(&a.people, &b.people) {
        0 => 0.0,
        1 => 1.5,
        _ => 2.5,
    };
    if let (Some(x), Some(y)) = (a.killed, b.killed) {
        let (low, high) = if x <= y { (x, y) } else { (y, x) };
        if low == high && low > 0.0 {
            score += 0.75;
        } else if low >= 1.0 && high > 10.0 * low && high - low >= 20.0 {
            score -= 1.5;
        }
    }
    let common = shares(&a.label, &b.label);
    if common > 0 {
        let most = common * 2 >= a.label.len().max(b.label.len());
        score += if most { 1.0 } else { 0.5 };
    }
    Some(score)
}
