"""SQL for decisions on proposals and for item status events, both append-only.

A decision is undone by a new row, never by an update, so the history of who decided what stays
whole; an item's status is its latest ``item_events`` row. What a decision does (which status an
acceptance applies, what may be decided twice) is :mod:`claimtrack.services.decisions`'s rule;
here are the rows it writes and reads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from claimtrack.store.connection import Transaction


def current_status(con: Transaction, item_id: str) -> str:
    """The item's latest status (``unclear`` for an item without events)."""
    row = con.execute(
        "SELECT arg_max(to_status, seq) FROM item_events WHERE item_id = ?", [item_id]
    ).fetchone()
    return str(row[0]) if row and row[0] else "unclear"


@dataclass(frozen=True)
class ItemEvent:
    """A status change to append: who moved the item to ``to_status``, on what evidence."""

    item_id: str
    actor: str
    to_status: str
    article_id: str | None = None
    span: tuple[int, int] | None = None
    quote: str | None = None
    proposal_id: str | None = None
    note: str | None = None


def append_item_event(con: Transaction, event: ItemEvent, now: datetime) -> tuple[str, str]:
    """Append a status change; returns (event id, the status it changed from)."""
    from_status = current_status(con, event.item_id)
    event_id = uuid.uuid4().hex[:16]
    start, end = event.span if event.span else (None, None)
    con.execute(
        """
        INSERT INTO item_events (id, item_id, occurred_at, actor, from_status, to_status,
            article_id, span_start, span_end, quote, proposal_id, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [event_id, event.item_id, now, event.actor, from_status, event.to_status,
         event.article_id, start, end, event.quote, event.proposal_id, event.note],
    )  # fmt: skip
    return event_id, from_status


@dataclass(frozen=True)
class DecisionRow:
    """A decision to append: ``state`` for the proposal, by ``actor``; ``to_status`` the status an
    acceptance applied and ``item_event_id`` the event it appended."""

    proposal_id: str
    state: str
    actor: str
    to_status: str | None = None
    note: str | None = None
    item_event_id: str | None = None


def append_decision(con: Transaction, decision: DecisionRow, now: datetime) -> None:
    con.execute(
        """
        INSERT INTO proposal_decisions (id, proposal_id, decided_at, actor, state, to_status,
            note, item_event_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [uuid.uuid4().hex[:16], decision.proposal_id, now, decision.actor, decision.state,
         decision.to_status, decision.note, decision.item_event_id],
    )  # fmt: skip


def status_before_acceptance(con: Transaction, proposal_id: str) -> str | None:
    """The status the item had before the proposal's latest acceptance changed it."""
    row = con.execute(
        """
        SELECT e.from_status FROM proposal_decisions d
        JOIN item_events e ON e.id = d.item_event_id
        WHERE d.proposal_id = ? AND d.state = 'accepted' ORDER BY d.seq DESC LIMIT 1
        """,
        [proposal_id],
    ).fetchone()
    return str(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class PastDecision:
    """One decision taken on a proposal, as the history lists it (``decided_at`` as ISO text)."""

    decided_at: str
    actor: str
    state: str  # ``proposed`` for an undo
    to_status: str | None  # what an acceptance applied
    note: str | None
    proposal_id: str
    item_id: str
    relation: str

    def to_json(self) -> dict[str, Any]:
        """The decision as ``proposals history --json`` prints it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def decisions(con: Transaction, limit: int | None = None) -> list[PastDecision]:
    """The history of decisions, newest first: who, when, what."""
    sql = """
        SELECT d.decided_at, d.actor, d.state, d.to_status, d.note, d.proposal_id, p.item_id,
               p.relation
        FROM proposal_decisions d JOIN proposals p ON p.id = d.proposal_id
        ORDER BY d.seq DESC
    """
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        PastDecision(at.isoformat(timespec="seconds"), *rest)
        for at, *rest in con.execute(sql, params).fetchall()
    ]
