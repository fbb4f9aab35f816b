//! Quote finding and attribution on sentences written for the tests.

use super::*;

/// Finds the quotes in `text` and compares `kind|content|speaker|cue|via` lines, in order.
fn check(text: &str, expect: &[&str]) {
    let found: Vec<String> = find_quotes(text)
        .iter()
        .map(|q| {
            format!(
                "{:?}|{}|{}|{}|{}",
                q.kind,
                q.content.text,
                q.speaker.as_ref().map_or("-", |s| s.span.text.as_str()),
                q.cue.as_ref().map_or("-", |c| c.text.as_str()),
                q.via.as_ref().map_or("-", |s| s.span.text.as_str()),
            )
        })
        .collect();
    assert_eq!(found, expect, "in {text:?}");
}

#[test]
fn speaker_after_the_quote() {
    check(
        "\"The talks went well and will go on,\" the embassy said.",
        &["Direct|\"The talks went well and will go on,\"|the embassy|said|-"],
    );
    check(
        "“We do not know where he is,” said Paul Moskal, a spokesman for the bureau.",
        &["Direct|“We do not know where he is,”|Paul Moskal|said|-"],
    );
}

#[test]
fn speaker_before_the_quote() {
    check(
        "Zakharova told reporters: « The group is in Moscow for talks. »",
        &["Direct|« The group is in Moscow for talks. »|Zakharova|told|-"],
    );
    check(
        "Er sagte „Wir sind bereit zu verhandeln.“ Dann ging er.",
        &["Direct|„Wir sind bereit zu verhandeln.“|-|-|-"],
    );
}

#[test]
fn quoting_gives_the_quote_to_the_source_via_the_intermediary() {
    check(
        "\"Our priority is a ceasefire,\" the embassy said, quoting the deputy foreign minister.",
        &["Direct|\"Our priority is a ceasefire,\"|the deputy foreign minister|said|the embassy"],
    );
}

#[test]
fn participle_cue_gives_the_quote_to_the_subject() {
    check(
        "TEHRAN- Iran’s deputy foreign minister has held talks in Moscow, saying that Tehran’s “priority is an immediate cease-fire.”",
        &[
            "Mixed|Tehran’s “priority is an immediate cease-fire.”|Iran’s deputy foreign minister|saying|-",
        ],
    );
}

#[test]
fn quotes_run_over_paragraphs_and_continue_after_attribution() {
    check(
        "“The first part goes on here,” he said. “And a second part follows.\n\n“Then a third paragraph ends it.”",
        &[
            "Direct|“The first part goes on here,”|he|said|-",
            "Direct|“And a second part follows.\n\n“Then a third paragraph ends it.”|he|said|-",
        ],
    );
}

#[test]
fn every_quotation_style_is_paired() {
    let said = |q: &str| format!("{q} the minister said.");
    check(
        &said("“We want a ceasefire now,”"),
        &["Direct|“We want a ceasefire now,”|the minister|said|-"],
    );
    check(
        &said("\"We want a ceasefire now,\""),
        &["Direct|\"We want a ceasefire now,\"|the minister|said|-"],
    );
    check(
        &said("«We want a ceasefire now,»"),
        &["Direct|«We want a ceasefire now,»|the minister|said|-"],
    );
    check(
        &said("„We want a ceasefire now,“"),
        &["Direct|„We want a ceasefire now,“|the minister|said|-"],
    );
    check(
        &said("‘We want a ceasefire now,’"),
        &["Direct|‘We want a ceasefire now,’|the minister|said|-"],
    );
    check(
        &said("``We want a ceasefire now,''"),
        &["Direct|``We want a ceasefire now,''|the minister|said|-"],
    );
}

#[test]
fn a_quote_over_several_paragraphs_is_one_quote_in_every_style() {
    for (open, close) in [("“", "”"), ("\"", "\""), ("«", "»"), ("„", "“")] {
        let text = format!(
            "The minister said: {open}We came to talk about the aid convoys.\n\n{open}We leave with a plan \
             for them.\n\n{open}And we will meet again next week.{close}\n\nThe talks ended."
        );
        let quotes = find_quotes(&text);
        let direct: Vec<_> = quotes
            .iter()
            .filter(|q| q.kind == QuoteKind::Direct)
            .collect();
        assert_eq!(direct.len(), 1, "{open}: {quotes:?}");
        assert!(direct[0].content.text.starts_with(open));
        assert!(
            direct[0]
                .content
                .text
                .ends_with(&format!("next week.{close}"))
        );
        assert_eq!(
            direct[0].speaker.as_ref().unwrap().span.text,
            "The minister"
        );
    }
}

