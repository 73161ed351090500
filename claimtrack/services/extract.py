"""Extracting claims and commitments: which backend, and every article not yet extracted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimtrack.config import Settings, default_backend, llm_configured
from claimtrack.services.reporting import Message, Progress, ProgressBars, ignore, no_progress
from claimtrack.store import Store
from claimtrack.store import articles as article_rows

if TYPE_CHECKING:  # the pipeline is loaded when extracting, not for every command's --help
    from claimtrack.extraction.pipeline import ExtractReport

DEFAULT_PROMPT = "extract"
OFFLINE_DEFAULT = "No OPENAI_API_KEY or OPENAI_BASE_URL set: using the offline rules backend."
RULES_IGNORE_MODEL = (
    "--model and --prompt apply to the llm backend; the rules backend ignores them."
)


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: the backend, and for the llm backend its model, prompt and calls."""

    backend: str
    model: str | None = None
    prompt_name: str | None = None  # None: DEFAULT_PROMPT
    concurrency: int = 4
    use_cache: bool = True
    chunk_tokens: int | None = None  # None: the settings' chunk_tokens


def resolve_backend(backend: str | None, on_notice: Message = ignore) -> str:
    """``backend``, else the default one; ``on_notice`` hears when the offline default was
    chosen because no endpoint is configured."""
    if backend is None:
        backend = default_backend()
        if not llm_configured():
            on_notice(OFFLINE_DEFAULT)
    return backend


def article_ids(store: Store, refs: Sequence[str]) -> list[str] | None:
    """The ids of the articles ``refs`` name (ids, unique prefixes, the source's own ids);
    None when there are no refs, which means every article."""
    if not refs:
        return None
    with store.read() as con:
        return [article_rows.get_article(con, ref).id for ref in refs]


def run_extraction(
    store: Store,
    settings: Settings,
    options: ExtractOptions,
    *,
    article_refs: Sequence[str] = (),
    progress: ProgressBars = no_progress,
    on_notice: Message = ignore,
) -> ExtractReport:
    """Extract every article (or those ``article_refs`` name) not yet extracted by this
    backend, model and prompt. When the endpoint fails for every article, the report says why
    in ``endpoint_down`` instead of raising."""
    from claimtrack.extraction.pipeline import extract_with_rules_backend

    only = article_ids(store, article_refs)
    with progress("extracting") as on_progress:
        if options.backend == "rules":
            if options.model or options.prompt_name:
                on_notice(RULES_IGNORE_MODEL)
            return extract_with_rules_backend(store, only=only, on_progress=on_progress)
        return _extract_with_llm(store, settings, options, only, on_progress)


def _extract_with_llm(
    store: Store,
    settings: Settings,
    options: ExtractOptions,
    only: list[str] | None,
    on_progress: Progress,
) -> ExtractReport:
    from claimtrack.extraction.pipeline import extract_with_llm_backend
    from claimtrack.llm import LLMSettings, LLMUnavailable
    from claimtrack.prompts import load_prompt

    llm_settings = LLMSettings.from_env(model=options.model)
    prompt = load_prompt(options.prompt_name or DEFAULT_PROMPT)
    try:
        return extract_with_llm_backend(
            store,
            llm_settings,
            prompt,
            only=only,
            concurrency=options.concurrency,
            use_cache=options.use_cache,
            chunk_tokens=options.chunk_tokens or settings.chunk_tokens,
            on_progress=on_progress,
        )
    except LLMUnavailable as error:
        report: ExtractReport = error.report
        report.endpoint_down = error.message
        return report
