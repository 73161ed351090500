"""The one door an extraction backend goes through: an :class:`Extractor` reads pages of articles.

The page driver (:func:`claimtrack.extraction.pipeline.extract_articles`) lists what is pending,
hands the extractor its pages (each read from the store when the extractor takes it), and writes
the outcomes in batches the extractor sets; the extractors differ only in how they find items:
:class:`RulesExtractor` here (no model) and
:class:`~claimtrack.extraction.llm_extractor.LLMExtractor`.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.extraction.models import Item
from claimtrack.extraction.references import attach_references
from claimtrack.store import Store, utc_now
from claimtrack.store import items as item_rows

if TYPE_CHECKING:
    from claimtrack.llm import CallRecord

ArticleInput = tuple[str, str, datetime | None, str | None]  # (id, text, published, source)
RULES_PAGE = 200  # articles read and written per transaction by the rules backend


@dataclass
class ExtractOutcome:
    """One article's extraction: its record, the grounded items, and the calls it took."""

    record: item_rows.ExtractionRecord
    items: list[Item]
    calls: list[CallRecord] = field(default_factory=list)
    cache_entries: list[tuple[str, Any]] = field(default_factory=list)  # (key, answer) to store
    unreachable: bool = False  # the endpoint could not be reached


class Extractor(Protocol):
    """An extraction backend: names what it is (for records and the pending query), says how
    its work is paged, and extracts pages of articles, yielding each outcome as it is done."""

    backend: str
    model: str | None
    prompt_id: str
    page_size: int  # articles read (and held in memory) at once
    save_batch: int  # finished articles written per transaction ...
    save_seconds: float  # ... or after this long, whichever comes first

    @property
    def endpoint_down(self) -> str | None:
        """Why the backend gave up on its endpoint in this run (then no further page is
        worth starting), or None."""

    async def open(self) -> None:
        """Before the first page."""

    def extract_pages(
        self, store: Store, pages: Iterator[Sequence[ArticleInput]]
    ) -> AsyncIterator[ExtractOutcome]:
        """Every article of ``pages`` (each read from the store when it is taken), its outcome
        yielded as soon as it is done."""

    async def close(self) -> None:
        """After the last page (or a failure): release what :meth:`open` took."""


def published_date(published: datetime | None) -> date | None:
    return published.date() if published else None


def new_record(
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


class RulesExtractor:
    """The offline backend (:mod:`claimtrack.extraction.rules`): a whole page per transaction."""

    backend = "rules"
    model: str | None = None
    page_size = RULES_PAGE
    save_batch = RULES_PAGE
    save_seconds = math.inf
    endpoint_down: str | None = None  # it has none

    def __init__(self) -> None:
        from claimtrack.extraction.rules import RULES_VERSION

        self.prompt_id = f"rules@{RULES_VERSION}"

    async def open(self) -> None:
        return None

    async def extract_pages(
        self, store: Store, pages: Iterator[Sequence[ArticleInput]]
    ) -> AsyncIterator[ExtractOutcome]:
        for inputs in pages:
            for article in inputs:
                yield self.extract_article(*article)

    def extract_article(
        self, article_id: str, text: str, published: datetime | None, source: str | None
    ) -> ExtractOutcome:
        from claimtrack.extraction.rules import extract_with_rules

        record = new_record(article_id, "rules", None, self.prompt_id, None)
        try:
            found = extract_with_rules(
                text, published=published_date(published), publication=source
            )
        except Exception as error:  # a rule bug must not stop the run: record it
            record.status = "failed"
            record.error = f"rules backend failed: {type(error).__name__}: {error}"
            found = []
        grounded = [item for item in found if item.quote == text[item.span.start : item.span.end]]
        attach_references(article_id, grounded)
        record.items_found = len(grounded)
        record.items_dropped = len(found) - len(grounded)
        record.finished_at = utc_now()
        return ExtractOutcome(record, grounded)

    async def close(self) -> None:
        return None
