"""The seed article and later reports of its story, through ingest, extraction and the offline
judge, as a user runs them: what a fact-checker expects the ledger to show.

The later reports are invented for this test, in the style of wire copy on the same story (the
seed is real: ``data/articles/seed``). The judge was developed on them, so this guards what it
does on them; it measures nothing about stories it has not seen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from story_helpers import found, story_ledger, ties

from claimtrack.store import Store

SEED = Path(__file__).parent.parent / "data" / "articles" / "seed"

LATER = {
    "2026-01-08T09:00:00+00:00 Britain and France sign declaration on troops": (
        "Britain and France signed a declaration of intent on Tuesday to deploy forces to "
        "Ukraine in the event a peace deal is reached with Russia. Under the declaration, the "
        "two countries would set up military hubs across Ukraine and build protected facilities "
        "for weapons and equipment once fighting stops. British Prime Minister Keir Starmer told "
        "reporters that any deployment of British troops would be put to a vote in parliament. "
        "Ukrainian President Volodymyr Zelensky said the allies had made real progress but that "
        "the commitments still required approval from every country."
    ),
    "2026-01-15T11:30:00+00:00 Zelensky says guarantee document is ready": (
        "Ukrainian President Volodymyr Zelensky said on Wednesday that a document setting out "
        "US security guarantees for Ukraine was 100% ready and awaited signature by President "
        "Donald Trump."
    ),
    "2026-02-03T18:00:00+00:00 UK parliament backs troop deployment plan": (
        "British lawmakers voted on Tuesday to approve the deployment of British troops to "
        "Ukraine after a ceasefire, in a vote Prime Minister Keir Starmer had promised. No "
        "ceasefire has been agreed. Allies finalized their binding commitments to Ukraine at a "
        "meeting in Brussels last week, a NATO official said."
    ),
    "2026-02-10T12:00:00+00:00 Trump signs security guarantees": (
        "US President Donald Trump signed the document setting out security guarantees for "
        "Ukraine on Monday, the White House said. The guarantees will take effect only once a "
        "ceasefire is in place."
    ),
    "2026-03-16T12:00:00+00:00 Ceasefire takes hold": (
        "A ceasefire between Russia and Ukraine took effect at midnight on Sunday, after weeks "
        "of US-brokered talks.\nUS officials started monitoring the ceasefire line on Tuesday, "
        "the State Department said."
    ),
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("story")
    shutil.copytree(SEED, folder / "seed")
    return story_ledger(folder, LATER)


def test_a_restatement_by_its_speaker_is_linked(ledger: Store) -> None:
    assert found(
        ledger, "repeats", "sign declaration", "commitments required approval from all",
        "Zelensky said the allies had made real progress",
    )  # fmt: skip


def test_the_vote_promised_is_reported_held(ledger: Store) -> None:
    assert found(
        ledger, "fulfils", "parliament backs", "would be put to a vote in parliament",
        "British lawmakers voted on Tuesday",
    )  # fmt: skip


def test_what_was_awaited_is_corroborated_when_it_happens(ledger: Store) -> None:
    assert found(
        ledger, "corroborates", "Trump signs", "awaited signature by President Donald Trump",
        "Trump signed the document",
    )  # fmt: skip


def test_the_condition_is_met_only_when_the_ceasefire_comes_about(ledger: Store) -> None:
    triggered = [
        t for r, t, q, _ in ties(ledger) if r == "triggers" and "military hubs" in q
    ]  # fmt: skip
    assert triggered == ["Ceasefire takes hold"]


def test_nothing_is_done_on_conditional_future_or_negated_evidence(ledger: Store) -> None:
    not_done = ("in the event a peace deal", "once fighting stops", "No ceasefire has been",
                "will take effect only once")  # fmt: skip
    done = {"finalizes", "fulfils", "triggers", "corroborates"}
    wrong = [tie for tie in ties(ledger) if tie[0] in done and any(s in tie[3] for s in not_done)]
    assert wrong == []
