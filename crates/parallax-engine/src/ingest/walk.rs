//! Finding the inputs under the paths a user names, and opening each one (decompressing as needed).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use parallax_model::Place;

use super::{Item, completed, read_input_uncompleted, reject};

/// One input file found under the paths a user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as reported in origins: as given, or joined under the directory given; `-` for standard input.
    pub path: String,
    /// Size on disk in bytes where known (for progress), before decompression.
    pub size: Option<u64>,
}

/// Expands the user's paths into input files: files as they are, directories recursively in name order, `-` for
/// standard input. Anything that cannot be read (a missing path, a permission error, a symlink loop) becomes a
/// reject handed to `sink`. Placeholder: files and directories only.
pub fn discover_inputs(paths: &[String], sink: &mut dyn FnMut(Item)) -> Vec<InputFile> {
    let mut found = Vec::new();
    for path in paths {
        visit(Path::new(path), &mut found, sink);
    }
    found
}

fn visit(path: &Path, found: &mut Vec<InputFile>, sink: &mut dyn FnMut(Item)) {
    let shown = path.to_string_lossy().into_owned();
    if shown == "-" {
        found.push(InputFile {
            path: shown,
            size: None,
        });
        return;
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<_> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for child in children {
                    visit(&child, found, sink);
                }
            }
            Err(e) => sink(reject(
                &shown,
                Place::File,
                format!("cannot read directory: {e}"),
            )),
        },
        Ok(meta) => found.push(InputFile {
            path: shown,
            size: Some(meta.len()),
        }),
        Err(e) => sink(reject(&shown, Place::File, format!("cannot read: {e}"))),
    }
}

/// Reads one input file: opens it (standard input for `-`), decompresses gzip by its magic bytes, and hands every
/// article and reject to `sink`. Placeholder: no decompression yet.
pub fn read_file(input: &InputFile, sink: &mut dyn FnMut(Item)) {
    read_file_uncompleted(input, &|_| {}, &mut |item| sink(completed(item)))
}

/// Reads like [`read_file`] but hands articles on uncompleted (see [`read_input_uncompleted`]) and tells
/// `progress` how many bytes of the file (as stored, before decompression) each read consumed.
pub(crate) fn read_file_uncompleted(
    input: &InputFile,
    progress: &dyn Fn(u64),
    sink: &mut dyn FnMut(Item),
) {
    let reader: Box<dyn Read> = if input.path == "-" {
        Box::new(std::io::stdin())
    } else {
        match File::open(&input.path) {
            Ok(file) => Box::new(file),
            Err(e) => {
                return sink(reject(
                    &input.path,
                    Place::File,
                    format!("cannot open: {e}"),
                ));
            }
        }
    };
    let reader = CountingReader {
        inner: reader,
        progress,
    };
    read_input_uncompleted(
        &input.path,
        &mut BufReader::with_capacity(1 << 16, reader),
        sink,
    );
}

/// Tells a progress callback how many bytes each read returned.
struct CountingReader<'a, R> {
    inner: R,
    progress: &'a dyn Fn(u64),
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}
