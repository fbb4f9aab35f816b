//! A store in memory, for tests: the same behaviour as the SQLite store, nothing kept on disk.

use std::collections::{BTreeMap, HashMap, HashSet};

use parallax_model::{Article, ArticleId, Assignment, Origin, Reject, StoryId};

use crate::{
    ArticleSummary, Inventory, PutReport, Result, Store, StoryMember, StorySummary,
    conflict_reject, content_key, date_key, section_column, summarise_stories,
};

/// Keeps everything in memory; dropped with it.
#[derive(Debug, Default)]
pub struct MemoryStore {
    /// Articles in the order stored.
    articles: Vec<Article>,
    by_id: HashMap<ArticleId, usize>,
    keys: HashSet<[u8; 32]>,
    rejects: Vec<Reject>,
    reject_keys: HashSet<(Origin, String)>,
    /// Story units by (article id, section column), as the SQLite table keys them.
    units: BTreeMap<(ArticleId, i64), Assignment>,
    clusterer_state: Option<Vec<u8>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn in_publication_order(&self) -> Vec<&Article> {
        let mut order: Vec<&Article> = self.articles.iter().collect();
        // A stable sort keeps storing order among articles of the same date.
        order.sort_by_cached_key(|a| date_key(a.date.as_ref()));
        order
    }

    /// Every member, sorted by story, then by its article's publication order, then by section.
    fn members_where(&self, keep: &dyn Fn(&StoryMember) -> bool) -> Vec<StoryMember> {
        let mut found = Vec::new();
        for ((id, section), assignment) in &self.units {
            let Some(&at) = self.by_id.get(id) else {
                continue;
            };
            let article = &self.articles[at];
            let index = if *section < 0 { 0 } else { *section as usize };
            let Some(unit) = assignment
                .units
                .iter()
                .find(|u| u.unit.section == (*section >= 0).then_some(index))
            else {
                continue;
            };
            let member = StoryMember {
                unit: unit.unit.clone(),
                story: unit.story,
                score: unit.score,
                duplicate_of: assignment
                    .duplicate_of
                    .as_ref()
                    .map(|d| (d.copies.clone(), d.similarity)),
                article: ArticleSummary::from(article),
            };
            if keep(&member) {
                found.push((date_key(article.date.as_ref()), at, *section, member));
            }
        }
        found.sort_by(|a, b| (a.3.story, &a.0, a.1, a.2).cmp(&(b.3.story, &b.0, b.1, b.2)));
        found.into_iter().map(|m| m.3).collect()
    }

    fn record_reject(&mut self, reject: &Reject) -> bool {
        if self
            .reject_keys
            .insert((reject.origin.clone(), reject.reason.clone()))
        {
            self.rejects.push(reject.clone());
            true
        } else {
            false
        }
    }
}

impl Store for MemoryStore {
    fn put_batch(&mut self, articles: &[Article], rejects: &[Reject]) -> Result<PutReport> {
        let mut report = PutReport::default();
        for article in articles {
            let key = content_key(article);
            if self.keys.contains(&key) {
                report.duplicates += 1;
            } else if self.by_id.contains_key(&article.id) {
                let reject = conflict_reject(article);
                report.rejected += u64::from(self.record_reject(&reject));
                report.conflicts.push(reject);
            } else {
                self.keys.insert(key);
                self.by_id.insert(article.id.clone(), self.articles.len());
                self.articles.push(article.clone());
                report.stored += 1;
            }
        }
        for reject in rejects {
            report.rejected += u64::from(self.record_reject(reject));
        }
        Ok(report)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<Article>> {
        Ok(self.by_id.get(id).map(|&i| self.articles[i].clone()))
    }

    fn articles_with_id_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<ArticleSummary>> {
        let mut found: Vec<&Article> = self
            .articles
            .iter()
            .filter(|a| a.id.0.starts_with(prefix))
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found
            .into_iter()
            .take(limit)
            .map(ArticleSummary::from)
            .collect())
    }

    fn for_each_article(&self, visit: &mut dyn FnMut(Article) -> Result<()>) -> Result<()> {
        for article in self.in_publication_order() {
            visit(article.clone())?;
        }
        Ok(())
    }

    fn summaries(&self) -> Result<Vec<ArticleSummary>> {
        Ok(self
            .in_publication_order()
            .into_iter()
            .map(ArticleSummary::from)
            .collect())
    }

    fn inventory(&self) -> Result<Inventory> {
        let tally = |field: fn(&Article) -> Option<String>| {
            let mut counts: BTreeMap<Option<String>, u64> = BTreeMap::new();
            for article in &self.articles {
                *counts.entry(field(article)).or_default() += 1;
            }
            let mut counts: Vec<_> = counts.into_iter().collect();
            // Most first; the BTreeMap already ordered ties by name, and the sort is stable.
            counts.sort_by_key(|c| std::cmp::Reverse(c.1));
            counts
        };
        let mut dates: Vec<_> = self.articles.iter().filter_map(|a| a.date).collect();
        dates.sort_by_cached_key(|d| d.to_string());
        Ok(Inventory {
            articles: self.articles.len() as u64,
            rejects: self.rejects.len() as u64,
            by_source: tally(|a| a.source.clone()),
            by_language: tally(|a| a.language.clone()),
            first_date: dates.first().copied(),
            last_date: dates.last().copied(),
        })
    }

    fn rejects(&self) -> Result<Vec<Reject>> {
        Ok(self.rejects.clone())
    }

    fn save_assignments(&mut self, assignments: &[Assignment], state: &[u8]) -> Result<()> {
        for assignment in assignments {
            for unit in &assignment.units {
                self.units.insert(
                    (assignment.article.clone(), section_column(&unit.unit)),
                    assignment.clone(),
                );
            }
        }
        self.clusterer_state = Some(state.to_vec());
        Ok(())
    }

    fn clusterer_state(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.clusterer_state.clone())
    }

    fn unassigned_articles(&self) -> Result<Vec<Article>> {
        let assigned: HashSet<&ArticleId> = self.units.keys().map(|(id, _)| id).collect();
        Ok(self
            .in_publication_order()
            .into_iter()
            .filter(|a| !assigned.contains(&a.id))
            .cloned()
            .collect())
    }

    fn stories(&self) -> Result<Vec<StorySummary>> {
        Ok(summarise_stories(&self.members_where(&|_| true)))
    }

    fn story_members(&self, id: StoryId) -> Result<Vec<StoryMember>> {
        Ok(self.members_where(&|m| m.story == id))
    }

    fn article_members(&self, id: &ArticleId) -> Result<Vec<StoryMember>> {
        Ok(self.members_where(&|m| &m.unit.article == id))
    }
}
