"""The LLM tracking judge: one call per article judges all of its candidate items together.

The model sees the new article and a numbered list of earlier items (kind, speaker, text, quote,
status, condition, deadline) and answers one judgement per candidate: a relation, the new status,
and the evidence copied verbatim from the new article. The evidence is grounded like extraction
quotes: a validator rejects evidence that is not in the article (instructor re-asks with the
reason); after the re-asks, ungrounded judgements are dropped and counted on the tracking record.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from claimtrack.extraction.grounding import ArticleIndex
from claimtrack.llm import (
    CallRecord,
    LLMSettings,
    cached_call,
    request_key,
    structured_call,
)
from claimtrack.prompts import Prompt
from claimtrack.store import proposals as rows
from claimtrack.tracking.pipeline import ArticleToTrack, _linked_item, _undated_note
from claimtrack.tracking.statuses import STATUSES, Relation, status_for, valid_status


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


@dataclass
class LLMOutcome:
    judgements: list[rows.Judgement]
    calls: list[CallRecord]
    cache_entries: list[tuple[str, Any]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    error: str | None = None
    transport_failure: bool = False


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
            "kind": item["kind"],
            "speaker": item["speaker_canonical"] or item["speaker"] or "unknown",
            "text": item["text"],
            "quote": item["quote"],
            "status": item["status"],
            "condition": item["condition"],
            "deadline": item["deadline"],
            "published": item["article_published"] or "unknown date",
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
    return Request(key, variables, [c["kind"] for c in candidates], [c["id"] for c in candidates])


async def judge_with_llm(
    client: Any,
    settings: LLMSettings,
    prompt: Prompt,
    article: ArticleToTrack,
    request: Request | None,
    cache: dict[str, Any],
    limit: asyncio.Semaphore,
) -> LLMOutcome:
    if request is None:
        return LLMOutcome([], [])
    index = ArticleIndex(article.text)
    validation = {**request.variables, "article": index, "kinds": request.kinds}
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

        async with limit:
            result = await structured_call(
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
            )
        calls = result.calls
        if result.value is None:
            return LLMOutcome(
                [], calls, error=result.error, transport_failure=result.transport_failure
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
        hit = hits[item_id]
        note = _undated_note(article, hit)
        evidence = (span.start, span.end)
        judgements.append(
            rows.Judgement(
                item_id=item_id,
                relation=judgement.relation,
                to_status=None if judgement.relation == "repeats" else to_status,
                span=evidence,
                quote=span.of(article.text),
                reason=f"{judgement.reason}; {note}" if note else judgement.reason,
                score=hit.score,
                order_basis=hit.order_basis,
                linked_item_id=_linked_item(article, evidence)
                if judgement.relation == "repeats"
                else None,
            )
        )
    return LLMOutcome(judgements, calls, cache_entries, dropped)
