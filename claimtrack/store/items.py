"""SQL for extractions, items (claims and commitments) and their status events."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import duckdb

from claimtrack.errors import UsageError
from claimtrack.extraction.grounding import Span
from claimtrack.extraction.identity import group_names
from claimtrack.extraction.models import Item
from claimtrack.extraction.speakers import is_pronoun, same_surname


def item_id(article_id: str, kind: str, span: Span) -> str:
    """Content-hash id: the same span of the same article is the same item, whoever found it."""
    material = f"{article_id}\x1f{kind}\x1f{span.start}\x1f{span.end}".encode()
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


def pending_articles(
    con: duckdb.DuckDBPyConnection,
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
    con: duckdb.DuckDBPyConnection,
    records: Literal["extractions", "trackings"],
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
    only: Sequence[str] | None = None,
    extracted_only: bool = False,
) -> list[str]:
    """Ids of articles with no ``done`` record in ``records`` by this backend, model and prompt
    (and, with ``extracted_only``, with a finished extraction), oldest first, undated last."""
    sql = f"""
        SELECT a.id FROM articles a
        WHERE NOT EXISTS (
            SELECT 1 FROM {records} r
            WHERE r.article_id = a.id AND r.status = 'done' AND r.backend = ?
              AND coalesce(r.model, '') = ? AND r.prompt_id = ?
        )
    """  # noqa: S608 - the table name is one of two literals
    params: list[Any] = [backend, model or "", prompt_id]
    if extracted_only:
        sql += """ AND EXISTS (SELECT 1 FROM extractions e
                                WHERE e.article_id = a.id AND e.status = 'done')"""
    if only is not None:
        sql += " AND a.id IN (SELECT unnest(?))"
        params.append(list(only))
    sql += " ORDER BY a.published NULLS LAST, a.seq"
    return [row[0] for row in con.execute(sql, params).fetchall()]


def article_inputs(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str]
) -> list[tuple[str, str, datetime | None, str | None]]:
    """(id, text, published, source) for ``ids``, in the order given."""
    rows = con.execute(
        "SELECT id, text, published, source FROM articles WHERE id IN (SELECT unnest(?))",
        [list(ids)],
    ).fetchall()
    by_id = {row[0]: (row[0], row[1], row[2], row[3]) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def save_extractions(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[tuple[ExtractionRecord, Sequence[Item]]],
    now: datetime,
) -> int:
    """Write articles' items, their first status events, and their extraction records.

    Call inside one transaction, with whole articles: an article's rows are never split across
    transactions. A handful of statements for the whole batch, not a round trip per article.
    Items already stored (same article, kind and span) are kept as they are; each record's
    ``items_new`` is set. Returns how many items were new in all.
    """
    candidates: list[tuple[str, Item, ExtractionRecord]] = []
    for record, items in batch:
        for item in items:
            candidates.append((item_id(record.article_id, item.kind, item.span), item, record))
    known: set[str] = set()
    if candidates:
        known = {
            row[0]
            for row in con.execute(
                "SELECT id FROM items WHERE id IN (SELECT unnest(?))", [[c[0] for c in candidates]]
            ).fetchall()
        }
    fresh: list[tuple[str, Item, ExtractionRecord]] = []
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
    con: duckdb.DuckDBPyConnection,
    fresh: Sequence[tuple[str, Item, ExtractionRecord]],
    now: datetime,
) -> None:
    def spans(span: Span | None) -> tuple[int | None, int | None]:
        return (span.start, span.end) if span else (None, None)

    rows = []
    for id_, item, record in fresh:
        speaker_start, speaker_end = spans(item.speaker_span)
        cue_start, cue_end = spans(item.cue_span)
        rows.append(
            [
                id_,
                item.kind,
                record.article_id,
                record.id,
                item.span.start,
                item.span.end,
                item.quote,
                item.text,
                item.speaker,
                item.speaker_canonical,
                item.speaker_role,
                speaker_start,
                speaker_end,
                item.cue,
                cue_start,
                cue_end,
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
            [item.span.start for _, item, _ in fresh],
            [item.span.end for _, item, _ in fresh],
            [item.quote for _, item, _ in fresh],
            [f"extracted by {record.backend} ({record.prompt_id})" for _, _, record in fresh],
        ],
    )


# -- reading --------------------------------------------------------------------------------------

_ITEM_COLUMNS = """
    i.id, i.kind, i.article_id, i.span_start, i.span_end, i.quote, i.text, i.speaker,
    i.speaker_canonical, i.speaker_role, i.cue, i.direct, i.claim_type, i.actors, i.action,
    i.condition, i.deadline_text, i.deadline, i.stage, i.extraction_id, i.created_at,
    s.status, a.title, a.published, i.extra
"""
_ITEM_FROM = """
    FROM items i
    JOIN (SELECT item_id, arg_max(to_status, seq) AS status FROM item_events GROUP BY item_id) s
      ON s.item_id = i.id
    JOIN articles a ON a.id = i.article_id