#[test]
fn speakers_after_the_quote_with_titles_and_any_verb() {
    check(
        "“I fundamentally disagree,” said retired Army Lt. Gen. Mick Bednarek, who served in Iraq.",
        &["Direct|“I fundamentally disagree,”|retired Army Lt. Gen. Mick Bednarek|said|-"],
    );
    check(
        "“Carolina’s going to win that one,” Gov. Kasich replied.",
        &["Direct|“Carolina’s going to win that one,”|Gov. Kasich|replied|-"],
    );
    check(
        "“Donald Trump is not a racist, guys,” LeVell pleaded with the crowd.",
        &["Direct|“Donald Trump is not a racist, guys,”|LeVell|-|-"],
    );
}

#[test]
fn a_quote_without_a_cue_goes_to_its_sentence_subject() {
    check(
        "Fiorina routinely styles herself as a “change warrior” at rallies.",
        &["Direct|“change warrior”|Fiorina|-|-"],
    );
    check(
        "On Thursday, Lee offered his support to “a real conservative” in the race.",
        &["Direct|“a real conservative”|Lee|-|-"],
    );
    // A short quote that nobody is said to use stays a scare quote.
    check("The “so-called” deal was signed.", &[]);
    check(
        "When Trump was asked about it, the “tremendous” deal was signed.",
        &[],
    );
}

#[test]
fn a_quote_in_its_own_sentence_is_no_continuation() {
    check(
        "“We will win,” Trump said.\n\nFiorina calls herself a “change warrior” now.",
        &[
            "Direct|“We will win,”|Trump|said|-",
            "Direct|“change warrior”|Fiorina|-|-",
        ],
    );
}

#[test]
fn inverted_cues_and_clauses_before_the_cue() {
    check(
        "But, said Solovey, “I don’t want to drum up conflict with him.”",
        &["Direct|“I don’t want to drum up conflict with him.”|Solovey|said|-"],
    );
    check(
        "An Israeli official, speaking on condition of anonymity, said Netanyahu “will meet with any candidate.”",
        &["Direct|“will meet with any candidate.”|An Israeli official|said|-"],
    );
    check(
        "Axelrod tweeted after Clinton argued that “everyone had voted as he voted.”",
        &["Direct|“everyone had voted as he voted.”|Clinton|argued|-"],
    );
}

#[test]
fn a_relative_pronoun_before_the_cue_is_the_speaker_and_stands_for_the_name() {
    let text =
        "“We will fight on,” said Adams, who added that the party “will not give up the seat.”";
    check(
        text,
        &[
            "Direct|“We will fight on,”|Adams|said|-",
            "Mixed|the party “will not give up the seat.”|who|added|-",
        ],
    );
    let who = find_quotes(text)[1].speaker.clone().unwrap();
    assert!(who.pronoun);
    assert_eq!(who.antecedent.unwrap().text, "Adams");
    check(
        "Voters like Lopez, who has called the plan “a gift to landlords and nobody else.”",
        &["Direct|“a gift to landlords and nobody else.”|who|called|-"],
    );
}

#[test]
fn a_name_before_an_age_or_a_state_after_the_quote_is_the_speaker() {
    check(
        "“The levy will pass easily,” Harlan, 61, told the council on Monday.",
        &["Direct|“The levy will pass easily,”|Harlan|told|-"],
    );
    // A state's abbreviation with its stop ends no sentence.
    check(
        "“We will hold the line on taxes,” Senate Leader Bo Tate, R-Ky., said.",
        &["Direct|“We will hold the line on taxes,”|Senate Leader Bo Tate|said|-"],
    );
}

