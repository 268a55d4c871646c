//! The JSON of `analysis.schema.json` (version 1): the one place that knows the output
//! format.
//!
//! Internally spans are byte offsets; the schema counts characters (Unicode scalar
//! values, as Python indexes strings), so every span is converted here through one
//! byte-to-character table built per document.

use claimgraph_model::{ActorRef, Analysis, Figure, Severity, Span};
use serde_json::{json, Value};

pub const SCHEMA_VERSION: u32 = 1;

/// Byte offset to character offset, for one text.
#[derive(Debug)]
pub struct CharOffsets {
    /// `starts[k]` is the byte offset of character `k`; one extra entry for the end.
    starts: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CharOffsets { starts }
    }

    /// Character offset of a byte offset that lies on a character boundary.
    pub fn char_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }

    pub fn span(&self, span: Span) -> Value {
        json!({"start": self.char_at(span.start), "end": self.char_at(span.end)})
    }

    pub fn n_chars(&self) -> usize {
        self.starts.len() - 1
    }
}

fn actor(a: &ActorRef) -> Value {
    json!({"name": a.name, "entity": a.entity})
}

fn figure(offsets: &CharOffsets, f: &Option<Figure>) -> Value {
    match f {
        None => Value::Null,
        Some(f) => {
            json!({"value": f.value, "upper": f.upper, "qualifier": f.qualifier.as_str(), "span": offsets.span(f.span)})
        }
    }
}

/// The analysis as a JSON value in the shape of the schema, plus `sentences` and
/// `diagnostics`, which the schema allows as extra properties.
pub fn to_json(a: &Analysis) -> Value {
    let text = a.document.text.as_str();
    let offsets = CharOffsets::new(text);
    let d = &a.document;
    json!({
        "schema_version": SCHEMA_VERSION,
        "document": {
            "id": d.id,
            "title": d.title,
            "url": d.url,
            "source": d.source,
            "published": d.published.map(|p| p.to_string()),
            "language": d.language,
            "chars": offsets.n_chars(),
            "text": text,
        },
        "sentences": a.sentences.iter().map(|s| offsets.span(s.span)).collect::<Vec<_>>(),
        "entities": a.entities.iter().map(|e| json!({
            "id": e.id,
            "name": e.name,
            "kind": e.kind.as_str(),
            "aliases": e.aliases,
            "country": e.country,
            "geo": e.geo.map(|g| json!({"lat": g.lat, "lon": g.lon})),
            "mentions": e.mentions.iter().map(|&m| offsets.span(m)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "times": a.times.iter().map(|t| json!({
            "text": t.span.of(text),
            "span": offsets.span(t.span),
            "value": t.value.as_ref().map(ToString::to_string),
        })).collect::<Vec<_>>(),
        "quantities": a.quantities.iter().map(|q| json!({
            "text": q.span.of(text),
            "span": offsets.span(q.span),
            "value": q.value,
            "upper": q.upper,
            "qualifier": q.qualifier.as_str(),
            "category": q.category.as_str(),
            "unit": q.unit,
        })).collect::<Vec<_>>(),
        "incidents": a.incidents.iter().map(|i| json!({
            "id": i.id,
            "kind": i.kind.as_str(),
            "label": i.label,
            "date": i.date.as_ref().map(ToString::to_string),
            "place": i.place.as_ref().map(|p| json!({
                "name": p.name,
                "country": p.country,
                "lat": p.geo.map(|g| g.lat),
                "lon": p.geo.map(|g| g.lon),
            })),
            "killed": figure(&offsets, &i.killed),
            "injured": figure(&offsets, &i.injured),
            "perpetrators": i.perpetrators.iter().map(|p| json!({
                "name": p.name, "entity": p.entity, "status": p.status.as_str(),
            })).collect::<Vec<_>>(),
            "mentions": i.mentions.iter().map(|&m| offsets.span(m)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "claims": a.claims.iter().map(|c| json!({
            "id": c.id,
            "kind": c.kind.as_str(),
            "speaker": actor(&c.speaker),
            "cue": c.cue,
            "targets": c.targets.iter().map(actor).collect::<Vec<_>>(),
            "about": c.about,
            "date": c.date.as_ref().map(ToString::to_string),
            "text": c.content.of(text),
            "content_span": offsets.span(c.content),
            "span": offsets.span(c.span),
        })).collect::<Vec<_>>(),
        "diagnostics": a.diagnostics.iter().map(|d| json!({
            "severity": match d.severity { Severity::Info => "info", Severity::Warning => "warning", Severity::Error => "error" },
            "message": d.message,
            "span": d.span.map(|s| offsets.span(s)),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_bytes_to_characters() {
        let text = "Élysée said 9";
        let o = CharOffsets::new(text);
        let byte = text.find('9').unwrap();
        assert_eq!(o.char_at(byte), 12);
        assert_eq!(o.n_chars(), 13);
        assert_eq!(o.char_at(text.len()), 13);
    }
}
