"""Articles: the text claimtrack reads, identified by a hash of that text.

An article's id is derived from its normalised text, so the same text ingested twice has the same id
and is stored once. Every character offset claimtrack stores later (quotes, evidence spans) points
into ``Article.text`` exactly as stored here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from claimtrack.times import format_published

DatePrecision = Literal["day", "time"]

ID_LENGTH = 16  # hex digits of sha256: 64 bits, no collision expected below billions of articles


def normalize_text(text: str) -> str:
    """The text as claimtrack stores it: one newline convention, no BOM, no surrounding blanks.

    Nothing inside the text changes (no Unicode normalisation, no whitespace folding), so a quote
    copied from the source still matches verbatim.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def article_id(text: str) -> str:
    """Content-hash id of an already normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


@dataclass(slots=True)
class ArticleRecord:
    """An article read from an input, before it is stored."""

    text: str
    origin: str  # where it came from: a path, "path:line", or a URL
    title: str | None = None
    published: datetime | None = None
    published_precision: DatePrecision | None = None
    source: str | None = None
    url: str | None = None
    external_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    story: str | None = None  # the story it belongs to: the record's, a source's, or --story
    published_offset: int | None = None  # minutes east of UTC the source gave; None: no zone
    id: str = field(init=False)  # the content hash of ``text``, computed once

    def __post_init__(self) -> None:
        self.id = article_id(self.text)


@dataclass(slots=True, frozen=True)
class Article:
    """A stored article."""

    id: str
    title: str | None
    published: datetime | None
    published_precision: DatePrecision | None
    source: str | None
    url: str | None
    text: str
    external_id: str | None
    origin: str
    meta: dict[str, Any]
    ingested_at: datetime
    revision_of: str | None
    story: str | None = None
    published_offset: int | None = None  # minutes east of UTC the source gave; None: no zone

    @property
    def published_iso(self) -> str | None:
        """``2026-01-07`` for a date, ``2026-01-07T10:18:14`` when the time is known."""
        if self.published is None:
            return None
        if self.published_precision == "day":
            return self.published.date().isoformat()
        return self.published.isoformat()

    @property
    def published_label(self) -> str:
        """The date as the article gives it, with its zone (:mod:`claimtrack.times`)."""
        return format_published(self.published, self.published_precision, self.published_offset)

    def summary(self) -> dict[str, Any]:
        """The keys of ``articles list --json`` (CONTRACT.md) and a few more."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published_iso,
            "source": self.source,
            "url": self.url,
            "external_id": self.external_id,
            "revision_of": self.revision_of,
            "ingested_at": self.ingested_at.isoformat(timespec="seconds"),
            "story": self.story,
            "published_offset": self.published_offset,
        }

    def detail(self) -> dict[str, Any]:
        """The keys of ``articles show --json``: the summary, the text and where it came from."""
        return {**self.summary(), "origin": self.origin, "meta": self.meta, "text": self.text}
