"""Text structure for the rules: lines, paired quotations and sentences."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.rules.vocabulary import (
    _ABBREVIATIONS,
    _BOUNDARY,
    _CLOSING_MARKS,
    _FORMS_BY_FIRST_WORD,
    _LOWERCASE_WORD,
    _OPENING_MARKS,
    _QUOTE_MARK,
)


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    quotes: tuple[Span, ...]
    headline: bool = False  # a headline or its date, run into the body: no items come from it


def _quotations(text: str, start: int, end: int) -> list[Span]:
    """Quotations in ``text[start:end]`` (one line), marks included; an open one runs to the end."""
    spans: list[Span] = []
    opened: int | None = None
    for match in _QUOTE_MARK.finditer(text, start, end):
        mark = match.group()
        if mark in _OPENING_MARKS and opened is not None and _closes_here(text, match, end):
            spans.append(Span(opened, match.end()))  # a typo: '“It's unusual,“ said Larry Noble'
            opened = None
        elif mark in _OPENING_MARKS:
            if opened is not None:
                spans.append(Span(opened, _rstrip(text, opened, match.start())))
            opened = match.start()
        elif mark in _CLOSING_MARKS:
            if opened is not None:
                spans.append(Span(opened, match.end()))
                opened = None
            elif _opens_here(text, match, start, end):
                opened = match.start()  # a typo: '”I'm more convinced now ...,” he continued'
        elif opened is None:
            if (
                (match.end() < end and not text[match.end()].isspace())
                or match.start() == start
                or _free_standing(text, match, end)  # tokenised text: 'said " We love ... "'
            ):
                opened = match.start()
        else:
            spans.append(Span(opened, match.end()))
            opened = None
    if opened is not None:
        spans.append(Span(opened, _rstrip(text, opened, end)))
    return spans


def _free_standing(text: str, match: re.Match[str], end: int) -> bool:
    """A straight mark with a space on both sides (text tokenised word by word, as in corpora):
    it opens when nothing is open, and the next such mark closes it."""
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < end else " "
    return before.isspace() and after.isspace() and match.end() < end


def _opens_here(text: str, match: re.Match[str], start: int, end: int) -> bool:
    """A closing mark that stands where a quotation opens: at the line's start or after a space,
    with a word right after it."""
    before = text[match.start() - 1] if match.start() > start else " "
    after = text[match.end()] if match.end() < end else " "
    return before.isspace() and after.isalnum()


def _closes_here(text: str, match: re.Match[str], end: int) -> bool:
    after = text[match.end()] if match.end() < end else " "
    before = text[match.start() - 1] if match.start() > 0 else " "
    return after.isspace() or after in ",.;:" or before in ",.?!"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, quotations kept whole."""
    return [(sentence.start, sentence.end) for sentence in _sentences(text)]


def headline_spans(text: str) -> set[tuple[int, int]]:
    """The sentences of ``text`` that are its headline (run into the first line with a dateline,
    as in "Ford Taurus to be revived February 9, 2007 Ford ..."): elliptical, and the lead
    below says it in full."""
    return {(s.start, s.end) for s in _sentences(text) if s.headline}


def _sentences(text: str) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        quotes = _quotations(text, line.start(), line.end())
        starts = [quote.start for quote in quotes]
        cut = line.start()
        if _is_dateline(text, line.end()) or _DATE_ONLY_LINE.fullmatch(line.group()):
            _add_sentence(sentences, text, cut, line.end(), quotes, headline=True)
            continue  # a title above a dateline line ("2026-01-07 10:18:14"), or that line
        if cut == _lstrip(text, 0, len(text)) and (dateline := _headline_dateline(text, line)):
            _add_sentence(sentences, text, cut, dateline.start(), quotes, headline=True)
            _add_sentence(sentences, text, dateline.start(), dateline.end(), quotes, headline=True)
            cut = dateline.end()
        for boundary in _BOUNDARY.finditer(text, cut, line.end()):
            position = boundary.end()
            index = bisect.bisect_left(starts, position) - 1
            if index >= 0 and quotes[index].start < position < quotes[index].end:
                marks = boundary.start("marks")
                if marks < 0 or not text[marks].isspace() or quotes[index].start < marks:
                    continue
                position = marks  # the spaced mark opens the next sentence's quotation
            if _abbreviation_before(text, boundary.start()) and not (
                _OPENER.match(text, position)
                and _ACRONYM_BEFORE.search(text, max(0, boundary.start() - 24), boundary.start())
            ):
                continue  # but "... in the U.S. He said ..." ends a sentence ("Mr. He" does not)
            if _attribution_follows(text, boundary, line.end()):
                continue  # '"Is it?" Jane Smith asked.' is one sentence
            _add_sentence(sentences, text, cut, position, quotes)
            cut = position
        _add_sentence(sentences, text, cut, line.end(), quotes)
    return sentences


