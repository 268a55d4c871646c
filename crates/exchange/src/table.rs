//! ACLED- and GTD-shaped CSV: the columns and codings conflict researchers know, one row
//! per incident. `docs/EXPORTS.md` documents every column.
//!
//! The reconciled figure rule, as ACLED states its own: the most conservative figure.
//! `fatalities` (ACLED) and `nkill` / `nwound` (GTD) are the lowest figure reported by a
//! source not graded unreliable. The highest and the latest are in extra columns. Where
//! no figure was reported the cell is empty, never 0: unknown is not none.
//!
//! Cells are data, never formulas: a text cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return gets a leading `'` (what spreadsheets show as text, OWASP's
//! advice against CSV injection), so that a name or a title taken from an article cannot
//! run in the spreadsheet of whoever opens the export. Numeric columns are left alone
//! (they hold only numbers claimgraph wrote, and a negative longitude must stay a number);
//! [`crate::import`] takes the `'` off again.

use std::collections::BTreeMap;
use std::io::Write;

use claimgraph_model::IncidentKind;
use claimgraph_resolve::record::{Party, Record};
use claimgraph_resolve::Canon;
use claimgraph_store::SqliteStore;
use sha2::{Digest, Sha256};

use crate::coding::{acled_time_precision, acled_type, gtd_type};
use crate::{Result, Sink};

pub const ACLED_COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "country",
    "iso2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "fatalities_high",
    "fatalities_latest",
    "tags",
    "timestamp",
    "claimgraph_id",
];

pub const GTD_COLUMNS: &[&str] = &[
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "country_txt",
    "iso2",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "summary",
    "suicide",
    "attacktype1_txt",
    "weaptype1_txt",
    "gname",
    "gname2",
    "claimed",
    "compclaim",
    "nkill",
    "nkill_high",
    "nwound",
    "nwound_high",
    "ishostkid",
    "dbsource",
    "scite1",
    "scite2",
    "scite3",
    "claimgraph_id",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Acled,
    Gtd,
}

pub struct Table<'a> {
    shape: Shape,
    canon: &'a Canon<'a>,
    countries: BTreeMap<String, String>,
    /// GTD event ids: incidents numbered per date prefix, in export order.
    per_prefix: BTreeMap<String, u32>,
}

impl std::fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table").field("shape", &self.shape).finish_non_exhaustive()
    }
}

/// Country names by ISO 3166-1 alpha-2 code, from the gazetteer.
pub fn country_names(canon: &Canon) -> BTreeMap<String, String> {
    canon.countries().into_iter().collect()
}

/// The columns that hold numbers only (everything else is text and is neutralised).
pub const NUMERIC_COLUMNS: &[&str] = &[
    // ACLED
    "year",
    "time_precision",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_high",
    "fatalities_latest",
    "timestamp",
    // GTD
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "specificity",
    "suicide",
    "claimed",
    "compclaim",
    "nkill",
    "nkill_high",
    "nwound",
    "nwound_high",
    "ishostkid",
];

/// The characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written: with a leading `'` when it would start a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn write_row(out: &mut dyn Write, fields: &[String], numeric: &[bool]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(&mut *out);
    let cells: Vec<std::borrow::Cow<str>> = fields
        .iter()
        .zip(numeric.iter().chain(std::iter::repeat(&false)))
        .map(|(cell, &is_number)| if is_number { cell.as_str().into() } else { neutralise(cell) })
        .collect();
    w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    w.flush()?;
    Ok(())
}

fn num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
        Some(x) => format!("{x}"),
        None => String::new(),
    }
}

/// The party a table's first actor column names: the one most reports hold
/// responsible (claimed or confirmed first, then accused or suspected).
fn leading(r: &Record) -> (Option<&Party>, Vec<&Party>) {
    let mut named: Vec<&Party> = r.perpetrators.iter().filter(|p| p.status != "denied").collect();
    named.sort_by_key(|p| {
        (
            std::cmp::Reverse(matches!(p.status, "claimed" | "confirmed") as u8),
            std::cmp::Reverse(p.responsibility + p.accusations),
        )
    });
    let first = named.first().copied();
    (first, named.into_iter().skip(1).collect())
}

