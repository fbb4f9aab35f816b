//! Near-duplicates: wire copies and republications, exact or edited.
//!
//! Exact copies are found by a hash of the text after normalising whitespace, case and punctuation. Near-copies
//! (a changed headline or byline, a paragraph dropped or added, boilerplate around the same story) are found with
//! MinHash over word shingles and locality-sensitive hashing: signatures are cut into bands, and two texts that
//! agree on all rows of any one band become candidates, whose similarity is then estimated from the whole
//! signature. With the default 32 bands of 4 rows a pair at Jaccard 0.8 becomes a candidate with probability
//! above 0.9999, and one at 0.3 with probability 0.23, so the estimate, not the banding, decides.
//!
//! Everything is deterministic: hash functions are seeded from fixed constants, candidates are checked in the
//! order the texts arrived, and ties go to the earliest text, so the same stream always gives the same answer.
//!
//! ```
//! use parallax_engine::dedup::{DedupConfig, NearDuplicates};
//!
//! let mut dedup = NearDuplicates::new(DedupConfig::default());
//! let wire = "The central bank raised its main rate by half a point on Thursday, the first rise in two years, \
//!             citing prices that kept climbing through the summer and a labour market that stayed tight.";
//! assert!(dedup.insert(&"a".into(), wire).is_none());
//! let copy = dedup.insert(&"b".into(), &format!("{wire} Reporting by a staff writer.")).unwrap();
//! assert_eq!(copy.copies.0, "a");
//! assert!(copy.similarity > 0.8);
//! ```

use parallax_model::{ArticleId, NearDuplicate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::hashing::{StableHasher, mix, stable_hash};

/// Settings of near-duplicate detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DedupConfig {
    /// Words per shingle. Three keeps short wire items comparable while making chance overlap rare.
    pub shingle_words: usize,
    /// Number of LSH bands; `bands * rows` is the signature length.
    pub bands: usize,
    /// Rows (hash values) per band.
    pub rows: usize,
    /// Estimated Jaccard similarity at or above which a text counts as a copy.
    pub threshold: f32,
    /// Texts with fewer words than this are never called copies: a one-line brief matches too much by chance.
    pub min_words: usize,
    /// How many recent texts are kept to be copied from; older ones are forgotten so memory stays bounded.
    pub window: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle_words: 3,
            bands: 32,
            rows: 4,
            threshold: 0.8,
            min_words: 20,
            window: 200_000,
        }
    }
}

/// A text's MinHash signature and the normalised-text hash used for exact copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    exact: u64,
    signature: Vec<u32>,
    words: usize,
}

impl Fingerprint {
    /// The fingerprint of a text under `config`: what [`NearDuplicates::fingerprint`] gives, without an index.
    pub fn new(config: &DedupConfig, text: &str) -> Self {
        fingerprint(config, text)
    }

    /// The estimated Jaccard similarity of two texts' shingle sets: the share of signature rows that agree. It is
    /// symmetric by construction.
    pub fn similarity(&self, other: &Fingerprint) -> f32 {
        similarity(self.exact, &self.signature, other.exact, &other.signature)
    }
}

fn similarity(a_exact: u64, a: &[u32], b_exact: u64, b: &[u32]) -> f32 {
    if a_exact == b_exact {
        return 1.0;
    }
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / n as f32
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    id: ArticleId,
    exact: u64,
    signature: Vec<u32>,
    /// The publication day (days since 1970-01-01) the text was inserted with, for forgetting by date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    day: Option<i32>,
    /// False for a text too short to be called a copy by its shingles: it is only in the exact table.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    bucketed: bool,
    /// For each band, how many entries back the next-older text with the same band key lies (0: none). The
    /// buckets hold only the newest text per band key and these links chain the older ones, which costs a
    /// fraction of a list per key. Empty for texts too short to be bucketed. Rebuilt, not saved.
    #[serde(skip)]
    older: Vec<u32>,
}

/// The near-duplicate index over a stream of texts.
///
/// Memory is bounded: at most `window` texts are held, and
/// [`forget_published_before`](Self::forget_published_before) drops texts older than a date, which the story clusterer calls with the same
/// window of days it uses for stories. The saved form holds the texts' signatures only; the lookup tables are
/// rebuilt when it is read back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "SavedIndex", into = "SavedIndex")]
pub struct NearDuplicates {
    config: DedupConfig,
    /// Texts in arrival order; `first` is the sequence number of `entries[0]`.
    entries: std::collections::VecDeque<Entry>,
    first: u64,
    exact: FxHashMap<u64, u64>,
    /// Band key to the newest text with that key; older ones are chained through `Entry::older`.
    buckets: FxHashMap<u64, u64>,
}

