"""SVG snapshots of the review UI at 120 x 36, and of the newer views at 80 and 200 columns
(committed in tests/__snapshots__).

Update them after a deliberate change with ``pytest tests/test_review_snapshots.py
--snapshot-update`` and look at the report before committing. The database has fixed timestamps,
so a snapshot does not change with the day it is taken.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from review_helpers import (
    SIZE,
    make_app,
    settle,
)
from textual.pilot import Pilot
from textual.widgets import Input

from claimtrack.store import Store


@pytest.fixture(autouse=True)
def steady_input_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """An input's cursor blinks every 0.5 s: on a loaded machine (or beside other xdist workers)
    the picture could catch it off. Here it stays on, as in the committed snapshots."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def utc_local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Recorded times are shown in the local zone: UTC here, wherever the tests run."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def keys(*pressed: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize(
    "pressed",
    [
        (),  # the queue: list and detail
        ("j", "j"),  # another proposal in the detail pane
        ("question_mark",),  # help
        ("e",),  # the relation picker
        ("slash",),  # the filter dialog
        ("w",),  # the whole article
        ("i",),  # one item with its timeline
        ("l",),  # all items
    ],
    ids=["queue", "moved", "help", "relation", "filter", "article", "item", "items"],
)
def test_snapshot(snap_compare: Any, review_store: Store, pressed: tuple[str, ...]) -> None:
    app = make_app(review_store)
    assert snap_compare(app, terminal_size=SIZE, run_before=keys(*pressed))


# the views of issue 21 at a narrow and a wide terminal
NEW_VIEWS = {
    "queue": (),
    "relation": ("e",),
    "relation-confirm": ("e", "2"),
    "reject-note": ("r",),
    "item-note": ("n",),
    "filter": ("slash",),
    "story": ("g",),
    "article": ("w",),  # o opens the URL here too
    "item": ("i",),  # its article's time in its zone; l links
    "link-article": ("i", "l"),
    "link-relation": ("i", "l", "down", "enter"),
    "items": ("l",),  # all items: the words take the width, without the speaker
}


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("view", list(NEW_VIEWS))
def test_snapshot_at_width(snap_compare: Any, review_store: Store, view: str, width: int) -> None:
    app = make_app(review_store, last_seen=datetime(2026, 2, 1))
    assert snap_compare(app, terminal_size=(width, 36), run_before=keys(*NEW_VIEWS[view]))
