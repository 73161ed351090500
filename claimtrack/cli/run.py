"""``claimtrack run``: the main job."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from claimtrack.cli.app import AppContext, info_line, json_option, pass_app, print_json
from claimtrack.cli.options import (
    backend_option,
    candidates_option,
    chosen_backend,
    chunk_tokens_option,
    concurrency_option,
    exit_code,
    extraction_summary,
    ingest_summary,
    max_bytes_option,
    model_option,
    no_cache_option,
    progress_bars,
    prompt_option,
    report_extraction_failures,
    report_input_problem,
    report_tracking_failures,
    story_option,
    tracking_summary,
)
from claimtrack.services.extract import ExtractOptions
from claimtrack.services.run import RunHooks, run_job
from claimtrack.services.track import TrackOptions

if TYPE_CHECKING:
    from claimtrack.extraction.pipeline import ExtractReport
    from claimtrack.ingest import IngestReport
    from claimtrack.services.track import TrackOutcome


@click.command(short_help="The main job: ingest, extract and track.")
@click.argument("paths", nargs=-1, required=True)
@backend_option
@model_option
@prompt_option
@concurrency_option
@no_cache_option
@chunk_tokens_option
@candidates_option
@max_bytes_option
@story_option
@json_option
@pass_app
def run(
    app: AppContext,
    paths: tuple[str, ...],
    backend: str | None,
    model: str | None,
    prompt_name: str | None,
    concurrency: int,
    no_cache: bool,
    chunk_tokens: int | None,
    k: int,
    max_bytes: int | None,
    story: str | None,
    as_json: bool,
) -> None:
    """The main job: ingest PATHS, extract claims and commitments from every article not yet
    extracted, then track them: judge each new article against the items of earlier articles
    and propose status changes for review.

    Safe to run again and again: known articles are duplicates, extracted ones are skipped, and
    a run that was interrupted is finished by the next.

    \b
    Examples:
      claimtrack run data/articles
      claimtrack run inbox/ --backend llm --model gpt-4o-mini --json
      claimtrack run reports/ --story "Gaza ceasefire"
      claimtrack claims list            # what was found
      claimtrack proposals list         # what changed, waiting for your decision
    """
    chosen = chosen_backend(backend)
    extract = ExtractOptions(
        backend=chosen,
        model=model,
        prompt_name=prompt_name,
        concurrency=concurrency,
        use_cache=not no_cache,
        chunk_tokens=chunk_tokens,
    )
    track = TrackOptions(  # --prompt names the extraction prompt; tracking uses its default
        backend=chosen, model=model, concurrency=concurrency, use_cache=not no_cache, k=k
    )
    report = run_job(
        app.store,
        app.settings,
        paths,
        extract,
        track,
        max_bytes=max_bytes,
        hooks=_saying_as_it_goes(quiet=as_json),
        story=story,
    )
    if as_json:
        print_json(report.to_json())
    sys.exit(exit_code(endpoint_down=report.endpoint_down, failures=report.failures))


def _saying_as_it_goes(*, quiet: bool) -> RunHooks:
    """Bad inputs and failures on stderr as they come; each stage's summary line unless
    ``quiet`` (--json)."""

    def ingested(report: IngestReport) -> None:
        if not quiet:
            info_line(ingest_summary(report))

    def extracted(report: ExtractReport) -> None:
        report_extraction_failures(report)
        if not quiet:
            info_line(extraction_summary(report))

    def tracked(outcome: TrackOutcome) -> None:
        report_tracking_failures(outcome)
        if not quiet:
            info_line(tracking_summary(outcome))

    return RunHooks(
        progress=progress_bars(show=not quiet),
        on_problem=report_input_problem,
        on_notice=info_line,
        on_ingested=ingested,
        on_extracted=extracted,
        on_tracked=tracked,
    )
