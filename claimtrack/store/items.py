"""SQL for extractions, items (claims and commitments) and their status events."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any, Literal

from claimtrack.errors import UsageError
from claimtrack.store.bulk import stream_rows
from claimtrack.store.connection import Transaction


def item_id(article_id: str, kind: str, start: int, end: int) -> str:
    """Content-hash id: the same span of the same article is the same item, whoever found it."""
    material = f"{article_id}\x1f{kind}\x1f{start}\x1f{end}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def extraction_id(article_id: str, backend: str, model: str | None, prompt_id: str) -> str:
    material = f"{article_id}\x1f{backend}\x1f{model or ''}\x1f{prompt_id}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


@dataclass
class ExtractionRecord:
    """One article's extraction by one backend, model and prompt: done or failed."""

    id: str
    article_id: str
    backend: str
    model: str | None
    prompt_id: str
    mode: str | None
    status: str  # done | failed
    started_at: datetime
    finished_at: datetime
    items_found: int = 0
    items_new: int = 0
    items_dropped: int = 0
    dropped: list[str] | None = None
    chunks: int = 1
    llm_calls: int = 0
    error: str | None = None


@dataclass
class ItemRow:
    """A claim or commitment as stored: the quote is ``articles.text[span_start:span_end]``;
    ``initial_status`` is the status its first event gives it."""

    kind: str
    span_start: int
    span_end: int
    quote: str
    text: str
    initial_status: str
    speaker: str | None = None
    speaker_canonical: str | None = None
    speaker_role: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    direct: bool | None = None
    claim_type: str | None = None
    actors: list[str] = field(default_factory=list)
    action: str | None = None
    condition: str | None = None
    deadline_text: str | None = None
    deadline: date | None = None
    stage: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def pending_articles(
    con: Transaction,
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
    only: Sequence[str] | None = None,
) -> list[str]:
    """Ids of articles without a finished extraction by this backend, model and prompt, in
    publication order (undated last)."""
    return articles_without_done(
        con, "extractions", backend=backend, model=model, prompt_id=prompt_id, only=only
    )


def articles_without_done(
    con: Transaction,
    records: Literal["extractions", "trackings"],
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
    only: Sequence[str] | None = None,
    extracted_only: bool = False,
) -> list[str]:
    """Ids of articles with no ``done`` record in ``records`` by this backend, model and prompt
    (and, with ``extracted_only``, with a finished extraction), oldest first, undated last.
    An article waiting in a submitted batch for the same work is not pending: its answer is
    paid for and on its way."""
    sql = f"""
        SELECT a.id FROM articles a
        WHERE NOT EXISTS (
            SELECT 1 FROM {records} r
            WHERE r.article_id = a.id AND r.status = 'done' AND r.backend = ?
              AND coalesce(r.model, '') = ? AND r.prompt_id = ?
        )
        AND NOT EXISTS (
            SELECT 1 FROM llm_batch_articles ba JOIN llm_batches b ON b.id = ba.batch_id
            WHERE ba.article_id = a.id AND b.status = 'submitted' AND ? = 'llm'
              AND b.purpose = ? AND b.model = ? AND b.prompt_id = ?
        )
    """  # noqa: S608 - the table name is one of two literals
    purpose = "extract" if records == "extractions" else "track"
    params: list[Any] = [backend, model or "", prompt_id, backend, purpose, model or "", prompt_id]
    if extracted_only:
        sql += """ AND EXISTS (SELECT 1 FROM extractions e
                                WHERE e.article_id = a.id AND e.status = 'done')"""
    if only is not None:
        sql += " AND a.id IN (SELECT unnest(?))"
        params.append(list(only))
    sql += " ORDER BY a.published NULLS LAST, a.seq"
    return [row[0] for row in con.execute(sql, params).fetchall()]


def count_articles_not_done(con: Transaction, records: Literal["extractions", "trackings"]) -> int:
    """How many articles have no ``done`` record in ``records``, by any backend."""
    row = con.execute(
        f"SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM {records} r "  # noqa: S608
        "WHERE r.article_id = a.id AND r.status = 'done')"
    ).fetchone()
    return int(row[0]) if row else 0


