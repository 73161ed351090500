"""Which article addresses the queue hands to the browser: an article's URL is outside text, so
only ``http`` and ``https`` addresses with a host are opened (never ``file:``, ``javascript:``,
``data:`` or a terminal's own schemes)."""

from __future__ import annotations

from urllib.parse import urlsplit

OPENED_SCHEMES = ("http", "https")


def openable(url: str | None) -> bool:
    """Whether ``url`` may be opened in the system browser."""
    if not url or any(ord(c) < 33 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in OPENED_SCHEMES and bool(parts.hostname)