fn board_notes(r: &Record) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(l) = &r.label {
        parts.push(l.clone());
    }
    for p in &r.perpetrators {
        parts.push(format!(
            "{}: {} ({} claim, {} accusation, {} denial report(s); {} source(s))",
            p.name, p.status, p.responsibility, p.accusations, p.denials, p.n_sources
        ));
    }
    parts.push(format!("{} document(s), {} independent source(s)", r.documents.len(), r.n_sources));
    parts.join("; ")
}

fn sources(r: &Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in &r.documents {
        if let Some(s) = d.source.as_deref().filter(|s| !s.trim().is_empty()) {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
    }
    out
}

impl<'a> Table<'a> {
    pub fn acled(canon: &'a Canon<'a>) -> Table<'a> {
        Table { shape: Shape::Acled, canon, countries: country_names(canon), per_prefix: BTreeMap::new() }
    }

    pub fn gtd(canon: &'a Canon<'a>) -> Table<'a> {
        Table { shape: Shape::Gtd, canon, countries: country_names(canon), per_prefix: BTreeMap::new() }
    }

    fn country(&self, r: &Record) -> (String, String) {
        let cc = r.place.as_ref().and_then(|p| p.country.clone()).unwrap_or_default();
        let name = self.countries.get(&cc).cloned().unwrap_or_default();
        (name, cc)
    }

    /// The incident's place, when it is a city or a site rather than a country or region.
    fn precise_place(&self, r: &Record) -> Option<String> {
        r.place.as_ref().filter(|p| !self.canon.coarse_place(&p.name)).map(|p| p.name.clone())
    }

    fn acled_row(&self, r: &Record) -> Vec<String> {
        let kind = IncidentKind::parse(&r.kind).unwrap_or(IncidentKind::Other);
        let (event_type, sub_event_type) = acled_type(kind);
        let (country, cc) = self.country(r);
        let (first, rest) = leading(r);
        let date = r.date.clone().unwrap_or_default();
        let digest = Sha256::digest(r.id.as_bytes());
        let number = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()) % 10_000_000_000;
        let geo_precision = match (&r.place, self.precise_place(r)) {
            (Some(p), Some(_)) if p.lat.is_some() => "1",
            (Some(_), _) => "3",
            (None, _) => "",
        };
        let latest_day = r.documents.iter().filter_map(|d| d.published.as_deref()).max();
        let timestamp = latest_day
            .and_then(claimgraph_model::Date::parse_iso)
            .map(|d| (d.to_days() * 86_400).to_string())
            .unwrap_or_default();
        let mut tags: Vec<&str> = r.contradictions.iter().map(|c| c.kind).collect();
        tags.dedup();
        // ACLED dates are days; a month or a year is given as its first day, with time
        // precision 3.
        let event_date = match date.len() {
            10 => date.clone(),
            7 => format!("{date}-01"),
            4 => format!("{date}-01-01"),
            _ => String::new(),
        };
        vec![
            format!("{}{number}", if cc.is_empty() { "XX" } else { &cc }),
            event_date,
            date.get(..4).unwrap_or("").to_string(),
            if date.is_empty() { String::new() } else { acled_time_precision(&date).to_string() },
            "Political violence".to_string(),
            event_type.to_string(),
            sub_event_type.to_string(),
            first.map(|p| p.name.clone()).unwrap_or_default(),
            rest.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
            String::new(),
            country,
            cc,
            String::new(),
            r.place.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            num(r.place.as_ref().and_then(|p| p.lat)),
            num(r.place.as_ref().and_then(|p| p.lon)),
            geo_precision.to_string(),
            sources(r).join("; "),
            board_notes(r),
            num(r.killed.as_ref().map(|t| t.low)),
            num(r.killed.as_ref().and_then(|t| t.high)),
            num(r.killed.as_ref().and_then(|t| t.latest)),
            tags.join("; "),
            timestamp,
            r.id.clone(),
        ]
    }

    fn gtd_row(&mut self, r: &Record) -> Vec<String> {
        let kind = IncidentKind::parse(&r.kind).unwrap_or(IncidentKind::Other);
        let (attack, weapon) = gtd_type(kind);
        let (country, cc) = self.country(r);
        let date = r.date.clone().unwrap_or_default();
        let part = |range: std::ops::Range<usize>| date.get(range).and_then(|s| s.parse::<u32>().ok());
        let (year, month, day) = (part(0..4), part(5..7).unwrap_or(0), part(8..10).unwrap_or(0));
        let prefix = format!("{:04}{month:02}{day:02}", year.unwrap_or(0));
        let n = self.per_prefix.entry(prefix.clone()).or_default();
        *n += 1;
        let eventid = format!("{prefix}{:04}", *n);
        let (first, rest) = leading(r);
        let claimed = r.perpetrators.iter().any(|p| p.responsibility > 0);
        let competing = r.contradictions.iter().any(|c| c.kind == "competing_responsibility");
        let specificity = match (&r.place, self.precise_place(r)) {
            (Some(p), Some(_)) if p.lat.is_some() => "1",
            (Some(_), _) => "4",
            (None, _) => "5",
        };
        let cites: Vec<String> = r
            .documents
            .iter()
            .take(3)
            .map(|d| {
                format!(
                    "{}, \"{}\", {}{}",
                    d.source.as_deref().unwrap_or("unknown source"),
                    d.title.as_deref().unwrap_or("untitled"),
                    d.published.as_deref().unwrap_or("undated"),
                    d.url.as_deref().map(|u| format!(", {u}")).unwrap_or_default()
                )
            })
            .collect();
        let cite = |i: usize| cites.get(i).cloned().unwrap_or_default();
        vec![
            eventid,
            year.map(|y| y.to_string()).unwrap_or_default(),
            month.to_string(),
            day.to_string(),
            if date.len() == 10 { String::new() } else { date.clone() },
            country.clone(),
            cc,
            // A province or region (not a city, not the country) goes in provstate.
            r.place
                .as_ref()
                .filter(|p| self.precise_place(r).is_none() && p.name != country)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            self.precise_place(r).unwrap_or_default(),
            num(r.place.as_ref().and_then(|p| p.lat)),
            num(r.place.as_ref().and_then(|p| p.lon)),
            specificity.to_string(),
            board_notes(r),
            u8::from(kind == IncidentKind::SuicideBombing).to_string(),
            attack.to_string(),
            weapon.to_string(),
            first.map(|p| p.name.clone()).unwrap_or_else(|| "Unknown".to_string()),
            rest.first().map(|p| p.name.clone()).unwrap_or_default(),
            u8::from(claimed).to_string(),
            if claimed { u8::from(competing).to_string() } else { String::new() },
            num(r.killed.as_ref().map(|t| t.low)),
            num(r.killed.as_ref().and_then(|t| t.high)),
            num(r.injured.as_ref().map(|t| t.low)),
            num(r.injured.as_ref().and_then(|t| t.high)),
            u8::from(matches!(kind, IncidentKind::HostageTaking | IncidentKind::Hijacking)).to_string(),
            "claimgraph".to_string(),
            cite(0),
            cite(1),
            cite(2),
            r.id.clone(),
        ]
    }
}

impl Sink for Table<'_> {
    fn begin(&mut self, out: &mut dyn Write) -> Result<()> {
        let header = match self.shape {
            Shape::Acled => ACLED_COLUMNS,
            Shape::Gtd => GTD_COLUMNS,
        };
        write_row(out, &header.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &[])
    }

    fn incident(&mut self, out: &mut dyn Write, r: &Record) -> Result<()> {
        let row = match self.shape {
            Shape::Acled => self.acled_row(r),
            Shape::Gtd => self.gtd_row(r),
        };
        let columns = match self.shape {
            Shape::Acled => ACLED_COLUMNS,
            Shape::Gtd => GTD_COLUMNS,
        };
        let numeric: Vec<bool> = columns.iter().map(|c| NUMERIC_COLUMNS.contains(c)).collect();
        write_row(out, &row, &numeric)
    }

    fn end(&mut self, _: &mut dyn Write, _: &SqliteStore) -> Result<()> {
        Ok(())
    }
}
