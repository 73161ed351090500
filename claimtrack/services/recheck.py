"""``recheck``, what a scheduler runs: read the sources, extract, track, apply the time rules.

One recheck at a time (a lock beside the database); each step holds the database only for short
transactions, so the review queue stays usable meanwhile. Every run is recorded in the store and
as one line in a log file beside the database.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.config import Settings
from claimtrack.ingest import ingest_records
from claimtrack.services.extract import ExtractOptions, resolve_backend, run_extraction
from claimtrack.services.reporting import Message, ignore, report_failed_articles
from claimtrack.services.track import TrackOptions, TrackOutcome, run_tracking
from claimtrack.store import Store, utc_now
from claimtrack.store import items as item_rows
from claimtrack.store import sources as source_rows
from claimtrack.store import time_rules as time_rule_rows
from claimtrack.tracking.pipeline import DEFAULT_K

if TYPE_CHECKING:  # the sources load an HTTP client: only when a recheck runs
    from claimtrack.extraction.pipeline import ExtractReport
    from claimtrack.fetch import Fetcher
    from claimtrack.ingest.readers import Limits
    from claimtrack.sources.collect import Collected
    from claimtrack.sources.config import RecheckConfig, RecheckSettings, SourceConfig

LOG_SUFFIX = ".log"
STALE_EVERY = timedelta(days=1)  # an hourly recheck counts the stale items at most this often
STALE_LISTED = 10  # the stalest items a report lists (it counts them all)


@dataclass
class SourcesRead:
    """What reading the sources brought in: one summary per source, and what failed."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    ingested: int = 0
    duplicates: int = 0


@dataclass
class TimeRulesApplied:
    """New overdue proposals, and the open items with no news for too long."""

    overdue_proposed: int
    stale_count: int
    stale: list[dict[str, Any]]  # the stalest, at most STALE_LISTED
    stale_counted_at: datetime  # naive UTC; earlier than this run when its report was reused
    stale_reused: bool = False


@dataclass
class RecheckReport:
    """What one recheck did (the counts of this run)."""

    as_of: date
    config: Path | None
    backend: str
    read: SourcesRead
    extracted: ExtractReport
    tracked: TrackOutcome
    time_rules: TimeRulesApplied
    stale_after_days: int
    seconds: dict[str, float]  # per step, and the total

    @property
    def failed(self) -> list[dict[str, str]]:
        return [*self.read.failed, *self.extracted.failed, *self.tracked.report.failed]

    @property
    def endpoint_down(self) -> str | None:
        return self.extracted.endpoint_down or self.tracked.endpoint_down

    @property
    def nothing_new(self) -> bool:
        return not (
            self.read.ingested
            or self.extracted.articles_extracted
            or self.tracked.report.articles_tracked
            or self.time_rules.overdue_proposed
        )

    def to_json(self) -> dict[str, Any]:
        """The ``recheck --json`` summary, also stored with the run."""
        tracked, rules = self.tracked.report, self.time_rules
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": False,
            "config": str(self.config) if self.config else None,
            "backend": self.backend,
            "articles_ingested": self.read.ingested,
            "duplicates": self.read.duplicates,
            "articles_extracted": self.extracted.articles_extracted,
            "items_new": self.extracted.items_new,
            "articles_tracked": tracked.articles_tracked,
            "proposals_created": tracked.proposals_created + rules.overdue_proposed,
            "overdue_proposed": rules.overdue_proposed,
            "links_created": tracked.links_created,
            "llm_calls": self.extracted.llm_calls + tracked.llm_calls,
            "stale": {
                "count": rules.stale_count,
                "after_days": self.stale_after_days,
                "items": rules.stale,
                "counted_at": rules.stale_counted_at.isoformat(),
            },
            "sources": self.read.sources,
            "failed": self.failed,
            "endpoint_down": self.endpoint_down,
            "seconds": self.seconds,
            "nothing_new": self.nothing_new,
        }

    def line(self) -> str:
        """The run in one line, for stderr and the log."""
        summary = self.to_json()
        failed_sources = [
            f"{f['source']}: {f['error']}" for f in summary["failed"] if "source" in f
        ]
        line = (
            f"recheck as of {summary['as_of']}: {summary['articles_ingested']} new article(s), "
            f"{summary['articles_extracted']} extracted, {summary['articles_tracked']} tracked, "
            f"{summary['proposals_created']} proposal(s) ({summary['overdue_proposed']} overdue), "
            f"{summary['stale']['count']} stale"
            f"{' (counted earlier today)' if self.time_rules.stale_reused else ''}, "
            f"{len(summary['failed'])} failed"
        )
        if failed_sources:
            line += f" ({'; '.join(failed_sources)})"
        line += f", {summary['seconds']['total']:.1f}s"
        if summary["nothing_new"]:
            line += ". Nothing new."
        return line


