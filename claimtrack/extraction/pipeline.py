"""Extraction runs: which articles still need it, the backend that reads them, what gets stored.

An article counts as extracted by a (backend, model, prompt) once its extraction record says
``done``; running again skips it, and a failed article is tried again next time. Each article's
items, first status events, call log rows and cache entries are written in one transaction, so a
run killed half-way loses nothing that was committed and the next run finishes the rest.

Both backends go through one page driver (:func:`extract_articles`); a backend is an
:class:`~claimtrack.extraction.extractors.Extractor` (rules, or
:class:`~claimtrack.extraction.llm_extractor.LLMExtractor`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from claimtrack.extraction.extractors import (
    ArticleInput,
    Extractor,
    ExtractOutcome,
    RulesExtractor,
)
from claimtrack.extraction.llm_extractor import LLMExtractor
from claimtrack.extraction.models import Item
from claimtrack.llm import CallRecord, LLMSettings, LLMUnavailable
from claimtrack.prompts import Prompt
from claimtrack.store import Store, llm_log, utc_now
from claimtrack.store import items as item_rows


@dataclass
class ExtractReport:
    """What one extraction run did (the counts of this invocation)."""

    backend: str
    prompt_id: str
    model: str | None
    articles_pending: int = 0
    articles_extracted: int = 0
    items_found: int = 0
    items_new: int = 0
    items_dropped: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    failed: list[dict[str, str]] = field(default_factory=list)
    unreachable: int = 0  # articles that failed because the endpoint could not be reached
    seconds: float = 0.0  # wall time of the extraction itself
    endpoint_down: str | None = None  # set when the endpoint failed for every article

    def add_calls(self, calls: Sequence[CallRecord]) -> None:
        for call in calls:
            if call.outcome == "cached":
                self.cache_hits += 1
                continue
            self.llm_calls += 1
            self.prompt_tokens += call.prompt_tokens or 0
            self.completion_tokens += call.completion_tokens or 0
            if call.cost_usd is not None:
                self.cost_usd = (self.cost_usd or 0.0) + call.cost_usd

    def to_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model,
            "prompt_id": self.prompt_id,
            "articles_pending": self.articles_pending,
            "articles_extracted": self.articles_extracted,
            "items_found": self.items_found,
            "items_new": self.items_new,
            "items_dropped": self.items_dropped,
            "llm_calls": self.llm_calls,
            "cache_hits": self.cache_hits,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "endpoint_down": self.endpoint_down,
        }


Progress = Callable[[int, int], None]


def _count(report: ExtractReport, outcome: ExtractOutcome) -> None:
    record = outcome.record
    report.add_calls(outcome.calls)
    report.items_new += record.items_new
    if outcome.unreachable:
        report.unreachable += 1
    if record.status == "done":
        report.articles_extracted += 1
        report.items_found += len(outcome.items)
        report.items_dropped += record.items_dropped
    else:
        report.failed.append({"article_id": record.article_id, "error": record.error or "failed"})


def _save_outcomes(
    store: Store,
    extractor: Extractor,
    outcomes: Sequence[ExtractOutcome],
    *,
    with_items: bool = True,
) -> None:
    """Write finished articles: each whole (items, events, calls, cache) in one transaction;
    ``with_items=False`` (texts outside the articles table) writes the calls and cache only."""
    now = utc_now()
    calls = [call for outcome in outcomes for call in outcome.calls]
    answers = [entry for outcome in outcomes for entry in outcome.cache_entries]
    with store.write() as con:
        if with_items:
            item_rows.save_extractions(
                con, stored_rows([(o.record, o.items) for o in outcomes]), now
            )
        llm_log.record_calls(con, calls)
        if answers:
            assert extractor.model is not None, "only a model's answers are cached"
            llm_log.cache_responses(
                con, answers, model=extractor.model, prompt_id=extractor.prompt_id, now=now
            )


def stored_rows(
    batch: Sequence[tuple[item_rows.ExtractionRecord, Sequence[Item]]],
) -> list[tuple[item_rows.ExtractionRecord, list[item_rows.ItemRow]]]:
    """``batch`` with each item as the store writes it."""
    return [(record, [item_row(item) for item in items]) for record, items in batch]


def item_row(item: Item) -> item_rows.ItemRow:
    """The store's row for ``item``: spans as offsets, the status it starts with."""
    speaker, cue = item.speaker_span, item.cue_span
    return item_rows.ItemRow(
        kind=item.kind,
        span_start=item.span.start,
        span_end=item.span.end,
        quote=item.quote,
        text=item.text,
        initial_status=item.initial_status,
        speaker=item.speaker,
        speaker_canonical=item.speaker_canonical,
        speaker_role=item.speaker_role,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        cue=item.cue,
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
        direct=item.direct,
        claim_type=item.claim_type,
        actors=item.actors,
        action=item.action,
        condition=item.condition,
        deadline_text=item.deadline_text,
        deadline=item.deadline,
        stage=item.stage,
        extra=item.extra,
    )


