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

mod migrations;
mod search;

use std::path::Path;

use claimgraph_model::Analysis;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

pub use migrations::SCHEMA_VERSION;
pub use search::{parse_query, Hit, HitKind, QueryError, SearchQuery};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database {path} has schema version {found}, newer than this claimgraph knows ({known}): upgrade claimgraph")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("malformed search query: {0}")]
    Query(#[from] QueryError),
    #[error("stored analysis of document {id} is not valid JSON: {source}")]
    Json { id: String, source: serde_json::Error },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One document to store: its analysis and where it came from.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub analysis: Analysis,
    /// Hash of the raw input bytes, for skipping input already seen.
    pub raw_hash: String,
    /// The file it was read from, if any.
    pub path: Option<String>,
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
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and migrates it to the current
    /// schema.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = Connection::open(path)?;
        SqliteStore::init(conn, &path.display().to_string())
    }

    /// A store in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteStore> {
        SqliteStore::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, name: &str) -> Result<SqliteStore> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = SqliteStore { conn };
        migrations::migrate(&mut store.conn, name)?;
        Ok(store)
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
               d.n_entities != (SELECT count(*) FROM entities e WHERE e.doc = d.id)
            OR d.n_incidents != (SELECT count(*) FROM incidents i WHERE i.doc = d.id)
            OR d.n_claims != (SELECT count(*) FROM claims c WHERE c.doc = d.id)",
        )?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    fn insert_document(tx: &rusqlite::Transaction, doc: &NewDocument) -> Result<WriteOutcome> {
        let a = &doc.analysis;
        let d = &a.document;
        let exists: bool =
            tx.query_row("SELECT 1 FROM documents WHERE id = ?1", [&d.id], |_| Ok(true)).optional()?.is_some();
        if exists {
            // Remember the raw bytes too, so the next run skips them before analysis.
            tx.execute(
                "INSERT OR IGNORE INTO raw_inputs (raw_hash, doc) VALUES (?1, ?2)",
                params![doc.raw_hash, d.id],
            )?;
            return Ok(WriteOutcome::Duplicate);
        }
        let previous: Option<String> = match &d.url {
            Some(url) => tx
                .query_row("SELECT id FROM documents WHERE url = ?1 ORDER BY rowid DESC LIMIT 1", [url], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let json = claimgraph_extract::schema::to_json(a);
        let mut stored = json.clone();
        // The text has its own column (and feeds the full-text index): do not keep it twice.
        if let Some(doc) = stored.get_mut("document").and_then(Value::as_object_mut) {
            doc.remove("text");
        }
        tx.execute(
            "INSERT INTO documents (id, url, source, title, published, language, path, text, analysis,
                                    previous_version, n_entities, n_incidents, n_claims, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            params![
                d.id,
                d.url,
                d.source,
                d.title,
                d.published.map(|p| p.to_string()),
                d.language,
                doc.path,
                d.text,
                stored.to_string(),
                previous,
                a.entities.len() as i64,
                a.incidents.len() as i64,
                a.claims.len() as i64,
            ],
        )?;
        let rowid = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            params![rowid, d.title.as_deref().unwrap_or(""), d.text],
        )?;
        tx.execute("INSERT OR IGNORE INTO raw_inputs (raw_hash, doc) VALUES (?1, ?2)", params![doc.raw_hash, d.id])?;
        let empty = Vec::new();
        let list = |key: &str| json.get(key).and_then(Value::as_array).unwrap_or(&empty);
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO entities (doc, local_id, name, kind, country, lat, lon, aliases, mentions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for e in list("entities") {
                stmt.execute(params![
                    d.id,
                    e["id"].as_str(),
                    e["name"].as_str(),
                    e["kind"].as_str(),
                    e["country"].as_str(),
                    e["geo"]["lat"].as_f64(),
                    e["geo"]["lon"].as_f64(),
                    e["aliases"].to_string(),
                    e["mentions"].to_string(),
                ])?;
            }
        }
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO incidents (doc, local_id, kind, label, date, place, country, lat, lon,
                                        killed, killed_qualifier, injured, injured_qualifier, perpetrators, mentions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
            for i in list("incidents") {
                stmt.execute(params![
                    d.id,
                    i["id"].as_str(),
                    i["kind"].as_str(),
                    i["label"].as_str(),
                    i["date"].as_str(),
                    i["place"]["name"].as_str(),
                    i["place"]["country"].as_str(),
                    i["place"]["lat"].as_f64(),
                    i["place"]["lon"].as_f64(),
                    i["killed"]["value"].as_f64(),
                    i["killed"]["qualifier"].as_str(),
                    i["injured"]["value"].as_f64(),
                    i["injured"]["qualifier"].as_str(),
                    i["perpetrators"].to_string(),
                    i["mentions"].to_string(),
                ])?;
            }
        }
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO claims (doc, local_id, kind, speaker, speaker_entity, cue, targets, about, date, text,
                                     span_start, span_end)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut fts =
                tx.prepare_cached("INSERT INTO claims_fts (rowid, text, speaker, cue) VALUES (?1, ?2, ?3, ?4)")?;
            for c in list("claims") {
                stmt.execute(params![
                    d.id,
                    c["id"].as_str(),
                    c["kind"].as_str(),
                    c["speaker"]["name"].as_str(),
                    c["speaker"]["entity"].as_str(),
                    c["cue"].as_str(),
                    c["targets"].to_string(),
                    c["about"].as_str(),
                    c["date"].as_str(),
                    c["text"].as_str(),
                    c["span"]["start"].as_i64(),
                    c["span"]["end"].as_i64(),
                ])?;
                fts.execute(params![
                    tx.last_insert_rowid(),
                    c["text"].as_str(),
                    c["speaker"]["name"].as_str().unwrap_or(""),
                    c["cue"].as_str().unwrap_or("")
                ])?;
            }
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
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        for doc in docs {
            outcomes.push(SqliteStore::insert_document(&tx, doc)?);
        }
        tx.commit()?;
        Ok(outcomes)
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
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((meta, analysis, text)) = row else { return Ok(None) };
        let mut value: Value =
            serde_json::from_str(&analysis).map_err(|source| StoreError::Json { id: meta.id.clone(), source })?;
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
        self.conn.execute(
            "INSERT INTO feeds (url, etag, last_modified, checked_at) VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                                            checked_at = excluded.checked_at",
            params![url, state.etag, state.last_modified],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimgraph_extract::{Extractor, Meta};

    fn doc(extractor: &Extractor, text: &str, url: Option<&str>) -> NewDocument {
        let meta = Meta { url: url.map(str::to_string), ..Meta::default() };
        let analysis = extractor.extract(text.as_bytes(), &meta).unwrap();
        NewDocument { raw_hash: claimgraph_extract::document::content_id(text), analysis, path: None }
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
        let (meta, json) = store.document(&b.analysis.document.id).unwrap().unwrap();
        assert_eq!(meta.previous_version.as_deref(), Some(a.analysis.document.id.as_str()));
        assert!(json["document"]["text"].as_str().unwrap().contains("14 people"));
        let counts = store.counts().unwrap();
        assert_eq!(counts.documents, 2);
        assert!(counts.claims >= 2, "{counts:?}");
        assert!(store.partial_documents().unwrap().is_empty());
        assert_eq!(store.integrity_check().unwrap(), "ok");
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
}
