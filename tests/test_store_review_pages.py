"""The review queue's pages read their ids first and then those rows by id (issue 20): every
filter, order and page gives the rows the one-query form gave, conflicts included."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from claimtrack.services import decisions
from claimtrack.store import Store
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import review as review_rows
from claimtrack.store.review import ProposalFilter


@pytest.fixture(scope="module")
def queue_db(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """300 items, 400 proposals, some decided, and one item with two proposals that disagree."""
    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    from review_data import generate

    path = tmp_path_factory.mktemp("queue") / "queue.duckdb"
    store = generate(path, items=300, proposals=400)
    with store.write() as con:  # a second proposal about item 7, proposing another status
        con.execute(
            """
            INSERT INTO proposals (id, item_id, article_id, relation, from_status, to_status,
                span_start, span_end, quote, reason, order_basis, backend, prompt_id, created_at)
            SELECT 'pconflict', item_id, article_id, 'retracts', from_status, 'retracted',
                   span_start, span_end, quote, 'other', order_basis, backend, prompt_id,
                   created_at
            FROM proposals WHERE id = printf('p%015d', 7)
            """
        )
    for number, state in ((3, "accepted"), (11, "rejected"), (12, "skipped"), (20, "skipped")):
        decisions.decide(store, f"p{number:015d}", state, actor="user:test")
    return store


def one_query_page(store: Store, query: ProposalFilter, limit: int, offset: int) -> list[str]:
    """The page as the single join over every table gave it (the reference)."""
    where, params = review_rows._review_where(query)
    order = review_rows._REVIEW_ORDER[query.sort]
    sql = f"{review_rows._REVIEW_SELECT} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
    with store.read() as con:
        return [row[0] for row in con.execute(sql, [*params, limit, offset]).fetchall()]


FILTERS = [
    ProposalFilter(),
    ProposalFilter(state="open"),
    ProposalFilter(state="all", sort="story"),
    ProposalFilter(state="all", sort="speaker"),
    ProposalFilter(state="skipped"),
    ProposalFilter(status="pending"),
    ProposalFilter(state="all", status="corroborated"),
    ProposalFilter(speaker="000012"),
    ProposalFilter(text="plan 00001", sort="speaker"),
    ProposalFilter(source="valley", relation="finalizes"),
]


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: q.describe() + " " + q.sort)
@pytest.mark.parametrize(("limit", "offset"), [(50, 0), (40, 120), (1000, 0)])
def test_a_page_is_what_the_one_query_form_gave(
    queue_db: Store, query: ProposalFilter, limit: int, offset: int
) -> None:
    expected = one_query_page(queue_db, query, limit, offset)
    with queue_db.read() as con:
        page = review_rows.review_page(con, query, limit=limit, offset=offset)
        total = review_rows.review_count(con, query)
    assert [row.id for row in page] == expected
    assert total == len(one_query_page(queue_db, query, 10_000, 0))
    with queue_db.read() as con:
        one = {row.id: row for row in proposal_rows.list_proposals(con)}
    for row in page:  # the rows themselves: as proposals list gives them, plus the page fields
        assert proposal_rows.ProposalRow(**{
            name: getattr(row, name) for name in vars(one[row.id])
        }) == one[row.id]  # fmt: skip
        assert row.item_span is not None


def test_a_page_with_a_decided_proposal_shows_its_state_and_the_items_status(
    queue_db: Store,
) -> None:
    with queue_db.read() as con:
        page = review_rows.review_page(con, ProposalFilter(state="accepted"), limit=10)
    assert [(row.id, row.state) for row in page] == [(f"p{3:015d}", "accepted")]
    assert page[0].item_status == page[0].to_status


def test_two_open_proposals_that_disagree_conflict_in_a_page(queue_db: Store) -> None:
    with queue_db.read() as con:
        page = review_rows.review_page(con, ProposalFilter(state="all"), limit=1000)
    by_id = {row.id: row for row in page}
    # item 7's proposals: 7 and 307 (of 300 items) propose one status, "pconflict" another
    assert by_id["pconflict"].conflicts_with == (f"p{7:015d}", f"p{307:015d}")
    assert by_id[f"p{7:015d}"].conflicts_with == ("pconflict",)
    assert by_id[f"p{8:015d}"].conflicts_with == ()


def test_a_proposal_is_found_by_id_and_by_prefix(queue_db: Store) -> None:
    with queue_db.read() as con:
        whole = proposal_rows.get_proposal(con, "pconflict")
        by_prefix = proposal_rows.get_proposal(con, "pconf")
        assert proposal_rows.rows_by_id(con, ["no-such-id"]) == []
    assert whole == by_prefix
    assert whole.conflicts_with == (f"p{7:015d}", f"p{307:015d}")


def test_timelines_carry_the_evidence_articles(queue_db: Store) -> None:
    item_id = f"i{3:015d}"
    with queue_db.read() as con:
        timelines = review_rows.item_timelines(con, [item_id, "no-such-item"])
        article = con.execute(
            "SELECT a.title FROM items i JOIN articles a ON a.id = i.article_id WHERE i.id = ?",
            [item_id],
        ).fetchone()
    assert timelines["no-such-item"] == []
    first, accepted = timelines[item_id]
    assert first.actor == "extraction" and first.article_title == (article or [None])[0]
    assert accepted.proposal_id == f"p{3:015d}" and accepted.article_title is not None
    assert first.seq < accepted.seq