/// What [`NearDuplicates`] saves: settings and texts, without the tables derived from them.
#[derive(Serialize, Deserialize)]
struct SavedIndex {
    config: DedupConfig,
    entries: std::collections::VecDeque<Entry>,
    first: u64,
}

impl From<NearDuplicates> for SavedIndex {
    fn from(index: NearDuplicates) -> Self {
        SavedIndex {
            config: index.config,
            entries: index.entries,
            first: index.first,
        }
    }
}

impl From<SavedIndex> for NearDuplicates {
    fn from(saved: SavedIndex) -> Self {
        let mut index = NearDuplicates::new(saved.config);
        index.first = saved.first;
        for mut entry in saved.entries {
            let seq = index.first + index.entries.len() as u64;
            index.link(seq, &mut entry);
            index.entries.push_back(entry);
        }
        index
    }
}

impl NearDuplicates {
    /// An empty index.
    pub fn new(config: DedupConfig) -> Self {
        NearDuplicates {
            config,
            entries: Default::default(),
            first: 0,
            exact: FxHashMap::default(),
            buckets: FxHashMap::default(),
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// How many texts the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the index holds no text.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The fingerprint of a text under this index's settings.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        fingerprint(&self.config, text)
    }

    /// Adds a text and says whether it copies one seen before: the most similar earlier text at or above the
    /// threshold, the earliest one on a tie.
    pub fn insert(&mut self, id: &ArticleId, text: &str) -> Option<NearDuplicate> {
        let print = self.fingerprint(text);
        self.insert_fingerprint(id, print, None)
    }

    /// Like [`insert`](Self::insert), for a fingerprint computed beforehand (on another thread, say), with the
    /// text's publication day (days since 1970-01-01) for [`forget_published_before`](Self::forget_published_before).
    pub fn insert_fingerprint(
        &mut self,
        id: &ArticleId,
        print: Fingerprint,
        day: Option<i32>,
    ) -> Option<NearDuplicate> {
        let found = self.find(&print).map(|(seq, similarity)| {
            let entry = &self.entries[(seq - self.first) as usize];
            NearDuplicate {
                article: id.clone(),
                copies: entry.id.clone(),
                similarity,
                exact: entry.exact == print.exact,
            }
        });
        self.add(id, print, day);
        found
    }

    /// Forgets, oldest first, the texts published before `day` (and undated texts that arrived before them), and
    /// hands each forgotten id to `forgotten`. Texts are forgotten in arrival order, so in a stream out of date
    /// order a late old text waits until the texts before it go: the index stays bounded by `window` either way.
    pub fn forget_published_before(&mut self, day: i32, forgotten: &mut dyn FnMut(&ArticleId)) {
        while self
            .entries
            .front()
            .is_some_and(|e| e.day.is_some_and(|d| d < day))
        {
            if let Some(id) = self.forget_oldest() {
                forgotten(&id);
            }
        }
    }

    /// Forgets the oldest texts beyond the `window` count, handing each id to `forgotten`.
    pub fn forget_beyond_window(&mut self, forgotten: &mut dyn FnMut(&ArticleId)) {
        while self.entries.len() > self.config.window.max(1) {
            if let Some(id) = self.forget_oldest() {
                forgotten(&id);
            }
        }
    }

    /// The best earlier match for a fingerprint, as (sequence number, similarity), without adding it.
    fn find(&self, print: &Fingerprint) -> Option<(u64, f32)> {
        if print.words == 0 {
            return None;
        }
        if let Some(&seq) = self.exact.get(&print.exact)
            && seq >= self.first
        {
            return Some((seq, 1.0));
        }
        if print.words < self.config.min_words {
            return None;
        }
        let mut candidates: Vec<u64> = Vec::new();
        for (band, key) in band_keys(&self.config, &print.signature).enumerate() {
            let mut next = self.buckets.get(&key).copied();
            while let Some(seq) = next.filter(|&s| s >= self.first) {
                candidates.push(seq);
                let back = self.entries[(seq - self.first) as usize]
                    .older
                    .get(band)
                    .copied()
                    .unwrap_or(0);
                next = (back > 0).then(|| seq - u64::from(back));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(u64, f32)> = None;
        for seq in candidates {
            let entry = &self.entries[(seq - self.first) as usize];
            let similarity =
                similarity(print.exact, &print.signature, entry.exact, &entry.signature);
            if similarity >= self.config.threshold && best.is_none_or(|(_, b)| similarity > b) {
                best = Some((seq, similarity));
            }
        }
        best
    }

    fn add(&mut self, id: &ArticleId, print: Fingerprint, day: Option<i32>) {
        let seq = self.first + self.entries.len() as u64;
        let mut entry = Entry {
            id: id.clone(),
            exact: print.exact,
            signature: print.signature,
            day,
            bucketed: print.words >= self.config.min_words,
            older: Vec::new(),
        };
        self.link(seq, &mut entry);
        self.entries.push_back(entry);
        self.forget_beyond_window(&mut |_| {});
    }

    /// Enters a text into the exact table and, when it is long enough, into the buckets of its bands.
    fn link(&mut self, seq: u64, entry: &mut Entry) {
        self.exact.entry(entry.exact).or_insert(seq);
        if !entry.bucketed {
            entry.older = Vec::new();
            return;
        }
        entry.older = vec![0; self.config.bands];
        for (band, key) in band_keys(&self.config, &entry.signature).enumerate() {
            if let Some(previous) = self.buckets.insert(key, seq) {
                entry.older[band] = u32::try_from(seq - previous).unwrap_or(0);
            }
        }
    }

    /// Drops the oldest text from the index, so memory stays bounded on an endless stream, and returns its id.
    fn forget_oldest(&mut self) -> Option<ArticleId> {
        let entry = self.entries.pop_front()?;
        let seq = self.first;
        self.first += 1;
        if self.exact.get(&entry.exact) == Some(&seq) {
            self.exact.remove(&entry.exact);
        }
        if entry.bucketed {
            let keys: Vec<u64> = band_keys(&self.config, &entry.signature).collect();
            for (band, key) in keys.into_iter().enumerate() {
                self.unlink_oldest(band, key, seq);
            }
        }
        Some(entry.id)
    }

    /// Removes the text `seq`, the oldest held, from the chain of `key` in `band`: it is the chain's last link.
    fn unlink_oldest(&mut self, band: usize, key: u64, seq: u64) {
        let Some(&newest) = self.buckets.get(&key) else {
            return;
        };
        if newest <= seq {
            self.buckets.remove(&key);
            return;
        }
        let mut at = newest;
        while at > seq {
            let Some(entry) = self.entries.get_mut((at - self.first) as usize) else {
                return;
            };
            let back = entry.older.get(band).copied().unwrap_or(0);
            if back == 0 {
                return;
            }
            let older = at - u64::from(back);
            if older <= seq {
                entry.older[band] = 0;
                return;
            }
            at = older;
        }
    }
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

/// Lower-cased words with punctuation dropped: the form both exact and near-copy detection compare.
pub(crate) fn normalised_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The shingle hashes of a text: every run of `k` consecutive normalised words (the whole text when shorter).
pub(crate) fn shingles(words: &[String], k: usize) -> Vec<u64> {
    let k = k.max(1);
    if words.is_empty() {
        return Vec::new();
    }
    let hash_run = |run: &[String]| stable_hash(run.join(" ").as_bytes());
    if words.len() <= k {
        return vec![hash_run(words)];
    }
    let mut out: Vec<u64> = words.windows(k).map(hash_run).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The fingerprint of a text, read a word at a time: memory is the signature and the last `k` words, whatever the
/// text's size. It equals what hashing [`shingles`] of [`normalised_words`] gives (a repeated shingle lowers no
/// minimum twice).
fn fingerprint(config: &DedupConfig, text: &str) -> Fingerprint {
    let k = config.shingle_words.max(1);
    let length = config.bands * config.rows;
    let (multipliers, offsets) = hash_family(length);
    let mut signature = vec![u32::MAX; length];
    let mut add_shingle = |shingle: u64| {
        // Multiply-shift hashing of an already well-mixed shingle hash: two operations per function, which the
        // compiler vectorises, instead of a full mix per function.
        for ((slot, &a), &b) in signature.iter_mut().zip(&multipliers).zip(&offsets) {
            let h = (shingle.wrapping_mul(a).wrapping_add(b) >> 32) as u32;
            *slot = (*slot).min(h);
        }
    };
    let hash_run = |run: &std::collections::VecDeque<String>| {
        let mut h = StableHasher::new();
        for (i, word) in run.iter().enumerate() {
            if i > 0 {
                h.write(b" ");
            }
            h.write(word.as_bytes());
        }
        h.finish()
    };
    let mut exact = StableHasher::new();
    let mut window: std::collections::VecDeque<String> =
        std::collections::VecDeque::with_capacity(k + 1);
    let mut words = 0;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        if words > 0 {
            exact.write(b" ");
        }
        exact.write(word.as_bytes());
        words += 1;
        window.push_back(word);
        if window.len() > k {
            window.pop_front();
        }
        if window.len() == k {
            add_shingle(hash_run(&window));
        }
    }
    if words > 0 && words < k {
        add_shingle(hash_run(&window));
    }
    Fingerprint {
        exact: exact.finish(),
        signature,
        words,
    }
}

/// The MinHash functions: odd multipliers and offsets drawn from a fixed seed, so signatures are stable across
/// runs and machines (changing the seed invalidates stored indexes).
fn hash_family(length: usize) -> (Vec<u64>, Vec<u64>) {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut draw = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(state)
    };
    let mut multipliers = Vec::with_capacity(length);
    let mut offsets = Vec::with_capacity(length);
    for _ in 0..length {
        multipliers.push(draw() | 1);
        offsets.push(draw());
    }
    (multipliers, offsets)
}

fn band_keys<'a>(config: &'a DedupConfig, signature: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
    signature
        .chunks(config.rows.max(1))
        .take(config.bands)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = mix(band as u64 + 1);
            for &r in rows {
                h = mix(h ^ u64::from(r));
            }
            h
        })
}

