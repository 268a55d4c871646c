//! Incidents across documents: reports of one incident merged into one record, actors
//! resolved to one canonical name, and the record itself — the tally's evolution, the
//! attribution board, contradictions and warnings — with source reliability and claim
//! credibility.
//!
//! * [`mention`]: one document's incident as the resolver sees it, and the pairwise rule
//!   [`same_incident`](mention) that decides whether two reports are of one incident.
//! * [`cluster`]: the incremental, blocked resolver and its brute-force reference.
//! * [`update`]: resolving a store — new mentions attach to the incidents already there.
//! * [`record`]: the incident record printed by `claimgraph incident`, in the shape of
//!   `incidents.schema.json`.
//! * [`canon`]: canonical actor names and place precision, from the extraction tables.
//! * [`reliability`]: Admiralty source grades and claim credibility.

pub mod actor;
pub mod canon;
pub mod cluster;
pub mod mention;
pub mod record;
pub mod reliability;
pub mod update;

pub use canon::Canon;
pub use cluster::{brute_force, incident_id, Group, Groups, Resolver};
pub use mention::{actor_key, Mention};
pub use reliability::Grades;
pub use update::{update, UpdateSummary};
