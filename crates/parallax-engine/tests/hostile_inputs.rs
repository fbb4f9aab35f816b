//! Inputs a hostile but fair user may give (the "no input can take down a batch" issue): crafted nesting,
//! decompression bombs, endless streams, giants, malformed JSON and odd file names. Each must end as an article or a
//! reject naming its place and reason, within bounded time and memory, and the rest of the batch must go on. Every
//! size limit is set small here, so no test writes or holds more than a few megabytes.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use parallax_engine::ingest::{
    Item, ReadLimits, discover_inputs, extract_html, html_fragment_to_text, read_file, read_stream,
    read_stream_within,
};
use parallax_model::{Article, Place, Reject};

fn read_within(path: &str, bytes: &[u8], limits: &ReadLimits) -> Vec<Item> {
    let mut items = Vec::new();
    read_stream_within(path, &mut &bytes[..], limits, &mut |item| items.push(item));
    items
}

fn read(path: &str, bytes: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    read_stream(path, &mut &bytes[..], &mut |item| items.push(item));
    items
}

fn split(items: Vec<Item>) -> (Vec<Article>, Vec<Reject>) {
    let mut articles = Vec::new();
    let mut rejects = Vec::new();
    for item in items {
        match item {
            Item::Article(article) => articles.push(*article),
            Item::Reject(reject) => rejects.push(reject),
        }
    }
    (articles, rejects)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn nested_page(levels: usize, open: &str, close: &str) -> String {
    let mut page = String::from("<!DOCTYPE html><html><head><title>Nested</title></head><body>");
    page.push_str(
        "<p>Ministers met in Varnholm on Monday to agree on the terms of the ceasefire.</p>",
    );
    for _ in 0..levels {
        page.push_str(open);
    }
    page.push_str("deep words at the bottom");
    for _ in 0..levels {
        page.push_str(close);
    }
    page.push_str("</body></html>");
    page
}

/// The test runs on a test thread, whose stack (2 MB) is the size of the ingest reader's; before the fix the
/// 1,500-level page overflowed it.
#[test]
fn deeply_nested_html_is_stored_or_rejected() {
    for page in [
        nested_page(1_500, "<div><span><b>", ""),
        nested_page(10_000, "<div>", "</div>"),
        nested_page(3_000, "<table><tr><td>", "</td></tr></table>"),
    ] {
        let (articles, rejects) = split(read("deep.html", page.as_bytes()));
        assert_eq!(articles.len() + rejects.len(), 1, "{rejects:?}");
        if let Some(article) = articles.first() {
            assert!(article.text.contains("Ministers met"), "{}", article.text);
        }
        let text = html_fragment_to_text(&page);
        assert!(text.contains("deep words"));
        let extracted = extract_html(&page, None);
        assert!(extracted.has_body);
    }
}

/// Past the depth limit the cost grows with the page's size, not with the square of its nesting: ten times the
/// nesting costs about ten times the time, where before it cost a hundred.
#[test]
fn deeply_nested_html_costs_linear_time() {
    let time = |levels| {
        let page = nested_page(levels, "<div><span><b>", "");
        let started = std::time::Instant::now();
        let _ = read("deep.html", page.as_bytes());
        started.elapsed()
    };
    let small = time(1_000);
    let large = time(10_000);
    assert!(
        large < small * 40 + std::time::Duration::from_millis(500),
        "1,000 levels: {small:?}, 10,000 levels: {large:?}"
    );
}

#[test]
fn gzip_bomb_is_rejected_past_size_limit() {
    let limits = ReadLimits::with_max_input_bytes(1 << 20);
    // Zeros are rejected as binary from their first bytes, before the rest is decompressed.
    let zeros = gzip(&vec![0u8; 8 << 20]);
    let (articles, rejects) = split(read_within("zeros.gz", &zeros, &limits));
    assert!(articles.is_empty());
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(rejects[0].reason.contains("binary"), "{rejects:?}");
    // Text past the limit is rejected with the limit named.
    let text = gzip("All work and no play. ".repeat(400_000).as_bytes());
    let (articles, rejects) = split(read_within("text.gz", &text, &limits));
    assert!(articles.is_empty());
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(
        rejects[0]
            .reason
            .contains("larger than the limit of 1048576 bytes"),
        "{rejects:?}"
    );
    // HTML too.
    let page = format!(
        "<html><body>{}</body></html>",
        "<p>Words here.</p>".repeat(100_000)
    );
    let (articles, rejects) = split(read_within("page.html.gz", &gzip(page.as_bytes()), &limits));
    assert!(articles.is_empty());
    assert!(
        rejects[0].reason.contains("larger than the limit"),
        "{rejects:?}"
    );
}

/// An endless stream (`parallax ingest /dev/zero`, or an endless line of text) stops at the limit.
#[test]
fn endless_input_is_rejected_past_size_limit() {
    let limits = ReadLimits::with_max_input_bytes(1 << 20);
    let mut items = Vec::new();
    read_stream_within("/dev/zero", &mut std::io::repeat(0), &limits, &mut |item| {
        items.push(item)
    });
    let (_, rejects) = split(items);
    assert_eq!(rejects.len(), 1);
    let mut items = Vec::new();
    read_stream_within(
        "endless.txt",
        &mut std::io::repeat(b'a'),
        &limits,
        &mut |item| items.push(item),
    );
    let (_, rejects) = split(items);
    assert!(
        rejects[0].reason.contains("larger than the limit"),
        "{rejects:?}"
    );
}

/// Streamed formats bound each record, not the whole input: the line past the limit is a reject with its number,
/// and the lines around it are stored.
#[test]
fn json_lines_record_past_size_limit_is_rejected_and_rest_stored() {
    let limits = ReadLimits::with_max_input_bytes(64 << 10);
    let big = format!(
        "{{\"title\": \"Big\", \"text\": \"{}\"}}",
        "x ".repeat(100_000)
    );
    let lines = format!(
        "{{\"title\": \"One\", \"text\": \"First article.\"}}\n{big}\n{{\"title\": \"Three\", \"text\": \"Third article.\"}}\n"
    );
    let (articles, rejects) = split(read_within("dump.jsonl", lines.as_bytes(), &limits));
    assert_eq!(articles.len(), 2, "{rejects:?}");
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].origin.place, Place::Line(2));
    // A JSON array element past the limit stops the array with a reject; what came before is kept.
    let array = format!("[{{\"title\": \"One\", \"text\": \"First article.\"}}, {big}]");
    let (articles, rejects) = split(read_within("dump.json", array.as_bytes(), &limits));
    assert_eq!(articles.len(), 1, "{rejects:?}");
    assert!(
        rejects[0].reason.contains("larger than the limit"),
        "{rejects:?}"
    );
}

