//! Named-entity recognition: an averaged structured perceptron over BILOU tags with Viterbi decoding.
//!
//! Each token is described by hashed features: the word, its lowercase form, its shape ("Xxxx", "XX", "dd-dd"),
//! prefixes and suffixes, the neighbouring words and shapes two either side, whether the sentence is an all-capitals
//! headline, and two document-level features that carry what one sentence cannot: how the same word is capitalised
//! elsewhere in the document (so "GAZA" in a headline reads like "Gaza" in the text) and which entity type the
//! recogniser gave the same word earlier in the document (so "Marzouk" after "Abu Marzouk" stays a person).
//!
//! Features are 64-bit hashes folded into `2^BUCKET_BITS` buckets, so a trained model holds numbers only: no word of
//! the training corpus is stored. The model file is a small header, the tag-transition weights and the non-zero
//! rows of the feature table quantised to `i16`, deflated.

use std::io::{Read, Write};
use std::path::Path;

use parallax_model::EntityKind;

use super::clusters::WordClusters;
use super::conll::{ConllDocument, iob_spans};

/// Hashed feature buckets: 2^20 keeps collisions rare for the few hundred thousand features the training data has.
const BUCKET_BITS: u32 = 20;
const BUCKETS: usize = 1 << BUCKET_BITS;
/// `O` plus B, I, L, U for each of the four kinds.
pub(crate) const TAGS: usize = 17;
const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Organisation,
    EntityKind::Place,
    EntityKind::Other,
];
const MAGIC: &[u8; 8] = b"PXNER\0\0\x01";
/// Bumped whenever the feature templates change, so an old model file is refused rather than silently wrong.
/// Version 4 adds the word-cluster templates and the cluster table; a model trained without clusters is written
/// and read as version 3, with exactly the templates of that version.
const FEATURE_VERSION: u32 = 4;
const FEATURE_VERSION_WITHOUT_CLUSTERS: u32 = 3;

/// Why a model file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The file could not be read or written.
    #[error("cannot read or write the NER model {path}: {source}")]
    Io {
        /// The path tried.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// No model file was found at any of the places searched.
    #[error("no NER model at {0}")]
    NotFound(String),
    /// The bytes are not a model this version of Parallax can read.
    #[error("not a Parallax NER model, or one made by another version: {0}")]
    Format(String),
}

/// A trained recogniser, loaded from disk.
#[derive(Clone)]
pub struct NerModel {
    /// Bucket -> row in `rows`; row 0 is all zeros and stands for every bucket without weights, so scoring needs
    /// no branch.
    index: Vec<u32>,
    rows: Vec<i16>,
    scale: f32,
    /// `(TAGS + 1) x TAGS`: the last row is the sentence start.
    transitions: Vec<f32>,
    /// The word clusters the model was trained with (empty for none); they travel in the model file.
    clusters: WordClusters,
}

impl std::fmt::Debug for NerModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NerModel")
            .field("features", &(self.rows.len() / TAGS - 1))
            .field("clustered_words", &self.clusters.len())
            .finish()
    }
}

/// How to train: the number of passes over the data and the seed of the shuffle between passes.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// Passes over the training documents.
    pub epochs: usize,
    /// Seed of the deterministic shuffle, so the same data and seed give the same model.
    pub seed: u64,
    /// Weights smaller than this fraction of the largest are dropped from the saved model to keep it small.
    pub prune: f32,
    /// Features seen on fewer training tokens than this are never learnt: a word met once or twice teaches the
    /// model that word, not names, and such weights are what fails to carry to unseen news.
    pub min_feature_count: u32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 2003,
            prune: 0.002,
            min_feature_count: 1,
        }
    }
}

/// One entity found by the recogniser: a range of token indices within a sentence and a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSpan {
    /// Token indices (into the sentence's words) of the span.
    pub tokens: std::ops::Range<usize>,
    /// What it names.
    pub kind: EntityKind,
}

// ---------------------------------------------------------------------------------------------------------------
// Tags.

fn tag_kind(tag: u8) -> Option<usize> {
    (tag != 0).then(|| (tag as usize - 1) / 4)
}

