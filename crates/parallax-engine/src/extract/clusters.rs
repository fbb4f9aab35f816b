//! Word clusters learnt from unlabelled news, the recogniser's main defence against words it never saw labelled.
//!
//! A name the labelled data lacks ("Telegram", "Kherson") still keeps company like names of its kind: "in Kherson",
//! "Kherson region", "the Kherson offensive". Following Ratinov and Roth (2009), who used Brown clusters, each word
//! of the unlabelled text gets a path in a binary tree of words that keep similar company, and the recogniser reads
//! prefixes of that path as features: a short prefix is a coarse class (roughly "place-like"), a long one a narrow
//! one. The tree here is built by splitting, not by Brown's merging, because Brown clustering is quadratic in the
//! number of clusters and this must run in seconds on two cores: each word is described by its neighbours one and
//! two words either side (positive pointwise mutual information with the most frequent words, projected to a few
//! dozen dimensions), and the words are split in two by spherical 2-means, again and again, to a fixed depth.
//!
//! The table holds only hashes of lowercase words and their paths: no text of the unlabelled corpus is kept. Words
//! are keyed as the recogniser keys them (lowercase, digits as `0`), so a headline in capitals finds its words.

use std::io::{Read, Write};
use std::path::Path;

use rustc_hash::FxHashMap;

use super::ner::{ModelError, lower_key};
use super::tokens::tokenize;

const MAGIC: &[u8; 8] = b"PXCLU\0\0\x01";

/// How to learn the clusters.
#[derive(Debug, Clone, Copy)]
pub struct ClusterConfig {
    /// Words seen fewer times than this get no cluster.
    pub min_count: u32,
    /// The most words clustered (the most frequent ones).
    pub max_words: usize,
    /// How many of the most frequent words serve as context.
    pub contexts: usize,
    /// Dimensions each word's context profile is projected to.
    pub dims: usize,
    /// Depth of the tree: paths have at most this many bits.
    pub depth: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            min_count: 3,
            max_words: 60_000,
            contexts: 1_000,
            dims: 96,
            depth: 14,
        }
    }
}

/// Each known word's path in the cluster tree, keyed by the hash of its lowercase form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordClusters {
    /// Path bits under a leading 1 (so `0b1` is the root and a path's depth is its bit length less one).
    paths: FxHashMap<u64, u32>,
}

impl WordClusters {
    /// How many words have a cluster.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether the table is empty (a model trained without clusters).
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The path of a word given by its key ([`lower_key`]); 0 when the word has no cluster.
    pub(crate) fn path(&self, key: u64) -> u32 {
        self.paths.get(&key).copied().unwrap_or(0)
    }

    /// Writes the table as (key, path) pairs in key order, so the same table gives the same bytes.
    pub(crate) fn write_raw(&self, raw: &mut Vec<u8>) {
        let mut pairs: Vec<(u64, u32)> = self.paths.iter().map(|(&k, &p)| (k, p)).collect();
        pairs.sort_unstable();
        raw.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        for (key, path) in pairs {
            raw.extend_from_slice(&key.to_le_bytes());
            raw.extend_from_slice(&path.to_le_bytes());
        }
    }

    /// Reads what [`WordClusters::write_raw`] wrote, from `raw[*at..]`.
    pub(crate) fn read_raw(raw: &[u8], at: &mut usize) -> Result<WordClusters, ModelError> {
        let mut take = |n: usize| -> Result<&[u8], ModelError> {
            let slice = raw
                .get(*at..*at + n)
                .ok_or_else(|| ModelError::Format("truncated cluster table".into()))?;
            *at += n;
            Ok(slice)
        };
        let count = u32::from_le_bytes(take(4)?.try_into().unwrap_or_default()) as usize;
        if count > 1 << 24 {
            return Err(ModelError::Format("cluster table too large".into()));
        }
        let mut paths = FxHashMap::default();
        paths.reserve(count);
        for _ in 0..count {
            let key = u64::from_le_bytes(take(8)?.try_into().unwrap_or_default());
            let path = u32::from_le_bytes(take(4)?.try_into().unwrap_or_default());
            paths.insert(key, path);
        }
        Ok(WordClusters { paths })
    }

