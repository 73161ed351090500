"""Cues the rules once did not know: verbs that report in some forms only, adjectives and nouns.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from rules_helpers import found


def speakers(text: str) -> list[tuple[str | None, str | None]]:
    return [(speaker, cue) for speaker, cue, _ in found(text)]


def test_partial_cue_verbs_report_but_their_nouns_do_not() -> None:
    assert ("The council", "will discuss") in speakers(
        "The council will discuss the new tram timetable on Monday."
    )
    assert speakers("The list of new ferry routes is long.") == []
    assert speakers("The file on the ferry company runs to nine hundred pages.") == []
    # a document issued that then says something stays one cue, found from the participle
    text = "The Lakeside Trust released a letter Friday saying the pier would stay shut."
    assert speakers(text) == [("The Lakeside Trust", "released a letter Friday saying")]


def test_more_partial_cue_verbs_and_doubled_consonants() -> None:
    assert ("Senator Vale", "bragged") in speakers(
        "Senator Vale bragged that the ferry would run on time."
    )
    assert ("The mayor", "sounded") in speakers(
        "The mayor sounded confident that the bridge would reopen."
    )


def test_an_action_is_not_a_claim() -> None:
    """PolNeAR marks some acts as attributions ("filed a complaint", "named a deputy"); a claim
    ledger should not hold them: nothing was said that a later article could confirm."""
    for text in (
        "The harbour board filed a complaint against the ferry company over the delays.",
        "Mayor Ruiz named Tom Alder as her deputy.",
        "Judge Amos sentenced the former treasurer to two years in prison.",
        "The ferry company has released few details about the new timetable.",
        "The outcome of the vote was uncertain.",
    ):
        assert speakers(text) == [], text


def test_adjective_cues_report_a_stance_after_be() -> None:
    assert speakers("Councillor Pike is confident that the budget will pass.") == [
        ("Councillor Pike", "is confident")
    ]
    assert speakers("The ferry workers were skeptical of the new timetable.") == [
        ("The ferry workers", "were skeptical")
    ]
    # without "be" the adjective describes
    assert speakers("An eager crowd waited outside the town hall for the results.") == []


def test_a_phrasal_cue_in_ing_after_be_is_progressive_not_passive() -> None:
    assert speakers("Senator Vale is calling for the harbour master to resign.") == [
        ("Senator Vale", "is calling for")
    ]
    assert speakers("Vale is talking about how the town will grow.") == [
        ("Vale", "is talking about")
    ]
