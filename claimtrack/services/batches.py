"""Backfills through the OpenAI Batch API: ``extract --batch`` and ``track --batch``.

Each run does two things, in this order:

1. **Collect.** It asks the endpoint about every batch submitted earlier for the same work
   (extract or track, with the same model and prompt). A completed batch's output is read into
   the same page driver, response model, grounding and storage path as a live run
   (:class:`~claimtrack.llm.BatchAnswers` stands in for the call), and the batch is marked
   ``collected``. A batch still running is reported and left alone; a failed, expired or
   cancelled one is reported, and its articles are left for a normal run.
2. **Submit.** The articles still pending that no batch was submitted for before become one
   JSONL file of chat-completions requests (the exact bodies a live call sends), uploaded
   (``/v1/files``, purpose "batch") and turned into a batch (``/v1/batches``, 24 h window).
   The batch and its articles are recorded in the store, and the run returns at once.

While a batch is ``submitted``, its articles are not pending for a normal run (their answers
are paid for). Nothing else is queued: the ``llm_batches`` table is the only state, so a run
interrupted anywhere between submitting and collecting loses nothing (collecting again reads
the same output; articles already stored are no longer pending). An article whose batch
answer could not be used (not grounded, cut off, refused) is recorded as failed and left for a
normal run, which can re-ask; it is not submitted again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.config import Settings
from claimtrack.services.extract import DEFAULT_PROMPT, ExtractOptions, article_ids
from claimtrack.services.track import DEFAULT_TRACK_PROMPT, TrackOptions, embedding_search
from claimtrack.store import Store, Transaction, utc_now
from claimtrack.store import batches as batch_rows
from claimtrack.store import items as item_rows
from claimtrack.store import trackings as tracking_rows

if TYPE_CHECKING:
    from claimtrack.extraction.pipeline import ExtractReport
    from claimtrack.llm import BatchAnswers, BatchEndpoint, BatchState, LLMSettings
    from claimtrack.tracking.pipeline import TrackReport

MAX_REQUESTS = 50_000  # the Batch API's limit of requests per batch
MAX_BYTES = 190 * 1024 * 1024  # under its 200 MB limit per input file


@dataclass(frozen=True)
class BatchWork:
    """What a batch does: the work (``extract`` or ``track``) with one model, prompt and mode."""

    purpose: str
    settings: LLMSettings
    prompt_id: str

    @property
    def model(self) -> str:
        return self.settings.model


@dataclass
class BatchRun:
    """What one ``--batch`` run did with the batches: each list holds one entry per batch."""

    collected: list[dict[str, Any]] = field(default_factory=list)
    waiting: list[dict[str, Any]] = field(default_factory=list)
    ended: list[dict[str, Any]] = field(default_factory=list)  # failed, expired, cancelled
    submitted: list[dict[str, Any]] = field(default_factory=list)
    left_for_live_run: int = 0  # pending articles an earlier batch was already submitted for

    def to_json(self) -> dict[str, Any]:
        return {
            "collected": self.collected,
            "waiting": self.waiting,
            "ended": self.ended,
            "submitted": self.submitted,
            "left_for_live_run": self.left_for_live_run,
        }


@dataclass
class ExtractBatchRun:
    report: ExtractReport  # what collecting stored (empty when nothing was collected)
    batches: BatchRun


@dataclass
class TrackBatchRun:
    report: TrackReport
    batches: BatchRun


# -- extraction -----------------------------------------------------------------------------------


def extract_in_batches(
    store: Store,
    settings: Settings,
    options: ExtractOptions,
    *,
    article_refs: Sequence[str] = (),
) -> ExtractBatchRun:
    """Collect the finished extraction batches, then submit the articles still pending."""
    from claimtrack.extraction.llm_extractor import LLMExtractor
    from claimtrack.extraction.pipeline import ExtractReport, extract_articles
    from claimtrack.llm import BatchEndpoint, LLMSettings
    from claimtrack.prompts import load_prompt

    llm_settings = LLMSettings.from_env(model=options.model)
    prompt = load_prompt(options.prompt_name or DEFAULT_PROMPT)
    extractor = LLMExtractor(
        llm_settings,
        prompt,
        concurrency=options.concurrency,
        use_cache=options.use_cache,
        chunk_tokens=options.chunk_tokens or settings.chunk_tokens,
    )
    work = BatchWork("extract", llm_settings, prompt.id)
    endpoint = BatchEndpoint(llm_settings)
    run = BatchRun()
    report = ExtractReport(backend="llm", prompt_id=prompt.id, model=llm_settings.model)
    collected = _collect(store, endpoint, work, run)
    if collected is not None:
        extractor.batch_answers, batch_ids, covered = collected
        report = extract_articles(store, extractor, only=covered)
        _mark_collected(store, batch_ids)
    with store.read() as con:
        pending = item_rows.pending_articles(
            con,
            backend="llm",
            model=llm_settings.model,
            prompt_id=prompt.id,
            only=article_ids(store, article_refs),
        )
    writer = _BatchWriter(store, endpoint, work, run)
    for first in range(0, len(pending), extractor.page_size):
        with store.read() as con:
            page = _not_batched(con, work, pending[first : first + extractor.page_size], run)
            inputs = item_rows.article_inputs(con, page)
        for article in inputs:
            plan = extractor.plan(article)
            writer.add(plan.article_id, extractor.request_bodies(plan))
    writer.submit()
    return ExtractBatchRun(report, run)


# -- tracking -------------------------------------------------------------------------------------


def track_in_batches(
    store: Store,
    settings: Settings,
    options: TrackOptions,
    *,
    article_refs: Sequence[str] = (),
) -> TrackBatchRun:
    """Collect the finished tracking batches, then submit the articles still pending: each
    one's candidates found as a live run finds them, and its judging request written down."""
    from claimtrack.llm import BatchEndpoint, LLMSettings
    from claimtrack.prompts import load_prompt
    from claimtrack.tracking.llm_judge import LLMJudge
    from claimtrack.tracking.pipeline import TrackReport, track_articles

    llm_settings = LLMSettings.from_env(model=options.model)
    prompt = load_prompt(options.prompt_name or DEFAULT_TRACK_PROMPT)
    judge = LLMJudge(
        llm_settings, prompt, concurrency=options.concurrency, use_cache=options.use_cache
    )
    embeddings = embedding_search(settings, options.model)
    work = BatchWork("track", llm_settings, prompt.id)
    endpoint = BatchEndpoint(llm_settings)
    run = BatchRun()
    report = TrackReport(backend="llm", prompt_id=prompt.id, model=llm_settings.model)
    collected = _collect(store, endpoint, work, run)
    if collected is not None:
        judge.batch_answers, batch_ids, covered = collected
        report = track_articles(store, judge, only=covered, k=options.k, embeddings=embeddings)
        _mark_collected(store, batch_ids)
    with store.read() as con:
        pending = tracking_rows.pending_articles(
            con,
            backend="llm",
            model=llm_settings.model,
            prompt_id=prompt.id,
            only=article_ids(store, article_refs),
        )
        pending = _not_batched(con, work, pending, run)
    unsent = _submit_tracking(store, endpoint, work, prompt, pending, options, embeddings, run)
    if unsent and collected is None:  # no candidates: judged at once, without a model call
        report = track_articles(store, judge, only=unsent, k=options.k, embeddings=embeddings)
    return TrackBatchRun(report, run)


