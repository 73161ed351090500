"""``claimtrack claims``: list and show claims and commitments, their speakers, set a status."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from claimtrack.cli.app import (
    AppContext,
    info_line,
    json_option,
    json_or_page,
    limit_option,
    listed_line,
    markup_safe,
    pass_app,
    plural,
    print_json,
    quote_in_context,
    shorten,
    stdout_console,
)
from claimtrack.cli.options import article_line, current_user
from claimtrack.extraction.identity import speakers_by_person, spellings_of
from claimtrack.services import decisions, history
from claimtrack.statuses import ALL_STATUSES
from claimtrack.store import articles as article_rows
from claimtrack.store import items as item_rows
from claimtrack.store.review import TimelineEvent
from claimtrack.times import format_published, format_recorded


@click.group()
def claims() -> None:
    """Claims and commitments extracted from the articles."""


@claims.command("list")
@click.option("--status", type=click.Choice(ALL_STATUSES), help="Only items with this status.")
@click.option(
    "--kind", type=click.Choice(["claim", "commitment"]), help="Only claims or commitments."
)
@click.option(
    "--speaker",
    help="Only items whose speaker contains this (as written or canonical), or whose canonical "
    "speaker is this name spelt another way: Zelenskiy also finds Zelensky and Zelenskyy.",
)
@click.option("--article", "article_ref", help="Only items from this article (id or prefix).")
@click.option("--story", help="Only items from the articles of this story (any case).")
@limit_option
@json_option
@pass_app
def list_claims(
    app: AppContext,
    status: str | None,
    kind: str | None,
    speaker: str | None,
    article_ref: str | None,
    story: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List claims and commitments with their current status.

    \b
    Examples:
      claimtrack claims list --kind commitment --status awaiting_trigger
      claimtrack claims list --speaker Starmer --json
      claimtrack claims list --story gm
    """
    with app.store.read() as con:
        article_id = article_rows.get_article(con, article_ref).id if article_ref else None
        names = spellings_of(speaker, item_rows.canonical_speakers(con)) if speaker else []
        chosen = item_rows.ItemFilter(status, kind, speaker, names, article_id, story)
        page = json_or_page(
            lambda shown: item_rows.iter_items(con, chosen, limit=shown),
            lambda: item_rows.count_items(con, chosen),
            item_rows.StoredItem.to_json,
            limit=limit,
            as_json=as_json,
        )
    if page is None:
        return
    found, total = page
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=16)  # never cut: it is what you type next
    table.add_column("kind", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=24)
    table.add_column("text", overflow="fold", ratio=1)
    for item in found:
        table.add_row(
            item.id,
            markup_safe(item.kind),
            markup_safe(item.status),
            markup_safe(item.speaker_canonical or item.speaker or "-"),
            markup_safe(item.text),
        )
    stdout_console().print(table)
    info_line(listed_line(len(found), total, "item"))


@claims.command("speakers")
@click.option(
    "--kind", type=click.Choice(["claim", "commitment"]), help="Count only claims or commitments."
)
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@json_option
@pass_app
def list_speakers(app: AppContext, kind: str | None, limit: int | None, as_json: bool) -> None:
    """Who the items are from: one row per person or body, most items first.

    A person's names across articles are one row ("Zelensky" and "Volodymyr Zelenskyy"; "GM"
    and "General Motors Corporation"), with the roles the articles gave them. Names are joined
    only when the rules are sure: a surname alone that two people share ("Clinton") keeps a row
    of its own. Items whose speaker is a description ("a senior official") are counted at the
    end. 'claims list --speaker NAME' lists one speaker's items.

    \b
    Examples:
      claimtrack claims speakers --limit 20
      claimtrack claims speakers --kind commitment --json
    """
    with app.store.read() as con:
        speakers, unnamed = speakers_by_person(item_rows.speaker_rows(con, kind=kind))
    shown = speakers[:limit] if limit else speakers
    if as_json:
        print_json(shown)
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("speaker", overflow="fold", max_width=26)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("last seen", no_wrap=True)
    table.add_column("also named · role", overflow="fold", ratio=1)
    for speaker in shown:
        others = ", ".join(name for name in speaker["names"] if name != speaker["name"])
        role = speaker["roles"][0] if speaker["roles"] else ""
        table.add_row(
            markup_safe(speaker["name"]),
            str(speaker["items"]),
            str(speaker["articles"]),
            markup_safe(speaker["last_published"] or "-"),
            markup_safe(shorten(" · ".join(part for part in (others, role) if part), 60)),
        )
    stdout_console().print(table)
    info_line(
        f"{plural(len(speakers), 'named speaker')}"
        + (f" ({len(shown)} shown)" if len(shown) < len(speakers) else "")
        + f"; {plural(unnamed, 'item')} with no named speaker"
    )


