"""What a view's worker thread does with a read that fails: a notification, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.screen import Screen

from claimtrack.errors import ClaimtrackError
from claimtrack.terminal import visible

T = TypeVar("T")


def read_or_notify(screen: Screen[Any], read: Callable[[], T]) -> T | None:
    """``read()`` (from a worker thread); None, and an error notification, when it fails."""
    try:
        return read()
    except ClaimtrackError as error:
        screen.app.call_from_thread(
            screen.notify, visible(error.message), severity="error", markup=False
        )
        return None
