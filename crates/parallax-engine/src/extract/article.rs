//! One call that runs every extraction part over an article and joins their findings.

use parallax_model::{Article, EntityId, EntityKind, Extraction, Mention, Role, Speaker};

use super::entities::{Recogniser, extract_entities};
use super::events::find_events;
use super::quotes::find_quotes;
use super::timex::find_time_expressions;
use super::tokens::{Tokens, tokenize};

impl Tokens {
    /// The sentence holding byte `offset` of the text (the last one for an offset past the end).
    pub fn sentence_at(&self, offset: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= offset)
            .min(self.sentences.len().saturating_sub(1))
    }
}

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
    for quote in &mut quotes {
        quote.sentence = tokens.sentence_at(quote.content.start);
        for speaker in quote.speaker.iter_mut().chain(quote.via.iter_mut()) {
            speaker.entity = speaker_entity(speaker, &found.mentions, &found.roles);
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

/// The entity a speaker names: the person (else any entity) whose mention lies inside the speaker's words, or
/// inside a pronoun's antecedent; failing a person there, the person whose role the words are ("Iran's deputy
/// foreign minister for political affairs" said, where the text gave Ali Bagheri Kani that role), since a speaker
/// named by a title is that person and not the country inside the title.
fn speaker_entity(speaker: &Speaker, mentions: &[Mention], roles: &[Role]) -> Option<EntityId> {
    let span = speaker.antecedent.as_ref().unwrap_or(&speaker.span);
    if let Some(person) = role_holder(&span.text, roles) {
        let names_person = mentions
            .iter()
            .any(|m| m.start >= span.start && m.end <= span.end && m.kind == EntityKind::Person);
        if !names_person {
            return Some(person);
        }
    }
    let first = mentions.partition_point(|m| m.start < span.start);
    let inside: Vec<&Mention> = mentions[first..]
        .iter()
        .take_while(|m| m.start < span.end)
        .filter(|m| m.end <= span.end)
        .collect();
    inside
        .iter()
        .find(|m| m.kind == EntityKind::Person)
        .or(inside.first())
        .map(|m| m.entity.clone())
}

/// The one person the text gives a role matching `words` (case and a leading article aside): "the deputy foreign
/// minister" matches the role "Iran's deputy foreign minister for political affairs" when it is the only role
/// containing those words. None when no role or several different people match.
fn role_holder(words: &str, roles: &[Role]) -> Option<EntityId> {
    let key = normalise_title(words);
    if key.split_whitespace().count() < 2 {
        return None;
    }
    let mut holder: Option<&EntityId> = None;
    for role in roles {
        let title = normalise_title(&role.title);
        if title.contains(&key) || key.contains(&title) {
            match holder {
                Some(p) if p != &role.person => return None,
                _ => holder = Some(&role.person),
            }
        }
    }
    holder.cloned()
}

/// Lower case, typographic apostrophes made plain, a leading "the"/"a"/"an" dropped, whitespace collapsed.
fn normalise_title(words: &str) -> String {
    let lower = words.to_lowercase().replace('’', "'");
    let mut parts: Vec<&str> = lower.split_whitespace().collect();
    if matches!(parts.first(), Some(&("the" | "a" | "an"))) {
        parts.remove(0);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(person: &str, title: &str) -> Role {
        Role {
            person: EntityId(person.into()),
            title: title.into(),
            affiliation: None,
            article: Default::default(),
            sentence: 0,
            start: 0,
            end: 0,
        }
    }

    #[test]
    fn a_speaker_named_by_a_title_is_the_person_holding_it() {
        let roles = [
            role(
                "per:ali-bagheri-kani",
                "Iran's deputy foreign minister for political affairs",
            ),
            role(
                "per:maria-zakharova",
                "spokeswoman for the Russian Foreign Ministry",
            ),
        ];
        let check = |words: &str, expect: Option<&str>| {
            assert_eq!(
                role_holder(words, &roles).map(|e| e.0),
                expect.map(str::to_owned),
                "{words}"
            );
        };
        check(
            "Iran’s deputy foreign minister for political affairs",
            Some("per:ali-bagheri-kani"),
        );
        check("the deputy foreign minister", Some("per:ali-bagheri-kani"));
        check("the spokeswoman", None); // one word after the article: too little to go on
        check(
            "a spokeswoman for the Russian Foreign Ministry",
            Some("per:maria-zakharova"),
        );
        check("the minister of defence", None);
    }

    #[test]
    fn a_title_shared_by_two_people_names_neither() {
        let roles = [
            role("per:a", "deputy foreign minister"),
            role("per:b", "deputy foreign minister"),
        ];
        assert_eq!(role_holder("the deputy foreign minister", &roles), None);
    }
}
