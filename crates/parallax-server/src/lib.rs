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
mod storylines;

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
        .merge(storylines::routes())
        .merge(assets::routes())
        .fallback(pages::not_found)
        .layer(layers)
        .with_state(state)
}

/// Serves `state` on `addr` until Ctrl-C; says where once it listens, and what opening the store found.
pub async fn serve(state: AppState, addr: SocketAddr) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "parallax: serving {} on http://{}",
        state.inner.config.db.display(),
        listener.local_addr()?
    );
    for note in state.notes() {
        eprintln!("parallax serve: {note}");
    }
    serve_on(state, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves `state` on connections from `listener` until `stop` completes, then lets the requests in flight finish.
///
/// Each connection is HTTP/1.1 with a deadline for a request's headers ([`ServerConfig::header_timeout`]), kept
/// idle or not: a client that sends its headers a byte at a time, or holds a connection open without asking
/// anything, is cut off, so slow clients cannot use up the connections (slowloris). A request, once read, has
/// [`ServerConfig::request_timeout`].
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.inner.config.header_timeout);
    let app = app(state);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A connection reset before it was taken, or no file descriptor free for a moment: the server goes on.
                Err(error) => {
                    eprintln!("parallax serve: cannot accept a connection: {error}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Answers are written in one go; Nagle's delay would only hold back the last small segment.
        let _ = stream.set_nodelay(true);
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or is cut off by the header deadline ends its connection; nothing to report.
            let _ = connection.await;
        });
    }
    graceful.shutdown().await;
    Ok(())
}
