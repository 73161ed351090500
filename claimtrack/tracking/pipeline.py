"""Tracking runs: each extracted article not yet tracked is judged against earlier items.

Backfill: when an article arrives after later articles were already tracked (an archive ingested
late), a later article whose top candidates now include its items is judged again against those
items only (:func:`work_pages`), once per run however many pages of late articles there are.

For every pending article (oldest first): retrieval picks the top ``k`` earlier items
(:mod:`claimtrack.tracking.retrieval`, no model involved), then one judge looks at all of them at
once — the rules judge, or **one** LLM call per article whatever the number of items in the store.
Both go through one page driver (:func:`track_articles`); a backend is a
:class:`~claimtrack.tracking.judges.Judge`. Each relation that changes or supports a status
becomes a proposal; ``repeats`` becomes a link. A page's proposals, links and tracking records
are written in one transaction, and proposal ids are content hashes, so tracking an article twice
creates nothing new and a killed run is finished by the next.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimtrack.store import Store, llm_log, utc_now
from claimtrack.store import trackings as rows
from claimtrack.tracking.embeddings import EmbeddingSearch, fuse
from claimtrack.tracking.evidence import ArticleToTrack
from claimtrack.tracking.judges import Judge, JudgeOutcome, RulesJudge
from claimtrack.tracking.retrieval import Hit, ItemIndex, Order

DEFAULT_K = 64  # candidate items judged per article (recall on the gold: docs/benchmarks.md)
PAGE = 100  # articles judged and written per transaction

Progress = Callable[[int, int], None]


@dataclass
class TrackReport:
    """What one tracking run did (the counts of this invocation)."""

    backend: str
    prompt_id: str
    model: str | None
    articles_pending: int = 0
    articles_tracked: int = 0
    candidates: int = 0
    proposals_created: int = 0
    links_created: int = 0
    judgements_dropped: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    undated: int = 0  # articles tracked on ingestion order because a date was missing
    backfill_judged: int = 0  # tracked articles judged again against earlier late arrivals
    index_items: int = 0
    embedding_requests: int = 0
    embedding_error: str | None = None  # embeddings failed: lexical candidates only
    index_seconds: float = 0.0
    retrieval_seconds: float = 0.0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model,
            "prompt_id": self.prompt_id,
            "articles_pending": self.articles_pending,
            "articles_tracked": self.articles_tracked,
            "candidates": self.candidates,
            "proposals_created": self.proposals_created,
            "links_created": self.links_created,
            "judgements_dropped": self.judgements_dropped,
            "llm_calls": self.llm_calls,
            "cache_hits": self.cache_hits,
            "failed": self.failed,
            "undated": self.undated,
            "backfill_judged": self.backfill_judged,
            "index_items": self.index_items,
            "embedding_requests": self.embedding_requests,
            "embedding_error": self.embedding_error,
            "seconds": round(self.seconds, 3),
        }


def build_index(store: Store) -> ItemIndex:
    """An index of every item, built in memory (evals, scratch stores)."""
    with store.read() as con:
        return ItemIndex.of_rows(rows.indexed_items(con))


def load_index(store: Store) -> tuple[ItemIndex, str]:
    """The index kept beside the database, brought up to date with the items stored since its
    last update (:mod:`claimtrack.tracking.item_index`), and its lineage."""
    from claimtrack.tracking.item_index import open_index

    index, update = open_index(store)
    return index, update.lineage


def plan_articles(
    store: Store,
    index: ItemIndex,
    article_ids: Sequence[str],
    k: int,
    embeddings: EmbeddingSearch | None = None,
    *,
    keep: Callable[[str, Hit], bool] | None = None,
) -> list[ArticleToTrack]:
    """Read the articles and find their candidates (lexical, fused with the nearest by
    embedding when ``embeddings`` is given). With ``keep(article_id, hit)``, only the candidates
    it keeps are, and an article left with none is left out."""
    from claimtrack.extraction.rules import split_sentences

    with store.read() as con:  # one connection for the page's articles ...
        rows_read = rows.articles_for_tracking(con, article_ids)
    found = []
    for article_id, text, title, published, seq, timed in rows_read:  # ... none while searching
        sentences = split_sentences(text)
        order = Order(published, seq, timed)
        hits = index.candidates(sentences, text, article_id, order, k)
        if embeddings is not None:
            nearest = embeddings.hits(
                store, index.item_by_id, sentences, text, article_id, order, k
            )
            hits = fuse(hits, nearest, k)
        if keep is not None:
            hits = [hit for hit in hits if keep(article_id, hit)]
            if not hits:
                continue
        found.append((article_id, text, title, order, hits, sentences))
    with store.read() as con:  # ... and one for the candidates' rows (two queries a page)
        items = rows.items_by_id(
            con, sorted({hit.item.id for *_, hits, _ in found for hit in hits})
        )
        own = rows.article_items(con, [article_id for article_id, *_ in found])
    return [
        ArticleToTrack(
            article_id,
            text,
            title,
            order,
            hits,
            {hit.item.id: items[hit.item.id] for hit in hits if hit.item.id in items},
            own[article_id],
            sentences,
        )
        for article_id, text, title, order, hits, sentences in found
    ]


def work_pages(
    store: Store,
    index: ItemIndex,
    pending: Sequence[str],
    k: int,
    embeddings: EmbeddingSearch | None,
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
) -> Iterator[tuple[list[ArticleToTrack], int]]:
    """The pages of articles to judge, each with how many pending articles it finishes.

    First the backfill: articles tracked before some of ``pending`` was extracted but coming
    after it in time (an archive ingested after the news that followed it), each with the
    candidates its tracking would have had if those articles had been there (its top ``k`` from
    the whole index, keeping only the items it could not see); an article none of whose top
    ``k`` is such an item is not judged again. Their pages are written before the pending
    articles' own records, so a run killed in between does the backfill again (answered from
    the cache and creating nothing twice: proposal ids are content hashes). Then the pending
    articles."""
    with store.read() as con:
        tracked_at, extracted_at = rows.tracked_later_than(
            con, pending, backend=backend, model=model, prompt_id=prompt_id
        )

    def unseen(article_id: str, hit: Hit) -> bool:
        """An item of a pending article extracted after this article was tracked."""
        extracted = extracted_at.get(hit.item.article_id)
        return extracted is not None and extracted > tracked_at[article_id]

    later = list(tracked_at)
    for first in range(0, len(later), PAGE):
        backfill = plan_articles(store, index, later[first : first + PAGE], k, keep=unseen)
        for article in backfill:
            article.backfill = True
        if backfill:
            yield backfill, 0
    for first in range(0, len(pending), PAGE):
        page = pending[first : first + PAGE]
        yield plan_articles(store, index, page, k, embeddings), len(page)


def _record(article: ArticleToTrack, judge: Judge) -> rows.TrackingRecord:
    started = utc_now()
    record = rows.TrackingRecord(
        id=rows.tracking_id(article.article_id, judge.backend, judge.model, judge.prompt_id),
        article_id=article.article_id,
        backend=judge.backend,
        model=judge.model,
        prompt_id=judge.prompt_id,
        started_at=started,
        finished_at=started,
        candidates=len(article.hits),
        backfill=article.backfill,
    )
    bases = {hit.order_basis for hit in article.hits}
    record.order_basis = "ingestion" if "ingestion" in bases else "published"
    return record


def _judged(record: rows.TrackingRecord, article: ArticleToTrack, outcome: JudgeOutcome) -> None:
    """Complete ``record`` with what the judge made of ``article``."""
    record.judged = len(article.hits)
    record.dropped = outcome.dropped
    record.llm_calls = sum(1 for call in outcome.calls if call.outcome != "cached")
    if outcome.error is not None:
        record.status = "failed"
        record.error = outcome.error
    record.finished_at = outcome.finished_at


def _settle_backfill(
    page: Sequence[ArticleToTrack], records: Sequence[rows.TrackingRecord], owed: dict[str, str]
) -> None:
    """A backfill judgement that failed is owed by the late articles whose items it was to judge:
    their own tracking is recorded as failed, so the next run tracks them again and with them
    redoes the backfill (what succeeded is answered from the cache, and proposal ids are content
    hashes: nothing is created twice). Backfill pages come first, so ``owed`` is complete before
    any late article's own record is written."""
    for article, record in zip(page, records, strict=True):
        if record.backfill and record.status != "done":
            for hit in article.hits:
                owed.setdefault(
                    hit.item.article_id,
                    f"judging the later article {article.article_id} against its items failed: "
                    f"{record.error or 'failed'}",
                )
        elif not record.backfill and record.status == "done" and record.article_id in owed:
            record.status = "failed"
            record.error = owed[record.article_id]


