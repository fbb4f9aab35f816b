//! Where Parallax keeps what the engine produces. Later stages see the [`Store`] trait, never SQL.
//!
//! Two implementations behave the same: [`SqliteStore`], an embedded SQLite file (the default, crash-safe through
//! WAL and one transaction per batch), and [`MemoryStore`] for tests. Both store an article once however often it
//! is ingested: an article whose title, text and outlet are already stored counts as a duplicate.
//!
//! ```
//! use parallax_model::Article;
//! use parallax_store::{MemoryStore, Store};
//!
//! let mut store = MemoryStore::new();
//! let mut article = Article::new("Talks in Moscow", "Delegations met on Thursday.");
//! article.id = "a1".into();
//! let first = store.put_batch(&[article.clone()], &[]).unwrap();
//! let again = store.put_batch(&[article], &[]).unwrap();
//! assert_eq!((first.stored, again.stored, again.duplicates), (1, 0, 1));
//! assert_eq!(store.inventory().unwrap().articles, 1);
//! ```
#![deny(missing_docs)]

mod canon;
mod memory;
mod row;
mod schema;
mod sqlite;
mod sqlite_entities;
mod sqlite_stories;

use std::collections::{BTreeMap, BTreeSet};

use parallax_model::{
    Article, ArticleId, Assignment, EntityId, EntityKind, Event, Extraction, Mention, PubDate,
    Quote, Reject, Role, StoryId, StoryUnit, StorylineId,
};
use serde::Serialize;

pub use memory::MemoryStore;
pub use sqlite::{SqliteStore, WriterTurn};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed (I/O, locking, corruption SQLite noticed).
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer Parallax whose schema this build does not know.
    #[error(
        "the database has schema version {found}, newer than this build of parallax knows ({known}); upgrade parallax"
    )]
    NewerSchema {
        /// The version found in the file.
        found: i64,
        /// The newest version this build can migrate to.
        known: i64,
    },
    /// The writer's turn on the store could not be taken (the lock file beside it cannot be made or locked).
    #[error("cannot take the writer's turn on the database: {0}")]
    Turn(String),
    /// The database path is empty: SQLite would open a temporary database and lose everything stored in it.
    #[error("the database path is empty")]
    EmptyPath,
    /// A command that only reads found no Parallax store at the path (an empty or foreign file, or one written by
    /// an older build); readers never create or change a store.
    #[error(
        "{path} is not a Parallax database of this version ({why}); `parallax ingest` creates or upgrades it"
    )]
    NotAStore {
        /// The path opened.
        path: String,
        /// What was found instead.
        why: String,
    },
    /// A stored value could not be read back (edited by hand, or written by a faulty build).
    #[error("stored {what} cannot be read back: {reason}")]
    Corrupt {
        /// Which value ("sections of article X").
        what: String,
        /// Why it cannot be decoded.
        reason: String,
    },
}

/// The store's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// What storing a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutReport {
    /// Articles newly stored.
    pub stored: u64,
    /// Articles already present (same title, text and outlet), not stored again.
    pub duplicates: u64,
    /// Rejects newly recorded, counting those in `conflicts`; a reject already recorded is not recorded again.
    pub rejected: u64,
    /// Articles refused because their id is taken by a different stored article. Each is also recorded as a
    /// reject, so nothing is dropped silently.
    pub conflicts: Vec<Reject>,
}

impl PutReport {
    /// Adds the counts of a later batch to these.
    pub fn absorb(&mut self, later: PutReport) {
        self.stored += later.stored;
        self.duplicates += later.duplicates;
        self.rejected += later.rejected;
        self.conflicts.extend(later.conflicts);
    }
}

/// The fields of an article that a listing shows, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSummary {
    /// The article's id.
    pub id: ArticleId,
    /// Publication day or time.
    pub date: Option<PubDate>,
    /// The outlet.
    pub source: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// The headline.
    pub title: String,
    /// True when the headline was made from the text because the input gave none.
    pub title_derived: bool,
}

impl From<&Article> for ArticleSummary {
    fn from(article: &Article) -> Self {
        ArticleSummary {
            id: article.id.clone(),
            date: article.date,
            source: article.source.clone(),
            language: article.language.clone(),
            title: article.title.clone(),
            title_derived: article.provenance.get("title")
                == Some(&parallax_model::FieldSource::Derived),
        }
    }
}

