"""SQL for tracking: what a tracking run reads (articles to track, the items to index and judge)
and writes (proposals, links between items, tracking records).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from claimtrack.errors import UsageError
from claimtrack.store.bulk import insert_rows
from claimtrack.store.connection import Transaction
from claimtrack.store.items import articles_without_done
from claimtrack.store.proposals import PROPOSAL_COLUMNS, content_hash, proposal_id

_LINK_COLUMNS = (
    ("id", "VARCHAR"), ("item_id", "VARCHAR"), ("article_id", "VARCHAR"),
    ("linked_item_id", "VARCHAR"), ("relation", "VARCHAR"), ("span_start", "INTEGER"),
    ("span_end", "INTEGER"), ("quote", "VARCHAR"), ("created_at", "TIMESTAMP"),
)  # fmt: skip
_TRACKING_COLUMNS = (
    ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("backend", "VARCHAR"), ("model", "VARCHAR"),
    ("prompt_id", "VARCHAR"), ("status", "VARCHAR"), ("candidates", "INTEGER"),
    ("judged", "INTEGER"), ("proposals_new", "INTEGER"), ("links_new", "INTEGER"),
    ("dropped", "JSON"), ("llm_calls", "INTEGER"), ("order_basis", "VARCHAR"),
    ("error", "VARCHAR"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
)  # fmt: skip


def tracking_id(article_id: str, backend: str, model: str | None, prompt_id: str) -> str:
    return content_hash("tracking", article_id, backend, model, prompt_id)


@dataclass
class Judgement:
    """What a judge concluded about one candidate item for one later article."""

    item_id: str
    relation: str
    to_status: str | None  # None for repeats and unrelated
    span: tuple[int, int] | None  # the evidence in the later article
    quote: str | None
    reason: str | None = None
    score: float | None = None
    order_basis: str = "published"
    linked_item_id: str | None = None  # repeats: the later article's own item that restates it


@dataclass
class TrackingRecord:
    id: str
    article_id: str
    backend: str
    model: str | None
    prompt_id: str
    started_at: datetime
    finished_at: datetime
    status: str = "done"
    candidates: int = 0
    judged: int = 0
    proposals_new: int = 0
    links_new: int = 0
    dropped: list[str] = field(default_factory=list)
    llm_calls: int = 0
    order_basis: str | None = None
    error: str | None = None
    # a tracked article judged again because an earlier article arrived after it was tracked:
    # its proposals and links are stored, its tracking record is left as it was
    backfill: bool = False


# -- what tracking reads --------------------------------------------------------------------------


def pending_articles(
    con: Transaction,
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
    only: Sequence[str] | None = None,
) -> list[str]:
    """Extracted articles not yet tracked by this backend, model and prompt, oldest first."""
    return articles_without_done(
        con,
        "trackings",
        backend=backend,
        model=model,
        prompt_id=prompt_id,
        only=only,
        extracted_only=True,
    )


@dataclass(frozen=True)
class IndexRow:
    """One item as retrieval indexes it: the columns, not yet a search document."""

    id: str
    kind: str
    article_id: str
    published: datetime | None
    seq: int
    text: str
    quote: str
    speaker: str | None
    speaker_canonical: str | None
    actors: list[str]
    action: str | None
    condition: str | None
    published_precision: str | None = None  # 'time' when ``published`` has a time of day


_INDEX_ROW_SELECT = """
    SELECT i.id, i.kind, i.article_id, a.published, a.seq, i.text, i.quote, i.speaker,
           i.speaker_canonical, i.actors, i.action, i.condition, a.published_precision
    FROM items i JOIN articles a ON a.id = i.article_id
    WHERE NOT EXISTS (SELECT 1 FROM item_links l WHERE l.linked_item_id = i.id)