#[test]
fn an_inverted_cue_after_a_comma_has_its_speaker_after_it() {
    check(
        "“Turnout will decide it” if the rain holds off, said Ada Ruiz, a pollster in Reno.",
        &["Direct|“Turnout will decide it”|Ada Ruiz|said|-"],
    );
    check(
        "The trouble, says Prof. Lin Moss, is that the plan is “simply too late.”",
        &["Mixed|is that the plan is “simply too late.”|Prof. Lin Moss|says|-"],
    );
    // A cue with an object, a date or a clause after it keeps its speaker before it.
    check(
        "Mayor Hill, a Democrat, said Friday that the deal was “a fair one for all.”",
        &["Mixed|Friday that the deal was “a fair one for all.”|Mayor Hill|said|-"],
    );
    check(
        "Ruiz, 44, said Tate “has never once answered the question.”",
        &["Direct|“has never once answered the question.”|Ruiz|said|-"],
    );
}

#[test]
fn opening_adverbials_and_appositions_are_passed_over_to_the_subject() {
    check(
        "Here in Dayton, Mills stepped up her attacks, saying, “We have had enough of this.”",
        &["Direct|“We have had enough of this.”|Mills|saying|-"],
    );
    check(
        "Speaking in Salem, New Hampshire, Tate went after Ruiz, calling him “a total failure.”",
        &["Direct|“a total failure.”|Tate|calling|-"],
    );
    check(
        "Ruiz, the state’s former governor, also attacked Tate, calling him a “loser.”",
        &["Mixed|him a “loser.”|Ruiz|calling|-"],
    );
    check(
        "Jo Hart, celebrating a win in her home state, is pledging to “fight for every vote.”",
        &["Mixed|to “fight for every vote.”|Jo Hart|pledging|-"],
    );
    // A dateline with a date and an agency is no subject.
    check(
        "DENVER, Dec. 8 (UPI) — After the vote, the mayor’s closest aide rallied supporters, saying: “We have to be ready.”",
        &["Direct|“We have to be ready.”|the mayor’s closest aide|saying|-"],
    );
}

#[test]
fn a_writing_or_a_subject_before_a_verb_in_s_uses_the_quote() {
    check(
        "The ad claims “Lena is the leader you can trust.”",
        &["Direct|“Lena is the leader you can trust.”|The ad|-|-"],
    );
    check(
        "On her campaign page, she vows to “protect the health law from repeal.”",
        &["Direct|“protect the health law from repeal.”|she|-|-"],
    );
    check(
        "Here in Dayton, Mills cites “years of broken promises.”",
        &["Direct|“years of broken promises.”|Mills|-|-"],
    );
    // A thing that speaks for nobody gives a scare quote no speaker.
    check("The old bridge needs “urgent care.”", &[]);
}

#[test]
fn an_attribution_closing_the_sentence_speaks_for_its_quote() {
    check(
        "Tate’s remarks feed “a climate of open contempt” for the courts, the lawyers’ group says.",
        &["Direct|“a climate of open contempt”|the lawyers’ group|says|-"],
    );
    check(
        "The campaign pays “several dozen” canvassers to knock on doors, according to its manager, Jo Hart.",
        &["Direct|“several dozen”|its manager|according to|-"],
    );
    // A cue before the quote keeps it.
    check(
        "Lee said Tate was “plainly unfit” for the job, the paper reported on Monday.",
        &["Mixed|Tate was “plainly unfit”|Lee|said|-"],
    );
}

#[test]
fn inverted_and_idiomatic_cues_before_the_quote() {
    check(
        "Said Ruiz, who grew up on the same street, “We were all so proud of her.”",
        &["Direct|“We were all so proud of her.”|Ruiz|Said|-"],
    );
    check(
        "As the senator put it, “Nobody here is in any hurry.”",
        &["Direct|“Nobody here is in any hurry.”|the senator|put it|-"],
    );
}

#[test]
fn citing_people_as_a_reason_is_no_intermediary() {
    check(
        "“Most of the anger is earned,” he continued, citing the many Americans who gave up looking for work.",
        &["Direct|“Most of the anger is earned,”|he|continued|-"],
    );
    check(
        "“This is no close race,” Hale said, citing Tate’s appeal to factory towns.",
        &["Direct|“This is no close race,”|Hale|said|-"],
    );
}

