"""SQL for item embeddings: which items still need a vector, storing them, and the nearest ones.

Similarity is computed inside DuckDB (``list_cosine_similarity``), so no vector leaves the
database for a search: one query per article, against every stored vector of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from claimtrack.store.connection import Transaction


def items_without_vectors(con: Transaction, model: str, limit: int) -> list[tuple[str, str]]:
    """(item id, text to embed) for up to ``limit`` items with no vector for ``model``."""
    rows = con.execute(
        """
        SELECT i.id, i.text || ' ' || i.quote FROM items i
        WHERE NOT EXISTS (SELECT 1 FROM item_embeddings e WHERE e.item_id = i.id AND e.model = ?)
        ORDER BY i.id LIMIT ?
        """,
        [model, limit],
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def save_vectors(
    con: Transaction,
    model: str,
    rows: Sequence[tuple[str, list[float]]],
    now: datetime,
) -> None:
    if not rows:
        return
    con.execute(
        """
        INSERT INTO item_embeddings (item_id, model, vector, created_at)
        SELECT unnest($1), $2, unnest($3::FLOAT[][]), $4
        ON CONFLICT DO NOTHING
        """,
        [[item for item, _ in rows], model, [vector for _, vector in rows], now],
    )


def nearest(
    con: Transaction, model: str, queries: Sequence[list[float]], limit: int
) -> list[tuple[str, float, int]]:
    """The ``limit`` items nearest any of ``queries``: (item id, best cosine similarity, the
    index of the query that came nearest)."""
    if not queries:
        return []
    rows = con.execute(
        """
        WITH q AS (SELECT unnest($1::FLOAT[][]) AS v, unnest(range(len($1::FLOAT[][]))) AS n)
        SELECT e.item_id, max(list_cosine_similarity(e.vector, q.v)) AS similarity,
               arg_max(q.n, list_cosine_similarity(e.vector, q.v)) AS query
        FROM item_embeddings e, q
        WHERE e.model = $2
        GROUP BY e.item_id
        ORDER BY similarity DESC, e.item_id
        LIMIT $3
        """,
        [list(queries), model, limit],
    ).fetchall()
    return [(row[0], float(row[1]), int(row[2])) for row in rows]
