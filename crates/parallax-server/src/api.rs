//! The JSON API under `/api/`, described by the OpenAPI document that utoipa derives from these handlers and
//! their types (`/api/openapi.json`).

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use parallax_model::{Article, ArticleId, EntityId, Extraction, Reject, StoryId};
use parallax_pipeline::{IngestConfig, IngestEvents, ingest_bytes};
use parallax_store::{
    EntityQuery, EntityRecord, EntitySummary, SqliteStore, Store, StoryCursor, StoryListQuery,
    StoryOrder, StorySummary,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::search::{SearchQuery, SearchResults};
use crate::state::{AppState, KeptStory};

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Parallax",
        description = "Stories across outlets, their sources compared, and full-text search."
    ),
    paths(
        health,
        list_stories,
        get_story,
        get_article,
        list_entities,
        get_entity,
        search,
        post_articles,
        crate::storylines::list_storylines,
        crate::storylines::get_storyline
    ),
    components(schemas(
        ErrorBody,
        Health,
        StoryPage,
        StoryItem,
        ArticleAnswer,
        IngestAnswer,
        RejectItem,
        SearchResults,
        crate::storylines::StorylineList,
        crate::storylines::StorylineAnswer
    ))
)]
pub struct ApiDoc;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/stories", get(list_stories))
        .route("/api/stories/{id}", get(get_story))
        .route("/api/articles", axum::routing::post(post_articles))
        .route("/api/articles/{id}", get(get_article))
        .route("/api/entities", get(list_entities))
        .route("/api/entities/{id}", get(get_entity))
        .route("/api/search", get(search))
        .route("/api/openapi.json", get(openapi))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The server's health and what it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// "ok".
    pub status: String,
    /// Stories listed.
    pub stories: u64,
    /// Articles in the search index.
    pub indexed: u64,
    /// True when search is on (an index was found or built).
    pub search: bool,
    /// True when `POST /api/articles` is on (the server has a token and may write the store).
    pub ingest: bool,
}

/// Whether the server is up, and what it holds.
#[utoipa::path(get, path = "/api/health", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    let stories = state.read(|store| Ok(store.story_count()?)).await?;
    Ok(Json(Health {
        status: "ok".into(),
        stories,
        indexed: state.inner.search.as_ref().map_or(0, |s| s.len()),
        search: state.inner.search.is_some(),
        ingest: state.inner.config.token.is_some() && state.inner.writable,
    }))
}

/// Filters and paging of the story list. Every parameter is optional.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoriesParams {
    /// `newest` (latest article first, the default) or `largest` (most articles first).
    pub sort: Option<String>,
    /// Only stories with an article on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Only stories with an article on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// Only stories with an article of this outlet.
    pub outlet: Option<String>,
    /// Only stories with an article in this language (ISO 639-1).
    pub language: Option<String>,
    /// Only stories whose articles name this entity (its id, name or another name).
    pub entity: Option<String>,
    /// The `next` cursor of the page before.
    pub after: Option<String>,
    /// Stories per page, 1 to 100 (default 20).
    pub limit: Option<String>,
}

/// One story as the list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryItem {
    /// The story's id (`s3`).
    pub id: String,
    /// The headline.
    pub headline: String,
    /// The earliest publication date of its articles.
    pub first_date: Option<String>,
    /// The latest publication date of its articles.
    pub last_date: Option<String>,
    /// Its outlets, sorted.
    pub sources: Vec<String>,
    /// Its languages, sorted.
    pub languages: Vec<String>,
    /// How many articles.
    pub articles: u64,
    /// How many of them of an outlet not known.
    pub unattributed: u64,
}

impl From<&StorySummary> for StoryItem {
    fn from(s: &StorySummary) -> Self {
        StoryItem {
            id: s.id.to_string(),
            headline: s.headline.clone(),
            first_date: s.first_date.map(|d| d.to_string()),
            last_date: s.last_date.map(|d| d.to_string()),
            sources: s.sources.clone(),
            languages: s.languages.clone(),
            articles: s.articles,
            unattributed: s.unattributed,
        }
    }
}

