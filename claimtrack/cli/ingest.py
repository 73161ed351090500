"""``claimtrack ingest`` and ``claimtrack run``."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.app import (
    AppContext,
    cli,
    error_line,
    info_line,
    json_option,
    pass_app,
    plural,
    print_json,
    progress_bar,
    warning_line,
)
from claimtrack.config import default_backend, llm_configured
from claimtrack.errors import InputError
from claimtrack.ingest import IngestReport, InputWarning, Limits, ingest_paths


def _report_problem(item: InputError | InputWarning) -> None:
    if isinstance(item, InputError):
        error_line(item.message)
    else:
        warning_line(str(item))


def ingest_with_messages(
    app: AppContext, paths: tuple[str, ...], max_bytes: int | None, quiet: bool
) -> IngestReport:
    settings = app.settings
    limits = Limits(max_article_bytes=max_bytes or settings.max_article_bytes)
    with progress_bar(
        "ingesting", show=not quiet, min_total=2_000_000, in_bytes=True
    ) as on_progress:
        return ingest_paths(
            paths,
            app.store,
            limits=limits,
            batch_size=settings.ingest_batch_size,
            on_error=_report_problem,
            on_progress=on_progress,
        )


def ingest_summary(report: IngestReport) -> str:
    parts = [f"Ingested {plural(report.ingested, 'article')}"]
    extras = [plural(report.duplicates, "duplicate")]
    if report.revisions:
        extras.append(plural(report.revisions, "revision"))
    if report.failed:
        extras.append(f"{plural(len(report.failed), 'input')} failed")
    return f"{parts[0]} ({', '.join(extras)})."


max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse articles whose text is larger (bytes of UTF-8). "
    "Default: $CLAIMTRACK_MAX_ARTICLE_BYTES, else 2000000.",
)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@max_bytes_option
@json_option
@pass_app
def ingest(app: AppContext, paths: tuple[str, ...], max_bytes: int | None, as_json: bool) -> None:
    """Read articles from files and folders into the database.

    \b
    Formats, by extension (folders are walked recursively, hidden files skipped):
      .txt .md    the article text, with optional YAML front matter
                  (title, published, source, url, id)
      .html       a web page; the article text is extracted with trafilatura
      .json       one article object, or a list of them
      .jsonl      one article object a line
    Article objects have "text" and optionally id, title, published, source, url;
    other fields are kept as metadata.

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
    """
    report = ingest_with_messages(app, paths, max_bytes, quiet=as_json)
    if as_json:
        print_json(report.to_json())
    else:
        info_line(ingest_summary(report))
    sys.exit(1 if report.failed else 0)


backend_option = click.option(
    "--backend",
    type=click.Choice(["llm", "rules"]),
    default=None,
    help="llm: an OpenAI-compatible model; rules: offline patterns. "
    "Default: llm when OPENAI_API_KEY or OPENAI_BASE_URL is set, else rules.",
)
model_option = click.option(
    "--model", default=None, help="The model name for the llm backend. Default: $CLAIMTRACK_MODEL."
)
prompt_option = click.option(
    "--prompt",
    "prompt_name",
    default=None,
    help="The prompt in prompts/ to use, as NAME[@VERSION].",
)
concurrency_option = click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="LLM calls in flight at once.",
)


def resolve_backend(backend: str | None) -> str:
    """The backend to use, saying once when the offline default was chosen."""
    if backend is None:
        backend = default_backend()
        if not llm_configured():
            info_line("No OPENAI_API_KEY or OPENAI_BASE_URL set: using the offline rules backend.")
    return backend
