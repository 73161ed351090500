"""``claimtrack claims``: list and show claims and commitments, their speakers, set a status."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from claimtrack.cli.app import (
    AppContext,
    cli,
    info_line,
    json_option,
    markup_safe,
    pass_app,
    plural,
    print_json,
    quote_in_context,
    shorten,
)
from claimtrack.cli.options import current_user
from claimtrack.extraction.identity import speakers_by_person, spellings_of
from claimtrack.services import decisions
from claimtrack.statuses import ALL_STATUSES
from claimtrack.store import articles as article_rows
from claimtrack.store import items as item_rows


@cli.group()
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
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@json_option
@pass_app
def list_claims(
    app: AppContext,
    status: str | None,
    kind: str | None,
    speaker: str | None,
    article_ref: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List claims and commitments with their current status.

    \b
    Examples:
      claimtrack claims list --kind commitment --status awaiting_trigger
      claimtrack claims list --speaker Starmer --json
    """
    with app.store.read() as con:
        article_id = article_rows.get_article(con, article_ref).id if article_ref else None
        names = spellings_of(speaker, item_rows.canonical_speakers(con)) if speaker else []
        found = item_rows.list_items(
            con,
            status=status,
            kind=kind,
            speaker=speaker,
            speaker_names=names,
            article_id=article_id,
            limit=limit,
        )
    if as_json:
        print_json([item.to_json() for item in found])
        return
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
    Console().print(table)
    info_line(plural(len(found), "item"))


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
    Console().print(table)
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
    """
    with app.store.read() as con:
        item = item_rows.get_item(con, item_id)
        article = article_rows.get_article(con, item.article_id)
    if as_json:
        print_json(item.to_json())
        return
    out = Console(highlight=False)
    out.print(f"[bold]{markup_safe(item.text)}[/]", soft_wrap=True)
    start, end = item.span
    out.print(quote_in_context(article.text, start, end, item.quote, width=160), soft_wrap=True)
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
        ("article", f"{article.title or article.id} ({article.published_iso or 'undated'})"),
        ("span", f"{start}-{end}"),
    ]
    out.print()
    for label, value in fields:
        if value is not None and value != "":
            out.print(f"[dim]{label}:[/] {markup_safe(str(value))}", soft_wrap=True)
    out.print()
    out.print("[bold]timeline[/]")
    for event in item.events or ():
        came = f"{event.from_status} → " if event.from_status else ""
        change = markup_safe(f"{event.at}  {came}{event.to_status}")
        out.print(f"  {change}  [dim]{markup_safe(event.actor)}[/]")


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