/// What the store holds, in counts: the figures `parallax analyze` opens with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Articles stored.
    pub articles: u64,
    /// Rejects recorded.
    pub rejects: u64,
    /// Articles per outlet, most first (ties by name); `None` for articles whose outlet is unknown.
    pub by_source: Vec<(Option<String>, u64)>,
    /// Articles per language, most first (ties by code); `None` where the language could not be told.
    pub by_language: Vec<(Option<String>, u64)>,
    /// The earliest publication date stored.
    pub first_date: Option<PubDate>,
    /// The latest publication date stored.
    pub last_date: Option<PubDate>,
}

/// One story as a listing shows it, built from the stored assignments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorySummary {
    /// The story's id.
    pub id: StoryId,
    /// The earliest publication date of its articles, where known.
    pub first_date: Option<PubDate>,
    /// The latest publication date of its articles, where known.
    pub last_date: Option<PubDate>,
    /// The outlets of its articles, sorted.
    pub sources: Vec<String>,
    /// The languages of its articles, sorted.
    pub languages: Vec<String>,
    /// How many distinct articles have a unit in it.
    pub articles: u64,
    /// How many of them come from an outlet that is not known (counted apart from `sources`).
    pub unattributed: u64,
    /// True when `headline` is a title a source gave, not one made from the text.
    pub headline_given: bool,
    /// The title of its earliest article (publication order) whose title a source gave, which names the story for
    /// a reader; the earliest derived title only when no source gave one.
    pub headline: String,
}

/// The orders a story listing can take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoryOrder {
    /// Latest article's day first, then highest id; stories without a dated article last.
    #[default]
    Newest,
    /// Most articles first, then highest id.
    Largest,
}

/// Where a page of a story listing starts: just past the story with this key (keyset paging, so a page costs the
/// same wherever it is, and a story added since neither repeats one nor hides one).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoryCursor {
    /// Past this story in [`StoryOrder::Newest`]: its latest day (YYYY-MM-DD; `None` when undated) and id.
    Newest {
        /// The latest day of the story's articles.
        day: Option<String>,
        /// The story.
        id: StoryId,
    },
    /// Past this story in [`StoryOrder::Largest`]: its article count and id.
    Largest {
        /// How many articles it has.
        articles: u64,
        /// The story.
        id: StoryId,
    },
}

impl StoryCursor {
    /// The cursor just past `story` in `order`.
    pub fn after(order: StoryOrder, story: &StorySummary) -> StoryCursor {
        match order {
            StoryOrder::Newest => StoryCursor::Newest {
                day: story.last_date.map(|d| d.day().to_string()),
                id: story.id,
            },
            StoryOrder::Largest => StoryCursor::Largest {
                articles: story.articles,
                id: story.id,
            },
        }
    }
}

/// Which stories a listing shows: an order, filters and where the page starts.
#[derive(Debug, Clone, Default)]
pub struct StoryListQuery {
    /// The listing order.
    pub order: StoryOrder,
    /// Start just past this story; the cursor must be of `order`'s kind.
    pub after: Option<StoryCursor>,
    /// Only stories with an article on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Only stories with an article on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// Only stories with an article of this outlet (as listings name it).
    pub outlet: Option<String>,
    /// Only stories with an article in this language.
    pub language: Option<String>,
    /// Only these stories.
    pub only: Option<Vec<StoryId>>,
    /// At most this many stories.
    pub limit: usize,
}

impl StoryListQuery {
    /// True when `story` passes the filters (not the cursor).
    fn keeps(&self, story: &StorySummary) -> bool {
        let day = |d: Option<PubDate>| d.map(|d| d.day().to_string());
        self.from
            .as_ref()
            .is_none_or(|from| day(story.last_date).is_some_and(|d| &d >= from))
            && self
                .to
                .as_ref()
                .is_none_or(|to| day(story.first_date).is_some_and(|d| &d <= to))
            && self
                .outlet
                .as_ref()
                .is_none_or(|o| story.sources.contains(o))
            && self
                .language
                .as_ref()
                .is_none_or(|l| story.languages.contains(l))
            && self.only.as_ref().is_none_or(|ids| ids.contains(&story.id))
    }
}

