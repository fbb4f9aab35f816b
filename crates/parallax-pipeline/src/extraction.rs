//! The extraction step every ingest ends with: every stored article without an extraction is extracted and the
//! result kept in the store, then handed to the caller's [`ArticleIndex`] (the search index).
//!
//! Articles are taken from the store in pages, so millions of pending articles never sit in memory at once, and
//! each page is stored in one transaction: a run killed at any moment leaves the pages before it stored and the
//! rest pending for the next ingest.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use parallax_engine::compare::StatementVectors;
use parallax_engine::embed::Encoder;
use parallax_engine::extract::{EXTRACT_PIECE, Recogniser, extract_article, extract_pieces};
use parallax_model::{Article, ArticleId, Extraction};
use parallax_store::Store;

use crate::ingest::IngestEvents;
use crate::{Error, Result};

/// Articles extracted and stored per transaction unless the caller says otherwise.
pub const EXTRACT_PAGE: usize = 256;

/// Where extracted articles go besides the store: an index that must learn of every article once it is extracted
/// (the search index). An article extracted again is added again; the index replaces what it held for its id.
pub trait ArticleIndex {
    /// Adds (or replaces) one article with what extraction found in it.
    fn add(
        &mut self,
        article: &Article,
        extraction: &Extraction,
    ) -> std::result::Result<(), String>;
    /// Makes what was added visible and durable.
    fn commit(&mut self) -> std::result::Result<(), String>;
}

/// Extracts every stored article that has no extraction yet, stores the results and hands each to `index`;
/// returns how many.
///
/// Storing one page overlaps with extracting the next, so the writer's time is mostly hidden behind the workers'.
pub fn extract_pending(
    store: &mut dyn Store,
    page_size: usize,
    events: &dyn IngestEvents,
    index: Option<&mut dyn ArticleIndex>,
) -> Result<u64> {
    extract_pending_with(store, page_size, events, index, None)
}

/// [`extract_pending`], and with an encoder the dense vectors of each article's statements, kept beside its
/// extraction so that comparisons read them (an article past the extraction piece size gets none: the comparison
/// reads its words alone).
pub fn extract_pending_with(
    store: &mut dyn Store,
    page_size: usize,
    events: &dyn IngestEvents,
    mut index: Option<&mut dyn ArticleIndex>,
    encoder: Option<&Encoder>,
) -> Result<u64> {
    let page_size = page_size.max(1);
    let first = store.unextracted_articles(page_size)?;
    if first.is_empty() {
        return Ok(0);
    }
    // Loaded once for the whole run: reading the model costs far more than extracting one article.
    let recogniser = Recogniser::find();
    if matches!(recogniser, Recogniser::Rules) {
        events
            .notice("no NER model found (see `parallax train ner`): using the rule-based fallback");
    }
    let recogniser = &recogniser;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done = 0;
    let mut keep = |store: &mut dyn Store, kept: Kept| {
        match kept {
            Kept::Page(articles, extractions, vectors) => {
                store.put_extractions(&extractions)?;
                if !vectors.is_empty() {
                    store.put_statement_vectors(&vectors)?;
                }
                if let Some(index) = index.as_deref_mut() {
                    for (article, extraction) in articles.iter().zip(&extractions) {
                        index.add(article, extraction).map_err(Error::Index)?;
                    }
                }
                done += extractions.len() as u64;
            }
            Kept::Giant(article) => {
                let entities = extract_giant(store, &article, recogniser, events)?;
                if let Some(index) = index.as_deref_mut() {
                    index.add(&article, &entities).map_err(Error::Index)?;
                }
                done += 1;
            }
        }
        Ok::<(), Error>(())
    };
    std::thread::scope(|scope| -> Result<()> {
        let mut page = first;
        let mut extracted: Option<Extracted> = None;
        loop {
            // A giant article is extracted and stored a piece at a time, here, so that its findings are never
            // all in memory; the page's other articles go to the workers meanwhile.
            let (giants, ordinary): (Vec<Article>, Vec<Article>) =
                page.into_iter().partition(|a| a.text.len() > EXTRACT_PIECE);
            let in_flight: HashSet<ArticleId> = ordinary.iter().map(|a| a.id.clone()).collect();
            let running = scope.spawn(move || {
                let (results, vectors) =
                    extract_page(&ordinary, recogniser, workers, events, encoder);
                (ordinary, results, vectors)
            });
            if let Some((articles, extractions, vectors)) = extracted.take() {
                keep(store, Kept::Page(articles, extractions, vectors))?;
            }
            for giant in giants {
                keep(store, Kept::Giant(Box::new(giant)))?;
            }
            // The page in flight is still pending, and comes first: the next page is what follows it.
            let next: Vec<Article> = store
                .unextracted_articles(page_size + in_flight.len())?
                .into_iter()
                .filter(|a| !in_flight.contains(&a.id))
                .take(page_size)
                .collect();
            extracted = Some(
                running
                    .join()
                    .map_err(|_| Error::Thread("an extraction thread failed"))?,
            );
            if next.is_empty() {
                break;
            }
            page = next;
        }
        if let Some((articles, extractions, vectors)) = extracted {
            keep(store, Kept::Page(articles, extractions, vectors))?;
        }
        Ok(())
    })?;
    if let Some(index) = index {
        index.commit().map_err(Error::Index)?;
    }
    Ok(done)
}

