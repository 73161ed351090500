"""SQL for proposals: reading them with their item, their latest decision and their conflicts.

A proposal's review state is its latest row in ``proposal_decisions`` (``proposed`` when it has
none; :mod:`claimtrack.store.decisions` appends them); an item's status is its latest
``item_events`` row. Tracking writes proposals (:func:`claimtrack.store.trackings.save_trackings`),
and so do the time rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from claimtrack.errors import UsageError
from claimtrack.store import bulk
from claimtrack.store.connection import Transaction

# the stored columns, in the order rows are built
PROPOSAL_COLUMNS = (
    ("id", "VARCHAR"), ("item_id", "VARCHAR"), ("article_id", "VARCHAR"), ("relation", "VARCHAR"),
    ("from_status", "VARCHAR"), ("to_status", "VARCHAR"), ("span_start", "INTEGER"),
    ("span_end", "INTEGER"), ("quote", "VARCHAR"), ("reason", "VARCHAR"),
    ("order_basis", "VARCHAR"), ("backend", "VARCHAR"), ("model", "VARCHAR"),
    ("prompt_id", "VARCHAR"), ("score", "DOUBLE"), ("created_at", "TIMESTAMP"),
)  # fmt: skip


def content_hash(*parts: object) -> str:
    """A 16-hex-digit id from ``parts`` (None as empty): the same content, the same id."""
    material = "\x1f".join("" if part is None else str(part) for part in parts).encode()
    return hashlib.sha256(material).hexdigest()[:16]


def proposal_id(item_id: str, article_id: str, relation: str, to_status: str) -> str:
    """Content-hash id: judging the same article again proposes nothing new."""
    return content_hash(item_id, article_id, relation, to_status)


# a fixed query text: the f-strings below add only fixed clauses, every value is a parameter
PROPOSAL_SELECT = """
    SELECT p.id, p.item_id, p.article_id, p.relation, p.from_status, p.to_status, p.quote,
           p.span_start, p.span_end, coalesce(d.state, 'proposed') AS state, p.reason,
           p.order_basis, p.backend, p.model, p.prompt_id, p.score, p.created_at, p.seq,
           d.decided_at, d.actor, d.applied_status, d.note,
           i.kind, i.text, coalesce(i.speaker_canonical, i.speaker), i.quote, i.article_id,
           s.status, a.title, a.published, ia.title, ia.published,
           a.source AS article_source, a.url AS article_url, a.published_precision,
           a.published_offset, a.story AS article_story, ia.story AS item_article_story,
           d.applied_relation
    FROM proposals p
    LEFT JOIN (
        SELECT proposal_id, arg_max(state, seq) AS state, arg_max(decided_at, seq) AS decided_at,
               arg_max(actor, seq) AS actor, arg_max(to_status, seq) AS applied_status,
               arg_max(note, seq) AS note, arg_max(relation, seq) AS applied_relation
        FROM proposal_decisions GROUP BY proposal_id
    ) d ON d.proposal_id = p.id
    JOIN items i ON i.id = p.item_id
    JOIN (SELECT item_id, arg_max(to_status, seq) AS status FROM item_events GROUP BY item_id) s
      ON s.item_id = p.item_id
    JOIN articles a ON a.id = p.article_id
    JOIN articles ia ON ia.id = i.article_id