# -- the page driver ------------------------------------------------------------------------------


def extract_articles(
    store: Store,
    extractor: Extractor,
    *,
    only: Sequence[str] | None = None,
    on_progress: Progress | None = None,
) -> ExtractReport:
    """Extract every article ``extractor`` has not done yet, page by page; raises
    :class:`LLMUnavailable` (after recording every article as failed) when the endpoint could not
    be reached for any of them."""
    report = ExtractReport(
        backend=extractor.backend, prompt_id=extractor.prompt_id, model=extractor.model
    )
    with store.read() as con:
        pending = item_rows.pending_articles(
            con,
            backend=extractor.backend,
            model=extractor.model,
            prompt_id=extractor.prompt_id,
            only=only,
        )
    report.articles_pending = len(pending)
    clock = time.perf_counter()
    if pending:
        asyncio.run(_extract_pages(store, extractor, pending, report, on_progress))
    report.seconds = time.perf_counter() - clock
    if extractor.endpoint_down:
        left = len(pending) - report.articles_extracted
        error = LLMUnavailable(
            f"gave up on the LLM endpoint: {extractor.endpoint_down}; "
            f"{left} of {len(pending)} article(s) left for the next run"
        )
        error.report = report
        raise error
    if report.unreachable and report.unreachable == len(pending):
        first_error = report.failed[0]["error"]
        error = LLMUnavailable(f"the LLM failed for all {len(pending)} article(s): {first_error}")
        error.report = report
        raise error
    return report


async def _extract_pages(
    store: Store,
    extractor: Extractor,
    pending: list[str],
    report: ExtractReport,
    on_progress: Progress | None,
) -> None:
    done = 0

    async def save(batch: list[ExtractOutcome]) -> None:
        nonlocal done
        # in a worker thread, so that calls in flight keep going while DuckDB commits
        await asyncio.to_thread(_save_outcomes, store, extractor, batch)
        for outcome in batch:
            _count(report, outcome)
        done += len(batch)
        if on_progress:
            on_progress(done, len(pending))

    await extractor.open()
    try:
        unsaved: list[ExtractOutcome] = []
        last_save = time.monotonic()
        async for outcome in extractor.extract_pages(store, _pages(store, extractor, pending)):
            unsaved.append(outcome)
            waited = time.monotonic() - last_save
            if len(unsaved) >= extractor.save_batch or waited >= extractor.save_seconds:
                await save(unsaved)
                unsaved = []
                last_save = time.monotonic()
        if unsaved:
            await save(unsaved)
    finally:
        await extractor.close()


