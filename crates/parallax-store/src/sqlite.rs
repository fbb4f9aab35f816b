//! The embedded SQLite store: one file, no server, safe against a crash at any point.

use std::path::Path;

use parallax_model::{
    Article, ArticleId, Assignment, EntityId, Extraction, Reject, StoryId, StoryUnit, StorylineId,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::row::{
    ARTICLE_COLUMNS, REJECT_COLUMNS, SUMMARY_COLUMNS, article_from_row, json_column, place_columns,
    reject_from_row, summary_from_row, summary_from_row_at,
};
use crate::{
    ArticleSummary, EntityQuery, EntityRecord, EntitySummary, Error, Inventory, PutReport, Result,
    Store, StoryListQuery, StoryMember, StorySummary, conflict_reject, content_key, schema,
    section_column, sqlite_stories, summarise_stories,
};

/// The member columns in the order [`member_from_row`] reads them: the unit's, then the article summary's.
const MEMBER_COLUMNS: &str = "u.section, u.story, u.score, u.duplicate_of, u.similarity, \
     a.id, a.date, a.source, a.language, a.title, \
     coalesce(json_extract(a.provenance, '$.title') = 'derived', 0), \
     CASE WHEN u.section >= 0 THEN json_extract(a.sections, '$[' || u.section || '].heading') END";

/// Members sorted by story, then publication order, then section.
const MEMBER_QUERY: &str = "FROM story_units u JOIN articles a ON a.id = u.article_id";
const MEMBER_ORDER: &str = "ORDER BY u.story, a.date IS NULL, a.date, a.seq, u.section";

/// How long a statement waits for another process's write lock before giving up: a large batch of another ingest
/// commits within this, and a busy store should make a writer wait, not fail.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The writer's turn on a store, held until dropped: see [`SqliteStore::writer_turn`].
#[derive(Debug)]
pub struct WriterTurn {
    _file: Option<std::fs::File>,
}

impl WriterTurn {
    /// The turn of a store no other process can write to (one in memory): held at once, guarding nothing.
    pub fn alone() -> Self {
        WriterTurn { _file: None }
    }
}

fn read_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

fn not_a_store(path: &Path, why: &str) -> Error {
    Error::NotAStore {
        path: path.display().to_string(),
        why: why.to_owned(),
    }
}

/// An SQLite URI that opens `path` as immutable, its path percent-encoded where URIs need it.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'?' | b'#' | b'%' => uri.push_str(&format!("%{byte:02X}")),
            b if b.is_ascii() && !b.is_ascii_control() => uri.push(*b as char),
            b => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri + "?immutable=1"
}

