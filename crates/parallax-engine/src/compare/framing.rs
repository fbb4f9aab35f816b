//! Framing: for every actor, the labels each source gives it, found in the text.
//!
//! Today the labels are the roles and titles the extraction found for people; appositions, pre-modifiers, chosen
//! nouns and named actions follow.

use std::collections::BTreeMap;

use parallax_model::{ActorFraming, EntityId, Label, LabelKind, SourceLabels, TextSpan};

use super::UnitView;

/// A label's words as compared across sources: lower case, without articles and punctuation.
pub(crate) fn label_key(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "a" | "an" | "the"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn framing(views: &[UnitView<'_>]) -> Vec<ActorFraming> {
    // entity -> source -> labels
    let mut found: BTreeMap<EntityId, BTreeMap<usize, Vec<Label>>> = BTreeMap::new();
    for view in views {
        let text = view.article.text.as_str();
        for role in view
            .extraction
            .roles
            .iter()
            .filter(|r| view.holds(r.start, r.end))
        {
            let labels = found
                .entry(role.person.clone())
                .or_default()
                .entry(view.source)
                .or_default();
            let span = TextSpan::of(text, role.start, role.end);
            if labels
                .iter()
                .any(|l| label_key(&l.span.text) == label_key(&span.text))
            {
                continue;
            }
            labels.push(Label {
                span,
                unit: view.unit.clone(),
                kind: LabelKind::Role,
                distinct: false,
            });
        }
    }
    let mut out = Vec::new();
    for (entity, by_source) in found {
        let Some((name, kind)) = views.iter().find_map(|v| {
            v.extraction
                .entities
                .iter()
                .find(|e| e.id == entity)
                .map(|e| (e.name.clone(), e.kind))
        }) else {
            continue;
        };
        let mut sources: Vec<SourceLabels> = by_source
            .into_iter()
            .map(|(source, labels)| SourceLabels { source, labels })
            .collect();
        let keys: Vec<Vec<String>> = sources
            .iter()
            .map(|s| s.labels.iter().map(|l| label_key(&l.span.text)).collect())
            .collect();
        for (i, source) in sources.iter_mut().enumerate() {
            for label in &mut source.labels {
                let key = label_key(&label.span.text);
                label.distinct = keys
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == i || !other.contains(&key));
            }
        }
        let differs =
            sources.len() > 1 && sources.iter().any(|s| s.labels.iter().any(|l| l.distinct));
        out.push(ActorFraming {
            entity,
            name,
            kind,
            differs,
            sources,
        });
    }
    // Actors labelled by more sources first, then by name.
    out.sort_by(|a, b| {
        b.sources
            .len()
            .cmp(&a.sources.len())
            .then(a.name.cmp(&b.name))
    });
    out
}
