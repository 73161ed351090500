"""``claimtrack ingest``."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.app import AppContext, info_line, json_option, pass_app, print_json
from claimtrack.cli.options import (
    ingest_summary,
    max_bytes_option,
    progress_bars,
    report_input_problem,
    story_option,
)
from claimtrack.services.ingest import ingest_inputs


@click.command()
@click.argument("paths", nargs=-1, required=True)
@max_bytes_option
@story_option
@json_option
@pass_app
def ingest(
    app: AppContext,
    paths: tuple[str, ...],
    max_bytes: int | None,
    story: str | None,
    as_json: bool,
) -> None:
    """Read articles from files and folders into the database.

    \b
    Formats, by extension (folders are walked recursively, hidden files skipped):
      .txt .md    the article text, with optional YAML front matter
                  (title, published, source, url, id)
      .html       a web page; the article text is extracted with trafilatura
      .json       one article object, or a list of them
      .jsonl      one article object a line
    Article objects have "text" and optionally id, title, published, source, url,
    story; other fields are kept as metadata.

    The same text is stored once (its id is a hash of the text), so ingesting again is safe and
    reports duplicates. The same URL with a different text becomes a new revision linked to the
    earlier one. Dates are read in ISO and common news formats; a missing or unreadable date is
    stored as missing, never guessed.

    A bad input (missing, empty, binary, not UTF-8, malformed line, no text, too large, unknown
    type) gets one error line and the rest goes on; the exit code is then 1.

    \b
    Examples:
      claimtrack ingest data/articles
      claimtrack ingest story.md notes/*.jsonl --json
      claimtrack ingest reports/ --story "Gaza ceasefire"
    """
    report = ingest_inputs(
        app.store,
        app.settings,
        paths,
        max_bytes=max_bytes,
        progress=progress_bars(show=not as_json),
        on_problem=report_input_problem,
        story=story,
    )
    if as_json:
        print_json(report.to_json())
    else:
        info_line(ingest_summary(report))
    sys.exit(1 if report.failed else 0)
