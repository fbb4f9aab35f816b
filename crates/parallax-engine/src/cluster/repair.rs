//! Repair: a unit that joined a story early, on what it shared with the story's first report (a city, a day, a
//! kind of event), may turn out to conflict with what the story became. Refinement only merges stories; repair
//! moves such a unit out, so that an early wrong join does not decide a story for good.
//!
//! A story keeps what it needs to judge again, and to take out, its first [`REPAIR_MEMBERS`] units: each one's
//! share of the centroids (its normalised vectors, the strongest [`MEMBER_FEATURES`] entries of each), day, years
//! and language. When refinement runs and a story that grew holds at least [`REPAIR_MIN_UNITS`] units, each kept
//! member is judged against the rest of the story (the centroids less its share):
//!
//! - **names**: the member holds under `repair_coverage` of the rest's strongest anchors (names, places,
//!   numbers), and the rest holds under that share of the member's: they tell of different actors and places;
//! - **dates**: the member is dated more than `max_gap_days` from every other kept member, which agree among
//!   themselves.
//!
//! A conflicting member leaves: its share is taken from the story's centroids and year counts, and it opens a
//! story of its own (a new id), which refinement may merge with the story it belongs to like any lone report,
//! and which is linked into a storyline like any new story. The move is reported in [`Assignment::moved`] and
//! applied by whoever keeps assignments. What the story keeps approximately: its span, numbers, counted things and
//! index keys still include the member's (a story of several units, where one's share is small).
//!
//! [`Assignment::moved`]: parallax_model::Assignment::moved

use parallax_model::{StoryId, StoryUnit, StorylineId, StorylineMerge, UnitMove};
use serde::{Deserialize, Serialize};

use super::features::{Sparse, UnitFeatures};
use super::{StoryClusterer, StoryState, add_scaled};

/// How many of a story's first units are kept for repair.
pub(super) const REPAIR_MEMBERS: usize = 6;
/// How many entries of each of a member's vectors are kept (its strongest, after normalising).
const MEMBER_FEATURES: usize = 48;
/// Repair looks at stories of at least this many units: a member is judged against at least three others.
const REPAIR_MIN_UNITS: u32 = 4;

/// One of a story's first units, as repair needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Member {
    unit: StoryUnit,
    language: Option<String>,
    day: Option<i32>,
    years: Vec<u32>,
    /// The unit's normalised vectors, their strongest entries, in feature order: its share of the centroids.
    words: Sparse,
    headline: Sparse,
    anchors: Sparse,
}

impl Member {
    pub(super) fn of(unit: &StoryUnit, features: &UnitFeatures) -> Self {
        Member {
            unit: unit.clone(),
            language: features.language.clone(),
            day: features.day,
            years: features.years.clone(),
            words: strongest_normalised(&features.words),
            headline: strongest_normalised(&features.headline),
            anchors: strongest_normalised(&features.anchors),
        }
    }

    /// The member as a unit, to open a story of its own.
    fn features(&self) -> UnitFeatures {
        UnitFeatures {
            language: self.language.clone(),
            words: self.words.clone(),
            headline: self.headline.clone(),
            anchors: self.anchors.clone(),
            day: self.day,
            years: self.years.clone(),
            ..UnitFeatures::default()
        }
    }
}

/// The L2-normalised vector's `MEMBER_FEATURES` largest entries, in feature order.
fn strongest_normalised(v: &Sparse) -> Sparse {
    let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    let mut out: Sparse = v.iter().map(|&(h, w)| (h, w / norm)).collect();
    if out.len() > MEMBER_FEATURES {
        out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(MEMBER_FEATURES);
        out.sort_unstable_by_key(|&(h, _)| h);
    }
    out
}

/// `centroid - share`, dropping what falls to nothing.
fn without(centroid: &Sparse, share: &Sparse) -> Sparse {
    let mut out = add_scaled(centroid, share, -1.0, usize::MAX / 2);
    out.retain(|&(_, w)| w > 1e-6);
    out
}

impl StoryClusterer {
    /// Moves out of story `id` every kept member that conflicts with the rest of it (see the module
    /// documentation), each into a story of its own; returns the moves.
    pub(super) fn repair(&mut self, id: u64, linked: &mut Vec<StorylineMerge>) -> Vec<UnitMove> {
        let mut moves = Vec::new();
        while let Some(story) = self.stories.get(&id) {
            if !story.open || story.units < REPAIR_MIN_UNITS || story.members.len() < 2 {
                break;
            }
            let Some(at) = (0..story.members.len()).find(|&i| self.conflicts(story, i)) else {
                break;
            };
            let Some(mut story) = self.stories.remove(&id) else {
                break;
            };
            let member = story.members.remove(at);
            self.take_out(&mut story, &member);
            self.stories.insert(id, story);
            let to = self.open_story();
            self.join(to, &member.unit.clone(), &member.features(), None);
            self.link_storyline(to.0, linked);
            moves.push(UnitMove {
                unit: member.unit,
                from: StoryId(id),
                to,
                storyline: StorylineId(self.storyline_of(to.0)),
            });
        }
        moves
    }

    /// Whether kept member `i` of `story` conflicts with the rest of it on names or on dates.
    fn conflicts(&self, story: &StoryState, i: usize) -> bool {
        let member = &story.members[i];
        let others = story
            .members
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, m)| m);
        let other_days: Vec<i32> = others.clone().filter_map(|m| m.day).collect();
        let dates = match member.day {
            Some(day) if other_days.len() >= 2 => {
                let gap = self.config.max_gap_days;
                let (lo, hi) = (
                    other_days.iter().min().copied().unwrap_or(day),
                    other_days.iter().max().copied().unwrap_or(day),
                );
                hi - lo <= gap && other_days.iter().all(|d| (d - day).abs() > gap)
            }
            _ => false,
        };
        if dates {
            return true;
        }
        let rest = without(&story.anchors, &member.anchors);
        if member.anchors.len() < 2 || rest.len() < 2 {
            return false;
        }
        let bound = self.config.repair_coverage;
        self.coverage(&member.anchors, &rest) < bound
            && self.coverage(&rest, &member.anchors) < bound
    }

    /// Takes a member's share out of a story's centroids, year counts and unit count.
    fn take_out(&self, story: &mut StoryState, member: &Member) {
        story.words = without(&story.words, &member.words);
        story.anchors = without(&story.anchors, &member.anchors);
        story.headlines = without(&story.headlines, &member.headline);
        for year in &member.years {
            if let Ok(at) = story.years.binary_search_by_key(year, |&(y, _)| y) {
                story.years[at].1 -= 1;
                if story.years[at].1 == 0 {
                    story.years.remove(at);
                }
            }
        }
        story.units -= 1;
        self.set_norms(story);
    }
}
