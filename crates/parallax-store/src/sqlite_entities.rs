//! The SQLite store's side of extraction: keeping each article's extraction, indexing it by entity, and keeping
//! the map from the articles' own entity ids to canonical ones up to date as articles come in.

use std::collections::{BTreeSet, HashMap};

use parallax_model::{
    Article, ArticleId, EntityId, EntityKind, Event, Extraction, Mention, Role, StoryId, name_rank,
};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::canon::{
    Canonical, best_form, ids_in, join_target, kind_column, kind_from_column, make_canonical,
    name_parts,
};
use crate::row::ARTICLE_COLUMNS;
use crate::row::article_from_row;
use crate::{ArticleQuote, EntityQuery, EntityRecord, EntitySummary, Error, Result, SqliteStore};

/// The rows of one canonical entity: joins `entities e` to a table aliased `f` that has `entity_id`.
const OF_CANONICAL: &str = "JOIN entities e ON e.id = f.entity_id WHERE e.canonical = ?1";

impl SqliteStore {
    pub(crate) fn store_extractions(&mut self, extractions: &[Extraction]) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut new_people = BTreeSet::new();
        for extraction in extractions {
            store_one(&tx, extraction, &mut new_people)?;
        }
        join_new_people(&tx, &new_people)?;
        let articles: Vec<&ArticleId> = extractions.iter().map(|x| &x.article).collect();
        crate::sqlite_stories::touch_stories_of(&tx, &articles)?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps one article's extraction as it comes, part by part, in one transaction: only one part is in memory
    /// at a time, however large the article.
    pub(crate) fn store_extraction_parts(
        &mut self,
        article: &ArticleId,
        parts: &mut dyn Iterator<Item = Extraction>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut new_people = BTreeSet::new();
        forget_extraction(&tx, article)?;
        let mut part = Part::default();
        for x in parts {
            if x.article != *article {
                return Err(Error::Corrupt {
                    what: format!("extraction of article {article}"),
                    reason: format!("a part of it belongs to article {}", x.article),
                });
            }
            store_part(&tx, &x, part, &mut new_people)?;
            part.number += 1;
            part.quotes_before += x.quotes.len();
            part.events_before += x.events.len();
        }
        if part.number == 0 {
            store_part(
                &tx,
                &Extraction {
                    article: article.clone(),
                    ..Extraction::default()
                },
                part,
                &mut new_people,
            )?;
        }
        join_new_people(&tx, &new_people)?;
        crate::sqlite_stories::touch_stories_of(&tx, &[article])?;
        tx.commit()?;
        Ok(())
    }
}

