//! WARC archives: HTML response records become articles with the record's URL and date.
//!
//! A small reader of its own rather than the `warc` crate: Parallax needs only the record framing (a version line,
//! headers, a block of Content-Length bytes) and the HTTP message inside a response, and it needs to say exactly
//! where a broken archive breaks. Records are read one at a time, so archives far larger than memory stream
//! through. Records that are not documents (`warcinfo`, `request`, `metadata`, `revisit`, `conversion`) are not
//! inputs and are skipped unread; `response` and `resource` records that are not HTML pages (images, PDFs, errors)
//! are rejected with the reason, so every crawled document is accounted for.

use std::io::{self, BufRead, Read};

use flate2::read::{MultiGzDecoder, ZlibDecoder};
use parallax_model::{Article, FieldSource, Place};

use super::{
    Item, decode_declared, extract_html, parse_date, read_text_markers, record_item, reject,
};

/// The longest header line or header block accepted; longer means the input is not a WARC header at all.
const MAX_HEADER: usize = 1 << 20;

/// Reads a WARC stream record by record.
///
/// A response block larger than `max_record` bytes is skipped and rejected, and so is a body that decompresses
/// past it, so a gzip bomb in a crawl cannot exhaust memory (the limit is the engine's `ReadLimits`).
pub(crate) fn read_warc(
    path: &str,
    input: &mut dyn BufRead,
    max_record: u64,
    sink: &mut dyn FnMut(Item),
) {
    let mut input = Counted { input, offset: 0 };
    let mut line = Vec::new();
    // After a framing error the reader looks for the next version line; the garbage in between is reported once.
    let mut lost_since: Option<u64> = None;
    loop {
        let start = input.offset;
        line.clear();
        match read_line(&mut input, &mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => return sink(reject(path, Place::Offset(start), e.to_string())),
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !line.starts_with(b"WARC/") {
            if lost_since.is_none() {
                lost_since = Some(start);
                sink(reject(
                    path,
                    Place::Offset(start),
                    "not a WARC record: expected a `WARC/1.x` version line; skipping to the next record",
                ));
            }
            continue;
        }
        lost_since = None;
        let headers = match read_headers(&mut input) {
            Ok(Some(headers)) => headers,
            Ok(None) => {
                return sink(reject(
                    path,
                    Place::Offset(start),
                    "truncated record: the input ends inside its headers",
                ));
            }
            Err(e) => return sink(reject(path, Place::Offset(start), e.to_string())),
        };
        let Some(length) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            lost_since = Some(start);
            sink(reject(
                path,
                Place::Offset(start),
                "WARC record without a valid Content-Length; skipping to the next record",
            ));
            continue;
        };
        let kind = header(&headers, "warc-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let wanted = matches!(kind.as_str(), "response" | "resource");
        let place = Place::Offset(start);
        if !wanted || length > max_record {
            match skip(&mut input, length) {
                Ok(skipped) if skipped < length => {
                    return sink(truncated(path, start, length, skipped));
                }
                Ok(_) => {}
                Err(e) => return sink(reject(path, place, format!("cannot read: {e}"))),
            }
            if wanted {
                sink(reject(
                    path,
                    place,
                    format!(
                        "{kind} record of {length} bytes is larger than the limit of {max_record} bytes \
                         (raise it with --max-input-size)"
                    ),
                ));
            }
            continue;
        }
        let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
        if let Err(e) = (&mut input).take(length).read_to_end(&mut block) {
            return sink(reject(path, place, format!("cannot read: {e}")));
        }
        if (block.len() as u64) < length {
            return sink(truncated(path, start, length, block.len() as u64));
        }
        let record = Record {
            kind: &kind,
            headers: &headers,
            block: &block,
        };
        sink(record_item(
            path,
            place,
            record_to_article(&record, max_record),
        ));
    }
}

fn truncated(path: &str, start: u64, length: u64, found: u64) -> Item {
    reject(
        path,
        Place::Offset(start),
        format!(
            "truncated record: Content-Length is {length} bytes but the input ends after {found}"
        ),
    )
}

/// One WARC record read whole: its type, headers and block.
struct Record<'a> {
    kind: &'a str,
    headers: &'a [(String, String)],
    block: &'a [u8],
}

