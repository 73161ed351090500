"""How claimtrack shows a moment: never a bare UTC time.

Two kinds of moments:

- an article's **publication**, stored as naive UTC with the offset its source gave
  (``published_offset``, minutes east of UTC): shown in that zone, with it
  (``2026-01-09 14:08 +05:30``), as the article gives it; a time whose source named no zone is
  shown as written and marked ``(no zone given)``; a day alone is the day;
- a moment claimtrack **recorded** (an extraction, a decision, a note), stored as naive UTC:
  shown in the reviewer's local zone, marked with its offset.

The CLI and the review UI both format with these functions; JSON keeps the stored ISO text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

NO_ZONE = "(no zone given)"


def _moment(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def offset_text(offset: timedelta | None) -> str:
    """``+05:30`` for an offset of five and a half hours east of UTC."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def format_published(
    published: datetime | str | None,
    precision: str | None = "time",
    offset_minutes: int | None = None,
    *,
    undated: str = "undated",
) -> str:
    """An article's publication as the article gives it: ``2026-01-09`` for a day,
    ``2026-01-09 14:08 +05:30`` for a time in the zone the source gave, ``2026-01-09 14:08 (no
    zone given)`` for a time without one; ``undated`` when there is no date at all."""
    if published is None or published == "":
        return undated
    moment = _moment(published)
    if precision == "day":
        return moment.date().isoformat()
    if offset_minutes is None:
        return f"{moment:%Y-%m-%d %H:%M} {NO_ZONE}"
    zone = timezone(timedelta(minutes=offset_minutes))
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {offset_text(local.utcoffset())}"


def format_recorded(moment: datetime | str | None) -> str:
    """A moment claimtrack recorded (stored as UTC) in the local zone, with its offset:
    ``2026-03-01 09:15 +01:00``; ``-`` when there is none."""
    if moment is None or moment == "":
        return "-"
    local = _moment(moment).replace(tzinfo=UTC).astimezone()
    return f"{local:%Y-%m-%d %H:%M} {offset_text(local.utcoffset())}"


def local_day_start(day: date) -> datetime:
    """The start of ``day`` in the local zone, as the store compares times: naive UTC."""
    start = datetime(day.year, day.month, day.day).astimezone()
    return start.astimezone(UTC).replace(tzinfo=None)


def parse_moment(text: str) -> datetime:
    """A date or date-time a person typed, as naive UTC: a day starts at local midnight; a time
    without a zone is local; one with a zone keeps it. Raises ``ValueError`` when unreadable."""
    value = text.strip()
    if len(value) <= 10:
        return local_day_start(date.fromisoformat(value))
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).replace(tzinfo=None)
