"""SQL for the review queue: pages of proposals in a chosen order, filtered, with what the detail
pane shows (the items' timelines), and pages of items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from claimtrack.errors import UsageError
from claimtrack.statuses import REVIEW_STATES
from claimtrack.store import bulk
from claimtrack.store.connection import Transaction
from claimtrack.store.items import (
    _ITEM_COLUMNS,
    _ITEM_FROM,
    ItemEventRow,
    StoredItem,
    _item_row,
    event_row,
)
from claimtrack.store.proposals import (
    PROPOSAL_SELECT,
    ProposalRow,
    proposal_row,
    rows_by_id,
    with_conflicts,
)

REVIEW_SORTS: tuple[str, ...] = ("newest", "story", "speaker")
# "open" = not yet accepted or rejected (proposed or skipped); "all" = every state
REVIEW_STATE_CHOICES: tuple[str, ...] = ("proposed", "open", *REVIEW_STATES[1:], "all")

_REVIEW_ORDER = {
    "newest": "p.seq DESC",
    # the story the item came from: its source, then its article (newest story first)
    "story": "ia.source NULLS LAST, ia.published DESC NULLS LAST, i.article_id, i.span_start, "
    "p.seq DESC",
    "speaker": "lower(coalesce(i.speaker_canonical, i.speaker)) NULLS LAST, p.seq DESC",
}
# the proposals query with six more columns: the item's span, both articles' sources, and the
# precision and zone of the item's article's date
_REVIEW_SELECT = PROPOSAL_SELECT.replace(
    "FROM proposals p",
    ", i.span_start, i.span_end, a.source, ia.source, ia.published_precision, "
    "ia.published_offset\n    FROM proposals p",
    1,
)
_REVIEW_EXTRA = 6  # the columns after those of PROPOSAL_SELECT


@dataclass(frozen=True)
class QueuedProposal(ProposalRow):
    """A proposal as the review queue shows it: also the item's span, both sources, and how
    precisely (in which zone) the item's article is dated."""

    item_span: tuple[int, int] | None = None
    source: str | None = None
    item_source: str | None = None
    item_article_precision: str | None = None  # 'day' or 'time'
    item_article_offset: int | None = None  # minutes east of UTC the source gave; None: none


@dataclass(frozen=True)
class TimelineEvent(ItemEventRow):
    """An item event as the review queue shows it: also its proposal and its article (the
    evidence: title, date, its precision and zone, source, URL, story)."""

    proposal_id: str | None = None
    article_title: str | None = None
    article_published: str | None = None  # the day only
    article_published_at: str | None = None  # ISO, naive UTC, with the time when known
    article_precision: str | None = None  # 'day' or 'time'
    article_offset: int | None = None  # minutes east of UTC the source gave; None: no zone
    article_source: str | None = None
    article_url: str | None = None
    seq: int = 0  # the order it was recorded in


@dataclass(frozen=True)
class ProposalFilter:
    """What the review queue shows: a review state and optional narrowing, and the order.

    ``speaker``, ``source`` and ``text`` match case-insensitively anywhere in the field:
    ``source`` in either article's source or title, ``text`` in the item's text or quote, the
    evidence quote or the judge's reason.
    """

    state: str = "proposed"
    relation: str | None = None
    status: str | None = None  # the item's current status
    speaker: str | None = None
    source: str | None = None
    text: str | None = None
    sort: str = "newest"
    story: str | None = None  # the story of the evidence or of the item's article (any case)
    since: datetime | None = None  # only proposals made after this moment (naive UTC)

    def describe(self) -> str:
        """``proposed · relation=retracts · speaker~ruiz``: for a status line."""
        parts = [self.state]
        if self.since:
            parts.append(f"new since {self.since.isoformat(sep=' ', timespec='minutes')} UTC")
        for name in ("relation", "status", "story"):
            if getattr(self, name):
                parts.append(f"{name}={getattr(self, name)}")
        for name in ("speaker", "source", "text"):
            if getattr(self, name):
                parts.append(f"{name}~{getattr(self, name)}")
        return " · ".join(parts)


