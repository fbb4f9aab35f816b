//! How much one input may cost, so that no input, crafted or broken, can exhaust the machine or stop a batch.

/// Bounds on what the readers take in, shared by every caller of the engine (the CLI's `ingest` and `extract`, and
/// a server taking bodies from the network), so each applies the same guarantees.
///
/// An input past a bound is not read further: it becomes a reject that states the bound, and the rest of the batch
/// goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadLimits {
    /// The most bytes, after decompression, of an input the readers hold whole (a text file, an HTML page, a feed, a
    /// JSON document) and of one record of a streamed input (a JSON Lines line, an element of a JSON array, a WARC
    /// record and its decompressed body). Streamed inputs may be of any length: only their records are bounded.
    pub max_input_bytes: u64,
}

/// The default of [`ReadLimits::max_input_bytes`]: 128 MiB, far past the largest news page or feed (a few MB), and
/// small enough that the few copies a reader makes of an input stay within a desktop's memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 128 << 20;

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
        }
    }
}

impl ReadLimits {
    /// Limits with the given most bytes per input or record (at least one byte).
    pub fn with_max_input_bytes(max_input_bytes: u64) -> Self {
        ReadLimits {
            max_input_bytes: max_input_bytes.max(1),
        }
    }

    /// The reason given for an input or record past [`ReadLimits::max_input_bytes`].
    pub(crate) fn too_large(&self, what: &str) -> String {
        format!(
            "{what} is larger than the limit of {} bytes after decompression (raise it with --max-input-size)",
            self.max_input_bytes
        )
    }
}
