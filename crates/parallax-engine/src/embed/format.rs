//! The packed model file ("E5S1"), read and checked.
//!
//! Layout, all little-endian: the magic `E5S1` and a version; the shape (hidden size, layers, heads,
//! feed-forward size, vocabulary rows, positions, token types, layer-norm epsilon, 4-bit block size); the
//! tokenizer (piece count; ids of `<s>`, `</s>`, `<pad>`, `<unk>`; the piece bytes with their offsets and
//! scores; a per-code-point normalisation map); then a directory of named tensors (name, type 0 for `f32` or 1
//! for 4-bit blocks, element count, byte offset and length from the start of the file). A 4-bit block is an
//! `f16` scale and 16 bytes holding 32 weights, weight `j` in the low nibble of byte `j` and weight `j + 16` in
//! the high nibble, each `(nibble - 8) * scale`.

use std::path::Path;

/// Why a model file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EncoderError {
    /// The file could not be read.
    #[error("cannot read the embedding model {path}: {source}")]
    Io {
        /// The path tried.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not a model this reader understands.
    #[error("{path} is not a packed multilingual-e5 model (E5S1): {reason}")]
    Format {
        /// The path read.
        path: String,
        /// What was wrong, and where.
        reason: String,
    },
}

/// Weights in 32-wide blocks.
pub(crate) const BLOCK: usize = 32;
const BLOCK_BYTES: usize = 18;

/// The model's shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shape {
    pub(crate) hidden: usize,
    pub(crate) layers: usize,
    pub(crate) heads: usize,
    pub(crate) feed_forward: usize,
    pub(crate) vocabulary: usize,
    pub(crate) positions: usize,
    pub(crate) epsilon: f32,
}

/// The tokenizer's tables, as stored.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    /// Each piece's bytes.
    pub(crate) pieces: Vec<Vec<u8>>,
    pub(crate) scores: Vec<f32>,
    pub(crate) bos: u32,
    pub(crate) eos: u32,
    pub(crate) unk: u32,
    /// Code point to its replacement, sorted by code point.
    pub(crate) normalisation: Vec<(u32, Vec<u32>)>,
}

/// A matrix of `rows x columns`, row-major.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matrix {
    pub(crate) rows: usize,
    pub(crate) columns: usize,
    pub(crate) values: Vec<f32>,
}

/// One encoder layer's weights; each matrix is `outputs x inputs`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layer {
    pub(crate) query: (Matrix, Vec<f32>),
    pub(crate) key: (Matrix, Vec<f32>),
    pub(crate) value: (Matrix, Vec<f32>),
    pub(crate) attention_out: (Matrix, Vec<f32>),
    pub(crate) attention_norm: (Vec<f32>, Vec<f32>),
    pub(crate) expand: (Matrix, Vec<f32>),
    pub(crate) contract: (Matrix, Vec<f32>),
    pub(crate) output_norm: (Vec<f32>, Vec<f32>),
}

/// Everything in the file.
#[derive(Debug, Clone)]
pub(crate) struct ModelFile {
    pub(crate) shape: Shape,
    pub(crate) vocabulary: Vocabulary,
    /// The word embeddings stay packed (they are most of the model and only a few rows are read per text).
    pub(crate) words: Vec<u8>,
    pub(crate) positions: Vec<f32>,
    pub(crate) token_type: Vec<f32>,
    pub(crate) embedding_norm: (Vec<f32>, Vec<f32>),
    pub(crate) layers: Vec<Layer>,
}

