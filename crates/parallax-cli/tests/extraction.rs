//! Extraction as a user sees it: `ingest` extracts what it stores, `entities`, `entity` and `article --extract`
//! serve it from the store with canonical ids, and offsets that slice the stored text.

use std::process::{Command, Output};

use serde_json::{Value, json};

const TALKS: &str = "MOSCOW - Abu Marzouk, a member of the Hamas politburo, met Ali Bagheri Kani, Iran's deputy \
    foreign minister, in Moscow on Thursday.\n\n\"Our priority is an immediate ceasefire,\" Bagheri Kani told \
    reporters after the meeting. Russian Deputy Foreign Minister Mikhail Bogdanov also met the two delegations, \
    the Russian Foreign Ministry said.";

/// The next day's report names Abu Marzouk by his surname only.
const FOLLOW_UP: &str = "MOSCOW - Marzouk left Moscow on Friday after a day of talks with Russian officials.\n\n\
    Marzouk said the talks had been useful and that Hamas wanted the release of prisoners. Mikhail Bogdanov did \
    not comment.";

const BUDGET: &str = "HARBOURTON - The Harbourton city council approved a budget of 820 million on Tuesday that \
    pays for a new tram line.\n\nMayor Tomas Brandt said the tram would carry its first passengers in 2027.";