"""


def _item_row(row: Sequence[Any]) -> dict[str, Any]:
    (id_, kind, article_id, start, end, quote, text, speaker, canonical, role, cue, direct,
     claim_type, actors, action, condition, deadline_text, deadline, stage, extraction, created,
     status, title, published, extra) = row  # fmt: skip
    extra_fields = json.loads(extra) if extra else {}
    deadline_iso = deadline.isoformat() if isinstance(deadline, date) else None
    return {
        "id": id_,
        "kind": kind,
        "speaker": speaker,
        "text": text,
        "quote": quote,
        "article_id": article_id,
        "span": [start, end],
        "status": status,
        "speaker_canonical": canonical,
        "speaker_role": role,
        "cue": cue,
        "direct": direct,
        "claim_type": claim_type,
        "actors": json.loads(actors) if actors else [],
        "action": action,
        "condition": condition,
        "deadline_text": deadline_text,
        "deadline": deadline_iso,
        "stage": stage,
        "refers_to": extra_fields.get("refers_to"),  # the item whose state this one states
        "article_title": title,
        "article_published": published.isoformat() if published else None,
        "extraction_id": extraction,
        "created_at": created.isoformat(timespec="seconds"),
    }


def list_items(
    con: duckdb.DuckDBPyConnection,
    *,
    status: str | None = None,
    kind: str | None = None,
    speaker: str | None = None,
    article_id: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Items with their current status, by article date then position in the article."""
    sql = f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE 1 = 1"
    params: list[Any] = []
    if status is not None:
        sql += " AND s.status = ?"
        params.append(status)
    if kind is not None:
        sql += " AND i.kind = ?"
        params.append(kind)
    if speaker is not None:
        sql += (
            " AND (i.speaker ILIKE ? OR i.speaker_canonical ILIKE ?"
            " OR i.speaker_canonical IN (SELECT unnest(?::VARCHAR[])))"
        )
        params += [f"%{speaker}%", f"%{speaker}%", _spelt_differently(con, speaker)]
    if article_id is not None:
        sql += " AND i.article_id = ?"
        params.append(article_id)
    sql += " ORDER BY a.published NULLS LAST, a.seq, i.span_start, i.kind"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_item_row(row) for row in con.execute(sql, params).fetchall()]


def _spelt_differently(con: duckdb.DuckDBPyConnection, speaker: str) -> list[str]:
    """Canonical speakers in the store that are ``speaker`` spelt another way: "Zelenskiy" finds
    "Volodymyr Zelensky" (one article's spelling) and "Zelenskyy" (another's). A first name, if
    given, must agree; the surname may differ as :func:`same_surname` allows. An acronym finds
    the names whose capitalised words it abbreviates ("IMF": "International Monetary Fund").
    Each name found brings the other names of its person or body across articles
    (:func:`~claimtrack.extraction.identity.group_names`): "General Motors" finds "GM" too."""
    wanted = speaker.split()
    if not wanted:
        return []
    stored = [
        name
        for (name,) in con.execute(
            "SELECT speaker_canonical FROM items WHERE speaker_canonical IS NOT NULL"
        ).fetchall()
    ]
    acronym = speaker.strip() if re.fullmatch(r"[A-Z]{2,6}", speaker.strip()) else None
    found: list[str] = []
    for canonical in dict.fromkeys(stored):
        words = canonical.split()
        if not words:
            continue
        if acronym and "".join(w[0] for w in words if w[0].isupper()) == acronym:
            found.append(canonical)  # "GM" for "General Motors"
            continue
        if not same_surname(words[-1], wanted[-1]):
            continue
        if len(wanted) > 1 and len(words) > 1 and words[0].casefold() != wanted[0].casefold():
            continue
        found.append(canonical)
    if not found:
        return found
    chosen = set(found)
    return [name for group in group_names(stored) if chosen.intersection(group) for name in group]


def list_speakers(
    con: duckdb.DuckDBPyConnection, *, kind: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Who the items are from: one row per person or body, its names across articles grouped
    (:func:`~claimtrack.extraction.identity.group_names`), with counts and the first and last
    article date; most items first. Also the number of items with no named speaker."""
    sql = """
        SELECT i.speaker_canonical, i.kind, i.speaker, i.speaker_role, i.article_id, a.published
        FROM items i JOIN articles a ON a.id = i.article_id
    """
    params: list[Any] = []
    if kind is not None:
        sql += " WHERE i.kind = ?"
        params.append(kind)
    rows = con.execute(sql, params).fetchall()
    named = [row for row in rows if row[0]]
    groups = group_names(row[0] for row in named)
    person_of = {name: group[0] for group in groups for name in group}
    names_of = {group[0]: group for group in groups}
    by_person: dict[str, list[tuple[Any, ...]]] = {}
    for row in named:
        by_person.setdefault(person_of[row[0]], []).append(row)
    speakers = []
    for person, mine in by_person.items():
        dates = [row[5] for row in mine if row[5] is not None]
        speakers.append(
            {
                "name": person,
                "names": names_of[person],
                "written": _by_frequency(
                    row[2] for row in mine if row[2] and not is_pronoun(row[2])
                ),
                "roles": _by_frequency(row[3] for row in mine if row[3]),
                "items": len(mine),
                "claims": sum(row[1] == "claim" for row in mine),
                "commitments": sum(row[1] == "commitment" for row in mine),
                "articles": len({row[4] for row in mine}),
                "first_published": _day(min(dates)) if dates else None,
                "last_published": _day(max(dates)) if dates else None,
            }
        )
    speakers.sort(key=lambda speaker: (-speaker["items"], speaker["name"]))
    return speakers, len(rows) - len(named)


def _day(moment: date | datetime) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def _by_frequency(values: Iterable[str]) -> list[str]:
    return [value for value, _ in Counter(values).most_common()]


def get_item(con: duckdb.DuckDBPyConnection, ref: str) -> dict[str, Any]:
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
        SELECT occurred_at, actor, from_status, to_status, article_id, quote, note
        FROM item_events WHERE item_id = ? ORDER BY seq
        """,
        [item["id"]],
    ).fetchall()
    item["events"] = [
        {
            "at": at.isoformat(timespec="seconds"),
            "actor": actor,
            "from": from_status,
            "to": to_status,
            "article_id": article,
            "quote": quote,
            "note": note,
        }
        for at, actor, from_status, to_status, article, quote, note in events
    ]
    return item
