//! The layers of one document's analysis.

use crate::{Date, Span, TimeValue};

/// One decoded document: its text is immutable once made, and every span of every layer
/// points into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Content hash of `text` (see the extract crate's `document` stage).
    pub id: String,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Date relative expressions are resolved against.
    pub published: Option<Date>,
    /// ISO 639-1 code, or `und` when it cannot be told.
    pub language: String,
}

/// Something a stage noticed about its input that a reader should know: replaced bytes,
/// an unknown language, a page with no main content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Diagnostic {
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, message: message.into(), span: None }
    }

    pub fn info(message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Info, message: message.into(), span: None }
    }
}

/// A sentence, or a line that stands as one (a headline, a dateline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Person,
    Organization,
    ArmedGroup,
    Government,
    Media,
    Place,
    Nationality,
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::ArmedGroup,
        EntityKind::Government,
        EntityKind::Media,
        EntityKind::Place,
        EntityKind::Nationality,
        EntityKind::Other,
    ];

    /// The name used in the JSON output and the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::ArmedGroup => "armed_group",
            EntityKind::Government => "government",
            EntityKind::Media => "media",
            EntityKind::Place => "place",
            EntityKind::Nationality => "nationality",
            EntityKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geo {
    pub lat: f64,
    pub lon: f64,
}

/// One real-world entity with all its mentions in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    /// Canonical name ("Islamic State-Khorasan" for a mention "IS-K").
    pub name: String,
    pub kind: EntityKind,
    /// Other surface forms seen in this document, canonical name excluded.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub geo: Option<Geo>,
    /// In text order.
    pub mentions: Vec<Span>,
}

/// A date or time expression with its normalised value (`None` when it cannot be
/// resolved to the calendar without guessing).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMention {
    pub span: Span,
    pub value: Option<TimeValue>,
}

/// How the source qualified a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    Exact,
    AtLeast,
    MoreThan,
    AtMost,
    FewerThan,
    Approx,
    Range,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtMost => "at_most",
            Qualifier::FewerThan => "fewer_than",
            Qualifier::Approx => "approx",
            Qualifier::Range => "range",
        }
    }

    pub fn parse(s: &str) -> Option<Qualifier> {
        [
            Qualifier::Exact,
            Qualifier::AtLeast,
            Qualifier::MoreThan,
            Qualifier::AtMost,
            Qualifier::FewerThan,
            Qualifier::Approx,
            Qualifier::Range,
        ]
        .into_iter()
        .find(|q| q.as_str() == s)
    }
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Killed,
    Injured,
    Arrested,
    Kidnapped,
    Displaced,
    Missing,
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Killed => "killed",
            Category::Injured => "injured",
            Category::Arrested => "arrested",
            Category::Kidnapped => "kidnapped",
            Category::Displaced => "displaced",
            Category::Missing => "missing",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        [
            Category::Killed,
            Category::Injured,
            Category::Arrested,
            Category::Kidnapped,
            Category::Displaced,
            Category::Missing,
            Category::Other,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// A figure as the source gave it: "at least 95" is `value 95, AtLeast`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub span: Span,
    pub value: f64,
    pub upper: Option<f64>,
    pub qualifier: Qualifier,
    pub category: Category,
    /// What is counted ("people", "minutes"), when the text names it.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentKind {
    ArmedAssault,
    Bombing,
    SuicideBombing,
    HostageTaking,
    Hijacking,
    Assassination,
    Arson,
    Airstrike,
    MissileStrike,
    DroneStrike,
    Shelling,
    Massacre,
    Other,
}

impl IncidentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentKind::ArmedAssault => "armed_assault",
            IncidentKind::Bombing => "bombing",
            IncidentKind::SuicideBombing => "suicide_bombing",
            IncidentKind::HostageTaking => "hostage_taking",
            IncidentKind::Hijacking => "hijacking",
            IncidentKind::Assassination => "assassination",
            IncidentKind::Arson => "arson",
            IncidentKind::Airstrike => "airstrike",
            IncidentKind::MissileStrike => "missile_strike",
            IncidentKind::DroneStrike => "drone_strike",
            IncidentKind::Shelling => "shelling",
            IncidentKind::Massacre => "massacre",
            IncidentKind::Other => "other",
        }
    }

    pub const ALL: [IncidentKind; 13] = [
        IncidentKind::ArmedAssault,
        IncidentKind::Bombing,
        IncidentKind::SuicideBombing,
        IncidentKind::HostageTaking,
        IncidentKind::Hijacking,
        IncidentKind::Assassination,
        IncidentKind::Arson,
        IncidentKind::Airstrike,
        IncidentKind::MissileStrike,
        IncidentKind::DroneStrike,
        IncidentKind::Shelling,
        IncidentKind::Massacre,
        IncidentKind::Other,
    ];

    pub fn parse(s: &str) -> Option<IncidentKind> {
        IncidentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A count attached to an incident, with the quantity it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub upper: Option<f64>,
    pub qualifier: Qualifier,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PerpetratorStatus {
    Claimed,
    Accused,
    Suspected,
    Confirmed,
    Denied,
}

impl PerpetratorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PerpetratorStatus::Claimed => "claimed",
            PerpetratorStatus::Accused => "accused",
            PerpetratorStatus::Suspected => "suspected",
            PerpetratorStatus::Confirmed => "confirmed",
            PerpetratorStatus::Denied => "denied",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Perpetrator {
    pub name: String,
    /// Id of the entity in this document's `entities`.
    pub entity: Option<String>,
    pub status: PerpetratorStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub geo: Option<Geo>,
}

/// A violent incident the document reports or refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub kind: IncidentKind,
    pub label: Option<String>,
    pub date: Option<TimeValue>,
    pub place: Option<Place>,
    pub killed: Option<Figure>,
    pub injured: Option<Figure>,
    pub perpetrators: Vec<Perpetrator>,
    pub mentions: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimKind {
    Responsibility,
    Accusation,
    Denial,
    Warning,
    Figure,
    Statement,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Responsibility => "responsibility",
            ClaimKind::Accusation => "accusation",
            ClaimKind::Denial => "denial",
            ClaimKind::Warning => "warning",
            ClaimKind::Figure => "figure",
            ClaimKind::Statement => "statement",
        }
    }
}

/// An actor named in a claim: who speaks, or who is blamed.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRef {
    pub name: Option<String>,
    pub entity: Option<String>,
}

/// What someone (or an unnamed source) asserts.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: String,
    pub kind: ClaimKind,
    pub speaker: ActorRef,
    pub cue: Option<String>,
    pub targets: Vec<ActorRef>,
    /// Id of the incident it concerns.
    pub about: Option<String>,
    pub date: Option<TimeValue>,
    /// The asserted content.
    pub content: Span,
    /// The whole claim, cue and speaker included.
    pub span: Span,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub document: Document,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub times: Vec<TimeMention>,
    pub quantities: Vec<Quantity>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
    pub diagnostics: Vec<Diagnostic>,
}
