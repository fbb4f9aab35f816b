//! Prints the multilingual-e5 embedding of each line of standard input as a JSON array, one per line: for
//! checking the encoder against another implementation of the same model.
//!
//! `cargo run --release -p parallax-engine --example embed -- MODEL.bin [MAX_TOKENS] < lines.txt`

use std::io::BufRead;

use parallax_engine::embed::{Encoder, EncoderConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: embed MODEL.bin < lines.txt")?;
    let mut config = EncoderConfig::default();
    if let Some(max_tokens) = std::env::args().nth(2) {
        config.max_tokens = max_tokens.parse()?;
    }
    let encoder = Encoder::load(std::path::Path::new(&path), config)?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        println!("{}", serde_json::to_string(&encoder.embed(&line))?);
    }
    Ok(())
}
