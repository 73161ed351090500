"""The queue: proposals on the left, the cursor row's item and evidence on the right.

Reads happen in exclusive thread workers (a newer load supersedes an older one); decisions go
through one writer thread in the order the keys were pressed, each in its own short transaction.
The row leaves the list at once (the next proposal shows without waiting for the database); if
the write fails, for example because another terminal decided the proposal first, a notification
says so and the queue reloads.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from claimtrack.errors import ClaimtrackError
from claimtrack.review import data
from claimtrack.review.cells import NEW_MARK
from claimtrack.review.data import Decision, Entry, Page
from claimtrack.review.shown import plain
from claimtrack.review.urls import open_url
from claimtrack.review.widgets.detail_pane import DetailPane
from claimtrack.review.widgets.proposal_list import ProposalList
from claimtrack.services import history
from claimtrack.services.decisions import AlreadyDecided
from claimtrack.store.proposals import ProposalRow
from claimtrack.store.review import REVIEW_SORTS, ProposalFilter, TimelineEvent
from claimtrack.terminal import visible
from claimtrack.times import format_recorded

if TYPE_CHECKING:
    from claimtrack.review.screens.relation import RelationChoice

WIDE = 160  # from this width the list and the detail sit side by side, else one above the other
LOAD_AHEAD = 20  # load the next page when the cursor comes this close to the end
PAST = {"accepted": "accepted", "rejected": "rejected", "skipped": "skipped", "undo": "undone"}


@dataclass(frozen=True)
class LoadRequest:
    query: ProposalFilter
    limit: int
    offset: int
    replace: bool  # a reload from the top (else a further page)
    keep_id: str | None  # the proposal to keep the cursor on
    announce: bool  # say how many new proposals a refresh found
    generation: int  # pages of an older reload are dropped


class QueueScreen(Screen[None]):
    """The review queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accepted')", "accept", id="accept"),
        Binding("r", "reject", "reject", id="reject"),
        Binding("s", "decide('skipped')", "skip", id="skip"),
        Binding("e", "relation", "relation", id="relation"),
        Binding("u", "undo", "undo", id="undo"),
        Binding("j", "move(1)", "move", key_display="j/k", id="down"),
        Binding("k", "move(-1)", "up", show=False, id="up"),
        Binding("slash", "filter", "filter", key_display="/", id="filter"),
        Binding("tab", "switch_pane", "pane", id="pane"),
        Binding("o", "open_url", "open URL", id="open_url"),
        Binding("w", "article", "article", id="article"),
        Binding("n", "note", "note", show=False, id="note"),
        Binding("i", "item", "item", show=False, id="item"),
        Binding("g", "story", "story", show=False, id="story"),
        Binding("t", "cycle_sort", "sort", show=False, id="sort"),
        Binding("ctrl+r", "refresh", "refresh", id="refresh"),
        Binding("question_mark", "help", "help", key_display="?", id="help"),
        Binding("q", "quit", "quit", id="quit"),
        Binding("h", "history", "history", show=False, id="history"),
        Binding("l", "items", "all items", show=False, id="items"),
    ]

    @dataclass
    class PageLoaded(Message):
        page: Page
        request: LoadRequest

    @dataclass
    class LoadFailed(Message):
        message: str

    @dataclass
    class Decided(Message):
        decision: Decision
        proposal: ProposalRow
        timeline: list[TimelineEvent]

    @dataclass
    class DecisionFailed(Message):
        decision: Decision
        message: str
        severity: str

    def __init__(
        self,
        store: data.SerialStore,
        *,
        actor: str,
        refresh_every: float | None,
        page_size: int,
        query: ProposalFilter | None = None,
        last_seen: datetime | None = None,
    ) -> None:
        """``store`` is read and written from worker threads (the app's, whose connections take
        turns); decisions are recorded as ``actor``; the queue is read again every
        ``refresh_every`` seconds (None: only on ctrl+r), ``page_size`` rows at a time, through
        ``query`` (default: every proposal waiting); proposals made after ``last_seen`` (the
        reviewer's last session) are marked new."""
        super().__init__()
        self.store = store
        self.actor = actor
        self.refresh_every = refresh_every
        self.page_size = page_size
        self.query_filter = query or ProposalFilter()
        self.last_seen = last_seen
        self.entries: list[Entry] = []
        self.total = 0
        self.fetched = 0  # rows read from the database for the current filter
        self.removed = 0  # rows taken out of the list since (decided): the next offset shifts
        self.exhausted = False
        self.loading_more = False
        self.loaded = False  # the first page has arrived
        self.undo_stack: list[tuple[Entry, int]] = []
        self.status_message = ""
        self.progress = ""  # what a job of the palette (recheck) is doing
        # the writer: decisions in key order, one thread at a time
        self._writes: deque[Decision] = deque()
        self._write_lock = threading.Lock()
        self._writing = False
        self.in_flight: Counter[str] = Counter()  # decisions queued or being written, by proposal
        self._reload_after_writes = False
        self.generation = 0  # counts reloads from the top

    def compose(self) -> ComposeResult:
        yield Static(id="queue-status")
        with Horizontal(id="panes"):
            yield ProposalList(id="proposals")
            yield DetailPane(id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ProposalList).since = self.last_seen
        self.query_one(ProposalList).focus()
        self._update_status()
        self.reload()
        every = self.refresh_every
        if every:
            self.set_interval(every, self._timer_refresh)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE, "wide")

    # -- reading ----------------------------------------------------------------------------------

    @property
    def table(self) -> ProposalList:
        return self.query_one(ProposalList)

    @property
    def current(self) -> Entry | None:
        if not self.entries:
            return None
        row = self.table.cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def reload(self, *, keep_id: str | None = None, announce: bool = False) -> None:
        """Read the queue again from the top (as many rows as are loaded now, at least a page)."""
        if self.writes_pending:
            self._reload_after_writes = True
            return
        limit = max(self.page_size, len(self.entries))
        self._load(self.query_filter, limit, 0, True, keep_id, announce)

    def _load(
        self,
        query: ProposalFilter,
        limit: int,
        offset: int,
        replace: bool,
        keep_id: str | None,
        announce: bool,
    ) -> None:
        """A reload from the top supersedes every load before it; a further page supersedes
        only an earlier further page (each is an exclusive worker of its own group)."""
        if replace:
            self.generation += 1
            self.loading_more = False
            self.workers.cancel_group(self, "more")
        request = LoadRequest(query, limit, offset, replace, keep_id, announce, self.generation)
        (self._read_page if replace else self._read_more)(request)

    @work(thread=True, exclusive=True, group="page")
    def _read_page(self, request: LoadRequest) -> None:
        self._read(request)

    @work(thread=True, exclusive=True, group="more")
    def _read_more(self, request: LoadRequest) -> None:
        self._read(request)

    def _read(self, request: LoadRequest) -> None:
        try:
            page = data.load_page(
                self.store,
                request.query,
                limit=request.limit,
                offset=request.offset,
                count=request.replace,
            )
        except ClaimtrackError as error:
            self.post_message(self.LoadFailed(error.message))
            return
        self.post_message(self.PageLoaded(page, request))

    def _load_more(self) -> None:
        if self.exhausted or self.loading_more or not self.loaded:
            return
        self.loading_more = True
        offset = self.fetched - self.removed
        self._load(self.query_filter, self.page_size, offset, False, None, False)

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        request, page = message.request, message.page
        if request.generation != self.generation:
            return
        limit = max(self.page_size, len(page.entries))
        fresh = [e for e in page.entries if e.id not in self.in_flight]
        if request.replace:
            before = self.total
            keep = request.keep_id or (self.current.id if self.current else None)
            row = self.table.cursor_row
            ids = [e.id for e in fresh]
            if keep in ids:
                row = ids.index(keep)
            self.entries = fresh
            self.total = page.total or 0
            self.fetched = len(page.entries)
            self.removed = 0
            self.exhausted = len(page.entries) < limit
            self.table.show(self.entries, row)
            if request.announce and self.loaded and self.total > before:
                new = self.total - before
                self.notify(f"{new} new proposal{'s' if new != 1 else ''}", timeout=4)
            self.loaded = True
        else:
            self.loading_more = False
            known = {e.id for e in self.entries}
            fresh = [e for e in fresh if e.id not in known]
            self.fetched += len(page.entries)
            self.exhausted = len(page.entries) < self.page_size
            self.entries.extend(fresh)
            self.table.append(fresh)
        self._show_current()
        self._update_status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.loading_more = False
        self.notify(
            visible(message.message),
            title="Could not read the queue",
            severity="error",
            markup=False,
        )

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_current()
        if event.cursor_row >= len(self.entries) - LOAD_AHEAD:
            self._load_more()

    def _show_current(self) -> None:
        self.query_one(DetailPane).show(self.current)
        self._update_status()

    def _update_status(self) -> None:
        position = f"{self.table.cursor_row + 1} of {self.total:,}" if self.entries else "0"
        if not self.loaded:
            position = "loading…"
        sort = (
            "newest first" if self.query_filter.sort == "newest" else f"by {self.query_filter.sort}"
        )
        parts = [self.query_filter.describe(), sort]  # the filter holds what the user typed
        if self.last_seen is not None:
            parts.append(
                f"{NEW_MARK} new since your last session, {format_recorded(self.last_seen)}"
            )
        if self.in_flight:
            parts.append("saving…")
        if self.status_message:
            parts.append(self.status_message)
        if self.progress:
            parts.append(self.progress)
        status = Text.assemble((position, "bold"), " · ", plain(" · ".join(parts)))
        self.query_one("#queue-status", Static).update(status)

    def set_progress(self, line: str) -> None:
        """Show what a longer job is doing ("" when it is done)."""
        self.progress = line
        self._update_status()

    def _timer_refresh(self) -> None:
        if self.loaded:
            self.reload(announce=True)

    # -- deciding ---------------------------------------------------------------------------------

    @property
    def writes_pending(self) -> bool:
        return bool(self.in_flight)

    def action_decide(self, state: str, note: str | None = None) -> None:
        entry = self.current
        if entry is None:
            self.notify("Nothing to decide here.", severity="warning")
            return
        if entry.state in ("accepted", "rejected"):
            self.notify(
                visible(
                    f"Proposal {entry.id} is already {entry.state}; u undoes your last decision."
                ),
                severity="warning",
                markup=False,
            )
            return
        if state == "skipped" and entry.state == "skipped":
            self.action_move(1)
            return
        self._submit(Decision(entry.id, state, note=note), entry)

    def action_reject(self) -> None:
        """``r``: reject, with a note if one is typed (enter alone rejects without)."""
        entry = self.current
        if entry is None or not self._decidable(entry):
            self.action_decide("rejected")
            return
        from claimtrack.review.screens.note import NoteScreen

        def noted(note: str | None) -> None:
            if note is not None and self.current is entry:
                self.action_decide("rejected", note or None)

        title = Text.assemble(
            "Reject ", plain(entry.proposal.relation, style="bold"), " (the item keeps ",
            plain(entry.proposal.item_status, style="bold"), ")",
        )  # fmt: skip
        hint = "enter: reject (with the note, if any) · esc: cancel"
        self.app.push_screen(NoteScreen(title, hint=hint, required=False), noted)

    def action_relation(self) -> None:
        """``e``: accept as a relation of the reviewer's choice, with a note."""
        entry = self.current
        if entry is None:
            self.notify("Nothing to decide here.", severity="warning")
            return
        if not self._decidable(entry):
            self.action_decide("accepted")
            return
        from claimtrack.review.screens.relation import accept_as_screen

        def chosen(choice: RelationChoice | None) -> None:
            if choice is not None and self.current is entry:
                relation = choice.relation
                decision = Decision(entry.id, "accepted", note=choice.note, relation=relation)
                self._submit(decision, entry)

        self.app.push_screen(accept_as_screen(entry.proposal), chosen)

    def _decidable(self, entry: Entry) -> bool:
        return entry.state not in ("accepted", "rejected")

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo: no decision taken in this session.", severity="warning")
            return
        entry, _ = self.undo_stack[-1]
        self._enqueue(Decision(entry.id, "undo"))
        self._update_status()

    def _submit(self, decision: Decision, entry: Entry) -> None:
        """Take the row out of the list (or mark it) and hand the decision to the writer."""
        index = self.entries.index(entry)
        self.undo_stack.append((entry, index))
        if data.shows_state(self.query_filter, decision.state):
            entry.proposal = replace(entry.proposal, state=decision.state)
            self.table.refresh_entry(entry)
            self.table.move_cursor(row=min(index + 1, len(self.entries) - 1), animate=False)
        else:
            self._remove(entry)
        self._enqueue(decision)
        self._show_current()

    def _remove(self, entry: Entry) -> None:
        index = self.entries.index(entry)
        self.entries.pop(index)
        self.removed += 1
        self.total = max(0, self.total - 1)
        self.table.remove_entry(entry)
        if self.entries:
            self.table.move_cursor(row=min(index, len(self.entries) - 1), animate=False)
        if len(self.entries) - index < LOAD_AHEAD:
            self._load_more()

    def _enqueue(self, decision: Decision) -> None:
        self.in_flight[decision.proposal_id] += 1
        with self._write_lock:
            self._writes.append(decision)
            start = not self._writing
            self._writing = True
        if start:
            self._write_worker()

    @work(thread=True, group="write")
    def _write_worker(self) -> None:
        """Apply queued decisions one by one, in order. Not exclusive: no decision is dropped."""
        while True:
            with self._write_lock:
                if not self._writes:
                    self._writing = False
                    return
                decision = self._writes.popleft()
            try:
                proposal, timeline = data.apply_decision(self.store, decision, self.actor)
            except AlreadyDecided as error:
                self.post_message(self.DecisionFailed(decision, error.message, "warning"))
            except ClaimtrackError as error:
                self.post_message(self.DecisionFailed(decision, error.message, "error"))
            else:
                self.post_message(self.Decided(decision, proposal, timeline))

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        decision, proposal = message.decision, message.proposal
        self._written(decision)
        # every row about the same item now shows its new status and timeline
        for entry in self.entries:
            if entry.proposal.item_id == proposal.item_id:
                updated = data.updated_entry(entry, proposal, message.timeline)
                entry.proposal, entry.timeline = updated.proposal, updated.timeline
                self.table.refresh_entry(entry)
        if decision.state == "undo":
            self._undone(decision, proposal, message.timeline)
        change = ""
        if decision.state == "accepted":
            change = f": {proposal.item_status}"
        self.status_message = f"{PAST[decision.state]} {proposal.id[:8]}{change}"
        self._show_current()
        self._after_write()

    def _undone(
        self, decision: Decision, proposal: ProposalRow, timeline: list[TimelineEvent]
    ) -> None:
        if not self.undo_stack or self.undo_stack[-1][0].id != decision.proposal_id:
            return
        entry, index = self.undo_stack.pop()
        entry = data.updated_entry(entry, proposal, timeline)
        current = [e.id for e in self.entries]
        if entry.id in current:
            index = current.index(entry.id)
            self.entries[index] = entry
            self.table.refresh_entry(entry)
        elif data.shows_state(self.query_filter, entry.state):
            index = min(index, len(self.entries))
            self.entries.insert(index, entry)
            self.removed -= 1
            self.total += 1
            self.table.show(self.entries, index)
        self.table.move_cursor(row=index, animate=False)

    @on(DecisionFailed)
    def _decision_failed(self, message: DecisionFailed) -> None:
        decision = message.decision
        self._written(decision)
        if decision.state != "undo":
            self.undo_stack = [(e, i) for e, i in self.undo_stack if e.id != decision.proposal_id]
        self.notify(
            visible(message.message),
            title=f"Not {PAST[decision.state]}",
            severity="warning" if message.severity == "warning" else "error",
            timeout=8,
            markup=False,
        )
        self._reload_after_writes = True
        self._after_write()

    def _written(self, decision: Decision) -> None:
        self.in_flight[decision.proposal_id] -= 1
        if self.in_flight[decision.proposal_id] <= 0:
            del self.in_flight[decision.proposal_id]

    def _after_write(self) -> None:
        if not self.in_flight and self._reload_after_writes:
            self._reload_after_writes = False
            self.reload()
        self._update_status()

    # -- moving and views ---------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if step > 0:
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()

    def action_switch_pane(self) -> None:
        detail = self.query_one(DetailPane)
        if detail.has_focus:
            self.table.focus()
        else:
            detail.focus()

    def action_refresh(self) -> None:
        self.status_message = ""
        self.reload(announce=True)

    def action_cycle_sort(self) -> None:
        sorts = list(REVIEW_SORTS)
        following = sorts[(sorts.index(self.query_filter.sort) + 1) % len(sorts)]
        self.set_sort(following)

    def set_sort(self, sort: str) -> None:
        self.apply_filter(replace(self.query_filter, sort=sort))

    def apply_filter(self, query: ProposalFilter) -> None:
        self.query_filter = query
        self.entries = []
        self.loaded = False
        self.table.show([])
        self._show_current()
        self._load(query, self.page_size, 0, True, None, False)
        self.table.focus()

    def action_filter(self) -> None:
        from claimtrack.review.screens.filter import FilterScreen

        def chosen(query: ProposalFilter | None) -> None:
            if query is not None:
                self.apply_filter(query)

        self.app.push_screen(FilterScreen(self.query_filter, self.store), chosen)

    def action_article(self) -> None:
        entry = self.current
        if entry is None:
            return
        from claimtrack.review.screens.article import ArticleScreen

        p = entry.proposal
        self.app.push_screen(
            ArticleScreen(
                self.store,
                [(p.article_id, p.span, "new evidence"),
                 (p.item_article_id, p.item_span, "the item's source")]
            )
        )  # fmt: skip

    def action_item(self) -> None:
        entry = self.current
        if entry is not None:
            from claimtrack.review.screens.item import ItemScreen

            def closed(changed: bool | None) -> None:
                if changed:
                    self.reload(keep_id=entry.id)

            self.app.push_screen(ItemScreen(self.store, entry.proposal.item_id), closed)

    def action_open_url(self) -> None:
        """``o``: the evidence article's address in the system browser (http and https only)."""
        entry = self.current
        open_url(self, entry.proposal.article_url if entry else None)

    def action_note(self) -> None:
        """``n``: a note on the item (its status stays), shown in its timeline."""
        entry = self.current
        if entry is None:
            return
        from claimtrack.review.screens.note import NoteScreen

        def noted(note: str | None) -> None:
            if note:
                self._write_note(entry.proposal.item_id, note, entry.id)

        title = Text.assemble("Note on the item (its status stays ",
                              plain(entry.proposal.item_status, style="bold"), ")")  # fmt: skip
        hint = "enter: save the note in the item's history · esc: cancel"
        self.app.push_screen(NoteScreen(title, hint=hint, required=True), noted)

    @work(thread=True, group="note")
    def _write_note(self, item_id: str, note: str, keep_id: str) -> None:
        try:
            history.add_note(self.store, item_id, note, actor=self.actor)
        except ClaimtrackError as error:
            self.post_message(self.LoadFailed(error.message))
            return
        self.app.call_from_thread(self.notify, "Note saved.", timeout=3)
        self.app.call_from_thread(self.reload, keep_id=keep_id)

    def action_story(self) -> None:
        """``g``: the story of the evidence (else of the item's article)."""
        entry = self.current
        story = entry and (entry.proposal.article_story or entry.proposal.item_article_story)
        if not story:
            self.notify("This proposal belongs to no story.", severity="warning")
            return
        from claimtrack.review.screens.story import StoryScreen

        self.app.push_screen(StoryScreen(self.store, story))

    def action_history(self) -> None:
        from claimtrack.review.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.store))

    def action_items(self, status: str | None = None) -> None:
        from claimtrack.review.screens.items import ItemsScreen

        self.app.push_screen(ItemsScreen(self.store, status))

    def action_help(self) -> None:
        from claimtrack.review.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    async def action_quit(self) -> None:
        if self.in_flight:
            self.notify("Saving the last decision…", timeout=2)
            await self.workers.wait_for_complete()
        self.app.exit()