/// A page the workers extracted: its articles, their extractions, and their statement vectors where an encoder
/// made them.
type Extracted = (Vec<Article>, Vec<Extraction>, Vec<(ArticleId, Vec<u8>)>);

/// What the writer keeps next: a page the workers extracted, or a giant article it extracts itself.
enum Kept {
    Page(Vec<Article>, Vec<Extraction>, Vec<(ArticleId, Vec<u8>)>),
    Giant(Box<Article>),
}

/// Extracts a page on `workers` threads, keeping the page's order; with an encoder, each article's statement
/// vectors too.
fn extract_page(
    page: &[Article],
    recogniser: &Recogniser,
    workers: usize,
    events: &dyn IngestEvents,
    encoder: Option<&Encoder>,
) -> (Vec<Extraction>, Vec<(ArticleId, Vec<u8>)>) {
    let chunk = page.len().div_ceil(workers.max(1)).max(1);
    let done: Vec<(Extraction, Option<Vec<u8>>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = page
            .chunks(chunk)
            .map(|articles| {
                scope.spawn(move || {
                    articles
                        .iter()
                        .map(|a| {
                            let vectors =
                                encoder.map(|e| StatementVectors::of_article(a, e, 1).to_bytes());
                            (extract_one(a, recogniser, events), vectors)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(page.chunks(chunk))
            .flat_map(|(handle, articles)| {
                handle
                    .join()
                    .unwrap_or_else(|_| articles.iter().map(|a| (nothing_found(a), None)).collect())
            })
            .collect()
    });
    let mut vectors = Vec::new();
    let extractions = done
        .into_iter()
        .map(|(extraction, made)| {
            if let Some(bytes) = made {
                vectors.push((extraction.article.clone(), bytes));
            }
            extraction
        })
        .collect();
    (extractions, vectors)
}

/// Extracts a giant article piece by piece into the store, and returns its entities (joined across the pieces,
/// without mentions: what the index needs, and small). Should the engine panic on it, the article is stored with
/// an empty extraction and named, as [`extract_one`] does.
fn extract_giant(
    store: &mut dyn Store,
    article: &Article,
    recogniser: &Recogniser,
    events: &dyn IngestEvents,
) -> Result<Extraction> {
    let mut entities = Vec::new();
    let stored = catch_unwind(AssertUnwindSafe(|| {
        let mut pieces = extract_pieces(article, recogniser).inspect(|piece| {
            entities.push(Extraction {
                article: piece.article.clone(),
                entities: piece.entities.clone(),
                ..Extraction::default()
            });
        });
        store.put_extraction_parts(&article.id, &mut pieces)
    }));
    match stored {
        Ok(result) => {
            result?;
            Ok(Extraction::join(entities))
        }
        Err(_) => {
            events.notice(&format!(
                "extraction failed on article {} ({}); stored without entities",
                article.id, article.origin
            ));
            let nothing = nothing_found(article);
            store.put_extractions(std::slice::from_ref(&nothing))?;
            Ok(nothing)
        }
    }
}

/// One article's extraction. The engine promises not to panic on any text; should it break that promise, the
/// article is stored with an empty extraction and named, rather than blocking every later run on it.
fn extract_one(
    article: &Article,
    recogniser: &Recogniser,
    events: &dyn IngestEvents,
) -> Extraction {
    catch_unwind(AssertUnwindSafe(|| extract_article(article, recogniser))).unwrap_or_else(|_| {
        events.notice(&format!(
            "extraction failed on article {} ({}); stored without entities",
            article.id, article.origin
        ));
        nothing_found(article)
    })
}

fn nothing_found(article: &Article) -> Extraction {
    Extraction {
        article: article.id.clone(),
        ..Extraction::default()
    }
}