/// A line of 4 MB against a limit of 1 KB is consumed and dropped as it streams by, never held whole.
#[test]
fn huge_single_line_is_skipped_not_held() {
    let limits = ReadLimits::with_max_input_bytes(1 << 10);
    let mut input = std::io::Read::chain(
        std::io::Read::take(
            std::io::Read::chain(&b"{\"text\": \""[..], std::io::repeat(b'y')),
            4 << 20,
        ),
        &b"\"}\n{\"title\": \"After\", \"text\": \"Stored after the giant.\"}\n"[..],
    );
    let mut items = Vec::new();
    read_stream_within("giant.jsonl", &mut input, &limits, &mut |item| {
        items.push(item)
    });
    let (articles, rejects) = split(items);
    assert_eq!(articles.len(), 1);
    assert_eq!(rejects.len(), 1);
}

#[test]
fn json_file_that_fails_to_parse_is_rejected() {
    let brackets = "[".repeat(100_000);
    let (articles, rejects) = split(read("nested.json", brackets.as_bytes()));
    assert!(articles.is_empty(), "{articles:?}");
    assert_eq!(rejects.len(), 1);
    let (articles, rejects) = split(read("nested.json.gz", &gzip(b"{{{{ not json")));
    assert!(articles.is_empty());
    assert!(rejects[0].reason.contains("JSON"), "{rejects:?}");
    // The same bytes in a file not named JSON stay a text article, as before.
    let (articles, _) = split(read(
        "notes.txt",
        b"[[Draft]] Ministers met in Varnholm on Monday.",
    ));
    assert_eq!(articles.len(), 1);
}

#[test]
fn number_is_not_a_text() {
    let (articles, rejects) = split(read("n.jsonl", b"{\"title\": \"T\", \"text\": 12}\n"));
    assert!(articles.is_empty(), "{articles:?}");
    assert!(
        rejects[0].reason.contains("must be a string, not a number"),
        "{rejects:?}"
    );
    let (articles, _) = split(read(
        "id.jsonl",
        b"{\"id\": 12, \"text\": \"Text with a numeric id.\"}\n",
    ));
    assert_eq!(articles.len(), 1);
}

#[cfg(unix)]
#[test]
fn non_utf8_file_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.txt");
    let body = "Talks resume\n\nMinisters met in Varnholm on Monday.\n";
    std::fs::write(dir.path().join(name), body).unwrap();
    std::fs::write(
        dir.path().join("line\nbreak.txt"),
        "Second\n\nAnother article here.\n",
    )
    .unwrap();
    for paths in [vec![dir.path().to_owned()], vec![dir.path().join(name)]] {
        let mut rejects = Vec::new();
        let inputs = discover_inputs(&paths, &mut |item| rejects.push(item));
        assert!(rejects.is_empty());
        let mut articles = Vec::new();
        for input in &inputs {
            read_file(input, &mut |item| match item {
                Item::Article(article) => articles.push(*article),
                Item::Reject(reject) => panic!("{reject:?}"),
            });
        }
        let shown = articles
            .iter()
            .find(|a| a.origin.path.ends_with("caf\\xE9.txt"))
            .unwrap_or_else(|| panic!("{articles:?}"));
        assert!(shown.text.contains("Varnholm"));
    }
}
