//! Plain data shared by every Parallax stage.
//!
//! Stages never reach into each other's types: the readers produce [`Article`]s, the store keeps them, and the
//! later stages (stories, extraction, comparison) read them back. Everything here is data with serde support and
//! no behaviour beyond small conversions, so the model can be depended on by every crate without pulling in work.
//!
//! ```
//! use parallax_model::{Article, FieldSource, Origin, Place, PubDate};
//!
//! let mut article = Article::new("Talks in Moscow", "Delegations met on Thursday.");
//! article.date = Some("2023-10-27T22:45".parse::<PubDate>().unwrap());
//! article.provenance.insert("date".into(), FieldSource::InText);
//! article.origin = Origin { path: "seeds/000.txt".into(), place: Place::Line(1) };
//! assert_eq!(article.date.unwrap().day().to_string(), "2023-10-27");
//! ```
#![deny(missing_docs)]

mod article;
mod compare;
mod date;
mod entity;
mod event;
mod extraction;
mod quote;
mod story;
mod time;

pub use article::{Article, ArticleId, FieldSource, Origin, Place, Reject, Section};
pub use compare::{
    ActorFraming, CarriedCopy, Comparison, CoveredUnit, Disagreement, Label, LabelKind, QuoteGroup,
    Reach, SlotKind, SlotValue, SourceCoverage, SourceLabels, Statement, StatementGroup,
    TimelineEntry, TimelineMention, Wording,
};
pub use date::{PubDate, PubDateError};
pub use entity::{Entity, EntityId, EntityKind, Mention, Role, name_rank};
pub use event::{ActorRole, Event, EventActor, EventKind};
pub use extraction::Extraction;
pub use quote::{Quote, QuoteKind, Speaker, TextSpan};
pub use story::{
    Assignment, NearDuplicate, Story, StoryId, StoryMerge, StoryUnit, StorylineId, StorylineMerge,
    UnitAssignment, UnitMove,
};
pub use time::{TimeExpr, TimePrecision, TimeType};
