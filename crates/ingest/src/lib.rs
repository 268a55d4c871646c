//! Reading news into the store.
//!
//! [`sources`] turns inputs into raw documents (files, folders, JSON Lines, feeds,
//! URLs), [`fetch`] is the only code that talks to the network, [`pipeline`] analyses on
//! every core and writes in batches, [`config`] reads `claimgraph.toml`.

pub mod config;
pub mod fetch;
pub mod pipeline;
pub mod sources;

pub use config::Config;
pub use fetch::Fetcher;
pub use pipeline::{ingest, Options, Progress, Summary};
