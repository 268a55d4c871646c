//! Incidents across documents: the rows the resolver reads (every document's incidents,
//! with their document's metadata) and writes (links, incident summaries, aliases,
//! actors). The merging itself is the resolve crate's.

use rusqlite::{params, OptionalExtension};

use crate::{Result, SqliteStore};

/// A stored document's metadata, as incident records cite it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocRef {
    pub seq: i64,
    pub id: String,
    pub path: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
}

/// One document's incident, as stored, with its document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MentionRow {
    pub doc: DocRef,
    pub n: u32,
    pub local_id: String,
    pub kind: String,
    pub label: Option<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<(f64, String)>,
    pub injured: Option<(f64, String)>,
    /// JSON array of {name, entity, status}.
    pub perpetrators: String,
    /// The incident it was linked to, if resolved already.
    pub incident: Option<String>,
}

/// One stored claim, with its document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredClaim {
    pub doc: DocRef,
    pub local_id: String,
    pub kind: String,
    pub speaker: Option<String>,
    /// The speaker's canonical name, when it was resolved to an entity.
    pub speaker_entity: Option<String>,
    pub cue: Option<String>,
    /// JSON array of names.
    pub targets: String,
    pub about: Option<String>,
    pub date: Option<String>,
    pub text: String,
}

/// What lists of incidents show and filter on (see the `resolved_incidents` table).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentSummary {
    pub id: String,
    pub kind: String,
    pub label: Option<String>,
    pub date: Option<String>,
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<(f64, f64)>,
    pub injured: Option<(f64, f64)>,
    pub n_documents: i64,
    pub first_published: Option<String>,
    /// The party most reports name responsible, as "name (status)".
    pub leading: Option<String>,
}

/// A resolution's changes, written in one transaction.
#[derive(Debug, Default)]
pub struct Resolution {
    /// (document seq, position, incident id) for mentions whose incident changed.
    pub links: Vec<(i64, u32, String)>,
    /// Incidents to (re)write.
    pub incidents: Vec<IncidentSummary>,
    /// (actor key, incident, display name) rows of the rewritten incidents.
    pub actors: Vec<(String, String, String)>,
    /// Ids that no longer exist, with the incident they were merged into.
    pub merged: Vec<(String, String)>,
}

/// Filters of an incident list. Days count from 1970-01-01.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub since_day: Option<i64>,
    pub until_day: Option<i64>,
    pub kind: Option<String>,
    /// Matches the place or the country code, case-insensitively.
    pub place: Option<String>,
    /// An actor key.
    pub actor: Option<String>,
    /// Words that must all appear in the label, the place or the kind (ignoring case).
    pub words: Vec<String>,
    /// "date" (newest first, the default), "killed" (highest toll first), "reports"
    /// (most documents first).
    pub sort: Option<String>,
    pub offset: usize,
    pub limit: Option<usize>,
}

const DOC_COLUMNS: &str = "d.seq, d.id, d.path, d.url, d.title, d.source, d.published";
/// A claim's columns, its speaker's canonical name in place of the entity's local id.
const CLAIM_COLUMNS: &str = "c.local_id, c.kind, c.speaker, sp.name, c.cue, c.targets, c.about, c.date, c.text";
const SPEAKER_JOIN: &str = "LEFT JOIN entities sp ON sp.doc = c.doc AND sp.local_id = c.speaker_entity";

fn doc_ref(r: &rusqlite::Row, at: usize) -> rusqlite::Result<DocRef> {
    Ok(DocRef {
        seq: r.get(at)?,
        id: r.get(at + 1)?,
        path: r.get(at + 2)?,
        url: r.get(at + 3)?,
        title: r.get(at + 4)?,
        source: r.get(at + 5)?,
        published: r.get(at + 6)?,
    })
}