#[test]
fn a_participle_with_its_own_subject_gives_the_quote_to_it() {
    check(
        "Both senators saw the vote as a warning, with Hale noting that “nobody is safe this year.”",
        &["Direct|“nobody is safe this year.”|Hale|noting|-"],
    );
    check(
        "The two men issued a joint statement, Ruiz saying he was “very hopeful” and Tate calling it a “great start.”",
        &[
            "Mixed|he was “very hopeful”|Ruiz|saying|-",
            "Mixed|it a “great start.”|Tate|calling|-",
        ],
    );
    // The object of a verb is no subject of its own: the statement's issuer speaks.
    check(
        "Outside, Jo Hart issued a statement saying “Tax the rich, not the poor.”",
        &["Direct|“Tax the rich, not the poor.”|Jo Hart|saying|-"],
    );
    // A participle after a comma takes the sentence's subject.
    check(
        "Mills went after Tate on Monday, calling him “a total failure.”",
        &["Direct|“a total failure.”|Mills|calling|-"],
    );
}

#[test]
fn an_adverb_before_the_subject_is_no_part_of_it() {
    check(
        "The crowd cheered, and then Wallace continues: “We will win this county.”",
        &["Direct|“We will win this county.”|Wallace|continues|-"],
    );
    check(
        "Jo Hart, also speaking in Reno, said the plan was “dead on arrival.”",
        &["Mixed|the plan was “dead on arrival.”|Jo Hart|said|-"],
    );
}

#[test]
fn a_name_before_a_long_apposition_or_relative_clause_is_the_subject() {
    check(
        "Tate, who has a wide lead in delegates, mocked Ruiz for “having a rough night.”",
        &["Direct|“having a rough night.”|Tate|-|-"],
    );
    check(
        "Bill Mays, a Raleigh grocer who sat on the board until he quit in May, said the campaign was led astray by “bad advice.”",
        &["Mixed|the campaign was led astray by “bad advice.”|Bill Mays|said|-"],
    );
}

#[test]
fn a_stop_where_a_comma_belongs_still_takes_the_attribution_after_it() {
    check(
        "“If you are listening, find the missing files.” Tate said.",
        &["Direct|“If you are listening, find the missing files.”|Tate|said|-"],
    );
    // A new sentence that goes on after its cue is no attribution.
    check(
        "“We will find the missing files.” Tate said the search would take a week.",
        &["Direct|“We will find the missing files.”|-|-|-"],
    );
}

#[test]
fn the_nearest_clause_subject_a_dash_and_a_passive_agent() {
    check(
        "Ruiz proposed a debate in April, but the Tate campaign rejected the idea as “ludicrous.”",
        &["Direct|“ludicrous.”|the Tate campaign|-|-"],
    );
    check(
        "Hopes ran high, as they always can!— Ruiz called them on it: “Nobody here believes a word.”",
        &["Direct|“Nobody here believes a word.”|Ruiz|called|-"],
    );
    check(
        "The parade went on, with many marchers and spectators chanting “We are one city.”",
        &["Direct|“We are one city.”|many marchers and spectators|chanting|-"],
    );
    check(
        "The practice has been called “strategic ambiguity” by Ann Lee, a professor in Ohio.",
        &["Direct|“strategic ambiguity”|Ann Lee|-|-"],
    );
    check(
        "Ruiz was asked by the host, Jo Hart, “Do you regret the vote?”",
        &["Direct|“Do you regret the vote?”|the host|-|-"],
    );
}

#[test]
fn relative_clauses_and_elliptical_passives() {
    // A cue inside a relative clause has the relative pronoun for its speaker, standing for the name.
    let quotes = find_quotes(
        "Beck, who has in the past described Tate as “a danger to the republic,” spoke.",
    );
    let speaker = quotes[0].speaker.as_ref().unwrap();
    assert_eq!(speaker.span.text, "who");
    assert_eq!(speaker.antecedent.as_ref().unwrap().text, "Beck");
    // So does a quote with no cue inside one.
    let quotes =
        find_quotes("Roffman, who puts his legal costs “in the seven figures,” won the case.");
    assert_eq!(quotes[0].speaker.as_ref().unwrap().span.text, "who");
    // "when asked" is no cue of the one who asks.
    check(
        "Lynch, who spoke to Congress when asked about the inquiry: “The matter is with career staff.”",
        &["Direct|“The matter is with career staff.”|who|-|-"],
    );
    // A cue before the quote keeps it over a verb after it.
    check(
        "He says no rival is “on pace to win outright,” the number needed being out of reach.",
        &["Mixed|no rival is “on pace to win outright,”|He|says|-"],
    );
}