/// The sort key of [`StoryOrder::Newest`], compared descending: (dated, latest day, id).
fn newest_key(story: &StorySummary) -> (bool, String, u64) {
    let day = story.last_date.map(|d| d.day().to_string());
    (day.is_some(), day.unwrap_or_default(), story.id.0)
}

/// One unit of a story with the article it comes from and its near-duplicate status.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryMember {
    /// The unit: an article, or one of its sections.
    pub unit: StoryUnit,
    /// The story it is in.
    pub story: StoryId,
    /// The clusterer's score against the story when the unit joined it (0 when it opened the story).
    pub score: f32,
    /// The earlier article this one copies, with the estimated similarity, when it is a near-duplicate.
    pub duplicate_of: Option<(ArticleId, f32)>,
    /// The article, without its text.
    pub article: ArticleSummary,
    /// A section's own subheading, for a unit that is a section with one: the section's title, where the
    /// article's names its first item only.
    pub heading: Option<String>,
}

/// One canonical entity as a listing shows it: what it is, what it is called, and how widely it is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitySummary {
    /// The canonical id.
    pub id: EntityId,
    /// What it is.
    pub kind: EntityKind,
    /// The fullest name the sources use.
    pub name: String,
    /// Every other form the sources use, sorted.
    pub aliases: Vec<String>,
    /// The distinct roles the sources give it ("deputy foreign minister"), the most often given first, ties
    /// in alphabetical order.
    pub roles: Vec<String>,
    /// How many articles mention it (within the story, when the listing is restricted to one).
    pub articles: u64,
    /// How many mentions it has (within the story, when the listing is restricted to one).
    pub mentions: u64,
    /// How many stories it appears in, all stories counted.
    pub stories: u64,
}

/// Which entities a listing holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityQuery {
    /// Only the entities mentioned in this story's articles, counted within it.
    pub story: Option<StoryId>,
    /// At most this many, the most reported first.
    pub limit: Option<usize>,
}

/// A quote with the article it is in (the model's quote leaves the article to its extraction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleQuote {
    /// The article.
    pub article: ArticleId,
    /// The quote, its speaker's entity canonical.
    pub quote: Quote,
}

/// Everything the store knows about one canonical entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRecord {
    /// Its summary.
    pub entity: EntitySummary,
    /// Every mention, by article id, then text order.
    pub mentions: Vec<Mention>,
    /// Every role the sources give it, by article id, then text order.
    pub roles: Vec<Role>,
    /// The quotes it speaks, or passes on as the intermediary, by article id, then text order.
    pub quotes: Vec<ArticleQuote>,
    /// The events it is an actor of, by article id, then text order.
    pub events: Vec<Event>,
    /// The stories of the articles that mention it, by id.
    pub stories: Vec<StoryId>,
}

/// Listing order of entities: the most articles first, then the most mentions, then by id.
pub(crate) fn sort_entities(entities: &mut [EntitySummary]) {
    entities.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.articles),
            std::cmp::Reverse(a.mentions),
            &a.id,
        )
            .cmp(&(
                std::cmp::Reverse(b.articles),
                std::cmp::Reverse(b.mentions),
                &b.id,
            ))
    });
}

/// Keeps articles and rejects.
///
/// Listings come in publication order: by the ISO 8601 form of the date, undated articles last, ties in the order
/// the articles were stored.
pub trait Store {
    /// This writer's turn at the steps that read state and write it back (story assignment, extraction), held
    /// until the returned value is dropped: a second writer on the same store waits for it. A store no other
    /// process can reach has its turn at once.
    fn writer_turn(&self) -> Result<WriterTurn> {
        Ok(WriterTurn::alone())
    }

