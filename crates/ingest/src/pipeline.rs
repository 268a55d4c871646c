//! The ingest pipeline: read inputs, analyse on every core, write in batches.
//!
//! One reader thread walks the inputs (skipping bytes the store has seen, before any
//! analysis), N worker threads run the extractor, and the calling thread writes batches
//! to the store, each batch one transaction. Channels are bounded, so memory stays flat
//! however large the input. Feed validators are stored only after everything has been
//! written, so an interrupted run fetches those feeds in full again rather than losing
//! their items. A stop flag (Ctrl-C) ends reading; what was read is still analysed and
//! written before returning.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::Instant;

use claimgraph_extract::Extractor;
use claimgraph_store::{FeedState, NewDocument, SqliteStore, Store, WriteOutcome};
use sha2::{Digest, Sha256};

use crate::fetch::Fetcher;
use crate::sources::{read_inputs, Event, Failure, RawDoc};

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub threads: usize,
    pub batch_size: usize,
    /// Read and analyse, but store nothing (and skip nothing as seen before): the
    /// baseline ingest's throughput is compared with.
    pub dry_run: bool,
    /// The per-document budget of the analysis.
    pub extract: claimgraph_extract::Options,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub ingested: u64,
    /// Of `ingested`: new versions of a URL stored before.
    pub new_versions: u64,
    pub duplicates: u64,
    pub failed: Vec<Failure>,
    pub bytes: u64,
    pub seconds: f64,
    /// Stopped early (Ctrl-C).
    pub interrupted: bool,
}

/// Progress, reported after every batch and every second or so.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub documents: u64,
    pub bytes: u64,
}

enum Analysed {
    Doc(Box<NewDocument>, u64),
    Failed(Failure),
}

