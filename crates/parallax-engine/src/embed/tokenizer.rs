//! Text to piece ids: XLM-RoBERTa's SentencePiece Unigram model, as the model file stores it.
//!
//! Each code point is first mapped through the normalisation table (compatibility forms, odd spaces); runs of
//! spaces become one; a metaspace `▁` is put before the text unless it starts with a space, and every space
//! becomes one. The pieces are then chosen by Viterbi: the segmentation whose piece scores (log probabilities)
//! sum highest, a character no piece covers being `<unk>` at a score below every piece's.

use rustc_hash::FxHashMap;

use super::format::Vocabulary;

const METASPACE: char = '\u{2581}';

/// A ready tokenizer.
#[derive(Debug, Clone)]
pub(crate) struct Tokenizer {
    ids: FxHashMap<Box<[u8]>, u32>,
    scores: Vec<f32>,
    unk: u32,
    unk_score: f32,
    longest_piece: usize,
    normalisation: Vec<(u32, Vec<u32>)>,
}

impl Tokenizer {
    /// The tokenizer of a vocabulary, which it takes over (the pieces become the lookup table's keys).
    pub(crate) fn new(vocabulary: Vocabulary) -> Self {
        let longest_piece = vocabulary.pieces.iter().map(Vec::len).max().unwrap_or(1);
        let mut ids = FxHashMap::default();
        ids.reserve(vocabulary.pieces.len());
        for (id, piece) in vocabulary.pieces.into_iter().enumerate() {
            if !piece.is_empty() {
                ids.entry(piece.into_boxed_slice()).or_insert(id as u32);
            }
        }
        let lowest = vocabulary
            .scores
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min);
        Tokenizer {
            ids,
            scores: vocabulary.scores,
            unk: vocabulary.unk,
            unk_score: if lowest.is_finite() {
                lowest - 10.0
            } else {
                -10.0
            },
            longest_piece,
            normalisation: vocabulary.normalisation,
        }
    }

    /// The normalised text with metaspaces, as the pieces spell it.
    fn normalise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 3);
        let push = |c: char, out: &mut String| {
            if c == ' ' && out.ends_with(METASPACE) {
                return;
            }
            out.push(if c == ' ' { METASPACE } else { c });
        };
        let mut first = true;
        for c in text.chars() {
            let mapped = self
                .normalisation
                .binary_search_by_key(&u32::from(c), |(from, _)| *from)
                .ok()
                .map(|i| &self.normalisation[i].1);
            let mut emit = |c: char, out: &mut String| {
                if first {
                    first = false;
                    if c != ' ' {
                        out.push(METASPACE);
                    }
                }
                push(c, out);
            };
            match mapped {
                Some(replacement) => {
                    for &cp in replacement {
                        emit(char::from_u32(cp).unwrap_or('\u{fffd}'), &mut out);
                    }
                }
                None => emit(c, &mut out),
            }
        }
        if first {
            out.push(METASPACE);
        }
        out
    }

    /// The piece ids of `text`, at most `limit` of them (the first ones).
    pub(crate) fn encode(&self, text: &str, limit: usize) -> Vec<u32> {
        let normal = self.normalise(text);
        let starts: Vec<usize> = normal
            .char_indices()
            .map(|(i, _)| i)
            .chain([normal.len()])
            .collect();
        let n = starts.len() - 1;
        let bytes = normal.as_bytes();
        // best[i]: the best score of a segmentation of the first i characters; from[i]: (start, piece).
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut from = vec![(0usize, self.unk); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] == f32::NEG_INFINITY {
                continue;
            }
            let start = starts[i];
            for end in i + 1..=n {
                let length = starts[end] - start;
                if length > self.longest_piece {
                    break;
                }
                if let Some(&id) = self.ids.get(&bytes[start..starts[end]])
                    && id != self.unk
                {
                    let score = best[i] + self.scores[id as usize];
                    if score > best[end] {
                        best[end] = score;
                        from[end] = (i, id);
                    }
                }
            }
            let unknown = best[i] + self.unk_score;
            if unknown > best[i + 1] {
                best[i + 1] = unknown;
                from[i + 1] = (i, self.unk);
            }
        }
        let mut ids = Vec::new();
        let mut at = n;
        while at > 0 {
            let (start, id) = from[at];
            ids.push(id);
            at = start;
        }
        ids.reverse();
        ids.truncate(limit);
        ids
    }
}
