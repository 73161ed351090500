"""Splitting long articles into pieces that fit a model's budget.

Pieces follow paragraph boundaries, with one paragraph of overlap between neighbours so that a
claim spanning a boundary is seen whole at least once; a paragraph that alone exceeds the budget is
split at sentence ends. Pieces are (start, end) offsets into the whole article, so whatever is
found in a piece is located in the whole article's text.
"""

from __future__ import annotations

import re

from claimtrack.extraction.grounding import Span

CHARS_PER_TOKEN = 4  # a rough, conservative estimate for English prose
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])")


def estimate_tokens(text: str) -> int:
    return max(1, len(text) // CHARS_PER_TOKEN)


def _pieces(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    position = start
    for match in pattern.finditer(text, start, end):
        if match.start() > position:
            spans.append(Span(position, match.start()))
        position = match.end()
    if position < end:
        spans.append(Span(position, end))
    return spans


def split_into_chunks(text: str, budget_tokens: int, overlap: int = 1) -> list[Span]:
    """Spans of ``text`` of at most about ``budget_tokens`` tokens each (one span if it fits)."""
    if estimate_tokens(text) <= budget_tokens:
        return [Span(0, len(text))]
    budget = budget_tokens * CHARS_PER_TOKEN
    units: list[Span] = []
    for paragraph in _pieces(text, _PARAGRAPH, 0, len(text)):
        if paragraph.end - paragraph.start <= budget:
            units.append(paragraph)
            continue
        for sentence in _pieces(text, _SENTENCE_END, paragraph.start, paragraph.end):
            # a single sentence over the budget is cut hard; rare, and still grounded later
            for cut in range(sentence.start, sentence.end, budget):
                units.append(Span(cut, min(cut + budget, sentence.end)))
    chunks: list[Span] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1].end - units[first].start <= budget:
            last += 1
        chunks.append(Span(units[first].start, units[last].end))
        if last + 1 >= len(units):
            break
        following = last + 1
        first = max(following - overlap, first + 1)
        if units[following].end - units[first].start > budget:
            first = following  # the overlap and the next piece do not fit together: no overlap
    return chunks
