"""One line asked in a dialog: ``r`` rejects with an optional note, ``n`` adds a note to the
item, the palette's export asks for a path."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class NoteScreen(ModalScreen[str | None]):
    """Enter gives the note typed ("" when none and ``required`` is false); esc cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self,
        title: Text,
        *,
        hint: str,
        required: bool,
        placeholder: str | None = None,
        value: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.required = required
        self.placeholder = placeholder or ("note" if required else "note (optional)")
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="note")
            yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if self.required and not note:
            self.notify(f"Type a {self.placeholder} first (esc cancels).", severity="warning")
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
