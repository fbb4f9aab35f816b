//! Quotes grouped across sources: the same statement by the same speaker, however each source words or
//! translates it, with every wording and its intermediary kept.

use std::collections::{BTreeSet, HashMap};

use parallax_model::{EntityId, EntityKind, Extraction, Quote, QuoteGroup, QuoteKind, Wording};

use super::UnitView;
use super::align::repeat_key;
use super::groups::Groups;
use super::similarity::{SimilarityModel, StatementFeatures};

/// Keys shared by more quotes than this find no candidates: a speaker quoted in every article of a large story
/// is matched through the quotes' own words.
const MAX_POSTING: usize = 200;

/// Two wordings in one language are one quote from this score on, lower than for statements: a quote's speaker is
/// already known to match, and translations of one sentence share fewer words than two reports of one fact.
const SAME_LANGUAGE_BAR: f32 = 0.3;

struct Found<'a> {
    view: &'a UnitView<'a>,
    /// The index of its unit among the comparison's views.
    unit: usize,
    quote: &'a Quote,
    speaker: Option<&'a EntityId>,
    features: StatementFeatures,
    /// True when it is the only direct quote of its speaker in its unit.
    sole: bool,
}

/// The quote's speaker: the entity the extraction joined it to, else the person named right after the quoted words
/// in its paragraph ("«...», a assuré la directrice de l'agence, Lucía Ferrándiz"), else the last person its
/// sentence names before them, where a language's cues are not known to the quote finder.
fn speaker_of<'a>(
    quote: &'a Quote,
    extraction: &'a Extraction,
    text: &str,
) -> Option<&'a EntityId> {
    if let Some(entity) = quote.speaker.as_ref().and_then(|s| s.entity.as_ref()) {
        return Some(entity);
    }
    let content = &quote.content;
    let people = || {
        extraction
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
    };
    let after = people().find(|m| {
        m.start >= content.end
            && m.start < content.end + NEAR_AFTER
            && text
                .get(content.end..m.start)
                .is_some_and(|between| !between.contains("\n\n"))
    });
    after
        .or_else(|| people().rfind(|m| m.sentence == quote.sentence && m.end <= content.start))
        .map(|m| &m.entity)
}

/// From this score on, two wordings in one language are the same words: one quote, whoever each source names.
const SAME_WORDS: f32 = 0.9;

/// How far after a quote its speaker may be named and still be in the quote's sentence.
const NEAR_AFTER: usize = 120;

/// True when two entity ids name one actor: equal, or of one kind where one name's words end the other's
/// (`per:ferrandiz` and `per:lucia-ferrandiz`), as the store's canonical names join them.
pub(crate) fn same_actor(a: &EntityId, b: &EntityId) -> bool {
    if a == b {
        return true;
    }
    let split = |id: &EntityId| {
        id.0.split_once(':')
            .map(|(k, n)| (k.to_owned(), n.to_owned()))
    };
    let (Some((ka, na)), Some((kb, nb))) = (split(a), split(b)) else {
        return false;
    };
    let (short, long) = if na.len() <= nb.len() {
        (&na, &nb)
    } else {
        (&nb, &na)
    };
    ka == kb && !short.is_empty() && long.ends_with(&format!("-{short}"))
}

/// How likely two quotes of different sources are one statement, or `None` when they cannot be.
fn match_score(a: &Found<'_>, b: &Found<'_>, model: &SimilarityModel) -> Option<f32> {
    let same_language = a.view.language() == b.view.language();
    let score = model.score(&a.features, &b.features);
    let same_speaker = match (a.speaker, b.speaker) {
        // The same words in one language are one quote whoever each source says spoke them: the group then shows
        // each source's attribution, a difference a reader should see.
        (Some(x), Some(y)) if !same_actor(x, y) => {
            return (same_language && score >= SAME_WORDS).then_some(score);
        }
        (Some(_), Some(_)) => true,
        _ => false,
    };
    if same_language {
        // One wording may quote part of the other ("Customer safety comes before everything else," against the
        // whole sentence): the statement model, fitted on pairs of whole sentences, scores that low.
        let score = score.max(containment(&a.quote.content.text, &b.quote.content.text));
        return (score >= SAME_LANGUAGE_BAR).then_some(score);
    }
    // Across languages words cannot be compared, but a quote's translation keeps its speaker and, between
    // languages of one script, some word roots ("familia", "famille", "family"). The same speaker's only direct
    // quote on each side is taken as one statement unless their names and numbers disagree; other quotes of the
    // speaker need shared roots, and the pairs sharing most are joined first.
    if same_speaker {
        if score >= SAME_LANGUAGE_BAR {
            return Some(score);
        }
        let direct = a.quote.kind != QuoteKind::Indirect && b.quote.kind != QuoteKind::Indirect;
        let roots = root_overlap(&a.quote.content.text, &b.quote.content.text);
        if direct && ((a.sole && b.sole) || roots >= MIN_SHARED_ROOTS) {
            return Some(SAME_LANGUAGE_BAR * 0.5 + roots);
        }
    }
    None
}

