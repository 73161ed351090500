"""What the tracking-judge tests share: an earlier item as the store hands it to a judge."""

from __future__ import annotations

from typing import Any

from claimtrack.store.trackings import TrackedItem


def tracked_item(kind: str, quote: str, **fields: Any) -> TrackedItem:
    """An item of ``kind`` quoting ``quote`` (its standalone text too unless given), its other
    fields empty unless given."""
    values: dict[str, Any] = {
        "id": "c1",
        "kind": kind,
        "text": quote,
        "quote": quote,
        "speaker": None,
        "speaker_canonical": None,
        "actors": (),
        "action": None,
        "condition": None,
        "deadline": None,
        "article_id": "a1",
        "article_title": None,
        "article_published": None,
        "status": "pending" if kind == "commitment" else "open",
    }
    return TrackedItem(**{**values, **fields})