#[test]
fn credit_lines_and_inverted_cues_with_adverbials() {
    check(
        "“Most new wealth goes to the top 1 percent.”\n\n- Bernie Sanders.\n\nThe figure is out of date.",
        &["Direct|“Most new wealth goes to the top 1 percent.”|Bernie Sanders|-|-"],
    );
    // A credit after a quote inside a sentence is a photo's.
    check(
        "Tate pointed at a man and called him “my good friend from Reno.”\n\n- Reuters.",
        &["Direct|“my good friend from Reno.”|Tate|called|-"],
    );
    check(
        "“It is not new here,” said Rep. Bo Tate (D-Va.) at the time, adding that “we have done this for years.”",
        &[
            "Direct|“It is not new here,”|Rep. Bo Tate (D-Va.)|said|-",
            "Direct|“we have done this for years.”|Rep. Bo Tate (D-Va.)|adding|-",
        ],
    );
    check(
        "“It reminds us how much is at stake,” Sen. Jo Hart (R-Fla.) said on Saturday.",
        &["Direct|“It reminds us how much is at stake,”|Sen. Jo Hart (R-Fla.)|said|-"],
    );
}

#[test]
fn plural_subjects_and_a_pronoun_after_an_initialism() {
    check(
        "“You seem to have picked a new standard,” the two senators write.",
        &["Direct|“You seem to have picked a new standard,”|the two senators|write|-"],
    );
    check(
        "Cox says the plan will fail in the U.S. He says voters want “facts, not lectures.”",
        &[
            "Indirect|the plan will fail in the U.S|Cox|says|-",
            "Mixed|voters want “facts, not lectures.”|He|says|-",
        ],
    );
}

#[test]
fn a_speaker_after_its_cue_never_runs_into_the_quote() {
    // Guillemets and low quotation marks end a name as curly ones do, and an unusual mix never panics.
    for text in [
        "Claims: according to Mr. «put it:according to — Mr. put it „ ?as\n-Monday",
        "said Ruiz „x y z w v“ said Ruiz «a b c d e» according to Ruiz",
        "“a b c d e”\n\n- \n- «",
    ] {
        let _ = find_quotes(text);
    }
}

#[test]
fn a_relative_clause_with_a_subject_of_its_own_gives_that_subject() {
    check(
        "Much of the ire fell on Hale, who Ruiz on Wednesday called “a reckless man.”",
        &["Direct|“a reckless man.”|Ruiz|called|-"],
    );
}

#[test]
fn contractions_and_compounds_are_no_antecedents() {
    let text = "Defense Secretary Ash Carter spoke on the Asia-Pacific region. “We stay,” he said.";
    let quotes = find_quotes(text);
    let speaker = quotes.last().unwrap().speaker.as_ref().unwrap();
    assert_eq!(speaker.span.text, "he");
    assert_eq!(
        speaker.antecedent.as_ref().unwrap().text,
        "Defense Secretary Ash Carter"
    );
}

#[test]
fn according_to_after_the_cue_is_the_intermediary() {
    check(
        "“I will vote in March,” Welch said on Monday, according to Vermont Public Radio.",
        &["Direct|“I will vote in March,”|Welch|said|Vermont Public Radio"],
    );
    // A reason is no intermediary.
    check(
        "“Prices will rise,” Hale said, according to the data we have.",
        &["Direct|“Prices will rise,”|Hale|said|-"],
    );
}

#[test]
fn a_participle_cue_gives_the_quote_to_the_clause_subject() {
    // Punctuation after the participle does not hide it.
    check(
        "Mayor Ruiz urged voters to back the levy, saying: “Our schools cannot wait.”",
        &["Direct|“Our schools cannot wait.”|Mayor Ruiz|saying|-"],
    );
    // An opening adverbial is no subject.
    check(
        "In a statement released on Monday, Senator Hale reacted to the ruling, saying: “This is a dark day.”",
        &["Direct|“This is a dark day.”|Senator Hale|saying|-"],
    );
    // A sentence opened by a quote has its subject after the quote.
    check(
        "“We will win the county,” Ortiz told a rally, saying the council would “fold by June.”",
        &[
            "Direct|“We will win the county,”|Ortiz|told|-",
            "Mixed|the council would “fold by June.”|Ortiz|saying|-",
        ],
    );
    // A progressive verb is no participle clause; the cue before it holds.
    check(
        "At one point, Trump said his rivals were calling “every ten minutes.”",
        &["Mixed|his rivals were calling “every ten minutes.”|Trump|said|-"],
    );
}

