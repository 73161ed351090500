"""Many rows in one statement.

DuckDB's ``executemany`` runs the statement once per row, about a millisecond each: 1,000
overdue proposals, tracking records or eval cases took over a second to write. Here each column
goes in as one list parameter and ``unnest`` turns the lists back into rows, so 1,000 rows take a
few milliseconds (``tests/test_store_bulk.py`` checks the rows, not the time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claimtrack.store.connection import Transaction


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
