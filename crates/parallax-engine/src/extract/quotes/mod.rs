//! Quotes and reported speech, with their speakers, cues and intermediaries.
//!
//! # Direct quotes
//!
//! One pass over the text pairs quotation marks: `“ ”`, `„ “` (or `„ ”`), `« »`, `‹ ›`, `‘ ’`, straight `"`
//! (opening after a space or the start of a line, closing otherwise) and the typewriter pair ``` `` '' ```. A
//! single `’` closes a `‘` only when no letter follows, so apostrophes ("Iran’s") never end a quote, and single
//! marks inside double ones are left alone. A quote still open at the end of a paragraph goes on when the next
//! paragraph opens with a quotation mark, as newspapers print quotes that run over several paragraphs; otherwise
//! it is dropped as unbalanced. Each quote is found in time proportional to its length and the attribution looks
//! at a bounded window around it, so the whole pass is linear in the text.
//!
//! # Attribution
//!
//! Around each quote, in this order:
//!
//! 0. a credit line ("- Bernie Sanders.") after a quote standing in a paragraph of its own, and the agent
//!    of a passive cue (`Ruiz was asked by the host, “...”`, `it was called “strategic ambiguity” by Ann Lee`);
//! 1. after it, cue first: `“...,” said Paul Moskal, a spokesman` (speaker up to the next comma or stop, or a name
//!    up to an adverbial: `said Rep. Bo Tate (D-Va.) at the time`);
//! 2. after it, speaker first: `“...,” the embassy said` (speaker is everything between the quote and the cue, or
//!    the name before an age or other apposition: `“...,” Harlan, 61, told`). A cue after a comma and before a
//!    name is inverted (`“...” if it rains, said Ada Ruiz, a pollster`), and an attribution closing the sentence
//!    after a comma speaks for a quote with no cue before it (`... “contempt” for the courts, the group says.`,
//!    `..., according to Jo Hart.`); "according to" never takes a speaker before it;
//! 3. after a quote that ends with a comma, question or exclamation mark, the phrase up to the next verb, any
//!    verb (such a quote leaves its sentence open for the attribution): `“...,” LeVell pleaded`, `“...,” it read`;
//! 4. before it, at the end of the lead-in: `Trump told reporters: “...”`, `According to the mission, “...”`;
//! 5. before it, earlier in the sentence: `X said that Tehran’s “priority is ...”`. The quote is then *mixed*
//!    and its content starts after the cue (and "that"). When the cue is a participle ("saying", "adding"), the
//!    speaker is the subject that opens the sentence: `Iran’s deputy foreign minister ... has held talks ...,
//!    saying that ...`;
//! 6. with no cue at all, the subject of the quote's own sentence (after a dateline, an opening adverbial such
//!    as "On Thursday," or a lead-in paragraph ending with a colon), up to its verb: `Fiorina routinely
//!    characterizes herself as a “change warrior”` gives the words to Fiorina, who uses them. A subject must
//!    name someone (a name, a pronoun, or a writing or body that speaks: `The ad claims “...”`), so scare quotes
//!    stay unattributed. A name before an apposition or relative clause set off by commas is the subject
//!    (`Tate, who leads in delegates, mocked Ruiz for “...”`); a quote inside a relative clause still open goes
//!    to the relative pronoun (`Roffman, who puts his costs “in the seven figures,”`), and one in a later clause
//!    that a conjunction opens to that clause's subject (`..., but the Ruiz campaign rejected it as “ludicrous”`).
//!
//! The speaker phrase follows the newspaper's grammar: titles and initials do not end it ("said retired Army
//! Lt. Gen. Mick Bednarek"); a relative or participle clause before the cue is passed over ("An Israeli
//! official, speaking on condition of anonymity, said"); "But, said Solovey," puts the speaker after the cue;
//! a verb before a preposition makes the preposition a conjunction ("Axelrod tweeted after Clinton argued"
//! gives Clinton); subordinators ("although he told") and adverbs in "-ly" are no part of a speaker; and a
//! cue inside a compound ("so-called") is no cue.
//!
//! The speaker span is the mention nearest the cue, as a reader (and the PolNeAR annotators) would point to it,
//! while the name it stands for is kept apart as the antecedent: a relative pronoun before the cue ("said Beck,
//! who added that ...") is the speaker and the name before it its antecedent; a participle or coordinated cue
//! ("..., Nefzi said, adding", "he called her weak and said") shares the speaker of the finite cue before it, else
//! the subject pronoun of the nearest clause ("even as he defended the plan, saying"), never one inside a reported
//! clause ("said he welcomed"); a quote with no cue goes to that nearest clause subject too. A participle with a
//! subject of its own right before it gives the quote to that subject ("with Gorka noting", "and Trump calling
//! it"). A cue inside a relative clause has the relative pronoun for its speaker ("Beck, who has in the past
//! described Trump as"), unless the clause has a subject of its own ("Bannon, who Beck called"). Opening
//! adverbials ("Here in Dayton,", "Speaking in Salem, New Hampshire,") and a name's apposition are passed over
//! to the sentence's subject. A passive cue ("was asked", "when asked") and a progressive one ("were calling")
//! name no speaker of their own. A time is never a speaker: "hours after Lee said" and "Ruiz last week said" give
//! Lee and Ruiz, and "A month later," or "Monday morning," opens a sentence as an adverbial, as do "Like Tate,",
//! "Across the state," and an opening subordinate clause ("When Tate announced his run, he called them
//! “thugs”": a cue inside that clause does not reach the quote after its comma). A verb and its object before
//! "after" make it a conjunction ("Ruiz issued a statement after Tate told"), and a restrictive relative clause
//! between a subject and its cue ("an aide who spoke on condition of anonymity said") is passed over. "Said Ruiz, “...”" and "as Ruiz put it:" are cues with the speaker after them,
//! as is a cue set off by commas ("The trouble, says Ada Ruiz, is"). A name opening a clause before appositions set
//! off by commas ("Cory Dane, 22, of Flint, Mich., said") is the speaker, and so is one after the quote (`“...,”
//! Ada Brooks, lawyer for the groups that sued, said`) or after any verb there (`“...,” agrees Mia Stone`). A quote
//! after its own cue keeps it over a later attribution of the same sentence, unless it leaves the sentence open.
//!
//! After the cue, `, quoting X` or `, citing X` hands the quote to X and keeps the first speaker as `via`: "the
//! embassy said, quoting the deputy foreign minister" is the minister's quote via the embassy; X must name someone
//! who speaks ("citing weak exports" or "citing the many Americans who gave up" gives a reason, not a source).
//! `“...,” Welch said, according to Vermont Public Radio` keeps Welch as the speaker and the station as `via`. A
//! quote with no
//! attribution of its own that opens a sentence (or a paragraph) right after an attributed quote of the same
//! paragraph, or of the one before, continues it (`“One,” he said. “Two.”`); a quote inside a sentence of its
//! own is never a continuation, but one split by its attribution goes on after it (`“One,” said Adams, “two.”`).
//! A curly quote may close with a straight mark that hugs its last word, and a straight one with a curly mark, as
//! texts mixing styles do. A short quote with no speaker (a scare quote, a title)
//! is not reported.
//!
//! # Indirect speech
//!
//! A sentence without quotation marks that holds a cue is reported speech: `Zakharova said (that) a team was in
//! Moscow` (content after the cue), `A team was in Moscow, Zakharova said.` (content before the speaker).
//!
//! # Pronouns
//!
//! A speaker that is a personal pronoun ("he said") is flagged, and its antecedent is guessed as the most recent
//! speaker named with a capitalised word before it; the entity stage may overrule the guess.

use std::sync::LazyLock;

use parallax_model::{Quote, QuoteKind, Speaker, TextSpan};

use super::names::WEEKDAYS_AND_MONTHS;
use regex::Regex;

/// Words that report speech, in lower case ("the United States" is no cue) but for "Said" opening an inverted
/// sentence ("Said Ruiz, “...”"; "Says" is left out, as headlines in title case use it): the past, present and "-ing" forms of the verbs newspapers use for it,
/// and "puts it" ("as Ruiz put it:"), longest first. Base forms and "-s" forms that are mostly nouns ("claims",
/// "reports", "calls") are left out; the past forms cover those verbs. Participles in "-ing" make the sentence's
/// subject the speaker.
const CUES: &str = r"[Aa]ccording\s+to|puts\s+it|put\s+it|characterizing|pointing\s+out|acknowledging|characterised|characterized|characterizes|pointed\s+out|acknowledged|acknowledges|points\s+out|complaining|criticising|criticizing|emphasising|emphasizing|maintaining|proclaiming|reiterating|threatening|announcing|cautioning|complained|concluding|confirming|contending|continuing|criticised|criticized|describing|emphasised|emphasises|emphasized|emphasizes|explaining|going\s+on|maintained|predicting|proclaimed|recounting|reiterated|reiterates|responding|suggesting|testifying|threatened|admitting|announced|announces|asserting|cautioned|complains|conceding|concluded|concludes|confirmed|contended|continued|continues|countered|declaring|demanding|described|describes|exclaimed|explained|goes\s+on|insisting|lamenting|maintains|observing|predicted|proclaimed|recalling|recounted|responded|revealing|stressing|suggested|testified|testifies|went\s+on|whispered|accusing|admitted|alleging|answered|asserted|assuring|boasting|cautions|chanting|claiming|conceded|concedes|confirms|contends|declared|declares|demanded|explains|insisted|labelled|lamented|observed|observes|pledging|predicts|promised|recalled|recounts|remarked|repeated|replying|reported|responds|retorted|revealed|stressed|stresses|suggests|tweeting|accused|accuses|advised|alleged|alleges|arguing|asserts|assured|assures|boasted|branded|calling|chanted|claimed|denying|insists|labeled|laments|pledged|praised|quipped|recalls|replied|replies|reveals|shouted|telling|touting|tweeted|warning|writing|adding|admits|agreed|argued|argues|asking|boasts|called|denied|denies|dubbed|noting|opined|posted|saying|stated|touted|urging|vowing|warned|writes|yelled|added|asked|joked|mused|noted|notes|tells|urged|urges|vowed|warns|wrote|adds|asks|said|says|tell|told|say|Said|write|argue|insist|contend";

/// A cue as a whole word.
static CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?-u:\b)(?:{CUES})(?-u:\b)")).expect("cue pattern compiles")
});
/// A cue right at the start of the text after a quote.
static CUE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[\s,]*(?:{CUES})(?-u:\b)")).expect("cue pattern compiles")
});
/// A cue closing the lead-in to a quote: "said:", "told reporters,", "according to the mission,".
static CUE_LAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<cue>{CUES})(?P<obj>(?:\s+(?:reporters|journalists|the\s+\w+|him|her|them|us|me|\p{{Lu}}[\w.-]*)){{0,2}})\s*(?:[,:]\s*)?(?:that\s*)?$"
    ))
    .expect("cue pattern compiles")
});
/// "quoting X" / "citing X" right after a cue.
static VIA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*(?:quoting|citing)\s+(?P<np>[^,;:.!?“”«»\n]{1,100})")
        .expect("via pattern compiles")
});
/// A passive cue of speech with its agent: "was asked by ", "is quoted by ".
static PASSIVE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:is|are|was|were|been|being)\s+(?:[a-z]+ly\s+)?(?:asked|told|called|described|labell?ed|dubbed|branded|quoted|characterized)\s+by\s+")
        .expect("passive pattern compiles")
});
/// A passive participle of naming right before a quote: "has been called ", "often labeled as a ".
static PASSIVE_BEFORE_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:called|described|labell?ed|dubbed|branded|characterized)(?:\s+as)?(?:\s+an?)?\s*$",
    )
    .expect("passive pattern compiles")
});
/// ", according to X" right after a cue (and perhaps a short adverbial: "said Monday, according to X").
static ACCORDING_VIA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^,.;:!?“”\n]{0,40},\s*according\s+to\s+(?P<np>[^,;:.!?“”«»\n]{1,100})")
        .expect("according pattern compiles")
});
/// A verb in "-s" or "-ed" right after a quote and before a capitalised name: `,” agrees Michelle Stevens`.
static INVERTED_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*(?P<verb>[a-z]{3,}(?:s|ed))\s+\p{Lu}")
        .expect("inverted verb pattern compiles")
});
/// A parenthetical adverb set off by commas at the end of a subject: ", however,", ", meanwhile".
static PARENTHETICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:however|meanwhile|too|though|instead|in turn|in fact|of course|once again|again|for (?:his|her|their|its) part),?\s*$")
        .expect("parenthetical pattern compiles")
});
/// A dateline opening a paragraph: "TEHRAN- ", "MOSCOW, October 27. /TASS/. ", "WASHINGTON (AP) -- ",
/// "LONDON, Dec. 8 (UPI) — ".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[\p{Lu}][\p{Lu} .,'-]{1,40}(?:\p{Lu}[a-z]{2,8}\.?\s+\d{1,2}\s*)?(?:\([^)]{1,20}\))?\s*(?:[-—–]+|:)\s*")
        .expect("dateline pattern compiles")
});

/// Nouns for writings and bodies that speak for someone: "The ad claims “...”", "the statement read".
const SPEAKING_THINGS: [&str; 30] = [
    "ad",
    "ads",
    "email",
    "letter",
    "statement",
    "report",
    "document",
    "memo",
    "post",
    "tweet",
    "editorial",
    "release",
    "complaint",
    "lawsuit",
    "filing",
    "ruling",
    "order",
    "study",
    "poll",
    "survey",
    "video",
    "website",
    "message",
    "campaign",
    "group",
    "committee",
    "commission",
    "agency",
    "spokesman",
    "spokeswoman",
];

