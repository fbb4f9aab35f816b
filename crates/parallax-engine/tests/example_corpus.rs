//! The example corpus in `examples/corpus/`, read through the same front door a user's files go through, checked
//! against what its authors wrote down in `examples/corpus-truth.json`.
//!
//! Three tests: one that the truth file and the corpus agree with each other (which files exist, which stories and
//! articles the references name), so neither drifts when the other is edited; one that every article comes out
//! of the readers with the metadata the truth file expects, and that no file is rejected; and one that the story
//! clusterer groups the corpus exactly as the truth file does (issue 3).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use parallax_engine::cluster::{ClusterConfig, StoryClusterer};
use parallax_engine::compare::{CompareConfig, SourceUnit, compare_story};
use parallax_engine::eval::publication_order;
use parallax_engine::extract::{Recogniser, extract_article};
use parallax_engine::ingest::{Item, discover_inputs, read_file};
use parallax_model::{Article, Comparison, Extraction, FieldSource, Place, PubDate, Reach, Reject};
use serde::Deserialize;

/// The truth file, as documented in `examples/README.md`. Only the parts these tests check are read.
#[derive(Debug, Deserialize)]
struct Truth {
    /// The corpus directory, relative to the truth file.
    corpus: String,
    outlets: Vec<Outlet>,
    articles: Vec<Expected>,
    stories: Vec<Story>,
}

#[derive(Debug, Deserialize)]
struct Outlet {
    name: String,
}

/// What one article must look like once read.
#[derive(Debug, Deserialize)]
struct Expected {
    key: String,
    /// Path under the corpus directory.
    file: String,
    place: ExpectedPlace,
    story: String,
    outlet: String,
    title: Option<String>,
    /// The input gives no title: the reader must derive one and say so in the provenance.
    title_derived: bool,
    date: String,
    source: Option<String>,
    language: String,
    dateline: Option<String>,
    byline: Option<String>,
    url: Option<String>,
    wire_copy_of: Option<String>,
    #[serde(default)]
    sections: Vec<ExpectedSection>,
}

/// Where in a multi-article file the article is. A WARC record may be named by its number among all records, by
/// its number among response records, or by the byte offset where it starts (in the decompressed stream).
#[derive(Debug, Default, Deserialize)]
struct ExpectedPlace {
    line: Option<u64>,
    record: Option<u64>,
    response: Option<u64>,
    offset: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct ExpectedSection {
    heading: Option<String>,
    story: String,
}

#[derive(Debug, Deserialize)]
struct Story {
    id: String,
    /// The storyline: the stories of one developing situation.
    storyline: String,
    hard_negative_of: Option<String>,
    quotes: Vec<Quote>,
    /// Article key -> the facts that article adds that the others do not, `;`-separated.
    #[serde(default)]
    extra_facts: BTreeMap<String, String>,
    #[serde(default)]
    framing: Vec<Framing>,
    #[serde(default)]
    entities: Vec<TruthEntity>,
}

/// A person, organisation or place the story's authors list.
#[derive(Debug, Deserialize)]
struct TruthEntity {
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize)]
struct Framing {
    actor: String,
    labels: Vec<FramingLabel>,
}

#[derive(Debug, Deserialize)]
struct FramingLabel {
    article: String,
    label: String,
}

#[derive(Debug, Deserialize)]
struct Quote {
    speaker: String,
    wordings: Vec<Wording>,
}

#[derive(Debug, Deserialize)]
struct Wording {
    article: String,
    text: String,
}

fn examples_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples")).to_path_buf()
}

fn load_truth() -> (Truth, PathBuf) {
    let path = examples_dir().join("corpus-truth.json");
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let truth: Truth = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{} does not match its schema: {e}", path.display()));
    let corpus = examples_dir().join(&truth.corpus);
    (truth, corpus)
}

