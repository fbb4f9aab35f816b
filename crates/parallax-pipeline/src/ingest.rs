//! Storing what the readers find: inputs on disk ([`ingest_paths`]) or bytes in memory ([`ingest_bytes`]), then
//! the steps every ingest ends with (story assignment, extraction of what is pending).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parallax_engine::ingest::{
    Item, PipelineConfig, ReadLimits, discover_inputs, ingest_in_parallel, read_stream_within,
};
use parallax_model::{Article, Reject};
use parallax_store::{PutReport, Store};

use parallax_engine::embed::{Encoder, EncoderConfig};

use crate::extraction::{ArticleIndex, EXTRACT_PAGE, extract_pending_with};
use crate::stories::assign_stories;
use crate::{Error, Result};

/// How an ingest runs. The defaults are those of a plain `parallax ingest`.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// What one input (or one record of JSON Lines, a JSON array or WARC) may cost the readers.
    pub limits: ReadLimits,
    /// Items per store transaction; a transaction also ends once it holds [`TRANSACTION_BYTES`] of text.
    pub batch_items: usize,
    /// Assign the stored articles without a story to stories after storing.
    pub assign_stories: bool,
    /// Extract entities, dates, quotes and events of every article still pending after assigning.
    pub extract: bool,
    /// Articles extracted per store transaction.
    pub extract_page: usize,
    /// A packed multilingual-e5-small model: story assignment compares units by it, and each extracted
    /// article's statements get their vectors for the comparison.
    pub model: Option<PathBuf>,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            limits: ReadLimits::default(),
            batch_items: 20_000,
            assign_stories: true,
            extract: true,
            extract_page: EXTRACT_PAGE,
            model: None,
        }
    }
}

/// What an ingest tells its caller while it runs. Every method does nothing unless the caller says otherwise; the
/// methods take `&self` because the readers call [`IngestEvents::bytes_read`] from their own thread.
pub trait IngestEvents: Sync {
    /// The inputs were found: their total size in bytes, as stored (before decompression).
    fn inputs_found(&self, _total_bytes: u64) {}
    /// The readers consumed this many more input bytes.
    fn bytes_read(&self, _bytes: u64) {}
    /// An input, or part of one, was not stored: the reject names the file, the place and the reason.
    fn rejected(&self, _reject: &Reject) {}
    /// A store transaction committed mid-run: the totals so far.
    fn committed(&self, _stored: u64, _duplicates: u64, _rejected: u64) {}
    /// Something a person running the ingest should know (a fallback model, a state that had to be dropped).
    fn notice(&self, _message: &str) {}
}

/// Events nobody listens to.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

impl IngestEvents for NoEvents {}

/// What one ingest run did.
#[derive(Debug, Clone, Default)]
pub struct IngestOutcome {
    /// What the store kept.
    pub report: PutReport,
    /// Rejects met in this run, recorded before or not.
    pub rejected: u64,
    /// Input files read.
    pub files: usize,
    /// Articles newly assigned to stories.
    pub assigned: u64,
    /// How long assigning them took (not counted in `elapsed`, which measures reading and storing).
    pub assigned_in: Duration,
    /// Articles newly extracted (this run's and any an earlier run left pending).
    pub extracted: u64,
    /// How long extracting and storing them took.
    pub extracted_in: Duration,
    /// Input bytes read.
    pub bytes: u64,
    /// How long reading and storing took.
    pub elapsed: Duration,
}

/// Text gathered for one store transaction at most (besides [`IngestConfig::batch_items`]): large enough that
/// index pages are rewritten rarely, small enough to keep the peak memory of a large ingest far below 500 MB.
pub const TRANSACTION_BYTES: usize = 32 << 20;

/// What the next store transaction will hold.
#[derive(Default)]
struct Pending {
    articles: Vec<Article>,
    rejects: Vec<Reject>,
    /// Bytes of article text in `articles`.
    bytes: usize,
}

impl Pending {
    fn push(&mut self, item: Item) {
        match item {
            Item::Article(article) => {
                self.bytes += article.text.len();
                self.articles.push(*article);
            }
            Item::Reject(reject) => self.rejects.push(reject),
        }
    }

    fn is_full(&self, items: usize) -> bool {
        self.articles.len() + self.rejects.len() >= items || self.bytes >= TRANSACTION_BYTES
    }
}

/// Stores what the readers deliver, a transaction at a time, counting and telling rejects.
struct Storing<'a> {
    store: &'a mut dyn Store,
    events: &'a dyn IngestEvents,
    report: PutReport,
    rejected: u64,
}

impl Storing<'_> {
    fn commit(&mut self, pending: &mut Pending) -> Result<()> {
        let batch = std::mem::take(pending);
        batch.rejects.iter().for_each(|r| self.events.rejected(r));
        let put = self.store.put_batch(&batch.articles, &batch.rejects)?;
        put.conflicts.iter().for_each(|r| self.events.rejected(r));
        self.rejected += (batch.rejects.len() + put.conflicts.len()) as u64;
        self.report.absorb(put);
        Ok(())
    }
}