/// Nouns for people who speak as a group: "Critics call it “a boondoggle”", "policymakers fear its “isolationist”
/// turn".
const SPEAKING_PEOPLE: [&str; 16] = [
    "critics",
    "officials",
    "lawmakers",
    "legislators",
    "policymakers",
    "voters",
    "supporters",
    "opponents",
    "protesters",
    "demonstrators",
    "experts",
    "analysts",
    "leaders",
    "advisers",
    "aides",
    "activists",
];

/// Words that open an adverbial before a sentence's subject: "On Thursday, Cruz said", "When asked, she said".
const ADVERBIAL: [&str; 29] = [
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "when",
    "while",
    "last",
    "earlier",
    "later",
    "since",
    "asked",
    "speaking",
    "but",
    "and",
    "if",
    "as",
    "although",
    "because",
    "even",
    "though",
    "like",
    "unlike",
    "across",
    "amid",
    "despite",
    "throughout",
    "until",
];

/// Whether a sentence's first word is a participle opening an adverbial clause: "Filling in for Sanders, West
/// said", "Asked about it, she said".
fn opens_with_participle(first: &str) -> bool {
    first.starts_with(char::is_uppercase)
        && first.len() > 5
        && (first.ends_with("ing") || first.ends_with("ed"))
        && first[1..].chars().all(|c| c.is_lowercase())
}

/// Words that may open a clause before its subject: "But, said Solovey".
const LEADING_WORDS: [&str; 6] = ["but", "and", "so", "yet", "still", "then"];

const PRONOUNS: [&str; 9] = ["he", "she", "they", "it", "we", "i", "you", "He", "She"];

/// How far around a quote the attribution is looked for, in bytes.
const WINDOW: usize = 300;
/// Quotes shorter than this many words are reported only with a speaker.
const MIN_UNATTRIBUTED_WORDS: usize = 5;

/// Finds every quote and piece of reported speech in `text`, in text order.
///
/// ```
/// use parallax_engine::extract::find_quotes;
///
/// let text = "\"Tehran wants a ceasefire,\" the embassy said, quoting the deputy foreign minister.";
/// let quote = &find_quotes(text)[0];
/// assert_eq!(quote.speaker.as_ref().unwrap().span.text, "the deputy foreign minister");
/// assert_eq!(quote.via.as_ref().unwrap().span.text, "the embassy");
/// ```
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut last_named: Option<TextSpan> = None;
    let mut previous: Option<(usize, Option<Speaker>, Option<TextSpan>)> = None; // end, speaker, cue
    let marks = pair_quotation_marks(text);
    // Every cue of the text, found once: each quote then looks its neighbours up instead of searching again.
    // A cue inside a compound ("so-called", "well-said") is no cue.
    let cues: Vec<(usize, usize)> = CUE
        .find_iter(text)
        .filter(|m| !text[..m.start()].ends_with('-') && !text[m.end()..].starts_with('-'))
        .filter(|m| !is_passive(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut next_mark = 0;
    let mut covered_until = 0;
    for (start, end) in sentences(text) {
        let sentence_has_quote = next_mark < marks.len() && marks[next_mark].0 < end;
        if !sentence_has_quote {
            if start < covered_until {
                continue;
            }
            if let Some(mut q) = indirect_speech(text, &cues, start, end) {
                resolve_pronoun(text, &mut q, &mut last_named);
                previous = Some((q.content.end, q.speaker.clone(), q.cue.clone()));
                quotes.push(q);
            }
            continue;
        }
        while next_mark < marks.len() && marks[next_mark].0 < end {
            let (open, close) = marks[next_mark];
            next_mark += 1;
            covered_until = covered_until.max(close);
            let mut quote = attribute_direct(text, &cues, open, close);
            // `“One,” said Adams, “two.”`: a quote after a comma that closes the previous quote's attribution
            // goes on with that quote.
            if quote.speaker.is_none()
                && let Some((prev_end, Some(speaker), cue)) = &previous
            {
                let gap = &text[*prev_end..open];
                if gap.len() < WINDOW
                    && gap.trim_end().ends_with(',')
                    && !gap.contains(['\n', '“', '”', '"'])
                    && (*prev_end..open).contains(&speaker.span.start)
                {
                    quote.speaker = Some(speaker.clone());
                    quote.cue = cue.clone();
                }
            }
            if quote.speaker.is_none()
                && let Some(sp) = subject_before_quote(text, open)
            {
                quote.speaker = Some(make_speaker(text, sp.0, sp.1));
            }
            if quote.speaker.is_none() {
                // A quote that opens a sentence right after an attributed one continues it.
                if let Some((prev_end, speaker, cue)) = &previous {
                    let gap = &text[*prev_end..open];
                    if gap.len() < 2 * WINDOW
                        && gap.matches("\n\n").count() <= 2
                        && speaker.is_some()
                        && opens_sentence(gap)
                    {
                        quote.speaker = speaker.clone();
                        quote.cue = cue.clone();
                    }
                }
            }
            let words = text[open..close].split_whitespace().count();
            if quote.speaker.is_none() && words < MIN_UNATTRIBUTED_WORDS {
                continue;
            }
            resolve_pronoun(text, &mut quote, &mut last_named);
            previous = Some((close, quote.speaker.clone(), quote.cue.clone()));
            quotes.push(quote);
        }
    }
    quotes.sort_by_key(|q| q.content.start);
    quotes
}

/// The gap between two quotes ends a sentence and the second quote opens the next: `,” he said. “` or a new
/// paragraph that starts with the quotation mark. A quote inside a sentence of its own (`Fiorina calls herself a
/// “change warrior”`) is not a continuation, however close the previous quote is.
fn opens_sentence(gap: &str) -> bool {
    let trimmed = gap.trim_end();
    let trimmed = trimmed
        .trim_end_matches(['“', '"', '«', '„', '‘', '`'])
        .trim_end();
    trimmed.is_empty()
        || trimmed.ends_with(['.', '!', '?', ':'])
        || gap.rfind('\n').is_some_and(|nl| trimmed.len() <= nl)
}

/// Pairs quotation marks into `(open, close)` byte ranges, closing marks included, in one pass.
pub(crate) fn pair_quotation_marks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // (start of the quote, the closing marks it accepts, whether it is a single-mark quote)
    let mut open: Option<(usize, &'static [char], bool)> = None;
    let mut paragraph_open_at_break = false;
    let mut chars = text.char_indices().peekable();
    let mut prev: char = '\n';
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c == '\n' {
            // A blank line ends a paragraph: an open quote survives only if the next paragraph reopens it.
            if next == Some('\n') && open.is_some() && !paragraph_open_at_break {
                let rest = text[i..].trim_start();
                let reopens = rest.starts_with(['“', '"', '«', '„', '‘']) || rest.starts_with("``");
                if reopens {
                    paragraph_open_at_break = true;
                } else {
                    open = None;
                }
            }
            prev = c;
            continue;
        }
        if paragraph_open_at_break {
            // The reopening mark of a continued quote: skip it.
            if matches!(c, '“' | '"' | '«' | '„' | '‘' | '`') {
                if c == '`' {
                    chars.next_if(|&(_, n)| n == '`');
                }
                paragraph_open_at_break = false;
                prev = c;
                continue;
            }
            if !c.is_whitespace() {
                paragraph_open_at_break = false;
            }
        }
        match open {
            None => {
                let opener: Option<(&'static [char], bool)> = match c {
                    // Texts that mix styles close a curly quote with a straight mark and the other way round.
                    '“' => Some((&['”', '“', '"'], false)),
                    '„' => Some((&['“', '”'], false)),
                    '«' => Some((&['»'], false)),
                    '‹' => Some((&['›'], false)),
                    '‘' => Some((&['’'], true)),
                    // A straight quote may close with a curly mark that hugs its last word (`"...,” he said`).
                    '"' if !prev.is_alphanumeric() && next.is_some_and(|n| !n.is_whitespace()) => {
                        Some((&['"', '”'], false))
                    }
                    '`' if next == Some('`') => {
                        chars.next();
                        Some((&['\''], false))
                    }
                    _ => None,
                };
                if let Some((closers, single)) = opener {
                    open = Some((i, closers, single));
                }
            }
            Some((start, closers, single)) => {
                let closes = closers.contains(&c)
                    && match c {
                        '’' => !next.is_some_and(|n| n.is_alphanumeric()),
                        // A mark of the other style closes only when it hugs the last word: `benefit,"`.
                        '"' if closers[0] != '"' => {
                            !prev.is_whitespace() && !next.is_some_and(|n| n.is_alphanumeric())
                        }
                        '”' if closers[0] == '"' => !prev.is_whitespace(),
                        '\'' => next == Some('\''),
                        _ => true,
                    };
                if closes {
                    let mut end = i + c.len_utf8();
                    if c == '\'' {
                        chars.next();
                        end += 1;
                    }
                    out.push((start, end));
                    open = None;
                } else if (single || closers[0] == '"') && c == '“' {
                    // A curly mark inside a single-quoted or straight-quoted stretch: the first mark was an
                    // apostrophe or a stray.
                    open = Some((i, &['”', '“', '"'], false));
                }
            }
        }
        prev = c;
    }
    out
}

