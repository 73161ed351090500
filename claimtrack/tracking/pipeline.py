"""Tracking runs: each extracted article not yet tracked is judged against earlier items.

Backfill: when an article arrives after later articles were already tracked (an archive ingested
late), a later article whose top candidates now include its items is judged again against those
items only (:func:`work_pages`), once per run however many pages of late articles there are.

For every pending article (oldest first): retrieval picks the top ``k`` earlier items
(:mod:`claimtrack.tracking.retrieval`, no model involved), then one judge looks at all of them at
once — the rules judge, or **one** LLM call per article whatever the number of items in the store.
Each relation that changes or supports a status becomes a proposal; ``repeats`` becomes a link.
An article's proposals, links and tracking record are written in one transaction, and proposal ids
are content hashes, so tracking an article twice creates nothing new and a killed run is finished
by the next.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimtrack.extraction.grounding import ArticleIndex
from claimtrack.store import Store, llm_log, utc_now
from claimtrack.store import proposals as rows
from claimtrack.tracking.embeddings import EmbeddingSearch, fuse
from claimtrack.tracking.retrieval import Hit, ItemIndex, Order, name_keys

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


@dataclass
class ArticleToTrack:
    """One pending article with the candidates retrieval found for it."""

    article_id: str
    text: str
    title: str | None
    order: Order
    hits: list[Hit]
    items: dict[str, dict[str, Any]]  # candidate id -> fields, with the current status
    own_items: list[dict[str, Any]]  # what was extracted from this article
    sentences: list[tuple[int, int]]
    backfill: bool = False  # tracked before: judged again against a late earlier article


def build_index(store: Store) -> ItemIndex:
    with store.read() as con:
        return ItemIndex(rows.indexed_items(con))


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

    by_id = {item.id: item for item in index.items} if embeddings else {}
    with store.read() as con:  # one connection for the page's articles ...
        rows_read = [rows.article_for_tracking(con, article_id) for article_id in article_ids]
    found = []
    for article_id, text, title, published, seq in rows_read:  # ... none while searching ...
        sentences = split_sentences(text)
        order = Order(published, seq)
        hits = index.candidates(sentences, text, article_id, order, k)
        if embeddings is not None:
            nearest = embeddings.hits(store, by_id, sentences, text, article_id, order, k)
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


def _record(
    article: ArticleToTrack, backend: str, model: str | None, prompt_id: str
) -> rows.TrackingRecord:
    started = utc_now()
    record = rows.TrackingRecord(
        id=rows.tracking_id(article.article_id, backend, model, prompt_id),
        article_id=article.article_id,
        backend=backend,
        model=model,
        prompt_id=prompt_id,
        started_at=started,
        finished_at=started,
        candidates=len(article.hits),
        backfill=article.backfill,
    )
    bases = {hit.order_basis for hit in article.hits}
    record.order_basis = "ingestion" if "ingestion" in bases else "published"
    return record


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


def _undated_note(article: ArticleToTrack, hit: Hit) -> str | None:
    if hit.order_basis != "ingestion":
        return None
    if article.order.published is None:
        return "order assumed from ingestion: this article has no date"
    if hit.item.order.published is None:
        return "order assumed from ingestion: the item's article has no date"
    return "order assumed from ingestion: both articles are of the same day"


def _linked_item(article: ArticleToTrack, span: tuple[int, int] | None) -> str | None:
    """The later article's own item that lies in (or around) the evidence span."""
    if span is None:
        return None
    for own in article.own_items:
        start, end = own["span"]
        if start < span[1] and span[0] < end:
            return str(own["id"])
    return None


def _finish(
    report: TrackReport, outcomes: Sequence[tuple[rows.TrackingRecord, list[rows.Judgement]]]
) -> None:
    for record, _ in outcomes:
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


# -- rules ----------------------------------------------------------------------------------------