    /// Stores a batch atomically (all of it or none of it). An article whose title, text and outlet are already
    /// stored is counted as a duplicate; one whose id is taken by a different article is refused and recorded as
    /// a reject. A reject already recorded (same origin and reason) is not recorded twice.
    fn put_batch(&mut self, articles: &[Article], rejects: &[Reject]) -> Result<PutReport>;
    /// One article by id.
    fn article(&self, id: &ArticleId) -> Result<Option<Article>>;
    /// The articles whose id starts with `prefix`, at most `limit` of them, in id order: lets a user name an
    /// article by the first characters of its id.
    fn articles_with_id_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<ArticleSummary>>;
    /// Every stored article, in publication order.
    fn articles(&self) -> Result<Vec<Article>> {
        let mut all = Vec::new();
        self.for_each_article(&mut |article| {
            all.push(article);
            Ok(())
        })?;
        Ok(all)
    }
    /// Hands every stored article to `visit`, in publication order, without holding them all in memory.
    fn for_each_article(&self, visit: &mut dyn FnMut(Article) -> Result<()>) -> Result<()>;
    /// Every stored article without its text, in publication order.
    fn summaries(&self) -> Result<Vec<ArticleSummary>>;
    /// Counts of what is stored.
    fn inventory(&self) -> Result<Inventory>;
    /// Every reject recorded, in the order recorded.
    fn rejects(&self) -> Result<Vec<Reject>>;
    /// Records the story assignments of a batch together with the clusterer state after it, atomically, so the
    /// saved state always matches the saved assignments. The state is opaque bytes (the engine's serialisation).
    /// Each assignment's `merged` stories are applied after its units, in order: every unit saved so far in a
    /// merged-away story moves to the story it merged into.
    fn save_assignments(&mut self, assignments: &[Assignment], state: &[u8]) -> Result<()>;
    /// The clusterer state saved with the last batch of assignments; `None` before any.
    fn clusterer_state(&self) -> Result<Option<Vec<u8>>>;
    /// Forgets every story assignment and the clusterer's saved state, atomically, so that every article is
    /// assigned again from scratch: what an ingest does when the saved state comes from a version of Parallax whose
    /// clusterer state this one cannot read. Articles, rejects and extractions stay.
    fn forget_stories(&mut self) -> Result<()>;
    /// The stored articles that have no story yet, in publication order: the ones an ingest must assign.
    fn unassigned_articles(&self) -> Result<Vec<Article>>;
    /// Hands each stored article that has no story yet to `visit`, in publication order, without holding them
    /// all in memory (the default collects them first; the SQLite store streams them).
    fn for_each_unassigned(&self, visit: &mut dyn FnMut(Article) -> Result<()>) -> Result<()> {
        for article in self.unassigned_articles()? {
            visit(article)?;
        }
        Ok(())
    }
    /// Every story, by id.
    fn stories(&self) -> Result<Vec<StorySummary>>;
    /// One page of the story listing: the stories `query` keeps, in its order, starting past its cursor.
    ///
    /// The default folds every story ([`Store::stories`]); the SQLite store reads the page through an index, so a
    /// page costs the same however many stories there are.
    fn story_page(&self, query: &StoryListQuery) -> Result<Vec<StorySummary>> {
        let mut stories = self.stories()?;
        stories.retain(|s| query.keeps(s));
        match query.order {
            StoryOrder::Newest => stories.sort_by_key(|s| std::cmp::Reverse(newest_key(s))),
            StoryOrder::Largest => {
                stories.sort_by_key(|s| std::cmp::Reverse((s.articles, s.id.0)));
            }
        }
        let start = match &query.after {
            None => 0,
            Some(StoryCursor::Newest { day, id }) => {
                let past = (day.is_some(), day.clone().unwrap_or_default(), id.0);
                stories.partition_point(|s| newest_key(s) >= past)
            }
            Some(StoryCursor::Largest { articles, id }) => {
                stories.partition_point(|s| (s.articles, s.id.0) >= (*articles, id.0))
            }
        };
        Ok(stories.into_iter().skip(start).take(query.limit).collect())
    }
    /// How many stories there are.
    fn story_count(&self) -> Result<u64> {
        Ok(self.stories()?.len() as u64)
    }
    /// A number that changes whenever the story or the extraction of one of its articles changes (and never
    /// comes back to a value it had), so a reader can keep what it made from a story and know when it is stale;
    /// `None` for an unknown story.
    fn story_version(&self, id: StoryId) -> Result<Option<u64>>;
    /// The units of one story in publication order of their articles; empty for an unknown id.
    fn story_members(&self, id: StoryId) -> Result<Vec<StoryMember>>;
    /// One story's summary, read from its own members (an outlet given only as a domain is named as the story's
    /// other members name it), or `None` when no unit is in it.
    fn story_summary(&self, id: StoryId) -> Result<Option<StorySummary>> {
        Ok(summarise_stories(&self.story_members(id)?)
            .into_iter()
            .next())
    }
    /// The storyline of every story that is not alone in its own, by story id (a story not listed is in the
    /// storyline that bears its id).
    fn story_storylines(&self) -> Result<BTreeMap<StoryId, StorylineId>>;
    /// The storyline of one story (the one bearing its id when it is alone).
    fn storyline_of(&self, story: StoryId) -> Result<StorylineId>;
    /// The stories of a storyline, by id; empty when no stored story is in it.
    fn storyline_stories(&self, id: StorylineId) -> Result<Vec<StoryId>>;
    /// The storylines of at least two stories, newest first (by their latest article's day, then the higher id),
    /// the first `limit` of them, with how many there are. Only the stories linked into storylines are read.
    fn linked_storylines(&self, limit: usize) -> Result<(Vec<StorylineId>, usize)> {
        let lines = self.story_storylines()?;
        let mut latest: BTreeMap<StorylineId, (usize, Option<String>)> = BTreeMap::new();
        for story in self.stories()? {
            let line = lines
                .get(&story.id)
                .copied()
                .unwrap_or(StorylineId(story.id.0));
            let entry = latest.entry(line).or_default();
            entry.0 += 1;
            let day = story.last_date.map(|d| d.day().to_string());
            entry.1 = entry.1.take().max(day);
        }
        let mut found: Vec<(Option<String>, StorylineId)> = latest
            .into_iter()
            .filter(|(_, (n, _))| *n >= 2)
            .map(|(line, (_, day))| (day, line))
            .collect();
        found.sort_by(|a, b| b.cmp(a));
        let total = found.len();
        Ok((
            found.into_iter().take(limit).map(|(_, l)| l).collect(),
            total,
        ))
    }
    /// The story units of one article (one per section for an article with several items).
    fn article_members(&self, id: &ArticleId) -> Result<Vec<StoryMember>>;