fn mention_row(r: &rusqlite::Row) -> rusqlite::Result<MentionRow> {
    let figure = |v: Option<f64>, q: Option<String>| v.map(|v| (v, q.unwrap_or_else(|| "exact".into())));
    Ok(MentionRow {
        doc: doc_ref(r, 0)?,
        n: r.get(7)?,
        local_id: r.get(8)?,
        kind: r.get(9)?,
        label: r.get(10)?,
        date: r.get(11)?,
        place: r.get(12)?,
        country: r.get(13)?,
        lat: r.get(14)?,
        lon: r.get(15)?,
        killed: figure(r.get(16)?, r.get(17)?),
        injured: figure(r.get(18)?, r.get(19)?),
        perpetrators: r.get(20)?,
        incident: r.get(21)?,
    })
}

const MENTION_SELECT: &str = "SELECT d.seq, d.id, d.path, d.url, d.title, d.source, d.published,
        i.n, i.local_id, i.kind, i.label, i.date, i.place, i.country, i.lat, i.lon,
        i.killed, i.killed_qualifier, i.injured, i.injured_qualifier, i.perpetrators, l.incident
     FROM incidents i JOIN documents d ON d.seq = i.doc
     LEFT JOIN incident_links l ON l.doc = i.doc AND l.n = i.n";

