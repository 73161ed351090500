"""The list of proposals: one row each, the cursor row is what the detail pane shows.

The columns share the width the list has: the relation, the state and the evidence's day keep
their width, the speaker and the source grow a little with it, the item's words take the rest.
Below :data:`WITH_SOURCE` columns the source is left out (the detail pane names it).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from claimtrack.review.cells import evidence_day, item_words, relation_cell, state_cell
from claimtrack.review.data import Entry
from claimtrack.review.shown import plain

WITH_SOURCE = 96  # the list's width from which the source has a column of its own
MIN_ITEM = 16


class ColumnSpec(NamedTuple):
    key: str
    label: str
    width: int


def column_layout(width: int) -> list[ColumnSpec]:
    """The columns for a list ``width`` cells wide (each column also takes 2 cells of padding)."""
    narrow = width < WITH_SOURCE
    speaker = 10 if narrow else max(12, min(22, width // 8))
    source = max(12, min(20, width // 7))
    columns = [
        ColumnSpec("relation", "relation", 12 if narrow else 15),
        ColumnSpec("speaker", "speaker", speaker),
        ColumnSpec("item", "item", 0),
        ColumnSpec("source", "source", source),
        ColumnSpec("day", "evidence", 10),
        ColumnSpec("state", "state", 10),
    ]
    if narrow:
        columns = [c for c in columns if c.key != "source"]
    fixed = sum(c.width + 2 for c in columns)  # each with its padding (the item: 0 + 2)
    item = max(MIN_ITEM, width - fixed)
    return [c._replace(width=item) if c.key == "item" else c for c in columns]


class ProposalList(DataTable[Text]):
    """The proposals of the current page(s), in the queue's order; row keys are proposal ids."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.since: datetime | None = None  # proposals made after this are marked new
        self.layout_width = 0
        self.keys: tuple[str, ...] = ()
        self.speaker_width = 0  # a longer speaker's name is cut, so it stays in the words
        self.entries: list[Entry] = []  # the rows, to build them again for other columns

    def on_mount(self) -> None:
        self._lay_out(self.size.width or 80)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self.layout_width:
            self._lay_out(event.size.width)

    def _lay_out(self, width: int) -> None:
        """Size the columns for ``width``; a column that comes or goes, or a speaker column of
        another width (which names it shows whole), rebuilds the rows."""
        self.layout_width = width
        layout = column_layout(max(0, width - 2))  # the vertical scrollbar
        keys = tuple(c.key for c in layout)
        speaker_width = next(c.width for c in layout if c.key == "speaker")
        if keys != self.keys or speaker_width != self.speaker_width:
            row = self.cursor_row
            self.clear(columns=True)
            self.keys, self.speaker_width = keys, speaker_width
            for column in layout:
                self.add_column(column.label, width=column.width, key=column.key)
            self.append(self.entries, remember=False)
            if self.entries:
                self.move_cursor(row=min(row, len(self.entries) - 1), animate=False)
            return
        for column in layout:
            self.columns[column.key].width = column.width  # type: ignore[index]
        self._clear_caches()
        self._require_update_dimensions = True
        self.refresh()

    def cells(self, entry: Entry) -> tuple[Text, ...]:
        """The row's cells: text from the database is shown as written, never read as markup."""
        p = entry.proposal
        shown = {
            "relation": relation_cell(p),
            "speaker": plain(p.item_speaker),
            "item": plain(item_words(p.item_text, p.item_speaker, room=self.speaker_width)),
            "source": plain(p.article_source or p.source),
            "day": plain(evidence_day(p)),
            "state": state_cell(p, self.since),
        }
        if p.state in ("accepted", "rejected"):
            shown["item"].stylize("dim")
        for cell in shown.values():  # one line each, cut with an ellipsis
            cell.no_wrap, cell.overflow = True, "ellipsis"
        return tuple(shown[key] for key in self.keys)

    def show(self, entries: list[Entry], select: int = 0) -> None:
        """Replace the rows with ``entries`` and put the cursor on row ``select``."""
        self.clear()
        self.entries = []
        self.append(entries)
        if entries:
            self.move_cursor(row=max(0, min(select, len(entries) - 1)), animate=False)

    def append(self, entries: list[Entry], *, remember: bool = True) -> None:
        if remember:
            self.entries.extend(entries)
        for entry in entries:
            self.add_row(*self.cells(entry), key=entry.id)

    def remove_entry(self, entry: Entry) -> None:
        self.entries = [e for e in self.entries if e.id != entry.id]
        self.remove_row(entry.id)

    def refresh_entry(self, entry: Entry) -> None:
        self.entries = [entry if e.id == entry.id else e for e in self.entries]
        for column, value in zip(self.keys, self.cells(entry), strict=True):
            self.update_cell(entry.id, column, value)
