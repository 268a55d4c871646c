//! One news document in, one sourced analysis out.
//!
//! The pipeline is a chain of pure stages, each a module named after what it outputs:
//! [`document`] (bytes to text), [`tokens`], [`sentences`], [`entities`], [`times`],
//! [`quantities`], [`incidents`], [`claims`]. Every stage is deterministic, does no IO and never fails on text: it
//! returns its layer plus diagnostics. Spans are byte offsets into the one document
//! text; [`schema`] converts them to character offsets when it writes the JSON of
//! `analysis.schema.json`, and [`render`] draws the annotations inline for people.

pub mod claims;
pub mod document;
pub mod entities;
pub mod html;
pub mod incidents;
mod lexicon;
pub mod quantities;
pub mod render;
pub mod resources;
pub mod schema;
pub mod sentences;
pub mod times;
pub mod tokens;

use std::time::{Duration, Instant};

use claimgraph_model::{Analysis, Document};

pub use document::Meta;
use entities::{EntityRecognizer, RuleRecognizer};
pub use resources::Resources;

/// Largest input we read: news articles are kilobytes, so anything this big is not one.
pub const MAX_INPUT_BYTES: u64 = 50 * 1024 * 1024;

/// Why an input holds no document to analyse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("empty input")]
    Empty,
    #[error("binary data, not text or HTML")]
    Binary,
    #[error("HTML page has no readable text")]
    NoHtmlText,
    #[error("input is {size} bytes, more than the {max}-byte limit for one document")]
    TooLarge { size: u64, max: u64 },
}

/// The layers the stages after `quantities` read.
#[derive(Debug, Clone, Copy)]
pub struct Layers<'a> {
    pub text: &'a str,
    pub tokens: &'a [tokens::Token],
    pub sentences: &'a [sentences::SentenceTokens],
    pub entities: &'a [claimgraph_model::Entity],
    pub times: &'a [claimgraph_model::TimeMention],
    pub quantities: &'a [claimgraph_model::Quantity],
}

/// The items (sorted by start, as every layer is) whose span lies inside `span`, found
/// by binary search: looking a sentence's times or figures up must not cost a pass
/// over the whole document's, or long documents take quadratic time.
pub(crate) fn inside<T>(
    items: &[T],
    span: claimgraph_model::Span,
    of: fn(&T) -> claimgraph_model::Span,
) -> impl Iterator<Item = &T> + Clone {
    let from = items.partition_point(|t| of(t).start < span.start);
    items[from..].iter().take_while(move |t| of(t).start <= span.end).filter(move |t| span.contains(of(t)))
}

/// The stages, for timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Document,
    Sentences,
    Entities,
    Times,
    Quantities,
    Incidents,
    Claims,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Document,
        Stage::Sentences,
        Stage::Entities,
        Stage::Times,
        Stage::Quantities,
        Stage::Incidents,
        Stage::Claims,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Document => "document",
            Stage::Sentences => "tokens+sentences",
            Stage::Entities => "entities",
            Stage::Times => "times",
            Stage::Quantities => "quantities",
            Stage::Incidents => "incidents",
            Stage::Claims => "claims",
        }
    }
}

/// Time spent per stage, summed over documents.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    pub total: [Duration; 7],
}

impl StageTimes {
    /// Adds the time since `since` to `stage`; returns now, to time the next stage.
    fn add(&mut self, stage: Stage, since: Instant) -> Instant {
        let now = Instant::now();
        self.total[stage as usize] += now - since;
        now
    }
}

/// Runs the stages. Build one and share it: it holds the parsed tables.
#[derive(Debug)]
pub struct Extractor {
    resources: Resources,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

impl Extractor {
    pub fn new() -> Extractor {
        Extractor { resources: Resources::embedded() }
    }

    pub fn resources(&self) -> &Resources {
        &self.resources
    }

    /// Analyses one document given as bytes (UTF-8 text or HTML).
    pub fn extract(&self, bytes: &[u8], meta: &Meta) -> Result<Analysis, InputError> {
        self.extract_timed(bytes, meta, &mut StageTimes::default())
    }

    /// [`Extractor::extract`], adding the time each stage took to `times` (for
    /// benchmarks).
    pub fn extract_timed(&self, bytes: &[u8], meta: &Meta, timings: &mut StageTimes) -> Result<Analysis, InputError> {
        let clock = Instant::now();
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(InputError::TooLarge { size: bytes.len() as u64, max: MAX_INPUT_BYTES });
        }
        let decoded = document::decode(bytes, meta)?;
        let mut diagnostics = decoded.diagnostics;
        let (language, diag) = document::language(&decoded.text);
        diagnostics.extend(diag);
        let doc = Document {
            id: document::content_id(&decoded.text),
            title: meta.title.clone().or(decoded.title),
            url: meta.url.clone(),
            source: meta.source.clone(),
            published: meta.published.or(decoded.published),
            language,
            text: decoded.text,
        };
        timings.add(Stage::Document, clock);
        Ok(self.analyse_timed(doc, diagnostics, timings))
    }

    /// Runs the stages after `document` on a decoded document.
    pub fn analyse(&self, doc: Document, diagnostics: Vec<claimgraph_model::Diagnostic>) -> Analysis {
        self.analyse_timed(doc, diagnostics, &mut StageTimes::default())
    }

    fn analyse_timed(
        &self,
        doc: Document,
        diagnostics: Vec<claimgraph_model::Diagnostic>,
        timings: &mut StageTimes,
    ) -> Analysis {
        let text = doc.text.as_str();
        let clock = Instant::now();
        let tokens = tokens::tokenize(text);
        let sentences = sentences::split(text, &tokens);
        let clock = timings.add(Stage::Sentences, clock);
        // English rules on other languages would only invent things: those layers stay empty.
        let english = doc.language == "en" || doc.language == "und";
        let (entities, times, quantities, incidents, claims) =
            if english { self.english_layers(&doc, &tokens, &sentences, timings, clock) } else { Default::default() };
        Analysis {
            sentences: sentences.iter().map(sentences::SentenceTokens::to_model).collect(),
            document: doc,
            entities,
            times,
            quantities,
            incidents,
            claims,
            diagnostics,
        }
    }

    /// The stages after `sentences`.
    #[allow(clippy::type_complexity)]
    fn english_layers(
        &self,
        doc: &Document,
        tokens: &[tokens::Token],
        sentences: &[sentences::SentenceTokens],
        timings: &mut StageTimes,
        clock: Instant,
    ) -> (
        Vec<claimgraph_model::Entity>,
        Vec<claimgraph_model::TimeMention>,
        Vec<claimgraph_model::Quantity>,
        Vec<claimgraph_model::Incident>,
        Vec<claimgraph_model::Claim>,
    ) {
        let text = doc.text.as_str();
        let entities = RuleRecognizer::new(&self.resources).recognize(text, tokens, sentences);
        let clock = timings.add(Stage::Entities, clock);
        let times = times::extract(text, tokens, doc.published);
        let clock = timings.add(Stage::Times, clock);
        let quantities = quantities::extract(text, tokens, &times);
        let clock = timings.add(Stage::Quantities, clock);
        let layers = Layers { text, tokens, sentences, entities: &entities, times: &times, quantities: &quantities };
        let mut incidents =
            incidents::extract(incidents::Context { layers, published: doc.published, resources: &self.resources });
        let clock = timings.add(Stage::Incidents, clock);
        let mut claims = claims::extract(layers);
        incidents::link_claims(&mut incidents, &mut claims, sentences);
        timings.add(Stage::Claims, clock);
        (entities, times, quantities, incidents, claims)
    }
}
