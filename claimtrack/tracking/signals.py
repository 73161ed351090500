"""What tells that a sentence of a later article speaks about an earlier item.

The offline judge reads each candidate item against every sentence of the later article and
measures, for each pair:

- ``meaning``: the cosine of the two sentences' vectors (:mod:`claimtrack.tracking.meaning`: static
  word embeddings that ship with the package), so that "will be phased out" comes near "was
  discontinued" without a shared word; the best of the item's quote and its standalone text;
- ``words``: the share of the item's content words (idf-weighted, stemmed) the sentence has;
- ``named``: the sentence names the item's speaker or one of its actors (another spelling or the
  initials of a name included: "Zelenskiy" for "Zelenskyy", "GM" for "General Motors");
  ``named_article``: the article does, anywhere;
- ``numbers``: the share of the item's numbers and amounts ("30,000", "$1.6 billion", "90%") the
  sentence repeats; ``numbers_other``: the sentence has numbers, none of them the item's;
- ``event``: the sentence names the item's kind of event, in other words if need be ("cut jobs" →
  "layoffs"; the families are in ``events.toml``);
- ``condition``: for a conditional commitment, the share of its condition's words the sentence
  has (with the condition's event family counted as a word).

:mod:`claimtrack.tracking.relatedness` weighs them with weights fitted on the tracking gold.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from claimtrack.tracking.retrieval import name_keys, names_match, stem, terms

FEATURES: tuple[str, ...] = (
    "meaning",
    "words",
    "named",
    "named_article",
    "numbers",
    "numbers_other",
    "event",
    "condition",
)

_WORDS = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")
_NUMBER = re.compile(
    r"(?<![\w.])(?:[$€£]\s?)?\d+(?:[.,]\d+)*"
    r"(?:\s?%|\s(?:percent|per cent|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\A(?:1[89]|20)\d\d\Z")
_DATES = re.compile(
    r"\s*\((?:reported|deadline)[^)]*\)|,?\s*(?:as )?reported on \d{1,2} \w+ \d{4},?",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]{2,}")
_INITIALS = re.compile(r"(?<![\w'’.-])[A-Z]{2,6}(?![\w'’-])")


@dataclass(frozen=True)
class ItemView:
    """The fields of an earlier item the offline judge reads."""

    id: str
    kind: str
    quote: str
    text: str
    speaker: str | None
    actors: tuple[str, ...]
    action: str | None
    condition: str | None
    status: str | None

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> ItemView:
        """From the row a store read gives (``items_by_id``)."""
        return cls(
            id=str(fields["id"]),
            kind=str(fields["kind"]),
            quote=str(fields["quote"] or ""),
            text=str(fields.get("text") or fields["quote"] or ""),
            speaker=fields.get("speaker_canonical") or fields.get("speaker"),
            actors=tuple(fields.get("actors") or ()),
            action=fields.get("action"),
            condition=fields.get("condition"),
            status=fields.get("status"),
        )

    @property
    def standalone(self) -> str:
        """The standalone text without the dates the extractor appends."""
        return _DATES.sub("", self.text).strip()

    @property
    def names(self) -> set[str]:
        keys: set[str] = set()
        for name in (self.speaker, *self.actors):
            keys |= name_keys(name)
        return keys


# -- event families -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFamily:
    name: str
    single: frozenset[str]  # stems of one-word entries
    phrases: tuple[tuple[str, ...], ...]  # stem sequences of multi-word entries
    example: tuple[str, str]


def _stems(text: str) -> list[str]:
    return [stem(word) for word in _WORDS.findall(text.lower())]


@cache
def event_families() -> tuple[EventFamily, ...]:
    """The families of ``events.toml``, with their words as stems."""
    data = tomllib.loads(Path(__file__).with_name("events.toml").read_text(encoding="utf-8"))
    families = []
    for name, family in data["families"].items():
        single, phrases = set(), []
        for word in family["words"]:
            stems = tuple(_stems(word))
            if len(stems) == 1:
                single.add(stems[0])
            elif stems:
                phrases.append(stems)
        first, second = family["example"]
        families.append(EventFamily(name, frozenset(single), tuple(phrases), (first, second)))
    return tuple(families)


def families_in(text: str) -> frozenset[str]:
    """The event families ``text`` names."""
    stems = _stems(text)
    present = set(stems)
    joined = " " + " ".join(stems) + " "
    found = set()
    for family in event_families():
        if family.single & present or any(
            " " + " ".join(phrase) + " " in joined for phrase in family.phrases
        ):
            found.add(family.name)
    return frozenset(found)


# -- numbers and names ----------------------------------------------------------------------------


def numbers_in(text: str) -> set[str]:
    """Numbers and amounts, normalised ("30,000" → "30000", "$1.6 billion" → "1.6 billion");
    years and one-digit numbers left out (they match by chance)."""
    found = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(0).lower().replace("per cent", "%").replace("percent", "%")
        digits = re.sub(r"[$€£\s]", "", raw)
        bare = re.sub(r"(?<=\d),(?=\d{3})", "", digits)
        number = re.match(r"[\d.,]+", bare)
        if number is None or _YEAR.match(number.group(0)) or len(number.group(0)) < 2:
            continue
        found.add(bare.rstrip(".,"))
    return found


def _named(keys: set[str], text: str) -> bool:
    if not keys:
        return False
    lowered = text.lower()
    if any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", lowered) for key in keys):
        return True
    initials = {"".join(word[0] for word in key.split()) for key in keys if len(key.split()) >= 2}
    if initials & {found.lower() for found in _INITIALS.findall(text)}:
        return True
    return names_match(keys, {word.lower() for word in _CAPITALISED.findall(text)})


# -- the signals of one pair ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemProfile:
    """What is computed once per item, whatever the sentence."""

    item: ItemView
    quote_terms: tuple[str, ...]
    text_terms: tuple[str, ...]
    condition_terms: tuple[str, ...]
    names: frozenset[str]
    numbers: frozenset[str]
    families: frozenset[str]
    condition_families: frozenset[str]

    @classmethod
    def of(cls, item: ItemView) -> ItemProfile:
        own = f"{item.quote} {item.action or ''}"
        return cls(
            item=item,
            quote_terms=tuple(terms(item.quote)),
            text_terms=tuple(terms(item.standalone)),
            condition_terms=tuple(terms(item.condition or "")),
            names=frozenset(item.names),
            numbers=frozenset(numbers_in(item.quote)),
            families=families_in(own),
            condition_families=families_in(item.condition or ""),
        )


@dataclass(frozen=True)
class SentenceProfile:
    text: str
    terms: frozenset[str]
    numbers: frozenset[str]
    families: frozenset[str]

    @classmethod
    def of(cls, text: str) -> SentenceProfile:
        return cls(text, frozenset(terms(text)), frozenset(numbers_in(text)), families_in(text))


def coverage(wanted: Sequence[str], found: frozenset[str], idf: Mapping[str, float]) -> float:
    """The idf-weighted share of ``wanted`` words that are in ``found``."""
    unique = set(wanted)
    total = sum(idf.get(word, 1.0) for word in unique)
    if not total:
        return 0.0
    return sum(idf.get(word, 1.0) for word in unique & found) / total


def pair_features(
    item: ItemProfile,
    sentence: SentenceProfile,
    meaning: float,
    *,
    named_article: bool,
    idf: Mapping[str, float],
) -> dict[str, float]:
    """The signals of one (item, sentence) pair, by the names in :data:`FEATURES`."""
    words = max(
        coverage(item.quote_terms, sentence.terms, idf),
        coverage(item.text_terms, sentence.terms, idf),
    )
    shared_numbers = item.numbers & sentence.numbers
    condition = 0.0
    if item.condition_terms:
        hits = coverage(item.condition_terms, sentence.terms, idf)
        family = 1.0 if item.condition_families & sentence.families else 0.0
        condition = max(hits, family * 0.5 + hits * 0.5)
    return {
        "meaning": meaning,
        "words": words,
        "named": 1.0 if _named(set(item.names), sentence.text) else 0.0,
        "named_article": 1.0 if named_article else 0.0,
        "numbers": len(shared_numbers) / len(item.numbers) if item.numbers else 0.0,
        "numbers_other": 1.0 if sentence.numbers and not shared_numbers else 0.0,
        "event": 1.0 if item.families & sentence.families else 0.0,
        "condition": condition,
    }


def named_in(item: ItemProfile, text: str) -> bool:
    """Whether ``text`` (a whole article) names the item's speaker or an actor."""
    return _named(set(item.names), text)
