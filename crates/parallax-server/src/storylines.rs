//! Storylines for a reader: `/api/storylines`, `/api/storylines/{id}` and their pages. A storyline is the stories
//! of one developing situation (the pipeline's `storylines`); its page lists its stories in time order, each
//! linked, and a timeline of what they date, each entry with the sentence that says so.

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use maud::{Markup, html};
use parallax_model::StorylineId;
use parallax_pipeline::{
    StorylineEvent, StorylineSummary, TIMELINE_STORIES, linked_storylines, storyline,
    storyline_events, timeline_stories,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::pages::{PageResult, article_href, enc, layout, span_of, story_href};
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/storylines", get(list_storylines))
        .route("/api/storylines/{id}", get(get_storyline))
        .route("/storylines", get(storylines_page))
        .route("/storylines/{id}", get(storyline_page))
}

/// The parameters of `/api/storylines`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub(crate) struct StorylinesParams {
    /// At most this many, newest first (default 50, at most 500).
    pub(crate) limit: Option<usize>,
}

/// Storylines, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct StorylineList {
    /// Each storyline with its stories in time order.
    #[schema(value_type = Vec<Object>)]
    pub(crate) storylines: Vec<StorylineSummary>,
    /// How many storylines matched before the limit.
    pub(crate) total: usize,
}

/// One storyline with its timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct StorylineAnswer {
    /// Its summary and its stories in time order.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub(crate) storyline: StorylineSummary,
    /// What its stories date, in calendar order, each with its story, sources and sentence.
    #[schema(value_type = Vec<Object>)]
    pub(crate) timeline: Vec<StorylineEvent>,
}

fn parse_storyline_id(id: &str) -> ApiResult<StorylineId> {
    id.strip_prefix('l')
        .unwrap_or(id)
        .parse()
        .map(StorylineId)
        .map_err(|_| ApiError::BadRequest(format!("{id:?} is not a storyline id (like l3)")))
}

async fn load_storylines(state: &AppState, params: StorylinesParams) -> ApiResult<StorylineList> {
    let limit = params.limit.unwrap_or(50).clamp(1, 500);
    state
        .read(move |store| {
            let (storylines, total) = linked_storylines(store, limit)?;
            Ok(StorylineList { storylines, total })
        })
        .await
}

async fn load_storyline(state: &AppState, id: &str) -> ApiResult<StorylineAnswer> {
    let id = parse_storyline_id(id)?;
    let line = state
        .read(move |store| {
            storyline(store, id)?.ok_or_else(|| ApiError::NotFound(format!("no storyline {id}")))
        })
        .await?;
    // Each story's comparison as the story pages keep it: made once per story version, not again here.
    let mut kept = Vec::new();
    for story in timeline_stories(&line) {
        kept.push((story, state.story_report(story).await?));
    }
    let timeline = storyline_events(kept.iter().map(|(story, k)| (*story, &k.report.comparison)));
    Ok(StorylineAnswer {
        storyline: line,
        timeline,
    })
}

