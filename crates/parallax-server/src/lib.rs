//! The Parallax news desk over HTTP: `parallax serve`.
//!
//! [`app`] builds the whole router from an [`AppState`]: the JSON API under `/api/` (described by the OpenAPI
//! document at `/api/openapi.json`, derived from the handlers' types), server-rendered pages that work with
//! JavaScript off (story list, story, article, entity, search), and the two embedded assets. [`serve`] binds it
//! (loopback by default) with timeouts, body limits and bounded concurrency. The engine stays free of network
//! code, and only `parallax-store` sees SQL: this crate reads through the `Store` trait and ingests through
//! `parallax-pipeline`, the same steps `parallax ingest` takes. Search is tantivy ([`SearchIndex`]), kept beside
//! the database.
//!
//! Article text is untrusted. Every page is built with maud, which escapes every value put into it; links to an
//! article's own URL are only ever `http`/`https`; the Content-Security-Policy allows scripts and styles from this
//! server's own assets only (no inline script), and no CORS header is ever sent.
#![deny(missing_docs)]

mod api;
mod assets;
mod error;
mod marks;
mod pages;
mod search;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::{
    ApiDoc, ArticleAnswer, EntitiesParams, Health, IngestAnswer, RejectItem, SearchParams,
    StoriesParams, StoryItem, StoryPage,
};
pub use error::{ApiError, ApiResult, ErrorBody};
pub use search::{
    FacetCount, FacetGroup, SearchError, SearchHit, SearchIndex, SearchQuery, SearchResults,
    SearchWriter, Snippet, index_dir,
};
pub use state::{AppState, ServerConfig};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// No database at the path.
    #[error("no database at {}: run `parallax ingest PATH... --db {}` first", .0.display(), .0.display())]
    NoDatabase(PathBuf),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] parallax_store::Error),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The address could not be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The Content-Security-Policy of every answer: only this server's own script, style and images; no inline script
/// or style, no frames, no plugins, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The whole router: API, pages and assets, with the security headers, the timeout, the concurrency bound and
/// the body limit (`POST /api/articles` reads at most `body_limit` bytes, else 413). Tests call it with `tower::ServiceExt::oneshot`, no socket needed.
pub fn app(state: AppState) -> Router {
    let config = &state.inner.config;
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let layers = ServiceBuilder::new()
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(tower::limit::ConcurrencyLimitLayer::new(
            config.max_concurrency.max(1),
        ));
    api::routes()
        .merge(pages::routes())
        .merge(assets::routes())
        .fallback(pages::not_found)
        .layer(layers)
        .with_state(state)
}

/// Serves `state` on `addr` until Ctrl-C; says where once it listens.
pub async fn serve(state: AppState, addr: SocketAddr) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "parallax: serving {} on http://{}",
        state.inner.config.db.display(),
        listener.local_addr()?
    );
    // Read the story list now, while the first reader is still typing the address.
    let warm = state.clone();
    tokio::spawn(async move {
        if let Err(error) = warm.reload_stories().await {
            eprintln!("parallax serve: cannot read the story list: {error}");
        }
    });
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
