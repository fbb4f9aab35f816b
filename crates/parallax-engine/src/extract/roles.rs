//! Roles and affiliations of people, read from the text around their names.
//!
//! Four constructions cover most of what news copy says about who someone is:
//!
//! - a title before the name: "Russian Deputy Foreign Minister Mikhail Bogdanov", "Political Deputy at the Iranian
//!   Foreign Ministry Ali Bagheri Kani", "Hamas leader Ismail Haniyeh";
//! - an apposition after it: "Abu Marzouk, a member of the Hamas politburo,", "Sergei Ryabkov, Russia's deputy
//!   foreign minister for North and South American countries.";
//! - a relative clause: "Mikhail Bogdanov, who also serves as special presidential envoy for the Middle East";
//! - a lede that describes before it names: "Iran's deputy foreign minister for political affairs has held talks
//!   ..." followed by a sentence that opens with "Ali Bagheri Kani".
//!
//! Precision comes first: a candidate is a role only when it holds a word from a list of role nouns (minister,
//! spokeswoman, member, leader, envoy, ...). A country or possessive that opens the role ("Russian", "Iran's") is
//! the affiliation and is left out of the title; otherwise the affiliation is the organisation named inside the
//! role ("a spokeswoman for the Russian Foreign Ministry"), if any. Each role keeps the sentence and byte offsets
//! of its title text. The scan looks at most [`MAX_ROLE_TOKENS`] tokens either side of a name, so the work is
//! linear in the text.

use parallax_model::{Article, EntityKind, Role};

use super::entities::Found;
use super::tokens::Tokens;

/// The longest title or apposition read, in tokens.
pub const MAX_ROLE_TOKENS: usize = 24;

/// Nouns that make a phrase a role. Compared in lowercase.
const ROLE_WORDS: &[&str] = &[
    "minister",
    "deputy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "member",
    "leader",
    "president",
    "envoy",
    "ambassador",
    "head",
    "chief",
    "director",
    "secretary",
    "official",
    "diplomat",
    "adviser",
    "advisor",
    "chairman",
    "chairwoman",
    "chair",
    "commander",
    "general",
    "representative",
    "correspondent",
    "analyst",
    "professor",
    "editor",
    "ceo",
    "founder",
    "premier",
    "chancellor",
    "governor",
    "mayor",
    "senator",
    "lawmaker",
    "legislator",
    "king",
    "queen",
    "prince",
    "emir",
    "sheikh",
    "officer",
    "negotiator",
    "mediator",
    "aide",
    "lawyer",
    "attorney",
    "judge",
    "prosecutor",
    "counterpart",
    "economist",
    "researcher",
    "expert",
    "fellow",
    "speaker",
    "counsellor",
    "counselor",
    "coordinator",
    "manager",
    "executive",
    "chairperson",
    "politician",
    "activist",
    "journalist",
    "reporter",
    "colonel",
    "captain",
    "lieutenant",
    "sergeant",
    "admiral",
    "marshal",
    "commissioner",
    "delegate",
    "consul",
    "attache",
    "ministers",
    "members",
    "leaders",
    "officials",
    "spokesmen",
    "head",
    "cleric",
    "spokeswomen",
    "coach",
    "player",
    "striker",
];

const CONNECTORS: &[&str] = &["at", "of", "for", "the", "and", "in", "on"];
const STOPS: &[&str] = &[
    ",", ".", ";", ":", ")", "\"", "“", "”", "!", "?", "(", "—", "–",
];
const CLAUSE_WORDS: &[&str] = &[
    "who", "which", "that", "said", "says", "told", "added", "has", "have", "had", "was", "is",
];
const OPENERS: &[&str] = &[
    "On",
    "In",
    "At",
    "The",
    "But",
    "And",
    "Also",
    "Separately",
    "Meanwhile",
    "After",
    "When",
    "As",
    "According",
];

fn is_role_word(word: &str) -> bool {
    word.len() <= 16 && ROLE_WORDS.iter().any(|r| r.eq_ignore_ascii_case(word))
}

struct View<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    /// For each token, the index into `found` of the mention covering it.
    owner: Vec<Option<usize>>,
    found: &'a [Found],
}

impl View<'_> {
    fn word(&self, i: usize) -> &str {
        let t = self.tokens.tokens[i];
        &self.text[t.start..t.end]
    }
    fn kind(&self, i: usize) -> Option<EntityKind> {
        self.owner[i].map(|m| self.found[m].mention.kind)
    }
    fn possessive(&self, i: usize) -> bool {
        matches!(self.word(i), "'s" | "’s" | "'S" | "’S" | "'" | "’")
    }
}