fn line(id: &str, title: &str, date: &str, source: &str, text: &str) -> String {
    json!({"id": id, "title": title, "date": date, "source": source, "text": text}).to_string()
        + "\n"
}

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let ws = Workspace {
            dir: tempfile::tempdir().unwrap(),
        };
        let talks = line(
            "talks",
            "Hamas official meets Iranian diplomat in Moscow",
            "2023-10-27",
            "Wire Service",
            TALKS,
        ) + &line(
            "budget",
            "Harbourton council passes budget",
            "2023-10-27",
            "The Ledger",
            BUDGET,
        );
        let follow = line(
            "follow",
            "Marzouk leaves Moscow after talks",
            "2023-10-28",
            "The Ledger",
            FOLLOW_UP,
        );
        std::fs::write(ws.dir.path().join("talks.jsonl"), talks).unwrap();
        std::fs::write(ws.dir.path().join("follow.jsonl"), follow).unwrap();
        ws
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_parallax"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// Runs a command that must succeed and returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "parallax {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn entities(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["entities", "--json"];
        args.extend_from_slice(extra);
        self.ok(&args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn text_of(&self, article: &str) -> String {
        self.json(&["article", article, "--json"])["text"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

fn find<'a>(entities: &'a [Value], id: &str) -> &'a Value {
    entities
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {entities:#?}"))
}

/// Every span of an item (`start`, `end`, `text`) slices the article's text to its text.
fn check_span(text: &str, span: &Value, what: &str) {
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text.get(start..end),
        span["text"].as_str(),
        "{what} {start}..{end}"
    );
}

#[test]
fn a_surname_in_one_article_joins_the_full_name_in_another() {
    let ws = Workspace::new();
    let output = ws.run(&["ingest", "talks.jsonl", "follow.jsonl"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("extracted 3 articles in "), "{stderr}");

    let entities = ws.entities(&[]);
    let marzouk = find(&entities, "per:abu-marzouk");
    assert_eq!(marzouk["name"], "Abu Marzouk");
    assert_eq!(marzouk["kind"], "person");
    assert_eq!(marzouk["aliases"], json!(["Marzouk"]));
    assert_eq!(marzouk["articles"], 2);
    assert_eq!(marzouk["mentions"], 3);
    assert_eq!(marzouk["stories"], 1);
    assert_eq!(marzouk["roles"], json!(["member of the Hamas politburo"]));
    assert!(
        !entities.iter().any(|e| e["id"] == "per:marzouk"),
        "the surname stands alone: {entities:#?}"
    );
    let kani = find(&entities, "per:ali-bagheri-kani");
    assert_eq!(kani["aliases"], json!(["Bagheri Kani"]));
    assert_eq!(kani["articles"], 1);
    assert_eq!(find(&entities, "per:mikhail-bogdanov")["articles"], 2);
    assert_eq!(find(&entities, "loc:moscow")["name"], "Moscow");

    // The surname, the full name and either id all lead to the same record.
    let record = ws.json(&["entity", "marzouk", "--json"]);
    for asked in ["Abu Marzouk", "per:marzouk", "per:abu-marzouk"] {
        assert_eq!(ws.json(&["entity", asked, "--json"]), record, "{asked}");
    }
    assert_eq!(record["entity"], *marzouk);
    let mentions: Vec<(&str, &str)> = record["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["article"].as_str().unwrap(), m["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        mentions,
        [
            ("follow", "Marzouk"),
            ("follow", "Marzouk"),
            ("talks", "Abu Marzouk")
        ]
    );
    for m in record["mentions"].as_array().unwrap() {
        check_span(&ws.text_of(m["article"].as_str().unwrap()), m, "mention");
        assert_eq!(m["entity"], "per:abu-marzouk");
    }
    let quote = &record["quotes"][0];
    assert_eq!(quote["article"], "follow");
    assert_eq!(quote["quote"]["speaker"]["entity"], "per:abu-marzouk");
    check_span(&ws.text_of("follow"), &quote["quote"]["content"], "quote");
    assert_eq!(record["roles"][0]["affiliation"], "org:hamas");
    check_span(
        &ws.text_of("talks"),
        &json!({
            "start": record["roles"][0]["start"],
            "end": record["roles"][0]["end"],
            "text": record["roles"][0]["title"],
        }),
        "role",
    );
    let stories = record["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0]["articles"], 2);
}

#[test]
fn extracting_in_pages_of_one_gives_what_one_page_gives() {
    let one = Workspace::new();
    one.ok(&["ingest", "talks.jsonl", "follow.jsonl"]);
    let paged = Workspace::new();
    let output = paged.run(&[
        "ingest",
        "talks.jsonl",
        "follow.jsonl",
        "--extract-page",
        "1",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("extracted 3 articles in "), "{stderr}");
    assert_eq!(paged.entities(&[]), one.entities(&[]));
    for id in ["talks", "follow", "budget"] {
        assert_eq!(
            paged.json(&["article", id, "--extract", "--json"]),
            one.json(&["article", id, "--extract", "--json"]),
            "{id}"
        );
    }
}

#[test]
fn an_article_extraction_has_every_item_with_offsets_into_the_stored_text() {
    let ws = Workspace::new();
    ws.ok(&["ingest", "talks.jsonl", "follow.jsonl"]);
    let x = ws.json(&["article", "follow", "--extract", "--json"]);
    let text = ws.text_of("follow");
    assert_eq!(x["article"], "follow");
    let mentions = x["mentions"].as_array().unwrap();
    for m in mentions {
        check_span(&text, m, "mention");
    }
    // The surname carries the canonical id of the full name found in the other article.
    let marzouk: Vec<&Value> = mentions.iter().filter(|m| m["text"] == "Marzouk").collect();
    assert_eq!(marzouk.len(), 2, "{mentions:#?}");
    assert!(marzouk.iter().all(|m| m["entity"] == "per:abu-marzouk"));
    let entity = x["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "per:abu-marzouk")
        .unwrap();
    assert_eq!(entity["name"], "Abu Marzouk");
    let times = x["times"].as_array().unwrap();
    let friday = times.iter().find(|t| t["text"] == "Friday").unwrap();
    assert_eq!(friday["value"], "2023-10-27");
    for t in times {
        check_span(&text, t, "time");
    }
    for q in x["quotes"].as_array().unwrap() {
        check_span(&text, &q["content"], "quote");
    }
    // The text form lists the same items.
    let shown = ws.ok(&["article", "follow", "--extract"]);
    assert!(shown.contains("Marzouk  -> per:abu-marzouk"), "{shown}");
    assert!(shown.contains("Friday  -> DATE 2023-10-27"), "{shown}");
}

#[test]
fn entities_of_one_story_are_counted_within_it() {
    let ws = Workspace::new();
    ws.ok(&["ingest", "talks.jsonl", "follow.jsonl"]);
    let stories: Vec<Value> = ws
        .ok(&["stories", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let budget = stories
        .iter()
        .find(|s| s["headline"] == "Harbourton council passes budget")
        .unwrap();
    let listed = ws.entities(&["--story", budget["id"].as_str().unwrap()]);
    let ids: Vec<&str> = listed.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert!(ids.iter().any(|id| id.ends_with("tomas-brandt")), "{ids:?}");
    assert!(!ids.contains(&"per:abu-marzouk"), "{ids:?}");
    assert!(listed.iter().all(|e| e["articles"] == 1), "{listed:#?}");
    let top = ws.entities(&["--limit", "1"]);
    assert_eq!(top.len(), 1);
    assert_eq!(top[0]["articles"], 2);
    let unknown = ws.run(&["entities", "--story", "s99"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn no_extract_leaves_articles_pending_for_the_next_ingest() {
    let ws = Workspace::new();
    ws.ok(&["ingest", "talks.jsonl", "--no-extract"]);
    let pending = ws.run(&["article", "talks", "--extract"]);
    assert_eq!(pending.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&pending.stderr);
    assert!(stderr.contains("not extracted yet"), "{stderr}");
    assert!(ws.entities(&[]).is_empty());

    let output = ws.run(&["ingest", "follow.jsonl"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("extracted 3 articles"), "{stderr}");
    assert_eq!(find(&ws.entities(&[]), "per:abu-marzouk")["articles"], 2);
    // Nothing is left to extract, so nothing is extracted again.
    let again = ws.run(&["ingest", "follow.jsonl"]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("extracted"));
}

#[test]
fn unknown_entities_and_several_entities_of_one_name_are_told_apart() {
    let ws = Workspace::new();
    ws.ok(&["ingest", "talks.jsonl", "follow.jsonl"]);
    let output = ws.run(&["entity", "Nobody Known"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no entity is named"));
    let shown = ws.ok(&["entity", "Bagheri Kani"]);
    assert!(
        shown.starts_with("per:ali-bagheri-kani  Ali Bagheri Kani  (person)"),
        "{shown}"
    );
    assert!(
        shown.contains("Our priority is an immediate ceasefire"),
        "{shown}"
    );
}

#[test]
fn analyze_names_each_story_s_actors() {
    let ws = Workspace::new();
    let report = ws.json(&["analyze", "talks.jsonl", "follow.jsonl", "--json"]);
    let stories = report["stories"].as_array().unwrap();
    let talks = stories
        .iter()
        .find(|s| s["articles"] == 2)
        .unwrap_or_else(|| panic!("{stories:#?}"));
    let actors: Vec<&str> = talks["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(actors.contains(&"per:abu-marzouk"), "{actors:?}");
    assert!(actors.contains(&"per:mikhail-bogdanov"), "{actors:?}");
    assert_eq!(talks["places"][0]["id"], "loc:moscow");
    assert!(talks["events"].is_array());
    let text = ws.ok(&["analyze", "talks.jsonl"]);
    assert!(text.contains("    actors: "), "{text}");
}