/// 0 = B, 1 = I, 2 = L, 3 = U.
fn tag_position(tag: u8) -> usize {
    (tag as usize - 1) % 4
}

fn make_tag(kind: usize, position: usize) -> u8 {
    (1 + kind * 4 + position) as u8
}

/// Whether `tag` may follow `prev` (`None` at the start of a sentence) in a well-formed BILOU sequence.
fn allowed(prev: Option<u8>, tag: u8) -> bool {
    let open = prev.and_then(|p| tag_kind(p).filter(|_| tag_position(p) < 2));
    match (open, tag_kind(tag)) {
        (None, None) => true,
        (None, Some(_)) => tag_position(tag) == 0 || tag_position(tag) == 3,
        (Some(_), None) => false,
        (Some(k), Some(j)) => k == j && (tag_position(tag) == 1 || tag_position(tag) == 2),
    }
}

fn allowed_at_end(tag: u8) -> bool {
    tag == 0 || matches!(tag_position(tag), 2 | 3)
}

/// BILOU tags for a sentence's gold spans.
fn bilou(len: usize, spans: &[(std::ops::Range<usize>, EntityKind)]) -> Vec<u8> {
    let mut tags = vec![0u8; len];
    for (range, kind) in spans {
        let k = KINDS.iter().position(|x| x == kind).unwrap_or(3);
        if range.len() == 1 {
            tags[range.start] = make_tag(k, 3);
        } else {
            for i in range.clone() {
                let p = if i == range.start {
                    0
                } else if i + 1 == range.end {
                    2
                } else {
                    1
                };
                tags[i] = make_tag(k, p);
            }
        }
    }
    tags
}

fn spans_of(tags: &[u8]) -> Vec<NamedSpan> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &t) in tags.iter().enumerate() {
        let Some(k) = tag_kind(t) else { continue };
        match tag_position(t) {
            0 => start = i,
            3 => spans.push(NamedSpan {
                tokens: i..i + 1,
                kind: KINDS[k],
            }),
            2 => spans.push(NamedSpan {
                tokens: start..i + 1,
                kind: KINDS[k],
            }),
            _ => {}
        }
    }
    spans
}

// ---------------------------------------------------------------------------------------------------------------
// Hashing and features.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn hash_str(s: &str) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    for &b in s.as_bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01B3);
    }
    finish(h)
}

fn mix(template: u64, a: u64, b: u64) -> u64 {
    finish(template.wrapping_mul(K) ^ a.rotate_left(17) ^ b.rotate_left(41).wrapping_mul(3))
}

/// What the feature templates need to know about one token, computed once.
#[derive(Clone, Copy)]
struct TokenInfo {
    word: u64,
    lower: u64,
    shape: u64,
    short_shape: u64,
    affixes: [u64; 8],
    /// Title-case (first letter upper, some lowercase), all caps, lowercase, other.
    case: u8,
    /// The word's path in the cluster tree (see [`WordClusters`]), 0 when it has none.
    cluster: u32,
}

const PAD: TokenInfo = TokenInfo {
    word: 1,
    lower: 1,
    shape: 1,
    short_shape: 1,
    affixes: [1; 8],
    case: 9,
    cluster: 1,
};

/// Curly quotes and dashes as the newswire training data writes them.
fn normalise_word(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        out.push(match c {
            '’' | '‘' | 'ʼ' | '`' => '\'',
            '“' | '”' | '„' | '«' | '»' => '"',
            '–' | '—' | '‐' => '-',
            c => c,
        });
    }
}

fn case_class(word: &str) -> u8 {
    let mut upper = 0;
    let mut lower = 0;
    let mut first_upper = None;
    for c in word.chars() {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        } else {
            continue;
        }
        first_upper.get_or_insert(c.is_uppercase());
    }
    match (upper, lower, first_upper) {
        (0, 0, _) => 3,
        (_, 0, _) => 1,
        (0, _, _) => 2,
        (_, _, Some(true)) => 0,
        _ => 4,
    }
}

