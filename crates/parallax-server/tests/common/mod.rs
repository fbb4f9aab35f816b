//! A store for the server's tests: the example corpus and a few hostile articles, ingested through the pipeline
//! with the search index fed as `parallax ingest` feeds it.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use parallax_pipeline::{IngestConfig, NoEvents, ingest_bytes, ingest_paths};
use parallax_server::{AppState, SearchIndex, ServerConfig, index_dir};
use parallax_store::SqliteStore;

/// Articles whose every field tries to run script or restyle the page.
pub const HOSTILE: &str = r#"{"title": "<script>alert('title')</script><img src=x onerror=alert(1)> Harbour fire", "text": "<script>alert('text')</script> The harbour fire in Quayport spread overnight. <img src=x onerror=alert(2)> <svg onload=alert(3)><style>body{display:none}</style> Officials said javascript:alert(4) was not a link. <a href=\"javascript:alert(5)\">click</a>", "source": "<b onmouseover=alert(6)>Evil Outlet</b>", "url": "javascript:alert(7)", "date": "2024-07-01"}
{"title": "Quayport harbour fire \"spreads\" <iframe src=data:text/html,alert(8)>", "text": "The harbour fire in Quayport spread to a second warehouse on Tuesday, officials said. <math><mi xlink:href=\"data:x,alert(9)\">x</mi></math> expression(alert(10)) url(javascript:alert(11))", "source": "Quayport Times", "url": "data:text/html,<script>alert(12)</script>", "date": "2024-07-02"}
"#;

/// The workspace's example corpus.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

/// A store in `dir` with the corpus and the hostile articles, extracted and indexed.
pub fn build_store(dir: &Path) -> PathBuf {
    let db = dir.join("parallax.db");
    let mut store = SqliteStore::open(&db).expect("store");
    let index = SearchIndex::open_or_create(&index_dir(&db)).expect("index");
    let mut writer = index.writer();
    let config = IngestConfig::default();
    ingest_paths(
        &mut store,
        &[corpus()],
        &config,
        &NoEvents,
        Some(&mut writer),
    )
    .expect("ingest corpus");
    ingest_bytes(
        &mut store,
        "hostile.jsonl",
        HOSTILE.as_bytes(),
        &config,
        &NoEvents,
        Some(&mut writer),
    )
    .expect("ingest hostile");
    db
}

/// The server's state over a fresh store, with `token` for ingest over HTTP.
pub fn state(dir: &Path, token: Option<&str>) -> AppState {
    let db = build_store(dir);
    let mut config = ServerConfig::new(db);
    config.token = token.map(str::to_owned);
    config.body_limit = 64 << 10;
    AppState::open(config).expect("state")
}