def _submit_tracking(
    store: Store,
    endpoint: BatchEndpoint,
    work: BatchWork,
    prompt: Any,
    pending: list[str],
    options: TrackOptions,
    embeddings: Any,
    run: BatchRun,
) -> list[str]:
    """Submit the judging requests of ``pending`` (and of the later articles their arrival
    makes judged again), with the candidates a live run would give them, page by page; returns
    the articles left out because none of them needs a model call (no candidates)."""
    if not pending:
        return []
    from claimtrack.tracking.llm_judge import batch_request, request_for
    from claimtrack.tracking.pipeline import load_index, work_pages

    if embeddings is not None:
        embeddings.ensure_items(store)
    index, _ = load_index(store)  # the persisted index a live run reads, brought up to date
    pages = work_pages(
        store, index, pending, options.k, embeddings,
        backend="llm", model=work.model, prompt_id=work.prompt_id,
    )  # fmt: skip
    writer = _BatchWriter(store, endpoint, work, run)
    for planned, _ in pages:
        for article in planned:
            request = request_for(work.settings, prompt, article)
            bodies = []
            if request is not None:
                bodies.append((request.key, batch_request(work.settings, prompt, article, request)))
            writer.add(None if article.backfill else article.article_id, bodies)
    writer.submit()
    return writer.unsent


# -- batches: polling, writing, submitting --------------------------------------------------------


