//! The assignment step: the engine's clusterer is pure; this module restores its state from the store, assigns
//! the articles the store holds without a story (in publication order: `publication_day`, then id, undated last),
//! and saves the assignments with the new state in one transaction. So ingesting articles that arrive in date order
//! in one run or in several gives the same stories with the same ids.

use std::sync::Arc;

use parallax_engine::cluster::{ClusterConfig, StoryClusterer, publication_day};
use parallax_engine::embed::Encoder;
use parallax_model::ArticleId;
use parallax_store::Store;

use crate::ingest::IngestEvents;
use crate::{Error, Result};

/// The clusterer as the last assignment left it, or a fresh one with the default configuration.
pub fn restore_clusterer(store: &dyn Store) -> Result<StoryClusterer> {
    match store.clusterer_state()? {
        Some(bytes) => serde_json::from_slice(&bytes).map_err(Error::ClustererState),
        None => Ok(StoryClusterer::new(ClusterConfig::default())),
    }
}

/// How many articles are read from the store and assigned at a time: enough to keep the worker threads busy,
/// few enough that memory stays flat whatever the number of articles waiting.
const ASSIGN_PAGE: usize = 2_000;

/// The day and id of every stored article without a story, in the order they are assigned: publication day, then
/// id, undated last. Only these small keys are held; the articles are read back a page at a time.
fn unassigned_in_order(store: &dyn Store) -> Result<Vec<(bool, Option<i32>, ArticleId)>> {
    let mut order = Vec::new();
    store.for_each_unassigned(&mut |article| {
        let day = publication_day(&article);
        order.push((day.is_none(), day, article.id));
        Ok(())
    })?;
    order.sort_unstable();
    Ok(order)
}

/// Assigns every stored article that has no story yet, and saves the assignments with the clusterer's new state.
/// Returns how many articles were assigned.
///
/// Articles are assigned in publication order (`publication_day`, then id, undated last). A first pass over the
/// unassigned articles keeps only each one's day and id; the articles are then read back a page at a time,
/// prepared on one worker thread per core and assigned in that order. Only the ids and the assignments (small)
/// are held for the whole run, and the assignments are saved with the clusterer's state in one transaction, so the
/// saved state always matches the saved stories. With an encoder, units are also compared by their dense
/// embeddings.
pub fn assign_stories(
    store: &mut dyn Store,
    encoder: Option<Arc<Encoder>>,
    events: &dyn IngestEvents,
) -> Result<u64> {
    let mut order = unassigned_in_order(store)?;
    if order.is_empty() {
        return Ok(0);
    }
    let mut clusterer = match restore_clusterer(store) {
        Ok(clusterer) => clusterer,
        Err(error) if store.clusterer_state()?.is_some() => {
            // A state saved by another version of Parallax: nothing is lost by assigning every article again, in
            // the same deterministic order, only the story ids of earlier runs change. Say so.
            events.notice(&format!(
                "{error}: it was saved by another version of Parallax; assigning every article to stories again \
                 (story ids change)"
            ));
            store.forget_stories()?;
            order = unassigned_in_order(store)?;
            StoryClusterer::new(ClusterConfig::default())
        }
        Err(error) => return Err(error),
    };
    if let Some(encoder) = encoder {
        clusterer.set_encoder(encoder);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut assignments = Vec::with_capacity(order.len());
    for page in order.chunks(ASSIGN_PAGE) {
        let mut articles = Vec::with_capacity(page.len());
        for (_, _, id) in page {
            articles.extend(store.article(id)?);
        }
        clusterer.assign_each(&articles, threads, &mut |a| assignments.push(a));
    }
    let state = serde_json::to_vec(&clusterer).map_err(Error::ClustererState)?;
    store.save_assignments(&assignments, &state)?;
    Ok(order.len() as u64)
}
