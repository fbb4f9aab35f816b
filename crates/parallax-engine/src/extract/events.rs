//! Events: who did what to whom, where and when. (Being written: the events helper replaces this body.)

use parallax_model::{Article, Event, Quote, TimeExpr};

use super::entities::ArticleEntities;
use super::tokens::Tokens;

/// Finds the events of one article from its sentences, entities, resolved dates and quotes.
pub fn find_events(
    _article: &Article,
    _tokens: &Tokens,
    _entities: &ArticleEntities,
    _times: &[TimeExpr],
    _quotes: &[Quote],
) -> Vec<Event> {
    Vec::new()
}
