"""``claimtrack track``, ``claimtrack proposals`` and ``claims set-status``."""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

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
    warning_line,
)
from claimtrack.cli.extract import claims, no_cache_option
from claimtrack.cli.ingest import (
    backend_option,
    concurrency_option,
    model_option,
    prompt_option,
    resolve_backend,
)
from claimtrack.errors import EXIT_TEMPFAIL, UsageError
from claimtrack.store import articles as article_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import utc_now
from claimtrack.tracking.statuses import ALL_RELATIONS, REVIEW_STATES, STATUSES, valid_status

if TYPE_CHECKING:
    from claimtrack.tracking.pipeline import TrackReport

DEFAULT_TRACK_PROMPT = "track"
DEFAULT_K = 64  # = claimtrack.tracking.pipeline.DEFAULT_K, without importing the pipeline here

candidates_option = click.option(
    "--candidates",
    "k",
    type=click.IntRange(min=1, max=500),
    default=DEFAULT_K,
    show_default=True,
    help="Earlier items judged per article (the retrieval's top k). Still one LLM call per "
    "article; lower it for a model with a small context window (each item adds ~80 tokens).",
)


def current_user() -> str:
    """Who is deciding: $CLAIMTRACK_USER, else the login name."""
    name = os.environ.get("CLAIMTRACK_USER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no login name in some containers
            name = "unknown"
    return f"user:{name}"


def run_tracking(
    app: AppContext,
    *,
    backend: str,
    model: str | None,
    prompt_name: str | None,
    concurrency: int,
    no_cache: bool,
    k: int,
    only: list[str] | None,
    quiet: bool,
) -> tuple[TrackReport, str | None]:
    """Track every extracted article not yet tracked; returns the report and, when the endpoint
    failed for every article, why."""
    from claimtrack.tracking.pipeline import track_with_llm_backend, track_with_rules_backend

    embeddings = _embedding_search(app, model)
    with progress_bar("tracking", show=not quiet, min_total=20) as on_progress:
        if backend == "rules":
            return track_with_rules_backend(
                app.store, only=only, k=k, on_progress=on_progress, embeddings=embeddings
            ), None
        from claimtrack.llm import LLMSettings, LLMUnavailable
        from claimtrack.prompts import load_prompt

        settings = LLMSettings.from_env(model=model)
        prompt = load_prompt(prompt_name or DEFAULT_TRACK_PROMPT)
        try:
            report = track_with_llm_backend(
                app.store,
                settings,
                prompt,
                only=only,
                k=k,
                concurrency=concurrency,
                use_cache=not no_cache,
                on_progress=on_progress,
                embeddings=embeddings,
            )
            return report, None
        except LLMUnavailable as error:
            return error.report, error.message


def _embedding_search(app: AppContext, model: str | None) -> Any:
    """The vector retrieval CLAIMTRACK_EMBEDDINGS_MODEL asks for: local sentence vectors when
    it is not set, the endpoint's model when it names one, None when it is 'none'."""
    from claimtrack.llm import LLMSettings
    from claimtrack.tracking.embeddings import search_for

    return search_for(app.settings.embeddings_model, lambda: LLMSettings.from_env(model=model))


def tracking_summary(report: TrackReport) -> str:
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


def report_tracking_failures(report: TrackReport, endpoint_down: str | None) -> None:
    if report.embedding_error:
        warning_line(f"{report.embedding_error}; tracked with lexical retrieval only")
    for failure in report.failed:
        error_line(f"article {failure['article_id']}: {failure['error']}")
    if endpoint_down:
        error_line(f"{endpoint_down}; try again later")


@cli.command(short_help="Judge new articles against earlier items: proposals.")
@click.argument("article_ids", nargs=-1)
@backend_option
@model_option
@prompt_option
@concurrency_option
@no_cache_option
@candidates_option
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
    """
    chosen = resolve_backend(backend)
    only = None
    if article_ids:
        with app.store.read() as con:
            only = [article_rows.get_article(con, ref).id for ref in article_ids]
    report, endpoint_down = run_tracking(
        app,
        backend=chosen,
        model=model,
        prompt_name=prompt_name,
        concurrency=concurrency,
        no_cache=no_cache,
        k=k,
        only=only,
        quiet=as_json,
    )
    report_tracking_failures(report, endpoint_down)
    if as_json:
        print_json(
            {
                "articles_ingested": 0,
                "articles_extracted": 0,
                **report.to_json(),
            }
        )
    else:
        info_line(tracking_summary(report))
    if endpoint_down:
        sys.exit(EXIT_TEMPFAIL)
    sys.exit(1 if report.failed else 0)


# -- proposals ------------------------------------------------------------------------------------


@cli.group()
def proposals() -> None:
    """Proposed status changes, waiting for a person's decision.

    A proposal is proposed, then accepted (the item's status changes), rejected, or skipped;
    'proposals undo' takes a decision back. 'claimtrack review' is the keyboard-driven way to do
    the same.
    """


@proposals.command("list")
@click.option("--state", type=click.Choice(REVIEW_STATES), help="Only proposals in this state.")
@click.option("--relation", type=click.Choice(ALL_RELATIONS), help="Only this relation.")
@click.option("--item", "item_ref", help="Only proposals about this item (id or prefix).")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@json_option
@pass_app
def list_proposals(
    app: AppContext,
    state: str | None,
    relation: str | None,
    item_ref: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List proposals, newest first.

    Two proposals that disagree about one item are both listed ('conflicts_with' in --json, a
    '!' in the table); neither is merged away.

    \b
    Examples:
      claimtrack proposals list --state proposed
      claimtrack proposals list --relation contradicts --json
    """
    with app.store.read() as con:
        item_id = item_rows.get_item(con, item_ref)["id"] if item_ref else None
        found = proposal_rows.list_proposals(
            con, state=state, item_id=item_id, relation=relation, limit=limit
        )
    if as_json:
        print_json(found)
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=17)  # never cut: it is what you type next
    table.add_column("state", no_wrap=True)
    table.add_column("relation", no_wrap=True)
    table.add_column("change", overflow="fold")
    table.add_column("item", overflow="fold", ratio=1)
    table.add_column("evidence", overflow="fold", ratio=1)
    for p in found:
        flag = "!" if p["conflicts_with"] else ""
        table.add_row(
            p["id"] + flag,
            p["state"],
            p["relation"],
            f"{p['from_status']} → {p['to_status']}",
            escape(shorten(p["item_text"], 90)),
            escape(shorten(p["quote"] or "", 90)),
        )
    Console().print(table)
    info_line(plural(len(found), "proposal"))
    if any(p["conflicts_with"] for p in found):
        info_line("! another open proposal disagrees about the same item.")


@proposals.command("show")
@click.argument("proposal_id")
@json_option
@pass_app
def show_proposal(app: AppContext, proposal_id: str, as_json: bool) -> None:
    """Show one proposal: the item, the evidence in its article, and the decision if any."""
    with app.store.read() as con:
        proposal = proposal_rows.get_proposal(con, proposal_id)
        article = article_rows.get_article(con, proposal["article_id"])
    if as_json:
        print_json(proposal)
        return
    out = Console(highlight=False)
    out.print(
        f"[bold]{proposal['relation']}[/]: {proposal['from_status']} → "
        f"[bold]{proposal['to_status']}[/]  ({proposal['state']})"
    )
    kind, now = proposal["item_kind"], proposal["item_status"]
    out.print(f"[dim]item {proposal['item_id']} ({kind}, now {now}):[/]")
    out.print(f"  {escape(proposal['item_text'])}", soft_wrap=True)
    out.print(
        f"[dim]evidence in {escape(article.title or article.id)} "
        f"({article.published_iso or 'undated'}):[/]"
    )
    if proposal["span"]:
        start, end = proposal["span"]
        before = article.text[max(0, start - 120) : start]
        after = article.text[end : end + 120]
        out.print(
            f"  …{escape(before)}[reverse]{escape(proposal['quote'])}[/]{escape(after)}…",
            soft_wrap=True,
        )
    for label in (
        "reason",
        "order_basis",
        "backend",
        "model",
        "prompt_id",
        "decided_by",
        "decided_at",
        "note",
    ):
        if proposal.get(label):
            out.print(f"[dim]{label}:[/] {escape(str(proposal[label]))}", soft_wrap=True)
    if proposal["conflicts_with"]:
        out.print(f"[yellow]disagrees with:[/] {', '.join(proposal['conflicts_with'])}")


def _decide(
    app: AppContext, refs: tuple[str, ...], state: str, as_json: bool, **options: Any
) -> None:
    """Decide each proposal in its own short transaction; one line per failure, exit 1."""
    decided: list[dict[str, Any]] = []
    failures = 0
    for ref in refs:
        try:
            with app.store.write() as con:
                decided.append(
                    proposal_rows.decide(
                        con, ref, state, actor=current_user(), now=utc_now(), **options
                    )
                )
        except proposal_rows.AlreadyDecided as error:
            error_line(error.message)
            failures += 1
        except UsageError as error:
            if len(refs) == 1:
                raise
            error_line(error.message)
            failures += 1
    if as_json:
        print_json(decided)
    else:
        for p in decided:
            change = (
                f": {p['item_id']} {p['from_status']} → {p['applied_status']}"
                if state == "accepted"
                else ""
            )
            info_line(f"{p['id']} {state}{change}")
    sys.exit(1 if failures else 0)


status_help = (
    "Apply this status instead of the proposed one (the edit). Claims: "
    + ", ".join(STATUSES["claim"])
    + ". Commitments: "
    + ", ".join(STATUSES["commitment"])
    + "."
)


@proposals.command("accept")
@click.argument("proposal_ids", nargs=-1, required=True)
@click.option("--status", "to_status", help=status_help)
@click.option("--note", help="Why, in your words (kept with the decision).")
@json_option
@pass_app
def accept_proposal(
    app: AppContext,
    proposal_ids: tuple[str, ...],
    to_status: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Accept proposals: each item's status changes, with the evidence, as a new event.

    A proposal already decided (here or in another terminal) is reported and left alone (exit 1).
    """
    _decide(app, proposal_ids, "accepted", as_json, to_status=to_status, note=note)


@proposals.command("reject")
@click.argument("proposal_ids", nargs=-1, required=True)
@click.option("--note", help="Why, in your words.")
@json_option
@pass_app
def reject_proposal(
    app: AppContext, proposal_ids: tuple[str, ...], note: str | None, as_json: bool
) -> None:
    """Reject proposals: the items' statuses stay as they are."""
    _decide(app, proposal_ids, "rejected", as_json, note=note)


@proposals.command("skip")
@click.argument("proposal_ids", nargs=-1, required=True)
@json_option
@pass_app
def skip_proposal(app: AppContext, proposal_ids: tuple[str, ...], as_json: bool) -> None:
    """Skip proposals for now: they stay undecided and can be accepted or rejected later."""
    _decide(app, proposal_ids, "skipped", as_json)


@proposals.command("undo")
@click.argument("proposal_id")
@json_option
@pass_app
def undo_proposal(app: AppContext, proposal_id: str, as_json: bool) -> None:
    """Take back the decision on a proposal: it is proposed again, and an accepted one gives the
    item back the status it had before (as a new event; nothing is erased)."""
    with app.store.write() as con:
        proposal = proposal_rows.undo(con, proposal_id, actor=current_user(), now=utc_now())
    if as_json:
        print_json(proposal)
    else:
        info_line(
            f"{proposal['id']} is proposed again; "
            f"item {proposal['item_id']} is {proposal['item_status']}."
        )


@proposals.command("history")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Show this many."
)
@json_option
@pass_app
def proposal_history(app: AppContext, limit: int, as_json: bool) -> None:
    """The decisions taken, newest first: who, when, what."""
    with app.store.read() as con:
        found = proposal_rows.decisions(con, limit=limit)
    if as_json:
        print_json(found)
        return
    for d in found:
        what = f" → {d['to_status']}" if d["to_status"] else ""
        info_line(
            f"{d['decided_at']}  {d['actor']}  {d['state']}{what}  "
            f"{d['proposal_id']}  ({d['relation']})"
        )


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
    with app.store.write() as con:
        item = item_rows.get_item(con, item_id)
        if not valid_status(item["kind"], status):
            raise UsageError(
                f"{status!r} is not a status for a {item['kind']}: use one of "
                + ", ".join(STATUSES[item["kind"]])
            )
        proposal_rows.append_item_event(
            con,
            item_id=item["id"],
            actor=current_user(),
            to_status=status,
            now=utc_now(),
            note=note,
        )
        item = item_rows.get_item(con, item["id"])
    if as_json:
        print_json(item)
    else:
        info_line(f"{item['id']} is now {item['status']}.")