/// Sentence ranges, found in one pass: a stop, question or exclamation mark followed by a space and a capital or
/// an opening quotation mark, or a blank line. Quotation marks are not looked into, so a sentence holds its quotes.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_double = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '“' | '«' | '„' => in_double = true,
            '”' | '»' => in_double = false,
            '"' => in_double = !in_double,
            '\n' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {
                in_double = false;
                if i > start {
                    out.push((start, i));
                }
                start = i + 1;
            }
            '.' | '!' | '?' if !in_double => {
                let rest = &text[i + 1..];
                let mut r = rest.chars();
                let ends = match (r.next(), r.next()) {
                    (Some(w), Some(n)) if w.is_whitespace() => {
                        n.is_uppercase() || matches!(n, '“' | '"' | '«' | '‘')
                    }
                    _ => false,
                };
                if ends {
                    out.push((start, i + 1));
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Finds who said the quote `open..close` (marks included) and how.
fn attribute_direct(text: &str, cues: &[(usize, usize)], open: usize, close: usize) -> Quote {
    let mut quote = Quote {
        content: TextSpan::of(text, open, close),
        kind: QuoteKind::Direct,
        speaker: None,
        cue: None,
        via: None,
        sentence: 0,
    };
    let after_end = clip_end(text, close, WINDOW);
    // A quote that ends its sentence with a stop ("... ends.”) is not attributed by what follows it.
    let ends_sentence = text[open..close]
        .trim_end_matches(['”', '"', '»', '’', '\'', ' '])
        .ends_with('.');
    let after = if ends_sentence {
        // `“... are missing.” Trump said.`: a stop inside the quote where a comma belongs, and the rest of the
        // sentence is no more than a name or pronoun and its cue.
        let rest = sentence_rest(&text[close..after_end]);
        let words: Vec<&str> = rest.split_whitespace().collect();
        let attribution = (2..=4).contains(&words.len())
            && !rest.contains(['“', '”', '"', ',', '\n'])
            && (words[0].starts_with(char::is_uppercase) || PRONOUNS.contains(&words[0]))
            && CUE
                .find(rest)
                .is_some_and(|m| m.end() == rest.trim_end().len());
        if attribution { rest } else { "" }
    } else {
        sentence_rest(&text[close..after_end])
    };
    // 0. A credit line after the quote: `“...”⏎⏎- Bernie Sanders.` or `“...” — Jo Hart, Reno`.
    if let Some(name) = credit_line(text, open, close) {
        set_speaker(&mut quote, text, name, name.1);
        return quote;
    }
    // 0b. A passive cue with its agent: `Ruiz was asked by host Jo Hart, “...”`, `it has been called “strategic
    // ambiguity” by Ann Lee`. The one after "by" speaks.
    if let Some(agent) = passive_agent(text, open, close) {
        set_speaker(&mut quote, text, agent, agent.1);
        return quote;
    }
    // 1. Cue first: ", said Paul Moskal, a spokesman".
    if let Some(m) = CUE_FIRST.find(after) {
        let lead = m.end() - after[..m.end()].trim_start_matches([' ', ',', '\n']).len();
        let cue = trim_span(text, close + lead, close + m.end());
        let rest = &after[m.end()..];
        let np_end = phrase_end(rest);
        // "said Rep. Bo Tate at the time": a name before an adverbial, else the phrase up to a comma or stop.
        if let Some(sp) = name_after_cue(text, cue.start, cue.end)
            .or_else(|| trim_span_opt(text, close + m.end(), close + m.end() + np_end))
            .filter(|&sp| plausible_speaker(text, sp))
        {
            quote.cue = Some(cue);
            set_speaker(&mut quote, text, sp, close + m.end() + np_end);
            return quote;
        }
    }
    // 1b. Any verb first after a quote left open: `“...,” agrees Michelle Stevens`, `“...,” adds Sen. Reed`.
    let inside = text[open..close].trim_end_matches(['”', '"', '»', '’', '\'', '“', ' ']);
    if inside.ends_with([',', '?', '!'])
        && let Some(c) = INVERTED_VERB.captures(after)
    {
        let verb = c.name("verb").expect("verb group");
        let rest = &after[verb.end()..];
        let np_end = verb.end() + phrase_end(rest);
        if let Some(sp) = trim_span_opt(text, close + verb.end(), close + np_end)
            .filter(|&sp| plausible_speaker(text, sp))
            .filter(|&(s, _)| text[s..].starts_with(char::is_uppercase))
        {
            set_speaker(&mut quote, text, sp, close + np_end);
            return quote;
        }
    }
    // 2. Speaker first: ", the embassy said".
    // A participle after the quote ("..., before predicting") has no subject between the two.
    if let Some(&(cue_start, cue_end)) = cues_in(cues, close, close + after.len()).first()
        && !text[cue_start..cue_end].ends_with("ing")
    {
        let m = (cue_start - close)..(cue_end - close);
        let between = &after[..m.start];
        let words = between.split_whitespace().count();
        // `“...” if she lost, said Dan Ruiz, an analyst`: a cue after a comma and before a name is inverted, and
        // the speaker follows it.
        if between.trim_end().ends_with(',')
            && !between.contains(['“', '”', '"'])
            && let Some(sp) = name_after_cue(text, cue_start, cue_end)
        {
            quote.cue = Some(TextSpan::of(text, cue_start, cue_end));
            set_speaker(&mut quote, text, sp, sp.1);
            return quote;
        }
        // `“...” fostered by its rivals, the group says.` and `..., according to Ann Lee.`: an attribution that
        // closes the sentence after a comma speaks for the whole sentence, when no cue stands before the quote.
        if let Some(sp) =
            sentence_final_speaker(text, cues, (open, close), (cue_start, cue_end), after)
        {
            quote.cue = Some(TextSpan::of(text, cue_start, cue_end));
            set_speaker(&mut quote, text, sp, cue_end.max(sp.1));
            return quote;
        }
        // "..., the embassy said" takes all before the cue; "... ignored, and in a vote he said" the phrase
        // right before it.
        let inner_comma = between.trim_start_matches([' ', ',']).contains(',');
        // `“...,” Sarandon, 69, told` and `“...,” McConnell, R-Ky., said`: a name before appositions set off by
        // commas is the speaker.
        let span = if inner_comma && !between.trim_start().starts_with(',') {
            name_before_apposition(text, close, close + m.start)
                .or_else(|| noun_phrase_before(text, close, close + m.start))
        } else {
            trim_span_opt(text, close, close + m.start)
        };
        // "..." compared to only 24 percent who said otherwise": a verb right after the quote opens a clause
        // of its own, not the speaker.
        let clause = between
            .trim_start_matches([' ', ','])
            .split_whitespace()
            .next()
            .is_some_and(|w| {
                w.starts_with(char::is_lowercase)
                    && w.len() > 4
                    && (w.ends_with("ed") || w.ends_with("ing"))
            });
        // A quote that leaves its sentence open (`“...,” he said`, `“...”, he said`) or has no cue before it
        // (`“...” in the legislature, he said`) takes the attribution after it. In `Comey said Clinton was
        // “extremely careless” and mishandled it, he said` the quote belongs to the cue before it.
        let inside = text[open..close].trim_end_matches(['”', '"', '»', '’', '\'', '“', ' ']);
        let left_open = inside.ends_with([',', '?', '!', '—', '-', '–', ':', ';'])
            || between.trim_start().starts_with([',', '—', '–'])
            || {
                let from = clip_start(text, open, WINDOW);
                let lead = sentence_tail(&text[from..open]);
                cues_in(cues, open - lead.len(), open).is_empty()
            };
        // "According to" has its speaker after it, never before.
        let according = is_according(&text[cue_start..cue_end]);
        if (1..=12).contains(&words)
            && !clause
            && !according
            && left_open
            && !between.contains(['“', '”', '"'])
            && let Some(sp) = span.filter(|&sp| plausible_speaker(text, sp))
        {
            quote.cue = Some(TextSpan::of(text, close + m.start, close + m.end));
            set_speaker(&mut quote, text, sp, close + m.end);
            return quote;
        }
        // `“...,” Robert McDuff, attorney for one of the groups that sued, said`: a name and a long apposition.
        if left_open
            && !according
            && !between.contains(['“', '”', '"', '.'])
            && let Some(sp) = name_before_apposition(text, close, close + m.start)
        {
            quote.cue = Some(TextSpan::of(text, close + m.start, close + m.end));
            set_speaker(&mut quote, text, sp, close + m.end);
            return quote;
        }
    }
    // 2b. Any verb after a quote that ends with a comma, question or exclamation mark: `“...,” LeVell assured the
    // crowd`, `“...,” it read`. Such a quote leaves its sentence open for the attribution, so the phrase
    // between it and the next verb is the speaker; unless a cue before the quote in its sentence has it
    // already (`He says no one is “on pace to win,” the number needed`).
    let inside = text[open..close].trim_end_matches(['”', '"', '»', '’', '\'', '“', ' ']);
    let (lead_start, _) = sentence_before(text, open);
    if inside.ends_with([',', '?', '!'])
        && cues_in(cues, lead_start, open).is_empty()
        && let Some((sp, verb_end)) = speaker_before_verb(text, close, close + after.len())
    {
        set_speaker(&mut quote, text, sp, verb_end);
        return quote;
    }
    // 3 and 4: before the quote, in the same sentence.
    let (base, before) = sentence_before(text, open);
    // "Pamela Padilla, Phoenix: “...”" and transcripts ("WALLACE: ..."): a short name and a colon.
    let lead_in = before.trim_end();
    if let Some(name) = lead_in.strip_suffix(':') {
        let words = name.split_whitespace().count();
        if (1..=6).contains(&words)
            && !CUE.is_match(name)
            && let Some(sp) = trim_span_opt(text, base, base + name.len())
                .filter(|&sp| plausible_speaker(text, sp))
        {
            set_speaker(&mut quote, text, sp, base + name.len());
            return quote;
        }
    }
    // "When Tate announced his run, he called them “thugs”": a cue inside an opening subordinate clause reports
    // what that clause says; the quote after its comma belongs to the main clause.
    let all_before = cues_in(cues, after_opening_clause(text, cues, base, open), open);
    // "Trump said his rivals were calling “every ten minutes.”": a progressive "-ing" yields to an earlier cue.
    let progressive_last = all_before
        .last()
        .is_some_and(|&(cs, _)| all_before.len() > 1 && is_progressive(text, base, cs));
    let cues_before = if progressive_last {
        &all_before[..all_before.len() - 1]
    } else {
        all_before
    };
    if cues_before.is_empty() {
        return quote;
    }
    if let Some(c) = CUE_LAST.captures(before).filter(|_| !progressive_last) {
        let cue = c.name("cue").expect("cue group");
        let (cs, ce) = (base + cue.start(), base + cue.end());
        // "But, said Solovey, “...”": a cue opening its clause has its speaker after it.
        let obj = c.name("obj").expect("obj group");
        let opens_clause = before[..cue.start()]
            .trim_end()
            .trim_end_matches(',')
            .split_whitespace()
            .all(|w| LEADING_WORDS.contains(&w.to_ascii_lowercase().as_str()));
        if opens_clause
            && obj.as_str().trim_start().starts_with(char::is_uppercase)
            && let Some(sp) = trim_span_opt(text, base + obj.start(), base + obj.end())
        {
            quote.cue = Some(TextSpan::of(text, cs, ce));
            set_speaker(&mut quote, text, sp, ce);
            return quote;
        }
        if let Some(sp) = speaker_for_cue(text, base, cs).filter(|&sp| plausible_speaker(text, sp))
        {
            quote.cue = Some(TextSpan::of(text, cs, ce));
            set_speaker(&mut quote, text, sp, ce);
        }
        return quote;
    }
    if let Some(&(cs, ce)) = cues_before.last()
        && let Some(sp) = speaker_for_cue(text, base, cs).filter(|&sp| plausible_speaker(text, sp))
    {
        quote.cue = Some(TextSpan::of(text, cs, ce));
        set_speaker(&mut quote, text, sp, ce);
        // The reported clause runs from after the cue (and "that") into the quote; after the speaker where the
        // speaker follows the cue ("The trouble, says Lin Moss, is that").
        let ce = if sp.0 >= ce && sp.1 <= open {
            sp.1.max(ce)
        } else {
            ce
        };
        let after_cue = &text[ce..open];
        let skip = after_cue.len() - after_cue.trim_start_matches([' ', ',', ':']).len();
        let mut content_start = ce + skip;
        if text[content_start..open].starts_with("that ") {
            content_start += "that ".len();
        }
        // "Said Ruiz, who grew up there, “...”": nothing but the speaker stands between an opening cue and the
        // quote.
        let inverted_opening = sp.0 >= cs && text[base..cs].trim().is_empty();
        // "Ruiz called them on it: “...”": a colon hands over to the quote itself.
        let colon = text[content_start..open].trim_end().ends_with(':');
        if content_start < open && !inverted_opening && !colon {
            quote.kind = QuoteKind::Mixed;
            quote.content = TextSpan::of(text, content_start, close);
        }
    }
    quote
}

/// The speaker of a cue at `cue_start`, looking back no further than `from`: the sentence's subject for a
/// participle ("..., saying that"), else the noun phrase right before the cue.
fn speaker_for_cue(text: &str, from: usize, cue_start: usize) -> Option<(usize, usize)> {
    let cue_word = text[cue_start..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    if cue_word == "according" {
        // "According to the mission, ...": the speaker follows the cue.
        let rest = &text[cue_start..];
        let to = rest.find(" to ").map(|i| i + 4)?;
        let np = &rest[to..];
        let end = np
            .find([',', ';', ':', '.', '“', '"', '\n'])
            .unwrap_or(np.len())
            .min(120);
        let end = floor_boundary(np, end);
        return trim_span_opt(text, cue_start + to, cue_start + to + end);
    }
    if cue_word.ends_with("ing") {
        // "Fox executives were calling": a progressive verb has its subject right before it, not the sentence's.
        if is_progressive(text, from, cue_start) {
            let lead = text[from..cue_start].trim_end();
            let aux = lead.rsplit(char::is_whitespace).next().unwrap_or("");
            // "Sanders, celebrating a victory, is pledging": the auxiliary's subject, found as for any finite cue.
            return speaker_for_cue(text, from, from + lead.len() - aux.len());
        }
        // "..., with Gorka noting", "and Trump calling it": a participle with a subject of its own.
        if let Some(subject) = absolute_subject(text, from, cue_start) {
            return Some(subject);
        }
        // "..., Nefzi said, adding": the subject of the cue before it; "Christie acknowledged it even as he
        // defended the campaign, saying": the nearest clause's subject.
        return subject_of_earlier_cue(text, from, cue_start)
            .or_else(|| last_clause_pronoun(text, from, cue_start))
            .or_else(|| {
                sentence_subject(text, from, cue_start).filter(|&sp| plausible_speaker(text, sp))
            })
            .or_else(|| noun_phrase_before(text, from, cue_start));
    }
    // "The trouble, says Ada Ruiz, is that" and "Said Ruiz, “...”": a cue set off by commas, or opening the
    // sentence, before a name has its speaker after it.
    let lead = text[from..cue_start].trim_end();
    if (lead.ends_with([',', '”', '"']) || lead.trim_start().is_empty())
        && let Some(name) = name_after_cue(text, cue_start, cue_start + cue_word.len())
    {
        return Some(name);
    }
    // "said Beck, who added that": a relative pronoun right before the cue is the local speaker; its antecedent
    // is filled in by `make_speaker`.
    if let Some(who) = relative_pronoun_before(text, from, cue_start) {
        return Some(who);
    }
    // "an official who spoke on condition of anonymity to discuss strategy said": a restrictive relative clause
    // with a verb of its own stands between the subject and the cue.
    if let Some(subject) = subject_before_restrictive_clause(text, from, cue_start) {
        return Some(subject);
    }
    // "Mr. Sharpton, who hosts a radio program, said" and "An Israeli official, speaking on the condition of
    // anonymity, said" (or "also speaking"): the speaker is the phrase before the relative or participle clause.
    let lead = &text[from..cue_start];
    if let Some(inner) = lead.trim_end().strip_suffix(',')
        && let Some(comma) = inner.rfind(", ")
        && inner[comma + 2..]
            .split_whitespace()
            .find(|w| !matches!(*w, "also" | "still" | "then" | "now" | "again" | "once"))
            .is_some_and(|w| w.len() > 4 && w.ends_with("ing") && w.starts_with(char::is_lowercase))
        && inner[comma..].len() < 150
        && !inner[comma..].contains(['.', ';', '“', '”', '"'])
    {
        return noun_phrase_before(text, from, from + comma);
    }
    if let Some(who) = [", who ", ", who’s ", ", who's "]
        .iter()
        .filter_map(|w| lead.rfind(w))
        .max()
    {
        let between = &lead[who..];
        // "Obama, who he noted was" and "Bannon, who Beck on Wednesday called": the relative clause has a subject
        // of its own, the speaker.
        let own_subject = between
            .trim_start_matches([',', ' '])
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| {
                matches!(w, "he" | "she" | "they" | "we" | "I") || w.starts_with(char::is_uppercase)
            });
        if !own_subject && between.matches(',').count() <= 2 && !between.contains(['.', ';']) {
            // "Beck, who has in the past described Trump as": a cue inside the relative clause has the relative
            // pronoun for its subject, the mention nearest the cue.
            if between.matches(',').count() == 1 && !between.contains(['—', '–', '(']) {
                let at = from + who + 2;
                return Some((at, at + 3));
            }
            return noun_phrase_before(text, from, from + who);
        }
    }
    // "Cory James, 22, of Flint, Mich., said" and "Tester, himself up for reelection, said": the name opening
    // the clause, before appositions set off by commas.
    if lead.trim_end().ends_with(',')
        && let Some(name) = name_before_apposition(text, from, cue_start)
    {
        return Some(name);
    }
    // "Lazar said he welcomed it and added, “...”": a cue coordinated with an earlier verb shares its subject,
    // adverbs between them or not ("and then tweeted", "and reportedly argued").
    let last = lead
        .split_whitespace()
        .rev()
        .find(|w| {
            let adverb = w.len() > 4 && w.ends_with("ly") && w.starts_with(char::is_lowercase);
            !adverb && !matches!(*w, "then" | "also" | "later" | "often" | "once" | "again")
        })
        .unwrap_or("");
    if matches!(last, "and" | "but")
        && let Some(subject) = subject_of_earlier_cue(text, from, cue_start)
            .or_else(|| last_clause_pronoun(text, from, cue_start))
            .or_else(|| {
                sentence_subject(text, from, cue_start).filter(|&sp| plausible_speaker(text, sp))
            })
    {
        return Some(subject);
    }
    noun_phrase_before(text, from, cue_start)
}

/// The subject of a participle cue at `cue_start` that has one of its own, right before it with no comma between:
/// "with Gorka noting", "and Trump calling it". The phrase opens after "with", "and",
/// "but", "while", a comma, a dash or the start of the sentence, names someone (a capitalised word, or a
/// determiner and a noun) and holds no verb ("kept calling", "before saying" have none).
fn absolute_subject(text: &str, from: usize, cue_start: usize) -> Option<(usize, usize)> {
    const OPENERS: [&str; 6] = ["with", "and", "but", "while", "—", "–"];
    const DETERMINERS: [&str; 11] = [
        "a", "an", "the", "one", "some", "his", "her", "its", "their", "another", "many",
    ];
    let lead = &text[from..cue_start];
    if lead
        .trim_end()
        .ends_with([',', ':', ';', '—', '–', '-', '('])
    {
        return None;
    }
    let words: Vec<(usize, &str)> = word_spans(lead).collect();
    let mut end = words.len();
    // "with Cruz recently promising": an adverb before the participle is no part of the subject.
    while end > 0 && {
        let w = words[end - 1].1;
        w.len() > 4 && w.ends_with("ly") && w.starts_with(char::is_lowercase)
    } {
        end -= 1;
    }
    // Not after a verb: "issued a statement saying" gives the quote to whoever issued it.
    let opens = |w: &str| {
        OPENERS.contains(&w.to_ascii_lowercase().as_str())
            || (w.ends_with([',', ';', ':']) && !is_abbreviation(w))
    };
    let mut start = end;
    while start > 0 && end - start < 8 && !opens(words[start - 1].1) {
        start -= 1;
    }
    if start == end {
        return None;
    }
    // "with many marchers and spectators chanting": an "and" inside the subject joins two nouns.
    if start > 1
        && words[start - 1].1 == "and"
        && words[start].1.starts_with(char::is_lowercase)
        && !DETERMINERS.contains(&words[start].1)
    {
        let mut earlier = start - 1;
        while earlier > 0 && end - earlier < 8 && !opens(words[earlier - 1].1) {
            earlier -= 1;
        }
        if earlier < start - 1 {
            start = earlier;
        }
    }
    if start == end {
        return None;
    }
    let opened = start > 0 && opens(words[start - 1].1);
    let phrase: Vec<&str> = words[start..end].iter().map(|&(_, w)| w).collect();
    let first = phrase[0].to_ascii_lowercase();
    let names = phrase[0].starts_with(char::is_uppercase) || DETERMINERS.contains(&first.as_str());
    let verb = phrase.iter().any(|w| {
        w.starts_with(char::is_lowercase)
            && (is_verb_like(&w.to_ascii_lowercase()) || w.ends_with("ing"))
    });
    // A subject opening the sentence is the sentence's, found by the other rules.
    if !opened || start == 0 || !names || verb || PRONOUNS.contains(&phrase[0]) {
        return None;
    }
    let s = from + words[start].0;
    let last = words[end - 1];
    trim_span_opt(text, s, from + last.0 + last.1.len()).filter(|&sp| plausible_speaker(text, sp))
}

/// The agent of a passive cue around the quote `open..close`: `was asked by X` in the quote's sentence before it,
/// or a passive participle right before the quote and `by X` right after it (`called “...” by X`).
fn passive_agent(text: &str, open: usize, close: usize) -> Option<(usize, usize)> {
    let (base, before) = sentence_before(text, open);
    let after = &text[close..clip_end(text, close, WINDOW)];
    let agent_at = |at: usize| {
        let rest = &text[at..clip_end(text, at, WINDOW)];
        trim_span_opt(text, at, at + phrase_end(rest)).filter(|&(s, e)| {
            let first = text[s..e].split_whitespace().next().unwrap_or("");
            (e - s) < 120
                && (first.starts_with(char::is_uppercase)
                    || matches!(
                        first,
                        "the" | "a" | "an" | "his" | "her" | "their" | "its" | "some"
                    ))
                && plausible_speaker(text, (s, e))
        })
    };
    if let Some(c) = PASSIVE_BY.captures(before) {
        return agent_at(base + c.get(0)?.end());
    }
    if PASSIVE_BEFORE_QUOTE.is_match(before) {
        let by = after.len() - after.trim_start().len();
        if after[by..].starts_with("by ") {
            return agent_at(close + by + "by ".len());
        }
    }
    None
}

/// The name on a credit line right after a quote standing in a paragraph of its own: a dash opening the rest of
/// the line or the next paragraph, then a name (capitalised words) up to a comma, a stop or the line's end:
/// `- Bernie Sanders.`, `—Jo Hart, Reno`. A quote inside a sentence before a credit is no quotation of the one
/// credited (`... called him “a friend.”⏎⏎- Reuters.` credits a photo).
fn credit_line(text: &str, open: usize, close: usize) -> Option<(usize, usize)> {
    // Only the line's start is looked at, so the look is bounded however long the line.
    let from = clip_start(text, open, 8);
    let head = &text[from..open];
    let line_opens = match head.rfind('\n') {
        Some(nl) => head[nl + 1..].trim().is_empty(),
        None => from == 0 && head.trim().is_empty(),
    };
    if !line_opens {
        return None;
    }
    let after = &text[close..clip_end(text, close, WINDOW)];
    let lead = after.len() - after.trim_start().len();
    if after[..lead].matches('\n').count() > 2 {
        return None;
    }
    let rest = &after[lead..];
    let dash = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '—' | '–'))?;
    let name_at = lead + dash.len_utf8();
    let name = &after[name_at..];
    let name = name.trim_start_matches(' ');
    let start = close + after.len() - name.len();
    let end = name.find([',', '.', '\n', '(', ';']).unwrap_or(name.len());
    let line_end = name.find('\n').unwrap_or(name.len());
    let words: Vec<&str> = name[..end].split_whitespace().collect();
    let capitalised = !words.is_empty()
        && words.len() <= 5
        && words.iter().all(|w| w.starts_with(char::is_uppercase));
    // The line holds nothing but the credit: a name, then perhaps a place or a title, and no sentence.
    let short = name[..line_end].split_whitespace().count() <= 12;
    (capitalised && short)
        .then(|| trim_span_opt(text, start, start + end))
        .flatten()
}

