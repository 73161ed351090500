"""Noun cues with a possessive source: "Obama's claim that ...", "her attacks on ...".

The rule is ``attribution.possessive`` (``SOURCE_RULES`` in ``extraction/rules/attributions.py``);
its nouns are the ``noun_forms`` of ``cues.toml``. Every sentence here is invented.
"""

from __future__ import annotations

import pytest
from rules_helpers import claims, found
from test_rules_ids import without

from claimtrack.extraction.rules import extract_with_rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a name's "'s" and a "that" clause, the noun phrase the subject
            "Mayor Ana Ruiz's claim that the harbor bridge would reopen in May was false.",
            ("Mayor Ana Ruiz's", "claim", "that the harbor bridge would reopen in May"),
        ),
        (  # "the" and a common noun; a modifier belongs to the cue
            "The council's stern warning that the pier is unsafe drew a crowd.",
            ("The council's", "stern warning", "that the pier is unsafe"),
        ),
        (  # a preposition belongs to the cue; the main verb ends the content
            "Tom Okafor's attacks on the harbor board surprised the council.",
            ("Tom Okafor's", "attacks on", "the harbor board"),
        ),
        (  # an infinitive
            "Ms. Lee's pledge to rebuild the pier won the vote.",
            ("Ms. Lee's", "pledge", "to rebuild the pier"),
        ),
        (  # a plural possessor: "the unions'"
            "The unions' endorsement of Ana Ruiz came late.",
            ("The unions'", "endorsement of", "Ana Ruiz"),
        ),
        (  # the noun phrase as an object: the content runs to the clause's end
            "The board has seen Tom Okafor's accusation that the port had hidden the figures.",
            ("Tom Okafor's", "accusation", "that the port had hidden the figures"),
        ),
    ],
)
def test_the_possessor_of_a_noun_cue_is_its_source(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in found(text)


def test_a_possessive_pronoun_resolves_as_he_or_she_would() -> None:
    text = (
        "Mayor Ana Ruiz said the bridge would close. Her promise to reopen it by May drew cheers."
    )
    promise = [item for item in claims(text) if item.cue == "promise"]
    assert [(item.speaker, item.speaker_canonical, item.quote) for item in promise] == [
        ("Her", "Ana Ruiz", "to reopen it by May")
    ]
    assert promise[0].text.startswith("Ana Ruiz promised")


def test_a_claim_reads_with_the_verb_of_its_noun() -> None:
    text = "Tom Okafor's assertion that the pier is unsafe was disputed."
    (item,) = claims(text)
    assert item.text == "Tom Okafor asserted that the pier is unsafe"
    assert item.extra["rule"] == "attribution.possessive"


@pytest.mark.parametrize(
    "text",
    [
        "The company's plan to close the plant angered workers.",  # "plan" is not a cue
        "The bill's passage was delayed again.",
        "Saturday's warning that the pier would close surprised no one.",  # a day, not a speaker
        "The country's hopes that the pier would reopen were dashed.",  # a place
        "Tom Okafor's claims were never tested.",  # the noun introduces nothing
    ],
)
def test_a_possessive_that_is_not_a_speaker_makes_no_claim(text: str) -> None:
    assert [item for item in extract_with_rules(text) if item.kind == "claim"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Treasurer Bo Lind retracted his claim that the bridge repairs would cost more.",
        "The harbor board flatly rejected Tom Okafor's claim that the pier is unsafe.",
    ],
)
def test_a_claim_taken_back_or_disputed_is_not_made_again_by_its_possessor(text: str) -> None:
    """The claim is the object of another act: its possessor is not reported making it now
    (the board's rejection may be a claim of the board's)."""
    speakers = [item.speaker for item in extract_with_rules(text) if item.kind == "claim"]
    assert not any(s and ("Okafor" in s or "Lind" in s or s == "his") for s in speakers)


def test_a_noun_cue_in_a_subject_leaves_the_verb_its_subject() -> None:
    # the noun cue is part of the source of "said", so it makes no claim of its own
    text = "Critics of Ana Ruiz's pledge to rebuild the pier said the cost was too high."
    assert found(text) == [
        ("Critics of Ana Ruiz's pledge to rebuild the pier", "said", "the cost was too high")
    ]


def test_a_verb_before_the_possessor_is_no_part_of_it() -> None:
    text = "The board will print Tom Okafor's accusation that the port had hidden the figures."
    assert ("Tom Okafor's", "accusation", "that the port had hidden the figures") in found(text)


def test_switching_the_rule_off_drops_the_noun_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Tom Okafor's warning that the pier is unsafe drew a crowd."
    assert [speaker for speaker, _, _ in found(text)] == ["Tom Okafor's"]

    without(monkeypatch, "possessive")

    assert found(text) == []
