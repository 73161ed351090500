"""The main job: ingest, then extract every article not yet extracted, then track them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claimtrack.config import Settings
from claimtrack.ingest import IngestReport
from claimtrack.services.extract import ExtractOptions, run_extraction
from claimtrack.services.ingest import ProblemHandler, ingest_inputs
from claimtrack.services.reporting import Message, ProgressBars, ignore, no_progress
from claimtrack.services.track import TrackOptions, TrackOutcome, run_tracking
from claimtrack.store import Store

if TYPE_CHECKING:
    from claimtrack.extraction.pipeline import ExtractReport


@dataclass(frozen=True)
class RunHooks:
    """What the caller hears as the job goes: progress, bad inputs and notices as they come,
    and each stage's report as soon as the stage is done."""

    progress: ProgressBars = no_progress
    on_problem: ProblemHandler | None = None
    on_notice: Message = ignore
    on_ingested: Callable[[IngestReport], None] = ignore
    on_extracted: Callable[[ExtractReport], None] = ignore
    on_tracked: Callable[[TrackOutcome], None] = ignore


@dataclass
class RunReport:
    """What one run did, stage by stage."""

    ingested: IngestReport
    extracted: ExtractReport
    tracked: TrackOutcome

    @property
    def endpoint_down(self) -> str | None:
        return self.extracted.endpoint_down or self.tracked.endpoint_down

    @property
    def failures(self) -> int:
        return (
            len(self.ingested.failed) + len(self.extracted.failed) + len(self.tracked.report.failed)
        )

    def to_json(self) -> dict[str, Any]:
        """The ``run --json`` summary of CONTRACT.md."""
        tracked = self.tracked.report
        return {
            "articles_ingested": self.ingested.ingested,
            "duplicates": self.ingested.duplicates,
            "articles_extracted": self.extracted.articles_extracted,
            "articles_tracked": tracked.articles_tracked,
            "proposals_created": tracked.proposals_created,
            "links_created": tracked.links_created,
            "llm_calls": self.extracted.llm_calls + tracked.llm_calls,
            "items_new": self.extracted.items_new,
            "items_dropped": self.extracted.items_dropped,
            "cache_hits": self.extracted.cache_hits + tracked.cache_hits,
            "failed": self.ingested.to_json()["failed"] + self.extracted.failed + tracked.failed,
        }


def run_job(
    store: Store,
    settings: Settings,
    paths: Sequence[str],
    extract: ExtractOptions,
    track: TrackOptions,
    *,
    max_bytes: int | None = None,
    hooks: RunHooks = RunHooks(),
    story: str | None = None,
) -> RunReport:
    """Ingest ``paths`` (``story``: the story of the articles that name none), extract what is
    not yet extracted, track what is not yet tracked.
    Safe to run again: known articles are duplicates, done work is skipped."""
    ingested = ingest_inputs(
        store,
        settings,
        paths,
        max_bytes=max_bytes,
        progress=hooks.progress,
        on_problem=hooks.on_problem,
        story=story,
    )
    hooks.on_ingested(ingested)
    extracted = run_extraction(
        store, settings, extract, progress=hooks.progress, on_notice=hooks.on_notice
    )
    hooks.on_extracted(extracted)
    tracked = run_tracking(store, settings, track, progress=hooks.progress)
    hooks.on_tracked(tracked)
    return RunReport(ingested, extracted, tracked)
