//! Storylines: the second level above stories. A story is one event and what follows from it closely; a
//! storyline links the stories of one developing situation over weeks and months (a shooting, the arrest, the
//! trial, the verdict; talks in Moscow and, on the same visit, talks on another subject).
//!
//! Each story starts alone in the storyline that bears its id. Two stories are linked, and their storylines
//! joined, when story against story (the smaller in the role of the unit, as refinement scores them) their graded
//! similarity clears [`ClusterConfig::storyline_similarity`](super::ClusterConfig::storyline_similarity), their
//! years do not conflict, and their spans lie within
//! [`storyline_gap_days`](super::ClusterConfig::storyline_gap_days) of each other. The graded similarity leaves
//! time aside and weighs shared content words, shared rare names, places and numbers, and the coverage of each
//! side's strongest names (see `graded_similarity`): what two stories of one situation share however far apart
//! in time. A story is looked at when it opens (on its first unit) and each time refinement finds it grown, against
//! the held stories sharing one of its index keys (every held story while few have been opened), open or closed:
//! the storyline's time bound is far looser than a story's.
//!
//! Like stories, storylines are online, incremental and deterministic: links are made in the course of `assign`,
//! from the clusterer's state alone, and two storylines join into the older id (the lower), so an id once shown
//! stays valid except for a storyline joined into another. Links are only ever added, never taken back; a story
//! merged into another takes its storyline with it. Only held stories (open, or closed and kept for late units)
//! can be linked: a story forgotten by the clusterer keeps its storyline but no new story joins it.

use parallax_model::{StorylineId, StorylineMerge};

use super::{StoryClusterer, StoryScore, StoryState};

/// At most this many articles with several items are remembered per story (see `StoryState::sectioned`).
pub(super) const MAX_SECTIONED: usize = 32;

impl StoryClusterer {
    /// The storyline a held story is in (its own id while alone); a story not held is taken to be alone.
    pub(super) fn storyline_of(&self, story: u64) -> u64 {
        self.stories
            .get(&story)
            .and_then(|s| s.storyline)
            .unwrap_or(story)
    }

    /// Joins the storylines of two held stories, into the older id, and records the join in `linked`.
    pub(super) fn join_storylines(&mut self, a: u64, b: u64, linked: &mut Vec<StorylineMerge>) {
        let (la, lb) = (self.storyline_of(a), self.storyline_of(b));
        if la == lb {
            return;
        }
        let (into, from) = (la.min(lb), la.max(lb));
        let mut moved = self.storyline_members.remove(&from).unwrap_or_default();
        if self
            .stories
            .get(&from)
            .is_some_and(|s| s.storyline.is_none())
        {
            moved.push(from);
        }
        for story in &moved {
            if let Some(state) = self.stories.get_mut(story) {
                state.storyline = Some(into);
            }
        }
        let members = self.storyline_members.entry(into).or_default();
        members.extend(moved);
        members.sort_unstable();
        members.dedup();
        linked.push(StorylineMerge {
            from: StorylineId(from),
            into: StorylineId(into),
        });
    }

    /// Takes a story that leaves the clusterer (merged away or forgotten) out of its storyline's member list.
    pub(super) fn leave_storyline(&mut self, story: u64, storyline: Option<u64>) {
        let Some(line) = storyline else {
            return;
        };
        if let Some(members) = self.storyline_members.get_mut(&line) {
            members.retain(|&s| s != story);
            if members.is_empty() {
                self.storyline_members.remove(&line);
            }
        }
    }

    /// Links a held story into the storyline of the story it best follows, if any (see the module documentation).
    pub(super) fn link_storyline(&mut self, id: u64, linked: &mut Vec<StorylineMerge>) {
        if let Some(other) = self.storyline_match(id) {
            self.join_storylines(id, other, linked);
        }
    }

    /// The held story in another storyline that story `id` follows best: the highest graded similarity at or
    /// above the storyline threshold, the lower id on a tie.
    fn storyline_match(&self, id: u64) -> Option<u64> {
        let threshold = self.config.storyline_similarity?;
        let story = self.stories.get(&id)?;
        let line = self.storyline_of(id);
        let candidates: Vec<u64> = if self.stories.len() <= self.config.max_candidates {
            self.stories.keys().copied().filter(|&o| o != id).collect()
        } else {
            self.sharing_keys(story, id, |_| true)
        };
        let mut best: Option<(u64, f32)> = None;
        for other in candidates {
            let Some(state) = self.stories.get(&other) else {
                continue;
            };
            if self.storyline_of(other) == line || !self.within_storyline_gap(story, state) {
                continue;
            }
            let s = self.story_against_story(id, other);
            if s.years_conflict == 0.0
                && s.similarity >= threshold
                && s.unit_anchors_found.max(s.story_anchors_found) >= self.config.storyline_coverage
                && best
                    .is_none_or(|(b_id, b)| s.similarity > b || (s.similarity == b && other < b_id))
            {
                best = Some((other, s.similarity));
            }
        }
        best.map(|(other, _)| other)
    }

    /// Whether two stories' spans lie within the storyline time bound (undated stories always do).
    fn within_storyline_gap(&self, a: &StoryState, b: &StoryState) -> bool {
        match (a.first_day, a.last_day, b.first_day, b.last_day) {
            (Some(a_first), Some(a_last), Some(b_first), Some(b_last)) => {
                let gap = (a_first - b_last).max(b_first - a_last).max(0);
                gap <= self.config.storyline_gap_days
            }
            _ => true,
        }
    }

    /// Whether a unit may join a story that holds another item of its article: on the bar refinement sets for
    /// merging two grown stories (`merge_threshold`, and each side holding `merge_coverage` of the other's
    /// strongest anchors). Items of one article share its dateline, outlet, day and recurring names, which is no
    /// evidence that they tell one event; the author set them apart under their own headings.
    pub(super) fn sibling_agrees(&self, s: &StoryScore) -> bool {
        !s.cross_language
            && s.score >= self.config.merge_threshold
            && s.unit_anchors_found.min(s.story_anchors_found) >= self.config.merge_coverage
    }
}

/// Whether two sorted lists share an element.
pub(super) fn shares_sorted(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}
