"""The LLM extraction backend: each article in chunks, one call per chunk, answers grounded.

A chunk's answer is validated against the article (a quote that is not in it is re-asked, then
dropped and counted), cached under its request key, and turned into items by
:func:`claimtrack.extraction.answers.items_from_answer`; an article's items are merged across its
chunks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from claimtrack.extraction.answers import items_from_answer, merge_items
from claimtrack.extraction.chunking import split_into_chunks
from claimtrack.extraction.extractors import (
    ArticleInput,
    ExtractOutcome,
    new_record,
    published_date,
)
from claimtrack.extraction.grounding import ArticleIndex, Span
from claimtrack.extraction.models import ArticleExtraction, Item
from claimtrack.extraction.references import attach_references
from claimtrack.llm import (
    BatchAnswers,
    CallRecord,
    CallResult,
    ClientSession,
    LLMSettings,
    cached_call,
    request_body,
    request_key,
    structured_call,
)
from claimtrack.prompts import Prompt
from claimtrack.store import Store, llm_log, utc_now

# Finished articles are written SAVE_BATCH at a time or after SAVE_SECONDS, whichever comes first:
# a killed run loses at most about a second of answers. Each write opens, commits and closes the
# database (about 25 ms of CPU for the connection alone), so fast calls are not written in small
# batches: 16 at a time cost 2.7 s more CPU over 1,000 articles at 40 answers a second.
SAVE_BATCH = 64
SAVE_SECONDS = 1.0
PLAN_SLICE = 16  # articles planned between two looks at the answers that came in


@dataclass
class ArticlePlan:
    """One article's calls: its chunks and, per chunk, the cache key and the template context."""

    article_id: str
    text: str
    published: date | None
    publication: str
    chunks: list[Span]
    requests: list[tuple[str, dict[str, Any]]]

    def validation_context(self, variables: dict[str, Any], index: ArticleIndex) -> dict[str, Any]:
        """A chunk's template variables plus what its answer is validated against."""
        return {**variables, "article": index, "publication": self.publication}


