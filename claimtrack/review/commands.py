"""The command palette (ctrl+p): the rarer actions, by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from claimtrack.review.screens.queue import QueueScreen
from claimtrack.store.review import ProposalFilter


@runtime_checkable
class HoldsQueue(Protocol):
    """What the palette needs of the app it serves: the queue its commands act on, and the
    longer jobs it runs in workers."""

    queue: QueueScreen

    def action_export(self) -> None: ...

    def action_recheck(self) -> None: ...


class ReviewCommands(Provider):
    """Sorting, the other views, refresh, export and recheck."""

    def commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        assert isinstance(app, HoldsQueue)
        queue = app.queue
        return [
            ("Sort: newest first", "the newest proposals first", partial(queue.set_sort, "newest")),
            ("Sort: by story", "the item's source, then its article",
             partial(queue.set_sort, "story")),
            ("Sort: by speaker", "speakers A to Z", partial(queue.set_sort, "speaker")),
            ("Show all items", "every claim and commitment, by status", queue.action_items),
            ("Show overdue commitments", "every commitment now overdue",
             partial(queue.action_items, "overdue")),
            ("Show decision history", "who decided what, when", queue.action_history),
            ("Show skipped proposals", "the proposals skipped for later",
             partial(queue.apply_filter, ProposalFilter(state="skipped"))),
            ("Clear the filter", "every proposal waiting for a decision",
             partial(queue.apply_filter, ProposalFilter())),
            ("Refresh now", "read the queue again", queue.action_refresh),
            ("Show this story", "the story's items by status, their latest change",
             queue.action_story),
            ("Note on this item", "a note in the item's history; its status stays",
             queue.action_note),
            ("Export…", "items, events and proposals to a .csv, .json or .parquet file",
             app.action_export),
            ("Recheck now", "read the sources, extract, track, apply the time rules",
             app.action_recheck),
        ]  # fmt: skip

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
