//! The ingest pipeline: read inputs, analyse on every core, write in batches.
//!
//! One reader thread walks the inputs (skipping bytes the store has seen, before any
//! analysis), N worker threads run the extractor, and the calling thread writes batches
//! to the store, each batch one transaction. Channels are bounded, so memory stays flat
//! however large the input. Feed validators are stored only after everything has been
//! written, so an interrupted run fetches those feeds in full again rather than losing
//! their items (and not at all while an item of the feed failed: see [`crate::sources`]).
//! Failures are kept in the store until the input is read (`claimgraph ingest --failed`
//! lists them). A stop flag (Ctrl-C) ends reading; what was read is still analysed and
//! written before returning.
//!
//! A store error (the writer's or the reader's) ends the run with that error, never a
//! hang: the writer drops the analysed channel, so the workers' sends fail and they
//! stop; they own the only receiver of the raw channel, so the reader's sends fail next
//! and it stops too (it also checks an abort flag before each input).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::Instant;

use claimgraph_extract::Extractor;
use claimgraph_store::{FeedState, NewDocument, SqliteStore, Store, StoreError, WriteOutcome};
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
    /// Of `ingested` and `duplicates`: feed items stored from the feed's summary because
    /// their page could not be fetched (each is in `failed` too, and retried next run).
    pub from_summaries: u64,
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
    /// A document, its raw size, and its origin when that had failed before.
    Doc(Box<NewDocument>, u64, Option<String>),
    Failed(Failure),
}

