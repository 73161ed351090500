"""``e``: accept the proposal as a relation of your choice (its status follows), with a note;
the item screen's ``l`` picks the relation of a link made by hand the same way.

The list offers every relation the item may be accepted as (``relation_choices``), each with the
status it gives; the proposed one is highlighted, so nothing but the proposal is one key away. A
key 1-9 or enter on a choice does not accept: it moves to the note, where the choice is spelled
out ("accept as contradicts → contradicted") and a second enter accepts; esc goes back.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    status: str | None  # the status accepting as ``relation`` gives the item (None: it stays)
    note: str | None


def choice_label(number: int, relation: str, status: str | None, proposed: bool) -> Text:
    shown = Text.assemble(
        (f"{number} " if number <= 9 else "  ", "bold"),
        (f"{relation:<16}", RELATION_STYLES.get(relation, "")),
        f" → {status}" if status else "",
    )
    if proposed:
        shown.append("   (proposed)", style="dim")
    return shown


class RelationScreen(ModalScreen[RelationChoice | None]):
    """Pick a relation (1-9, or ↑/↓ and enter), then enter confirms with an optional note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back / cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self,
        title: Text,
        choices: Sequence[tuple[str, str | None]],
        *,
        proposed: str | None = None,
        verb: str = "accepts",
        highlight: str | None = None,
    ) -> None:
        """``choices`` are (relation, the status it gives, None when the status stays);
        ``proposed`` is marked and highlighted (else ``highlight``); enter ``verb`` ("accepts",
        "links")."""
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.proposed = proposed
        self.verb = verb
        self.highlight = proposed or highlight
        self.chosen: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="relation-dialog", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        choice_label(n, relation, status, relation == self.proposed), id=relation
                    )
                    for n, (relation, status) in enumerate(self.choices, start=1)
                ),
                id="relation-choices",
            )
            yield Label("", id="relation-confirm")
            yield Input(placeholder="note (optional: why, in your words)", id="relation-note")
            yield Label(
                f"1-9 or ↑/↓ and enter: choose · then enter {self.verb} · esc: back, cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        relations = [relation for relation, _ in self.choices]
        if self.highlight in relations:
            options.highlighted = relations.index(self.highlight)
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
        warning = "" if self.proposed in (None, relation) else "bold yellow"
        self.query_one("#relation-confirm", Label).update(
            Text.assemble(
                f"enter {self.verb} as ",
                (relation, f"bold {RELATION_STYLES.get(relation, '')}".strip()),
                *((" → ", (status, "bold")) if status else ()),
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


def accept_as_screen(proposal: ProposalRow) -> RelationScreen:
    """``e``: the relations ``proposal``'s item may be accepted as, the proposed one first in
    view, each with the status it gives."""
    title = plain(
        f"Accept as which relation? {proposal.item_kind} now {proposal.item_status}; "
        f"proposed {proposal.relation} → {proposal.to_status}"
    )
    choices = relation_choices(proposal.item_kind, proposal.item_status)
    return RelationScreen(title, choices, proposed=proposal.relation, verb="accepts")
