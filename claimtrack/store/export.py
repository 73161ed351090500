"""Exporting the ledger: items with their current status, every status event, every proposal.

CSV and Parquet are written by DuckDB's ``COPY`` (three files: ``PATH`` for the items and
``<stem>.events<ext>``, ``<stem>.proposals<ext>`` beside it); JSON is one document with the three
lists, written a row at a time: no table is held in memory whole. Each file is written to a
temporary name in the same folder and renamed into place, so an export that fails half-way
leaves no half-written file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from claimtrack.store.bulk import bound_memory, stream_rows
from claimtrack.store.connection import Transaction

TABLES: dict[str, str] = {
    "items": """
        SELECT i.id, i.kind, s.status, i.speaker, i.speaker_canonical, i.speaker_role, i.cue,
               i.text, i.quote, i.article_id, i.span_start, i.span_end, i.direct, i.claim_type,
               i.actors, i.action, i.condition, i.deadline_text, i.deadline, i.stage,
               json_extract_string(i.extra, '$.refers_to') AS refers_to,
               a.title AS article_title, a.published AS article_published, a.source, a.url,
               i.created_at
        FROM items i
        JOIN (SELECT item_id, arg_max(to_status, seq) AS status FROM item_events
              GROUP BY item_id) s ON s.item_id = i.id
        JOIN articles a ON a.id = i.article_id
        ORDER BY a.published NULLS LAST, a.seq, i.span_start, i.kind
    """,
    "events": """
        SELECT e.item_id, e.seq, e.occurred_at, e.actor, e.from_status, e.to_status,
               e.article_id, e.span_start, e.span_end, e.quote, e.proposal_id, e.note
        FROM item_events e ORDER BY e.seq
    """,
    "proposals": """
        SELECT p.id, p.item_id, p.article_id, p.relation, p.from_status, p.to_status,
               coalesce(d.state, 'proposed') AS state, p.quote, p.span_start, p.span_end,
               p.reason, p.order_basis, p.backend, p.model, p.prompt_id, p.created_at,
               d.decided_at, d.actor AS decided_by, d.to_status AS applied_status, d.note
        FROM proposals p
        LEFT JOIN (SELECT proposal_id, arg_max(state, seq) AS state,
                          arg_max(decided_at, seq) AS decided_at, arg_max(actor, seq) AS actor,
                          arg_max(to_status, seq) AS to_status, arg_max(note, seq) AS note
                   FROM proposal_decisions GROUP BY proposal_id) d ON d.proposal_id = p.id
        ORDER BY p.seq
    """,
}
FORMATS = ("csv", "json", "parquet")


def paths_for(out: Path, fmt: str) -> dict[str, Path]:
    """Where each table goes: ``out`` itself for JSON (all three) and for the items."""
    if fmt == "json":
        return {"all": out}
    suffix = out.suffix or f".{fmt}"
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    return {
        "items": out if out.suffix else out.with_name(stem + suffix),
        "events": out.with_name(f"{stem}.events{suffix}"),
        "proposals": out.with_name(f"{stem}.proposals{suffix}"),
    }


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block succeeds."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(con: Transaction, out: Path, fmt: str) -> dict[str, Any]:
    """Write the ledger; returns the row counts and the files written. Nothing holds a whole
    table in memory: ``COPY`` streams CSV and Parquet, JSON is written a row at a time."""
    targets = paths_for(out, fmt)
    bound_memory(con)
    if fmt == "json":
        with _replacing(targets["all"]) as temporary, temporary.open("w", encoding="utf-8") as f:
            counts = _write_json_document(con, f)
    else:
        option = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet"
        counts = {}
        for name, sql in TABLES.items():
            with _replacing(targets[name]) as temporary:
                written = con.execute(f"COPY ({sql}) TO {_literal(temporary)} ({option})")
                counts[name] = int(written.fetchone()[0])  # type: ignore[index]  # COPY: rows
    return {"format": fmt, **counts, "files": [str(path) for path in targets.values()]}


def _write_json_document(con: Transaction, out: TextIO) -> dict[str, int]:
    """``{"items": [...], "events": [...], "proposals": [...]}`` as ``json.dumps(document,
    indent=1)`` writes it, byte for byte, one row at a time; returns the rows of each list."""
    counts = {}
    out.write("{")
    for number, (name, sql) in enumerate(TABLES.items()):
        out.write(("," if number else "") + f"\n {json.dumps(name)}: [")
        described = con.execute(f"SELECT * FROM ({sql}) LIMIT 0").description  # noqa: S608
        columns = [column[0] for column in described]
        counts[name] = 0
        for row in stream_rows(con, sql):
            value = dict(zip(columns, row, strict=True))
            text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
            out.write(("," if counts[name] else "") + "\n  " + text.replace("\n", "\n  "))
            counts[name] += 1
        out.write("\n ]" if counts[name] else "]")
    out.write("\n}")
    return counts