/// Whether a cue is "according to", whose speaker follows it.
fn is_according(cue: &str) -> bool {
    cue.get(..9)
        .is_some_and(|head| head.eq_ignore_ascii_case("according"))
}

/// The speaker of an attribution closing the sentence of the quote `open..close` after a comma: `“...” fostered by
/// its rivals, the group says.` gives the group, `..., according to Ann Lee.` Ann Lee. What follows the cue must
/// end the sentence or be a short adverbial ("on Monday"), and no cue may stand before the quote in its sentence
/// (`Lee said Tate was “weak” and lazy, he said` keeps the first cue).
fn sentence_final_speaker(
    text: &str,
    cues: &[(usize, usize)],
    (open, close): (usize, usize),
    (cue_start, cue_end): (usize, usize),
    after: &str,
) -> Option<(usize, usize)> {
    const ADVERBIALS: [&str; 12] = [
        "on",
        "in",
        "at",
        "during",
        "last",
        "this",
        "yesterday",
        "today",
        "late",
        "early",
        "earlier",
        "after",
    ];
    let between = &text[close..cue_start];
    if between.contains(['“', '”', '"', '\n']) || !between.trim_start().contains(',') {
        return None;
    }
    let (base, _) = sentence_before(text, open);
    if !cues_in(cues, base, open).is_empty() {
        return None;
    }
    let rest_start = cue_end - close;
    let rest = after.get(rest_start..)?.trim();
    let according = is_according(&text[cue_start..cue_end]);
    if according {
        // The speaker follows the cue; the sentence must end with it.
        if !between.trim_end().ends_with(',') || rest.contains(['“', '”', '"', ';']) {
            return None;
        }
        return speaker_for_cue(text, close, cue_start).filter(|&sp| plausible_speaker(text, sp));
    }
    let rest_words = rest.split_whitespace().count();
    let adverbial = rest.is_empty()
        || (rest_words <= 6
            && !rest.contains(['“', '”', '"', ','])
            && rest
                .split_whitespace()
                .next()
                .is_some_and(|w| ADVERBIALS.contains(&w.to_ascii_lowercase().as_str())));
    if !adverbial {
        return None;
    }
    let comma = between.trim_end().rfind(',')?;
    let np = &between[comma + 1..];
    let words = np.split_whitespace().count();
    if !(1..=10).contains(&words) {
        return None;
    }
    trim_span_opt(text, close + comma + 1, cue_start).filter(|&sp| plausible_speaker(text, sp))
}

/// The name right after an inverted cue (", says Ada Ruiz, a pollster"): the phrase up to the next comma or stop,
/// ending with a capitalised word, with no verb in it ("said Trump lied" reports what Trump did). Only verbs that
/// take no object qualify, so "told Reuters" names the one spoken to.
fn name_after_cue(text: &str, cue_start: usize, cue_end: usize) -> Option<(usize, usize)> {
    const INVERTED: [&str; 20] = [
        "said",
        "says",
        "added",
        "adds",
        "wrote",
        "writes",
        "noted",
        "notes",
        "explained",
        "explains",
        "recalled",
        "recalls",
        "continued",
        "insisted",
        "replied",
        "quipped",
        "joked",
        "declared",
        "concluded",
        "observed",
    ];
    if !INVERTED.contains(&text[cue_start..cue_end].to_ascii_lowercase().as_str()) {
        return None;
    }
    const CONNECTORS: [&str; 6] = ["of", "the", "for", "and", "at", "de"];
    // An adverbial may follow the name: "said Rep. Bo Tate (D-Va.) at the time, adding".
    const FOLLOWERS: [&str; 12] = [
        "at", "in", "on", "during", "last", "this", "when", "after", "before", "earlier", "later",
        "recently",
    ];
    let rest = &text[cue_end..clip_end(text, cue_end, WINDOW)];
    let mut np_end = phrase_end(rest);
    let capital = |w: &str| {
        w.starts_with(char::is_uppercase)
            || (w.starts_with('(') && w[1..].starts_with(char::is_uppercase))
    };
    // The longest run of capitalised words (and connectors between them) opening the phrase, cut before an
    // adverbial that no capital follows.
    let mut run_end = None;
    let mut cut = None;
    for (i, w) in word_spans(&rest[..np_end]) {
        if capital(w) {
            run_end = Some(i + w.len());
            cut = None;
        } else if FOLLOWERS.contains(&w) && cut.is_none() && run_end.is_some() {
            cut = run_end;
        } else if !CONNECTORS.contains(&w) {
            break;
        }
    }
    if let Some(cut) = cut {
        np_end = cut;
    }
    // The name must close its clause: "said Friday that Curiel “happens ...”" goes on into what was said.
    let closes = np_end == rest.len()
        || rest[np_end..].starts_with([',', '.', ';', '\n'])
        || rest[np_end..]
            .split_whitespace()
            .next()
            .is_some_and(|w| FOLLOWERS.contains(&w));
    if !closes {
        return None;
    }
    let (start, end) = trim_span_opt(text, cue_end, cue_end + np_end)?;
    let words: Vec<&str> = text[start..end].split_whitespace().collect();
    // "said places such as Iowa" and "said just after midnight on CNN" are no names; "said Wednesday" is a date.
    let name = words.first()?.starts_with(char::is_uppercase)
        && words.iter().all(|w| capital(w) || CONNECTORS.contains(w))
        && !words
            .iter()
            .any(|w| WEEKDAYS_AND_MONTHS.contains(&w.trim_end_matches(['.', ','])));
    (words.len() <= 8
        && name
        && !PRONOUNS.contains(&words[0])
        && plausible_speaker(text, (start, end)))
    .then_some((start, end))
}