/// Exact Jaccard similarity of two texts' shingle sets under `config`, for evaluations and tests.
pub fn exact_jaccard(config: &DedupConfig, a: &str, b: &str) -> f32 {
    let sa = shingles(&normalised_words(a), config.shingle_words);
    let sb = shingles(&normalised_words(b), config.shingle_words);
    if sa.is_empty() && sb.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < sa.len() && j < sb.len() {
        match sa[i].cmp(&sb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f32 / (sa.len() + sb.len() - both) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Rescue teams searched through the night for survivors after the earthquake struck the \
        coastal province on Tuesday, officials said, and the regional hospital reported dozens of injured people \
        arriving by road. The national weather agency measured the quake at magnitude 6.1 with its centre offshore.";

    /// The fingerprint as defined: every distinct shingle of the joined normalised words, hashed at once.
    fn fingerprint_by_definition(config: &DedupConfig, text: &str) -> Fingerprint {
        let words = normalised_words(text);
        let (multipliers, offsets) = hash_family(config.bands * config.rows);
        let mut signature = vec![u32::MAX; multipliers.len()];
        for shingle in shingles(&words, config.shingle_words) {
            for ((slot, &a), &b) in signature.iter_mut().zip(&multipliers).zip(&offsets) {
                *slot = (*slot).min((shingle.wrapping_mul(a).wrapping_add(b) >> 32) as u32);
            }
        }
        Fingerprint {
            exact: stable_hash(words.join(" ").as_bytes()),
            signature,
            words: words.len(),
        }
    }

    #[test]
    fn a_fingerprint_read_word_by_word_equals_its_definition() {
        let config = DedupConfig::default();
        let repeated = format!("{STORY} {STORY} {STORY}");
        let texts = [
            "",
            "  ,; ",
            "One",
            "Two words",
            "Exactly five words here now",
            "Déjà VU: six words, ÉTÉ 2024!",
            STORY,
            repeated.as_str(),
        ];
        for text in texts {
            assert_eq!(
                Fingerprint::new(&config, text),
                fingerprint_by_definition(&config, text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn finds_exact_copies_whatever_the_spacing_case_and_punctuation() {
        let mut dedup = NearDuplicates::new(DedupConfig::default());
        assert_eq!(dedup.insert(&"a".into(), STORY), None);
        let shouted = STORY.to_uppercase().replace(", ", " ; ").replace(' ', "  ");
        let copy = dedup.insert(&"b".into(), &shouted).unwrap();
        assert_eq!(
            copy,
            NearDuplicate {
                article: "b".into(),
                copies: "a".into(),
                similarity: 1.0,
                exact: true
            }
        );
    }

    #[test]
    fn finds_an_edited_copy_and_not_a_different_story() {
        let mut dedup = NearDuplicates::new(DedupConfig::default());
        dedup.insert(&"a".into(), STORY);
        let edited =
            format!("By A Staff Writer\n\n{STORY}\n\nCopyright the agency. All rights reserved.");
        let copy = dedup.insert(&"b".into(), &edited).unwrap();
        assert_eq!(copy.copies.0, "a");
        assert!(!copy.exact);
        let other = "The city council approved the new budget on Monday after a long debate about school \
            funding, road repairs and the cost of running the public library system through the winter months.";
        assert_eq!(dedup.insert(&"c".into(), other), None);
    }

    #[test]
    fn forgets_texts_beyond_its_window() {
        let config = DedupConfig {
            window: 1,
            ..DedupConfig::default()
        };
        let mut dedup = NearDuplicates::new(config);
        dedup.insert(&"a".into(), STORY);
        dedup.insert(
            &"b".into(),
            "Something else entirely, with enough words to count as a text of its own here.",
        );
        assert_eq!(dedup.insert(&"c".into(), STORY), None);
    }
}