#[test]
fn a_quote_split_by_its_attribution_goes_on_after_it() {
    check(
        "“The count is too close,” said a county clerk, “and nobody will concede tonight.”",
        &[
            "Direct|“The count is too close,”|a county clerk|said|-",
            "Direct|“and nobody will concede tonight.”|a county clerk|said|-",
        ],
    );
}

#[test]
fn coordinated_cues_and_auxiliaries_keep_the_subject() {
    check(
        "Lazar said he welcomed the ruling and added, “I will plead guilty.”",
        &["Direct|“I will plead guilty.”|Lazar|added|-"],
    );
    check(
        "“She has kept her oldest friends,” Bill Carter has said of his wife.",
        &["Direct|“She has kept her oldest friends,”|Bill Carter|said|-"],
    );
    check(
        "Filling in for the senator at a forum, West took a swipe at “my dear friend the governor.”",
        &["Direct|“my dear friend the governor.”|West|-|-"],
    );
}

#[test]
fn adverbs_dashes_and_stacked_adverbials_around_the_cue() {
    check(
        "Later that day, as she angrily said, “I am tired of these lies.”",
        &["Direct|“I am tired of these lies.”|she|said|-"],
    );
    check(
        "Reid wants the files out — the agency now says they are “top secret.”",
        &["Mixed|they are “top secret.”|the agency|says|-"],
    );
    check(
        "And last summer, while touring the coast, Rivera labels the mayor “a coward.”",
        &["Direct|“a coward.”|Rivera|-|-"],
    );
}

#[test]
fn a_quote_without_a_cue_goes_to_the_nearest_clause_subject() {
    check(
        "Ortiz toured the port all week, and he pronounced the new tariffs “a slow disaster.”",
        &["Direct|“a slow disaster.”|he|-|-"],
    );
    let quotes = find_quotes(
        "Ortiz toured the port all week, and he pronounced the new tariffs “a slow disaster.”",
    );
    let he = quotes[0].speaker.as_ref().unwrap();
    assert_eq!(he.antecedent.as_ref().unwrap().text, "Ortiz");
}

#[test]
fn initialisms_end_no_sentence_and_a_relative_clause_may_have_its_own_speaker() {
    check(
        "He vowed to move the U.S. Embassy in Israel to the “eternal capital of the nation.”",
        &[
            "Mixed|to move the U.S. Embassy in Israel to the “eternal capital of the nation.”|He|vowed|-",
        ],
    );
    check(
        "He mocked Obama, who he noted was “in his final year, at last.”",
        &["Mixed|was “in his final year, at last.”|he|noted|-"],
    );
}

#[test]
fn names_before_appositions_and_parenthetical_adverbs() {
    check(
        "“The ruling stands,” Ada Brooks, lawyer for two of the groups that sued over the law, said on Monday.",
        &["Direct|“The ruling stands,”|Ada Brooks|said|-"],
    );
    check(
        "Cory Dane, 22, of Flint, Mich., said the vote was “rigged from the start.”",
        &["Mixed|the vote was “rigged from the start.”|Cory Dane|said|-"],
    );
    check(
        "Backers of the bill, however, say it keeps a federal “umpire” in place.",
        &["Mixed|it keeps a federal “umpire”|Backers of the bill|say|-"],
    );
}

#[test]
fn coordinated_and_participle_cues_take_the_nearest_clause_subject() {
    check(
        "For that she drew his ire - he called her weak and said she had “zero support” in the state.",
        &["Mixed|she had “zero support”|he|said|-"],
    );
    check(
        "The governor gave ground even as he defended the plan, saying: “Most of it is new.”",
        &["Direct|“Most of it is new.”|he|saying|-"],
    );
}

#[test]
fn a_later_participle_shares_the_speaker_of_the_cue_before_it() {
    check(
        "The man left as soon as prayers ended, Nefzi said, adding: “He was not very religious.”",
        &["Direct|“He was not very religious.”|Nefzi|adding|-"],
    );
    check(
        "In a long, frank interview last year, Lazar said he welcomed the trial and added, “I will plead guilty.”",
        &["Direct|“I will plead guilty.”|Lazar|added|-"],
    );
}