"""


def _proposals_where(clause: str) -> str:
    """The proposals query with a fixed ``clause`` (values are always parameters)."""
    return f"SELECT * FROM ({PROPOSAL_SELECT}) WHERE {clause}"  # noqa: S608


# each table of PROPOSAL_SELECT narrowed to a list of ids ($P: the proposals', $I: their items',
# $A: both articles'), replaced by numbered parameters
_NARROWED_BY_IDS = {
    "FROM proposals p": "FROM (SELECT * FROM proposals WHERE id IN ($P)) p",
    "FROM proposal_decisions GROUP BY": (
        "FROM proposal_decisions WHERE proposal_id IN ($P) GROUP BY"
    ),
    "JOIN items i ON": "JOIN (SELECT * FROM items WHERE id IN ($I)) i ON",
    "FROM item_events GROUP BY": "FROM item_events WHERE item_id IN ($I) GROUP BY",
    "JOIN articles a ON": "JOIN (SELECT * FROM articles WHERE id IN ($A)) a ON",
    "JOIN articles ia ON": "JOIN (SELECT * FROM articles WHERE id IN ($A)) ia ON",
}


def _by_ids(select: str, proposals: int, items: int, articles: int) -> str:
    """``select`` (:data:`PROPOSAL_SELECT` or a widening of it) narrowed to given proposals, their
    items and the articles of both, each a list of literal parameters (the proposals' ids first,
    then the items', then the articles'): DuckDB looks literal lists up in the tables' indexes
    instead of scanning the tables, so the cost follows the ids, not the store (100 proposals
    among 1M items: 32 ms instead of 215 ms with the ids as one list parameter)."""
    marks = {
        "$P": bulk.marks(1, proposals),
        "$I": bulk.marks(proposals + 1, items),
        "$A": bulk.marks(proposals + items + 1, articles),
    }
    for old, new in _NARROWED_BY_IDS.items():
        for mark, numbered in marks.items():
            new = new.replace(mark, numbered)
        select = select.replace(old, new, 1)
    return select


def rows_by_id(con: Transaction, ids: Sequence[str], select: str = PROPOSAL_SELECT) -> list[Any]:
    """The rows of ``select`` for the proposals ``ids`` (in no order; unknown ids left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    keys = bulk.looked_up(
        con, "SELECT item_id, article_id FROM proposals WHERE id IN ($IDS)", wanted
    )
    items = sorted({item for item, _ in keys})
    if not items:
        return []
    item_articles = bulk.looked_up(con, "SELECT article_id FROM items WHERE id IN ($IDS)", items)
    articles = sorted({article for _, article in keys} | {a for (a,) in item_articles})
    sql = _by_ids(select, len(wanted), len(items), len(articles))
    return con.execute(sql, [*wanted, *items, *articles]).fetchall()


@dataclass(frozen=True)
class ProposalRow:
    """A proposal with its review state, its latest decision, its item and both articles; dates
    as the ISO text the CLI prints. The fields are in the order of ``proposals list --json``."""

    id: str
    item_id: str
    article_id: str
    relation: str
    from_status: str
    to_status: str
    quote: str | None
    span: tuple[int, int] | None  # the evidence in the proposal's article
    state: str
    reason: str | None
    order_basis: str | None
    backend: str | None
    model: str | None
    prompt_id: str | None
    score: float | None  # rounded to three places
    created_at: str
    seq: int
    decided_at: str | None
    decided_by: str | None
    applied_status: str | None  # what an acceptance applied
    note: str | None
    item_kind: str
    item_text: str
    item_speaker: str | None  # the canonical name when there is one
    item_quote: str
    item_article_id: str
    item_status: str
    article_title: str | None
    article_published: str | None
    item_article_title: str | None
    item_article_published: str | None
    article_source: str | None  # the evidence article's source, URL, date precision and zone
    article_url: str | None
    article_precision: str | None  # 'day' or 'time'
    article_offset: int | None  # minutes east of UTC the source gave; None: no zone
    article_story: str | None  # the evidence article's story
    item_article_story: str | None  # the story of the item's own article
    applied_relation: str | None  # the relation a reviewer chose on accepting, if not proposed
    # other open proposals for the same item that propose another status
    conflicts_with: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The proposal as ``proposals list --json`` prints it: its own fields, in order."""
        found = {name: getattr(self, name) for name in _PROPOSAL_FIELDS}
        found["span"] = list(self.span) if self.span else None
        found["conflicts_with"] = list(self.conflicts_with)
        return found


_PROPOSAL_FIELDS = tuple(f.name for f in fields(ProposalRow))
Proposal = TypeVar("Proposal", bound=ProposalRow)


def proposal_row(row: Sequence[Any]) -> ProposalRow:
    (id_, item_id, article_id, relation, from_status, to_status, quote, start, end, state,
     reason, basis, backend, model, prompt_id, score, created, seq, decided_at, actor, applied,
     note, kind, item_text, speaker, item_quote, item_article, status, title, published,
     item_title, item_published, source, url, precision, offset, story, item_story,
     applied_relation) = row  # fmt: skip
    return ProposalRow(
        id=id_,
        item_id=item_id,
        article_id=article_id,
        relation=relation,
        from_status=from_status,
        to_status=to_status,
        quote=quote,
        span=(start, end) if start is not None else None,
        state=state,
        reason=reason,
        order_basis=basis,
        backend=backend,
        model=model,
        prompt_id=prompt_id,
        score=round(score, 3) if score is not None else None,
        created_at=created.isoformat(timespec="seconds"),
        seq=seq,
        decided_at=decided_at.isoformat(timespec="seconds") if decided_at else None,
        decided_by=actor,
        applied_status=applied,
        note=note,
        item_kind=kind,
        item_text=item_text,
        item_speaker=speaker,
        item_quote=item_quote,
        item_article_id=item_article,
        item_status=status,
        article_title=title,
        article_published=published.isoformat() if published else None,
        item_article_title=item_title,
        item_article_published=item_published.isoformat() if item_published else None,
        article_source=source,
        article_url=url,
        article_precision=precision,
        article_offset=offset,
        article_story=story,
        item_article_story=item_story,
        applied_relation=applied_relation,
    )


@dataclass(frozen=True)
class ProposalFilter:
    """Which proposals ``proposals list`` shows. ``state`` is a review state, ``open`` (proposed
    or skipped) or ``all``; ``story`` matches the story (any case) of the evidence article or of
    the item's article; ``since`` keeps the proposals made after that moment (naive UTC)."""

    state: str | None = None
    item_id: str | None = None
    relation: str | None = None
    story: str | None = None
    since: datetime | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The proposals query narrowed by the filter, and its parameters."""
        sql = _proposals_where("1 = 1")
        params: list[Any] = []
        if self.state == "open":
            sql += " AND state IN ('proposed', 'skipped')"
        elif self.state is not None and self.state != "all":
            sql += " AND state = ?"
            params.append(self.state)
        if self.story is not None:
            sql += " AND (lower(article_story) = lower(?) OR lower(item_article_story) = lower(?))"
            params += [self.story, self.story]
        if self.since is not None:
            sql += " AND created_at > ?"
            params.append(self.since)
        if self.item_id is not None:
            sql += " AND item_id = ?"
            params.append(self.item_id)
        if self.relation is not None:
            sql += " AND relation = ?"
            params.append(self.relation)
        return sql, params


def _proposals_query(
    chosen: ProposalFilter, limit: int | None, offset: int = 0
) -> tuple[str, list[Any]]:
    sql, params = chosen.where()
    sql += " ORDER BY seq DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return sql, params


def list_proposals(
    con: Transaction,
    *,
    state: str | None = None,
    item_id: str | None = None,
    relation: str | None = None,
    story: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ProposalRow]:
    """Proposals, newest first, each with its item and the disagreeing proposals flagged (the
    filters as :class:`ProposalFilter` reads them)."""
    chosen = ProposalFilter(state, item_id, relation, story, since)
    sql, params = _proposals_query(chosen, limit, offset)
    return with_conflicts(con, [proposal_row(row) for row in con.execute(sql, params).fetchall()])


def iter_proposals(
    con: Transaction, chosen: ProposalFilter, *, limit: int | None = None
) -> Iterator[ProposalRow]:
    """The proposals of :func:`list_proposals`, in its order, read and flagged a batch at a
    time."""
    sql, params = _proposals_query(chosen, limit)
    rows = (proposal_row(row) for row in bulk.stream_rows(con, sql, params))
    while batch := list(islice(rows, bulk.STREAM_BATCH)):
        yield from with_conflicts(con, batch)


def count_filtered_proposals(con: Transaction, chosen: ProposalFilter) -> int:
    """How many proposals :func:`iter_proposals` gives with no limit."""
    sql, params = chosen.where()
    row = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()  # noqa: S608
    return int(row[0]) if row else 0


def with_conflicts(con: Transaction, proposals: list[Proposal]) -> list[Proposal]:
    """``proposals`` with ``conflicts_with`` filled in: other open proposals for the same item
    that propose another status (both are kept and shown; nothing is merged). A proposal that
    changes no status (a mention: its status is the item's own) conflicts with nothing."""
    item_ids = sorted({p.item_id for p in proposals})
    if not item_ids:
        return proposals
    about = bulk.looked_up(con, "SELECT id FROM proposals WHERE item_id IN ($IDS)", item_ids)
    columns = "SELECT p.item_id, p.id, p.to_status, coalesce(d.state, 'proposed'), p.from_status"
    select = columns + PROPOSAL_SELECT[PROPOSAL_SELECT.index("\n    FROM proposals p") :]
    rows = [
        (item, id_, to_status)
        for item, id_, to_status, state, from_status in rows_by_id(
            con, [a for (a,) in about], select
        )
        if state in ("proposed", "skipped") and to_status != from_status
    ]
    by_item: dict[str, list[tuple[str, str]]] = {}
    for item, id_, to_status in rows:
        by_item.setdefault(item, []).append((id_, to_status))
    return [
        replace(
            proposal,
            conflicts_with=tuple(
                sorted(
                    id_
                    for id_, to_status in by_item.get(proposal.item_id, [])
                    if id_ != proposal.id and to_status != proposal.to_status
                )
                if proposal.to_status != proposal.from_status
                else ()
            ),
        )
        for proposal in proposals
    ]


def get_proposal(con: Transaction, ref: str) -> ProposalRow:
    """One proposal by id or unique prefix (4 characters or more)."""
    rows = rows_by_id(con, [ref])
    if not rows and len(ref) >= 4:
        found = con.execute(
            "SELECT id FROM proposals WHERE starts_with(id, ?) LIMIT 2", [ref]
        ).fetchall()
        rows = rows_by_id(con, [id_ for (id_,) in found])
    if not rows:
        raise UsageError(f"no proposal with id {ref!r} (see 'claimtrack proposals list')")
    if len(rows) > 1:
        raise UsageError(f"{ref!r} matches more than one proposal; give more of the id")
    return with_conflicts(con, [proposal_row(rows[0])])[0]


def count_proposals(con: Transaction) -> dict[str, int]:
    rows = con.execute(
        _proposals_where("1 = 1").replace("SELECT *", "SELECT state, count(*)", 1)
        + " GROUP BY state"
    ).fetchall()
    return {state: int(count) for state, count in rows}