@dataclass
class DryRunReport:
    """What a recheck would do, from what is stored and what is on disk."""

    as_of: date
    config: Path | None
    sources: list[dict[str, Any]]  # each with the inputs it "would_read"
    articles_not_extracted: int
    articles_not_tracked: int
    overdue: list[dict[str, Any]]  # commitments that would get an overdue proposal
    stale_count: int
    stale: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": True,
            "config": str(self.config) if self.config else None,
            "sources": self.sources,
            "articles_not_extracted": self.articles_not_extracted,
            "articles_not_tracked": self.articles_not_tracked,
            "overdue_would_propose": [
                {
                    "item_id": o["item_id"],
                    "deadline": o["deadline"].isoformat(),
                    "quote": o["quote"],
                }
                for o in self.overdue
            ],
            "stale": {"count": self.stale_count, "items": self.stale},
            "articles_ingested": 0,
            "articles_extracted": 0,
            "articles_tracked": 0,
            "proposals_created": 0,
            "llm_calls": 0,
            "failed": [],
        }

    def line(self) -> str:
        reads = sum(len(s["would_read"]) for s in self.sources)
        return (
            f"Dry run as of {self.as_of.isoformat()}: would read {reads} new input(s) from "
            f"{len(self.sources)} source(s) (feeds are fetched only for real), extract "
            f"{self.articles_not_extracted} and track {self.articles_not_tracked} "
            f"article(s), propose {len(self.overdue)} overdue; "
            f"{self.stale_count} stale item(s). Nothing was changed."
        )


def recheck(
    store: Store,
    settings: Settings,
    config: RecheckConfig,
    day: date,
    *,
    on_error: Message = ignore,
    on_notice: Message = ignore,
    on_warning: Message = ignore,
) -> RecheckReport:
    """Read what is new in ``config``'s sources, extract, track, and apply the time rules as of
    ``day``; a second recheck waits for this one (then raises, exit 75). ``on_error`` hears of
    each input, source and article that failed (the rest goes on)."""
    from claimtrack.sources.lock import recheck_lock

    with recheck_lock(settings.db, settings.lock_timeout):
        report = _run(store, settings, config, day, on_error, on_notice)
    _log(settings.db, report.line(), on_warning)
    return report


def _run(
    store: Store,
    settings: Settings,
    config: RecheckConfig,
    day: date,
    on_error: Message,
    on_notice: Message,
) -> RecheckReport:
    started_at = utc_now()
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    read = _read_sources(store, settings, config, on_error)
    timings["ingest"] = time.perf_counter() - clock

    wanted = config.recheck
    backend = wanted.backend or resolve_backend(None, on_notice)
    extracted, tracked = _extract_and_track(
        store, settings, wanted, backend, timings, on_error, on_notice
    )

    step = time.perf_counter()
    rules = _apply_time_rules(store, day, wanted.stale_after_days)
    timings["time_rules"] = time.perf_counter() - step

    report = RecheckReport(
        as_of=day,
        config=config.path,
        backend=backend,
        read=read,
        extracted=extracted,
        tracked=tracked,
        time_rules=rules,
        stale_after_days=wanted.stale_after_days,
        seconds={name: round(value, 3) for name, value in timings.items()}
        | {"total": round(time.perf_counter() - clock, 3)},
    )
    with store.write() as con:
        source_rows.record_run(
            con,
            uuid.uuid4().hex[:16],
            started=started_at,
            finished=utc_now(),
            as_of=day,
            summary=report.to_json(),
        )
    return report


def _extract_and_track(
    store: Store,
    settings: Settings,
    wanted: RecheckSettings,
    backend: str,
    timings: dict[str, float],
    on_error: Message,
    on_notice: Message,
) -> tuple[ExtractReport, TrackOutcome]:
    """Extract and track what is new (and what an earlier run left), timing each step."""
    step = time.perf_counter()
    extracted = run_extraction(
        store,
        settings,
        ExtractOptions(backend=backend, model=wanted.model, concurrency=wanted.concurrency),
        on_notice=on_notice,
    )
    timings["extract"] = time.perf_counter() - step
    _report_failures(extracted.failed, extracted.endpoint_down, on_error)
    step = time.perf_counter()
    tracked = run_tracking(
        store,
        settings,
        TrackOptions(
            backend=backend,
            model=wanted.model,
            concurrency=wanted.concurrency,
            k=wanted.candidates or DEFAULT_K,
        ),
    )
    timings["track"] = time.perf_counter() - step
    _report_failures(tracked.report.failed, tracked.endpoint_down, on_error)
    return extracted, tracked


