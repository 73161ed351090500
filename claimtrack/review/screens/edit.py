"""``e``: accept the proposal with another status, and a note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from claimtrack.review.shown import plain
from claimtrack.statuses import STATUSES
from claimtrack.store.proposals import ProposalRow


@dataclass(frozen=True)
class EditResult:
    status: str
    note: str | None


class EditScreen(ModalScreen[EditResult | None]):
    """Pick the status to apply (the proposed one is highlighted) and add a note; enter accepts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("ctrl+s", "save", "accept with this status"),
    ]

    def __init__(self, proposal: ProposalRow) -> None:
        super().__init__()
        self.proposal = proposal
        self.statuses = STATUSES.get(proposal.item_kind, ())

    def compose(self) -> ComposeResult:
        p = self.proposal
        with Vertical(id="edit-dialog", classes="dialog"):
            yield Label(
                plain(
                    f"Accept with another status: {p.item_kind} now {p.item_status}, "
                    f"proposed {p.to_status} ({p.relation})"
                ),
                classes="dialog-title",
            )
            yield OptionList(*(Option(s, id=s) for s in self.statuses), id="edit-status")
            yield Input(placeholder="note (why, in your words)", id="edit-note")
            yield Label(
                "↑/↓ status · enter: to the note, then accept · esc: cancel", classes="hint"
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.proposal.to_status in self.statuses:
            options.highlighted = self.statuses.index(self.proposal.to_status)
        options.focus()

    @on(OptionList.OptionSelected)
    def _to_note(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None:
            self.notify("Pick a status first.", severity="warning")
            return
        note = self.query_one(Input).value.strip() or None
        self.dismiss(EditResult(self.statuses[index], note))

    def action_cancel(self) -> None:
        self.dismiss(None)
