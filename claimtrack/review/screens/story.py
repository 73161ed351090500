"""``g``: one story, its items by status, each with its latest change and open proposals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group, RenderableType
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
from claimtrack.review.cells import item_words
from claimtrack.review.screens.reading import read_or_notify
from claimtrack.review.shown import plain
from claimtrack.services.stories import StoryItem, StoryView, story_view
from claimtrack.times import format_published, format_recorded

SPEAKER_ROOM = 12  # the speaker column's least width: a longer name stays in the words


def latest_change(entry: StoryItem) -> Text:
    """The change that gave the item its status: when, from → to, the evidence and its day."""
    change = entry.latest_change
    if change is None:
        return Text("—", style="dim")
    shown = Text.assemble(
        plain(format_recorded(change.at), style="dim"),
        plain(f" {change.from_status or '—'} → {change.to_status}"),
    )
    if change.article_title:
        published = format_published(
            change.article_published_at, change.article_precision, change.article_offset
        )
        shown.append_text(plain(f"\n{change.article_title} · {published}", style="italic"))
    if change.note:
        shown.append_text(plain(f"\n{change.note}", style="dim"))
    return shown


def status_table(entries: list[StoryItem]) -> Table:
    table = Table(box=None, pad_edge=False, expand=True, show_header=True)
    table.add_column("speaker", ratio=1, min_width=SPEAKER_ROOM, overflow="ellipsis", no_wrap=True)
    table.add_column("item", ratio=4, overflow="fold")
    table.add_column("latest change", ratio=3, overflow="fold")
    table.add_column("open", justify="right", min_width=4)
    for entry in entries:
        table.add_row(
            plain(entry.item.speaker),
            plain(item_words(entry.item.text, entry.item.speaker, room=SPEAKER_ROOM)),
            latest_change(entry),
            plain(str(entry.open_proposals) if entry.open_proposals else ""),
        )
    return table


def story_renderable(view: StoryView) -> RenderableType:
    parts: list[RenderableType] = []
    for status, entries in view.by_status.items():
        parts.append(Text(f"\n{status} ({len(entries)})", style="bold"))
        parts.append(status_table(entries))
    return Group(*parts) if parts else Text("no items", style="dim")


class StoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,g", "close", "back")]

    @dataclass
    class Loaded(Message):
        view: StoryView

    def __init__(self, store: data.SerialStore, name: str) -> None:
        super().__init__()
        self.store = store
        self.name_shown = name

    def compose(self) -> ComposeResult:
        yield Static(plain(f"story {self.name_shown}"), id="story-heading", classes="screen-title")
        with VerticalScroll(id="story-view"):
            yield Static(id="story-items")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        view = read_or_notify(self, lambda: story_view(self.store, self.name_shown))
        if view is not None:
            self.post_message(self.Loaded(view))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        s = message.view.summary
        first = format_published(s.first_published, "day")
        last = format_published(s.last_published, "day")
        self.query_one("#story-heading", Static).update(
            Text.assemble(
                plain(f"story {s.name}", "bold"),
                plain(
                    f" · {s.articles} articles ({first} to {last}) · {s.items} items"
                    f" · {s.open_proposals} open proposals"
                ),
            )
        )
        self.query_one("#story-items", Static).update(story_renderable(message.view))

    def action_close(self) -> None:
        self.dismiss(None)
