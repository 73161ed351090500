"""The paragraph around a quote, with the quote's place in it, for showing evidence in context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from claimtrack.review.shown import with_span

MAX_CHARS = 900  # a longer paragraph is cut around the quote
HIGHLIGHT = "bold reverse"


@dataclass(frozen=True)
class Passage:
    """``text`` holds the quote at ``text[start:end]``."""

    text: str
    start: int
    end: int

    def highlighted(self, style: str = HIGHLIGHT) -> Text:
        return with_span(self.text, self.start, self.end, style)


def passage(text: str | None, span: Sequence[int | None] | None) -> Passage | None:
    """The paragraph (line) of ``text`` holding ``span``; None when there is no usable span."""
    if not text or not span or len(span) != 2:
        return None
    start, end = span
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    if last == -1:
        last = len(text)
    prefix = suffix = ""
    if last - first > MAX_CHARS:
        room = max(0, (MAX_CHARS - (end - start)) // 2)
        if start - room > first:
            first, prefix = start - room, "…"
        if end + room < last:
            last, suffix = end + room, "…"
    return Passage(
        text=prefix + text[first:last] + suffix,
        start=len(prefix) + start - first,
        end=len(prefix) + end - first,
    )
