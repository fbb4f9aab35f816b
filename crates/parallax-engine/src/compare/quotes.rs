//! Quotes grouped across sources: the same statement by the same speaker, however each source words or
//! translates it, with every wording and its intermediary kept.

use parallax_model::{EntityId, Quote, QuoteGroup, QuoteKind, Reach, Wording};

use super::UnitView;
use super::similarity::{SimilarityModel, StatementFeatures};

/// Two wordings in one language are one quote from this score on, lower than for statements: a quote's speaker is
/// already known to match, and translations of one sentence share fewer words than two reports of one fact.
const SAME_LANGUAGE_BAR: f32 = 0.3;

struct Found<'a> {
    view: &'a UnitView<'a>,
    quote: &'a Quote,
    speaker: Option<&'a EntityId>,
    features: StatementFeatures,
    /// True when it is the only direct quote of its speaker in its unit.
    sole: bool,
}

fn speaker_of(quote: &Quote) -> Option<&EntityId> {
    quote.speaker.as_ref().and_then(|s| s.entity.as_ref())
}

/// How likely two quotes of different sources are one statement, or `None` when they cannot be.
fn match_score(a: &Found<'_>, b: &Found<'_>, model: &SimilarityModel) -> Option<f32> {
    let same_speaker = match (a.speaker, b.speaker) {
        (Some(x), Some(y)) if x != y => return None,
        (Some(_), Some(_)) => true,
        _ => false,
    };
    let score = model.score(&a.features, &b.features);
    if a.view.language() == b.view.language() {
        return (score >= SAME_LANGUAGE_BAR).then_some(score);
    }
    // Across languages words cannot be compared: the same speaker's only direct quote on each side is taken as
    // one statement, as a translation is, unless their names and numbers disagree.
    if same_speaker {
        if score >= SAME_LANGUAGE_BAR {
            return Some(score);
        }
        let direct = a.quote.kind != QuoteKind::Indirect && b.quote.kind != QuoteKind::Indirect;
        if direct && a.sole && b.sole {
            return Some(SAME_LANGUAGE_BAR);
        }
    }
    None
}

/// One group per quoted statement, ordered by the first source that gives it.
pub(crate) fn group_quotes(
    views: &[UnitView<'_>],
    source_count: usize,
    model: &SimilarityModel,
) -> Vec<QuoteGroup> {
    let mut found: Vec<Found<'_>> = Vec::new();
    for view in views {
        let quotes: Vec<&Quote> = view
            .extraction
            .quotes
            .iter()
            .filter(|q| view.holds(q.content.start, q.content.end))
            .collect();
        for quote in &quotes {
            let speaker = speaker_of(quote);
            let sole = speaker.is_some()
                && quotes
                    .iter()
                    .filter(|q| q.kind != QuoteKind::Indirect && speaker_of(q) == speaker)
                    .count()
                    == 1;
            found.push(Found {
                view,
                quote,
                speaker,
                features: StatementFeatures::new(&quote.content.text, view.language()),
                sole,
            });
        }
    }
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for i in 0..found.len() {
        for j in i + 1..found.len() {
            if found[i].view.source == found[j].view.source {
                continue;
            }
            if let Some(score) = match_score(&found[i], &found[j], model) {
                pairs.push((score, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut group_of: Vec<usize> = (0..found.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..found.len()).map(|i| vec![i]).collect();
    for (_, i, j) in pairs {
        let (a, b) = (group_of[i], group_of[j]);
        if a == b {
            continue;
        }
        let clash = members[a].iter().any(|&x| {
            members[b]
                .iter()
                .any(|&y| found[x].view.source == found[y].view.source)
        });
        // A group speaks with one voice: an unattributed wording may join a speaker's group, never two speakers'.
        let voice = |g: &[usize]| g.iter().find_map(|&x| found[x].speaker);
        let conflict =
            matches!((voice(&members[a]), voice(&members[b])), (Some(x), Some(y)) if x != y);
        if clash || conflict {
            continue;
        }
        let moved = std::mem::take(&mut members[b]);
        for &m in &moved {
            group_of[m] = a;
        }
        members[a].extend(moved);
    }
    let mut groups: Vec<((usize, usize), QuoteGroup)> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_by_key(|&i| (found[i].view.source, found[i].quote.content.start));
            let order = m
                .iter()
                .map(|&i| (found[i].view.source, found[i].quote.content.start))
                .min()
                .unwrap_or_default();
            let speaker = m.iter().find_map(|&i| found[i].speaker).cloned();
            let speaker_name = speaker_name(&m, &found, speaker.as_ref());
            let mut sources: Vec<usize> = m.iter().map(|&i| found[i].view.source).collect();
            sources.sort_unstable();
            sources.dedup();
            let reach = if sources.len() == 1 {
                Reach::One
            } else if sources.len() >= source_count {
                Reach::All
            } else {
                Reach::Several
            };
            let wordings = m
                .iter()
                .map(|&i| {
                    let f = &found[i];
                    Wording {
                        source: f.view.source,
                        unit: f.view.unit.clone(),
                        content: f.quote.content.clone(),
                        kind: f.quote.kind,
                        speaker: f.quote.speaker.as_ref().map(|s| s.span.clone()),
                        via: f.quote.via.as_ref().map(|s| s.span.clone()),
                        language: f.view.article.language.clone(),
                    }
                })
                .collect();
            (
                order,
                QuoteGroup {
                    speaker,
                    speaker_name,
                    reach,
                    sources,
                    wordings,
                },
            )
        })
        .collect();
    groups.sort_by_key(|(order, _)| *order);
    groups.into_iter().map(|(_, g)| g).collect()
}

/// The speaker's name as an extraction gives it, or the words of the first wording that names a speaker.
fn speaker_name(members: &[usize], found: &[Found<'_>], speaker: Option<&EntityId>) -> String {
    if let Some(id) = speaker {
        for &i in members {
            if let Some(entity) = found[i]
                .view
                .extraction
                .entities
                .iter()
                .find(|e| &e.id == id)
            {
                return entity.name.clone();
            }
        }
    }
    members
        .iter()
        .find_map(|&i| found[i].quote.speaker.as_ref().map(|s| s.span.text.clone()))
        .unwrap_or_else(|| "unattributed".to_owned())
}