/// Joins each person seen for the first time, and the shorter names it holds, to its canonical entity.
fn join_new_people(tx: &Transaction<'_>, new_people: &BTreeSet<String>) -> Result<()> {
    {
        // A new person can only change the join of itself and of the shorter names it holds.
        let mut affected: BTreeSet<String> = BTreeSet::new();
        for person in new_people {
            affected.insert(person.clone());
            affected.extend(name_parts(person));
        }
        {
            let mut exists = tx.prepare_cached("SELECT 1 FROM entities WHERE id = ?1")?;
            let mut holders_of =
                tx.prepare_cached("SELECT entity_id FROM entity_parts WHERE part = ?1")?;
            let mut holders = |id: &str| -> Result<BTreeSet<String>> {
                let rows = holders_of.query_map([id], |row| row.get(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let mut update =
                tx.prepare_cached("UPDATE entities SET canonical = ?2 WHERE id = ?1")?;
            for id in &affected {
                if !exists.exists([id])? {
                    continue;
                }
                let target = join_target(id, &mut holders)?;
                update.execute(params![id, target.as_deref().unwrap_or(id)])?;
            }
        }
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) fn stored_extraction(&self, id: &ArticleId) -> Result<Option<Extraction>> {
        let body: Option<String> = self
            .conn
            .prepare_cached("SELECT body FROM extractions WHERE article_id = ?1")?
            .query_row([&id.0], |row| row.get(0))
            .optional()?;
        let Some(body) = body else {
            return Ok(None);
        };
        let parse = |body: &str| -> Result<Extraction> {
            serde_json::from_str(body).map_err(|e| Error::Corrupt {
                what: format!("extraction of article {id}"),
                reason: e.to_string(),
            })
        };
        let mut parts = vec![parse(&body)?];
        let mut more = self.conn.prepare_cached(
            "SELECT body FROM extraction_parts WHERE article_id = ?1 ORDER BY part",
        )?;
        for body in more.query_map([&id.0], |row| row.get::<_, String>(0))? {
            parts.push(parse(&body?)?);
        }
        let extraction = Extraction::join(parts);
        let canonical = self.canonical_map(&ids_in(&extraction))?;
        Ok(Some(make_canonical(extraction, &canonical)))
    }

    /// The canonical id and name of each of `ids` that the store knows.
    fn canonical_map(&self, ids: &BTreeSet<EntityId>) -> Result<Canonical> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.canonical, c.name FROM entities e JOIN entities c ON c.id = e.canonical WHERE e.id = ?1",
        )?;
        let mut map = Canonical::new();
        for id in ids {
            let found: Option<(String, String)> = stmt
                .query_row([&id.0], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            if let Some((canonical, name)) = found {
                map.insert(id.clone(), (EntityId(canonical), name));
            }
        }
        Ok(map)
    }

    fn canonical_of(&self, id: &str) -> Result<Option<EntityId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT canonical FROM entities WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?
            .map(EntityId))
    }

    pub(crate) fn pending_articles(&self, limit: usize) -> Result<Vec<Article>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM pending_extraction p JOIN articles a ON a.id = p.article_id \
             ORDER BY p.seq LIMIT ?1"
        ))?;
        let mut rows = stmt.query([limit as i64])?;
        let mut all = Vec::new();
        while let Some(row) = rows.next()? {
            all.push(article_from_row(row)?);
        }
        Ok(all)
    }

    pub(crate) fn list_entities(&self, query: &EntityQuery) -> Result<Vec<EntitySummary>> {
        let story = query.story.map(|s| s.0 as i64);
        let filter = if story.is_some() {
            "WHERE f.article_id IN (SELECT article_id FROM story_units WHERE story = ?1)"
        } else {
            "WHERE ?1 IS NULL"
        };
        let counts = |table: &str, count: &str| -> Result<HashMap<String, u64>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT e.canonical, {count} FROM {table} f JOIN entities e ON e.id = f.entity_id {filter} \
                 GROUP BY e.canonical"
            ))?;
            let rows = stmt.query_map([story], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let articles = counts("entity_forms", "COUNT(DISTINCT f.article_id)")?;
        let mentions = counts("mentions", "COUNT(*)")?;
        let mut order: Vec<(u64, u64, String)> = articles
            .into_iter()
            .map(|(id, n)| (n, mentions.get(&id).copied().unwrap_or(0), id))
            .collect();
        order.sort_by(|a, b| (b.0, b.1, &a.2).cmp(&(a.0, a.1, &b.2)));
        order.truncate(query.limit.unwrap_or(usize::MAX));
        order
            .into_iter()
            .map(|(articles, mentions, id)| self.summary(&id, articles, mentions))
            .collect()
    }

    fn summary(&self, id: &str, articles: u64, mentions: u64) -> Result<EntitySummary> {
        let (kind, name): (String, String) = self
            .conn
            .prepare_cached("SELECT kind, name FROM entities WHERE id = ?1")?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let strings = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([id], |row| row.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut aliases = strings(&format!(
            "SELECT DISTINCT f.name FROM entity_forms f {OF_CANONICAL} ORDER BY f.name"
        ))?;
        aliases.retain(|a| *a != name);
        let roles = strings(&format!(
            "SELECT f.title FROM roles f {OF_CANONICAL} GROUP BY f.title ORDER BY COUNT(*) DESC, f.title"
        ))?;
        let stories: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COUNT(DISTINCT u.story) FROM story_units u WHERE u.article_id IN \
             (SELECT f.article_id FROM entity_forms f {OF_CANONICAL})"
            ))?
            .query_row([id], |row| row.get(0))?;
        Ok(EntitySummary {
            id: EntityId(id.to_owned()),
            kind: kind_from_column(&kind),
            name,
            aliases,
            roles,
            articles,
            mentions,
            stories: stories as u64,
        })
    }

    pub(crate) fn lookup_entities(&self, name_or_id: &str) -> Result<Vec<EntityId>> {
        let wanted = name_or_id.trim();
        if let Some(id) = self.canonical_of(wanted)? {
            return Ok(vec![id]);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT e.canonical FROM entity_forms f JOIN entities e ON e.id = f.entity_id \
             WHERE f.folded = ?1 ORDER BY e.canonical",
        )?;
        let rows = stmt.query_map([wanted.to_lowercase()], |row| row.get(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<String>>>()?
            .into_iter()
            .map(EntityId)
            .collect())
    }

    pub(crate) fn entity_record(&self, id: &EntityId) -> Result<Option<EntityRecord>> {
        let Some(canonical) = self.canonical_of(&id.0)? else {
            return Ok(None);
        };
        let c = canonical.0.as_str();
        let articles: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COUNT(DISTINCT f.article_id) FROM entity_forms f {OF_CANONICAL}"
            ))?
            .query_row([c], |row| row.get(0))?;
        if articles == 0 {
            return Ok(None);
        }
        let mut mentions = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT f.article_id, f.sentence, f.span_start, f.span_end, f.text, f.kind FROM mentions f {OF_CANONICAL} \
                 ORDER BY f.article_id, f.span_start, f.span_end"
            ))?;
            let mut rows = stmt.query([c])?;
            while let Some(row) = rows.next()? {
                mentions.push(Mention {
                    article: ArticleId(row.get(0)?),
                    sentence: row.get::<_, i64>(1)? as usize,
                    start: row.get::<_, i64>(2)? as usize,
                    end: row.get::<_, i64>(3)? as usize,
                    text: row.get(4)?,
                    kind: kind_from_column(&row.get::<_, String>(5)?),
                    entity: canonical.clone(),
                });
            }
        }
        let mut roles = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT f.article_id, f.title, f.affiliation, f.sentence, f.span_start, f.span_end FROM roles f \
                 {OF_CANONICAL} ORDER BY f.article_id, f.span_start, f.span_end"
            ))?;
            let mut rows = stmt.query([c])?;
            while let Some(row) = rows.next()? {
                let affiliation: Option<String> = row.get(2)?;
                roles.push(Role {
                    person: canonical.clone(),
                    title: row.get(1)?,
                    affiliation: affiliation.map(EntityId),
                    article: ArticleId(row.get(0)?),
                    sentence: row.get::<_, i64>(3)? as usize,
                    start: row.get::<_, i64>(4)? as usize,
                    end: row.get::<_, i64>(5)? as usize,
                });
            }
        }
        for role in &mut roles {
            if let Some(affiliation) = &role.affiliation
                && let Some(to) = self.canonical_of(&affiliation.0)?
            {
                role.affiliation = Some(to);
            }
        }
        let mut bodies: HashMap<ArticleId, Extraction> = HashMap::new();
        let mut quotes = Vec::new();
        for (article, index) in self.indexed(
            &format!("SELECT DISTINCT f.article_id, f.quote FROM quote_speakers f {OF_CANONICAL}"),
            c,
        )? {
            if let Some(quote) = self
                .body(&mut bodies, &article)?
                .and_then(|x| x.quotes.get(index))
            {
                quotes.push(ArticleQuote {
                    article: article.clone(),
                    quote: quote.clone(),
                });
            }
        }
        let mut events: Vec<Event> = Vec::new();
        for (article, index) in self.indexed(
            &format!("SELECT DISTINCT f.article_id, f.event FROM event_actors f {OF_CANONICAL}"),
            c,
        )? {
            if let Some(event) = self
                .body(&mut bodies, &article)?
                .and_then(|x| x.events.get(index))
            {
                events.push(event.clone());
            }
        }
        let stories: Vec<StoryId> = {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT DISTINCT u.story FROM story_units u WHERE u.article_id IN \
                 (SELECT f.article_id FROM entity_forms f {OF_CANONICAL}) ORDER BY u.story"
            ))?;
            let rows = stmt.query_map([c], |row| row.get::<_, i64>(0))?;
            rows.map(|r| r.map(|s| StoryId(s as u64)))
                .collect::<rusqlite::Result<_>>()?
        };
        let entity = self.summary(c, articles as u64, mentions.len() as u64)?;
        Ok(Some(EntityRecord {
            entity,
            mentions,
            roles,
            quotes,
            events,
            stories,
        }))
    }

    /// (article, index) pairs selected by `sql`, sorted by article id, then index.
    fn indexed(&self, sql: &str, canonical: &str) -> Result<Vec<(ArticleId, usize)>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([canonical], |row| {
            Ok((ArticleId(row.get(0)?), row.get::<_, i64>(1)? as usize))
        })?;
        let mut found: Vec<(ArticleId, usize)> = rows.collect::<rusqlite::Result<_>>()?;
        found.sort();
        Ok(found)
    }

    /// An article's canonical extraction, read once per record.
    fn body<'a>(
        &self,
        bodies: &'a mut HashMap<ArticleId, Extraction>,
        article: &ArticleId,
    ) -> Result<Option<&'a Extraction>> {
        if !bodies.contains_key(article) {
            match self.stored_extraction(article)? {
                Some(x) => bodies.insert(article.clone(), x),
                None => return Ok(None),
            };
        }
        Ok(bodies.get(article))
    }
}