/// One page of stories.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryPage {
    /// The stories of this page.
    pub stories: Vec<StoryItem>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// A story list request, checked.
#[derive(Debug, Clone)]
pub(crate) struct StoryFilter {
    pub(crate) sort: StoryOrder,
    pub(crate) from: Option<chrono::NaiveDate>,
    pub(crate) to: Option<chrono::NaiveDate>,
    pub(crate) outlet: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) entity: Option<String>,
    pub(crate) after: Option<String>,
    pub(crate) limit: usize,
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn parse_day(name: &str, value: &Option<String>) -> ApiResult<Option<chrono::NaiveDate>> {
    non_empty(value)
        .map(|v| {
            chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                ApiError::BadRequest(format!("{name}: {v:?} is not a day (YYYY-MM-DD)"))
            })
        })
        .transpose()
}

impl StoriesParams {
    pub(crate) fn check(&self) -> ApiResult<StoryFilter> {
        let sort = match non_empty(&self.sort).as_deref() {
            None | Some("newest") => StoryOrder::Newest,
            Some("largest") => StoryOrder::Largest,
            Some(other) => {
                return Err(ApiError::BadRequest(format!(
                    "sort: {other:?} is not newest or largest"
                )));
            }
        };
        let limit = match non_empty(&self.limit) {
            None => 20,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!("limit: {v:?} is not a number from 1 to 100"))
                })?,
        };
        Ok(StoryFilter {
            sort,
            from: parse_day("from", &self.from)?,
            to: parse_day("to", &self.to)?,
            outlet: non_empty(&self.outlet),
            language: non_empty(&self.language),
            entity: non_empty(&self.entity),
            after: non_empty(&self.after),
            limit,
        })
    }
}

/// The cursor of a story in a listing order, as the API gives it: what the order compares, then the id
/// (`d2024-03-01.7` or `u.7` newest first, dated or not; `12.7` largest first).
fn cursor(order: StoryOrder, story: &StorySummary) -> String {
    match StoryCursor::after(order, story) {
        StoryCursor::Newest { day: Some(day), id } => format!("d{day}.{}", id.0),
        StoryCursor::Largest { articles, id } => format!("{articles}.{}", id.0),
        StoryCursor::Newest { id, .. } => format!("u.{}", id.0),
        _ => String::new(),
    }
}

/// Reads a cursor this API gave for `order`.
fn parse_cursor(order: StoryOrder, after: &str) -> ApiResult<StoryCursor> {
    let bad = || ApiError::BadRequest(format!("after: {after:?} is not a cursor this list gave"));
    let (key, id) = after.rsplit_once('.').ok_or_else(bad)?;
    let id = StoryId(id.parse().map_err(|_| bad())?);
    match order {
        StoryOrder::Newest => {
            let day = match (key.strip_prefix('d'), key) {
                (Some(day), _) if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok() => {
                    Some(day.to_owned())
                }
                (_, "u") => None,
                _ => return Err(bad()),
            };
            Ok(StoryCursor::Newest { day, id })
        }
        _ => Ok(StoryCursor::Largest {
            articles: key.parse().map_err(|_| bad())?,
            id,
        }),
    }
}

/// One page of the story list for `filter`, read by the store through an index (keyset paging): a page costs
/// the same wherever it is and however many stories there are.
pub(crate) async fn story_page(state: &AppState, filter: &StoryFilter) -> ApiResult<StoryPage> {
    let order = filter.sort;
    let after = filter
        .after
        .as_deref()
        .map(|after| parse_cursor(order, after))
        .transpose()?;
    let mut query = StoryListQuery {
        order,
        after,
        from: filter.from.map(|d| d.to_string()),
        to: filter.to.map(|d| d.to_string()),
        outlet: filter.outlet.clone(),
        language: filter.language.clone(),
        only: None,
        // One more than the page tells whether there is a next one.
        limit: filter.limit + 1,
    };
    let entity = filter.entity.clone();
    let mut stories = state
        .read(move |store| {
            if let Some(name) = entity {
                let mut only = Vec::new();
                for id in store.find_entities(&name)? {
                    if let Some(record) = store.entity(&id)? {
                        only.extend(record.stories.iter().copied());
                    }
                }
                query.only = Some(only);
            }
            Ok(store.story_page(&query)?)
        })
        .await?;
    let more = stories.len() > filter.limit;
    stories.truncate(filter.limit);
    let next = match stories.last() {
        Some(last) if more => Some(cursor(order, last)),
        _ => None,
    };
    Ok(StoryPage {
        stories: stories.iter().map(StoryItem::from).collect(),
        next,
    })
}

