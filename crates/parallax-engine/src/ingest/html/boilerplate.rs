//! Boilerplate paragraphs the extractor lets through, dropped from its output.
//!
//! The extractor judges blocks of the page; what slips past it are single paragraphs that sit inside the article's
//! container but are the site talking, not the story: "Read also: ..." links, a "More on this topic" heading
//! followed by a list of other headlines, subscription and newsletter prompts, photo credits, comment counters
//! and bare timestamps. Each rule below names one such habit of news sites, in the languages Parallax reads.

use std::sync::LazyLock;

use regex::Regex;

fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("boilerplate patterns are valid")
}

/// A link to another story, introduced the way newsrooms do it ("Read also:", "LE PUEDE INTERESAR:", "Czytaj też:").
static READ_ALSO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^[>»\W]*(lea (también|más|además)|lea|le puede interesar|vea también|mira|puedes ver|te puede interesar|también te puede interesar|lee también|read more|read also|also read|see also|related|more on this|czytaj (też|także|również|więcej)|zobacz (też|także|również)|dowiedz się więcej|lesen sie (auch|hier|mehr)|auch lesen|mehr zum thema|weiterlesen|à lire aussi|a lire aussi|lire aussi|voir aussi|leia (também|mais)|veja (também|mais)|leggi anche|potrebbe interessarti)\b\s*[:»>–-]",
    )
});

/// A heading that opens a box of other stories ("More on this topic", "Weitere Artikel", "Contenido relacionado").
static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^(auch interessant|das könnte (sie|dich) auch interessieren|das thema könnte dich auch interessieren|weitere themen|weitere artikel( zum thema)?|weitere beiträge.*|empfohlene beiträge|neueste artikel|mehr themen|mehr zum thema.*|videos zum thema|schon gelesen|zum weiterlesen|lesen sie auch.*|kommentierte artikel|meist-diskutiert|contenido relacionado|más sobre .*|temas|related (articles|stories|posts)|you may also like|more stories|recommended|read next|trending|popular|most read|more from .*|à lire aussi|sur le même sujet|dans la même rubrique|entdecke weitere .*|beiträge aus dem forum|noticias relacionadas|te puede interesar|también te puede interesar)\s*[:!?.]?$",
    )
});

/// A prompt to subscribe, sign up, follow or donate, or a rights notice.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(newsletter|subscribe|subscription|subscribers?|sign up|abonnieren sie|abonnement|suscríbete|suscribirse|suscripción|subskrypcji|inscrivez-vous|zum newsletter|follow us|síguenos|siguenos|folge uns|telegram|donate|support our|all rights reserved|alle rechte vorbehalten|todos los derechos|tous droits)\b",
    )
});

/// A photo credit or source line.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^(©|\(?credit:|\(?foto:|fotos?:|bild:|titelbild:|beitragsbild:|copyright|crédits? photos?|image:|photo:|quelle:|source:|fuente:|\(?photo credit)",
    )
});

/// A comment counter or comment-form notice.
static COMMENTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^(keine kommentare|kommentare( insgesamt| schreiben)?|\d+ kommentare?|no comments|leave a (comment|reply)|comments?|inscription à|publier les commentaires|sie sind aktuell nicht eingeloggt)\b.{0,60}$",
    )
});

/// A paragraph that is only a date or a time.
static BARE_TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^[\W\d]*(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}:\d\d( ?[ap]m)?)[\W\d]*$",
    )
});

/// Drops boilerplate paragraphs from extracted text (paragraphs separated by blank lines). A related-stories
/// heading in the second half of the text ends it: what follows such a heading is the list it announces.
pub(crate) fn drop_boilerplate_paragraphs(text: &str) -> String {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let total: usize = paragraphs.iter().map(|p| p.len()).sum();
    let mut seen = 0;
    let mut kept = Vec::with_capacity(paragraphs.len());
    for paragraph in paragraphs {
        seen += paragraph.len();
        let p = paragraph.trim();
        let chars = p.chars().count();
        if RELATED_HEADING.is_match(p) {
            if seen * 2 > total {
                break;
            }
            continue;
        }
        let boilerplate = (chars < 250 && READ_ALSO.is_match(p))
            || (chars < 200 && PROMPT.is_match(p))
            || (chars < 150 && CREDIT.is_match(p))
            || COMMENTS.is_match(p)
            || (chars < 40 && BARE_TIMESTAMP.is_match(p));
        if !boilerplate {
            kept.push(paragraph);
        }
    }
    kept.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &str) {
        assert_eq!(drop_boilerplate_paragraphs(text), expect, "{text}");
    }

    #[test]
    fn drops_links_prompts_credits_and_timestamps() {
        check(
            "The council met on Monday.\n\nRead also: Ferry fares rise again\n\nIt voted for the plan.\n\n\
             LE PUEDE INTERESAR: Otra noticia\n\n© Varnholm Courier / Ilse Marrow\n\n14.03.2024\n\n\
             Sign up for our newsletter!\n\nThe vote was close.",
            "The council met on Monday.\n\nIt voted for the plan.\n\nThe vote was close.",
        );
    }

    #[test]
    fn a_late_related_heading_ends_the_text_and_an_early_one_is_dropped() {
        check(
            "First paragraph of the story, long enough to count.\n\nSecond paragraph of the story.\n\n\
             More stories\n\nFerry fares rise again\n\nBridge tolls debated",
            "First paragraph of the story, long enough to count.\n\nSecond paragraph of the story.",
        );
        check(
            "Related articles\n\nThe story itself begins here and goes on for a good while longer.",
            "The story itself begins here and goes on for a good while longer.",
        );
    }

    #[test]
    fn keeps_paragraphs_that_merely_mention_the_words() {
        let text = "Readers who subscribe to the paper's print edition pay more this year, the publisher said on \
                    Tuesday, after paper prices doubled within twelve months and two of the three printing plants \
                    in the region closed for good.\n\n\
                    Related talks will follow in May.";
        check(text, text);
    }
}
