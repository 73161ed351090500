"""Is a commitment the publication states itself specific enough to check? The fitted decision.

A manifesto says "We will strengthen the rural economy" and "Fifteen new cities will be built in
five years"; only the second is a pledge a reader can check (the pledge corpus of Fornaciari et
al. calls it "specific and testable"). News articles report their commitments (someone said,
announced, agreed), so this decision is taken only for a sentence no one is reported to have said:
the publication's own voice, where the candidates are the commitment patterns plus the ``stated_``
ones of :data:`~claimtrack.extraction.rules.commitment_cues.COMMITMENT_CUES` (any "will" verb
group, a line opening with a verb).

A logistic regression, fitted on the pledge corpus's training split only by
``evals/commitments/fit_specificity.py``, which writes ``specificity-v1.json`` beside this
module: the weights of the named features below, the weights of the hashed word features, the
intercept and the threshold (chosen by cross-validation on the training split). Nothing is set by
hand; the words of the corpus are never stored (a word feature is a CRC-32 bucket, not the word).

The features of a candidate sentence (:func:`features`):

- ``rule:<name>``: each commitment pattern that found a candidate in it;
- ``opening:<kind>``, ``opening_verb:<class>``: whether it opens with a verb (base form,
  "Set up ...", or gerund, "Upgrading ..."), and that verb's class;
- ``will_verb:<class>``, ``will_be``: the class of the verb after the first "will"/"shall"/"would",
  and whether it is a passive or "be";
- hand-written word classes: concrete actions (``concrete``: set up, build, abolish), aims
  (``vague``: strengthen, ensure, promote, strive), institutions (a scheme, an act, a commission),
  and the shape of a checkable target: a number, a deadline ("within five years"), "every
  village", a proper name inside the sentence, a past tense (a record, not a pledge), a first
  person, a list bullet, a closing colon, the length;
- ``hashed``: the sentence's lower-cased words, word pairs, word triples and first three words
  (with their position), each hashed into :data:`BUCKETS` buckets.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from lemminflect import getAllLemmas

from claimtrack.extraction.rules.commitment_cues import verb_class
from claimtrack.extraction.rules.vocabulary import _words

MODEL_FILE = Path(__file__).with_name("specificity-v1.json")
BUCKETS = 8192
_BULLET = re.compile(r"(?:[-–—•*·▪►]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])?\s*")
_WORD = re.compile(r"[a-z][a-z'’-]*|\d[\d,.]*%?")
_WILL_VERB = re.compile(
    r"\b(?:will|shall|would)\s+(?:[a-z]+ly\s+|also\s+|further\s+)?(?P<be>be\s+)?(?P<verb>[a-z]+)"
)
_EVERY = re.compile(r"\b(?:every|each|all)\s+[a-z]")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|fifty|"
    r"hundred|thousand|lakh|lakhs|crore|crores|million|billion)\b"
)
_DEADLINE = re.compile(
    r"\b(?:by|within|before|in)\s+(?:the\s+)?(?:next\s+|first\s+)?"
    r"(?:\d|one|two|three|four|five|ten|twelve|hundred)"
)
_PAST = re.compile(r"\b(?:has|have|had|was|were)\b")
_PROPER_NAME = re.compile(r"(?<=[a-z,]\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+|[‘'\"“][A-Z]")
_INSTITUTIONS = _words(
    """
    act acts bill bills law laws scheme schemes mission missions authority authorities commission
    commissions board boards fund funds council councils university universities college colleges
    hospital hospitals school schools policy policies programme programmes program programs
    corporation corporations agency agencies tribunal tribunals court courts cell cells centre
    centres center centers institute institutes academy academies registry portal network
    corridor corridors code regulator
    """
)
_FIRST_PERSON = frozenset({"we", "our", "us"})


def features(sentence: str, rules: Iterable[str]) -> dict[str, float]:
    """The named and hashed features of one candidate sentence (see the module's docstring);
    a hashed feature is ``hashed:<bucket>``."""
    lowered = sentence.lower()
    words = _WORD.findall(lowered)
    found: dict[str, float] = {f"rule:{rule}": 1.0 for rule in rules}
    found.update(_opening_features(sentence))
    found.update(_will_features(lowered))
    found.update(_target_features(sentence, lowered, words))
    for bucket in _hashed(lowered, words):
        found[f"hashed:{bucket}"] = 1.0
    return found


def _opening_features(sentence: str) -> dict[str, float]:
    bullet = _BULLET.match(sentence)
    opening = bullet.end() if bullet else 0
    first = re.match(r"[A-Za-z]+", sentence[opening:])
    kind = opening_verb(first.group()) if first else None
    named = {"bullet": 1.0} if opening and sentence[:opening].strip() else {}
    if kind is None:
        return named | {"opening:other": 1.0}
    form, lemma = kind
    return named | {f"opening:{form}": 1.0, f"opening_verb:{verb_class(lemma)}": 1.0}


_ACTION_NOUN = re.compile(r"[a-z]{4,}(?:tion|sion|ment|sal|ance|ence)")


def opens_with_action(match: re.Match[str]) -> bool:
    """Whether a "stated_line" match opens its line with an action: a verb ("Expand",
    "Upgrading"), or an action's noun and "of" ("Electrification of tribal hamlets")."""
    word = match.group("action")
    if opening_verb(word) is not None:
        return True
    return match.group("of") is not None and _ACTION_NOUN.fullmatch(word.lower()) is not None


@lru_cache(maxsize=50_000)
def verb_lemmas(word: str) -> tuple[str, ...]:
    """lemminflect's verb lemmas of a lower-cased word, remembered: its tables copy their answer
    on every call, and a page of text asks about the same words again and again."""
    return tuple(getAllLemmas(word).get("VERB") or ())


def opening_verb(word: str) -> tuple[str, str] | None:
    """("base", lemma) for a verb's base form ("Expand"), ("gerund", lemma) for its -ing form
    ("Upgrading"), None for any other word (lemminflect's tables)."""
    lowered = word.lower()
    lemmas = verb_lemmas(lowered)
    if not lemmas:
        return None
    if lemmas[0] == lowered:
        return "base", lowered
    if lowered.endswith("ing"):
        return "gerund", lemmas[0]
    return None


def _will_features(lowered: str) -> dict[str, float]:
    will = _WILL_VERB.search(lowered)
    if will is None:
        return {}
    verb = will.group("verb")
    lemma = (verb_lemmas(verb) or (verb,))[0]
    named = {f"will_verb:{verb_class(lemma)}": 1.0}
    if will.group("be"):
        named["will_be"] = 1.0
    return named


def _target_features(sentence: str, lowered: str, words: list[str]) -> dict[str, float]:
    flags = {
        "every": _EVERY.search(lowered) is not None,
        "number": _NUMBER.search(lowered) is not None,
        "deadline": _DEADLINE.search(lowered) is not None,
        "past": _PAST.search(lowered) is not None,
        "proper_name": _PROPER_NAME.search(sentence) is not None,
        "institution": any(word in _INSTITUTIONS for word in words),
        "first_person": any(word in _FIRST_PERSON for word in words),
        "colon_end": sentence.rstrip().endswith(":"),
    }
    named = {name: 1.0 for name, present in flags.items() if present}
    classes = [verb_class(word) for word in words]
    named["concrete_words"] = min(classes.count("concrete"), 4) / 2
    named["vague_words"] = min(classes.count("vague"), 4) / 2
    named["length"] = min(len(words), 60) / 20
    return named


def _hashed(lowered: str, words: list[str]) -> set[int]:
    """The buckets of the words, word pairs, word triples and the first three words."""
    grams = [*words, *map(" ".join, itertools.pairwise(words))]
    grams += map(" ".join, zip(words, words[1:], words[2:], strict=False))
    bullet = _BULLET.match(lowered)
    body = _WORD.findall(lowered[bullet.end() if bullet else 0 :])
    grams += [f"{position}:{word}" for position, word in enumerate(body[:3])]
    return {zlib.crc32(gram.encode()) % BUCKETS for gram in grams}


@dataclass(frozen=True)
class SpecificityModel:
    version: str
    named: Mapping[str, float]  # the weight of each named feature
    hashed: tuple[float, ...]  # the weight of each bucket
    intercept: float
    threshold: float  # the least probability at which a candidate is kept

    def probability(self, found: Mapping[str, float]) -> float:
        score = self.intercept
        for name, value in found.items():
            if name.startswith("hashed:"):
                score += self.hashed[int(name[7:])] * value
            else:
                score += self.named.get(name, 0.0) * value
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "buckets": len(self.hashed),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "named": dict(sorted(self.named.items())),
            "hashed": list(self.hashed),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SpecificityModel:
        named, hashed = data["named"], data["hashed"]
        if not isinstance(named, dict) or not isinstance(hashed, list):
            raise ValueError("named must be an object and hashed a list")
        if len(hashed) != BUCKETS:
            raise ValueError(
                f"{MODEL_FILE.name} has {len(hashed)} buckets, the code hashes into {BUCKETS}: "
                "run evals/commitments/fit_specificity.py"
            )
        return cls(
            version=str(data["version"]),
            named={str(name): float(weight) for name, weight in named.items()},
            hashed=tuple(float(weight) for weight in hashed),
            intercept=float(str(data["intercept"])),
            threshold=float(str(data["threshold"])),
        )


@cache
def fitted_model() -> SpecificityModel:
    """The model shipped in the package."""
    return SpecificityModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def is_specific(sentence: str, rules: Iterable[str]) -> bool:
    """Whether a sentence the publication states, with candidates of these commitment
    patterns, commits to something specific enough to check."""
    model = fitted_model()
    return model.probability(features(sentence, rules)) >= model.threshold