/// Every regular file under `dir`, as paths relative to it with `/` separators.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("corpus directory is readable") {
            let path = entry.expect("corpus entry is readable").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("under the root");
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn truth_file_and_corpus_agree() {
    let (truth, corpus) = load_truth();
    let mut problems = Vec::new();

    let listed: BTreeSet<String> = truth.articles.iter().map(|a| a.file.clone()).collect();
    let on_disk = files_under(&corpus);
    for file in on_disk.difference(&listed) {
        problems.push(format!(
            "{file}: in the corpus but no article of the truth file comes from it"
        ));
    }
    for file in listed.difference(&on_disk) {
        problems.push(format!(
            "{file}: named by the truth file but not in the corpus"
        ));
    }

    let stories: BTreeSet<&str> = truth.stories.iter().map(|s| s.id.as_str()).collect();
    let keys: BTreeSet<&str> = truth.articles.iter().map(|a| a.key.as_str()).collect();
    let outlets: BTreeSet<&str> = truth.outlets.iter().map(|o| o.name.as_str()).collect();
    if keys.len() != truth.articles.len() {
        problems.push("article keys are not unique".to_owned());
    }
    for article in &truth.articles {
        let key = &article.key;
        if !stories.contains(article.story.as_str()) {
            problems.push(format!("{key}: unknown story {}", article.story));
        }
        if !outlets.contains(article.outlet.as_str()) {
            problems.push(format!("{key}: unknown outlet {}", article.outlet));
        }
        if let Some(original) = &article.wire_copy_of
            && (!keys.contains(original.as_str()) || original == key)
        {
            problems.push(format!("{key}: wire copy of unknown article {original}"));
        }
        if article.title.is_none() != article.title_derived {
            problems.push(format!("{key}: a title is either given or derived"));
        }
        if article.date.parse::<PubDate>().is_err() {
            problems.push(format!("{key}: date {} is not ISO 8601", article.date));
        }
        for section in &article.sections {
            if !stories.contains(section.story.as_str()) {
                problems.push(format!("{key}: section of unknown story {}", section.story));
            }
        }
    }
    for story in &truth.stories {
        if let Some(other) = &story.hard_negative_of
            && !stories.contains(other.as_str())
        {
            problems.push(format!(
                "{}: hard negative of unknown story {other}",
                story.id
            ));
        }
        for quote in &story.quotes {
            for wording in &quote.wordings {
                if !keys.contains(wording.article.as_str()) {
                    problems.push(format!(
                        "{}: quote by {} in unknown article {}",
                        story.id, quote.speaker, wording.article
                    ));
                }
            }
        }
    }

    // The corpus is what the ingestion issue asks for: enough articles, outlets, events and languages.
    let languages: BTreeSet<&str> = truth.articles.iter().map(|a| a.language.as_str()).collect();
    let wire_copies = truth
        .articles
        .iter()
        .filter(|a| a.wire_copy_of.is_some())
        .count();
    let two_items = truth
        .articles
        .iter()
        .filter(|a| a.sections.len() >= 2)
        .count();
    for (what, have, need) in [
        ("articles", truth.articles.len(), 48),
        ("outlets", outlets.len(), 7),
        ("stories", stories.len(), 9),
        ("languages", languages.len(), 3),
        ("wire copies", wire_copies, 2),
        ("files with two items", two_items, 1),
    ] {
        if have < need {
            problems.push(format!("{have} {what}, want at least {need}"));
        }
    }

    assert!(
        problems.is_empty(),
        "truth file problems:\n  {}",
        problems.join("\n  ")
    );
}

/// Whether `place` is where `expected` says the article is.
fn place_matches(place: Place, expected: &ExpectedPlace) -> bool {
    match place {
        Place::Line(n) => expected.line == Some(n),
        Place::Record(n) => expected.record == Some(n) || expected.response == Some(n),
        Place::Offset(n) => expected.offset == Some(n),
        _ => false,
    }
}

