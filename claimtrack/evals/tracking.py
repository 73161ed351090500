"""Scoring tracking against gold cases: retrieval recall, relation accuracy, proposals.

A tracking suite is a folder with ``articles.jsonl`` (the articles, as ``claimtrack ingest`` reads
them) and ``cases.jsonl`` (see ``evals/tracking/README.md``): an earlier item, a later article, and
the expected relation, status and evidence. The run builds a scratch database: the articles, the
gold earlier items, and, as distractors, everything the rules backend extracts from the articles.
Then:

- **retrieval**: for each related case, is the earlier item among the top ``k`` candidates that
  retrieval picks for the later article, out of every item of earlier articles? (recall@k; an
  item the rules extracted over the same words of the same article counts as the same statement)
- **judging**: each later article is judged once against the gold items of its cases (one LLM
  call per article for the llm backend), and each case's predicted relation and status compared
  with the gold: relation accuracy and macro-F1, and proposal precision and recall (a proposal is
  right when it proposes the expected status for the expected item).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from claimtrack.errors import UsageError
from claimtrack.extraction.deadlines import resolve_deadline
from claimtrack.extraction.grounding import ArticleIndex
from claimtrack.extraction.models import Item
from claimtrack.statuses import NEEDS_A_FACT, RELATION_FAMILIES, RELATIONS
from claimtrack.store import Store, utc_now
from claimtrack.store import articles as article_rows
from claimtrack.store import items as item_rows
from claimtrack.store import trackings as rows
from claimtrack.tracking.evidence import ArticleToTrack
from claimtrack.tracking.pipeline import DEFAULT_K, build_index, plan_articles
from claimtrack.tracking.retrieval import Hit, IndexedItem, order_basis

CASES_FILE = "cases.jsonl"
ARTICLES_FILE = "articles.jsonl"
RECALL_KS = (8, 16, 32, 48, 64)


def is_tracking_suite(path: Path) -> bool:
    return (path / CASES_FILE).is_file() and (path / ARTICLES_FILE).is_file()


@dataclass
class CaseResult:
    id: str
    expected_relation: str
    expected_status: str | None
    predicted_relation: str
    predicted_status: str | None
    evidence: str | None
    retrieved_rank: int | None  # 1-based rank among the later article's candidates
    split: str = "all"  # the case's split ("train": fitted on; "dev": kept out)
    evidence_factuality: str | None = None  # the predicted evidence's factuality label

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "expected": {"relation": self.expected_relation, "to_status": self.expected_status},
            "predicted": {
                "relation": self.predicted_relation,
                "to_status": self.predicted_status,
                "evidence": self.evidence,
            },
            "correct": self.predicted_relation == self.expected_relation,
            "retrieved_rank": self.retrieved_rank,
            "split": self.split,
            "evidence_factuality": self.evidence_factuality,
        }


def read_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    with (path / CASES_FILE).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                case["earlier"]["quote"], case["later"]["article_id"], case["expected"]["relation"]
            except (ValueError, KeyError, TypeError) as error:
                raise UsageError(
                    f"{path / CASES_FILE}:{number}: not a tracking case ({error})"
                ) from error
            if case["expected"]["relation"] not in RELATIONS:
                raise UsageError(
                    f"{path / CASES_FILE}:{number}: unknown relation "
                    f"{case['expected']['relation']!r}"
                )
            cases.append(case)
    return cases


def _day(published: Any) -> date | None:
    """The day of an article's ``published`` (a date, a datetime, or None)."""
    return published.date() if isinstance(published, datetime) else published