@claims.command("show")
@click.argument("item_id")
@json_option
@pass_app
def show_claim(app: AppContext, item_id: str, as_json: bool) -> None:
    """Show one claim or commitment: its quote in context, its fields and its timeline.

    ITEM_ID is the id from 'claims list' or a unique prefix of it (4 characters or more).

    The timeline is in the order of the evidence's dates: each status change with the article
    that made it (title, source, date, URL), the quote and the reviewer's note; notes and
    links made by hand; the extraction on its own line. Article times are shown in the zone
    the article gave; times claimtrack recorded, in your local zone with its offset.
    """
    found = history.item_history(app.store, item_id)
    item, article = found.item, found.article
    if as_json:
        print_json(item.to_json())
        return
    out = stdout_console()
    out.print(f"[bold]{markup_safe(item.text)}[/]", soft_wrap=True)
    start, end = item.span
    out.print(quote_in_context(article.text, start, end, item.quote, width=160), soft_wrap=True)
    title = article.title or article.id
    fields = [
        ("id", item.id),
        ("kind", item.kind),
        ("status", item.status),
        ("speaker", item.speaker),
        ("canonical", item.speaker_canonical),
        ("role", item.speaker_role),
        ("cue", item.cue),
        ("type", item.claim_type),
        ("actors", ", ".join(item.actors) if item.actors else None),
        ("action", item.action),
        ("condition", item.condition),
        (
            "deadline",
            f"{item.deadline_text} ({item.deadline or 'no date'})" if item.deadline_text else None,
        ),
        ("stage", item.stage),
        ("about", f"the state of item {item.refers_to}" if item.refers_to else None),
        ("rule", item.rule),
        ("article", article_line(title, article.source, article.published_label, None)),
        ("url", article.url),
        ("story", article.story),
        ("span", f"{start}-{end}"),
    ]
    out.print()
    for label, value in fields:
        if value is not None and value != "":
            out.print(f"[dim]{label}:[/] {markup_safe(str(value))}", soft_wrap=True)
    out.print()
    out.print("[bold]timeline[/] [dim](by the evidence's date)[/]")
    if found.extraction is not None:
        _print_extraction(out, found.extraction)
    for event in found.events:
        _print_event(out, event)


def _print_extraction(out: Console, event: TimelineEvent) -> None:
    """The item's first status, under its own article's date, and when it was extracted."""
    when = format_published(
        event.article_published_at, event.article_precision, event.article_offset
    )
    out.print(f"  {when}  {event.to_status}  [dim]first reported[/]")
    _print_evidence(out, event, "in")
    recorded = f"extracted {format_recorded(event.at)}"
    note = markup_safe(event.note or "")
    out.print(f"      [dim]{markup_safe(recorded)} · {note}[/]", soft_wrap=True)


def _print_evidence(out: Console, event: TimelineEvent, label: str) -> None:
    if event.article_id:
        evidence = article_line(
            event.article_title or event.article_id, event.article_source, None, event.article_url
        )
        out.print(f"      {label}: {markup_safe(evidence)}", soft_wrap=True)


def _print_event(out: Console, event: TimelineEvent) -> None:
    """One event: the evidence's date, the change (or note, or link), who and when, then the
    evidence article, its quote and the note."""
    if event.article_id:
        when = format_published(
            event.article_published_at, event.article_precision, event.article_offset
        )
    else:
        when = "(no article)"
    if event.kind == "status":
        what = f"{event.from_status} → [bold]{event.to_status}[/]"
    else:
        what = f"[bold]{event.kind}[/] ({event.to_status})"
    who = f"{event.actor}, {format_recorded(event.at)}"
    out.print(f"  {when}  {what}  [dim]{markup_safe(who)}[/]", soft_wrap=True)
    _print_evidence(out, event, "evidence")
    if event.quote:
        out.print(f"      “{markup_safe(event.quote)}”", soft_wrap=True)
    if event.note:
        out.print(f"      note: {markup_safe(event.note)}", soft_wrap=True)


