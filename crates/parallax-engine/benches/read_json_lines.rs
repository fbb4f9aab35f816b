//! Throughput of the JSON Lines reader on a generated dump, from a file on disk through `read_file` (reader and
//! completion, no store), beside a baseline that only parses each line into a `serde_json::Value`.
//!
//! ```text
//! PARALLAX_BENCH_MB=1000 nice cargo bench -p parallax-engine --bench read_json_lines
//! ```
//!
//! The dump is written to a temporary file first (streamed, so the generator holds no copy); the peak memory
//! printed is the process's high-water mark (VmHWM) after reading, so it bounds the reader's own use.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use parallax_engine::ingest::{InputFile, Item, read_file};

fn main() {
    let megabytes: u64 = std::env::var("PARALLAX_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("dump.jsonl");
    let (bytes, lines) = write_dump(&path, megabytes << 20);
    let mb = bytes as f64 / (1 << 20) as f64;
    println!("generated {lines} articles, {mb:.0} MiB");

    let start = Instant::now();
    let mut values = 0u64;
    let mut reader = BufReader::with_capacity(1 << 16, File::open(&path).unwrap());
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).unwrap() > 0 {
        if serde_json::from_slice::<serde_json::Value>(&line).is_ok() {
            values += 1;
        }
        line.clear();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "baseline serde_json::Value per line: {values} lines, {:.0} MiB/s",
        mb / secs
    );

    let input = InputFile {
        path: path.to_string_lossy().into_owned(),
        location: path.clone(),
        size: Some(bytes),
    };
    let start = Instant::now();
    let (mut stored, mut rejected) = (0u64, 0u64);
    read_file(&input, &mut |item| match item {
        Item::Article(_) => stored += 1,
        Item::Reject(_) => rejected += 1,
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "read_file (JSON Lines reader + completion): {stored} articles, {rejected} rejects, {:.1} s, {:.0} MiB/s",
        secs,
        mb / secs
    );

    // The same records as one JSON array, read as a stream element by element.
    let array_path = dir.path().join("dump.json");
    let mut out = BufWriter::new(File::create(&array_path).unwrap());
    out.write_all(b"[").unwrap();
    let mut reader = BufReader::new(File::open(&path).unwrap());
    let mut first = true;
    while reader.read_until(b'\n', &mut line).unwrap() > 0 {
        if !first {
            out.write_all(b",").unwrap();
        }
        first = false;
        out.write_all(line.trim_ascii_end()).unwrap();
        line.clear();
    }
    out.write_all(b"]").unwrap();
    out.flush().unwrap();
    drop(out);
    let input = InputFile {
        path: array_path.to_string_lossy().into_owned(),
        location: array_path.clone(),
        size: None,
    };
    let start = Instant::now();
    let mut stored = 0u64;
    read_file(&input, &mut |item| {
        stored += u64::from(matches!(item, Item::Article(_)))
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "read_file of the same as one JSON array: {stored} articles, {:.0} MiB/s",
        mb / secs
    );

    if let Some(peak) = peak_memory_kib() {
        println!("peak memory (VmHWM): {} MiB", peak / 1024);
    }
}

/// Writes about `target` bytes of news-like JSON Lines records (3 to 4 KB each, like a news-please dump) to `path`.
fn write_dump(path: &std::path::Path, target: u64) -> (u64, u64) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let words = [
        "the",
        "council",
        "of",
        "Varnholm",
        "voted",
        "on",
        "Thursday",
        "to",
        "reopen",
        "harbour",
        "after",
        "talks",
        "with",
        "ministers",
        "said",
        "officials",
        "in",
        "a",
        "statement",
        "über",
        "Ständerat",
        "déclaré",
        "Пресс",
        "港口",
        "ferry",
        "strike",
        "ended",
        "workers",
        "returned",
        "dam",
        "water",
        "levels",
        "fell",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut bytes, mut lines) = (0u64, 0u64);
    while bytes < target {
        let mut text = String::with_capacity(4096);
        let paragraphs = 4 + next() % 5;
        for p in 0..paragraphs {
            if p > 0 {
                text.push_str("\n\n");
            }
            let sentence_words = 60 + next() % 40;
            for w in 0..sentence_words {
                if w > 0 {
                    text.push(' ');
                }
                text.push_str(words[(next() % words.len() as u64) as usize]);
            }
            text.push_str(", he said \"quoted\".");
        }
        let record = serde_json::json!({
            "id": format!("a{lines}"),
            "title": format!("Harbour of Varnholm reopens, report {lines}"),
            "text": text,
            "date": format!("2023-{:02}-{:02}", 1 + next() % 12, 1 + next() % 28),
            "source": format!("outlet{}.example", next() % 50),
            "url": format!("https://outlet.example/news/{lines}"),
            "language": "en",
            "event": format!("ev{}", next() % 1000),
        });
        let line = record.to_string();
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        bytes += line.len() as u64 + 1;
        lines += 1;
    }
    out.flush().unwrap();
    (bytes, lines)
}

/// The process's peak resident memory in KiB, where the platform says (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
