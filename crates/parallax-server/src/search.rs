//! Full-text search over the stored articles with tantivy: one indexed field per language, each stemmed with the
//! stemmer the story clusterer uses for that language (an article in a language without one goes to a field that
//! only lowercases), snippets with the matched words marked, and facets by outlet, language, month and entity.
//!
//! The index lives beside the database (`<db>.index/`). The pipeline hands it every article once the article is
//! extracted ([`ArticleIndex`]), so an ingest keeps it up to date; `parallax index --rebuild` builds it again from
//! the store. Readers reload on each commit, from this process or another.

use std::path::{Path, PathBuf};

use parallax_model::{Article, EntityKind, Extraction};
use parallax_pipeline::ArticleIndex;
use parallax_store::Store;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use utoipa::ToSchema;

/// The languages stemmed, as the story clusterer stems them (`cluster/terms.rs`), by ISO 639-1 code.
const STEMMED: [(&str, Language); 17] = [
    ("ar", Language::Arabic),
    ("da", Language::Danish),
    ("de", Language::German),
    ("el", Language::Greek),
    ("en", Language::English),
    ("es", Language::Spanish),
    ("fi", Language::Finnish),
    ("fr", Language::French),
    ("hu", Language::Hungarian),
    ("it", Language::Italian),
    ("nl", Language::Dutch),
    ("no", Language::Norwegian),
    ("pt", Language::Portuguese),
    ("ro", Language::Romanian),
    ("ru", Language::Russian),
    ("sv", Language::Swedish),
    ("tr", Language::Turkish),
];

/// The field (and tokenizer) name of text in a language without a stemmer.
const PLAIN: &str = "plain";

/// The most characters of a snippet.
const SNIPPET_CHARS: usize = 220;

/// The most entity facets indexed per article: the most mentioned people, organisations and places.
const ENTITIES_PER_ARTICLE: usize = 12;

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(String);

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        SearchError(error.to_string())
    }
}

impl From<parallax_store::Error> for SearchError {
    fn from(error: parallax_store::Error) -> Self {
        SearchError(error.to_string())
    }
}

impl From<std::io::Error> for SearchError {
    fn from(error: std::io::Error) -> Self {
        SearchError(error.to_string())
    }
}

#[derive(Clone)]
struct Fields {
    id: Field,
    title: Field,
    source: Field,
    language: Field,
    date: Field,
    text: Field,
    facets: Field,
    /// One indexed text field per stemmed language, then the plain one.
    bodies: Vec<(&'static str, Field)>,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let title = builder.add_text_field("title", STORED);
        let source = builder.add_text_field("source", STORED);
        let language = builder.add_text_field("language", STORED);
        let date = builder.add_text_field("date", STORED);
        let text = builder.add_text_field("text", STORED);
        let facets = builder.add_facet_field("facets", FacetOptions::default());
        let bodies = STEMMED
            .iter()
            .map(|(code, _)| *code)
            .chain([PLAIN])
            .map(|code| {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(&tokenizer_name(code))
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                let options = TextOptions::default().set_indexing_options(indexing);
                (
                    code,
                    builder.add_text_field(&format!("body_{code}"), options),
                )
            })
            .collect();
        let fields = Fields {
            id,
            title,
            source,
            language,
            date,
            text,
            facets,
            bodies,
        };
        (builder.build(), fields)
    }

    /// The indexed field of a language: its stemmed one, else the plain one.
    fn body(&self, language: Option<&str>) -> Field {
        let code = language.unwrap_or(PLAIN);
        self.bodies
            .iter()
            .find(|(c, _)| *c == code)
            .or_else(|| self.bodies.last())
            .map(|(_, f)| *f)
            .unwrap_or(self.text)
    }
}

fn tokenizer_name(code: &str) -> String {
    format!("parallax_{code}")
}

fn register_tokenizers(index: &Index) {
    for (code, language) in STEMMED {
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(language))
            .build();
        index.tokenizers().register(&tokenizer_name(code), analyzer);
    }
    let plain = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    index.tokenizers().register(&tokenizer_name(PLAIN), plain);
}

/// The search index of one store.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// True when this open created the index: it holds nothing of what the store held before.
    created: bool,
    /// Answers given lately, shared by every clone.
    answers: std::sync::Arc<std::sync::Mutex<AnswerCache>>,
}

/// Answers kept at most.
const ANSWERS_KEPT: usize = 1024;

