"""The LLM tracking judge: one call per article judges all of its candidate items together.

The model sees the new article and a numbered list of earlier items (kind, speaker, text, quote,
status, condition, deadline) and answers one judgement per candidate: a relation, the new status,
and the evidence copied verbatim from the new article. The evidence is grounded like extraction
quotes: a validator rejects evidence that is not in the article (instructor re-asks with the
reason); after the re-asks, ungrounded judgements are dropped and counted on the tracking record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from claimtrack.extraction.grounding import ArticleIndex
from claimtrack.llm import (
    BatchAnswers,
    ClientSession,
    EndpointBreaker,
    LLMSettings,
    cached_call,
    request_body,
    request_key,
    structured_call,
)
from claimtrack.prompts import Prompt
from claimtrack.statuses import STATUSES, Relation, status_for, valid_status
from claimtrack.store import Store, llm_log
from claimtrack.tracking.evidence import ArticleToTrack, judgement_on
from claimtrack.tracking.judges import JudgeOutcome
from claimtrack.tracking.retrieval import ItemIndex


class CandidateJudgement(BaseModel):
    """What the new article does to one earlier item."""

    candidate: int = Field(description="The candidate's number, as listed.")
    relation: Relation = Field(
        description="repeats, corroborates, advances, finalizes, fulfils, contradicts, retracts, "
        "triggers, stalls, mentions, or unrelated."
    )
    status: str | None = Field(
        None,
        description="The item's new status if the relation changes it (one of the statuses "
        "listed for the candidate's kind); null to use the relation's usual status.",
    )
    evidence: str | None = Field(
        None,
        description="The words of the NEW article that show it, copied exactly. Required unless "
        "the relation is unrelated.",
    )
    reason: str = Field(description="One short sentence: why.")


class ArticleJudgements(BaseModel):
    """One judgement per candidate item."""

    judgements: list[CandidateJudgement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ArticleJudgements:
        context = info.context or {}
        index = context.get("article")
        kinds = context.get("kinds")
        if not isinstance(index, ArticleIndex) or not isinstance(kinds, list):
            return self
        problems: list[str] = []
        kept = []
        for judgement in self.judgements:
            problem = _problem(judgement, index, kinds)
            if problem is None:
                kept.append(judgement)
            else:
                problems.append(problem)
        if problems and not context.get("lenient"):
            raise ValueError(
                f"{len(problems)} judgement(s) cannot be used: {'; '.join(problems[:5])}. Copy "
                "evidence exactly from the new article, use the candidates' numbers, and only "
                "statuses listed for the candidate's kind."
            )
        self.judgements = kept
        dropped = context.get("dropped")
        if isinstance(dropped, list):
            dropped.extend(problems)
        return self


def _problem(judgement: CandidateJudgement, index: ArticleIndex, kinds: list[str]) -> str | None:
    if not 1 <= judgement.candidate <= len(kinds):
        return f"candidate {judgement.candidate} is not in the list (1-{len(kinds)})"
    if judgement.relation == "unrelated":
        return None
    kind = kinds[judgement.candidate - 1]
    if judgement.status is not None and not valid_status(kind, judgement.status):
        return f"{judgement.status!r} is not a status for a {kind}"
    if not judgement.evidence or index.locate(judgement.evidence) is None:
        shown = repr(judgement.evidence)
        return f"evidence for candidate {judgement.candidate} is not in the article: {shown}"
    return None


@dataclass
class Request:
    key: str
    variables: dict[str, Any]
    kinds: list[str]
    ids: list[str]


def request_for(settings: LLMSettings, prompt: Prompt, article: ArticleToTrack) -> Request | None:
    """The call for ``article``, or None when it has no candidates (no call at all)."""
    candidates = [
        article.items[hit.item.id] for hit in article.hits if hit.item.id in article.items
    ]
    if not candidates:
        return None
    listed = [
        {
            "number": number,
            "kind": item.kind,
            "speaker": item.speaker_canonical or item.speaker or "unknown",
            "text": item.text,
            "quote": item.quote,
            "status": item.status,
            "condition": item.condition,
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "published": (
                item.article_published.isoformat() if item.article_published else "unknown date"
            ),
        }
        for number, item in enumerate(candidates, start=1)
    ]
    published = article.order.published
    variables = {
        "article_text": article.text,
        "article_title": article.title or "",
        "published": published.isoformat() if published else "an unknown date",
        "candidates": listed,
        "claim_statuses": ", ".join(STATUSES["claim"]),
        "commitment_statuses": ", ".join(STATUSES["commitment"]),
    }
    key = request_key(settings, prompt.render(variables), ArticleJudgements)
    return Request(key, variables, [c.kind for c in candidates], [c.id for c in candidates])


def validation_context(request: Request, index: ArticleIndex) -> dict[str, Any]:
    """The request's template variables plus what its answer is validated against."""
    return {**request.variables, "article": index, "kinds": request.kinds}


