//! Prints the multilingual-e5 embedding of each line of standard input as a JSON array, one per line: for
//! checking the encoder against another implementation of the same model.
//!
//! `cargo run --release -p parallax-engine --example embed -- MODEL.bin < lines.txt`

use std::io::BufRead;

use parallax_engine::embed::{Encoder, EncoderConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: embed MODEL.bin < lines.txt")?;
    let encoder = Encoder::load(std::path::Path::new(&path), EncoderConfig::default())?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        println!("{}", serde_json::to_string(&encoder.embed(&line))?);
    }
    Ok(())
}