"""


def _index_rows(rows: list[tuple[Any, ...]]) -> list[IndexRow]:
    found = []
    for (id_, kind, article_id, published, seq, text, quote, speaker, canonical, actors,
         action, condition, precision) in rows:  # fmt: skip
        actor_list = json.loads(actors) if actors else []
        found.append(IndexRow(id_, kind, article_id, published, seq, text, quote, speaker,
                              canonical, actor_list, action, condition, precision))  # fmt: skip
    return found


def indexed_items(con: Transaction) -> list[IndexRow]:
    """Every item that is not itself a restatement of an earlier one, in reading order."""
    return _index_rows(con.execute(_INDEX_ROW_SELECT + " ORDER BY a.seq, i.span_start").fetchall())


def indexed_items_page(con: Transaction, after: str | None, limit: int) -> list[IndexRow]:
    """Up to ``limit`` of :func:`indexed_items` by id, from the first id after ``after``: a
    whole index built page by page, each page in a short transaction of its own."""
    return _index_rows(
        con.execute(
            _INDEX_ROW_SELECT + " AND i.id > ? ORDER BY i.id LIMIT ?", [after or "", limit]
        ).fetchall()
    )


def indexed_item_ids_since(con: Transaction, since: datetime | None) -> list[str]:
    """The ids of the items of :func:`indexed_items` stored at ``since`` or later (all when
    None)."""
    rows = con.execute(
        "SELECT i.id FROM items i WHERE i.created_at >= coalesce(?, TIMESTAMP '0001-01-01') "
        "AND NOT EXISTS (SELECT 1 FROM item_links l WHERE l.linked_item_id = i.id)",
        [since],
    ).fetchall()
    return [row[0] for row in rows]


def indexed_items_by_id(con: Transaction, ids: Sequence[str]) -> list[IndexRow]:
    """The items of :func:`indexed_items` among ``ids``, by id."""
    if not ids:
        return []
    return _index_rows(
        con.execute(
            _INDEX_ROW_SELECT + " AND i.id IN (SELECT unnest(?)) ORDER BY i.id", [list(ids)]
        ).fetchall()
    )


@dataclass(frozen=True)
class IndexState:
    """What a persisted index checks against: how many items are to be indexed, when the last
    item and the last link (an item restating an earlier one) were stored."""

    indexed: int
    last_item: datetime | None
    last_link: datetime | None


def index_state(con: Transaction) -> IndexState:
    count, last_item = con.execute(
        "SELECT count(*), max(i.created_at) FROM items i WHERE NOT EXISTS "
        "(SELECT 1 FROM item_links l WHERE l.linked_item_id = i.id)"
    ).fetchone() or (0, None)
    (last_link,) = con.execute("SELECT max(created_at) FROM item_links").fetchone() or (None,)
    return IndexState(int(count), last_item, last_link)


def restated_since(con: Transaction, since: datetime | None) -> list[str]:
    """Items linked as restating an earlier one at ``since`` or later (all when None)."""
    rows = con.execute(
        "SELECT DISTINCT linked_item_id FROM item_links WHERE linked_item_id IS NOT NULL "
        "AND created_at >= coalesce(?, TIMESTAMP '0001-01-01')",
        [since],
    ).fetchall()
    return [row[0] for row in rows]


def tracked_later_than(
    con: Transaction,
    article_ids: Sequence[str],
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Articles tracked (by this backend, model and prompt) before some of ``article_ids`` were
    extracted, that may come after one of them (ingested after it, or published later),
    with when each was tracked; and when each of ``article_ids`` was extracted. A tracking could
    not see the items of an article extracted after it. A superset: retrieval then decides item
    by item (:func:`claimtrack.tracking.retrieval.order_basis`)."""
    extracted = dict(
        con.execute(
            """
            SELECT article_id, max(finished_at) FROM extractions
            WHERE article_id IN (SELECT unnest(?)) AND status = 'done' GROUP BY article_id
            """,
            [list(article_ids)],
        ).fetchall()
    )
    if not extracted:
        return {}, {}
    tracked = con.execute(
        """
        WITH page AS (
            SELECT min(seq) AS seq, min(published) AS published
            FROM articles WHERE id IN (SELECT unnest($ids))
        )
        SELECT a.id, max(r.finished_at) FROM articles a, page, trackings r
        WHERE r.article_id = a.id AND r.status = 'done' AND r.backend = $backend
          AND coalesce(r.model, '') = $model AND r.prompt_id = $prompt
          AND r.finished_at < $extracted
          AND a.id NOT IN (SELECT unnest($ids))
          AND (a.seq > page.seq OR a.published > page.published)
        GROUP BY a.id, a.published, a.seq
        ORDER BY a.published NULLS LAST, a.seq
        """,
        {"ids": list(article_ids), "backend": backend, "model": model or "",
         "prompt": prompt_id, "extracted": max(extracted.values())},
    ).fetchall()  # fmt: skip
    return dict(tracked), extracted


