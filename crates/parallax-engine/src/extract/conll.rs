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

/// The labelled data of a language as its usual public set writes it, cut into documents:
///
/// - `es`, CoNLL-2002 (word, POS, IOB2 tag): the files have no document marks, so a document starts at each EFE
///   dateline ("Madrid , 25 may ( EFE ) ."), which is how the agency opens every article;
/// - `de`, GermEval 2014 (`index<TAB>token<TAB>outer<TAB>inner` with `#` source lines, or the derived
///   `token<TAB>outer<TAB>inner`): the outer level, each sentence its own document (they come from different
///   pages); `OTH` reads as `MISC`, and the `deriv` and `part` variants ("deutschen", "EU-weit") as `O`, because
///   Parallax's entities are names, not words derived from them;
/// - anything else, CoNLL-2003 columns ([`read_conll`]).
pub fn read_labelled(text: &str, language: &str) -> Vec<ConllDocument> {
    match language {
        "es" => split_at_datelines(read_conll(text)),
        "de" => read_germeval(text),
        _ => read_conll(text),
    }
}

fn split_at_datelines(documents: Vec<ConllDocument>) -> Vec<ConllDocument> {
    let mut out = Vec::new();
    for document in documents {
        let mut current = ConllDocument::default();
        for sentence in document.sentences {
            let head = &sentence.words[..sentence.words.len().min(14)];
            let dateline = head.windows(3).any(|w| w == ["(", "EFE", ")"]);
            if dateline && !current.sentences.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.sentences.push(sentence);
        }
        if !current.sentences.is_empty() {
            out.push(current);
        }
    }
    out
}

fn read_germeval(text: &str) -> Vec<ConllDocument> {
    let mut documents = Vec::new();
    let mut sentence = ConllSentence::default();
    for line in text.lines() {
        let columns: Vec<&str> = line.split('\t').collect();
        // A source line ("#<TAB>url<TAB>[date]<TAB>"), not the token "#" of the three-column copy.
        if columns[0] == "#" && columns.len() != 3 {
            continue;
        }
        let (word, outer) = match columns.as_slice() {
            [_, word, outer, _, ..] => (*word, *outer),
            [word, outer, _] => (*word, *outer),
            _ => {
                if !sentence.words.is_empty() {
                    documents.push(ConllDocument {
                        sentences: vec![std::mem::take(&mut sentence)],
                    });
                }
                continue;
            }
        };
        let tag = match outer.split_once('-') {
            Some((prefix, kind)) => match kind {
                "PER" | "ORG" | "LOC" => outer.to_owned(),
                "OTH" => format!("{prefix}-MISC"),
                _ => "O".to_owned(),
            },
            None => "O".to_owned(),
        };
        sentence.words.push(word.to_owned());
        sentence.tags.push(tag);
    }
    if !sentence.words.is_empty() {
        documents.push(ConllDocument {
            sentences: vec![sentence],
        });
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
    fn reads_germeval_outer_level_and_spanish_articles() {
        let dev = "#\thttp://example.org\t[2010]\t\n1\tDie\tO\tO\n2\tdeutsche\tB-LOCderiv\tO\n\
                   3\tBahn\tB-ORG\tO\n4\tin\tO\tO\n5\tBerlin\tB-LOC\tO\n\n\
                   #\thttp://example.org/2\t[2010]\t\n1\tTatort\tB-OTH\tO\n\n";
        let docs = read_labelled(dev, "de");
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].sentences[0].words,
            ["Die", "deutsche", "Bahn", "in", "Berlin"]
        );
        assert_eq!(docs[0].sentences[0].tags, ["O", "O", "B-ORG", "O", "B-LOC"]);
        assert_eq!(docs[1].sentences[0].tags, ["B-MISC"]);
        let derived = read_labelled("Schartau\tB-PER\tO\nsagte\tO\tO\n\n", "de");
        assert_eq!(derived[0].sentences[0].tags, ["B-PER", "O"]);
        let es = "Madrid NC B-LOC\n, Fc O\n( Fpa O\nEFE NC B-ORG\n) Fpt O\n\nHola NC O\n\n\
                  Lima NC B-LOC\n( Fpa O\nEFE NC B-ORG\n) Fpt O\n";
        let docs = read_labelled(es, "es");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
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
