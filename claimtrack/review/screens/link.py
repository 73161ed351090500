"""The item screen's ``l``: link the item to an article by hand.

First the article, from the latest ones (typing narrows them to those whose title or text holds
the words); then the relation and a note in the relation picker. The link is written by
:func:`claimtrack.services.history.link_evidence`, as ``claimtrack claims link`` writes it: an
event in the item's history, the status unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from claimtrack.articles import Article
from claimtrack.review import data
from claimtrack.review.screens.reading import read_or_notify
from claimtrack.review.screens.relation import RelationScreen
from claimtrack.review.shown import plain
from claimtrack.services.history import link_choices
from claimtrack.store.items import StoredItem

SHOWN_ARTICLES = 50  # the latest articles offered (narrow them by typing)


def article_label(article: Article) -> Text:
    """One article as the list offers it: title, date in its zone, source, story."""
    details = [article.published_label]
    details += [part for part in (article.source, article.story) if part]
    return Text.assemble(
        plain(article.title or article.id, style="bold"),
        plain("\n  " + " · ".join(details), style="dim"),
    )


class ArticlePicker(ModalScreen[Article | None]):
    """The latest articles but the item's own, narrowed by what is typed; enter picks one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("down", "to_list", show=False),
    ]

    @dataclass
    class Found(Message):
        search: str
        articles: list[Article]

    def __init__(self, store: data.SerialStore, item: StoredItem) -> None:
        super().__init__()
        self.store = store
        self.item = item
        self.search = ""
        self.articles: list[Article] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="link-dialog", classes="dialog"):
            yield Label(
                Text.assemble(
                    "Link ", plain(f"{self.item.kind} {self.item.id[:8]}", style="bold"),
                    " to which article? (its status stays ", plain(self.item.status, "bold"), ")",
                ),
                classes="dialog-title",
            )  # fmt: skip
            yield Input(placeholder="words of the title or the text", id="link-search")
            yield OptionList(id="link-articles")
            yield Label(
                "type to narrow · ↓ or enter: to the list · enter: link this one · esc: cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._find("")

    @on(Input.Changed, "#link-search")
    def _changed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self._find(self.search)

    @work(thread=True, exclusive=True)
    def _find(self, search: str) -> None:
        found = read_or_notify(
            self,
            lambda: data.load_recent_articles(self.store, search or None, limit=SHOWN_ARTICLES + 1),
        )
        if found is not None:
            shown = [a for a in found if a.id != self.item.article_id][:SHOWN_ARTICLES]
            self.post_message(self.Found(search, shown))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.search != self.search:
            return  # what an earlier search found
        self.articles = message.articles
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(article_label(a), id=a.id) for a in self.articles)
        if not self.articles:
            options.add_option(Option(Text("no article holds these words", "dim"), disabled=True))

    @on(Input.Submitted, "#link-search")
    def action_to_list(self) -> None:
        options = self.query_one(OptionList)
        if self.articles:
            options.highlighted = options.highlighted or 0
            options.focus()

    @on(OptionList.OptionSelected, "#link-articles")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.articles):
            self.dismiss(self.articles[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def link_relation_screen(item: StoredItem, article: Article) -> RelationScreen:
    """The relation picker for a link of ``item`` to ``article``: the relations a link may say
    for the item's kind (``mentions`` first in view); the status stays."""
    title = Text.assemble(
        "Link as which relation? ",
        plain(article.title or article.id, style="italic"),
        plain(f" · {article.published_label}"),
        plain(f"; the {item.kind} stays {item.status}"),
    )
    choices = [(relation, None) for relation in link_choices(item.kind)]
    return RelationScreen(title, choices, proposed=None, verb="links", highlight="mentions")
