"""Which rule made an item: every item of the rules backend records its rule's id, the source
rules run in the documented order of ``SOURCE_RULES``, and each can be switched off in a test.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from claimtrack.extraction.models import Item
from claimtrack.extraction.rules import RULE_IDS, attributions, extract_with_rules

REPO = Path(__file__).resolve().parents[1]


def rules_of(text: str) -> list[tuple[str, str | None, object]]:
    return [(item.kind, item.speaker, item.extra.get("rule")) for item in extract_with_rules(text)]


def without(monkeypatch: pytest.MonkeyPatch, *rule_ids: str) -> None:
    """Switch the source rules ``rule_ids`` off for one test."""
    kept = tuple(rule for rule in attributions.SOURCE_RULES if rule[0] not in rule_ids)
    assert len(kept) == len(attributions.SOURCE_RULES) - len(rule_ids), "an unknown rule id"
    monkeypatch.setattr(attributions, "SOURCE_RULES", kept)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Mayor Ana Ruiz said the harbor bridge would reopen in May.", "subject_before"),
        ('"The harbor bridge will reopen in May," said Mayor Ana Ruiz.', "inverted"),
        ("According to the city council, the harbor bridge will reopen in May.", "according_to"),
        ("Ruiz said the bridge was safe but warned that repairs would take years.", "coordinated"),
        ("Ruiz spoke on Monday and warned that the harbor bridge was unsafe.", "leading_subject"),
        ("The plan was criticized by Mayor Ana Ruiz.", "passive_by"),
        ("ANA RUIZ: The harbor bridge will reopen in May.", "speaker_label"),
    ],
)
def test_a_claim_records_the_rule_that_found_its_source(text: str, rule: str) -> None:
    assert ("claim", rule) in {
        (kind, str(found).removeprefix("attribution.")) for kind, _, found in rules_of(text)
    }


def test_a_commitment_records_its_pattern() -> None:
    found = rules_of("The council will rebuild the harbor bridge by May.")
    assert ("commitment", None, "commitment.will") in found


def test_the_source_rules_have_distinct_documented_ids() -> None:
    ids = [rule_id for rule_id, _ in attributions.SOURCE_RULES]
    assert len(ids) == len(set(ids))
    assert ids[0] == "according_to" and ids.index("subject_before") < ids.index("inverted")
    for rule_id, rule in attributions.SOURCE_RULES:
        assert rule.__doc__, rule_id
        assert f"attribution.{rule_id}" in RULE_IDS


def test_switching_a_rule_off_leaves_its_items_to_the_next_rule_or_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = '"The harbor bridge will reopen in May," said Mayor Ana Ruiz.'
    assert ("claim", "Mayor Ana Ruiz", "attribution.inverted") in rules_of(text)

    without(monkeypatch, "inverted")

    assert all(
        kind != "claim" or speaker != "Mayor Ana Ruiz" for kind, speaker, _ in rules_of(text)
    )


def test_without_the_coordinated_rule_a_second_cue_has_no_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Ruiz said the bridge was safe but warned that repairs would take years."
    assert [rule for _, _, rule in rules_of(text)] == [
        "attribution.subject_before",
        "attribution.coordinated",
    ]

    without(monkeypatch, "coordinated")

    assert [rule for _, _, rule in rules_of(text)] == ["attribution.subject_before"]


def _golden_items() -> list[Item]:
    items: list[Item] = []
    for line in (REPO / "data/articles/gm/meantime-gm.jsonl").read_text("utf-8").splitlines():
        items += extract_with_rules(json.loads(line)["text"])
    for line in (REPO / "evals/seed/suite.jsonl").read_text("utf-8").splitlines():
        items += extract_with_rules(json.loads(line)["text"])
    return items


def test_every_item_on_the_sample_articles_records_a_known_rule() -> None:
    counts = Counter(item.extra.get("rule") for item in _golden_items())
    assert set(counts) <= set(RULE_IDS), set(counts) - set(RULE_IDS)
    assert counts["attribution.subject_before"] > 0 and counts["commitment.will"] > 0
