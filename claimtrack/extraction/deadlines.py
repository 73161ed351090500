"""Deadlines: finding "by 2012", "next month", "within two years" in text, and their dates.

A deadline is resolved against the article's published date, to the **last day** the phrase
allows, because a commitment "by March" is kept if it is done on 31 March:

=====================================  ==========================================================
phrase                                 date (article of 7 January 2026)
=====================================  ==========================================================
by 2012, in 2012, by the end of 2012   2012-12-31
before 2012                            2011-12-31
by the end of March, by March          2026-03-31 (the first March not before the article)
by March 2027, by the end of March      2027-03-31
2027
next week / month / year               end of that week (Sunday) / month / year
this week / month / year, by year-end  end of the current week / month / year
within two years, in 30 days, over     the published date plus that much
the next five years
by mid-2027, by mid-March              2027-06-30, 2026-03-15
by March 15, on 15 March 2027, by      that day (dateparser, with ``RELATIVE_BASE`` the article's
Friday, tomorrow                       date and dates preferred from the future)
=====================================  ==========================================================

Anything vaguer ("soon", "in the coming months", "early next year") is not a deadline; a relative
phrase without a published date, or a day and month without a year and without a published date,
is found (so its words can be kept) but resolves to ``None``: never a guess.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_COUNT = r"(?:\d+|" + "|".join(NUMBER_WORDS) + r")"
_BY = r"(?:by|before|until|till|through|no\s+later\s+than|in|during|within|on|over)"

# Named patterns, tried in this order; each match's ``kind`` group picks the resolver.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "day",
            rf"\b(?P<prep>by|before|until|on|no\s+later\s+than)\s+(?:(?P<dm>{_DAY}\s+{_MONTH})|(?P<md>{_MONTH}\s+{_DAY}))(?:,?\s+(?P<year>{_YEAR}))?\b",
        ),
        (
            "end_of_month",
            rf"\b(?P<prep>by|before|until|till|through|no\s+later\s+than|at|in)\s+(?:the\s+)?(?:(?P<edge>end|close)\s+of\s+)?(?P<mid>mid-?\s*)?(?P<month>{_MONTH})(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?\b(?!\s+\d)",
        ),
        (
            "end_of_year",
            rf"\b(?P<prep>{_BY})\s+(?:the\s+)?(?:(?:end|close)\s+of\s+)?(?P<mid>mid-?\s*)?(?P<year>{_YEAR})\b",
        ),
        (
            "quarter",
            rf"\b(?:by|before|in|during|until)\s+the\s+(?:end\s+of\s+the\s+)?(?P<quarter>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?P<year>{_YEAR}|this\s+year|next\s+year))?\b",
        ),
        (
            "relative_period",
            r"\b(?:(?:by|before|until|at|in|within|during|over)\s+)?(?:the\s+)?(?:(?:end|close)\s+of\s+)?(?:the\s+)?(?P<which>next|this|the|coming|current)\s+(?P<unit>week|month|year|decade)\b(?!\s+(?:or|and)\b)",
        ),
        ("year_end", r"\b(?:by|before|at)\s+(?:the\s+)?(?:year-end|year's\s+end|end-of-year)\b"),
        (
            "duration",
            rf"\b(?:within|in|over\s+the\s+next|in\s+the\s+next|during\s+the\s+next|inside)\s+(?P<count>{_COUNT})\s+(?P<unit>days?|weeks?|months?|years?)\b",
        ),
        ("weekday", rf"\b(?P<prep>by|before|until|on|next)\s+(?P<weekday>{_WEEKDAY})\b"),
        ("tomorrow", r"\b(?:by\s+)?tomorrow\b"),
    )
)


_END_OF = re.compile(r"(?:by|before|until|at)\s+(?:the\s+)?(?:end|close)", re.IGNORECASE)
_EARLIER = re.compile(r"\b(?:earlier|last|since|from)\s+(?:in\s+)?(?:the\s+)?\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline phrase at ``text[start:end]`` and the date it resolves to, if any."""

    start: int
    end: int
    text: str
    date: date | None


def find_deadline(text: str, published: date | None = None) -> Deadline | None:
    """The first deadline phrase in ``text`` (leftmost; the longer one at a tie), resolved."""
    best: tuple[int, int, str, re.Match[str]] | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if kind in ("day", "end_of_month") and not _capitalised_month(match):
                continue  # "by may" is a verb, "by May" a month
            if kind == "relative_period" and _EARLIER.search(
                text, max(0, match.start() - 40), match.start()
            ):
                continue  # "earlier this year" is the past
            if (
                kind == "relative_period"
                and match.group("which").casefold() == "the"
                and not _END_OF.match(match[0])
            ):
                continue  # "the year" alone is no deadline; "by the end of the year" is
            key = (match.start(), -(match.end() - match.start()))
            if best is None or key < (best[0], best[1]):
                best = (key[0], key[1], kind, match)
            break
    if best is None:
        return None
    _, _, kind, match = best
    return Deadline(match.start(), match.end(), match[0], _resolve(kind, match, published))


