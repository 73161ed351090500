"""``l``: all items by status, for example every overdue commitment; paged like the queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Select, Static

from claimtrack.errors import ClaimtrackError
from claimtrack.review import data
from claimtrack.review.cells import item_words
from claimtrack.review.shown import plain
from claimtrack.statuses import ALL_STATUSES
from claimtrack.store.items import StoredItem
from claimtrack.terminal import visible

PAGE = 200
SPEAKER_WIDTH = 18  # the speaker column: a longer name is cut (and stays in the words)


class ItemsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back"),
        Binding("enter", "item", "item with timeline"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[StoredItem]
        total: int
        offset: int

    def __init__(self, store: data.SerialStore, status: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.status = status
        self.text: str | None = None
        self.rows: list[StoredItem] = []
        self.total = 0
        self.loading = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="items-bar"):
            yield Select(
                [(s, s) for s in ALL_STATUSES],
                value=self.status or Select.NULL,
                prompt="any status",
                id="items-status",
            )
            yield Input(placeholder="speaker or text", id="items-text")
        yield Static(id="items-count", classes="screen-title")
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # fixed widths: an auto-sized column keeps the width of rows a superseded load added;
        # the item's words get what the terminal has left
        fixed = (("kind", 10), ("status", 12), ("deadline", 10), ("speaker", SPEAKER_WIDTH))
        spare = self.app.size.width - sum(width for _, width in fixed) - 2 * (len(fixed) + 1) - 2
        for column, width in (*fixed, ("item", max(40, spare))):
            table.add_column(column, key=column, width=width)
        table.focus()
        self._reload()

    def _reload(self) -> None:
        self.rows = []
        self.query_one(DataTable).clear()
        self._load(self.status, self.text, 0)

    @work(thread=True, exclusive=True)
    def _load(self, status: str | None, text: str | None, offset: int) -> None:
        try:
            rows, total = data.load_items(
                self.store,
                status=status,
                text=text,
                limit=PAGE,
                offset=offset,
            )
        except ClaimtrackError as error:
            self.app.call_from_thread(
                self.notify, visible(error.message), severity="error", markup=False
            )
            return
        self.post_message(self.Loaded(rows, total, offset))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loading = False
        if message.offset != len(self.rows):
            return  # a page for an older filter
        self.total = message.total
        self.rows.extend(message.rows)
        table: DataTable[Text] = self.query_one(DataTable)
        for item in message.rows:
            table.add_row(
                plain(item.kind),
                plain(item.status),
                plain(item.deadline),
                plain((item.speaker or "")[:SPEAKER_WIDTH]),
                plain(item_words(item.text, item.speaker, room=SPEAKER_WIDTH)),
            )
        label = self.status or "any status"
        self.query_one("#items-count", Static).update(
            plain(f"{self.total:,} items ({label}); enter opens one with its timeline")
        )

    @on(DataTable.RowHighlighted)
    def _more(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= len(self.rows) - 20
        if near_end and not self.loading and len(self.rows) < self.total:
            self.loading = True
            self._load(self.status, self.text, len(self.rows))

    @on(Select.Changed, "#items-status")
    def _status(self, event: Select.Changed) -> None:
        status = event.value if isinstance(event.value, str) else None
        if status == self.status and self.rows:
            return  # the Select announcing its first value: nothing to reload
        self.status = status
        self._reload()

    @on(Input.Submitted, "#items-text")
    def _text(self, event: Input.Submitted) -> None:
        self.text = event.value.strip() or None
        self._reload()
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def action_item(self) -> None:
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < len(self.rows):
            from claimtrack.review.screens.item import ItemScreen

            self.app.push_screen(ItemScreen(self.store, self.rows[table.cursor_row].id))

    def action_close(self) -> None:
        self.dismiss(None)
