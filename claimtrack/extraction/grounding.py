"""Grounding: finding a quote in the article and returning its exact character offsets.

A model (or a rule) hands back a quote; claimtrack stores only what it can find in the article
text, as ``(start, end)`` offsets with ``text[start:end]`` as the stored quote, so that every stored
quote is verbatim by construction. Matching first tries the quote as given, then a forgiving form
that ignores differences models commonly introduce: curly versus straight quotes and apostrophes,
dash variants, runs of whitespace, letter case, and quote marks wrapped around the whole quote. The
offsets always point at the article's own characters, never at the model's version of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_WRAPPING = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb "
MIN_QUOTE_CHARS = 3


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` folded (quotes, dashes, case, whitespace runs to one space) and, for each folded
    character, the offset in ``text`` it came from."""
    out: list[str] = []
    where: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        folded = char.translate(_FOLD)
        if folded.isspace():
            if previous_space:
                continue
            folded = " "
            previous_space = True
        else:
            previous_space = False
        for piece in folded.casefold():
            out.append(piece)
            where.append(index)
    return "".join(out), where


class ArticleIndex:
    """An article prepared for many quote lookups (the folded form is computed once)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: tuple[str, list[int]] | None = None

    def _fold(self) -> tuple[str, list[int]]:
        if self._folded is None:
            self._folded = _folded_with_map(self.text)
        return self._folded

    def locate(self, quote: str, near: int | None = None) -> Span | None:
        """The offsets of ``quote`` in the article, or ``None`` when it is not there.

        With several occurrences, the one nearest ``near`` (else the first) is returned.
        """
        if quote is None:
            return None
        candidates = [quote, quote.strip(_WRAPPING)]
        for candidate in candidates:
            if len(candidate.strip()) < MIN_QUOTE_CHARS:
                continue
            spans = [Span(m.start(), m.end()) for m in re.finditer(re.escape(candidate), self.text)]
            if spans:
                return _nearest(spans, near)
        folded_text, where = self._fold()
        for candidate in candidates:
            folded_quote, _ = _folded_with_map(candidate.strip())
            if len(folded_quote) < MIN_QUOTE_CHARS:
                continue
            spans = []
            for match in re.finditer(re.escape(folded_quote), folded_text):
                start = where[match.start()]
                end = where[match.end() - 1] + 1
                spans.append(Span(start, end))
            if spans:
                return _nearest(spans, near)
        return None


def _nearest(spans: list[Span], near: int | None) -> Span:
    if near is None:
        return spans[0]
    return min(spans, key=lambda span: abs(span.start - near))


def locate(text: str, quote: str, near: int | None = None) -> Span | None:
    """One-off lookup; use :class:`ArticleIndex` for many quotes in one article."""
    return ArticleIndex(text).locate(quote, near)
