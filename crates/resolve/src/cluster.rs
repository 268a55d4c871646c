//! Merging mentions into incidents: connected components of [`same_incident`], found
//! incrementally through a blocking index, with a brute-force reference.
//!
//! Blocking. [`same_incident`] holds only for mentions whose date windows overlap, whose
//! countries agree, and whose precise places lie within [`MAX_DISTANCE_KM`]. The index
//! therefore files each mention
//! * under its country and, when its place is precise, under a grid cell of one degree
//!   of latitude by one of longitude;
//! * within those, by the first day of its date window, in three width classes (a day,
//!   up to a month and a half, longer), so that a lookup reads only the windows that can
//!   overlap.
//!
//! A mention with a precise place is compared with the precise mentions of the nearby
//! cells of its country, and with the country's coarse mentions; a coarse mention with
//! every mention of its country; a mention without a country with every mention whose
//! window overlaps. Every pair for which [`same_incident`] can hold is compared, so the
//! result equals the brute-force one ([`brute_force`]), and a million mentions resolve
//! in time close to linear (the benchmark in BENCHMARKS.md).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::mention::{same_incident, Features, Mention, MAX_DISTANCE_KM};

/// Widths of the date-window classes: a window of width up to `WIDTHS[k]` days is filed in
/// class `k`; wider ones in the last class, which is scanned whole.
const WIDTHS: [i64; 2] = [2, 2 * crate::mention::REPORT_WINDOW_DAYS];

#[derive(Debug, Default)]
struct DateIndex {
    /// (first day, mention) per width class.
    classes: [BTreeSet<(i64, u32)>; 2],
    long: Vec<u32>,
}

impl DateIndex {
    fn insert(&mut self, f: &Features, id: u32) {
        let width = f.hi - f.lo;
        match WIDTHS.iter().position(|&w| width <= w) {
            Some(k) => {
                self.classes[k].insert((f.lo, id));
            }
            None => self.long.push(id),
        }
    }

    /// Mentions whose windows may overlap `[lo, hi]` (a superset: callers check).
    fn overlapping(&self, lo: i64, hi: i64, out: &mut Vec<u32>) {
        for (k, class) in self.classes.iter().enumerate() {
            let from = lo.saturating_sub(WIDTHS[k]);
            out.extend(class.range((from, 0)..=(hi, u32::MAX)).map(|&(_, id)| id));
        }
        out.extend_from_slice(&self.long);
    }
}

#[derive(Debug, Default)]
struct Index {
    /// Precise mentions by (country, latitude row, longitude column).
    cells: FxHashMap<(u32, i32, i32), DateIndex>,
    /// Every mention with a country (precise and coarse), by country.
    countries: FxHashMap<u32, DateIndex>,
    /// Coarse mentions by country: what a precise mention must see besides its cells.
    coarse: FxHashMap<u32, DateIndex>,
    /// Mentions without a country.
    nowhere: DateIndex,
    /// Every mention: what a mention without a country must see.
    all: DateIndex,
}

fn cell(p: (f64, f64)) -> (i32, i32) {
    (p.0.floor() as i32, p.1.floor() as i32)
}

/// Longitude columns either side that can hold a point within [`MAX_DISTANCE_KM`] of a
/// point at latitude `lat`.
fn lon_reach(lat: f64) -> i32 {
    // The shortest degree of longitude a nearby point can lie on, with a degree to spare.
    let lat = (lat.abs() + 2.0).min(90.0);
    let km_per_degree = 111.32 * lat.to_radians().cos();
    if km_per_degree * 180.0 < MAX_DISTANCE_KM {
        return 180;
    }
    ((MAX_DISTANCE_KM / km_per_degree).ceil() as i32 + 1).min(180)
}

impl Index {
    fn insert(&mut self, f: &Features, id: u32) {
        self.all.insert(f, id);
        match (f.country, f.point) {
            (None, _) => self.nowhere.insert(f, id),
            (Some(c), point) => {
                self.countries.entry(c).or_default().insert(f, id);
                match point {
                    Some(p) => {
                        let (r, col) = cell(p);
                        self.cells.entry((c, r, col)).or_default().insert(f, id);
                    }
                    None => self.coarse.entry(c).or_default().insert(f, id),
                }
            }
        }
    }

    fn candidates(&self, f: &Features, out: &mut Vec<u32>) {
        let (lo, hi) = (f.lo, f.hi);
        match (f.country, f.point) {
            (None, _) => self.all.overlapping(lo, hi, out),
            (Some(c), None) => {
                if let Some(ix) = self.countries.get(&c) {
                    ix.overlapping(lo, hi, out);
                }
                self.nowhere.overlapping(lo, hi, out);
            }
            (Some(c), Some(p)) => {
                let (r, col) = cell(p);
                let reach = lon_reach(p.0);
                for row in r - 1..=r + 1 {
                    for dc in -reach..=reach {
                        // Columns wrap at the antimeridian (-180..180 is 360 columns).
                        let column = (col + dc + 180).rem_euclid(360) - 180;
                        if let Some(ix) = self.cells.get(&(c, row, column)) {
                            ix.overlapping(lo, hi, out);
                        }
                    }
                }
                if let Some(ix) = self.coarse.get(&c) {
                    ix.overlapping(lo, hi, out);
                }
                self.nowhere.overlapping(lo, hi, out);
            }
        }
    }
}

