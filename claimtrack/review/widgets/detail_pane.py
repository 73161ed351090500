"""The detail pane: the item, the new evidence, the proposed change, the item's timeline."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from claimtrack.review.data import Entry
from claimtrack.review.shown import plain
from claimtrack.store.review import TimelineEvent


def _dated(title: str | None, published: str | None, source: str | None) -> Text:
    parts = [title or "(untitled)", (published or "undated")[:10]]
    if source:
        parts.append(source)
    return plain(" · ".join(parts), style="italic")


def timeline_text(timeline: Sequence[TimelineEvent]) -> Text:
    """One line per event, oldest first: date, who, from → to, and the note or evidence."""
    shown = Text()
    for event in timeline:
        if shown:
            shown.append("\n")
        shown.append_text(plain(event.at[:10], style="dim"))
        shown.append_text(plain(f"  {event.from_status or '—'} → "))
        shown.append_text(plain(event.to_status, style="bold"))
        shown.append_text(plain(f"  {event.actor}", style="dim"))
        if event.article_title:
            shown.append_text(plain(f"\n    in {event.article_title}", style="italic"))
        if event.note:
            shown.append_text(plain(f"\n    {event.note}", style="dim"))
    return shown or Text("no events", style="dim")


class DetailPane(VerticalScroll):
    """What the cursor row is about, side by side with its evidence."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry_id: str | None = None  # the proposal shown (tests and the benchmark read it)

    def compose(self) -> ComposeResult:
        yield Static("ITEM", classes="section-title", id="item-title")
        yield Static(id="item-body")
        yield Static("NEW EVIDENCE", classes="section-title", id="evidence-title")
        yield Static(id="evidence-body")
        yield Static("PROPOSED CHANGE", classes="section-title", id="change-title")
        yield Static(id="change-body")
        yield Static("TIMELINE", classes="section-title", id="timeline-title")
        yield Static(id="timeline-body")

    def show(self, entry: Entry | None) -> None:
        self.entry_id = entry.id if entry else None
        if entry is None:
            self.query_one("#item-body", Static).update(
                Text("Nothing to review here. / to change the filter, ctrl+r to refresh.")
            )
            for part in ("evidence", "change", "timeline"):
                self.query_one(f"#{part}-body", Static).update("")
            return
        p = entry.proposal
        item = Text.assemble(
            plain(p.item_speaker or "(no speaker)", style="bold"),
            plain(f"  {p.item_kind} · now "),
            plain(p.item_status, style="bold"),
            plain(f"\n{p.item_text}\n"),
            _dated(p.item_article_title, p.item_article_published, p.item_source),
        )
        if entry.item_passage:
            item.append("\n")
            item.append_text(entry.item_passage.highlighted())
        self.query_one("#item-body", Static).update(item)

        evidence = _dated(p.article_title, p.article_published, p.source)
        if entry.evidence_passage:
            evidence.append("\n")
            evidence.append_text(entry.evidence_passage.highlighted())
        elif p.quote:
            evidence.append_text(plain(f"\n{p.quote}"))
        self.query_one("#evidence-body", Static).update(evidence)

        change = Text.assemble(
            plain(p.relation, style="bold"),
            plain(f": {p.from_status} → "),
            plain(p.to_status, style="bold"),
            plain(f"   ({p.state}"),
        )
        if p.decided_by:
            change.append_text(plain(f" by {p.decided_by} at {p.decided_at}"))
        change.append(")")
        if p.reason:
            change.append_text(plain(f"\nwhy: {p.reason}", style="dim"))
        if p.order_basis == "ingestion":
            change.append("\nthe evidence is undated: ordered by ingestion", style="yellow")
        if p.conflicts_with:
            disagree = f"\n! other open proposals disagree: {', '.join(p.conflicts_with)}"
            change.append_text(plain(disagree, style="bold red"))
        change.append_text(plain(f"\nproposal {p.id} · {p.backend} {p.prompt_id}", style="dim"))
        self.query_one("#change-body", Static).update(change)
        self.query_one("#timeline-body", Static).update(timeline_text(entry.timeline))
        self.scroll_home(animate=False)
