"""Source recall in the rules backend: cues that were found but lost their attribution.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from rules_helpers import found


def test_interview_with_a_named_outlet_stops_at_its_name() -> None:
    text = "Okafor said in an interview with The Harbour Gazette last week that the pier was shut."
    assert found(text) == [("Okafor", "said", "that the pier was shut")]


def test_rally_in_a_named_town_stops_at_its_name() -> None:
    text = "Ruiz said at a rally in Millbrook that the mill would reopen."
    assert found(text) == [("Ruiz", "said", "that the mill would reopen")]


def test_according_to_source_with_a_clause_of_its_own() -> None:
    text = "The ferry will stop running in May, according to an account she gave to the Gazette."
    assert found(text) == [
        (
            "an account she gave to the Gazette",
            "according to",
            "The ferry will stop running in May",
        )
    ]


def test_according_to_source_with_a_long_description() -> None:
    text = "According to the officer in charge of the harbour that night, the boats never left."
    assert found(text) == [
        (
            "the officer in charge of the harbour that night",
            "According to",
            "the boats never left",
        )
    ]


def test_according_to_source_ends_at_a_spaced_hyphen() -> None:
    text = "Most farmers - 61 percent, according to the Valley Survey - still use the old canal."
    speakers = [(speaker, cue) for speaker, cue, _ in found(text)]
    assert ("the Valley Survey", "according to") in speakers


def test_according_to_book_title_with_a_colon() -> None:
    text = 'According to "Salt Roads: A History of the Coast" by Mina Hale, the town began twice.'
    assert found(text) == [
        (
            '"Salt Roads: A History of the Coast" by Mina Hale',
            "According to",
            "the town began twice",
        )
    ]


def test_comma_in_a_number_does_not_split_the_source() -> None:
    text = "At least 21,000 said they would march on Sunday."
    assert found(text) == [("At least 21,000", "said", "they would march on Sunday")]


def test_comma_in_a_number_in_a_closing_source() -> None:
    text = "The new timetable was a mistake, 1,409 commuters said."
    assert found(text) == [("1,409 commuters", "said", "The new timetable was a mistake")]


def test_a_verb_after_a_quotation_and_its_subject_is_no_participle() -> None:
    text = '"Save the pier!" the crowd chanted from the quay.'
    assert found(text) == [("the crowd", "chanted", '"Save the pier!"')]


def test_a_pronoun_with_a_contracted_auxiliary_is_the_source() -> None:
    assert found("They’re saying the ferry will stop in May.") == [
        ("They", "’re saying", "the ferry will stop in May")
    ]
    assert found("We've warned that the pier is unsafe.") == [
        ("We", "'ve warned", "that the pier is unsafe")
    ]


def test_a_quantifier_before_a_present_reporting_verb_is_its_subject() -> None:
    assert found("Some say the pier is unsafe.") == [("Some", "say", "the pier is unsafe")]
    assert found("Most believe that the ferry will run.") == [
        ("Most", "believe", "that the ferry will run")
    ]


def test_a_progressive_with_an_adverb_after_be_has_its_own_subject() -> None:
    assert found("The mayor is also urging the board to close the pier.") == [
        ("The mayor", "is also urging", "the board to close the pier")
    ]
    assert found("He is not saying the pier is unsafe.") == [
        ("He", "is not saying", "the pier is unsafe")
    ]


def test_yet_and_twice_between_the_auxiliary_and_the_verb_join_the_cue() -> None:
    assert found("The harbour board has twice warned that the pier is unsafe.") == [
        ("The harbour board", "has twice warned", "that the pier is unsafe")
    ]
    assert found("The mayor has not yet endorsed the plan.") == [
        ("The mayor", "has not yet endorsed", "the plan")
    ]
