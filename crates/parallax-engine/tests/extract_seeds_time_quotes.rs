//! The two seed articles (`../shared/seeds/`): dates and quotes that extraction must give, exactly.
//!
//! The seeds are read by the text reader, as Parallax reads them, and anchored at the publication date it finds
//! (2023-10-27, a Friday). Skipped, with a message, where `../shared` is absent.

use parallax_engine::extract::{find_quotes, find_time_expressions};

mod common;
use common::seed;

/// Every temporal expression of the seed, as `text=value`, in text order.
fn check_times(name: &str, expect: &[&str]) {
    let Some(article) = seed(name) else {
        eprintln!("skipped: ../shared/seeds not found");
        return;
    };
    assert_eq!(
        article.date.map(|d| d.day().to_string()).as_deref(),
        Some("2023-10-27")
    );
    let found: Vec<String> = find_time_expressions(&article.text, article.date.map(|d| d.day()))
        .iter()
        .map(|t| format!("{}={}", t.text, t.value))
        .collect();
    assert_eq!(found, expect);
}

/// The quotes of the seed as `kind|speaker|cue|via|first words of the content`.
fn check_quotes(name: &str, expect: &[&str]) {
    let Some(article) = seed(name) else {
        eprintln!("skipped: ../shared/seeds not found");
        return;
    };
    let found: Vec<String> = find_quotes(&article.text)
        .iter()
        .map(|q| {
            let head: Vec<&str> = q.content.text.split_whitespace().take(4).collect();
            format!(
                "{:?}|{}|{}|{}|{}",
                q.kind,
                q.speaker.as_ref().map_or("-", |s| s.span.text.as_str()),
                q.cue.as_ref().map_or("-", |c| c.text.as_str()),
                q.via.as_ref().map_or("-", |s| s.span.text.as_str()),
                head.join(" ")
            )
        })
        .collect();
    assert_eq!(found, expect);
}

#[test]
fn iranian_outlet_dates() {
    check_times(
        "000_9788f2350b3ba86b.txt",
        &[
            "Thursday=2023-10-26",
            "Thursday=2023-10-26",
            "current=PRESENT_REF",
            "Thursday=2023-10-26",
            "presently=PRESENT_REF",
            "December 2021=2021-12",
            "October 23=2023-10-23",
        ],
    );
}

#[test]
fn tass_dates() {
    check_times(
        "001_119fbe3510b0a935.txt",
        &[
            "October 27=2023-10-27",
            "Thursday=2023-10-26",
            "October 7=2023-10-07",
        ],
    );
}

#[test]
fn iranian_outlet_quotes() {
    check_quotes(
        "000_9788f2350b3ba86b.txt",
        &[
            "Mixed|Iran’s deputy foreign minister for political affairs|saying|-|Tehran’s “priority is an",
            "Indirect|Maria Zakharova, a spokeswoman for the Russian Foreign Ministry|said|-|a team from the",
        ],
    );
}

#[test]
fn tass_quotes() {
    check_quotes(
        "001_119fbe3510b0a935.txt",
        &[
            "Indirect|the Iranian Embassy in Moscow|said|-|Political Deputy at the",
            "Direct|the embassy|said|-|\"Ali Bagheri Kani, [Iranian]",
            "Direct|the deputy foreign minister|said|the embassy|\"Tehran’s priorities in talks",
            "Indirect|The two diplomats|noted|-|the need for a",
        ],
    );
}
