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
    """An event to append: who moved the item to ``to_status``, on what evidence; a ``note``
    or ``link`` event (``kind``) keeps the status it had (``to_status`` is that status)."""

    item_id: str
    actor: str
    to_status: str
    article_id: str | None = None
    span: tuple[int, int] | None = None
    quote: str | None = None
    proposal_id: str | None = None
    note: str | None = None
    kind: str | None = None  # None: a status change; 'note'; 'link'


def append_item_event(con: Transaction, event: ItemEvent, now: datetime) -> tuple[str, str]:
    """Append an event; returns (event id, the status it changed from)."""
    from_status = current_status(con, event.item_id)
    event_id = uuid.uuid4().hex[:16]
    start, end = event.span if event.span else (None, None)
    con.execute(
        """
        INSERT INTO item_events (id, item_id, occurred_at, actor, from_status, to_status,
            article_id, span_start, span_end, quote, proposal_id, note, kind)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [event_id, event.item_id, now, event.actor, from_status, event.to_status,
         event.article_id, start, end, event.quote, event.proposal_id, event.note, event.kind],
    )  # fmt: skip
    return event_id, from_status


@dataclass(frozen=True)
class ManualLink:
    """A reviewer's link from an item to evidence in an article, made by hand; ``linked_item_id``
    the article's own item that restates it (a restatement is then not tracked on its own)."""

    item_id: str
    article_id: str
    relation: str
    actor: str
    span: tuple[int, int] | None = None
    quote: str | None = None
    linked_item_id: str | None = None


def append_link(con: Transaction, link: ManualLink, now: datetime) -> str:
    """Store a hand-made link (a new row each time: links are history too); returns its id."""
    link_id = uuid.uuid4().hex[:16]
    start, end = link.span if link.span else (None, None)
    con.execute(
        """
        INSERT INTO item_links (id, item_id, article_id, linked_item_id, relation, span_start,
            span_end, quote, created_at, actor)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [link_id, link.item_id, link.article_id, link.linked_item_id, link.relation, start, end,
         link.quote, now, link.actor],
    )  # fmt: skip
    return link_id


@dataclass(frozen=True)
class DecisionRow:
    """A decision to append: ``state`` for the proposal, by ``actor``; ``to_status`` the status an
    acceptance applied, ``item_event_id`` the event it appended, ``relation`` the one chosen."""

    proposal_id: str
    state: str
    actor: str
    to_status: str | None = None
    note: str | None = None
    item_event_id: str | None = None
    relation: str | None = None  # the relation the person chose instead of the proposed one


def append_decision(con: Transaction, decision: DecisionRow, now: datetime) -> None:
    con.execute(
        """
        INSERT INTO proposal_decisions (id, proposal_id, decided_at, actor, state, to_status,
            note, item_event_id, relation)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [uuid.uuid4().hex[:16], decision.proposal_id, now, decision.actor, decision.state,
         decision.to_status, decision.note, decision.item_event_id, decision.relation],
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