def _save_page(
    store: Store,
    judge: Judge,
    records: Sequence[rows.TrackingRecord],
    outcomes: Sequence[JudgeOutcome],
) -> None:
    """A page's proposals, links, tracking records, calls and cache entries: one transaction."""
    now = utc_now()
    with store.write() as con:
        rows.save_trackings(
            con, [(r, o.judgements) for r, o in zip(records, outcomes, strict=True)], now
        )
        for outcome in outcomes:
            llm_log.record_calls(con, outcome.calls)
            for key, answer in outcome.cache_entries:
                assert judge.model is not None, "only a model's answers are cached"
                llm_log.cache_response(
                    con, key, model=judge.model, prompt_id=judge.prompt_id, response=answer, now=now
                )


def _finish(report: TrackReport, records: Sequence[rows.TrackingRecord]) -> None:
    for record in records:
        if record.backfill:
            if record.status == "done":
                report.backfill_judged += 1
                report.proposals_created += record.proposals_new
                report.links_created += record.links_new
            else:
                report.failed.append(
                    {
                        "article_id": record.article_id,
                        "error": "judging it again against earlier articles that arrived late "
                        "failed (they will be tracked again next run): "
                        f"{record.error or 'failed'}",
                    }
                )
            continue
        if record.status == "done":
            report.articles_tracked += 1
            report.candidates += record.candidates
            report.proposals_created += record.proposals_new
            report.links_created += record.links_new
            report.judgements_dropped += len(record.dropped)
            if record.order_basis == "ingestion":
                report.undated += 1
        else:
            report.failed.append(
                {"article_id": record.article_id, "error": record.error or "failed"}
            )


