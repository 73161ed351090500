"""``claimtrack proposals``: list, show and decide the proposed status changes."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.table import Table

from claimtrack.cli.app import (
    AppContext,
    error_line,
    info_line,
    json_option,
    json_or_page,
    limit_option,
    listed_line,
    markup_safe,
    pass_app,
    print_json,
    quote_in_context,
    shorten,
    stdout_console,
)
from claimtrack.cli.options import article_line, current_user
from claimtrack.errors import UsageError
from claimtrack.services import decisions, sessions
from claimtrack.statuses import ALL_RELATIONS, STATUSES
from claimtrack.store import articles as article_rows
from claimtrack.store import decisions as decision_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store.review import REVIEW_STATE_CHOICES
from claimtrack.times import format_recorded


@click.group()
def proposals() -> None:
    """Proposed status changes, waiting for a person's decision.

    A proposal is proposed, then accepted (the item's status changes), rejected, or skipped;
    'proposals undo' takes a decision back. 'claimtrack review' is the keyboard-driven way to do
    the same.
    """


@proposals.command("list")
@click.option(
    "--state",
    type=click.Choice(REVIEW_STATE_CHOICES),
    help="Only proposals in this state: proposed, accepted, rejected, skipped; open (proposed "
    "or skipped) or all (the default: every state). The review queue's filter offers the same.",
)
@click.option("--relation", type=click.Choice(ALL_RELATIONS), help="Only this relation.")
@click.option("--item", "item_ref", help="Only proposals about this item (id or prefix).")
@click.option(
    "--story",
    help="Only proposals about the items of this story or with evidence in it (any case).",
)
@click.option(
    "--since",
    help="Only proposals made after this: 'last' (your last review: your last session in "
    "'claimtrack review' or your last decision), a date (local midnight) or a date and time.",
)
@limit_option
@json_option
@pass_app
def list_proposals(
    app: AppContext,
    state: str | None,
    relation: str | None,
    item_ref: str | None,
    story: str | None,
    since: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List proposals, newest first.

    Two proposals that disagree about one item are both listed ('conflicts_with' in --json, a
    '!' in the table); neither is merged away.

    \b
    Examples:
      claimtrack proposals list --state proposed
      claimtrack proposals list --state open --story gm
      claimtrack proposals list --since last
      claimtrack proposals list --relation contradicts --json
    """
    moment = sessions.since_moment(app.store, since, current_user()) if since else None
    if since and moment is None:
        info_line("You have not reviewed before: every proposal is new.")
    with app.store.read() as con:
        item_id = item_rows.get_item(con, item_ref).id if item_ref else None
        chosen = proposal_rows.ProposalFilter(state, item_id, relation, story, moment)
        page = json_or_page(
            lambda shown: proposal_rows.iter_proposals(con, chosen, limit=shown),
            lambda: proposal_rows.count_filtered_proposals(con, chosen),
            proposal_rows.ProposalRow.to_json,
            limit=limit,
            as_json=as_json,
        )
    if page is None:
        return
    found, total = page
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=17)  # never cut: it is what you type next
    table.add_column("state", no_wrap=True)
    table.add_column("relation", no_wrap=True)
    table.add_column("change", overflow="fold")
    table.add_column("item", overflow="fold", ratio=1)
    table.add_column("evidence", overflow="fold", ratio=1)
    for p in found:
        flag = "!" if p.conflicts_with else ""
        table.add_row(
            p.id + flag,
            markup_safe(p.state),
            markup_safe(p.relation),
            markup_safe(f"{p.from_status} → {p.to_status}"),
            markup_safe(shorten(p.item_text, 90)),
            markup_safe(shorten(p.quote or "", 90)),
        )
    stdout_console().print(table)
    info_line(listed_line(len(found), total, "proposal"))
    if any(p.conflicts_with for p in found):
        info_line("! another open proposal disagrees about the same item.")


