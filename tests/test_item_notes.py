"""An item's history as a reviewer writes and reads it: notes without a status change, links to
evidence made by hand, acceptance as a chosen relation, and the timeline of 'claims show' (the
evidence article of each change, its URL, the note, in the order of the articles' dates).

The corpus is test_tracking's small town news: the council will sign a bridge contract (then
signs it), a treasurer's figure (then retracted), a towpath that reopens once the river falls.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_recheck import count
from test_tracking import LATER, write_corpus

from claimtrack.cli import cli
from claimtrack.services.decisions import RelationNotAllowed, relation_choices, status_for_relation

URL = "https://harbour.example/bridge-signed"


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={"CLAIMTRACK_USER": "ana"})


def as_json(db: Path, *args: str) -> Any:
    result = invoke(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def utc_reviewer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The reviewer's local zone is UTC (recorded times then show +00:00)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db(tmp_path: Path, utc_reviewer: None) -> Path:
    """The corpus run through the rules backend; the later article has a URL and a zone."""
    corpus = write_corpus(tmp_path / "in", later="2026-02-10T14:08:00+05:30")
    later = corpus / "b-later.md"
    later.write_text(
        later.read_text(encoding="utf-8").replace("source:", f"url: {URL}\nsource:", 1),
        encoding="utf-8",
    )
    path = tmp_path / "db.duckdb"
    result = invoke(path, "run", str(corpus))
    assert result.exit_code == 0, result.output
    return path


def proposal(db: Path, relation: str) -> dict[str, Any]:
    return next(p for p in as_json(db, "proposals", "list") if p["relation"] == relation)


def article_id(db: Path, title: str) -> str:
    return str(next(a["id"] for a in as_json(db, "articles", "list") if a["title"] == title))


# -- notes ----------------------------------------------------------------------------------------


def test_a_note_is_an_event_that_keeps_the_status(db: Path) -> None:
    item = proposal(db, "finalizes")["item_id"]
    before = as_json(db, "claims", "show", item)

    noted = invoke(db, "claims", "note", item, "Clerk says the signing slipped a week")

    after = as_json(db, "claims", "show", item)
    assert noted.exit_code == 0, noted.output
    assert after["status"] == before["status"]
    event = after["events"][-1]
    assert (event["kind"], event["actor"], event["note"]) == (
        "note", "user:ana", "Clerk says the signing slipped a week"
    )  # fmt: skip
    assert event["from"] == event["to"] == before["status"]
    assert (
        "note: Clerk says the signing slipped a week" in invoke(db, "claims", "show", item).stdout
    )
    empty = invoke(db, "claims", "note", item, "  ")
    assert empty.exit_code == 2 and "the note is empty" in empty.output


# -- links made by hand ---------------------------------------------------------------------------


def test_a_link_by_quote_is_stored_verbatim_with_its_actor(db: Path) -> None:
    item = proposal(db, "finalizes")["item_id"]
    later = article_id(db, "Bridge contract signed")
    quote = "signed the Elm Street bridge repair contract"

    linked = as_json(db, "claims", "link", item, later, "--quote", quote, "--relation", "fulfils")

    text = as_json(db, "articles", "show", later)["text"]
    start, end = linked["span"]
    assert text[start:end] == quote == linked["quote"]
    event = as_json(db, "claims", "show", item)["events"][-1]
    assert (event["kind"], event["actor"], event["article_id"], event["quote"]) == (
        "link", "user:ana", later, quote
    )  # fmt: skip
    assert "linked by hand as fulfils" in event["note"]
    assert count(db, "SELECT count(*) FROM item_links WHERE actor = 'user:ana'") == 1


def test_a_quote_not_in_the_article_is_one_line_and_exit_1(db: Path) -> None:
    item = proposal(db, "finalizes")["item_id"]
    later = article_id(db, "Bridge contract signed")
    events = len(as_json(db, "claims", "show", item)["events"])

    missing = invoke(db, "claims", "link", item, later, "--quote", "signed the Oak Street deal")
    outside = invoke(db, "claims", "link", item, later, "--span", "5:999999")
    malformed = invoke(db, "claims", "link", item, later, "--span", "five")

    assert missing.exit_code == 1
    lines = missing.output.strip().splitlines()
    assert len(lines) == 1 and "not in article" in lines[0] and "word for word" in lines[0]
    assert outside.exit_code == 2 and "outside article" in outside.output
    assert malformed.exit_code == 2
    assert len(as_json(db, "claims", "show", item)["events"]) == events  # nothing was stored
    assert count(db, "SELECT count(*) FROM item_links WHERE actor IS NOT NULL") == 0


def test_a_repeats_link_over_the_articles_own_item_marks_a_restatement(
    db: Path, tmp_path: Path
) -> None:
    item = proposal(db, "retracts")["item_id"]
    shown = as_json(db, "claims", "show", item)
    news = tmp_path / "news"
    news.mkdir()
    (news / "again.md").write_text(
        LATER.format(date="2026-02-20").replace(
            "The river level", f"{shown['speaker']} said that {shown['quote']}. The river level"
        ),
        encoding="utf-8",
    )
    assert invoke(db, "run", str(news)).exit_code == 0
    again = next(a["id"] for a in as_json(db, "articles", "list") if a["published"] == "2026-02-20")
    own = as_json(db, "claims", "list", "--article", again)
    restated = next(i for i in own if shown["quote"] in i["quote"] or i["quote"] in shown["quote"])

    linked = as_json(
        db, "claims", "link", item, again, "--quote", restated["quote"], "--relation", "repeats"
    )

    assert linked["restatement"] == restated["id"]
    links = count(
        db,
        "SELECT count(*) FROM item_links WHERE linked_item_id IS NOT NULL AND actor = 'user:ana'",
    )
    assert links == 1


# -- accepting as a chosen relation ---------------------------------------------------------------


def test_accept_as_another_relation_applies_that_relations_status(db: Path) -> None:
    finalizes = proposal(db, "finalizes")

    accepted = as_json(
        db, "proposals", "accept", finalizes["id"], "--relation", "advances", "--note", "work began"
    )[0]

    assert accepted["applied_status"] == "in_progress"
    assert accepted["applied_relation"] == "advances" and accepted["note"] == "work began"
    event = as_json(db, "claims", "show", finalizes["item_id"])["events"][-1]
    assert event["to"] == "in_progress" and "advances" in event["note"]
    assert "work began" in event["note"]


def test_a_relation_that_cannot_move_the_item_is_refused(db: Path) -> None:
    retracts = proposal(db, "retracts")  # a claim
    finalizes = proposal(db, "finalizes")  # a commitment, pending: no trigger awaited

    for ref, relation, says in (
        (retracts["id"], "advances", "does not apply to a claim"),
        (finalizes["id"], "triggers", "only from awaiting_trigger"),
        (finalizes["id"], "unrelated", "reject the proposal instead"),
    ):
        refused = invoke(db, "proposals", "accept", ref, "--relation", relation)
        assert refused.exit_code == 2, refused.output
        assert len(refused.output.strip().splitlines()) == 1 and says in refused.output
    assert proposal(db, "retracts")["state"] == proposal(db, "finalizes")["state"] == "proposed"


def test_the_relation_rule_is_one_function_the_picker_can_call() -> None:
    assert status_for_relation("commitment", "awaiting_trigger", "triggers") == "pending"
    assert status_for_relation("claim", "open", "mentions") == "open"
    assert status_for_relation("claim", "open", "repeats") == "open"
    with pytest.raises(RelationNotAllowed):
        status_for_relation("commitment", "pending", "triggers")
    offered = dict(relation_choices("claim", "open"))
    assert offered["contradicts"] == "contradicted" and "advances" not in offered
    assert "unrelated" not in offered and "triggers" not in offered


# -- the timeline ---------------------------------------------------------------------------------


def test_the_timeline_shows_each_changes_evidence_and_note_by_article_date(
    db: Path, tmp_path: Path
) -> None:
    finalizes = proposal(db, "finalizes")
    item = finalizes["item_id"]
    accepted = invoke(db, "proposals", "accept", finalizes["id"], "--note", "clerk confirmed")
    assert accepted.exit_code == 0, accepted.output
    middle = tmp_path / "middle"
    middle.mkdir()
    (middle / "m.md").write_text(
        "---\ntitle: Council agenda\npublished: 2026-01-20\nsource: Town Hall\n---\n"
        "The bridge repair contract is on the council's agenda.",
        encoding="utf-8",
    )
    assert invoke(db, "ingest", str(middle)).exit_code == 0
    agenda = article_id(db, "Council agenda")
    # recorded after the acceptance, but its article is older: it comes first
    assert (
        invoke(db, "claims", "link", item, agenda, "--quote", "on the council's agenda").exit_code
        == 0
    )

    shown = invoke(db, "claims", "show", item).stdout
    timeline = shown[shown.index("timeline") :]

    assert "evidence: Bridge contract signed · Harbour Gazette · " + URL in timeline
    assert "2026-02-10 14:08 +05:30" in timeline  # the article's own zone
    assert "note: clerk confirmed" in timeline
    assert f"url: {URL}" not in shown  # the item's own article has none ...
    assert timeline.index("Council agenda") < timeline.index("Bridge contract signed")
    first, *_ = [line for line in timeline.splitlines()[1:] if line.strip()]
    assert first.strip().startswith("2026-01-07") and "first reported" in first
    assert "extracted " in timeline  # the extraction on its own labelled line
    assert "+00:00" in timeline.split("extracted ", 1)[1].splitlines()[0]  # marked, not bare


def test_proposals_show_names_the_evidence_url_and_its_zone(db: Path) -> None:
    finalizes = proposal(db, "finalizes")

    shown = invoke(db, "proposals", "show", finalizes["id"]).stdout

    assert f"url: {URL}" in shown
    assert "2026-02-10 14:08 +05:30" in shown
    assert "proposed_at:" in shown and "+00:00" in shown