def article_inputs(
    con: Transaction, ids: Sequence[str]
) -> list[tuple[str, str, datetime | None, str | None]]:
    """(id, text, published, source) for ``ids``, in the order given."""
    rows = con.execute(
        "SELECT id, text, published, source FROM articles WHERE id IN (SELECT unnest(?))",
        [list(ids)],
    ).fetchall()
    by_id = {row[0]: (row[0], row[1], row[2], row[3]) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def save_extractions(
    con: Transaction,
    batch: Sequence[tuple[ExtractionRecord, Sequence[ItemRow]]],
    now: datetime,
) -> int:
    """Write articles' items, their first status events, and their extraction records.

    Call inside one transaction, with whole articles: an article's rows are never split across
    transactions. A handful of statements for the whole batch, not a round trip per article.
    Items already stored (same article, kind and span) are kept as they are; each record's
    ``items_new`` is set. Returns how many items were new in all.
    """
    candidates: list[tuple[str, ItemRow, ExtractionRecord]] = []
    for record, items in batch:
        for item in items:
            id_ = item_id(record.article_id, item.kind, item.span_start, item.span_end)
            candidates.append((id_, item, record))
    known: set[str] = set()
    if candidates:
        known = {
            row[0]
            for row in con.execute(
                "SELECT id FROM items WHERE id IN (SELECT unnest(?))", [[c[0] for c in candidates]]
            ).fetchall()
        }
    fresh: list[tuple[str, ItemRow, ExtractionRecord]] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate[0] not in known and candidate[0] not in seen:
            seen.add(candidate[0])
            fresh.append(candidate)
    for record, _ in batch:
        record.items_new = 0
    for _, _, record in fresh:
        record.items_new += 1
    if fresh:
        _insert_items(con, fresh, now)
    records = [record for record, _ in batch]
    if records:
        columns: list[list[Any]] = [
            [r.id for r in records],
            [r.article_id for r in records],
            [r.backend for r in records],
            [r.model for r in records],
            [r.prompt_id for r in records],
            [r.mode for r in records],
            [r.status for r in records],
            [r.items_found for r in records],
            [r.items_new for r in records],
            [r.items_dropped for r in records],
            [json.dumps(r.dropped, ensure_ascii=False) if r.dropped else None for r in records],
            [r.chunks for r in records],
            [r.llm_calls for r in records],
            [r.error for r in records],
            [r.started_at for r in records],
            [r.finished_at for r in records],
        ]
        con.execute(
            """
            INSERT OR REPLACE INTO extractions (id, article_id, backend, model, prompt_id, mode,
                status, items_found, items_new, items_dropped, dropped, chunks, llm_calls, error,
                started_at, finished_at)
            SELECT unnest($1), unnest($2), unnest($3), unnest($4), unnest($5), unnest($6),
                unnest($7), unnest($8::INTEGER[]), unnest($9::INTEGER[]), unnest($10::INTEGER[]),
                unnest($11)::JSON, unnest($12::INTEGER[]), unnest($13::INTEGER[]), unnest($14),
                unnest($15::TIMESTAMP[]), unnest($16::TIMESTAMP[])
            """,
            columns,
        )
    return len(fresh)


def _insert_items(
    con: Transaction,
    fresh: Sequence[tuple[str, ItemRow, ExtractionRecord]],
    now: datetime,
) -> None:
    rows = []
    for id_, item, record in fresh:
        rows.append(
            [
                id_,
                item.kind,
                record.article_id,
                record.id,
                item.span_start,
                item.span_end,
                item.quote,
                item.text,
                item.speaker,
                item.speaker_canonical,
                item.speaker_role,
                item.speaker_start,
                item.speaker_end,
                item.cue,
                item.cue_start,
                item.cue_end,
                item.direct,
                item.claim_type,
                json.dumps(item.actors, ensure_ascii=False) if item.actors else None,
                item.action,
                item.condition,
                item.deadline_text,
                item.deadline,
                item.stage,
                json.dumps(item.extra, ensure_ascii=False, default=str) if item.extra else None,
            ]
        )
    columns = list(zip(*rows, strict=True))
    con.execute(
        """
        INSERT INTO items (id, kind, article_id, extraction_id, span_start, span_end, quote, text,
            speaker, speaker_canonical, speaker_role, speaker_start, speaker_end, cue, cue_start,
            cue_end, direct, claim_type, actors, action, condition, deadline_text, deadline,
            stage, extra, created_at)
        SELECT unnest($1), unnest($2), unnest($3), unnest($4), unnest($5::INTEGER[]),
            unnest($6::INTEGER[]), unnest($7), unnest($8), unnest($9), unnest($10), unnest($11),
            unnest($12::INTEGER[]), unnest($13::INTEGER[]), unnest($14), unnest($15::INTEGER[]),
            unnest($16::INTEGER[]), unnest($17::BOOLEAN[]), unnest($18), unnest($19)::JSON,
            unnest($20), unnest($21), unnest($22), unnest($23::DATE[]), unnest($24),
            unnest($25)::JSON, $26
        ON CONFLICT DO NOTHING
        """,
        [*[list(column) for column in columns], now],
    )
    con.execute(
        """
        INSERT INTO item_events (id, item_id, occurred_at, actor, from_status, to_status,
            article_id, span_start, span_end, quote, note)
        SELECT unnest($1), unnest($2), $3, 'extraction', NULL, unnest($4), unnest($5),
            unnest($6::INTEGER[]), unnest($7::INTEGER[]), unnest($8), unnest($9)
        ON CONFLICT DO NOTHING
        """,
        [
            [
                hashlib.sha256(f"{id_}\x1fextracted".encode()).hexdigest()[:16]
                for id_, _, _ in fresh
            ],
            [id_ for id_, _, _ in fresh],
            now,
            [item.initial_status for _, item, _ in fresh],
            [record.article_id for _, _, record in fresh],
            [item.span_start for _, item, _ in fresh],
            [item.span_end for _, item, _ in fresh],
            [item.quote for _, item, _ in fresh],
            [f"extracted by {record.backend} ({record.prompt_id})" for _, _, record in fresh],
        ],
    )


# -- reading --------------------------------------------------------------------------------------

_ITEM_COLUMNS = """
    i.id, i.kind, i.article_id, i.span_start, i.span_end, i.quote, i.text, i.speaker,
    i.speaker_canonical, i.speaker_role, i.cue, i.direct, i.claim_type, i.actors, i.action,
    i.condition, i.deadline_text, i.deadline, i.stage, i.extraction_id, i.created_at,
    s.status, a.title, a.published, i.extra, a.source, a.url, a.story
"""
_ITEM_FROM = """
    FROM items i
    JOIN (SELECT item_id, arg_max(to_status, seq) AS status FROM item_events GROUP BY item_id) s
      ON s.item_id = i.id
    JOIN articles a ON a.id = i.article_id
"""


@dataclass(frozen=True)
class StoredItem:
    """A stored claim or commitment with its current status and its article; dates as the ISO
    text the CLI prints. The fields are in the order of ``claims list --json``."""

    id: str
    kind: str
    speaker: str | None
    text: str
    quote: str
    article_id: str
    span: tuple[int, int]
    status: str
    speaker_canonical: str | None
    speaker_role: str | None
    cue: str | None
    direct: bool | None
    claim_type: str | None
    actors: tuple[str, ...]
    action: str | None
    condition: str | None
    deadline_text: str | None
    deadline: str | None
    stage: str | None
    refers_to: str | None  # the item whose state this one states
    rule: str | None  # the id of the rule that made it (rules backend: "attribution.inverted")
    article_title: str | None
    article_published: str | None
    extraction_id: str | None
    created_at: str
    events: tuple[ItemEventRow, ...] | None = None  # its timeline: only from get_item
    article_source: str | None = None
    article_url: str | None = None
    article_story: str | None = None  # the story of the item's article

    def to_json(self) -> dict[str, Any]:
        """The item as ``claims list --json`` prints it (``claims show`` adds ``events``)."""
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "events"}
        found["span"] = list(self.span)
        found["actors"] = list(self.actors)
        if self.events is not None:
            found["events"] = [event.to_json() for event in self.events]
        return found


