"""Tracking with the offline rules judge: proposals, decisions, order, and the command line.

The corpus is three short invented articles of a small town's news: a contract the council will
sign (then signs), a treasurer's figure (then retracted), a towpath that reopens once the river
level falls (then falls), and an unrelated library story. Every test checks the database or the
JSON a user reads, and that every proposal's quote is verbatim at its span in the later article.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tracking_helpers import tracked_item

from claimtrack.cli import cli
from claimtrack.errors import UsageError
from claimtrack.extraction.pipeline import extract_with_rules_backend
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.services import decisions
from claimtrack.statuses import status_for
from claimtrack.store import Store
from claimtrack.store import decisions as decision_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import trackings as tracking_rows
from claimtrack.tracking.pipeline import track_with_rules_backend
from claimtrack.tracking.retrieval import (
    IndexedItem,
    ItemIndex,
    Order,
    name_keys,
    names_match,
    order_basis,
)
from claimtrack.tracking.rules import judge

EARLIER = """---
title: Council plans bridge repairs
published: {date}
source: Harbour Gazette
---
The city council will sign the Elm Street bridge repair contract with Delta Builders next month, \
Mayor Ana Ruiz said on Tuesday.

Treasurer Bo Lind said that the bridge repairs would cost twice the first estimate of 4 million \
euros.

Once the river level falls, the council will reopen the towpath along the harbour wall.
"""
LATER = """---
title: Bridge contract signed
published: {date}
source: Harbour Gazette
---
The city council signed the Elm Street bridge repair contract with Delta Builders on Monday.

Treasurer Bo Lind retracted his claim that the bridge repairs would cost twice the first \
estimate, saying the figure was a typing error.