fn token_info(
    word: &str,
    scratch: &mut String,
    lower: &mut String,
    shape: &mut String,
) -> TokenInfo {
    normalise_word(word, scratch);
    lower.clear();
    shape.clear();
    let mut short_hash = 0xCBF2_9CE4_8422_2325u64;
    let mut last_shape = '\0';
    for c in scratch.chars() {
        if c.is_ascii_digit() {
            lower.push('0');
        } else if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else {
            lower.extend(c.to_lowercase());
        }
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if shape.len() < 12 {
            shape.push(s);
        }
        if s != last_shape {
            // The short shape collapses repeats ("Xxxxx" -> "Xx"); hashed as it is built.
            let mut buf = [0u8; 4];
            for &b in s.encode_utf8(&mut buf).as_bytes() {
                short_hash = (short_hash ^ b as u64).wrapping_mul(0x0100_0000_01B3);
            }
            last_shape = s;
        }
    }
    let mut affixes = [1u64; 8];
    for (n, (i, c)) in lower.char_indices().take(4).enumerate() {
        affixes[n] = hash_str(&lower[..i + c.len_utf8()]) ^ (n as u64 + 1);
    }
    for (n, (i, _)) in lower.char_indices().rev().take(4).enumerate() {
        affixes[4 + n] = hash_str(&lower[i..]) ^ (n as u64 + 1) << 8;
    }
    TokenInfo {
        word: hash_str(scratch),
        lower: hash_str(lower),
        shape: hash_str(shape),
        short_shape: finish(short_hash),
        affixes,
        case: case_class(scratch),
        cluster: 0,
    }
}

/// The key a word is known by in the cluster table and the document memory: the hash of its lowercase form with
/// digits as `0`.
pub(crate) fn lower_key(word: &str) -> u64 {
    let (mut a, mut b, mut c) = (String::new(), String::new(), String::new());
    token_info(word, &mut a, &mut b, &mut c).lower
}

/// The first `bits` bits of a cluster path (the whole path when it is shorter), keeping the leading 1 so that
/// prefixes of different lengths never collide.
fn cluster_prefix(path: u32, bits: u32) -> u64 {
    let depth = 31u32.saturating_sub(path.leading_zeros());
    (if depth > bits {
        path >> (depth - bits)
    } else {
        path
    }) as u64
}

/// A hasher for keys that are already hashes.
#[derive(Default, Clone, Copy)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).rotate_left(5);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashedMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

/// Per-document memory: how each lowercase word is capitalised in running text, and which types the recogniser
/// gave it in earlier sentences.
#[derive(Default)]
struct DocumentMemory {
    case_seen: HashedMap<u8>,
    history: HashedMap<[u16; 5]>,
}

impl DocumentMemory {
    fn new(doc: &[Vec<TokenInfo>]) -> Self {
        let mut memory = DocumentMemory::default();
        for sentence in doc {
            if is_headline(sentence) {
                continue;
            }
            for info in sentence.iter().skip(1) {
                let bit = match info.case {
                    0 => 1,
                    2 => 2,
                    _ => continue,
                };
                *memory.case_seen.entry(info.lower).or_default() |= bit;
            }
        }
        memory
    }

    fn remember(&mut self, sentence: &[TokenInfo], tags: &[u8]) {
        for (info, &tag) in sentence.iter().zip(tags) {
            if info.case == 3 {
                continue;
            }
            let slot = tag_kind(tag).map_or(0, |k| k + 1);
            let counts = self.history.entry(info.lower).or_default();
            counts[slot] = counts[slot].saturating_add(1);
        }
    }

    /// The type most often given to this word earlier in the document: 0 for none, 1 for `O`, 2.. for the kinds.
    fn earlier_type(&self, info: &TokenInfo) -> u64 {
        self.history.get(&info.lower).map_or(0, |counts| {
            let best = (0..5)
                .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
                .unwrap_or(0);
            let entity = counts[1..].iter().any(|&c| c > 0);
            // Keep "seen as an entity at least once" apart from "always O".
            1 + best as u64 + if entity && best == 0 { 10 } else { 0 }
        })
    }
}