def _collect(
    store: Store, endpoint: BatchEndpoint, work: BatchWork, run: BatchRun
) -> tuple[BatchAnswers, list[str], list[str]] | None:
    """The answers of every finished batch for ``work``, the batches' ids and their articles
    (each batch marked ``collecting``); None when none has finished. Batches still running are
    noted in ``run``; failed, expired or cancelled ones are marked so and noted."""
    from claimtrack.llm import BatchAnswers

    with store.read() as con:
        batches = batch_rows.open_batches(
            con, purpose=work.purpose, model=work.model, prompt_id=work.prompt_id
        )
    finished: list[tuple[batch_rows.BatchRow, BatchState]] = []
    for batch in batches:
        state = endpoint.state(batch.id)
        if state.status == "completed":
            finished.append((batch, state))
        elif state.running:
            run.waiting.append(_described(batch, state))
        else:
            _mark_ended(store, batch, state, run)
    if not finished:
        return None
    lines: dict[str, dict[str, Any]] = {}
    for _, state in finished:
        lines.update(endpoint.output([state.output_file_id, state.error_file_id]))
    batch_ids = [batch.id for batch, _ in finished]
    with store.write() as con:
        for batch_id in batch_ids:
            batch_rows.set_batch_status(con, batch_id, "collecting")
    for batch, state in finished:
        run.collected.append(_described(batch, state))
    covered = sorted({article_id for batch, _ in finished for article_id in batch.article_ids})
    return BatchAnswers(work.settings, ", ".join(batch_ids), lines), batch_ids, covered


def _described(batch: batch_rows.BatchRow, state: BatchState) -> dict[str, Any]:
    return {
        "batch_id": batch.id,
        "status": state.status,
        "articles": len(batch.article_ids),
        "requests": batch.requests,
        "requests_completed": state.completed,
        "requests_failed": state.failed,
        "submitted_at": batch.submitted_at.isoformat(timespec="seconds"),
    }


def _mark_ended(store: Store, batch: batch_rows.BatchRow, state: BatchState, run: BatchRun) -> None:
    error = state.errors or f"the endpoint reports the batch {state.status}"
    with store.write() as con:
        batch_rows.set_batch_status(con, batch.id, state.status, error=error, finished_at=utc_now())
    run.ended.append({**_described(batch, state), "error": error})


def _mark_collected(store: Store, batch_ids: Iterable[str]) -> None:
    now = utc_now()
    with store.write() as con:
        for batch_id in batch_ids:
            batch_rows.set_batch_status(con, batch_id, "collected", finished_at=now)


def _not_batched(con: Transaction, work: BatchWork, pending: list[str], run: BatchRun) -> list[str]:
    """``pending`` without the articles a batch for ``work`` was submitted for before (their
    answers came back unusable, or the batch ended unanswered: a live run re-asks)."""
    if not pending:
        return []
    seen = batch_rows.batched_article_ids(
        con, purpose=work.purpose, model=work.model, prompt_id=work.prompt_id, only=pending
    )
    run.left_for_live_run += len(seen)
    return [article_id for article_id in pending if article_id not in seen]


class _BatchWriter:
    """Request lines written to a JSONL file, each request once; a batch is submitted when
    the file reaches the endpoint's limits (only between articles) and at the end."""

    def __init__(self, store: Store, endpoint: BatchEndpoint, work: BatchWork, run: BatchRun):
        self.store, self.endpoint, self.work, self.run = store, endpoint, work, run
        self.unsent: list[str] = []  # articles of a file that held no request
        self._start()

    def _start(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="claimtrack-batch-")
        self.path = Path(self.folder.name) / f"{self.work.purpose}-requests.jsonl"
        self.file = self.path.open("w", encoding="utf-8")
        self.keys: set[str] = set()
        self.articles: list[str] = []
        self.bytes = 0

    def add(self, article_id: str | None, requests: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """An article's requests; ``article_id`` None for requests the batch answers for an
        article it does not cover (the later articles judged again)."""
        from claimtrack.llm import batch_line

        if len(self.keys) + len(requests) > MAX_REQUESTS or self.bytes > MAX_BYTES:
            self.submit()
            self._start()
        for key, body in requests:
            if key in self.keys:
                continue
            line = batch_line(key, body) + "\n"
            self.file.write(line)
            self.keys.add(key)
            self.bytes += len(line.encode("utf-8"))
        if article_id is not None:
            self.articles.append(article_id)

    def submit(self) -> None:
        """Upload the file, create its batch and record it (nothing when it holds nothing)."""
        self.file.close()
        try:
            if not self.keys:  # its articles need no model call (tracking: no candidates)
                self.unsent.extend(self.articles)
                return
            work = self.work
            metadata = {"claimtrack": work.purpose, "prompt_id": work.prompt_id}
            state = self.endpoint.submit(self.path, metadata)
            row = batch_rows.BatchRow(
                id=state.id,
                purpose=work.purpose,
                model=work.model,
                prompt_id=work.prompt_id,
                mode=work.settings.mode,
                backend_url=work.settings.base_url,
                input_file_id=state.input_file_id,
                requests=len(self.keys),
                status="submitted",
                submitted_at=utc_now(),
                article_ids=tuple(self.articles),
            )
            with self.store.write() as con:
                batch_rows.record_batch(con, row)
            self.run.submitted.append(
                {"batch_id": state.id, "articles": len(self.articles), "requests": len(self.keys)}
            )
        finally:
            self.folder.cleanup()
