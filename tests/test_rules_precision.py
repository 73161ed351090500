"""Precision of the rules backend: uses of cue words that PolNeAR does not mark as attributions.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from rules_helpers import found


def cues(text: str) -> list[str | None]:
    return [cue for _, cue, _ in found(text)]


def test_plans_without_to_is_a_noun() -> None:
    assert cues("The cost of the new dental insurance plans rose again this year.") == []
    # with "to" after it, it is the verb
    assert cues("The harbour board plans to widen the northern channel next spring.") == ["plans"]


def test_pledged_delegates_are_counted_not_reported() -> None:
    assert cues("Ms. Ortega leads Mr. Lamb by 140 pledged delegates in the count.") == []
    assert cues("The governor pledged that the clinic would stay open.") == ["pledged"]


def test_a_thing_called_a_name_is_naming() -> None:
    assert cues("A small charity called Open Doors paid for the new roof last year.") == []
    assert cues("Their first album was released by another label called Northern Lights.") == []
    assert cues("Senator Vale called the budget a disgrace.") == ["called"]


def test_a_tally_after_a_colon_is_no_speakers_words() -> None:
    text = "Delegates won so far.\nOrtega: 1,204.\nLamb: 877.\nORTEGA: We will win this state.\n"
    assert found(text) == [("ORTEGA", ":", "We will win this state")]


def test_said_according_to_is_reported_by_the_according_to_source() -> None:
    text = '"We will not close the clinic," Ruiz said, according to the Harbour Gazette.'
    speakers = [(speaker, cue) for speaker, cue, _ in found(text)]
    assert ("Ruiz", "said") not in speakers
    assert ("the Harbour Gazette", "according to") in speakers


def test_think_tank_is_not_a_cue() -> None:
    text = '"Rents will rise," said Ada Kerr, a fellow at Northgate, a liberal think tank.'
    assert cues(text) == ["said"]


def test_a_firm_focused_on_is_a_description() -> None:
    assert cues("Ms. Ruiz runs a charity focused on rural schools.") == []
    assert cues("The mayor focused on the cost of the new bridge.") == ["focused on"]


def test_a_daily_show_is_a_noun() -> None:
    text = "Harbour News Daily show host Ada Kerr said the bridge was unsafe."
    assert found(text) == [
        ("Harbour News Daily show host Ada Kerr", "said", "the bridge was unsafe")
    ]


def test_a_cue_inside_a_sentence_that_ends_with_according_to() -> None:
    text = "Ms. Vale told her aides that the clinic would close, according to two staff members."
    speakers = [(speaker, cue) for speaker, cue, _ in found(text)]
    assert speakers == [("two staff members", "according to")]


def test_a_list_of_names_after_a_label_is_a_roster() -> None:
    text = "Our panel.\nOhio: Ann Lee, Bo Park, Cy Ruiz, Dee Shah, Ed Moss.\nLEE: We will win.\n"
    assert found(text) == [("LEE", ":", "We will win")]


def test_news_reports_is_a_noun() -> None:
    assert cues("The harbour board relies on user reports to find broken lamps.") == []
    assert cues("The Harbour Gazette reports that the lamps were fixed.") == ["reports"]


def test_a_cue_inside_what_a_closing_source_reports() -> None:
    text = "Ms. Vale plans to run for the harbour board next year, her aide said."
    assert found(text) == [
        ("her aide", "said", "Ms. Vale plans to run for the harbour board next year")
    ]
    # a quotation after the cue keeps it
    text = 'Ms. Vale told me "I will run," her aide said.'
    assert ("Ms. Vale", "told") in [(speaker, cue) for speaker, cue, _ in found(text)]


def test_an_opening_phrase_after_a_preposition_is_not_part_of_the_source() -> None:
    assert found("After the rally in Dover, several volunteers said the turnout was low.") == [
        ("several volunteers", "said", "the turnout was low")
    ]


def test_a_poll_opening_the_sentence_is_not_part_of_the_next_subject() -> None:
    text = "In a Ledger poll last week, 38 percent of voters said the levy was too high."
    assert ("38 percent of voters", "said", "the levy was too high") in found(text)


def test_a_date_or_a_place_in_the_opening_phrase_is_not_cut_at_its_comma() -> None:
    text = "Since the rally in Dover, Delaware, a new poll shows the race tightening."
    assert found(text) == [("a new poll", "shows", "the race tightening")]


def test_a_participle_source_stops_at_the_verb_after_a_name() -> None:
    assert found("Mr. Vale hit back at the board, saying the plan was too costly.") == [
        ("Mr. Vale", "saying", "the plan was too costly")
    ]
    text = "Ada Kerr then appears in a clip from a town hall, saying the levy is unfair."
    assert found(text) == [("Ada Kerr", "saying", "the levy is unfair")]
    # a noun after a name goes on with it
    text = "The Vale campaign released a statement, saying the plan was too costly."
    assert found(text) == [("The Vale campaign", "saying", "the plan was too costly")]


def test_the_subject_after_a_subordinator_is_the_source() -> None:
    text = "The feud only deepened after Ms. Vale ordered the release of the files."
    assert found(text) == [("Ms. Vale", "ordered", "the release of the files")]
    text = "Three years after Republicans vowed to repeal the levy, it remains in force."
    assert [(speaker, cue) for speaker, cue, _ in found(text)] == [("Republicans", "vowed")]
    # "as" before a role is no subordinator, nor is it inside the speaker's relative clause
    text = "Ms. Lee, who served as an aide, said the pier was unsafe."
    assert found(text) == [("Ms. Lee, who served as an aide,", "said", "the pier was unsafe")]


def test_an_adverb_after_the_source_is_not_part_of_it() -> None:
    assert found("Critics soon noted that the pier was unsafe.") == [
        ("Critics", "noted", "that the pier was unsafe")
    ]
    text = "Ann Lee Just Revealed Her Plan For The Harbour.\n\nThe mayor said it was costly.\n"
    assert next((speaker, cue) for speaker, cue, _ in found(text)) == ("Ann Lee", "Revealed")


def test_a_dateline_is_not_part_of_the_source() -> None:
    text = "Dover (AFP) – Harbour chief Ada Kerr on Monday criticized the levy as unfair."
    assert [speaker for speaker, _, _ in found(text)] == ["Harbour chief Ada Kerr"]


def test_a_source_ends_at_a_parenthesis_it_does_not_open() -> None:
    text = "The levy passed (by 40 votes, according to the county clerk) on Monday."
    assert [(speaker, cue) for speaker, cue, _ in found(text)] == [
        ("the county clerk", "according to")
    ]


def test_an_inverted_source_keeps_the_comma_that_closes_its_appositive() -> None:
    text = '"The pier is unsafe," said Ann Lee, a pollster in Dover, adding that it would fall.'
    assert [speaker for speaker, _, _ in found(text)] == ["Ann Lee, a pollster in Dover,"] * 2


def test_a_document_keeps_the_day_it_came_out() -> None:
    text = "A Ledger poll released Sunday found that the levy was unpopular."
    assert found(text) == [
        ("A Ledger poll released Sunday", "found", "that the levy was unpopular")
    ]
    text = "A Ledger poll out this week shows the race tightening."
    assert found(text) == [("A Ledger poll out this week", "shows", "the race tightening")]


def test_a_time_before_the_source_is_not_part_of_it() -> None:
    text = "The pier closed in May. Around that time, 47 percent said the board should resign."
    assert found(text) == [("47 percent", "said", "the board should resign")]
    text = "On Thursday evening Ann Lee gave a speech, saying the pier would reopen."
    assert found(text) == [("Ann Lee", "saying", "the pier would reopen")]


def test_where_the_speaker_said_it_is_not_part_of_the_source() -> None:
    assert found("Ann Lee in a blog post said the pier would reopen.") == [
        ("Ann Lee", "said", "the pier would reopen")
    ]
    text = '"It will reopen," said Ann Lee, a harbour engineer, via email.'
    assert [speaker for speaker, _, _ in found(text)] == ["Ann Lee, a harbour engineer,"]
    # a topic is not a place of speech
    text = "Supporters of limits on hate speech say the law is weak."
    assert found(text) == [("Supporters of limits on hate speech", "say", "the law is weak")]


def test_a_document_issued_after_an_event_is_the_source_not_the_event() -> None:
    text = "The joint statement issued after the summit said that the talks would resume in May."
    assert found(text) == [
        (
            "The joint statement issued after the summit",
            "said",
            "that the talks would resume in May",
        )
    ]


def test_a_document_published_on_a_day_is_the_source_of_what_it_found() -> None:
    text = "A council report published Monday found that the pier was unsafe."
    assert found(text) == [
        ("A council report published Monday", "found", "that the pier was unsafe")
    ]


def test_according_to_inside_a_quotation_is_the_speakers_own() -> None:
    text = 'Dana Holt said that "the pier will close in May, according to the engineers."'
    assert found(text) == [
        ("Dana Holt", "said", 'that "the pier will close in May, according to the engineers."')
    ]


def test_show_after_same_or_weekly_is_a_noun() -> None:
    text = (
        "Speaking later on the same show, Dana Holt, who has backed the mayor, said the pier "
        "was unsafe."
    )
    assert ("Dana Holt", "said", "the pier was unsafe") in found(text)
    assert all(cue != "show" for _, cue, _ in found(text))
