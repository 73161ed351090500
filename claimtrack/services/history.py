"""An item's history: notes, links to evidence made by hand, and the timeline in the order of
the evidence's dates.

- a **note** is an event that keeps the item's status (kind ``note``);
- a **link** ties the item to evidence in another article, found by a quote (verbatim) or by a
  span; it is stored with the links tracking makes (so the time rules count it as news) and is
  an event of kind ``link``. A ``repeats`` link over the article's own item marks that item a
  restatement (it is then not tracked on its own);
- the **timeline** orders events by their evidence article's date; an event without an article
  (a status set by hand, an undo, a note) keeps its place after the event before it; the
  extraction is its own entry, apart from the article dates.

Each call is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimtrack.articles import Article
from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.statuses import RELATIONS, status_for
from claimtrack.store import Store, Transaction, utc_now
from claimtrack.store import articles as article_rows
from claimtrack.store import decisions as decision_rows
from claimtrack.store import items as item_rows
from claimtrack.store import review as review_rows
from claimtrack.store.decisions import ItemEvent, ManualLink
from claimtrack.store.items import StoredItem
from claimtrack.store.review import TimelineEvent

# what a hand-made link may say about the item (``unrelated`` is no link)
LINK_RELATIONS: tuple[str, ...] = tuple(r for r in RELATIONS if r != "unrelated")


class QuoteNotFound(ClaimtrackError):
    """The quote given for a link is not in the article, verbatim (exit 1)."""


@dataclass(frozen=True)
class LinkMade:
    """A link as it was stored: the evidence's span and quote (None for the whole article), how
    often the quote occurs in the article (the first is linked), and the article's own item
    that a ``repeats`` link marked a restatement."""

    item: StoredItem
    article: Article
    relation: str
    span: tuple[int, int] | None
    quote: str | None
    occurrences: int
    restatement_of: str | None  # the article's own item now linked as a restatement


@dataclass(frozen=True)
class ItemHistory:
    """An item, its article, its extraction and its other events by the evidence's date."""

    item: StoredItem
    article: Article
    extraction: TimelineEvent | None
    events: list[TimelineEvent]


def add_note(store: Store, ref: str, text: str, *, actor: str) -> StoredItem:
    """Add a note to the item ``ref`` without changing its status (an event by ``actor``);
    returns the item as it now is."""
    if not text.strip():
        raise UsageError("the note is empty")
    with store.write() as tx:
        item = item_rows.get_item(tx, ref)
        status = decision_rows.current_status(tx, item.id)
        event = ItemEvent(item.id, actor, status, note=text.strip(), kind="note")
        decision_rows.append_item_event(tx, event, utc_now())
        return item_rows.get_item(tx, item.id)


def link_evidence(
    store: Store,
    item_ref: str,
    article_ref: str,
    *,
    actor: str,
    quote: str | None = None,
    span: tuple[int, int] | None = None,
    relation: str = "mentions",
    note: str | None = None,
) -> LinkMade:
    """Link the item ``item_ref`` to evidence in ``article_ref``: the first verbatim
    occurrence of ``quote``, or ``span``, or the whole article; ``relation`` says what the
    evidence does (the status stays: 'claims set-status' changes it)."""
    if quote is not None and span is not None:
        raise UsageError("give a quote or a span, not both")
    with store.write() as tx:
        item = item_rows.get_item(tx, item_ref)
        article = article_rows.get_article(tx, article_ref)
        _check_link(item, article, relation)
        span, occurrences = _evidence_span(article, quote, span)
        found = article.text[span[0] : span[1]] if span else None
        restated = _restatement(tx, item, article, span) if relation == "repeats" else None
        link = ManualLink(item.id, article.id, relation, actor, span, found, restated)
        now = utc_now()
        decision_rows.append_link(tx, link, now)
        said = f"linked by hand as {relation}" + (f": {note}" if note else "")
        status = decision_rows.current_status(tx, item.id)
        event = ItemEvent(item.id, actor, status, article.id, span, found, note=said, kind="link")
        decision_rows.append_item_event(tx, event, now)
        return LinkMade(
            item_rows.get_item(tx, item.id), article, relation, span, found, occurrences, restated
        )


def link_choices(kind: str) -> list[str]:
    """The relations an item of ``kind`` may be linked to evidence as (what a picker offers),
    in the order of :data:`LINK_RELATIONS`."""
    return [r for r in LINK_RELATIONS if r in ("repeats", "mentions") or status_for(r, kind)]


def _check_link(item: StoredItem, article: Article, relation: str) -> None:
    if relation not in LINK_RELATIONS:
        raise UsageError(f"unknown relation {relation!r}: use one of {', '.join(LINK_RELATIONS)}")
    if relation not in link_choices(item.kind):
        raise UsageError(f"'{relation}' does not apply to a {item.kind}")
    if article.id == item.article_id:
        raise UsageError(f"article {article.id} is the item's own article: link a later one")


def _evidence_span(
    article: Article, quote: str | None, span: tuple[int, int] | None
) -> tuple[tuple[int, int] | None, int]:
    """The span the evidence covers and how often the quote occurs (1 for a span)."""
    if span is not None:
        start, end = span
        if not 0 <= start < end <= len(article.text):
            raise UsageError(
                f"span {start}:{end} is outside article {article.id} "
                f"(its text has {len(article.text)} characters)"
            )
        return span, 1
    if quote is None:
        return None, 0
    if not quote.strip():
        raise UsageError("the quote is empty")
    start = article.text.find(quote)
    if start < 0:
        raise QuoteNotFound(
            f"the quote is not in article {article.id} word for word; copy it from "
            f"'claimtrack articles show {article.id}' or give --span START:END"
        )
    return (start, start + len(quote)), article.text.count(quote)


def _restatement(
    tx: Transaction, item: StoredItem, article: Article, span: tuple[int, int] | None
) -> str | None:
    """The article's own item (of the same kind) inside or around ``span``."""
    if span is None:
        return None
    for own in item_rows.list_items(tx, article_id=article.id, kind=item.kind):
        start, end = own.span
        if start < span[1] and span[0] < end:
            return own.id
    return None


def item_history(store: Store, ref: str) -> ItemHistory:
    """The item ``ref`` with its article and its timeline by the evidence's date."""
    with store.read() as con:
        item = item_rows.get_item(con, ref)
        article = article_rows.get_article(con, item.article_id)
        timeline = review_rows.item_timelines(con, [item.id])[item.id]
    extraction = next((event for event in timeline if event.actor == "extraction"), None)
    rest = [event for event in timeline if event is not extraction]
    return ItemHistory(item, article, extraction, by_article_date(rest, article))


def by_article_date(events: Sequence[TimelineEvent], article: Article) -> list[TimelineEvent]:
    """``events`` (oldest recorded first) in the order of their evidence articles' dates; an
    event without a dated article stays after the event recorded before it (the first ones
    after the item's own ``article``)."""
    key = article.published.isoformat() if article.published else ""
    keyed = []
    for event in sorted(events, key=lambda event: event.seq):
        if event.article_published_at:
            key = event.article_published_at
        keyed.append((key, event.seq, event))
    return [event for *_, event in sorted(keyed, key=lambda entry: (entry[0], entry[1]))]