/// The answers of the searches made lately, by what was asked and the index generation they were made on: a
/// commit (an ingest) starts a new generation, so an answer is never given from an older index. At most
/// [`ANSWERS_KEPT`]; the one used least lately goes first. Many readers ask the same few things (a name in the
/// news): those are answered without searching again.
#[derive(Default)]
struct AnswerCache {
    entries: std::collections::HashMap<(String, u64), (SearchResults, u64)>,
    clock: u64,
}

impl AnswerCache {
    fn get(&mut self, key: &(String, u64)) -> Option<SearchResults> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(answer, used)| {
            *used = clock;
            answer.clone()
        })
    }

    fn put(&mut self, key: (String, u64), answer: SearchResults) {
        self.clock += 1;
        if self.entries.len() >= ANSWERS_KEPT && !self.entries.contains_key(&key) {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(key, (answer, self.clock));
    }
}

/// Where the index of the database at `db` lives: `<db>.index/` beside it.
pub fn index_dir(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".index");
    PathBuf::from(name)
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the folder) when missing.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let created = !dir.join("meta.json").exists();
        let index = if created {
            std::fs::create_dir_all(dir)?;
            match Index::create_in_dir(dir, schema.clone()) {
                Ok(index) => index,
                // Another ingest made it a moment ago.
                Err(_) if dir.join("meta.json").exists() => Index::open_in_dir(dir)?,
                Err(error) => return Err(error.into()),
            }
        } else {
            let index = Index::open_in_dir(dir)?;
            if index.schema() != schema {
                return Err(SearchError(format!(
                    "{} was built by another version of Parallax; run `parallax index --rebuild`",
                    dir.display()
                )));
            }
            index
        };
        Self::with_index(index, fields, created)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Self::with_index(Index::create_in_ram(schema), fields, true)
    }

    fn with_index(index: Index, fields: Fields, created: bool) -> Result<SearchIndex, SearchError> {
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            created,
            answers: Default::default(),
        })
    }

    /// True when opening created the index, so it lacks every article stored before: the caller rebuilds it.
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// A writer that adds articles (the pipeline hands it each one extracted). It takes the index's lock only
    /// when the first article comes, and gives it back on commit: the pipeline adds articles only under the
    /// store's writer turn, so two ingests on one store take turns at the index as they do at the store.
    pub fn writer(&self) -> SearchWriter {
        SearchWriter {
            index: self.index.clone(),
            writer: None,
            fields: self.fields.clone(),
            reader: self.reader.clone(),
        }
    }

    /// Builds the index again from every article in the store and its extraction; returns how many articles.
    pub fn rebuild(&self, store: &dyn Store) -> Result<u64, SearchError> {
        let mut writer = self.writer();
        writer.open()?.delete_all_documents()?;
        let mut count = 0u64;
        let mut failure = None;
        store.for_each_article(&mut |article| {
            let extraction = store.extraction(&article.id)?.unwrap_or_default();
            if let Err(error) = writer.add(&article, &extraction) {
                failure.get_or_insert(error);
            }
            count += 1;
            Ok(())
        })?;
        if let Some(error) = failure {
            return Err(SearchError(error));
        }
        writer.commit().map_err(SearchError)?;
        Ok(count)
    }

    /// Articles in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The articles that match `query`, best first, with snippets for the page asked for and facet counts over
    /// the best [`FACET_HITS`] matches.
    ///
    /// The cost is bounded whatever the number of matches: one pass scores them (keeping only the best few
    /// hundred) and counts them, facets are read for the kept ones from the index's fast columns, and stored text
    /// is read and highlighted only for the page's hits.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let key = (query.key(), searcher.generation().generation_id());
        let answer = self.search_with(&searcher, query)?;
        if let Ok(mut answers) = self.answers.lock() {
            answers.put(key, answer.clone());
        }
        Ok(answer)
    }

    /// The answer given lately to `query` on the index as it is now, if any: what [`SearchIndex::search`] would
    /// answer, without searching.
    pub fn answered(&self, query: &SearchQuery) -> Option<SearchResults> {
        let key = (
            query.key(),
            self.reader.searcher().generation().generation_id(),
        );
        self.answers.lock().ok()?.get(&key)
    }

    fn search_with(
        &self,
        searcher: &tantivy::Searcher,
        query: &SearchQuery,
    ) -> Result<SearchResults, SearchError> {
        let f = &self.fields;
        let text = query.q.trim();
        let mut parser = QueryParser::for_index(
            &self.index,
            f.bodies.iter().map(|(_, field)| *field).collect(),
        );
        parser.set_conjunction_by_default();
        let matched: Box<dyn Query> = if text.is_empty() {
            Box::new(AllQuery)
        } else {
            // Lenient: a stray quote or colon in what a person types is read as words, never an error.
            parser.parse_query_lenient(text).0
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matched.box_clone())];
        for (kind, value) in query.filters() {
            let facet = tantivy::schema::Facet::from_path([kind, value]);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_facet(f.facets, &facet),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let filtered = BooleanQuery::new(clauses);
        let limit = query.limit.clamp(1, 100);
        let page_end = query.offset + limit;
        let kept = TopDocs::with_limit(page_end.max(FACET_HITS)).order_by_score();
        let (top, total) = searcher.search(&filtered, &(kept, Count))?;
        let facet_hits = &top[..top.len().min(FACET_HITS)];
        let facets = count_facets(searcher, facet_hits)?;
        let page = &top[query.offset.min(top.len())..page_end.min(top.len())];
        // Only the fields of the page's languages need a snippet generator (each looks up the query's terms).
        let mut generators: Vec<Highlighter> = Vec::new();
        let mut docs = Vec::with_capacity(page.len());
        for &(score, address) in page {
            let doc: TantivyDocument = searcher.doc(address)?;
            let language = stored_str(&doc, f.language);
            let body = f.body(language.as_deref());
            if !text.is_empty()
                && !generators.iter().any(|h| h.field == body)
                && let Ok(mut generator) = SnippetGenerator::create(searcher, &*matched, body)
            {
                generator.set_max_num_chars(SNIPPET_CHARS);
                let mut terms = Vec::new();
                matched.query_terms(&mut |term, _| {
                    if term.field() == body
                        && let Some(word) = term.value().as_str()
                    {
                        terms.push(word.to_owned());
                    }
                });
                generators.push(Highlighter {
                    field: body,
                    generator,
                    terms,
                });
            }
            docs.push((score, doc, language, body));
        }
        let hits = docs
            .into_iter()
            .map(|(score, doc, language, body)| self.hit(&doc, language, body, score, &generators))
            .collect();
        Ok(SearchResults {
            total: total as u64,
            facets_over: facet_hits.len() as u64,
            facets_counted: facet_hits.len() == total,
            offset: query.offset,
            hits,
            facets,
        })
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        language: Option<String>,
        body: Field,
        score: f32,
        generators: &[Highlighter],
    ) -> SearchHit {
        let f = &self.fields;
        let text = stored_str(doc, f.text).unwrap_or_default();
        let snippet = generators
            .iter()
            .find(|h| h.field == body)
            .map(|h| h.generator.snippet(snippet_window(&text, &h.terms)))
            .filter(|s| !s.fragment().is_empty());
        let snippet = match snippet {
            Some(s) => Snippet {
                text: s.fragment().to_owned(),
                marks: s.highlighted().iter().map(|r| [r.start, r.end]).collect(),
            },
            None => Snippet {
                text: text.chars().take(SNIPPET_CHARS).collect(),
                marks: Vec::new(),
            },
        };
        SearchHit {
            id: stored_str(doc, f.id).unwrap_or_default(),
            title: stored_str(doc, f.title).unwrap_or_default(),
            source: stored_str(doc, f.source),
            language,
            date: stored_str(doc, f.date),
            score,
            snippet,
        }
    }
}

