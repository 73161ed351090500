"""``claimtrack recheck``: the command for cron and systemd timers."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from claimtrack.cli.app import (
    AppContext,
    cli,
    error_line,
    info_line,
    json_option,
    pass_app,
    print_json,
    warning_line,
)
from claimtrack.errors import EXIT_TEMPFAIL, UsageError
from claimtrack.store import utc_now

LOG_SUFFIX = ".log"


def _today() -> date:
    return datetime.now(UTC).date()


def _parse_as_of(value: str | None) -> date:
    if value is None:
        return _today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r}: give a date as YYYY-MM-DD") from None


@cli.command(short_help="For schedulers: sources, extract, track, time rules.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The claimtrack.toml to use. Default: claimtrack.toml beside the database.",
)
@click.option("--as-of", help="Take this date (YYYY-MM-DD) as today for the time rules.")
@click.option("--dry-run", is_flag=True, help="Say what would be done; change and fetch nothing.")
@json_option
@pass_app
def recheck(
    app: AppContext, config_path: Path | None, as_of: str | None, dry_run: bool, as_json: bool
) -> None:
    """For schedulers: read what is new in the sources of claimtrack.toml (inbox folders, RSS
    and Atom feeds, URL lists), extract claims and commitments, track them against earlier
    items, then apply the time rules: a commitment whose deadline passed with no news of its
    fulfilment gets one 'overdue' proposal; items with no news for stale_after_days are listed.

    Safe beside people: the database is held only for short moments (the review queue stays
    usable), two rechecks never work at once (the second waits, then exits 75), and a recheck
    killed half-way is finished by the next one. A second run straight after finds nothing new
    and says so. One line per run goes to stderr and to a log file beside the database.

    \b
    Exit codes: 0 done, 1 a source or an input failed (the rest was done), 75 try again later.

    \b
    Examples:
      claimtrack recheck
      claimtrack --db ~/news/ukraine.duckdb recheck --json
      claimtrack recheck --dry-run
      claimtrack recheck --as-of 2026-03-01
    Cron (hourly):
      0 * * * * cd ~/news && claimtrack --db ukraine.duckdb recheck >/dev/null
    """
    from claimtrack.sources.config import find_config, load_config
    from claimtrack.sources.lock import recheck_lock

    day = _parse_as_of(as_of)
    db = app.settings.db
    config_file = find_config(db, config_path)
    config = load_config(config_file)
    if config_file is None and not as_json:
        info_line(
            f"No claimtrack.toml beside {db} (and no --config): no sources to read; extracting, "
            "tracking and applying the time rules only."
        )
    if dry_run:
        summary = _dry_run(app, config, day)
        _report(summary, as_json, dry_run=True)
        return
    with recheck_lock(db, app.settings.lock_timeout):
        summary = _run(app, config, day)
    _log(db, summary)
    _report(summary, as_json, dry_run=False)
    if summary["endpoint_down"]:
        sys.exit(EXIT_TEMPFAIL)
    sys.exit(1 if summary["failed"] else 0)


def _collectors(app: AppContext, config: Any) -> tuple[Any, Any]:
    from claimtrack.ingest.readers import Limits
    from claimtrack.sources.fetch import Fetcher

    settings = config.recheck
    fetcher = Fetcher(timeout=settings.timeout, delay=settings.delay)
    return fetcher, Limits(max_article_bytes=app.settings.max_article_bytes)


def _run(app: AppContext, config: Any, day: date) -> dict[str, Any]:
    from claimtrack.cli.extract import run_extraction
    from claimtrack.cli.ingest import resolve_backend
    from claimtrack.cli.track import DEFAULT_K, run_tracking
    from claimtrack.ingest import ingest_records
    from claimtrack.sources.collect import collect
    from claimtrack.store import sources as source_rows
    from claimtrack.store import time_rules

    started_at = utc_now()
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    store = app.store
    fetcher, limits = _collectors(app, config)
    sources = []
    failed: list[dict[str, str]] = []
    ingested = duplicates = 0
    try:
        for source in config.sources:
            collected = collect(source, store, fetcher, limits, config.recheck)
            report = ingest_records(collected.records, store)
            ingested += report.ingested
            duplicates += report.duplicates
            if collected.remember:
                with store.write() as con:
                    now = utc_now()
                    for remember in collected.remember:
                        remember(con, now)
            for problem in [*collected.failed, *report.failed]:
                failed.append({"path": problem.path, "error": problem.reason})
                error_line(f"{source.name}: {problem.message}")
            if collected.error:
                failed.append({"source": source.name, "error": collected.error})
                error_line(f"source {source.name}: {collected.error}; skipped")
            sources.append({**collected.to_json(), "new": report.ingested})
    finally:
        fetcher.close()
    timings["ingest"] = time.perf_counter() - clock

    backend = config.recheck.backend or resolve_backend(None)
    step = time.perf_counter()
    extracted = run_extraction(
        app,
        backend=backend,
        model=config.recheck.model,
        prompt_name=None,
        concurrency=config.recheck.concurrency,
        no_cache=False,
        chunk_tokens=None,
        only=None,
        quiet=True,
    )
    timings["extract"] = time.perf_counter() - step
    for failure in extracted.failed:
        error_line(f"article {failure['article_id']}: {failure['error']}")
    failed += extracted.failed
    step = time.perf_counter()
    tracked, endpoint_down = run_tracking(
        app,
        backend=backend,
        model=config.recheck.model,
        prompt_name=None,
        concurrency=config.recheck.concurrency,
        no_cache=False,
        k=config.recheck.candidates or DEFAULT_K,
        only=None,
        quiet=True,
    )
    timings["track"] = time.perf_counter() - step
    for failure in tracked.failed:
        error_line(f"article {failure['article_id']}: {failure['error']}")
    failed += tracked.failed
    endpoint_down = extracted.endpoint_down or endpoint_down

    step = time.perf_counter()
    now = utc_now()
    with store.write() as con:
        overdue = time_rules.overdue_commitments(con, day)
        overdue_new = time_rules.propose_overdue(con, overdue, day, now)
    with store.read() as con:
        stale_count, stale = time_rules.stale_items(con, day, config.recheck.stale_after_days)
    timings["time_rules"] = time.perf_counter() - step

    summary = {
        "as_of": day.isoformat(),
        "dry_run": False,
        "config": str(config.path) if config.path else None,
        "backend": backend,
        "articles_ingested": ingested,
        "duplicates": duplicates,
        "articles_extracted": extracted.articles_extracted,
        "items_new": extracted.items_new,
        "articles_tracked": tracked.articles_tracked,
        "proposals_created": tracked.proposals_created + overdue_new,
        "overdue_proposed": overdue_new,
        "links_created": tracked.links_created,
        "llm_calls": extracted.llm_calls + tracked.llm_calls,
        "stale": {"count": stale_count, "after_days": config.recheck.stale_after_days,
                  "items": stale},
        "sources": sources,
        "failed": failed,
        "endpoint_down": endpoint_down,
        "seconds": {name: round(value, 3) for name, value in timings.items()}
        | {"total": round(time.perf_counter() - clock, 3)},
    }  # fmt: skip
    summary["nothing_new"] = not (
        ingested or extracted.articles_extracted or tracked.articles_tracked or overdue_new
    )
    with store.write() as con:
        source_rows.record_run(
            con,
            uuid.uuid4().hex[:16],
            started=started_at,
            finished=utc_now(),
            as_of=day,
            summary=summary,
        )
    return summary


def _dry_run(app: AppContext, config: Any, day: date) -> dict[str, Any]:
    """What a run would do, from what is stored and what is on disk; nothing fetched or written."""
    from claimtrack.sources.collect import collect
    from claimtrack.store import items as item_rows
    from claimtrack.store import time_rules

    store = app.store
    fetcher, limits = _collectors(app, config)
    sources = []
    try:
        for source in config.sources:
            found = collect(source, store, fetcher, limits, config.recheck, dry_run=True)
            sources.append({**found.to_json(), "would_read": found.would_read})
    finally:
        fetcher.close()
    with store.read() as con:
        unextracted = item_rows.count_articles_not_done(con, "extractions")
        untracked = item_rows.count_articles_not_done(con, "trackings")
        overdue = time_rules.overdue_commitments(con, day)
        stale_count, stale = time_rules.stale_items(con, day, config.recheck.stale_after_days)
    return {
        "as_of": day.isoformat(),
        "dry_run": True,
        "config": str(config.path) if config.path else None,
        "sources": sources,
        "articles_not_extracted": unextracted,
        "articles_not_tracked": untracked,
        "overdue_would_propose": [
            {"item_id": o["item_id"], "deadline": o["deadline"].isoformat(), "quote": o["quote"]}
            for o in overdue
        ],
        "stale": {"count": stale_count, "items": stale},
        "articles_ingested": 0,
        "articles_extracted": 0,
        "articles_tracked": 0,
        "proposals_created": 0,
        "llm_calls": 0,
        "failed": [],
    }


def _line(summary: dict[str, Any]) -> str:
    if summary["dry_run"]:
        reads = sum(len(s["would_read"]) for s in summary["sources"])
        return (
            f"Dry run as of {summary['as_of']}: would read {reads} new input(s) from "
            f"{len(summary['sources'])} source(s) (feeds are fetched only for real), extract "
            f"{summary['articles_not_extracted']} and track {summary['articles_not_tracked']} "
            f"article(s), propose {len(summary['overdue_would_propose'])} overdue; "
            f"{summary['stale']['count']} stale item(s). Nothing was changed."
        )
    failed_sources = [f"{f['source']}: {f['error']}" for f in summary["failed"] if "source" in f]
    line = (
        f"recheck as of {summary['as_of']}: {summary['articles_ingested']} new article(s), "
        f"{summary['articles_extracted']} extracted, {summary['articles_tracked']} tracked, "
        f"{summary['proposals_created']} proposal(s) ({summary['overdue_proposed']} overdue), "
        f"{summary['stale']['count']} stale, {len(summary['failed'])} failed"
    )
    if failed_sources:
        line += f" ({'; '.join(failed_sources)})"
    line += f", {summary['seconds']['total']:.1f}s"
    if summary["nothing_new"]:
        line += ". Nothing new."
    return line


def _log(db: Path, summary: dict[str, Any]) -> None:
    """Append the run's line to ``<db>.log`` beside the database (a failure to log is a warning,
    not a failed run)."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    try:
        with db.with_suffix(LOG_SUFFIX).open("a", encoding="utf-8") as log:
            log.write(f"{stamp} {_line(summary)}\n")
    except OSError as error:
        warning_line(f"cannot write the log beside {db}: {error.strerror or error}")


def _report(summary: dict[str, Any], as_json: bool, *, dry_run: bool) -> None:
    if as_json:
        print_json(summary)
    if dry_run and not as_json:
        for source in summary["sources"]:
            for path in source["would_read"]:
                info_line(f"  {source['name']}: {path}")
        for overdue in summary["overdue_would_propose"]:
            info_line(f"  overdue: {overdue['item_id']} (deadline {overdue['deadline']})")
    info_line(_line(summary))
