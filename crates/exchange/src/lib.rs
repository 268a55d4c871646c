//! Exports that other tools read, and imports of curated datasets.
//!
//! * [`stix`]: a STIX 2.1 bundle (identities, threat actors, locations, incidents with
//!   their tallies in a declared extension, reports, claims as notes, relationships).
//! * [`table`]: ACLED- and GTD-shaped CSV, column by column as `docs/EXPORTS.md` says.
//! * [`geojson`]: an RFC 7946 FeatureCollection of incidents.
//! * JSON Lines: the incident records themselves (`incidents.schema.json`).
//! * [`import`]: ACLED- or GTD-shaped CSV in, as reference incidents that news reports
//!   are resolved against.
//!
//! Exports stream: incidents are read and written one at a time; what is kept in memory
//! is per incident id and per document id, never a document's text or analysis.

pub mod coding;
pub mod geojson;
pub mod ids;
pub mod import;
pub mod stix;
pub mod table;

use std::io::Write;

use claimgraph_resolve::record::{load, Record};
use claimgraph_resolve::{Canon, Grades};
use claimgraph_store::{IncidentFilter, SqliteStore, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("no incident {0} in the store")]
    NoSuchIncident(String),
    #[error("{0}")]
    WrongShape(String),
}

pub type Result<T, E = ExchangeError> = std::result::Result<T, E>;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Stix,
    CsvAcled,
    CsvGtd,
    Geojson,
    Jsonl,
}

impl Format {
    pub const NAMES: [&'static str; 5] = ["stix", "csv-acled", "csv-gtd", "geojson", "jsonl"];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "stix" => Format::Stix,
            "csv-acled" => Format::CsvAcled,
            "csv-gtd" => Format::CsvGtd,
            "geojson" => Format::Geojson,
            "jsonl" => Format::Jsonl,
            _ => return None,
        })
    }
}

/// One format's writer: called once before, once per incident, once after.
pub trait Sink {
    fn begin(&mut self, out: &mut dyn Write) -> Result<()>;
    fn incident(&mut self, out: &mut dyn Write, r: &Record) -> Result<()>;
    fn end(&mut self, out: &mut dyn Write, store: &SqliteStore) -> Result<()>;
}

/// Which incidents to export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub filter: IncidentFilter,
    /// One incident (or an id it was merged under) instead of the filter.
    pub incident: Option<String>,
}

/// Writes the selected incidents in `format`; returns how many.
pub fn export(
    store: &SqliteStore,
    canon: &Canon,
    grades: &Grades,
    selection: &Selection,
    format: Format,
    out: &mut dyn Write,
) -> Result<usize> {
    let ids: Vec<String> = match &selection.incident {
        Some(asked) => {
            vec![store.incident_id(asked)?.ok_or_else(|| ExchangeError::NoSuchIncident(asked.clone()))?]
        }
        None => store.incidents(&selection.filter)?.into_iter().map(|s| s.id).collect(),
    };
    let mut sink: Box<dyn Sink> = match format {
        Format::Stix => Box::new(stix::Stix::new(canon, selection)),
        Format::CsvAcled => Box::new(table::Table::acled(canon)),
        Format::CsvGtd => Box::new(table::Table::gtd(canon)),
        Format::Geojson => Box::new(geojson::Geojson::default()),
        Format::Jsonl => Box::new(Jsonl),
    };
    sink.begin(out)?;
    for id in &ids {
        let r = load(store, id, canon, grades)?;
        sink.incident(out, &r)?;
    }
    sink.end(out, store)?;
    out.flush()?;
    Ok(ids.len())
}

struct Jsonl;

impl Sink for Jsonl {
    fn begin(&mut self, _: &mut dyn Write) -> Result<()> {
        Ok(())
    }

    fn incident(&mut self, out: &mut dyn Write, r: &Record) -> Result<()> {
        serde_json::to_writer(&mut *out, r).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        Ok(())
    }

    fn end(&mut self, _: &mut dyn Write, _: &SqliteStore) -> Result<()> {
        Ok(())
    }
}