/// What highlights the hits of one language: its field, tantivy's snippet generator, and the query's words as
/// that field indexes them (stemmed, lower case).
struct Highlighter {
    field: Field,
    generator: SnippetGenerator,
    terms: Vec<String>,
}

/// Bytes of text kept before the first match in the window a snippet is looked for in, and after it.
const WINDOW_BEFORE: usize = 240;
const WINDOW_AFTER: usize = 480;

/// The most bytes of text a snippet is looked for in when no query word is found as written.
const SNIPPET_SCAN: usize = 4096;

/// The part of `text` a snippet is looked for in. The snippet generator runs the field's whole analyser (its
/// stemmer) over what it is given, which was most of a search's time when given whole articles; so it is given a
/// window around the first place a query word appears (a stem is found as the start of its words, compared
/// without case), or the article's first 4 KB when none appears as written.
fn snippet_window<'a>(text: &'a str, terms: &[String]) -> &'a str {
    let lower = text.to_lowercase();
    // Lower-casing keeps byte offsets only when no character changes length (almost all text).
    let first = (lower.len() == text.len())
        .then(|| {
            terms
                .iter()
                .filter(|t| !t.is_empty())
                .filter_map(|t| lower.find(t.as_str()))
                .min()
        })
        .flatten();
    let Some(at) = first else {
        return &text[..char_floor(text, SNIPPET_SCAN)];
    };
    let mut start = char_floor(text, at.saturating_sub(WINDOW_BEFORE));
    if start > 0 {
        // Begin at a word, not inside one.
        start = text[start..at]
            .find(char::is_whitespace)
            .map_or(start, |i| start + i + 1);
    }
    &text[start..char_floor(text, at + WINDOW_AFTER)]
}