def _review_where(query: ProposalFilter) -> tuple[str, list[Any]]:
    clauses = ["1 = 1"]
    params: list[Any] = []
    state = "coalesce(d.state, 'proposed')"
    if query.state == "open":
        clauses.append(f"{state} IN ('proposed', 'skipped')")
    elif query.state != "all":
        clauses.append(f"{state} = ?")
        params.append(query.state)
    if query.relation:
        clauses.append("p.relation = ?")
        params.append(query.relation)
    if query.story:
        clauses.append("(lower(a.story) = lower(?) OR lower(ia.story) = lower(?))")
        params += [query.story, query.story]
    if query.since:
        clauses.append("p.created_at > ?")
        params.append(query.since)
    if query.status:
        clauses.append("s.status = ?")
        params.append(query.status)
    if query.speaker:
        clauses.append(
            "(contains(lower(i.speaker), lower(?))"
            " OR contains(lower(i.speaker_canonical), lower(?)))"
        )
        params += [query.speaker, query.speaker]
    if query.source:
        clauses.append(
            "(contains(lower(a.source), lower(?)) OR contains(lower(a.title), lower(?))"
            " OR contains(lower(ia.source), lower(?)) OR contains(lower(ia.title), lower(?)))"
        )
        params += [query.source] * 4
    if query.text:
        clauses.append(
            "(contains(lower(i.text), lower(?)) OR contains(lower(i.quote), lower(?))"
            " OR contains(lower(p.quote), lower(?)) OR contains(lower(p.reason), lower(?)))"
        )
        params += [query.text] * 4
    return " AND ".join(clauses), params


# what the queue's order and filters read, joined only when a filter or the order needs it: a
# proposal's state always; its item and both articles for the text filters and the orders by
# story or speaker; its item's status (aggregated over the items proposed about only) for the
# status filter. The page's rows are then read by id (rows_by_id), whatever the store's size.
_DECISION_STATES = """
    LEFT JOIN (SELECT proposal_id, arg_max(state, seq) AS state FROM proposal_decisions
               GROUP BY proposal_id) d ON d.proposal_id = p.id"""
_ITEMS_AND_ARTICLES = """
    JOIN items i ON i.id = p.item_id
    JOIN articles a ON a.id = p.article_id
    JOIN articles ia ON ia.id = i.article_id"""
_ITEM_STATUSES = """
    JOIN (SELECT item_id, arg_max(to_status, seq) AS status FROM item_events
          WHERE item_id IN (SELECT item_id FROM proposals) GROUP BY item_id) s
      ON s.item_id = p.item_id"""


def _review_from(query: ProposalFilter) -> str:
    """The tables :func:`_review_where` and the order of ``query`` read (fixed text)."""
    tables = "FROM proposals p" + _DECISION_STATES
    if query.story or query.speaker or query.source or query.text or query.sort != "newest":
        tables += _ITEMS_AND_ARTICLES
    if query.status:
        tables += _ITEM_STATUSES
    return tables


def review_page(
    con: Transaction, query: ProposalFilter, *, limit: int, offset: int = 0
) -> list[QueuedProposal]:
    """One page of the review queue: proposals as :func:`list_proposals` gives them, plus
    ``item_span`` and both articles' sources, in ``query.sort`` order.

    The page's ids are chosen first, reading only what the filter and the order need, and then
    their rows: at 1M items and 100,000 proposals the first page takes about 50 ms instead of
    0.6 s, which went into the status of every item and every item's text.
    """
    if query.sort not in _REVIEW_ORDER:
        raise UsageError(f"unknown sort {query.sort!r}: use one of {', '.join(REVIEW_SORTS)}")
    where, params = _review_where(query)
    sql = (
        f"SELECT p.id {_review_from(query)} WHERE {where} "
        f"ORDER BY {_REVIEW_ORDER[query.sort]} LIMIT ? OFFSET ?"
    )
    ids = [id_ for (id_,) in con.execute(sql, [*params, limit, offset]).fetchall()]
    rank = {id_: at for at, id_ in enumerate(ids)}
    found = []
    for row in sorted(rows_by_id(con, ids, _REVIEW_SELECT), key=lambda row: rank[row[0]]):
        start, end, source, item_source, precision, zone = row[-_REVIEW_EXTRA:]
        found.append(
            QueuedProposal(
                **vars(proposal_row(row[:-_REVIEW_EXTRA])),
                item_span=(start, end),
                source=source,
                item_source=item_source,
                item_article_precision=precision,
                item_article_offset=zone,
            )
        )
    return with_conflicts(con, found)


