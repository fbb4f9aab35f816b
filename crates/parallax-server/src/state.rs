//! What every handler shares: the configuration, a pool of read-only store connections, the search index and
//! the story list kept in memory for paging.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use parallax_engine::ingest::ReadLimits;
use parallax_model::StoryId;
use parallax_pipeline::{StoryReport, story_report};
use parallax_store::{SqliteStore, Store, StorySummary};

use crate::error::{ApiError, ApiResult};
use crate::search::{SearchIndex, index_dir};

/// How the server runs. Validated by [`ServerConfig::new`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The database file.
    pub db: PathBuf,
    /// The bearer token that `POST /api/articles` needs; ingest over HTTP is off without one.
    pub token: Option<String>,
    /// The most bytes of a request body (`POST /api/articles`); larger ones get 413.
    pub body_limit: usize,
    /// What one uploaded input (or record) may cost the readers, as `ingest --max-input-size` says.
    pub read_limits: ReadLimits,
    /// The longest a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Requests handled at once; more wait their turn.
    pub max_concurrency: usize,
}

impl ServerConfig {
    /// The defaults for the database at `db`: no token, 16 MiB bodies, 30 s per request, 64 at once.
    pub fn new(db: impl Into<PathBuf>) -> ServerConfig {
        ServerConfig {
            db: db.into(),
            token: None,
            body_limit: 16 << 20,
            read_limits: ReadLimits::with_max_input_bytes(16 << 20),
            request_timeout: Duration::from_secs(30),
            max_concurrency: 64,
        }
    }
}

/// The state every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) config: ServerConfig,
    idle: Mutex<Vec<SqliteStore>>,
    pub(crate) search: Option<SearchIndex>,
    stories: RwLock<Arc<StoryList>>,
    /// True while one task reads the story list again; the others keep answering from the list they have.
    refreshing: AtomicBool,
    /// Stories compared lately, by id: a comparison costs far more than reading it back. Emptied whenever the
    /// story list is read again, so it never outlives what the store says.
    reports: Mutex<HashMap<u64, Arc<StoryReport>>>,
    /// One ingest over HTTP at a time in this process (the store's writer turn orders processes).
    pub(crate) ingest: tokio::sync::Mutex<()>,
}

/// Story comparisons kept at most.
const REPORTS_KEPT: usize = 512;

/// How long the story list is trusted before it is read again (another process may have ingested).
const STORY_LIST_TTL: Duration = Duration::from_secs(10);

/// Every story summary, sorted for both listing orders, so a page is a binary search away.
pub(crate) struct StoryList {
    /// Newest first: latest date, then highest id; undated last.
    pub(crate) newest: Vec<StorySummary>,
    /// Positions in `newest`, largest first: most articles, then highest id.
    pub(crate) largest: Vec<u32>,
    /// Position in `newest` of each story id.
    pub(crate) by_id: HashMap<u64, u32>,
    /// When it was read from the store; `None` before the first read.
    pub(crate) loaded: Option<Instant>,
}

impl StoryList {
    pub(crate) fn build(mut stories: Vec<StorySummary>) -> StoryList {
        stories.sort_by_key(|s| std::cmp::Reverse(newest_key(s)));
        let mut largest: Vec<u32> = (0..stories.len() as u32).collect();
        largest.sort_by(|&a, &b| {
            let (a, b) = (&stories[a as usize], &stories[b as usize]);
            (b.articles, b.id.0).cmp(&(a.articles, a.id.0))
        });
        let by_id = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.0, i as u32))
            .collect();
        StoryList {
            newest: stories,
            largest,
            by_id,
            loaded: Some(Instant::now()),
        }
    }
}

/// The newest-first key: (dated, latest day, id), compared descending.
pub(crate) fn newest_key(story: &StorySummary) -> (bool, String, u64) {
    (
        story.last_date.is_some(),
        story
            .last_date
            .map(|d| d.day().to_string())
            .unwrap_or_default(),
        story.id.0,
    )
}