/// The stories, newest or largest first, filtered, a page at a time (keyset paging: pass `next` as `after`).
#[utoipa::path(get, path = "/api/stories", params(StoriesParams),
    responses((status = 200, body = StoryPage), (status = 400, body = ErrorBody)))]
async fn list_stories(
    State(state): State<AppState>,
    Query(params): Query<StoriesParams>,
) -> ApiResult<Json<StoryPage>> {
    let filter = params.check()?;
    Ok(Json(story_page(&state, &filter).await?))
}

/// A story id as a user gives it: `s3` or `3`.
pub(crate) fn parse_story_id(id: &str) -> ApiResult<StoryId> {
    id.strip_prefix('s')
        .unwrap_or(id)
        .parse()
        .map(StoryId)
        .map_err(|_| ApiError::BadRequest(format!("{id:?} is not a story id (like s3)")))
}

/// A story whole: the answer `parallax story ID --json` prints.
pub(crate) async fn load_story(state: &AppState, id: &str) -> ApiResult<Arc<KeptStory>> {
    state.story_report(parse_story_id(id)?).await
}

/// One story: its summary, its units (near-duplicates under `copies`) and the comparison of its sources, as
/// `parallax story ID --json` prints it.
#[utoipa::path(get, path = "/api/stories/{id}", params(("id" = String, Path, description = "The story id, s3 or 3")),
    responses((status = 200, description = "The story and its comparison", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let kept = load_story(&state, &id).await?;
    Ok(Json(&kept.report).into_response())
}

/// An article with what extraction found in it and the stories it is in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleAnswer {
    /// The whole record, as `parallax article ID --json` prints it.
    #[schema(value_type = Object)]
    pub article: Article,
    /// What extraction found, as `parallax article ID --extract --json` prints it; absent while pending.
    #[schema(value_type = Object)]
    pub extraction: Option<Extraction>,
    /// The stories of its units (`s3`), one per section for an article with several items.
    pub stories: Vec<String>,
}

/// The article with this id, or the only one whose id starts with it.
pub(crate) fn find_article(store: &SqliteStore, id: &str) -> ApiResult<Article> {
    if let Some(article) = store.article(&ArticleId(id.to_owned()))? {
        return Ok(article);
    }
    match store.articles_with_id_prefix(id, 2)?.as_slice() {
        [only] => store
            .article(&only.id)?
            .ok_or_else(|| ApiError::NotFound(format!("no article {id:?}"))),
        [] => Err(ApiError::NotFound(format!("no article {id:?}"))),
        _ => Err(ApiError::BadRequest(format!(
            "{id:?} starts the ids of several articles; give more of it"
        ))),
    }
}

pub(crate) async fn load_article(state: &AppState, id: String) -> ApiResult<ArticleAnswer> {
    state
        .read(move |store| {
            let article = find_article(store, &id)?;
            let extraction = store.extraction(&article.id)?;
            let mut stories: Vec<String> = store
                .article_members(&article.id)?
                .iter()
                .map(|m| m.story.to_string())
                .collect();
            stories.dedup();
            Ok(ArticleAnswer {
                article,
                extraction,
                stories,
            })
        })
        .await
}

/// One article whole, with its extraction (an id prefix is enough).
#[utoipa::path(get, path = "/api/articles/{id}", params(("id" = String, Path, description = "The article id or a prefix of it")),
    responses((status = 200, body = ArticleAnswer), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ArticleAnswer>> {
    Ok(Json(load_article(&state, id).await?))
}

/// Which entities to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntitiesParams {
    /// Only the entities of this story (`s3`), counted within it.
    pub story: Option<String>,
    /// At most this many, 1 to 1000 (default 100).
    pub limit: Option<String>,
}

