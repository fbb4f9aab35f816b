//! Extraction: who, what, where and when, from each article's text, with provenance.
//!
//! - [`tokenize`]: words and sentences with byte offsets, shared by every extraction part.
//! - [`NerModel`]: the named-entity recogniser (people, organisations, places, other names), an averaged perceptron
//!   trained by [`train_ner`] on CoNLL-2003 data (`parallax train ner`) and loaded from disk; [`Recogniser`] falls
//!   back to capitalisation rules when no model file is found.
//! - [`extract_entities`]: mentions with offsets, joined into entities within the article, with the roles and
//!   affiliations the text gives people; [`canonicalise`] makes entity ids agree across articles.
//! - [`find_time_expressions`]: temporal expressions resolved to TimeML values against the publication date.
//! - [`find_quotes`]: direct quotes and reported speech with their speakers, cues and intermediaries.
//! - [`find_events`]: meetings, statements, appeals, attacks, agreements and accusations, with actors in roles,
//!   place and date; pronouns and descriptions ("the diplomat", "the embassy") are resolved to one named entity
//!   only when the text leaves one candidate (module `refer`), for events and quote speakers alike.
//! - [`extract_article`]: all of the above for one article, joined into one [`Extraction`](parallax_model::Extraction).
//!
//! ```
//! use parallax_engine::extract::{Recogniser, extract_entities, tokenize};
//! use parallax_model::Article;
//!
//! let article = Article::new("Talks", "Maria Zakharova, a spokeswoman for the Russian Foreign Ministry, spoke.");
//! let tokens = tokenize(&article.text);
//! let found = extract_entities(&article, &tokens, &Recogniser::find());
//! assert!(found.mentions.iter().any(|m| m.text == "Maria Zakharova"));
//! ```

mod article;
mod clusters;
mod conll;
mod entities;
mod events;
mod german;
mod names;
mod ner;
mod quotes;
mod refer;
mod roles;
mod timex;
mod tokens;

pub use article::{EXTRACT_PIECE, extract_article, extract_pieces};
pub use clusters::{ClusterConfig, WordClusters, learn_word_clusters};
pub use conll::{ConllDocument, ConllSentence, iob_spans, read_conll, read_labelled};
pub use entities::{ArticleEntities, Recogniser, canonicalise, extract_entities};
pub use events::find_events;
pub(crate) use events::reports_meeting_or_statement;
pub use ner::{ModelError, NamedSpan, NerModel, TrainConfig, train_ner};
pub use quotes::find_quotes;
pub use roles::MAX_ROLE_TOKENS;
pub use timex::find_time_expressions;
pub use tokens::{MAX_SENTENCE_TOKENS, Sentence, Token, Tokens, tokenize};
