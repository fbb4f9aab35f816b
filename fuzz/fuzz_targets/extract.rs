//! The whole extraction stage (`extract_article`: tokens, entities, roles, dates, quotes, events) on arbitrary
//! UTF-8 text: it must never panic, and everything it finds must lie inside the text on character boundaries.
//!
//! The first byte steers the run: bit 0 gives the article a publication date (relative dates then resolve against
//! it), bit 1 uses the trained NER model when one is found instead of the capitalisation rules.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use parallax_engine::extract::{Recogniser, extract_article};
use parallax_engine::ingest::parse_date;
use parallax_model::Article;

static MODEL: LazyLock<Recogniser> = LazyLock::new(Recogniser::find);

fuzz_target!(|data: &[u8]| {
    let Some((&steer, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut article = Article::new("Fuzzed", text);
    if steer & 1 == 1 {
        article.date = parse_date("2023-10-27");
    }
    let recogniser = if steer & 2 == 2 {
        &*MODEL
    } else {
        &Recogniser::Rules
    };
    let found = extract_article(&article, recogniser);
    let inside = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    for m in &found.mentions {
        assert!(inside(m.start, m.end), "mention {m:?}");
    }
    for t in &found.times {
        assert!(inside(t.start, t.end), "time {t:?}");
    }
    for q in &found.quotes {
        assert!(inside(q.content.start, q.content.end), "quote {q:?}");
        assert_eq!(q.content.text, text[q.content.start..q.content.end]);
        for s in q.speaker.iter().chain(q.via.iter()) {
            assert!(inside(s.span.start, s.span.end), "speaker {s:?}");
        }
    }
});
