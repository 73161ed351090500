"""SQL for the files read before, by where they are and how they look (size, modification time).

An idle ``ingest DIR``, ``run DIR`` or inbox recheck asks here first and opens only the files
that are new or changed: a file whose path, size and modification time are as when it was read
whole is not read (or hashed) again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from claimtrack.store.bulk import insert_rows
from claimtrack.store.connection import Transaction


@dataclass(frozen=True)
class FileState:
    """A file as ``stat`` shows it: where, how large, last modified (ns since the epoch)."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class SeenFile:
    """A file read whole: how it looked then, the articles it gave, the story they were given."""

    state: FileState
    records: int
    story: str | None


def seen_files(con: Transaction, states: Sequence[FileState]) -> dict[str, SeenFile]:
    """path -> what was recorded, for those of ``states`` whose path, size and modification
    time are as recorded (a changed file is not among them)."""
    if not states:
        return {}
    rows = con.execute(
        """
        SELECT f.path, f.size, f.mtime_ns, f.records, f.story
        FROM seen_files f
        JOIN (SELECT unnest(?) AS path, unnest(?) AS size, unnest(?) AS mtime_ns) s
          ON s.path = f.path AND s.size = f.size AND s.mtime_ns = f.mtime_ns
        """,
        [[s.path for s in states], [s.size for s in states], [s.mtime_ns for s in states]],
    ).fetchall()
    return {
        path: SeenFile(FileState(path, size, mtime_ns), records, story)
        for path, size, mtime_ns, records, story in rows
    }


def remember_seen_files(con: Transaction, seen: Sequence[SeenFile], now: datetime) -> None:
    """Record ``seen`` (a path recorded before takes the new size, time, count and story)."""
    latest = {file.state.path: file for file in seen}  # DuckDB updates a row once per statement
    if not latest:
        return
    insert_rows(
        con,
        "seen_files",
        (("path", "VARCHAR"), ("size", "BIGINT"), ("mtime_ns", "BIGINT"),
         ("records", "INTEGER"), ("story", "VARCHAR"), ("seen_at", "TIMESTAMP")),
        [[f.state.path, f.state.size, f.state.mtime_ns, f.records, f.story, now]
         for f in latest.values()],
        on_conflict="""ON CONFLICT (path) DO UPDATE SET size = excluded.size,
            mtime_ns = excluded.mtime_ns, records = excluded.records, story = excluded.story,
            seen_at = excluded.seen_at""",
    )  # fmt: skip
