"""``i``: one item with its full timeline and every proposal about it; ``l`` links it to an
article by hand (:mod:`claimtrack.review.screens.link`), ``o`` opens its article's URL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar, Protocol, runtime_checkable

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from claimtrack.articles import Article
from claimtrack.review import data
from claimtrack.review.screens.link import ArticlePicker, link_relation_screen
from claimtrack.review.screens.reading import read_or_notify
from claimtrack.review.screens.relation import RelationChoice
from claimtrack.review.shown import plain
from claimtrack.review.urls import open_url
from claimtrack.review.widgets.detail_pane import timeline_text
from claimtrack.services import history
from claimtrack.services.history import LinkMade
from claimtrack.store.items import StoredItem
from claimtrack.terminal import visible


@runtime_checkable
class Reviewing(Protocol):
    """What the item screen needs of its app: who records what it writes."""

    actor: str


class ItemScreen(Screen[bool]):
    """Dismissed with whether it wrote to the item (a link), so that the screen below reads
    the item again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "back"),
        Binding("l", "link", "link to an article"),
        Binding("o", "open_url", "open URL"),
    ]

    @dataclass
    class Loaded(Message):
        view: data.ItemView

    @dataclass
    class Linked(Message):
        made: LinkMade

    def __init__(self, store: data.SerialStore, item_id: str) -> None:
        super().__init__()
        self.store = store
        self.item_id = item_id
        self.item: StoredItem | None = None  # as last read
        self.changed = False

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
        item = self.item = message.view.item
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
            ("url", item.article_url),
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

    def action_link(self) -> None:
        """``l``: pick an article, then the relation and a note; the link is written as
        ``claimtrack claims link`` writes it (the whole article as the evidence)."""
        item = self.item
        if item is None:
            return

        def relation_chosen(article: Article, choice: RelationChoice | None) -> None:
            if choice is not None:
                self._write_link(item.id, article.id, choice.relation, choice.note)

        def article_picked(article: Article | None) -> None:
            if article is not None:
                self.app.push_screen(
                    link_relation_screen(item, article), partial(relation_chosen, article)
                )

        self.app.push_screen(ArticlePicker(self.store, item), article_picked)

    @work(thread=True, group="link")
    def _write_link(self, item_id: str, article_id: str, relation: str, note: str | None) -> None:
        app = self.app
        assert isinstance(app, Reviewing)
        made = read_or_notify(
            self,
            lambda: history.link_evidence(
                self.store, item_id, article_id, actor=app.actor, relation=relation, note=note
            ),
        )
        if made is not None:
            self.post_message(self.Linked(made))

    @on(Linked)
    def _linked(self, message: Linked) -> None:
        made = message.made
        self.changed = True
        self.notify(
            visible(f"Linked to {made.article.title or made.article.id} as {made.relation}."),
            timeout=4,
            markup=False,
        )
        self._load()

    def action_open_url(self) -> None:
        """``o``: the item's own article in the system browser (http and https only)."""
        open_url(self, self.item.article_url if self.item else None)

    def action_close(self) -> None:
        self.dismiss(self.changed)