fn is_headline(sentence: &[TokenInfo]) -> bool {
    let caps = sentence.iter().filter(|t| t.case == 1).count();
    let words = sentence.iter().filter(|t| t.case != 3).count();
    words >= 2 && caps * 10 >= words * 8
}

/// Writes the feature buckets of every token of a sentence into `out` (a flat list, `offsets[i]..offsets[i + 1]`
/// for token `i`).
fn sentence_features(
    sentence: &[TokenInfo],
    clustered: bool,
    memory: &DocumentMemory,
    out: &mut Vec<u32>,
    offsets: &mut Vec<usize>,
) {
    out.clear();
    offsets.clear();
    let headline = is_headline(sentence) as u64;
    let at = |i: isize| -> &TokenInfo {
        if i < 0 || i as usize >= sentence.len() {
            &PAD
        } else {
            &sentence[i as usize]
        }
    };
    let mask = (BUCKETS - 1) as u64;
    for i in 0..sentence.len() {
        offsets.push(out.len());
        let j = i as isize;
        let (c, p, n, pp, nn) = (at(j), at(j - 1), at(j + 1), at(j - 2), at(j + 2));
        let case_seen = memory.case_seen.get(&c.lower).copied().unwrap_or(0) as u64;
        let earlier = memory.earlier_type(c);
        let first = (i == 0) as u64;
        let mut push = |h: u64| out.push((h & mask) as u32);
        push(mix(1, 0, 0));
        push(mix(2, c.word, 0));
        push(mix(3, c.lower, 0));
        push(mix(4, c.shape, 0));
        push(mix(5, c.short_shape, 0));
        for (a, &h) in c.affixes.iter().enumerate() {
            push(mix(6 + a as u64, h, 0));
        }
        push(mix(14, p.lower, 0));
        push(mix(15, n.lower, 0));
        push(mix(16, pp.lower, 0));
        push(mix(17, nn.lower, 0));
        push(mix(18, p.short_shape, 0));
        push(mix(19, n.short_shape, 0));
        push(mix(20, p.lower, c.lower));
        push(mix(21, c.lower, n.lower));
        push(mix(22, p.short_shape, mix(0, c.short_shape, n.short_shape)));
        push(mix(23, first, c.short_shape));
        push(mix(24, headline, c.short_shape));
        push(mix(25, headline, c.lower));
        push(mix(26, case_seen, c.short_shape + headline));
        push(mix(27, earlier, 0));
        push(mix(28, earlier, c.short_shape));
        push(mix(29, p.lower, c.short_shape));
        push(mix(30, n.lower, c.short_shape));
        push(mix(31, pp.short_shape, 0));
        push(mix(32, nn.short_shape, 0));
        push(mix(33, p.word, 0));
        push(mix(34, n.word, 0));
        push(mix(35, first, c.lower));
        if !clustered {
            continue;
        }
        // Word clusters: coarse and fine classes of the word and its neighbours, alone and with the shape, so an
        // unseen capitalised word in place-like company reads as a place.
        push(mix(40, cluster_prefix(c.cluster, 4), 0));
        push(mix(41, cluster_prefix(c.cluster, 7), 0));
        push(mix(42, cluster_prefix(c.cluster, 10), 0));
        push(mix(43, c.cluster as u64, 0));
        push(mix(44, c.cluster as u64, c.short_shape));
        push(mix(45, cluster_prefix(p.cluster, 7), 0));
        push(mix(46, cluster_prefix(n.cluster, 7), 0));
        push(mix(47, p.cluster as u64, 0));
        push(mix(48, n.cluster as u64, 0));
        push(mix(
            49,
            cluster_prefix(c.cluster, 7),
            c.short_shape + headline,
        ));
    }
    offsets.push(out.len());
}

