//! Curated datasets in: ACLED- or GTD-shaped CSV rows become *reference incidents*, each
//! stored as a small document of its own (URL `reference:acled/<event id>` or
//! `reference:gtd/<event id>`, source "ACLED" or "GTD") whose one incident carries the
//! row's kind, date, place, fatalities and actors. The resolver then links news reports
//! to them like to any other report, and incident records list them under
//! `references`.
//!
//! A file of the wrong shape (its header lacks the columns its format requires) is refused
//! whole, before any row is stored. A malformed row is reported with its line number and
//! skipped, and the other rows are imported. Malformed means: a field count that differs
//! from the header's, a field that runs over several lines where the format has none (the
//! sign of an unterminated quote, which would otherwise swallow the rows after it), a row
//! with no kind (event type, attack type), a bad date, coordinates out of range, or a figure
//! that is not a whole number from 0 to [`MAX_FIGURE`]. A row already imported (the same
//! bytes) is skipped as a duplicate.
//!
//! An import can be taken back: [`remove`] deletes the reference documents a file's rows
//! became, [`remove_all`] every reference document of a dataset. The caller then resolves
//! the store again, so that incidents no longer link to them.

use std::io::Read;

use claimgraph_extract::document::content_id;
use claimgraph_model::{
    Analysis, Category, Date, Document, Figure, Geo, Incident, IncidentKind, Perpetrator, PerpetratorStatus, Place,
    Qualifier, Quantity, Sentence, Span, TimeValue,
};
use claimgraph_resolve::Canon;
use claimgraph_store::{NewDocument, SqliteStore, Store, WriteOutcome};

use crate::coding::{kind_of_acled, kind_of_gtd};
use crate::table::FORMULA_STARTS;
use crate::{ExchangeError, Result};

/// The largest figure (killed, injured) a row may give: larger is a typing or unit error.
pub const MAX_FIGURE: f64 = 10_000_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Acled,
    Gtd,
}

impl Dataset {
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Acled => "ACLED",
            Dataset::Gtd => "GTD",
        }
    }

    /// The `--format` that names it.
    pub fn format(self) -> &'static str {
        match self {
            Dataset::Acled => "csv-acled",
            Dataset::Gtd => "csv-gtd",
        }
    }

    /// The columns a file of this shape must have (each group: one of these).
    fn required_columns(self) -> &'static [&'static [&'static str]] {
        match self {
            Dataset::Acled => &[&["event_date"], &["event_type", "sub_event_type"], &["country"]],
            Dataset::Gtd => &[&["iyear"], &["imonth"], &["iday"], &["country_txt"], &["attacktype1_txt"]],
        }
    }

    /// The columns whose text may run over several lines (free text).
    fn multiline_columns(self) -> &'static [&'static str] {
        match self {
            Dataset::Acled => &["notes", "source"],
            Dataset::Gtd => &["summary", "scite1", "scite2", "scite3"],
        }
    }

    /// The URL prefix of the reference documents it becomes.
    pub fn url_prefix(self) -> String {
        format!("reference:{}/", self.name().to_lowercase())
    }

    fn other(self) -> Dataset {
        match self {
            Dataset::Acled => Dataset::Gtd,
            Dataset::Gtd => Dataset::Acled,
        }
    }
}

fn has_column(headers: &csv::StringRecord, name: &str) -> bool {
    headers.iter().any(|h| h.trim().eq_ignore_ascii_case(name))
}

/// The required column groups a header lacks.
fn missing_columns(dataset: Dataset, headers: &csv::StringRecord) -> Vec<String> {
    dataset
        .required_columns()
        .iter()
        .filter(|group| !group.iter().any(|c| has_column(headers, c)))
        .map(|group| group.join(" or "))
        .collect()
}

