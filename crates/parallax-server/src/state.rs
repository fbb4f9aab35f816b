//! What every handler shares: the configuration, a pool of read-only store connections, the search index, and
//! the story comparisons made lately.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parallax_engine::ingest::ReadLimits;
use parallax_model::StoryId;
use parallax_pipeline::{StoryReport, story_report};
use parallax_store::{SqliteStore, Store};
use tokio::sync::{OnceCell, Semaphore};

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
    /// The longest a client may take to send a request's headers before its connection is closed, so slow
    /// clients cannot hold connections open (slowloris).
    pub header_timeout: Duration,
    /// Requests handled at once; more wait their turn.
    pub max_concurrency: usize,
}

impl ServerConfig {
    /// The defaults for the database at `db`: no token, 16 MiB bodies, 30 s per request, 10 s for the headers,
    /// 64 at once.
    pub fn new(db: impl Into<PathBuf>) -> ServerConfig {
        ServerConfig {
            db: db.into(),
            token: None,
            body_limit: 16 << 20,
            read_limits: ReadLimits::with_max_input_bytes(16 << 20),
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
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
    /// Searches run at once on the blocking pool: one per core, so a burst of searches queues instead of
    /// starving every other request of threads and CPU.
    pub(crate) search_slots: Semaphore,
    /// False when the store could only be opened for reading: ingest over HTTP is off.
    pub(crate) writable: bool,
    /// What opening found that a person should know (read-only store, search off), said once at start.
    pub(crate) notes: Vec<String>,
    /// Stories compared lately.
    reports: Mutex<ReportCache>,
    /// One ingest over HTTP at a time in this process (the store's writer turn orders processes).
    pub(crate) ingest: tokio::sync::Mutex<()>,
}

/// Story comparisons kept at most.
const REPORTS_KEPT: usize = 256;

/// A story compared, and its page once one reader has asked for it: both are made once per version of the story.
pub(crate) struct KeptStory {
    /// The story whole with its comparison.
    pub(crate) report: StoryReport,
    /// The story's page as sent (rendering a large comparison costs more than sending it).
    pub(crate) page: std::sync::OnceLock<String>,
}

/// A comparison being made or made, shared by every request for it: the first request makes it, the others wait
/// for that one instead of comparing the same story again.
type ReportCell = Arc<OnceCell<Arc<KeptStory>>>;

/// The comparisons of the stories read lately, each under the story's version when it was read: a story that
/// changed since (new articles, a merge, a new extraction) has a new version and is compared again. At most
/// [`REPORTS_KEPT`]; the one used least lately goes first.
#[derive(Default)]
struct ReportCache {
    entries: HashMap<u64, CachedReport>,
    clock: u64,
}

struct CachedReport {
    version: u64,
    cell: ReportCell,
    used: u64,
}

impl ReportCache {
    /// The cell of `story` at `version`, made empty when missing or of another version.
    fn cell(&mut self, story: StoryId, version: u64) -> ReportCell {
        self.clock += 1;
        let clock = self.clock;
        if let Some(entry) = self.entries.get_mut(&story.0)
            && entry.version == version
        {
            entry.used = clock;
            return Arc::clone(&entry.cell);
        }
        if self.entries.len() >= REPORTS_KEPT && !self.entries.contains_key(&story.0) {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        let cell = ReportCell::default();
        self.entries.insert(
            story.0,
            CachedReport {
                version,
                cell: Arc::clone(&cell),
                used: clock,
            },
        );
        cell
    }
}

impl AppState {
    /// Opens the store at `config.db` (it must exist) and its search index. Start costs the same whatever the
    /// store's size: nothing is read whole.
    ///
    /// The store is opened for writing when it can be (which brings an older schema up to date, once) and for
    /// reading only otherwise; the index is built when missing and the store can be written. What could not be
    /// done is said in [`AppState::notes`]: on a store it may only read, the server serves it with the index it
    /// finds, or without search.
    pub fn open(config: ServerConfig) -> Result<AppState, crate::ServeError> {
        if !config.db.exists() {
            return Err(crate::ServeError::NoDatabase(config.db.clone()));
        }
        let mut notes = Vec::new();
        // Opening for writing migrates an older schema; on a read-only file or folder it fails, and reading is
        // all that is left. A store this build cannot read fails here with a message that says why.
        let writable = match SqliteStore::open(&config.db) {
            Ok(_) => true,
            Err(error) => {
                notes.push(format!(
                    "the store is open for reading only ({error}): ingest over HTTP is off"
                ));
                false
            }
        };
        let store = SqliteStore::open_read_only(&config.db)?;
        let search = open_search(&config, &store, writable, &mut notes);
        let slots = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(AppState {
            inner: Arc::new(Shared {
                config,
                idle: Mutex::new(vec![store]),
                search,
                search_slots: Semaphore::new(slots),
                writable,
                notes,
                reports: Mutex::new(ReportCache::default()),
                ingest: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// What opening found that a person should know: a store open for reading only, search off and why.
    pub fn notes(&self) -> &[String] {
        &self.inner.notes
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

    /// A story whole with its comparison (and its page, once made). A comparison is made once per version of the story and kept (a bounded
    /// number of stories, least used first out); concurrent requests for one story wait for one comparison.
    pub(crate) async fn story_report(&self, id: StoryId) -> ApiResult<Arc<KeptStory>> {
        let version = self
            .read(move |store| Ok(store.story_version(id)?))
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no story {id}")))?;
        let cell = self
            .inner
            .reports
            .lock()
            .map_err(|_| ApiError::Internal("story cache lock".into()))?
            .cell(id, version);
        // The version is read before the comparison, so what is kept under it is at least that new.
        let report = cell
            .get_or_try_init(|| async {
                let report = self
                    .read(move |store| {
                        story_report(store, id)?
                            .ok_or_else(|| ApiError::NotFound(format!("no story {id}")))
                    })
                    .await?;
                Ok::<_, ApiError>(Arc::new(KeptStory {
                    report,
                    page: std::sync::OnceLock::new(),
                }))
            })
            .await?;
        Ok(Arc::clone(report))
    }
}

/// The search index beside the store: opened as found, built when missing or empty and the store can be
/// written; `None` (with a note saying why) when there is none to be had.
fn open_search(
    config: &ServerConfig,
    store: &SqliteStore,
    writable: bool,
    notes: &mut Vec<String>,
) -> Option<SearchIndex> {
    let dir = index_dir(&config.db);
    let exists = dir.join("meta.json").exists();
    if !writable && !exists {
        notes.push(format!(
            "search is off: there is no index at {} and the store may only be read",
            dir.display()
        ));
        return None;
    }
    let search = match SearchIndex::open_or_create(&dir) {
        Ok(search) => search,
        // Tantivy takes a lock file in the index folder even to read it, which a read-only folder refuses.
        Err(error) if !writable => {
            notes.push(format!(
                "search is off: the index at {} cannot be opened where nothing may be written ({error})",
                dir.display()
            ));
            return None;
        }
        Err(error) => {
            notes.push(format!("search is off: {error}"));
            return None;
        }
    };
    // Only an empty index is looked at: asking whether the store holds an article reads one row.
    let stored = || {
        store
            .articles_with_id_prefix("", 1)
            .is_ok_and(|found| !found.is_empty())
    };
    if (search.was_created() || search.is_empty()) && stored() {
        if !writable {
            notes.push(format!(
                "the index at {} is empty and the store may only be read: search finds nothing; run \
                 `parallax index --rebuild` where the store can be written",
                dir.display()
            ));
        } else if let Err(error) = search.rebuild(store) {
            // A store ingested before the index existed is indexed once; one that cannot be is served without.
            notes.push(format!(
                "search is off: the index could not be built ({error})"
            ));
            return None;
        }
    }
    Some(search)
}