def judge_with_rules(article: ArticleToTrack, idf: dict[str, float]) -> list[rows.Judgement]:
    from claimtrack.tracking.rules import judge_article

    speakers: set[str] = set()
    for own in article.own_items:
        speakers |= name_keys(own["speaker"])
    hits = {hit.item.id: hit for hit in article.hits if hit.item.id in article.items}
    verdicts = judge_article(
        article.text,
        article.sentences,
        [article.items[item_id] for item_id in hits],
        own_speakers=speakers,
        idf=idf,
    )
    judgements = []
    for item_id, verdict, span in verdicts:
        hit = hits[item_id]
        note = _undated_note(article, hit)
        judgements.append(
            rows.Judgement(
                item_id=item_id,
                relation=verdict.relation,
                to_status=verdict.to_status,
                span=span,
                quote=article.text[span[0] : span[1]],
                reason=f"{verdict.reason}; {note}" if note else verdict.reason,
                score=hit.score,
                order_basis=hit.order_basis,
                linked_item_id=_linked_item(article, span)
                if verdict.relation == "repeats"
                else None,
            )
        )
    return judgements


def track_with_rules_backend(
    store: Store,
    *,
    only: Sequence[str] | None = None,
    k: int = DEFAULT_K,
    on_progress: Progress | None = None,
    embeddings: EmbeddingSearch | None = None,
) -> TrackReport:
    from claimtrack.tracking.rules import RULES_TRACK_VERSION

    prompt_id = f"track-rules@{RULES_TRACK_VERSION}"
    report = TrackReport(backend="rules", prompt_id=prompt_id, model=None)
    clock = time.perf_counter()
    with store.read() as con:
        pending = rows.pending_articles(
            con, backend="rules", model=None, prompt_id=prompt_id, only=only
        )
    report.articles_pending = len(pending)
    if not pending:
        report.seconds = time.perf_counter() - clock
        return report
    started = time.perf_counter()
    if embeddings is not None:
        embeddings.ensure_items(store)
    index = build_index(store)
    report.index_items = len(index)
    report.index_seconds = time.perf_counter() - started
    done = 0
    owed: dict[str, str] = {}  # late article -> the backfill judgement of it that failed
    pages = work_pages(
        store, index, pending, k, embeddings, backend="rules", model=None, prompt_id=prompt_id
    )
    while True:
        started = time.perf_counter()
        planned, finishing = next(pages, ([], -1))
        report.retrieval_seconds += time.perf_counter() - started
        if finishing < 0:
            break
        outcomes = []
        for article in planned:
            record = _record(article, "rules", None, prompt_id)
            try:
                judgements = judge_with_rules(article, index.idf)
            except Exception as error:  # a rule bug costs this article, not the run
                record.status = "failed"
                record.error = f"rules judge failed: {type(error).__name__}: {error}"
                judgements = []
            record.judged = len(article.hits)
            record.finished_at = utc_now()
            outcomes.append((record, judgements))
        _settle_backfill(planned, [record for record, _ in outcomes], owed)
        with store.write() as con:
            rows.save_trackings(con, outcomes, utc_now())
        _finish(report, outcomes)
        done += finishing
        if on_progress and finishing:
            on_progress(done, len(pending))
    _embedding_figures(report, embeddings)
    report.seconds = time.perf_counter() - clock
    return report


def _embedding_figures(report: TrackReport, embeddings: EmbeddingSearch | None) -> None:
    if embeddings is not None:
        report.embedding_requests = embeddings.requests
        report.embedding_error = embeddings.error


