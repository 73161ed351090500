"""The command palette (ctrl+p): the rarer actions, by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from claimtrack.errors import NotAvailableYet
from claimtrack.review.screens.queue import QueueScreen
from claimtrack.store.review import ProposalFilter

NOT_YET = {
    "export": "export of items, history and proposals",
    "recheck": "scheduled re-checks",
}


@runtime_checkable
class HoldsQueue(Protocol):
    """What the palette needs of the app it serves: the queue its commands act on."""

    queue: QueueScreen


def not_available(app: App[Any], command: str) -> None:
    app.notify(NotAvailableYet(command, NOT_YET[command]).message, severity="warning", timeout=6)


class ReviewCommands(Provider):
    """Sorting, the other views, refresh, and what has not been built yet."""

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
            ("Export…", "not available yet", partial(not_available, app, "export")),
            ("Recheck now", "not available yet", partial(not_available, app, "recheck")),
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
