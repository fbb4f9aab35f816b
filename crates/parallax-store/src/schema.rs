//! The database schema and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`: version N means the first N migrations have run. To
//! change the schema, append a migration to [`MIGRATIONS`]; never edit one that has shipped, since databases out
//! there already ran it. Each migration runs in its own transaction together with the version bump, so a crash
//! leaves the database at the version before or after it, never between.
//!
//! An origin is stored as path, place kind (`file`, `line`, `offset`, `record`) and number, 0 for a whole file:
//! never NULL, since SQLite's UNIQUE treats NULLs as distinct and a reject must be recorded once.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Result};

/// Every migration, oldest first.
const MIGRATIONS: &[&str] = &[
    // 1: articles and rejects.
    "
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_key BLOB NOT NULL UNIQUE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        date TEXT,
        source TEXT,
        url TEXT,
        language TEXT,
        dateline TEXT,
        byline TEXT,
        sections TEXT NOT NULL,
        origin_path TEXT NOT NULL,
        origin_place TEXT NOT NULL,
        origin_number INTEGER NOT NULL,
        provenance TEXT,
        attributes TEXT
    );
    CREATE TABLE rejects (
        seq INTEGER PRIMARY KEY,
        origin_path TEXT NOT NULL,
        origin_place TEXT NOT NULL,
        origin_number INTEGER NOT NULL,
        reason TEXT NOT NULL,
        UNIQUE (origin_path, origin_place, origin_number, reason)
    );
    ",
    // 2: story assignments and the clusterer's saved state. A unit's section is -1 for a whole article, so the
    // key is never NULL. The state is one row holding the engine's serialised clusterer.
    "
    CREATE TABLE story_units (
        seq INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        section INTEGER NOT NULL,
        story INTEGER NOT NULL,
        score REAL NOT NULL,
        duplicate_of TEXT,
        similarity REAL,
        UNIQUE (article_id, section)
    );
    CREATE INDEX story_units_by_story ON story_units (story);
    CREATE TABLE clusterer_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state BLOB NOT NULL
    );
    ",
    // 3: extraction. `extractions` keeps each article's whole extraction as JSON with the article's own entity
    // ids; `pending_extraction` lists the stored articles not extracted yet (filled here for articles stored
    // before this migration, then by every batch), so an interrupted run resumes where it stopped. `entities` maps
    // every local id to its canonical id; the other tables index the extraction by entity, with local ids.
    "
    CREATE TABLE extractions (
        article_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
    );
    CREATE TABLE pending_extraction (
        seq INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE
    );
    INSERT INTO pending_extraction (seq, article_id) SELECT seq, id FROM articles;
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        canonical TEXT NOT NULL
    );
    CREATE INDEX entities_by_canonical ON entities (canonical);
    CREATE TABLE entity_parts (
        part TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (part, entity_id)
    );
    CREATE TABLE entity_forms (
        article_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        folded TEXT NOT NULL,
        PRIMARY KEY (entity_id, article_id, name)
    );
    CREATE INDEX entity_forms_by_article ON entity_forms (article_id);
    CREATE INDEX entity_forms_by_folded ON entity_forms (folded);
    CREATE TABLE mentions (
        article_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        sentence INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX mentions_by_entity ON mentions (entity_id);
    CREATE INDEX mentions_by_article ON mentions (article_id);
    CREATE TABLE roles (
        article_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        title TEXT NOT NULL,
        affiliation TEXT,
        sentence INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL
    );
    CREATE INDEX roles_by_entity ON roles (entity_id);
    CREATE INDEX roles_by_article ON roles (article_id);
    CREATE TABLE quote_speakers (
        article_id TEXT NOT NULL,
        quote INTEGER NOT NULL,
        entity_id TEXT NOT NULL,
        via INTEGER NOT NULL
    );
    CREATE INDEX quote_speakers_by_entity ON quote_speakers (entity_id);
    CREATE INDEX quote_speakers_by_article ON quote_speakers (article_id);
    CREATE TABLE event_actors (
        article_id TEXT NOT NULL,
        event INTEGER NOT NULL,
        entity_id TEXT NOT NULL,
        role TEXT NOT NULL
    );
    CREATE INDEX event_actors_by_entity ON event_actors (entity_id);
    CREATE INDEX event_actors_by_article ON event_actors (article_id);
    ",
    // 4: the extraction of a giant article is kept part by part as it is made (the first part in `extractions`,
    // the rest here), so storing it never holds the whole of it in memory; reading joins the parts in order.
    "
    CREATE TABLE extraction_parts (
        article_id TEXT NOT NULL,
        part INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (article_id, part)
    ) WITHOUT ROWID;
    ",
    // 5: the dense vectors of an article's statements, made when it is extracted with a model, so a comparison
    // reads them instead of running the encoder (the engine's `StatementVectors` bytes).
    "
    CREATE TABLE statement_vectors (
        article_id TEXT PRIMARY KEY,
        body BLOB NOT NULL
    );
    ",
    // 6: one row per story, kept up to date as stories are saved, so a listing reads a page of stories through an
    // index (keyset paging) instead of folding every assignment. `recency` is the latest article's day ('' when
    // no article is dated) and `first_day` the earliest's; `sources` and `languages` are JSON arrays of the
    // outlets as stored (a domain is mapped to its outlet's name when read) and the languages. `story_outlets`
    // and `story_languages` index them for the listing's filters, with the story's sort keys copied so that a
    // listing of one outlet or language walks its own index in order; `outlets` holds each outlet once. `version`
    // takes the value of `generation` each time the story or an extraction of its articles changes, and
    // `generation` only ever grows, so a reader that keeps something made from a story knows when it is stale.
    // The rows of stories assigned before this migration are filled when the store is next opened for writing.
    "
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        recency TEXT NOT NULL,
        first_day TEXT NOT NULL,
        articles INTEGER NOT NULL,
        unattributed INTEGER NOT NULL,
        first_date TEXT,
        last_date TEXT,
        headline TEXT NOT NULL,
        headline_given INTEGER NOT NULL,
        sources TEXT NOT NULL,
        languages TEXT NOT NULL,
        version INTEGER NOT NULL
    );
    CREATE INDEX stories_newest ON stories (recency, id);
    CREATE INDEX stories_largest ON stories (articles, id);
    CREATE TABLE story_outlets (
        story INTEGER NOT NULL,
        source TEXT NOT NULL,
        recency TEXT NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (story, source)
    ) WITHOUT ROWID;
    CREATE INDEX story_outlets_newest ON story_outlets (source, recency, story);
    CREATE INDEX story_outlets_largest ON story_outlets (source, articles, story);
    CREATE TABLE story_languages (
        story INTEGER NOT NULL,
        language TEXT NOT NULL,
        recency TEXT NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (story, language)
    ) WITHOUT ROWID;
    CREATE INDEX story_languages_newest ON story_languages (language, recency, story);
    CREATE INDEX story_languages_largest ON story_languages (language, articles, story);
    CREATE TABLE outlets (source TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE generation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        n INTEGER NOT NULL
    );
    INSERT INTO generation (id, n) VALUES (1, 0);
    CREATE TABLE stories_to_fill (story INTEGER PRIMARY KEY);
    INSERT INTO stories_to_fill (story) SELECT DISTINCT story FROM story_units;
    ",
    // 7: each story's storyline (the stories of one developing situation). A story without a row is alone in the
    // storyline that bears its id, as every story of a store assigned before storylines is.
    "
    CREATE TABLE story_lines (
        story INTEGER PRIMARY KEY,
        storyline INTEGER NOT NULL
    );
    CREATE INDEX story_lines_by_storyline ON story_lines (storyline);
    ",
];

/// The schema version this build writes.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to the latest version, refusing one written by a newer build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > latest_version() {
        return Err(Error::NewerSchema {
            found,
            known: latest_version(),
        });
    }
    for (done, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        // IMMEDIATE takes the write lock up front, so two processes opening a fresh file do not both migrate.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if current > done as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", done as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
