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
from claimtrack.times import format_published, format_recorded

ORDER_NOTE = "order assumed from ingestion"


def _dated(title: str | None, published: str, source: str | None) -> Text:
    parts = [title or "(untitled)", published]
    if source:
        parts.append(source)
    return plain(" · ".join(parts), style="italic")


def url_line(url: str | None) -> Text:
    """The article's address as text (``o`` opens it), or nothing."""
    return Text.assemble(("\n", ""), plain(url, style="underline")) if url else Text()


def order_note(reason: str | None) -> str:
    """What the judge said about the order of the two articles when only the ingestion order
    gave it (for example "both articles are of the same day and this article gives no time")."""
    for part in (reason or "").split("; "):
        if part.startswith(ORDER_NOTE):
            return part
    return ORDER_NOTE


def _reason(reason: str | None) -> str:
    return "; ".join(p for p in (reason or "").split("; ") if not p.startswith(ORDER_NOTE))


def _event_line(event: TimelineEvent) -> Text:
    change = (
        plain(f"  {event.kind}: {event.to_status} stays")
        if event.kind in ("note", "link")
        else Text.assemble(
            plain(f"  {event.from_status or '—'} → "), plain(event.to_status, style="bold")
        )
    )
    return Text.assemble(
        plain(format_recorded(event.at), style="dim"),
        change,
        plain(f"  {event.actor}", style="dim"),
    )


def timeline_text(timeline: Sequence[TimelineEvent]) -> Text:
    """One entry per event, oldest first: when it was recorded (local time, marked), the change
    (or the note) and who made it; the evidence article (title, date in its zone, source, URL)
    and the note of each change."""
    shown = Text()
    for event in timeline:
        if shown:
            shown.append("\n")
        shown.append_text(_event_line(event))
        if event.article_title or event.article_published_at:
            published = format_published(
                event.article_published_at, event.article_precision, event.article_offset
            )
            shown.append("\n    in ")
            shown.append_text(_dated(event.article_title, published, event.article_source))
            if event.article_url:
                shown.append_text(plain(f"\n    {event.article_url}", style="underline dim"))
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
            _dated(
                p.item_article_title,
                format_published(
                    p.item_article_published, p.item_article_precision, p.item_article_offset
                ),
                p.item_source,
            ),
        )
        if entry.item_passage:
            item.append("\n")
            item.append_text(entry.item_passage.highlighted())
        self.query_one("#item-body", Static).update(item)

        published = format_published(p.article_published, p.article_precision, p.article_offset)
        evidence = _dated(p.article_title, published, p.article_source or p.source)
        evidence.append_text(url_line(p.article_url))
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
            change.append_text(plain(f" by {p.decided_by} at {format_recorded(p.decided_at)}"))
        if p.applied_relation:
            change.append_text(plain(f", as {p.applied_relation}"))
        change.append(")")
        if _reason(p.reason):
            change.append_text(plain(f"\nwhy: {_reason(p.reason)}", style="dim"))
        if p.order_basis == "ingestion":
            change.append_text(plain(f"\n{order_note(p.reason)}", style="yellow"))
        if p.note:
            change.append_text(plain(f"\nnote: {p.note}"))
        if p.conflicts_with:
            disagree = f"\n! other open proposals disagree: {', '.join(p.conflicts_with)}"
            change.append_text(plain(disagree, style="bold red"))
        change.append_text(plain(f"\nproposal {p.id} · {p.backend} {p.prompt_id}", style="dim"))
        self.query_one("#change-body", Static).update(change)
        self.query_one("#timeline-body", Static).update(timeline_text(entry.timeline))
        self.scroll_home(animate=False)