@claims.command("set-status")
@click.argument("item_id")
@click.argument("status")
@click.option("--note", help="Why, in your words (kept with the event).")
@json_option
@pass_app
def set_status(app: AppContext, item_id: str, status: str, note: str | None, as_json: bool) -> None:
    """Change an item's status directly, without a proposal (recorded as your event).

    \b
    Claims: open, corroborated, contradicted, retracted, disputed, unclear
    Commitments: pending, awaiting_trigger, finalized, in_progress, fulfilled,
                 partially_fulfilled, stalled, contradicted, withdrawn, overdue, unclear
    """
    item = decisions.set_status(app.store, item_id, status, actor=current_user(), note=note)
    if as_json:
        print_json(item.to_json())
    else:
        info_line(f"{item.id} is now {item.status}.")


@claims.command("note")
@click.argument("item_id")
@click.argument("text")
@json_option
@pass_app
def note_claim(app: AppContext, item_id: str, text: str, as_json: bool) -> None:
    """Add a note to an item without changing its status (recorded as your event; shown in
    'claims show').

    \b
    Example:
      claimtrack claims note 3f2a9c "Ministry spokesperson confirmed by phone; awaiting letter"
    """
    item = history.add_note(app.store, item_id, text, actor=current_user())
    if as_json:
        print_json(item.to_json())
    else:
        info_line(f"noted on {item.id} (still {item.status}).")


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    start, sep, end = value.partition(":")
    if not sep or not start.strip().isdigit() or not end.strip().isdigit():
        raise click.BadParameter(f"{value!r} is not START:END (for example 120:188)")
    return int(start), int(end)


@claims.command("link")
@click.argument("item_id")
@click.argument("article_id")
@click.option("--quote", help="The evidence, copied word for word from the article.")
@click.option("--span", "span_text", help="The evidence as START:END character offsets.")
@click.option(
    "--relation",
    type=click.Choice(history.LINK_RELATIONS),
    default="mentions",
    show_default=True,
    help="What the evidence does to the item ('repeats' over the article's own item marks it "
    "a restatement).",
)
@click.option("--note", help="Why, in your words (kept with the event).")
@json_option
@pass_app
def link_claim(
    app: AppContext,
    item_id: str,
    article_id: str,
    quote: str | None,
    span_text: str | None,
    relation: str,
    note: str | None,
    as_json: bool,
) -> None:
    """Link an item to evidence in a later article by hand (recorded as your event).

    The evidence is the quote (found word for word in the article, else one error line and
    exit 1), the span, or without either the whole article. The item's status stays; change it
    with 'claims set-status'.

    \b
    Examples:
      claimtrack claims link 3f2a9c 81d0e2 --quote "the plant closed on Friday" --relation fulfils
      claimtrack claims link 3f2a9c 81d0e2 --span 120:188 --relation repeats
    """
    made = history.link_evidence(
        app.store,
        item_id,
        article_id,
        actor=current_user(),
        quote=quote,
        span=_span(span_text),
        relation=relation,
        note=note,
    )
    if as_json:
        print_json(
            {
                "item_id": made.item.id,
                "article_id": made.article.id,
                "relation": made.relation,
                "span": list(made.span) if made.span else None,
                "quote": made.quote,
                "occurrences": made.occurrences,
                "restatement": made.restatement_of,
                "status": made.item.status,
            }
        )
        return
    where = f" at {made.span[0]}:{made.span[1]}" if made.span else " (the whole article)"
    info_line(f"{made.item.id} linked to {made.article.id}{where} as {made.relation}.")
    if made.occurrences > 1:
        info_line(f"The quote occurs {made.occurrences} times; the first is linked.")
    if made.restatement_of:
        info_line(f"{made.restatement_of} is now a restatement of {made.item.id}.")