/// Refuses a header that is not of `dataset`'s shape, saying what it lacks.
fn check_header(dataset: Dataset, headers: &csv::StringRecord) -> Result<()> {
    let missing = missing_columns(dataset, headers);
    if missing.is_empty() {
        return Ok(());
    }
    let other = dataset.other();
    let hint = if missing_columns(other, headers).is_empty() {
        format!("its columns are {}'s: import it with --format {}", other.name(), other.format())
    } else {
        format!("the first line must be a header row naming {}'s columns (docs/EXPORTS.md)", dataset.name())
    };
    let found: Vec<&str> = headers.iter().take(8).collect();
    Err(ExchangeError::WrongShape(format!(
        "not a {}-shaped CSV: the header (line 1: {}{}) lacks the column{} {}; {hint}",
        dataset.name(),
        found.join(","),
        if headers.len() > found.len() { ",…" } else { "" },
        if missing.len() == 1 { "" } else { "s" },
        missing.join(", "),
    )))
}

/// Refuses a record whose fields run over several lines where the format has none, or
/// whose free text holds what looks like whole rows: an unterminated quote swallowed the
/// lines after it.
fn check_lines(dataset: Dataset, headers: &csv::StringRecord, record: &csv::StringRecord) -> Result<(), String> {
    for (i, value) in record.iter().enumerate() {
        if !value.contains(['\n', '\r']) {
            continue;
        }
        let name = headers.get(i).unwrap_or("").trim();
        let free_text = dataset.multiline_columns().iter().any(|c| c.eq_ignore_ascii_case(name));
        let looks_like_rows = value.lines().skip(1).any(|l| l.matches(',').count() + 2 >= headers.len());
        if !free_text || looks_like_rows {
            let n_lines = value.lines().count().max(2);
            return Err(format!(
                "the field {name:?} runs over {n_lines} lines (an unterminated quote?), so the rows on them \
                 were not read: close the quote and import again"
            ));
        }
    }
    Ok(())
}

/// What a file's rows were stored as (by their raw bytes): the hash that de-duplicates
/// them, and that [`remove`] finds them by.
fn raw_hash(dataset: Dataset, record: &csv::StringRecord) -> String {
    content_id(&format!("{}:{}", dataset.name(), record.iter().collect::<Vec<_>>().join("\u{1f}")))
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub imported: usize,
    pub duplicates: usize,
    /// (line number, reason) of every row skipped.
    pub skipped: Vec<(u64, String)>,
}

/// One row, read into claimgraph's terms.
#[derive(Debug)]
struct Row {
    event_id: String,
    kind: IncidentKind,
    type_text: String,
    date: Option<TimeValue>,
    place: Option<Place>,
    killed: Option<f64>,
    injured: Option<f64>,
    actors: Vec<(String, PerpetratorStatus)>,
    notes: String,
}

/// A cell's value: trimmed, empty as `None`, and without the `'` an export puts before
/// text that would start a formula (see [`crate::table`]).
fn field<'r>(headers: &csv::StringRecord, row: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
    let i = headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name))?;
    let v = row.get(i).map(str::trim).filter(|v| !v.is_empty())?;
    Some(match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => v,
    })
}

/// A count of people: a whole number from 0 to [`MAX_FIGURE`] ("1,204" and "12.0" too).
fn number(v: Option<&str>, what: &str) -> Result<Option<f64>, String> {
    let Some(s) = v else { return Ok(None) };
    let digits = s.replace(',', "");
    let digits = digits.strip_suffix(".0").unwrap_or(&digits);
    match digits.parse::<u64>() {
        Ok(n) if n as f64 <= MAX_FIGURE => Ok(Some(n as f64)),
        Ok(_) => Err(format!("{what} {s:?} is over {MAX_FIGURE} (the most a row may give)")),
        Err(_) => Err(format!("{what} {s:?} is not a whole number from 0 to {MAX_FIGURE}")),
    }
}

/// "2024-01-03", or ACLED's older "03 January 2024".
fn acled_date(s: &str) -> Option<Date> {
    if let Some(d) = Date::parse_iso(s) {
        return Some(d);
    }
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [day, month, year] = parts[..] else { return None };
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u8 + 1;
    Date::new(year.parse().ok()?, month, day.parse().ok()?)
}

