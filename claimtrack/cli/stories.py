"""``claimtrack stories``: the stories, and one story's items by status."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimtrack.cli.app import (
    AppContext,
    info_line,
    json_option,
    pass_app,
    plural,
    print_json,
    shorten,
    stdout_console,
)
from claimtrack.cli.options import article_line
from claimtrack.services import stories as story_service
from claimtrack.services.stories import StoryItem
from claimtrack.times import format_published, format_recorded


@click.group()
def stories() -> None:
    """Stories: the articles that share a story name, and what became of their items.

    An article's story comes from its record's 'story' field, from the name of the recheck
    source that brought it, or from 'ingest --story NAME' / 'run --story NAME'.
    """


@stories.command("list")
@json_option
@pass_app
def list_stories(app: AppContext, as_json: bool) -> None:
    """List the stories, the one with the latest article first.

    \b
    Examples:
      claimtrack stories list
      claimtrack stories list --json
    """
    found = story_service.list_stories(app.store)
    if as_json:
        print_json([story.to_json() for story in found])
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("story", overflow="fold")
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("open proposals", justify="right", no_wrap=True)
    table.add_column("first", no_wrap=True)
    table.add_column("latest", no_wrap=True)
    for story in found:
        table.add_row(
            escape(story.name),
            str(story.articles),
            str(story.items),
            str(story.open_proposals),
            (story.first_published or "-")[:10],
            (story.last_published or "-")[:10],
        )
    stdout_console().print(table)
    info_line(plural(len(found), "story", "stories"))


@stories.command("show")
@click.argument("name")
@json_option
@pass_app
def show_story(app: AppContext, name: str, as_json: bool) -> None:
    """Show one story: its items by status, each with its latest change (the evidence article
    and the note) and the proposals still open about it.

    NAME is the story's name, in any case. 'claims list --story NAME' and 'proposals list
    --story NAME' list the same items and proposals.
    """
    view = story_service.story_view(app.store, name)
    if as_json:
        print_json(view.to_json())
        return
    out = stdout_console()
    summary = view.summary
    out.print(
        f"[bold]{escape(summary.name)}[/]: {plural(summary.articles, 'article')}, "
        f"{plural(summary.items, 'item')}, {plural(summary.open_proposals, 'open proposal')}"
    )
    for status, entries in view.by_status.items():
        out.print()
        out.print(f"[bold]{status}[/] ({len(entries)})")
        for entry in entries:
            _print_story_item(out, entry)


def _print_story_item(out: Console, entry: StoryItem) -> None:
    item, change = entry.item, entry.latest_change
    waiting = f"  [yellow]{plural(entry.open_proposals, 'open proposal')}[/]"
    speaker = item.speaker_canonical or item.speaker or "-"
    out.print(
        f"  {item.id}  {item.kind}  {escape(speaker)}: {escape(shorten(item.text, 100))}"
        + (waiting if entry.open_proposals else ""),
        soft_wrap=True,
    )
    if change is None:
        return
    came = f"{change.from_status} → " if change.from_status else ""
    dated = format_published(
        change.article_published_at, change.article_precision, change.article_offset
    )
    out.print(
        f"      [dim]latest: {came}{change.to_status} by {escape(change.actor)}, "
        f"{format_recorded(change.at)}[/]",
        soft_wrap=True,
    )
    if change.article_id:
        evidence = article_line(
            change.article_title or change.article_id, change.article_source, dated,
            change.article_url,
        )  # fmt: skip
        out.print(f"      [dim]evidence: {escape(evidence)}[/]", soft_wrap=True)
    if change.note:
        out.print(f"      [dim]note: {escape(change.note)}[/]", soft_wrap=True)
