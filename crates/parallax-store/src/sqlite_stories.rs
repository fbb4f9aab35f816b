//! The story rows of the SQLite store: one row per story, kept up to date whenever stories are saved, so that a
//! listing reads a page through an index (keyset paging) and costs the same at a thousand articles or a million.

use std::collections::BTreeSet;

use parallax_model::{ArticleId, PubDate, StoryId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::{
    Result, SqliteStore, StoryCursor, StoryListQuery, StoryOrder, StorySummary, outlet_names,
};

/// The units of one story joined to their articles, as the refresh reads them.
const UNITS_OF_STORY: &str =
    "FROM story_units u JOIN articles a ON a.id = u.article_id WHERE u.story = ?1";

/// Takes the next generation: every story changed in this transaction gets it as its version.
fn next_generation(conn: &Connection) -> Result<i64> {
    conn.execute("UPDATE generation SET n = n + 1 WHERE id = 1", [])?;
    Ok(
        conn.query_row("SELECT n FROM generation WHERE id = 1", [], |row| {
            row.get(0)
        })?,
    )
}

/// Folds the units of each story in `stories` into its row again (removing the rows of a story left without
/// units). Runs inside the caller's transaction, so the rows always agree with the assignments.
pub(crate) fn refresh_stories(conn: &Connection, stories: &BTreeSet<i64>) -> Result<()> {
    if stories.is_empty() {
        return Ok(());
    }
    let version = next_generation(conn)?;
    for &story in stories {
        refresh_story(conn, story, version)?;
    }
    Ok(())
}

fn refresh_story(conn: &Connection, story: i64, version: i64) -> Result<()> {
    for table in [
        "stories WHERE id",
        "story_outlets WHERE story",
        "story_languages WHERE story",
    ] {
        conn.prepare_cached(&format!("DELETE FROM {table} = ?1"))?
            .execute([story])?;
    }
    let (articles, unattributed, first, last): (i64, i64, Option<String>, Option<String>) = conn
        .prepare_cached(&format!(
            "SELECT COUNT(DISTINCT u.article_id), COUNT(DISTINCT CASE WHEN a.source IS NULL THEN a.id END), \
             MIN(a.date), MAX(a.date) {UNITS_OF_STORY}"
        ))?
        .query_row([story], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
    if articles == 0 {
        return Ok(());
    }
    // Publication order compares the stored date text, so the earliest and latest dated articles are its MIN and
    // MAX. The headline is the earliest title a source gave, else the earliest title (as the fold over members); a
    // section is named by its own subheading.
    let (headline, derived): (String, bool) = conn
        .prepare_cached(&format!(
            "SELECT coalesce(CASE WHEN u.section >= 0 THEN \
             json_extract(a.sections, '$[' || u.section || '].heading') END, a.title), \
             coalesce(json_extract(a.provenance, '$.title') = 'derived', 0) AS derived \
             {UNITS_OF_STORY} ORDER BY derived, a.date IS NULL, a.date, a.seq, u.section LIMIT 1"
        ))?
        .query_row([story], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let distinct = |column: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT DISTINCT a.{column} {UNITS_OF_STORY} AND a.{column} IS NOT NULL ORDER BY a.{column}"
        ))?;
        let rows = stmt.query_map([story], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let sources = distinct("source")?;
    let languages = distinct("language")?;
    let day = |date: &Option<String>| {
        date.as_deref()
            .and_then(|d| d.parse::<PubDate>().ok())
            .map(|d| d.day().to_string())
            .unwrap_or_default()
    };
    conn.prepare_cached(
        "INSERT INTO stories (id, recency, first_day, articles, unattributed, first_date, last_date, headline, \
         headline_given, sources, languages, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        story,
        day(&last),
        day(&first),
        articles,
        unattributed,
        first,
        last,
        headline,
        !derived,
        serde_json::to_string(&sources).unwrap_or_default(),
        serde_json::to_string(&languages).unwrap_or_default(),
        version,
    ])?;
    let recency = day(&last);
    let mut outlet = conn.prepare_cached(
        "INSERT INTO story_outlets (story, source, recency, articles) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut known = conn.prepare_cached("INSERT OR IGNORE INTO outlets (source) VALUES (?1)")?;
    for source in &sources {
        outlet.execute(params![story, source, recency, articles])?;
        known.execute([source])?;
    }
    let mut language = conn.prepare_cached(
        "INSERT INTO story_languages (story, language, recency, articles) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for code in &languages {
        language.execute(params![story, code, recency, articles])?;
    }
    Ok(())
}

/// Gives the stories of `articles` a new version: their extractions changed, so what was made from them is stale.
pub(crate) fn touch_stories_of(conn: &Connection, articles: &[&ArticleId]) -> Result<()> {
    if articles.is_empty() {
        return Ok(());
    }
    let version = next_generation(conn)?;
    let mut touch = conn.prepare_cached(
        "UPDATE stories SET version = ?1 WHERE id IN (SELECT story FROM story_units WHERE article_id = ?2)",
    )?;
    for article in articles {
        touch.execute(params![version, article.0])?;
    }
    Ok(())
}

/// Forgets every story row (the generation stays: versions never come back).
pub(crate) fn forget_story_rows(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM stories; DELETE FROM story_outlets; DELETE FROM story_languages; DELETE FROM outlets; \
         DELETE FROM stories_to_fill;",
    )?;
    Ok(())
}

/// Fills the rows of the stories assigned before the story rows existed (listed by the migration that made them).
pub(crate) fn fill_stories(conn: &mut Connection) -> Result<()> {
    let waiting: Option<i64> = conn
        .query_row("SELECT story FROM stories_to_fill LIMIT 1", [], |row| {
            row.get(0)
        })
        .optional()?;
    if waiting.is_none() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    let stories: BTreeSet<i64> = {
        let mut stmt = tx.prepare("SELECT story FROM stories_to_fill")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    refresh_stories(&tx, &stories)?;
    tx.execute("DELETE FROM stories_to_fill", [])?;
    tx.commit()?;
    Ok(())
}

impl SqliteStore {
    /// One page of the listing, read through the order's index: filters are checked row by row as the index is
    /// walked, so a page costs its own rows plus those the filters skip.
    pub(crate) fn list_stories(&self, query: &StoryListQuery) -> Result<Vec<StorySummary>> {
        let outlets: Vec<String> = {
            let mut stmt = self.conn.prepare_cached("SELECT source FROM outlets")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let names = outlet_names(outlets.iter().map(String::as_str));
        // The rows are walked in listing order through one index, the filters checked on each: the index of the
        // outlet (or language) asked for when there is one, so a filtered page walks only that outlet's stories;
        // else the listing's own. The other filters' columns are written `+x`, which keeps SQLite from choosing
        // their index and sorting everything it finds.
        let raw_outlets: Option<Vec<String>> = query.outlet.as_ref().map(|outlet| {
            // The outlet as listings name it, and every domain that stands for it.
            let mut raw = vec![outlet.clone()];
            raw.extend(
                names
                    .iter()
                    .filter(|(_, name)| *name == outlet)
                    .map(|(domain, _)| domain.clone()),
            );
            raw
        });
        // A story has one row per outlet it names, so only one outlet's rows can drive the walk; an outlet also
        // given by its domain is checked story by story instead.
        let one_outlet = raw_outlets.as_ref().is_some_and(|raw| raw.len() == 1);
        let (from, (recency, articles, id)) = match (one_outlet, &query.language) {
            (true, _) => (
                "story_outlets d JOIN stories s ON s.id = d.story",
                ("d.recency", "d.articles", "d.story"),
            ),
            (false, Some(_)) => (
                "story_languages d JOIN stories s ON s.id = d.story",
                ("d.recency", "d.articles", "d.story"),
            ),
            (false, None) => ("stories s", ("s.recency", "s.articles", "s.id")),
        };
        let mut filters: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        // Each `?` of a filter, in order, becomes the number of the value bound for it.
        let mut bind = |filter: &str, bound: Vec<Value>| {
            let mut pieces = filter.split('?');
            let mut numbered = pieces.next().unwrap_or_default().to_owned();
            for (value, piece) in bound.into_iter().zip(pieces) {
                values.push(value);
                numbered.push_str(&format!("?{}{piece}", values.len()));
            }
            filters.push(numbered);
        };
        if let Some(raw) = &raw_outlets {
            let marks = vec!["?"; raw.len()].join(", ");
            let filter = if one_outlet {
                "d.source = ?".to_owned()
            } else {
                format!(
                    "EXISTS (SELECT 1 FROM story_outlets o WHERE o.story = s.id AND o.source IN ({marks}))"
                )
            };
            bind(
                &filter,
                raw.iter().map(|r| Value::Text(r.clone())).collect(),
            );
        }
        if let Some(language) = &query.language {
            let filter = if one_outlet {
                "EXISTS (SELECT 1 FROM story_languages l WHERE l.story = s.id AND l.language = ?)"
            } else {
                "d.language = ?"
            };
            bind(filter, vec![Value::Text(language.clone())]);
        }
        if let Some(from) = &query.from {
            bind("+s.recency >= ?", vec![Value::Text(from.clone())]);
        }
        if let Some(to) = &query.to {
            bind(
                "+s.first_day <> '' AND +s.first_day <= ?",
                vec![Value::Text(to.clone())],
            );
        }
        if let Some(only) = &query.only {
            let ids: Vec<u64> = only.iter().map(|id| id.0).collect();
            bind(
                "+s.id IN (SELECT value FROM json_each(?))",
                vec![Value::Text(serde_json::to_string(&ids).unwrap_or_default())],
            );
        }
        let order = match query.order {
            StoryOrder::Newest => format!("{recency} DESC, {id} DESC"),
            StoryOrder::Largest => format!("{articles} DESC, {id} DESC"),
        };
        match &query.after {
            None => {}
            Some(StoryCursor::Newest { day, id: after }) => bind(
                &format!("({recency}, {id}) < (?, ?)"),
                vec![
                    Value::Text(day.clone().unwrap_or_default()),
                    Value::Integer(after.0 as i64),
                ],
            ),
            Some(StoryCursor::Largest {
                articles: count,
                id: after,
            }) => bind(
                &format!("({articles}, {id}) < (?, ?)"),
                vec![
                    Value::Integer(*count as i64),
                    Value::Integer(after.0 as i64),
                ],
            ),
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filters.join(" AND "))
        };
        values.push(Value::Integer(query.limit as i64));
        let sql = format!(
            "SELECT s.id, s.first_date, s.last_date, s.articles, s.unattributed, s.headline, s.headline_given, \
             s.sources, s.languages FROM {from} {filter} ORDER BY {order} LIMIT ?{}",
            values.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut page = Vec::new();
        while let Some(row) = rows.next()? {
            let date = |at: usize| -> rusqlite::Result<Option<PubDate>> {
                Ok(row
                    .get::<_, Option<String>>(at)?
                    .and_then(|d| d.parse().ok()))
            };
            let list = |at: usize| -> rusqlite::Result<Vec<String>> {
                Ok(serde_json::from_str(&row.get::<_, String>(at)?).unwrap_or_default())
            };
            let mut sources: Vec<String> = list(7)?
                .into_iter()
                .map(|s| names.get(&s).cloned().unwrap_or(s))
                .collect();
            sources.sort();
            sources.dedup();
            page.push(StorySummary {
                id: StoryId(row.get::<_, i64>(0)? as u64),
                first_date: date(1)?,
                last_date: date(2)?,
                articles: row.get::<_, i64>(3)? as u64,
                unattributed: row.get::<_, i64>(4)? as u64,
                headline: row.get(5)?,
                headline_given: row.get(6)?,
                sources,
                languages: list(8)?,
            });
        }
        Ok(page)
    }

    pub(crate) fn stored_story_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM stories")?
            .query_row([], |row| row.get::<_, i64>(0))? as u64)
    }

    pub(crate) fn stored_story_version(&self, id: StoryId) -> Result<Option<u64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT version FROM stories WHERE id = ?1")?
            .query_row([id.0 as i64], |row| row.get::<_, i64>(0))
            .optional()?
            .map(|v| v as u64))
    }
}