def _scratch_store(
    path: Path, folder: Path, cases: list[dict[str, Any]]
) -> tuple[Store, dict[str, str], dict[str, str]]:
    """A database with the suite's articles, the gold earlier items and the rules' items.

    Returns the store, external article id -> article id, and case id -> gold item id."""
    from claimtrack.extraction.pipeline import extract_with_rules_backend, stored_rows
    from claimtrack.ingest import Limits, ingest_paths

    store = Store(folder / "eval.duckdb")
    report = ingest_paths(
        [str(path / ARTICLES_FILE)], store, limits=Limits(max_article_bytes=10**8)
    )
    if report.failed:
        raise UsageError(f"{path / ARTICLES_FILE}: {report.failed[0].message}")
    with store.read() as con:
        ids = article_rows.ids_by_external_id(con)
        texts = article_rows.article_texts(con, list(ids.values()))
        published = {id_: article_rows.get_article(con, id_).published for id_ in ids.values()}
    by_article: dict[str, list[Item]] = defaultdict(list)
    case_items: dict[str, str] = {}
    for case in cases:
        earlier, later = case["earlier"], case["later"]
        for external in (earlier["article_id"], later["article_id"]):
            if external not in ids:
                raise UsageError(
                    f"case {case['id']}: article {external!r} is not in {ARTICLES_FILE}"
                )
        article_id = ids[earlier["article_id"]]
        span = ArticleIndex(texts[article_id]).locate(earlier["quote"])
        if span is None:
            raise UsageError(f"case {case['id']}: the earlier quote is not in its article")
        item = Item(
            kind=earlier["kind"],
            span=span,
            quote=span.of(texts[article_id]),
            text=earlier.get("text") or earlier["quote"],
            speaker=earlier.get("speaker"),
            speaker_canonical=earlier.get("speaker"),
            actors=list(earlier.get("actors") or []),
            condition=earlier.get("condition"),
            deadline_text=earlier.get("deadline"),
            deadline=resolve_deadline(earlier.get("deadline") or "", _day(published[article_id])),
        )
        by_article[article_id].append(item)
        case_items[case["id"]] = item_rows.item_id(article_id, item.kind, span.start, span.end)
    now = utc_now()
    batch = []
    for article_id, items in by_article.items():
        record = item_rows.ExtractionRecord(
            id=item_rows.extraction_id(article_id, "gold", None, "gold"),
            article_id=article_id,
            backend="gold",
            model=None,
            prompt_id="gold",
            mode=None,
            status="done",
            started_at=now,
            finished_at=now,
            items_found=len(items),
        )
        batch.append((record, items))
    with store.write() as con:
        item_rows.save_extractions(con, stored_rows(batch), now)
    extract_with_rules_backend(store)  # the distractors a real store would hold
    return store, ids, case_items


def run_tracking_suite(
    path: Path,
    backend: str,
    *,
    k: int = DEFAULT_K,
    settings: Any = None,
    prompt: Any = None,
    cache_store: Store | None = None,
) -> tuple[dict[str, float], list[CaseResult], str, list[Any]]:
    """Score ``backend`` on the tracking suite at ``path``; returns metrics, per-case results,
    the judge's prompt id and the LLM calls made (llm backend). With ``cache_store``, the llm
    judge's answers are read from and written to that database's response cache (shared with
    ``claimtrack track``), and its calls logged there."""
    cases = read_cases(path)
    with tempfile.TemporaryDirectory(prefix="claimtrack-eval-") as scratch:
        store, ids, case_items = _scratch_store(path, Path(scratch), cases)
        index = build_index(store)
        later_ids = sorted({ids[c["later"]["article_id"]] for c in cases})
        ranks = _retrieval_ranks(store, index, later_ids, cases, ids, case_items, k)
        judged, prompt_id, calls = _judge(
            store, index, backend, later_ids, cases, ids, case_items, settings, prompt, cache_store
        )
    results = []
    for case in cases:
        later = ids[case["later"]["article_id"]]
        verdict = judged.get((later, case_items[case["id"]]))
        results.append(
            CaseResult(
                id=case["id"],
                expected_relation=case["expected"]["relation"],
                expected_status=case["expected"].get("to_status"),
                predicted_relation=verdict.relation if verdict else "unrelated",
                predicted_status=verdict.to_status if verdict else None,
                evidence=verdict.quote if verdict else None,
                retrieved_rank=ranks.get(case["id"]),
                split=str(case.get("split") or "all"),
                evidence_factuality=_factuality(verdict.quote)
                if verdict and verdict.relation in NEEDS_A_FACT and verdict.quote
                else None,
            )
        )
    return score(results, k), results, prompt_id, calls


def _factuality(evidence: str) -> str:
    """How the evidence of a done-relation reports its event (a check on every judge: the
    offline judge gates on it, the LLM judge is told to)."""
    from claimtrack.tracking.factuality import assess

    return assess(evidence).label


