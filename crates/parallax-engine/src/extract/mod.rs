//! Extraction: who, what, where and when, from each article's text, with provenance.
//!
//! - [`tokenize`]: words and sentences with byte offsets, shared by every extraction part.
//! - [`NerModel`]: the named-entity recogniser (people, organisations, places, other names), trained by
//!   [`train_ner`] on CoNLL-2003 data and loaded from disk.

mod conll;
mod ner;
mod tokens;

pub use conll::{ConllDocument, ConllSentence, iob_spans, read_conll};
pub use ner::{ModelError, NamedSpan, NerModel, TrainConfig, train_ner};
pub use tokens::{MAX_SENTENCE_TOKENS, Sentence, Token, Tokens, tokenize};
