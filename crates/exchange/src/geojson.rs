//! Incidents as an RFC 7946 GeoJSON FeatureCollection: a Point (longitude, latitude) per
//! incident with a known place, `null` geometry otherwise (RFC 7946, section 3.2), and
//! the record's headline facts as properties.

use std::io::Write;

use claimgraph_resolve::record::Record;
use claimgraph_store::SqliteStore;
use serde_json::json;

use crate::{Result, Sink};

#[derive(Debug, Default)]
pub struct Geojson {
    written: usize,
}

impl Sink for Geojson {
    fn begin(&mut self, out: &mut dyn Write) -> Result<()> {
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
        Ok(())
    }

    fn incident(&mut self, out: &mut dyn Write, r: &Record) -> Result<()> {
        let geometry = match r.place.as_ref().and_then(|p| p.lat.zip(p.lon)) {
            Some((lat, lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                json!({"type": "Point", "coordinates": [lon, lat]})
            }
            _ => serde_json::Value::Null,
        };
        let tally = |t: &Option<claimgraph_resolve::record::Tally>| {
            t.as_ref().map(|t| json!({"low": t.low, "high": t.high, "latest": t.latest, "n_reports": t.n_reports}))
        };
        let feature = json!({
            "type": "Feature",
            "id": r.id,
            "geometry": geometry,
            "properties": {
                "kind": r.kind,
                "label": r.label,
                "date": r.date,
                "place": r.place.as_ref().map(|p| &p.name),
                "country": r.place.as_ref().and_then(|p| p.country.as_ref()),
                "killed": tally(&r.killed),
                "injured": tally(&r.injured),
                "perpetrators": r.perpetrators.iter().map(|p| json!({"name": p.name, "status": p.status})).collect::<Vec<_>>(),
                "n_documents": r.documents.len(),
                "n_sources": r.n_sources,
            }
        });
        out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &feature).map_err(std::io::Error::from)?;
        self.written += 1;
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &SqliteStore) -> Result<()> {
        out.write_all(b"\n]}\n")?;
        Ok(())
    }
}