def _item_row(row: Sequence[Any]) -> StoredItem:
    (id_, kind, article_id, start, end, quote, text, speaker, canonical, role, cue, direct,
     claim_type, actors, action, condition, deadline_text, deadline, stage, extraction, created,
     status, title, published, extra, source, url, story) = row  # fmt: skip
    extra_fields = json.loads(extra) if extra else {}
    return StoredItem(
        id_, kind, speaker, text, quote, article_id, (start, end), status, canonical, role, cue,
        direct, claim_type, tuple(json.loads(actors)) if actors else (), action, condition,
        deadline_text, deadline.isoformat() if isinstance(deadline, date) else None, stage,
        extra_fields.get("refers_to"), extra_fields.get("rule"), title,
        published.isoformat() if published else None, extraction,
        created.isoformat(timespec="seconds"), article_source=source, article_url=url,
        article_story=story,
    )  # fmt: skip


@dataclass(frozen=True)
class ItemFilter:
    """Which items ``claims list`` shows. ``speaker`` matches anywhere in the speaker as written
    or its canonical name (any case); ``speaker_names`` are further canonical names of the same
    speaker, matched whole; ``story`` the story of the item's article (any case)."""

    status: str | None = None
    kind: str | None = None
    speaker: str | None = None
    speaker_names: Sequence[str] = ()
    article_id: str | None = None
    story: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The query's ``FROM ... WHERE`` and its parameters."""
        sql = f"{_ITEM_FROM} WHERE 1 = 1"
        params: list[Any] = []
        if self.status is not None:
            sql += " AND s.status = ?"
            params.append(self.status)
        if self.kind is not None:
            sql += " AND i.kind = ?"
            params.append(self.kind)
        if self.speaker is not None:
            # literally, any case: % and _ in a name are characters, not LIKE wildcards
            sql += (
                " AND (contains(lower(i.speaker), lower(?))"
                " OR contains(lower(i.speaker_canonical), lower(?))"
                " OR i.speaker_canonical IN (SELECT unnest(?::VARCHAR[])))"
            )
            params += [self.speaker, self.speaker, list(self.speaker_names)]
        if self.article_id is not None:
            sql += " AND i.article_id = ?"
            params.append(self.article_id)
        if self.story is not None:
            sql += " AND lower(a.story) = lower(?)"
            params.append(self.story)
        return sql, params


