"""Event factuality: does a sentence report its event as having happened?

A later article is evidence that a commitment was finalised or fulfilled, or that a condition was
met, only when it reports the event as done. "A declaration of intent ... in the event a peace
deal is reached" does not say a peace deal was reached. ``assess(sentence, event)`` answers for
one event mention (a character span of its word or words), or for the sentence's predicates.

Two parts, each explainable:

- **Cues** (rules, in the event's verb group and clause) give the ``label`` and the ``cue`` the
  reviewer sees. Checked in this order, the first found wins:

  ``conditional``  if, once, unless, in the event, provided (that), as long as, in case,
                   clause-initial "should" ("should peace be established"), and when / as soon
                   as / after / before / until with a present-tense event ("when the
                   proceedings are finalized");
  ``demanded``     urged / asked / pressed / ordered ... to, called / pushed / appealed for,
                   demanded, insisted that;
  ``negated``      not, n't, never, no, without in the verb group or just before the event;
                   failed / refused / declined to; denied;
  ``reported``     reportedly, allegedly, purportedly, supposedly, rumoured;
  ``possible``     may, might, could, can; possibly, perhaps, maybe, probably, likely; whether,
                   "asked if";
  ``planned``      will, 'll, shall, would, should, must; going to, is to, set to, due to, plans /
                   expected / aims / intends / wants / hopes / agreed / promised ... to, any other
                   infinitive ("GM to cut 10,000 jobs"); a future time after a non-past event
                   ("signs the deal next week");
  ``ongoing``      present progressive ("are negotiating"): begun, not finished.

  Without a cue the label is ``happened`` when ``p_happened`` ≥ 0.5, else ``unknown``.

- **p_happened** is a logistic regression over binary features (the cues above, finer cue
  words, the event word's morphology: -ed, irregular past or participle, -ing, -s, a nominal
  suffix, a determiner or preposition before it; the verb group's auxiliaries: past, present,
  perfect, passive; the nearest tense to the left (the governing verb); a reporting verb before
  it; quotes; a headline without final punctuation; time words). Its weights are fitted on
  MEANTIME (certain + positive + non-future = happened) by ``evals/factuality/fit.py`` and stored
  in ``factuality-v1.json`` beside this module; nothing is learned at run time and no other
  library is needed.

``Factuality.happened()`` is true only for ``happened``: an ``ongoing`` event has begun but is
not done, so it cannot finalise or fulfil anything (MEANTIME counts ongoing events as certain,
positive and non-future, so the cross-validation scores ``happened`` and ``ongoing`` together;
see ``reports_as_factual``).

Without an event span, the predicates are every verb-group head (the word after an auxiliary,
modal, "to" or negation; a word with past morphology that no determiner precedes; an auxiliary
with no verb after it), reporting verbs left out when anything else is found ("officials said
the deal was signed" judges "signed"). Each is judged and the **least factual** one is returned,
so a sentence whose clause is conditional, planned or denied is never called happened as a
whole: "France signed a declaration ... in the event a peace deal is reached" is conditional.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from claimtrack.tracking.factuality_cues import find_cue
from claimtrack.tracking.factuality_words import (
    AMBIGUOUS_PAST,
    AUX_PAST,
    AUX_PRESENT,
    AUXILIARIES,
    BOUNDARIES,
    CONDITIONAL_WORDS,
    CONTEMPLATING,
    DETERMINERS,
    FUTURE_ADJECTIVES,
    FUTURE_TIME,
    GROUP_ADVERBS,
    GROUP_NEGATIONS,
    IRREGULAR_PAST,
    MODALS,
    NEGATIONS,
    NOMINAL_SUFFIXES,
    PARTICIPLES,
    PAST_TIME,
    PLANNING_GOVERNORS,
    PREPOSITIONS,
    REPORTING,
    SENTENCE_END,
    TEMPORAL_WORDS,
    WEEKDAYS,
    Cue,
    Label,
    Tokens,
    clause_start,
    is_past,
    tokenize,
    verb_group,
)

MODEL_FILE = Path(__file__).with_name("factuality-v1.json")
FEATURE_SET = 1  # bump when the features change; the model file must be fitted again


@dataclass(frozen=True)
class Factuality:
    """What a sentence says about one event: its label, the model's probability, the cue."""

    label: Label
    p_happened: float  # the fitted model's probability: certain, positive and non-future
    cue: str | None  # the words that decided the label ("in the event", "will", "not")
    model_version: str

    def happened(self) -> bool:
        """Reported as done: neither ongoing nor planned, possible, conditional, denied, ..."""
        return self.label == "happened"

    def reports_as_factual(self) -> bool:
        """Certain, positive and non-future as MEANTIME counts it: done or under way."""
        return self.label in ("happened", "ongoing")


@dataclass(frozen=True)
class FactualityModel:
    version: str
    intercept: float
    weights: dict[str, float]
    threshold: float = 0.5  # p_happened at or above which an event without a cue happened

    def probability(self, features: Sequence[str]) -> float:
        score = self.intercept + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-score))