def resolve_deadline(text: str, published: date | None) -> date | None:
    """The date of the first deadline phrase in ``text``, or ``None`` when there is none or it
    cannot be resolved (``"by 2012"`` is 2012-12-31; ``"next month"`` needs ``published``)."""
    found = find_deadline(text, published)
    return found.date if found else None


def _resolve(kind: str, match: re.Match[str], published: date | None) -> date | None:
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    prep = groups.get("prep", "").casefold()
    if kind == "day":
        return _explicit_day(
            groups.get("dm") or groups.get("md", ""), groups.get("year"), published
        )
    if kind == "end_of_month":
        return _end_of_month(groups, prep, published)
    if kind == "end_of_year":
        year = int(groups["year"])
        if "mid" in groups:
            return date(year, 6, 30)
        return date(year - 1, 12, 31) if prep == "before" else date(year, 12, 31)
    if kind == "quarter":
        return _end_of_quarter(groups, published)
    if kind == "relative_period":
        return _relative_period(groups["which"].casefold(), groups["unit"].casefold(), published)
    if kind == "year_end":
        return date(published.year, 12, 31) if published else None
    if kind == "duration":
        return _after(groups["count"].casefold(), groups["unit"].casefold(), published)
    if kind == "weekday":  # "next Friday" may be this week's or next week's: not resolved
        return _parsed(groups["weekday"], published) if published and prep != "next" else None
    if kind == "tomorrow":
        return published + timedelta(days=1) if published else None
    return None


def _capitalised_month(match: re.Match[str]) -> bool:
    month = (
        match.groupdict().get("month") or match.groupdict().get("dm") or match.groupdict().get("md")
    )
    words = [word for word in (month or "").split() if word[:1].isalpha()]
    return bool(words) and words[0][0].isupper()


def _explicit_day(day_and_month: str, year: str | None, published: date | None) -> date | None:
    if year is None and published is None:
        return None
    return _parsed(f"{day_and_month} {year}" if year else day_and_month, published)


def _end_of_month(groups: dict[str, str], prep: str, published: date | None) -> date | None:
    month = MONTHS[groups["month"].casefold().rstrip(".")]
    if "year" in groups:
        year = int(groups["year"])
    elif published is not None:
        year = published.year if month >= published.month else published.year + 1
    else:
        return None
    if "mid" in groups:
        return date(year, month, 15)
    if prep == "before" and "edge" not in groups:
        return date(year, month, 1) - timedelta(days=1)
    return _last_day(year, month)


def _end_of_quarter(groups: dict[str, str], published: date | None) -> date | None:
    quarter = QUARTER_WORDS.get(groups["quarter"].casefold(), 4)
    which = groups.get("year", "").casefold()
    if which and which[0].isdigit():
        year = int(which)
    elif published is None:
        return None
    else:
        year = published.year + (1 if which.startswith("next") else 0)
        if not which and _last_day(year, quarter * 3) < published:
            year += 1  # the first such quarter not before the article
    return _last_day(year, quarter * 3)


def _relative_period(which: str, unit: str, published: date | None) -> date | None:
    if published is None:
        return None
    ahead = 1 if which in ("next", "coming") else 0
    if unit == "week":
        end_of_week = published + timedelta(days=6 - published.weekday())
        return end_of_week + timedelta(weeks=ahead)
    if unit == "month":
        month_index = published.month - 1 + ahead
        return _last_day(published.year + month_index // 12, month_index % 12 + 1)
    if unit == "year":
        return date(published.year + ahead, 12, 31)
    decade_end = published.year // 10 * 10 + 9
    return date(decade_end + 10 * ahead, 12, 31)


def _after(count_text: str, unit: str, published: date | None) -> date | None:
    if published is None:
        return None
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS.get(count_text)
    if count is None or count > 1000:
        return None
    unit = unit.rstrip("s")
    if unit == "day":
        return published + timedelta(days=count)
    if unit == "week":
        return published + timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    month_index = published.month - 1 + months
    year, month = published.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(published.day, calendar.monthrange(year, month)[1]))


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=4096)
def _parsed(phrase: str, published: date | None) -> date | None:
    """A day dateparser understands, relative to ``published`` and preferring the future."""
    import dateparser  # imported late: it takes a while to load and most texts never need it

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
