"""What several commands share: their options, and how they say what a use case did.

Command modules import this and ``app``, never one another.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import click

from claimtrack.cli.app import F, error_line, info_line, plural, progress_bar, warning_line
from claimtrack.config import current_user as current_user  # the CLI's and the queue's
from claimtrack.errors import EXIT_TEMPFAIL, InputError
from claimtrack.services.reporting import report_failed_articles

if TYPE_CHECKING:
    from claimtrack.extraction.pipeline import ExtractReport
    from claimtrack.ingest import IngestReport, InputWarning
    from claimtrack.services.batches import BatchRun
    from claimtrack.services.reporting import Progress, ProgressBars
    from claimtrack.services.track import TrackOutcome

BAR_MIN_BYTES = 2_000_000  # a bar helps only for inputs this large ...
BAR_MIN_ARTICLES = 20  # ... or this many articles

# -- options --------------------------------------------------------------------------------------

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
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Call the model even when a cached answer exists."
)
chunk_tokens_option = click.option(
    "--chunk-tokens",
    type=click.IntRange(min=200),
    default=None,
    help="Split articles longer than this many tokens (about 4 characters each) into "
    "overlapping pieces. Default: $CLAIMTRACK_CHUNK_TOKENS, else 3000.",
)

batch_option = click.option(
    "--batch",
    is_flag=True,
    help="Through the OpenAI Batch API (half price, answers within 24 h): collect the batches "
    "that finished, then submit the articles still pending as a new batch and return at once. "
    "Run the same command again to collect it.",
)


def candidates_option(func: F) -> F:
    """``--candidates``; tracking (and its default) is imported only by the commands that track,
    not by every command that shares these options."""
    from claimtrack.tracking.pipeline import DEFAULT_K

    return click.option(
        "--candidates",
        "k",
        type=click.IntRange(min=1, max=500),
        default=DEFAULT_K,
        show_default=True,
        help="Earlier items judged per article (the retrieval's top k). Still one LLM call per "
        "article; lower it for a model with a small context window (each item adds ~80 tokens).",
    )(func)


max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse articles whose text is larger (bytes of UTF-8). "
    "Default: $CLAIMTRACK_MAX_ARTICLE_BYTES, else 2000000.",
)

story_option = click.option(
    "--story",
    default=None,
    help='Put the articles read into this story (for example "Gaza ceasefire"): those whose '
    "record names no 'story' of its own, and those already stored in none.",
)


def chosen_backend(backend: str | None) -> str:
    """``--backend``, else the default, saying once when the offline default was chosen."""
    from claimtrack.services.extract import resolve_backend

    return resolve_backend(backend, on_notice=info_line)


def progress_bars(*, show: bool) -> ProgressBars:
    """A progress bar on stderr for each stage of a use case (none when ``show`` is false)."""

    def bar(label: str, *, in_bytes: bool = False) -> AbstractContextManager[Progress]:
        least = BAR_MIN_BYTES if in_bytes else BAR_MIN_ARTICLES
        return progress_bar(label, show=show, min_total=least, in_bytes=in_bytes)

    return bar


def exit_code(*, endpoint_down: str | None, failures: int) -> int:
    """75 when the endpoint failed for every article (a scheduler should retry), else 1 when
    anything failed, else 0."""
    if endpoint_down:
        return EXIT_TEMPFAIL
    return 1 if failures else 0


# -- what the commands say ------------------------------------------------------------------------


def article_line(
    title: str | None, source: str | None, published: str | None, url: str | None
) -> str:
    """An article as the timelines and proposals name it: ``title · source · date · URL``
    (``published`` already formatted by :mod:`claimtrack.times`); the URL as plain text."""
    parts = [title or "(untitled)", source, published, url]
    return " · ".join(part for part in parts if part)


def report_input_problem(item: InputError | InputWarning) -> None:
    if isinstance(item, InputError):
        error_line(item.message)
    else:
        warning_line(str(item))


def ingest_summary(report: IngestReport) -> str:
    parts = [f"Ingested {plural(report.ingested, 'article')}"]
    extras = [plural(report.duplicates, "duplicate")]
    if report.revisions:
        extras.append(plural(report.revisions, "revision"))
    if report.failed:
        extras.append(f"{plural(len(report.failed), 'input')} failed")
    line = f"{parts[0]} ({', '.join(extras)})"
    if report.unchanged:
        line += f"; {plural(report.unchanged, 'file')} unchanged since read, not read again"
    return line + "."


def extraction_summary(report: ExtractReport) -> str:
    line = (
        f"Extracted {plural(report.articles_extracted, 'article')} "
        f"with {report.backend}{f' ({report.model})' if report.model else ''}, "
        f"prompt {report.prompt_id}: {plural(report.items_new, 'new item')}"
    )
    if report.items_dropped:
        line += f", {report.items_dropped} dropped as not grounded in the text"
    if report.backend == "llm":
        line += f"; {plural(report.llm_calls, 'LLM call')}, {report.cache_hits} from cache"
        line += f", {report.prompt_tokens + report.completion_tokens:,} tokens"
        if report.cost_usd is not None:
            line += f", about ${report.cost_usd:.4f}"
    if report.failed:
        line += f"; {plural(len(report.failed), 'article')} failed (run again to retry them)"
    if report.articles_pending == 0:
        line = f"Nothing to extract: every article is already extracted with {report.prompt_id}."
    return line + ("" if line.endswith(".") else ".")


def report_extraction_failures(report: ExtractReport) -> None:
    if report.endpoint_down:  # one line: each article's reason is that one (and in --json)
        error_line(f"{report.endpoint_down}; try again later")
        return
    report_failed_articles(report.failed, error_line)


def tracking_summary(outcome: TrackOutcome) -> str:
    report = outcome.report
    if report.articles_pending == 0:
        return (
            f"Nothing to track: every extracted article is already tracked with {report.prompt_id}."
        )
    line = (
        f"Tracked {plural(report.articles_tracked, 'article')} with {report.backend}"
        f"{f' ({report.model})' if report.model else ''} against "
        f"{plural(report.index_items, 'earlier item')}: "
        f"{plural(report.proposals_created, 'new proposal')}, "
        f"{plural(report.links_created, 'restatement')} linked"
    )
    if report.judgements_dropped:
        line += f", {report.judgements_dropped} judgements dropped (evidence not in the text)"
    if report.backend == "llm":
        line += f"; {plural(report.llm_calls, 'LLM call')}, {report.cache_hits} from cache"
    if report.embedding_requests:
        line += f"; {plural(report.embedding_requests, 'embeddings request')}"
    if report.undated:
        line += f"; {plural(report.undated, 'article')} ordered by ingestion (undated or same day)"
    if report.backfill_judged:
        line += (
            f"; {plural(report.backfill_judged, 'article')} tracked before judged again against "
            "earlier articles that arrived late"
        )
    if report.failed:
        line += f"; {plural(len(report.failed), 'article')} failed (run again to retry them)"
    return line + "."


def report_tracking_failures(outcome: TrackOutcome) -> None:
    report = outcome.report
    if report.embedding_error:
        warning_line(f"{report.embedding_error}; tracked with lexical retrieval only")
    if outcome.endpoint_down:  # one line: each article's reason is that one (and in --json)
        error_line(f"{outcome.endpoint_down}; try again later")
        return
    report_failed_articles(report.failed, error_line)


def report_batches(run: BatchRun, command: str) -> None:
    """One line per batch: collected, still running, ended unanswered, or just submitted."""
    for batch in run.collected:
        info_line(
            f"Collected batch {batch['batch_id']}: {plural(batch['articles'], 'article')}, "
            f"{batch['requests_completed']} of {plural(batch['requests'], 'request')} answered."
        )
    for batch in run.waiting:
        info_line(
            f"Batch {batch['batch_id']} is {batch['status']} ({batch['requests_completed']} of "
            f"{plural(batch['requests'], 'request')} answered); run '{command}' again later "
            "to collect it."
        )
    for batch in run.ended:
        error_line(
            f"batch {batch['batch_id']} {batch['status']}: {batch['error']}; its "
            f"{plural(batch['articles'], 'article')} are left for a normal run "
            f"('{command.removesuffix(' --batch')}')"
        )
    if run.left_for_live_run:
        info_line(
            f"{plural(run.left_for_live_run, 'article')} already went into an earlier batch "
            f"without a usable answer: a normal run ('{command.removesuffix(' --batch')}') "
            "re-asks them."
        )
    for batch in run.submitted:
        info_line(
            f"Submitted batch {batch['batch_id']}: {plural(batch['articles'], 'article')}, "
            f"{plural(batch['requests'], 'request')}; the endpoint answers within 24 hours. "
            f"Run '{command}' again to collect it."
        )
    if not (run.collected or run.waiting or run.ended or run.submitted):
        info_line("No batch to collect and nothing left to submit.")
