//! `claimgraph`: the command-line tool.
//!
//! Subcommands live in their own modules; this file only parses arguments and maps
//! the outcome to an exit status: 0 when everything worked, 1 on a usage or fatal
//! error, 2 when some inputs failed but the others were processed (as ripgrep does).

mod bench;
mod demo;
mod exchange;
mod extract;
mod incidents;
mod ingest;
mod score;
mod search;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "claimgraph",
    version,
    about = "Turns news about political violence into a sourced record of incidents and claims.",
    long_about = "claimgraph reads news articles (text or HTML) and extracts what they say: \
entities, dates, casualty figures, incidents and who claims, blames or denies what. \
Every extracted item points at the characters it came from.",
    after_help = "Examples:\n  claimgraph demo                              # run on the bundled demo corpus\n  claimgraph extract --published 2024-01-04 article.txt\n  curl -s URL | claimgraph extract --format text -\n  claimgraph ingest articles/ && claimgraph search '\"islamic state\" AND claim*'"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Extract(extract::Args),
    Demo(demo::Args),
    Ingest(ingest::Args),
    Search(search::Args),
    Incidents(incidents::ListArgs),
    Incident(incidents::ShowArgs),
    Actor(incidents::ActorArgs),
    Resolve(incidents::ResolveArgs),
    Export(exchange::ExportArgs),
    Import(exchange::ImportArgs),
    Serve(serve::ServeArgs),
    Watch(ingest::WatchArgs),
    Bench(bench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => search::run(args),
        Command::Incidents(args) => incidents::run_list(args),
        Command::Incident(args) => incidents::run_show(args),
        Command::Actor(args) => incidents::run_actor(args),
        Command::Resolve(args) => incidents::run_resolve(args),
        Command::Export(args) => exchange::run_export(args),
        Command::Import(args) => exchange::run_import(args),
        Command::Serve(args) => serve::run(args),
        Command::Watch(args) => ingest::run_watch(args),
    };
    match outcome {
        Ok(Outcome::AllOk) => ExitCode::SUCCESS,
        Ok(Outcome::SomeFailed) => ExitCode::from(2),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("claimgraph: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    AllOk,
    SomeFailed,
}

/// `claimgraph extract … | head` closes the pipe early: that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
