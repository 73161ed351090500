"""Review sessions: when a reviewer sat at the queue, and "new since my last review".

The review queue calls :func:`start_review` when it opens and :func:`end_review` when it
closes; :func:`last_review` is the later of the reviewer's last ended session and their last
decision, note or link (so the command line's decisions count too).
"""

from __future__ import annotations

from datetime import datetime

from claimtrack.errors import UsageError
from claimtrack.store import Store, utc_now
from claimtrack.store import sessions as session_rows
from claimtrack.times import parse_moment


def start_review(store: Store, actor: str, now: datetime | None = None) -> str:
    """Record that ``actor`` opened the review queue; returns the session's id."""
    with store.write() as tx:
        return session_rows.start_session(tx, actor, now or utc_now())


def end_review(store: Store, session_id: str, now: datetime | None = None) -> None:
    """Record that the session ``session_id`` ended."""
    with store.write() as tx:
        session_rows.end_session(tx, session_id, now or utc_now())


def last_review(store: Store, actor: str) -> datetime | None:
    """When ``actor`` last reviewed (naive UTC): the end of their last session or their last
    decision, note or link, whichever is later; None when they never have."""
    with store.read() as con:
        moments = [
            session_rows.last_session_end(con, actor),
            session_rows.last_decision_at(con, actor),
        ]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def since_moment(store: Store, value: str, actor: str) -> datetime | None:
    """What ``--since`` means (naive UTC): ``last`` for ``actor``'s last review (None when they
    never reviewed: everything is new), else a date (from local midnight) or a date and time
    (local unless it names its zone)."""
    if value.strip().lower() == "last":
        return last_review(store, actor)
    try:
        return parse_moment(value)
    except ValueError:
        raise UsageError(
            f"--since {value!r}: give 'last', a date (2026-01-09) or a date and time "
            "(2026-01-09T14:08, 2026-01-09T14:08+05:30)"
        ) from None
