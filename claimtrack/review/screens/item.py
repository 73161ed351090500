"""``i``: one item with its full timeline and every proposal about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from claimtrack.review import data
from claimtrack.review.screens.reading import read_or_notify
from claimtrack.review.shown import plain
from claimtrack.review.widgets.detail_pane import timeline_text


class ItemScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "back")]

    @dataclass
    class Loaded(Message):
        view: data.ItemView

    def __init__(self, store: data.SerialStore, item_id: str) -> None:
        super().__init__()
        self.store = store
        self.item_id = item_id

    def compose(self) -> ComposeResult:
        yield Static(plain(f"item {self.item_id}"), id="item-heading", classes="screen-title")
        with VerticalScroll(id="item-view"):
            yield Static(id="item-fields")
            yield Static("TIMELINE", classes="section-title")
            yield Static(id="item-timeline")
            yield Static("PROPOSALS", classes="section-title")
            yield Static(id="item-proposals")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        view = read_or_notify(self, lambda: data.load_item(self.store, self.item_id))
        if view is not None:
            self.post_message(self.Loaded(view))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        item = message.view.item
        self.query_one("#item-heading", Static).update(
            Text.assemble(
                plain(f"{item.kind} {item.id}", "bold"), " · now ", plain(item.status, "bold")
            )
        )
        fields = Table.grid(padding=(0, 2))
        fields.add_column(style="dim")
        fields.add_column()
        for label, value in (
            ("speaker", item.speaker),
            ("text", item.text),
            ("deadline", item.deadline_text or item.deadline),
            ("condition", item.condition),
            ("from", f"{item.article_title} · {message.view.published}"),
        ):
            if value:
                fields.add_row(label, plain(str(value)))
        if message.view.item_passage:
            fields.add_row("quote", message.view.item_passage.highlighted())
        self.query_one("#item-fields", Static).update(fields)
        self.query_one("#item-timeline", Static).update(timeline_text(message.view.timeline))
        proposals = Table(box=None, pad_edge=False, expand=True)
        for column in ("state", "relation", "change", "evidence"):
            proposals.add_column(column, overflow="fold")
        for p in message.view.proposals:
            proposals.add_row(
                plain(p.state),
                plain(p.relation),
                plain(f"{p.from_status} → {p.to_status}"),
                plain(f"{p.article_title or p.article_id}: {p.quote or ''}"),
            )
        self.query_one("#item-proposals", Static).update(
            proposals if message.view.proposals else Text("none", style="dim")
        )

    def action_close(self) -> None:
        self.dismiss(None)