impl AppState {
    /// Opens the store at `config.db` (it must exist) and its search index (built when missing).
    pub fn open(config: ServerConfig) -> Result<AppState, crate::ServeError> {
        if !config.db.exists() {
            return Err(crate::ServeError::NoDatabase(config.db.clone()));
        }
        let store = SqliteStore::open_read_only(&config.db)?;
        let search = SearchIndex::open_or_create(&index_dir(&config.db))?;
        if search.was_created() || (search.is_empty() && store.inventory()?.articles > 0) {
            // A store ingested before the index existed: build it once from what is stored.
            search.rebuild(&store)?;
        }
        // The story list is read on first use (or by `serve` once it listens), so a large store starts at once.
        let stories = StoryList {
            loaded: None,
            ..StoryList::build(Vec::new())
        };
        Ok(AppState {
            inner: Arc::new(Shared {
                config,
                idle: Mutex::new(vec![store]),
                search: Some(search),
                stories: RwLock::new(Arc::new(stories)),
                refreshing: AtomicBool::new(false),
                reports: Mutex::new(HashMap::new()),
                ingest: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// Runs `work` on a read-only store connection on a blocking thread.
    pub(crate) async fn read<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&SqliteStore) -> ApiResult<T> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = match state.inner.idle.lock().ok().and_then(|mut idle| idle.pop()) {
                Some(store) => store,
                None => SqliteStore::open_read_only(&state.inner.config.db)?,
            };
            let result = work(&store);
            if let Ok(mut idle) = state.inner.idle.lock() {
                idle.push(store);
            }
            result
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    }

    /// The story list. Once it is older than a few seconds (another process may have ingested), one task reads
    /// it again in the background while every request goes on with the list it has.
    pub(crate) async fn stories(&self) -> ApiResult<Arc<StoryList>> {
        let current = self
            .inner
            .stories
            .read()
            .map(|l| Arc::clone(&l))
            .map_err(|_| ApiError::Internal("story list lock".into()))?;
        let Some(loaded) = current.loaded else {
            return self.reload_stories().await;
        };
        if loaded.elapsed() >= STORY_LIST_TTL && !self.inner.refreshing.swap(true, Ordering::AcqRel)
        {
            let state = self.clone();
            tokio::spawn(async move {
                if let Err(error) = state.reload_stories().await {
                    eprintln!("parallax serve: cannot read the story list again: {error}");
                }
                state.inner.refreshing.store(false, Ordering::Release);
            });
        }
        Ok(current)
    }

    /// Reads the story list from the store again, and forgets the comparisons made on the old one.
    pub(crate) async fn reload_stories(&self) -> ApiResult<Arc<StoryList>> {
        let fresh = Arc::new(
            self.read(|store| Ok(StoryList::build(store.stories()?)))
                .await?,
        );
        if let Ok(mut list) = self.inner.stories.write() {
            *list = Arc::clone(&fresh);
        }
        if let Ok(mut reports) = self.inner.reports.lock() {
            reports.clear();
        }
        Ok(fresh)
    }

    /// A story whole, compared once and then kept until the story list is read again.
    pub(crate) async fn story_report(&self, id: StoryId) -> ApiResult<Arc<StoryReport>> {
        if let Some(report) = self
            .inner
            .reports
            .lock()
            .ok()
            .and_then(|r| r.get(&id.0).cloned())
        {
            return Ok(report);
        }
        let report = Arc::new(
            self.read(move |store| {
                story_report(store, id)?.ok_or_else(|| ApiError::NotFound(format!("no story {id}")))
            })
            .await?,
        );
        if let Ok(mut reports) = self.inner.reports.lock() {
            if reports.len() >= REPORTS_KEPT {
                reports.clear();
            }
            reports.insert(id.0, Arc::clone(&report));
        }
        Ok(report)
    }
}
