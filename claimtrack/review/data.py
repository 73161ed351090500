"""What the review UI reads and writes, each call one short transaction (never held while idle).

Called from worker threads. Every function opens the store, does its work and closes it again, so
a ``claimtrack recheck`` in another terminal can write between any two of them. No SQL here: the
queries live in :mod:`claimtrack.store`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace

from claimtrack.articles import Article
from claimtrack.review.passages import Passage, passage
from claimtrack.services import decisions, history
from claimtrack.store import Store, Transaction
from claimtrack.store import articles as article_rows
from claimtrack.store import decisions as decision_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import review as review_rows
from claimtrack.store.articles import ArticleFilter
from claimtrack.store.decisions import PastDecision
from claimtrack.store.items import StoredItem
from claimtrack.store.proposals import ProposalRow
from claimtrack.store.review import ProposalFilter, QueuedProposal, TimelineEvent

PAGE_SIZE = 100

# which review states each choice of the state filter shows
_STATES_SHOWN = {
    "open": {"proposed", "skipped"},
    "all": {"proposed", "accepted", "rejected", "skipped"},
}


class SerialStore(Store):
    """The store, its connections opened one at a time across this process's threads.

    DuckDB refuses a read-write connection to a file while the same process holds a read-only
    one (and the reverse), so a page load and a decision must not overlap: they take turns here.
    Other processes are kept waiting by neither, as each connection is closed after its work.
    """

    def __init__(self, store: Store) -> None:
        super().__init__(store.path, lock_timeout=store.lock_timeout)
        self._turn = threading.RLock()

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with self._turn, super().read() as con:
            yield con

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        with self._turn, super().write() as con:
            yield con


def shows_state(query: ProposalFilter, state: str) -> bool:
    """Whether a proposal in ``state`` belongs in the queue ``query`` describes."""
    return state in _STATES_SHOWN.get(query.state, {query.state})


@dataclass
class Entry:
    """One proposal as the queue shows it: the row, both passages and the item's timeline."""

    proposal: QueuedProposal
    item_passage: Passage | None = None
    evidence_passage: Passage | None = None
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.proposal.id

    @property
    def state(self) -> str:
        return self.proposal.state


@dataclass
class Page:
    entries: list[Entry]
    offset: int
    total: int | None  # None when not counted again (a further page)


@dataclass(frozen=True)
class Decision:
    """What a key asked for: ``state`` accepted, rejected, skipped, or ``undo``."""

    proposal_id: str
    state: str
    to_status: str | None = None
    note: str | None = None
    relation: str | None = None  # accepted as this relation (its status follows)


def load_page(
    store: Store, query: ProposalFilter, *, limit: int, offset: int = 0, count: bool = True
) -> Page:
    """A page of the queue with what the detail pane needs, in one read transaction."""
    with store.read() as con:
        rows = review_rows.review_page(con, query, limit=limit, offset=offset)
        total = review_rows.review_count(con, query) if count else None
        texts = article_rows.article_texts(
            con, [r.article_id for r in rows] + [r.item_article_id for r in rows]
        )
        timelines = review_rows.item_timelines(con, [r.item_id for r in rows])
    entries = [
        Entry(
            proposal=row,
            item_passage=passage(texts.get(row.item_article_id), row.item_span),
            evidence_passage=passage(texts.get(row.article_id), row.span),
            timeline=timelines.get(row.item_id, []),
        )
        for row in rows
    ]
    return Page(entries=entries, offset=offset, total=total)


def apply_decision(
    store: Store, decision: Decision, actor: str
) -> tuple[ProposalRow, list[TimelineEvent]]:
    """Decide (or undo) one proposal in its own write transaction, as ``claimtrack proposals``
    does; returns the proposal as it now is and its item's timeline.

    Raises :class:`~claimtrack.services.decisions.AlreadyDecided` when another terminal decided
    it first, :class:`~claimtrack.errors.DatabaseLocked` past the retry budget.
    """
    if decision.state == "undo":
        outcome = decisions.undo(store, decision.proposal_id, actor=actor)
    else:
        outcome = decisions.decide(
            store,
            decision.proposal_id,
            decision.state,
            actor=actor,
            to_status=decision.to_status,
            note=decision.note,
            relation=decision.relation,
        )
    return outcome.proposal, outcome.timeline


def updated_entry(entry: Entry, proposal: ProposalRow, timeline: list[TimelineEvent]) -> Entry:
    """``entry`` with what a decision on ``proposal`` left: all of it when it is the entry's own
    proposal, the item's status when it is another about the same item (page-only fields kept)."""
    if proposal.id == entry.id:
        changes = {f.name: getattr(proposal, f.name) for f in fields(ProposalRow)}
    else:
        changes = {"item_status": proposal.item_status}
    return replace(entry, proposal=replace(entry.proposal, **changes), timeline=timeline)


def load_recent_articles(store: Store, search: str | None, *, limit: int) -> list[Article]:
    """The latest articles whose title or text holds ``search`` (any case; all when None),
    newest first: what a link made by hand can point to."""
    with store.read() as con:
        return article_rows.recent_articles(con, ArticleFilter(search=search), limit=limit)


def load_article(store: Store, article_id: str) -> Article:
    with store.read() as con:
        return article_rows.get_article(con, article_id)


@dataclass
class ItemView:
    item: StoredItem
    timeline: list[TimelineEvent]
    proposals: list[ProposalRow]
    item_passage: Passage | None
    published: str  # the item's article's date as the article gives it, with its zone


def load_item(store: Store, item_id: str) -> ItemView:
    """One item with its whole timeline (in the order of the evidence's dates, as ``claims show``
    lists it) and every proposal about it."""
    with store.read() as con:
        item = item_rows.get_item(con, item_id)
        timeline = review_rows.item_timelines(con, [item.id])[item.id]
        proposals = proposal_rows.list_proposals(con, item_id=item.id)
        article = article_rows.get_article(con, item.article_id)
    ordered = history.by_article_date(timeline, article)
    return ItemView(
        item, ordered, proposals, passage(article.text, item.span), article.published_label
    )


def load_items(
    store: Store, *, status: str | None, text: str | None, limit: int, offset: int = 0
) -> tuple[list[StoredItem], int]:
    with store.read() as con:
        return review_rows.items_page(con, status=status, text=text, limit=limit, offset=offset)


def load_history(store: Store, limit: int = 500) -> list[PastDecision]:
    with store.read() as con:
        return decision_rows.decisions(con, limit=limit)