#[test]
fn a_sentence_adverb_is_no_name_before_appositions() {
    check(
        "However, Jill Marsh, a lawyer for the firm, said the claims had “no substance.”",
        &["Mixed|the claims had “no substance.”|Jill Marsh|said|-"],
    );
    check(
        "De Soto, speaking on the radio, called him a bully and said his plan was “a gift to extremists.”",
        &["Mixed|his plan was “a gift to extremists.”|De Soto|said|-"],
    );
}

#[test]
fn any_verb_before_a_name_after_an_open_quote_attributes_it() {
    check(
        "“Our ideas of success are different,” agrees Mia Stone, 30, of Tampa.",
        &["Direct|“Our ideas of success are different,”|Mia Stone|-|-"],
    );
}

#[test]
fn any_verb_followed_by_a_comma_still_names_the_speaker_of_a_split_quote() {
    check(
        "“To be honest,” she elaborated, “the bridge was never safe for trucks.”",
        &[
            "Direct|“To be honest,”|she|-|-",
            "Direct|“the bridge was never safe for trucks.”|she|-|-",
        ],
    );
}

#[test]
fn a_time_is_no_speaker() {
    check(
        "The vote came hours after Lee said the bill was “dead on arrival.”",
        &["Mixed|the bill was “dead on arrival.”|Lee|said|-"],
    );
    check(
        "The mayor, Ann Ruiz (D), last week said the budget was “a mess.”",
        &["Mixed|the budget was “a mess.”|Ann Ruiz (D)|said|-"],
    );
    check(
        "Tuesday at the county fair Sen. Bo Tate said the fees were “a scandal.”",
        &["Mixed|the fees were “a scandal.”|the county fair Sen. Bo Tate|said|-"],
    );
    check(
        "A week later, Tate returned home, telling reporters the fees were “a scandal.”",
        &["Mixed|reporters the fees were “a scandal.”|Tate|telling|-"],
    );
}

#[test]
fn opening_prepositions_times_and_adverbs_before_a_coordinated_cue() {
    check(
        "Like Tate, Ruiz also dismissed the idea, saying it was “a fantasy.”",
        &["Mixed|it was “a fantasy.”|Ruiz|saying|-"],
    );
    check(
        "Monday morning, Ruiz praised the plan and then called it “a good start.”",
        &["Mixed|it “a good start.”|Ruiz|called|-"],
    );
    check(
        "Last year, he backed the bill and reportedly told aides it was “overdue.”",
        &["Mixed|aides it was “overdue.”|he|told|-"],
    );
}

#[test]
fn people_who_speak_as_a_group_use_their_words() {
    check(
        "Across the state, critics have dismissed the levy as “a tax on rain.”",
        &["Direct|“a tax on rain.”|critics|-|-"],
    );
}

#[test]
fn a_cue_in_an_opening_subordinate_clause_leaves_the_quote_to_the_main_clause() {
    check(
        "When Tate announced his run, he infamously called the protesters “thugs.”",
        &["Direct|“thugs.”|he|called|-"],
    );
    check(
        "After Tate said it on the radio, Ruiz dismissed the plan as “nonsense.”",
        &["Direct|“nonsense.”|Ruiz|-|-"],
    );
}

#[test]
fn a_long_opening_subordinate_clause_is_passed_over_to_the_subject() {
    check(
        "When Tate suggested that the county would sue the state for breaking its promise on the new bridge, Ruiz fired back: “Let them try.”",
        &["Direct|“Let them try.”|Ruiz|-|-"],
    );
}

#[test]
fn a_straight_quote_may_close_with_a_curly_mark() {
    check(
        "\"The roads are a disgrace,” she said. \"We will fix them.\"",
        &[
            "Direct|\"The roads are a disgrace,”|she|said|-",
            "Direct|\"We will fix them.\"|she|said|-",
        ],
    );
}

#[test]
fn a_name_before_a_relative_clause_after_the_quote_is_the_speaker() {
    check(
        "\"Both of them scare me,\" Jo Hart, 30, of Reno, Nev., who was among those polled, said in an interview.",
        &["Direct|\"Both of them scare me,\"|Jo Hart|said|-"],
    );
    check(
        "“This job is one you get by marriage,” Ann Lee, who served as chief of staff under two governors, told CBS News.",
        &["Direct|“This job is one you get by marriage,”|Ann Lee|told|-"],
    );
}

