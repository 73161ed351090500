"""The review application: one queue screen, the other views pushed over it; the palette's
longer jobs (export, recheck) run here in worker threads."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from claimtrack.config import Settings, current_user, load_settings
from claimtrack.errors import ClaimtrackError
from claimtrack.review.commands import ReviewCommands
from claimtrack.review.data import PAGE_SIZE, SerialStore
from claimtrack.review.screens.queue import QueueScreen
from claimtrack.store import Store
from claimtrack.store.review import ProposalFilter
from claimtrack.terminal import visible

REFRESH_EVERY = 30.0  # seconds between automatic re-reads of the queue
EXPORT_FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet"}


class ReviewApp(App[None]):
    """``claimtrack review``: decide proposals with one key each."""

    CSS_PATH = "review.tcss"
    TITLE = "claimtrack review"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "quit", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        refresh_every: float | None = REFRESH_EVERY,
        page_size: int = PAGE_SIZE,
        query: ProposalFilter | None = None,
        last_seen: datetime | None = None,
        settings: Settings | None = None,
    ) -> None:
        """Decisions are recorded as ``actor`` ($CLAIMTRACK_USER, else the login name); the queue
        opens on ``query`` and marks the proposals made after ``last_seen``; ``settings`` are
        what 'Recheck now' runs with (default: the environment's, for this database)."""
        super().__init__()
        self.store = SerialStore(store)
        self.actor = actor or current_user()
        self.settings = settings or load_settings(db=store.path)
        self.queue = QueueScreen(
            self.store,
            actor=self.actor,
            refresh_every=refresh_every,
            page_size=page_size,
            query=query,
            last_seen=last_seen,
        )

    def on_mount(self) -> None:
        self.push_screen(self.queue)

    # -- export --------------------------------------------------------------------------------

    def default_export_path(self) -> Path:
        return self.settings.db.with_name(f"{self.settings.db.stem}-export.csv")

    def action_export(self) -> None:
        """Ask where to export (the format from the name: .csv, .json, .parquet), then export."""
        from claimtrack.review.screens.note import NoteScreen

        def chosen(path: str | None) -> None:
            if not path:
                return
            out = Path(path).expanduser()
            fmt = EXPORT_FORMATS.get(out.suffix.lower())
            if fmt is None:
                self.notify("Name a .csv, .json or .parquet file.", severity="warning")
                return
            self._export(out, fmt)

        self.push_screen(
            NoteScreen(
                Text("Export the ledger (items, their events, the proposals) to"),
                hint="enter: export (.csv and .parquet also write .events and .proposals files "
                "beside it) · esc: cancel",
                required=True,
                placeholder="path",
                value=str(self.default_export_path()),
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="export")
    def _export(self, out: Path, fmt: str) -> None:
        from claimtrack.services.export import export_ledger

        self.call_from_thread(self.notify, visible(f"Exporting to {out}…"), timeout=3, markup=False)
        try:
            report = export_ledger(self.store, out, fmt)
        except ClaimtrackError as error:
            self.call_from_thread(self._failed, "Export failed", error.message)
            return
        said = (
            f"Exported {report.items} items, {report.events} events, {report.proposals} "
            f"proposals: {', '.join(report.files)}"
        )
        self.call_from_thread(self.notify, visible(said), timeout=10, markup=False)

    # -- recheck -------------------------------------------------------------------------------

    def action_recheck(self) -> None:
        if any(w.group == "recheck" and w.is_running for w in self.workers):
            self.notify("A recheck is already running.", severity="warning")
            return
        self.queue.set_progress("rechecking: reading the sources…")
        self._recheck()

    @work(thread=True, exclusive=True, group="recheck")
    def _recheck(self) -> None:
        """What 'claimtrack recheck' does (sources, extract, track, time rules), the queue
        read again after; each line it reports shows in the status line."""
        from claimtrack.services.recheck import recheck
        from claimtrack.sources.config import find_config, load_config

        def said(line: str) -> None:
            self.call_from_thread(self.queue.set_progress, f"rechecking: {line}")

        try:
            config = load_config(find_config(self.settings.db, None))
            report = recheck(
                self.store,
                self.settings,
                config,
                datetime.now(UTC).date(),
                on_error=said,
                on_notice=said,
                on_warning=said,
            )
        except ClaimtrackError as error:
            self.call_from_thread(self.queue.set_progress, "")
            self.call_from_thread(self._failed, "Recheck failed", error.message)
            return
        self.call_from_thread(self.queue.set_progress, "")
        self.call_from_thread(self.notify, visible(report.line()), timeout=10, markup=False)
        self.call_from_thread(self.queue.reload, announce=True)

    def _failed(self, title: str, message: str) -> None:
        self.notify(visible(message), title=title, severity="error", timeout=10, markup=False)
