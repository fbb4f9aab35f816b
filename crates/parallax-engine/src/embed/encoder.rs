//! Piece ids to a unit vector: the BERT encoder of multilingual-e5-small, mean-pooled.

use std::ops::Range;
use std::path::Path;

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, Slice};

use super::format::{self, BLOCK, EncoderError, Matrix, ModelFile};
use super::tokenizer::Tokenizer;
use crate::text::prefix;

/// How texts are embedded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EncoderConfig {
    /// The pieces read from the start of each text (at most the model's positions less two). 256 pieces is about
    /// 180 English words: the headline and the lead, where a report says what happened.
    pub max_tokens: usize,
}

impl Default for EncoderConfig {
    fn default() -> Self {
        EncoderConfig { max_tokens: 256 }
    }
}

/// A loaded model. It only reads its weights, so one encoder serves any number of threads.
#[derive(Clone)]
pub struct Encoder {
    config: EncoderConfig,
    tokenizer: Tokenizer,
    hidden: usize,
    heads: usize,
    epsilon: f32,
    bos: u32,
    eos: u32,
    vocabulary: usize,
    words: Vec<u8>,
    positions: Array2<f32>,
    token_type: Vec<f32>,
    embedding_norm: (Vec<f32>, Vec<f32>),
    layers: Vec<Layer>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("config", &self.config)
            .field("hidden", &self.hidden)
            .field("layers", &self.layers.len())
            .field("vocabulary", &self.vocabulary)
            .finish_non_exhaustive()
    }
}

/// A dense layer: weights `outputs x inputs` and a bias.
#[derive(Clone)]
struct Linear {
    weights: Array2<f32>,
    bias: Vec<f32>,
}

impl Linear {
    fn new((matrix, bias): (Matrix, Vec<f32>)) -> Self {
        let weights = Array2::from_shape_vec((matrix.rows, matrix.columns), matrix.values)
            .unwrap_or_else(|_| Array2::zeros((matrix.rows, matrix.columns)));
        Linear { weights, bias }
    }

    /// `x W^T + b`, one row per token.
    fn apply(&self, x: ArrayView2<'_, f32>) -> Array2<f32> {
        let mut y = Array2::zeros((x.nrows(), self.weights.nrows()));
        general_mat_mul(1.0, &x, &self.weights.t(), 0.0, &mut y);
        for mut row in y.rows_mut() {
            for (v, b) in row.iter_mut().zip(&self.bias) {
                *v += b;
            }
        }
        y
    }
}

#[derive(Clone)]
struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: (Vec<f32>, Vec<f32>),
    expand: Linear,
    contract: Linear,
    output_norm: (Vec<f32>, Vec<f32>),
}

impl Encoder {
    /// Loads the packed model at `path` (see the module documentation for where to find one).
    pub fn load(path: &Path, config: EncoderConfig) -> Result<Encoder, EncoderError> {
        Ok(Encoder::from_file(format::read_model(path)?, config))
    }

    /// Loads a model from the bytes of its file; `origin` names them in errors.
    pub fn from_bytes(
        bytes: &[u8],
        origin: &str,
        config: EncoderConfig,
    ) -> Result<Encoder, EncoderError> {
        let file = format::parse_model(bytes).map_err(|reason| EncoderError::Format {
            path: origin.to_owned(),
            reason,
        })?;
        Ok(Encoder::from_file(file, config))
    }

    fn from_file(file: ModelFile, config: EncoderConfig) -> Encoder {
        let shape = file.shape;
        let max_tokens = config.max_tokens.clamp(1, shape.positions - 2);
        let positions = Array2::from_shape_vec((shape.positions, shape.hidden), file.positions)
            .unwrap_or_else(|_| Array2::zeros((shape.positions, shape.hidden)));
        let (bos, eos) = (file.vocabulary.bos, file.vocabulary.eos);
        Encoder {
            config: EncoderConfig { max_tokens },
            tokenizer: Tokenizer::new(file.vocabulary),
            hidden: shape.hidden,
            heads: shape.heads,
            epsilon: shape.epsilon,
            bos,
            eos,
            vocabulary: shape.vocabulary,
            words: file.words,
            positions,
            token_type: file.token_type,
            embedding_norm: file.embedding_norm,
            layers: file
                .layers
                .into_iter()
                .map(|l| Layer {
                    query: Linear::new(l.query),
                    key: Linear::new(l.key),
                    value: Linear::new(l.value),
                    attention_out: Linear::new(l.attention_out),
                    attention_norm: l.attention_norm,
                    expand: Linear::new(l.expand),
                    contract: Linear::new(l.contract),
                    output_norm: l.output_norm,
                })
                .collect(),
        }
    }

    /// The length of the vectors.
    pub fn dimensions(&self) -> usize {
        self.hidden
    }

    /// The settings in force (`max_tokens` capped by the model).
    pub fn config(&self) -> EncoderConfig {
        self.config
    }

    /// The piece ids the model reads for `text`: `<s>`, the first pieces, `</s>`.
    pub fn pieces(&self, text: &str) -> Vec<u32> {
        // The model is asymmetric-trained; "query: " is its prefix for symmetric similarity.
        let prefixed = format!("query: {}", prefix(text, self.config.max_tokens * 16));
        let mut ids = Vec::with_capacity(self.config.max_tokens + 2);
        ids.push(self.bos);
        ids.extend(self.tokenizer.encode(&prefixed, self.config.max_tokens));
        ids.push(self.eos);
        ids
    }