# -- llm ------------------------------------------------------------------------------------------


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
    from claimtrack.llm import LLMUnavailable

    report = TrackReport(backend="llm", prompt_id=prompt.id, model=settings.model)
    clock = time.perf_counter()
    with store.read() as con:
        pending = rows.pending_articles(
            con, backend="llm", model=settings.model, prompt_id=prompt.id, only=only
        )
    report.articles_pending = len(pending)
    if not pending:
        return report
    started = time.perf_counter()
    if embeddings is not None:
        embeddings.ensure_items(store)
    index = build_index(store)
    report.index_items = len(index)
    report.index_seconds = time.perf_counter() - started
    unreachable, needed = asyncio.run(
        _track_llm(
            store,
            settings,
            prompt,
            index,
            pending,
            report,
            k,
            concurrency,
            use_cache,
            on_progress,
            embeddings,
        )
    )
    _embedding_figures(report, embeddings)
    report.seconds = time.perf_counter() - clock
    if unreachable and unreachable == needed:
        error = LLMUnavailable(
            f"the LLM failed for all {needed} article(s) that needed it: "
            f"{report.failed[0]['error']}"
        )
        error.report = report
        raise error
    return report


async def _track_llm(
    store: Store,
    settings: Any,
    prompt: Any,
    index: ItemIndex,
    pending: list[str],
    report: TrackReport,
    k: int,
    concurrency: int,
    use_cache: bool,
    on_progress: Progress | None,
    embeddings: EmbeddingSearch | None = None,
) -> tuple[int, int]:
    """Returns (articles whose call could not reach the endpoint, articles that needed a call)."""
    from claimtrack.llm import build_client
    from claimtrack.tracking.llm_judge import judge_with_llm, request_for

    client = build_client(settings)
    unreachable = needed = 0
    done = 0
    owed: dict[str, str] = {}  # late article -> the backfill judgement of it that failed
    try:
        limit = asyncio.Semaphore(concurrency)
        pages = work_pages(
            store, index, pending, k, embeddings,
            backend="llm", model=settings.model, prompt_id=prompt.id,
        )  # fmt: skip
        while True:
            started = time.perf_counter()
            planned, finishing = await asyncio.to_thread(next, pages, ([], -1))
            report.retrieval_seconds += time.perf_counter() - started
            if finishing < 0:
                break
            requests = [request_for(settings, prompt, article) for article in planned]
            needed += sum(1 for request in requests if request is not None)
            cache: dict[str, Any] = {}
            if use_cache:
                with store.read() as con:
                    cache = llm_log.cached_responses(
                        con, [r.key for r in requests if r is not None]
                    )

            async def one(
                article: ArticleToTrack, request: Any, cache: dict[str, Any] = cache
            ) -> Any:
                record = _record(article, "llm", settings.model, prompt.id)
                outcome = await judge_with_llm(
                    client, settings, prompt, article, request, cache, limit
                )
                record.judged = len(article.hits)
                record.dropped = outcome.dropped
                record.llm_calls = sum(1 for call in outcome.calls if call.outcome != "cached")
                if outcome.error is not None:
                    record.status = "failed"
                    record.error = outcome.error
                record.finished_at = utc_now()
                return record, outcome

            results = await asyncio.gather(
                *(one(article, request) for article, request in zip(planned, requests, strict=True))
            )
            _settle_backfill(planned, [record for record, _ in results], owed)

            def save(results: list[Any] = results) -> None:
                now = utc_now()
                with store.write() as con:
                    rows.save_trackings(con, [(record, o.judgements) for record, o in results], now)
                    for _, outcome in results:
                        llm_log.record_calls(con, outcome.calls)
                        for key, answer in outcome.cache_entries:
                            llm_log.cache_response(
                                con, key, model=settings.model, prompt_id=prompt.id,
                                response=answer, now=now,
                            )  # fmt: skip

            await asyncio.to_thread(save)
            _finish(report, [(record, o.judgements) for record, o in results])
            for _, outcome in results:
                for call in outcome.calls:
                    if call.outcome == "cached":
                        report.cache_hits += 1
                    else:
                        report.llm_calls += 1
                if outcome.transport_failure:
                    unreachable += 1
            done += finishing
            if on_progress and finishing:
                on_progress(done, len(pending))
    finally:
        if client.client is not None:
            await client.client.close()
    return unreachable, needed


def ground(index: ArticleIndex, quote: str) -> tuple[int, int] | None:
    span = index.locate(quote)
    return (span.start, span.end) if span else None
