//! `claimgraph serve`: the web UI and the HTTP API.

use std::net::SocketAddr;

use anyhow::{bail, Context, Result};
use claimgraph_server::{check_bind, AppState, Config, Limits, Role, Token};

use crate::ingest::StoreArgs;
use crate::Outcome;

/// Serve the web UI and the JSON API (under /api/v1) from the store.
///
/// Everything is embedded: no request leaves the machine. The server listens on
/// 127.0.0.1 unless told otherwise, and refuses any other address unless access tokens
/// are set in claimgraph.toml ([[server.tokens]]); then every request must send one as
/// 'Authorization: Bearer TOKEN'. The API is described at /api/v1/openapi.json.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  claimgraph serve                          # http://127.0.0.1:8080
  claimgraph serve --db news.db --addr 127.0.0.1:9000
  curl -s 'http://127.0.0.1:8080/api/v1/incidents?kind=bombing&limit=10'")]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: ServeArgs) -> Result<Outcome> {
    let config = args.store.load()?;
    if !config.store_path.exists() {
        bail!("no database at {} (ingest something first, or pass --db)", config.store_path.display());
    }
    let tokens: Vec<Token> = config
        .tokens
        .iter()
        .map(|(t, r)| Token { token: t.clone(), role: if r == "analyst" { Role::Analyst } else { Role::Read } })
        .collect();
    check_bind(&args.addr, &tokens).map_err(anyhow::Error::msg)?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let state = AppState::open(&Config {
        db: config.store_path.clone(),
        grades: config.reliability.clone(),
        tokens,
        connections: (threads * 2).max(4),
        limits: Limits { expensive_permits: threads, ..Limits::default() },
    })
    .map_err(anyhow::Error::msg)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the server")?;
    eprintln!("serving {} on http://{} (Ctrl-C stops)", config.store_path.display(), args.addr);
    runtime
        .block_on(claimgraph_server::serve(args.addr, state))
        .with_context(|| format!("serving on {}", args.addr))?;
    Ok(Outcome::AllOk)
}