/// Finds the roles the article gives the people among `found`.
pub(crate) fn find_roles(article: &Article, tokens: &Tokens, found: &[Found]) -> Vec<Role> {
    let mut owner = vec![None; tokens.tokens.len()];
    for (m, f) in found.iter().enumerate() {
        for slot in &mut owner[f.tokens.clone()] {
            *slot = Some(m);
        }
    }
    let view = View {
        text: &article.text,
        tokens,
        owner,
        found,
    };
    let mut roles = Vec::new();
    for (m, f) in found.iter().enumerate() {
        if f.mention.kind != EntityKind::Person {
            continue;
        }
        let sentence = &tokens.sentences[f.mention.sentence];
        if let Some(span) = title_before(&view, f.tokens.start, sentence.tokens.start) {
            roles.extend(make_role(&view, m, span, f.mention.sentence));
        }
        if let Some(span) = apposition_after(&view, f.tokens.end, sentence.tokens.end) {
            roles.extend(make_role(&view, m, span, f.mention.sentence));
        }
    }
    roles.extend(lede_roles(&view));
    roles.sort_by_key(|r| (r.start, r.end));
    roles
}

/// Verbs that end a description opening a sentence ("Iran's deputy foreign minister ... has held talks").
const LEDE_VERBS: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "was",
    "said",
    "says",
    "met",
    "held",
    "told",
    "will",
    "would",
    "called",
    "urged",
    "arrived",
    "made",
    "visited",
    "warned",
    "announced",
    "discussed",
    "signed",
    "spoke",
    "stressed",
];

/// A news lede that describes someone before naming them: a sentence opening with a title and a verb ("Iran's
/// deputy foreign minister for political affairs has held talks ...") whose person is named at the start of one
/// of the next two sentences ("Ali Bagheri Kani made the suggestions ..."). The role keeps the first sentence's
/// provenance. A plural title ("deputy foreign ministers") describes several people and is skipped.
fn lede_roles(view: &View<'_>) -> Vec<Role> {
    let mut roles = Vec::new();
    let sentences = &view.tokens.sentences;
    for (si, sentence) in sentences.iter().enumerate() {
        let (mut a, end) = (sentence.tokens.start, sentence.tokens.end);
        // A dateline ("TEHRAN -", "MOSCOW,") before the lede.
        let mut k = a;
        while k < end && k - a < 4 {
            let w = view.word(k);
            let shouted = w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
            if shouted || matches!(w, "-" | "–" | "—" | "," | ":") {
                k += 1;
            } else {
                break;
            }
        }
        if k > a && matches!(view.word(k - 1), "-" | "–" | "—" | "," | ":") {
            a = k;
        }
        let mut b = a;
        while b < end && b - a < MAX_ROLE_TOKENS {
            let w = view.word(b);
            if LEDE_VERBS.contains(&w)
                || STOPS.contains(&w)
                || view.kind(b) == Some(EntityKind::Person)
            {
                break;
            }
            b += 1;
        }
        if b >= end || b == a || !LEDE_VERBS.contains(&view.word(b)) {
            continue;
        }
        let head_is_singular = (a..b)
            .filter(|&i| view.kind(i).is_none() && is_role_word(view.word(i)))
            .all(|i| {
                let w = view.word(i).to_lowercase();
                !(w.ends_with('s') && ROLE_WORDS.contains(&&w[..w.len() - 1]))
            });
        if !head_is_singular {
            continue;
        }
        let named = sentences[si + 1..sentences.len().min(si + 3)]
            .iter()
            .find_map(|next| {
                view.owner[next.tokens.start]
                    .filter(|&m| view.found[m].mention.kind == EntityKind::Person)
            });
        if let Some(person) = named {
            roles.extend(make_role(view, person, (a, b), si));
        }
    }
    roles
}

/// The title tokens right before a name: capitalised words, role nouns, named places and organisations, their
/// possessives, and the small words between them ("at the").
fn title_before(
    view: &View<'_>,
    name_start: usize,
    sentence_start: usize,
) -> Option<(usize, usize)> {
    let mut first = name_start;
    let mut k = name_start;
    while k > sentence_start && name_start - k < MAX_ROLE_TOKENS {
        let i = k - 1;
        let word = view.word(i);
        let accept = match view.kind(i) {
            Some(EntityKind::Person) => false,
            Some(_) => true,
            None => {
                let capital = word.chars().next().is_some_and(char::is_uppercase);
                (capital
                    && !(i == sentence_start && OPENERS.contains(&word))
                    && !STOPS.contains(&word))
                    || is_role_word(word)
                    || (view.possessive(i) && i > sentence_start && view.kind(i - 1).is_some())
                    || (first < name_start && CONNECTORS.contains(&word.to_lowercase().as_str()))
            }
        };
        if !accept {
            break;
        }
        k = i;
        if !CONNECTORS.contains(&word.to_lowercase().as_str()) {
            first = i;
        }
    }
    (first < name_start).then_some((first, name_start))
}