/// Turns a response (or resource) record into an article, or says why it is not one.
fn record_to_article(record: &Record<'_>, max_payload: u64) -> Result<Article, String> {
    let url = header(record.headers, "warc-target-uri")
        .map(|uri| uri.trim_start_matches('<').trim_end_matches('>').to_owned());
    let payload = if record.kind == "response" {
        http_payload(record.block, max_payload)?
    } else {
        Payload {
            content_type: header(record.headers, "content-type").map(str::to_owned),
            body: record.block.to_vec(),
        }
    };
    if !is_html(payload.content_type.as_deref(), &payload.body) {
        let content_type = payload.content_type.as_deref().unwrap_or("no content type");
        return Err(format!("not an HTML page: {content_type}"));
    }
    let charset = payload.content_type.as_deref().and_then(|t| {
        t.split(';')
            .filter_map(|param| param.trim().split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
            .map(|(_, value)| value.trim().trim_matches('"').to_owned())
    });
    let html = decode_declared(&payload.body, charset.as_deref());
    let page = extract_html(&html, url.as_deref());
    if page.text.trim().is_empty() {
        return Err("no main text found in the HTML page".into());
    }
    // The page's markup gives title, date, byline, language and outlet; the record's URL is where it was fetched.
    let mut article = page.to_article();
    if url.is_some() {
        article.provenance.insert("url".into(), FieldSource::Given);
        article.url = url;
    }
    // The page's own date (markup, or a date line in its text) is preferred; WARC-Date, when it was crawled, is
    // the fallback.
    let mut article = read_text_markers(article);
    if article.date.is_none()
        && let Some(date) = header(record.headers, "warc-date").and_then(parse_date)
    {
        article.date = Some(date);
        article.provenance.insert("date".into(), FieldSource::Given);
    }
    Ok(article)
}

/// An HTTP response's body (de-chunked and decompressed) and its declared content type.
struct Payload {
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Parses the HTTP response in a response record's block.
fn http_payload(block: &[u8], max_payload: u64) -> Result<Payload, String> {
    if !block.starts_with(b"HTTP/") {
        return Err("response record does not hold an HTTP response".into());
    }
    let (head, body) = match find(block, b"\r\n\r\n") {
        Some(i) => (&block[..i], &block[i + 4..]),
        None => match find(block, b"\n\n") {
            Some(i) => (&block[..i], &block[i + 2..]),
            None => (block, &[][..]),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| format!("malformed HTTP status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    if !(200..300).contains(&status) {
        return Err(format!("HTTP status {status}, not a page"));
    }
    let content_type = header(&headers, "content-type").map(str::to_owned);
    let mut body = body.to_vec();
    let chunked = header(&headers, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        // Some crawlers store the body already de-chunked but keep the header: take it as it is then.
        if let Some(joined) = dechunk(&body) {
            body = joined;
        }
    }
    if let Some(encoding) = header(&headers, "content-encoding") {
        body = decompress(&encoding.to_ascii_lowercase(), body, max_payload)?;
    }
    Ok(Payload { content_type, body })
}

/// Joins the chunks of a chunked HTTP body; `None` when the body is not chunked after all.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut joined = Vec::with_capacity(body.len());
    loop {
        let end = find(body, b"\n")?;
        let size_line = std::str::from_utf8(&body[..end]).ok()?.trim();
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        body = &body[end + 1..];
        if size == 0 {
            return Some(joined);
        }
        joined.extend_from_slice(body.get(..size)?);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
        if body.is_empty() {
            // A body cut after a whole chunk: keep what came.
            return Some(joined);
        }
    }
}

/// Undoes a Content-Encoding. A body that does not start like the encoding says was stored decoded by the crawler
/// and is taken as it is.
fn decompress(encoding: &str, body: Vec<u8>, max_payload: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let result = match encoding {
        "identity" | "" => return Ok(body),
        "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => MultiGzDecoder::new(&body[..])
            .take(max_payload.saturating_add(1))
            .read_to_end(&mut out),
        "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => ZlibDecoder::new(&body[..])
            .take(max_payload.saturating_add(1))
            .read_to_end(&mut out),
        "gzip" | "x-gzip" | "deflate" => return Ok(body),
        other => return Err(format!("content encoding {other:?} is not supported")),
    };
    match result {
        Ok(_) if out.len() as u64 > max_payload => Err(format!(
            "the {encoding} body decompresses past the limit of {max_payload} bytes (raise it with \
             --max-input-size)"
        )),
        Ok(_) => Ok(out),
        // A cut-off compressed body still holds the start of the page, which is usually the article.
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(format!("cannot decompress the {encoding} body: {e}")),
    }
}

/// Whether a payload is an HTML page, by its declared type or, where none is declared, by its first bytes.
fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    if let Some(content_type) = content_type {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !media.is_empty() && media != "application/octet-stream" {
            return media == "text/html" || media == "application/xhtml+xml";
        }
    }
    let head: Vec<u8> = body.iter().take(1024).map(u8::to_ascii_lowercase).collect();
    find(&head, b"<html").is_some() || find(&head, b"<!doctype html").is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of the first header named `name` (lowercase).
fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Reads the header lines after the version line, up to the blank line; `None` when the input ends first.
/// Names are lowercased; continuation lines (starting with a space or tab) are joined to the header before.
fn read_headers(input: &mut dyn BufRead) -> io::Result<Option<Vec<(String, String)>>> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut line = Vec::new();
    let mut total = 0;
    loop {
        line.clear();
        let n = read_line(input, &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        total += n;
        if total > MAX_HEADER {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "WARC headers longer than 1 MiB",
            ));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            return Ok(Some(headers));
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
            continue;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
}

/// Reads one line (with its newline) into `line`, refusing lines longer than [`MAX_HEADER`].
fn read_line(input: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    let n = input.take(MAX_HEADER as u64).read_until(b'\n', line)?;
    if n == MAX_HEADER && !line.ends_with(b"\n") {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "line longer than 1 MiB where a WARC header was expected",
        ));
    }
    Ok(n)
}

/// Skips `length` bytes; returns how many there were.
fn skip(input: &mut dyn BufRead, length: u64) -> io::Result<u64> {
    io::copy(&mut input.take(length), &mut io::sink())
}

/// A reader that counts the bytes consumed through it, for the offsets of records.
struct Counted<'a> {
    input: &'a mut dyn BufRead,
    offset: u64,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        self.offset += n as u64;
        Ok(n)
    }
}