/// Storylines (the stories of one developing situation) of two stories or more, newest first, each with its
/// stories in time order.
#[utoipa::path(get, path = "/api/storylines", params(StorylinesParams),
    responses((status = 200, body = StorylineList), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_storylines(
    State(state): State<AppState>,
    Query(params): Query<StorylinesParams>,
) -> ApiResult<Json<StorylineList>> {
    Ok(Json(load_storylines(&state, params).await?))
}

/// One storyline: its stories in time order and the timeline of what they date.
#[utoipa::path(get, path = "/api/storylines/{id}", params(("id" = String, Path, description = "The storyline id, l3 or 3")),
    responses((status = 200, body = StorylineAnswer), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_storyline(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<StorylineAnswer>> {
    Ok(Json(load_storyline(&state, &id).await?))
}

fn storyline_href(id: StorylineId) -> String {
    format!("/storylines/{}", enc(&id.to_string()))
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn day_text(date: Option<parallax_model::PubDate>) -> Option<String> {
    date.map(|d| d.day().to_string())
}

async fn storylines_page(
    State(state): State<AppState>,
    Query(params): Query<StorylinesParams>,
) -> PageResult {
    let list = load_storylines(&state, params).await?;
    Ok(layout(
        "Storylines",
        html! {
            h1 { "Storylines" }
            p.lede { "Stories of one developing situation, over weeks and months, newest first." }
            @if list.storylines.is_empty() {
                p.empty { "No storyline links two stories yet." }
            }
            ol.stories {
                @for line in &list.storylines {
                    li.story {
                        a.headline href=(storyline_href(line.id)) { (line.headline) }
                        div.meta {
                            span.when { (span_of(day_text(line.first_date).as_deref(), day_text(line.last_date).as_deref())) }
                            span.count { (count(line.stories.len(), "story", "stories")) ", " (count(line.articles as usize, "article", "articles")) }
                            span.outlets { (line.sources.join(", ")) }
                        }
                    }
                }
            }
            @if list.total > list.storylines.len() {
                p.paging { "The newest " (list.storylines.len()) " of " (list.total) "." }
            }
        },
    ))
}

async fn storyline_page(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let answer = load_storyline(&state, &id).await?;
    let line = &answer.storyline;
    Ok(layout(
        &line.headline,
        html! {
            p.kicker { "Storyline " (line.id.to_string()) }
            h1 { (line.headline) }
            p.meta {
                (span_of(day_text(line.first_date).as_deref(), day_text(line.last_date).as_deref()))
                " · " (count(line.stories.len(), "story", "stories"))
                " · " (count(line.articles as usize, "article", "articles"))
                @if !line.sources.is_empty() { " · " (line.sources.join(", ")) }
            }
            section #stories {
                h2 { "Its stories, in time order" }
                ol.stories {
                    @for story in &line.stories {
                        li.story {
                            a.headline href=(story_href(&story.id.to_string())) { (story.headline) }
                            div.meta {
                                span.when { (span_of(day_text(story.first_date).as_deref(), day_text(story.last_date).as_deref())) }
                                span.count { (count(story.articles as usize, "article", "articles")) }
                                span.outlets { (story.sources.join(", ")) }
                            }
                        }
                    }
                }
            }
            section #timeline {
                h2 { "Timeline" }
                @if line.stories.len() > TIMELINE_STORIES {
                    p.note { "From its latest " (TIMELINE_STORIES) " stories." }
                }
                @if answer.timeline.is_empty() { p.empty { "No dated mention." } }
                ol.timeline {
                    @for event in &answer.timeline {
                        li {
                            div.when { (event.display) }
                            div.who {
                                a href=(story_href(&event.story.to_string())) { (event.story.to_string()) }
                                " · " (event.sources.join(", "))
                            }
                            div.context {
                                a href=(article_href(&event.article.0)) { (event.sentence) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The storyline section of a story page: the other stories of its storyline, in time order, this one marked.
pub(crate) fn story_storyline(report: &parallax_pipeline::StoryReport) -> Markup {
    html! {
        @if report.storyline_stories.len() > 1 {
            section #storyline {
                h2 { "In its storyline" }
                p { a href=(format!("/storylines/{}", enc(&report.storyline))) { "Storyline " (report.storyline) } ", in time order:" }
                ol.stories {
                    @for story in &report.storyline_stories {
                        li.story {
                            @if story.id.to_string() == report.id {
                                strong { (story.headline) } " (this story)"
                            } @else {
                                a.headline href=(story_href(&story.id.to_string())) { (story.headline) }
                            }
                            div.meta {
                                span.when { (span_of(day_text(story.first_date).as_deref(), day_text(story.last_date).as_deref())) }
                                span.count { (count(story.articles as usize, "article", "articles")) }
                            }
                        }
                    }
                }
            }
        }
    }
}