/// An apposition (", a member of the Hamas politburo,") or relative clause (", who also serves as special envoy")
/// right after a name.
fn apposition_after(
    view: &View<'_>,
    name_end: usize,
    sentence_end: usize,
) -> Option<(usize, usize)> {
    if name_end >= sentence_end || view.word(name_end) != "," {
        return None;
    }
    let mut start = name_end + 1;
    if start < sentence_end && view.word(start).eq_ignore_ascii_case("who") {
        // who [also|now|currently] serves as / is / was ...
        let mut j = start + 1;
        while j < sentence_end && j - start < 4 {
            let w = view.word(j).to_lowercase();
            if matches!(
                w.as_str(),
                "serves" | "served" | "works" | "worked" | "acts" | "acted"
            ) {
                // "serves as envoy": the role follows "as".
                if j + 1 < sentence_end && view.word(j + 1).eq_ignore_ascii_case("as") {
                    start = j + 2;
                }
                break;
            }
            if matches!(w.as_str(), "is" | "was") {
                // "who is the mayor", "who is Russia's envoy", but not "who is expected to ...".
                let next = (j + 1 < sentence_end).then(|| view.word(j + 1));
                if next.is_some_and(|n| {
                    matches!(
                        n.to_lowercase().as_str(),
                        "a" | "an" | "the" | "also" | "now"
                    ) || view.kind(j + 1).is_some_and(|k| k != EntityKind::Person)
                }) {
                    start = j + 1;
                }
                break;
            }
            j += 1;
        }
        if start <= name_end + 1 {
            return None;
        }
    }
    if start >= sentence_end || view.kind(start) == Some(EntityKind::Person) {
        return None;
    }
    let mut end = start;
    while end < sentence_end && end - start < MAX_ROLE_TOKENS {
        let w = view.word(end);
        if STOPS.contains(&w) || (view.kind(end).is_none() && CLAUSE_WORDS.contains(&w)) {
            break;
        }
        end += 1;
    }
    // A list of names ("Armenia, Georgia and Azerbaijan") or a clause is not an apposition: it must not run into a
    // verb-like word or reach the sentence's end without a stop unless it ends the sentence.
    (end > start).then_some((start, end))
}

/// Turns a candidate title span into a role: strips articles and a leading country or possessive (which become the
/// affiliation), and keeps it only when it holds a role noun.
fn make_role(
    view: &View<'_>,
    person: usize,
    (mut a, b): (usize, usize),
    sentence: usize,
) -> Option<Role> {
    if !(a..b).any(|i| view.kind(i).is_none() && is_role_word(view.word(i))) {
        return None;
    }
    let mut affiliation = None;
    loop {
        if a >= b {
            return None;
        }
        let w = view.word(a);
        let lower = w.to_lowercase();
        if matches!(
            lower.as_str(),
            "a" | "an"
                | "the"
                | "["
                | "]"
                | "("
                | "also"
                | "now"
                | "currently"
                | "its"
                | "his"
                | "her"
                | "their"
        ) || lower.ends_with("-year-old")
        {
            a += 1;
            continue;
        }
        // "the trust's chief executive": the possessor is a reference this part does not resolve.
        if view.owner[a].is_none()
            && a + 1 < b
            && view.possessive(a + 1)
            && w.chars().all(char::is_lowercase)
        {
            a += 2;
            continue;
        }
        // A country, or any name followed by a possessive, opens the title: it is the affiliation.
        if let Some(m) = view.owner[a] {
            let end = view.found[m].tokens.end;
            let mut after = end;
            while after < b && matches!(view.word(after), "]" | ")") {
                after += 1;
            }
            let possessive = after < b && view.possessive(after);
            if view.found[m].mention.kind == EntityKind::Place || possessive {
                affiliation.get_or_insert(m);
                a = if possessive { after + 1 } else { after };
                continue;
            }
        }
        break;
    }
    let mut b = b;
    while b > a && matches!(view.word(b - 1), "]" | ")" | "[" | "(") {
        b -= 1;
    }
    if a >= b {
        return None;
    }
    let inside_org = (a..b)
        .filter_map(|i| view.owner[i])
        .find(|&m| view.found[m].mention.kind == EntityKind::Organisation);
    let affiliation = affiliation.or(inside_org);
    let (start, end) = (view.tokens.tokens[a].start, view.tokens.tokens[b - 1].end);
    Some(Role {
        person: view.found[person].mention.entity.clone(),
        title: view.text[start..end].to_owned(),
        affiliation: affiliation.map(|m| view.found[m].mention.entity.clone()),
        article: view.found[person].mention.article.clone(),
        sentence,
        start,
        end,
    })
}