def _count_calls(report: TrackReport, outcomes: Sequence[JudgeOutcome]) -> None:
    for outcome in outcomes:
        for call in outcome.calls:
            if call.outcome == "cached":
                report.cache_hits += 1
            else:
                report.llm_calls += 1


# -- the page driver ------------------------------------------------------------------------------


def track_articles(
    store: Store,
    judge: Judge,
    *,
    only: Sequence[str] | None = None,
    k: int = DEFAULT_K,
    on_progress: Progress | None = None,
    embeddings: EmbeddingSearch | None = None,
) -> TrackReport:
    """Judge every article ``judge`` has not tracked yet (with the backfill its arrival owes),
    page by page; raises :class:`~claimtrack.llm.LLMUnavailable` when the judge's endpoint failed
    for every article that needed it."""
    report = TrackReport(backend=judge.backend, prompt_id=judge.prompt_id, model=judge.model)
    clock = time.perf_counter()
    with store.read() as con:
        pending = rows.pending_articles(
            con, backend=judge.backend, model=judge.model, prompt_id=judge.prompt_id, only=only
        )
    report.articles_pending = len(pending)
    if not pending:
        report.seconds = time.perf_counter() - clock
        return report
    from threadpoolctl import threadpool_limits

    # the judge's and the vector search's matrices are small: one BLAS thread does them as
    # fast, where more spin on the other cores (bench_track.py at 100k items: CPU 144 s -> 76 s)
    with threadpool_limits(limits=1, user_api="blas"):
        return _track_pending(store, judge, pending, report, clock, k, on_progress, embeddings)


