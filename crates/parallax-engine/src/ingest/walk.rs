//! Finding the inputs under the paths a user names, and opening each one (decompressing as needed).

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;
use parallax_model::Place;

use super::{Item, ReadLimits, completed, read_input_uncompleted, reject};

/// One input file found under the paths a user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as reported in origins: as given, or joined under the directory given; `-` for standard input. A
    /// name that is not UTF-8 shows its other bytes escaped (`\xE9`): see [`display_path`].
    pub path: String,
    /// The path as the operating system knows it, byte for byte, for opening the file.
    pub location: PathBuf,
    /// Size on disk in bytes where known (for progress), before decompression.
    pub size: Option<u64>,
}

/// Expands the user's paths into input files: files as they are, directories recursively in name order, `-` for
/// standard input.
///
/// Anything that cannot be read (a missing path, a permission error, a dangling symlink, a symlink loop) becomes a
/// reject handed to `sink` with the operating system's reason, and the walk goes on. Inside directories, hidden
/// entries (names starting with `.`, such as `.git`) are passed over and only regular files are taken, so a FIFO or
/// device in a corpus folder cannot hang the ingest; a path the user names explicitly is always taken.
pub fn discover_inputs<P: AsRef<Path>>(paths: &[P], sink: &mut dyn FnMut(Item)) -> Vec<InputFile> {
    let mut walk = Walk {
        found: Vec::new(),
        ancestors: Vec::new(),
        sink,
    };
    for path in paths {
        walk.visit(path.as_ref(), true);
    }
    walk.found
}

/// The state of one discovery: what was found, and the directories being walked (to catch symlink loops).
struct Walk<'s> {
    found: Vec<InputFile>,
    /// Canonical paths of the directories from the root of the current descent down to the one being read.
    ancestors: Vec<PathBuf>,
    sink: &'s mut dyn FnMut(Item),
}

impl Walk<'_> {
    fn visit(&mut self, path: &Path, named: bool) {
        let shown = display_path(path.as_os_str());
        if named && path.as_os_str() == "-" {
            self.found.push(InputFile {
                path: shown,
                location: path.to_owned(),
                size: None,
            });
            return;
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                let reason = match std::fs::symlink_metadata(path) {
                    Ok(link) if link.file_type().is_symlink() => {
                        let target = std::fs::read_link(path)
                            .map(|t| t.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        format!("cannot follow symlink to {target:?}: {e}")
                    }
                    _ => format!("cannot read: {e}"),
                };
                return (self.sink)(reject(&shown, Place::File, reason));
            }
        };
        if meta.is_dir() {
            self.visit_dir(path, &shown);
        } else if named || meta.is_file() {
            self.found.push(InputFile {
                path: shown,
                location: path.to_owned(),
                size: meta.is_file().then_some(meta.len()),
            });
        } else {
            (self.sink)(reject(
                &shown,
                Place::File,
                "not a regular file (a FIFO, socket or device found in a directory is not read)",
            ));
        }
    }

    fn visit_dir(&mut self, path: &Path, shown: &str) {
        let canonical = match std::fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(e) => {
                return (self.sink)(reject(
                    shown,
                    Place::File,
                    format!("cannot read directory: {e}"),
                ));
            }
        };
        if let Some(ancestor) = self.ancestors.iter().find(|a| **a == canonical) {
            let reason = format!(
                "symlink loop: this directory leads back to {}, which is already being read",
                ancestor.display()
            );
            return (self.sink)(reject(shown, Place::File, reason));
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => {
                return (self.sink)(reject(
                    shown,
                    Place::File,
                    format!("cannot read directory: {e}"),
                ));
            }
        };
        let mut children = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => children.push(entry.file_name()),
                Err(e) => (self.sink)(reject(
                    shown,
                    Place::File,
                    format!("cannot read a directory entry: {e}"),
                )),
            }
        }
        children.sort();
        self.ancestors.push(canonical);
        for name in children {
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            self.visit(&path.join(name), false);
        }
        self.ancestors.pop();
    }
}

/// A path as shown in origins, rejects and messages: UTF-8 as it is, any other byte escaped as `\xNN`, so a name
/// that is not UTF-8 is still told apart from its neighbours and can be found again.
pub fn display_path(path: &OsStr) -> String {
    let mut shown = String::new();
    for chunk in path.as_encoded_bytes().utf8_chunks() {
        shown.push_str(chunk.valid());
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02X}"));
        }
    }
    shown
}

/// Reads one input file: opens it (standard input for `-`), decompresses gzip by its magic bytes, and hands every
/// article and reject to `sink`, within the default [`ReadLimits`].
pub fn read_file(input: &InputFile, sink: &mut dyn FnMut(Item)) {
    read_file_within(input, &ReadLimits::default(), sink)
}

