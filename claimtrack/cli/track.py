"""``claimtrack track``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from claimtrack.cli.app import AppContext, info_line, json_option, pass_app, print_json
from claimtrack.cli.options import (
    backend_option,
    batch_option,
    candidates_option,
    chosen_backend,
    concurrency_option,
    exit_code,
    model_option,
    no_cache_option,
    progress_bars,
    prompt_option,
    report_batches,
    report_tracking_failures,
    tracking_summary,
)
from claimtrack.errors import UsageError
from claimtrack.services.track import TrackOptions, TrackOutcome, run_tracking

if TYPE_CHECKING:
    from claimtrack.services.batches import BatchRun


@click.command(short_help="Judge new articles against earlier items: proposals.")
@click.argument("article_ids", nargs=-1)
@backend_option
@model_option
@prompt_option
@concurrency_option
@no_cache_option
@candidates_option
@batch_option
@json_option
@pass_app
def track(
    app: AppContext,
    article_ids: tuple[str, ...],
    backend: str | None,
    model: str | None,
    prompt_name: str | None,
    concurrency: int,
    no_cache: bool,
    k: int,
    batch: bool,
    as_json: bool,
) -> None:
    """Judge every extracted article not yet tracked (or only ARTICLE_IDS) against the claims and
    commitments of earlier articles, and propose status changes for a person to review.

    Retrieval (speaker and actor names, BM25 over the items' words) picks the top --candidates
    earlier items for each article; then one judge looks at them all: the rules backend (cue
    words: signed, approved, completed, rejected, denied, cancelled, postponed ...) or ONE LLM call
    per article, whatever the size of the store. Each relation that changes or supports a status
    becomes a proposal ('claimtrack proposals list'); a restatement is linked to the item it
    repeats. Only earlier articles are used: an older article never updates a newer item, and an
    undated article is ordered by when it was ingested (its proposals say so). An article that
    arrives late (published before articles already tracked) has its items judged by those
    later articles too.

    Tracking an article again creates nothing new.

    \b
    Examples:
      claimtrack track
      claimtrack track --backend llm --model gpt-4o-mini --json
      claimtrack proposals list
      claimtrack track --batch        (a backfill: submit now, run again to collect)
    """
    if batch:
        if backend == "rules":
            raise UsageError("--batch goes through the OpenAI Batch API: it needs --backend llm")
        backend = "llm"
    options = TrackOptions(
        backend=chosen_backend(backend),
        model=model,
        prompt_name=prompt_name,
        concurrency=concurrency,
        use_cache=not no_cache,
        k=k,
    )
    batches: BatchRun | None = None
    if batch:
        from claimtrack.services.batches import track_in_batches

        run = track_in_batches(app.store, app.settings, options, article_refs=article_ids)
        outcome, batches = TrackOutcome(run.report), run.batches
    else:
        outcome = run_tracking(
            app.store,
            app.settings,
            options,
            article_refs=article_ids,
            progress=progress_bars(show=not as_json),
        )
    report_tracking_failures(outcome)
    if as_json:
        print_json(
            {
                "articles_ingested": 0,
                "articles_extracted": 0,
                **outcome.report.to_json(),
                **({"batches": batches.to_json()} if batches else {}),
            }
        )
    else:
        if batches is None or outcome.report.articles_pending:
            info_line(tracking_summary(outcome))
        if batches is not None:
            report_batches(batches, "claimtrack track --batch")
    failures = len(outcome.report.failed) + (len(batches.ended) if batches else 0)
    sys.exit(exit_code(endpoint_down=outcome.endpoint_down, failures=failures))
