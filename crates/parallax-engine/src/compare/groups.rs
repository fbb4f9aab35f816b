//! Items (statements, quotes) grouped as the comparison groups them: the same words first, then pairs joined best
//! first, with never two items of one unit in a group.

use std::collections::{BTreeSet, HashMap};

/// A partition of items into groups; a group is named by the first item placed in it.
pub(crate) struct Groups {
    group_of: Vec<usize>,
    members: Vec<Vec<usize>>,
    units: Vec<BTreeSet<usize>>,
}

impl Groups {
    /// Groups items with the same key (their words, as `repeat_key` gives them) before anything is scored: each
    /// item, given as its key and its unit in order, joins the first group of its key that holds nothing of its
    /// unit, or opens one.
    pub(crate) fn of_repeats<K: std::hash::Hash + Eq>(
        items: impl IntoIterator<Item = (K, usize)>,
    ) -> Self {
        let mut groups = Groups {
            group_of: Vec::new(),
            members: Vec::new(),
            units: Vec::new(),
        };
        let mut by_key: HashMap<K, Vec<usize>> = HashMap::new();
        for (i, (key, unit)) in items.into_iter().enumerate() {
            groups.members.push(Vec::new());
            groups.units.push(BTreeSet::new());
            let homes = by_key.entry(key).or_default();
            let home = match homes
                .iter()
                .copied()
                .find(|&g| !groups.units[g].contains(&unit))
            {
                Some(g) => g,
                None => {
                    homes.push(i);
                    i
                }
            };
            groups.group_of.push(home);
            groups.members[home].push(i);
            groups.units[home].insert(unit);
        }
        groups
    }

    /// The first item of each group: the only ones worth scoring, the others repeating their words.
    pub(crate) fn representatives(&self) -> Vec<usize> {
        (0..self.group_of.len())
            .filter(|&i| self.group_of[i] == i)
            .collect()
    }

    /// The groups of items `i` and `j` when they may join: different groups with no unit in common.
    pub(crate) fn joinable(&self, i: usize, j: usize) -> Option<(usize, usize)> {
        let (a, b) = (self.group_of[i], self.group_of[j]);
        (a != b && self.units[a].is_disjoint(&self.units[b])).then_some((a, b))
    }

    /// The members of group `g`.
    pub(crate) fn members(&self, g: usize) -> &[usize] {
        &self.members[g]
    }

    /// Moves group `b` into group `a`.
    pub(crate) fn merge(&mut self, a: usize, b: usize) {
        let moved = std::mem::take(&mut self.members[b]);
        for &m in &moved {
            self.group_of[m] = a;
        }
        self.members[a].extend(moved);
        let units = std::mem::take(&mut self.units[b]);
        self.units[a].extend(units);
    }

    /// Every group that holds something, as its name and its members.
    pub(crate) fn into_groups(self) -> impl Iterator<Item = (usize, Vec<usize>)> {
        self.members
            .into_iter()
            .enumerate()
            .filter(|(_, m)| !m.is_empty())
    }
}