/// Reads and checks a model file.
pub(crate) fn read_model(path: &Path) -> Result<ModelFile, EncoderError> {
    let bytes = std::fs::read(path).map_err(|source| EncoderError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_model(&bytes).map_err(|reason| EncoderError::Format {
        path: path.display().to_string(),
        reason,
    })
}

/// A bounds-checked little-endian reader.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!("truncated at byte {} reading {what}", self.at));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn count(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let v = self.u32(what)? as i32;
        usize::try_from(v)
            .ok()
            .filter(|&v| v <= max)
            .ok_or_else(|| format!("{what} is {v}, out of range"))
    }

    fn f32(&mut self, what: &str) -> Result<f32, String> {
        Ok(f32::from_bits(self.u32(what)?))
    }

    fn u64(&mut self, what: &str) -> Result<u64, String> {
        let b = self.take(8, what)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

/// Limits that no real model comes near; they keep a corrupt header from asking for absurd allocations.
const MAX_DIM: usize = 1 << 16;
const MAX_ROWS: usize = 1 << 22;

pub(crate) fn parse_model(bytes: &[u8]) -> Result<ModelFile, String> {
    let mut c = Cursor { bytes, at: 0 };
    if c.take(4, "the magic")? != b"E5S1" {
        return Err("the file does not start with E5S1".into());
    }
    let _version = c.u32("the version")?;
    let hidden = c.count("the hidden size", MAX_DIM)?;
    let layers = c.count("the layer count", 256)?;
    let heads = c.count("the head count", MAX_DIM)?;
    let feed_forward = c.count("the feed-forward size", MAX_DIM)?;
    let vocabulary = c.count("the vocabulary size", MAX_ROWS)?;
    let positions = c.count("the position count", MAX_DIM)?;
    let token_types = c.count("the token-type count", MAX_DIM)?;
    let epsilon = c.f32("the layer-norm epsilon")?;
    let block = c.count("the block size", MAX_DIM)?;
    if block != BLOCK
        || hidden == 0
        || heads == 0
        || hidden % heads != 0
        || hidden % BLOCK != 0
        || feed_forward % BLOCK != 0
        || positions < 3
        || token_types == 0
    {
        return Err(format!(
            "unsupported shape: hidden {hidden}, heads {heads}, feed-forward {feed_forward}, block {block}, \
             positions {positions}"
        ));
    }
    let shape = Shape {
        hidden,
        layers,
        heads,
        feed_forward,
        vocabulary,
        positions,
        epsilon,
    };

    let pieces = c.count("the piece count", MAX_ROWS)?;
    let mut special = [0u32; 4];
    for (slot, what) in special.iter_mut().zip(["<s>", "</s>", "<pad>", "<unk>"]) {
        *slot = c.u32(what)?;
        if *slot as usize >= pieces.min(vocabulary) {
            return Err(format!("the id of {what} is out of range"));
        }
    }
    let blob_len = usize::try_from(c.u64("the piece bytes' length")?).map_err(|e| e.to_string())?;
    let mut offsets = Vec::with_capacity(pieces + 1);
    for _ in 0..=pieces {
        offsets.push(c.u32("a piece offset")? as usize);
    }
    let mut scores = Vec::with_capacity(pieces);
    for _ in 0..pieces {
        scores.push(c.f32("a piece score")?);
    }
    let blob = c.take(blob_len, "the piece bytes")?;
    let mut piece_bytes = Vec::with_capacity(pieces);
    for w in offsets.windows(2) {
        let piece = blob
            .get(w[0]..w[1])
            .ok_or_else(|| format!("piece offsets {}..{} out of range", w[0], w[1]))?;
        piece_bytes.push(piece.to_vec());
    }
    let entries = c.count("the normalisation map's length", MAX_ROWS)?;
    let map_len = c.u32("the normalisation map's size")? as usize;
    let mut map = Cursor {
        bytes: c.take(map_len, "the normalisation map")?,
        at: 0,
    };
    let mut normalisation = Vec::with_capacity(entries);
    for _ in 0..entries {
        let from = map.u32("a normalised code point")?;
        let n = map.take(1, "a replacement length")?[0];
        let to = (0..n)
            .map(|_| map.u32("a replacement code point"))
            .collect::<Result<Vec<_>, _>>()?;
        normalisation.push((from, to));
    }
    normalisation.sort_by_key(|(from, _)| *from);

    let tensors = c.count("the tensor count", 1 << 16)?;
    let mut directory = Vec::with_capacity(tensors);
    for _ in 0..tensors {
        let name_len = {
            let b = c.take(2, "a tensor name's length")?;
            u16::from_le_bytes([b[0], b[1]]) as usize
        };
        let name = String::from_utf8_lossy(c.take(name_len, "a tensor name")?).into_owned();
        let kind = c.take(1, "a tensor type")?[0];
        let count = c.u32("a tensor size")? as usize;
        let offset = usize::try_from(c.u64("a tensor offset")?).map_err(|e| e.to_string())?;
        let length = usize::try_from(c.u64("a tensor length")?).map_err(|e| e.to_string())?;
        directory.push((name, kind, count, offset, length));
    }
    let tensor = |name: &str, kind: u8, count: usize| -> Result<&[u8], String> {
        let (_, k, n, offset, length) = directory
            .iter()
            .find(|(n, ..)| n == name)
            .ok_or_else(|| format!("tensor {name} is missing"))?;
        let expected = match kind {
            0 => count * 4,
            _ => count / BLOCK * BLOCK_BYTES,
        };
        if *k != kind || *n != count || *length != expected {
            return Err(format!(
                "tensor {name} has type {k} and {n} values in {length} bytes; expected type {kind} and {count}"
            ));
        }
        offset
            .checked_add(*length)
            .and_then(|end| bytes.get(*offset..end))
            .ok_or_else(|| format!("tensor {name} lies outside the file"))
    };
    let floats = |name: &str, count: usize| -> Result<Vec<f32>, String> {
        Ok(tensor(name, 0, count)?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    };
    let matrix = |name: &str, rows: usize, columns: usize| -> Result<Matrix, String> {
        let packed = tensor(name, 1, rows * columns)?;
        let mut values = vec![0.0; rows * columns];
        unpack(packed, &mut values);
        Ok(Matrix {
            rows,
            columns,
            values,
        })
    };
    let pair = |name: &str, size: usize| -> Result<(Vec<f32>, Vec<f32>), String> {
        Ok((
            floats(&format!("{name}.w"), size)?,
            floats(&format!("{name}.b"), size)?,
        ))
    };
    let linear = |name: &str, rows: usize, columns: usize| -> Result<(Matrix, Vec<f32>), String> {
        Ok((
            matrix(&format!("{name}.w"), rows, columns)?,
            floats(&format!("{name}.b"), rows)?,
        ))
    };
    let words = tensor("emb.word", 1, vocabulary * hidden)?.to_vec();
    let positions_table = floats("emb.pos", positions * hidden)?;
    // Every text is one segment: only the first token type's row is used.
    let mut token_type = floats("emb.type", token_types * hidden)?;
    token_type.truncate(hidden);
    let embedding_norm = pair("emb.ln", hidden)?;
    let mut all_layers = Vec::with_capacity(layers);
    for l in 0..layers {
        let p = |s: &str| format!("l{l}.{s}");
        all_layers.push(Layer {
            query: linear(&p("q"), hidden, hidden)?,
            key: linear(&p("k"), hidden, hidden)?,
            value: linear(&p("v"), hidden, hidden)?,
            attention_out: linear(&p("ao"), hidden, hidden)?,
            attention_norm: pair(&p("aln"), hidden)?,
            expand: linear(&p("fi"), feed_forward, hidden)?,
            contract: linear(&p("fo"), hidden, feed_forward)?,
            output_norm: pair(&p("oln"), hidden)?,
        });
    }
    Ok(ModelFile {
        shape,
        vocabulary: Vocabulary {
            pieces: piece_bytes,
            scores,
            bos: special[0],
            eos: special[1],
            unk: special[3],
            normalisation,
        },
        words,
        positions: positions_table,
        token_type,
        embedding_norm,
        layers: all_layers,
    })
}

/// Expands packed 4-bit blocks into `out` (whose length is a multiple of the block size).
pub(crate) fn unpack(packed: &[u8], out: &mut [f32]) {
    for (block, values) in packed
        .chunks_exact(BLOCK_BYTES)
        .zip(out.chunks_exact_mut(BLOCK))
    {
        let scale = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
        let (low, high) = values.split_at_mut(BLOCK / 2);
        for (j, &byte) in block[2..].iter().enumerate() {
            low[j] = (i32::from(byte & 0x0f) - 8) as f32 * scale;
            high[j] = (i32::from(byte >> 4) - 8) as f32 * scale;
        }
    }
}

/// Packs `values` (a multiple of the block size) the way the file stores them; for building test models.
#[cfg(test)]
pub(crate) fn pack(values: &[f32]) -> Vec<u8> {
    let mut out = Vec::new();
    for block in values.chunks_exact(BLOCK) {
        let max = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let scale = if max > 0.0 { max / 7.0 } else { 1.0 };
        let half = f32_to_f16(scale);
        let scale = f16_to_f32(half);
        out.extend_from_slice(&half.to_le_bytes());
        for j in 0..BLOCK / 2 {
            let q = |v: f32| ((v / scale).round() as i32 + 8).clamp(0, 15) as u8;
            out.push(q(block[j]) | (q(block[j + BLOCK / 2]) << 4));
        }
    }
    out
}

/// IEEE half to single precision.
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exponent = u32::from((h >> 10) & 0x1f);
    let mantissa = u32::from(h & 0x3ff);
    let bits = match (exponent, mantissa) {
        (0, 0) => sign,
        (0, m) => {
            // Subnormal: normalise it.
            let shift = m.leading_zeros() - 21;
            let m = (m << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (m << 13)
        }
        (31, m) => sign | 0x7f80_0000 | (m << 13),
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

/// Single to half precision (normal numbers only, rounding to nearest); for building test models.
#[cfg(test)]
pub(crate) fn f32_to_f16(v: f32) -> u16 {
    let bits = v.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exponent = ((bits >> 23) & 0xff) as i32 - 127 + 15;
    if exponent <= 0 {
        return sign;
    }
    let mantissa = ((bits & 0x7f_ffff) + 0x1000) >> 13;
    sign | (((exponent as u16) << 10) + mantissa as u16)
}
