//! The extraction step that `parallax ingest` runs after story assignment: every stored article without an
//! extraction is extracted and the result kept in the store.
//!
//! Articles are taken from the store in pages, so millions of pending articles never sit in memory at once, and
//! each page is stored in one transaction: a run killed at any moment leaves the pages before it stored and the
//! rest pending for the next `parallax ingest`.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use parallax_engine::extract::{EXTRACT_PIECE, Recogniser, extract_article, extract_pieces};
use parallax_model::{Article, ArticleId, Extraction};
use parallax_store::Store;

/// Articles extracted and stored per transaction, unless `ingest --extract-page` says otherwise.
pub(crate) const PAGE: usize = 256;

/// Extracts every stored article that has no extraction yet and stores the results; returns how many.
///
/// Storing one page overlaps with extracting the next, so the writer's time is mostly hidden behind the workers'.
pub(crate) fn extract_pending(store: &mut dyn Store, page_size: usize) -> anyhow::Result<u64> {
    let page_size = page_size.max(1);
    let first = store.unextracted_articles(page_size)?;
    if first.is_empty() {
        return Ok(0);
    }
    // Loaded once for the whole run: reading the model costs far more than extracting one article.
    let recogniser = Recogniser::find();
    if matches!(recogniser, Recogniser::Rules) {
        eprintln!("no NER model found (see `parallax train ner`): using the rule-based fallback");
    }
    let recogniser = &recogniser;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done = 0;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let mut page = first;
        let mut extracted: Option<Vec<Extraction>> = None;
        loop {
            // A giant article is extracted and stored a piece at a time, here, so that its findings are never
            // all in memory; the page's other articles go to the workers meanwhile.
            let (giants, page_rest): (Vec<Article>, Vec<Article>) =
                page.into_iter().partition(|a| a.text.len() > EXTRACT_PIECE);
            let in_flight: HashSet<ArticleId> = page_rest.iter().map(|a| a.id.clone()).collect();
            let running = scope.spawn(move || extract_page(&page_rest, recogniser, workers));
            if let Some(previous) = extracted.take() {
                store.put_extractions(&previous)?;
                done += previous.len() as u64;
            }
            for giant in giants {
                extract_giant(store, &giant, recogniser)?;
                done += 1;
            }
            // The page in flight is still pending, and comes first: the next page is what follows it.
            let next: Vec<Article> = store
                .unextracted_articles(page_size + in_flight.len())?
                .into_iter()
                .filter(|a| !in_flight.contains(&a.id))
                .take(page_size)
                .collect();
            let results = running
                .join()
                .map_err(|_| anyhow::anyhow!("an extraction thread failed"))?;
            extracted = Some(results);
            if next.is_empty() {
                break;
            }
            page = next;
        }
        if let Some(last) = extracted {
            store.put_extractions(&last)?;
            done += last.len() as u64;
        }
        Ok(())
    })?;
    Ok(done)
}

/// Extracts a page on `workers` threads, keeping the page's order.
fn extract_page(page: &[Article], recogniser: &Recogniser, workers: usize) -> Vec<Extraction> {
    let chunk = page.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = page
            .chunks(chunk)
            .map(|articles| {
                scope.spawn(move || {
                    articles
                        .iter()
                        .map(|a| extract_one(a, recogniser))
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
                    .unwrap_or_else(|_| articles.iter().map(nothing_found).collect())
            })
            .collect()
    })
}

/// Extracts a giant article piece by piece into the store. Should the engine panic on it, the article is stored
/// with an empty extraction and named, as [`extract_one`] does.
fn extract_giant(
    store: &mut dyn Store,
    article: &Article,
    recogniser: &Recogniser,
) -> anyhow::Result<()> {
    let stored = catch_unwind(AssertUnwindSafe(|| {
        store.put_extraction_parts(&article.id, &mut extract_pieces(article, recogniser))
    }));
    match stored {
        Ok(result) => Ok(result?),
        Err(_) => {
            eprintln!(
                "extraction failed on article {} ({}); stored without entities",
                article.id, article.origin
            );
            Ok(store.put_extractions(&[nothing_found(article)])?)
        }
    }
}

/// One article's extraction. The engine promises not to panic on any text; should it break that promise, the
/// article is stored with an empty extraction and named, rather than blocking every later run on it.
fn extract_one(article: &Article, recogniser: &Recogniser) -> Extraction {
    catch_unwind(AssertUnwindSafe(|| extract_article(article, recogniser))).unwrap_or_else(|_| {
        eprintln!(
            "extraction failed on article {} ({}); stored without entities",
            article.id, article.origin
        );
        nothing_found(article)
    })
}

fn nothing_found(article: &Article) -> Extraction {
    Extraction {
        article: article.id.clone(),
        ..Extraction::default()
    }
}
