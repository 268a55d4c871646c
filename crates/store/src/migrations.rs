//! Schema versions and the migrations between them.
//!
//! `PRAGMA user_version` holds the version. Each migration is SQL run in one
//! transaction with the version bump, so a file is always at one version or the next.
//! A file newer than this build is refused rather than misread.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Result, StoreError};

/// The schema this build writes.
pub const SCHEMA_VERSION: i64 = 4;

/// The oldest schema every read query works on unchanged (v4 only added the failures
/// table, which only ingest uses): a read-only file this old or newer is read as it
/// is. Raise it when a migration changes what reads need.
pub const READABLE_SINCE: i64 = 3;

/// `MIGRATIONS[n]` takes a file from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    r#"
    CREATE TABLE documents (
        seq              INTEGER PRIMARY KEY, -- rowid: what the other tables refer to
        id               TEXT NOT NULL UNIQUE, -- content hash of text
        url              TEXT,
        source           TEXT,
        title            TEXT,
        published        TEXT,               -- YYYY-MM-DD
        language         TEXT NOT NULL,
        path             TEXT,               -- the file it was read from
        text             TEXT NOT NULL,
        analysis         BLOB NOT NULL,      -- analysis.schema.json v1 without document.text, LZ4 (size-prefixed)
        previous_version TEXT REFERENCES documents(id),
        n_entities       INTEGER NOT NULL,
        n_incidents      INTEGER NOT NULL,
        n_claims         INTEGER NOT NULL,
        ingested_at      TEXT NOT NULL
    );
    CREATE INDEX documents_url ON documents(url);
    -- No index on published or source yet: searches are driven by the full-text index
    -- and filter its matches; indexes come with the queries that need them.

    CREATE TABLE raw_inputs (
        raw_hash TEXT PRIMARY KEY,
        doc      INTEGER NOT NULL REFERENCES documents(seq)
    ) WITHOUT ROWID;

    -- Entities, incidents and claims: the columns queries need. Their spans (every
    -- mention's characters) are in documents.analysis.
    -- Keyed by (document, position): one B-tree each, appended to in order as documents
    -- are written.
    CREATE TABLE entities (
        doc      INTEGER NOT NULL REFERENCES documents(seq),
        n        INTEGER NOT NULL,
        local_id TEXT NOT NULL,
        name     TEXT NOT NULL,
        kind     TEXT NOT NULL,
        country  TEXT,
        PRIMARY KEY (doc, n)
    ) WITHOUT ROWID;

    CREATE TABLE incidents (
        doc               INTEGER NOT NULL REFERENCES documents(seq),
        n                 INTEGER NOT NULL,
        local_id          TEXT NOT NULL,
        kind              TEXT NOT NULL,
        label             TEXT,
        date              TEXT,
        place             TEXT,
        country           TEXT,
        lat               REAL,
        lon               REAL,
        killed            REAL,
        killed_qualifier  TEXT,
        injured           REAL,
        injured_qualifier TEXT,
        perpetrators      TEXT NOT NULL,  -- JSON array of {name, entity, status}
        PRIMARY KEY (doc, n)
    ) WITHOUT ROWID;

    CREATE TABLE claims (
        doc            INTEGER NOT NULL REFERENCES documents(seq),
        n              INTEGER NOT NULL,
        local_id       TEXT NOT NULL,
        kind           TEXT NOT NULL,
        speaker        TEXT,
        speaker_entity TEXT,
        cue            TEXT,
        targets        TEXT NOT NULL,     -- JSON array of names
        about          TEXT,
        date           TEXT,
        text           TEXT NOT NULL,
        PRIMARY KEY (doc, n)
    ) WITHOUT ROWID;

    -- The full-text index over documents (external content: the text is stored once).
    -- Claims are found inside matching documents (see search.rs), so they need none.
    CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='seq');
    -- Merge index segments less often while writing (reads stay fast: bm25 over a few
    -- more segments).
    INSERT INTO documents_fts (documents_fts, rank) VALUES ('automerge', 8);
    INSERT INTO documents_fts (documents_fts, rank) VALUES ('crisismerge', 32);


    CREATE TABLE feeds (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT,
        checked_at    TEXT
    );
    "#,
    // 1 -> 2: incidents across documents (the resolve crate writes these).
    r#"
    -- Which incident each document's incident (a mention) belongs to.
    CREATE TABLE incident_links (
        doc      INTEGER NOT NULL REFERENCES documents(seq),
        n        INTEGER NOT NULL,
        incident TEXT NOT NULL,
        PRIMARY KEY (doc, n)
    ) WITHOUT ROWID;
    CREATE INDEX incident_links_incident ON incident_links(incident);

    -- One row per incident: what lists filter and sort on. The full record (figures,
    -- board, claims) is built from the linked rows when asked for.
    CREATE TABLE resolved_incidents (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL,
        label           TEXT,
        date            TEXT,
        first_day       INTEGER,          -- days from 1970-01-01 of the date's first day
        last_day        INTEGER,
        place           TEXT,
        country         TEXT,
        lat             REAL,
        lon             REAL,
        killed_low      REAL,
        killed_high     REAL,
        injured_low     REAL,
        injured_high    REAL,
        n_documents     INTEGER NOT NULL,
        first_published TEXT
    ) WITHOUT ROWID;
    CREATE INDEX resolved_incidents_day ON resolved_incidents(first_day);

    -- Ids an incident had before a later report merged it into another.
    CREATE TABLE incident_aliases (
        old TEXT PRIMARY KEY,
        id  TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Parties named as responsible, by actor key (see resolve::actor_key).
    CREATE TABLE incident_actors (
        actor    TEXT NOT NULL,
        incident TEXT NOT NULL,
        name     TEXT NOT NULL,
        PRIMARY KEY (actor, incident)
    ) WITHOUT ROWID;
    CREATE INDEX incident_actors_incident ON incident_actors(incident);

    -- `claimgraph actor`: claims by an actor (through its entity rows), and accusations,
    -- claims and denials naming it (a scan of those kinds only).
    CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
    CREATE INDEX claims_kind ON claims(kind);
    "#,
    // 2 -> 3: the leading attribution in incident lists. Resolution is recomputed (the
    // next command that reads incidents does it) so that every incident has it.
    r#"
    ALTER TABLE resolved_incidents ADD COLUMN leading TEXT; -- the party most reports name, with its status
    DELETE FROM incident_links;
    DELETE FROM resolved_incidents;
    DELETE FROM incident_actors;
    DELETE FROM incident_aliases;
    "#,
    // 3 -> 4: inputs that failed, kept until they are read (`claimgraph ingest --failed`),
    // so that a failure is listed with its reason rather than lost with the run's output.
    r#"
    CREATE TABLE failures (
        origin          TEXT PRIMARY KEY, -- a path, path:line or URL
        reason          TEXT NOT NULL,    -- the last failure's
        attempts        INTEGER NOT NULL, -- runs in which it failed
        first_failed_at TEXT NOT NULL,
        last_failed_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
];

/// The file's schema version, refused when it is negative (no claimgraph writes one)
/// or newer than this build. Only reads.
pub fn check_version(conn: &Connection, name: &str) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found < 0 {
        return Err(StoreError::BadVersion { path: name.to_string(), found });
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: name.to_string(), found, known: SCHEMA_VERSION });
    }
    Ok(found)
}

/// Brings the database to [`SCHEMA_VERSION`]. Each step holds the write lock from its
/// start and reads the version again under it, so two processes opening an old file at
/// once migrate it once.
pub fn migrate(conn: &mut Connection, name: &str) -> Result<()> {
    if check_version(conn, name)? == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = check_version(&tx, name)?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_migration_per_version() {
        assert_eq!(MIGRATIONS.len() as i64, SCHEMA_VERSION);
    }

    #[test]
    fn refuses_a_newer_file() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let err = migrate(&mut conn, "x.db").unwrap_err();
        assert!(err.to_string().contains("newer than this claimgraph knows"), "{err}");
    }
}
