//! The server-rendered pages. Everything a reader needs is in the HTML; the script only adds (columns scrolling
//! in step, search as you type). Every value goes through maud, which escapes it; links built from stored values
//! are percent-encoded paths of this server, and an article's own URL is linked only when it is http or https.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use parallax_model::{
    Article, Comparison, EntityId, Extraction, LabelKind, PubDate, Reach, StoryUnit,
};
use parallax_pipeline::StoryReport;
use parallax_store::{EntityRecord, EntitySummary, Store, StoryListQuery, StoryOrder};
use serde::Serialize;

use crate::api::{
    ArticleAnswer, EntitiesParams, SearchParams, StoriesParams, StoryPage, load_article,
    load_entities, load_entity, load_story, run_search, story_page,
};
use crate::error::ApiError;
use crate::marks::{Mark, escape, highlighted, marked_html};
use crate::search::SearchResults;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(stories_page))
        .route("/stories/{id}", get(story_html))
        .route("/articles/{id}", get(article_html))
        .route("/entities", get(entities_html))
        .route("/entities/{id}", get(entity_html))
        .route("/search", get(search_html))
}

/// An error as a page.
pub(crate) struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        PageError(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let message = self.0.message();
        (
            status,
            layout(
                &format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ),
                html! {
                    h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
                    p { (message) }
                    p { a href="/" { "Back to the stories" } }
                },
            ),
        )
            .into_response()
    }
}

pub(crate) async fn not_found() -> PageError {
    PageError(ApiError::NotFound("no such page".into()))
}

pub(crate) type PageResult = Result<Markup, PageError>;

/// A path segment or query value, percent-encoded: nothing in it can end the path, start a query or a fragment.
pub(crate) fn enc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn article_href(id: &str) -> String {
    format!("/articles/{}", enc(id))
}

fn entity_href(id: &str) -> String {
    format!("/entities/{}", enc(id))
}

pub(crate) fn story_href(id: &str) -> String {
    format!("/stories/{}", enc(id))
}

/// An enum's serde name ("all", "apposition").
fn name_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn day(date: Option<PubDate>) -> String {
    date.map_or_else(|| "undated".to_owned(), |d| d.day().to_string())
}

pub(crate) fn span_of(first: Option<&str>, last: Option<&str>) -> String {
    let short = |d: &str| d.chars().take(10).collect::<String>();
    match (first.map(short), last.map(short)) {
        (Some(f), Some(l)) if f == l => f,
        (Some(f), Some(l)) => format!("{f} – {l}"),
        (Some(f), None) | (None, Some(f)) => f,
        _ => "undated".to_owned(),
    }
}

/// Every page: the header with the site's navigation and search, then the page's own content.
pub(crate) fn layout(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Parallax" }
                link rel="stylesheet" href="/assets/style.css";
                link rel="icon" href="/assets/icon.svg" type="image/svg+xml";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "Parallax" }
                    nav {
                        a href="/" { "Stories" }
                        a href="/storylines" { "Storylines" }
                        a href="/entities" { "Entities" }
                        a href="/search" { "Search" }
                    }
                    form.top-search action="/search" method="get" role="search" {
                        input type="search" name="q" placeholder="Search articles" aria-label="Search articles";
                    }
                }
                main { (content) }
            }
        }
    }
}

// ----- story list -----

