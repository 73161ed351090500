"""The list of proposals: one row each, the cursor row is what the detail pane shows."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from claimtrack.review.data import Entry
from claimtrack.review.shown import plain

ITEM_WIDTH = 80  # wider than the pane at 120 columns: the list scrolls sideways, if ever needed


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


class ProposalList(DataTable[Text]):
    """The proposals of the current page(s), in the queue's order; row keys are proposal ids."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_column("relation", width=12, key="relation")
        self.add_column("speaker", width=14, key="speaker")
        self.add_column("item", width=ITEM_WIDTH, key="item")

    @staticmethod
    def cells(entry: Entry) -> tuple[Text, ...]:
        """The row's cells: text from the database is shown as written, never read as markup."""
        p = entry.proposal
        relation = plain(p.relation)
        if p.conflicts_with:
            relation.append("!", style="bold red")
        if entry.state != "proposed":
            relation = Text(relation.plain, style="dim italic", end="")
        return (
            relation,
            plain(_short(p.item_speaker, 14)),
            plain(_short(p.item_text, ITEM_WIDTH)),
        )

    def show(self, entries: list[Entry], select: int = 0) -> None:
        """Replace the rows with ``entries`` and put the cursor on row ``select``."""
        self.clear()
        self.append(entries)
        if entries:
            self.move_cursor(row=max(0, min(select, len(entries) - 1)), animate=False)

    def append(self, entries: list[Entry]) -> None:
        for entry in entries:
            self.add_row(*self.cells(entry), key=entry.id)

    def refresh_entry(self, entry: Entry) -> None:
        for column, value in zip(("relation", "speaker", "item"), self.cells(entry), strict=True):
            self.update_cell(entry.id, column, value)