def _is_dateline(text: str, line_end: int) -> bool:
    """Whether the article's first line ends at ``line_end`` and the next line is only a date
    or a time: then the first line is the title, set above the dateline as pages print it."""
    first = _lstrip(text, 0, line_end)
    if text.find("\n", first, _rstrip(text, first, line_end)) >= 0:
        return False  # not the first line (the text before it, stripped, has a line break)
    following = re.match(r"\n+([^\n]*)", text[line_end : line_end + 80])
    return following is not None and _DATE_ONLY_LINE.fullmatch(following.group(1)) is not None


def _headline_dateline(text: str, line: re.Match[str]) -> re.Match[str] | None:
    """The date between a headline and the body on an article's first line, when the three are
    run together: "Ford cutting 30,000 jobs by 2012 January 23, 2006 The Ford Motor Company ..."
    (as copied from a web page, or in corpora that join the lines with spaces)."""
    first_end = next(
        (match.start() for match in _BOUNDARY.finditer(text, line.start(), line.end())),
        line.end(),
    )
    dateline = _DATELINE_DATE.search(text, line.start(), first_end)
    if dateline is None or dateline.start() - line.start() > _HEADLINE_LENGTH:
        return None
    words = text[line.start() : dateline.start()].split()
    if len(words) < 3 or words[-1].casefold() in _BEFORE_A_DATE:
        return None  # "... announced on March 3, 2009 That ...": a date inside a sentence
    return dateline


_HEADLINE_LENGTH = 200
_DATE_ONLY_LINE = re.compile(
    r"\s*(?:(?:Published|Updated|Posted)[:\s]+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{4})(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?)?\s*"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DATELINE_DATE = re.compile(
    rf"(?<=[\w)”\"'’%?!])\s+(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
    r"(?=\s+[\"“‘']?[A-Z])"
)
# Words after which a date belongs to the sentence ("on May 3, 2009", "dated 3 May 2009").
_BEFORE_A_DATE = frozenset(
    {"on", "by", "since", "until", "till", "before", "after", "from", "to", "of", "through", "as",
     "at", "in", "dated", "effective"}
)  # fmt: skip


# Words that open a sentence, never continue a name: after "U.S." or "p.m." they start anew.
_ACRONYM_BEFORE = re.compile(r"(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]\Z")
_OPENER = re.compile(r"\s+(?:He|She|They|We|It|But|The|This|His|Her|Their|There)\s")


def _attribution_follows(text: str, boundary: re.Match[str], end: int) -> bool:
    """Whether a quotation closing with ?/! is followed by a short "Name said." of its own."""
    mark = boundary.group()
    if mark[:1] not in "?!" or mark[-1:] not in "\"”'":
        return False
    after = text[boundary.end() : min(end, boundary.end() + 120)]
    short = re.match(
        r"\s*((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Prof|Rev)\.|[^.!?\"“”])*?[.!?])"
        r"(?:\s|$)",
        after,
    )
    if short is None or len(short.group(1).split()) > 10:
        return False
    return any(
        word.group() in _FORMS_BY_FIRST_WORD for word in _LOWERCASE_WORD.finditer(short.group(1))
    )


def _abbreviation_before(text: str, period: int) -> bool:
    if text[period] != ".":
        return False
    match = _WORD_BEFORE.search(text[max(0, period - 20) : period])
    if not match:
        return False
    word = match.group(1)
    return (
        word.casefold() in _ABBREVIATIONS
        or (len(word) == 1 and word.isupper())
        or bool(_INITIALS.fullmatch(word))
    )


_WORD_BEFORE = re.compile(r"([\w.]+)\Z")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _add_sentence(
    sentences: list[_Sentence],
    text: str,
    start: int,
    end: int,
    quotes: list[Span],
    *,
    headline: bool = False,
) -> None:
    while start < end and text[start].isspace():
        start += 1
    end = _rstrip(text, start, end)
    if start < end:
        inside = tuple(quote for quote in quotes if start <= quote.start and quote.end <= end)
        sentences.append(_Sentence(start, end, inside, headline))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _inside(spans: Sequence[Span], position: int) -> bool:
    return any(span.start < position < span.end for span in spans)
