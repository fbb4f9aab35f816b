//! A store in memory, for tests: the same behaviour as the SQLite store, nothing kept on disk.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use parallax_model::{
    Article, ArticleId, Assignment, EntityId, EntityKind, Extraction, Mention, Origin, Reject,
    Role, StoryId, StorylineId, name_rank,
};

use crate::canon::{Canonical, best_form, join_target, make_canonical, name_parts};
use crate::{
    ArticleQuote, ArticleSummary, EntityQuery, EntityRecord, EntitySummary, Inventory, PutReport,
    Result, Store, StoryMember, StorySummary, conflict_reject, content_key, date_key,
    section_column, sort_entities, summarise_stories,
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
    /// The storyline of each story that is not alone in its own.
    storylines: BTreeMap<StoryId, StorylineId>,
    /// Extractions by article, with the articles' own entity ids.
    extractions: BTreeMap<ArticleId, Extraction>,
    statement_vectors: BTreeMap<ArticleId, Vec<u8>>,
    /// Indexes into `articles` of those without an extraction yet.
    pending: BTreeSet<usize>,
    /// Grows with every change to stories or extractions: every story's version.
    generation: u64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// Whether a unit is assigned to this story.
    fn has_story(&self, story: StoryId) -> bool {
        self.units
            .values()
            .any(|a| a.units.iter().any(|u| u.story == story))
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
                heading: unit
                    .unit
                    .section
                    .and_then(|i| article.sections.get(i)?.heading.clone()),
            };
            if keep(&member) {
                found.push((date_key(article.date.as_ref()), at, *section, member));
            }
        }
        found.sort_by(|a, b| (a.3.story, &a.0, a.1, a.2).cmp(&(b.3.story, &b.0, b.1, b.2)));
        found.into_iter().map(|m| m.3).collect()
    }

    /// The canonical id and name of every entity id the stored extractions define, computed afresh from the set
    /// of names stored, as the SQLite store keeps it up to date.
    fn canonical(&self) -> Result<Canonical> {
        let mut names: BTreeMap<&EntityId, &str> = BTreeMap::new();
        for e in self.extractions.values().flat_map(|x| &x.entities) {
            let best = best_form(e);
            let name = names.entry(&e.id).or_insert(best);
            if name_rank(best) > name_rank(name) {
                *name = best;
            }
        }
        let mut holders: HashMap<String, BTreeSet<String>> = HashMap::new();
        for id in names.keys() {
            for part in name_parts(&id.0) {
                holders.entry(part).or_default().insert(id.0.clone());
            }
        }
        let mut canonical = Canonical::new();
        for id in names.keys() {
            let target = join_target(&id.0, &mut |part: &str| {
                Ok(holders.get(part).cloned().unwrap_or_default())
            })?
            .map_or_else(|| (*id).clone(), EntityId);
            let name = names.get(&target).map_or(id.0.as_str(), |n| n).to_owned();
            canonical.insert((*id).clone(), (target, name));
        }
        Ok(canonical)
    }

    /// The kind of every entity id, as first defined.
    fn kinds(&self) -> BTreeMap<EntityId, EntityKind> {
        let mut kinds = BTreeMap::new();
        for e in self.extractions.values().flat_map(|x| &x.entities) {
            kinds.entry(e.id.clone()).or_insert(e.kind);
        }
        kinds
    }

    /// The stories of each assigned article.
    fn stories_by_article(&self) -> HashMap<&ArticleId, BTreeSet<StoryId>> {
        let mut stories: HashMap<&ArticleId, BTreeSet<StoryId>> = HashMap::new();
        for assignment in self.units.values() {
            stories
                .entry(&assignment.article)
                .or_default()
                .extend(assignment.units.iter().map(|u| u.story));
        }
        stories
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
                self.pending.insert(self.articles.len());
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
            for unit in &assignment.units {
                if unit.storyline != StorylineId::of_story(unit.story) {
                    self.storylines.insert(unit.story, unit.storyline);
                }
            }
            // Refinement merged stories after this article: every unit held so far follows the merge; then
            // storylines join.
            for merge in &assignment.merged {
                for held in self.units.values_mut() {
                    for unit in &mut held.units {
                        if unit.story == merge.from {
                            unit.story = merge.into;
                        }
                    }
                }
                self.storylines.remove(&merge.from);
            }
            for moved in &assignment.moved {
                let key = (moved.unit.article.clone(), section_column(&moved.unit));
                if let Some(held) = self.units.get_mut(&key) {
                    for unit in &mut held.units {
                        if unit.unit == moved.unit {
                            unit.story = moved.to;
                        }
                    }
                }
                if moved.storyline != StorylineId::of_story(moved.to) {
                    self.storylines.insert(moved.to, moved.storyline);
                }
            }
            for link in &assignment.linked {
                let alone = StoryId(link.from.0);
                if self.has_story(alone) {
                    self.storylines.entry(alone).or_insert(link.from);
                }
                for line in self.storylines.values_mut() {
                    if *line == link.from {
                        *line = link.into;
                    }
                }
            }
        }
        self.clusterer_state = Some(state.to_vec());
        self.generation += 1;
        Ok(())
    }

    fn clusterer_state(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.clusterer_state.clone())
    }

    fn forget_stories(&mut self) -> Result<()> {
        self.units.clear();
        self.storylines.clear();
        self.clusterer_state = None;
        self.generation += 1;
        Ok(())
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

    fn story_version(&self, id: StoryId) -> Result<Option<u64>> {
        let known = self
            .units
            .values()
            .any(|a| a.units.iter().any(|u| u.story == id));
        Ok(known.then_some(self.generation))
    }

    fn article_members(&self, id: &ArticleId) -> Result<Vec<StoryMember>> {
        Ok(self.members_where(&|m| &m.unit.article == id))
    }

    fn story_storylines(&self) -> Result<BTreeMap<StoryId, StorylineId>> {
        Ok(self
            .storylines
            .iter()
            .filter(|(story, line)| story.0 != line.0)
            .map(|(&story, &line)| (story, line))
            .collect())
    }

    fn storyline_of(&self, story: StoryId) -> Result<StorylineId> {
        Ok(self
            .storylines
            .get(&story)
            .copied()
            .unwrap_or(StorylineId::of_story(story)))
    }

    fn storyline_stories(&self, id: StorylineId) -> Result<Vec<StoryId>> {
        let mut stories: BTreeSet<StoryId> = self
            .storylines
            .iter()
            .filter(|(_, line)| **line == id)
            .map(|(&story, _)| story)
            .collect();
        let own = StoryId(id.0);
        if !self.storylines.contains_key(&own) && self.has_story(own) {
            stories.insert(own);
        }
        Ok(stories.into_iter().collect())
    }

    fn put_extractions(&mut self, extractions: &[Extraction]) -> Result<()> {
        for extraction in extractions {
            if let Some(&at) = self.by_id.get(&extraction.article) {
                self.pending.remove(&at);
            }
            self.extractions
                .insert(extraction.article.clone(), extraction.clone());
        }
        self.generation += 1;
        Ok(())
    }

    fn put_statement_vectors(&mut self, vectors: &[(ArticleId, Vec<u8>)]) -> Result<()> {
        for (id, body) in vectors {
            self.statement_vectors.insert(id.clone(), body.clone());
        }
        Ok(())
    }

    fn statement_vectors(&self, id: &ArticleId) -> Result<Option<Vec<u8>>> {
        Ok(self.statement_vectors.get(id).cloned())
    }

    fn extraction(&self, id: &ArticleId) -> Result<Option<Extraction>> {
        let canonical = self.canonical()?;
        Ok(self
            .extractions
            .get(id)
            .map(|x| make_canonical(x.clone(), &canonical)))
    }

    fn unextracted_articles(&self, limit: usize) -> Result<Vec<Article>> {
        Ok(self
            .pending
            .iter()
            .take(limit)
            .map(|&at| self.articles[at].clone())
            .collect())
    }

    fn entities(&self, query: &EntityQuery) -> Result<Vec<EntitySummary>> {
        let canonical = self.canonical()?;
        let to = |id: &EntityId| canonical.get(id).map(|c| c.0.clone());
        let in_story: Option<HashSet<&ArticleId>> = query.story.map(|story| {
            self.units
                .values()
                .filter(|a| a.units.iter().any(|u| u.story == story))
                .map(|a| &a.article)
                .collect()
        });
        let stories_of = self.stories_by_article();
        #[derive(Default)]
        struct Tally<'a> {
            articles: BTreeSet<&'a ArticleId>,
            mentions: u64,
            forms: BTreeSet<&'a str>,
            roles: BTreeMap<&'a str, usize>,
            stories: BTreeSet<StoryId>,
        }
        let mut tallies: BTreeMap<EntityId, Tally<'_>> = BTreeMap::new();
        for x in self.extractions.values() {
            let in_scope = in_story.as_ref().is_none_or(|s| s.contains(&x.article));
            for e in &x.entities {
                let Some(c) = to(&e.id) else { continue };
                let tally = tallies.entry(c).or_default();
                tally.forms.insert(&e.name);
                tally.forms.extend(e.aliases.iter().map(String::as_str));
                tally
                    .stories
                    .extend(stories_of.get(&x.article).into_iter().flatten());
                if in_scope {
                    tally.articles.insert(&x.article);
                }
            }
            for m in &x.mentions {
                if let Some(c) = to(&m.entity).filter(|_| in_scope) {
                    tallies.entry(c).or_default().mentions += 1;
                }
            }
            for r in &x.roles {
                if let Some(c) = to(&r.person) {
                    *tallies
                        .entry(c)
                        .or_default()
                        .roles
                        .entry(&r.title)
                        .or_default() += 1;
                }
            }
        }
        let kinds = self.kinds();
        let mut listed: Vec<EntitySummary> = tallies
            .into_iter()
            .filter(|(_, t)| !t.articles.is_empty())
            .filter_map(|(id, t)| {
                let (_, name) = canonical.get(&id)?.clone();
                Some(EntitySummary {
                    kind: kinds.get(&id).copied().unwrap_or(EntityKind::Other),
                    aliases: t
                        .forms
                        .iter()
                        .filter(|f| **f != name)
                        .map(|f| f.to_string())
                        .collect(),
                    roles: {
                        let mut roles: Vec<(&str, usize)> = t.roles.into_iter().collect();
                        // Most often given first; the map already ordered ties by title, and the sort is stable.
                        roles.sort_by_key(|r| std::cmp::Reverse(r.1));
                        roles.into_iter().map(|r| r.0.to_owned()).collect()
                    },
                    articles: t.articles.len() as u64,
                    mentions: t.mentions,
                    stories: t.stories.len() as u64,
                    name,
                    id,
                })
            })
            .collect();
        sort_entities(&mut listed);
        listed.truncate(query.limit.unwrap_or(usize::MAX));
        Ok(listed)
    }

    fn find_entities(&self, name_or_id: &str) -> Result<Vec<EntityId>> {
        let canonical = self.canonical()?;
        let wanted = name_or_id.trim();
        if let Some((id, _)) = canonical.get(&EntityId(wanted.to_owned())) {
            return Ok(vec![id.clone()]);
        }
        let folded = wanted.to_lowercase();
        let mut found: BTreeSet<EntityId> = BTreeSet::new();
        for e in self.extractions.values().flat_map(|x| &x.entities) {
            if std::iter::once(&e.name)
                .chain(&e.aliases)
                .any(|f| f.to_lowercase() == folded)
                && let Some((id, _)) = canonical.get(&e.id)
            {
                found.insert(id.clone());
            }
        }
        Ok(found.into_iter().collect())
    }

    fn entity(&self, id: &EntityId) -> Result<Option<EntityRecord>> {
        let canonical = self.canonical()?;
        let Some((c, _)) = canonical.get(id).cloned() else {
            return Ok(None);
        };
        let Some(entity) = self
            .entities(&EntityQuery::default())?
            .into_iter()
            .find(|e| e.id == c)
        else {
            return Ok(None);
        };
        let to = |id: &EntityId| {
            canonical
                .get(id)
                .map_or_else(|| id.clone(), |c| c.0.clone())
        };
        let stories_of = self.stories_by_article();
        let mut record = EntityRecord {
            entity,
            mentions: Vec::new(),
            roles: Vec::new(),
            quotes: Vec::new(),
            events: Vec::new(),
            stories: Vec::new(),
        };
        let mut stories = BTreeSet::new();
        for x in self.extractions.values() {
            if x.entities.iter().any(|e| to(&e.id) == c) {
                stories.extend(stories_of.get(&x.article).into_iter().flatten().copied());
            }
            let x = make_canonical(x.clone(), &canonical);
            let mut mentions: Vec<Mention> =
                x.mentions.into_iter().filter(|m| m.entity == c).collect();
            mentions.sort_by_key(|m| (m.start, m.end));
            record.mentions.extend(mentions);
            let mut roles: Vec<Role> = x.roles.into_iter().filter(|r| r.person == c).collect();
            roles.sort_by_key(|r| (r.start, r.end));
            record.roles.extend(roles);
            record.quotes.extend(
                x.quotes
                    .into_iter()
                    .filter(|q| {
                        q.speaker
                            .iter()
                            .chain(&q.via)
                            .any(|s| s.entity.as_ref() == Some(&c))
                    })
                    .map(|quote| ArticleQuote {
                        article: x.article.clone(),
                        quote,
                    }),
            );
            record.events.extend(
                x.events
                    .into_iter()
                    .filter(|e| e.actors.iter().any(|a| a.entity == c)),
            );
        }
        record.stories = stories.into_iter().collect();
        Ok(Some(record))
    }
}
