//! The comparison of a story's sources: who reports what, where they disagree, how each names the actors, and when
//! things happened.
//!
//! Everything a reader is shown is an exact span of a stored article ([`TextSpan`] with the [`StoryUnit`] it is
//! in): the comparison groups, labels and orders spans, it never writes a sentence of its own. Sources are referred
//! to by their index into [`Comparison::sources`].

use serde::{Deserialize, Serialize};

use crate::{
    EntityId, EntityKind, PubDate, QuoteKind, StoryId, StoryUnit, StorylineId, TextSpan,
    TimePrecision,
};

/// The comparison of one story's sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The story compared, when it is a stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<StoryId>,
    /// The storyline of the story compared, when it is a stored one: the stories of the situation it follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storyline: Option<StorylineId>,
    /// A headline one of the sources gave (a real title before a title derived from the text).
    pub headline: String,
    /// The source whose headline it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline_source: Option<usize>,
    /// Who reported, in the order they first reported.
    pub sources: Vec<SourceCoverage>,
    /// Each source's statements aligned with the other sources' statements that say the same thing, in the order
    /// the story tells them.
    pub statements: Vec<StatementGroup>,
    /// The same slot given different values by different sources, or updated over time.
    pub disagreements: Vec<Disagreement>,
    /// Quotes grouped across sources: one group per statement, every wording kept.
    pub quotes: Vec<QuoteGroup>,
    /// For each actor, the labels and descriptions each source uses.
    pub framing: Vec<ActorFraming>,
    /// The story's dated events in calendar order.
    pub timeline: Vec<TimelineEntry>,
    /// Plain remarks a reader needs to read the rest right ("one source only: nothing to compare").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One source of a story: an outlet, or an article whose outlet is not known, named by its file or URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceCoverage {
    /// The outlet's name, or the file or URL of an article whose outlet is not known.
    pub name: String,
    /// False when `name` is a file or URL standing in for an unknown outlet.
    pub known: bool,
    /// The languages it wrote in.
    pub languages: Vec<String>,
    /// When it first reported, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_date: Option<PubDate>,
    /// How many words it wrote on the story, copies not counted.
    pub words: usize,
    /// Its units in the story (whole articles, or the one section of an article that belongs here), in date order.
    pub units: Vec<CoveredUnit>,
}

/// One article (or section) of a source in the story, with the copies of it that other articles carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoveredUnit {
    /// The unit.
    pub unit: StoryUnit,
    /// Its headline: the article's title, or the section's subheading.
    pub title: String,
    /// True when the title was made from the text because the input gave none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub title_derived: bool,
    /// Publication date, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PubDate>,
    /// Its language, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The file or URL it was read from.
    pub origin: String,
    /// Words in the unit.
    pub words: usize,
    /// Wire copies and republications of it, folded under it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<CarriedCopy>,
}

/// A near-duplicate of an original: who carried it and how close it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarriedCopy {
    /// The copy.
    pub unit: StoryUnit,
    /// The outlet that carried it, or its file or URL when the outlet is not known.
    pub carried_by: String,
    /// False when `carried_by` is a file or URL.
    pub known: bool,
    /// Publication date of the copy, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PubDate>,
    /// Estimated similarity to the original, 1.0 for an exact copy.
    pub similarity: f32,
}

/// How widely an aligned group of statements (or a quote) is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Reach {
    /// Every source of the story reports it.
    All,
    /// More than one source, not all.
    Several,
    /// One source only.
    One,
}

/// One statement: a sentence, or a clause of a sentence that holds several facts, as a source wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// The source, by index into [`Comparison::sources`].
    pub source: usize,
    /// The article (or section) it is in.
    pub unit: StoryUnit,
    /// The exact words, with byte offsets into the article's text.
    pub span: TextSpan,
    /// True when it gives background from before the story's event (history, context) rather than news of it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
    /// Names and numbers it gives that no other statement of its group gives: the details only this source adds
    /// to a fact others report too ("on its Telegram channel").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_here: Vec<TextSpan>,
}

/// Statements of several sources that say the same thing, or one source's statement no other makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementGroup {
    /// Reported by all sources, several, or one.
    pub reach: Reach,
    /// The sources that make it, by index, sorted.
    pub sources: Vec<usize>,
    /// True when the group gives background rather than news of the event.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
    /// The matching statements, in source order.
    pub statements: Vec<Statement>,
    /// How sure the alignment is: the lowest similarity that joined the group (1.0 for a group of one).
    pub confidence: f32,
    /// The share of its words, names and numbers that no source outside the group uses anywhere in the story:
    /// near 1 for a fact only these sources tell, near 0 for one they word apart from how others tell it.
    pub novelty: f32,
}

