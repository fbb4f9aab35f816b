//! Finding the inputs under the paths a user names, and opening each one (decompressing as needed).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use parallax_model::Place;

use super::{Item, read_input, reject};

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
    read_input(
        &input.path,
        &mut BufReader::with_capacity(1 << 16, reader),
        sink,
    );
}
