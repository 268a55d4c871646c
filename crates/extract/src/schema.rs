//! The JSON of `analysis.schema.json` (version 1): the one place that knows the output
//! format.
//!
//! Internally spans are byte offsets; the schema counts characters (Unicode scalar
//! values, as Python indexes strings), so every span is converted here through one
//! byte-to-character table built per document.

use claimgraph_model::{ActorRef, Analysis, Figure, Severity, Span};
use serde::Serialize;
use serde_json::Value;

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

    /// A byte span as a character span.
    pub fn char_span(&self, span: Span) -> CharSpan {
        CharSpan { start: self.char_at(span.start), end: self.char_at(span.end) }
    }

    pub fn n_chars(&self) -> usize {
        self.starts.len() - 1
    }
}

/// A span in characters.
#[derive(Debug, Serialize)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

// The output, as borrowed views of an `Analysis`, in the order the schema lists the
// properties. Serialising these directly is several times faster than building a
// `serde_json::Value`.

#[derive(Serialize)]
struct Out<'a> {
    schema_version: u32,
    document: DocOut<'a>,
    sentences: Vec<CharSpan>,
    entities: Vec<EntityOut<'a>>,
    times: Vec<TimeOut<'a>>,
    quantities: Vec<QuantityOut<'a>>,
    incidents: Vec<IncidentOut<'a>>,
    claims: Vec<ClaimOut<'a>>,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
struct DocOut<'a> {
    id: &'a str,
    title: Option<&'a str>,
    url: Option<&'a str>,
    source: Option<&'a str>,
    published: Option<String>,
    language: &'a str,
    chars: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    text: &'a str,
}

#[derive(Serialize)]
struct GeoOut {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    aliases: &'a [String],
    country: Option<&'a str>,
    geo: Option<GeoOut>,
    mentions: Vec<CharSpan>,
}

#[derive(Serialize)]
struct TimeOut<'a> {
    text: &'a str,
    span: CharSpan,
    value: Option<String>,
}

#[derive(Serialize)]
struct QuantityOut<'a> {
    text: &'a str,
    span: CharSpan,
    value: f64,
    upper: Option<f64>,
    qualifier: &'static str,
    category: &'static str,
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct PlaceOut<'a> {
    name: &'a str,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Serialize)]
struct FigureOut {
    value: f64,
    upper: Option<f64>,
    qualifier: &'static str,
    span: CharSpan,
}

#[derive(Serialize)]
struct PerpetratorOut<'a> {
    name: &'a str,
    entity: Option<&'a str>,
    status: &'static str,
}

#[derive(Serialize)]
struct IncidentOut<'a> {
    id: &'a str,
    kind: &'static str,
    label: Option<&'a str>,
    date: Option<String>,
    place: Option<PlaceOut<'a>>,
    killed: Option<FigureOut>,
    injured: Option<FigureOut>,
    perpetrators: Vec<PerpetratorOut<'a>>,
    mentions: Vec<CharSpan>,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    name: Option<&'a str>,
    entity: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
    kind: &'static str,
    speaker: ActorOut<'a>,
    cue: Option<&'a str>,
    targets: Vec<ActorOut<'a>>,
    about: Option<&'a str>,
    date: Option<String>,
    text: &'a str,
    content_span: CharSpan,
    span: CharSpan,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    severity: &'static str,
    message: &'a str,
    span: Option<CharSpan>,
}

fn actor(a: &ActorRef) -> ActorOut<'_> {
    ActorOut { name: a.name.as_deref(), entity: a.entity.as_deref() }
}

fn figure(o: &CharOffsets, f: &Option<Figure>) -> Option<FigureOut> {
    f.as_ref().map(|f| FigureOut {
        value: f.value,
        upper: f.upper,
        qualifier: f.qualifier.as_str(),
        span: o.char_span(f.span),
    })
}