    /// Writes the table to a file of its own (what `parallax train clusters` writes).
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        let mut raw = Vec::new();
        self.write_raw(&mut raw);
        let mut out = MAGIC.to_vec();
        let mut encoder = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = encoder.write_all(&raw);
        let _ = encoder.finish();
        std::fs::write(path, out).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a table saved by [`WordClusters::save`].
    pub fn load(path: &Path) -> Result<WordClusters, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| ModelError::Format("not a Parallax cluster table".into()))?;
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(body)
            .take(256 << 20)
            .read_to_end(&mut raw)
            .map_err(|e| ModelError::Format(e.to_string()))?;
        WordClusters::read_raw(&raw, &mut 0)
    }
}

/// Learns word clusters from unlabelled texts (whole articles; they are cut into sentences here).
pub fn learn_word_clusters<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    config: &ClusterConfig,
) -> WordClusters {
    // Every sentence as word keys.
    let mut sentences: Vec<Vec<u64>> = Vec::new();
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    for text in texts {
        let tokens = tokenize(text);
        for sentence in &tokens.sentences {
            let keys: Vec<u64> = tokens.tokens[sentence.tokens.clone()]
                .iter()
                .map(|t| lower_key(&text[t.start..t.end]))
                .collect();
            for &k in &keys {
                *counts.entry(k).or_default() += 1;
            }
            sentences.push(keys);
        }
    }
    // The most frequent words first, ties by key, so the result does not depend on hash order.
    let mut ranked: Vec<(u64, u32)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let words: Vec<u64> = ranked
        .iter()
        .take_while(|(_, c)| *c >= config.min_count)
        .take(config.max_words)
        .map(|(k, _)| *k)
        .collect();
    let word_index: FxHashMap<u64, u32> = words
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, i as u32))
        .collect();
    let contexts = config.contexts.min(words.len());
    // Context ids: the frequent words, plus one for "any other word" and one for the sentence edge; four
    // positions (two before, two after).
    let per_position = contexts + 2;
    let context_of = |k: Option<u64>| -> usize {
        match k {
            None => contexts + 1,
            Some(k) => match word_index.get(&k) {
                Some(&i) if (i as usize) < contexts => i as usize,
                _ => contexts,
            },
        }
    };
    let mut pairs: FxHashMap<u64, u32> = FxHashMap::default();
    let mut context_totals = vec![0f64; 4 * per_position];
    let mut word_totals = vec![0f64; words.len()];
    for keys in &sentences {
        for (i, k) in keys.iter().enumerate() {
            let Some(&w) = word_index.get(k) else {
                continue;
            };
            let around = [
                i.checked_sub(2).map(|j| keys[j]),
                i.checked_sub(1).map(|j| keys[j]),
                keys.get(i + 1).copied(),
                keys.get(i + 2).copied(),
            ];
            for (position, neighbour) in around.into_iter().enumerate() {
                let c = position * per_position + context_of(neighbour);
                *pairs.entry((w as u64) << 32 | c as u64).or_default() += 1;
                context_totals[c] += 1.0;
                word_totals[w as usize] += 1.0;
            }
        }
    }
    // Positive PMI with the context distribution smoothed (counts to the power 0.75), projected onto random
    // directions: each context contributes its PMI times a fixed pseudo-random sign vector.
    let total: f64 = word_totals.iter().sum();
    let smoothed: Vec<f64> = context_totals.iter().map(|c| c.powf(0.75)).collect();
    let smoothed_total: f64 = smoothed.iter().sum();
    let dims = config.dims;
    let mut vectors = vec![0f32; words.len() * dims];
    let mut sorted_pairs: Vec<(u64, u32)> = pairs.into_iter().collect();
    sorted_pairs.sort_unstable();
    for (key, count) in sorted_pairs {
        let (w, c) = ((key >> 32) as usize, (key & 0xFFFF_FFFF) as usize);
        let pmi = ((count as f64 / total)
            / ((word_totals[w] / total) * (smoothed[c] / smoothed_total)))
            .ln();
        if pmi <= 0.0 {
            continue;
        }
        let v = &mut vectors[w * dims..(w + 1) * dims];
        let mut state = (c as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for x in v.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *x += if state & 1 == 0 {
                pmi as f32
            } else {
                -(pmi as f32)
            };
        }
    }
    for v in vectors.chunks_mut(dims) {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
        v.iter_mut().for_each(|x| *x /= norm);
    }
    let mut paths = vec![1u32; words.len()];
    let mut members: Vec<usize> = (0..words.len()).collect();
    split_words(&vectors, dims, &mut members, 0, config.depth, &mut paths);
    WordClusters {
        paths: words.into_iter().zip(paths).collect(),
    }
}