fn infos_of<S: AsRef<str>, T: AsRef<[S]>>(
    sentences: &[T],
    clusters: &WordClusters,
) -> Vec<Vec<TokenInfo>> {
    let (mut a, mut b, mut c) = (String::new(), String::new(), String::new());
    sentences
        .iter()
        .map(|s| {
            s.as_ref()
                .iter()
                .map(|w| {
                    let mut info = token_info(w.as_ref(), &mut a, &mut b, &mut c);
                    info.cluster = clusters.path(info.lower);
                    info
                })
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding.

/// For each tag, the tags that may precede it (see [`allowed`]), so decoding visits only legal transitions.
fn predecessors() -> &'static [Vec<u8>; TAGS] {
    static TABLE: std::sync::LazyLock<[Vec<u8>; TAGS]> = std::sync::LazyLock::new(|| {
        std::array::from_fn(|t| {
            (0..TAGS as u8)
                .filter(|&p| allowed(Some(p), t as u8))
                .collect()
        })
    });
    &TABLE
}

/// Viterbi over BILOU tags with the well-formedness constraints built in.
fn viterbi(emissions: &[[f32; TAGS]], transitions: &[f32], out: &mut Vec<u8>) {
    out.clear();
    let n = emissions.len();
    if n == 0 {
        return;
    }
    let predecessors = predecessors();
    let mut score = vec![[f32::NEG_INFINITY; TAGS]; n];
    let mut back = vec![[0u8; TAGS]; n];
    for t in 0..TAGS as u8 {
        if allowed(None, t) {
            score[0][t as usize] = emissions[0][t as usize] + transitions[TAGS * TAGS + t as usize];
        }
    }
    for i in 1..n {
        let (before, now) = score.split_at_mut(i);
        let previous = &before[i - 1];
        for t in 0..TAGS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for &p in &predecessors[t] {
                let v = previous[p as usize] + transitions[p as usize * TAGS + t];
                if v > best {
                    best = v;
                    arg = p;
                }
            }
            now[0][t] = best + emissions[i][t];
            back[i][t] = arg;
        }
    }
    let mut last = 0u8;
    let mut best = f32::NEG_INFINITY;
    for t in 0..TAGS as u8 {
        if allowed_at_end(t) && score[n - 1][t as usize] > best {
            best = score[n - 1][t as usize];
            last = t;
        }
    }
    out.resize(n, 0);
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i] as usize];
    }
}

impl NerModel {
    /// Tags a document given as sentences of words, returning each sentence's entity spans.
    ///
    /// The document matters: the recogniser reads how each word is capitalised across it and what it found in
    /// earlier sentences, so pass a whole article at once.
    pub fn recognise_document<S: AsRef<str>, T: AsRef<[S]>>(
        &self,
        sentences: &[T],
    ) -> Vec<Vec<NamedSpan>> {
        let infos = infos_of(sentences, &self.clusters);
        let clustered = !self.clusters.is_empty();
        let mut memory = DocumentMemory::new(&infos);
        let mut row_ids: Vec<u32> = Vec::new();
        let (mut feats, mut offsets, mut emissions, mut tags) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut result = Vec::with_capacity(sentences.len());
        for sentence in &infos {
            sentence_features(sentence, clustered, &memory, &mut feats, &mut offsets);
            emissions.clear();
            // Look every feature's row up first: the loads are independent, so the processor overlaps their cache
            // misses, which is most of the time spent here.
            row_ids.clear();
            row_ids.extend(feats.iter().map(|&f| self.index[f as usize]));
            for i in 0..sentence.len() {
                let mut acc = [0i32; TAGS];
                for &row in &row_ids[offsets[i]..offsets[i + 1]] {
                    let w = &self.rows[row as usize * TAGS..(row as usize + 1) * TAGS];
                    for t in 0..TAGS {
                        acc[t] += w[t] as i32;
                    }
                }
                emissions.push(acc.map(|a| a as f32 * self.scale));
            }
            viterbi(&emissions, &self.transitions, &mut tags);
            memory.remember(sentence, &tags);
            result.push(spans_of(&tags));
        }
        result
    }

    /// Loads the English model from the first of these that exists: the file named by `PARALLAX_NER_MODEL`, the
    /// repository's `models/ner-en.bin` (where `parallax train ner` writes it and where a clone has it), and
    /// `models/ner-en.bin` under the working directory.
    pub fn find() -> Result<NerModel, ModelError> {
        NerModel::find_for("en")
    }

