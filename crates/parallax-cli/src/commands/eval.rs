//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use parallax_engine::cluster::ClusterConfig;
use parallax_engine::compare::SimilarityModel;
use parallax_engine::dedup::DedupConfig;
use parallax_engine::embed::{Encoder, EncoderConfig};
use parallax_engine::eval::{
    Decisions, HtmlEvalConfig, LangEvalConfig, Level, Prf, SpanCounts, StoriesEvalOptions,
    evaluate_align, evaluate_basil, evaluate_dedup, evaluate_html_dir, evaluate_language_file,
    evaluate_ner, evaluate_pairs, evaluate_paraphrase, evaluate_quotes, evaluate_stories,
    evaluate_timex, fit_paraphrase, read_gold_alignments, read_labelled_jsonl, training_rows,
};
use parallax_engine::extract::{NerModel, read_labelled};

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Main-text extraction from HTML pages: precision, recall and F1 of trafilatura's snippet metric.
    Html {
        /// The data set folder: evaldata.json and pages/*.gz, e.g. ../shared/datasets/html-extraction.
        dir: PathBuf,
        /// Print the report as JSON, with every page's missed snippets and kept boilerplate.
        #[arg(long)]
        json: bool,
        /// Extract pages on this many threads (1 compares like with like against a single-process peer).
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Cluster a labelled JSON Lines file into stories and score them against its gold labels: BCubed and
    /// pairwise precision, recall and F1.
    Stories(StoriesArgs),
    /// Plant edited copies of a JSON Lines file's texts (changed headline, byline, dropped or added paragraph,
    /// boilerplate, heavy rewrite) and measure near-duplicate precision and recall against exact Jaccard truth.
    Dedup(DedupArgs),
    /// Correlate Parallax's story-similarity score with human judgements of article pairs (the SemEval-2022
    /// Task 8 CSV: lang1, lang2, text1, text2, Overall), overall and for same- and cross-language pairs.
    Pairs(PairsArgs),
    /// The same-statement decision against paraphrase labels in the MSRP form (tab-separated: label, id, id,
    /// sentence, sentence; a header line): accuracy and F1 of the shipped model, and its 10-fold cross-validated
    /// estimate.
    Paraphrase(ParaphraseArgs),
    /// Statements aligned across an article and its translation against a gold alignment (xling-news):
    /// precision and recall of the aligned statement pairs, overall and for quotes.
    Align(AlignArgs),
    /// Language identification accuracy on a labelled CSV (columns lang1/text1, lang2/text2, or lang/text).
    Lang {
        /// The labelled CSV file, e.g. ../shared/datasets/semeval2022-pairs-train.csv.
        file: PathBuf,
        /// Score only texts of at least this many characters.
        #[arg(long, default_value_t = 200)]
        min_chars: usize,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Named entities against CoNLL-2003 column data: exact-span precision, recall and F1 as conlleval computes them.
    Ner(EvalNerArgs),
    /// Temporal expressions against TimeML files (TempEval-3 metric: strict, relaxed and value F1).
    Timex(EvalArgs),
    /// Quotes and their speakers against PolNeAR brat files (content-span F1, speaker accuracy).
    Quotes(QuotesArgs),
    /// The comparison of each BASIL story's sources against BASIL's bias spans: (a) one-source statements against
    /// sentences with informational bias (precision, recall, F1), (b) framing labels against lexical-bias spans.
    Compare(CompareArgs),
}

/// Arguments of `parallax eval compare`.
#[derive(Args)]
pub(crate) struct CompareArgs {
    /// BASIL's articles as JSON Lines with an `event` key, e.g. ../shared/datasets/basil.jsonl.
    file: PathBuf,
    /// The folder of BASIL's span annotations (searched recursively), e.g. ../shared/datasets/basil-annotations.
    #[arg(long)]
    annotations: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval ner`.
#[derive(Args)]
pub(crate) struct EvalNerArgs {
    /// Labelled data: CoNLL-2003 columns (eng.testa), CoNLL-2002 (esp.testa) or GermEval 2014 (NER-de-dev.tsv),
    /// as `--lang` says.
    file: PathBuf,
    /// The language of the data, which picks its format and the default model (`models/ner-<lang>.bin`).
    #[arg(long, default_value = "en")]
    lang: String,
    /// The model to measure (default: the one the engine finds for `--lang`, see `parallax train ner`).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Also list the twenty most frequent mistakes.
    #[arg(long)]
    mistakes: bool,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
}

/// Where the labelled data is and how to print the result.
#[derive(Args)]
pub(crate) struct EvalArgs {
    /// The folder of labelled files (searched recursively).
    dir: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Also list every disagreement with the gold labels.
    #[arg(long)]
    mistakes: bool,
}

/// Arguments of `parallax eval quotes`.
#[derive(Args)]
pub(crate) struct QuotesArgs {
    /// The PolNeAR folder (searched recursively), e.g. ../shared/datasets/quotes.
    dir: PathBuf,
    /// Score only this split, the subfolder of that name (`train` to tune on, `dev` to report); all by default.
    #[arg(long)]
    split: Option<String>,
    /// Print the report as JSON (with every attribution Parallax got wrong or missed when --mistakes is given).
    #[arg(long)]
    json: bool,
    /// Also list every gold attribution whose speaker Parallax got wrong or whose quote it missed.
    #[arg(long)]
    mistakes: bool,
}

/// Arguments of `parallax eval pairs`.
#[derive(Args)]
pub(crate) struct PairsArgs {
    /// The CSV file of pairs.
    file: String,
    /// A packed multilingual-e5-small model (`e5-small-q4.bin`): also score the pairs by dense embeddings.
    #[arg(long)]
    model: Option<std::path::PathBuf>,
    /// Threads for the embeddings.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval paraphrase`.
#[derive(Args)]
pub(crate) struct ParaphraseArgs {
    /// The MSRP-form file, e.g. ../shared/datasets/msrp/msr_paraphrase_train.txt.
    file: PathBuf,
    /// The language of the sentences (ISO 639-1).
    #[arg(long, default_value = "en")]
    language: String,
    /// Folds of the cross-validated estimate.
    #[arg(long, default_value_t = 10)]
    folds: usize,
    /// Instead of scoring, fit the within-language weights and threshold on the file and print them as the
    /// constants of compare/similarity.rs.
    #[arg(long)]
    fit: bool,
    /// A packed multilingual-e5-small model (`e5-small-q4.bin`): sentences also carry dense embeddings.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Threads for the embeddings.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval align`.
#[derive(Args)]
pub(crate) struct AlignArgs {
    /// A JSON Lines file of articles, e.g. ../shared/datasets/xling-news/xling-news-dev.jsonl.
    file: String,
    /// The gold alignment (JSON Lines: a, b, pairs), e.g. ../shared/datasets/xling-news/xling-news-dev-align.jsonl.
    #[arg(long)]
    gold: PathBuf,
    /// A packed multilingual-e5-small model (`e5-small-q4.bin`): statements also carry dense embeddings.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Threads for the embeddings.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval dedup`.
#[derive(Args)]
pub(crate) struct DedupArgs {
    /// A JSON Lines file of articles whose texts the copies are made from.
    file: String,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval stories`.
#[derive(Args)]
pub(crate) struct StoriesArgs {
    /// A JSON Lines file of articles, each with a gold story label.
    file: String,
    /// The key holding the gold label ("event").
    #[arg(long)]
    gold: String,
    /// Score only articles whose gold label matches this regular expression (e.g. the dev topics of ECB+:
    /// '^ecb(2|5|12|18|21|23|34|35)[ab]$').
    #[arg(long)]
    only: Option<String>,
    /// A JSON file of clustering settings to try instead of the defaults (for experiments; Parallax is measured
    /// with the defaults).
    #[arg(long)]
    config: Option<String>,
    /// A packed multilingual-e5-small model (`e5-small-q4.bin`): cluster with the dense backend too.
    #[arg(long)]
    model: Option<std::path::PathBuf>,
    /// Assign the articles with their publication days in an order shuffled by this seed, as news arriving out
    /// of date order would (each day's articles in order).
    #[arg(long)]
    shuffle_days: Option<u64>,
    /// The level scored against the gold labels: `story` (one event) or `storyline` (the stories of one
    /// developing situation).
    #[arg(long, value_enum, default_value_t = LevelArg::Story)]
    level: LevelArg,
    /// Instead of clustering, write the oracle's training rows for the score model to this file (JSON Lines).
    #[arg(long, hide = true)]
    training_rows: Option<String>,
    /// Print the full report, with every article's story, as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Stories(args) => stories(args),
        EvalCommand::Dedup(args) => dedup(args),
        EvalCommand::Pairs(args) => pairs(args),
        EvalCommand::Paraphrase(args) => paraphrase(args),
        EvalCommand::Align(args) => align(args),
        EvalCommand::Ner(args) => eval_ner(args),
        EvalCommand::Compare(args) => compare(args),
        EvalCommand::Html { dir, json, threads } => {
            let report = evaluate_html_dir(&dir, &HtmlEvalConfig { threads })
                .with_context(|| format!("cannot evaluate {}", dir.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "HTML main text: precision {:.4} recall {:.4} F1 {:.4} (TP {} FP {} FN {}) on {} pages \
                 ({} failed), {:.1} pages/s ({:.1} s extracting on {} thread(s))",
                report.precision,
                report.recall,
                report.f1,
                report.counts.true_positives,
                report.counts.false_positives,
                report.counts.false_negatives,
                report.pages,
                report.failed_pages,
                report.pages_per_second,
                report.seconds,
                report.threads
            );
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Lang {
            file,
            min_chars,
            json,
        } => {
            let config = LangEvalConfig { min_chars };
            let report = evaluate_language_file(&file, &config)
                .with_context(|| format!("cannot evaluate {}", file.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "language identification: {} of {} texts of >= {min_chars} chars correct: accuracy {:.4} \
                 ({} texts in file), {:.1} µs per text{}",
                report.correct,
                report.scored,
                report.accuracy,
                report.texts,
                report.micros_per_text,
                report
                    .cpu_micros_per_text
                    .map(|cpu| format!(" ({cpu:.1} µs CPU)"))
                    .unwrap_or_default()
            );
            for (language, score) in &report.per_language {
                println!(
                    "  {language:<4} {:>5} texts  accuracy {:.4}",
                    score.scored, score.accuracy
                );
            }
            for confusion in report.confusions.iter().take(10) {
                println!(
                    "  mistake: {} read as {} ({}x)",
                    confusion.label, confusion.detected, confusion.count
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Timex(args) => {
            let mut report = evaluate_timex(&args.dir)?;
            if !args.mistakes {
                report.mistakes.clear();
            }
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            for m in &report.mistakes {
                println!(
                    "{:9} {:30} gold={:20} found={:30} {}  | {}",
                    m.kind,
                    m.text,
                    m.gold.as_deref().unwrap_or("-"),
                    m.found.as_deref().unwrap_or("-"),
                    m.document,
                    m.context
                );
            }
            println!(
                "documents {}  gold {}  found {}",
                report.documents, report.gold, report.found
            );
            print_prf("strict", &report.strict);
            print_prf("relaxed", &report.relaxed);
            println!(
                "value accuracy {:.4}  type accuracy {:.4}",
                report.value_accuracy, report.type_accuracy
            );
            println!("value F1 {:.4}", report.value_f1);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Quotes(args) => {
            let dir = match &args.split {
                Some(split) => args.dir.join(split),
                None => args.dir.clone(),
            };
            anyhow::ensure!(dir.is_dir(), "no folder {}", dir.display());
            let mut report = evaluate_quotes(&dir)?;
            if !args.mistakes {
                report.mistakes.clear();
            }
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            for m in &report.mistakes {
                println!("{m}");
            }
            println!(
                "documents {}  gold quoted attributions {}  found quotes {}",
                report.documents, report.gold, report.found
            );
            print_prf("content", &report.content);
            print_prf("exact", &report.content_exact);
            println!(
                "speaker accuracy {:.4}  (over matched quotes {:.4})",
                report.speaker_accuracy, report.speaker_accuracy_matched
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn compare(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let file =
        File::open(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let (articles, rejects) =
        read_labelled_jsonl(&args.file.to_string_lossy(), &mut BufReader::new(file));
    for reject in &rejects {
        eprintln!("parallax: skipped {}: {}", reject.origin, reject.reason);
    }
    let report = evaluate_basil(&articles, &args.annotations)
        .with_context(|| format!("cannot read {}", args.annotations.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let (lex, inf) = (&report.lexical, &report.informational);
    println!(
        "BASIL: {} articles in {} stories, {} annotated, compared in {:.1} s",
        report.articles, report.stories, report.annotated, report.seconds
    );
    println!(
        "(a) one-source statements vs informational bias: {} sentences, {} gold, {} marked ({:.1}% of sentences)",
        inf.sentences,
        inf.gold,
        inf.marked,
        100.0 * inf.marked_share
    );
    print_prf("    marked", &inf.scores);
    println!("    marking every sentence: F1 {:.4}", inf.all_marked_f1);
    println!(
        "(b) framing labels vs lexical bias: {} of {} spans ({} placed in the text) at least half inside a label: \
         {:.4}; {} labels mark {} of {} words ({:.1}%)",
        lex.covered,
        lex.spans,
        lex.located,
        lex.recall,
        lex.labels,
        lex.words_labelled,
        lex.words,
        100.0 * lex.labelled_share
    );
    Ok(ExitCode::SUCCESS)
}

fn eval_ner(args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(path) => NerModel::load(path)?,
        None => NerModel::find_for(&args.lang)
            .context("no NER model found: train one with `parallax train ner`")?,
    };
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let documents = read_labelled(&text, &args.lang);
    let started = Instant::now();
    let scores = evaluate_ner(&model, &documents);
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
        return Ok(ExitCode::SUCCESS);
    }
    let line = |name: &str, c: &SpanCounts| {
        println!(
            "{name:<8} precision {:6.2}%  recall {:6.2}%  F1 {:6.2}   (gold {}, found {}, correct {})",
            100.0 * c.precision(),
            100.0 * c.recall(),
            100.0 * c.f1(),
            c.gold,
            c.found,
            c.correct
        );
    };
    for (kind, counts) in &scores.by_type {
        line(kind, counts);
    }
    line("overall", &scores.overall);
    println!(
        "{} tokens in {:.3} s ({:.0} tokens/s)",
        scores.tokens,
        seconds,
        scores.tokens as f64 / seconds
    );
    if args.mistakes {
        println!("most frequent mistakes:");
        for (mistake, count) in scores.most_frequent_mistakes(20) {
            println!("{count:6}  {mistake}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_prf(name: &str, prf: &Prf) {
    println!(
        "{name:8} P {:.4}  R {:.4}  F1 {:.4}",
        prf.precision, prf.recall, prf.f1
    );
}

fn pairs(args: PairsArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let encoder = args
        .model
        .as_deref()
        .map(|path| Encoder::load(path, EncoderConfig::default()))
        .transpose()?;
    let report = evaluate_pairs(
        BufReader::new(file),
        &ClusterConfig::default(),
        encoder.as_ref().map(|e| (e, args.threads)),
    )
    .with_context(|| format!("cannot read {} as CSV", args.file))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for (name, c) in [
            ("overall", report.overall),
            ("same language", report.same_language),
            ("cross language", report.cross_language),
        ] {
            println!("{name:<15} {:>5} pairs  Pearson {:.4}", c.pairs, c.pearson);
        }
        if report.skipped > 0 {
            println!("{} rows skipped (no text or no score)", report.skipped);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_decisions(name: &str, d: &Decisions) {
    println!(
        "{name:<16} {:>5} pairs  accuracy {:.4}  F1 {:.4}  (P {:.4}  R {:.4})",
        d.pairs, d.accuracy, d.f1, d.precision, d.recall
    );
}

fn paraphrase(args: ParaphraseArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let language = Some(args.language.as_str());
    let encoder = args
        .model
        .as_deref()
        .map(|path| Encoder::load(path, EncoderConfig::default()))
        .transpose()?;
    if args.fit {
        let fitted = fit_paraphrase(
            &text,
            language,
            encoder.as_ref().map(|e| (e, args.threads.max(1))),
        );
        if args.json {
            println!("{}", serde_json::to_string_pretty(&fitted)?);
        } else {
            print!("{}", fitted.rust_constants());
            print_decisions("in sample", &fitted.in_sample);
            if let Some((_, joined)) = &fitted.dense_within {
                print_decisions("in sample, joined with the dense cosine", joined);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = evaluate_paraphrase(
        &text,
        language,
        &SimilarityModel::default(),
        args.folds,
        encoder.as_ref().map(|e| (e, args.threads.max(1))),
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "all-positive accuracy {:.4}; shipped threshold {:.4}",
            report.positive_share, report.threshold
        );
        print_decisions("shipped model", &report.shipped);
        print_decisions(
            &format!("{}-fold CV", report.folds),
            &report.cross_validated,
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn align(args: AlignArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let (articles, rejects) = read_labelled_jsonl(&args.file, &mut BufReader::new(file));
    for reject in &rejects {
        eprintln!("skipped {:?}: {}", reject.origin.place, reject.reason);
    }
    let gold = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("cannot read {}", args.gold.display()))?;
    let gold = read_gold_alignments(&gold)
        .with_context(|| format!("cannot read {} as a gold alignment", args.gold.display()))?;
    let encoder = args
        .model
        .as_deref()
        .map(|path| Encoder::load(path, EncoderConfig::default()))
        .transpose()?;
    let report = evaluate_align(
        &articles,
        &gold,
        &SimilarityModel::default(),
        encoder.as_ref().map(|e| (e, args.threads)),
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{} document pairs ({} missing), {} + {} statements, {} gold pairs ({} quotes), {} predicted",
            report.documents,
            report.missing,
            report.statements.0,
            report.statements.1,
            report.gold.0,
            report.gold.1,
            report.predicted.0
        );
        print_prf("overall", &report.overall);
        print_prf("quotes", &report.quotes);
    }
    Ok(ExitCode::SUCCESS)
}

fn dedup(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let (articles, rejects) = read_labelled_jsonl(&args.file, &mut BufReader::new(file));
    for reject in &rejects {
        eprintln!("parallax: skipped {}: {}", reject.origin, reject.reason);
    }
    let report = evaluate_dedup(&articles, &DedupConfig::default());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{} texts, {} reported copies, {} right (exact Jaccard >= {}): precision {:.4}  recall {:.4}  ({:.0} texts/s)",
            report.texts,
            report.reported,
            report.correct,
            report.threshold,
            report.precision,
            report.recall,
            report.texts_per_second
        );
        for (edit, counts) in &report.edits {
            println!(
                "  {edit:<15} {} of {} copies at or above the threshold found, {} below it",
                counts.found, counts.positives, counts.below_threshold
            );
        }
    }
    Ok(if rejects.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The `--level` of `eval stories`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum LevelArg {
    Story,
    Storyline,
}

fn stories(args: StoriesArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let (articles, rejects) = read_labelled_jsonl(&args.file, &mut BufReader::new(file));
    for reject in &rejects {
        eprintln!("parallax: skipped {}: {}", reject.origin, reject.reason);
    }
    let config = match &args.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
            serde_json::from_str::<ClusterConfig>(&text)
                .with_context(|| format!("bad settings in {path}"))?
        }
        None => ClusterConfig::default(),
    };
    let only = args
        .only
        .as_deref()
        .map(regex::Regex::new)
        .transpose()
        .context("bad --only pattern")?;
    let encoder = args
        .model
        .as_deref()
        .map(|path| Encoder::load(path, EncoderConfig::default()))
        .transpose()?
        .map(std::sync::Arc::new);
    let options = StoriesEvalOptions {
        gold_field: args.gold,
        only,
        config,
        encoder,
        shuffle_days: args.shuffle_days,
        level: match args.level {
            LevelArg::Story => Level::Story,
            LevelArg::Storyline => Level::Storyline,
        },
    };
    if let Some(path) = &args.training_rows {
        let mut out = String::new();
        for row in training_rows(&articles, &options) {
            out.push_str(&serde_json::to_string(&row)?);
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| format!("cannot write {path}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = evaluate_stories(&articles, &options)
        .with_context(|| format!("{}: {} lines rejected", args.file, rejects.len()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{} articles ({} without a gold label skipped), {} gold labels, {} {}, {} near-duplicates, {:.2} s",
            report.articles,
            report.unlabelled,
            report.gold_stories,
            report.stories,
            match report.level {
                Level::Story => "stories",
                Level::Storyline => "storylines",
            },
            report.near_duplicates,
            report.seconds
        );
        print_scores("BCubed", report.bcubed);
        print_scores("pairwise", report.pairwise);
    }
    Ok(if rejects.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_scores(name: &str, prf: Prf) {
    println!(
        "{name:<9} precision {:.4}  recall {:.4}  F1 {:.4}",
        prf.precision, prf.recall, prf.f1
    );
}