/// The largest character boundary of `text` at or before `at` (the length of `text` past its end).
fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first stored text of `field` in `doc`.
fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// The facet counts over `hits`, the most frequent values of each kind first (at most 20 a kind). The facets
/// are read from each segment's fast column, so this costs a few reads per hit whatever the number of matches.
fn count_facets(
    searcher: &tantivy::Searcher,
    hits: &[(f32, DocAddress)],
) -> Result<Vec<FacetGroup>, SearchError> {
    // Ordinals are counted per segment first, then turned into facet paths once each.
    let mut by_segment: std::collections::BTreeMap<u32, std::collections::HashMap<u64, u64>> =
        std::collections::BTreeMap::new();
    let mut readers = std::collections::HashMap::new();
    for (_, address) in hits {
        let segment = address.segment_ord;
        let reader = match readers.entry(segment) {
            std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(searcher.segment_reader(segment).facet_reader("facets")?)
            }
        };
        let counts = by_segment.entry(segment).or_default();
        for ord in reader.facet_ords(address.doc_id) {
            *counts.entry(ord).or_default() += 1;
        }
    }
    let mut totals: std::collections::HashMap<(String, String), u64> =
        std::collections::HashMap::new();
    for (segment, counts) in by_segment {
        let Some(reader) = readers.get(&segment) else {
            continue;
        };
        // One pass over the facet dictionary for all the ordinals, in order (a lookup each would decode a
        // dictionary block per facet: most of the time of a search with many entity facets).
        let mut ords: Vec<(u64, u64)> = counts.into_iter().collect();
        ords.sort_unstable();
        let sorted: Vec<u64> = ords.iter().map(|(ord, _)| *ord).collect();
        let mut counts = ords.iter().map(|(_, count)| *count);
        reader
            .facet_dict()
            .sorted_ords_to_term_cb(&sorted, |bytes| {
                let count = counts.next().unwrap_or_default();
                if let Ok(facet) = tantivy::schema::Facet::from_encoded(bytes.to_vec())
                    && let [kind, value] = facet.to_path().as_slice()
                {
                    *totals
                        .entry(((*kind).to_owned(), (*value).to_owned()))
                        .or_default() += count;
                }
            })?;
    }
    Ok(FACET_KINDS
        .iter()
        .map(|kind| {
            let mut values: Vec<FacetCount> = totals
                .iter()
                .filter(|((k, _), _)| k == kind)
                .map(|((_, value), &count)| FacetCount {
                    value: value.clone(),
                    count,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values.truncate(20);
            FacetGroup {
                facet: (*kind).to_owned(),
                values,
            }
        })
        .collect())
}

/// The best matches facets are counted over: enough to show which outlets, languages, months and names the
/// results lean to, few enough that counting costs little whatever the number of matches.
pub(crate) const FACET_HITS: usize = 500;

/// The facets counted, in the order shown.
const FACET_KINDS: [&str; 4] = ["outlet", "language", "month", "entity"];

/// What a search asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The words (stemmed as each language's text is); empty matches every article.
    pub q: String,
    /// Only articles of this outlet.
    pub outlet: Option<String>,
    /// Only articles in this language (ISO 639-1).
    pub language: Option<String>,
    /// Only articles published in this month (`2023-10`).
    pub month: Option<String>,
    /// Only articles that name this entity.
    pub entity: Option<String>,
    /// Matches skipped.
    pub offset: usize,
    /// Matches returned (at most 100).
    pub limit: usize,
}

impl SearchQuery {
    /// What the query asks, as one string: equal for equal queries.
    fn key(&self) -> String {
        let part = |v: &Option<String>| v.as_deref().unwrap_or_default().to_owned();
        [
            self.q.trim().to_owned(),
            part(&self.outlet),
            part(&self.language),
            part(&self.month),
            part(&self.entity),
            self.offset.to_string(),
            self.limit.clamp(1, 100).to_string(),
        ]
        .join("\u{1f}")
    }

    fn filters(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("outlet", &self.outlet),
            ("language", &self.language),
            ("month", &self.month),
            ("entity", &self.entity),
        ]
        .into_iter()
        .filter_map(|(kind, value)| Some((kind, value.as_deref().filter(|v| !v.is_empty())?)))
    }
}

