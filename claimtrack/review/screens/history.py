"""``h``: the history of decisions, newest first: who, when, what."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from claimtrack.errors import ClaimtrackError
from claimtrack.review import data
from claimtrack.review.shown import plain
from claimtrack.store.decisions import PastDecision
from claimtrack.terminal import visible

LIMIT = 500
# Fixed widths: a table that measures its columns from the rows paints a row added before its
# next idle moment at the headers' widths, and keeps that paint ("2026  use  accepted").
COLUMNS = (
    ("when", 19),  # "2026-02-10 08:38:00"
    ("who", 32),
    ("decision", 8),
    ("status", 16),  # "awaiting_trigger"
    ("proposal", 10),
    ("relation", 12),
    ("note", 50),
)


class HistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,h", "close", "back"),
        Binding("enter", "item", "item", priority=True),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[PastDecision]

    def __init__(self, store: data.SerialStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Static(f"Decisions, newest first (the last {LIMIT})", classes="screen-title")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column, width in COLUMNS:
            table.add_column(column, key=column, width=width)
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        for attempt in range(3):  # a read that meets the queue's writer once is tried again
            try:
                rows = data.load_history(self.store, LIMIT)
                break
            except ClaimtrackError as error:
                if attempt == 2:
                    self.app.call_from_thread(
                        self.notify, visible(error.message), severity="error", markup=False
                    )
                    return
                time.sleep(0.2)
        self.post_message(self.Loaded(rows))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        table: DataTable[Text] = self.query_one(DataTable)
        for d in message.rows:
            table.add_row(
                plain(d.decided_at.replace("T", " ")),
                plain(d.actor),
                plain("undo" if d.state == "proposed" else d.state),
                plain(d.to_status),
                plain(d.proposal_id[:10]),
                plain(d.relation),
                plain((d.note or "")[:50]),
            )

    def action_item(self) -> None:
        table = self.query_one(DataTable)
        if getattr(self, "rows", None) and 0 <= table.cursor_row < len(self.rows):
            from claimtrack.review.screens.item import ItemScreen

            self.app.push_screen(ItemScreen(self.store, self.rows[table.cursor_row].item_id))

    def action_close(self) -> None:
        self.dismiss(None)