def _retrieval_ranks(
    store: Store,
    index: Any,
    later_ids: list[str],
    cases: list[dict[str, Any]],
    ids: dict[str, str],
    case_items: dict[str, str],
    k: int,
) -> dict[str, int]:
    planned = {a.article_id: a for a in plan_articles(store, index, later_ids, max(*RECALL_KS, k))}
    with store.read() as con:
        spans = item_rows.item_spans(con)

    def same_statement(found: str, gold: str) -> bool:
        """The gold item, or another item over the same words of the same article (the rules'
        extraction of the same statement with other boundaries)."""
        a, b = spans[found], spans[gold]
        return bool(a[0] == b[0] and a[1] < b[2] and b[1] < a[2])

    ranks = {}
    for case in cases:
        article = planned[ids[case["later"]["article_id"]]]
        for rank, hit in enumerate(article.hits, start=1):
            if same_statement(hit.item.id, case_items[case["id"]]):
                ranks[case["id"]] = rank
                break
    return ranks


def _judge(
    store: Store,
    index: Any,
    backend: str,
    later_ids: list[str],
    cases: list[dict[str, Any]],
    ids: dict[str, str],
    case_items: dict[str, str],
    settings: Any,
    prompt: Any,
    cache_store: Store | None = None,
) -> tuple[dict[tuple[str, str], rows.Judgement], str, list[Any]]:
    """Each later article judged once against the gold items of its cases."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        later = ids[case["later"]["article_id"]]
        if case_items[case["id"]] not in wanted[later]:
            wanted[later].append(case_items[case["id"]])
    articles = []
    for article in plan_articles(store, index, later_ids, 1):
        hits = []
        for item_id in wanted[article.article_id]:
            hit = index.hit_for(
                item_id, article.sentences, article.text, article.article_id, article.order
            )
            if hit is None:  # shares no word with the article: the judge sees it all the same
                item: IndexedItem = next(i for i in index.items if i.id == item_id)
                basis = order_basis(item.order, article.order) or "published"
                hit = Hit(item, 0.0, (0, 0), basis, tuple(article.sentences[:3]))
            hits.append(hit)
        with store.read() as con:
            article.items = rows.items_by_id(con, [hit.item.id for hit in hits])
        article.hits = hits
        articles.append(article)
    if backend == "rules":
        from claimtrack.tracking.rules import RULES_TRACK_VERSION, judge_with_rules

        found = {
            (article.article_id, j.item_id): j
            for article in articles
            for j in judge_with_rules(article, index.idf)
        }
        return found, f"track-rules@{RULES_TRACK_VERSION}", []
    judged, calls = asyncio.run(_judge_llm(articles, settings, prompt, cache_store))
    return judged, prompt.id, calls


async def _judge_llm(
    articles: list[ArticleToTrack], settings: Any, prompt: Any, cache_store: Store | None
) -> tuple[dict[tuple[str, str], rows.Judgement], list[Any]]:
    from claimtrack.llm import build_client
    from claimtrack.store import llm_log
    from claimtrack.tracking.llm_judge import judge_with_llm, request_for

    requests = [request_for(settings, prompt, a) for a in articles]
    cache: dict[str, Any] = {}
    if cache_store is not None:
        with cache_store.read() as con:
            cache = llm_log.cached_responses(con, [r.key for r in requests if r is not None])
    client = build_client(settings)
    limit = asyncio.Semaphore(4)
    try:
        outcomes = await asyncio.gather(
            *(
                judge_with_llm(client, settings, prompt, a, request, cache, limit)
                for a, request in zip(articles, requests, strict=True)
            )
        )
    finally:
        if client.client is not None:
            await client.client.close()
    calls = [call for outcome in outcomes for call in outcome.calls]
    if cache_store is not None:
        now = utc_now()
        with cache_store.write() as con:
            llm_log.record_calls(con, calls)
            for outcome in outcomes:
                for key, answer in outcome.cache_entries:
                    llm_log.cache_response(
                        con,
                        key,
                        model=settings.model,
                        prompt_id=prompt.id,
                        response=answer,
                        now=now,
                    )
    failed = [o.error for o in outcomes if o.error]
    if failed and len(failed) == len(outcomes):
        message = f"the LLM failed for every article of the suite: {failed[0]}"
        if all(o.transport_failure for o in outcomes):
            from claimtrack.llm import LLMUnavailable

            raise LLMUnavailable(message)  # exit 75: the endpoint, not the suite; try later
        raise UsageError(message)
    judged = {
        (article.article_id, j.item_id): j
        for article, outcome in zip(articles, outcomes, strict=True)
        for j in outcome.judgements
    }
    return judged, calls


def score(results: list[CaseResult], k: int = DEFAULT_K) -> dict[str, float]:
    """The metrics of all cases, then of each split with its name as a prefix (``dev_...``,
    ``train_...``) when the suite has splits: the dev figures are the ones to report for a judge
    fitted on train."""
    metrics = _score(results, k)
    splits = sorted({r.split for r in results} - {"all"})
    for split in splits:
        for name, value in _score([r for r in results if r.split == split], k).items():
            metrics[f"{split}_{name}"] = value
    return metrics


def _is_proposal(result: CaseResult) -> bool:
    """A status change, or a ``mentions`` (a proposal the reviewer classifies)."""
    return result.predicted_status is not None or result.predicted_relation == "mentions"


def _right(result: CaseResult) -> bool:
    """A right proposal: the expected status, or a mention of an item the article does bear on."""
    if result.predicted_relation == "mentions":
        return result.expected_relation != "unrelated"
    return bool(result.expected_status) and result.predicted_status == result.expected_status


def _score(results: list[CaseResult], k: int) -> dict[str, float]:
    """Relation accuracy and macro-F1, proposal precision/recall/F1 (a ``mentions`` is right when
    the gold has any relation), relation-family accuracy on the links found (``mentions`` left
    out, and their share reported), done-relations whose evidence is not reported as a fact, and
    retrieval recall@k."""
    total = len(results)
    metrics: dict[str, float] = {"cases": float(total)}
    if not total:
        return metrics
    metrics["relation_accuracy"] = (
        sum(r.predicted_relation == r.expected_relation for r in results) / total
    )
    relations = sorted(
        {r.expected_relation for r in results} | {r.predicted_relation for r in results}
    )
    f1s = []
    for relation in relations:
        tp = sum(r.predicted_relation == r.expected_relation == relation for r in results)
        predicted = sum(r.predicted_relation == relation for r in results)
        expected = sum(r.expected_relation == relation for r in results)
        f1s.append(_f1(tp, predicted, expected))
    metrics["relation_macro_f1"] = sum(f1s) / len(f1s)
    proposed = [r for r in results if _is_proposal(r)]
    expected_proposals = [r for r in results if r.expected_status is not None]
    right = sum(_right(r) for r in proposed)
    right_expected = sum(_right(r) for r in expected_proposals if _is_proposal(r))
    metrics["proposal_precision"] = right / len(proposed) if proposed else 0.0
    metrics["proposal_recall"] = (
        right_expected / len(expected_proposals) if expected_proposals else 0.0
    )
    precision, recall = metrics["proposal_precision"], metrics["proposal_recall"]
    metrics["proposal_f1"] = (
        2 * precision * recall / (precision + recall) if precision + recall else 0.0
    )
    metrics["proposals_predicted"] = float(len(proposed))
    metrics["proposals_expected"] = float(len(expected_proposals))
    metrics["mentions_predicted"] = float(sum(r.predicted_relation == "mentions" for r in results))
    found = [
        r for r in results
        if r.expected_relation != "unrelated" and r.predicted_relation not in ("unrelated",)
    ]  # fmt: skip
    decided = [r for r in found if r.predicted_relation != "mentions"]
    metrics["links_found"] = float(len(found))
    metrics["relation_family_accuracy"] = (
        sum(
            RELATION_FAMILIES.get(r.predicted_relation)
            == RELATION_FAMILIES.get(r.expected_relation)
            for r in decided
        )
        / len(decided)
        if decided
        else 0.0
    )
    metrics["links_left_to_reviewer"] = (len(found) - len(decided)) / len(found) if found else 0.0
    metrics["done_without_fact"] = float(
        sum(
            r.predicted_relation in NEEDS_A_FACT and r.evidence_factuality not in (None, "happened")
            for r in results
        )
    )
    related = [r for r in results if r.expected_relation != "unrelated"]
    for at in sorted({*RECALL_KS, k}):
        hit = sum(1 for r in related if r.retrieved_rank is not None and r.retrieved_rank <= at)
        metrics[f"retrieval_recall_at_{at}"] = hit / len(related) if related else 0.0
    metrics["retrieval_k"] = float(k)
    return metrics


def _f1(tp: int, predicted: int, expected: int) -> float:
    precision = tp / predicted if predicted else 0.0
    recall = tp / expected if expected else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
