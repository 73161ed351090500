"""SQL for review sessions: when a reviewer sat at the queue, so that "new since my last review"
has an answer. A session's row is written when it starts and closed when it ends."""

from __future__ import annotations

import uuid
from datetime import datetime

from claimtrack.store.connection import Transaction


def start_session(con: Transaction, actor: str, now: datetime) -> str:
    """Record that ``actor`` started reviewing at ``now``; returns the session's id."""
    session_id = uuid.uuid4().hex[:16]
    con.execute(
        "INSERT INTO review_sessions (id, actor, started_at) VALUES (?, ?, ?)",
        [session_id, actor, now],
    )
    return session_id


def end_session(con: Transaction, session_id: str, now: datetime) -> None:
    """Record that the session ended at ``now``."""
    con.execute("UPDATE review_sessions SET ended_at = ? WHERE id = ?", [now, session_id])


def last_session_end(con: Transaction, actor: str) -> datetime | None:
    """When ``actor``'s latest ended review session ended; None when none has."""
    row = con.execute(
        "SELECT max(ended_at) FROM review_sessions WHERE actor = ?", [actor]
    ).fetchone()
    return row[0] if row and row[0] else None


def last_decision_at(con: Transaction, actor: str) -> datetime | None:
    """When ``actor`` last decided a proposal or wrote an item event (a status, a note, a link);
    None when never."""
    row = con.execute(
        """
        SELECT greatest(
            (SELECT max(decided_at) FROM proposal_decisions WHERE actor = $1),
            (SELECT max(occurred_at) FROM item_events WHERE actor = $1)
        )
        """,
        [actor],
    ).fetchone()
    return row[0] if row and row[0] else None