/// The name opening `from..to` when the rest is appositions set off by commas ("Cory James, 22, of Flint, Mich.,"):
/// one to five capitalised words before the first comma, and no verb after it.
fn name_before_apposition(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    const VERBS: [&str; 12] = [
        "is", "was", "were", "are", "has", "have", "had", "will", "would", "said", "says", "told",
    ];
    let lead = &text[from..to];
    let mut start = from + (lead.len() - lead.trim_start_matches([' ', ',', '\n']).len());
    // "However, Jill Martin, a lawyer for the firm, said": a sentence adverb is no name.
    let first = text[start..to].split_whitespace().next().unwrap_or("");
    let adverb = first.trim_end_matches(',').to_ascii_lowercase();
    if first.ends_with(',')
        && (adverb.ends_with("ly")
            || adverb.ends_with("ever")
            || matches!(
                adverb.as_str(),
                "meanwhile"
                    | "still"
                    | "instead"
                    | "also"
                    | "now"
                    | "today"
                    | "yesterday"
                    | "earlier"
                    | "later"
                    | "indeed"
                    | "moreover"
                    | "yet"
                    | "then"
                    | "but"
                    | "and"
                    | "so"
            ))
    {
        start += first.len();
        start += text[start..to].len() - text[start..to].trim_start().len();
    }
    let lead = &text[start..to];
    let comma = lead.find(", ")?;
    let name = &lead[..comma];
    let words: Vec<&str> = name.split_whitespace().collect();
    let rest = &lead[comma..];
    let is_name = (1..=5).contains(&words.len())
        && words.iter().all(|w| w.starts_with(char::is_uppercase))
        && !ADVERBIAL.contains(&words[0].to_ascii_lowercase().as_str())
        && !LEADING_WORDS.contains(&words[0].to_ascii_lowercase().as_str());
    let appositions = rest.trim_end().ends_with(',')
        && rest.split_whitespace().count() <= 25
        && !rest.contains([';', '(', ')'])
        && !rest
            .split_whitespace()
            .any(|w| VERBS.contains(&w.trim_end_matches(',')) || w == "who" || w == "which");
    // "Bill Mays, a Raleigh grocer who sat on the board until May, said": an apposition opened by an article may
    // hold a relative clause of its own, as long as one comma closes it right before the cue.
    let described = rest
        .trim_start_matches([',', ' '])
        .split_whitespace()
        .next()
        .is_some_and(|w| matches!(w, "a" | "an" | "the"))
        && rest.trim_end().ends_with(',')
        && rest.matches(',').count() == 2
        && rest.split_whitespace().count() <= 40
        && !rest.contains([';', '“', '”', '"', '.']);
    // "Jo Hart, 30, of Reno, Nev., who was among those polled, said" and "Ann Lee, who served as chief of staff,
    // told": a relative clause closed by the comma before the cue, after any appositions.
    // "Rick Ames, head of the union which represents 900 locals, said": the clause may close the apposition.
    let relative = [", who ", " who ", " which "]
        .iter()
        .filter_map(|w| rest.rfind(w))
        .max()
        .is_some_and(|who| {
            let (appositions, clause) = rest.split_at(who);
            let clause = clause.trim_start_matches([',', ' ']);
            let plain_appositions = appositions.split_whitespace().count() <= 12
                && !appositions.contains([';', '(', ')', '“', '”', '"'])
                && !appositions
                    .split_whitespace()
                    .any(|w| VERBS.contains(&w.trim_end_matches(',')));
            plain_appositions
                && clause.trim_end().ends_with(',')
                && clause.matches(',').count() == 1
                && clause.split_whitespace().count() <= 25
                && !clause.contains([';', '“', '”', '"', '.', '—', '–'])
        });
    (is_name && (appositions || described || relative))
        .then(|| trim_span_opt(text, start, start + comma))?
}

/// Whether the cue `start..end` is a passive participle ("Trump was asked", "it is called"): its subject is the one
/// spoken to or about, not the speaker.
fn is_passive(text: &str, start: usize, end: usize) -> bool {
    let cue = &text[start..end];
    let before = text[clip_start(text, start, 12)..start].trim_end();
    let aux = before.rsplit(char::is_whitespace).next().unwrap_or("");
    // "when asked about it, she said": a participle after a subordinator stands for "when she was asked".
    (cue.ends_with("ed") || matches!(cue, "told" | "said"))
        && matches!(
            aux.to_ascii_lowercase().as_str(),
            "is" | "are"
                | "was"
                | "were"
                | "be"
                | "been"
                | "being"
                | "when"
                | "if"
                | "unless"
                | "once"
        )
}

/// Whether the cue at `cue_start` is an "-ing" form after a form of "be" ("were calling"): a verb of its own
/// clause, often no speech at all ("executives were calling every hour").
fn is_progressive(text: &str, from: usize, cue_start: usize) -> bool {
    let lead = text[from..cue_start].trim_end();
    let aux = lead.rsplit(char::is_whitespace).next().unwrap_or("");
    text[cue_start..]
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| w.ends_with("ing"))
        && matches!(aux, "is" | "are" | "was" | "were" | "been" | "be" | "am")
}

/// The speaker of the last finite cue in `from..to` ("Nefzi said" in "..., Nefzi said, adding"), which a later
/// participle or coordinated cue shares.
fn subject_of_earlier_cue(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let lead = &text[from..to];
    let earlier = CUE
        .find_iter(lead)
        .filter(|m| !m.as_str().ends_with("ing") && !m.as_str().starts_with(['A', 'a']))
        .filter(|m| !is_passive(text, from + m.start(), from + m.end()))
        .last()?;
    speaker_for_cue(text, from, from + earlier.start()).filter(|&sp| plausible_speaker(text, sp))
}

/// The relative pronoun ("who", "which") that is the subject of the cue at `cue_start`, with only auxiliaries and
/// adverbs between them: "Sanders, who says", "Trump, who has repeatedly called". The annotators of news corpora
/// mark it as the source, the mention nearest the cue; the name it stands for is its antecedent.
fn relative_pronoun_before(text: &str, from: usize, cue_start: usize) -> Option<(usize, usize)> {
    const BETWEEN: [&str; 12] = [
        "has",
        "had",
        "have",
        "also",
        "later",
        "then",
        "once",
        "previously",
        "recently",
        "often",
        "repeatedly",
        "publicly",
    ];
    for (i, word) in word_spans(&text[from..cue_start])
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(4)
    {
        if matches!(word, "who" | "which") {
            return Some((from + i, from + i + word.len()));
        }
        if !BETWEEN.contains(&word) {
            return None;
        }
    }
    None
}

/// The subject before a restrictive relative clause that runs up to the cue at `cue_start`: "an official who
/// spoke on condition of anonymity said" gives "an official". The clause holds no comma, stop or quotation mark,
/// and its first word is a verb of its own (not an auxiliary, which may go with the cue: "who has described"); a
/// clause of its own inside it ("who gained fame when he yelled") leaves the cue to that clause.
fn subject_before_restrictive_clause(
    text: &str,
    from: usize,
    cue_start: usize,
) -> Option<(usize, usize)> {
    let lead = &text[from..cue_start];
    let who = lead.rfind(" who ")?;
    let clause = &lead[who + " who ".len()..];
    let verb = clause.split_whitespace().next()?;
    let own_verb = verb.starts_with(char::is_lowercase)
        && is_verb_like(verb)
        && !matches!(
            verb,
            "has"
                | "have"
                | "had"
                | "is"
                | "was"
                | "were"
                | "are"
                | "will"
                | "would"
                | "did"
                | "does"
        );
    if !own_verb
        || clause.split_whitespace().count() > 15
        || clause.contains([',', '.', ';', ':', '“', '”', '"', '(', '—', '–'])
        || clause.split_whitespace().any(|w| {
            matches!(
                w,
                "he" | "she"
                    | "they"
                    | "I"
                    | "we"
                    | "when"
                    | "as"
                    | "while"
                    | "because"
                    | "if"
                    | "and"
            )
        })
    {
        return None;
    }
    let before = &lead[..who];
    if before.trim_end().ends_with(',') {
        return None;
    }
    noun_phrase_before(text, from, from + who).filter(|&sp| plausible_speaker(text, sp))
}

/// The noun phrase a relative pronoun at `at` stands for: the phrase before it, less a comma and an inverted cue
/// ("said Beck, who" stands for Beck).
fn relative_antecedent(text: &str, at: usize) -> Option<TextSpan> {
    let from = clip_start(text, at, WINDOW);
    let end = from + text[from..at].trim_end().trim_end_matches(',').len();
    let (mut start, end) = noun_phrase_before(text, from, end)?;
    if let Some(cue) = CUE_FIRST.find(&text[start..end]) {
        start += cue.end();
    }
    let (start, end) = trim_span_opt(text, start, end)?;
    Some(TextSpan::of(text, start, end))
}

/// The phrase from `from` up to the first verb before `to` (`LeVell assured`, `it read`), with the verb's end:
/// at most six words, naming someone (a capitalised word, a pronoun, or "the"/"a" and a noun), and the verb is a
/// lower-case word in "-ed" or "-s", or a common irregular past.
fn speaker_before_verb(text: &str, from: usize, to: usize) -> Option<((usize, usize), usize)> {
    const IRREGULAR: [&str; 12] = [
        "read", "sang", "spoke", "wrote", "told", "said", "put", "thought", "shot", "cried",
        "began", "went",
    ];
    let s = &text[from..to];
    let mut verb: Option<(usize, usize)> = None;
    for (count, (i, word)) in word_spans(s).enumerate() {
        if count > 6 {
            return None;
        }
        let bare = word.trim_end_matches([',', ';', ':', '.']);
        let lower = bare.to_ascii_lowercase();
        if count > 0
            && bare.starts_with(char::is_lowercase)
            && bare.len() > 2
            && (IRREGULAR.contains(&lower.as_str())
                || lower.ends_with("ed")
                || (lower.ends_with('s') && !lower.ends_with("ss")))
        {
            verb = Some((from + i, from + i + bare.len()));
            break;
        }
        // A comma before any verb ends the phrase; one right after the verb (`“...,” she elaborated, “...”`)
        // does not.
        if count > 0 && word.ends_with([',', ';', ':']) && !is_abbreviation(word) {
            return None;
        }
    }
    let (verb_start, verb_end) = verb?;
    let (start, end) = trim_span_opt(text, from, verb_start)?;
    let phrase = &text[start..end];
    let first = phrase.split_whitespace().next()?.to_ascii_lowercase();
    let names_someone = phrase.starts_with(char::is_uppercase)
        || PRONOUNS.contains(&phrase)
        || matches!(first.as_str(), "the" | "a" | "an" | "one" | "another");
    (names_someone && plausible_speaker(text, (start, end))).then_some(((start, end), verb_end))
}

/// The subject opening the sentence `from..to`: the words before the first verb, after any dateline.
fn sentence_subject(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let s = &text[from..to];
    let skip = DATELINE.find(s).map_or(0, |m| m.end());
    let mut start = from + skip;
    start += text[start..to].len() - text[start..to].trim_start().len();
    // "“...,” Trump told a rally, saying": a quote opening the sentence is passed over to its attribution.
    let head = &text[start..to];
    if let Some(opening) = head.chars().next().filter(|c| matches!(c, '“' | '"' | '«'))
        && let Some(close) = head[opening.len_utf8()..].find(['”', '"', '»'])
    {
        let after = &head[opening.len_utf8() + close..];
        let mark = after.chars().next().map_or(0, char::len_utf8);
        start += opening.len_utf8() + close + mark;
        start += text[start..to].len() - text[start..to].trim_start_matches([' ', ',']).len();
    }
    // "In a statement released Thursday, Rep. Jeffries reacted ..., saying", "Here in Columbia, Sanders" and
    // "Speaking in Salem, New Hampshire, Trump went": opening adverbials up to their commas are no subject.
    let mut previous: Option<&str> = None;
    for _ in 0..3 {
        let head = &text[start..to];
        let Some(comma) = head.find(", ") else {
            break;
        };
        let segment = &head[..comma];
        if segment.split_whitespace().count() > 15 || !is_opening_adverbial(segment, previous) {
            break;
        }
        previous = Some(segment);
        start += comma + 2;
    }
    let mut end = start;
    let mut capitals = true;
    for (count, (i, word)) in word_spans(&text[start..to]).enumerate() {
        let lower = word.to_ascii_lowercase();
        // A capitalised word is part of a name ("United"); an adverb in "-ly" stands before the verb.
        let lower_case = !word.starts_with(char::is_uppercase);
        let adverb = lower.len() > 4 && lower.ends_with("ly");
        capitals &= !lower_case;
        // "Bush, Florida’s former governor, also attacked": a name before an apposition closed by a comma, with
        // no verb in it, is the subject ("Outside, Jo Hart held" has none).
        if word.ends_with(',') && capitals && count < 5 && !is_abbreviation(word) {
            let rest = &text[start + i + word.len()..to];
            // A relative clause ("Clinton, who was speaking to the mayors, told") is an apposition too.
            let relative = matches!(rest.split_whitespace().next(), Some("who" | "which"));
            let apposition = relative
                || rest.find(',').is_some_and(|comma| {
                    comma < 80
                        && !rest[..comma].split_whitespace().any(|w| {
                            w.starts_with(char::is_lowercase)
                                && is_verb_like(&w.to_ascii_lowercase())
                        })
                });
            if apposition {
                end = start + i + word.len();
            }
            break;
        }
        if count > 14 || word.ends_with(',') || lower_case && (is_verb_like(&lower) || adverb) {
            break;
        }
        end = start + i + word.len();
    }
    trim_span_opt(text, start, end)
}

/// Whether `segment`, the words before a comma at the start of a sentence, is an adverbial rather than the
/// subject: it opens with a preposition or subordinator ("In", "When"), a participle ("Speaking") or an adverb of
/// place or time ("Here in Columbia", "Early in his campaign"); or it is the rest of a place name that an
/// adverbial before it opened ("in Salem, New Hampshire,").
fn is_opening_adverbial(segment: &str, previous: Option<&str>) -> bool {
    // Adverbs that open a phrase ("Here in Columbia", "Early in his campaign").
    const OPENERS: [&str; 10] = [
        "here",
        "there",
        "early",
        "late",
        "now",
        "today",
        "yesterday",
        "again",
        "also",
        "still",
    ];
    // Sentence adverbs standing alone ("Still, Trump said"). A list rather than any word in "-ly", which would
    // take "Kelly" or "Emily" for adverbs.
    const ALONE: [&str; 41] = [
        "however",
        "meanwhile",
        "still",
        "now",
        "instead",
        "later",
        "earlier",
        "yet",
        "indeed",
        "moreover",
        "then",
        "today",
        "yesterday",
        "also",
        "again",
        "separately",
        "additionally",
        "nevertheless",
        "overall",
        "ultimately",
        "finally",
        "similarly",
        "initially",
        "eventually",
        "originally",
        "frankly",
        "clearly",
        "apparently",
        "currently",
        "recently",
        "previously",
        "publicly",
        "privately",
        "ironically",
        "afterward",
        "otherwise",
        "outside",
        "inside",
        "nearby",
        "elsewhere",
        "overseas",
    ];
    let Some(first) = segment.split_whitespace().next() else {
        return false;
    };
    let lower = first.to_ascii_lowercase();
    // "And last summer," is an adverbial, "But Trump," a subject.
    if matches!(lower.as_str(), "but" | "and") {
        let rest = segment[first.len()..].trim_start();
        return !rest.is_empty() && is_opening_adverbial(rest, previous);
    }
    let words = segment.split_whitespace().count();
    let second_lower = segment
        .split_whitespace()
        .nth(1)
        .is_some_and(|w| w.starts_with(char::is_lowercase));
    let place_goes_on = previous.is_some_and(|p| {
        p.split_whitespace()
            .next_back()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
    }) && words <= 2
        && segment
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase));
    // "A month later," and "Two weeks ago,": a span of time before "later" or "ago".
    let time_ago = segment
        .split_whitespace()
        .next_back()
        .is_some_and(|w| matches!(w, "later" | "ago" | "earlier"))
        && is_time_phrase(segment);
    ADVERBIAL.contains(&lower.as_str())
        || time_ago
        || is_time_phrase(segment)
        || opens_with_participle(first)
        || (OPENERS.contains(&lower.as_str()) && second_lower)
        || (ALONE.contains(&lower.as_str()) && words == 1)
        || place_goes_on
}

