//! Plain data of claimgraph: what one document's analysis holds.
//!
//! Every type here is inert data with no IO and no dependencies, so that every other
//! crate (extraction, storage, resolution, the server) can share it without pulling in
//! anything else. Spans are byte offsets into the one immutable document text; the
//! conversion to character offsets happens only where JSON is written (see the
//! `claimgraph-extract` crate's `schema` module).

mod analysis;
mod date;
mod span;

pub use analysis::*;
pub use date::{days_in_month, Date, TimeValue};
pub use span::Span;
