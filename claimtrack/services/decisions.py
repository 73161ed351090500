"""Deciding proposals and setting statuses: the rules, over the store's rows.

- **accept** appends the item's status event (the proposed status, or the one the person chose
  instead: the edit), with the evidence; **reject** and **skip** leave the status alone;
- a proposal already accepted or rejected (here or in another terminal) raises
  :class:`AlreadyDecided` until it is undone; a skipped one can still be decided;
- **undo** puts a decided proposal back to ``proposed``, and an accepted one gives the item back
  the status it had before, as a new event: nothing is erased;
- a status must be one of the item's kind (:func:`claimtrack.statuses.valid_status`);
- accepting **as another relation** (a ``mentions`` proposal the reviewer classifies, or any
  proposal reclassified) applies the status that relation proposes for the item's kind
  (:func:`claimtrack.statuses.status_for`), or keeps the status for ``repeats`` and
  ``mentions``; :func:`status_for_relation` refuses a relation that does not apply to the kind
  or from the item's current status (``triggers`` moves only a commitment awaiting its
  trigger), and ``unrelated`` (that is a rejection). :func:`relation_choices` lists what a
  relation picker offers.

Each call is one write transaction: the proposal is read, checked and changed in it, so two
terminals deciding the same proposal cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.statuses import ALL_RELATIONS, STATUSES, status_for, valid_status
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


class RelationNotAllowed(UsageError):
    """A relation that cannot move this item from its current status."""


# relations that keep the item's status: the link is the news
_KEEPS_STATUS = frozenset({"repeats", "mentions"})
# relations that move an item only from these statuses (the rest move it from any: no status
# is final); the offline judge keeps the same rule (tracking/relations.py: a condition met)
_ONLY_FROM: dict[str, tuple[str, ...]] = {"triggers": ("awaiting_trigger",)}


def status_for_relation(kind: str, current: str, relation: str) -> str:
    """The status an item of ``kind`` now ``current`` gets when a person accepts evidence as
    ``relation``; raises :class:`RelationNotAllowed` (one line, exit 2) when the relation does
    not apply."""
    if relation == "unrelated":
        raise RelationNotAllowed(
            "'unrelated' changes nothing to accept: reject the proposal instead"
        )
    if relation not in ALL_RELATIONS:
        raise RelationNotAllowed(
            f"unknown relation {relation!r}: use one of {', '.join(ALL_RELATIONS)}"
        )
    allowed_from = _ONLY_FROM.get(relation)
    if allowed_from is not None and current not in allowed_from:
        raise RelationNotAllowed(
            f"'{relation}' moves a {kind} only from {' or '.join(allowed_from)}; "
            f"this one is {current}"
        )
    if relation in _KEEPS_STATUS:
        return current
    status = status_for(relation, kind)
    if status is None:
        usable = [r for r in ALL_RELATIONS if r in _KEEPS_STATUS or status_for(r, kind)]
        raise RelationNotAllowed(
            f"'{relation}' does not apply to a {kind}: use one of {', '.join(usable)}"
        )
    return status


def relation_choices(kind: str, current: str) -> list[tuple[str, str]]:
    """(relation, the status it gives) for every relation a person may accept an item of
    ``kind``, now ``current``, as: what a relation picker offers, in the order of
    :data:`claimtrack.statuses.ALL_RELATIONS`."""
    found = []
    for relation in ALL_RELATIONS:
        try:
            found.append((relation, status_for_relation(kind, current, relation)))
        except RelationNotAllowed:
            continue
    return found


@dataclass
class Outcome:
    """A proposal as a decision left it, and its item's timeline (oldest event first)."""

    proposal: ProposalRow
    timeline: list[TimelineEvent]


def accepted_as(proposal: ProposalRow) -> str | None:
    """The relation ``proposal`` was accepted as: the one the reviewer chose, else the proposed
    one (export's ``accepted_as``); None until it is accepted."""
    if proposal.state != "accepted":
        return None
    return proposal.applied_relation or proposal.relation


def decide(
    store: Store,
    ref: str,
    state: str,
    *,
    actor: str,
    now: datetime | None = None,
    to_status: str | None = None,
    note: str | None = None,
    relation: str | None = None,
) -> Outcome:
    """Accept, reject or skip the proposal ``ref`` (id or unique prefix) as ``actor``;
    ``to_status`` overrides the proposed status of an acceptance, ``relation`` accepts it as
    that relation instead of the proposed one (its status by :func:`status_for_relation`)."""
    when = now or utc_now()
    with store.write() as tx:
        proposal = proposal_rows.get_proposal(tx, ref)
        _check_undecided(proposal, state)
        applied = None
        event_id = None
        chosen = relation if relation and relation != proposal.relation else None
        if state == "accepted":
            applied = to_status or _relation_status(proposal, relation)
            if not valid_status(proposal.item_kind, applied):
                raise UsageError(
                    f"{applied!r} is not a status for a {proposal.item_kind}; "
                    "see 'claimtrack proposals accept --help'"
                )
            acceptance = _acceptance(proposal, actor, applied, note, chosen)
            event_id, _ = decision_rows.append_item_event(tx, acceptance, when)
        elif relation:
            raise UsageError("a relation is chosen only when accepting")
        decision = DecisionRow(proposal.id, state, actor, applied, note, event_id, chosen)
        decision_rows.append_decision(tx, decision, when)
        return _outcome(tx, proposal.id)


def _relation_status(proposal: ProposalRow, relation: str | None) -> str:
    """The status an acceptance applies: the proposed one, or the chosen relation's."""
    if relation is None:
        return proposal.to_status
    return status_for_relation(proposal.item_kind, proposal.item_status, relation)


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


def _acceptance(
    proposal: ProposalRow, actor: str, status: str, note: str | None, relation: str | None
) -> ItemEvent:
    """The status event an acceptance appends: the proposal's evidence with it (and the relation
    chosen, when it is not the proposed one)."""
    as_what = (
        f"{relation} (proposal {proposal.id}, proposed as {proposal.relation})"
        if relation
        else f"{proposal.relation} (proposal {proposal.id})"
    )
    return ItemEvent(
        item_id=proposal.item_id,
        actor=actor,
        to_status=status,
        article_id=proposal.article_id,
        span=(proposal.span[0], proposal.span[1]) if proposal.span else None,
        quote=proposal.quote,
        proposal_id=proposal.id,
        note=f"{as_what}: {note}" if note and relation else note or as_what,
    )


def _outcome(tx: Transaction, proposal_id: str) -> Outcome:
    proposal = proposal_rows.get_proposal(tx, proposal_id)
    timeline = review_rows.item_timelines(tx, [proposal.item_id])[proposal.item_id]
    return Outcome(proposal, timeline)