fn place(
    canon: &Canon,
    name: Option<&str>,
    country: Option<&str>,
    iso2: Option<&str>,
    lat: Option<f64>,
    lon: Option<f64>,
) -> Result<Option<Place>, String> {
    if let (Some(la), Some(lo)) = (lat, lon) {
        if !(-90.0..=90.0).contains(&la) || !(-180.0..=180.0).contains(&lo) {
            return Err(format!("coordinates {la}, {lo} are out of range"));
        }
    }
    let cc = iso2.map(|c| c.to_uppercase()).or_else(|| country.and_then(|c| canon.place(c)).map(|p| p.0));
    let name = name.or(country);
    Ok(name.map(|n| Place { name: n.to_string(), country: cc, geo: lat.zip(lon).map(|(lat, lon)| Geo { lat, lon }) }))
}

fn actors(list: &[Option<&str>], status: PerpetratorStatus) -> Vec<(String, PerpetratorStatus)> {
    list.iter()
        .flatten()
        .flat_map(|s| s.split(';'))
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("unknown"))
        .map(|s| (s.to_string(), status))
        .collect()
}

fn acled_row(canon: &Canon, h: &csv::StringRecord, r: &csv::StringRecord, line: u64) -> Result<Row, String> {
    let f = |name: &str| field(h, r, name);
    // A day, or with time_precision 3 the month it falls in; no date at all is an
    // undated incident (claimgraph exports those with an empty event_date).
    let date = match f("event_date") {
        None => None,
        Some(text) => {
            let day = acled_date(text).ok_or_else(|| format!("event_date {text:?} is not a date"))?;
            Some(match f("time_precision") {
                Some("3") => TimeValue::Month(day.year, day.month),
                _ => TimeValue::Day(day),
            })
        }
    };
    let sub = f("sub_event_type").or(f("event_type")).ok_or("no event_type or sub_event_type")?;
    let parse_coord = |name: &str| -> Result<Option<f64>, String> {
        f(name).map(|s| s.parse::<f64>().map_err(|_| format!("{name} {s:?} is not a number"))).transpose()
    };
    Ok(Row {
        event_id: f("event_id_cnty").map(str::to_string).unwrap_or_else(|| format!("line-{line}")),
        kind: kind_of_acled(sub),
        type_text: format!("{} ({sub})", f("event_type").unwrap_or("event")),
        date,
        place: place(
            canon,
            f("location"),
            f("country"),
            f("iso2"),
            parse_coord("latitude")?,
            parse_coord("longitude")?,
        )?,
        killed: number(f("fatalities"), "fatalities")?,
        injured: None,
        actors: actors(&[f("actor1"), f("assoc_actor_1")], PerpetratorStatus::Confirmed),
        notes: f("notes").unwrap_or("").to_string(),
    })
}

fn gtd_row(canon: &Canon, h: &csv::StringRecord, r: &csv::StringRecord, line: u64) -> Result<Row, String> {
    let f = |name: &str| field(h, r, name);
    let int = |name: &str| -> Result<Option<i32>, String> {
        f(name).map(|s| s.parse::<i32>().map_err(|_| format!("{name} {s:?} is not a whole number"))).transpose()
    };
    let month = int("imonth")?.unwrap_or(0);
    let day = int("iday")?.unwrap_or(0);
    // No year: an undated incident (claimgraph exports those with an empty iyear).
    let date = int("iyear")?
        .map(|year| -> Result<TimeValue, String> {
            Ok(match (month, day) {
                (1..=12, 1..=31) => TimeValue::Day(
                    Date::new(year, month as u8, day as u8)
                        .ok_or_else(|| format!("{year}-{month}-{day} is not a date"))?,
                ),
                (1..=12, 0) => TimeValue::Month(year, month as u8),
                (0, _) => TimeValue::Year(year),
                _ => return Err(format!("imonth {month} / iday {day} are out of range")),
            })
        })
        .transpose()?;
    let attack = f("attacktype1_txt").ok_or("no attacktype1_txt")?;
    let suicide = f("suicide") == Some("1");
    let parse_coord = |name: &str| -> Result<Option<f64>, String> {
        f(name).map(|s| s.parse::<f64>().map_err(|_| format!("{name} {s:?} is not a number"))).transpose()
    };
    let claimed = f("claimed") == Some("1");
    let mut list =
        actors(&[f("gname")], if claimed { PerpetratorStatus::Claimed } else { PerpetratorStatus::Confirmed });
    list.extend(actors(&[f("gname2")], PerpetratorStatus::Confirmed));
    Ok(Row {
        event_id: f("eventid").map(str::to_string).unwrap_or_else(|| format!("line-{line}")),
        kind: kind_of_gtd(attack, suicide),
        type_text: attack.to_string(),
        date,
        place: place(
            canon,
            f("city").or(f("provstate")),
            f("country_txt"),
            f("iso2"),
            parse_coord("latitude")?,
            parse_coord("longitude")?,
        )?,
        killed: number(f("nkill"), "nkill")?,
        injured: number(f("nwound"), "nwound")?,
        actors: list,
        notes: f("summary").unwrap_or("").to_string(),
    })
}