/// Runs `step` again while SQLite answers that the database is busy or locked, for as long as [`BUSY_TIMEOUT`].
fn retry_while_busy<T>(mut step: impl FnMut() -> Result<T>) -> Result<T> {
    let started = std::time::Instant::now();
    loop {
        match step() {
            Err(Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

/// The reject for an article SQLite cannot hold: a value longer than its limit of 1,000,000,000 bytes.
fn too_big_reject(article: &Article) -> Reject {
    Reject {
        origin: article.origin.clone(),
        reason: format!(
            "article of {} bytes of text is too large to store (the database holds at most 1 GB in one value)",
            article.text.len()
        ),
    }
}

/// Publication order, as the [`Store`] trait defines it.
const PUBLICATION_ORDER: &str = "ORDER BY date IS NULL, date, seq";

/// An embedded SQLite database file.
///
/// Opened in WAL mode with `synchronous=NORMAL`: every batch is one transaction, so a process killed at any moment
/// leaves the batches committed before it and nothing of the one in flight, and readers never block the writer.
#[derive(Debug)]
pub struct SqliteStore {
    pub(crate) conn: Connection,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it if missing and migrating it to the current schema.
    ///
    /// Safe against a second process opening the same new file at the same time: the steps that need the write lock
    /// wait for it rather than fail, and the schema is created once.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if path.as_os_str().is_empty() {
            return Err(Error::EmptyPath);
        }
        Self::setup(Connection::open(path)?)
    }

    /// Opens an existing store for reading only: the file is never created, migrated or written, so a reader works
    /// on a read-only mount and cannot turn a stray file into a store. A file that holds no store of this
    /// version is refused with [`Error::NotAStore`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if path.as_os_str().is_empty() {
            return Err(Error::EmptyPath);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = match read_version(&conn) {
            Ok(version) => version,
            // A WAL store on a read-only mount cannot get the shared-memory file SQLite reads it through; opened as
            // immutable it needs none (nobody can be writing to a read-only mount).
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly
                ) =>
            {
                let conn = Connection::open_with_flags(
                    immutable_uri(path),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )?;
                let version = read_version(&conn)?;
                return Self::checked(conn, path, version);
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                return Err(not_a_store(path, "not an SQLite database"));
            }
            Err(e) => return Err(e.into()),
        };
        Self::checked(conn, path, version)
    }

    fn checked(conn: Connection, path: &Path, version: i64) -> Result<Self> {
        if version > schema::latest_version() {
            return Err(Error::NewerSchema {
                found: version,
                known: schema::latest_version(),
            });
        }
        if version < schema::latest_version() {
            let why = match version {
                0 => "it holds no schema".to_owned(),
                _ => format!(
                    "schema version {version}, this build reads {}",
                    schema::latest_version()
                ),
            };
            return Err(not_a_store(path, &why));
        }
        Ok(SqliteStore { conn })
    }

    /// A private database in memory, with the same schema (for tests of code that wants SQL behaviour).
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // 16 KB pages hold four or five articles of a few KB each: 12% of the space left unused against 25% with
        // 8 KB pages (measured on generated news), without making point reads of small rows costly. This only takes
        // effect on a new, empty file.
        conn.pragma_update(None, "page_size", 16384)?;
        // Switching a new file to WAL needs the write lock, and SQLite answers "database is locked" at once rather
        // than calling the busy handler when a second process is creating the same file: wait and retry.
        retry_while_busy(|| Ok(conn.pragma_update(None, "journal_mode", "WAL")?))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 128 MB of page cache (taken only as pages are used) keeps the id and content-key indexes in memory during
        // a large ingest: their keys are random, so every insert touches a random leaf, and with 32 MB the 1 GB
        // benchmark's indexes (about 40 MB of pages) no longer fit and each insert re-read pages from the file.
        conn.pragma_update(None, "cache_size", -131_072)?;
        retry_while_busy(|| schema::migrate(&mut conn))?;
        retry_while_busy(|| sqlite_stories::fill_stories(&mut conn))?;
        Ok(SqliteStore { conn })
    }

    /// Waits until no other process holds the writer's turn on this store, and holds it until the returned guard
    /// is dropped.
    ///
    /// Storing batches needs no turn (each is one transaction, and the content hash keeps an article once), but
    /// the steps that read state, work on it for long and write it back do: story assignment (the clusterer's
    /// state) and extraction (the pending list). Two ingests on one store take turns there, so neither extracts
    /// what the other is extracting nor overwrites the other's clusterer state. The turn is an advisory lock on a
    /// file beside the database (`<db>-turn`), released by the operating system if the process dies. A store in
    /// memory has no other writer and gets a turn at once.
    pub fn writer_turn(&self) -> Result<WriterTurn> {
        let Some(db) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(WriterTurn { _file: None });
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(format!("{db}-turn"))
            .map_err(|e| Error::Turn(e.to_string()))?;
        file.lock().map_err(|e| Error::Turn(e.to_string()))?;
        Ok(WriterTurn { _file: Some(file) })
    }

    fn members(&self, filter: &str, param: &dyn rusqlite::ToSql) -> Result<Vec<StoryMember>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS} {MEMBER_QUERY} {filter} {MEMBER_ORDER}"
        ))?;
        let mut rows = stmt.query([param])?;
        let mut all = Vec::new();
        while let Some(row) = rows.next()? {
            all.push(member_from_row(row)?);
        }
        Ok(all)
    }

    /// Runs SQLite's own consistency check; `Ok(vec!["ok"])` when the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store for SqliteStore {
    fn writer_turn(&self) -> Result<WriterTurn> {
        SqliteStore::writer_turn(self)
    }

    fn put_batch(&mut self, articles: &[Article], rejects: &[Reject]) -> Result<PutReport> {
        let mut report = PutReport::default();
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles (content_key, id, title, text, date, source, url, language, \
                 dateline, byline, sections, origin_path, origin_place, origin_number, provenance, attributes) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?;
            let mut has_key = tx.prepare_cached("SELECT 1 FROM articles WHERE content_key = ?1")?;
            let mut pending = tx.prepare_cached(
                "INSERT OR IGNORE INTO pending_extraction (seq, article_id) VALUES (?1, ?2)",
            )?;
            let mut insert_reject = tx.prepare_cached(
                "INSERT OR IGNORE INTO rejects (origin_path, origin_place, origin_number, reason) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut record_reject = |reject: &Reject| -> Result<u64> {
                let (place, number) = place_columns(reject.origin.place);
                let added = insert_reject.execute(params![
                    reject.origin.path,
                    place,
                    number,
                    reject.reason
                ])?;
                Ok(added as u64)
            };
            for article in articles {
                let key = content_key(article);
                let (place, number) = place_columns(article.origin.place);
                let added = insert.execute(params![
                    &key[..],
                    article.id.0,
                    article.title,
                    article.text,
                    article.date.map(|d| d.to_string()),
                    article.source,
                    article.url,
                    article.language,
                    article.dateline,
                    article.byline,
                    json_column(&article.sections, false),
                    article.origin.path,
                    place,
                    number,
                    json_column(&article.provenance, article.provenance.is_empty()),
                    json_column(&article.attributes, article.attributes.is_empty()),
                ]);
                let added = match added {
                    // One value past SQLite's length limit (1 GB): that article is a reject, the batch goes on.
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::TooBig =>
                    {
                        let reject = too_big_reject(article);
                        report.rejected += record_reject(&reject)?;
                        report.conflicts.push(reject);
                        continue;
                    }
                    added => added?,
                };
                if added == 1 {
                    pending.execute(params![tx.last_insert_rowid(), article.id.0])?;
                    report.stored += 1;
                } else if has_key.exists([&key[..]])? {
                    report.duplicates += 1;
                } else {
                    let reject = conflict_reject(article);
                    report.rejected += record_reject(&reject)?;
                    report.conflicts.push(reject);
                }
            }
            for reject in rejects {
                report.rejected += record_reject(reject)?;
            }
        }
        tx.commit()?;
        Ok(report)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<Article>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"
        ))?;
        let row = stmt
            .query_row([&id.0], |row| Ok(article_from_row(row)))
            .optional()?;
        row.transpose()
    }

    fn articles_with_id_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<ArticleSummary>> {
        // A range scan on the id index: every id with the prefix sorts at or after the prefix itself.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles WHERE id >= ?1 ORDER BY id"
        ))?;
        let mut rows = stmt.query([prefix])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let summary = summary_from_row(row)?;
            if !summary.id.0.starts_with(prefix) || found.len() == limit {
                break;
            }
            found.push(summary);
        }
        Ok(found)
    }

    fn for_each_article(&self, visit: &mut dyn FnMut(Article) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles {PUBLICATION_ORDER}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(article_from_row(row)?)?;
        }
        Ok(())
    }

    fn summaries(&self) -> Result<Vec<ArticleSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles {PUBLICATION_ORDER}"
        ))?;
        let mut rows = stmt.query([])?;
        let mut all = Vec::new();
        while let Some(row) = rows.next()? {
            all.push(summary_from_row(row)?);
        }
        Ok(all)
    }

    fn inventory(&self) -> Result<Inventory> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |row| row.get::<_, i64>(0))? as u64)
        };
        let tally = |column: &str| -> Result<Vec<(Option<String>, u64)>> {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {column}, COUNT(*) AS n FROM articles GROUP BY {column} ORDER BY n DESC, {column}"
            ))?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (first, last): (Option<String>, Option<String>) =
            self.conn
                .query_row("SELECT MIN(date), MAX(date) FROM articles", [], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
        let parse = |date: Option<String>| date.and_then(|d| d.parse().ok());
        Ok(Inventory {
            articles: count("SELECT COUNT(*) FROM articles")?,
            rejects: count("SELECT COUNT(*) FROM rejects")?,
            by_source: tally("source")?,
            by_language: tally("language")?,
            first_date: parse(first),
            last_date: parse(last),
        })
    }

    fn rejects(&self) -> Result<Vec<Reject>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {REJECT_COLUMNS} FROM rejects ORDER BY seq"
        ))?;
        let mut rows = stmt.query([])?;
        let mut all = Vec::new();
        while let Some(row) = rows.next()? {
            all.push(reject_from_row(row)?);
        }
        Ok(all)
    }

    fn save_assignments(&mut self, assignments: &[Assignment], state: &[u8]) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut touched = std::collections::BTreeSet::new();
        {
            let mut former = tx.prepare_cached(
                "SELECT story FROM story_units WHERE article_id = ?1 AND section = ?2",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO story_units (article_id, section, story, score, duplicate_of, similarity) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for assignment in assignments {
                let copy = assignment.duplicate_of.as_ref();
                for unit in &assignment.units {
                    // A unit saved again (replacing its row) leaves the story it was in changed too.
                    let before: Option<i64> = former
                        .query_row(
                            params![assignment.article.0, section_column(&unit.unit)],
                            |row| row.get(0),
                        )
                        .optional()?;
                    touched.extend(before);
                    touched.insert(unit.story.0 as i64);
                    insert.execute(params![
                        assignment.article.0,
                        section_column(&unit.unit),
                        unit.story.0 as i64,
                        unit.score,
                        copy.map(|d| &d.copies.0),
                        copy.map(|d| d.similarity),
                    ])?;
                }
                // A story in another's storyline has a row; one alone in its own has none, and never gets one
                // back once linked (storylines only join, into the lower id).
                for unit in &assignment.units {
                    if unit.storyline != StorylineId::of_story(unit.story) {
                        tx.execute(
                            "INSERT OR REPLACE INTO story_lines (story, storyline) VALUES (?1, ?2)",
                            params![unit.story.0 as i64, unit.storyline.0 as i64],
                        )?;
                    }
                }
                // Refinement merged stories after this article: their earlier units, saved or just inserted,
                // move to the surviving story, in the order the merges were made; then storylines join.
                for merge in &assignment.merged {
                    touched.extend([merge.into.0 as i64, merge.from.0 as i64]);
                    tx.execute(
                        "UPDATE story_units SET story = ?1 WHERE story = ?2",
                        params![merge.into.0 as i64, merge.from.0 as i64],
                    )?;
                    tx.execute(
                        "DELETE FROM story_lines WHERE story = ?1",
                        [merge.from.0 as i64],
                    )?;
                }
                // Repair moved units out of their stories, each into a story of its own.
                for moved in &assignment.moved {
                    touched.extend([moved.from.0 as i64, moved.to.0 as i64]);
                    tx.execute(
                        "UPDATE story_units SET story = ?1 WHERE article_id = ?2 AND section = ?3",
                        params![
                            moved.to.0 as i64,
                            moved.unit.article.0,
                            section_column(&moved.unit)
                        ],
                    )?;
                    if moved.storyline != StorylineId::of_story(moved.to) {
                        tx.execute(
                            "INSERT OR REPLACE INTO story_lines (story, storyline) VALUES (?1, ?2)",
                            params![moved.to.0 as i64, moved.storyline.0 as i64],
                        )?;
                    }
                }
                for link in &assignment.linked {
                    // A story alone in the storyline `from` (no row) bears that id.
                    tx.execute(
                        "INSERT OR IGNORE INTO story_lines (story, storyline) \
                         SELECT ?1, ?1 WHERE EXISTS (SELECT 1 FROM story_units WHERE story = ?1)",
                        [link.from.0 as i64],
                    )?;
                    tx.execute(
                        "UPDATE story_lines SET storyline = ?1 WHERE storyline = ?2",
                        params![link.into.0 as i64, link.from.0 as i64],
                    )?;
                    // Every story of the joined storyline shows its storyline's stories: all are changed.
                    let mut stmt = tx.prepare_cached(
                        "SELECT story FROM story_lines WHERE storyline = ?1 UNION SELECT ?1",
                    )?;
                    let rows = stmt.query_map([link.into.0 as i64], |row| row.get::<_, i64>(0))?;
                    for story in rows {
                        touched.insert(story?);
                    }
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO clusterer_state (id, state) VALUES (1, ?1)",
                [state],
            )?;
        }
        sqlite_stories::refresh_stories(&tx, &touched)?;
        tx.commit()?;
        Ok(())
    }

    fn clusterer_state(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT state FROM clusterer_state WHERE id = 1",
                [],
                |row| row.get(0),
            )
            .optional()?)
    }

    fn forget_stories(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM story_units", [])?;
        tx.execute("DELETE FROM story_lines", [])?;
        tx.execute("DELETE FROM clusterer_state", [])?;
        sqlite_stories::forget_story_rows(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn unassigned_articles(&self) -> Result<Vec<Article>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles \
             WHERE NOT EXISTS (SELECT 1 FROM story_units u WHERE u.article_id = articles.id) {PUBLICATION_ORDER}"
        ))?;
        let mut rows = stmt.query([])?;
        let mut all = Vec::new();
        while let Some(row) = rows.next()? {
            all.push(article_from_row(row)?);
        }
        Ok(all)
    }

    fn for_each_unassigned(&self, visit: &mut dyn FnMut(Article) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles \
             WHERE NOT EXISTS (SELECT 1 FROM story_units u WHERE u.article_id = articles.id) {PUBLICATION_ORDER}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(article_from_row(row)?)?;
        }
        Ok(())
    }

    fn stories(&self) -> Result<Vec<StorySummary>> {
        Ok(summarise_stories(&self.members("WHERE ?1", &1)?))
    }

    fn story_members(&self, id: StoryId) -> Result<Vec<StoryMember>> {
        self.members("WHERE u.story = ?1", &(id.0 as i64))
    }

    fn story_page(&self, query: &StoryListQuery) -> Result<Vec<StorySummary>> {
        self.list_stories(query)
    }

    fn story_count(&self) -> Result<u64> {
        self.stored_story_count()
    }

    fn story_version(&self, id: StoryId) -> Result<Option<u64>> {
        self.stored_story_version(id)
    }

    fn article_members(&self, id: &ArticleId) -> Result<Vec<StoryMember>> {
        self.members("WHERE u.article_id = ?1", &id.0)
    }

    fn story_storylines(&self) -> Result<std::collections::BTreeMap<StoryId, StorylineId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT story, storyline FROM story_lines WHERE story <> storyline")?;
        let rows = stmt.query_map([], |row| {
            Ok((
                StoryId(row.get::<_, i64>(0)? as u64),
                StorylineId(row.get::<_, i64>(1)? as u64),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn storyline_of(&self, story: StoryId) -> Result<StorylineId> {
        let line: Option<i64> = self
            .conn
            .query_row(
                "SELECT storyline FROM story_lines WHERE story = ?1",
                [story.0 as i64],
                |row| row.get(0),
            )
            .optional()?;
        Ok(line.map_or(StorylineId::of_story(story), |l| StorylineId(l as u64)))
    }

    fn storyline_stories(&self, id: StorylineId) -> Result<Vec<StoryId>> {
        // The story bearing the storyline's id is in it when it has no row (alone, or never linked away).
        let mut stmt = self.conn.prepare_cached(
            "SELECT story FROM story_lines WHERE storyline = ?1 \
             UNION SELECT ?1 WHERE EXISTS (SELECT 1 FROM story_units WHERE story = ?1) \
               AND NOT EXISTS (SELECT 1 FROM story_lines WHERE story = ?1) \
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([id.0 as i64], |row| {
            Ok(StoryId(row.get::<_, i64>(0)? as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn linked_storylines(&self, limit: usize) -> Result<(Vec<StorylineId>, usize)> {
        // A storyline of two stories or more has a row for each story but the one bearing its id (when that one
        // was never linked away): count both kinds, and take each storyline's latest day from the story rows.
        let mut stmt = self.conn.prepare_cached(
            "WITH members (line, story) AS ( \
                 SELECT storyline, story FROM story_lines \
                 UNION SELECT DISTINCT l.storyline, l.storyline FROM story_lines l \
                   WHERE NOT EXISTS (SELECT 1 FROM story_lines m WHERE m.story = l.storyline) \
             ) \
             SELECT m.line, MAX(s.recency) AS latest FROM members m JOIN stories s ON s.id = m.story \
             GROUP BY m.line HAVING COUNT(*) >= 2 ORDER BY latest DESC, m.line DESC",
        )?;
        let rows = stmt.query_map([], |row| Ok(StorylineId(row.get::<_, i64>(0)? as u64)))?;
        let all: Vec<StorylineId> = rows.collect::<rusqlite::Result<_>>()?;
        let total = all.len();
        Ok((all.into_iter().take(limit).collect(), total))
    }

    fn put_extractions(&mut self, extractions: &[Extraction]) -> Result<()> {
        self.store_extractions(extractions)
    }

    fn put_extraction_parts(
        &mut self,
        article: &ArticleId,
        parts: &mut dyn Iterator<Item = Extraction>,
    ) -> Result<()> {
        self.store_extraction_parts(article, parts)
    }

    fn extraction(&self, id: &ArticleId) -> Result<Option<Extraction>> {
        self.stored_extraction(id)
    }

    fn put_statement_vectors(&mut self, vectors: &[(ArticleId, Vec<u8>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO statement_vectors (article_id, body) VALUES (?1, ?2)",
            )?;
            for (id, body) in vectors {
                insert.execute(rusqlite::params![id.0, body])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn statement_vectors(&self, id: &ArticleId) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT body FROM statement_vectors WHERE article_id = ?1")?
            .query_row([&id.0], |row| row.get(0))
            .optional()?)
    }

    fn unextracted_articles(&self, limit: usize) -> Result<Vec<Article>> {
        self.pending_articles(limit)
    }

    fn entities(&self, query: &EntityQuery) -> Result<Vec<EntitySummary>> {
        self.list_entities(query)
    }

    fn find_entities(&self, name_or_id: &str) -> Result<Vec<EntityId>> {
        self.lookup_entities(name_or_id)
    }

    fn entity(&self, id: &EntityId) -> Result<Option<EntityRecord>> {
        self.entity_record(id)
    }
}

/// Reads a row of [`MEMBER_COLUMNS`].
fn member_from_row(row: &rusqlite::Row<'_>) -> Result<StoryMember> {
    let section: i64 = row.get(0)?;
    let story: i64 = row.get(1)?;
    let score: f64 = row.get(2)?;
    let copies: Option<String> = row.get(3)?;
    let similarity: Option<f64> = row.get(4)?;
    let article = summary_from_row_at(row, 5)?;
    Ok(StoryMember {
        unit: StoryUnit {
            article: article.id.clone(),
            section: usize::try_from(section).ok(),
        },
        story: StoryId(story as u64),
        score: score as f32,
        duplicate_of: copies.map(|c| (ArticleId(c), similarity.unwrap_or(0.0) as f32)),
        heading: row.get(11)?,
        article,
    })
}

#[cfg(test)]
mod tests {
    use parallax_model::{Origin, Place};
    use rusqlite::limits::Limit;

    use super::*;

    fn article(title: &str, text: &str) -> Article {
        let mut article = Article::new(title.to_owned(), text.to_owned());
        article.id = ArticleId(title.to_owned());
        article.origin = Origin {
            path: format!("{title}.txt"),
            place: Place::File,
        };
        article
    }

    /// SQLite's length limit is lowered from 1 GB so the case runs on a few kilobytes.
    #[test]
    fn article_over_sqlite_limit_is_rejected_and_rest_stored() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let _ = store.conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, 10_000);
        let huge = article("huge", &"word ".repeat(5_000));
        let good = article("good", "A short article that fits.");
        let report = store.put_batch(&[huge, good], &[]).unwrap();
        assert_eq!(report.stored, 1);
        assert_eq!(report.conflicts.len(), 1);
        assert!(
            report.conflicts[0].reason.contains("too large to store"),
            "{:?}",
            report.conflicts
        );
        assert_eq!(store.rejects().unwrap().len(), 1);
        assert!(store.article(&ArticleId("good".into())).unwrap().is_some());
    }

    #[test]
    fn empty_db_path_is_refused() {
        assert!(matches!(SqliteStore::open(""), Err(Error::EmptyPath)));
        assert!(matches!(
            SqliteStore::open_read_only(""),
            Err(Error::EmptyPath)
        ));
    }

    #[test]
    fn reader_never_creates_or_changes_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        let err = SqliteStore::open_read_only(&empty).unwrap_err();
        assert!(matches!(err, Error::NotAStore { .. }), "{err}");
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
        let missing = dir.path().join("missing.db");
        assert!(SqliteStore::open_read_only(&missing).is_err());
        assert!(!missing.exists());
    }

    #[test]
    fn store_is_read_through_a_read_only_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        {
            let mut store = SqliteStore::open(&path).unwrap();
            store.put_batch(&[article("a", "Some text.")], &[]).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let store = SqliteStore::open_read_only(&path).unwrap();
        assert_eq!(store.summaries().unwrap().len(), 1);
        drop(store);
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn two_openers_of_a_new_database_both_succeed() {
        for _ in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("new.db");
            let barrier = std::sync::Barrier::new(4);
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..4)
                    .map(|_| {
                        scope.spawn(|| {
                            barrier.wait();
                            SqliteStore::open(&path).map(|_| ())
                        })
                    })
                    .collect();
                for handle in handles {
                    handle.join().unwrap().unwrap();
                }
            });
        }
    }
}
