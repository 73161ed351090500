"""Extraction runs: which articles still need it, the backend that reads them, what gets stored.

An article counts as extracted by a (backend, model, prompt) once its extraction record says
``done``; running again skips it, and a failed article is tried again next time. Each article's
items, first status events, call log rows and cache entries are written in one transaction, so a
run killed half-way loses nothing that was committed and the next run finishes the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from claimtrack.extraction.chunking import split_into_chunks
from claimtrack.extraction.grounding import ArticleIndex, Span
from claimtrack.extraction.models import PUBLICATION_SPEAKERS, ArticleExtraction, ClaimOut, Item
from claimtrack.extraction.references import attach_references
from claimtrack.llm import (
    CallRecord,
    LLMSettings,
    LLMUnavailable,
    build_client,
    cached_call,
    request_key,
    structured_call,
)
from claimtrack.prompts import Prompt
from claimtrack.store import Store, llm_log, utc_now
from claimtrack.store import items as item_rows

RULES_PAGE = 200  # articles read and written per transaction by the rules backend
SAVE_BATCH = 16  # finished LLM articles written per transaction ...
SAVE_SECONDS = 1.0  # ... or after this long, whichever comes first


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


def _published_date(published: datetime | None) -> date | None:
    return published.date() if published else None


def _new_record(
    article_id: str, backend: str, model: str | None, prompt_id: str, mode: str | None
) -> item_rows.ExtractionRecord:
    """A record for an extraction starting now, ``done`` until something fails."""
    started = utc_now()
    return item_rows.ExtractionRecord(
        id=item_rows.extraction_id(article_id, backend, model, prompt_id),
        article_id=article_id,
        backend=backend,
        model=model,
        prompt_id=prompt_id,
        mode=mode,
        status="done",
        started_at=started,
        finished_at=started,
    )


# -- rules ----------------------------------------------------------------------------------------


def extract_with_rules_backend(
    store: Store,
    *,
    only: Sequence[str] | None = None,
    on_progress: Progress | None = None,
) -> ExtractReport:
    from claimtrack.extraction.rules import RULES_VERSION, extract_with_rules

    prompt_id = f"rules@{RULES_VERSION}"
    report = ExtractReport(backend="rules", prompt_id=prompt_id, model=None)
    with store.read() as con:
        pending = item_rows.pending_articles(
            con, backend="rules", model=None, prompt_id=prompt_id, only=only
        )
    report.articles_pending = len(pending)
    clock = time.perf_counter()
    done = 0
    for first in range(0, len(pending), RULES_PAGE):
        page = pending[first : first + RULES_PAGE]
        with store.read() as con:
            inputs = item_rows.article_inputs(con, page)
        results = []
        for article_id, text, published, source in inputs:
            record = _new_record(article_id, "rules", None, prompt_id, None)
            try:
                found = extract_with_rules(
                    text, published=_published_date(published), publication=source
                )
            except Exception as error:  # a rule bug must not stop the run: record it
                record.status = "failed"
                record.error = f"rules backend failed: {type(error).__name__}: {error}"
                found = []
            grounded = [
                item for item in found if item.quote == text[item.span.start : item.span.end]
            ]
            attach_references(article_id, grounded)
            record.items_found = len(grounded)
            record.items_dropped = len(found) - len(grounded)
            record.finished_at = utc_now()
            results.append((record, grounded))
        with store.write() as con:
            report.items_new += item_rows.save_extractions(con, stored_rows(results), utc_now())
        for record, grounded in results:
            _count(report, record, len(grounded))
        done += len(page)
        if on_progress:
            on_progress(done, len(pending))
    report.seconds = time.perf_counter() - clock
    return report


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


def _count(report: ExtractReport, record: item_rows.ExtractionRecord, found: int) -> None:
    if record.status == "done":
        report.articles_extracted += 1
        report.items_found += found
        report.items_dropped += record.items_dropped
    else:
        report.failed.append({"article_id": record.article_id, "error": record.error or "failed"})


# -- llm ------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    record: item_rows.ExtractionRecord
    items: list[Item]
    calls: list[CallRecord]
    cache_entries: list[tuple[str, Any]]
    unreachable: bool = False


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
    report = ExtractReport(backend="llm", prompt_id=prompt.id, model=settings.model)
    with store.read() as con:
        pending = item_rows.pending_articles(
            con, backend="llm", model=settings.model, prompt_id=prompt.id, only=only
        )
    report.articles_pending = len(pending)
    clock = time.perf_counter()
    if pending:
        asyncio.run(
            _extract_llm(
                store,
                settings,
                prompt,
                pending,
                report,
                concurrency,
                use_cache,
                chunk_tokens,
                on_progress,
            )
        )
    report.seconds = time.perf_counter() - clock
    if report.unreachable and report.unreachable == len(pending):
        first_error = report.failed[0]["error"]
        error = LLMUnavailable(f"the LLM failed for all {len(pending)} article(s): {first_error}")
        error.report = report
        raise error
    return report


async def _extract_llm(
    store: Store,
    settings: LLMSettings,
    prompt: Prompt,
    pending: list[str],
    report: ExtractReport,
    concurrency: int,
    use_cache: bool,
    chunk_tokens: int,
    on_progress: Progress | None,
) -> None:
    client = build_client(settings)
    try:
        limit = asyncio.Semaphore(concurrency)
        page_size = max(concurrency * 32, 256)  # articles planned (and held in memory) at once
        done = 0
        for first in range(0, len(pending), page_size):
            page = pending[first : first + page_size]
            with store.read() as con:
                inputs = item_rows.article_inputs(con, page)
            plans = [_plan(settings, prompt, row, chunk_tokens) for row in inputs]
            cache: dict[str, Any] = {}
            if use_cache:
                with store.read() as con:
                    cache = llm_log.cached_responses(
                        con, [key for plan in plans for key, _ in plan.requests]
                    )
            tasks = [
                asyncio.create_task(_extract_one(client, settings, prompt, plan, cache, limit))
                for plan in plans
            ]
            unsaved: list[_Outcome] = []
            last_save = time.monotonic()

            async def save(batch: list[_Outcome]) -> None:
                nonlocal done, last_save
                # in a worker thread, so that calls in flight keep going while DuckDB commits
                await asyncio.to_thread(_save_outcomes, store, settings, prompt, batch)
                last_save = time.monotonic()
                for outcome in batch:
                    report.add_calls(outcome.calls)
                    report.items_new += outcome.record.items_new
                    _count(report, outcome.record, len(outcome.items))
                    if outcome.unreachable:
                        report.unreachable += 1
                done += len(batch)
                if on_progress:
                    on_progress(done, len(pending))

            for next_done in asyncio.as_completed(tasks):
                unsaved.append(await next_done)
                if len(unsaved) >= SAVE_BATCH or time.monotonic() - last_save >= SAVE_SECONDS:
                    await save(unsaved)
                    unsaved = []
            if unsaved:
                await save(unsaved)
    finally:  # close the connections in this event loop, not at garbage collection
        if client.client is not None:
            await client.client.close()


@dataclass
class _Plan:
    article_id: str
    text: str
    published: date | None
    publication: str
    chunks: list[Span]
    requests: list[tuple[str, dict[str, Any]]]  # (cache key, template context) per chunk


def _plan(
    settings: LLMSettings,
    prompt: Prompt,
    row: tuple[str, str, datetime | None, str | None],
    chunk_tokens: int,
) -> _Plan:
    article_id, text, published, source = row
    day = _published_date(published)
    publication = source or "the publication"
    chunks = split_into_chunks(text, chunk_tokens)
    requests = []
    for chunk in chunks:
        variables = {
            "article_text": text[chunk.start : chunk.end],
            "published": day.isoformat() if day else "on an unknown date",
            "publication": publication,
        }
        key = request_key(settings, prompt.render(variables), ArticleExtraction)
        requests.append((key, variables))
    return _Plan(article_id, text, day, publication, chunks, requests)


async def _extract_one(
    client: Any,
    settings: LLMSettings,
    prompt: Prompt,
    plan: _Plan,
    cache: dict[str, Any],
    limit: asyncio.Semaphore,
    purpose: str = "extract",
) -> _Outcome:
    record = _new_record(plan.article_id, "llm", settings.model, prompt.id, settings.mode)
    record.chunks = len(plan.chunks)
    index = ArticleIndex(plan.text)
    items: list[Item] = []
    calls: list[CallRecord] = []
    cache_entries: list[tuple[str, Any]] = []
    dropped: list[str] = []
    unreachable = False
    for chunk, (key, variables) in zip(plan.chunks, plan.requests, strict=True):
        validation = {**variables, "article": index, "publication": plan.publication}
        cached = cache.get(key)
        if cached is not None:
            chunk_dropped = list(cached.get("dropped", []))
            answer = ArticleExtraction.model_validate(
                cached["answer"], context={**validation, "lenient": True, "dropped": []}
            )
            calls.append(cached_call(settings, prompt.id, plan.article_id, key, purpose))
        else:
            chunk_dropped = []

            def lenient(
                data: dict[str, Any],
                sink: list[str] = chunk_dropped,
                base: dict[str, Any] = validation,
            ) -> ArticleExtraction:
                context = {**base, "lenient": True, "dropped": sink}
                return ArticleExtraction.model_validate(data, context=context)

            async with limit:
                result = await structured_call(
                    client,
                    settings,
                    response_model=ArticleExtraction,
                    messages=prompt.messages(),
                    context=validation,
                    prompt_id=prompt.id,
                    request_hash=key,
                    purpose=purpose,
                    article_id=plan.article_id,
                    lenient=lenient,
                )
            calls.extend(result.calls)
            if result.value is None:
                record.status = "failed"
                record.error = result.error
                unreachable = result.transport_failure
                break
            answer = ArticleExtraction.model_validate(result.value.model_dump())
            cache_entries.append((key, {"answer": answer.model_dump(), "dropped": chunk_dropped}))
        dropped.extend(chunk_dropped)
        try:
            items.extend(items_from_answer(answer, index, chunk, plan.published, plan.publication))
        except Exception as error:  # a bug here must cost this article, not the whole run
            record.status = "failed"
            record.error = f"reading the answer failed: {type(error).__name__}: {error}"
            break
    merged = merge_items(items) if record.status == "done" else []
    attach_references(plan.article_id, merged)
    record.items_found = len(merged)
    record.items_dropped = len(dropped)
    record.dropped = dropped or None
    record.llm_calls = sum(1 for call in calls if call.outcome != "cached")
    record.finished_at = utc_now()
    return _Outcome(record, merged, calls, cache_entries, unreachable)


def _save_outcomes(
    store: Store, settings: LLMSettings, prompt: Prompt, outcomes: Sequence[_Outcome]
) -> None:
    """Write finished articles: each whole (items, events, calls, cache) in one transaction."""
    now = utc_now()
    with store.write() as con:
        item_rows.save_extractions(con, stored_rows([(o.record, o.items) for o in outcomes]), now)
        for outcome in outcomes:
            llm_log.record_calls(con, outcome.calls)
            for key, answer in outcome.cache_entries:
                llm_log.cache_response(
                    con, key, model=settings.model, prompt_id=prompt.id, response=answer, now=now
                )


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
    outcomes = asyncio.run(
        _extract_texts(
            store, settings, prompt, texts, purpose, concurrency, use_cache, chunk_tokens
        )
    )
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
    store: Store,
    settings: LLMSettings,
    prompt: Prompt,
    texts: Sequence[TextToExtract],
    purpose: str,
    concurrency: int,
    use_cache: bool,
    chunk_tokens: int,
) -> list[_Outcome]:
    plans = [
        _plan(
            settings,
            prompt,
            (
                text.id,
                text.text,
                datetime.combine(text.published, datetime.min.time()) if text.published else None,
                text.publication,
            ),
            chunk_tokens,
        )
        for text in texts
    ]
    cache: dict[str, Any] = {}
    if use_cache:
        with store.read() as con:
            cache = llm_log.cached_responses(
                con, [key for plan in plans for key, _ in plan.requests]
            )
    client = build_client(settings)
    try:
        limit = asyncio.Semaphore(concurrency)
        outcomes = await asyncio.gather(
            *(_extract_one(client, settings, prompt, plan, cache, limit, purpose) for plan in plans)
        )
    finally:
        if client.client is not None:
            await client.client.close()
    now = utc_now()
    with store.write() as con:
        for outcome in outcomes:
            llm_log.record_calls(con, outcome.calls)
            for key, answer in outcome.cache_entries:
                llm_log.cache_response(
                    con, key, model=settings.model, prompt_id=prompt.id, response=answer, now=now
                )
    return list(outcomes)


# -- from a model's answer to grounded items ------------------------------------------------------

CUE_WINDOW = 300  # characters around the quote where its speaker and cue are looked for


def items_from_answer(
    answer: ArticleExtraction,
    index: ArticleIndex,
    chunk: Span,
    published: date | None,
    publication: str,
) -> list[Item]:
    """Grounded :class:`Item` objects for a validated answer about ``chunk`` of the article."""
    text = index.text
    in_chunk = _chunk_locator(index, chunk)
    found: list[Item] = []
    for claim in answer.claims:
        span = in_chunk(claim.quote)
        if span is None:
            continue
        speaker_span = _near(index, claim.speaker, span)
        cue_span = _near(index, claim.cue, span) if claim.cue else None
        found.append(
            Item(
                kind="claim",
                span=span,
                quote=span.of(text),
                text=claim.claim,
                speaker=speaker_span.of(text) if speaker_span else claim.speaker,
                speaker_canonical=_canonical(claim, publication),
                speaker_role=claim.speaker_role,
                speaker_span=speaker_span,
                cue=cue_span.of(text) if cue_span else claim.cue,
                cue_span=cue_span,
                direct=claim.direct,
                claim_type=claim.claim_type,
            )
        )
    for commitment in answer.commitments:
        span = in_chunk(commitment.quote)
        if span is None:
            continue
        reporter = commitment.reported_by
        reporter_span = _near(index, reporter, span) if reporter else None
        stage = commitment.stage
        if commitment.condition and stage == "proposed":
            stage = "conditional"
        found.append(
            Item(
                kind="commitment",
                span=span,
                quote=span.of(text),
                text=commitment.statement,
                speaker=reporter_span.of(text) if reporter_span else reporter,
                speaker_canonical=reporter,
                speaker_span=reporter_span,
                actors=list(commitment.actors),
                action=commitment.action,
                condition=commitment.condition,
                deadline_text=commitment.deadline,
                deadline=_deadline(commitment.deadline, published),
                stage=stage,
            )
        )
    return found


def _chunk_locator(index: ArticleIndex, chunk: Span) -> Callable[[str], Span | None]:
    """Find a quote in the chunk the model read (offsets into the whole article), else anywhere
    in the article: a phrase the article repeats must not land on another chunk's occurrence."""
    if chunk.start == 0 and chunk.end >= len(index.text):
        return index.locate
    piece = ArticleIndex(chunk.of(index.text))

    def locate(quote: str) -> Span | None:
        found = piece.locate(quote)
        if found is not None:
            return Span(chunk.start + found.start, chunk.start + found.end)
        return index.locate(quote, near=chunk.start)

    return locate