async fn stories_page(
    State(state): State<AppState>,
    Query(params): Query<StoriesParams>,
) -> PageResult {
    let filter = params.check()?;
    let page: StoryPage = story_page(&state, &filter).await?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let next_href = page.next.as_ref().map(|next| {
        let mut query = vec![("after", next.clone())];
        for (name, v) in [
            ("sort", &params.sort),
            ("from", &params.from),
            ("to", &params.to),
            ("outlet", &params.outlet),
            ("language", &params.language),
            ("entity", &params.entity),
            ("limit", &params.limit),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                query.push((name, v.clone()));
            }
        }
        let query: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        format!("/?{}", query.join("&"))
    });
    Ok(layout(
        "Stories",
        html! {
            h1 { "Stories" }
            form.filters method="get" action="/" {
                label { "Order "
                    select name="sort" {
                        option value="newest" selected[filter.sort == StoryOrder::Newest] { "newest first" }
                        option value="largest" selected[filter.sort == StoryOrder::Largest] { "largest first" }
                    }
                }
                label { "From " input type="date" name="from" value=(value(&params.from)); }
                label { "To " input type="date" name="to" value=(value(&params.to)); }
                label { "Outlet " input type="text" name="outlet" value=(value(&params.outlet)) size="12"; }
                label { "Language " input type="text" name="language" value=(value(&params.language)) size="3" placeholder="en"; }
                label { "Entity " input type="text" name="entity" value=(value(&params.entity)) size="12"; }
                button type="submit" { "Show" }
            }
            @if page.stories.is_empty() {
                p.empty { "No story matches." }
            }
            ol.stories {
                @for story in &page.stories {
                    li.story {
                        a.headline href=(story_href(&story.id)) { (story.headline) }
                        div.meta {
                            span.when { (span_of(story.first_date.as_deref(), story.last_date.as_deref())) }
                            span.count { (story.articles) @if story.articles == 1 { " article" } @else { " articles" } }
                            span.outlets { (story.sources.join(", "))
                                @if story.unattributed > 0 { " + " (story.unattributed) " of unknown outlet" } }
                            span.langs { (story.languages.join(", ")) }
                        }
                    }
                }
            }
            @if let Some(href) = next_href {
                p.paging { a rel="next" href=(href) { "Next page →" } }
            }
        },
    ))
}

// ----- story page -----

async fn story_html(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let kept = load_story(&state, &id).await?;
    let page = kept
        .page
        .get_or_init(|| layout(&kept.report.headline, story_body(&kept.report)).into_string());
    Ok(PreEscaped(page.clone()))
}

fn reach_label(reach: Reach, sources: usize, total: usize) -> String {
    match reach {
        Reach::All if total > 1 => "shared by all".to_owned(),
        Reach::One => "one source only".to_owned(),
        _ => format!("{sources} of {total} sources"),
    }
}

fn reach_class(reach: Reach) -> &'static str {
    match reach {
        Reach::All => "reach-all",
        Reach::One => "reach-one",
        _ => "reach-several",
    }
}

/// A source's name as a column heads it: an outlet not known is named by its file, without the folders.
fn outlet_label(name: &str, known: bool) -> String {
    if known {
        name.to_owned()
    } else {
        let file = name.rsplit('/').next().unwrap_or(name);
        format!("{file} (outlet not known)")
    }
}

fn unit_href(unit: &StoryUnit) -> String {
    article_href(&unit.article.0)
}

/// The most statement rows a story page shows: past a few hundred, a page is too long to read and too heavy to
/// send (a story of 100,000 articles gave 11,400 rows, 4 MB); the JSON has every row.
const STATEMENT_ROWS: usize = 400;