def _track_pending(
    store: Store,
    judge: Judge,
    pending: Sequence[str],
    report: TrackReport,
    clock: float,
    k: int,
    on_progress: Progress | None,
    embeddings: EmbeddingSearch | None,
) -> TrackReport:
    started = time.perf_counter()
    if embeddings is not None:
        embeddings.ensure_items(store, read_all=False)
    index, lineage = load_index(store)
    if embeddings is not None:
        embeddings.use_graph(store, index, lineage)
    report.index_items = len(index) - int(index.dead.sum())
    report.index_seconds = time.perf_counter() - started
    pages = work_pages(
        store, index, pending, k, embeddings,
        backend=judge.backend, model=judge.model, prompt_id=judge.prompt_id,
    )  # fmt: skip
    unreachable, needed = asyncio.run(
        _judge_pages(store, judge, index, pages, len(pending), report, on_progress)
    )
    if embeddings is not None:
        report.embedding_requests = embeddings.requests
        report.embedding_error = embeddings.error
    report.seconds = time.perf_counter() - clock
    if judge.endpoint_down:
        from claimtrack.llm import LLMUnavailable

        error = LLMUnavailable(
            f"gave up on the LLM endpoint: {judge.endpoint_down}; "
            f"{len(pending) - report.articles_tracked} of {len(pending)} article(s) left for "
            "the next run"
        )
        error.report = report
        raise error
    if unreachable and unreachable == needed:
        from claimtrack.llm import LLMUnavailable

        error = LLMUnavailable(
            f"the LLM failed for all {needed} article(s) that needed it: "
            f"{report.failed[0]['error']}"
        )
        error.report = report
        raise error
    return report


async def _judge_pages(
    store: Store,
    judge: Judge,
    index: ItemIndex,
    pages: Iterator[tuple[list[ArticleToTrack], int]],
    pending: int,
    report: TrackReport,
    on_progress: Progress | None,
) -> tuple[int, int]:
    """Returns (articles whose judge could not reach its endpoint, articles that needed it)."""
    unreachable = needed = done = 0
    owed: dict[str, str] = {}  # late article -> the backfill judgement of it that failed
    await judge.open(index)
    try:
        while True:
            started = time.perf_counter()
            planned, finishing = await asyncio.to_thread(next, pages, ([], -1))
            report.retrieval_seconds += time.perf_counter() - started
            if finishing < 0:
                break
            records = [_record(article, judge) for article in planned]
            outcomes = await judge.judge_page(store, planned)
            for record, article, outcome in zip(records, planned, outcomes, strict=True):
                _judged(record, article, outcome)
            _settle_backfill(planned, records, owed)
            await asyncio.to_thread(_save_page, store, judge, records, outcomes)
            _finish(report, records)
            _count_calls(report, outcomes)
            needed += sum(1 for outcome in outcomes if outcome.asked_model)
            unreachable += sum(1 for outcome in outcomes if outcome.transport_failure)
            done += finishing
            if on_progress and finishing:
                on_progress(done, pending)
            if judge.endpoint_down:  # the rest would fail the same way: stop here
                break
    finally:
        await judge.close()
    return unreachable, needed


def track_with_rules_backend(
    store: Store,
    *,
    only: Sequence[str] | None = None,
    k: int = DEFAULT_K,
    on_progress: Progress | None = None,
    embeddings: EmbeddingSearch | None = None,
) -> TrackReport:
    return track_articles(
        store, RulesJudge(), only=only, k=k, on_progress=on_progress, embeddings=embeddings
    )


def track_with_llm_backend(
    store: Store,
    settings: Any,
    prompt: Any,
    *,
    only: Sequence[str] | None = None,
    k: int = DEFAULT_K,
    concurrency: int = 4,
    use_cache: bool = True,
    on_progress: Progress | None = None,
    embeddings: EmbeddingSearch | None = None,
) -> TrackReport:
    """One LLM call per article judges all its candidates; raises
    :class:`~claimtrack.llm.LLMUnavailable` when the endpoint failed for every article."""
    from claimtrack.tracking.llm_judge import LLMJudge

    judge = LLMJudge(settings, prompt, concurrency=concurrency, use_cache=use_cache)
    return track_articles(
        store, judge, only=only, k=k, on_progress=on_progress, embeddings=embeddings
    )
