//! Issue 2, crash safety: `kill -9` in the middle of ingesting 100,000 articles, then the same command again, ends
//! with every article stored exactly once and a database that passes `PRAGMA integrity_check`.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ARTICLES: u64 = 100_000;
const OUTLETS: [&str; 3] = ["Harbour Ledger", "Nordwind", "Pressline"];

fn write_articles(path: &Path) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..ARTICLES {
        let line = serde_json::json!({
            "title": format!("Council report {i}"),
            "text": format!("The council met about item {i}.\n\nIt will meet again on day {}.", i % 31),
            "date": format!("2023-10-{:02}", 1 + i % 28),
            "source": OUTLETS[(i % 3) as usize],
            // Given, so the test spends its time on the store rather than on language detection (slow unoptimised).
            "language": "en",
        });
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

fn ingest(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_parallax"));
    // Small transactions, so a kill lands between many commits and inside one.
    command
        .args([
            "ingest",
            "news.jsonl",
            "--db",
            "news.db",
            "--batch-items",
            "500",
            // Clustering and extracting 100k articles in a debug build would dominate the test; this one is about the
            // store.
            "--no-stories",
            "--no-extract",
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn count(db: &Path) -> u64 {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row("SELECT COUNT(*) FROM articles", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_or(0, |n| n as u64)
}

/// Starts an ingest and kills it (SIGKILL) once at least `at_least` articles are committed; returns how many were.
fn ingest_and_kill(dir: &Path, at_least: u64) -> u64 {
    let db = dir.join("news.db");
    let mut child = ingest(dir).spawn().unwrap();
    let started = Instant::now();
    while count(&db) < at_least {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the ingest finished before it could be killed; the test needs a slower machine or more articles"
        );
        assert!(started.elapsed() < Duration::from_secs(300), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    count(&db)
}

#[test]
fn kill_9_mid_ingest_then_rerun_stores_every_article_once() {
    let dir = tempfile::tempdir().unwrap();
    write_articles(&dir.path().join("news.jsonl"));

    let first = ingest_and_kill(dir.path(), 1);
    let second = ingest_and_kill(dir.path(), first + 1);
    assert!(
        second < ARTICLES,
        "killed after {second} articles: not mid-ingest"
    );

    let output = ingest(dir.path()).output().unwrap();
    // The progress lines printed as batches commit come first; the summary follows them.
    let summary: String = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !line.starts_with("committed: "))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(output.status.code(), Some(0), "{summary}");
    let already = summary
        .split(" already stored")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(already >= second, "{summary}");
    assert!(
        summary.starts_with(&format!("stored {} articles", ARTICLES - already)),
        "{summary}"
    );

    let conn = rusqlite::Connection::open(dir.path().join("news.db")).unwrap();
    let query = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap() as u64;
    assert_eq!(query("SELECT COUNT(*) FROM articles"), ARTICLES);
    assert_eq!(
        query("SELECT COUNT(DISTINCT title) FROM articles"),
        ARTICLES
    );
    assert_eq!(query("SELECT COUNT(*) FROM rejects"), 0);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}