/// Reads every input under `paths` (files, directories read recursively, `.gz` files, `-` for standard input)
/// into `store`, then assigns stories and extracts what is pending as `config` asks, handing each extracted
/// article to `index` when there is one.
pub fn ingest_paths(
    store: &mut dyn Store,
    paths: &[PathBuf],
    config: &IngestConfig,
    events: &dyn IngestEvents,
    index: Option<&mut dyn ArticleIndex>,
) -> Result<IngestOutcome> {
    let started = Instant::now();
    let mut found_rejects = Vec::new();
    let files = discover_inputs(paths, &mut |item| {
        if let Item::Reject(reject) = item {
            found_rejects.push(reject);
        }
    });
    events.inputs_found(files.iter().filter_map(|f| f.size).sum());
    found_rejects.iter().for_each(|r| events.rejected(r));
    let report = store.put_batch(&[], &found_rejects)?;
    let mut storing = Storing {
        store,
        events,
        report,
        rejected: found_rejects.len() as u64,
    };

    let bytes = AtomicU64::new(0);
    let transaction_items = config.batch_items.max(1);
    let pipeline = PipelineConfig {
        batch_items: transaction_items.min(PipelineConfig::default().batch_items),
        limits: config.limits,
        ..PipelineConfig::default()
    };
    let progress = |n: u64| {
        bytes.fetch_add(n, Ordering::Relaxed);
        events.bytes_read(n);
    };
    // The readers' batches are gathered into larger transactions: each commit rewrites every page of the id and
    // content-key indexes that its articles touched, and with random keys that is most of them, so fewer, larger
    // commits write far less (measured: a third less CPU for 1 GB than one commit per 2,000 articles).
    let mut pending = Pending::default();
    ingest_in_parallel(&files, &pipeline, &progress, &mut |batch| {
        batch.into_iter().for_each(|item| pending.push(item));
        if pending.is_full(transaction_items) {
            storing.commit(&mut pending)?;
            events.committed(
                storing.report.stored,
                storing.report.duplicates,
                storing.rejected,
            );
        }
        Ok::<(), Error>(())
    })?;
    storing.commit(&mut pending)?;
    let mut outcome = IngestOutcome {
        report: storing.report,
        rejected: storing.rejected,
        files: files.len(),
        bytes: bytes.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
        ..IngestOutcome::default()
    };
    finish(storing.store, config, events, index, &mut outcome)?;
    Ok(outcome)
}

/// Reads one input held in memory (an upload), named `name` in origins and rejects, within `config.limits`, into
/// `store`; then assigns stories and extracts what is pending as [`ingest_paths`] does.
pub fn ingest_bytes(
    store: &mut dyn Store,
    name: &str,
    bytes: &[u8],
    config: &IngestConfig,
    events: &dyn IngestEvents,
    index: Option<&mut dyn ArticleIndex>,
) -> Result<IngestOutcome> {
    let started = Instant::now();
    let mut storing = Storing {
        store,
        events,
        report: PutReport::default(),
        rejected: 0,
    };
    let transaction_items = config.batch_items.max(1);
    let mut pending = Pending::default();
    let mut failed = None;
    let mut input = bytes;
    read_stream_within(name, &mut input, &config.limits, &mut |item| {
        pending.push(item);
        if failed.is_none() && pending.is_full(transaction_items) {
            failed = storing.commit(&mut pending).err();
        }
    });
    if let Some(error) = failed {
        return Err(error);
    }
    storing.commit(&mut pending)?;
    let mut outcome = IngestOutcome {
        report: storing.report,
        rejected: storing.rejected,
        files: 1,
        bytes: bytes.len() as u64,
        elapsed: started.elapsed(),
        ..IngestOutcome::default()
    };
    finish(storing.store, config, events, index, &mut outcome)?;
    Ok(outcome)
}

/// The steps after storing: story assignment, then extraction of every article still pending.
fn finish(
    store: &mut dyn Store,
    config: &IngestConfig,
    events: &dyn IngestEvents,
    index: Option<&mut dyn ArticleIndex>,
    outcome: &mut IngestOutcome,
) -> Result<()> {
    // Assignment and extraction read state, work on it and write it back: a second ingest on the same store waits
    // here for its turn rather than extract the same articles or overwrite the clusterer's state.
    let _turn = store.writer_turn()?;
    // The dense model, read once for both steps: stories compare units by it, and each extracted article's
    // statements get their vectors.
    let encoder = match config.model.as_deref() {
        Some(path) if config.assign_stories || config.extract => {
            Some(Arc::new(Encoder::load(path, EncoderConfig::default())?))
        }
        _ => None,
    };
    let assigning = Instant::now();
    if config.assign_stories {
        outcome.assigned = assign_stories(store, encoder.clone(), events)?;
    }
    outcome.assigned_in = assigning.elapsed();
    let extracting = Instant::now();
    if config.extract {
        outcome.extracted = extract_pending_with(
            store,
            config.extract_page,
            events,
            index,
            encoder.as_deref(),
        )?;
    }
    outcome.extracted_in = extracting.elapsed();
    Ok(())
}
