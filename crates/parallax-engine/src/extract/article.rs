//! One call that runs every extraction part over an article and joins their findings.

use parallax_model::{Article, EntityId, EntityKind, Extraction, Mention, Speaker};

use super::entities::{Recogniser, extract_entities};
use super::events::find_events;
use super::quotes::find_quotes;
use super::refer::Reading;
use super::timex::find_time_expressions;
use super::tokens::tokenize;

/// Articles longer than this are extracted a piece at a time, each piece ending at a paragraph break: the stage's
/// working memory (tokens, features, candidate spans) is then bounded by the piece, not the article, so one
/// 200 MB text costs a small multiple of its size rather than 40 times it. No news article comes near it.
pub const EXTRACT_PIECE: usize = 1 << 20;

/// Extracts everything from one article: entities with roles, temporal expressions resolved against its
/// publication date, quotes with speakers joined to entities, and events.
///
/// Entity ids are the article's own name keys (`per:ali-bagheri-kani`), the same in every article that names the
/// entity the same way; [`canonicalise`](super::canonicalise) joins short forms across articles. An article
/// longer than [`EXTRACT_PIECE`] is extracted piece by piece (cut at paragraph breaks), with every offset and
/// sentence index given in the whole text.
pub fn extract_article(article: &Article, recogniser: &Recogniser) -> Extraction {
    if article.text.len() <= EXTRACT_PIECE {
        return extract_whole(article, recogniser);
    }
    Extraction::join(extract_pieces(article, recogniser))
}

/// The extraction of an article a piece at a time (one piece for an article of at most [`EXTRACT_PIECE`]
/// bytes), each in the whole text's offsets and sentence numbers, with the entities it names: joined with
/// [`Extraction::join`] they are [`extract_article`]'s result. A caller that keeps each piece as it comes
/// (the store does, for a giant article) holds one piece's findings at a time, not the article's.
pub fn extract_pieces<'a>(
    article: &'a Article,
    recogniser: &'a Recogniser,
) -> impl Iterator<Item = Extraction> + 'a {
    let text = article.text.as_str();
    let mut start = 0;
    let mut sentences = 0;
    let mut first = true;
    std::iter::from_fn(move || {
        if text.len() <= EXTRACT_PIECE {
            return std::mem::take(&mut first).then(|| extract_whole(article, recogniser));
        }
        if start >= text.len() {
            return None;
        }
        let end = piece_end(text, start);
        // The piece as an article of its own, without cloning the whole text.
        let piece = Article {
            id: article.id.clone(),
            title: article.title.clone(),
            text: text[start..end].to_owned(),
            date: article.date,
            language: article.language.clone(),
            dateline: article.dateline.clone(),
            source: article.source.clone(),
            ..Article::default()
        };
        let mut found = extract_whole(&piece, recogniser);
        shift(&mut found, start, sentences);
        sentences += tokenize(&piece.text).sentences.len();
        start = end;
        Some(found)
    })
}

