//! The store: documents, their analyses and full-text search, in one SQLite file.
//!
//! This is the only crate that knows SQL. Callers see [`Store`], an interface at the
//! grain of whole documents and batches, so that a PostgreSQL backend can implement it
//! later; [`SqliteStore`] is the embedded default.
//!
//! Decisions:
//! * A document is written with all its rows (entities, incidents, claims, full-text
//!   entries) in the transaction of its batch: a crash at any moment leaves whole
//!   documents only (WAL journal, `synchronous = NORMAL`: safe against a killed process).
//! * A document's id is the content hash of its text, so the same text is stored once;
//!   the raw bytes' hash is kept too, so that input already seen is skipped before it
//!   is even analysed. The same URL with new text is a new version linked to the old.
//! * The schema carries its version in `PRAGMA user_version`; [`migrations`] brings any
//!   older file up to date when it is opened.

mod incidents;
mod migrations;
mod search;

use std::path::Path;

use claimgraph_model::Analysis;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

pub use incidents::{DocRef, IncidentFilter, IncidentSummary, MentionRow, Resolution, StoredClaim};
pub use migrations::SCHEMA_VERSION;
pub use search::{parse_query, Hit, HitKind, QueryError, SearchQuery};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database {path} has schema version {found}, newer than this claimgraph knows ({known}): upgrade claimgraph")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("the database {path} has schema version {found}, which no claimgraph writes: it is damaged or not a claimgraph store")]
    BadVersion { path: String, found: i64 },
    #[error("the database {path} is read-only and has schema version {found}, older than this claimgraph reads without migrating ({known}): open it once with write access to migrate it, or read a writable copy")]
    ReadOnlyOld { path: String, found: i64, known: i64 },
    #[error("the database {path} is read-only (the file or its folder cannot be written): writing needs write access to both")]
    ReadOnly { path: String },
    #[error("the database {path} is read-only and its write-ahead log {wal} holds writes not yet copied into it: open it once with write access (any claimgraph command) to fold them in")]
    UnreadableLog { path: String, wal: String },
    #[error("the database {path} is busy: another process has held its write lock for over {seconds} s (another ingest, import or resolve?); try again when it has finished")]
    Busy { path: String, seconds: u64 },
    #[error("malformed search query: {0}")]
    Query(#[from] QueryError),
    #[error("stored analysis of document {id} is not valid JSON: {source}")]
    Json { id: String, source: serde_json::Error },
    #[error("stored analysis of document {id} cannot be decompressed: {message}")]
    Corrupt { id: String, message: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How long a write waits for another connection's write lock before giving up.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether SQLite gave up waiting for a lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

/// Whether SQLite could not write (or create the journal files) for lack of permission.
fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied)
    )
}

impl StoreError {
    /// A lock timeout becomes [`StoreError::Busy`], a refused write
    /// [`StoreError::ReadOnly`], naming the file.
    fn on_write(self, path: &str) -> StoreError {
        match self {
            StoreError::Sqlite(e) if is_busy(&e) => {
                StoreError::Busy { path: path.to_string(), seconds: BUSY_TIMEOUT.as_secs() }
            }
            StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
                StoreError::ReadOnly { path: path.to_string() }
            }
            other => other,
        }
    }
}

/// One document ready to store: the rows it becomes, prepared from its analysis by
/// [`NewDocument::new`] — pure work that ingest does on its worker threads, so that the
/// single writer only runs the inserts.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: String,
    pub text: String,
    /// The analysis JSON (schema v1) without `document.text`, LZ4-compressed (JSON
    /// shrinks four- to fivefold; compressing is done by the caller's thread).
    pub analysis_lz4: Vec<u8>,
    /// Hash of the raw input bytes, for skipping input already seen.
    pub raw_hash: String,
    /// The file it was read from, if any.
    pub path: Option<String>,
    entities: Vec<EntityRow>,
    incidents: Vec<IncidentRow>,
    claims: Vec<ClaimRow>,
}

#[derive(Debug, Clone)]
struct EntityRow {
    id: String,
    name: String,
    kind: &'static str,
    country: Option<String>,
}

