"""Ingesting files, folders and URLs into the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from claimtrack.config import Settings
from claimtrack.errors import InputError
from claimtrack.ingest import IngestReport, InputWarning, Limits, ingest_paths
from claimtrack.services.reporting import ProgressBars, no_progress
from claimtrack.store import Store

ProblemHandler = Callable[[InputError | InputWarning], None]


def ingest_inputs(
    store: Store,
    settings: Settings,
    paths: Sequence[str],
    *,
    max_bytes: int | None = None,
    progress: ProgressBars = no_progress,
    on_problem: ProblemHandler | None = None,
    story: str | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files, folders walked recursively, URLs); ``on_problem`` hears of each
    bad input as it is met, and the rest goes on. ``max_bytes`` overrides the settings' limit;
    ``story`` is the story of the articles that name none (``--story``)."""
    limits = Limits(max_article_bytes=max_bytes or settings.max_article_bytes)
    with progress("ingesting", in_bytes=True) as on_progress:
        return ingest_paths(
            paths,
            store,
            limits=limits,
            batch_size=settings.ingest_batch_size,
            on_error=on_problem,
            on_progress=on_progress,
            story=story,
        )