#[test]
fn a_verb_and_object_before_after_make_it_a_conjunction() {
    check(
        "Ruiz, the mayor, issued a statement after Bo Tate told a rally that the fees were “a scandal.”",
        &["Mixed|a rally that the fees were “a scandal.”|Bo Tate|told|-"],
    );
    check(
        "Rick Ames, head of the union which represents 900 locals, said the deal was “a betrayal.”",
        &["Mixed|the deal was “a betrayal.”|Rick Ames|said|-"],
    );
}

#[test]
fn a_restrictive_relative_clause_between_subject_and_cue_is_passed_over() {
    check(
        "Tate is the senator who gained fame in 2009 when he yelled “You lie!” at a rally.",
        &["Direct|“You lie!”|he|yelled|-"],
    );
    check(
        "An aide who spoke on condition of anonymity to discuss the talks said Wednesday, “We are close.”",
        &["Direct|“We are close.”|An aide|said|-"],
    );
}

#[test]
fn citing_a_reason_is_no_intermediary() {
    check(
        "“Growth will stay slow this year,” the minister said, citing weak exports.",
        &["Direct|“Growth will stay slow this year,”|the minister|said|-"],
    );
    check(
        "“Growth will stay slow this year,” the agency said, citing a senior official.",
        &["Direct|“Growth will stay slow this year,”|a senior official|said|the agency"],
    );
}

#[test]
fn a_quote_after_its_cue_ignores_a_later_attribution_in_the_sentence() {
    check(
        "While Lopez said the plan was “badly flawed” and costly, she said it could be mended.",
        &["Mixed|the plan was “badly flawed”|Lopez|said|-"],
    );
    // With no cue before it, the attribution after the quote holds.
    check(
        "“The vote was rigged” in two counties, Ortiz said.",
        &["Direct|“The vote was rigged”|Ortiz|said|-"],
    );
}

#[test]
fn a_curly_quote_closed_by_a_straight_mark_ends_there() {
    check(
        "“We will rebuild the bridge,\" Ortiz said. “It takes a year.”",
        &[
            "Direct|“We will rebuild the bridge,\"|Ortiz|said|-",
            "Direct|“It takes a year.”|Ortiz|said|-",
        ],
    );
}

#[test]
fn apostrophes_and_scare_quotes_are_not_quotes() {
    check(
        "Iran’s ‘red lines’ were not crossed, and the talks’ outcome is open.",
        &[],
    );
    check("The “so-called” deal was signed.", &[]);
}

#[test]
fn indirect_speech_has_a_speaker_and_content() {
    check(
        "Maria Zakharova said that a team from Hamas was in Moscow for negotiations.",
        &["Indirect|a team from Hamas was in Moscow for negotiations|Maria Zakharova|said|-"],
    );
    check(
        "A team from Hamas was in Moscow, the ministry said.",
        &["Indirect|A team from Hamas was in Moscow|the ministry|said|-"],
    );
}

#[test]
fn pronoun_speakers_point_back_to_the_last_named_one() {
    let quotes =
        find_quotes("“We will stay,” Kopp said. Later, “we will leave for good soon,” he said.");
    let he = quotes[1].speaker.as_ref().unwrap();
    assert!(he.pronoun);
    assert_eq!(he.antecedent.as_ref().unwrap().text, "Kopp");
}

#[test]
fn a_pronoun_points_to_the_sentence_subject_before_a_later_object() {
    let quotes = find_quotes(
        "Comey said there was evidence against Clinton. Later, he said there was “no precedent for a case.”",
    );
    let he = quotes.last().unwrap().speaker.as_ref().unwrap();
    assert!(he.pronoun);
    assert_eq!(he.antecedent.as_ref().unwrap().text, "Comey");
}

#[test]
fn long_blank_runs_inside_an_open_quote_are_crossed_once() {
    let text =
        "“It goes on".to_owned() + &"\n".repeat(200_000) + "“and ends here, with more words.”";
    let quotes = find_quotes(&text);
    assert_eq!(quotes.len(), 1);
}

#[test]
fn many_quotation_marks_in_a_long_text_are_handled() {
    // 100,000 quotation marks, then one left open to the end.
    let text = "\"a\" b ".repeat(50_000) + "“unclosed";
    let quotes = find_quotes(&text);
    assert!(quotes.is_empty());
    let unbalanced = "« ".repeat(50_000) + &"x ”".repeat(50_000);
    let _ = find_quotes(&unbalanced);
}
