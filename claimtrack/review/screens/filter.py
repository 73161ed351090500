"""``/``: narrow the queue by state, relation, item status, story, speaker, source, text."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from claimtrack.errors import ClaimtrackError
from claimtrack.review.data import SerialStore
from claimtrack.review.shown import plain
from claimtrack.services.stories import list_stories
from claimtrack.statuses import ALL_STATUSES, RELATIONS
from claimtrack.store.review import REVIEW_SORTS, REVIEW_STATE_CHOICES, ProposalFilter

PROPOSING = tuple(r for r in RELATIONS if r not in ("repeats", "unrelated"))


class FilterScreen(ModalScreen[ProposalFilter | None]):
    """Every field narrows the queue; empty fields do not. Enter applies, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("ctrl+s", "apply", "apply"),
        Binding("ctrl+l", "clear", "clear all"),
    ]

    def __init__(self, current: ProposalFilter, store: SerialStore | None = None) -> None:
        super().__init__()
        self.current = current
        self.store = store  # where the story names come from

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Label("Filter the queue", classes="dialog-title")
            yield Input(c.text or "", placeholder="free text (item, quotes, reason)", id="f-text")
            yield Input(c.speaker or "", placeholder="speaker", id="f-speaker")
            yield Input(
                c.source or "", placeholder="story or source (title, source)", id="f-source"
            )
            with Horizontal(classes="selects"):
                yield Select(
                    [(s, s) for s in REVIEW_STATE_CHOICES],
                    value=c.state,
                    allow_blank=False,
                    id="f-state",
                    prompt="state",
                )
                yield Select(
                    [(r, r) for r in PROPOSING], value=c.relation or Select.NULL,
                    prompt="any relation", id="f-relation",
                )  # fmt: skip
                yield Select(
                    [(s, s) for s in ALL_STATUSES], value=c.status or Select.NULL,
                    prompt="any item status", id="f-status",
                )  # fmt: skip
                yield Select(
                    [(s, s) for s in REVIEW_SORTS], value=c.sort, allow_blank=False,
                    id="f-sort", prompt="sort",
                )  # fmt: skip
            yield Select(
                [(plain(c.story), c.story)] if c.story else [],
                value=c.story or Select.NULL, prompt="any story", id="f-story",
            )  # fmt: skip
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="f-apply")
                yield Button("Clear", id="f-clear")
                yield Button("Cancel", id="f-cancel")
            yield Label("enter: apply · ctrl+l: clear · esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#f-text", Input).focus()
        if self.store is not None:
            self._load_stories(self.store)

    @work(thread=True, exclusive=True)
    def _load_stories(self, store: SerialStore) -> None:
        try:
            names = [story.name for story in list_stories(store)]
        except ClaimtrackError:
            return  # the filter works without the list
        self.app.call_from_thread(self._show_stories, names)

    def _show_stories(self, names: list[str]) -> None:
        select: Select[str] = self.query_one("#f-story", Select)
        chosen = self._value("#f-story")
        select.set_options([(plain(name), name) for name in names])
        if chosen in names:
            select.value = chosen

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def _text(self, selector: str) -> str | None:
        return self.query_one(selector, Input).value.strip() or None

    @on(Input.Submitted)
    @on(Button.Pressed, "#f-apply")
    def action_apply(self) -> None:
        self.dismiss(
            ProposalFilter(
                story=self._value("#f-story"),
                since=self.current.since,
                state=self._value("#f-state") or "proposed",
                relation=self._value("#f-relation"),
                status=self._value("#f-status"),
                speaker=self._text("#f-speaker"),
                source=self._text("#f-source"),
                text=self._text("#f-text"),
                sort=self._value("#f-sort") or "newest",
            )
        )

    @on(Button.Pressed, "#f-clear")
    def action_clear(self) -> None:
        self.dismiss(ProposalFilter(sort=self.current.sort))

    @on(Button.Pressed, "#f-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
