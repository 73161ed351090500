"""The rules backend on passives with "by" and on sources it used to find only in part.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from rules_helpers import found


def test_passive_with_by_names_the_source_and_the_subject_is_the_content() -> None:
    text = "The harbour plan was sharply criticized by the fishermen's union."
    assert found(text) == [("the fishermen's union", "was sharply criticized", "The harbour plan")]


def test_passive_source_ends_before_a_time_or_a_clause() -> None:
    text = "Her proposal has been echoed by several county mayors in recent weeks."
    assert found(text) == [("several county mayors", "has been echoed", "Her proposal")]


def test_passive_accused_of_keeps_the_charge_out_of_the_source() -> None:
    text = "The mill owner was accused by the river trust of dumping waste."
    assert found(text) == [("the river trust", "was accused", "The mill owner")]


def test_participle_after_a_noun_describes_it() -> None:
    text = "A levy backed by the school board failed."
    assert ("the school board", "backed", "A levy") in found(text)


def test_participle_after_a_comma_describes_the_phrase_before_it() -> None:
    text = "The mayor's remarks, first reported by the Valley Herald, angered the council."
    assert ("the Valley Herald", "first reported", "The mayor's remarks") in found(text)


def test_asked_by_reports_the_question() -> None:
    text = "Asked by a caller whether the ferry would run in winter, Ms. Adeyemi laughed."
    assert (
        "a caller",
        "Asked",
        "whether the ferry would run in winter",
    ) in found(text)


def test_as_reported_by_reports_the_rest_of_the_sentence() -> None:
    text = "As reported by the Valley Herald, the ferry will stop running in May."
    assert found(text) == [
        ("the Valley Herald", "As reported", "the ferry will stop running in May")
    ]


def test_view_shared_by_someone_is_theirs() -> None:
    text = "But the view is not widely shared by the town's farmers."
    assert found(text) == [("the town's farmers", "is not widely shared", "the view")]


def test_by_with_a_gerund_is_no_source() -> None:
    text = "The senator continued by thanking the volunteers."
    assert all(speaker != "thanking" for speaker, _, _ in found(text))


def test_passive_of_a_verb_that_names_no_speaker_is_left_alone() -> None:
    text = "The seat will be decided by a runoff between two farmers."
    assert found(text) == []


def test_usa_today_is_a_name_not_a_day() -> None:
    text = "USA TODAY reported last month that the ferry lost money."
    assert found(text) == [("USA TODAY", "reported", "that the ferry lost money")]


def test_usa_today_closing_the_sentence() -> None:
    text = "The ferry lost money, USA TODAY reported."
    assert found(text) == [("USA TODAY", "reported", "The ferry lost money")]


def test_party_and_state_stay_with_the_name_before_a_participle_phrase() -> None:
    text = "Sen. Ana Ruiz, D-Ore., speaking on the radio, said the ferry lost money."
    assert found(text) == [("Sen. Ana Ruiz, D-Ore.", "said", "the ferry lost money")]


def test_relative_clause_with_a_cue_after_its_report_still_gives_the_antecedent() -> None:
    text = (
        "Tom Okafor, who says the council is attacking him over the ferry, said on Monday "
        "that he would stay."
    )
    result = found(text)
    assert all(cue != "is attacking" or speaker != "Tom Okafor" for speaker, cue, _ in result)
    assert ("Tom Okafor", "said", "that he would stay") in result


def test_and_after_a_named_object_joins_noun_phrases_not_clauses() -> None:
    text = (
        "Early results of counts conducted by Rivera Research for The Valley Herald and local "
        "stations show turnout was high."
    )
    assert found(text) == [
        (
            "Early results of counts conducted by Rivera Research for The Valley Herald and local "
            "stations",
            "show",
            "turnout was high",
        )
    ]


def test_according_to_source_is_not_the_content_of_the_next_cue() -> None:
    text = (
        "According to early results of counts conducted for The Valley Herald and local stations "
        "by Rivera Research, most voters say they feel ignored."
    )
    assert ("most voters", "say", "they feel ignored") in found(text)
