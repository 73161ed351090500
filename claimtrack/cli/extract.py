"""``claimtrack extract`` and ``claimtrack claims``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

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
    shorten,
)
from claimtrack.cli.ingest import (
    backend_option,
    concurrency_option,
    model_option,
    prompt_option,
    resolve_backend,
)
from claimtrack.errors import EXIT_TEMPFAIL
from claimtrack.extraction.identity import speakers_by_person, spellings_of
from claimtrack.store import articles as article_rows
from claimtrack.store import items as item_rows

if TYPE_CHECKING:  # the pipeline imports openai and instructor: load them only when extracting
    from claimtrack.extraction.pipeline import ExtractReport

DEFAULT_PROMPT = "extract"

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


def run_extraction(
    app: AppContext,
    *,
    backend: str,
    model: str | None,
    prompt_name: str | None,
    concurrency: int,
    no_cache: bool,
    chunk_tokens: int | None,
    only: list[str] | None,
    quiet: bool,
) -> ExtractReport:
    """Extract every article not yet extracted by this backend, model and prompt."""
    from claimtrack.extraction.pipeline import (
        extract_with_llm_backend,
        extract_with_rules_backend,
    )

    store = app.store
    with progress_bar("extracting", show=not quiet, min_total=20) as on_progress:
        if backend == "rules":
            if model or prompt_name:
                info_line(
                    "--model and --prompt apply to the llm backend; the rules backend ignores them."
                )
            return extract_with_rules_backend(store, only=only, on_progress=on_progress)
        from claimtrack.llm import LLMSettings, LLMUnavailable
        from claimtrack.prompts import load_prompt

        settings = LLMSettings.from_env(model=model)
        prompt = load_prompt(prompt_name or DEFAULT_PROMPT)
        try:
            return extract_with_llm_backend(
                store,
                settings,
                prompt,
                only=only,
                concurrency=concurrency,
                use_cache=not no_cache,
                chunk_tokens=chunk_tokens or app.settings.chunk_tokens,
                on_progress=on_progress,
            )
        except LLMUnavailable as error:
            report: ExtractReport = error.report
            report.endpoint_down = error.message
            return report


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


def report_failures(report: ExtractReport) -> None:
    for failure in report.failed:
        error_line(f"article {failure['article_id']}: {failure['error']}")
    if report.endpoint_down:
        error_line(f"{report.endpoint_down}; try again later")


def exit_code(report: ExtractReport, other_failures: int = 0) -> int:
    """75 when the endpoint failed for every article (a scheduler should retry), else 1 when
    anything failed, else 0."""
    if report.endpoint_down:
        return EXIT_TEMPFAIL
    return 1 if report.failed or other_failures else 0


@cli.command(short_help="Extract claims and commitments from articles.")
@click.argument("article_ids", nargs=-1)
@backend_option
@model_option
@prompt_option
@concurrency_option
@no_cache_option
@chunk_tokens_option
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
    """
    chosen = resolve_backend(backend)
    only = None
    if article_ids:
        with app.store.read() as con:
            only = [article_rows.get_article(con, ref).id for ref in article_ids]
    report = run_extraction(
        app,
        backend=chosen,
        model=model,
        prompt_name=prompt_name,
        concurrency=concurrency,
        no_cache=no_cache,
        chunk_tokens=chunk_tokens,
        only=only,
        quiet=as_json,
    )
    report_failures(report)
    if as_json:
        print_json(
            {
                "articles_ingested": 0,
                "articles_tracked": 0,
                "proposals_created": 0,
                **report.to_json(),
            }
        )
    else:
        info_line(extraction_summary(report))
    sys.exit(exit_code(report))


@cli.group()
def claims() -> None:
    """Claims and commitments extracted from the articles."""


@claims.command("list")
@click.option("--status", help="Only items with this status (open, pending, awaiting_trigger ...).")
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
        print_json(found)
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=16)  # never cut: it is what you type next
    table.add_column("kind", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("speaker", overflow="fold", max_width=24)
    table.add_column("text", overflow="fold", ratio=1)
    for item in found:
        table.add_row(
            item["id"],
            item["kind"],
            item["status"],
            escape(item["speaker_canonical"] or item["speaker"] or "-"),
            escape(item["text"]),
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
            escape(speaker["name"]),
            str(speaker["items"]),
            str(speaker["articles"]),
            speaker["last_published"] or "-",
            escape(shorten(" · ".join(part for part in (others, role) if part), 60)),
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
        article = article_rows.get_article(con, item["article_id"])
    if as_json:
        print_json(item)
        return
    out = Console(highlight=False)
    out.print(f"[bold]{escape(item['text'])}[/]", soft_wrap=True)
    start, end = item["span"]
    before = article.text[max(0, start - 160) : start]
    after = article.text[end : end + 160]
    out.print(
        f"…{escape(before)}[reverse]{escape(item['quote'])}[/]{escape(after)}…", soft_wrap=True
    )
    fields = [
        ("id", item["id"]),
        ("kind", item["kind"]),
        ("status", item["status"]),
        ("speaker", item["speaker"]),
        ("canonical", item["speaker_canonical"]),
        ("role", item["speaker_role"]),
        ("cue", item["cue"]),
        ("type", item["claim_type"]),
        ("actors", ", ".join(item["actors"]) if item["actors"] else None),
        ("action", item["action"]),
        ("condition", item["condition"]),
        (
            "deadline",
            f"{item['deadline_text']} ({item['deadline'] or 'no date'})"
            if item["deadline_text"]
            else None,
        ),
        ("stage", item["stage"]),
        ("about", f"the state of item {item['refers_to']}" if item["refers_to"] else None),
        ("article", f"{article.title or article.id} ({article.published_iso or 'undated'})"),
        ("span", f"{start}-{end}"),
    ]
    out.print()
    for label, value in fields:
        if value is not None and value != "":
            out.print(f"[dim]{label}:[/] {escape(str(value))}", soft_wrap=True)
    out.print()
    out.print("[bold]timeline[/]")
    for event in item["events"]:
        came = f"{event['from']} → " if event["from"] else ""
        out.print(f"  {event['at']}  {came}{event['to']}  [dim]{escape(event['actor'])}[/]")
