"""``claimtrack extract``."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

import click

from claimtrack.cli.app import AppContext, info_line, json_option, pass_app, print_json
from claimtrack.cli.options import (
    backend_option,
    batch_option,
    chosen_backend,
    chunk_tokens_option,
    concurrency_option,
    exit_code,
    extraction_summary,
    model_option,
    no_cache_option,
    progress_bars,
    prompt_option,
    report_batches,
    report_extraction_failures,
)
from claimtrack.errors import UsageError
from claimtrack.services.extract import ExtractOptions, run_extraction

if TYPE_CHECKING:
    from claimtrack.services.batches import BatchRun


@click.command(short_help="Extract claims and commitments from articles.")
@click.argument("article_ids", nargs=-1)
@backend_option
@model_option
@prompt_option
@concurrency_option
@no_cache_option
@chunk_tokens_option
@batch_option
@json_option
@pass_app
def extract(
    app: AppContext,
    article_ids: tuple[str, ...],
    backend: str | None,
    model: str | None,
    prompt_name: str | None,
    concurrency: int,
    no_cache: bool,
    chunk_tokens: int | None,
    batch: bool,
    as_json: bool,
) -> None:
    """Extract attributed claims and pending commitments from the articles not yet extracted (or
    only ARTICLE_IDS: ids, unique prefixes, or the source's own ids).

    Every stored quote is verbatim in its article, with its character offsets; a quote a model
    made up is re-asked, then dropped and counted, never stored. An article already extracted by
    the same backend, model and prompt is skipped, so running again finishes what is left.

    \b
    Backends:
      rules   offline patterns ("X said ...", quotes, "will", "plans to", "once ...")
      llm     any OpenAI-compatible model: OPENAI_API_KEY, OPENAI_BASE_URL, CLAIMTRACK_MODEL,
              CLAIMTRACK_LLM_MODE (tools, json_schema, json, md_json)

    \b
    Examples:
      claimtrack extract
      claimtrack extract --backend llm --model gpt-4o-mini --concurrency 8
      OPENAI_BASE_URL=http://localhost:11434/v1 claimtrack extract --model llama3.2
      claimtrack extract --batch      (a backfill: submit now, run again to collect)
    """
    if batch:
        if backend == "rules":
            raise UsageError("--batch goes through the OpenAI Batch API: it needs --backend llm")
        backend = "llm"
    options = ExtractOptions(
        backend=chosen_backend(backend),
        model=model,
        prompt_name=prompt_name,
        concurrency=concurrency,
        use_cache=not no_cache,
        chunk_tokens=chunk_tokens,
    )
    batches: BatchRun | None = None
    if batch:
        from claimtrack.services.batches import extract_in_batches

        run = extract_in_batches(app.store, app.settings, options, article_refs=article_ids)
        report, batches = run.report, run.batches
    else:
        report = run_extraction(
            app.store,
            app.settings,
            options,
            article_refs=article_ids,
            progress=progress_bars(show=not as_json),
            on_notice=info_line,
        )
    report_extraction_failures(report)
    if as_json:
        print_json(
            {
                "articles_ingested": 0,
                "articles_tracked": 0,
                "proposals_created": 0,
                **report.to_json(),
                **({"batches": batches.to_json()} if batches else {}),
            }
        )
    else:
        if batches is None or batches.collected:
            info_line(extraction_summary(report))
        if batches is not None:
            report_batches(batches, "claimtrack extract --batch")
    failures = len(report.failed) + (len(batches.ended) if batches else 0)
    # The work is done and written. Python's last garbage collections at exit walk every object
    # still alive, the thousands of classes openai defines among them: about 0.5 s after an llm
    # run. Frozen objects are skipped by those collections (nothing is left to free: the process
    # ends), so the command returns when its work does.
    gc.freeze()
    sys.exit(exit_code(endpoint_down=report.endpoint_down, failures=failures))