/// Where the main clause starts in the sentence `base..open` when the sentence opens with a subordinate clause
/// holding a cue ("When Tate announced his run, he ..."): after the first comma, if that comes after the cue and
/// before `open`; else `base`.
fn after_opening_clause(text: &str, cues: &[(usize, usize)], base: usize, open: usize) -> usize {
    const SUBORDINATORS: [&str; 9] = [
        "When", "After", "Before", "While", "Although", "Though", "Because", "Once", "Since",
    ];
    let head = &text[base..open];
    let lead = head.len() - head.trim_start().len();
    let opens_subordinate = head[lead..]
        .split_whitespace()
        .next()
        .is_some_and(|w| SUBORDINATORS.contains(&w));
    let Some(comma) = head.find(", ").filter(|_| opens_subordinate) else {
        return base;
    };
    let comma = base + comma;
    if cues_in(cues, base, comma).is_empty() {
        return base;
    }
    comma + 1
}

/// The part of the sentence before the quote opening at `open`, within the look-back window, and where it starts.
/// A quote opening a paragraph after a lead-in that ends with a colon ("Cruz wrote:", "Trump issued the
/// following statement:") belongs to the lead-in's sentence.
fn sentence_before(text: &str, open: usize) -> (usize, &str) {
    let from = clip_start(text, open, WINDOW);
    let raw = &text[from..open];
    let lead_in_paragraph =
        raw.trim_end().ends_with(':') && raw[raw.trim_end().len()..].contains('\n');
    let before = if lead_in_paragraph {
        sentence_tail(raw.trim_end())
    } else {
        sentence_tail(raw)
    };
    (
        from + (before.as_ptr() as usize - raw.as_ptr() as usize),
        before,
    )
}

/// The subject of the sentence a quote stands in, when the quote has no cue of its own: `Fiorina routinely
/// characterizes herself as a “change warrior”` gives the words to Fiorina, who uses them. The subject is the run
/// of words opening the sentence (after a dateline or an opening adverbial such as "On Thursday,") up to its verb,
/// told by a verb-like word, an adverb in "-ly", or a lower-case word in "-s" after a name ("Trump wants"). It
/// must name someone: a capitalised word or a pronoun, and there must be a verb between it and the quote, so
/// `The “so-called” deal` gives nobody.
fn subject_before_quote(text: &str, open: usize) -> Option<(usize, usize)> {
    const DETERMINERS: [&str; 9] = [
        "the", "a", "an", "his", "her", "its", "their", "this", "that",
    ];
    let (base, before) = sentence_before(text, open);
    let open = base + before.len();
    let skip = DATELINE.find(before).map_or(0, |m| m.end());
    let mut start = base + skip;
    // "On Thursday, Cruz said", "And last summer, while attending a rally, Rivera calls", "Here in Dayton, Mills
    // calls": each opening adverbial up to its comma is passed over.
    let mut previous: Option<&str> = None;
    for _ in 0..3 {
        let head = &text[start..open];
        let Some(first) = head.split_whitespace().next() else {
            break;
        };
        let opener = ADVERBIAL.contains(&first.to_ascii_lowercase().as_str())
            || opens_with_participle(first);
        let Some(comma) = head.find(", ") else {
            // "When Trump was questioned about it his response focused on": the clause is no subject.
            if opener {
                return None;
            }
            break;
        };
        let segment = &head[..comma];
        if !(opener || is_opening_adverbial(segment, previous)) {
            break;
        }
        // A subordinate clause ("When Tate suggested that the city would sue the state for ..., ") runs longer than
        // a phrase.
        let clause = matches!(
            first.to_ascii_lowercase().as_str(),
            "when"
                | "after"
                | "before"
                | "while"
                | "although"
                | "though"
                | "because"
                | "if"
                | "since"
        );
        let longest = if clause { 30 } else { 15 };
        if segment.split_whitespace().count() > longest {
            return None;
        }
        previous = Some(segment);
        start += comma + 2;
    }
    let mut end = None;
    // Whether the word before names something that a verb in "-s" may follow: "Trump wants", "The ad claims",
    // "she vows".
    let mut previous_noun = false;
    for (count, (i, word)) in word_spans(&text[start..open]).enumerate() {
        let lower = word
            .trim_end_matches([',', ';', ':', '.'])
            .to_ascii_lowercase();
        let capital = word.starts_with(char::is_uppercase);
        let verb = !capital
            && (is_verb_like(&lower)
                || (lower.len() > 3 && lower.ends_with("ly"))
                || (previous_noun
                    && lower.len() > 3
                    && lower.ends_with('s')
                    && !lower.ends_with("ss")
                    && !lower.ends_with("us")
                    && !lower.ends_with('\'')));
        if verb {
            end = Some(start + i);
            break;
        }
        if word.ends_with(',')
            && count < 5
            && text[start..start + i + word.len()]
                .split_whitespace()
                .all(|w| w.starts_with(char::is_uppercase))
        {
            // "Tate, who leads in delegates, mocked Ruiz for “...”": a name before an apposition.
            let subject =
                sentence_subject(text, start, open).filter(|&sp| plausible_speaker(text, sp))?;
            return Some(open_relative_clause(text, subject.0, open).unwrap_or(subject));
        }
        if count >= 8 || word.ends_with([',', ';', ':', '.']) && !is_abbreviation(word) {
            return None;
        }
        previous_noun = !DETERMINERS.contains(&lower.as_str())
            && !word.ends_with(['’', '\''])
            && (capital || PRONOUNS.contains(&word) || count > 0);
    }
    let (s, e) = trim_span_opt(text, start, end?)?;
    let phrase = &text[s..e];
    // A name, a pronoun, or a thing that speaks for someone: "The ad claims", "the group’s letter urges".
    let names_someone = phrase.split_whitespace().any(|w| {
        w.starts_with(char::is_uppercase) && !DETERMINERS.contains(&w.to_ascii_lowercase().as_str())
    }) || PRONOUNS.contains(&phrase)
        || phrase.split_whitespace().next_back().is_some_and(|w| {
            let lower = w.to_ascii_lowercase();
            SPEAKING_THINGS.contains(&lower.as_str()) || SPEAKING_PEOPLE.contains(&lower.as_str())
        });
    if !(names_someone && plausible_speaker(text, (s, e))) {
        return None;
    }
    // "Cruz pledged to visit every county and he has used that to bludgeon his rivals for not “campaigning”" and
    // "Tate proposed a debate, but the Ruiz campaign rejected it as “ludicrous”": the subject of the clause
    // nearest the quote is its user.
    // "Roffman, who puts his costs “in the seven figures,”": a quote inside a relative clause is the relative
    // pronoun's, the mention nearest it.
    Some(
        open_relative_clause(text, s, open)
            .or_else(|| last_clause_pronoun(text, e, open))
            .or_else(|| last_clause_subject(text, e, open))
            .unwrap_or((s, e)),
    )
}

/// The relative pronoun opening a clause that is still open at `to`: ", who" or ", which" after `from`, with no
/// comma, dash or quotation mark after it, so the clause runs on to `to`.
fn open_relative_clause(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let s = &text[from..to];
    let at = [", who ", ", which "]
        .iter()
        .filter_map(|w| s.rfind(w).map(|i| i + 2))
        .max()?;
    let word = if s[at..].starts_with("who") { 3 } else { 5 };
    let rest = &s[at + word..];
    (!rest.contains([',', '—', '–', '“', '”', '"', ';', '('])
        && rest.split_whitespace().count() <= 15)
        .then_some((from + at, from + at + word))
}

/// The subject of the last clause in `from..to` that a conjunction or a dash opens (", and", ", but", ", while",
/// "—"): the words after the opener up to a verb, naming someone as a sentence subject must.
fn last_clause_subject(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    const OPENERS: [&str; 9] = [
        ", and ", ", but ", " but ", ", while ", " while ", "; ", " — ", " – ", " ― ",
    ];
    let s = &text[from..to];
    if s.contains(['“', '”', '"']) {
        return None;
    }
    let (at, opener) = OPENERS
        .iter()
        .filter_map(|o| s.rfind(o).map(|i| (i, o.len())))
        .max()?;
    let start = from + at + opener;
    let mut end = None;
    let mut previous_noun = false;
    for (count, (i, word)) in word_spans(&text[start..to]).enumerate() {
        let lower = word.to_ascii_lowercase();
        let capital = word.starts_with(char::is_uppercase);
        let verb = !capital
            && (is_verb_like(&lower)
                || (previous_noun
                    && lower.len() > 3
                    && lower.ends_with('s')
                    && !lower.ends_with("ss")
                    && !lower.ends_with("us")));
        if verb {
            end = Some(start + i);
            break;
        }
        if count >= 6 || word.ends_with([',', ';', ':', '.']) {
            return None;
        }
        previous_noun = count > 0 || capital;
    }
    let (s, e) = trim_span_opt(text, start, end?)?;
    let phrase = &text[s..e];
    let first = phrase.split_whitespace().next()?.to_ascii_lowercase();
    let names =
        phrase.starts_with(char::is_uppercase) || matches!(first.as_str(), "the" | "a" | "an");
    (names && !PRONOUNS.contains(&phrase) && plausible_speaker(text, (s, e))).then_some((s, e))
}

/// The last subject pronoun ("he", "she", "they") in `from..to` that a verb follows, outside quotation marks: the
/// subject of a later clause of the sentence ("..., and he pronounced", "even as he defended").
fn last_clause_pronoun(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let s = &text[from..to];
    let base = s
        .rfind(['”', '"', '“'])
        .map_or(0, |q| q + s[q..].chars().next().map_or(1, char::len_utf8));
    const OPENERS: [&str; 18] = [
        "and", "but", "as", "while", "though", "although", "when", "because", "since", "so",
        "then", "yet", "after", "before", "once", "—", "–", "-",
    ];
    let words: Vec<(usize, &str)> = word_spans(&s[base..]).collect();
    words.windows(2).enumerate().rev().find_map(|(k, pair)| {
        let [(i, word), (_, next)] = pair else {
            return None;
        };
        // The pronoun must open a clause of the sentence, not sit inside a reported one ("said he welcomed").
        let opens_clause = k == 0
            || words[k - 1].1.ends_with([',', ';', ':'])
            || OPENERS.contains(&words[k - 1].1.to_ascii_lowercase().as_str());
        let subject =
            opens_clause && matches!(*word, "he" | "she" | "they" | "He" | "She" | "They");
        let verb = next.starts_with(char::is_lowercase)
            && next.chars().all(|c| c.is_alphabetic())
            && (is_verb_like(next)
                || next.ends_with("ed")
                || (next.ends_with('s') && !next.ends_with("ss"))
                || (next.len() > 4 && next.ends_with("ly")));
        (subject && verb).then_some((from + base + i, from + base + i + word.len()))
    })
}

fn is_verb_like(w: &str) -> bool {
    matches!(
        w,
        "has"
            | "have"
            | "had"
            | "is"
            | "was"
            | "were"
            | "are"
            | "will"
            | "would"
            | "did"
            | "does"
            | "can"
            | "could"
            | "met"
            | "held"
            | "made"
            | "took"
            | "went"
            | "gave"
            | "got"
            | "came"
            | "spoke"
            | "sent"
            | "left"
            | "brought"
            | "thought"
            | "knew"
            | "saw"
            | "found"
            | "kept"
            | "began"
            | "became"
            | "won"
            | "lost"
            | "wants"
            | "used"
    ) || CUE.is_match(w)
        || (w.len() > 4 && w.ends_with("ed"))
}

