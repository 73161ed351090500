"""The cue rules of event factuality: why an event is not reported as done.

Each finder looks in the event's verb group and clause for one kind of cue; :func:`find_cue`
tries them in the order of :data:`CUE_FINDERS` (conditional, demanded, negated, reported,
possible, planned, ongoing) and the first found gives the label. See
:mod:`claimtrack.tracking.factuality` for how the label and the fitted probability combine.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimtrack.tracking.factuality_words import (
    AUX_PAST,
    AUXILIARIES,
    BOUNDARIES,
    CONDITIONAL_PHRASES,
    CONDITIONAL_WORDS,
    CONTEMPLATING,
    DEMAND_FOR,
    DEMAND_THAT,
    DEMAND_TO,
    DENIALS,
    DETERMINERS,
    ELLIPTICAL_IF,
    FUTURE_DATES,
    GROUP_NEGATIONS,
    HEDGES_POSSIBLE,
    HEDGES_REPORTED,
    MODALS,
    MODALS_FUTURE,
    MODALS_OBLIGATION,
    MODALS_POSSIBLE,
    NEGATING_GOVERNORS,
    NOT_CONDITIONAL_ONCE,
    PLANNING_GOVERNORS,
    POSSIBLE_GOVERNORS,
    PREPOSITIONS,
    QUESTION_VERBS,
    SENTENCE_END,
    TEMPORAL_PHRASES,
    TEMPORAL_WORDS,
    TIME_UNITS,
    WAITING_GOVERNORS,
    Cue,
    Tokens,
    clause_start,
    group_is_present,
    is_past,
    phrase_at,
    sentence_part_start,
    verb_group,
)


def _conditional_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    start = sentence_part_start(words, head)
    clause = clause_start(words, head)
    first = group[0] if group else head
    for index in range(first - 1, start - 1, -1):
        word = words[index]
        phrase = phrase_at(words, index, CONDITIONAL_PHRASES)
        if phrase:
            return Cue("conditional", phrase)
        if word == "if" and index > 0 and words[index - 1] in QUESTION_VERBS:
            return Cue("possible", f"{words[index - 1]} if")
        if word == "if" and index > 0 and words[index - 1] == "as":
            continue
        if (
            word == "if"
            and index + 1 < first
            and (words[index + 1] in ELLIPTICAL_IF or is_past(words[index + 1]))
        ):
            continue  # "if necessary", "if compared to": no clause of its own
        if word == "once" and not _conditional_once(words, index):
            continue
        if word in CONDITIONAL_WORDS:
            return Cue("conditional", word)
        if word == "should" and (index == 0 or words[index - 1] in BOUNDARIES | {",", '"'}):
            return Cue("conditional", "should")
        temporal = phrase_at(words, index, TEMPORAL_PHRASES) or (
            word if word in TEMPORAL_WORDS else None
        )
        if temporal and index >= clause and group_is_present(words, group):
            return Cue("conditional", temporal)
    return None


def _conditional_once(words: Sequence[str], index: int) -> bool:
    """A condition ("once a ceasefire is reached"), not "once again", "at once", "once a week"."""
    after = words[index + 1 : index + 3]
    if index > 0 and words[index - 1] in {"at", "than", "all", "more"}:
        return False
    if after[:1] and after[0] in NOT_CONDITIONAL_ONCE:
        return False
    return not (len(after) == 2 and after[0] == "a" and after[1] in TIME_UNITS)


def _governor_before_to(words: Sequence[str], group: Sequence[int]) -> int | None:
    """The word that governs the infinitive: "plans" in "plans to sign"."""
    to_positions = [index for index in group if words[index] == "to"]
    if not to_positions:
        return None
    index = to_positions[0] - 1
    while index >= 0 and words[index] in GROUP_NEGATIONS:
        index -= 1
    return index if index >= 0 else None


def _demand_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    group_words = {words[index] for index in group}
    start = max(clause_start(words, head), head - 8)
    for index in range(head - 1, start - 1, -1):
        word = words[index]
        between = set(words[index + 1 : head])
        if word in DEMAND_FOR and index + 1 < len(words) and words[index + 1] == "for":
            return Cue("demanded", f"{word} for")
        if word in DEMAND_TO and "to" in group_words and index < (group[0] if group else head):
            return Cue("demanded", f"{word} ... to" if index + 1 < group[0] else f"{word} to")
        if word in DEMAND_THAT and "that" in between and not group_words & (AUX_PAST | MODALS):
            return Cue("demanded", f"{word} that")
    return None


def _negation_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    for index in group:
        if words[index] in GROUP_NEGATIONS:
            return Cue("negated", _negation_words(tokens, index))
    before = words[head - 1] if head > 0 else ""
    if before in {"no", "without", "nor", "neither"}:
        return Cue("negated", before)
    governor = _governor_before_to(words, group)
    if governor is not None and words[governor] in NEGATING_GOVERNORS:
        return Cue("negated", f"{words[governor]} to")
    for index in range(max(clause_start(words, head), head - 6), head):
        if words[index] in DENIALS:
            return Cue("negated", words[index])
    return None


def _negation_words(tokens: Tokens, index: int) -> str:
    """ "did not", "didn't", "won't", "never": the negation with its auxiliary, as written."""
    negation = tokens.raw[index]
    if index == 0 or tokens.words[index - 1] not in AUXILIARIES - {"to"}:
        return negation
    auxiliary = tokens.raw[index - 1]
    return f"{auxiliary}{negation}" if tokens.words[index] == "n't" else f"{auxiliary} {negation}"


def _hedge_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    for index in range(max(clause_start(words, head), head - 6), head):
        if words[index] in HEDGES_REPORTED:
            return Cue("reported", words[index])
    for index in group:
        word = words[index]
        if word in MODALS_POSSIBLE:
            return Cue("possible", word)
    for index in range(max(clause_start(words, head), head - 6), head):
        if words[index] in HEDGES_POSSIBLE:
            return Cue("possible", words[index])
    governor = _governor_before_to(words, group)
    if governor is not None and words[governor] in POSSIBLE_GOVERNORS:
        return Cue("possible", f"{words[governor]} to")
    return None


def _planning_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    for index in group:
        word = words[index]
        if word in MODALS_FUTURE or word in MODALS_OBLIGATION or word == "would":
            return Cue("planned", word)
    governor = _governor_before_to(words, group)
    if governor is not None and words[governor] in PLANNING_GOVERNORS:
        return Cue("planned", f"{words[governor]} to")
    if governor is not None and tokens.raw[governor][:1].isupper():
        return Cue("planned", f"{tokens.raw[governor]} to")  # the headline "GM to cut jobs"
    if words[head].endswith("ing") and head > 0 and words[head - 1] in CONTEMPLATING:
        return Cue("planned", f"{words[head - 1]} {words[head]}")
    if all(words[index] == "'s" for index in group):
        # a noun awaited: "awaited signature", "needs the governor's approval"
        for index in range(head - 1, max(clause_start(words, head), head - 5) - 1, -1):
            if words[index] in WAITING_GOVERNORS:
                return Cue("planned", f"{words[index]} ... {words[head]}")
    before = words[head - 1] if head > 0 else ""
    verb_like = bool(group) or (before not in DETERMINERS and before not in PREPOSITIONS)
    if verb_like and not is_past(words[head]) and not {words[i] for i in group} & AUX_PAST:
        for index in range(head + 1, min(head + 9, len(words))):
            if words[index] in SENTENCE_END or words[index] in BOUNDARIES:
                break
            if words[index] in FUTURE_DATES:
                return Cue("planned", " ".join(words[index : index + 2]))
    return None


def _ongoing_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    group_words = {words[index] for index in group}
    if words[head].endswith("ing") and group_words & {"is", "are", "am", "'s"}:
        return Cue("ongoing", f"{words[group[-1]]} {words[head]}")
    return None


CUE_FINDERS = (_conditional_cue, _demand_cue, _negation_cue, _hedge_cue, _planning_cue,
               _ongoing_cue)  # fmt: skip


def find_cue(tokens: Tokens, head: int) -> Cue | None:
    """The first cue (in the order of ``CUE_FINDERS``) saying the event is not reported done."""
    group = verb_group(tokens.words, head)
    for finder in CUE_FINDERS:
        cue = finder(tokens, head, group)
        if cue is not None:
            return cue
    return None


# -- features for the fitted model -------------------------------------------------------------
