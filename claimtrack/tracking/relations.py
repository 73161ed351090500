"""Which relation a sentence that speaks about an item bears to it, by cue words and factuality.

Called only for the sentence the relatedness model found to speak about the item (see
:mod:`claimtrack.tracking.rules`). The conditions of each relation are written in
:mod:`claimtrack.statuses` beside the relation list; here they are checked in order, first match
wins:

commitments
  1. ``triggers``: the item waits on a condition, the sentence speaks of that condition, and
     reports it as having happened;
  2. ``retracts`` / ``stalls`` / ``contradicts`` / ``finalizes`` / ``advances``: a cue of the
     relation that the sentence reports as having happened (``advances`` also when under way);
  3. ``fulfils``: a completion cue, or the item's own kind of event, reported as having happened;
  4. ``repeats``: the sentence restates the plan as still to come (no evidence it moved);
claims
  1. ``retracts``: the speaker with a walking-back cue that happened;
  2. ``contradicts``: a denial or refutation cue;
  3. ``corroborates``: a confirmation cue, or another source reporting the item's kind of event as
     having happened;
  4. ``repeats``: the same speaker says it again.

Anything else is ``mentions``: the article speaks about the item, the reviewer picks the relation.
A cue in a sentence that says the event may, will, would or should happen, or happens only on a
condition, never makes ``finalizes``, ``fulfils`` or ``triggers``: that is the factuality check
(:mod:`claimtrack.tracking.factuality`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.tracking.factuality import Factuality, assess
from claimtrack.tracking.signals import ItemProfile, SentenceProfile, families_in


def _cue(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


FINALIZE = _cue(
    r"signed", r"sign(?:s|ing)? off", r"approved", r"finali[sz]ed", r"ratified", r"passed",
    r"sealed", r"agreed to (?:the )?(?:deal|terms)", r"reached (?:an|a final) (?:agreement|deal)",
    r"closed the deal", r"enacted", r"adopted",
)  # fmt: skip
FULFIL = _cue(
    r"completed", r"delivered", r"fulfill?ed", r"carried out", r"implemented", r"went ahead",
    r"finished", r"launched", r"released", r"unveiled", r"introduced",
)  # fmt: skip
CONTRADICT = _cue(
    r"rejected", r"denied", r"denies", r"refused", r"failed", r"fails", r"voted (?:down|against)",
    r"ruled out", r"disputed", r"refuted", r"untrue", r"false", r"contrary to", r"collapsed",
)  # fmt: skip
RETRACT = _cue(
    r"cancell?ed", r"abandon(?:ed|s)", r"scrapped", r"withdr[ea]w[n]?",
    r"dropped (?:the|its|their|his|her|a) (?:plan|bid|offer|proposal|deal|idea|claim|pledge)",
    r"backed (?:out|down|away)", r"reversed", r"retracted", r"called off", r"walked back",
    r"apologi[sz]ed",
)  # fmt: skip
STALL = _cue(
    r"postponed", r"delayed", r"stalled", r"suspended", r"put on hold", r"deferred", r"halted",
    r"pushed back", r"blocked",
)  # fmt: skip
ADVANCE = _cue(
    r"began", r"begun", r"started", r"under ?way", r"in progress", r"moved forward",
    r"first phase", r"is proceeding", r"moving (?:ahead|forward) with",
)  # fmt: skip
CORROBORATE = _cue(r"confirmed", r"confirms", r"verified", r"corroborated", r"as predicted")

# commitments: the cue relations, in the order they are tried
COMMITMENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("retracts", RETRACT),
    ("stalls", STALL),
    ("contradicts", CONTRADICT),
    ("finalizes", FINALIZE),
    ("advances", ADVANCE),
    ("fulfils", FULFIL),
)


@dataclass(frozen=True)
class RelationVerdict:
    relation: str
    reason: str
    factuality: Factuality | None = None


def _family_span(profile_families: frozenset[str], sentence: str) -> tuple[int, int] | None:
    """Where in ``sentence`` a word of one of the families stands (the event to assess)."""
    for match in re.finditer(r"[A-Za-z][\w'’-]*", sentence):
        if families_in(match.group(0)) & profile_families:
            return match.span()
    return None


def _happened(sentence: str, span: tuple[int, int] | None) -> Factuality:
    return assess(sentence, span)


def commitment_relation(
    item: ItemProfile, sentence: SentenceProfile, *, condition_met: float, condition_min: float
) -> RelationVerdict:
    text = sentence.text
    view = item.item
    if (
        view.condition
        and view.status in (None, "awaiting_trigger")
        and condition_met >= (condition_min)
    ):
        span = _family_span(item.condition_families, text)
        fact = _happened(text, span)
        if fact.happened():
            return RelationVerdict("triggers", "its condition reported as happened", fact)
    for relation, pattern in COMMITMENT_CUES:
        cue = pattern.search(text)
        if cue is None:
            continue
        fact = _happened(text, cue.span())
        if fact.happened() or (relation == "advances" and fact.label == "ongoing"):
            return RelationVerdict(relation, f"'{cue.group(0)}', reported as done", fact)
    span = _family_span(item.families, text)
    if span is not None:
        fact = _happened(text, span)
        if fact.happened():
            return RelationVerdict(
                "fulfils", f"its event ('{text[span[0] : span[1]]}') reported as done", fact
            )
        if fact.label in ("planned", "conditional"):
            return RelationVerdict("repeats", f"the plan restated ({fact.label})", fact)
    return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")


def claim_relation(
    item: ItemProfile, sentence: SentenceProfile, *, same_speaker: bool
) -> RelationVerdict:
    text = sentence.text
    cue = RETRACT.search(text)
    if cue and same_speaker:
        fact = _happened(text, cue.span())
        if fact.happened():
            return RelationVerdict("retracts", f"the speaker with '{cue.group(0)}'", fact)
    cue = CONTRADICT.search(text)
    if cue:
        return RelationVerdict("contradicts", f"'{cue.group(0)}'")
    cue = CORROBORATE.search(text)
    if cue:
        return RelationVerdict("corroborates", f"'{cue.group(0)}'")
    if same_speaker:
        return RelationVerdict("repeats", "the same speaker says it again")
    span = _family_span(item.families, text)
    if span is not None:
        fact = _happened(text, span)
        if fact.happened():
            return RelationVerdict(
                "corroborates",
                f"another source reports its event ('{text[span[0] : span[1]]}') as fact",
                fact,
            )
    return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
