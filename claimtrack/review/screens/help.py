"""``?``: every key of the queue, what it does, and the other views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

EXPLAIN = {
    "accept": "accept the proposal (the item takes the proposed status) and go to the next",
    "reject": "reject the proposal (the item keeps its status): a note if you type one, enter",
    "skip": "skip it for now: it stays undecided (filter state 'skipped' or 'open' shows it)",
    "relation": "accept as a relation you choose (1-9 or ↑/↓, enter), its status follows, "
    "with a note; enter again accepts",
    "undo": "take back your last decision of this session",
    "down": "next proposal (also ↓)",
    "up": "previous proposal (also ↑)",
    "filter": "filter: state, relation, item status, story, speaker, source, free text; sort",
    "pane": "switch between the list and the detail pane (arrows scroll the detail)",
    "open_url": "open the evidence article's URL in the browser (http and https only)",
    "article": "the whole article of the new evidence (tab: the item's own article)",
    "note": "a note on the item: its status stays, the note goes into its timeline",
    "story": "the story of the evidence: its items by status, their latest change",
    "item": "the item with its full timeline and every proposal about it",
    "sort": "sort: newest first → by story (the item's source and article) → by speaker",
    "refresh": "read the queue again (also every 30 seconds): shows new proposals",
    "help": "this help",
    "quit": "quit (decisions are saved as you make them)",
    "history": "the history of decisions: who, when, what",
    "items": "all items, by status (for example every overdue commitment)",
}


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "close"),
    ]

    def __init__(self, bindings: Iterable[BindingType]) -> None:
        super().__init__()
        self.bindings = [b for b in bindings if isinstance(b, Binding)]

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold")
        keys.add_column()
        for binding in self.bindings:
            shown = binding.key_display or binding.key
            if binding.id == "down":
                shown = "j / ↓"
            elif binding.id == "up":
                shown = "k / ↑"
            keys.add_row(shown, EXPLAIN.get(binding.id or "", binding.description))
        keys.add_row("ctrl+p", "command palette: sort, views, export, recheck now …")
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Review queue: keys", classes="dialog-title")
            yield Static(keys)
            yield Label(
                "Each decision is saved at once in its own short transaction; the database is "
                "never held while the queue waits for a key.  esc closes.",
                classes="hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
