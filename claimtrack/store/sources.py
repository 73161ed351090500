"""SQL for the scheduled re-check: what each source already gave, and the runs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from claimtrack.store.bulk import insert_rows
from claimtrack.store.connection import Transaction


def known_files(con: Transaction, hashes: Sequence[str]) -> set[str]:
    """The content hashes among ``hashes`` that were read before (ingested or failed)."""
    if not hashes:
        return set()
    rows = con.execute(
        "SELECT hash FROM source_files WHERE hash IN (SELECT unnest(?))", [list(hashes)]
    ).fetchall()
    return {row[0] for row in rows}


def remember_files(
    con: Transaction,
    rows: Iterable[tuple[str, str, str, str, str | None]],
    now: datetime,
) -> None:
    """(hash, source, path, outcome, error) of files read; a hash already known is kept."""
    rows = list(rows)
    if not rows:
        return
    insert_rows(
        con,
        "source_files",
        (("hash", "VARCHAR"), ("source", "VARCHAR"), ("path", "VARCHAR"),
         ("seen_at", "TIMESTAMP"), ("outcome", "VARCHAR"), ("error", "VARCHAR")),
        [[h, source, path, now, outcome, error] for h, source, path, outcome, error in rows],
        on_conflict="ON CONFLICT DO NOTHING",
    )  # fmt: skip


def url_states(con: Transaction, urls: Sequence[str]) -> dict[str, tuple[str, int]]:
    """url -> (outcome, attempts) for the URLs fetched before."""
    if not urls:
        return {}
    rows = con.execute(
        "SELECT url, outcome, attempts FROM source_urls WHERE url IN (SELECT unnest(?))",
        [list(urls)],
    ).fetchall()
    return {url: (outcome, int(attempts)) for url, outcome, attempts in rows}


def remember_urls(
    con: Transaction,
    rows: Iterable[tuple[str, str, str, str | None]],
    now: datetime,
) -> None:
    """(url, source, outcome, error) of pages fetched; a known URL counts one more attempt."""
    rows = list(rows)
    if not rows:
        return
    latest = {url: (url, source, now, outcome, error) for url, source, outcome, error in rows}
    insert_rows(
        con,
        "source_urls",
        (("url", "VARCHAR"), ("source", "VARCHAR"), ("fetched_at", "TIMESTAMP"),
         ("outcome", "VARCHAR"), ("error", "VARCHAR")),
        list(latest.values()),  # one row per URL: DuckDB updates a row once per statement
        on_conflict="""ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at,
            outcome = excluded.outcome, attempts = source_urls.attempts + 1,
            error = excluded.error""",
    )  # fmt: skip


def feed_state(con: Transaction, source: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) the feed answered last time it changed."""
    row = con.execute(
        "SELECT etag, last_modified FROM source_feeds WHERE source = ?", [source]
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def remember_feed(
    con: Transaction,
    *,
    source: str,
    url: str,
    etag: str | None,
    last_modified: str | None,
    outcome: str,
    error: str | None,
    now: datetime,
) -> None:
    """Record a feed check; a failed check keeps the validators of the last good one."""
    con.execute(
        """
        INSERT INTO source_feeds (source, url, etag, last_modified, checked_at, outcome, error)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source) DO UPDATE SET url = excluded.url,
            etag = CASE WHEN excluded.outcome = 'failed' THEN source_feeds.etag
                        ELSE excluded.etag END,
            last_modified = CASE WHEN excluded.outcome = 'failed' THEN source_feeds.last_modified
                                 ELSE excluded.last_modified END,
            checked_at = excluded.checked_at, outcome = excluded.outcome, error = excluded.error
        """,
        [source, url, etag, last_modified, now, outcome, error],
    )


def record_run(
    con: Transaction,
    run_id: str,
    *,
    started: datetime,
    finished: datetime,
    as_of: date,
    summary: dict[str, Any],
) -> None:
    con.execute(
        """
        INSERT INTO recheck_runs (id, started_at, finished_at, as_of, summary)
        VALUES (?, ?, ?, ?, ?)
        """,
        [run_id, started, finished, as_of, json.dumps(summary, ensure_ascii=False, default=str)],
    )


def last_stale_report(
    con: Transaction, as_of: date, after_days: int, since: datetime
) -> dict[str, Any] | None:
    """The stale report (``{"count", "after_days", "items", "counted_at"}``) of the latest run
    as of ``as_of`` with the same ``after_days``, if it was counted after ``since``."""
    rows = con.execute(
        """
        SELECT json_extract(summary, '$.stale') FROM recheck_runs
        WHERE as_of = ? AND CAST(json_extract(summary, '$.stale.after_days') AS INTEGER) = ?
          AND CAST(json_extract_string(summary, '$.stale.counted_at') AS TIMESTAMP) > ?
        ORDER BY finished_at DESC LIMIT 1
        """,
        [as_of, after_days, since],
    ).fetchall()
    if not rows:
        return None
    report: dict[str, Any] = json.loads(rows[0][0])
    return report