/// The share of the shorter text's words (of three letters or more) that the longer one has, when the shorter has
/// four such words at least; 0 otherwise.
fn containment(a: &str, b: &str) -> f32 {
    let words = |text: &str| -> BTreeSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if short.len() < 4 {
        return 0.0;
    }
    short.intersection(long).count() as f32 / short.len() as f32
}

/// The share of word roots two quotes in different languages have in common for them to be taken as one, when
/// their speaker has several quotes on a side: true translations among the example corpus's quotes share 6 to 10%
/// of their character four-grams, different quotes of one speaker none.
const MIN_SHARED_ROOTS: f32 = 0.04;

/// Dice overlap of the character four-grams of two texts' words of four letters or more, lower-cased and with
/// accents dropped: cognates and names survive translation between languages of one script.
fn root_overlap(a: &str, b: &str) -> f32 {
    use unicode_normalization::UnicodeNormalization;
    let grams = |text: &str| -> BTreeSet<String> {
        let folded: String = text
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect();
        let mut out = BTreeSet::new();
        for word in folded.split(|c: char| !c.is_alphanumeric()) {
            let chars: Vec<char> = word.chars().collect();
            for w in chars.windows(4) {
                out.insert(w.iter().collect::<String>());
            }
        }
        out
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return 0.0;
    }
    2.0 * ga.intersection(&gb).count() as f32 / (ga.len() + gb.len()) as f32
}

/// One group per quoted statement, ordered by the first source that gives it.
pub(crate) fn group_quotes(
    views: &[UnitView<'_>],
    source_count: usize,
    model: &SimilarityModel,
) -> Vec<QuoteGroup> {
    let mut found: Vec<Found<'_>> = Vec::new();
    for (unit, view) in views.iter().enumerate() {
        let quotes: Vec<&Quote> = view
            .extraction
            .quotes
            .iter()
            .filter(|q| view.holds(q.content.start, q.content.end))
            .collect();
        for quote in &quotes {
            let speaker = speaker_of(quote, view.extraction, &view.article.text);
            let sole = speaker.is_some_and(|speaker| {
                quotes
                    .iter()
                    .filter(|q| q.kind != QuoteKind::Indirect)
                    .filter(|q| {
                        speaker_of(q, view.extraction, &view.article.text)
                            .is_some_and(|s| same_actor(s, speaker))
                    })
                    .count()
                    == 1
            });
            found.push(Found {
                view,
                unit,
                quote,
                speaker,
                features: StatementFeatures::new(&quote.content.text, view.language()),
                sole,
            });
        }
    }
    // Group first: the same words by the same speaker in several sources are one quote before anything is scored.
    let mut groups = Groups::of_repeats(
        found
            .iter()
            .map(|f| ((repeat_key(&f.quote.content.text), f.speaker), f.unit)),
    );
    let representatives = groups.representatives();
    // Candidates share a rare key of their words, or their speaker (a translation shares no words).
    let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in &representatives {
        let f = &found[i];
        let mut keys: Vec<String> = f.features.keys().map(str::to_owned).collect();
        if let Some(speaker) = f.speaker {
            // The last word of the name, so that a short and a full form of one speaker meet.
            let last = speaker.0.rsplit(['-', ':']).next().unwrap_or(&speaker.0);
            keys.push(format!("speaker {last}"));
        }
        for key in keys {
            postings.entry(key).or_default().push(i);
        }
    }
    let mut candidates: BTreeSet<(usize, usize)> = BTreeSet::new();
    for list in postings.values().filter(|l| l.len() <= MAX_POSTING) {
        for (k, &i) in list.iter().enumerate() {
            for &j in &list[k + 1..] {
                if found[i].unit != found[j].unit {
                    candidates.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    let mut pairs: Vec<(f32, usize, usize)> = candidates
        .into_iter()
        .filter_map(|(i, j)| match_score(&found[i], &found[j], model).map(|s| (s, i, j)))
        .collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (score, i, j) in pairs {
        let Some((a, b)) = groups.joinable(i, j) else {
            continue;
        };
        // A group speaks with one voice: an unattributed wording may join a speaker's group, never two speakers',
        // unless the words are the same.
        let voice = |g: usize| groups.members(g).iter().find_map(|&x| found[x].speaker);
        let two_voices = matches!((voice(a), voice(b)), (Some(x), Some(y)) if !same_actor(x, y));
        if !two_voices || score >= SAME_WORDS {
            groups.merge(a, b);
        }
    }
    let mut ordered: Vec<((usize, usize), QuoteGroup)> = groups
        .into_groups()
        .map(|(_, mut m)| {
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
            let reach = super::reach(sources.len(), source_count);
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
    ordered.sort_by_key(|(order, _)| *order);
    ordered.into_iter().map(|(_, g)| g).collect()
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