/// Reads one input file like [`read_file`], within the given limits.
pub fn read_file_within(input: &InputFile, limits: &ReadLimits, sink: &mut dyn FnMut(Item)) {
    read_file_uncompleted(input, limits, &|_| {}, &mut |item| sink(completed(item)))
}

/// Reads like [`read_file`] but hands articles on as their reader left them (the parallel pipeline completes them
/// on other threads), and tells `progress` how many bytes of the file (as stored, before decompression) each read
/// consumed.
pub(crate) fn read_file_uncompleted(
    input: &InputFile,
    limits: &ReadLimits,
    progress: &dyn Fn(u64),
    sink: &mut dyn FnMut(Item),
) {
    if input.location.as_os_str() == "-" {
        let mut stdin = CountingReader {
            inner: io::stdin().lock(),
            progress,
        };
        return read_stream_uncompleted(&input.path, &mut stdin, limits, sink);
    }
    match File::open(&input.location) {
        Ok(file) => {
            let mut file = CountingReader {
                inner: file,
                progress,
            };
            read_stream_uncompleted(&input.path, &mut file, limits, sink)
        }
        Err(e) => sink(reject(
            &input.path,
            Place::File,
            format!("cannot open: {e}"),
        )),
    }
}

/// Reads one input from any byte stream, named `path` in origins and rejects: decompresses gzip (one member or
/// several, detected by its magic bytes rather than a file name) and hands every article and reject to `sink`.
///
/// When the stream breaks off (a truncated or corrupt .gz, a read error), everything read before the break is
/// still handed on, and one reject names the byte offset (into the decompressed input) where the rest was lost.
/// The default [`ReadLimits`] apply.
pub fn read_stream(path: &str, input: &mut dyn Read, sink: &mut dyn FnMut(Item)) {
    read_stream_within(path, input, &ReadLimits::default(), sink)
}

/// Reads one input from any byte stream like [`read_stream`], within the given limits: decompression is streamed,
/// and no input (or record of one) is held past [`ReadLimits::max_input_bytes`].
pub fn read_stream_within(
    path: &str,
    input: &mut dyn Read,
    limits: &ReadLimits,
    sink: &mut dyn FnMut(Item),
) {
    read_stream_uncompleted(path, input, limits, &mut |item| sink(completed(item)))
}

fn read_stream_uncompleted(
    path: &str,
    input: &mut dyn Read,
    limits: &ReadLimits,
    sink: &mut dyn FnMut(Item),
) {
    let mut head = [0u8; 2];
    let mut filled = 0;
    while filled < head.len() {
        match input.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return sink(reject(path, Place::File, format!("cannot read: {e}"))),
        }
    }
    let raw = BufReader::with_capacity(1 << 16, (&head[..filled]).chain(input));
    let gzip = head[..filled] == [0x1f, 0x8b];
    let mut stream = if gzip {
        StopAtBreak::new(Box::new(MultiGzDecoder::new(raw)) as Box<dyn Read>)
    } else {
        StopAtBreak::new(Box::new(raw) as Box<dyn Read>)
    };
    read_input_uncompleted(
        path,
        &mut BufReader::with_capacity(1 << 16, &mut stream),
        limits,
        sink,
    );
    if let Some(e) = stream.error {
        let what = if gzip {
            "gzip data is truncated or corrupt"
        } else {
            "read failed"
        };
        sink(reject(
            path,
            Place::Offset(stream.offset),
            format!(
                "{what} after {} bytes: {e}; what came before was read, the rest is lost",
                stream.offset
            ),
        ));
    }
}

/// Tells a progress callback how many bytes each read returned.
struct CountingReader<'a, R> {
    inner: R,
    progress: &'a dyn Fn(u64),
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// A reader that turns the first error of the stream under it into a clean end, remembering the error and where it
/// happened, so the readers above store everything before a break and the break is reported once.
struct StopAtBreak<R> {
    inner: R,
    offset: u64,
    error: Option<io::Error>,
}

impl<R> StopAtBreak<R> {
    fn new(inner: R) -> Self {
        StopAtBreak {
            inner,
            offset: 0,
            error: None,
        }
    }
}

impl<R: Read> Read for StopAtBreak<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Ok(0);
        }
        loop {
            match self.inner.read(buf) {
                Ok(n) => {
                    self.offset += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    return Ok(0);
                }
            }
        }
    }
}

/// Appends bytes from `input` to `buf` until `buf` holds `limit` bytes or the input ends, without reading past it.
pub(crate) fn read_up_to(
    input: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<()> {
    while buf.len() < limit {
        let available = input.fill_buf()?;
        if available.is_empty() {
            break;
        }
        let take = available.len().min(limit - buf.len());
        buf.extend_from_slice(&available[..take]);
        input.consume(take);
    }
    Ok(())
}
