//! The dense backend in the clusterer: units carry embeddings, stories their sum, and the graded similarity
//! vetoes joins across languages.

use std::sync::Arc;

use parallax_model::{Article, PubDate};

use super::*;
use crate::embed::{Encoder, EncoderConfig};

fn article(id: &str, language: &str, title: &str, text: &str) -> Article {
    let mut a = Article::new(title, text);
    a.id = id.into();
    a.language = Some(language.into());
    a.date = Some(PubDate::Day(
        chrono::NaiveDate::from_ymd_opt(2024, 5, 7).expect("a valid date"),
    ));
    a
}

fn pair() -> [Article; 2] {
    [
        article(
            "en",
            "en",
            "Talks on Oskaria open in Geneva",
            "Delegations of Oskaria and the rebels of Tarvel Heights met in Geneva. Mediator Ingrid Halvorsen \
             said talks on the release of 150 prisoners would last two days.",
        ),
        article(
            "de",
            "de",
            "Genfer Gespräche über Oskaria",
            "Die Gespräche zwischen Oskaria und den Rebellen aus Tarvel Heights in Genf gehen weiter. \
             Vermittlerin Ingrid Halvorsen sprach von 150 Gefangenen.",
        ),
    ]
}

fn clusterer(min_similarity: f32) -> StoryClusterer {
    let config = ClusterConfig {
        cross_language_min_similarity: min_similarity,
        ..ClusterConfig::default()
    };
    let mut clusterer = StoryClusterer::new(config);
    let bytes = crate::embed::tests::tiny_model();
    let encoder = Encoder::from_bytes(&bytes, "tiny", EncoderConfig::default())
        .expect("the tiny model loads");
    clusterer.set_encoder(Arc::new(encoder));
    clusterer
}

fn stories(clusterer: &mut StoryClusterer) -> Vec<StoryId> {
    pair()
        .iter()
        .map(|a| clusterer.assign(a).units[0].story)
        .collect()
}

#[test]
fn the_cross_language_join_stands_when_the_similarity_clears_the_floor() {
    let mut clusterer = clusterer(0.0);
    let ids = stories(&mut clusterer);
    assert_eq!(
        ids[0], ids[1],
        "shared names link the reports across languages"
    );
    let [en, de] = pair();
    let score = clusterer.compare(&en, &de);
    let dense = score.dense.expect("both sides are embedded");
    assert!((-1.0..=1.0001).contains(&dense), "{dense}");
}

#[test]
fn a_low_similarity_vetoes_the_cross_language_join() {
    let mut clusterer = clusterer(1.01);
    let ids = stories(&mut clusterer);
    assert_ne!(ids[0], ids[1], "no similarity clears a floor above 1");
}

#[test]
fn without_an_encoder_there_is_no_dense_evidence() {
    let [en, de] = pair();
    let score = StoryClusterer::new(ClusterConfig::default()).compare(&en, &de);
    assert_eq!(score.dense, None);
}

#[test]
fn preparing_on_threads_with_an_encoder_gives_the_same_stories_as_in_turn() {
    let articles: Vec<Article> = (0..3)
        .flat_map(|round| {
            pair().into_iter().map(move |mut a| {
                a.id = format!("{}-{round}", a.id).as_str().into();
                a
            })
        })
        .collect();
    let mut in_turn = clusterer(0.45);
    let one_by_one: Vec<Assignment> = articles.iter().map(|a| in_turn.assign(a)).collect();
    let on_threads = clusterer(0.45).assign_all(&articles, 2);
    assert_eq!(one_by_one, on_threads);
}