@cache
def load_model(path: Path = MODEL_FILE) -> FactualityModel:
    """The fitted weights; refuses a file fitted for other features."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("feature_set") != FEATURE_SET:
        raise ValueError(
            f"{path.name} was fitted for feature set {data.get('feature_set')}, "
            f"this code computes set {FEATURE_SET}: run evals/factuality/fit.py"
        )
    weights = {
        name: float(value)
        for name, value in zip(data["features"], data["coefficients"], strict=True)
    }
    return FactualityModel(
        str(data["version"]), float(data["intercept"]), weights, float(data["threshold"])
    )


@lru_cache(maxsize=4096)  # the judge asks about one evidence sentence for many items
def assess(sentence: str, event: tuple[int, int] | None = None) -> Factuality:
    """Judge the event at ``event`` (character offsets), else the least factual predicate."""
    tokens = tokenize(sentence)
    model = load_model()
    if not tokens.words:
        return Factuality("unknown", 0.0, None, model.version)
    heads = [_head_at(tokens, event)] if event is not None else predicate_heads(tokens)
    judgements = [_judge(tokens, head, model) for head in heads]
    return min(judgements, key=_factual_rank)


def _factual_rank(judgement: Factuality) -> tuple[bool, float]:
    return (judgement.happened(), judgement.p_happened)


def _judge(tokens: Tokens, head: int, model: FactualityModel) -> Factuality:
    cue = find_cue(tokens, head)
    probability = model.probability(features(tokens, head, cue))
    if cue is not None:
        return Factuality(cue.label, probability, cue.words, model.version)
    label: Label = "happened" if probability >= model.threshold else "unknown"
    return Factuality(label, probability, None, model.version)


def _head_at(tokens: Tokens, event: tuple[int, int]) -> int:
    """The first word token inside the span (or the nearest one after it)."""
    start, end = event
    for index, (token_start, token_end) in enumerate(tokens.spans):
        if (
            token_end > start
            and token_start < max(end, start + 1)
            and tokens.raw[index][0].isalnum()
        ):
            return index
    later = [index for index, (token_start, _) in enumerate(tokens.spans) if token_start >= start]
    return later[0] if later else len(tokens.words) - 1


# -- the event's surroundings ------------------------------------------------------------------


def features(tokens: Tokens, head: int, cue: Cue | None) -> list[str]:
    """The binary features of the event at ``head`` (names as stored in the model file)."""
    words = tokens.words
    group = verb_group(words, head)
    found = ["bias_cue:none"] if cue is None else [f"cue:{cue.label}", f"cue_words:{cue.words}"]
    found += _word_features(tokens, head)
    found += _group_features(words, head, group)
    found += _context_features(tokens, head, group)
    return found


def _word_features(tokens: Tokens, head: int) -> list[str]:
    word = tokens.words[head]
    before = tokens.words[head - 1] if head > 0 else "<s>"
    found: list[str] = []
    if word.endswith("ed") and len(word) > 3:
        found.append("word:ed")
    if word in IRREGULAR_PAST:
        found.append("word:irregular_past")
    if word in PARTICIPLES:
        found.append("word:participle")
    if word in AMBIGUOUS_PAST:
        found.append("word:ambiguous_past")
    if word.endswith("ing"):
        found.append("word:ing")
    if word.endswith("s") and not word.endswith("ss"):
        found.append("word:s")
    if word.endswith(NOMINAL_SUFFIXES):
        found.append("word:nominal_suffix")
    if word in REPORTING:
        found.append("word:reporting")
    if word in AUXILIARIES:
        found.append("word:auxiliary")
    if tokens.raw[head][:1].isupper() and head > 0:
        found.append("word:capitalised")
    if before in DETERMINERS:
        found.append("before:determiner")
    elif before in PREPOSITIONS:
        found.append("before:preposition")
    elif before == "<s>":
        found.append("before:start")
    if before.endswith("'s") or before == "'s":
        found.append("before:possessive")
    if before in {"for", "to"}:
        found.append(f"before:{before}")
    if before in FUTURE_ADJECTIVES:
        found.append("before:future_adjective")
    found.append(f"word={word}")
    after = tokens.words[head + 1] if head + 1 < len(tokens.words) else "</s>"
    if after in {"of", "to"}:
        found.append(f"after:{after}")
    if after in DETERMINERS or after in {"him", "her", "them", "it", "us"}:
        found.append("after:object")
    if after in SENTENCE_END or after == "</s>":
        found.append("after:end")
    return found


def _group_features(words: Sequence[str], head: int, group: Sequence[int]) -> list[str]:
    group_words = [words[index] for index in group]
    word = words[head]
    found = [f"group:{group_word}" for group_word in group_words if group_word in AUXILIARIES]
    if not group_words:
        found.append("group:empty")
    has_past, has_present = bool(AUX_PAST & set(group_words)), bool(AUX_PRESENT & set(group_words))
    participle = is_past(word)
    if has_past and participle:
        found.append("group:past_aux+participle")
    if has_present and participle:
        found.append("group:present_aux+participle")
    if "been" in group_words:
        found.append("group:perfect_be")
    if has_present and word.endswith("ing"):
        found.append("group:present_progressive")
    if has_past and word.endswith("ing"):
        found.append("group:past_progressive")
    if not group_words and participle:
        found.append("group:bare_past")
    if group_words and group_words[-1] == "to":
        found.append("group:infinitive")
    return found


def _context_features(tokens: Tokens, head: int, group: Sequence[int]) -> list[str]:
    words = tokens.words
    found: list[str] = []
    first = group[0] if group else head
    found.append(f"left_tense:{_left_tense(words, first)}")
    if any(word in REPORTING for word in words[:first]):
        found.append("left:reporting_verb")
    if words[:head].count('"') % 2 == 1:
        found.append("in_quotes")
    if words[-1] not in SENTENCE_END and words[-1] != '"':
        found.append("headline")
    right = words[head + 1 : head + 9]
    if any(word in FUTURE_TIME for word in right):
        found.append("right:future_time")
    if any(word in PAST_TIME for word in words):
        found.append("sentence:past_time")
    if any(word in WEEKDAYS for word in right):
        found.append("right:day")
    if any(word in CONDITIONAL_WORDS | TEMPORAL_WORDS for word in words[:first]):
        found.append("left:subordinator")
    if any(word in MODALS for word in words[:first]):
        found.append("left:modal")
    if "that" in words[max(0, first - 4) : first]:
        found.append("left:that")
    found += _governing_verb_features(words, head)
    near = words[max(0, first - 4) : first]
    if "to" in near[:-1]:
        found.append("left:infinitive_near")
    if any(word in MODALS for word in near):
        found.append("left:modal_near")
    for word in words[head + 1 : head + 7]:
        if word in SENTENCE_END or word in BOUNDARIES or word == ",":
            break
        if word in MODALS:
            found.append("right:modal")
            break
    return found


def _governing_verb_features(words: Sequence[str], head: int) -> list[str]:
    """For a noun event, the verb whose object it is ("to evade [bankruptcy]")."""
    for index in range(head - 1, max(clause_start(words, head), head - 5) - 1, -1):
        word = words[index]
        if word in AUXILIARIES or word in NEGATIONS:
            return []
        group = [words[member] for member in verb_group(words, index)]
        if group or is_past(word) or word in REPORTING:
            found = [f"governor_group:{member}" for member in group if member in AUXILIARIES]
            if is_past(word):
                found.append("governor:past")
            if word in PLANNING_GOVERNORS or word in CONTEMPLATING:
                found.append("governor:planning")
            return found or ["governor:bare"]
    return []


def _left_tense(words: Sequence[str], first: int) -> str:
    """The tense of the nearest finite verb before the event: its governing verb, roughly."""
    for index in range(first - 1, -1, -1):
        word = words[index]
        if word in MODALS:
            return "modal"
        if word in AUX_PAST or word in IRREGULAR_PAST:
            return "past"
        if word in AUX_PRESENT or word in {"says", "tells", "states"}:
            return "present"
        if (
            word.endswith("ed")
            and len(word) > 3
            and (index == 0 or words[index - 1] not in DETERMINERS)
        ):
            return "past"
    return "none"


# -- predicates when no span is given ----------------------------------------------------------


def predicate_heads(tokens: Tokens) -> list[int]:
    """Verb-group heads of the sentence; reporting verbs only when nothing else is found."""
    words = tokens.words
    heads: list[int] = []
    for index, word in enumerate(words):
        if not tokens.raw[index][:1].isalpha() or word in NEGATIONS:
            continue
        if _is_predicate(words, index):
            heads.append(index)
    content = [index for index in heads if words[index] not in REPORTING]
    if content:
        return content
    if heads:
        return heads
    return [next((i for i, raw in enumerate(tokens.raw) if raw[:1].isalpha()), 0)]


def _is_predicate(words: Sequence[str], index: int) -> bool:
    word = words[index]
    before = words[index - 1] if index > 0 else "<s>"
    if word in DETERMINERS or word in PREPOSITIONS or word in GROUP_ADVERBS:
        return False
    if word in AUXILIARIES:
        # a copula or auxiliary is the predicate only when no verb follows it
        return word not in {"to", "get", "got", "gets"} and not _starts_verb(words, index + 1)
    group = {words[member] for member in verb_group(words, index)}
    if group & (AUXILIARIES | GROUP_NEGATIONS):
        return True
    return is_past(word) and before not in DETERMINERS and before not in PREPOSITIONS


def _starts_verb(words: Sequence[str], index: int) -> bool:
    """A verb follows (after adverbs and negation) an auxiliary at ``index - 1``."""
    while index < len(words) and (words[index] in GROUP_ADVERBS or words[index] in NEGATIONS):
        index += 1
    if index >= len(words):
        return False
    word = words[index]
    if word in AUXILIARIES:
        return True
    return (
        is_past(word)
        or word.endswith("ing")
        or (word.isalpha() and word not in DETERMINERS and word not in PREPOSITIONS)
    )