pub(crate) async fn load_entities(
    state: &AppState,
    params: &EntitiesParams,
) -> ApiResult<Vec<EntitySummary>> {
    let story = non_empty(&params.story)
        .map(|s| parse_story_id(&s))
        .transpose()?;
    let limit = match non_empty(&params.limit) {
        None => 100,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::BadRequest(format!("limit: {v:?} is not a number from 1 to 1000"))
            })?,
    };
    state
        .read(move |store| {
            Ok(store.entities(&EntityQuery {
                story,
                limit: Some(limit),
            })?)
        })
        .await
}

/// The canonical entities, the most reported first.
#[utoipa::path(get, path = "/api/entities", params(EntitiesParams),
    responses((status = 200, description = "Entities: id, kind, name, aliases, roles, counts", body = [Object]),
        (status = 400, body = ErrorBody)))]
async fn list_entities(
    State(state): State<AppState>,
    Query(params): Query<EntitiesParams>,
) -> ApiResult<Json<Vec<EntitySummary>>> {
    Ok(Json(load_entities(&state, &params).await?))
}

pub(crate) async fn load_entity(state: &AppState, id: String) -> ApiResult<EntityRecord> {
    state
        .read(move |store| {
            if let Some(record) = store.entity(&EntityId(id.clone()))? {
                return Ok(record);
            }
            let found = store.find_entities(&id)?;
            match found.as_slice() {
                [] => Err(ApiError::NotFound(format!("no entity {id:?}"))),
                [only, ..] => store
                    .entity(only)?
                    .ok_or_else(|| ApiError::NotFound(format!("no entity {id:?}"))),
            }
        })
        .await
}

/// One entity (by id, name or other name): its mentions, roles, quotes, events and stories.
#[utoipa::path(get, path = "/api/entities/{id}", params(("id" = String, Path, description = "An entity id, name or other name")),
    responses((status = 200, description = "The entity's record", body = Object), (status = 404, body = ErrorBody)))]
async fn get_entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<EntityRecord>> {
    Ok(Json(load_entity(&state, id).await?))
}

/// A search request.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words; every one must match (stemmed as the article's language is).
    pub q: Option<String>,
    /// Only articles of this outlet.
    pub outlet: Option<String>,
    /// Only articles in this language.
    pub language: Option<String>,
    /// Only articles of this month (YYYY-MM).
    pub month: Option<String>,
    /// Only articles naming this entity (its name, as the entity facet lists it).
    pub entity: Option<String>,
    /// Matches skipped (default 0, at most 10000).
    pub offset: Option<String>,
    /// Matches per page, 1 to 100 (default 20).
    pub limit: Option<String>,
}

impl SearchParams {
    pub(crate) fn check(&self) -> ApiResult<SearchQuery> {
        let number = |name: &str,
                      value: &Option<String>,
                      default: usize,
                      range: std::ops::RangeInclusive<usize>| {
            match non_empty(value) {
                None => Ok(default),
                Some(v) => v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| range.contains(n))
                    .ok_or_else(|| {
                        ApiError::BadRequest(format!(
                            "{name}: {v:?} is not a number from {} to {}",
                            range.start(),
                            range.end()
                        ))
                    }),
            }
        };
        let q = non_empty(&self.q).unwrap_or_default();
        if q.len() > 1000 {
            return Err(ApiError::BadRequest("q: at most 1000 bytes".into()));
        }
        Ok(SearchQuery {
            q,
            outlet: non_empty(&self.outlet),
            language: non_empty(&self.language),
            month: non_empty(&self.month),
            entity: non_empty(&self.entity),
            offset: number("offset", &self.offset, 0, 0..=10_000)?,
            limit: number("limit", &self.limit, 20, 1..=100)?,
        })
    }
}