fn story_body(report: &StoryReport) -> Markup {
    let c: &Comparison = &report.comparison;
    let n = c.sources.len();
    let source_name = |i: usize| c.sources.get(i).map_or("?", |s| s.name.as_str());
    html! {
        article.story {
            h1 { (report.headline) }
            p.meta {
                (span_of(report.first_date.map(|d| d.to_string()).as_deref(), report.last_date.map(|d| d.to_string()).as_deref()))
                " · " (report.articles) " articles · " (n) " sources · " (report.languages.join(", "))
            }
            @for note in &c.notes { p.note { (note) } }
            nav.toc {
                a href="#columns" { "Side by side" }
                a href="#quotes" { "Quotes (" (c.quotes.len()) ")" }
                a href="#framing" { "Framing (" (c.framing.len()) ")" }
                a href="#disagreements" { "Disagreements (" (c.disagreements.len()) ")" }
                a href="#timeline" { "Timeline (" (c.timeline.len()) ")" }
                @if report.storyline_stories.len() > 1 {
                    a href="#storyline" { "Storyline (" (report.storyline_stories.len()) " stories)" }
                }
            }
            section #columns {
                h2 { "Side by side" }
                p.legend {
                    span.badge.reach-all { "shared by all" } " "
                    span.badge.reach-several { "several sources" } " "
                    span.badge.reach-one { "one source only" } " "
                    span.badge.background { "background" }
                }
                div.scroll data-sync-scroll="columns" {
                    table.columns {
                        thead {
                            tr {
                                @for s in &c.sources {
                                    th.outlet scope="col" {
                                        div.outlet-name { (outlet_label(&s.name, s.known)) }
                                        div.outlet-meta { (s.languages.join(", ")) " · " (day(s.first_date)) " · " (s.words) " words" }
                                        ul.units {
                                            @for u in &s.units {
                                                li {
                                                    a href=(unit_href(&u.unit)) { (u.title) }
                                                    @if u.unit.section.is_some() { " " span.section { "(one item of a longer article)" } }
                                                    @if !u.copies.is_empty() {
                                                        details.copies {
                                                            summary { (u.copies.len()) " near-duplicate" @if u.copies.len() > 1 { "s" } }
                                                            ul {
                                                                @for copy in &u.copies {
                                                                    li { a href=(unit_href(&copy.unit)) { (copy.carried_by) } " · " (day(copy.date)) " · similarity " (format!("{:.2}", copy.similarity)) }
                                                                }
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        tbody {
                            @for group in c.statements.iter().take(STATEMENT_ROWS) {
                                tr class=(format!("{}{}", reach_class(group.reach), if group.background { " background" } else { "" })) {
                                    @for i in 0..n {
                                        td {
                                            @let mine: Vec<_> = group.statements.iter().filter(|st| st.source == i).collect();
                                            @if !mine.is_empty() {
                                                span class=(format!("badge {}", reach_class(group.reach))) { (reach_label(group.reach, group.sources.len(), n)) }
                                                @if group.background { " " span.badge.background { "background" } }
                                                @for st in mine {
                                                    p.statement { a.stmt href=(unit_href(&st.unit)) { (st.span.text) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if c.statements.len() > STATEMENT_ROWS {
                p.note {
                    "The first " (STATEMENT_ROWS) " of " (c.statements.len()) " statements are shown; all of them are in "
                    a href=(format!("/api/stories/{}", enc(&report.id))) { "the story's JSON" } "."
                }
            }
            section #quotes {
                h2 { "Quotes" }
                @if c.quotes.is_empty() { p.empty { "No quote." } }
                @for q in &c.quotes {
                    div.quote-group {
                        h3 {
                            @if let Some(id) = &q.speaker { a href=(entity_href(&id.0)) { (q.speaker_name) } } @else { (q.speaker_name) }
                            " " span class=(format!("badge {}", reach_class(q.reach))) { (reach_label(q.reach, q.sources.len(), n)) }
                        }
                        ul.wordings {
                            @for w in &q.wordings {
                                li {
                                    blockquote { (w.content.text) }
                                    span.by { "— " (source_name(w.source))
                                        @if let Some(via) = &w.via { ", via " (via.text) }
                                        @if let Some(l) = &w.language { " (" (l) ")" } }
                                }
                            }
                        }
                    }
                }
            }
            section #framing {
                h2 { "Framing" }
                p.legend { "Each actor's labels per outlet; " span.distinct { "highlighted" } " labels are used by that outlet alone, and rows where outlets differ are marked. Under them, in grey, the words an outlet alone uses about the actor." }
                @if c.framing.is_empty() { p.empty { "No labels found." } }
                @else {
                    div.scroll data-sync-scroll="columns" {
                        table.framing {
                            thead { tr { th scope="col" { "Actor" } @for s in &c.sources { th scope="col" { (s.name) } } } }
                            tbody {
                                @for actor in &c.framing {
                                    tr class=(if actor.differs { "differs" } else { "" }) {
                                        th scope="row" { a href=(entity_href(&actor.entity.0)) { (actor.name) } @if actor.differs { " " span.badge.differs { "differs" } } }
                                        @for i in 0..n {
                                            td {
                                                @for labels in actor.sources.iter().filter(|l| l.source == i) {
                                                    @for label in labels.labels.iter().filter(|l| l.kind != LabelKind::Wording) {
                                                        span class=(if label.distinct { "label distinct" } else { "label" }) title=(name_of(&label.kind)) { (label.span.text) }
                                                        @if label.kind == LabelKind::Action { " " }
                                                    }
                                                    @let words: Vec<&str> = labels.labels.iter().filter(|l| l.kind == LabelKind::Wording).map(|l| l.span.text.trim()).collect();
                                                    @if !words.is_empty() {
                                                        div.wording title="words this outlet alone uses about the actor" { "own words: " (words.join(", ")) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section #disagreements {
                h2 { "Disagreements and updates" }
                @if c.disagreements.is_empty() { p.empty { "The sources give no differing counts, dates, places or titles." } }
                @for d in &c.disagreements {
                    div.disagreement {
                        h3 { (name_of(&d.slot)) ": " (d.subject) @if d.update { " " span.badge.update { "update" } } }
                        ul {
                            @for v in &d.values {
                                li { strong { (v.value) } " — " (source_name(v.source)) @if let Some(date) = v.date { ", " (day(Some(date))) }
                                    div.context { (v.sentence.text) } }
                            }
                        }
                    }
                }
            }
            section #timeline {
                h2 { "Timeline" }
                @if c.timeline.is_empty() { p.empty { "No dated mention." } }
                ol.timeline {
                    @for entry in &c.timeline {
                        li class=(if entry.publication { "publication" } else { "" }) {
                            div.when { (entry.display) }
                            div.who { (entry.sources.iter().map(|&i| source_name(i)).collect::<Vec<_>>().join(", ")) }
                            @for m in entry.mentions.iter().take(3) {
                                div.context { (source_name(m.source)) ": " (m.sentence.text) }
                            }
                        }
                    }
                }
            }
            (crate::storylines::story_storyline(report))
        }
    }
}

// ----- article page -----

async fn article_html(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let answer = load_article(&state, id).await?;
    Ok(layout(&answer.article.title, article_body(&answer)))
}

/// An article's own URL, linked only when it is http or https (never `javascript:` or `data:`).
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

fn marks_of(extraction: &Extraction) -> Vec<Mark> {
    let names: HashMap<&EntityId, &str> = extraction
        .entities
        .iter()
        .map(|e| (&e.id, e.name.as_str()))
        .collect();
    let mut marks = Vec::new();
    for q in &extraction.quotes {
        let who = q
            .speaker
            .as_ref()
            .map_or("speaker not known".to_owned(), |s| s.span.text.clone());
        marks.push(Mark {
            start: q.content.start,
            end: q.content.end,
            class: "quote",
            href: None,
            title: Some(format!("quote: {who}")),
        });
    }
    for e in &extraction.events {
        marks.push(Mark {
            start: e.trigger.start,
            end: e.trigger.end,
            class: "event",
            href: None,
            title: Some(format!("event: {}", e.kind.as_str())),
        });
    }
    for m in &extraction.mentions {
        marks.push(Mark {
            start: m.start,
            end: m.end,
            class: "entity",
            href: Some(entity_href(&m.entity.0)),
            title: Some(format!(
                "{}: {}",
                m.kind,
                names.get(&m.entity).copied().unwrap_or(&m.text)
            )),
        });
    }
    for t in &extraction.times {
        marks.push(Mark {
            start: t.start,
            end: t.end,
            class: "time",
            href: None,
            title: Some(format!("date: {}", t.value)),
        });
    }
    marks
}

fn article_body(answer: &ArticleAnswer) -> Markup {
    let a: &Article = &answer.article;
    let provenance = |field: &str| a.provenance.get(field).map(name_of).unwrap_or_default();
    let text = match &answer.extraction {
        Some(x) => marked_html(&a.text, marks_of(x)),
        None => {
            let mut out = String::new();
            escape(&a.text, &mut out);
            out
        }
    };
    let fields: Vec<(&str, Option<String>)> = vec![
        ("title", Some(a.title.clone())),
        ("date", a.date.map(|d| d.to_string())),
        ("source", a.source.clone()),
        ("language", a.language.clone()),
        ("dateline", a.dateline.clone()),
        ("byline", a.byline.clone()),
    ];
    html! {
        article.article {
            h1 { (a.title) }
            p.meta {
                @for s in &answer.stories { a href=(story_href(s)) { "story " (s) } " " }
                @if let Some(url) = &a.url {
                    @if let Some(url) = safe_url(url) { a.external href=(url) rel="noopener noreferrer nofollow" { "original page" } }
                    @else { span.url { "URL (not a web link): " (url) } }
                }
            }
            div.article-grid {
                div.text-col {
                    p.legend { span.mark.entity { "entity" } " " span.mark.time { "date" } " " span.mark.quote { "quote" } " " span.mark.event { "event" }
                        @if answer.extraction.is_none() { " — extraction pending" } }
                    div.text { (PreEscaped(text)) }
                }
                aside.fields {
                    h2 { "Fields and where they came from" }
                    table.provenance {
                        tbody {
                            @for (name, value) in &fields {
                                tr { th scope="row" { (name) } td { (value.clone().unwrap_or_else(|| "—".into())) } td.prov { (provenance(name)) } }
                            }
                            tr { th scope="row" { "input" } td colspan="2" { (a.origin.to_string()) } }
                            tr { th scope="row" { "id" } td colspan="2" { code { (a.id.0) } } }
                        }
                    }
                    @if let Some(x) = &answer.extraction {
                        h2 { "Entities" }
                        ul.entities {
                            @for e in &x.entities { li { a href=(entity_href(&e.id.0)) { (e.name) } " " span.kind { (e.kind.to_string()) } } }
                        }
                        @if !x.events.is_empty() {
                            h2 { "Events" }
                            ul { @for e in &x.events { li { (e.kind.as_str()) ": " (e.trigger.text) @if let Some(d) = &e.date { " (" (d) ")" } } } }
                        }
                    }
                }
            }
        }
    }
}

// ----- entities -----

async fn entities_html(
    State(state): State<AppState>,
    Query(params): Query<EntitiesParams>,
) -> PageResult {
    let entities = load_entities(&state, &params).await?;
    Ok(layout(
        "Entities",
        html! {
            h1 { "Entities" }
            table.entity-list {
                thead { tr { th { "Name" } th { "Kind" } th { "Articles" } th { "Stories" } th.roles { "Roles" } } }
                tbody {
                    @for e in &entities {
                        tr {
                            td { a href=(entity_href(&e.id.0)) { (e.name) } }
                            td { (e.kind.to_string()) }
                            td.num { (e.articles) }
                            td.num { (e.stories) }
                            td.roles { (e.roles.iter().take(3).cloned().collect::<Vec<_>>().join("; ")) }
                        }
                    }
                }
            }
        },
    ))
}

/// An entity with the outlet and title of each article that names it.
struct EntityView {
    record: EntityRecord,
    articles: BTreeMap<String, (Option<String>, String)>,
    stories: Vec<(String, String)>,
}

async fn entity_html(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let record = load_entity(&state, id).await?;
    let view = state
        .read(move |store| {
            let mut articles = BTreeMap::new();
            let ids = record
                .mentions
                .iter()
                .map(|m| &m.article)
                .chain(record.roles.iter().map(|r| &r.article))
                .chain(record.quotes.iter().map(|q| &q.article));
            for id in ids {
                if articles.len() >= 500 || articles.contains_key(&id.0) {
                    continue;
                }
                if let Some(a) = store.article(id)? {
                    articles.insert(id.0.clone(), (a.source.clone(), a.title.clone()));
                }
            }
            let listed = store.story_page(&StoryListQuery {
                only: Some(record.stories.clone()),
                limit: record.stories.len(),
                ..StoryListQuery::default()
            })?;
            let stories = record
                .stories
                .iter()
                .map(|s| {
                    let headline = listed
                        .iter()
                        .find(|l| l.id == *s)
                        .map(|l| l.headline.clone())
                        .unwrap_or_default();
                    (s.to_string(), headline)
                })
                .collect();
            Ok(EntityView {
                record,
                articles,
                stories,
            })
        })
        .await?;
    Ok(layout(&view.record.entity.name, entity_body(&view)))
}

fn entity_body(view: &EntityView) -> Markup {
    let e: &EntitySummary = &view.record.entity;
    let outlet = |article: &str| {
        view.articles
            .get(article)
            .and_then(|(s, _)| s.clone())
            .unwrap_or_else(|| "unknown outlet".into())
    };
    // How each outlet labels it: the roles each outlet's articles give it.
    let mut by_outlet: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for role in &view.record.roles {
        let titles = by_outlet.entry(outlet(&role.article.0)).or_default();
        if !titles.contains(&role.title) {
            titles.push(role.title.clone());
        }
    }
    html! {
        article.entity {
            h1 { (e.name) " " span.kind { (e.kind.to_string()) } }
            p.meta { (e.articles) " articles · " (e.mentions) " mentions · " (e.stories) " stories" }
            @if !e.aliases.is_empty() { p { "Also called: " (e.aliases.join(", ")) } }
            @if !by_outlet.is_empty() {
                h2 { "How each outlet labels it" }
                table.labels { tbody { @for (outlet, titles) in &by_outlet { tr { th scope="row" { (outlet) } td { (titles.join("; ")) } } } } }
            }
            h2 { "Stories" }
            ul { @for (id, headline) in &view.stories { li { a href=(story_href(id)) { (headline) } " " span.id { (id) } } } }
            h2 { "Articles that name it" }
            ul {
                @for (id, (source, title)) in &view.articles {
                    li { a href=(article_href(id)) { (title) } " " span.kind { (source.clone().unwrap_or_else(|| "unknown outlet".into())) } }
                }
            }
            @if !view.record.quotes.is_empty() {
                h2 { "Quotes" }
                ul.wordings {
                    @for q in view.record.quotes.iter().take(50) {
                        li { blockquote { (q.quote.content.text) } span.by { "— " a href=(article_href(&q.article.0)) { (outlet(&q.article.0)) } } }
                    }
                }
            }
            @if !view.record.events.is_empty() {
                h2 { "Events" }
                ul { @for ev in view.record.events.iter().take(50) { li { (ev.kind.as_str()) ": " (ev.trigger.text) " — " a href=(article_href(&ev.article.0)) { (outlet(&ev.article.0)) } } } }
            }
        }
    }
}

// ----- search -----

async fn search_html(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> PageResult {
    let query = params.check()?;
    let results = run_search(&state, query.clone()).await?;
    Ok(layout(
        "Search",
        search_body(&params, &results, query.offset, query.limit),
    ))
}

fn search_href(params: &SearchParams, change: (&str, Option<String>)) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in [
        ("q", &params.q),
        ("outlet", &params.outlet),
        ("language", &params.language),
        ("month", &params.month),
        ("entity", &params.entity),
    ] {
        if name != change.0
            && let Some(v) = value.as_ref().filter(|v| !v.is_empty())
        {
            pairs.push((name, v.clone()));
        }
    }
    if let Some(v) = change.1 {
        pairs.push((change.0, v));
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    format!("/search?{}", query.join("&"))
}

fn search_body(
    params: &SearchParams,
    results: &SearchResults,
    offset: usize,
    limit: usize,
) -> Markup {
    let q = params.q.clone().unwrap_or_default();
    html! {
        h1 { "Search" }
        form.searchbox action="/search" method="get" role="search" {
            input #q type="search" name="q" value=(q) placeholder="Names, places, words" aria-label="Search" autocomplete="off";
            @for (name, value) in [("outlet", &params.outlet), ("language", &params.language), ("month", &params.month), ("entity", &params.entity)] {
                @if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) { input type="hidden" name=(name) value=(v); }
            }
            button type="submit" { "Search" }
        }
        div.search-grid {
            aside.facets {
                @if !results.facets_counted { p.legend { "Counted over the best " (results.facets_over) " matches." } }
                @for group in &results.facets {
                    @if !group.values.is_empty() {
                        h2 { (group.facet) }
                        ul {
                            @for v in &group.values {
                                li { a href=(search_href(params, (group.facet.as_str(), Some(v.value.clone())))) { (v.value) } " " span.n { (v.count) } }
                            }
                        }
                    }
                }
            }
            section #results {
                p.total { (results.total) " matching articles" }
                ol.hits {
                    @for hit in &results.hits {
                        li.hit {
                            a.headline href=(article_href(&hit.id)) { (hit.title) }
                            div.meta { (hit.source.clone().unwrap_or_default()) " · " (hit.date.clone().unwrap_or_default().chars().take(10).collect::<String>()) " · " (hit.language.clone().unwrap_or_default()) }
                            p.snippet { (PreEscaped(highlighted(&hit.snippet.text, &hit.snippet.marks))) }
                        }
                    }
                }
                @if (offset + limit) < results.total as usize {
                    p.paging { a rel="next" href=(format!("{}&offset={}", search_href(params, ("offset", None)), offset + limit)) { "More results →" } }
                }
            }
        }
    }
}