class LLMExtractor:
    """Extraction through the model, at most ``concurrency`` calls at a time; finished articles
    are written as they come (``SAVE_BATCH`` at a time, or every ``SAVE_SECONDS``). With
    ``batch_answers`` set, each chunk is answered from a finished batch instead of a call."""

    backend = "llm"
    save_batch = SAVE_BATCH
    save_seconds = SAVE_SECONDS

    def __init__(
        self,
        settings: LLMSettings,
        prompt: Prompt,
        *,
        concurrency: int,
        use_cache: bool,
        chunk_tokens: int,
    ) -> None:
        self.settings = settings
        self.prompt = prompt
        self.model: str | None = settings.model
        self.prompt_id = prompt.id
        self.use_cache = use_cache
        self.session = ClientSession(settings, concurrency)
        self.chunk_tokens = chunk_tokens
        self.page_size = max(concurrency * 32, 256)  # articles planned (and held in memory) at once
        # the next page is started when fewer articles than this are left: the calls in flight
        # and as many again waiting for a slot
        self.refill_below = 2 * concurrency
        self.batch_answers: BatchAnswers | None = None

    @property
    def endpoint_down(self) -> str | None:
        return self.session.breaker.reason

    async def open(self) -> None:
        await self.session.open()

    async def close(self) -> None:
        await self.session.close()

    async def extract_pages(
        self, store: Store, pages: Iterator[Sequence[ArticleInput]]
    ) -> AsyncIterator[ExtractOutcome]:
        """Each article's outcome as it is done. The next page is read and planned while the
        calls of this one still fill every slot, so no page waits for the last answers of the
        one before it."""
        running: set[asyncio.Task[ExtractOutcome]] = set()  # held here until taken
        finished: asyncio.Queue[asyncio.Task[ExtractOutcome]] = asyncio.Queue()
        for inputs in pages:
            for task in await self._start(store, inputs):
                running.add(task)
                task.add_done_callback(finished.put_nowait)
            while len(running) > self.refill_below:
                yield await self._next_finished(running, finished)
        while running:
            yield await self._next_finished(running, finished)

    @staticmethod
    async def _next_finished(
        running: set[asyncio.Task[ExtractOutcome]],
        finished: asyncio.Queue[asyncio.Task[ExtractOutcome]],
    ) -> ExtractOutcome:
        task = await finished.get()
        running.discard(task)
        return task.result()

    async def _start(
        self, store: Store, inputs: Sequence[ArticleInput]
    ) -> list[asyncio.Task[ExtractOutcome]]:
        """A task per article of ``inputs``; planning yields to the event loop now and then, so
        that answers already in are read while a page is planned."""
        plans = []
        for article in inputs:
            plans.append(self.plan(article))
            if len(plans) % PLAN_SLICE == 0:
                await asyncio.sleep(0)
        cache = self.cached_answers(store, plans)
        return [asyncio.create_task(self.extract(plan, cache)) for plan in plans]

    def plan(self, article: ArticleInput) -> ArticlePlan:
        article_id, text, published, source = article
        day = published_date(published)
        publication = source or "the publication"
        chunks = split_into_chunks(text, self.chunk_tokens)
        requests = []
        for chunk in chunks:
            variables = {
                "article_text": text[chunk.start : chunk.end],
                "published": day.isoformat() if day else "on an unknown date",
                "publication": publication,
            }
            key = request_key(self.settings, self.prompt.render(variables), ArticleExtraction)
            requests.append((key, variables))
        return ArticlePlan(article_id, text, day, publication, chunks, requests)

    def request_bodies(self, plan: ArticlePlan) -> list[tuple[str, dict[str, Any]]]:
        """Each chunk's request key and the chat-completions body a live call would send."""
        index = ArticleIndex(plan.text)
        return [
            (
                key,
                request_body(
                    self.settings,
                    ArticleExtraction,
                    self.prompt.messages(),
                    plan.validation_context(variables, index),
                ),
            )
            for key, variables in plan.requests
        ]

    def cached_answers(self, store: Store, plans: Sequence[ArticlePlan]) -> dict[str, Any]:
        if not self.use_cache:
            return {}
        with store.read() as con:
            return llm_log.cached_responses(
                con, [key for plan in plans for key, _ in plan.requests]
            )

    async def extract(
        self, plan: ArticlePlan, cache: dict[str, Any], purpose: str = "extract"
    ) -> ExtractOutcome:
        settings, prompt = self.settings, self.prompt
        record = new_record(plan.article_id, "llm", settings.model, prompt.id, settings.mode)
        record.chunks = len(plan.chunks)
        index = ArticleIndex(plan.text)
        items: list[Item] = []
        calls: list[CallRecord] = []
        cache_entries: list[tuple[str, Any]] = []
        dropped: list[str] = []
        unreachable = False
        for chunk, (key, variables) in zip(plan.chunks, plan.requests, strict=True):
            validation = plan.validation_context(variables, index)
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

                result = await self.ask(key, validation, lenient, purpose, plan.article_id)
                calls.extend(result.calls)
                if result.value is None:
                    record.status = "failed"
                    record.error = result.error
                    unreachable = result.transport_failure
                    break
                answer = ArticleExtraction.model_validate(result.value.model_dump())
                cache_entries.append(
                    (key, {"answer": answer.model_dump(), "dropped": chunk_dropped})
                )
            dropped.extend(chunk_dropped)
            try:
                items.extend(
                    items_from_answer(answer, index, chunk, plan.published, plan.publication)
                )
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
        return ExtractOutcome(record, merged, calls, cache_entries, unreachable)

    async def ask(
        self,
        key: str,
        validation: dict[str, Any],
        lenient: Callable[[dict[str, Any]], ArticleExtraction],
        purpose: str,
        article_id: str,
    ) -> CallResult:
        """One chunk's answer: from the finished batch when there is one, else a call."""
        ask = structured_call if self.batch_answers is None else self.batch_answers.ask
        async with self.session.limit:
            return await ask(
                self.session.client,
                self.settings,
                response_model=ArticleExtraction,
                messages=self.prompt.messages(),
                context=validation,
                prompt_id=self.prompt.id,
                request_hash=key,
                purpose=purpose,
                article_id=article_id,
                lenient=lenient,
                breaker=self.session.breaker,
            )
