//! The server over a real socket: what a slow client can hold, and a store served without its search index.

mod common;

use std::time::{Duration, Instant};

use parallax_server::{AppState, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `state` on a free loopback port until the returned sender is dropped.
async fn start(state: AppState) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(parallax_server::serve_on(state, listener, async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// One GET on a fresh connection: the status line and the body.
async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}

#[tokio::test]
async fn issue_14_a_client_that_sends_its_headers_slowly_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::build_store(dir.path());
    let mut config = ServerConfig::new(db);
    config.header_timeout = Duration::from_millis(300);
    let (addr, _stop) = start(AppState::open(config).unwrap()).await;

    // Half a request, then nothing: the server closes the connection once the header deadline passes.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the slow connection is still open after 5 s"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    // A connection that never asks anything is cut off the same way.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the idle connection is still open after 5 s"
    );
    // Meanwhile others are served.
    let (status, body) = get(addr, "/api/health").await;
    assert!(status.contains("200"), "{status}: {body}");
}

#[tokio::test]
async fn issue_14_a_store_whose_index_cannot_be_made_is_served_without_search_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("parallax.db");
    {
        let mut store = parallax_store::SqliteStore::open(&db).unwrap();
        parallax_pipeline::ingest_paths(
            &mut store,
            &[common::corpus()],
            &parallax_pipeline::IngestConfig::default(),
            &parallax_pipeline::NoEvents,
            None,
        )
        .unwrap();
    }
    // Where the index would go, a file: the index can be neither opened nor made.
    std::fs::write(parallax_server::index_dir(&db), b"not an index").unwrap();
    let state = AppState::open(ServerConfig::new(&db)).unwrap();
    assert!(
        state.notes().iter().any(|n| n.starts_with("search is off")),
        "{:?}",
        state.notes()
    );
    let (addr, _stop) = start(state).await;
    let (status, body) = get(addr, "/api/health").await;
    assert!(status.contains("200"), "{status}: {body}");
    assert!(body.contains("\"search\":false"), "{body}");
    let (status, body) = get(addr, "/api/search?q=fire").await;
    assert!(status.contains("503"), "{status}: {body}");
    assert!(body.contains("search is off"), "{body}");
    let (status, _) = get(addr, "/api/stories").await;
    assert!(status.contains("200"), "{status}");
}