#[derive(Debug, Clone)]
struct IncidentRow {
    id: String,
    kind: &'static str,
    label: Option<String>,
    date: Option<String>,
    place: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    killed: Option<(f64, &'static str)>,
    injured: Option<(f64, &'static str)>,
    perpetrators: String,
}

#[derive(Debug, Clone)]
struct ClaimRow {
    id: String,
    kind: &'static str,
    speaker: Option<String>,
    speaker_entity: Option<String>,
    cue: Option<String>,
    targets: String,
    about: Option<String>,
    date: Option<String>,
    text: String,
}

impl NewDocument {
    /// Prepares an analysis for storing.
    pub fn new(analysis: Analysis, raw_hash: String, path: Option<String>) -> NewDocument {
        let analysis_lz4 =
            lz4_flex::compress_prepend_size(claimgraph_extract::schema::to_string_without_text(&analysis).as_bytes());
        let a = analysis;
        let text = a.document.text.as_str();
        let entities = a
            .entities
            .iter()
            .map(|e| EntityRow {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind.as_str(),
                country: e.country.clone(),
            })
            .collect();
        let incidents = a
            .incidents
            .iter()
            .map(|i| IncidentRow {
                id: i.id.clone(),
                kind: i.kind.as_str(),
                label: i.label.clone(),
                date: i.date.as_ref().map(ToString::to_string),
                place: i.place.as_ref().map(|p| p.name.clone()),
                country: i.place.as_ref().and_then(|p| p.country.clone()),
                lat: i.place.as_ref().and_then(|p| p.geo.map(|g| g.lat)),
                lon: i.place.as_ref().and_then(|p| p.geo.map(|g| g.lon)),
                killed: i.killed.as_ref().map(|f| (f.value, f.qualifier.as_str())),
                injured: i.injured.as_ref().map(|f| (f.value, f.qualifier.as_str())),
                perpetrators: serde_json::to_string(
                    &i.perpetrators
                        .iter()
                        .map(|p| serde_json::json!({"name": p.name, "entity": p.entity, "status": p.status.as_str()}))
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_default(),
            })
            .collect();
        let claims = a
            .claims
            .iter()
            .map(|c| ClaimRow {
                id: c.id.clone(),
                kind: c.kind.as_str(),
                speaker: c.speaker.name.clone(),
                speaker_entity: c.speaker.entity.clone(),
                cue: c.cue.clone(),
                targets: serde_json::to_string(&c.targets.iter().filter_map(|t| t.name.as_deref()).collect::<Vec<_>>())
                    .unwrap_or_default(),
                about: c.about.clone(),
                date: c.date.as_ref().map(ToString::to_string),
                text: c.content.of(text).to_string(),
            })
            .collect();
        let d = a.document;
        NewDocument {
            id: d.id,
            url: d.url,
            source: d.source,
            title: d.title,
            published: d.published.map(|p| p.to_string()),
            language: d.language,
            text: d.text,
            analysis_lz4,
            raw_hash,
            path,
            entities,
            incidents,
            claims,
        }
    }
}

/// What writing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Inserted,
    /// The same URL was stored before with other text: this is a new version of it.
    NewVersion,
    /// The same text is already stored.
    Duplicate,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: u64,
    pub entities: u64,
    pub incidents: u64,
    pub claims: u64,
}

/// HTTP validators of a feed, for conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A stored document's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub previous_version: Option<String>,
}

/// What a store of analysed documents must do. Writes are batched: a batch is one
/// transaction.
pub trait Store {
    /// Whether input with these raw bytes was stored already.
    fn has_raw(&self, raw_hash: &str) -> Result<bool>;
    /// Writes documents in one transaction.
    fn write_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<WriteOutcome>>;
    fn counts(&self) -> Result<Counts>;
    fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>>;
    fn document(&self, id: &str) -> Result<Option<(DocumentMeta, Value)>>;
    fn feed_state(&self, url: &str) -> Result<FeedState>;
    fn set_feed_state(&mut self, url: &str, state: &FeedState) -> Result<()>;
}

/// The embedded store: one SQLite file.
///
/// Every write transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up
/// front and waits up to [`BUSY_TIMEOUT`] for it. (A deferred transaction that reads
/// first and then writes cannot wait: in WAL mode SQLite fails it at once with "database
/// is locked" when another connection writes meanwhile.) A timeout is
/// [`StoreError::Busy`]. A file that cannot be written (read-only file or folder) is
/// opened read-only: reads work, writes fail.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    /// The file's name, for messages.
    name: String,
    read_only: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and migrates it to the current
    /// schema. An existing file this process may not write is opened read-only
    /// ([`SqliteStore::open_read_only`]).
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let name = path.display().to_string();
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The version is checked before anything is written: a file from a newer
        // claimgraph, or not a store at all, is left exactly as it was.
        let found = match migrations::check_version(&conn, &name) {
            Ok(found) => found,
            Err(StoreError::Sqlite(e)) if is_read_only(&e) && path.exists() => {
                return SqliteStore::open_read_only(path);
            }
            Err(e) => return Err(e),
        };
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return SqliteStore::read_only(conn, name, found);
        }
        match SqliteStore::init(conn, &name) {
            Err(StoreError::Sqlite(e)) if is_read_only(&e) && path.exists() => SqliteStore::open_read_only(path),
            other => other,
        }
    }

    /// Opens an existing database without ever writing to it (nor creating its journal
    /// files when they are missing and its folder is read-only). Its schema must be one
    /// the read queries work on ([`migrations::READABLE_SINCE`] or later): an older file
    /// cannot be migrated here.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        use rusqlite::OpenFlags;
        let name = path.display().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let found = match migrations::check_version(&conn, &name) {
            Ok(found) => found,
            // A WAL file needs its shared-memory file, which a read-only folder cannot
            // hold: then nobody can be writing it, and it may be read as immutable,
            // unless its log holds writes not yet copied into it (they would be missed).
            Err(StoreError::Sqlite(e)) if is_read_only(&e) => {
                let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::UnreadableLog { path: name, wal: wal.display().to_string() });
                }
                let uri = format!("file:{}?immutable=1", uri_path(path));
                let conn = Connection::open_with_flags(uri, flags)?;
                let found = migrations::check_version(&conn, &name)?;
                return SqliteStore::read_only(conn, name, found);
            }
            Err(e) => return Err(e),
        };
        SqliteStore::read_only(conn, name, found)
    }

    fn read_only(conn: Connection, name: String, found: i64) -> Result<SqliteStore> {
        if found < migrations::READABLE_SINCE {
            return Err(StoreError::ReadOnlyOld { path: name, found, known: migrations::READABLE_SINCE });
        }
        conn.pragma_update(None, "cache_size", -256_000)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(SqliteStore { conn, name, read_only: true })
    }

    /// A store in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory()?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        SqliteStore::init(conn, ":memory:")
    }

    fn init(conn: Connection, name: &str) -> Result<SqliteStore> {
        // Larger pages: fewer B-tree pages and overflow chains for article-sized rows
        // (takes effect only when the file is created).
        conn.pragma_update(None, "page_size", 8192)?;
        switch_to_wal(&conn).map_err(|e| StoreError::from(e).on_write(name))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A 256 MB page cache (the indexes of a large store stay in memory while
        // ingesting), and WAL checkpoints every ~400 MB rather than every 8 MB: pages
        // written by many batches are copied to the database once.
        conn.pragma_update(None, "cache_size", -256_000)?;
        conn.pragma_update(None, "wal_autocheckpoint", 50_000)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = SqliteStore { conn, name: name.to_string(), read_only: false };
        migrations::migrate(&mut store.conn, name).map_err(|e| e.on_write(name))?;
        Ok(store)
    }

    /// Whether this store was opened read-only (the file or its folder is not writable).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `f` in one write transaction holding the write lock (see [`SqliteStore`]) and
    /// commits it. Every error on the way names the file: a lock timeout is
    /// [`StoreError::Busy`], a refused write [`StoreError::ReadOnly`].
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly { path: self.name.clone() });
        }
        let run = |conn: &mut Connection| -> Result<T> {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(&mut self.conn).map_err(|e| e.on_write(&self.name))
    }

    /// Copies the write-ahead log into the database file (done at the end of a run, so
    /// that its cost is part of it and the next reader finds a short log).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Documents whose row counts disagree with their stored analysis (entities,
    /// incidents, claims): empty when every document was written whole.
    pub fn partial_documents(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id FROM documents d WHERE
               d.n_entities != (SELECT count(*) FROM entities e WHERE e.doc = d.seq)
            OR d.n_incidents != (SELECT count(*) FROM incidents i WHERE i.doc = d.seq)
            OR d.n_claims != (SELECT count(*) FROM claims c WHERE c.doc = d.seq)",
        )?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    fn insert_document(tx: &rusqlite::Transaction, doc: &NewDocument) -> Result<WriteOutcome> {
        let existing: Option<i64> = tx
            .prepare_cached("SELECT seq FROM documents WHERE id = ?1")?
            .query_row([&doc.id], |r| r.get(0))
            .optional()?;
        if let Some(seq) = existing {
            // Remember the raw bytes too, so the next run skips them before analysis.
            tx.prepare_cached("INSERT OR IGNORE INTO raw_inputs (raw_hash, doc) VALUES (?1, ?2)")?
                .execute(params![doc.raw_hash, seq])?;
            return Ok(WriteOutcome::Duplicate);
        }
        let previous: Option<String> = match &doc.url {
            Some(url) => tx
                .prepare_cached("SELECT id FROM documents WHERE url = ?1 ORDER BY seq DESC LIMIT 1")?
                .query_row([url], |r| r.get(0))
                .optional()?,
            None => None,
        };
        tx.prepare_cached(
            "INSERT INTO documents (id, url, source, title, published, language, path, text, analysis,
                                    previous_version, n_entities, n_incidents, n_claims, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        )?
        .execute(params![
            doc.id,
            doc.url,
            doc.source,
            doc.title,
            doc.published,
            doc.language,
            doc.path,
            doc.text,
            doc.analysis_lz4,
            previous,
            doc.entities.len() as i64,
            doc.incidents.len() as i64,
            doc.claims.len() as i64,
        ])?;
        let seq = tx.last_insert_rowid();
        tx.prepare_cached("INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?.execute(params![
            seq,
            doc.title.as_deref().unwrap_or(""),
            doc.text
        ])?;
        tx.prepare_cached("INSERT OR IGNORE INTO raw_inputs (raw_hash, doc) VALUES (?1, ?2)")?
            .execute(params![doc.raw_hash, seq])?;
        let mut stmt = tx.prepare_cached(
            "INSERT INTO entities (doc, n, local_id, name, kind, country) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (n, e) in doc.entities.iter().enumerate() {
            stmt.execute(params![seq, n as i64, e.id, e.name, e.kind, e.country])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO incidents (doc, n, local_id, kind, label, date, place, country, lat, lon,
                                    killed, killed_qualifier, injured, injured_qualifier, perpetrators)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        for (n, i) in doc.incidents.iter().enumerate() {
            stmt.execute(params![
                seq,
                n as i64,
                i.id,
                i.kind,
                i.label,
                i.date,
                i.place,
                i.country,
                i.lat,
                i.lon,
                i.killed.map(|k| k.0),
                i.killed.map(|k| k.1),
                i.injured.map(|k| k.0),
                i.injured.map(|k| k.1),
                i.perpetrators,
            ])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO claims (doc, n, local_id, kind, speaker, speaker_entity, cue, targets, about, date, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for (n, c) in doc.claims.iter().enumerate() {
            stmt.execute(params![
                seq,
                n as i64,
                c.id,
                c.kind,
                c.speaker,
                c.speaker_entity,
                c.cue,
                c.targets,
                c.about,
                c.date,
                c.text
            ])?;
        }
        Ok(if previous.is_some() { WriteOutcome::NewVersion } else { WriteOutcome::Inserted })
    }
}

impl Store for SqliteStore {
    fn has_raw(&self, raw_hash: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM raw_inputs WHERE raw_hash = ?1", [raw_hash], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn write_batch(&mut self, docs: &[NewDocument]) -> Result<Vec<WriteOutcome>> {
        self.write(|tx| docs.iter().map(|doc| SqliteStore::insert_document(tx, doc)).collect())
    }

    fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            Ok(self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            documents: count("documents")?,
            entities: count("entities")?,
            incidents: count("incidents")?,
            claims: count("claims")?,
        })
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>> {
        search::run(&self.conn, query)
    }

    fn document(&self, id: &str) -> Result<Option<(DocumentMeta, Value)>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, url, title, source, published, previous_version, analysis, text FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        DocumentMeta {
                            id: r.get(0)?,
                            url: r.get(1)?,
                            title: r.get(2)?,
                            source: r.get(3)?,
                            published: r.get(4)?,
                            previous_version: r.get(5)?,
                        },
                        r.get::<_, Vec<u8>>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((meta, analysis, text)) = row else { return Ok(None) };
        let analysis = lz4_flex::decompress_size_prepended(&analysis)
            .map_err(|e| StoreError::Corrupt { id: meta.id.clone(), message: e.to_string() })?;
        let mut value: Value =
            serde_json::from_slice(&analysis).map_err(|source| StoreError::Json { id: meta.id.clone(), source })?;
        if let Some(doc) = value.get_mut("document").and_then(Value::as_object_mut) {
            doc.insert("text".to_string(), Value::String(text));
        }
        Ok(Some((meta, value)))
    }

    fn feed_state(&self, url: &str) -> Result<FeedState> {
        Ok(self
            .conn
            .query_row("SELECT etag, last_modified FROM feeds WHERE url = ?1", [url], |r| {
                Ok(FeedState { etag: r.get(0)?, last_modified: r.get(1)? })
            })
            .optional()?
            .unwrap_or_default())
    }

    fn set_feed_state(&mut self, url: &str, state: &FeedState) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO feeds (url, etag, last_modified, checked_at) VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                 ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                                                checked_at = excluded.checked_at",
                params![url, state.etag, state.last_modified],
            )?;
            Ok(())
        })
    }
}

