"""``w``: the whole article, the quote highlighted; tab shows the item's own article, ``o`` opens
the one shown in the browser."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from claimtrack.articles import Article
from claimtrack.errors import ClaimtrackError
from claimtrack.review import data
from claimtrack.review.passages import HIGHLIGHT
from claimtrack.review.shown import plain, with_span
from claimtrack.review.urls import open_url
from claimtrack.terminal import visible

Shown = tuple[str, Sequence[int] | None, str]  # article id, the quote's span, what it is


class ArticleScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,w", "close", "back"),
        Binding("tab", "other", "other article"),
        Binding("o", "open_url", "open URL"),
    ]

    @dataclass
    class Loaded(Message):
        article: Article
        shown: Shown

    def __init__(self, store: data.SerialStore, articles: list[Shown]) -> None:
        super().__init__()
        self.store = store
        self.articles = articles
        self.index = 0
        self.article_id: str | None = None
        self.url: str | None = None  # the address of the article shown

    def compose(self) -> ComposeResult:
        yield Static(id="article-title", classes="screen-title")
        with VerticalScroll(id="article-body"):
            yield Static(id="article-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load(self.articles[self.index])

    @work(thread=True, exclusive=True)
    def _load(self, shown: Shown) -> None:
        try:
            article = data.load_article(self.store, shown[0])
        except ClaimtrackError as error:
            self.app.call_from_thread(
                self.notify, visible(error.message), severity="error", markup=False
            )
            return
        self.post_message(self.Loaded(article, shown))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        article, (_, span, what) = message.article, message.shown
        self.article_id = article.id
        self.url = article.url
        self.query_one("#article-title", Static).update(
            Text.assemble(
                (f"{what}: ", "dim"),
                (visible(article.title or article.id), "bold"),
                visible(f" · {article.published_iso or 'undated'} · {article.source or ''}"),
            )
        )
        text = plain(article.text)
        line = 0
        if span and span[0] is not None and span[1] is not None:
            text = with_span(article.text, span[0], span[1], HIGHLIGHT)
            line = article.text.count("\n", 0, span[0])
        self.query_one("#article-text", Static).update(text)
        self.query_one("#article-body", VerticalScroll).scroll_to(y=max(0, line - 3), animate=False)

    def action_other(self) -> None:
        self.index = (self.index + 1) % len(self.articles)
        self._load(self.articles[self.index])

    def action_open_url(self) -> None:
        """``o``: the shown article's address in the system browser (http and https only)."""
        open_url(self, self.url)

    def action_close(self) -> None:
        self.dismiss(None)
