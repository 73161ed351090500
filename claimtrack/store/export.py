"""Exporting the ledger: items with their current status, every status event, every proposal.

CSV and Parquet are written by DuckDB's ``COPY`` (three files: ``PATH`` for the items and
``<stem>.events<ext>``, ``<stem>.proposals<ext>`` beside it); JSON is one document with the three
lists, written a row at a time: no table is held in memory whole. Each file is written in a new
private folder beside the target (``mkdtemp``: created anew, mode 0700) and renamed into place,
so an export that fails half-way leaves no half-written file, and nothing planted at a guessable
temporary name (a symlink to another file) is ever written through.

A proposal's ``accepted_as`` is the relation it was accepted as: the one a reviewer chose
(``proposals accept --relation``, the review queue's ``e``), else the proposed one; empty until
it is accepted.

A CSV cell that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: an article can say ``=HYPERLINK(...)``) is written with a
single quote in front, as OWASP recommends against CSV injection. JSON and Parquet keep every
value exact.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import duckdb

from claimtrack.errors import ClaimtrackError
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
               d.decided_at, d.actor AS decided_by, d.to_status AS applied_status, d.note,
               CASE WHEN d.state = 'accepted' THEN coalesce(d.relation, p.relation) END
                   AS accepted_as
        FROM proposals p
        LEFT JOIN (SELECT proposal_id, arg_max(state, seq) AS state,
                          arg_max(decided_at, seq) AS decided_at, arg_max(actor, seq) AS actor,
                          arg_max(to_status, seq) AS to_status, arg_max(note, seq) AS note,
                          arg_max(relation, seq) AS relation
                   FROM proposal_decisions GROUP BY proposal_id) d ON d.proposal_id = p.id
        ORDER BY p.seq
    """,
}
FORMATS = ("csv", "json", "parquet")
# what a spreadsheet takes for the start of a formula (OWASP, CSV injection), as a DuckDB regex
FORMULA_START = r"^[=+\-@\t\r]"


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


class ExportFailed(ClaimtrackError):
    """A file of the export could not be written (a folder without write permission, a full
    disk)."""


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A path in a new private folder beside ``path``, renamed onto ``path`` when the block
    succeeds; the folder goes in any case. ``mkdtemp`` creates the folder (it never takes one
    that exists), so nothing can be waiting at the temporary path."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    except OSError as error:
        raise ExportFailed(f"cannot write in {path.parent}: {error.strerror}") from None
    try:
        temporary = folder / path.name
        yield temporary
        temporary.replace(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _formulas_neutralised(con: Transaction, sql: str) -> str:
    """``sql`` with each text cell that starts like a formula prefixed with a single quote."""
    described = con.execute(f"DESCRIBE ({sql})").fetchall()
    texts = [_quoted(str(row[0])) for row in described if row[1] == "VARCHAR"]
    neutralised = ", ".join(
        f"CASE WHEN regexp_matches({c}, '{FORMULA_START}') THEN chr(39) || {c} ELSE {c} END AS {c}"
        for c in texts
    )
    return f"SELECT * REPLACE ({neutralised}) FROM ({sql})" if texts else sql  # noqa: S608


def export(con: Transaction, out: Path, fmt: str) -> dict[str, Any]:
    """Write the ledger; returns the row counts and the files written. Nothing holds a whole
    table in memory: ``COPY`` streams CSV and Parquet, JSON is written a row at a time. A file
    that cannot be written raises :class:`ExportFailed`, one line saying which and why."""
    try:
        return _export(con, out, fmt)
    except OSError as error:
        raise ExportFailed(f"cannot write {out}: {error.strerror}") from None
    except duckdb.IOException as error:
        raise ExportFailed(f"cannot write {out}: {str(error).splitlines()[0]}") from None


def _export(con: Transaction, out: Path, fmt: str) -> dict[str, Any]:
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
                rows = _formulas_neutralised(con, sql) if fmt == "csv" else sql
                written = con.execute(f"COPY ({rows}) TO {_literal(temporary)} ({option})")
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
