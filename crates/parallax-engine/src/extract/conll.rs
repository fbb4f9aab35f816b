//! The CoNLL-2003 column format: reading labelled documents and turning IOB1 tags into entity spans exactly as the
//! `conlleval` script does.

use std::ops::Range;

use parallax_model::EntityKind;

/// One labelled sentence: words and their entity tags (`O`, `I-PER`, `B-LOC`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConllSentence {
    /// The words, as printed in the first column.
    pub words: Vec<String>,
    /// The entity tag of each word (the last column).
    pub tags: Vec<String>,
}

/// One document (the sentences between two `-DOCSTART-` lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConllDocument {
    /// Its sentences in order.
    pub sentences: Vec<ConllSentence>,
}

/// Reads CoNLL-2003 column data: one word per line with the entity tag in the last column, a blank line between
/// sentences and `-DOCSTART-` between documents. Lines with a single column are skipped, so reading never fails;
/// a file without `-DOCSTART-` is one document.
pub fn read_conll(text: &str) -> Vec<ConllDocument> {
    let mut documents = Vec::new();
    let mut document = ConllDocument::default();
    let mut sentence = ConllSentence::default();
    for line in text.lines() {
        let mut columns = line.split_whitespace();
        let Some(word) = columns.next() else {
            if !sentence.words.is_empty() {
                document.sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        };
        if word == "-DOCSTART-" {
            if !sentence.words.is_empty() {
                document.sentences.push(std::mem::take(&mut sentence));
            }
            if !document.sentences.is_empty() {
                documents.push(std::mem::take(&mut document));
            }
            continue;
        }
        let Some(tag) = columns.next_back() else {
            continue;
        };
        sentence.words.push(word.to_owned());
        sentence.tags.push(tag.to_owned());
    }
    if !sentence.words.is_empty() {
        document.sentences.push(sentence);
    }
    if !document.sentences.is_empty() {
        documents.push(document);
    }
    documents
}

/// The entity spans an IOB tag sequence encodes, with conlleval's rules: a chunk starts at a `B-` tag, or at an
/// `I-` tag after `O` or after a different type; it ends before `O`, a `B-`, or a different type. That reading
/// handles IOB1 and IOB2 alike, and `S-`/`E-` (IOBES) too. Tags of unknown types are treated as `O`.
pub fn iob_spans<S: AsRef<str>>(tags: &[S]) -> Vec<(Range<usize>, EntityKind)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.as_ref();
        let (prefix, kind) = match tag.split_once('-') {
            Some((p, t)) => match EntityKind::from_conll_tag(t) {
                Some(k) => (p, Some(k)),
                None => ("O", None),
            },
            None => ("O", None),
        };
        let starts = match (open, kind) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some((_, k)), Some(kind)) => matches!(prefix, "B" | "S") || k != kind,
        };
        if let Some((start, k)) = open
            && (kind.is_none() || starts)
        {
            spans.push((start..i, k));
            open = None;
        }
        if starts {
            open = kind.map(|k| (i, k));
        }
        if let (Some((start, k)), "E" | "S") = (open, prefix) {
            spans.push((start..i + 1, k));
            open = None;
        }
    }
    if let Some((start, k)) = open {
        spans.push((start..tags.len(), k));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn iob1_spans_follow_conlleval() {
        let tags = [
            "I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG", "O", "B-MISC",
        ];
        assert_eq!(
            iob_spans(&tags),
            vec![
                (0..2, Person),
                (2..3, Person),
                (4..5, Place),
                (5..7, Organisation),
                (8..9, Other)
            ]
        );
        assert_eq!(
            iob_spans(&["B-LOC", "I-LOC", "E-LOC", "S-PER", "O"]),
            vec![(0..3, Place), (3..4, Person)]
        );
    }

    #[test]
    fn reads_documents_and_sentences() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n\
                    -DOCSTART- -X- O O\n\nBonn NNP I-NP I-LOC\n";
        let docs = read_conll(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].words, ["EU", "rejects"]);
        assert_eq!(docs[0].sentences[0].tags, ["I-ORG", "O"]);
        assert_eq!(docs[1].sentences[0].tags, ["I-LOC"]);
    }
}
