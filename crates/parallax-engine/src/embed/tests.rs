//! The reader, tokenizer and encoder on a tiny model written here, and on the real one where a user has it.

use super::format::{BLOCK, f16_to_f32, f32_to_f16, pack};
use super::*;

const HIDDEN: usize = 32;
const FEED_FORWARD: usize = 64;
const POSITIONS: usize = 12;
const PIECES: [(&str, f32); 9] = [
    ("<s>", 0.0),
    ("<pad>", 0.0),
    ("</s>", 0.0),
    ("<unk>", 0.0),
    ("\u{2581}", -3.0),
    ("\u{2581}news", -2.0),
    ("\u{2581}new", -2.5),
    ("s", -2.5),
    ("\u{2581}query:", -1.0),
];

/// A deterministic pseudo-random weight in [-0.5, 0.5).
fn weight(seed: &mut u64) -> f32 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*seed >> 40) as f32 / (1u64 << 24) as f32) - 0.5
}

/// The bytes of a one-layer model with the vocabulary above and a normalisation map sending the ideographic
/// space to a space and the fullwidth N to N.
pub(crate) fn tiny_model() -> Vec<u8> {
    let mut seed = 7;
    let mut tensors: Vec<(String, u8, usize, Vec<u8>)> = Vec::new();
    let mut packed = |name: &str, count: usize, seed: &mut u64| {
        let values: Vec<f32> = (0..count).map(|_| weight(seed)).collect();
        tensors.push((name.to_owned(), 1, count, pack(&values)));
    };
    packed("emb.word", PIECES.len() * HIDDEN, &mut seed);
    for name in ["q", "k", "v", "ao"] {
        packed(&format!("l0.{name}.w"), HIDDEN * HIDDEN, &mut seed);
    }
    packed("l0.fi.w", FEED_FORWARD * HIDDEN, &mut seed);
    packed("l0.fo.w", HIDDEN * FEED_FORWARD, &mut seed);
    let mut floats = |name: &str, count: usize, value: Option<f32>| {
        let values: Vec<f32> = (0..count)
            .map(|_| value.unwrap_or_else(|| weight(&mut seed) * 0.1))
            .collect();
        let bytes = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.push((name.to_owned(), 0, count, bytes));
    };
    floats("emb.pos", POSITIONS * HIDDEN, None);
    floats("emb.type", 2 * HIDDEN, None);
    floats("emb.ln.w", HIDDEN, Some(1.0));
    floats("emb.ln.b", HIDDEN, Some(0.0));
    for (name, size) in [
        ("q", HIDDEN),
        ("k", HIDDEN),
        ("v", HIDDEN),
        ("ao", HIDDEN),
        ("fi", FEED_FORWARD),
        ("fo", HIDDEN),
    ] {
        floats(&format!("l0.{name}.b"), size, None);
    }
    for name in ["aln", "oln"] {
        floats(&format!("l0.{name}.w"), HIDDEN, Some(1.0));
        floats(&format!("l0.{name}.b"), HIDDEN, Some(0.0));
    }

    let mut out = Vec::new();
    let int = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    out.extend_from_slice(b"E5S1");
    int(&mut out, 1);
    for v in [HIDDEN, 1, 2, FEED_FORWARD, PIECES.len(), POSITIONS, 2] {
        int(&mut out, v as u32);
    }
    out.extend_from_slice(&1e-12f32.to_le_bytes());
    int(&mut out, BLOCK as u32);
    int(&mut out, PIECES.len() as u32);
    for special in [0, 2, 1, 3] {
        int(&mut out, special);
    }
    let blob: Vec<u8> = PIECES.iter().flat_map(|(p, _)| p.bytes()).collect();
    out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
    let mut offset = 0;
    int(&mut out, 0);
    for (piece, _) in PIECES {
        offset += piece.len() as u32;
        int(&mut out, offset);
    }
    for (_, score) in PIECES {
        out.extend_from_slice(&score.to_le_bytes());
    }
    out.extend_from_slice(&blob);
    let mut map = Vec::new();
    for (from, to) in [(0x3000u32, 0x20u32), (0xff2e, u32::from('n'))] {
        int(&mut map, from);
        map.push(1);
        int(&mut map, to);
    }
    int(&mut out, 2);
    int(&mut out, map.len() as u32);
    out.extend_from_slice(&map);
    int(&mut out, tensors.len() as u32);
    let directory_size: usize = tensors
        .iter()
        .map(|(n, ..)| 2 + n.len() + 1 + 4 + 8 + 8)
        .sum();
    let mut data_at = out.len() + directory_size;
    for (name, kind, count, bytes) in &tensors {
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(*kind);
        int(&mut out, *count as u32);
        out.extend_from_slice(&(data_at as u64).to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        data_at += bytes.len();
    }
    for (_, _, _, bytes) in &tensors {
        out.extend_from_slice(bytes);
    }
    out
}

fn encoder(max_tokens: usize) -> Encoder {
    Encoder::from_bytes(&tiny_model(), "tiny", EncoderConfig { max_tokens })
        .expect("the tiny model loads")
}

#[test]
fn half_precision_round_trips() {
    for v in [1.0f32, -2.5, 0.125, 65504.0, 6.1035156e-5] {
        assert_eq!(f16_to_f32(f32_to_f16(v)), v, "{v}");
    }
    // A subnormal half: 2^-24.
    assert_eq!(f16_to_f32(1), 2f32.powi(-24));
}

#[test]
fn pieces_are_the_highest_scoring_segmentation() {
    let e = encoder(10);
    // "query:" is one piece; "news" beats "new" + "s" (-2.0 against -5.0).
    assert_eq!(e.pieces("news"), vec![0, 8, 5, 2]);
    // Runs of spaces are one; an ideographic space is a space; the fullwidth N normalises to n.
    assert_eq!(e.pieces("news  \u{3000}\u{ff2e}ews"), vec![0, 8, 5, 5, 2]);
    // Characters no piece covers are <unk>, one per character.
    assert_eq!(e.pieces("x"), vec![0, 8, 4, 3, 2]);
}

#[test]
fn long_texts_are_cut_to_the_first_pieces() {
    let e = encoder(3);
    assert_eq!(e.pieces("news news news news news"), vec![0, 8, 5, 5, 2]);
}

#[test]
fn embeddings_are_unit_vectors_that_tell_texts_apart() {
    let e = encoder(10);
    let a = e.embed("news news");
    assert_eq!(a.len(), HIDDEN);
    assert!((cosine(&a, &a) - 1.0).abs() < 1e-5);
    assert_eq!(
        a,
        e.embed("news news"),
        "the same text gives the same vector"
    );
    let b = e.embed("xyz");
    assert!(
        cosine(&a, &b) < 0.999,
        "different pieces give a different vector"
    );
    let all = e.embed_all(&["news news", "xyz", "news"], 2);
    assert_eq!(all[0], a);
    assert_eq!(all[1], b);
    assert_eq!(all.len(), 3);
}

#[test]
fn a_batch_gives_each_text_the_vector_it_gets_alone() {
    let e = encoder(10);
    let texts = ["news news news", "xyz", "", "news xyz news xyz news"];
    let batch = e.embed_batch(&texts);
    assert_eq!(batch.len(), texts.len());
    for (text, vector) in texts.iter().zip(&batch) {
        let alone = e.embed(text);
        let gap = alone
            .iter()
            .zip(vector)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(
            gap < 1e-6,
            "{text:?}: attention must stay within each text ({gap})"
        );
    }
    assert!(e.embed_batch(&[]).is_empty());
}

#[test]
fn bad_files_are_refused_with_the_place() {
    let bytes = tiny_model();
    let error = |bytes: &[u8]| {
        Encoder::from_bytes(bytes, "model.bin", EncoderConfig::default())
            .expect_err("a bad file is refused")
            .to_string()
    };
    assert!(error(b"GGUF....").contains("does not start with E5S1"));
    let truncated = error(&bytes[..100]);
    assert!(
        truncated.contains("model.bin") && truncated.contains("truncated at byte"),
        "{truncated}"
    );
    let cut_tensors = error(&bytes[..bytes.len() - 8]);
    assert!(
        cut_tensors.contains("lies outside the file"),
        "{cut_tensors}"
    );
}

/// The real model, where the user has it (`PARALLAX_EMBEDDING_MODEL=/path/to/e5-small-q4.bin`): cross-language
/// paraphrases are closer than unrelated texts.
#[test]
fn the_real_model_links_translations() {
    let Some(path) = std::env::var_os("PARALLAX_EMBEDDING_MODEL") else {
        eprintln!(
            "skipped: set PARALLAX_EMBEDDING_MODEL to a packed multilingual-e5-small model to run this test"
        );
        return;
    };
    let e = Encoder::load(std::path::Path::new(&path), EncoderConfig::default())
        .expect("the model loads");
    let english =
        e.embed("Iran's deputy foreign minister held talks with a Hamas delegation in Moscow.");
    let german =
        e.embed("Irans Vize-Außenminister führte in Moskau Gespräche mit einer Hamas-Delegation.");
    let other =
        e.embed("The central bank raised interest rates by a quarter point to fight inflation.");
    assert!(cosine(&english, &german) > cosine(&english, &other) + 0.05);
}