/// Puts the database in WAL mode. While another process is creating the same file,
/// SQLite can refuse the switch with SQLITE_BUSY at once, without waiting in its busy
/// handler (two ingests started together on a new file: one failed "database is
/// locked"), so the switch itself is retried for up to [`BUSY_TIMEOUT`].
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<()> {
    let start = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e) if is_busy(&e) && start.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// `path` as the path part of a `file:` URI.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.display().to_string().bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An input that failed and has not been read since (`claimgraph ingest --failed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFailure {
    /// A path, `path:line` or URL.
    pub origin: String,
    /// Why it failed the last time.
    pub reason: String,
    /// Runs in which it failed.
    pub attempts: u64,
    pub first_failed_at: String,
    pub last_failed_at: String,
}

/// Failed inputs (schema v4): recorded by ingest, cleared once an input is read.
impl SqliteStore {
    /// Records that `origin` failed for `reason` (again, if it had before).
    pub fn record_failure(&mut self, origin: &str, reason: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO failures (origin, reason, attempts, first_failed_at, last_failed_at)
                 VALUES (?1, ?2, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                 ON CONFLICT(origin) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1,
                                                   last_failed_at = excluded.last_failed_at",
                params![origin, reason],
            )?;
            Ok(())
        })
    }

    /// Forgets the failure of `origin` (it has been read); whether there was one.
    pub fn clear_failure(&mut self, origin: &str) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM failures WHERE origin = ?1", [origin])? > 0))
    }

    /// Every recorded failure, oldest first.
    pub fn failures(&self) -> Result<Vec<StoredFailure>> {
        let mut stmt = self.conn.prepare(
            "SELECT origin, reason, attempts, first_failed_at, last_failed_at FROM failures
             ORDER BY first_failed_at, origin",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredFailure {
                origin: r.get(0)?,
                reason: r.get(1)?,
                attempts: r.get::<_, i64>(2)? as u64,
                first_failed_at: r.get(3)?,
                last_failed_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimgraph_extract::{Extractor, Meta};

    fn doc(extractor: &Extractor, text: &str, url: Option<&str>) -> NewDocument {
        let meta = Meta { url: url.map(str::to_string), ..Meta::default() };
        let analysis = extractor.extract(text.as_bytes(), &meta).unwrap();
        NewDocument::new(analysis, claimgraph_extract::document::content_id(text), None)
    }

    #[test]
    fn same_text_once_same_url_new_version() {
        let ex = Extractor::new();
        let mut store = SqliteStore::open_in_memory().unwrap();
        let a = doc(&ex, "Gunmen killed 12 people in Kabul on Monday, police said.", Some("https://a.example/1"));
        let b = doc(&ex, "Gunmen killed 14 people in Kabul on Monday, police said.", Some("https://a.example/1"));
        assert_eq!(store.write_batch(std::slice::from_ref(&a)).unwrap(), [WriteOutcome::Inserted]);
        assert_eq!(store.write_batch(std::slice::from_ref(&a)).unwrap(), [WriteOutcome::Duplicate]);
        assert_eq!(store.write_batch(std::slice::from_ref(&b)).unwrap(), [WriteOutcome::NewVersion]);
        assert!(store.has_raw(&a.raw_hash).unwrap());
        let (meta, json) = store.document(&b.id).unwrap().unwrap();
        assert_eq!(meta.previous_version.as_deref(), Some(a.id.as_str()));
        assert!(json["document"]["text"].as_str().unwrap().contains("14 people"));
        let counts = store.counts().unwrap();
        assert_eq!(counts.documents, 2);
        assert!(counts.claims >= 2, "{counts:?}");
        assert!(store.partial_documents().unwrap().is_empty());
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    /// A fresh folder under the system's temporary one.
    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("claimgraph-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn user_version_minus_one_is_an_error_not_a_panic() {
        let dir = scratch("minus-one");
        let path = dir.join("odd.db");
        Connection::open(&path).unwrap().pragma_update(None, "user_version", -1).unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::BadVersion { found: -1, .. }), "{err}");
        assert!(err.to_string().contains("odd.db"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn newer_schema_is_refused_before_switching_to_wal() {
        let dir = scratch("newer");
        let path = dir.join("future.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        }
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
        let conn = Connection::open(&path).unwrap();
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "delete", "the refused file was switched to WAL");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION + 1);
        drop(conn);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn read_only_database_can_be_read() {
        let ex = Extractor::new();
        let dir = scratch("read-only");
        let path = dir.join("news.db");
        let a = doc(&ex, "Gunmen killed 5 people in Peshawar on Monday, police said.", None);
        {
            let mut store = SqliteStore::open(&path).unwrap();
            store.write_batch(std::slice::from_ref(&a)).unwrap();
            store.checkpoint().unwrap();
        }
        let mut store = SqliteStore::open_read_only(&path).unwrap();
        assert!(store.is_read_only());
        assert_eq!(store.counts().unwrap().documents, 1);
        assert!(store.document(&a.id).unwrap().is_some());
        let query = SearchQuery { query: "peshawar".into(), limit: 10, ..SearchQuery::default() };
        assert!(!store.search(&query).unwrap().is_empty());
        let b = doc(&ex, "A bomb killed 2 people in Quetta on Friday.", None);
        let err = store.write_batch(&[b]).unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
        drop(store);
        // An older schema cannot be migrated read-only: a clear error, not a write.
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 2).unwrap();
        let err = SqliteStore::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::ReadOnlyOld { found: 2, .. }), "{err}");
        // One that reads need no migration for is read as it is.
        Connection::open(&path).unwrap().pragma_update(None, "user_version", migrations::READABLE_SINCE).unwrap();
        assert_eq!(SqliteStore::open_read_only(&path).unwrap().counts().unwrap().documents, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_take_the_lock_up_front_and_wait_their_busy_timeout() {
        // A deferred transaction reads first, then fails at once with "database is
        // locked" when another connection holds the write lock; BEGIN IMMEDIATE waits.
        let ex = Extractor::new();
        let dir = scratch("busy-wait");
        let path = dir.join("news.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE; INSERT INTO feeds (url) VALUES ('held');").unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            holder.execute_batch("COMMIT").unwrap();
        });
        let a = doc(&ex, "Gunmen killed 7 people in Kabul on Monday, police said.", None);
        let started = std::time::Instant::now();
        let written = store.write_batch(std::slice::from_ref(&a));
        release.join().unwrap();
        assert_eq!(written.unwrap(), [WriteOutcome::Inserted]);
        assert!(started.elapsed() >= std::time::Duration::from_millis(1000), "the write did not wait for the lock");
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn feed_state_round_trips() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let url = "https://feeds.example/rss";
        assert_eq!(store.feed_state(url).unwrap(), FeedState::default());
        let state =
            FeedState { etag: Some("\"abc\"".into()), last_modified: Some("Tue, 03 Jan 2024 10:00:00 GMT".into()) };
        store.set_feed_state(url, &state).unwrap();
        assert_eq!(store.feed_state(url).unwrap(), state);
    }

    #[test]
    fn failures_are_recorded_counted_and_cleared() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        assert!(store.failures().unwrap().is_empty());
        store.record_failure("https://n.example/a", "HTTP 503").unwrap();
        store.record_failure("https://n.example/a", "HTTP 502").unwrap();
        store.record_failure("wire.jsonl:7", "not a JSON record").unwrap();
        let failures = store.failures().unwrap();
        assert_eq!(failures.len(), 2);
        let a = failures.iter().find(|f| f.origin == "https://n.example/a").unwrap();
        assert_eq!((a.reason.as_str(), a.attempts), ("HTTP 502", 2));
        assert!(store.clear_failure("https://n.example/a").unwrap());
        assert!(!store.clear_failure("https://n.example/a").unwrap());
        assert_eq!(store.failures().unwrap().len(), 1);
    }
}