/// The noun phrase ending at `to`: words back to a comma or stop, a conjunction or a preposition that opens an
/// adverbial ("in", "on", "after"), at most ten words.
fn noun_phrase_before(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    const STOPS: [&str; 20] = [
        "and", "but", "or", "as", "while", "when", "because", "that", "which", "where", "if", "so",
        "to", "although", "though", "unless", "whether", "what", "who", "whom",
    ];
    // "Beck on Wednesday called", "officials in Moscow said": a prepositional phrase between the subject and
    // the verb is passed over; "then", "also" likewise.
    const SKIPPED: [&str; 16] = [
        "in", "on", "at", "after", "before", "during", "with", "by", "from", "then", "also",
        "later", "earlier", "recently", "now", "still",
    ];
    // "Sanders, meanwhile, said" and "Proponents of the bill, however, say": a parenthetical adverb set off by
    // commas is no part of the subject.
    // The longest parenthetical fits in the last 40 bytes, so only those are searched.
    let tail = clip_start(text, to, 40).max(from);
    let to = PARENTHETICAL
        .find(&text[tail..to])
        .map_or(to, |m| tail + m.start());
    // "Feinstein last week said": a time adverbial between the subject and the cue is no part of the subject.
    let to = from + without_trailing_time(&text[from..to]).len();
    let s = &text[from..to];
    let mut np_start: Option<usize> = None;
    let mut np_end = to;
    let mut adjunct: Option<(usize, usize)> = None;
    let mut adjunct_preposition = "";
    let mut later_word_start = to;
    for (count, (i, word)) in word_spans(s)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .enumerate()
    {
        let gap = &text[from + i + word.len()..later_word_start.max(from + i + word.len())];
        later_word_start = from + i;
        let closes_clause = word.ends_with([',', ';', ':', '.', '!', '?', ')', '”', '"', '»'])
            && !is_abbreviation(word);
        if gap.contains(['(', ')', '“', '”', '"', '\n']) || closes_clause && count > 0 {
            break;
        }
        // "how tempting that can be!— Cruz called": a dash closes what stands before it.
        if matches!(word, "—" | "–" | "--" | "-") || word.ends_with(['—', '–']) && count > 0
        {
            break;
        }
        let lower = word.to_ascii_lowercase();
        // "she angrily said": an adverb between the subject and the cue is no part of the subject.
        if np_start.is_none()
            && adjunct.is_none()
            && word.starts_with(char::is_lowercase)
            && lower.len() > 4
            && lower.ends_with("ly")
        {
            np_end = from + i;
            continue;
        }
        if STOPS.contains(&lower.as_str()) || count >= 14 {
            break;
        }
        // "Axelrod tweeted after Clinton argued": a verb before the preposition makes it a conjunction, and
        // what was collected after it is the subject of the cue.
        if np_start.is_none()
            && adjunct.is_some()
            && word.starts_with(char::is_lowercase)
            && is_verb_like(&lower)
        {
            (np_start, np_end) = adjunct.map_or((None, np_end), |(s, e)| (Some(s), e));
            break;
        }
        // "McCain issued a statement after Trump told": a verb and its object before the preposition make it a
        // conjunction too.
        if adjunct.is_some()
            && matches!(adjunct_preposition, "after" | "before")
            && word.starts_with(char::is_lowercase)
            && is_verb_like(&lower)
            && np_start.is_some_and(|s| {
                text[s..].split_whitespace().next().is_some_and(|w| {
                    matches!(w, "a" | "an" | "the" | "his" | "her" | "its" | "their")
                })
            })
        {
            (np_start, np_end) = adjunct.map_or((None, np_end), |(s, e)| (Some(s), e));
            break;
        }
        // "hours after Sanders said", "three days before Lee told": a span of time before the preposition makes
        // it a conjunction too.
        if np_start.is_none()
            && adjunct.is_some()
            && matches!(adjunct_preposition, "after" | "before")
            && TIME_NOUNS.contains(&lower.as_str())
        {
            (np_start, np_end) = adjunct.map_or((None, np_end), |(s, e)| (Some(s), e));
            break;
        }
        // "and then Wallnau continues": an adverb before the words collected opens the subject, which is complete.
        if np_start.is_some()
            && matches!(
                lower.as_str(),
                "then" | "also" | "later" | "earlier" | "recently" | "now" | "still"
            )
        {
            break;
        }
        if SKIPPED.contains(&lower.as_str()) {
            // What was collected was the adjunct's object: the subject ends before the preposition.
            adjunct = np_start.map(|s| (s, np_end));
            adjunct_preposition = if adjunct.is_some() { word } else { "" };
            np_start = None;
            np_end = from + i;
            continue;
        }
        np_start = Some(from + i);
    }
    // "Saturday at the convention Sen. Ann Lee said": a time is no speaker, the phrase after its preposition is.
    if let (Some(start), Some(object)) = (np_start, adjunct)
        && is_time_phrase(&text[start..np_end])
    {
        (np_start, np_end) = (Some(object.0), object.1);
    }
    let start = np_start?;
    let to = start + text[start..np_end].trim_end().len();
    // "Maria Zakharova, a spokeswoman for the ministry, said": an appositive takes the name before it along.
    let np = &text[start..to];
    let before = text[from..start].trim_end();
    if (np.starts_with("a ") || np.starts_with("an ") || np.starts_with("the "))
        && let Some(head) = before.strip_suffix(',')
    {
        let name_end = from + head.len();
        let mut name_start = name_end;
        for (i, word) in word_spans(&text[from..name_end])
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .take(4)
        {
            if !word.starts_with(char::is_uppercase) || word.ends_with([',', '.', ';', ':']) {
                break;
            }
            name_start = from + i;
        }
        if name_start < name_end {
            return trim_span_opt(text, name_start, to);
        }
    }
    trim_span_opt(text, start, to)
}

/// Words that measure a span of time: "hours after Sanders said", "a few days later".
const TIME_NOUNS: [&str; 16] = [
    "seconds", "minutes", "hours", "days", "weeks", "months", "years", "moments", "minute", "hour",
    "day", "week", "month", "year", "decades", "time",
];

/// Words that name a time or a day rather than someone: "last", "week", "Monday", "yesterday".
fn is_time_word(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    TIME_NOUNS.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "last"
                | "this"
                | "next"
                | "early"
                | "late"
                | "earlier"
                | "later"
                | "ago"
                | "yesterday"
                | "today"
                | "tonight"
                | "night"
                | "weekend"
                | "morning"
                | "afternoon"
                | "evening"
                | "a"
                | "few"
                | "several"
                | "just"
        )
        || (word.ends_with("day") && WEEKDAYS_AND_MONTHS.contains(&word))
}

/// Whether `phrase` only says when ("Saturday", "a few hours", "last week", "three days later"), naming no one.
fn is_time_phrase(phrase: &str) -> bool {
    let anchored = phrase.split_whitespace().any(|w| {
        let lower = w.to_ascii_lowercase();
        TIME_NOUNS.contains(&lower.as_str())
            || matches!(
                lower.as_str(),
                "yesterday" | "today" | "tonight" | "weekend"
            )
            || (w.ends_with("day") && WEEKDAYS_AND_MONTHS.contains(&w))
    });
    anchored
        && phrase.split_whitespace().all(|w| {
            is_time_word(w)
                || w.parse::<u32>().is_ok()
                || matches!(
                    w.to_ascii_lowercase().as_str(),
                    "two"
                        | "three"
                        | "four"
                        | "five"
                        | "six"
                        | "ten"
                        | "some"
                        | "many"
                        | "but"
                        | "and"
                )
        })
}

/// `s` without a time adverbial that ends it ("Feinstein last week", "Lee on Monday" is left to the
/// prepositions, "Lee Monday"), when something stands before the adverbial.
fn without_trailing_time(s: &str) -> &str {
    let trimmed = s.trim_end();
    let mut cut = trimmed.len();
    let mut taken = 0;
    for (i, word) in word_spans(trimmed)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(3)
    {
        let first_taken = taken == 0;
        let fits = if first_taken {
            matches!(
                word.to_ascii_lowercase().as_str(),
                "week" | "month" | "year" | "night" | "weekend" | "yesterday" | "today" | "tonight"
            ) || (word.ends_with("day") && WEEKDAYS_AND_MONTHS.contains(&word))
        } else {
            matches!(
                word.to_ascii_lowercase().as_str(),
                "last" | "this" | "late" | "early"
            ) || (word.ends_with("day") && WEEKDAYS_AND_MONTHS.contains(&word))
        };
        if !fits {
            break;
        }
        taken += 1;
        cut = i;
    }
    // "last week" alone must keep a word of the subject before it, and "week" alone needs its "last".
    let phrase = &trimmed[cut..];
    let single_noun =
        taken == 1 && matches!(phrase, "week" | "month" | "year" | "night" | "weekend");
    if taken == 0 || single_noun || trimmed[..cut].trim().is_empty() {
        return s;
    }
    &trimmed[..cut]
}