impl SqliteStore {
    /// Calls `f` with every stored incident mention, in document order.
    pub fn each_mention(&self, mut f: impl FnMut(MentionRow)) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!("{MENTION_SELECT} ORDER BY i.doc, i.n"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(mention_row(r)?);
        }
        Ok(())
    }

    /// Calls `f(document seq, name, kind, country)` for every place and person entity, in
    /// document order and, within a document, in order of first mention.
    pub fn each_place_and_person(&self, mut f: impl FnMut(i64, &str, &str, Option<&str>)) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT doc, name, kind, country FROM entities WHERE kind IN ('place', 'person') ORDER BY doc, n",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (name, kind, country): (String, String, Option<String>) = (r.get(1)?, r.get(2)?, r.get(3)?);
            f(r.get(0)?, &name, &kind, country.as_deref());
        }
        Ok(())
    }

    /// Mentions not linked to an incident yet (ingested since the last resolution).
    pub fn unresolved_mentions(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM incidents i LEFT JOIN incident_links l ON l.doc = i.doc AND l.n = i.n
             WHERE l.incident IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// The mentions of one incident.
    pub fn incident_mentions(&self, incident: &str) -> Result<Vec<MentionRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{MENTION_SELECT} WHERE l.incident = ?1 ORDER BY d.published, d.id, i.n"))?;
        let rows = stmt.query_map([incident], mention_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A document's metadata, by content id.
    pub fn doc_ref(&self, id: &str) -> Result<Option<DocRef>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {DOC_COLUMNS} FROM documents d WHERE d.id = ?1"))?
            .query_row([id], |r| doc_ref(r, 0))
            .optional()?)
    }

    /// A document's incident mentions and the incidents they belong to: (local id,
    /// incident id).
    pub fn document_links(&self, doc_seq: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.local_id, l.incident FROM incidents i
             JOIN incident_links l ON l.doc = i.doc AND l.n = i.n WHERE i.doc = ?1 ORDER BY i.n",
        )?;
        let rows = stmt.query_map([doc_seq], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Caps the page cache (the default suits ingest; a long read-only pass such as an
    /// export needs little).
    pub fn set_cache_mb(&self, mb: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -(mb * 1000))?;
        Ok(())
    }

    /// Claims across the store, newest first: of a kind, by a speaker (canonical name,
    /// ignoring case), published in a range (YYYY-MM-DD), paged.
    pub fn claims(
        &self,
        kind: Option<&str>,
        speaker: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StoredClaim>> {
        let mut sql = format!(
            "SELECT {DOC_COLUMNS}, {CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.seq = c.doc {SPEAKER_JOIN} WHERE 1"
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(k) = kind {
            sql.push_str(" AND c.kind = ?");
            args.push(k.to_string());
        }
        if let Some(sp) = speaker {
            sql.push_str(" AND (sp.name = ? COLLATE NOCASE OR c.speaker = ? COLLATE NOCASE)");
            args.push(sp.to_string());
            args.push(sp.to_string());
        }
        if let Some(d) = since {
            sql.push_str(" AND d.published >= ?");
            args.push(d.to_string());
        }
        if let Some(d) = until {
            sql.push_str(" AND d.published <= ?");
            args.push(d.to_string());
        }
        sql.push_str(&format!(" ORDER BY d.published DESC, d.seq DESC, c.n LIMIT {limit} OFFSET {offset}"));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), claim_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The claims of a document.
    pub fn document_claims(&self, doc_seq: i64) -> Result<Vec<StoredClaim>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {DOC_COLUMNS}, {CLAIM_COLUMNS}
             FROM claims c JOIN documents d ON d.seq = c.doc {SPEAKER_JOIN} WHERE c.doc = ?1 ORDER BY c.n"
        ))?;
        let rows = stmt.query_map([doc_seq], claim_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Claims by an actor (by canonical entity name, ignoring case), and accusations,
    /// claims of responsibility and denials naming it among their targets; newest first.
    pub fn actor_claims(&self, names: &[String], limit: usize) -> Result<Vec<StoredClaim>> {
        let mut out = Vec::new();
        let mut by_speaker = self.conn.prepare_cached(&format!(
            "SELECT {DOC_COLUMNS}, {CLAIM_COLUMNS}
             FROM entities sp JOIN claims c ON c.doc = sp.doc AND c.speaker_entity = sp.local_id
             JOIN documents d ON d.seq = c.doc
             WHERE sp.name = ?1 COLLATE NOCASE
             ORDER BY d.published DESC, d.seq DESC LIMIT ?2"
        ))?;
        let mut by_target = self.conn.prepare_cached(&format!(
            "SELECT {DOC_COLUMNS}, {CLAIM_COLUMNS}
             FROM claims c JOIN documents d ON d.seq = c.doc {SPEAKER_JOIN}
             WHERE c.kind IN ('accusation', 'responsibility', 'denial')
               AND EXISTS (SELECT 1 FROM json_each(c.targets) t WHERE t.value = ?1 COLLATE NOCASE)
             ORDER BY d.published DESC, d.seq DESC LIMIT ?2"
        ))?;
        for name in names {
            for stmt in [&mut by_speaker, &mut by_target] {
                out.extend(
                    stmt.query_map(params![name, limit as i64], claim_row)?.collect::<rusqlite::Result<Vec<_>>>()?,
                );
            }
        }
        out.sort_by(|a, b| (&b.doc.published, b.doc.seq, &a.local_id).cmp(&(&a.doc.published, a.doc.seq, &b.local_id)));
        out.dedup_by(|a, b| a.doc.seq == b.doc.seq && a.local_id == b.local_id);
        out.truncate(limit);
        Ok(out)
    }

    /// The incident an id names: itself, or the incident it was merged into.
    pub fn incident_id(&self, id: &str) -> Result<Option<String>> {
        let direct: Option<String> =
            self.conn.query_row("SELECT id FROM resolved_incidents WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        if direct.is_some() {
            return Ok(direct);
        }
        Ok(self.conn.query_row("SELECT id FROM incident_aliases WHERE old = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// Incidents matching a filter, newest first.
    pub fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<IncidentSummary>> {
        let mut sql = String::from(
            "SELECT r.id, r.kind, r.label, r.date, r.first_day, r.last_day, r.place, r.country, r.lat, r.lon,
                    r.killed_low, r.killed_high, r.injured_low, r.injured_high, r.n_documents, r.first_published, r.leading
             FROM resolved_incidents r WHERE 1",
        );
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        if let Some(d) = filter.since_day {
            sql.push_str(" AND r.last_day >= ?");
            args.push(Box::new(d));
        }
        if let Some(d) = filter.until_day {
            sql.push_str(" AND r.first_day <= ?");
            args.push(Box::new(d));
        }
        if let Some(k) = &filter.kind {
            sql.push_str(" AND r.kind = ?");
            args.push(Box::new(k.clone()));
        }
        if let Some(p) = &filter.place {
            sql.push_str(" AND (r.place = ? COLLATE NOCASE OR r.country = ? COLLATE NOCASE)");
            args.push(Box::new(p.clone()));
            args.push(Box::new(p.clone()));
        }
        if let Some(a) = &filter.actor {
            sql.push_str(" AND r.id IN (SELECT incident FROM incident_actors WHERE actor = ?)");
            args.push(Box::new(a.clone()));
        }
        for w in &filter.words {
            sql.push_str(
                " AND (coalesce(r.label, '') || ' ' || coalesce(r.place, '') || ' ' || r.kind) LIKE ? ESCAPE '\\'",
            );
            let escaped = w.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            args.push(Box::new(format!("%{escaped}%")));
        }
        sql.push_str(match filter.sort.as_deref() {
            Some("killed") => " ORDER BY r.killed_high IS NULL, r.killed_high DESC, r.id",
            Some("reports") => " ORDER BY r.n_documents DESC, r.id",
            _ => " ORDER BY r.first_day IS NULL, r.first_day DESC, r.id",
        });
        if let Some(n) = filter.limit {
            sql.push_str(&format!(" LIMIT {n} OFFSET {}", filter.offset));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
                let pair = |a: Option<f64>, b: Option<f64>| a.map(|a| (a, b.unwrap_or(a)));
                Ok(IncidentSummary {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    label: r.get(2)?,
                    date: r.get(3)?,
                    first_day: r.get(4)?,
                    last_day: r.get(5)?,
                    place: r.get(6)?,
                    country: r.get(7)?,
                    lat: r.get(8)?,
                    lon: r.get(9)?,
                    killed: pair(r.get(10)?, r.get(11)?),
                    injured: pair(r.get(12)?, r.get(13)?),
                    n_documents: r.get(14)?,
                    first_published: r.get(15)?,
                    leading: r.get(16)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Display names stored for an actor key, most used first.
    pub fn actor_names(&self, key: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name FROM incident_actors WHERE actor = ?1 GROUP BY name ORDER BY count(*) DESC, name",
        )?;
        let names = stmt.query_map([key], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// Writes a resolution in one transaction.
    pub fn write_resolution(&mut self, res: &Resolution, rebuild: bool) -> Result<()> {
        self.write(|tx| SqliteStore::insert_resolution(tx, res, rebuild))
    }

    fn insert_resolution(tx: &rusqlite::Transaction<'_>, res: &Resolution, rebuild: bool) -> Result<()> {
        if rebuild {
            tx.execute_batch(
                "DELETE FROM incident_links; DELETE FROM resolved_incidents; DELETE FROM incident_actors;",
            )?;
        }
        {
            let mut link =
                tx.prepare_cached("INSERT OR REPLACE INTO incident_links (doc, n, incident) VALUES (?1, ?2, ?3)")?;
            for (doc, n, incident) in &res.links {
                link.execute(params![doc, n, incident])?;
            }
            let mut drop_incident = tx.prepare_cached("DELETE FROM resolved_incidents WHERE id = ?1")?;
            let mut drop_actors = tx.prepare_cached("DELETE FROM incident_actors WHERE incident = ?1")?;
            let mut alias = tx.prepare_cached("INSERT OR REPLACE INTO incident_aliases (old, id) VALUES (?1, ?2)")?;
            let mut realias = tx.prepare_cached("UPDATE incident_aliases SET id = ?2 WHERE id = ?1")?;
            for (old, new) in &res.merged {
                drop_incident.execute([old])?;
                drop_actors.execute([old])?;
                realias.execute([old, new])?;
                alias.execute([old, new])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO resolved_incidents (id, kind, label, date, first_day, last_day, place, country,
                     lat, lon, killed_low, killed_high, injured_low, injured_high, n_documents, first_published, leading)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?;
            for s in &res.incidents {
                drop_actors.execute([&s.id])?;
                put.execute(params![
                    s.id,
                    s.kind,
                    s.label,
                    s.date,
                    s.first_day,
                    s.last_day,
                    s.place,
                    s.country,
                    s.lat,
                    s.lon,
                    s.killed.map(|k| k.0),
                    s.killed.map(|k| k.1),
                    s.injured.map(|k| k.0),
                    s.injured.map(|k| k.1),
                    s.n_documents,
                    s.first_published,
                    s.leading,
                ])?;
            }
            let mut actor = tx
                .prepare_cached("INSERT OR REPLACE INTO incident_actors (actor, incident, name) VALUES (?1, ?2, ?3)")?;
            for (key, incident, name) in &res.actors {
                actor.execute(params![key, incident, name])?;
            }
        }
        Ok(())
    }
}

fn claim_row(r: &rusqlite::Row) -> rusqlite::Result<StoredClaim> {
    Ok(StoredClaim {
        doc: doc_ref(r, 0)?,
        local_id: r.get(7)?,
        kind: r.get(8)?,
        speaker: r.get(9)?,
        speaker_entity: r.get(10)?,
        cue: r.get(11)?,
        targets: r.get(12)?,
        about: r.get(13)?,
        date: r.get(14)?,
        text: r.get(15)?,
    })
}

/// Taking documents out again (an import removed): the documents and every row that
/// hangs on them.
impl SqliteStore {
    /// The document that raw bytes with this hash were stored as: its id and URL.
    pub fn document_of_raw(&self, raw_hash: &str) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT d.id, d.url FROM raw_inputs r JOIN documents d ON d.seq = r.doc WHERE r.raw_hash = ?1",
                [raw_hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The ids of the documents whose URL starts with `prefix`.
    pub fn documents_with_url_prefix(&self, prefix: &str) -> Result<Vec<String>> {
        let mut stmt =
            self.conn.prepare("SELECT id FROM documents WHERE substr(url, 1, length(?1)) = ?1 ORDER BY seq")?;
        let ids = stmt.query_map([prefix], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Deletes documents (by id) with their entities, incidents, claims, raw-input
    /// hashes and full-text entries, in one transaction. The incidents they were part of
    /// are unlinked whole, so that the next resolution compares their other reports
    /// afresh (a deleted report may have been what joined them). Returns how many
    /// documents were deleted; unknown ids are ignored.
    pub fn delete_documents(&mut self, ids: &[String]) -> Result<usize> {
        self.write(|tx| SqliteStore::delete_documents_in(tx, ids))
    }

    fn delete_documents_in(tx: &rusqlite::Transaction<'_>, ids: &[String]) -> Result<usize> {
        tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS doomed (seq INTEGER PRIMARY KEY); DELETE FROM doomed;")?;
        let mut n = 0;
        {
            let mut find = tx.prepare("SELECT seq, title, text FROM documents WHERE id = ?1")?;
            let mut doom = tx.prepare("INSERT OR IGNORE INTO doomed (seq) VALUES (?1)")?;
            let mut unindex = tx.prepare(
                "INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)",
            )?;
            for id in ids {
                let found: Option<(i64, Option<String>, String)> =
                    find.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
                let Some((seq, title, text)) = found else { continue };
                if doom.execute([seq])? == 1 {
                    unindex.execute(params![seq, title.unwrap_or_default(), text])?;
                    n += 1;
                }
            }
        }
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS unlinked (id TEXT PRIMARY KEY); DELETE FROM unlinked;
             INSERT OR IGNORE INTO unlinked (id)
                 SELECT incident FROM incident_links WHERE doc IN (SELECT seq FROM doomed);
             DELETE FROM incident_links WHERE incident IN (SELECT id FROM unlinked);
             DELETE FROM resolved_incidents WHERE id IN (SELECT id FROM unlinked);
             DELETE FROM incident_actors WHERE incident IN (SELECT id FROM unlinked);
             DELETE FROM raw_inputs WHERE doc IN (SELECT seq FROM doomed);
             DELETE FROM entities WHERE doc IN (SELECT seq FROM doomed);
             DELETE FROM incidents WHERE doc IN (SELECT seq FROM doomed);
             DELETE FROM claims WHERE doc IN (SELECT seq FROM doomed);
             UPDATE documents SET previous_version = NULL
                 WHERE previous_version IN (SELECT id FROM documents WHERE seq IN (SELECT seq FROM doomed));
             DELETE FROM documents WHERE seq IN (SELECT seq FROM doomed);
             DELETE FROM doomed; DELETE FROM unlinked;",
        )?;
        Ok(n)
    }
}

#[cfg(test)]
mod delete_tests {
    use claimgraph_extract::{Extractor, Meta};

    use crate::{NewDocument, SearchQuery, SqliteStore, Store};

    fn doc(extractor: &Extractor, text: &str, url: &str) -> NewDocument {
        let meta = Meta { url: Some(url.to_string()), ..Meta::default() };
        let analysis = extractor.extract(text.as_bytes(), &meta).unwrap();
        NewDocument::new(analysis, claimgraph_extract::document::content_id(text), None)
    }

    #[test]
    fn removed_documents_leave_no_rows_behind() {
        let ex = Extractor::new();
        let mut store = SqliteStore::open_in_memory().unwrap();
        let a = doc(&ex, "Gunmen killed 12 people in Quetta on Monday, police said.", "reference:gtd/1");
        let b = doc(&ex, "Gunmen killed 13 people in Quetta on Monday, police said.", "reference:gtd/1");
        let c = doc(&ex, "A bomb wounded 4 people in Sukkur on Friday, officials said.", "https://news.example/2");
        store.write_batch(&[a.clone(), b.clone(), c.clone()]).unwrap();
        assert_eq!(store.documents_with_url_prefix("reference:gtd/").unwrap(), [a.id.clone(), b.id.clone()]);
        assert_eq!(store.document_of_raw(&b.raw_hash).unwrap(), Some((b.id.clone(), Some("reference:gtd/1".into()))));
        // The first version goes: the second stays, and no longer points at it.
        assert_eq!(store.delete_documents(&[a.id.clone(), "no-such-id".to_string()]).unwrap(), 1);
        assert!(store.document(&a.id).unwrap().is_none());
        assert!(store.document(&b.id).unwrap().unwrap().0.previous_version.is_none());
        assert!(!store.has_raw(&a.raw_hash).unwrap());
        assert_eq!(store.delete_documents(std::slice::from_ref(&b.id)).unwrap(), 1);
        let counts = store.counts().unwrap();
        assert_eq!(counts.documents, 1);
        let only_c = |table: &str| -> i64 {
            store.conn.query_row(&format!("SELECT count(*) FROM {table} WHERE doc != 3"), [], |r| r.get(0)).unwrap()
        };
        for table in ["entities", "incidents", "claims", "raw_inputs"] {
            assert_eq!(only_c(table), 0, "{table} keeps rows of deleted documents");
        }
        let search = |q: &str| {
            store.search(&SearchQuery { query: q.to_string(), limit: 10, ..SearchQuery::default() }).unwrap().len()
        };
        assert_eq!(search("Quetta"), 0, "the full-text index forgot them");
        assert!(search("Sukkur") >= 1);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert!(store.partial_documents().unwrap().is_empty());
    }
}