def batch_request(
    settings: LLMSettings, prompt: Prompt, article: ArticleToTrack, request: Request
) -> dict[str, Any]:
    """The chat-completions body a live call for ``request`` would send."""
    context = validation_context(request, ArticleIndex(article.text))
    return request_body(settings, ArticleJudgements, prompt.messages(), context)


async def judge_with_llm(
    client: Any,
    settings: LLMSettings,
    prompt: Prompt,
    article: ArticleToTrack,
    request: Request | None,
    cache: dict[str, Any],
    limit: asyncio.Semaphore,
    breaker: EndpointBreaker | None = None,
    batch: BatchAnswers | None = None,
) -> JudgeOutcome:
    """One article's judgements: from the cache, the finished ``batch`` when given, or a call."""
    if request is None:
        return JudgeOutcome([])
    index = ArticleIndex(article.text)
    validation = validation_context(request, index)
    dropped: list[str] = []
    cached = cache.get(request.key)
    cache_entries: list[tuple[str, Any]] = []
    if cached is not None:
        answer = ArticleJudgements.model_validate(
            cached["answer"], context={**validation, "lenient": True, "dropped": []}
        )
        dropped = list(cached.get("dropped", []))
        calls = [cached_call(settings, prompt.id, article.article_id, request.key, "track")]
    else:

        def lenient(data: dict[str, Any]) -> ArticleJudgements:
            context = {**validation, "lenient": True, "dropped": dropped}
            return ArticleJudgements.model_validate(data, context=context)

        ask = structured_call if batch is None else batch.ask
        async with limit:
            result = await ask(
                client,
                settings,
                response_model=ArticleJudgements,
                messages=prompt.messages(),
                context=validation,
                prompt_id=prompt.id,
                request_hash=request.key,
                purpose="track",
                article_id=article.article_id,
                lenient=lenient,
                breaker=breaker,
            )
        calls = result.calls
        if result.value is None:
            return JudgeOutcome(
                [],
                calls,
                error=result.error,
                transport_failure=result.transport_failure,
                asked_model=True,
            )
        answer = ArticleJudgements.model_validate(result.value.model_dump())
        cache_entries.append((request.key, {"answer": answer.model_dump(), "dropped": dropped}))
    hits = {hit.item.id: hit for hit in article.hits}
    judgements = []
    seen: set[int] = set()
    for judgement in answer.judgements:
        if judgement.relation == "unrelated" or judgement.candidate in seen:
            continue
        seen.add(judgement.candidate)
        item_id = request.ids[judgement.candidate - 1]
        kind = request.kinds[judgement.candidate - 1]
        span = index.locate(judgement.evidence or "")
        if span is None:  # validated above; a cache entry from another version of the text
            continue
        to_status = judgement.status or status_for(judgement.relation, kind)
        if judgement.relation not in ("repeats", "mentions") and to_status is None:
            dropped.append(f"{judgement.relation!r} does not apply to a {kind}")
            continue
        judgements.append(
            judgement_on(
                article,
                hits[item_id],
                relation=judgement.relation,
                to_status=None if judgement.relation == "repeats" else to_status,
                span=(span.start, span.end),
                reason=judgement.reason,
            )
        )
    return JudgeOutcome(judgements, calls, cache_entries, dropped, asked_model=True)


class LLMJudge:
    """The LLM judge page by page: each page's cached answers read at once, then one call per
    article that has candidates, at most ``concurrency`` at a time (or, with ``batch_answers``
    set, each answer read from a finished batch)."""

    backend = "llm"

    def __init__(
        self, settings: LLMSettings, prompt: Prompt, *, concurrency: int, use_cache: bool
    ) -> None:
        self.settings = settings
        self.prompt = prompt
        self.model: str | None = settings.model
        self.prompt_id = prompt.id
        self.use_cache = use_cache
        self.session = ClientSession(settings, concurrency)
        self.batch_answers: BatchAnswers | None = None

    @property
    def endpoint_down(self) -> str | None:
        return self.session.breaker.reason

    async def open(self, index: ItemIndex) -> None:
        await self.session.open()

    async def judge_page(self, store: Store, page: Sequence[ArticleToTrack]) -> list[JudgeOutcome]:
        requests = [request_for(self.settings, self.prompt, article) for article in page]
        cache: dict[str, Any] = {}
        if self.use_cache:
            with store.read() as con:
                cache = llm_log.cached_responses(con, [r.key for r in requests if r is not None])
        return list(
            await asyncio.gather(
                *(
                    judge_with_llm(
                        self.session.client,
                        self.settings,
                        self.prompt,
                        article,
                        request,
                        cache,
                        self.session.limit,
                        self.session.breaker,
                        self.batch_answers,
                    )
                    for article, request in zip(page, requests, strict=True)
                )
            )
        )

    async def close(self) -> None:
        await self.session.close()