/// Compares one article with its expectation and returns what differs, in words.
fn differences(article: &Article, expected: &Expected) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, have: Option<&str>, want: Option<&str>| {
        if want.is_some() && have != want {
            out.push(format!("{name}: got {have:?}, want {want:?}"));
        }
    };
    field("title", Some(&article.title), expected.title.as_deref());
    field(
        "source",
        article.source.as_deref(),
        expected.source.as_deref(),
    );
    field(
        "language",
        article.language.as_deref(),
        Some(&expected.language),
    );
    field(
        "dateline",
        article.dateline.as_deref(),
        expected.dateline.as_deref(),
    );
    field(
        "byline",
        article.byline.as_deref(),
        expected.byline.as_deref(),
    );
    field("url", article.url.as_deref(), expected.url.as_deref());

    if expected.title_derived {
        if article.title.trim().is_empty() {
            out.push("title: empty, want one derived from the text".to_owned());
        }
        if article.provenance.get("title") != Some(&FieldSource::Derived) {
            out.push(format!(
                "title provenance: got {:?}, want Derived",
                article.provenance.get("title")
            ));
        }
    }
    let want_date: PubDate = expected
        .date
        .parse()
        .expect("checked by truth_file_and_corpus_agree");
    if article.date != Some(want_date) {
        out.push(format!(
            "date: got {:?}, want {want_date}",
            article.date.map(|d| d.to_string())
        ));
    }
    if !expected.sections.is_empty() {
        let have: Vec<Option<&str>> = article
            .sections
            .iter()
            .map(|s| s.heading.as_deref())
            .collect();
        let want: Vec<Option<&str>> = expected
            .sections
            .iter()
            .map(|s| s.heading.as_deref())
            .collect();
        if have != want {
            out.push(format!("section headings: got {have:?}, want {want:?}"));
        }
    }
    if article.text.trim().is_empty() {
        out.push("text: empty".to_owned());
    }
    out
}

#[test]
fn every_corpus_article_is_read_with_its_metadata() {
    let (truth, corpus) = load_truth();
    let root = corpus.to_string_lossy().into_owned();

    let mut rejects: Vec<Reject> = Vec::new();
    let mut read: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    let mut sink = |item: Item| match item {
        Item::Article(article) => {
            let relative = Path::new(&article.origin.path)
                .strip_prefix(&corpus)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| article.origin.path.clone());
            read.entry(relative).or_default().push(*article);
        }
        Item::Reject(reject) => rejects.push(reject),
    };
    let inputs = discover_inputs(std::slice::from_ref(&root), &mut sink);
    for input in &inputs {
        read_file(input, &mut sink);
    }

    let mut problems: Vec<String> = rejects
        .iter()
        .map(|r| format!("rejected {}: {}", r.origin, r.reason))
        .collect();

    let mut expected_per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for expected in &truth.articles {
        *expected_per_file.entry(expected.file.as_str()).or_default() += 1;
    }
    for (file, want) in &expected_per_file {
        let have = read.get(*file).map_or(0, Vec::len);
        if have != *want {
            problems.push(format!("{file}: {have} articles read, want {want}"));
        }
    }
    for file in read.keys() {
        if !expected_per_file.contains_key(file.as_str()) {
            problems.push(format!(
                "{file}: articles read from a file the truth file does not list"
            ));
        }
    }

    for expected in &truth.articles {
        let candidates = read.get(&expected.file).map_or(&[][..], Vec::as_slice);
        let found = locate(
            candidates,
            expected,
            expected_per_file[expected.file.as_str()] == 1,
        );
        let Some(article) = found else {
            problems.push(format!("{} ({}): not read", expected.key, expected.file));
            continue;
        };
        for difference in differences(article, expected) {
            problems.push(format!(
                "{} ({}): {difference}",
                expected.key, article.origin
            ));
        }
    }

    assert!(
        problems.is_empty(),
        "{} problems reading the example corpus:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Every article of the corpus, read through the front door, keyed by its path under the corpus directory.
fn read_corpus(corpus: &Path) -> BTreeMap<String, Vec<Article>> {
    let root = corpus.to_string_lossy().into_owned();
    let mut read: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    let mut sink = |item: Item| {
        if let Item::Article(article) = item {
            let relative = Path::new(&article.origin.path)
                .strip_prefix(corpus)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| article.origin.path.clone());
            read.entry(relative).or_default().push(*article);
        }
    };
    let inputs = discover_inputs(std::slice::from_ref(&root), &mut sink);
    for input in &inputs {
        read_file(input, &mut sink);
    }
    read
}