/// What kind of slot sources give different values for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SlotKind {
    /// A count of something ("12 dead", "3,200 in shelters").
    Count,
    /// The date of an event.
    Date,
    /// Where an event took place.
    Place,
    /// A person's title or role.
    Title,
    /// Who took part in a meeting or event.
    Participants,
}

/// One value of a disputed slot, as one source gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotValue {
    /// The source, by index.
    pub source: usize,
    /// The unit it is in.
    pub unit: StoryUnit,
    /// The value as normalised for comparison ("12", "2023-10-26", "deputy foreign minister").
    pub value: String,
    /// The words that give the value.
    pub span: TextSpan,
    /// The sentence that gives it.
    pub sentence: TextSpan,
    /// When the source published it, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PubDate>,
}

/// A slot sources fill differently: a contradiction, or an update when later reports change a count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    /// What kind of slot.
    pub slot: SlotKind,
    /// What the slot is about, in the sources' words ("killed", "Ali Bagheri Kani", "the talks").
    pub subject: String,
    /// True when the values differ because later reports updated earlier ones (a rising death toll), not because
    /// sources contradict each other; the values are then in publication order.
    pub update: bool,
    /// Every value given, with its source and sentence.
    pub values: Vec<SlotValue>,
}

/// One wording of a quote, as one source gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wording {
    /// The source, by index.
    pub source: usize,
    /// The unit it is in.
    pub unit: StoryUnit,
    /// The quoted words, exactly as printed.
    pub content: TextSpan,
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// Who the source says said it, as the source names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<TextSpan>,
    /// The intermediary that passed the words on ("the embassy said, quoting ..."), where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<TextSpan>,
    /// The language of the wording, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// One statement quoted by one or more sources, with every wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteGroup {
    /// The speaker's entity, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<EntityId>,
    /// The speaker's name as the sources give it, or how the first wording names them.
    pub speaker_name: String,
    /// Quoted by all sources, several, or one.
    pub reach: Reach,
    /// The sources quoting it, by index, sorted.
    pub sources: Vec<usize>,
    /// Every wording, in source order.
    pub wordings: Vec<Wording>,
}

/// What kind of words a label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum LabelKind {
    /// A title or role the text gives a person ("deputy foreign minister for political affairs").
    Role,
    /// A description set beside the name ("Hamas, the Palestinian militant group").
    Apposition,
    /// Words before the name that describe it ("the Gaza-based Palestinian radical group Hamas").
    Modifier,
    /// A noun phrase standing for the actor instead of its name ("the Israeli regime", "the diplomatic mission").
    Noun,
    /// The name of an action of the actor ("Operation Al-Aqsa Storm", "a surprise incursion").
    Action,
    /// Evaluative words this source alone uses in telling what the actor does or is ("slammed", "bombastic"),
    /// where the story's other sources tell it with other words.
    Wording,
}

/// One label, as printed in one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// The label's words, exactly as printed.
    pub span: TextSpan,
    /// The unit it is in.
    pub unit: StoryUnit,
    /// What kind of words.
    pub kind: LabelKind,
    /// True when no other source of the story uses these words (compared without case, articles and
    /// punctuation) for this actor.
    pub distinct: bool,
}

/// The labels one source uses for one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceLabels {
    /// The source, by index.
    pub source: usize,
    /// Its labels, in text order.
    pub labels: Vec<Label>,
}

/// How the sources label one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorFraming {
    /// The actor.
    pub entity: EntityId,
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: EntityKind,
    /// True when the sources' labels differ.
    pub differs: bool,
    /// Each labelling source, in source order.
    pub sources: Vec<SourceLabels>,
}

/// One source's words for a dated event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineMention {
    /// The source, by index.
    pub source: usize,
    /// The unit it is in.
    pub unit: StoryUnit,
    /// The date as the source writes it ("on Thursday", "in December 2021").
    pub expression: TextSpan,
    /// The sentence that says what happened then.
    pub sentence: TextSpan,
    /// True when the date was resolved against the publication date ("Thursday"), not read off the text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub relative: bool,
    /// Other sources that tell the same thing without giving its date, by index: the date comes from this source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undated_in: Vec<usize>,
}

/// One point or period of the story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The TimeML value (`2023-10-26`, `2021-12`).
    pub value: String,
    /// How precisely it is known.
    pub precision: TimePrecision,
    /// The date as people write it ("Thursday 26 October 2023", "December 2021", "the night of 24 March 2024").
    pub display: String,
    /// True when this entry is a source's publication rather than an event told in the text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub publication: bool,
    /// The sources that date something here, by index, sorted.
    pub sources: Vec<usize>,
    /// What each source says happened then.
    pub mentions: Vec<TimelineMention>,
}
