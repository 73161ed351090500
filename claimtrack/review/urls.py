"""Which article addresses the queue hands to the browser: an article's URL is outside text, so
only ``http`` and ``https`` addresses with a host are opened (never ``file:``, ``javascript:``,
``data:`` or a terminal's own schemes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from textual.screen import Screen

from claimtrack.terminal import visible

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


def open_url(screen: Screen[Any], url: str | None) -> None:
    """``o``: open ``url`` in the system browser through Textual's ``open_url`` when it is
    openable; otherwise say why not (no address, or not http/https)."""
    if not url:
        screen.notify("This article has no URL.", severity="warning")
    elif not openable(url):
        screen.notify(
            visible(f"Not opened: {url} (only http and https addresses are opened)"),
            severity="warning",
            markup=False,
        )
    else:
        screen.app.open_url(url)
        screen.notify(visible(f"Opening {url}"), timeout=3, markup=False)
