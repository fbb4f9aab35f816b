//! Dense vectors of an article's statements, made once when the article is extracted and kept by the store, so
//! that comparing a story reads them rather than running the encoder over every statement each time it is shown.
//!
//! Each vector is kept as one byte per dimension with a scale (a 384-dimension vector in 396 bytes with its
//! span): the cosines the comparison reads move by about 0.01 at most, far inside the band where the dense score
//! decides anything.

use std::ops::Range;

use parallax_model::Article;

use super::split_statements;
use crate::embed::Encoder;

/// What a stored byte string starts with, and the version of its layout.
const MAGIC: &[u8; 5] = b"PXSV1";

/// The vectors of one article's statements, looked up by the statement's byte range in the article's text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatementVectors {
    dims: usize,
    /// Sorted by range.
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    start: u32,
    end: u32,
    scale: f32,
    values: Vec<i8>,
}

impl StatementVectors {
    /// The vectors of every statement the comparison can cut from `article`: of the whole text and of each of its
    /// sections (the unit a story holds of an article with several items), each range embedded once.
    pub fn of_article(article: &Article, encoder: &Encoder, threads: usize) -> Self {
        let text = article.text.as_str();
        let mut ranges = split_statements(text, 0..text.len());
        if article.sections.len() > 1 {
            for section in &article.sections {
                if section.start <= section.end && text.get(section.start..section.end).is_some() {
                    ranges.extend(split_statements(text, section.start..section.end));
                }
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
        let texts: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        let vectors = encoder.embed_all(&texts, threads);
        Self::from_vectors(ranges.into_iter().zip(vectors))
    }

    /// Vectors for the given statement ranges, quantised as they are kept.
    pub fn from_vectors(vectors: impl IntoIterator<Item = (Range<usize>, Vec<f32>)>) -> Self {
        let mut out = StatementVectors::default();
        for (range, vector) in vectors {
            out.dims = vector.len();
            let largest = vector.iter().fold(0f32, |m, v| m.max(v.abs()));
            let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
            out.entries.push(Entry {
                start: range.start as u32,
                end: range.end as u32,
                scale,
                values: vector
                    .iter()
                    .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8)
                    .collect(),
            });
        }
        out.entries.sort_by_key(|e| (e.start, e.end));
        out.entries.dedup_by_key(|e| (e.start, e.end));
        out
    }

    /// How many statements have a vector.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no statement has a vector.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The vector of the statement at `range` (unit length), where one was made.
    pub fn get(&self, range: Range<usize>) -> Option<Vec<f32>> {
        let key = (range.start as u32, range.end as u32);
        let at = self
            .entries
            .binary_search_by_key(&key, |e| (e.start, e.end))
            .ok()?;
        let entry = &self.entries[at];
        let mut vector: Vec<f32> = entry
            .values
            .iter()
            .map(|&v| f32::from(v) * entry.scale)
            .collect();
        let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|v| *v /= norm);
        }
        Some(vector)
    }

    /// The vectors as the store keeps them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(13 + self.entries.len() * (12 + self.dims));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.dims as u32).to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for e in &self.entries {
            out.extend_from_slice(&e.start.to_le_bytes());
            out.extend_from_slice(&e.end.to_le_bytes());
            out.extend_from_slice(&e.scale.to_le_bytes());
            out.extend(e.values.iter().map(|&v| v as u8));
        }
        out
    }

    /// Vectors read back from [`to_bytes`](Self::to_bytes); `None` for bytes of another layout or cut short.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (dims, rest) = read_u32(rest)?;
        let (count, mut rest) = read_u32(rest)?;
        let dims = dims as usize;
        let mut entries = Vec::with_capacity((count as usize).min(rest.len() / (12 + dims).max(1)));
        for _ in 0..count {
            let (start, r) = read_u32(rest)?;
            let (end, r) = read_u32(r)?;
            let (scale, r) = read_u32(r)?;
            let values = r.get(..dims)?.iter().map(|&v| v as i8).collect();
            rest = &r[dims..];
            entries.push(Entry {
                start,
                end,
                scale: f32::from_bits(scale),
                values,
            });
        }
        rest.is_empty()
            .then_some(StatementVectors { dims, entries })
    }
}

fn read_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*head), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / norm).collect()
    }

    #[test]
    fn vectors_come_back_by_range_close_to_what_was_kept() {
        let a = unit(&[0.3, -0.5, 0.1, 0.8]);
        let b = unit(&[-0.2, 0.1, 0.9, 0.05]);
        let kept = StatementVectors::from_vectors([(10..20, b.clone()), (0..9, a.clone())]);
        let read = StatementVectors::from_bytes(&kept.to_bytes()).unwrap();
        assert_eq!(read, kept);
        assert_eq!(read.len(), 2);
        for (range, expected) in [(0..9, &a), (10..20, &b)] {
            let got = read.get(range).unwrap();
            let cosine: f32 = got.iter().zip(expected).map(|(x, y)| x * y).sum();
            assert!(cosine > 0.999, "{cosine}");
        }
        assert_eq!(read.get(0..10), None);
    }

    #[test]
    fn bytes_of_another_layout_or_cut_short_are_refused() {
        let kept = StatementVectors::from_vectors([(0..5, unit(&[1.0, 2.0]))]);
        let bytes = kept.to_bytes();
        assert_eq!(
            StatementVectors::from_bytes(&bytes[..bytes.len() - 1]),
            None
        );
        assert_eq!(StatementVectors::from_bytes(b"PXSV0\0\0\0\0\0\0\0\0"), None);
        assert_eq!(StatementVectors::from_bytes(&[]), None);
        assert_eq!(
            StatementVectors::from_bytes(&StatementVectors::default().to_bytes()),
            Some(StatementVectors::default())
        );
    }
}

#[cfg(test)]
mod with_an_encoder {
    use super::*;
    use crate::embed::EncoderConfig;

    #[test]
    fn every_statement_of_the_article_and_of_each_section_has_a_vector() {
        let bytes = crate::embed::tests::tiny_model();
        let encoder = Encoder::from_bytes(&bytes, "tiny", EncoderConfig::default()).unwrap();
        let text = "Talks opened in Geneva. Both sides spoke.\n\nCaucasus\n\nA second meeting was held in Baku.";
        let mut article = Article::new("Talks", text);
        let second = text.find("Caucasus").unwrap();
        article.sections = vec![
            parallax_model::Section {
                heading: None,
                start: 0,
                end: second - 2,
            },
            parallax_model::Section {
                heading: Some("Caucasus".into()),
                start: second,
                end: text.len(),
            },
        ];
        let vectors = StatementVectors::of_article(&article, &encoder, 1);
        let mut ranges = split_statements(text, 0..text.len());
        for s in &article.sections {
            ranges.extend(split_statements(text, s.start..s.end));
        }
        assert!(ranges.len() >= 3);
        for range in ranges {
            let v = vectors
                .get(range.clone())
                .expect("a vector for every statement");
            assert_eq!(v.len(), encoder.dimensions(), "{range:?}");
        }
    }
}
