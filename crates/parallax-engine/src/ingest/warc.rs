//! WARC archives: HTML response records become articles with the record's URL and date.

use std::io::BufRead;

use parallax_model::Place;

use super::{Item, reject};

/// Reads a WARC stream record by record.
pub(crate) fn read_warc(path: &str, _input: &mut dyn BufRead, sink: &mut dyn FnMut(Item)) {
    sink(reject(path, Place::File, "WARC is not read yet"))
}