    /// Loads the model for a language (ISO 639-1 code) from the repository's `models/ner-<code>.bin` or the same
    /// path under the working directory; for English, `PARALLAX_NER_MODEL` names a file to try first.
    pub fn find_for(language: &str) -> Result<NerModel, ModelError> {
        let mut tried = Vec::new();
        let file = format!("models/ner-{language}.bin");
        let candidates = std::env::var_os("PARALLAX_NER_MODEL")
            .filter(|_| language == "en")
            .map(std::path::PathBuf::from)
            .into_iter()
            .chain([
                std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(&file),
                std::path::PathBuf::from(&file),
            ]);
        for path in candidates {
            if path.is_file() {
                return NerModel::load(&path);
            }
            tried.push(path.display().to_string());
        }
        Err(ModelError::NotFound(tried.join(", ")))
    }

    /// Reads a model saved by [`NerModel::save`].
    pub fn load(path: &Path) -> Result<NerModel, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        NerModel::from_bytes(&bytes)
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        std::fs::write(path, self.to_bytes()).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// The model as bytes: header, transitions, then the non-zero rows as (bucket delta, weights), deflated.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        let version = if self.clusters.is_empty() {
            FEATURE_VERSION_WITHOUT_CLUSTERS
        } else {
            FEATURE_VERSION
        };
        raw.extend_from_slice(&version.to_le_bytes());
        raw.extend_from_slice(&BUCKET_BITS.to_le_bytes());
        raw.extend_from_slice(&(TAGS as u32).to_le_bytes());
        raw.extend_from_slice(&self.scale.to_le_bytes());
        for t in &self.transitions {
            raw.extend_from_slice(&t.to_le_bytes());
        }
        let count = self.rows.len() / TAGS - 1;
        raw.extend_from_slice(&(count as u32).to_le_bytes());
        let mut previous = 0usize;
        for (bucket, &row) in self.index.iter().enumerate() {
            if row == 0 {
                continue;
            }
            write_varint(&mut raw, (bucket - previous) as u64);
            previous = bucket;
            for w in &self.rows[row as usize * TAGS..(row as usize + 1) * TAGS] {
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
        if !self.clusters.is_empty() {
            self.clusters.write_raw(&mut raw);
        }
        let mut out = MAGIC.to_vec();
        let mut encoder = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = encoder.write_all(&raw);
        let _ = encoder.finish();
        out
    }

    /// Reads a model from bytes, refusing anything malformed or made for other feature templates.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, ModelError> {
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| ModelError::Format("bad magic".into()))?;
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(body)
            .take(256 << 20)
            .read_to_end(&mut raw)
            .map_err(|e| ModelError::Format(e.to_string()))?;
        let mut r = Reader { bytes: &raw, at: 0 };
        let version = r.u32()?;
        if !matches!(version, FEATURE_VERSION | FEATURE_VERSION_WITHOUT_CLUSTERS)
            || r.u32()? != BUCKET_BITS
            || r.u32()? as usize != TAGS
        {
            return Err(ModelError::Format(format!(
                "feature version {version}, expected {FEATURE_VERSION}"
            )));
        }
        let scale = f32::from_bits(r.u32()?);
        let transitions = (0..(TAGS + 1) * TAGS)
            .map(|_| r.u32().map(f32::from_bits))
            .collect::<Result<_, _>>()?;
        let count = r.u32()? as usize;
        if count > BUCKETS {
            return Err(ModelError::Format("too many rows".into()));
        }
        let mut index = vec![0u32; BUCKETS];
        let mut rows = vec![0i16; TAGS];
        rows.reserve(count * TAGS);
        let mut bucket = 0usize;
        for i in 0..count {
            bucket = bucket.saturating_add(r.varint()? as usize);
            if bucket >= BUCKETS {
                return Err(ModelError::Format("bucket out of range".into()));
            }
            index[bucket] = i as u32 + 1;
            for _ in 0..TAGS {
                rows.push(r.u16()? as i16);
            }
        }
        let clusters = if version == FEATURE_VERSION {
            WordClusters::read_raw(r.bytes, &mut r.at)?
        } else {
            WordClusters::default()
        };
        Ok(NerModel {
            index,
            rows,
            scale,
            transitions,
            clusters,
        })
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let slice = self
            .bytes
            .get(self.at..self.at + N)
            .ok_or_else(|| ModelError::Format("truncated".into()))?;
        self.at += N;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        self.take::<2>().map(u16::from_le_bytes)
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let [b] = self.take::<1>()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(ModelError::Format("bad varint".into()))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Training.

