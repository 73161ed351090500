"""Polls, colon labels and names the rules backend used to reject: patterns added to raise
PolNeAR source recall.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from rules_helpers import found


def test_poll_closing_the_sentence_reports_the_clause_before_it() -> None:
    text = "Mayor Ruiz trails her rival by six points in the latest Harbor Gazette poll."
    assert found(text) == [
        ("the latest Harbor Gazette poll", "in", "Mayor Ruiz trails her rival by six points")
    ]


def test_poll_closing_the_sentence_with_its_release() -> None:
    text = "Ruiz holds 41 percent of the vote in a new Valley Courier survey released Monday."
    assert found(text) == [
        (
            "a new Valley Courier survey released Monday",
            "in",
            "Ruiz holds 41 percent of the vote",
        )
    ]


def test_poll_followed_by_an_appositive() -> None:
    text = "The senator fell to 9 percent in the latest Lakeside poll, a drop of five points."
    speakers = [(speaker, cue) for speaker, cue, _ in found(text)]
    assert speakers == [("the latest Lakeside poll", "in")]


def test_bare_polls_are_not_a_source() -> None:
    text = "The senator has been leading in the polls."
    assert not any(cue == "in" for _, cue, _ in found(text))


def test_poll_with_a_capitalised_name_opens_the_sentence() -> None:
    text = "In a Valley Courier Poll released Friday, 48 percent were undecided."
    assert found(text) == [
        ("a Valley Courier Poll released Friday", "In", "48 percent were undecided")
    ]


def test_poll_after_a_comma_opens_a_clause() -> None:
    text = "Turnout was low, but in a Harbor Gazette survey last week, 60 percent were undecided."
    speakers = [(speaker, cue) for speaker, cue, _ in found(text)]
    assert ("a Harbor Gazette survey last week", "in") in speakers


def test_a_memo_released_as_polls_closed_is_not_a_poll() -> None:
    text = "In a memo released as polls closed Tuesday, the campaign thanked its volunteers."
    assert not any(speaker and "polls" in speaker for speaker, _, _ in found(text))


def test_all_caps_headline_label_is_no_speaker() -> None:
    text = "DEAL IS DONE: Council Approves The Harbor Budget"
    assert found(text) == []


def test_all_caps_speaker_label_still_names_the_speaker() -> None:
    text = "ANN LEE: We will not close the clinic."
    assert found(text) == [("ANN LEE", ":", "We will not close the clinic")]


def test_report_label_on_a_headline() -> None:
    text = "Report: Harbor board kept two sets of books"
    assert found(text) == [("Report", ":", "Harbor board kept two sets of books")]


def test_longer_report_label_is_still_no_speaker() -> None:
    text = "The Valley Courier Budget Report: Spending rises again"
    assert found(text) == []


def test_label_after_a_dash_in_mid_line() -> None:
    text = 'TURNOUT WAS NOT THE PROBLEM - Ann Lee: "Our counts matched the rolls." [Gazette.]'
    assert found(text) == [("Ann Lee", ":", '"Our counts matched the rolls."')]


def test_more_from_label_after_a_dash() -> None:
    text = 'Why it matters -More from the study: "Late deciders broke for the mayor."'
    assert found(text) == [("the study", ":", '"Late deciders broke for the mayor."')]


def test_kicker_before_a_label() -> None:
    text = "EXCLUSIVE – Ann Lee: Count Every Ballot Twice"
    assert found(text) == [("Ann Lee", ":", "Count Every Ballot Twice")]


def test_label_with_a_party_and_no_space_before_the_quotation() -> None:
    text = 'Rep. Tom Okafor (D-Ohio):"Who gave you that figure?"'
    assert found(text) == [("Rep. Tom Okafor (D-Ohio)", ":", '"Who gave you that figure?"')]


def test_interview_labels_name_no_one() -> None:
    text = "Q: Where did you grow up?\n\nA: On a farm near the river."
    assert found(text) == []


def test_the_latest_is_no_speaker() -> None:
    text = "The Latest: Council delays the harbor vote"
    assert found(text) == []


def test_contracted_pronoun_is_the_source() -> None:
    text = "She’s predicting the council will back the levy."
    assert found(text) == [("She", "’s predicting", "the council will back the levy")]


def test_a_names_possessive_is_not_a_contraction() -> None:
    text = "Ruiz’s showing in the suburbs surprised her staff."
    assert not any(cue and cue.startswith("’s") for _, cue, _ in found(text))


def test_will_alone_is_a_name() -> None:
    text = "In his weekly column, Will wrote that the party had lost its way."
    assert found(text) == [("Will", "wrote", "that the party had lost its way")]


def test_jun_alone_is_a_name() -> None:
    text = '"The harbor deal is a trap," Jun wrote.'
    assert found(text) == [("Jun", "wrote", '"The harbor deal is a trap,"')]


def test_that_person_is_a_source() -> None:
    text = "That person said the mayor had not been told."
    assert found(text) == [("That person", "said", "the mayor had not been told")]


def test_a_month_before_a_participle_is_no_source() -> None:
    text = "He sent a memo to the board in April explaining the plan."
    assert not any(speaker == "April" for speaker, _, _ in found(text))


def test_headline_speaker_addressing_someone() -> None:
    text = "Ruiz to Harbor Workers: The Yard Stays Open\n\nThe mayor spoke on Monday."
    assert ("Ruiz", ":", "The Yard Stays Open") in found(text)


def test_headline_speaker_on_a_topic() -> None:
    text = "Senator Okafor on the Levy: ‘We Cannot Wait’"
    assert found(text) == [("Senator Okafor", ":", "‘We Cannot Wait’")]


def test_a_section_title_below_the_first_line_names_no_one() -> None:
    text = "The council met.\n\nFocus on security: the police asked for more officers."
    assert not any(speaker == "Focus" for speaker, _, _ in found(text))


def test_according_to_a_title_with_a_colon_is_no_headline_speaker() -> None:
    text = 'According to "Harbor Days: A Town History" by Ann Lee, the port opened in 1850.'
    assert not any(cue == ":" for _, cue, _ in found(text))


def test_thats_according_to() -> None:
    text = "The campaign raised $4 million in May. That’s according to filings released Friday."
    assert ("filings released Friday", "’s according to", "That") in found(text)


def test_a_cue_inside_an_according_to_source_is_part_of_it() -> None:
    text = "Turnout fell by a third, according to county reports that the clerk posted Monday."
    speakers = [(speaker, cue) for speaker, cue, _ in found(text)]
    assert speakers == [("county reports that the clerk posted Monday", "according to")]


def test_an_attribution_inside_a_source_is_part_of_it() -> None:
    text = '"The levy will pass," said a port official who requested anonymity to discuss it.'
    assert found(text) == [
        ("a port official who requested anonymity to discuss it", "said", '"The levy will pass,"')
    ]


def test_inverted_source_stops_before_whose() -> None:
    text = '"The pier is safe," said Ann Lee, whose firm built it in 1990.'
    assert found(text) == [("Ann Lee", "said", '"The pier is safe,"')]
