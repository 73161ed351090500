"""``claimtrack run``: the main job."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.app import AppContext, cli, info_line, json_option, pass_app, print_json
from claimtrack.cli.extract import (
    chunk_tokens_option,
    exit_code,
    extraction_summary,
    no_cache_option,
    report_failures,
    run_extraction,
)
from claimtrack.cli.ingest import (
    backend_option,
    concurrency_option,
    ingest_summary,
    ingest_with_messages,
    max_bytes_option,
    model_option,
    prompt_option,
    resolve_backend,
)
from claimtrack.cli.track import (
    candidates_option,
    report_tracking_failures,
    run_tracking,
    tracking_summary,
)
from claimtrack.errors import EXIT_TEMPFAIL


@cli.command(short_help="The main job: ingest, extract and track.")
@click.argument("paths", nargs=-1, required=True)
@backend_option
@model_option
@prompt_option
@concurrency_option
@no_cache_option
@chunk_tokens_option
@candidates_option
@max_bytes_option
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
      claimtrack claims list            # what was found
      claimtrack proposals list         # what changed, waiting for your decision
    """
    chosen = resolve_backend(backend)
    ingested = ingest_with_messages(app, paths, max_bytes, quiet=as_json)
    if not as_json:
        info_line(ingest_summary(ingested))
    extracted = run_extraction(
        app,
        backend=chosen,
        model=model,
        prompt_name=prompt_name,
        concurrency=concurrency,
        no_cache=no_cache,
        chunk_tokens=chunk_tokens,
        only=None,
        quiet=as_json,
    )
    report_failures(extracted)
    if not as_json:
        info_line(extraction_summary(extracted))
    tracked, endpoint_down = run_tracking(
        app,
        backend=chosen,
        model=model,
        prompt_name=None,  # --prompt names the extraction prompt; tracking uses its default
        concurrency=concurrency,
        no_cache=no_cache,
        k=k,
        only=None,
        quiet=as_json,
    )
    report_tracking_failures(tracked, endpoint_down)
    if not as_json:
        info_line(tracking_summary(tracked))
    failed = ingested.to_json()["failed"] + extracted.failed + tracked.failed
    if as_json:
        print_json(
            {
                "articles_ingested": ingested.ingested,
                "duplicates": ingested.duplicates,
                "articles_extracted": extracted.articles_extracted,
                "articles_tracked": tracked.articles_tracked,
                "proposals_created": tracked.proposals_created,
                "links_created": tracked.links_created,
                "llm_calls": extracted.llm_calls + tracked.llm_calls,
                "items_new": extracted.items_new,
                "items_dropped": extracted.items_dropped,
                "cache_hits": extracted.cache_hits + tracked.cache_hits,
                "failed": failed,
            }
        )
    code = exit_code(extracted, len(ingested.failed) + len(tracked.failed))
    if endpoint_down and code != EXIT_TEMPFAIL:
        code = EXIT_TEMPFAIL
    sys.exit(code)
