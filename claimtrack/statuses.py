"""Item statuses, proposal review states, and the relations a later article can bear to an item.

Two separate states:

- a **proposal's review state**: ``proposed`` → ``accepted`` | ``rejected`` | ``skipped``, each
  decision undoable (undo puts it back to ``proposed``);
- an **item's status**, changed only by an accepted proposal or by a person directly. No status is
  final: a later article can move any of them again.
"""

from __future__ import annotations

from typing import Literal

COMMITMENT_STATUSES: tuple[str, ...] = (
    "pending",
    "awaiting_trigger",  # conditional: "once a ceasefire is reached"
    "finalized",  # made binding: approved, signed
    "in_progress",
    "fulfilled",
    "partially_fulfilled",
    "stalled",
    "contradicted",
    "withdrawn",
    "overdue",  # deadline passed, no evidence
    "unclear",
)
CLAIM_STATUSES: tuple[str, ...] = (
    "open",
    "corroborated",
    "contradicted",
    "retracted",  # the speaker walked it back
    "disputed",
    "unclear",
)
STATUSES = {"claim": CLAIM_STATUSES, "commitment": COMMITMENT_STATUSES}
# every item status once, commitments' first (claims list --status, the review filter)
ALL_STATUSES: tuple[str, ...] = tuple(dict.fromkeys((*COMMITMENT_STATUSES, *CLAIM_STATUSES)))

REVIEW_STATES: tuple[str, ...] = ("proposed", "accepted", "rejected", "skipped")

Relation = Literal[
    "repeats",
    "corroborates",
    "advances",
    "finalizes",
    "fulfils",
    "contradicts",
    "retracts",
    "triggers",
    "stalls",
    "mentions",
    "unrelated",
]
RELATIONS: tuple[str, ...] = (
    "repeats",  # says the same again: linked, no status change
    "corroborates",  # another source supports the claim
    "advances",  # work on the commitment started or moved on
    "finalizes",  # the commitment was made binding (signed, approved, passed)
    "fulfils",  # the commitment was carried out
    "contradicts",  # the later article says the opposite
    "retracts",  # the speaker walked the claim back; the actor withdrew the commitment
    "triggers",  # the condition of a conditional commitment happened
    "stalls",  # postponed, delayed, blocked
    "mentions",  # speaks about the item, the relation left to the reviewer: no status change
    "unrelated",
)

# When the offline judge proposes each relation (tracking/relations.py checks these, in this
# order, on the one sentence it found to speak about the item; the LLM judge's prompt says the
# same). "happened" is the evidence's factuality (tracking/factuality.py): reported as certain,
# positive and past or present — not planned, possible, conditional, denied or demanded.
RELATION_CONDITIONS: dict[str, str] = {
    "triggers": "a conditional commitment whose condition the sentence reports as happened",
    "retracts": "a walking-back cue (withdrew, cancelled, scrapped) that happened; for a claim, "
    "by its own speaker",
    "stalls": "a delay cue (postponed, delayed, suspended, blocked) that happened",
    "contradicts": "a refusal or refutation cue (rejected, failed, denied, false) in the clause "
    "of the item's event, in a sentence with a quarter of a claim's words, of a claim that does "
    "not itself deny (a denial said again repeats it); or a claim that said its event would not "
    "happen (denied, ruled out, will not), with the event reported as fact; or a commitment "
    "not to do something ('would not sell') whose verb the sentence reports as done, under way "
    "or planned (not when it said 'unless': the condition may have been met); or a prediction "
    "whose event the sentence says was avoided or averted. A setback cue that a denial in its "
    "clause denies ('denied reports that it had abandoned the road') proposes nothing but "
    "mentions",
    "finalizes": "a binding cue (signed, approved, passed, ratified) that happened, not 'still' "
    "or 'yet to' happen, by the commitment's actor (not another named in its clause) and on its "
    "thing (not 'signed a letter opposing the deal'), in an article dated no later than the "
    "commitment's deadline",
    "advances": "a start cue (began, started, under way) that happened or is ongoing; or one "
    "act of a commitment that joins acts of several kinds ('cut jobs and close the base') "
    "reported done, the other not named",
    "fulfils": "a completion cue, or the commitment's own kind of event (an act, not a state "
    "such as 'required'; its verb used as a verb, not 'the offering'), that happened, not told "
    "as history dated before the item, with the item's amounts if both give amounts (a span "
    "of time, '50 years', is no amount), every kind of act it joins named, in an article "
    "dated no later than the commitment's deadline",
    "corroborates": "a confirmation cue, or another source reporting as fact the event the claim "
    "expected (not its background: 'as when the iPod was introduced'; not history dated before "
    "it; not an adjective before a noun: 'profitable ventures' reports no profit)",
    "repeats": "the plan restated as still to come, or the claim by its own speaker again (half "
    "its words in the sentence)",
    "mentions": "the sentence speaks about the item and none of the above holds, or the judge "
    "is not sure enough to decide: the reviewer picks the relation",
    "unrelated": "no sentence speaks about the item",
}

# Relations that agree in what they do to an item, for scoring a judge that found a link but
# named a neighbouring relation (evals/tracking: relation-family accuracy).
RELATION_FAMILIES: dict[str, str] = {
    "repeats": "supports",
    "corroborates": "supports",
    "advances": "moves",
    "finalizes": "moves",
    "fulfils": "moves",
    "triggers": "moves",
    "contradicts": "opposes",
    "retracts": "opposes",
    "stalls": "opposes",
}

# a proposal of these needs evidence that reports the event as having happened
NEEDS_A_FACT: frozenset[str] = frozenset({"finalizes", "fulfils", "triggers"})

# proposed by the time rules of `claimtrack recheck`, not by a judge: a deadline passed without news
TIME_RELATIONS: tuple[str, ...] = ("deadline_passed",)
ALL_RELATIONS: tuple[str, ...] = RELATIONS + TIME_RELATIONS

# relation -> the status it proposes, per kind; a relation missing for a kind proposes nothing
_STATUS_FOR: dict[str, dict[str, str]] = {
    "claim": {
        "corroborates": "corroborated",
        "contradicts": "contradicted",
        "retracts": "retracted",
    },
    "commitment": {
        "corroborates": "in_progress",
        "advances": "in_progress",
        "finalizes": "finalized",
        "fulfils": "fulfilled",
        "contradicts": "contradicted",
        "retracts": "withdrawn",
        "triggers": "pending",
        "stalls": "stalled",
        "deadline_passed": "overdue",
    },
}


def status_for(relation: str, kind: str) -> str | None:
    """The status ``relation`` proposes for an item of ``kind``; None when it proposes none
    (``repeats`` and ``unrelated``, or a relation that does not apply to the kind)."""
    return _STATUS_FOR.get(kind, {}).get(relation)


def valid_status(kind: str, status: str) -> bool:
    return status in STATUSES.get(kind, ())


def proposes_change(relation: str) -> bool:
    """Relations that become proposals (the rest are links or nothing); ``mentions`` is a
    proposal that changes no status until the reviewer picks a relation."""
    return relation not in ("repeats", "unrelated")