def _report_failures(
    failed: list[dict[str, str]], endpoint_down: str | None, on_error: Message
) -> None:
    """One line when the endpoint is down (every article's reason is that one, kept in the
    summary and ``--json``), else one line per failed article."""
    if endpoint_down:
        on_error(f"{endpoint_down}; try again later")
    else:
        report_failed_articles(failed, on_error)


def _collectors(settings: Settings, config: RecheckConfig) -> tuple[Fetcher, Limits]:
    from claimtrack.fetch import Fetcher
    from claimtrack.ingest.readers import Limits

    fetch = config.recheck
    return Fetcher(timeout=fetch.timeout, delay=fetch.delay), Limits(
        max_article_bytes=settings.max_article_bytes
    )


def _read_sources(
    store: Store, settings: Settings, config: RecheckConfig, on_error: Message
) -> SourcesRead:
    read = SourcesRead()
    fetcher, limits = _collectors(settings, config)
    try:
        for source in config.sources:
            _read_source(store, source, config, fetcher, limits, read, on_error)
    finally:
        fetcher.close()
    return read


def _read_source(
    store: Store,
    source: SourceConfig,
    config: RecheckConfig,
    fetcher: Fetcher,
    limits: Limits,
    read: SourcesRead,
    on_error: Message,
) -> None:
    """Collect one source, ingest what it brought (in the story named after the source, unless
    a record names its own), then remember what was read (so that a run killed in between reads
    it again and finds duplicates)."""
    from claimtrack.sources.collect import collect

    collected = collect(source, store, fetcher, limits, config.recheck)
    report = ingest_records(collected.records, store, story=source.name)
    read.ingested += report.ingested
    read.duplicates += report.duplicates
    _remember(store, collected)
    for problem in [*collected.failed, *report.failed]:
        read.failed.append({"path": problem.path, "error": problem.reason})
        on_error(f"{source.name}: {problem.message}")
    if collected.error:
        read.failed.append({"source": source.name, "error": collected.error})
        on_error(f"source {source.name}: {collected.error}; skipped")
    read.sources.append({**collected.to_json(), "new": report.ingested})


def _remember(store: Store, collected: Collected) -> None:
    if collected.remember:
        with store.write() as con:
            now = utc_now()
            for remember in collected.remember:
                remember(con, now)


def _apply_time_rules(store: Store, day: date, stale_after_days: int) -> TimeRulesApplied:
    """Propose the newly overdue commitments; count the stale items, or take the count of a
    run as of the same day less than :data:`STALE_EVERY` ago (counting reads every open item:
    an hourly recheck need not)."""
    now = utc_now()
    with store.write() as con:
        overdue = time_rule_rows.overdue_commitments(con, day)
        overdue_new = time_rule_rows.propose_overdue(con, overdue, day, now)
    with store.read() as con:
        earlier = source_rows.last_stale_report(con, day, stale_after_days, now - STALE_EVERY)
        if earlier is None:
            stale_count, stale = time_rule_rows.stale_items(
                con, day, stale_after_days, limit=STALE_LISTED
            )
    if earlier is not None:
        return TimeRulesApplied(
            overdue_new,
            int(earlier["count"]),
            earlier["items"],
            datetime.fromisoformat(earlier["counted_at"]),
            stale_reused=True,
        )
    return TimeRulesApplied(overdue_new, stale_count, stale, now)


def dry_run(store: Store, settings: Settings, config: RecheckConfig, day: date) -> DryRunReport:
    """What a recheck would do, from what is stored and what is on disk; nothing fetched or
    written."""
    from claimtrack.sources.collect import collect

    fetcher, limits = _collectors(settings, config)
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
        overdue = time_rule_rows.overdue_commitments(con, day)
        stale_count, stale = time_rule_rows.stale_items(
            con, day, config.recheck.stale_after_days, limit=STALE_LISTED
        )
    return DryRunReport(
        as_of=day,
        config=config.path,
        sources=sources,
        articles_not_extracted=unextracted,
        articles_not_tracked=untracked,
        overdue=overdue,
        stale_count=stale_count,
        stale=stale,
    )


def _log(db: Path, line: str, on_warning: Message) -> None:
    """Append the run's line to ``<db>.log`` beside the database (a failure to log is a warning,
    not a failed run)."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    try:
        with db.with_suffix(LOG_SUFFIX).open("a", encoding="utf-8") as log:
            log.write(f"{stamp} {line}\n")
    except OSError as error:
        on_warning(f"cannot write the log beside {db}: {error.strerror or error}")
