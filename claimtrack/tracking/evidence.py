"""What every tracking judge sees and how it words what it found.

:class:`ArticleToTrack` is one later article with the earlier items retrieval found for it; both
judges (:mod:`claimtrack.tracking.rules`, :mod:`claimtrack.tracking.llm_judge`) read it and turn
the evidence they settle on into a stored judgement with :func:`judgement_on`.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.store import trackings as rows
from claimtrack.tracking.retrieval import Hit, Order


@dataclass
class ArticleToTrack:
    """One pending article with the candidates retrieval found for it."""

    article_id: str
    text: str
    title: str | None
    order: Order
    hits: list[Hit]
    items: dict[str, rows.TrackedItem]  # candidate id -> its fields, with the current status
    own_items: list[rows.ArticleItem]  # what was extracted from this article
    sentences: list[tuple[int, int]]
    backfill: bool = False  # tracked before: judged again against a late earlier article


def undated_note(article: ArticleToTrack, hit: Hit) -> str | None:
    """Why the article was taken to come after the item when only ingestion order says so:
    "no date" only for an article that has none; two articles of the same day are ordered by
    their times when both give one (then no note is needed)."""
    if hit.order_basis != "ingestion":
        return None
    if article.order.published is None:
        return "order assumed from ingestion: this article has no date"
    if hit.item.order.published is None:
        return "order assumed from ingestion: the item's article has no date"
    timed = (article.order.time is not None, hit.item.order.time is not None)
    if all(timed):
        return "order assumed from ingestion: both articles give the same date and time"
    untimed = {
        (False, False): "neither gives a time",
        (False, True): "this article gives no time",
        (True, False): "the item's article gives no time",
    }[timed]
    return f"order assumed from ingestion: both articles are of the same day and {untimed}"


def linked_item(article: ArticleToTrack, span: tuple[int, int] | None) -> str | None:
    """The later article's own item that lies in (or around) the evidence span."""
    if span is None:
        return None
    for own in article.own_items:
        start, end = own.span
        if start < span[1] and span[0] < end:
            return own.id
    return None


def judgement_on(
    article: ArticleToTrack,
    hit: Hit,
    *,
    relation: str,
    to_status: str | None,
    span: tuple[int, int],
    reason: str,
) -> rows.Judgement:
    """What ``article`` does to ``hit``'s item, shown by the evidence ``span`` of its text: the
    reason says when the order was assumed, and a repeat links the article's own item there."""
    note = undated_note(article, hit)
    return rows.Judgement(
        item_id=hit.item.id,
        relation=relation,
        to_status=to_status,
        span=span,
        quote=article.text[span[0] : span[1]],
        reason=f"{reason}; {note}" if note else reason,
        score=hit.score,
        order_basis=hit.order_basis,
        linked_item_id=linked_item(article, span) if relation == "repeats" else None,
    )
