"""SQL for item embeddings: which items still need a vector, storing them, reading them (all of
a model's, or those of some items).

A tracking run adds the vectors of the items new to its nearest-neighbour graph
(``vectors_of``, :mod:`claimtrack.tracking.vector_index`); evals read a small store's vectors
into one matrix (``vectors``) and take its product with each article's sentences (at 100,000
items 0.1 s per article, where ``list_cosine_similarity`` in DuckDB took 3 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

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
    item_ids: Sequence[str],
    vectors: np.ndarray,
    now: datetime,
) -> None:
    """Store one row of ``vectors`` per item (an item that has one for ``model`` keeps it)."""
    if not item_ids:
        return
    con.execute(
        """
        INSERT INTO item_embeddings (item_id, model, vector, created_at)
        SELECT item_id, $2, vector, $4
        FROM (SELECT unnest($1) AS item_id, unnest($3::FLOAT[][]) AS vector)
        ON CONFLICT DO NOTHING
        """,
        # rows as numpy arrays: DuckDB converts them ~20x faster than lists of floats; the
        # unnest in a subquery, not in the INSERT's own SELECT list: 0.4 s for 4,000 vectors
        # where that took 1.2 s (256-d float32 rows, this machine)
        [list(item_ids), model, list(np.asarray(vectors, dtype=np.float32)), now],
    )


def vectors(con: Transaction, model: str) -> tuple[list[str], np.ndarray]:
    """Every stored vector of ``model``: item ids (sorted) and one float32 row each."""
    found = con.execute(
        "SELECT item_id, vector FROM item_embeddings WHERE model = ? ORDER BY item_id", [model]
    ).fetchnumpy()
    item_ids = [str(item_id) for item_id in found["item_id"]]
    if not item_ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    return item_ids, np.stack(list(found["vector"])).astype(np.float32, copy=False)


def vectors_of(
    con: Transaction, model: str, item_ids: Sequence[str]
) -> tuple[list[str], np.ndarray]:
    """The stored vectors of ``model`` for ``item_ids`` (those that have one), as
    :func:`vectors` gives them."""
    found = con.execute(
        "SELECT item_id, vector FROM item_embeddings WHERE model = ? "
        "AND item_id IN (SELECT unnest(?)) ORDER BY item_id",
        [model, list(item_ids)],
    ).fetchnumpy()
    ids = [str(item_id) for item_id in found["item_id"]]
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    return ids, np.stack(list(found["vector"])).astype(np.float32, copy=False)


def dimensions(con: Transaction, model: str) -> int:
    """How many dimensions ``model``'s stored vectors have (0 when none is stored)."""
    row = con.execute(
        "SELECT len(vector) FROM item_embeddings WHERE model = ? LIMIT 1", [model]
    ).fetchone()
    return int(row[0]) if row else 0
