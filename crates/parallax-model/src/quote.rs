//! Quotes and reported speech, with who said them.

use serde::{Deserialize, Serialize};

/// A stretch of `Article::text` in UTF-8 byte offsets, with its text for readers who do not hold the article.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The text between the two offsets.
    pub text: String,
}

impl TextSpan {
    /// The span `start..end` of `text`. Panics if the offsets are not character boundaries of `text`, which
    /// would be a bug in the stage that computed them.
    pub fn of(text: &str, start: usize, end: usize) -> Self {
        TextSpan {
            start,
            end,
            text: text[start..end].to_owned(),
        }
    }

    /// The same span with its offsets moved by `by`: a span found in a piece of text that starts at `by`.
    pub fn shifted(self, by: usize) -> Self {
        TextSpan {
            start: self.start + by,
            end: self.end + by,
            ..self
        }
    }
}

/// Whether the words are the speaker's own or a paraphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum QuoteKind {
    /// Words in quotation marks: `"...," the embassy said.`
    Direct,
    /// Reported speech without quotation marks: `Zakharova said that a team was in Moscow.`
    Indirect,
    /// Reported speech that runs into a quoted part: `saying that Tehran's “priority is ...”`.
    Mixed,
}

/// Who a quote is attributed to, as the text names them.
///
/// Joining the speaker to an entity is the entity stage's work: it matches `span` against its mentions. When the
/// text names the speaker with a pronoun ("he said"), `pronoun` is set and `antecedent` holds the most recent
/// person-like subject before it, a cheap guess the entity stage may overrule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The noun phrase naming the speaker: "the embassy", "Maria Zakharova, a spokeswoman for ...", "he".
    pub span: TextSpan,
    /// True when `span` is a personal pronoun.
    pub pronoun: bool,
    /// For a pronoun, the noun phrase it most likely stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antecedent: Option<TextSpan>,
    /// The entity the speaker is, by canonical id, when the span (or the pronoun's antecedent) names a known
    /// entity; set by the extraction stage once entities are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<crate::EntityId>,
}

/// One quote or piece of reported speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// What was said. For direct quotes the span runs from the opening to the closing quotation mark, both
    /// included; a quote running over several paragraphs spans them all, re-opening marks included.
    pub content: TextSpan,
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// Who said it, when the text says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// The verb or phrase that introduces the speech: "said", "according to", "told reporters".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    /// The intermediary that passed the words on: in "the embassy said, quoting the deputy foreign minister" the
    /// speaker is the minister and `via` the embassy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Speaker>,
    /// The index of the sentence the quote starts in; set by the extraction stage.
    #[serde(default)]
    pub sentence: usize,
}