/// A document as the trainer and recogniser read it: sentences of token descriptions.
type Document = Vec<Vec<TokenInfo>>;

struct Averaged {
    w: Vec<f32>,
    /// Sum of `step * update`, for the lazy average `w - u / step`.
    u: Vec<f32>,
}

impl Averaged {
    fn new(n: usize) -> Self {
        Averaged {
            w: vec![0.0; n],
            u: vec![0.0; n],
        }
    }
    fn add(&mut self, i: usize, d: f32, step: f32) {
        self.w[i] += d;
        self.u[i] += step * d;
    }
    fn average(&self, step: f32) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.u)
            .map(|(w, u)| w - u / step)
            .collect()
    }
}

/// Trains a recogniser on labelled documents (CoNLL-2003 `eng.train`), reporting each pass to `progress`.
pub fn train_ner(
    documents: &[ConllDocument],
    clusters: &WordClusters,
    config: &TrainConfig,
    mut progress: impl FnMut(usize, f64),
) -> NerModel {
    let prepared: Vec<(Document, Vec<Vec<u8>>)> = documents
        .iter()
        .map(|d| {
            let words: Vec<&[String]> = d.sentences.iter().map(|s| s.words.as_slice()).collect();
            let infos = infos_of(&words, clusters);
            let gold = d
                .sentences
                .iter()
                .map(|s| bilou(s.words.len(), &iob_spans(&s.tags)))
                .collect();
            (infos, gold)
        })
        .collect();
    let clustered = !clusters.is_empty();
    let learnt = learnt_buckets(&prepared, clustered, config.min_feature_count);
    let mut weights = Averaged::new(BUCKETS * TAGS);
    let mut transitions = Averaged::new((TAGS + 1) * TAGS);
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = config.seed | 1;
    let mut step = 1.0f32;
    let (mut feats, mut offsets, mut emissions, mut predicted) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for epoch in 0..config.epochs {
        // Fisher-Yates with xorshift: deterministic for a seed.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut correct, mut total) = (0usize, 0usize);
        for &d in &order {
            let (infos, gold) = &prepared[d];
            let mut memory = DocumentMemory::new(infos);
            for (sentence, gold) in infos.iter().zip(gold) {
                sentence_features(sentence, clustered, &memory, &mut feats, &mut offsets);
                emissions.clear();
                for i in 0..sentence.len() {
                    let mut acc = [0f32; TAGS];
                    for &f in &feats[offsets[i]..offsets[i + 1]] {
                        let w = &weights.w[f as usize * TAGS..(f as usize + 1) * TAGS];
                        for t in 0..TAGS {
                            acc[t] += w[t];
                        }
                    }
                    emissions.push(acc);
                }
                viterbi(&emissions, &transitions.w, &mut predicted);
                for i in 0..sentence.len() {
                    let (g, p) = (gold[i] as usize, predicted[i] as usize);
                    total += 1;
                    if g != p {
                        for &f in &feats[offsets[i]..offsets[i + 1]] {
                            if !learnt[f as usize] {
                                continue;
                            }
                            weights.add(f as usize * TAGS + g, 1.0, step);
                            weights.add(f as usize * TAGS + p, -1.0, step);
                        }
                    } else {
                        correct += 1;
                    }
                    let (gp, pp) = if i == 0 {
                        (TAGS, TAGS)
                    } else {
                        (gold[i - 1] as usize, predicted[i - 1] as usize)
                    };
                    if (gp, g) != (pp, p) {
                        transitions.add(gp * TAGS + g, 1.0, step);
                        transitions.add(pp * TAGS + p, -1.0, step);
                    }
                }
                memory.remember(sentence, &predicted);
                step += 1.0;
            }
        }
        progress(epoch + 1, correct as f64 / total.max(1) as f64);
    }
    let averaged = weights.average(step);
    let max = averaged.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-6);
    let scale = max / i16::MAX as f32;
    let cut = max * config.prune;
    let mut index = vec![0u32; BUCKETS];
    let mut rows = vec![0i16; TAGS];
    for bucket in 0..BUCKETS {
        let row = &averaged[bucket * TAGS..(bucket + 1) * TAGS];
        if row.iter().all(|w| w.abs() < cut) {
            continue;
        }
        rows.extend(row.iter().map(|w| (w / scale).round() as i16));
        index[bucket] = (rows.len() / TAGS - 1) as u32;
    }
    NerModel {
        index,
        rows,
        scale,
        transitions: transitions.average(step),
        clusters: clusters.clone(),
    }
}

