//! The `parallax` binary against the hostile-but-fair inputs of the "no input can take down a batch" issue: each is
//! stored or listed by `parallax rejects`, the rest of the batch is stored, and two writers share one store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn parallax(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn article_file(dir: &Path, name: &str, title: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!("{title}\n\nMinisters met in Varnholm on Monday to talk about {title}.\n"),
    )
    .unwrap();
    path
}

fn listed(dir: &Path) -> Vec<serde_json::Value> {
    let output = parallax(dir, &["articles", "--json"]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn deeply_nested_html_is_stored_or_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from("<!DOCTYPE html><html><body><p>Ministers met in Varnholm.</p>");
    page.push_str(&"<div><span><b>".repeat(1_500));
    page.push_str("</body></html>");
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/deep.html"), page).unwrap();
    article_file(dir.path(), "in/good.txt", "Ceasefire");
    let output = parallax(dir.path(), &["ingest", "in", "--no-extract"]);
    assert!(matches!(code(&output), 0 | 1), "{}", text(&output.stderr));
    let stored = listed(dir.path()).len();
    let rejected = text(&parallax(dir.path(), &["rejects"]).stdout)
        .lines()
        .count();
    assert_eq!(stored + rejected, 2);
    assert!(stored >= 1);
}

#[test]
fn input_past_size_limit_is_rejected_and_rest_stored() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(
        dir.path().join("in/giant.txt"),
        "Giant\n\n".to_owned() + &"word ".repeat(10_000),
    )
    .unwrap();
    article_file(dir.path(), "in/good.txt", "Ceasefire");
    let output = parallax(
        dir.path(),
        &["ingest", "in", "--max-input-size", "8K", "--no-extract"],
    );
    assert_eq!(code(&output), 1, "{}", text(&output.stderr));
    assert_eq!(listed(dir.path()).len(), 1);
    let rejects = text(&parallax(dir.path(), &["rejects"]).stdout);
    assert!(
        rejects.contains("giant.txt") && rejects.contains("larger than the limit of 8192 bytes"),
        "{rejects}"
    );
    let output = parallax(dir.path(), &["ingest", "in", "--max-input-size", "lots"]);
    assert_eq!(code(&output), 2);
}

#[test]
fn empty_db_path_is_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    article_file(dir.path(), "a.txt", "Ceasefire");
    for args in [
        &["ingest", "a.txt", "--db", ""][..],
        &["articles", "--db", ""][..],
        &["rejects", "--db", ""][..],
    ] {
        let output = parallax(dir.path(), args);
        assert_eq!(code(&output), 2, "{args:?}: {}", text(&output.stderr));
        assert!(
            !text(&output.stderr).contains("stored"),
            "{}",
            text(&output.stderr)
        );
    }
}

#[test]
fn reader_on_zero_byte_file_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.db"), b"").unwrap();
    for command in ["articles", "rejects", "stories"] {
        let output = parallax(dir.path(), &[command, "--db", "empty.db"]);
        assert_eq!(code(&output), 2, "{command}");
        assert!(
            text(&output.stderr).contains("not a Parallax database"),
            "{}",
            text(&output.stderr)
        );
    }
    assert_eq!(
        std::fs::metadata(dir.path().join("empty.db"))
            .unwrap()
            .len(),
        0
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_file_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"in/caf\xE9.txt");
    std::fs::write(
        dir.path().join(name),
        "Cafe\n\nMinisters met in Varnholm on Monday.\n",
    )
    .unwrap();
    // Named directly: the argument parser takes it as the bytes it is.
    let output = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("ingest")
        .arg(name)
        .args(["--db", "direct.db", "--no-extract"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    // In a directory, beside a name with a newline, whose reject line stays one line.
    std::fs::write(dir.path().join("in/bad\nname.json"), "[[[").unwrap();
    let output = parallax(dir.path(), &["ingest", "in", "--no-extract"]);
    assert_eq!(code(&output), 1, "{}", text(&output.stderr));
    let listed = listed(dir.path());
    assert_eq!(listed.len(), 1);
    let id = listed[0]["id"].as_str().unwrap();
    let record = text(&parallax(dir.path(), &["article", id, "--json"]).stdout);
    assert!(record.contains("caf\\\\xE9.txt"), "{record}");
    let rejects = text(&parallax(dir.path(), &["rejects"]).stdout);
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
    assert!(rejects.contains("bad\\nname.json"), "{rejects}");
}

#[test]
fn progress_is_printed_as_batches_commit() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        article_file(
            dir.path(),
            &format!("in/{i}.txt"),
            &format!("Story number {i}"),
        );
    }
    let output = parallax(
        dir.path(),
        &["ingest", "in", "--batch-items", "2", "--no-extract"],
    );
    assert_eq!(code(&output), 0);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("committed: 2 articles stored so far (0 already stored), 0 rejected"),
        "{stderr}"
    );
}