    /// Keeps the extractions of a batch of articles atomically. Storing an article's extraction again replaces
    /// what was kept for it, so re-extracting is safe. Entity ids are the articles' own; the store maps them to
    /// canonical ids across every stored article (a short person name held by exactly one longer one joins it).
    fn put_extractions(&mut self, extractions: &[Extraction]) -> Result<()>;
    /// Keeps one article's extraction given as consecutive parts (as the engine's `extract_pieces` makes them
    /// for a giant article), replacing what was kept for it, atomically. A store that can keeps each part as it
    /// comes, so the whole extraction is never in memory at once; reading it back joins the parts. The default
    /// joins them and stores the result.
    fn put_extraction_parts(
        &mut self,
        article: &ArticleId,
        parts: &mut dyn Iterator<Item = Extraction>,
    ) -> Result<()> {
        let mut joined = Extraction::join(parts);
        joined.article = article.clone();
        self.put_extractions(&[joined])
    }
    /// One article's extraction, with canonical entity ids; `None` when it has none yet.
    fn extraction(&self, id: &ArticleId) -> Result<Option<Extraction>>;
    /// Keeps the dense vectors of articles' statements (bytes the engine's `StatementVectors` writes), made when
    /// they were extracted with a model, replacing what was kept for them.
    fn put_statement_vectors(&mut self, vectors: &[(ArticleId, Vec<u8>)]) -> Result<()>;
    /// The statement vectors kept for an article; `None` when none were made.
    fn statement_vectors(&self, id: &ArticleId) -> Result<Option<Vec<u8>>>;
    /// Up to `limit` stored articles without an extraction, in the order stored: the next page an extraction run
    /// must do. Extracting them and storing the result moves on to the next page.
    fn unextracted_articles(&self, limit: usize) -> Result<Vec<Article>>;
    /// The canonical entities, the most reported first.
    fn entities(&self, query: &EntityQuery) -> Result<Vec<EntitySummary>>;
    /// The canonical ids of the entities that `name_or_id` names: an id (canonical or an article's own), else
    /// a name or alias compared without case. Sorted; empty when nothing matches.
    fn find_entities(&self, name_or_id: &str) -> Result<Vec<EntityId>>;
    /// Everything about the entity with this id (canonical or an article's own); `None` when no article names it.
    fn entity(&self, id: &EntityId) -> Result<Option<EntityRecord>>;
}

