"""The review application: one queue screen, the other views pushed over it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from claimtrack.review.commands import ReviewCommands
from claimtrack.review.data import PAGE_SIZE, SerialStore
from claimtrack.review.screens.queue import QueueScreen
from claimtrack.store import Store

REFRESH_EVERY = 30.0  # seconds between automatic re-reads of the queue


class ReviewApp(App[None]):
    """``claimtrack review``: decide proposals with one key each."""

    CSS_PATH = "review.tcss"
    TITLE = "claimtrack review"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "quit", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        actor: str,
        refresh_every: float | None = REFRESH_EVERY,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__()
        self.store = SerialStore(store)
        self.queue = QueueScreen(
            self.store, actor=actor, refresh_every=refresh_every, page_size=page_size
        )

    def on_mount(self) -> None:
        self.push_screen(self.queue)
