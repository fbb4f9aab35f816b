//! The `parallax` commands as a user runs them: outputs, exit status, and what ends up in the store.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A scratch folder with a database path, where commands run.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// Runs `parallax ARGS` in the workspace, so the default `parallax.db` lands there.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn jsonl(articles: &[(&str, &str, &str)]) -> String {
    articles
        .iter()
        .map(|(title, date, source)| {
            serde_json::json!({
                "title": title,
                "text": format!("{title}. {ENGLISH}\n\nThe second paragraph says more about {title}."),
                "date": date,
                "source": source,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// Enough plain English that any language detector tells it.
const ENGLISH: &str = "The city council said on Tuesday that the workers would return to the harbour after \
    the talks with the government ended, and that the new agreement would hold for the rest of the year.";

const THREE: &[(&str, &str, &str)] = &[
    ("Harbour reopens", "2023-10-27", "Harbour Ledger"),
    ("Bridge vote delayed", "2023-10-25", "Nordwind"),
    ("Water prices rise", "2023-10-26", "Harbour Ledger"),
];

/// Lines of `parallax articles --json`, parsed.
fn listed(ws: &Workspace) -> Vec<serde_json::Value> {
    let output = ws.run(&["articles", "--json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn ingest_stores_everything_and_exits_0() {
    let ws = Workspace::new();
    ws.write("news.jsonl", &jsonl(THREE));
    let output = ws.run(&["ingest", "news.jsonl"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = stderr(&output);
    assert!(
        summary.starts_with("stored 3 articles, 0 rejected, from 1 file in "),
        "{summary}"
    );
    let mut lines = summary.lines();
    assert!(lines.next().unwrap_or("").ends_with("MB/s"), "{summary}");
    // The second line tells the stories step ran over the new articles.
    let stories = lines.next().unwrap_or("");
    assert!(
        stories.starts_with("assigned 3 articles to stories in "),
        "{summary}"
    );
    assert!(ws.path("parallax.db").exists());
    let titles: Vec<_> = listed(&ws).iter().map(|a| a["title"].clone()).collect();
    assert_eq!(
        titles,
        [
            "Bridge vote delayed",
            "Water prices rise",
            "Harbour reopens"
        ]
    );
}

#[test]
fn ingesting_again_stores_nothing_new_and_says_so() {
    let ws = Workspace::new();
    ws.write("news.jsonl", &jsonl(THREE));
    ws.run(&["ingest", "news.jsonl"]);
    let again = ws.run(&["ingest", "news.jsonl"]);
    assert_eq!(code(&again), 0);
    assert!(
        stderr(&again).starts_with("stored 0 articles (3 already stored), 0 rejected"),
        "{}",
        stderr(&again)
    );
    assert_eq!(listed(&ws).len(), 3);
}

#[test]
fn a_malformed_line_is_rejected_with_its_place_and_the_rest_stored() {
    let ws = Workspace::new();
    let mut lines: Vec<String> = jsonl(&[THREE[0]; 1]).lines().map(str::to_owned).collect();
    for (i, (title, date, source)) in THREE.iter().cycle().take(8).enumerate() {
        let title = format!("{title} {i}");
        lines.push(jsonl(&[(&title, date, source)]).trim_end().to_owned());
    }
    lines[6] = r#"{"title": "cut off"#.to_owned();
    ws.write("feed.jsonl", &(lines.join("\n") + "\n"));
    let output = ws.run(&["ingest", "feed.jsonl", "--db", "other.db"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("feed.jsonl:line 7: malformed JSON"), "{err}");
    assert!(
        err.contains("stored 8 articles, 1 rejected, from 1 file"),
        "{err}"
    );

    let rejects = ws.run(&["rejects", "--db", "other.db"]);
    assert_eq!(code(&rejects), 0);
    assert!(
        stdout(&rejects).starts_with("feed.jsonl:line 7: malformed JSON"),
        "{}",
        stdout(&rejects)
    );
    let json = ws.run(&["rejects", "--db", "other.db", "--json"]);
    let reject: serde_json::Value = serde_json::from_str(stdout(&json).trim()).unwrap();
    assert_eq!(
        reject["origin"],
        serde_json::json!({"path": "feed.jsonl", "line": 7})
    );
    assert!(
        reject["reason"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON")
    );
}

#[test]
fn reads_directories_and_standard_input() {
    let ws = Workspace::new();
    ws.write("in/a.jsonl", &jsonl(&THREE[..1]));
    ws.write("in/deeper/b.jsonl", &jsonl(&THREE[1..2]));
    let output = ws.run_with_stdin(&["ingest", "in", "-"], &jsonl(&THREE[2..]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("stored 3 articles, 0 rejected, from 3 files"),
        "{}",
        stderr(&output)
    );
    let list = ws.run(&["articles"]);
    let text = stdout(&list);
    assert_eq!(text.lines().count(), 3, "{text}");
    let first: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(&first[1..4], ["2023-10-25", "Nordwind", "en"], "{text}");
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("Bridge vote delayed"),
        "{text}"
    );
}

#[test]
fn article_shows_the_whole_record_by_id_or_prefix() {
    let ws = Workspace::new();
    ws.write(
        "one.jsonl",
        &(serde_json::json!({
            "id": "story-42", "title": "Harbour reopens", "text": format!("The harbour reopened. {ENGLISH}\n\nShips came in."),
            "date": "2023-10-27T09:30", "source": "Harbour Ledger", "event": "harbour-1"
        })
        .to_string()
            + "\n"),
    );
    ws.run(&["ingest", "one.jsonl"]);
    let output = ws.run(&["article", "story-4", "--json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let record: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(record["id"], "story-42");
    assert_eq!(record["date"], "2023-10-27T09:30");
    assert_eq!(
        record["text"],
        format!("The harbour reopened. {ENGLISH}\n\nShips came in.")
    );
    assert_eq!(
        record["origin"],
        serde_json::json!({"path": "one.jsonl", "line": 1})
    );
    assert_eq!(record["attributes"]["event"], "harbour-1");
    assert_eq!(record["sections"][0]["start"], 0);
    assert_eq!(record["provenance"]["language"], "detected");

    let text = stdout(&ws.run(&["article", "story-42"]));
    assert!(text.contains("title     Harbour reopens"), "{text}");
    assert!(text.contains("language  en  (detected)"), "{text}");
    assert!(text.contains("origin    one.jsonl:line 1"), "{text}");
    assert!(text.contains("event"), "{text}");
    assert!(text.contains("Ships came in."), "{text}");
}

#[test]
fn article_names_the_problem_when_the_id_is_unknown_or_ambiguous() {
    let ws = Workspace::new();
    let two = [
        r#"{"id": "ab1", "text": "First text."}"#,
        r#"{"id": "ab2", "text": "Second text."}"#,
    ];
    ws.write("two.jsonl", &(two.join("\n") + "\n"));
    ws.run(&["ingest", "two.jsonl"]);
    let ambiguous = ws.run(&["article", "ab"]);
    assert_eq!(code(&ambiguous), 2);
    assert!(
        stderr(&ambiguous).contains("ab1, ab2"),
        "{}",
        stderr(&ambiguous)
    );
    let unknown = ws.run(&["article", "zz"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("no article"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn analyze_ingests_and_reports_what_the_store_holds() {
    let ws = Workspace::new();
    ws.write("news.jsonl", &jsonl(THREE));
    let output = ws.run(&["analyze", "news.jsonl"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.starts_with("3 articles from 2 sources in 1 language, 2023-10-25 to 2023-10-27"),
        "{report}"
    );
    assert!(report.contains("Harbour Ledger  2"), "{report}");
    assert!(report.contains("Bridge vote delayed"), "{report}");

    let json = ws.run(&["analyze", "news.jsonl", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["articles"], 3);
    assert_eq!(
        report["sources"][0],
        serde_json::json!({"name": "Harbour Ledger", "articles": 2})
    );
    assert_eq!(report["article_list"].as_array().unwrap().len(), 3);
}

#[test]
fn usage_and_fatal_errors_exit_2() {
    let ws = Workspace::new();
    assert_eq!(code(&ws.run(&["ingest"])), 2);
    assert_eq!(code(&ws.run(&["no-such-command"])), 2);
    let missing = ws.run(&["articles", "--db", "nothing-here.db"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("no database at nothing-here.db"),
        "{}",
        stderr(&missing)
    );
    assert!(!ws.path("nothing-here.db").exists());
    ws.write(
        "not-a-db",
        "plain text, not SQLite, long enough to have a header of sorts...........",
    );
    let garbage = ws.run(&["ingest", "--db", "not-a-db", "-"]);
    assert_eq!(code(&garbage), 2, "{}", stderr(&garbage));
}

#[test]
fn a_missing_input_is_a_reject_and_the_rest_is_stored() {
    let ws = Workspace::new();
    ws.write("news.jsonl", &jsonl(THREE));
    let output = ws.run(&["ingest", "news.jsonl", "missing.txt"]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("missing.txt: cannot read"),
        "{}",
        stderr(&output)
    );
    assert_eq!(listed(&ws).len(), 3);
    let rejects = stdout(&ws.run(&["rejects"]));
    assert!(rejects.starts_with("missing.txt: cannot read"), "{rejects}");
}

#[test]
fn ingest_keeps_the_search_index_beside_the_store_and_index_rebuilds_it() {
    let ws = Workspace::new();
    ws.write(
        "in/a.jsonl",
        concat!(
            r#"{"title": "Dockers strike in Quayport", "text": "Dock workers in Quayport walked out on Monday over pay.", "source": "WNB News", "date": "2024-07-01"}"#,
            "\n",
        ),
    );
    let output = ws.run(&["ingest", "in"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(ws.path("parallax.db.index/meta.json").is_file());
    // An index lost or never made is built again from the store.
    std::fs::remove_dir_all(ws.path("parallax.db.index")).unwrap();
    let output = ws.run(&["index", "--rebuild"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("indexed 1 article in"),
        "{}",
        stderr(&output)
    );
    let missing = ws.run(&["index", "--rebuild", "--db", "nothing.db"]);
    assert_eq!(missing.status.code(), Some(2));
}