@proposals.command("show")
@click.argument("proposal_id")
@json_option
@pass_app
def show_proposal(app: AppContext, proposal_id: str, as_json: bool) -> None:
    """Show one proposal: the item, the evidence in its article, and the decision if any."""
    with app.store.read() as con:
        proposal = proposal_rows.get_proposal(con, proposal_id)
        article = article_rows.get_article(con, proposal.article_id)
        item_article = article_rows.get_article(con, proposal.item_article_id)
    if as_json:
        print_json({**proposal.to_json(), "accepted_as": decisions.accepted_as(proposal)})
        return
    out = stdout_console()
    p = proposal
    relation, from_status, to_status = (
        markup_safe(s) for s in (p.relation, p.from_status, p.to_status)
    )
    out.print(
        f"[bold]{relation}[/]: {from_status} → [bold]{to_status}[/]  ({markup_safe(p.state)})"
    )
    kind, now = proposal.item_kind, proposal.item_status
    said = item_article.published_label
    item = markup_safe(f"item {proposal.item_id} ({kind}, now {now}; said {said}):")
    out.print(f"[dim]{item}[/]")
    out.print(f"  {markup_safe(proposal.item_text)}", soft_wrap=True)
    evidence = article_line(
        article.title or article.id, article.source, article.published_label, None
    )
    out.print(f"[dim]evidence in {markup_safe(evidence)}:[/]", soft_wrap=True)
    if article.url:
        out.print(f"[dim]url:[/] {markup_safe(article.url)}", soft_wrap=True)
    if article.story:
        out.print(f"[dim]story:[/] {markup_safe(article.story)}", soft_wrap=True)
    if proposal.span:
        start, end = proposal.span
        quoted = quote_in_context(article.text, start, end, proposal.quote or "", width=120)
        out.print(f"  {quoted}", soft_wrap=True)
    shown = {
        "reason": proposal.reason,
        "order_basis": proposal.order_basis,
        "backend": proposal.backend,
        "model": proposal.model,
        "prompt_id": proposal.prompt_id,
        "proposed_at": format_recorded(proposal.created_at),
        "decided_by": proposal.decided_by,
        "decided_at": format_recorded(proposal.decided_at) if proposal.decided_at else None,
        "accepted_as": _accepted_as_label(proposal),
        "note": proposal.note,
    }
    for label, value in shown.items():
        if value:
            out.print(f"[dim]{label}:[/] {markup_safe(str(value))}", soft_wrap=True)
    if proposal.conflicts_with:
        out.print(f"[yellow]disagrees with:[/] {markup_safe(', '.join(proposal.conflicts_with))}")


def _accepted_as_label(proposal: proposal_rows.ProposalRow) -> str | None:
    relation = decisions.accepted_as(proposal)
    if relation is None:
        return None
    chosen = proposal.applied_relation not in (None, proposal.relation)
    return f"{relation} ({'chosen by the reviewer' if chosen else 'as proposed'})"


def _decide(
    app: AppContext, refs: tuple[str, ...], state: str, as_json: bool, **options: Any
) -> None:
    """Decide each proposal in its own short transaction; one line per failure, exit 1."""
    decided: list[proposal_rows.ProposalRow] = []
    failures = 0
    for ref in refs:
        try:
            decided.append(
                decisions.decide(app.store, ref, state, actor=current_user(), **options).proposal
            )
        except decisions.AlreadyDecided as error:
            error_line(error.message)
            failures += 1
        except UsageError as error:
            if len(refs) == 1:
                raise
            error_line(error.message)
            failures += 1
    if as_json:
        print_json([p.to_json() for p in decided])
    else:
        for p in decided:
            change = (
                f": {p.item_id} {p.from_status} → {p.applied_status}" if state == "accepted" else ""
            )
            info_line(f"{p.id} {state}{change}")
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
@click.option(
    "--relation",
    type=click.Choice(ALL_RELATIONS),
    help="Accept as this relation instead of the proposed one (a 'mentions' proposal you "
    "classify): the status is the one the relation gives the item's kind ('repeats' and "
    "'mentions' keep it). A relation that cannot move the item from its current status is "
    "refused (exit 2).",
)
@click.option("--note", help="Why, in your words (kept with the decision).")
@json_option
@pass_app
def accept_proposal(
    app: AppContext,
    proposal_ids: tuple[str, ...],
    to_status: str | None,
    relation: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Accept proposals: each item's status changes, with the evidence, as a new event.

    A proposal already decided (here or in another terminal) is reported and left alone (exit 1).

    \b
    Examples:
      claimtrack proposals accept 5be1 --note "confirmed by the ministry's statement"
      claimtrack proposals accept 5be1 --relation corroborates
    """
    _decide(
        app, proposal_ids, "accepted", as_json, to_status=to_status, note=note, relation=relation
    )


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
    proposal = decisions.undo(app.store, proposal_id, actor=current_user()).proposal
    if as_json:
        print_json(proposal.to_json())
    else:
        info_line(
            f"{proposal.id} is proposed again; item {proposal.item_id} is {proposal.item_status}."
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
        found = decision_rows.decisions(con, limit=limit)
    if as_json:
        print_json([d.to_json() for d in found])
        return
    for d in found:
        what = f" → {d.to_status}" if d.to_status else ""
        when = format_recorded(d.decided_at)
        info_line(f"{when}  {d.actor}  {d.state}{what}  {d.proposal_id}  ({d.relation})")
