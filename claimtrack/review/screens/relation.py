"""``e``: accept the proposal as a relation of your choice (its status follows), with a note.

The list offers every relation the item may be accepted as (``relation_choices``), each with the
status it gives; the proposed one is highlighted, so nothing but the proposal is one key away. A
key 1-9 or enter on a choice does not accept: it moves to the note, where the choice is spelled
out ("accept as contradicts → contradicted") and a second enter accepts; esc goes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from claimtrack.review.cells import RELATION_STYLES
from claimtrack.review.shown import plain
from claimtrack.services.decisions import relation_choices
from claimtrack.store.proposals import ProposalRow


@dataclass(frozen=True)
class RelationChoice:
    relation: str
    status: str  # the status accepting as ``relation`` gives the item
    note: str | None


def choice_label(number: int, relation: str, status: str, proposed: bool) -> Text:
    shown = Text.assemble(
        (f"{number} " if number <= 9 else "  ", "bold"),
        (f"{relation:<16}", RELATION_STYLES.get(relation, "")),
        f" → {status}",
    )
    if proposed:
        shown.append("   (proposed)", style="dim")
    return shown


class RelationScreen(ModalScreen[RelationChoice | None]):
    """Pick a relation (1-9, or ↑/↓ and enter), then enter accepts with an optional note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back / cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, proposal: ProposalRow) -> None:
        super().__init__()
        self.proposal = proposal
        self.choices = relation_choices(proposal.item_kind, proposal.item_status)
        self.chosen: int | None = None

    def compose(self) -> ComposeResult:
        p = self.proposal
        with Vertical(id="relation-dialog", classes="dialog"):
            yield Label(
                plain(
                    f"Accept as which relation? {p.item_kind} now {p.item_status}; "
                    f"proposed {p.relation} → {p.to_status}"
                ),
                classes="dialog-title",
            )
            yield OptionList(
                *(
                    Option(choice_label(n, relation, status, relation == p.relation), id=relation)
                    for n, (relation, status) in enumerate(self.choices, start=1)
                ),
                id="relation-choices",
            )
            yield Label("", id="relation-confirm")
            yield Input(placeholder="note (optional: why, in your words)", id="relation-note")
            yield Label(
                "1-9 or ↑/↓ and enter: choose · then enter accepts · esc: back, cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        relations = [relation for relation, _ in self.choices]
        if self.proposal.relation in relations:
            options.highlighted = relations.index(self.proposal.relation)
        self.query_one("#relation-note", Input).disabled = True
        options.focus()

    def action_pick(self, index: int) -> None:
        if index < len(self.choices):
            self.query_one(OptionList).highlighted = index
            self._confirm(index)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._confirm(event.option_index)

    def _confirm(self, index: int) -> None:
        """Spell the choice out and wait for enter in the note."""
        self.chosen = index
        relation, status = self.choices[index]
        warning = "" if relation == self.proposal.relation else "bold yellow"
        self.query_one("#relation-confirm", Label).update(
            Text.assemble(
                "enter accepts as ",
                (relation, f"bold {RELATION_STYLES.get(relation, '')}".strip()),
                " → ",
                (status, "bold"),
                ("  (not the proposed relation)" if warning else "", warning),
            )
        )
        note = self.query_one("#relation-note", Input)
        note.disabled = False
        note.focus()

    @on(Input.Submitted)
    def _accept(self) -> None:
        if self.chosen is None:
            return
        relation, status = self.choices[self.chosen]
        note = self.query_one("#relation-note", Input).value.strip() or None
        self.dismiss(RelationChoice(relation, status, note))

    def action_back(self) -> None:
        if self.chosen is None:
            self.dismiss(None)
            return
        self.chosen = None
        self.query_one("#relation-confirm", Label).update("")
        self.query_one("#relation-note", Input).disabled = True
        self.query_one(OptionList).focus()