/// Two ingests started together on a new database: both succeed, every input of each is stored, and each
/// article is extracted once.
#[test]
fn two_ingests_on_new_database() {
    for trial in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..20 {
            article_file(
                dir.path(),
                &format!("a/{i}.txt"),
                &format!("Alpha report {i} of trial {trial}"),
            );
            article_file(
                dir.path(),
                &format!("b/{i}.txt"),
                &format!("Beta report {i} of trial {trial}"),
            );
        }
        let spawn = |input: &str| {
            Command::new(env!("CARGO_BIN_EXE_parallax"))
                .args(["ingest", input, "--batch-items", "3"])
                .current_dir(dir.path())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("a"), spawn("b"));
        let mut extracted = 0;
        for child in [a, b] {
            let output = child.wait_with_output().unwrap();
            let stderr = text(&output.stderr);
            assert_eq!(code(&output), 0, "{stderr}");
            extracted += stderr
                .split("extracted ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .map_or(0, |n| n.parse::<u64>().unwrap());
        }
        // Before the writers took turns, both often extracted all 40 pending articles.
        assert_eq!(extracted, 40);
        assert_eq!(listed(dir.path()).len(), 40);
        let output = parallax(dir.path(), &["ingest", "a", "b"]);
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("stored 0 articles (40 already stored)"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("extracted"),
            "everything was extracted once: {stderr}"
        );
    }
}

/// Issue 16, case 3: an article past the extraction piece size is extracted and stored a piece at a time; what
/// `article --extract` reads back covers every piece, with offsets into the stored text.
#[test]
fn giant_article_is_extracted_and_stored_piece_by_piece() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph =
        "Rescue teams searched the rubble in San Telmo on Tuesday, the agency said.\n\n";
    let mut body = paragraph.repeat((1 << 20) / paragraph.len() + 200);
    body.push_str(
        "Lucía Ferrándiz, director of the agency, said \"every family is accounted for\".\n",
    );
    std::fs::write(
        dir.path().join("giant.txt"),
        format!("Title: Quake\nDate: 2024-03-12\n\n{body}"),
    )
    .unwrap();
    let output = parallax(dir.path(), &["ingest", "giant.txt"]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    let id = listed(dir.path())[0]["id"].as_str().unwrap().to_owned();
    let article: serde_json::Value =
        serde_json::from_slice(&parallax(dir.path(), &["article", &id, "--json"]).stdout).unwrap();
    let stored = article["text"].as_str().unwrap();
    let output = parallax(dir.path(), &["article", &id, "--extract", "--json"]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mentions = found["mentions"].as_array().unwrap();
    let last = mentions.last().unwrap();
    assert_eq!(last["text"], "Lucía Ferrándiz");
    assert!(
        last["start"].as_u64().unwrap() > 1 << 20,
        "the last piece was stored"
    );
    for m in mentions {
        let (start, end) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
        assert_eq!(
            &stored[start as usize..end as usize],
            m["text"].as_str().unwrap()
        );
    }
    assert!(found["quotes"].as_array().unwrap().iter().any(|q| {
        q["content"]["text"]
            .as_str()
            .unwrap()
            .contains("every family")
    }));
}
