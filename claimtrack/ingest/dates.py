"""Publication dates: ISO 8601 first (fast), then the formats news sites use, via dateparser.

A date that cannot be read with its day, month and year is not guessed: the caller records the
article as undated and says so. Relative phrases ("yesterday") are refused for the same reason: they
would be resolved against today, not against the article.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING

from claimtrack.articles import DatePrecision

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\.?\b", re.IGNORECASE)
# RFC 2822, as feeds and mail headers write dates ("Fri, 09 Jan 2026 14:08:00 +0530"): the email
# parser reads only these; it would read "January 9, 2026 2:08 pm IST" as 02:08 with no zone
_RFC_2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[+-]\d{4}|[A-Za-z]{1,5}))?)?\s*"
)


# Zone abbreviations dateparser reads otherwise than English-language news means them: "IST" is
# Israel (+02:00) to it, but India Standard Time (+05:30) in nearly every English article that
# writes it (an Israeli or Irish source that means its own IST should give the offset). Written
# as the offset before parsing, which both parsers read.
_NEWS_ZONES = {"IST": "+0530"}
_ZONE_AT_END = re.compile(r"\b(" + "|".join(_NEWS_ZONES) + r")\)?\s*$")


def _zone_as_offset(text: str) -> str:
    """``text`` with a trailing zone abbreviation of :data:`_NEWS_ZONES` written as its offset."""
    return _ZONE_AT_END.sub(lambda found: _NEWS_ZONES[found.group(1)], text)


class UnreadableDate(ValueError):
    """A published value that is present but is not a full calendar date."""


@cache
def _news_date_parser() -> DateDataParser:
    from dateparser.date import DateDataParser  # imported on first use: it takes a while to load

    return DateDataParser(
        languages=["en"],
        settings={
            "STRICT_PARSING": True,  # day, month and year must all be there
            "PARSERS": ["custom-formats", "absolute-time"],  # no "yesterday", no timestamps
        },
    )


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _offset_minutes(moment: datetime) -> int | None:
    """Minutes east of UTC of the zone ``moment`` was given in; None when it had none."""
    offset = moment.utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


_DAY_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


def _common_news_format(text: str) -> tuple[datetime, DatePrecision, int | None] | None:
    """RFC 2822 (feeds, mail headers) and "January 7, 2026" styles, without dateparser's cost
    (about 1 ms a date); anything else goes on to dateparser."""
    try:
        moment = parsedate_to_datetime(text) if _RFC_2822.fullmatch(text) else None
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None:
        if _HAS_TIME.search(text):
            return _naive_utc(moment), "time", _offset_minutes(moment)
        return _naive_utc(moment), "day", None
    for layout in _DAY_FORMATS:
        try:
            return datetime.strptime(text, layout), "day", None
        except ValueError:
            continue
    return None


def parse_published(value: object) -> tuple[datetime, DatePrecision] | None:
    """Read a published value into (naive UTC datetime, precision); ``None`` when it is absent.

    Raises :class:`UnreadableDate` when a value is there but is not a full date.
    """
    found = parse_published_zoned(value)
    return None if found is None else (found[0], found[1])


def parse_published_zoned(value: object) -> tuple[datetime, DatePrecision, int | None] | None:
    """As :func:`parse_published`, with the offset the value gave (minutes east of UTC; None
    when it named no zone), so that the time can be shown as the article gives it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _naive_utc(value), "time", _offset_minutes(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), "day", None
    if not isinstance(value, str):
        raise UnreadableDate(f"published date {value!r} is not text")
    text = value.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        precision: DatePrecision = "day" if len(text) <= 10 else "time"
        return _naive_utc(moment), precision, _offset_minutes(moment)
    text = _zone_as_offset(text)
    quick = _common_news_format(text)
    if quick is not None:
        return quick
    parsed = _news_date_parser().get_date_data(text)
    if parsed.date_obj is None:
        raise UnreadableDate(f"cannot read published date {text!r} as a day, month and year")
    timed = _HAS_TIME.search(text)
    return (
        _naive_utc(parsed.date_obj),
        "time" if timed else "day",
        _offset_minutes(parsed.date_obj) if timed else None,
    )