ArticleForTracking = tuple[str, str, str | None, date | None, int, datetime | None]


def articles_for_tracking(con: Transaction, article_ids: Sequence[str]) -> list[ArticleForTracking]:
    """(id, text, title, published day, seq, published time) of each of ``article_ids``, in
    that order, in one query (at 47k articles, 100 articles: 0.24 s, where a query each took
    0.61 s and their ids as literal parameters 0.41 s: reading the texts is the cost); the time
    (naive UTC) only when the article gives one."""
    rows = con.execute(
        "SELECT id, text, title, published, seq, published_precision FROM articles "
        "WHERE id IN (SELECT unnest(?))",
        [sorted(set(article_ids))],
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    missing = [article_id for article_id in article_ids if article_id not in by_id]
    if missing:
        raise UsageError(f"no article with id {missing[0]!r}")
    found = []
    for article_id in article_ids:
        id_, text, title, published, seq, precision = by_id[article_id]
        timed = published if published is not None and precision == "time" else None
        found.append((id_, text, title, published.date() if published else None, seq, timed))
    return found


@dataclass(frozen=True)
class TrackedItem:
    """An earlier item as a judge reads it: its fields, its article and its current status."""

    id: str
    kind: str
    text: str
    quote: str
    speaker: str | None
    speaker_canonical: str | None
    actors: tuple[str, ...]
    action: str | None
    condition: str | None
    deadline: date | None
    article_id: str
    article_title: str | None
    article_published: date | None  # the day only
    status: str | None  # None when the item has no event yet


def items_by_id(con: Transaction, ids: Sequence[str]) -> dict[str, TrackedItem]:
    """The fields a judge needs, with the current status, for ``ids``."""
    if not ids:
        return {}
    rows = con.execute(
        """
        WITH wanted AS (SELECT unnest($1) AS id),
        status AS (
            SELECT item_id, arg_max(to_status, seq) AS status FROM item_events
            WHERE item_id IN (SELECT id FROM wanted) GROUP BY item_id
        )
        SELECT i.id, i.kind, i.text, i.quote, i.speaker, i.speaker_canonical, i.actors, i.action,
               i.condition, i.deadline, i.article_id, a.title, a.published, s.status
        FROM items i JOIN articles a ON a.id = i.article_id
        LEFT JOIN status s ON s.item_id = i.id
        WHERE i.id IN (SELECT id FROM wanted)
        """,
        [list(ids)],
    ).fetchall()
    found = {}
    for (id_, kind, text, quote, speaker, canonical, actors, action, condition, deadline,
         article_id, title, published, status) in rows:  # fmt: skip
        found[id_] = TrackedItem(
            id=id_,
            kind=kind,
            text=text,
            quote=quote,
            speaker=speaker,
            speaker_canonical=canonical,
            actors=tuple(json.loads(actors)) if actors else (),
            action=action,
            condition=condition,
            deadline=deadline,
            article_id=article_id,
            article_title=title,
            article_published=published.date() if published else None,
            status=status,
        )
    return found


@dataclass(frozen=True)
class ArticleItem:
    """An item of the article being tracked, as its judge reads it."""

    id: str
    kind: str
    span: tuple[int, int]
    speaker: str | None  # the canonical name when there is one
    text: str


def article_items(con: Transaction, article_ids: Sequence[str]) -> dict[str, list[ArticleItem]]:
    """For each of ``article_ids``, the items extracted from it, in reading order (one query for
    them all)."""
    found: dict[str, list[ArticleItem]] = {article_id: [] for article_id in article_ids}
    rows = con.execute(
        """
        SELECT article_id, id, kind, span_start, span_end, coalesce(speaker_canonical, speaker),
            text
        FROM items WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, span_start
        """,
        [list(article_ids)],
    ).fetchall()
    for r in rows:
        found[r[0]].append(ArticleItem(r[1], r[2], (r[3], r[4]), r[5], r[6]))
    return found


# -- what tracking writes -------------------------------------------------------------------------


def save_trackings(
    con: Transaction,
    batch: Sequence[tuple[TrackingRecord, Sequence[Judgement]]],
    now: datetime,
) -> tuple[int, int]:
    """Write articles' proposals, links and tracking records; call inside one transaction.

    Proposals and links already stored are kept as they are. Returns (new proposals, new links).
    """
    item_ids = sorted({j.item_id for _, judgements in batch for j in judgements})
    statuses = (
        dict(
            con.execute(
                """
            SELECT item_id, arg_max(to_status, seq) FROM item_events
            WHERE item_id IN (SELECT unnest(?)) GROUP BY item_id
            """,
                [item_ids],
            ).fetchall()
        )
        if item_ids
        else {}
    )
    proposal_rows: list[list[Any]] = []
    link_rows: list[list[Any]] = []
    for record, judgements in batch:
        record.proposals_new = record.links_new = 0
        for j in judgements:
            start, end = j.span if j.span else (None, None)
            if j.relation == "repeats":
                link_rows.append(
                    [content_hash("link", j.item_id, record.article_id), j.item_id,
                     record.article_id, j.linked_item_id, j.relation, start, end, j.quote, record]
                )  # fmt: skip
            else:
                # a proposal; one that changes no status (a mention) keeps the item's own until
                # the reviewer picks a relation
                current = statuses.get(j.item_id, "unclear")
                to_status = j.to_status or current
                proposal_rows.append(
                    [proposal_id(j.item_id, record.article_id, j.relation, to_status),
                     j.item_id, record.article_id, j.relation,
                     current, to_status, start, end, j.quote,
                     j.reason, j.order_basis, record.backend, record.model, record.prompt_id,
                     j.score, record]
                )  # fmt: skip
    new_proposals = _fresh(con, "proposals", proposal_rows)
    new_links = _fresh(con, "item_links", link_rows)
    for row in new_proposals:
        row[-1].proposals_new += 1
    for row in new_links:
        row[-1].links_new += 1
    # the last element of each row is its tracking record, counted above, not stored
    insert_rows(con, "proposals", PROPOSAL_COLUMNS, [[*row[:-1], now] for row in new_proposals])
    insert_rows(con, "item_links", _LINK_COLUMNS, [[*row[:-1], now] for row in new_links])
    records = [record for record, _ in batch if not record.backfill]
    if not records:
        return len(new_proposals), len(new_links)
    rows = [
        [r.id, r.article_id, r.backend, r.model, r.prompt_id, r.status, r.candidates, r.judged,
         r.proposals_new, r.links_new,
         json.dumps(r.dropped, ensure_ascii=False) if r.dropped else None, r.llm_calls,
         r.order_basis, r.error, r.started_at, r.finished_at]
        for r in {r.id: r for r in records}.values()  # one row per id: each replaces the last
    ]  # fmt: skip
    insert_rows(con, "trackings", _TRACKING_COLUMNS, rows, replace=True)
    return len(new_proposals), len(new_links)


def _fresh(con: Transaction, table: str, rows: list[list[Any]]) -> list[list[Any]]:
    """The rows whose id (first column) is neither stored nor repeated earlier in ``rows``."""
    if not rows:
        return []
    known = {
        row[0]
        for row in con.execute(
            f"SELECT id FROM {table} WHERE id IN (SELECT unnest(?))",  # noqa: S608 - fixed names
            [[row[0] for row in rows]],
        ).fetchall()
    }
    fresh = []
    for row in rows:
        if row[0] not in known:
            known.add(row[0])
            fresh.append(row)
    return fresh
