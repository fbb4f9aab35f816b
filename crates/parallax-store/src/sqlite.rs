//! The embedded SQLite store: one file, no server, safe against a crash at any point.

use std::path::Path;

use parallax_model::{
    Article, ArticleId, Assignment, EntityId, Extraction, Reject, StoryId, StoryUnit,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::row::{
    ARTICLE_COLUMNS, REJECT_COLUMNS, SUMMARY_COLUMNS, article_from_row, json_column, place_columns,
    reject_from_row, summary_from_row, summary_from_row_at,
};
use crate::{
    ArticleSummary, EntityQuery, EntityRecord, EntitySummary, Inventory, PutReport, Result, Store,
    StoryMember, StorySummary, conflict_reject, content_key, schema, section_column,
    summarise_stories,
};

/// The member columns in the order [`member_from_row`] reads them: the unit's, then the article summary's.
const MEMBER_COLUMNS: &str = "u.section, u.story, u.score, u.duplicate_of, u.similarity, \
     a.id, a.date, a.source, a.language, a.title, \
     coalesce(json_extract(a.provenance, '$.title') = 'derived', 0)";

/// Members sorted by story, then publication order, then section.
const MEMBER_QUERY: &str = "FROM story_units u JOIN articles a ON a.id = u.article_id";
const MEMBER_ORDER: &str = "ORDER BY u.story, a.date IS NULL, a.date, a.seq, u.section";

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
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::setup(Connection::open(path)?)
    }

    /// A private database in memory, with the same schema (for tests of code that wants SQL behaviour).
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // 16 KB pages hold four or five articles of a few KB each: 12% of the space left unused against 25% with
        // 8 KB pages (measured on generated news), without making point reads of small rows costly. This only takes
        // effect on a new, empty file.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 128 MB of page cache (taken only as pages are used) keeps the id and content-key indexes in memory during
        // a large ingest: their keys are random, so every insert touches a random leaf, and with 32 MB the 1 GB
        // benchmark's indexes (about 40 MB of pages) no longer fit and each insert re-read pages from the file.
        conn.pragma_update(None, "cache_size", -131_072)?;
        schema::migrate(&mut conn)?;
        Ok(SqliteStore { conn })
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
                ])?;
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
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO story_units (article_id, section, story, score, duplicate_of, similarity) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for assignment in assignments {
                let copy = assignment.duplicate_of.as_ref();
                for unit in &assignment.units {
                    insert.execute(params![
                        assignment.article.0,
                        section_column(&unit.unit),
                        unit.story.0 as i64,
                        unit.score,
                        copy.map(|d| &d.copies.0),
                        copy.map(|d| d.similarity),
                    ])?;
                }
                // Refinement merged stories after this article: their earlier units, saved or just inserted,
                // move to the surviving story, in the order the merges were made.
                for merge in &assignment.merged {
                    tx.execute(
                        "UPDATE story_units SET story = ?1 WHERE story = ?2",
                        params![merge.into.0 as i64, merge.from.0 as i64],
                    )?;
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO clusterer_state (id, state) VALUES (1, ?1)",
                [state],
            )?;
        }
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
        tx.execute("DELETE FROM clusterer_state", [])?;
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

    fn article_members(&self, id: &ArticleId) -> Result<Vec<StoryMember>> {
        self.members("WHERE u.article_id = ?1", &id.0)
    }

    fn put_extractions(&mut self, extractions: &[Extraction]) -> Result<()> {
        self.store_extractions(extractions)
    }

    fn extraction(&self, id: &ArticleId) -> Result<Option<Extraction>> {
        self.stored_extraction(id)
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
        article,
    })
}