/// What a search found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// Every matching article, counted.
    pub total: u64,
    /// Matches skipped before `hits`.
    pub offset: usize,
    /// The matches of this page, best first.
    pub hits: Vec<SearchHit>,
    /// Counts per facet over the best `facets_over` matches (every match when `facets_counted` is true).
    pub facets: Vec<FacetGroup>,
    /// How many of the best matches the facet counts are over: every match, or the best 500 when there are more.
    pub facets_over: u64,
    /// True when the facet counts are over every match; false when they are over the best `facets_over` only.
    pub facets_counted: bool,
}

/// One matching article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    /// The article's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its outlet.
    pub source: Option<String>,
    /// Its language.
    pub language: Option<String>,
    /// Its publication date.
    pub date: Option<String>,
    /// The relevance score.
    pub score: f32,
    /// A passage of its text with the matched words.
    pub snippet: Snippet,
}

/// A passage of text with the matched words as byte ranges into it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges `[start, end)` of the matched words in `text`.
    pub marks: Vec<[usize; 2]>,
}

/// The counts of one facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetGroup {
    /// `outlet`, `language`, `month` or `entity`.
    pub facet: String,
    /// The most frequent values, most first.
    pub values: Vec<FacetCount>,
}

/// One value of a facet and how many matches have it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Matches with it.
    pub count: u64,
}

/// Adds articles to the index; what it adds shows once it commits.
pub struct SearchWriter {
    index: Index,
    writer: Option<IndexWriter>,
    fields: Fields,
    reader: IndexReader,
}

impl SearchWriter {
    /// The index's writer, taking its lock on first use.
    fn open(&mut self) -> Result<&mut IndexWriter, SearchError> {
        if self.writer.is_none() {
            self.writer = Some(self.index.writer_with_num_threads(1, 64 << 20)?);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| SearchError("no index writer".into()))
    }
}

impl ArticleIndex for SearchWriter {
    fn add(&mut self, article: &Article, extraction: &Extraction) -> Result<(), String> {
        let f = self.fields.clone();
        let writer = self.open().map_err(|e| e.to_string())?;
        writer.delete_term(Term::from_field_text(f.id, &article.id.0));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id.0);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.text, &article.text);
        let body = f.body(article.language.as_deref());
        doc.add_text(body, &article.title);
        doc.add_text(body, &article.text);
        if let Some(source) = &article.source {
            doc.add_text(f.source, source);
            doc.add_facet(
                f.facets,
                tantivy::schema::Facet::from_path(["outlet", source]),
            );
        }
        if let Some(language) = &article.language {
            doc.add_text(f.language, language);
            doc.add_facet(
                f.facets,
                tantivy::schema::Facet::from_path(["language", language]),
            );
        }
        if let Some(date) = &article.date {
            let day = date.day().to_string();
            doc.add_text(f.date, date.to_string());
            if let Some(month) = day.get(..7) {
                doc.add_facet(
                    f.facets,
                    tantivy::schema::Facet::from_path(["month", month]),
                );
            }
        }
        let mut entities: Vec<_> = extraction
            .entities
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EntityKind::Person | EntityKind::Organisation | EntityKind::Place
                )
            })
            .map(|e| {
                let mentions = extraction
                    .mentions
                    .iter()
                    .filter(|m| m.entity == e.id)
                    .count();
                (std::cmp::Reverse(mentions), e.name.as_str())
            })
            .collect();
        entities.sort_unstable();
        entities.dedup_by(|a, b| a.1 == b.1);
        for (_, name) in entities.into_iter().take(ENTITIES_PER_ARTICLE) {
            doc.add_facet(
                f.facets,
                tantivy::schema::Facet::from_path(["entity", name]),
            );
        }
        writer.add_document(doc).map_err(|e| e.to_string())?;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), String> {
        let Some(mut writer) = self.writer.take() else {
            return Ok(());
        };
        writer.commit().map_err(|e| e.to_string())?;
        // Waits for the merge threads and gives the lock back for the next writer.
        writer.wait_merging_threads().map_err(|e| e.to_string())?;
        // This process sees its own commit at once, not after the reload delay.
        self.reader.reload().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::snippet_window;

    #[test]
    fn a_snippet_is_looked_for_around_the_first_match() {
        let text = format!(
            "{} The Minister spoke. {}",
            "lead ".repeat(200),
            "tail ".repeat(200)
        );
        let window = snippet_window(&text, &["minist".to_owned()]);
        assert!(window.contains("The Minister spoke."), "{window}");
        assert!(window.len() < 800 && window.starts_with("lead"), "{window}");
        // No word found as written: the start of the text, at most 4 KB.
        let plain = "é".repeat(3000);
        let window = snippet_window(&plain, &["zzz".to_owned()]);
        assert!(window.len() <= 4096 && plain.starts_with(window));
    }
}
