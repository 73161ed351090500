"""Tracking: judging extracted articles against the items of earlier ones, into proposals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimtrack.config import Settings
from claimtrack.services.extract import article_ids
from claimtrack.services.reporting import Progress, ProgressBars, no_progress
from claimtrack.store import Store
from claimtrack.tracking.embeddings import EmbeddingSearch
from claimtrack.tracking.pipeline import (
    DEFAULT_K,
    TrackReport,
    track_with_llm_backend,
    track_with_rules_backend,
)

DEFAULT_TRACK_PROMPT = "track"


@dataclass(frozen=True)
class TrackOptions:
    """How to track: the backend, the candidates judged per article, and the llm's calls."""

    backend: str
    model: str | None = None
    prompt_name: str | None = None  # None: DEFAULT_TRACK_PROMPT
    concurrency: int = 4
    use_cache: bool = True
    k: int = DEFAULT_K


@dataclass
class TrackOutcome:
    """The tracking report and, when the endpoint failed for every article, why."""

    report: TrackReport
    endpoint_down: str | None = None


def run_tracking(
    store: Store,
    settings: Settings,
    options: TrackOptions,
    *,
    article_refs: Sequence[str] = (),
    progress: ProgressBars = no_progress,
) -> TrackOutcome:
    """Track every extracted article (or those ``article_refs`` name) not yet tracked."""
    only = article_ids(store, article_refs)
    embeddings = embedding_search(settings, options.model)
    with progress("tracking") as on_progress:
        if options.backend == "rules":
            report = track_with_rules_backend(
                store, only=only, k=options.k, on_progress=on_progress, embeddings=embeddings
            )
            return TrackOutcome(report)
        return _track_with_llm(store, options, only, on_progress, embeddings)


def _track_with_llm(
    store: Store,
    options: TrackOptions,
    only: list[str] | None,
    on_progress: Progress,
    embeddings: EmbeddingSearch | None,
) -> TrackOutcome:
    from claimtrack.llm import LLMSettings, LLMUnavailable
    from claimtrack.prompts import load_prompt

    llm_settings = LLMSettings.from_env(model=options.model)
    prompt = load_prompt(options.prompt_name or DEFAULT_TRACK_PROMPT)
    try:
        report = track_with_llm_backend(
            store,
            llm_settings,
            prompt,
            only=only,
            k=options.k,
            concurrency=options.concurrency,
            use_cache=options.use_cache,
            on_progress=on_progress,
            embeddings=embeddings,
        )
    except LLMUnavailable as error:
        return TrackOutcome(error.report, error.message)
    return TrackOutcome(report)


def embedding_search(settings: Settings, model: str | None) -> EmbeddingSearch | None:
    """The vector retrieval CLAIMTRACK_EMBEDDINGS_MODEL asks for: local sentence vectors when
    it is not set, the endpoint's model when it names one, None when it is 'none'."""
    from claimtrack.llm import LLMSettings
    from claimtrack.tracking.embeddings import search_for

    return search_for(settings.embeddings_model, lambda: LLMSettings.from_env(model=model))