/// Where the piece starting at `start` ends: at the last paragraph break before [`EXTRACT_PIECE`] bytes, else the
/// last line break, else the last sentence end, else the last space, else the last character boundary (a cut in
/// the second half of the window only, so pieces stay large).
fn piece_end(text: &str, start: usize) -> usize {
    let limit = start + EXTRACT_PIECE;
    if limit >= text.len() {
        return text.len();
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &text[start..cut];
    let half = window.len() / 2;
    for separator in ["\n\n", "\n", ". ", "! ", "? ", " "] {
        if let Some(at) = window.rfind(separator).filter(|&at| at >= half) {
            return start + at + separator.len();
        }
    }
    cut
}

/// Moves every offset of a piece's findings by `by` bytes and every sentence index by `sentences`, into the
/// whole text's.
fn shift(found: &mut Extraction, by: usize, sentences: usize) {
    let span = |s: &mut parallax_model::TextSpan| {
        s.start += by;
        s.end += by;
    };
    for m in &mut found.mentions {
        m.start += by;
        m.end += by;
        m.sentence += sentences;
    }
    for r in &mut found.roles {
        r.start += by;
        r.end += by;
        r.sentence += sentences;
    }
    for t in &mut found.times {
        t.start += by;
        t.end += by;
        t.sentence += sentences;
    }
    for q in &mut found.quotes {
        span(&mut q.content);
        q.sentence += sentences;
        if let Some(cue) = q.cue.as_mut() {
            span(cue);
        }
        for speaker in q.speaker.iter_mut().chain(q.via.iter_mut()) {
            span(&mut speaker.span);
            if let Some(antecedent) = speaker.antecedent.as_mut() {
                span(antecedent);
            }
        }
    }
    for e in &mut found.events {
        span(&mut e.trigger);
        for actor in &mut e.actors {
            span(&mut actor.span);
        }
        if let Some(topic) = e.topic.as_mut() {
            span(topic);
        }
        e.start += by;
        e.end += by;
        e.sentence += sentences;
    }
}

/// Extracts everything from an article of at most [`EXTRACT_PIECE`] bytes (or any article, at its own cost).
fn extract_whole(article: &Article, recogniser: &Recogniser) -> Extraction {
    let text = article.text.as_str();
    let tokens = tokenize(text);
    let found = extract_entities(article, &tokens, recogniser);
    let anchor = article.date.as_ref().map(|d| d.day());
    let mut times = find_time_expressions(text, anchor);
    for time in &mut times {
        time.sentence = tokens.sentence_at(time.start);
    }
    let mut quotes = find_quotes(text);
    let reading = Reading::new(text, &tokens, &found.mentions, &found.roles);
    for quote in &mut quotes {
        quote.sentence = tokens.sentence_at(quote.content.start);
        for speaker in quote.speaker.iter_mut().chain(quote.via.iter_mut()) {
            speaker.entity = speaker_entity(speaker, &reading);
        }
    }
    let events = find_events(article, &tokens, &found, &times, &quotes);
    Extraction {
        article: article.id.clone(),
        mentions: found.mentions,
        entities: found.entities,
        roles: found.roles,
        times,
        quotes,
        events,
    }
}

/// The entity a speaker names: the person whose mention lies inside the speaker's words (or inside a pronoun's
/// antecedent), else the person whose role the words give ("Iran's deputy foreign minister for political affairs"
/// in a lede that names him next), else an organisation named inside, else a place that is the whole speaker ("Iran
/// said"); words that name no entity may still be a description that [`Reading::resolve_description`] resolves
/// ("the embassy", "the deputy foreign minister").
fn speaker_entity(speaker: &Speaker, reading: &Reading<'_>) -> Option<EntityId> {
    let span = speaker.antecedent.as_ref().unwrap_or(&speaker.span);
    let mentions = reading.mentions;
    let first = mentions.partition_point(|m| m.start < span.start);
    let inside: Vec<&Mention> = mentions[first..]
        .iter()
        .take_while(|m| m.start < span.end)
        .filter(|m| m.end <= span.end)
        .collect();
    if let Some(person) = inside.iter().find(|m| m.kind == EntityKind::Person) {
        return Some(person.entity.clone());
    }
    if let Some(role) = reading.role_inside(span.start, span.end) {
        return Some(role.person.clone());
    }
    // "he" and "she" are people: an antecedent that names no person is a wrong guess.
    if speaker.pronoun {
        let tokens = &reading.tokens.tokens;
        let at = tokens.partition_point(|t| t.start < speaker.span.start);
        return reading.resolve_pronoun(reading.tokens.sentence_of(at), at);
    }
    if let Some(org) = inside.iter().find(|m| m.kind == EntityKind::Organisation) {
        return Some(org.entity.clone());
    }
    // A place speaks only when it is the whole speaker ("Iran said"), never from inside a description ("the court
    // of Lyon", "supporters in Liberty Square").
    let words = span
        .text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches("the ")
        .trim_start_matches("The ");
    if let Some(m) = inside
        .iter()
        .find(|m| m.kind == EntityKind::Place && m.text.len() >= words.trim_end().len())
    {
        return Some(m.entity.clone());
    }
    if !inside.is_empty() {
        return None;
    }
    let tokens = &reading.tokens.tokens;
    let from = tokens.partition_point(|t| t.start < span.start);
    let to = tokens.partition_point(|t| t.start < span.end);
    if to <= from || to - from > 8 {
        return None;
    }
    reading.resolve_description(reading.tokens.sentence_of(from), from..to, &[])
}