/// Answers a search: from the answers given lately when it was asked before on the same index, else on the
/// blocking pool, at most one search per core at a time (the others wait their turn).
pub(crate) async fn run_search(state: &AppState, query: SearchQuery) -> ApiResult<SearchResults> {
    let Some(index) = state.inner.search.clone() else {
        return Err(ApiError::Unavailable(
            "search is off on this server: it has no search index (see what `parallax serve` said at start)"
                .into(),
        ));
    };
    if let Some(answer) = index.answered(&query) {
        return Ok(answer);
    }
    let _slot = state
        .inner
        .search_slots
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || Ok(index.search(&query)?))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// Full-text search with highlighted snippets and facets by outlet, language, month and entity.
#[utoipa::path(get, path = "/api/search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    let query = params.check()?;
    Ok(Json(run_search(&state, query).await?))
}

/// One input, or part of one, that was not stored, as `parallax rejects` lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RejectItem {
    /// Where: the upload's name and the line, byte offset or record.
    pub origin: String,
    /// Why.
    pub reason: String,
}

impl From<&Reject> for RejectItem {
    fn from(reject: &Reject) -> Self {
        RejectItem {
            origin: reject.origin.to_string(),
            reason: reject.reason.clone(),
        }
    }
}

/// What an upload did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestAnswer {
    /// Articles newly stored.
    pub stored: u64,
    /// Articles already stored.
    pub duplicates: u64,
    /// What was not stored, and why.
    pub rejects: Vec<RejectItem>,
    /// Articles newly assigned to stories.
    pub assigned: u64,
    /// Articles newly extracted.
    pub extracted: u64,
}

/// Rejects gathered as the pipeline meets them.
#[derive(Default)]
struct Gathered(Mutex<Vec<RejectItem>>);

impl IngestEvents for Gathered {
    fn rejected(&self, reject: &Reject) {
        if let Ok(mut list) = self.0.lock() {
            list.push(reject.into());
        }
    }
}

/// Stores the articles of the body (JSON article records, a JSON array of them or JSON Lines; any format
/// `parallax ingest` reads), then assigns stories, extracts and indexes them. Needs the bearer token the server
/// was started with.
#[utoipa::path(post, path = "/api/articles", request_body(content = String, description = "JSON records or JSON Lines"),
    security(("bearer" = [])),
    responses((status = 200, body = IngestAnswer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody)))]
async fn post_articles(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Json<IngestAnswer>> {
    let headers: HeaderMap = request.headers().clone();
    let Some(token) = state.inner.config.token.clone() else {
        return Err(ApiError::IngestOff);
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
        return Err(ApiError::Unauthorized);
    }
    if !state.inner.writable {
        return Err(ApiError::Unavailable(
            "the store is open for reading only: ingest over HTTP is off".into(),
        ));
    }
    // The body is read only once the token is known good, and never past the limit.
    let limit = state.inner.config.body_limit;
    let body: Bytes = axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|_| ApiError::TooLarge(limit))?;
    let _one_at_a_time = state.inner.ingest.lock().await;
    let config = IngestConfig {
        limits: state.inner.config.read_limits,
        ..IngestConfig::default()
    };
    let db = state.inner.config.db.clone();
    let search = state.inner.search.clone();
    let answer = tokio::task::spawn_blocking(move || -> ApiResult<IngestAnswer> {
        let mut store = SqliteStore::open(&db)?;
        let mut writer = search.as_ref().map(|s| s.writer());
        let events = Gathered::default();
        let outcome = ingest_bytes(
            &mut store,
            "upload",
            &body,
            &config,
            &events,
            writer
                .as_mut()
                .map(|w| w as &mut dyn parallax_pipeline::ArticleIndex),
        )?;
        Ok(IngestAnswer {
            stored: outcome.report.stored,
            duplicates: outcome.report.duplicates,
            rejects: events.0.into_inner().unwrap_or_default(),
            assigned: outcome.assigned,
            extracted: outcome.extracted,
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(Json(answer))
}

/// Compares two byte strings in time that depends only on their lengths, so the token cannot be guessed a byte at
/// a time from response times.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