/// Incremental resolution: add mentions one at a time; each is compared with the
/// mentions already there that blocking cannot rule out, and joined to every incident it
/// matches (merging incidents it bridges).
#[derive(Debug, Default)]
pub struct Resolver {
    features: Vec<Features>,
    keys: Vec<(Box<str>, u32)>,
    parent: Vec<u32>,
    index: Index,
    comparisons: u64,
    scratch: Vec<u32>,
}

impl Resolver {
    pub fn new() -> Resolver {
        Resolver::default()
    }

    /// Adds a mention, comparing it with those already added. Returns its number.
    pub fn add(&mut self, m: &Mention) -> usize {
        let id = self.push(m);
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        self.index.candidates(&self.features[id], &mut found);
        found.sort_unstable();
        found.dedup();
        for &other in &found {
            if other as usize == id {
                continue;
            }
            self.comparisons += 1;
            if same_incident(&self.features[id], &self.features[other as usize]) {
                self.union(id as u32, other);
            }
        }
        self.scratch = found;
        self.index.insert(&self.features[id].clone(), id as u32);
        id
    }

    /// Adds a mention resolved earlier without comparing it: it joins the mention
    /// `with` (one of the same incident, added before) or stands alone. Mentions added
    /// later are still compared with it.
    pub fn add_resolved(&mut self, m: &Mention, with: Option<usize>) -> usize {
        let id = self.push(m);
        if let Some(w) = with {
            self.union(id as u32, w as u32);
        }
        self.index.insert(&self.features[id].clone(), id as u32);
        id
    }

    fn push(&mut self, m: &Mention) -> usize {
        let id = self.features.len();
        self.features.push(Features::of(m));
        self.keys.push((m.doc.as_str().into(), m.n));
        self.parent.push(id as u32);
        id
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let up = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = up;
            x = up;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[join as usize] = keep;
        }
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Pairs compared so far (what blocking saves shows here).
    pub fn comparisons(&self) -> u64 {
        self.comparisons
    }

    /// The incidents: groups of mention numbers, see [`Groups`].
    pub fn groups(&mut self) -> Groups {
        let roots: Vec<u32> = (0..self.len() as u32).map(|i| self.find(i)).collect();
        Groups::from_roots(&roots, &self.keys)
    }
}

/// A partition of mentions into incidents, in a canonical form: each group's members in
/// key order, groups ordered by their first member's key, and each group's id made from
/// that key — so equal partitions compare equal however they were reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Stable id: see [`incident_id`].
    pub id: String,
    /// Mention numbers, in key order.
    pub members: Vec<usize>,
}

impl Groups {
    fn from_roots(roots: &[u32], keys: &[(Box<str>, u32)]) -> Groups {
        let mut by_root: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
        for (i, &r) in roots.iter().enumerate() {
            by_root.entry(r).or_default().push(i);
        }
        let key = |i: &usize| (&*keys[*i].0, keys[*i].1);
        let mut groups: Vec<Group> = by_root
            .into_values()
            .map(|mut members| {
                members.sort_by(|a, b| key(a).cmp(&key(b)));
                let (doc, n) = key(&members[0]);
                Group { id: incident_id(doc, n), members }
            })
            .collect();
        groups.sort_by(|a, b| key(&a.members[0]).cmp(&key(&b.members[0])));
        Groups { groups }
    }
}

/// An incident's id: made from the key of its first mention in key order (document
/// content id, then position), so it is the same whatever order documents arrived in.
/// When a later report joins two incidents, the merged one keeps the smaller id; the
/// store remembers the other as an alias.
pub fn incident_id(doc: &str, n: u32) -> String {
    let stem: String = doc.chars().filter(char::is_ascii_alphanumeric).take(32).collect();
    format!("inc-{stem}-{n}")
}

/// The reference: every pair compared, no blocking. Quadratic; for tests on small inputs.
pub fn brute_force(mentions: &[Mention]) -> Groups {
    let features: Vec<Features> = mentions.iter().map(Features::of).collect();
    let mut roots: Vec<u32> = (0..mentions.len() as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            x = p[x as usize];
        }
        x
    }
    for i in 0..mentions.len() {
        for j in 0..i {
            if same_incident(&features[i], &features[j]) {
                let (a, b) = (find(&mut roots, i as u32), find(&mut roots, j as u32));
                roots[a.max(b) as usize] = a.min(b);
            }
        }
    }
    let roots: Vec<u32> = (0..mentions.len() as u32).map(|i| find(&mut roots, i)).collect();
    let keys: Vec<(Box<str>, u32)> = mentions.iter().map(|m| (m.doc.as_str().into(), m.n)).collect();
    Groups::from_roots(&roots, &keys)
}