def _items_query(chosen: ItemFilter, limit: int | None) -> tuple[str, list[Any]]:
    where, params = chosen.where()
    sql = f"SELECT {_ITEM_COLUMNS} {where}"
    sql += " ORDER BY a.published NULLS LAST, a.seq, i.span_start, i.kind"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def list_items(
    con: Transaction,
    *,
    status: str | None = None,
    kind: str | None = None,
    speaker: str | None = None,
    speaker_names: Sequence[str] = (),
    article_id: str | None = None,
    story: str | None = None,
    limit: int | None = None,
) -> list[StoredItem]:
    """Items with their current status, by article date then position in the article (the
    filters as :class:`ItemFilter` reads them)."""
    chosen = ItemFilter(status, kind, speaker, speaker_names, article_id, story)
    sql, params = _items_query(chosen, limit)
    return [_item_row(row) for row in con.execute(sql, params).fetchall()]


def iter_items(
    con: Transaction, chosen: ItemFilter, *, limit: int | None = None
) -> Iterator[StoredItem]:
    """The items of :func:`list_items`, in its order, read a batch at a time."""
    sql, params = _items_query(chosen, limit)
    return (_item_row(row) for row in stream_rows(con, sql, params))


def count_items(con: Transaction, chosen: ItemFilter) -> int:
    """How many items :func:`iter_items` gives with no limit."""
    where, params = chosen.where()
    row = con.execute(f"SELECT count(*) {where}", params).fetchone()
    return int(row[0]) if row else 0