def _canonical(claim: ClaimOut, publication: str) -> str:
    """The publication speaks its own unattributed claims; otherwise the model's canonical name."""
    if claim.speaker.strip().casefold() in PUBLICATION_SPEAKERS:
        return publication
    return claim.speaker_canonical or claim.speaker


def _deadline(text: str | None, published: date | None) -> date | None:
    if not text:
        return None
    from claimtrack.extraction.deadlines import resolve_deadline

    return resolve_deadline(text, published)


def _near(index: ArticleIndex, words: str | None, span: Span) -> Span | None:
    if not words:
        return None
    found = index.locate(words, near=span.start)
    if found is None or abs(found.start - span.start) > CUE_WINDOW + (span.end - span.start):
        return None
    return found


def merge_items(items: list[Item]) -> list[Item]:
    """One item per (kind, span); an item inside another of the same kind is the same item."""
    ordered = sorted(items, key=lambda i: (i.kind, i.span.start, -(i.span.end - i.span.start)))
    kept: list[Item] = []
    for item in ordered:
        if any(
            other.kind == item.kind
            and other.span.start <= item.span.start
            and item.span.end <= other.span.end
            for other in kept
        ):
            continue
        kept.append(item)
    return sorted(kept, key=lambda i: (i.span.start, i.kind))
