"""SQL for batches submitted to the OpenAI Batch API and the articles each answers for.

A batch is ``submitted`` until its answers are read: then ``collecting`` while they are stored,
and ``collected``; or ``failed``, ``expired`` or ``cancelled`` as the endpoint ended it. Only a
``submitted`` batch keeps its articles out of the pending lists (``items.articles_without_done``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from claimtrack.store.connection import Transaction

OPEN_STATUSES = ("submitted", "collecting")


@dataclass(frozen=True)
class BatchRow:
    """One batch as stored; ``article_ids`` are the articles it answers for."""

    id: str
    purpose: str  # 'extract' or 'track'
    model: str
    prompt_id: str
    mode: str
    backend_url: str | None
    input_file_id: str | None
    requests: int
    status: str
    submitted_at: datetime
    article_ids: tuple[str, ...] = ()
    error: str | None = None
    finished_at: datetime | None = None


def record_batch(con: Transaction, batch: BatchRow) -> None:
    """The batch and its articles (inside the caller's transaction)."""
    con.execute(
        """
        INSERT INTO llm_batches (id, purpose, model, prompt_id, mode, backend_url, input_file_id,
            requests, status, error, submitted_at, finished_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            batch.id,
            batch.purpose,
            batch.model,
            batch.prompt_id,
            batch.mode,
            batch.backend_url,
            batch.input_file_id,
            batch.requests,
            batch.status,
            batch.error,
            batch.submitted_at,
            batch.finished_at,
        ],
    )
    con.execute(
        """
        INSERT INTO llm_batch_articles (batch_id, article_id)
        SELECT ?, unnest(?) ON CONFLICT DO NOTHING
        """,
        [batch.id, list(batch.article_ids)],
    )


def open_batches(con: Transaction, *, purpose: str, model: str, prompt_id: str) -> list[BatchRow]:
    """Batches for this work not yet collected or ended, oldest first, with their articles."""
    rows = con.execute(
        """
        SELECT b.id, b.purpose, b.model, b.prompt_id, b.mode, b.backend_url, b.input_file_id,
            b.requests, b.status, b.submitted_at,
            list(ba.article_id ORDER BY ba.article_id) FILTER (WHERE ba.article_id IS NOT NULL)
        FROM llm_batches b LEFT JOIN llm_batch_articles ba ON ba.batch_id = b.id
        WHERE b.status IN (SELECT unnest(?)) AND b.purpose = ? AND b.model = ?
          AND b.prompt_id = ?
        GROUP BY ALL
        ORDER BY b.submitted_at, b.id
        """,
        [list(OPEN_STATUSES), purpose, model, prompt_id],
    ).fetchall()
    return [
        BatchRow(
            id=row[0],
            purpose=row[1],
            model=row[2],
            prompt_id=row[3],
            mode=row[4],
            backend_url=row[5],
            input_file_id=row[6],
            requests=row[7],
            status=row[8],
            submitted_at=row[9],
            article_ids=tuple(row[10] or ()),
        )
        for row in rows
    ]


def batched_article_ids(
    con: Transaction, *, purpose: str, model: str, prompt_id: str, only: Sequence[str]
) -> set[str]:
    """Those of ``only`` that some batch for this work (open or ended) was submitted for."""
    rows = con.execute(
        """
        SELECT DISTINCT ba.article_id
        FROM llm_batch_articles ba JOIN llm_batches b ON b.id = ba.batch_id
        WHERE b.purpose = ? AND b.model = ? AND b.prompt_id = ?
          AND ba.article_id IN (SELECT unnest(?))
        """,
        [purpose, model, prompt_id, list(only)],
    ).fetchall()
    return {row[0] for row in rows}


def set_batch_status(
    con: Transaction,
    batch_id: str,
    status: str,
    *,
    error: str | None = None,
    finished_at: datetime | None = None,
) -> None:
    con.execute(
        "UPDATE llm_batches SET status = ?, error = ?, finished_at = ? WHERE id = ?",
        [status, error, finished_at, batch_id],
    )