/// Splits `members` in two by spherical 2-means and recurses into each half, appending a bit to each path.
fn split_words(
    vectors: &[f32],
    dims: usize,
    members: &mut [usize],
    depth: u32,
    max_depth: u32,
    paths: &mut [u32],
) {
    if depth >= max_depth || members.len() < 2 {
        return;
    }
    let row = |i: usize| &vectors[i * dims..(i + 1) * dims];
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let mut mean = vec![0f32; dims];
    for &m in members.iter() {
        mean.iter_mut().zip(row(m)).for_each(|(a, b)| *a += b);
    }
    // Seeds: the member least like the mean, then the member least like that one.
    let first = *members
        .iter()
        .min_by(|&&a, &&b| dot(row(a), &mean).total_cmp(&dot(row(b), &mean)))
        .unwrap_or(&members[0]);
    let second = *members
        .iter()
        .min_by(|&&a, &&b| dot(row(a), row(first)).total_cmp(&dot(row(b), row(first))))
        .unwrap_or(&members[0]);
    let mut centres = [row(first).to_vec(), row(second).to_vec()];
    let mut side = vec![false; members.len()];
    for _ in 0..8 {
        for (s, &m) in side.iter_mut().zip(members.iter()) {
            *s = dot(row(m), &centres[1]) > dot(row(m), &centres[0]);
        }
        let mut sums = [vec![0f32; dims], vec![0f32; dims]];
        for (&s, &m) in side.iter().zip(members.iter()) {
            sums[s as usize]
                .iter_mut()
                .zip(row(m))
                .for_each(|(a, b)| *a += b);
        }
        for (centre, sum) in centres.iter_mut().zip(sums) {
            let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                *centre = sum.iter().map(|x| x / norm).collect();
            }
        }
    }
    let ones = side.iter().filter(|&&s| s).count();
    if ones == 0 || ones == members.len() {
        return;
    }
    // Members of side 0 first, then side 1, each in their old order.
    let mut ordered: Vec<(bool, usize)> = side.into_iter().zip(members.iter().copied()).collect();
    ordered.sort_by_key(|&(s, _)| s);
    for (slot, (s, m)) in members.iter_mut().zip(ordered) {
        *slot = m;
        paths[m] = paths[m] << 1 | s as u32;
    }
    let (left, right) = members.split_at_mut(members.len() - ones);
    split_words(vectors, dims, left, depth + 1, max_depth, paths);
    split_words(vectors, dims, right, depth + 1, max_depth, paths);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_company_share_a_cluster() {
        let mut text = String::new();
        for (i, city) in ["Paris", "Berlin", "Madrid", "Rome"].iter().enumerate() {
            for (j, name) in ["Smith", "Jones", "Brown", "Wilson"].iter().enumerate() {
                text.push_str(&format!(
                    "Officials in {city} met on day {i}{j} and flew home. Mr. {name} said that it was fine.\n\n"
                ));
            }
        }
        let clusters = learn_word_clusters(
            [text.as_str()],
            &ClusterConfig {
                min_count: 2,
                contexts: 30,
                depth: 3,
                ..ClusterConfig::default()
            },
        );
        let path = |w: &str| clusters.path(lower_key(w));
        assert_ne!(path("Paris"), 0);
        assert_eq!(path("Paris"), path("Rome"));
        assert_eq!(path("Smith"), path("Wilson"));
        assert_ne!(path("Paris"), path("Smith"));
        let mut raw = Vec::new();
        clusters.write_raw(&mut raw);
        assert_eq!(WordClusters::read_raw(&raw, &mut 0).unwrap(), clusters);
    }
}
