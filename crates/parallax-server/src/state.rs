//! What every handler shares: the configuration, a pool of read-only store connections, the search index and
//! the story list kept in memory for paging.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use parallax_engine::ingest::ReadLimits;
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
    /// One ingest over HTTP at a time in this process (the store's writer turn orders processes).
    pub(crate) ingest: tokio::sync::Mutex<()>,
}

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
    pub(crate) loaded: Instant,
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
            loaded: Instant::now(),
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
    /// Opens the store at `config.db` (it must exist) and its search index (built when missing), and reads the
    /// story list.
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
        let stories = StoryList::build(store.stories()?);
        Ok(AppState {
            inner: Arc::new(Shared {
                config,
                idle: Mutex::new(vec![store]),
                search: Some(search),
                stories: RwLock::new(Arc::new(stories)),
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

    /// The story list, read again when it is older than a few seconds (another process may have ingested).
    pub(crate) async fn stories(&self) -> ApiResult<Arc<StoryList>> {
        let current = self
            .inner
            .stories
            .read()
            .map(|l| Arc::clone(&l))
            .map_err(|_| ApiError::Internal("story list lock".into()))?;
        if current.loaded.elapsed() < STORY_LIST_TTL {
            return Ok(current);
        }
        self.reload_stories().await
    }

    /// Reads the story list from the store again.
    pub(crate) async fn reload_stories(&self) -> ApiResult<Arc<StoryList>> {
        let fresh = Arc::new(
            self.read(|store| Ok(StoryList::build(store.stories()?)))
                .await?,
        );
        if let Ok(mut list) = self.inner.stories.write() {
            *list = Arc::clone(&fresh);
        }
        Ok(fresh)
    }
}
