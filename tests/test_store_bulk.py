"""Writing many rows in one statement: every row arrives whole, conflicts behave as before."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from claimtrack.store import Store, sources, time_rules
from claimtrack.store.bulk import insert_rows

COLUMNS = (("id", "VARCHAR"), ("n", "INTEGER"), ("doc", "JSON"), ("seen", "TIMESTAMP"))
WHEN = datetime(2026, 1, 7, 9, 30)


@pytest.fixture
def table() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id VARCHAR PRIMARY KEY, n INTEGER, doc JSON, seen TIMESTAMP)")
    return con


def test_every_row_arrives_with_its_types_even_a_column_of_nulls(
    table: duckdb.DuckDBPyConnection,
) -> None:
    rows = [[f"r{i}", i, None, WHEN] for i in range(1500)] + [["json", None, '{"a": [1]}', None]]

    insert_rows(table, "t", COLUMNS, rows)

    assert table.execute("SELECT count(*), sum(n), count(doc), count(seen) FROM t").fetchone() == (
        1501,
        sum(range(1500)),
        1,
        1500,
    )
    json_row = "SELECT (doc->>'$.a[0]')::INTEGER, typeof(doc) FROM t WHERE id = 'json'"
    assert table.execute(json_row).fetchone() == (1, "JSON")


def test_do_nothing_keeps_the_stored_row_and_the_first_of_two_new_ones(
    table: duckdb.DuckDBPyConnection,
) -> None:
    insert_rows(table, "t", COLUMNS, [["a", 1, None, None]])

    insert_rows(
        table,
        "t",
        COLUMNS,
        [["a", 2, None, None], ["b", 3, None, None], ["b", 4, None, None]],
        on_conflict="ON CONFLICT DO NOTHING",
    )

    assert table.execute("SELECT id, n FROM t ORDER BY id").fetchall() == [("a", 1), ("b", 3)]


def test_replace_overwrites_and_a_conflict_without_a_clause_is_refused(
    table: duckdb.DuckDBPyConnection,
) -> None:
    insert_rows(table, "t", COLUMNS, [["a", 1, None, None]])
    insert_rows(table, "t", COLUMNS, [["a", 9, "[]", WHEN]], replace=True)
    assert table.execute("SELECT n, doc, seen FROM t").fetchall() == [(9, "[]", WHEN)]

    with pytest.raises(duckdb.ConstraintException):
        insert_rows(table, "t", COLUMNS, [["a", 2, None, None]])


def test_rows_shorter_than_the_columns_are_refused(table: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="4 columns named, rows have 3"):
        insert_rows(table, "t", COLUMNS, [["a", 1, None]])
    assert table.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_a_url_fetched_again_counts_one_more_attempt_and_keeps_the_latest_outcome(
    store: Store,
) -> None:
    with store.write() as con:
        sources.remember_urls(con, [("http://x/1", "feed", "failed", "HTTP 500")], WHEN)
    with store.write() as con:
        sources.remember_urls(
            con,
            [
                ("http://x/1", "feed", "failed", "HTTP 503"),
                ("http://x/2", "feed", "ingested", None),
                ("http://x/1", "feed", "ingested", None),  # the same page twice in one run
            ],
            WHEN,
        )
    with store.read() as con:
        states = sources.url_states(con, ["http://x/1", "http://x/2"])

    assert states == {"http://x/1": ("ingested", 2), "http://x/2": ("ingested", 1)}


def test_many_overdue_commitments_are_proposed_once_each(store: Store) -> None:
    found = [
        {
            "item_id": f"item-{i}",
            "article_id": "article-1",
            "span": (i, i + 10),
            "quote": f"will finish task {i} by March",
            "deadline": date(2026, 3, 1),
            "deadline_text": "by March",
            "status": "pending",
        }
        for i in range(400)
    ]
    with store.write() as con:
        first = time_rules.propose_overdue(con, found, date(2026, 4, 1), WHEN)
        again = time_rules.propose_overdue(con, found, date(2026, 4, 1), WHEN)
        rows = con.execute(
            "SELECT count(*), count(DISTINCT item_id), min(span_start), max(span_end) "
            "FROM proposals WHERE relation = 'deadline_passed' AND to_status = 'overdue'"
        ).fetchone()

    assert (first, again) == (400, 0)
    assert rows == (400, 400, 0, 409)