/// Where the phrase opening `s` ends: at a comma, colon, semicolon, quotation mark, line break or a stop that is
/// not a title's or an initial's ("retired Army Lt. Gen. Mick Bednarek").
fn phrase_end(s: &str) -> usize {
    for (i, c) in s.char_indices() {
        match c {
            ',' | ';' | ':' | '!' | '?' | '“' | '”' | '"' | '«' | '»' | '„' | '\n' => {
                return i;
            }
            '.' => {
                let word = s[..i + 1].rsplit(char::is_whitespace).next().unwrap_or("");
                // "Rep. Bo Tate (D-Va.) said": a stop inside brackets ends no phrase.
                if !is_abbreviation(word) && !s[i + 1..].starts_with(')') {
                    return i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// Titles and initials that end with a stop inside a name: "Mr.", "Sen.", "B." in "Charles B. Rangel".
fn is_abbreviation(word: &str) -> bool {
    const TITLES: [&str; 14] = [
        "Mr.", "Ms.", "Mrs.", "Dr.", "Sen.", "Rep.", "Gov.", "Gen.", "Col.", "Lt.", "Jr.", "Sr.",
        "St.", "Prof.",
    ];
    // "U.S.", "U.N.": every letter of an initialism carries its stop.
    let initialism = word.len() >= 4
        && word.ends_with('.')
        && word
            .split_terminator('.')
            .all(|part| part.chars().count() == 1 && part.starts_with(char::is_uppercase));
    TITLES.contains(&word)
        || (word.len() == 2 && word.starts_with(char::is_uppercase) && word.ends_with('.'))
        || initialism
}

/// Words with their byte offsets; a word is a run of anything but whitespace.
fn word_spans(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// Sets the speaker, and if `, quoting X` follows the cue, makes X the speaker and the first one `via`.
fn set_speaker(quote: &mut Quote, text: &str, (start, end): (usize, usize), cue_end: usize) {
    let speaker = make_speaker(text, start, end);
    let after_end = clip_end(text, cue_end, WINDOW);
    let after = &text[cue_end..after_end];
    // "said, quoting X" or "said, citing X", possibly after a named object ("told TASS, citing ...").
    let at_cue = VIA.captures(after);
    if let Some(c) = at_cue {
        let np = c.name("np").expect("np group");
        if let Some((s, e)) = trim_span_opt(text, cue_end + np.start(), cue_end + np.end())
            .filter(|&(s, e)| names_a_source(&text[s..e]))
        {
            quote.via = Some(speaker);
            quote.speaker = Some(make_speaker(text, s, e));
            return;
        }
    }
    // "“...,” Welch said, according to Vermont Public Radio": the speaker's words reached the paper through the
    // station, which is kept as `via`.
    if let Some(c) = ACCORDING_VIA.captures(after) {
        let np = c.name("np").expect("np group");
        if let Some((s, e)) = trim_span_opt(text, cue_end + np.start(), cue_end + np.end())
            .filter(|&(s, e)| names_a_source(&text[s..e]))
        {
            quote.via = Some(make_speaker(text, s, e));
        }
    }
    quote.speaker = Some(speaker);
}

/// Whether the phrase after "quoting" or "citing" names someone who speaks: a name, or a noun for a person, an
/// office or a publication. "citing precedent" or "citing low economic growth" gives reasons, not a source.
fn names_a_source(phrase: &str) -> bool {
    const SOURCES: [&str; 24] = [
        "minister",
        "ministry",
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "source",
        "sources",
        "embassy",
        "agency",
        "office",
        "report",
        "reports",
        "statement",
        "secretary",
        "president",
        "ambassador",
        "diplomat",
        "diplomats",
        "aide",
        "aides",
        "newspaper",
        "government",
    ];
    let head_phrase = phrase
        .split([',', '(', ';'])
        .next()
        .unwrap_or(phrase)
        .split(" who ")
        .next()
        .unwrap_or(phrase);
    // A name opens the phrase ("citing Reuters"); "citing the many Americans who gave up" or "citing Trump’s
    // appeal" gives reasons, so a capital further in or a possessive does not make a source.
    let name = head_phrase.split_whitespace().next().is_some_and(|w| {
        w.starts_with(char::is_uppercase) && !w.ends_with("’s") && !w.ends_with("'s")
    });
    name || head_phrase
        .split_whitespace()
        .any(|w| SOURCES.contains(&w.to_ascii_lowercase().as_str()))
}

fn make_speaker(text: &str, start: usize, end: usize) -> Speaker {
    let (start, end) = clean_speaker(text, start, end);
    let span = TextSpan::of(text, start, end);
    let relative = matches!(span.text.as_str(), "who" | "which");
    let pronoun = PRONOUNS.contains(&span.text.as_str())
        || PRONOUNS.contains(&span.text.to_lowercase().as_str())
        || relative;
    let antecedent = if relative {
        relative_antecedent(text, start)
    } else {
        None
    };
    Speaker {
        span,
        pronoun,
        antecedent,
        entity: None,
    }
}

/// Whether a phrase can name a speaker: not one holding a finite verb or a quotation mark ("he was once part of
/// the so"), nor one opened by a preposition or conjunction ("to the 35").
fn plausible_speaker(text: &str, (start, end): (usize, usize)) -> bool {
    const VERBS: [&str; 14] = [
        "is", "was", "were", "are", "be", "been", "will", "would", "has", "have", "had", "can",
        "could", "should",
    ];
    const OPENERS: [&str; 20] = [
        "to", "for", "of", "about", "from", "with", "and", "but", "that", "because", "before",
        "after", "while", "when", "as", "if", "since", "although", "in", "on",
    ];
    // "Bill Clinton has said": a trailing auxiliary is dropped from the speaker, so it does not count here.
    let (start, end) = clean_speaker(text, start, end);
    let phrase = &text[start..end];
    let words: Vec<String> = phrase
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    // "before optimistically predicting": an adverb in "-ly" closes a verb phrase, not a name.
    let adverb_last = words
        .last()
        .is_some_and(|w| w.len() > 4 && w.ends_with("ly") && words.len() > 1);
    !(words.iter().any(|w| VERBS.contains(&w.as_str()))
        || phrase.contains(['“', '”', '"'])
        || OPENERS.contains(&first.as_str())
        || adverb_last)
}

/// Drops conjunctions and adverbs at the edges of a speaker phrase: "and Trump" -> "Trump", "Mills then" ->
/// "Mills", "Rubio has" -> "Rubio".
fn clean_speaker(text: &str, start: usize, end: usize) -> (usize, usize) {
    const LEADING: [&str; 18] = [
        "and", "but", "or", "so", "then", "also", "while", "as", "although", "though", "when",
        "because", "since", "if", "once", "whom", "who", "which",
    ];
    const TRAILING: [&str; 17] = [
        "then",
        "also",
        "later",
        "recently",
        "again",
        "has",
        "have",
        "had",
        "was",
        "is",
        "would",
        "will",
        "previously",
        "once",
        "repeatedly",
        "further",
        "has also",
    ];
    let (mut s, mut e) = (start, end);
    loop {
        let phrase = &text[s..e];
        let first = phrase.split_whitespace().next().unwrap_or("");
        let last = phrase.split_whitespace().next_back().unwrap_or("");
        let words = phrase.split_whitespace().count();
        if words > 1 && LEADING.contains(&first.to_ascii_lowercase().as_str()) {
            s += phrase.find(first).unwrap_or(0) + first.len();
            s += text[s..e].len() - text[s..e].trim_start().len();
        } else if words > 1 && TRAILING.contains(&last.to_ascii_lowercase().as_str()) {
            e = s + phrase.rfind(last).unwrap_or(phrase.len());
            e = s + text[s..e].trim_end().len();
        } else {
            return (s, e);
        }
    }
}

/// Fills a pronoun speaker's antecedent with the last name before it (a run of capitalised words within a few
/// sentences), else the last named speaker; remembers named speakers.
fn resolve_pronoun(text: &str, quote: &mut Quote, last_named: &mut Option<TextSpan>) {
    let Some(speaker) = quote.speaker.as_mut() else {
        return;
    };
    if speaker.pronoun && speaker.antecedent.is_none() {
        speaker.antecedent =
            last_name_before(text, speaker.span.start).or_else(|| last_named.clone());
    } else if speaker
        .span
        .text
        .split_whitespace()
        .any(|w| w.starts_with(char::is_uppercase))
    {
        *last_named = Some(speaker.span.clone());
    }
}

/// The last run of capitalised words before `at` (at most 400 bytes back) that is not a sentence opener, a
/// pronoun or a calendar word: the cheapest guess at whom "he" or "she" means.
fn last_name_before(text: &str, at: usize) -> Option<TextSpan> {
    const NOT_NAMES: &[&str] = &[
        "Later",
        "Earlier",
        "Meanwhile",
        "However",
        "Still",
        "Yet",
        "Now",
        "Today",
        "Yesterday",
        "Last",
        "Next",
        "There",
        "Here",
        "What",
        "Why",
        "How",
        "Where",
        "Who",
        "You",
        "Asked",
        "Speaking",
        "According",
        "The",
        "A",
        "An",
        "But",
        "And",
        "In",
        "On",
        "At",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "This",
        "That",
        "His",
        "Her",
        "Their",
        "Our",
        "When",
        "While",
        "After",
        "Before",
        "If",
        "As",
        "So",
        "Then",
        "Also",
        "For",
        // Sentence openers and group words that are capitalised but name nobody.
        "No",
        "Yes",
        "Not",
        "Over",
        "Well",
        "Although",
        "Though",
        "Given",
        "Under",
        "From",
        "With",
        "By",
        "Since",
        "Despite",
        "Even",
        "Both",
        "All",
        "Some",
        "Many",
        "Most",
        "Americans",
        "American",
        "Republicans",
        "Republican",
        "Democrats",
        "Democratic",
        "Hispanic",
        "Hispanics",
        "Latinos",
        "Muslims",
        "Muslim",
        "Senate",
        "House",
        "Congress",
    ];
    let from = clip_start(text, at, 400);
    let window = &text[from..at];
    // Every run of capitalised words in the window, in text order.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut open_run: Option<(usize, usize)> = None;
    for (i, word) in word_spans(window) {
        let bare =
            word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '’' && c != '\'');
        let bare = bare
            .trim_end_matches(['.', '’', '\''])
            .trim_end_matches("’s")
            .trim_end_matches("'s");
        // "I’m", "You’ve" and compounds such as "Asia-Pacific" or "Commander-in-Chief" name nobody.
        let contracted = bare.contains(['’', '\'']);
        let compound = bare.contains('-');
        let capital = bare.starts_with(char::is_uppercase)
            && bare.len() > 1
            && !NOT_NAMES.contains(&bare)
            // "May" may be a name (Theresa May).
            && (bare == "May" || !WEEKDAYS_AND_MONTHS.contains(&bare))
            && !contracted
            && !compound;
        let at_word = i + word.find(bare).unwrap_or(0);
        if capital {
            let run = match open_run {
                Some((s, _)) => (s, at_word + bare.len()),
                None => (at_word, at_word + bare.len()),
            };
            // A name ends at punctuation, a closing quotation mark included: "Clinton, Sanders" are two, and so
            // are "the EU.”" and "Obama" in the next paragraph.
            let closing = word.ends_with(['”', '"', '’', ')', '!', '?']);
            if closing || word.ends_with([',', '.', ';', ':']) && !is_abbreviation(word) {
                runs.push(run);
                open_run = None;
            } else {
                open_run = Some(run);
            }
        } else if let Some(run) = open_run.take() {
            runs.push(run);
        }
    }
    runs.extend(open_run);
    // The subject of a sentence is the likelier antecedent ("Comey said there was clear evidence that Clinton
    // was careless ..., he said" means Comey): the last name that opens a sentence or clause, or that a verb
    // follows, else the last name.
    let is_subject = |&(s, e): &(usize, usize)| {
        let before = window[..s].trim_end();
        let after = window[e..].trim_start();
        let opens = before.is_empty()
            || before.ends_with(['.', '!', '?', '\n', '”', '"', ':'])
            || before.ends_with("While")
            || before.ends_with("while")
            || before.ends_with("As")
            || before.ends_with("as");
        let next = after.split_whitespace().next().unwrap_or("");
        let verb_follows = next.starts_with(char::is_lowercase)
            && (is_verb_like(next)
                || (next.len() > 2 && next.ends_with('s') && !next.ends_with("ss")));
        opens || verb_follows
    };
    let chosen = runs.iter().rev().find(|r| is_subject(r)).or(runs.last())?;
    Some(TextSpan::of(text, from + chosen.0, from + chosen.1))
}

/// Reported speech in a sentence without quotation marks, if it has a cue with a speaker and something said.
fn indirect_speech(text: &str, cues: &[(usize, usize)], start: usize, end: usize) -> Option<Quote> {
    let s = &text[start..end];
    if s.len() > 2000 {
        return None;
    }
    let &(cs, ce) = cues_in(cues, start, end).first()?;
    let sentence_end = start + s.trim_end().trim_end_matches(['.', '!', '?']).len();
    let after = text[ce..sentence_end].trim();
    let cue_word = text[cs..ce].to_ascii_lowercase();
    if cue_word.starts_with("according") {
        return None;
    }
    // "..., the Iranian Embassy in Moscow said on its Telegram channel.": the speaker is all between the last
    // comma and the cue, and what follows the cue is no clause of its own.
    let before_cue = &text[start..cs];
    let speaker_before = before_cue.rfind(", ").and_then(|comma| {
        let np = &before_cue[comma + 2..];
        let words = np.split_whitespace().count();
        if (1..=10).contains(&words) && !np.contains(['“', '”', '"']) {
            trim_span_opt(text, start + comma + 2, cs)
        } else {
            None
        }
    });
    let adverbial_after = after.split_whitespace().count() <= 1
        || after.split_whitespace().next().is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "on" | "in"
                    | "at"
                    | "during"
                    | "after"
                    | "before"
                    | "via"
                    | "through"
                    | "late"
                    | "early"
                    | "last"
                    | "this"
                    | "yesterday"
                    | "today"
            )
        });
    if adverbial_after && speaker_before.is_some() {
        // "A team was in Moscow, Zakharova said."
        let speaker = speaker_before?;
        let content_end = start
            + text[start..speaker.0]
                .trim_end()
                .trim_end_matches(',')
                .len();
        let content = trim_span_opt(text, start, content_end)?;
        return Some(Quote {
            content: TextSpan::of(text, content.0, content.1),
            kind: QuoteKind::Indirect,
            speaker: Some(make_speaker(text, speaker.0, speaker.1)),
            cue: Some(TextSpan::of(text, cs, ce)),
            via: None,
            sentence: 0,
        });
    }
    // "Zakharova said (that) a team was in Moscow": something clause-like must follow.
    let rest = &text[ce..sentence_end];
    let lead = rest.len() - rest.trim_start().len();
    let mut content_start = ce + lead;
    let rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix("that ") {
        content_start = sentence_end - r.len();
    } else if !matches!(
        cue_word.as_str(),
        "said"
            | "says"
            | "say"
            | "told"
            | "added"
            | "saying"
            | "adding"
            | "noted"
            | "warned"
            | "stressed"
    ) {
        return None;
    }
    if text[content_start..sentence_end].split_whitespace().count() < 3 {
        return None;
    }
    let speaker = speaker_for_cue(text, start, cs)?;
    Some(Quote {
        content: TextSpan::of(text, content_start, sentence_end),
        kind: QuoteKind::Indirect,
        speaker: Some(make_speaker(text, speaker.0, speaker.1)),
        cue: Some(TextSpan::of(text, cs, ce)),
        via: None,
        sentence: 0,
    })
}

/// The cues lying wholly within `from..to`, from the text's sorted cue list.
fn cues_in(cues: &[(usize, usize)], from: usize, to: usize) -> &[(usize, usize)] {
    let first = cues.partition_point(|c| c.0 < from);
    let last = cues.partition_point(|c| c.0 < to);
    let inside = &cues[first..last.max(first)];
    match inside.last() {
        Some(c) if c.1 > to => &inside[..inside.len() - 1],
        _ => inside,
    }
}

/// The text up to the end of the current sentence (a stop followed by a space and a capital).
fn sentence_rest(s: &str) -> &str {
    for (i, c) in s.char_indices() {
        if matches!(c, '.' | '!' | '?' | '\n') {
            let mut r = s[i + 1..].chars();
            let ends = match (r.next(), r.next()) {
                (Some(w), Some(n)) if w.is_whitespace() => n.is_uppercase() || !n.is_alphanumeric(),
                // "McConnell, R-Ky., said", "Rubio (R-Fla.) said": a stop that a comma, a bracket or a letter
                // follows ends no sentence.
                (Some(w), _) if w == ',' || w == ';' || w == ')' || w.is_alphanumeric() => false,
                _ => true,
            };
            // "said Gov. Kasich": a title's or an initial's stop does not end the sentence.
            let word = s[..i + 1].rsplit(char::is_whitespace).next().unwrap_or("");
            if c == '.' && is_abbreviation(word) && !opens_sentence_after_abbreviation(&s[i + 1..])
            {
                continue;
            }
            if ends || c == '\n' {
                return &s[..i];
            }
        }
    }
    s
}

/// Whether the words after an abbreviation's stop open a new sentence: "in the U.S. He says" ends one, as a
/// pronoun or an article after a stop never goes on with a name.
fn opens_sentence_after_abbreviation(rest: &str) -> bool {
    const OPENERS: [&str; 12] = [
        "He", "She", "They", "It", "We", "I", "The", "But", "This", "That", "His", "Her",
    ];
    rest.starts_with(char::is_whitespace)
        && rest
            .split_whitespace()
            .next()
            .is_some_and(|w| OPENERS.contains(&w.trim_end_matches([',', '’', '\''])))
}

/// The text since the start of the current sentence.
fn sentence_tail(s: &str) -> &str {
    let mut cut = 0;
    for (i, c) in s.char_indices() {
        if c == '\n' {
            cut = i + 1;
        } else if matches!(c, '.' | '!' | '?') {
            // A quotation closing with the sentence (`“far from perfect.” He cited`) belongs to it.
            let rest = &s[i + 1..];
            let closing = rest.len() - rest.trim_start_matches(['”', '"', '’', '»', '\'']).len();
            let rest = &rest[closing..];
            let mut r = rest.trim_start().chars();
            let spaced = rest.starts_with(char::is_whitespace);
            let next_opens = match r.next() {
                None => true,
                Some(n) => n.is_uppercase() || matches!(n, '“' | '"' | '«' | '„' | '‘'),
            };
            let word = s[..i + 1].rsplit(char::is_whitespace).next().unwrap_or("");
            let held = c == '.'
                && closing == 0
                && is_abbreviation(word)
                && !opens_sentence_after_abbreviation(rest);
            if spaced && next_opens && !held {
                cut = i + 1 + closing;
            }
        }
    }
    &s[cut..]
}

fn trim_span(text: &str, start: usize, end: usize) -> TextSpan {
    let (s, e) = trim_span_opt(text, start, end).unwrap_or((start, end));
    TextSpan::of(text, s, e)
}

/// Trims spaces and punctuation off both ends of `start..end`; `None` if nothing is left.
fn trim_span_opt(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let s = &text[start..end];
    let trim = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '—' | '–');
    let left = s.len() - s.trim_start_matches(trim).len();
    let right = s.trim_end_matches(trim).len();
    (left < right).then_some((start + left, start + right))
}

fn clip_end(text: &str, at: usize, len: usize) -> usize {
    let mut end = (at + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

fn clip_start(text: &str, at: usize, len: usize) -> usize {
    let mut start = at.saturating_sub(len);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    start
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests;