    /// The unit vector of `text`.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.embed_batch(&[text]).pop().unwrap_or_default()
    }

    /// The unit vectors of several texts, in order, in one pass: the tokens of all the texts go through each
    /// dense layer together, so the layer's weights are read (and packed for the multiplication) once for the
    /// batch instead of once per text, which is most of the cost of a short text such as a headline. Attention
    /// stays within each text, so every vector is the one [`embed`](Self::embed) gives.
    pub fn embed_batch(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let mut spans = Vec::with_capacity(texts.len());
        let mut ids = Vec::new();
        for text in texts {
            let start = ids.len();
            ids.extend(self.pieces(text));
            spans.push(start..ids.len());
        }
        let mut x = Array2::zeros((ids.len(), self.hidden));
        for span in &spans {
            self.embed_pieces(
                &ids[span.clone()],
                x.slice_axis_mut(Axis(0), Slice::from(span.clone())),
            );
        }
        layer_norm(&mut x, &self.embedding_norm, self.epsilon);
        for layer in &self.layers {
            self.encode_layer(layer, &mut x, &spans);
        }
        spans
            .iter()
            .map(|span| {
                let rows = x.slice_axis(Axis(0), Slice::from(span.clone()));
                let mut pooled = rows
                    .mean_axis(Axis(0))
                    .map(|m| m.to_vec())
                    .unwrap_or_default();
                let norm = pooled.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
                for v in &mut pooled {
                    *v /= norm;
                }
                pooled
            })
            .collect()
    }

    /// The unit vectors of many texts, in order, on `threads` threads, a few texts to a pass
    /// ([`embed_batch`](Self::embed_batch)).
    pub fn embed_all(&self, texts: &[&str], threads: usize) -> Vec<Vec<f32>> {
        const BATCH: usize = 8;
        let batches: Vec<&[&str]> = texts.chunks(BATCH).collect();
        crate::threads::map_in_order(&batches, threads, |batch| self.embed_batch(batch))
            .into_iter()
            .flatten()
            .collect()
    }

    /// Writes the input embeddings of one text's pieces into `x`, one row per piece.
    fn embed_pieces(&self, ids: &[u32], mut x: ArrayViewMut2<'_, f32>) {
        let h = self.hidden;
        let row_bytes = h / BLOCK * 18;
        let mut word = vec![0.0; h];
        for (t, (&id, mut row)) in ids.iter().zip(x.rows_mut()).enumerate() {
            let id = (id as usize).min(self.vocabulary - 1);
            word.fill(0.0);
            if let Some(packed) = self.words.get(id * row_bytes..(id + 1) * row_bytes) {
                format::unpack(packed, &mut word);
            }
            let position = self.positions.row(t);
            for (i, v) in row.iter_mut().enumerate() {
                *v = word[i] + position[i] + self.token_type[i];
            }
        }
    }

    /// One transformer layer over the rows of `x`, which hold the pieces of the texts at `spans`: the dense
    /// layers take every row at once, attention each text's rows alone.
    fn encode_layer(&self, layer: &Layer, x: &mut Array2<f32>, spans: &[Range<usize>]) {
        let q = layer.query.apply(x.view());
        let k = layer.key.apply(x.view());
        let v = layer.value.apply(x.view());
        let width = self.hidden / self.heads;
        let scale = 1.0 / (width as f32).sqrt();
        let mut context = Array2::zeros((x.nrows(), self.hidden));
        for span in spans {
            let mut scores = Array2::zeros((span.len(), span.len()));
            for head in 0..self.heads {
                let (rows, columns) = (
                    Slice::from(span.clone()),
                    Slice::from(head * width..(head + 1) * width),
                );
                let block = |m: &Array2<f32>| {
                    m.slice_axis(Axis(0), rows)
                        .slice_axis(Axis(1), columns)
                        .to_owned()
                };
                let (q, k, v) = (block(&q), block(&k), block(&v));
                general_mat_mul(scale, &q, &k.t(), 0.0, &mut scores);
                for mut row in scores.rows_mut() {
                    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut sum = 0.0;
                    for s in row.iter_mut() {
                        *s = (*s - max).exp();
                        sum += *s;
                    }
                    row.mapv_inplace(|s| s / sum);
                }
                general_mat_mul(
                    1.0,
                    &scores,
                    &v,
                    0.0,
                    &mut context
                        .slice_axis_mut(Axis(0), rows)
                        .slice_axis_mut(Axis(1), columns),
                );
            }
        }
        let attended = layer.attention_out.apply(context.view());
        *x += &attended;
        layer_norm(x, &layer.attention_norm, self.epsilon);
        let mut middle = layer.expand.apply(x.view());
        middle.mapv_inplace(gelu);
        let out = layer.contract.apply(middle.view());
        *x += &out;
        layer_norm(x, &layer.output_norm, self.epsilon);
    }
}

fn layer_norm(x: &mut Array2<f32>, (weight, bias): &(Vec<f32>, Vec<f32>), epsilon: f32) {
    for mut row in x.rows_mut() {
        let n = row.len() as f32;
        let mean = row.sum() / n;
        let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
        let inverse = 1.0 / (variance + epsilon).sqrt();
        for ((v, w), b) in row.iter_mut().zip(weight).zip(bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

/// The exact GELU, `x Φ(x)`.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// The error function, to within 1.2e-7 (Numerical Recipes' `erfc` by Chebyshev fit).
fn erf(x: f32) -> f32 {
    let z = f64::from(x).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let value = 1.0 - erfc;
    (if x >= 0.0 { value } else { -value }) as f32
}
