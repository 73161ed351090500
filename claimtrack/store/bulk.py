"""Many rows in one statement, and many rows out a batch at a time.

DuckDB's ``executemany`` runs the statement once per row, about a millisecond each: 1,000
overdue proposals, tracking records or eval cases took over a second to write. Here each column
goes in as one list parameter and ``unnest`` turns the lists back into rows, so 1,000 rows take a
few milliseconds (``tests/test_store_bulk.py`` checks the rows, not the time).

Reading, :func:`stream_rows` fetches a query's result a batch at a time, so that listing or
exporting a million items holds one batch in memory, not the whole result.

Looking a few rows up by id, :func:`marks` writes the ids as a list of literal parameters
(``id IN ($1, $2, ...)``): DuckDB then reads them through the table's index, where one list
parameter (``id IN (SELECT unnest(?))``) scans the whole table (100 items of a million: 8 ms
against 85 ms).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from claimtrack.store.connection import Transaction

STREAM_BATCH = 1000  # rows fetched at a time by stream_rows
# DuckDB's own memory (sorts, joins) while a whole table is streamed out; beyond it, DuckDB spills
# to a temporary folder beside the database instead of taking 80 % of the machine's memory.
STREAM_MEMORY_LIMIT = "256MB"


def marks(first: int, count: int) -> str:
    """``$first, ..., $(first + count - 1)``: numbered parameters for a list of ids."""
    return ", ".join(f"${number}" for number in range(first, first + count))


def looked_up(con: Transaction, sql: str, ids: Sequence[Any]) -> list[Any]:
    """The rows of ``sql`` (fixed text) with its ``IN ($IDS)`` the ``ids``, as :func:`marks`
    (none when there are no ids)."""
    if not ids:
        return []
    return con.execute(sql.replace("$IDS", marks(1, len(ids))), list(ids)).fetchall()


def bound_memory(con: Transaction) -> None:
    """Keep DuckDB's memory for the rest of ``con``'s unit of work under
    :data:`STREAM_MEMORY_LIMIT` (the setting holds for the whole open database)."""
    con.execute(f"SET memory_limit = '{STREAM_MEMORY_LIMIT}'")


def stream_rows(
    con: Transaction, sql: str, params: Sequence[Any] = ()
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql``, fetched :data:`STREAM_BATCH` at a time (DuckDB produces the rest
    only as they are asked for). The query runs on a cursor of its own, so ``con`` may run other
    queries between two batches; consume the rows before ``con``'s block ends."""
    bound_memory(con)
    cursor = con.cursor()
    try:
        cursor.execute(sql, list(params))
        while batch := cursor.fetchmany(STREAM_BATCH):
            yield from batch
    finally:
        cursor.close()


def insert_rows(
    con: Transaction,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict: str = "",
    replace: bool = False,
) -> None:
    """``INSERT INTO table`` the ``rows``, one statement for all of them.

    ``columns`` are (name, SQL type) in the rows' order; the type casts each list, so a column
    that is all ``None`` still has one. ``on_conflict`` is appended as written ("ON CONFLICT DO
    NOTHING"); ``replace`` makes it ``INSERT OR REPLACE``. With ``DO UPDATE`` or ``replace``, a
    key must not appear twice in ``rows``: DuckDB refuses to update one row twice in a statement.
    """
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(
        f"unnest(${n}::VARCHAR[])::JSON" if sql_type == "JSON" else f"unnest(${n}::{sql_type}[])"
        for n, (_, sql_type) in enumerate(columns, start=1)
    )
    lists = [list(column) for column in zip(*rows, strict=True)]
    if len(lists) != len(columns):
        raise ValueError(f"{len(columns)} columns named, rows have {len(lists)}")
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    con.execute(f"{verb} INTO {table} ({names}) SELECT {values} {on_conflict}", lists)
