"""Deciding proposals and setting statuses: the rules, over the store's rows.

- **accept** appends the item's status event (the proposed status, or the one the person chose
  instead: the edit), with the evidence; **reject** and **skip** leave the status alone;
- a proposal already accepted or rejected (here or in another terminal) raises
  :class:`AlreadyDecided` until it is undone; a skipped one can still be decided;
- **undo** puts a decided proposal back to ``proposed``, and an accepted one gives the item back
  the status it had before, as a new event: nothing is erased;
- a status must be one of the item's kind (:func:`claimtrack.statuses.valid_status`).

Each call is one write transaction: the proposal is read, checked and changed in it, so two
terminals deciding the same proposal cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.statuses import STATUSES, valid_status
from claimtrack.store import Store, Transaction, utc_now
from claimtrack.store import decisions as decision_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import review as review_rows
from claimtrack.store.decisions import DecisionRow, ItemEvent
from claimtrack.store.items import StoredItem
from claimtrack.store.proposals import ProposalRow
from claimtrack.store.review import TimelineEvent


class AlreadyDecided(ClaimtrackError):
    """The proposal was decided (here or in another terminal) since it was shown."""


@dataclass
class Outcome:
    """A proposal as a decision left it, and its item's timeline (oldest event first)."""

    proposal: ProposalRow
    timeline: list[TimelineEvent]


def decide(
    store: Store,
    ref: str,
    state: str,
    *,
    actor: str,
    now: datetime | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> Outcome:
    """Accept, reject or skip the proposal ``ref`` (id or unique prefix) as ``actor``;
    ``to_status`` overrides the proposed status of an acceptance."""
    when = now or utc_now()
    with store.write() as tx:
        proposal = proposal_rows.get_proposal(tx, ref)
        _check_undecided(proposal, state)
        applied = None
        event_id = None
        if state == "accepted":
            applied = to_status or proposal.to_status
            if not valid_status(proposal.item_kind, applied):
                raise UsageError(
                    f"{applied!r} is not a status for a {proposal.item_kind}; "
                    "see 'claimtrack proposals accept --help'"
                )
            event_id, _ = decision_rows.append_item_event(
                tx, _acceptance(proposal, actor, applied, note), when
            )
        decision = DecisionRow(proposal.id, state, actor, applied, note, event_id)
        decision_rows.append_decision(tx, decision, when)
        return _outcome(tx, proposal.id)


def undo(store: Store, ref: str, *, actor: str, now: datetime | None = None) -> Outcome:
    """Put the decided proposal ``ref`` back to ``proposed``; an accepted one gives the item
    back the status it had before (as a new event)."""
    when = now or utc_now()
    with store.write() as tx:
        proposal = proposal_rows.get_proposal(tx, ref)
        if proposal.state == "proposed":
            raise AlreadyDecided(f"proposal {proposal.id} has no decision to undo")
        event_id = None
        if proposal.state == "accepted":
            before = decision_rows.status_before_acceptance(tx, proposal.id)
            reverted = ItemEvent(
                item_id=proposal.item_id,
                actor=actor,
                to_status=before or proposal.from_status,
                proposal_id=proposal.id,
                note=f"undo: acceptance of proposal {proposal.id} reverted",
            )
            event_id, _ = decision_rows.append_item_event(tx, reverted, when)
        note = f"undo {proposal.state}"
        decision = DecisionRow(proposal.id, "proposed", actor, None, note, event_id)
        decision_rows.append_decision(tx, decision, when)
        return _outcome(tx, proposal.id)


def set_status(
    store: Store, ref: str, status: str, *, actor: str, note: str | None = None
) -> StoredItem:
    """Give the item ``ref`` the status ``status`` directly, without a proposal (an event by
    ``actor``); returns the item as it now is."""
    with store.write() as tx:
        item = item_rows.get_item(tx, ref)
        if not valid_status(item.kind, status):
            raise UsageError(
                f"{status!r} is not a status for a {item.kind}: use one of "
                + ", ".join(STATUSES[item.kind])
            )
        event = ItemEvent(item_id=item.id, actor=actor, to_status=status, note=note)
        decision_rows.append_item_event(tx, event, utc_now())
        return item_rows.get_item(tx, item.id)


def _check_undecided(proposal: ProposalRow, state: str) -> None:
    if proposal.state in ("accepted", "rejected"):
        raise AlreadyDecided(
            f"proposal {proposal.id} was already {proposal.state} by "
            f"{proposal.decided_by} at {proposal.decided_at}; undo it first "
            f"('claimtrack proposals undo {proposal.id}')"
        )
    if state == "skipped" and proposal.state == "skipped":
        raise AlreadyDecided(f"proposal {proposal.id} is already skipped")


def _acceptance(proposal: ProposalRow, actor: str, status: str, note: str | None) -> ItemEvent:
    """The status event an acceptance appends: the proposal's evidence with it."""
    return ItemEvent(
        item_id=proposal.item_id,
        actor=actor,
        to_status=status,
        article_id=proposal.article_id,
        span=(proposal.span[0], proposal.span[1]) if proposal.span else None,
        quote=proposal.quote,
        proposal_id=proposal.id,
        note=note or f"{proposal.relation} (proposal {proposal.id})",
    )


def _outcome(tx: Transaction, proposal_id: str) -> Outcome:
    proposal = proposal_rows.get_proposal(tx, proposal_id)
    timeline = review_rows.item_timelines(tx, [proposal.item_id])[proposal.item_id]
    return Outcome(proposal, timeline)
