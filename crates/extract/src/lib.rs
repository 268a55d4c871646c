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

/// The per-document budget: a document over either limit is reported (as
/// [`InputError::TooLarge`] or [`InputError::TooSlow`]) and the batch goes on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Largest input analysed, in bytes (default 10 MB, ten times the largest article
    /// of any newspaper).
    pub max_bytes: u64,
    /// Longest analysis of one document, in seconds (default 60; a 10 MB document takes
    /// a few seconds).
    pub max_seconds: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_bytes: 10_000_000, max_seconds: 60.0 }
    }
}

/// When the analysis of a document must stop. Stages are pure, so they do not read a
/// clock of their own: long loops ask [`Deadline::passed`] every so often and stop
/// early, and [`Extractor`] turns that into [`InputError::TooSlow`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline (for stages run on their own, as in tests).
    pub const NONE: Deadline = Deadline(None);

    pub fn after(limit: Duration) -> Deadline {
        Deadline(Instant::now().checked_add(limit))
    }

    pub fn passed(&self) -> bool {
        self.0.is_some_and(|d| Instant::now() >= d)
    }
}

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
    /// Refused before parsing by [`html::prescan`]: the markup nests too deep or has too
    /// many attributes for an article.
    #[error("HTML page refused before parsing: {what} (no article needs this; is it a generated or hostile page?)")]
    HtmlTooComplex { what: String },
    /// The analysis ran past the time budget ([`Options::max_seconds`]); it was stopped.
    #[error(
        "analysis took longer than {} s, the time budget for one document: stopped (raise the budget for very long documents)",
        *millis as f64 / 1000.0
    )]
    TooSlow { millis: u64 },
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
    /// Loops over the document stop early once it has passed.
    pub deadline: Deadline,
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
    options: Options,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

impl Extractor {
    pub fn new() -> Extractor {
        Extractor::with_options(Options::default())
    }

    /// An extractor with its own per-document budget.
    pub fn with_options(options: Options) -> Extractor {
        Extractor { resources: Resources::embedded(), options }
    }

    pub fn options(&self) -> Options {
        self.options
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
        let max = self.options.max_bytes.min(MAX_INPUT_BYTES);
        if bytes.len() as u64 > max {
            return Err(InputError::TooLarge { size: bytes.len() as u64, max });
        }
        let deadline = self.deadline();
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
        self.analyse_timed(doc, diagnostics, timings, deadline)
    }

    /// Runs the stages after `document` on a decoded document, with no time budget.
    pub fn analyse(&self, doc: Document, diagnostics: Vec<claimgraph_model::Diagnostic>) -> Analysis {
        self.analyse_timed(doc, diagnostics, &mut StageTimes::default(), Deadline::NONE)
            .expect("no deadline, so never too slow")
    }

    fn deadline(&self) -> Deadline {
        Deadline::after(Duration::try_from_secs_f64(self.options.max_seconds).unwrap_or(Duration::MAX))
    }

    fn too_slow(&self) -> InputError {
        InputError::TooSlow { millis: (self.options.max_seconds * 1000.0) as u64 }
    }

    fn analyse_timed(
        &self,
        doc: Document,
        diagnostics: Vec<claimgraph_model::Diagnostic>,
        timings: &mut StageTimes,
        deadline: Deadline,
    ) -> Result<Analysis, InputError> {
        let text = doc.text.as_str();
        let clock = Instant::now();
        let tokens = tokens::tokenize(text);
        let sentences = sentences::split(text, &tokens);
        let clock = timings.add(Stage::Sentences, clock);
        // English rules on other languages would only invent things: those layers stay empty.
        let english = doc.language == "en" || doc.language == "und";
        let (entities, times, quantities, incidents, claims) = if english {
            self.english_layers(&doc, &tokens, &sentences, timings, clock, deadline)?
        } else {
            Default::default()
        };
        Ok(Analysis {
            sentences: sentences.iter().map(sentences::SentenceTokens::to_model).collect(),
            document: doc,
            entities,
            times,
            quantities,
            incidents,
            claims,
            diagnostics,
        })
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
        deadline: Deadline,
    ) -> Result<
        (
            Vec<claimgraph_model::Entity>,
            Vec<claimgraph_model::TimeMention>,
            Vec<claimgraph_model::Quantity>,
            Vec<claimgraph_model::Incident>,
            Vec<claimgraph_model::Claim>,
        ),
        InputError,
    > {
        let text = doc.text.as_str();
        // Checked between stages, and by the long loops inside the later ones.
        let check = || if deadline.passed() { Err(self.too_slow()) } else { Ok(()) };
        check()?;
        let entities = RuleRecognizer::new(&self.resources).recognize(text, tokens, sentences);
        let clock = timings.add(Stage::Entities, clock);
        check()?;
        let times = times::extract(text, tokens, doc.published);
        let clock = timings.add(Stage::Times, clock);
        let quantities = quantities::extract(text, tokens, &times);
        let clock = timings.add(Stage::Quantities, clock);
        check()?;
        let layers =
            Layers { text, tokens, sentences, entities: &entities, times: &times, quantities: &quantities, deadline };
        let mut incidents =
            incidents::extract(incidents::Context { layers, published: doc.published, resources: &self.resources });
        let clock = timings.add(Stage::Incidents, clock);
        check()?;
        let mut claims = claims::extract(layers);
        check()?;
        incidents::link_claims(&mut incidents, &mut claims, sentences);
        timings.add(Stage::Claims, clock);
        Ok((entities, times, quantities, incidents, claims))
    }
}