impl BufRead for Counted<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.input.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.input.consume(amount);
        self.offset += amount as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_dechunk(body: &[u8], expect: Option<&[u8]>) {
        assert_eq!(
            dechunk(body).as_deref(),
            expect,
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }

    #[test]
    fn dechunks_what_is_chunked_and_leaves_what_is_not() {
        check_dechunk(
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
            Some(b"hello world"),
        );
        check_dechunk(b"5;ext=1\nhello\n0\n\n", Some(b"hello"));
        check_dechunk(b"5\r\nhello\r\n", Some(b"hello"));
        check_dechunk(b"<html>already joined</html>", None);
        check_dechunk(b"ff\r\nshort", None);
    }

    #[test]
    fn tells_html_by_type_or_by_first_bytes() {
        assert!(is_html(Some("text/html; charset=utf-8"), b""));
        assert!(is_html(Some("application/xhtml+xml"), b""));
        assert!(!is_html(Some("image/png"), b"<html>"));
        assert!(is_html(None, b"  <!DOCTYPE HTML><html>"));
        assert!(is_html(Some("application/octet-stream"), b"<html><body>"));
        assert!(!is_html(None, b"%PDF-1.7"));
    }

    #[test]
    fn a_body_stored_decoded_is_taken_as_it_is() {
        assert_eq!(
            decompress("gzip", b"<html>".to_vec(), 1 << 20).unwrap(),
            b"<html>"
        );
        assert!(
            decompress("br", b"x".to_vec(), 1 << 20)
                .unwrap_err()
                .contains("not supported")
        );
    }
}