/// Issue 3: the corpus's own truth is matched exactly: every pair of units (articles, or the sections of a file
/// with several items) shares a story exactly when the truth file puts them in one, across outlets and languages,
/// and the two similar fires stay apart.
#[test]
fn stories_match_the_truth_exactly() {
    let (truth, corpus) = load_truth();
    let read = read_corpus(&corpus);
    let mut articles: Vec<(&Expected, &Article)> = Vec::new();
    for expected in &truth.articles {
        let candidates = read.get(&expected.file).map_or(&[][..], Vec::as_slice);
        let found = locate(candidates, expected, true);
        let article =
            found.unwrap_or_else(|| panic!("{} ({}): not read", expected.key, expected.file));
        articles.push((expected, article));
    }

    let order = publication_order(articles.iter().map(|(_, a)| *a));
    let mut clusterer = StoryClusterer::new(ClusterConfig::default());
    // (unit name, truth story, Parallax story)
    let mut units: Vec<(String, &str, u64)> = Vec::new();
    for &i in &order {
        let (expected, article) = articles[i];
        let assignment = clusterer.assign(article);
        if expected.sections.len() >= 2 {
            assert_eq!(
                assignment.units.len(),
                expected.sections.len(),
                "{}: sections read as units",
                expected.key
            );
            for (n, (unit, section)) in assignment.units.iter().zip(&expected.sections).enumerate()
            {
                units.push((
                    format!("{}#{n}", expected.key),
                    &section.story,
                    unit.story.0,
                ));
            }
        } else {
            let story = assignment.story().expect("an article gets a story").0;
            units.push((expected.key.clone(), &expected.story, story));
        }
    }

    let mut problems = Vec::new();
    for (i, a) in units.iter().enumerate() {
        for b in &units[i + 1..] {
            let together = a.2 == b.2;
            let should = a.1 == b.1;
            if together != should {
                problems.push(format!(
                    "{} ({}) and {} ({}): {}",
                    a.0,
                    a.1,
                    b.0,
                    b.1,
                    if together {
                        "put together, truth keeps them apart"
                    } else {
                        "kept apart, truth puts them together"
                    }
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} unit pairs disagree with the truth file:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Issue 13: the corpus's storylines are matched exactly too: the quake and, seven weeks on, its reconstruction
/// plan are two stories of one storyline, as are the Lyon ruling and the appeal a month later; every other story is
/// a storyline of its own (the two factory fires stay apart).
#[test]
fn storylines_match_the_truth_exactly() {
    let (truth, corpus) = load_truth();
    let read = read_corpus(&corpus);
    let line_of: BTreeMap<&str, &str> = truth
        .stories
        .iter()
        .map(|s| (s.id.as_str(), s.storyline.as_str()))
        .collect();
    let mut articles: Vec<(&Expected, &Article)> = Vec::new();
    for expected in &truth.articles {
        let candidates = read.get(&expected.file).map_or(&[][..], Vec::as_slice);
        let article = locate(candidates, expected, true)
            .unwrap_or_else(|| panic!("{} ({}): not read", expected.key, expected.file));
        articles.push((expected, article));
    }
    let order = publication_order(articles.iter().map(|(_, a)| *a));
    let mut clusterer = StoryClusterer::new(ClusterConfig::default());
    // (unit name, truth story, Parallax story, Parallax storyline), and each one's unit
    let mut units: Vec<(String, &str, u64, u64)> = Vec::new();
    let mut order_units: Vec<parallax_model::StoryUnit> = Vec::new();
    for &i in &order {
        let (expected, article) = articles[i];
        let assignment = clusterer.assign(article);
        let stories: Vec<&str> = if expected.sections.len() >= 2 {
            expected.sections.iter().map(|s| s.story.as_str()).collect()
        } else {
            vec![expected.story.as_str()]
        };
        for (n, (unit, story)) in assignment.units.iter().zip(stories).enumerate() {
            order_units.push(unit.unit.clone());
            units.push((
                format!("{}#{n}", expected.key),
                story,
                unit.story.0,
                unit.storyline.0,
            ));
        }
        for m in &assignment.merged {
            for unit in &mut units {
                if unit.2 == m.from.0 {
                    unit.2 = m.into.0;
                }
            }
        }
        for m in &assignment.moved {
            for (unit, (_, _, story, line)) in order_units.iter().zip(&mut units) {
                if *unit == m.unit {
                    (*story, *line) = (m.to.0, m.storyline.0);
                }
            }
        }
        for l in &assignment.linked {
            for unit in &mut units {
                if unit.3 == l.from.0 {
                    unit.3 = l.into.0;
                }
            }
        }
    }
    let mut problems = Vec::new();
    for (i, a) in units.iter().enumerate() {
        for b in &units[i + 1..] {
            let (line_a, line_b) = (line_of[a.1], line_of[b.1]);
            let stories_right = (a.2 == b.2) == (a.1 == b.1);
            let lines_right = (a.3 == b.3) == (line_a == line_b);
            if !stories_right || !lines_right {
                problems.push(format!(
                    "{} ({} in {line_a}) and {} ({} in {line_b}): stories {}, storylines {}",
                    a.0,
                    a.1,
                    b.0,
                    b.1,
                    if a.2 == b.2 { "together" } else { "apart" },
                    if a.3 == b.3 { "together" } else { "apart" },
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} unit pairs disagree with the truth file:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The article read from an expected article's file that the truth describes: the file's only article when
/// `sole_expected` (the truth lists one article for the file), else the one at the expected place, else the one
/// with the expected URL (a WARC reader may number records differently: the record's URL identifies it too).
fn locate<'a>(
    candidates: &'a [Article],
    expected: &Expected,
    sole_expected: bool,
) -> Option<&'a Article> {
    if sole_expected && candidates.len() == 1 {
        return candidates.first();
    }
    candidates
        .iter()
        .find(|a| place_matches(a.origin.place, &expected.place))
        .or_else(|| {
            let url = expected.url.as_deref()?;
            candidates.iter().find(|a| a.url.as_deref() == Some(url))
        })
}

/// The words of a text as compared here: lower case, letters and digits, whitespace folded.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The names and figures of a fact as the truth file words it: numbers (thousands separators dropped) and
/// capitalised words, with possessives and hyphenated suffixes cut ("Marisol's" -> "Marisol", "12-hour" -> "12").
fn anchors(fact: &str) -> Vec<String> {
    fact.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .map(|w| w.split(['’', '\'']).next().unwrap_or(w))
        .map(|w| w.split('-').next().unwrap_or(w))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_digit() || c.is_uppercase()))
        .map(|w| w.replace(',', ""))
        .collect()
}

/// Issue 12: every story of the example corpus compared as the truth file tells it: each article's extra facts are
/// shown as that source's own (a statement no other source makes, or a detail only its wording gives), each quote's
/// wordings in the outlets that are not copies are one group, and every span shown is the article's exact text.
#[test]
fn every_story_comparison_matches_the_truth() {
    let (truth, corpus) = load_truth();
    let read = read_corpus(&corpus);
    let recogniser = Recogniser::find();
    let mut facts = (0, Vec::new());
    let mut quotes = (0, Vec::new());
    let mut labels = (0, Vec::new());
    for story in &truth.stories {
        // The story's units, as the truth file gives them.
        let mut members: Vec<(&Expected, &Article, Option<usize>)> = Vec::new();
        for expected in &truth.articles {
            let in_story: Vec<Option<usize>> = if expected.sections.len() >= 2 {
                (0..expected.sections.len())
                    .filter(|&n| expected.sections[n].story == story.id)
                    .map(Some)
                    .collect()
            } else if expected.story == story.id {
                vec![None]
            } else {
                continue;
            };
            let candidates = read.get(&expected.file).map_or(&[][..], Vec::as_slice);
            let article = locate(candidates, expected, true).expect("the corpus is read");
            members.extend(in_story.into_iter().map(|s| (expected, article, s)));
        }
        let extractions: Vec<Extraction> = members
            .iter()
            .map(|(_, a, _)| extract_article(a, &recogniser))
            .collect();
        let key_of = |id: &parallax_model::ArticleId| {
            members
                .iter()
                .find(|(_, a, _)| a.id == *id)
                .map(|(e, _, _)| e.key.as_str())
        };
        let ids: BTreeMap<&str, &parallax_model::ArticleId> = members
            .iter()
            .map(|(e, a, _)| (e.key.as_str(), &a.id))
            .collect();
        let units: Vec<SourceUnit<'_>> = members
            .iter()
            .zip(&extractions)
            .map(|((expected, article, section), extraction)| SourceUnit {
                article,
                section: *section,
                extraction,
                duplicate_of: expected
                    .wire_copy_of
                    .as_deref()
                    .and_then(|of| ids.get(of).copied())
                    .map(|of| (of, 0.9)),
                vectors: None,
            })
            .collect();
        let c: Comparison = compare_story(None, &units, &CompareConfig::default());

        // Every span is the exact text of its article.
        let text_of = |id: &parallax_model::ArticleId| {
            members
                .iter()
                .find(|(_, a, _)| a.id == *id)
                .map(|(_, a, _)| a.text.as_str())
                .unwrap()
        };
        for g in &c.statements {
            for s in &g.statements {
                assert_eq!(
                    &text_of(&s.unit.article)[s.span.start..s.span.end],
                    s.span.text
                );
                for d in &s.only_here {
                    assert_eq!(&text_of(&s.unit.article)[d.start..d.end], d.text);
                }
            }
        }
        for q in &c.quotes {
            for w in &q.wordings {
                assert_eq!(
                    &text_of(&w.unit.article)[w.content.start..w.content.end],
                    w.content.text
                );
            }
        }

        // Each extra fact: shown as the source's own.
        for (key, list) in &story.extra_facts {
            for fact in list.split(';').map(str::trim).filter(|f| !f.is_empty()) {
                let wanted = anchors(fact);
                if wanted.is_empty() {
                    continue;
                }
                let own = c.statements.iter().any(|g| {
                    g.statements.iter().any(|s| {
                        key_of(&s.unit.article) == Some(key.as_str())
                            && wanted.iter().all(|a| {
                                s.span.text.replace(['.', ','], "").contains(a.as_str())
                                    || s.span.text.contains(a.as_str())
                            })
                            && (g.reach == Reach::One
                                || wanted.iter().any(|a| {
                                    s.only_here.iter().any(|d| {
                                        d.text.replace([',', '.'], "").contains(a.as_str())
                                    })
                                }))
                    })
                });
                facts.0 += 1;
                if !own {
                    facts.1.push(format!("{}: {key}: {fact}", story.id));
                }
            }
        }

        // Each label the truth gives an actor in an article: among that actor's labels for the article's source.
        for framing in &story.framing {
            let surname = framing
                .actor
                .split_whitespace()
                .last()
                .unwrap_or(&framing.actor)
                .to_lowercase();
            for label in &framing.labels {
                let Some(id) = ids.get(label.article.as_str()) else {
                    continue;
                };
                let wanted = words(&label.label);
                let found = c
                    .framing
                    .iter()
                    .filter(|f| f.name.to_lowercase().contains(&surname))
                    .any(|f| {
                        f.sources.iter().flat_map(|s| &s.labels).any(|l| {
                            l.unit.article == **id && {
                                let got = words(&l.span.text);
                                got.contains(&wanted) || (!got.is_empty() && wanted.contains(&got))
                            }
                        })
                    });
                labels.0 += 1;
                if !found {
                    labels.1.push(format!(
                        "{}: {} in {}: {}",
                        story.id, framing.actor, label.article, label.label
                    ));
                }
            }
        }

        // Each quote: its wordings in originals (not copies) in one group.
        for quote in &story.quotes {
            let originals: Vec<&Wording> = quote
                .wordings
                .iter()
                .filter(|w| {
                    truth
                        .articles
                        .iter()
                        .any(|e| e.key == w.article && e.wire_copy_of.is_none())
                })
                .filter(|w| ids.contains_key(w.article.as_str()))
                .collect();
            if originals.len() < 2 {
                continue;
            }
            let group_of = |w: &Wording| {
                c.quotes.iter().position(|g| {
                    g.wordings.iter().any(|x| {
                        key_of(&x.unit.article) == Some(w.article.as_str())
                            && (words(&x.content.text).contains(&words(&w.text))
                                || words(&w.text).contains(&words(&x.content.text)))
                    })
                })
            };
            let groups: BTreeSet<Option<usize>> = originals.iter().map(|w| group_of(w)).collect();
            quotes.0 += 1;
            if groups.len() != 1 || groups.contains(&None) {
                quotes.1.push(format!(
                    "{}: {} ({} wordings in {} groups)",
                    story.id,
                    quote.speaker,
                    originals.len(),
                    groups.len()
                ));
            }
        }
    }
    eprintln!(
        "extra facts shown as their source's own: {} of {}",
        facts.0 - facts.1.len(),
        facts.0
    );
    for miss in &facts.1 {
        eprintln!("  missed fact {miss}");
    }
    eprintln!(
        "quotes grouped across their outlets: {} of {}",
        quotes.0 - quotes.1.len(),
        quotes.0
    );
    for miss in &quotes.1 {
        eprintln!("  missed quote {miss}");
    }
    // The figures reached when this test was written (37 of 63 facts, 10 of 18 quotes), kept from falling back;
    // the misses are printed above with `--nocapture`.
    assert!(
        facts.0 - facts.1.len() >= 37,
        "extra facts shown as their source's own fell to {}",
        facts.0 - facts.1.len()
    );
    assert!(
        quotes.0 - quotes.1.len() >= 10,
        "quotes grouped across outlets fell to {}",
        quotes.0 - quotes.1.len()
    );
    eprintln!(
        "labels found for their actor and outlet: {} of {}",
        labels.0 - labels.1.len(),
        labels.0
    );
    for miss in &labels.1 {
        eprintln!("  missed label {miss}");
    }
    // Guards against regressions: the labels found today (most misses are actors the extraction does not name, or
    // names it gives in another language than the truth's). Raise it as framing finds more.
    let found = labels.0 - labels.1.len();
    assert!(
        found >= 10,
        "labels found for their actor and outlet: {found} of {}",
        labels.0
    );
}

/// Issue 15: every name the truth file lists for a story, wherever an article of the story yields an entity of
/// exactly that name, is of the kind the truth gives: the Spanish and French places are places, the people people.
/// The names in `KNOWN_WRONG` are what the recogniser and its rules still get wrong; the test fails if one of them
/// comes out right, so the list only shrinks.
#[test]
fn issue_15_every_listed_name_has_its_kind() {
    const KNOWN_WRONG: &[&str] = &[
        "Andes Aid (organisation as person)",
        "Atlético Marisol (organisation as person)",
        "Bahía Serena (place as organisation)",
        "Burchardkai-Süd (place as organisation)",
        "Burchardkai-Süd (place as other)",
        "Eastmarch (place as other)",
        "Estádio Atlântico (place as organisation)",
        "Estádio Atlântico (place as person)",
        "Glass Wolf (organisation as person)",
        "Harrowfield General Hospital (organisation as place)",
        "Lyon (place as organisation)",
        "Puerto Alba (place as other)",
        "Puerto Alba (place as person)",
        "Ravensport (place as organisation)",
        "San Telmo de la Sierra (place as other)",
        "St Anselm's Hospital (organisation as place)",
        "Stanko Vrbić (person as place)",
        "Tarrin Plastics (organisation as other)",
        "Tavrosk (place as organisation)",
        "Vallons Vivants (organisation as person)",
    ];
    let (truth, corpus) = load_truth();
    let read = read_corpus(&corpus);
    let recogniser = Recogniser::find();
    let mut wrong = BTreeSet::new();
    let mut checked = 0;
    for story in &truth.stories {
        let kinds: BTreeMap<&str, &str> = story
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.kind.as_str()))
            .collect();
        for expected in truth.articles.iter().filter(|e| e.story == story.id) {
            let candidates = read.get(&expected.file).map_or(&[][..], Vec::as_slice);
            let article = locate(candidates, expected, true).expect("the corpus is read");
            let extraction = extract_article(article, &recogniser);
            for entity in &extraction.entities {
                let Some(&kind) = kinds.get(entity.name.as_str()) else {
                    continue;
                };
                checked += 1;
                let want = match kind {
                    "person" => parallax_model::EntityKind::Person,
                    "organisation" => parallax_model::EntityKind::Organisation,
                    _ => parallax_model::EntityKind::Place,
                };
                if entity.kind != want {
                    wrong.insert(format!("{} ({} as {})", entity.name, kind, entity.kind));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} names checked");
    let known: BTreeSet<String> = KNOWN_WRONG.iter().map(|s| s.to_string()).collect();
    assert_eq!(wrong, known);
}