def review_count(con: Transaction, query: ProposalFilter) -> int:
    """How many proposals ``query`` matches (all pages)."""
    where, params = _review_where(query)
    sql = f"SELECT count(*) {_review_from(query)} WHERE {where}"
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def _evidence_articles(con: Transaction, ids: set[str]) -> dict[str, tuple[Any, ...]]:
    """Title, published, precision, offset, source and URL of the articles ``ids``."""
    rows = bulk.looked_up(
        con,
        """
        SELECT id, title, published, published_precision, published_offset, source, url
        FROM articles WHERE id IN ($IDS)
        """,
        sorted(ids),
    )
    return {row[0]: row[1:] for row in rows}


def item_timelines(con: Transaction, item_ids: Sequence[str]) -> dict[str, list[TimelineEvent]]:
    """Each item's events, oldest first, as :func:`~claimtrack.store.items.get_item` gives them,
    plus the evidence article's title and date (events and articles looked up by id)."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    events = bulk.looked_up(
        con,
        """
        SELECT item_id, occurred_at, actor, from_status, to_status, article_id, quote, note, kind,
               proposal_id, seq
        FROM item_events WHERE item_id IN ($IDS) ORDER BY seq
        """,
        wanted,
    )
    articles = _evidence_articles(con, {row[5] for row in events if row[5] is not None})
    no_article = (None,) * 6
    rows = [(*row[:10], *articles.get(row[5], no_article), row[10]) for row in events]
    found: dict[str, list[TimelineEvent]] = {id_: [] for id_ in item_ids}
    for row in rows:
        proposal, title, published, precision, offset, source, url, seq = row[9:]
        found[row[0]].append(
            TimelineEvent(
                **vars(event_row(row[1:9])),
                proposal_id=proposal,
                article_title=title,
                article_published=published.date().isoformat() if published else None,
                article_published_at=published.isoformat() if published else None,
                article_precision=precision,
                article_offset=offset,
                article_source=source,
                article_url=url,
                seq=seq,
            )
        )
    return found


def items_page(
    con: Transaction,
    *,
    status: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    story: str | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[StoredItem], int]:
    """One page of items (newest article first) with their current status, and how many match
    in all: the review UI's list of items (for example every overdue commitment); ``story``
    the story of the item's article (any case)."""
    where = "WHERE 1 = 1"
    params: list[Any] = []
    if story:
        where += " AND lower(a.story) = lower(?)"
        params.append(story)
    if status:
        where += " AND s.status = ?"
        params.append(status)
    if kind:
        where += " AND i.kind = ?"
        params.append(kind)
    if text:
        where += (
            " AND (contains(lower(i.text), lower(?)) OR contains(lower(i.speaker), lower(?))"
            " OR contains(lower(i.speaker_canonical), lower(?)))"
        )
        params += [text] * 3
    total_row = con.execute(f"SELECT count(*) {_ITEM_FROM} {where}", params).fetchone()
    rows = con.execute(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} {where} "
        "ORDER BY a.published DESC NULLS LAST, a.seq DESC, i.span_start, i.kind LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [_item_row(row) for row in rows], int(total_row[0]) if total_row else 0
