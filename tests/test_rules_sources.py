"""Source finding in the rules backend: the patterns added to raise PolNeAR source recall.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from claimtrack.extraction.models import Item
from claimtrack.extraction.rules import extract_with_rules


def claims(text: str) -> list[Item]:
    return [item for item in extract_with_rules(text) if item.kind == "claim"]


def found(text: str) -> list[tuple[str | None, str | None, str]]:
    """(speaker, cue, quote) of each claim, each checked against the text it was cut from."""
    result = []
    for item in claims(text):
        assert item.quote == text[item.span.start : item.span.end]
        if item.speaker_span is not None:
            assert item.speaker == text[item.speaker_span.start : item.speaker_span.end]
        if item.cue_span is not None:
            assert item.cue == text[item.cue_span.start : item.cue_span.end]
        result.append((item.speaker, item.cue, item.quote))
    return result


def test_negated_cue_keeps_its_negation() -> None:
    text = "The ministry has not publicly accused the harbour board of hiding the figures."
    assert found(text) == [
        ("The ministry", "has not publicly accused", "the harbour board of hiding the figures")
    ]


def test_contracted_negation() -> None:
    text = "Mayor Ellen Ruiz didn't say when the bridge would reopen."
    assert found(text) == [("Mayor Ellen Ruiz", "didn't say", "when the bridge would reopen")]


def test_relative_clause_between_source_and_cue_is_part_of_the_source() -> None:
    text = "Tom Okafor, who ran the county clinic for a decade, said the new rules came too late."
    assert found(text) == [
        (
            "Tom Okafor, who ran the county clinic for a decade,",
            "said",
            "the new rules came too late",
        )
    ]


def test_relative_clause_with_its_own_cue() -> None:
    text = "Ms. Patel, who argued that rents would rise, said the vote was a mistake."
    speakers = {(speaker, cue) for speaker, cue, _ in found(text)}
    assert ("Ms. Patel, who argued that rents would rise,", "said") in speakers


def test_participle_takes_the_subject_at_the_start_of_the_sentence() -> None:
    text = "A spokesman for the port later withdrew the remarks, saying that no ships were delayed."
    assert found(text) == [("A spokesman for the port", "saying", "that no ships were delayed")]


def test_participle_subject_with_an_adjunct_and_an_adverb() -> None:
    text = (
        "The farmers union on Friday also stepped up its campaign, arguing that prices are unfair."
    )
    assert found(text) == [("The farmers union", "arguing", "that prices are unfair")]


def test_coordinated_cue_after_a_capitalised_subject() -> None:
    text = "The Ohio Democrat spent a week touring factories and says the plants need investment."
    assert found(text) == [("The Ohio Democrat", "says", "the plants need investment")]


def test_released_a_statement_saying_is_one_cue() -> None:
    text = "The Greenway Alliance released a statement Tuesday saying it would appeal the ruling."
    assert found(text) == [
        (
            "The Greenway Alliance",
            "released a statement Tuesday saying",
            "it would appeal the ruling",
        )
    ]


def test_vehicle_cue_with_a_possessive_subject() -> None:
    text = "Harlow's campaign sent an email saying the debate was rigged."
    assert found(text) == [("Harlow's campaign", "sent an email saying", "the debate was rigged")]


def test_name_after_an_adverbial_and_a_comma() -> None:
    text = "Two hours after the vote, Harlow said the result would stand."
    assert found(text) == [("Harlow", "said", "the result would stand")]


def test_name_after_a_description_and_a_comma() -> None:
    text = "A lifelong independent, Okafor said he might still run."
    assert found(text) == [("Okafor", "said", "he might still run")]


def test_appositive_after_a_name_is_kept() -> None:
    text = "Jane Doe, a spokeswoman for the port, said the ships were on time."
    assert found(text) == [
        ("Jane Doe, a spokeswoman for the port,", "said", "the ships were on time")
    ]


def test_list_of_names_is_kept() -> None:
    text = "Harlow, Okafor and Ruiz said they would stay in the race."
    assert found(text)[0][:2] == ("Harlow, Okafor and Ruiz", "said")


def test_new_reporting_verbs() -> None:
    assert found("Ruiz mentioned that the budget was late.") == [
        ("Ruiz", "mentioned", "that the budget was late")
    ]
    assert found("Okafor wondered whether the council had read the report.") == [
        ("Okafor", "wondered", "whether the council had read the report")
    ]
    assert found("The governor made clear that she would veto the bill.") == [
        ("The governor", "made clear", "that she would veto the bill")
    ]
    assert found("Senator Harlow weighed in on the dispute over water rights.")[0][:2] == (
        "Senator Harlow",
        "weighed in",
    )


def test_known_and_focused_on() -> None:
    assert found("Harlow knew the plant would close.") == [
        ("Harlow", "knew", "the plant would close")
    ]
    assert found("Ruiz focused on the cost of housing.") == [
        ("Ruiz", "focused on", "the cost of housing")
    ]


def test_poll_share_with_a_quantifier_is_a_source() -> None:
    assert found("Only 12 percent said the council was doing well.") == [
        ("Only 12 percent", "said", "the council was doing well")
    ]
    assert found("More than half of the members said they would strike.") == [
        ("More than half of the members", "said", "they would strike")
    ]


def test_title_after_a_question_quotation() -> None:
    text = '"Who pays for this?" Mrs. Okafor asked. "Nobody has told us."'
    assert found(text)[0] == ("Mrs. Okafor", "asked", '"Who pays for this?"')


def test_object_relative_clause_subject() -> None:
    text = "The board dropped the levy, which many residents wanted the town to keep."
    assert ("many residents", "wanted") in {(speaker, cue) for speaker, cue, _ in found(text)}
