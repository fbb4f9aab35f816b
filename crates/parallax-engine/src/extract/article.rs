//! One call that runs every extraction part over an article and joins their findings.

use parallax_model::{Article, EntityId, EntityKind, Extraction, Mention, Speaker};

use super::entities::{Recogniser, extract_entities};
use super::events::find_events;
use super::quotes::find_quotes;
use super::refer::Reading;
use super::timex::find_time_expressions;
use super::tokens::tokenize;

/// Extracts everything from one article: entities with roles, temporal expressions resolved against its
/// publication date, quotes with speakers joined to entities, and events.
///
/// Entity ids are the article's own name keys (`per:ali-bagheri-kani`), the same in every article that names the
/// entity the same way; [`canonicalise`](super::canonicalise) joins short forms across articles.
pub fn extract_article(article: &Article, recogniser: &Recogniser) -> Extraction {
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