fn raw_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Ingests `inputs` into the store at `store_path`.
pub fn ingest(
    inputs: &[String],
    store_path: &Path,
    fetcher: Option<&Fetcher>,
    options: &Options,
    stop: &Arc<AtomicBool>,
    on_progress: &mut dyn FnMut(Progress),
) -> claimgraph_store::Result<Summary> {
    let start = Instant::now();
    let (mut store, reader_store) = if options.dry_run {
        (SqliteStore::open_in_memory()?, SqliteStore::open_in_memory()?)
    } else {
        (SqliteStore::open(store_path)?, SqliteStore::open(store_path)?)
    };
    let dry_run = options.dry_run;
    let extractor = Arc::new(Extractor::with_options(options.extract));
    let threads = options.threads.max(1);
    let (raw_tx, raw_rx) = sync_channel::<RawDoc>(threads * 32);
    let raw_rx = Arc::new(std::sync::Mutex::new(raw_rx));
    let (out_tx, out_rx) = sync_channel::<Analysed>(threads * 128);
    let mut summary = Summary::default();
    let mut feeds: Vec<(String, FeedState)> = Vec::new();

    std::thread::scope(|scope| -> claimgraph_store::Result<()> {
        // Reader.
        let reader_out = out_tx.clone();
        let reader = std::thread::Builder::new()
            .name("cg-read".into())
            .spawn_scoped(scope, {
                let stop = Arc::clone(stop);
                move || {
                    let mut duplicates = 0u64;
                    let mut feeds = Vec::new();
                    let feed_state = |url: &str| reader_store.feed_state(url).unwrap_or_default();
                    read_inputs(inputs, fetcher, &feed_state, &mut |event| {
                        if stop.load(Ordering::Relaxed) {
                            return false;
                        }
                        match event {
                            Event::Doc(doc) => {
                                if reader_store.has_raw(&raw_hash(&doc.bytes)).unwrap_or(false) {
                                    duplicates += 1;
                                    return true;
                                }
                                raw_tx.send(doc).is_ok()
                            }
                            Event::Failed(f) => reader_out.send(Analysed::Failed(f)).is_ok(),
                            Event::FeedRead { url, state } => {
                                feeds.push((url, state));
                                true
                            }
                        }
                    });
                    drop(raw_tx);
                    (duplicates, feeds)
                }
            })
            .expect("spawning the reader thread");
        // Workers.
        for _ in 0..threads {
            let rx = Arc::clone(&raw_rx);
            let tx = out_tx.clone();
            let extractor = Arc::clone(&extractor);
            std::thread::Builder::new()
                .name("cg-analyse".into())
                .spawn_scoped(scope, move || worker(&extractor, &rx, &tx))
                .expect("spawning an analysis thread");
        }
        drop(out_tx);
        // Writer: this thread.
        let mut batch: Vec<NewDocument> = Vec::with_capacity(options.batch_size);
        let mut batch_bytes = 0u64;
        let mut last_report = Instant::now();
        let write = |batch: &mut Vec<NewDocument>,
                     summary: &mut Summary,
                     store: &mut SqliteStore|
         -> claimgraph_store::Result<()> {
            if dry_run {
                summary.ingested += batch.len() as u64;
                batch.clear();
                return Ok(());
            }
            for outcome in store.write_batch(batch)? {
                match outcome {
                    WriteOutcome::Inserted => summary.ingested += 1,
                    WriteOutcome::NewVersion => {
                        summary.ingested += 1;
                        summary.new_versions += 1;
                    }
                    WriteOutcome::Duplicate => summary.duplicates += 1,
                }
            }
            batch.clear();
            Ok(())
        };
        for item in out_rx {
            match item {
                Analysed::Doc(doc, bytes) => {
                    batch.push(*doc);
                    batch_bytes += bytes;
                }
                Analysed::Failed(f) => summary.failed.push(f),
            }
            if batch.len() >= options.batch_size {
                write(&mut batch, &mut summary, &mut store)?;
                summary.bytes += batch_bytes;
                batch_bytes = 0;
            }
            if last_report.elapsed().as_millis() >= 200 {
                on_progress(Progress {
                    documents: summary.ingested + summary.duplicates + batch.len() as u64,
                    bytes: summary.bytes + batch_bytes,
                });
                last_report = Instant::now();
            }
        }
        write(&mut batch, &mut summary, &mut store)?;
        summary.bytes += batch_bytes;
        let (duplicates, read_feeds) = reader.join().unwrap_or_default();
        summary.duplicates += duplicates;
        feeds = read_feeds;
        Ok(())
    })?;
    // Validators last: only now are the feeds' items safely stored.
    if !stop.load(Ordering::Relaxed) {
        for (url, state) in &feeds {
            store.set_feed_state(url, state)?;
        }
    }
    if !dry_run {
        store.checkpoint()?;
    }
    summary.interrupted = stop.load(Ordering::Relaxed);
    summary.seconds = start.elapsed().as_secs_f64();
    on_progress(Progress { documents: summary.ingested + summary.duplicates, bytes: summary.bytes });
    Ok(summary)
}

fn worker(extractor: &Extractor, rx: &std::sync::Mutex<Receiver<RawDoc>>, tx: &std::sync::mpsc::SyncSender<Analysed>) {
    loop {
        let doc = {
            let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
            rx.recv()
        };
        let Ok(doc) = doc else { return };
        let bytes = doc.bytes.len() as u64;
        let hash = raw_hash(&doc.bytes);
        // A bug that panics on one document must cost that document, not the run: the
        // others go on, and the failure names the input so it can be reported.
        let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            extractor.extract(&doc.bytes, &doc.meta).map(|a| NewDocument::new(a, hash, doc.path.clone()))
        }));
        let out = match analysed {
            Ok(Ok(new)) => Analysed::Doc(Box::new(new), bytes),
            Ok(Err(e)) => Analysed::Failed(Failure { origin: doc.origin, reason: e.to_string() }),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown".to_string());
                Analysed::Failed(Failure {
                    origin: doc.origin,
                    reason: format!("internal error while analysing it (please report this input): {message}"),
                })
            }
        };
        if tx.send(out).is_err() {
            return;
        }
    }
}