def _pages(store: Store, extractor: Extractor, pending: list[str]) -> Iterator[list[ArticleInput]]:
    """The ``pending`` articles a page at a time, each page read when the extractor asks for it;
    none once the extractor has given up on its endpoint (the rest would fail the same way)."""
    for first in range(0, len(pending), extractor.page_size):
        if extractor.endpoint_down:
            return
        with store.read() as con:
            inputs = item_rows.article_inputs(con, pending[first : first + extractor.page_size])
        yield inputs


def extract_with_rules_backend(
    store: Store,
    *,
    only: Sequence[str] | None = None,
    on_progress: Progress | None = None,
) -> ExtractReport:
    return extract_articles(store, RulesExtractor(), only=only, on_progress=on_progress)


def extract_with_llm_backend(
    store: Store,
    settings: LLMSettings,
    prompt: Prompt,
    *,
    only: Sequence[str] | None = None,
    concurrency: int = 4,
    use_cache: bool = True,
    chunk_tokens: int = 3000,
    on_progress: Progress | None = None,
) -> ExtractReport:
    """Extract through the model; raises :class:`LLMUnavailable` (after recording every article
    as failed) when the endpoint could not be reached for any of them."""
    extractor = LLMExtractor(
        settings, prompt, concurrency=concurrency, use_cache=use_cache, chunk_tokens=chunk_tokens
    )
    return extract_articles(store, extractor, only=only, on_progress=on_progress)


# -- texts that are not in the store (eval suites) ------------------------------------------------


@dataclass
class TextToExtract:
    """A text read by an eval suite rather than from the articles table."""

    id: str
    text: str
    published: date | None = None
    publication: str | None = None


@dataclass
class TextExtraction:
    """What the llm backend made of one :class:`TextToExtract`."""

    id: str
    items: list[Item]
    calls: list[CallRecord]
    dropped: list[str]
    error: str | None = None


def extract_texts_with_llm(
    store: Store,
    settings: LLMSettings,
    prompt: Prompt,
    texts: Sequence[TextToExtract],
    *,
    purpose: str = "eval",
    concurrency: int = 4,
    use_cache: bool = True,
    chunk_tokens: int = 3000,
) -> list[TextExtraction]:
    """Extract from texts outside the articles table, exactly as :func:`extract_with_llm_backend`
    does (the same prompt rendering, chunking, grounding and response cache in ``store``), without
    storing items: only the call log and the cache are written. A second identical run answers
    from the cache and sends no request. Raises :class:`LLMUnavailable` when the endpoint could
    not be reached for any text."""
    if not texts:
        return []
    extractor = LLMExtractor(
        settings, prompt, concurrency=concurrency, use_cache=use_cache, chunk_tokens=chunk_tokens
    )
    outcomes = asyncio.run(_extract_texts(store, extractor, texts, purpose))
    unreachable = [o for o in outcomes if o.unreachable]
    if unreachable and len(unreachable) == len(outcomes):
        raise LLMUnavailable(
            f"the LLM failed for all {len(outcomes)} text(s): {unreachable[0].record.error}"
        )
    return [
        TextExtraction(
            id=text.id,
            items=outcome.items,
            calls=outcome.calls,
            dropped=list(outcome.record.dropped or []),
            error=outcome.record.error if outcome.record.status != "done" else None,
        )
        for text, outcome in zip(texts, outcomes, strict=True)
    ]


async def _extract_texts(
    store: Store, extractor: LLMExtractor, texts: Sequence[TextToExtract], purpose: str
) -> list[ExtractOutcome]:
    plans = [
        extractor.plan(
            (
                text.id,
                text.text,
                datetime.combine(text.published, datetime.min.time()) if text.published else None,
                text.publication,
            )
        )
        for text in texts
    ]
    cache = extractor.cached_answers(store, plans)
    await extractor.open()
    try:
        outcomes = await asyncio.gather(
            *(extractor.extract(plan, cache, purpose) for plan in plans)
        )
    finally:
        await extractor.close()
    _save_outcomes(store, extractor, outcomes, with_items=False)
    return list(outcomes)
