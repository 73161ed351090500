"""Stories: the articles that share a story name, their items by status with each item's
latest change, and the proposals still open about them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from claimtrack.errors import UsageError
from claimtrack.statuses import CLAIM_STATUSES, COMMITMENT_STATUSES
from claimtrack.store import Store
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import review as review_rows
from claimtrack.store import stories as story_rows
from claimtrack.store.items import StoredItem
from claimtrack.store.review import TimelineEvent
from claimtrack.store.stories import StorySummary

# the order statuses are listed in: claims' first, then commitments' own
STATUS_ORDER: tuple[str, ...] = tuple(dict.fromkeys((*CLAIM_STATUSES, *COMMITMENT_STATUSES)))


@dataclass(frozen=True)
class StoryItem:
    """An item of a story, the status change that gave it its status, and how many proposals
    about it are open."""

    item: StoredItem
    latest_change: TimelineEvent | None
    open_proposals: int

    def to_json(self) -> dict[str, Any]:
        change = self.latest_change
        return {
            **self.item.to_json(),
            "latest_change": None if change is None else {
                **change.to_json(),
                "article_title": change.article_title,
                "article_published": change.article_published_at,
                "article_source": change.article_source,
                "article_url": change.article_url,
            },
            "open_proposals": self.open_proposals,
        }  # fmt: skip


@dataclass(frozen=True)
class StoryView:
    """One story: its summary and its items grouped by status (in :data:`STATUS_ORDER`)."""

    summary: StorySummary
    by_status: dict[str, list[StoryItem]]

    def to_json(self) -> dict[str, Any]:
        """The story as ``stories show --json`` prints it."""
        return {
            **self.summary.to_json(),
            "by_status": {
                status: [entry.to_json() for entry in entries]
                for status, entries in self.by_status.items()
            },
        }


def list_stories(store: Store) -> list[StorySummary]:
    """Every story, the one with the latest article first."""
    with store.read() as con:
        return story_rows.list_stories(con)


def story_view(store: Store, name: str) -> StoryView:
    """The story ``name`` (any case): its items by status, each with its latest change."""
    with store.read() as con:
        found = story_rows.list_stories(con, name)
        if not found:
            raise UsageError(f"no story called {name!r} (see 'claimtrack stories list')")
        items = item_rows.list_items(con, story=name)
        timelines = review_rows.item_timelines(con, [item.id for item in items])
        open_ones = proposal_rows.list_proposals(con, story=name, state="open")
    waiting = Counter(proposal.item_id for proposal in open_ones)
    by_status: dict[str, list[StoryItem]] = {}
    for item in items:
        changes = [event for event in timelines.get(item.id, []) if event.kind == "status"]
        entry = StoryItem(item, changes[-1] if changes else None, waiting[item.id])
        by_status.setdefault(item.status, []).append(entry)
    ordered = sorted(by_status, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 99)
    return StoryView(found[0], {status: by_status[status] for status in ordered})