The river level fell below the warning mark last week.
"""
UNRELATED = """---
title: Library opens on Sundays
published: 2026-02-11
source: Harbour Gazette
---
Councillor Femi Okafor said that the library will open on Sundays from May.
"""

EXPECTED = {  # relation -> (a word of the item's quote, the status proposed)
    "finalizes": ("contract", "finalized"),
    "retracts": ("twice", "retracted"),
    "triggers": ("towpath", "pending"),
}


def write_corpus(folder: Path, earlier: str = "2026-01-07", later: str = "2026-02-10") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-earlier.md").write_text(EARLIER.format(date=earlier), encoding="utf-8")
    (folder / "b-later.md").write_text(LATER.format(date=later), encoding="utf-8")
    (folder / "c-library.md").write_text(UNRELATED, encoding="utf-8")
    return folder


def split_corpus(folder: Path) -> tuple[Path, Path]:
    """(the news, the announcement): the follow-up and the library story first, and the
    announcement they follow in a folder of its own, to be ingested late."""
    announcement = write_corpus(folder / "announcement")
    news = folder / "news"
    news.mkdir()
    for name in ("b-later.md", "c-library.md"):
        (announcement / name).rename(news / name)
    return news, announcement


def build(store: Store, folder: Path) -> None:
    report = ingest_paths([str(folder)], store, limits=Limits(max_article_bytes=1_000_000))
    assert report.failed == []
    assert not extract_with_rules_backend(store).failed


def proposals(store: Store) -> list[proposal_rows.ProposalRow]:
    with store.read() as con:
        return proposal_rows.list_proposals(con)


def article_text(store: Store, article_id: str) -> str:
    with store.read() as con:
        row = con.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    assert row is not None
    return str(row[0])


def assert_grounded(store: Store, found: list[proposal_rows.ProposalRow]) -> None:
    for proposal in found:
        assert proposal.span is not None
        start, end = proposal.span
        assert article_text(store, proposal.article_id)[start:end] == proposal.quote


# -- the rules judge end to end -------------------------------------------------------------------


def test_later_article_yields_the_expected_proposals(store: Store, tmp_path: Path) -> None:
    build(store, write_corpus(tmp_path / "in"))

    report = track_with_rules_backend(store)

    assert report.articles_tracked == 3 and report.failed == []
    found = proposals(store)
    assert_grounded(store, found)
    by_relation = {p.relation: p for p in found}
    for relation, (word, status) in EXPECTED.items():
        assert relation in by_relation, f"no {relation} proposal in {found}"
        proposal = by_relation[relation]
        assert word in proposal.item_quote and proposal.to_status == status
        assert proposal.state == "proposed" and proposal.order_basis == "published"
        assert proposal.article_title == "Bridge contract signed"
    # the library story bears on nothing, and nothing is proposed about it
    assert not any("library" in ((p.quote or "") + p.item_quote).lower() for p in found)
    # a proposal does not change a status: only a decision does
    with store.read() as con:
        statuses = {
            s for (s,) in con.execute("SELECT DISTINCT to_status FROM item_events").fetchall()
        }
    assert statuses <= {"open", "pending", "awaiting_trigger"}


def test_tracking_twice_creates_nothing_new(store: Store, tmp_path: Path) -> None:
    build(store, write_corpus(tmp_path / "in"))
    first = track_with_rules_backend(store)
    with store.write() as con:  # forget that the articles were tracked: judge them all again
        con.execute("DELETE FROM trackings")

    second = track_with_rules_backend(store)

    assert first.proposals_created > 0
    assert second.articles_tracked == 3 and second.proposals_created == 0
    assert len(proposals(store)) == first.proposals_created


def test_an_older_article_never_updates_a_newer_item(store: Store, tmp_path: Path) -> None:
    # the "later" text is dated before the "earlier" one: it cannot sign what was announced after
    build(store, write_corpus(tmp_path / "in", earlier="2026-03-01", later="2026-02-10"))

    track_with_rules_backend(store)

    found = proposals(store)
    with store.read() as con:
        older = con.execute("SELECT id FROM articles WHERE title = 'Bridge contract signed'")
        older_id = older.fetchone()[0]  # type: ignore[index]
    assert all(p.article_id != older_id for p in found)


def test_an_earlier_article_ingested_late_is_judged_by_the_later_ones_already_tracked(
    store: Store, tmp_path: Path
) -> None:
    """Backfill: the follow-up was tracked first; the announcement it follows arrives later."""
    news, announcement = split_corpus(tmp_path)
    build(store, news)
    first = track_with_rules_backend(store)
    assert first.articles_tracked == 2 and first.proposals_created == 0

    build(store, announcement)  # dated a month before the follow-up
    second = track_with_rules_backend(store)

    assert second.articles_tracked == 1 and second.failed == []
    assert second.backfill_judged == 1  # the follow-up, not the library story
    found = proposals(store)
    assert_grounded(store, found)
    by_relation = {p.relation: p for p in found}
    for relation, (word, status) in EXPECTED.items():
        assert relation in by_relation, f"no {relation} proposal in {found}"
        assert word in by_relation[relation].item_quote
        assert by_relation[relation].to_status == status
        assert by_relation[relation].article_title == "Bridge contract signed"
    with store.read() as con:  # the follow-up keeps its one tracking record
        records = con.execute("SELECT article_id, count(*) FROM trackings GROUP BY 1").fetchall()
    assert sorted(count for _, count in records) == [1, 1, 1]
    # and the next run has nothing left to do
    third = track_with_rules_backend(store)
    assert third.articles_pending == 0 and len(proposals(store)) == len(found)


def test_backfill_judges_each_later_article_once_however_many_pages_arrive_late(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimtrack.tracking import pipeline

    monkeypatch.setattr(pipeline, "PAGE", 1)  # each late article a page of its own
    news, announcement = split_corpus(tmp_path)
    (announcement / "a-preview.md").write_text(
        "---\ntitle: Contract talks\npublished: 2026-01-02\nsource: Harbour Gazette\n---\n"
        "Delta Builders will sign the Elm Street bridge repair contract with the city council, "
        "a company spokeswoman said.\n",
        encoding="utf-8",
    )
    build(store, news)
    track_with_rules_backend(store)
    build(store, announcement)

    report = track_with_rules_backend(store)

    assert report.articles_tracked == 2 and report.failed == []
    assert report.backfill_judged == 1  # the follow-up, against both late articles at once
    contract = [p for p in proposals(store) if p.relation == "finalizes"]
    assert {p.article_title for p in contract} == {"Bridge contract signed"}
    assert len({p.item_id for p in contract}) == 2  # both announcements are finalized


def test_an_undated_article_is_ordered_by_ingestion_and_says_so(
    store: Store, tmp_path: Path
) -> None:
    folder = write_corpus(tmp_path / "in")
    later = folder / "b-later.md"
    later.write_text(later.read_text().replace("published: 2026-02-10\n", ""), encoding="utf-8")
    build(store, folder)

    report = track_with_rules_backend(store)

    found = proposals(store)
    assert found and all(p.order_basis == "ingestion" for p in found)
    assert all("has no date" in (p.reason or "") for p in found)
    assert report.undated == 1


def test_disagreeing_proposals_are_both_kept(store: Store, tmp_path: Path) -> None:
    build(store, write_corpus(tmp_path / "in"))
    track_with_rules_backend(store)
    finalizes = next(p for p in proposals(store) if p.relation == "finalizes")
    record = tracking_rows.TrackingRecord(
        id="another-judge",
        article_id=finalizes.article_id,
        backend="llm",
        model="m",
        prompt_id="track@1",
        started_at=proposal_rows_now(),
        finished_at=proposal_rows_now(),
    )
    stalls = tracking_rows.Judgement(
        item_id=finalizes.item_id,
        relation="stalls",
        to_status="stalled",
        span=finalizes.span,
        quote=finalizes.quote,
    )
    with store.write() as con:
        assert tracking_rows.save_trackings(con, [(record, [stalls])], proposal_rows_now()) == (
            1,
            0,
        )

    about_item = [p for p in proposals(store) if p.item_id == finalizes.item_id]

    assert {p.to_status for p in about_item} >= {"finalized", "stalled"}
    for proposal in about_item:
        others = {p.id for p in about_item if p.to_status != proposal.to_status}
        assert set(proposal.conflicts_with) >= others


def test_a_mention_changes_no_status_and_conflicts_with_nothing(
    store: Store, tmp_path: Path
) -> None:
    build(store, write_corpus(tmp_path / "in"))
    track_with_rules_backend(store)
    finalizes = next(p for p in proposals(store) if p.relation == "finalizes")
    record = tracking_rows.TrackingRecord(
        id="a-mention",
        article_id=finalizes.article_id,
        backend="llm",
        model="m",
        prompt_id="track@2",
        started_at=proposal_rows_now(),
        finished_at=proposal_rows_now(),
    )
    mention = tracking_rows.Judgement(
        item_id=finalizes.item_id,
        relation="mentions",
        to_status=None,
        span=finalizes.span,
        quote=finalizes.quote,
    )
    with store.write() as con:
        tracking_rows.save_trackings(con, [(record, [mention])], proposal_rows_now())

    about_item = {p.relation: p for p in proposals(store) if p.item_id == finalizes.item_id}

    assert about_item["mentions"].to_status == about_item["mentions"].from_status == "pending"
    assert about_item["mentions"].conflicts_with == ()
    assert about_item["mentions"].id not in about_item["finalizes"].conflicts_with


def proposal_rows_now() -> Any:
    from datetime import datetime

    return datetime(2026, 2, 12, 9, 0)


# -- decisions ------------------------------------------------------------------------------------


def test_accept_changes_the_status_with_the_evidence_and_undo_restores_it(
    store: Store, tmp_path: Path
) -> None:
    build(store, write_corpus(tmp_path / "in"))
    track_with_rules_backend(store)
    proposal = next(p for p in proposals(store) if p.relation == "finalizes")

    accepted = decisions.decide(
        store, proposal.id, "accepted", actor="user:ana", now=proposal_rows_now()
    ).proposal
    assert accepted.state == "accepted" and accepted.item_status == "finalized"
    assert accepted.decided_by == "user:ana"
    with store.read() as con:
        event = con.execute(
            "SELECT actor, from_status, to_status, article_id, span_start, span_end, quote, "
            "proposal_id FROM item_events WHERE item_id = ? ORDER BY seq DESC LIMIT 1",
            [proposal.item_id],
        ).fetchone()
    assert event == (
        "user:ana",
        "pending",
        "finalized",
        proposal.article_id,
        *(proposal.span or ()),
        proposal.quote,
        proposal.id,
    )

    with pytest.raises(decisions.AlreadyDecided, match="already accepted"):
        decisions.decide(store, proposal.id, "rejected", actor="user:bo", now=proposal_rows_now())

    undone = decisions.undo(store, proposal.id, actor="user:ana", now=proposal_rows_now())
    assert undone.proposal.state == "proposed" and undone.proposal.item_status == "pending"
    assert [event.to_status for event in undone.timeline] == ["pending", "finalized", "pending"]
    with store.read() as con:
        history = decision_rows.decisions(con)
        events = con.execute(
            "SELECT count(*) FROM item_events WHERE item_id = ?", [proposal.item_id]
        ).fetchone()
    # nothing was erased: extraction, acceptance, and the undo are all events
    assert events == (3,)
    assert [d.state for d in history] == ["proposed", "accepted"]


def test_accept_with_an_edited_status_and_note(store: Store, tmp_path: Path) -> None:
    build(store, write_corpus(tmp_path / "in"))
    track_with_rules_backend(store)
    proposal = next(p for p in proposals(store) if p.relation == "finalizes")

    decided = decisions.decide(
        store,
        proposal.id,
        "accepted",
        actor="user:ana",
        now=proposal_rows_now(),
        to_status="in_progress",
        note="signed, but only the first phase",
    ).proposal

    assert decided.applied_status == "in_progress" and decided.item_status == "in_progress"
    assert decided.note == "signed, but only the first phase"
    other = next(p for p in proposals(store) if p.relation == "triggers")
    with pytest.raises(UsageError, match="not a status for a commitment"):
        decisions.decide(
            store,
            other.id,
            "accepted",
            actor="u",
            now=proposal_rows_now(),
            to_status="retracted",
        )


def test_skip_then_reject(store: Store, tmp_path: Path) -> None:
    build(store, write_corpus(tmp_path / "in"))
    track_with_rules_backend(store)
    proposal = next(p for p in proposals(store) if p.relation == "retracts")

    skipped = decisions.decide(store, proposal.id, "skipped", actor="u").proposal
    rejected = decisions.decide(store, proposal.id, "rejected", actor="u").proposal

    assert skipped.state == "skipped" and rejected.state == "rejected"
    assert rejected.item_status == "open"  # a rejection leaves the status alone


# -- the command line -----------------------------------------------------------------------------


def invoke(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    return result


def test_cli_track_accept_and_already_decided(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    folder = write_corpus(tmp_path / "in")
    ran = invoke(db, "run", str(folder), "--json")
    assert ran.exit_code == 0, ran.output
    summary = json.loads(ran.stdout)
    assert summary["articles_tracked"] == 3 and summary["proposals_created"] >= 3

    listed = invoke(db, "proposals", "list", "--state", "proposed", "--json")
    found = json.loads(listed.stdout)
    keys = {
        "id",
        "item_id",
        "article_id",
        "relation",
        "from_status",
        "to_status",
        "quote",
        "span",
        "state",
    }
    assert found and all(keys <= p.keys() for p in found)
    target = next(p for p in found if p["relation"] == "finalizes")

    accepted = invoke(db, "proposals", "accept", target["id"][:8])
    again = invoke(db, "proposals", "accept", target["id"])
    shown = json.loads(invoke(db, "claims", "show", target["item_id"], "--json").stdout)
    tracked_again = json.loads(invoke(db, "track", "--json").stdout)

    assert accepted.exit_code == 0, accepted.output
    assert again.exit_code == 1 and "already accepted" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert shown["status"] == "finalized"
    assert shown["events"][-1]["quote"] == target["quote"]
    assert tracked_again["articles_tracked"] == 0 and tracked_again["proposals_created"] == 0


def test_rows_print_as_the_json_the_cli_contract_names(store: Store, tmp_path: Path) -> None:
    build(store, write_corpus(tmp_path / "in"))
    track_with_rules_backend(store)
    proposal = next(p for p in proposals(store) if p.relation == "finalizes")
    with store.read() as con:
        item = item_rows.get_item(con, proposal.item_id)
        listed = item_rows.list_items(con)
    shown, printed = proposal.to_json(), item.to_json()

    contract = ["id", "item_id", "article_id", "relation", "from_status", "to_status", "quote"]
    assert list(shown)[: len(contract) + 2] == [*contract, "span", "state"]
    assert shown["span"] == list(proposal.span or ()) and shown["conflicts_with"] == []
    assert list(printed)[:8] == ["id", "kind", "speaker", "text", "quote", "article_id", "span",
                                 "status"]  # fmt: skip
    assert printed["span"] == list(item.span) and isinstance(printed["actors"], list)
    assert list(printed)[-1] == "events" and printed["events"][0]["to"] == item.status
    assert all("events" not in row.to_json() for row in listed)  # only 'claims show' has them
    assert json.loads(json.dumps([shown, printed])) == [shown, printed]


def test_cli_set_status_directly(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    assert invoke(db, "run", str(write_corpus(tmp_path / "in"))).exit_code == 0
    item = json.loads(invoke(db, "claims", "list", "--kind", "claim", "--json").stdout)[0]

    bad = invoke(db, "claims", "set-status", item["id"], "fulfilled")
    good = invoke(
        db, "claims", "set-status", item["id"], "disputed", "--note", "two sources differ"
    )
    shown = json.loads(invoke(db, "claims", "show", item["id"], "--json").stdout)

    assert bad.exit_code == 2 and "not a status for a claim" in bad.stderr
    assert good.exit_code == 0
    assert shown["status"] == "disputed" and shown["events"][-1]["note"] == "two sources differ"


def test_unknown_proposal_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    assert invoke(db, "run", str(write_corpus(tmp_path / "in"))).exit_code == 0

    result = invoke(db, "proposals", "accept", "nope-not-there")

    assert result.exit_code == 2 and "no proposal with id" in result.stderr


# -- the parts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        (Order(date(2026, 1, 1), 1), Order(date(2026, 1, 2), 2), "published"),
        (Order(date(2026, 1, 1), 5), Order(date(2026, 1, 2), 2), "published"),  # ingested later
        (Order(date(2026, 1, 2), 1), Order(date(2026, 1, 1), 2), None),  # published before
        (Order(date(2026, 1, 1), 1), Order(date(2026, 1, 1), 2), "ingestion"),  # same day
        (Order(None, 1), Order(date(2026, 1, 1), 2), "ingestion"),
        (Order(date(2026, 1, 1), 3), Order(None, 2), None),  # undated, ingested before
    ],
)
def test_order_basis(earlier: Order, later: Order, expected: str | None) -> None:
    assert order_basis(earlier, later) == expected


def test_retrieval_ranks_the_related_item_first_among_distractors() -> None:
    distractors = [
        IndexedItem(f"d{n}", "claim", f"a{n}", Order(date(2026, 1, 1), n), text, {"femi okafor"})
        for n, text in enumerate(
            [
                "The library will open on Sundays from May",
                "Bus fares will rise by ten cents in April",
                "The harbour festival drew 20,000 visitors",
                "The council will hire three new librarians",
            ]
        )
    ]
    target = IndexedItem(
        "t",
        "commitment",
        "a9",
        Order(date(2026, 1, 1), 9),
        "The city council will sign the Elm Street bridge repair contract with Delta Builders",
        name_keys("city council"),
    )
    text = "On Monday the council signed the bridge contract with Delta Builders."
    index = ItemIndex([*distractors, target])

    hits = index.candidates([(0, len(text))], text, "new", Order(date(2026, 2, 1), 20), k=2)
    same_article = index.candidates([(0, len(text))], text, "a9", Order(date(2026, 2, 1), 20), k=2)

    assert hits[0].item.id == "t" and hits[0].sentence == (0, len(text))
    assert all(hit.item.id != "t" for hit in same_article)  # an article never updates itself


def _person_items() -> list[IndexedItem]:
    said = [
        ("zel", "Volodymyr Zelensky", "Zelensky said the talks in Geneva had been productive"),
        ("mac", "Emmanuel Macron", "Macron said the talks in Geneva had been productive"),
    ]
    return [
        IndexedItem(item_id, "claim", f"a-{item_id}", Order(date(2026, 1, 1), n), text,
                    name_keys(name))
        for n, (item_id, name, text) in enumerate(said)
    ]  # fmt: skip


def test_a_name_spelt_another_way_brings_the_item_and_counts_as_naming_it() -> None:
    index = ItemIndex(_person_items())
    later = Order(date(2026, 2, 1), 9)

    only_the_name = "Zelenskiy arrived in Paris on Friday."
    hits = index.candidates([(0, len(only_the_name))], only_the_name, "new", later, k=5)
    both = "Zelenskiy's talks in Geneva were productive, officials said."
    ranked = index.candidates([(0, len(both))], both, "new", later, k=5)

    assert [hit.item.id for hit in hits] == ["zel"]
    assert [hit.item.id for hit in ranked] == ["zel", "mac"]
    # the name is matched as a word of the item and raises it as naming its speaker
    assert ranked[0].score > ranked[1].score * ItemIndex.NAME_BONUS


def test_other_names_and_lowercase_words_are_not_taken_for_a_spelling() -> None:
    index = ItemIndex(
        [
            *_person_items(),
            IndexedItem("us", "claim", "a-us", Order(date(2026, 1, 1), 5),
                        "The United States will send envoys", name_keys("United States")),
            IndexedItem("am", "claim", "a-am", Order(date(2026, 1, 1), 6),
                        "American envoys will follow, America said", name_keys("America")),
        ]
    )  # fmt: skip

    assert index.spelt_differently("Zelenskyy and Zelenskiy met Macron.") == ["zelensky"] * 2
    # a possessive names the name; words the items use are not new spellings of a name
    assert index.spelt_differently("Clifton met Macron's aides; it was stated.") == ["macron"]
    assert index.spelt_differently("Stated plainly, Americans disagree.") == []


def test_an_acronym_names_the_name_it_abbreviates() -> None:
    index = ItemIndex(
        [
            IndexedItem("gm", "commitment", "a-gm", Order(date(2026, 1, 1), 1),
                        "General Motors will close the Oshawa plant", name_keys("General Motors")),
            IndexedItem("ford", "commitment", "a-f", Order(date(2026, 1, 1), 2),
                        "Ford will close the Oshawa plant", name_keys("Ford")),
        ]
    )  # fmt: skip
    text = "GM's board met on Friday; the Oshawa plant stays open, it said."

    hits = index.candidates([(0, len(text))], text, "new", Order(date(2026, 2, 1), 9), k=5)

    assert index.spelt_differently(text) == ["general motors"]
    assert [hit.item.id for hit in hits] == ["gm", "ford"]
    assert index.spelt_differently("The GM plan") == ["general motors"]
    assert index.spelt_differently("The G.M. plan, OK?") == []


def test_rules_judge_cues() -> None:
    idf: dict[str, float] = {}
    commitment = tracked_item(
        "commitment",
        "the ministry will build the new ring road around Harbourton by 2028",
        text="The ministry will build the new ring road around Harbourton by 2028.",
        action="build the new ring road around Harbourton",
    )
    cases = {
        "The ministry postponed the new ring road around Harbourton to 2030.": "stalls",
        "The ministry cancelled the new ring road around Harbourton.": "retracts",
        "The ministry built the new ring road around Harbourton in record time.": "fulfils",
        "The ministry will build the new ring road around Harbourton, it said again.": "repeats",
        "Tourists praised the harbour's new fish market.": "unrelated",
    }
    for sentence, relation in cases.items():
        verdict = judge(commitment, sentence, same_speaker_items=False, idf=idf)
        assert verdict.relation == relation, (sentence, verdict)
        assert verdict.to_status == status_for(relation, "commitment")


def test_a_claim_is_retracted_only_by_its_own_speaker() -> None:
    claim = tracked_item(
        "claim",
        "the bridge repairs would cost twice the first estimate",
        text="Bo Lind said that the bridge repairs would cost twice the first estimate.",
        speaker="Treasurer Bo Lind",
        speaker_canonical="Bo Lind",
    )
    own = "Lind withdrew his claim that the bridge repairs would cost twice the first estimate."
    other = (
        "Critics withdrew their support after hearing the bridge repairs would cost twice the "
        "first estimate."
    )

    assert judge(claim, own, same_speaker_items=False, idf={}).relation == "retracts"
    assert judge(claim, other, same_speaker_items=False, idf={}).relation != "retracts"


def test_a_speaker_another_outlet_spells_differently_can_retract_their_claim() -> None:
    claim = tracked_item(
        "claim",
        "the grain corridor would reopen within ten days",
        text="Volodymyr Zelenskyy said that the grain corridor would reopen within ten days.",
        speaker="Zelenskyy",
        speaker_canonical="Volodymyr Zelenskyy",
    )
    respelt = "Zelenskiy withdrew his claim that the grain corridor would reopen within ten days."
    other = "Kuleba withdrew his claim that the grain corridor would reopen within ten days."

    assert judge(claim, respelt, same_speaker_items=False, idf={}).relation == "retracts"
    assert judge(claim, other, same_speaker_items=False, idf={}).relation != "retracts"


def test_names_match_across_spellings_but_not_across_people() -> None:
    assert names_match(name_keys("Volodymyr Zelenskyy"), name_keys("Zelenskiy"))
    assert names_match(name_keys("Keir Starmer"), name_keys("Prime Minister Keir Starmer"))
    assert not names_match(name_keys("Hillary Clinton"), name_keys("Clifton"))
    assert not names_match(name_keys("Volodymyr Zelenskyy"), name_keys("Dmytro Kuleba"))