/// Which feature buckets fire on at least `min_count` training tokens (the document memory filled with the gold
/// types, as the recogniser would fill it if it were right).
fn learnt_buckets(
    prepared: &[(Document, Vec<Vec<u8>>)],
    clustered: bool,
    min_count: u32,
) -> Vec<bool> {
    if min_count <= 1 {
        return vec![true; BUCKETS];
    }
    let mut counts = vec![0u32; BUCKETS];
    let (mut feats, mut offsets) = (Vec::new(), Vec::new());
    for (infos, gold) in prepared {
        let mut memory = DocumentMemory::new(infos);
        for (sentence, gold) in infos.iter().zip(gold) {
            sentence_features(sentence, clustered, &memory, &mut feats, &mut offsets);
            for &f in &feats {
                counts[f as usize] = counts[f as usize].saturating_add(1);
            }
            memory.remember(sentence, gold);
        }
    }
    counts.into_iter().map(|c| c >= min_count).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::conll::read_conll;

    #[test]
    fn bilou_round_trips_and_constraints_hold() {
        let spans = vec![
            (0..2, EntityKind::Person),
            (2..3, EntityKind::Place),
            (4..7, EntityKind::Organisation),
        ];
        let tags = bilou(8, &spans);
        let back: Vec<_> = spans_of(&tags)
            .into_iter()
            .map(|s| (s.tokens, s.kind))
            .collect();
        assert_eq!(back, spans);
        let mut prev = None;
        for &t in &tags {
            assert!(allowed(prev, t));
            prev = Some(t);
        }
        assert!(allowed_at_end(*tags.last().unwrap()));
        assert!(!allowed(None, make_tag(0, 1)));
        assert!(!allowed(Some(make_tag(0, 0)), make_tag(1, 2)));
    }

    #[test]
    fn trains_on_a_tiny_snippet_and_survives_a_round_trip() {
        let mut text = String::new();
        for _ in 0..3 {
            text.push_str("-DOCSTART- -X- O O\n\n");
            text.push_str(
                "Peter X X I-PER\nMueller X X I-PER\nvisited X X O\nBonn X X I-LOC\n. X X O\n\n",
            );
            text.push_str("The X X O\nEU X X I-ORG\nsaid X X O\nso X X O\n. X X O\n\n");
        }
        let docs = read_conll(&text);
        let model = train_ner(
            &docs,
            &WordClusters::default(),
            &TrainConfig {
                epochs: 5,
                ..TrainConfig::default()
            },
            |_, _| {},
        );
        let model = NerModel::from_bytes(&model.to_bytes()).unwrap();
        let sentences = vec![vec!["Peter", "Mueller", "visited", "Bonn", "."]];
        let found = model.recognise_document(&sentences);
        let got: Vec<_> = found[0]
            .iter()
            .map(|s| (s.tokens.clone(), s.kind))
            .collect();
        assert_eq!(
            got,
            vec![(0..2, EntityKind::Person), (3..4, EntityKind::Place)]
        );
    }

    #[test]
    fn malformed_model_bytes_are_refused() {
        assert!(NerModel::from_bytes(b"").is_err());
        assert!(NerModel::from_bytes(b"PXNER\0\0\x01garbage").is_err());
    }
}