/// What the reader counted: duplicates, documents from feed summaries, inputs that
/// failed before and were read now, and the feeds read with their validators.
type ReaderEnd = (u64, u64, Vec<String>, Vec<(String, Option<FeedState>)>);

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
    if store.is_read_only() {
        // Say so before reading anything, rather than at the first batch.
        return Err(StoreError::ReadOnly { path: store_path.display().to_string() });
    }
    let dry_run = options.dry_run;
    let extractor = Arc::new(Extractor::with_options(options.extract));
    let threads = options.threads.max(1);
    let (raw_tx, raw_rx) = sync_channel::<RawDoc>(threads * 32);
    let raw_rx = Arc::new(std::sync::Mutex::new(raw_rx));
    let (out_tx, out_rx) = sync_channel::<Analysed>(threads * 128);
    let mut summary = Summary::default();
    let mut feeds: Vec<(String, Option<FeedState>)> = Vec::new();
    // Inputs that failed in an earlier run: those read now are cleared at the end.
    let failed_before: std::collections::HashSet<String> =
        if dry_run { Default::default() } else { store.failures()?.into_iter().map(|f| f.origin).collect() };
    let mut recovered: Vec<String> = Vec::new();

    // Set when the writer fails: the reader stops at its next input.
    let abort = AtomicBool::new(false);
    std::thread::scope(|scope| -> claimgraph_store::Result<()> {
        let abort = &abort;
        // Reader.
        let reader_out = out_tx.clone();
        let reader = std::thread::Builder::new()
            .name("cg-read".into())
            .spawn_scoped(scope, {
                let stop = Arc::clone(stop);
                let failed_before = &failed_before;
                move || -> claimgraph_store::Result<ReaderEnd> {
                    let mut duplicates = 0u64;
                    let mut from_summaries = 0u64;
                    let mut recovered = Vec::new();
                    let mut feeds = Vec::new();
                    // The first store error ends reading; it is the run's error.
                    let error = std::cell::RefCell::new(None);
                    let feed_state = |url: &str| match reader_store.feed_state(url) {
                        Ok(state) => state,
                        Err(e) => {
                            error.borrow_mut().get_or_insert(e);
                            FeedState::default()
                        }
                    };
                    read_inputs(inputs, fetcher, &feed_state, &mut |event| {
                        if stop.load(Ordering::Relaxed) || abort.load(Ordering::Relaxed) || error.borrow().is_some() {
                            return false;
                        }
                        match event {
                            Event::Doc(doc) => {
                                from_summaries += u64::from(doc.from_summary);
                                match reader_store.has_raw(&raw_hash(&doc.bytes)) {
                                    Ok(true) => {
                                        duplicates += 1;
                                        if !doc.from_summary && failed_before.contains(&doc.origin) {
                                            recovered.push(doc.origin);
                                        }
                                        return true;
                                    }
                                    Ok(false) => {}
                                    Err(e) => {
                                        error.borrow_mut().get_or_insert(e);
                                        return false;
                                    }
                                }
                                // Fails only when every worker has gone (the writer failed).
                                raw_tx.send(doc).is_ok()
                            }
                            Event::Failed(f) => reader_out.send(Analysed::Failed(f)).is_ok(),
                            Event::FeedRead { url, state } => {
                                if failed_before.contains(&url) {
                                    recovered.push(url.clone());
                                }
                                feeds.push((url, state));
                                true
                            }
                        }
                    });
                    drop(raw_tx);
                    match error.into_inner() {
                        Some(e) => Err(e),
                        None => Ok((duplicates, from_summaries, recovered, feeds)),
                    }
                }
            })
            .expect("spawning the reader thread");
        // Workers. They own the receiving end of the raw channel: when they have all
        // stopped (the writer is gone), the reader's sends fail rather than block.
        for _ in 0..threads {
            let rx = Arc::clone(&raw_rx);
            let tx = out_tx.clone();
            let extractor = Arc::clone(&extractor);
            let failed_before = &failed_before;
            std::thread::Builder::new()
                .name("cg-analyse".into())
                .spawn_scoped(scope, move || worker(&extractor, &rx, &tx, failed_before))
                .expect("spawning an analysis thread");
        }
        drop(raw_rx);
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
        let written = (|| -> claimgraph_store::Result<()> {
            for item in &out_rx {
                match item {
                    Analysed::Doc(doc, bytes, origin) => {
                        batch.push(*doc);
                        batch_bytes += bytes;
                        recovered.extend(origin);
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
            Ok(())
        })();
        if written.is_err() {
            // Stop everything: the reader at its next input, the workers at their next
            // send (the channel's receiver is dropped here), then the reader's sends.
            abort.store(true, Ordering::Relaxed);
        }
        drop(out_rx);
        let read = reader.join().unwrap_or_else(|_| Ok(ReaderEnd::default()));
        written?;
        let (duplicates, from_summaries, read_recovered, read_feeds) = read?;
        summary.duplicates += duplicates;
        summary.from_summaries = from_summaries;
        recovered.extend(read_recovered);
        feeds = read_feeds;
        Ok(())
    })?;
    // Validators last: only now are the feeds' items safely stored.
    if !stop.load(Ordering::Relaxed) {
        for (url, state) in &feeds {
            if let Some(state) = state {
                store.set_feed_state(url, state)?;
            }
        }
    }
    if !dry_run {
        // Cleared first: an input both read and failed (a feed item kept from its
        // summary) stays listed as failed.
        for origin in &recovered {
            store.clear_failure(origin)?;
        }
        for f in &summary.failed {
            store.record_failure(&f.origin, &f.reason)?;
        }
        store.checkpoint()?;
    }
    summary.interrupted = stop.load(Ordering::Relaxed);
    summary.seconds = start.elapsed().as_secs_f64();
    on_progress(Progress { documents: summary.ingested + summary.duplicates, bytes: summary.bytes });
    Ok(summary)
}

fn worker(
    extractor: &Extractor,
    rx: &std::sync::Mutex<Receiver<RawDoc>>,
    tx: &std::sync::mpsc::SyncSender<Analysed>,
    failed_before: &std::collections::HashSet<String>,
) {
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
            Ok(Ok(new)) => {
                let recovered = (!doc.from_summary && failed_before.contains(&doc.origin)).then_some(doc.origin);
                Analysed::Doc(Box::new(new), bytes, recovered)
            }
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
