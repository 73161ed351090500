"""Exporting the ledger: items, their status events and the proposals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.errors import ClaimtrackError
from claimtrack.store import Store
from claimtrack.store.export import export


@dataclass
class ExportReport:
    """The rows written and the files they went to."""

    format: str
    items: int
    events: int
    proposals: int
    files: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "items": self.items,
            "events": self.events,
            "proposals": self.proposals,
            "files": self.files,
        }


def export_ledger(store: Store, out: Path, fmt: str) -> ExportReport:
    """Write the ledger to ``out`` in ``fmt`` (csv and parquet also write ``<stem>.events`` and
    ``<stem>.proposals`` beside it); each file is written whole or not at all."""
    if not out.parent.exists():
        raise ClaimtrackError(f"{out.parent}: no such folder")
    with store.read() as con:
        written = export(con, out, fmt)
    return ExportReport(
        format=written["format"],
        items=written["items"],
        events=written["events"],
        proposals=written["proposals"],
        files=written["files"],
    )