/// Replaces what is kept for one article with its new extraction; the people seen for the first time are added
/// to `new_people`.
fn store_one(
    tx: &Transaction<'_>,
    x: &Extraction,
    new_people: &mut BTreeSet<String>,
) -> Result<()> {
    forget_extraction(tx, &x.article)?;
    store_part(tx, x, Part::default(), new_people)
}

/// Where a part of an article's extraction goes: its number (0 for the first, kept in `extractions`; the rest
/// in `extraction_parts`) and how many quotes and events the parts before it hold, so the index tables number
/// them across the whole article.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Part {
    pub(crate) number: usize,
    pub(crate) quotes_before: usize,
    pub(crate) events_before: usize,
}

/// Drops everything kept of an article's extraction, and its place in the pending list.
pub(crate) fn forget_extraction(tx: &Transaction<'_>, article: &ArticleId) -> Result<()> {
    for table in [
        "extractions",
        "extraction_parts",
        "mentions",
        "roles",
        "entity_forms",
        "quote_speakers",
        "event_actors",
        "pending_extraction",
    ] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE article_id = ?1"))?
            .execute([&article.0])?;
    }
    Ok(())
}

/// Keeps one part of an article's extraction (the whole of it for all but giant articles) and indexes it by
/// entity, after [`forget_extraction`].
pub(crate) fn store_part(
    tx: &Transaction<'_>,
    x: &Extraction,
    part: Part,
    new_people: &mut BTreeSet<String>,
) -> Result<()> {
    let article = &x.article.0;
    let body = serde_json::to_string(x).map_err(|e| Error::Corrupt {
        what: format!("extraction of article {article}"),
        reason: e.to_string(),
    })?;
    if part.number == 0 {
        tx.prepare_cached("INSERT INTO extractions (article_id, body) VALUES (?1, ?2)")?
            .execute(params![article, body])?;
    } else {
        tx.prepare_cached(
            "INSERT INTO extraction_parts (article_id, part, body) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![article, part.number as i64, body])?;
    }
    drop(body);
    let mut known = tx.prepare_cached("SELECT name FROM entities WHERE id = ?1")?;
    let mut insert_entity = tx.prepare_cached(
        "INSERT INTO entities (id, kind, name, canonical) VALUES (?1, ?2, ?3, ?1)",
    )?;
    let mut rename = tx.prepare_cached("UPDATE entities SET name = ?2 WHERE id = ?1")?;
    let mut insert_part =
        tx.prepare_cached("INSERT OR IGNORE INTO entity_parts (part, entity_id) VALUES (?1, ?2)")?;
    let mut insert_form = tx.prepare_cached(
        "INSERT OR IGNORE INTO entity_forms (article_id, entity_id, name, folded) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for e in &x.entities {
        let id = &e.id.0;
        let best = best_form(e);
        let stored: Option<String> = known.query_row([id], |row| row.get(0)).optional()?;
        match stored {
            None => {
                insert_entity.execute(params![id, kind_column(e.kind), best])?;
                for part in name_parts(id) {
                    insert_part.execute(params![part, id])?;
                }
                if e.kind == EntityKind::Person {
                    new_people.insert(id.clone());
                }
            }
            Some(name) if name_rank(best) > name_rank(&name) => {
                rename.execute(params![id, best])?;
            }
            Some(_) => {}
        }
        for form in std::iter::once(&e.name).chain(&e.aliases) {
            insert_form.execute(params![article, id, form, form.to_lowercase()])?;
        }
    }
    let mut insert_mention = tx.prepare_cached(
        "INSERT INTO mentions (article_id, entity_id, kind, sentence, span_start, span_end, text) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for m in &x.mentions {
        insert_mention.execute(params![
            article,
            m.entity.0,
            kind_column(m.kind),
            m.sentence as i64,
            m.start as i64,
            m.end as i64,
            m.text
        ])?;
    }
    let mut insert_role = tx.prepare_cached(
        "INSERT INTO roles (article_id, entity_id, title, affiliation, sentence, span_start, span_end) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for r in &x.roles {
        insert_role.execute(params![
            article,
            r.person.0,
            r.title,
            r.affiliation.as_ref().map(|a| &a.0),
            r.sentence as i64,
            r.start as i64,
            r.end as i64
        ])?;
    }
    let mut insert_speaker = tx.prepare_cached(
        "INSERT INTO quote_speakers (article_id, quote, entity_id, via) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, quote) in x.quotes.iter().enumerate() {
        for (speaker, via) in [(&quote.speaker, false), (&quote.via, true)] {
            if let Some(entity) = speaker.as_ref().and_then(|s| s.entity.as_ref()) {
                let i = part.quotes_before + i;
                insert_speaker.execute(params![article, i as i64, entity.0, via])?;
            }
        }
    }
    let mut insert_actor = tx.prepare_cached(
        "INSERT INTO event_actors (article_id, event, entity_id, role) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, event) in x.events.iter().enumerate() {
        for actor in &event.actors {
            let role = serde_json::to_value(actor.role)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let i = part.events_before + i;
            insert_actor.execute(params![article, i as i64, actor.entity.0, role])?;
        }
    }
    Ok(())
}