/// The row as a document: a short text that states it (so every item has characters to
/// point at), and its one incident.
fn analysis(dataset: Dataset, row: Row) -> Analysis {
    let place_text = row.place.as_ref().map_or("an unknown place".to_string(), |p| p.name.clone());
    let when = row.date.as_ref().map_or("an unknown date".to_string(), ToString::to_string);
    let mut text =
        format!("{} record {}: {} in {} on {when}.", dataset.name(), row.event_id, row.type_text, place_text);
    let lede_end = text.len();
    let figure = |text: &mut String, what: &str, v: Option<f64>| {
        v.map(|v| {
            text.push_str(&format!(" {what}: "));
            let start = text.len();
            text.push_str(&if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") });
            Figure { value: v, upper: None, qualifier: Qualifier::Exact, span: Span::new(start, text.len()) }
        })
    };
    let killed = figure(&mut text, "Killed", row.killed);
    let injured = figure(&mut text, "Injured", row.injured);
    if !row.actors.is_empty() {
        text.push_str(" Actors: ");
        text.push_str(&row.actors.iter().map(|a| a.0.as_str()).collect::<Vec<_>>().join("; "));
        text.push('.');
    }
    if !row.notes.is_empty() {
        text.push(' ');
        text.push_str(&row.notes);
    }
    let quantities = [(killed.as_ref(), Category::Killed), (injured.as_ref(), Category::Injured)]
        .into_iter()
        .filter_map(|(f, category)| {
            f.map(|f| Quantity {
                span: f.span,
                value: f.value,
                upper: None,
                qualifier: Qualifier::Exact,
                category,
                unit: Some("people".to_string()),
            })
        })
        .collect();
    let published = match &row.date {
        Some(TimeValue::Day(d)) => Some(*d),
        _ => None,
    };
    let incident = Incident {
        id: "i1".to_string(),
        kind: row.kind,
        label: Some(format!("{} {}", place_text, row.kind.as_str().replace('_', " "))),
        date: row.date.clone(),
        place: row.place,
        killed,
        injured,
        perpetrators: row.actors.into_iter().map(|(name, status)| Perpetrator { name, entity: None, status }).collect(),
        mentions: vec![Span::new(0, lede_end)],
    };
    let len = text.len();
    Analysis {
        document: Document {
            id: content_id(&text),
            title: Some(format!("{} {}: {} in {}", dataset.name(), row.event_id, row.type_text, place_text)),
            url: Some(format!("reference:{}/{}", dataset.name().to_lowercase(), row.event_id)),
            source: Some(dataset.name().to_string()),
            published,
            language: "en".to_string(),
            text,
        },
        sentences: vec![Sentence { span: Span::new(0, len) }],
        entities: Vec::new(),
        times: Vec::new(),
        quantities,
        incidents: vec![incident],
        claims: Vec::new(),
        diagnostics: Vec::new(),
    }
}

/// Imports the rows of a CSV file as reference incidents (see the module docs).
pub fn import(store: &mut SqliteStore, canon: &Canon, dataset: Dataset, input: impl Read) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut batch = Vec::new();
    let mut duplicates = 0;
    let mut imported = ImportSummary::default();
    summary.skipped = read_rows(canon, dataset, input, |raw_hash, analysis| {
        if store.has_raw(&raw_hash)? {
            duplicates += 1;
            return Ok(());
        }
        batch.push(NewDocument::new(analysis, raw_hash, None));
        if batch.len() >= 500 {
            count(&mut imported, &store.write_batch(&batch)?);
            batch.clear();
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        count(&mut imported, &store.write_batch(&batch)?);
    }
    summary.imported = imported.imported;
    summary.duplicates = duplicates + imported.duplicates;
    Ok(summary)
}

/// Reads the rows of a CSV file into reference documents without storing them: `each`
/// gets every good row's raw-bytes hash and analysis, in order. Returns the rows
/// skipped, (line number, reason); a header of the wrong shape is an error.
pub fn read_rows(
    canon: &Canon,
    dataset: Dataset,
    input: impl Read,
    mut each: impl FnMut(String, Analysis) -> Result<()>,
) -> Result<Vec<(u64, String)>> {
    let mut skipped = Vec::new();
    each_record(dataset, input, &mut skipped, |headers, record, line| {
        let row = match dataset {
            Dataset::Acled => acled_row(canon, headers, record, line),
            Dataset::Gtd => gtd_row(canon, headers, record, line),
        };
        match row {
            Ok(row) => {
                each(raw_hash(dataset, record), analysis(dataset, row))?;
                Ok(None)
            }
            Err(reason) => Ok(Some(reason)),
        }
    })?;
    Ok(skipped)
}

/// Reads a CSV of `dataset`'s shape: refuses a wrong header, records malformed rows in
/// `skipped` with their line numbers, and hands every other record to `each` with its
/// line, which returns a reason to skip it or `None`.
fn each_record(
    dataset: Dataset,
    input: impl Read,
    skipped: &mut Vec<(u64, String)>,
    mut each: impl FnMut(&csv::StringRecord, &csv::StringRecord, u64) -> Result<Option<String>>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader.headers()?.clone();
    check_header(dataset, &headers)?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                skipped.push((line, format!("not a well-formed CSV row: {e}")));
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        // The line after this record: how many lines it took.
        let next = reader.position().line();
        let lines = if next > line + 1 { format!(" (lines {line}-{})", next - 1) } else { String::new() };
        if record.len() != headers.len() {
            skipped.push((
                line,
                format!(
                    "{} fields where the header has {}{lines}: a missing or extra comma, or an unterminated quote",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        if let Err(reason) = check_lines(dataset, &headers, &record) {
            skipped.push((line, format!("{reason}{lines}")));
            continue;
        }
        if let Some(reason) = each(&headers, &record, line)? {
            skipped.push((line, reason));
        }
    }
    Ok(())
}

/// What a removal did.
#[derive(Debug, Default)]
pub struct RemoveSummary {
    /// Reference documents deleted.
    pub removed: usize,
    /// Rows of the file that were not (or no longer) in the store.
    pub not_found: usize,
    /// (line number, reason) of every row that could not be read.
    pub skipped: Vec<(u64, String)>,
}

/// Deletes the reference documents that the rows of a CSV file became when imported
/// (found by their raw bytes, as de-duplication finds them). The caller resolves the
/// store again afterwards.
pub fn remove(store: &mut SqliteStore, dataset: Dataset, input: impl Read) -> Result<RemoveSummary> {
    let mut summary = RemoveSummary::default();
    let mut ids: Vec<String> = Vec::new();
    let mut not_found = 0;
    each_record(dataset, input, &mut summary.skipped, |_, record, _| {
        match store.document_of_raw(&raw_hash(dataset, record))? {
            Some((id, Some(url))) if url.starts_with(&dataset.url_prefix()) => ids.push(id),
            _ => not_found += 1,
        }
        Ok(None)
    })?;
    summary.not_found = not_found;
    ids.sort();
    ids.dedup();
    summary.removed = store.delete_documents(&ids)?;
    Ok(summary)
}

/// Deletes every reference document of `dataset`. The caller resolves the store again
/// afterwards.
pub fn remove_all(store: &mut SqliteStore, dataset: Dataset) -> Result<RemoveSummary> {
    let ids = store.documents_with_url_prefix(&dataset.url_prefix())?;
    Ok(RemoveSummary { removed: store.delete_documents(&ids)?, ..RemoveSummary::default() })
}

fn count(summary: &mut ImportSummary, outcomes: &[WriteOutcome]) {
    for o in outcomes {
        match o {
            WriteOutcome::Duplicate => summary.duplicates += 1,
            _ => summary.imported += 1,
        }
    }
}