fn view(a: &Analysis) -> Out<'_> {
    let text = a.document.text.as_str();
    let o = CharOffsets::new(text);
    let d = &a.document;
    let spans = |v: &[Span]| v.iter().map(|&s| o.char_span(s)).collect::<Vec<_>>();
    Out {
        schema_version: SCHEMA_VERSION,
        document: DocOut {
            id: &d.id,
            title: d.title.as_deref(),
            url: d.url.as_deref(),
            source: d.source.as_deref(),
            published: d.published.map(|p| p.to_string()),
            language: &d.language,
            chars: o.n_chars(),
            text,
        },
        sentences: a.sentences.iter().map(|s| o.char_span(s.span)).collect(),
        entities: a
            .entities
            .iter()
            .map(|e| EntityOut {
                id: &e.id,
                name: &e.name,
                kind: e.kind.as_str(),
                aliases: &e.aliases,
                country: e.country.as_deref(),
                geo: e.geo.map(|g| GeoOut { lat: g.lat, lon: g.lon }),
                mentions: spans(&e.mentions),
            })
            .collect(),
        times: a
            .times
            .iter()
            .map(|t| TimeOut {
                text: t.span.of(text),
                span: o.char_span(t.span),
                value: t.value.as_ref().map(ToString::to_string),
            })
            .collect(),
        quantities: a
            .quantities
            .iter()
            .map(|q| QuantityOut {
                text: q.span.of(text),
                span: o.char_span(q.span),
                value: q.value,
                upper: q.upper,
                qualifier: q.qualifier.as_str(),
                category: q.category.as_str(),
                unit: q.unit.as_deref(),
            })
            .collect(),
        incidents: a
            .incidents
            .iter()
            .map(|i| IncidentOut {
                id: &i.id,
                kind: i.kind.as_str(),
                label: i.label.as_deref(),
                date: i.date.as_ref().map(ToString::to_string),
                place: i.place.as_ref().map(|p| PlaceOut {
                    name: &p.name,
                    country: p.country.as_deref(),
                    lat: p.geo.map(|g| g.lat),
                    lon: p.geo.map(|g| g.lon),
                }),
                killed: figure(&o, &i.killed),
                injured: figure(&o, &i.injured),
                perpetrators: i
                    .perpetrators
                    .iter()
                    .map(|p| PerpetratorOut { name: &p.name, entity: p.entity.as_deref(), status: p.status.as_str() })
                    .collect(),
                mentions: spans(&i.mentions),
            })
            .collect(),
        claims: a
            .claims
            .iter()
            .map(|c| ClaimOut {
                id: &c.id,
                kind: c.kind.as_str(),
                speaker: actor(&c.speaker),
                cue: c.cue.as_deref(),
                targets: c.targets.iter().map(actor).collect(),
                about: c.about.as_deref(),
                date: c.date.as_ref().map(ToString::to_string),
                text: c.content.of(text),
                content_span: o.char_span(c.content),
                span: o.char_span(c.span),
            })
            .collect(),
        diagnostics: a
            .diagnostics
            .iter()
            .map(|d| DiagnosticOut {
                severity: match d.severity {
                    Severity::Info => "info",
                    Severity::Warning => "warning",
                    Severity::Error => "error",
                },
                message: &d.message,
                span: d.span.map(|s| o.char_span(s)),
            })
            .collect(),
    }
}

/// Writes the analysis as JSON in the shape of the schema, plus `sentences`,
/// `diagnostics`, `document.text` and `claims[].content_span`, which the schema allows
/// as extra properties.
pub fn write_json(a: &Analysis, out: impl std::io::Write, pretty: bool) -> serde_json::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(out, &view(a))
    } else {
        serde_json::to_writer(out, &view(a))
    }
}

/// The analysis as compact JSON without `document.text`, for a store that keeps the text
/// apart.
pub fn to_string_without_text(a: &Analysis) -> String {
    let mut v = view(a);
    v.document.text = "";
    serde_json::to_string(&v).unwrap_or_default()
}

/// The analysis as a JSON value (see [`write_json`]).
pub fn to_json(a: &Analysis) -> Value {
    serde_json::to_value(view(a)).unwrap_or(Value::Null)
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