def canonical_speakers(con: Transaction) -> list[str]:
    """The canonical speaker name of every item that has one (repeats kept), in storage order."""
    rows = con.execute(
        "SELECT speaker_canonical FROM items WHERE speaker_canonical IS NOT NULL"
    ).fetchall()
    return [name for (name,) in rows]


@dataclass(frozen=True)
class SpeakerRow:
    """Who one item is from, as the item and its article give it."""

    speaker_canonical: str | None
    kind: str
    speaker: str | None
    speaker_role: str | None
    article_id: str
    published: datetime | None


def speaker_rows(con: Transaction, *, kind: str | None = None) -> list[SpeakerRow]:
    """One row per item (of ``kind``): its speaker, role, article and the article's date."""
    sql = """
        SELECT i.speaker_canonical, i.kind, i.speaker, i.speaker_role, i.article_id, a.published
        FROM items i JOIN articles a ON a.id = i.article_id
    """
    params: list[Any] = []
    if kind is not None:
        sql += " WHERE i.kind = ?"
        params.append(kind)
    return [SpeakerRow(*row) for row in con.execute(sql, params).fetchall()]


def item_spans(con: Transaction) -> dict[str, tuple[str, int, int]]:
    """Every item's (article id, span start, span end)."""
    rows = con.execute("SELECT id, article_id, span_start, span_end FROM items").fetchall()
    return {id_: (article_id, start, end) for id_, article_id, start, end in rows}


def get_item(con: Transaction, ref: str) -> StoredItem:
    """One item by id or unique id prefix (4 characters or more), with its events."""
    rows = con.execute(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE i.id = ?",
        [ref],
    ).fetchall()
    if not rows and len(ref) >= 4:
        rows = con.execute(
            f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE starts_with(i.id, ?) LIMIT 2",
            [ref],
        ).fetchall()
    if not rows:
        raise UsageError(f"no claim or commitment with id {ref!r} (see 'claimtrack claims list')")
    if len(rows) > 1:
        raise UsageError(f"{ref!r} matches more than one item; give more of the id")
    item = _item_row(rows[0])
    events = con.execute(
        """
        SELECT occurred_at, actor, from_status, to_status, article_id, quote, note, kind
        FROM item_events WHERE item_id = ? ORDER BY seq
        """,
        [item.id],
    ).fetchall()
    return replace(item, events=tuple(event_row(row) for row in events))


@dataclass(frozen=True)
class ItemEventRow:
    """One stored status event of an item, as :func:`get_item` lists it (``at`` as ISO text)."""

    at: str
    actor: str
    from_status: str | None
    to_status: str
    article_id: str | None  # the evidence's article, when the event has evidence
    quote: str | None
    note: str | None
    # 'status' (a status change: extraction, a decision, a person), 'note' or 'link' (the
    # status stays as it was)
    kind: str = "status"

    def to_json(self) -> dict[str, Any]:
        """The event as ``claims show --json`` prints it (``from`` and ``to`` for the statuses)."""
        return {
            "at": self.at,
            "actor": self.actor,
            "from": self.from_status,
            "to": self.to_status,
            "article_id": self.article_id,
            "quote": self.quote,
            "note": self.note,
            "kind": self.kind,
        }


def event_row(row: Sequence[Any]) -> ItemEventRow:
    """An item event from (occurred_at, actor, from_status, to_status, article_id, quote, note,
    kind); a missing or NULL kind is a status change."""
    at, actor, from_status, to_status, article, quote, note, *kind = row
    return ItemEventRow(
        at.isoformat(timespec="seconds"), actor, from_status, to_status, article, quote, note,
        kind[0] if kind and kind[0] else "status",
    )  # fmt: skip
