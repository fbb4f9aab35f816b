//! Issue 4, "Bad input": extraction never panics on text the readers accept, and its time per article stays
//! linear in the text. These tests are not timed; a quadratic step would make them run for hours instead of
//! seconds, which the test harness reports as a test running too long.

use parallax_engine::extract::{Recogniser, extract_article, find_quotes};
use parallax_engine::ingest::parse_date;
use parallax_model::{Article, Extraction, QuoteKind};

const BRIEFING: &str = include_str!("fixtures/briefing.txt");

/// Extracts `text` as an article with a publication date (relative dates resolve) and checks that every item
/// lies inside the text on character boundaries, as the store and the web page rely on.
fn extract(text: &str) -> Extraction {
    let mut article = Article::new("Bad input", text);
    article.date = parse_date("2024-03-04");
    let found = extract_article(&article, &Recogniser::Rules);
    let inside = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    assert!(found.mentions.iter().all(|m| inside(m.start, m.end)));
    assert!(found.times.iter().all(|t| inside(t.start, t.end)));
    for q in &found.quotes {
        assert!(inside(q.content.start, q.content.end));
        assert_eq!(q.content.text, text[q.content.start..q.content.end]);
        for s in q.speaker.iter().chain(q.via.iter()) {
            assert!(inside(s.span.start, s.span.end));
        }
    }
    found
}

#[test]
fn a_five_megabyte_article_is_extracted_whole() {
    let copies = 5 * 1024 * 1024 / BRIEFING.len() + 1;
    let text = BRIEFING.repeat(copies);
    let one = extract(BRIEFING);
    let all = extract(&text);
    // Each copy yields what the article alone yields: nothing is dropped or cut short on a long text.
    assert!(!one.quotes.is_empty() && !one.times.is_empty() && !one.mentions.is_empty());
    assert_eq!(all.quotes.len(), one.quotes.len() * copies);
    assert_eq!(all.times.len(), one.times.len() * copies);
    assert!(all.mentions.len() >= one.mentions.len() * copies);
}

#[test]
fn a_hundred_thousand_quotation_marks_pair_up_in_linear_time() {
    // 50,000 balanced quotes, each with its speaker.
    let balanced = "“We will stay until it is done,” she said. ".repeat(50_000);
    let found = extract(&balanced);
    assert_eq!(found.quotes.len(), 50_000);
    assert!(found.quotes.iter().all(|q| {
        q.kind == QuoteKind::Direct && q.speaker.as_ref().is_some_and(|s| s.span.text == "she")
    }));
}

#[test]
fn unbalanced_quotation_marks_find_nothing_and_do_not_hang() {
    // Only openers, then only closers, then straight marks at odd places, in every style the readers pass on.
    let openers = "« „ “ ‘ ".repeat(25_000);
    assert!(find_quotes(&openers).is_empty());
    let closers = "word” word» word’ ".repeat(33_334);
    assert!(find_quotes(&closers).is_empty());
    let straight = "a\"b \" said \"".repeat(33_334);
    let _ = find_quotes(&straight);
    // One quote opened at the start and never closed, over 20,000 paragraphs of text.
    let open = "“It goes on. ".to_owned()
        + &"The minister said that the talks would go on.\n\n".repeat(20_000);
    let found = find_quotes(&open);
    // Every paragraph after the first (which the stray mark opens) is one piece of reported speech.
    assert!(found.len() >= 19_999);
    assert!(found.iter().all(|q| q.kind == QuoteKind::Indirect));
}

#[test]
fn text_without_spaces_or_sentences_is_extracted() {
    // One 1 MB "word", one 1 MB sentence of short words, and control characters and odd scripts.
    let _ = extract(&"x".repeat(1 << 20));
    let long_sentence = "Ali said that Moscow and Tehran met on Thursday and ".repeat(20_000);
    let _ = extract(&long_sentence);
    let _ = extract("\u{0}\u{1}\u{feff}“\u{202e}”\r\n\r\n\"\"''``''‚‘’„“”«»‹›「」 said . . . ");
    let _ = extract("بيان: قال الوزير «نريد وقف إطلاق النار» يوم الخميس.");
}

/// Issue 16, case 3: an article past `EXTRACT_PIECE` is extracted a piece at a time, with every offset and
/// sentence index in the whole text, and names found in every piece.
#[test]
fn giant_article_is_extracted_piece_by_piece_with_offsets_in_the_whole_text() {
    use parallax_engine::extract::{EXTRACT_PIECE, Recogniser, extract_article, tokenize};
    let paragraph = "Rescue teams searched the rubble in San Telmo on Tuesday, the civil protection agency said.\n\n";
    let mut text = paragraph.repeat(EXTRACT_PIECE / paragraph.len() + 50);
    text.push_str("Lucía Ferrándiz, director of the agency, said on Wednesday that \"every family is accounted for\".");
    let mut article = parallax_model::Article::new("Quake", text);
    article.date = "2024-03-12".parse().ok();
    let found = extract_article(&article, &Recogniser::find());
    let sentences = tokenize(&article.text).sentences;
    let last = found.mentions.last().expect("mentions in the last piece");
    assert!(last.start > EXTRACT_PIECE, "the last piece was read");
    for m in &found.mentions {
        assert_eq!(&article.text[m.start..m.end], m.text);
        assert!(sentences[m.sentence].start <= m.start && m.end <= sentences[m.sentence].end);
    }
    for q in &found.quotes {
        assert_eq!(
            &article.text[q.content.start..q.content.end],
            q.content.text
        );
    }
    for t in &found.times {
        assert_eq!(&article.text[t.start..t.end], t.text);
    }
    assert!(found.mentions.iter().any(|m| m.text == "Lucía Ferrándiz"));
    assert!(
        found
            .quotes
            .iter()
            .any(|q| q.content.text.contains("every family"))
    );
    // One entity per name, however many pieces name it.
    let mut ids: Vec<&str> = found.entities.iter().map(|e| e.id.0.as_str()).collect();
    let all = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), all);
}