/// The outlet names that stand for sources given only as a domain: a crawl often records an outlet by its domain
/// ("dailyledger.example") where its pages name it ("The Daily Ledger"), and a story's sources should count it
/// once. A domain maps to a name among `sources` whose letters, with or without a leading "The", are the domain's
/// first label ("dailyledger", "theguardian"); the first such name in sorted order where several match.
pub(crate) fn outlet_names<'a>(
    sources: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let sources: BTreeSet<&str> = sources.into_iter().collect();
    let mut names: BTreeMap<String, &str> = BTreeMap::new();
    for &name in &sources {
        if name.contains(' ') || !name.contains('.') {
            let bare = name.strip_prefix("The ").unwrap_or(name);
            for key in [squash(name), squash(bare)] {
                names.entry(key).or_insert(name);
            }
        }
    }
    let mut out = BTreeMap::new();
    for &domain in &sources {
        let host = domain.strip_prefix("www.").unwrap_or(domain);
        let is_domain = !host.contains(' ')
            && host.contains('.')
            && host
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !is_domain {
            continue;
        }
        let label = host.split('.').next().unwrap_or_default();
        if let Some(name) = names.get(&squash(label)).filter(|_| !label.is_empty()) {
            out.insert(domain.to_owned(), (*name).to_owned());
        }
    }
    out
}

/// Folds members sorted by story, then in publication order, into one summary per story. A source given only as
/// a domain is listed under the outlet's name where other stored articles give it ([`outlet_names`]).
pub(crate) fn summarise_stories(members: &[StoryMember]) -> Vec<StorySummary> {
    let outlets = outlet_names(members.iter().filter_map(|m| m.article.source.as_deref()));
    let mut stories: Vec<StorySummary> = Vec::new();
    let mut seen: BTreeSet<&ArticleId> = BTreeSet::new();
    for member in members {
        let a = &member.article;
        // A section is named by its own subheading.
        let title = member.heading.as_ref().unwrap_or(&a.title);
        if stories.last().is_none_or(|s| s.id != member.story) {
            seen.clear();
            stories.push(StorySummary {
                id: member.story,
                first_date: None,
                last_date: None,
                sources: Vec::new(),
                languages: Vec::new(),
                articles: 0,
                headline: title.clone(),
                headline_given: !a.title_derived,
                unattributed: 0,
            });
        }
        let Some(story) = stories.last_mut() else {
            continue;
        };
        if !seen.insert(&a.id) {
            continue;
        }
        if !a.title_derived && seen.len() > 1 && !story.headline_given {
            story.headline = title.clone();
        }
        story.headline_given |= !a.title_derived;
        story.articles += 1;
        if let Some(date) = a.date {
            // Members come in publication order, so the first dated one is the earliest.
            story.first_date.get_or_insert(date);
            story.last_date = Some(date);
        }
        let outlet = a
            .source
            .as_ref()
            .map(|source| outlets.get(source).unwrap_or(source).clone());
        if outlet.is_none() {
            story.unattributed += 1;
        }
        for (set, value) in [
            (&mut story.sources, &outlet),
            (&mut story.languages, &a.language),
        ] {
            if let Some(value) = value
                && let Err(at) = set.binary_search(value)
            {
                set.insert(at, value.clone());
            }
        }
    }
    stories
}

/// The section column of a unit: -1 for a whole article.
pub(crate) fn section_column(unit: &StoryUnit) -> i64 {
    unit.section.map_or(-1, |s| s as i64)
}

/// The key under which an article is stored once: a hash of its title, text and outlet. The text is already
/// normalised by the engine, so the same input read twice gives the same key; the outlet is part of it because
/// the same wire copy run by two outlets is two publications that later stages compare.
pub(crate) fn content_key(article: &Article) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(article.title.as_bytes());
    hasher.update(b"\x1f");
    hasher.update(article.text.as_bytes());
    hasher.update(b"\x1f");
    hasher.update(article.source.as_deref().unwrap_or("").as_bytes());
    *hasher.finalize().as_bytes()
}

/// The reason recorded for an article refused because its id is taken.
pub(crate) fn conflict_reject(article: &Article) -> Reject {
    Reject {
        origin: article.origin.clone(),
        reason: format!(
            "id {} is already used by a different stored article",
            article.id
        ),
    }
}

/// The sort key of publication order: the ISO 8601 date, undated last.
pub(crate) fn date_key(date: Option<&PubDate>) -> (bool, String) {
    match date {
        Some(date) => (false, date.to_string()),
        None => (true, String::new()),
    }
}
