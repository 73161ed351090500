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
  has (with the condition's event family counted as a word);
- ``entities``: the share of the item's other proper names (products, companies, places, laws:
  "Saturn", "Delphi", "TARP") the sentence has; ``entities_article``: the article has, anywhere.
  Items that share an actor and a topic but not their object ("Hummer and Saab" against a sale of
  "Saturn") differ here.

:mod:`claimtrack.tracking.relatedness` weighs them with weights fitted on the tracking gold.
:func:`article_features` computes them for a whole article at once; the judge and the script
that fits its weights both call it, so what is fitted is what runs.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from claimtrack.extraction.rules import headline_spans
from claimtrack.extraction.speakers import is_organisation, same_surname, surname_blocks
from claimtrack.store.trackings import TrackedItem
from claimtrack.tracking import meaning
from claimtrack.tracking.retrieval import STOPWORDS, name_keys, stem, terms

FEATURES: tuple[str, ...] = (
    "meaning",
    "words",
    "named",
    "named_article",
    "numbers",
    "numbers_other",
    "event",
    "condition",
    "entities",
    "entities_article",
)

_WORDS = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")
_NUMBER = re.compile(
    r"(?<![\w.])(?:[$€£]\s?)?\d+(?:[.,]\d+)*"
    r"(?:\s?%|\s(?:percent|per cent|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\A(?:1[89]|20)\d\d\Z")
# a number of years, months ... is a time span or an age, not an amount of the event: "ending
# 50 years of maintenance", "within 30 days", "a 10-year low"
_DURATION = re.compile(
    r"[\s-]*(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|century)\b",
    re.IGNORECASE,
)
_DATES = re.compile(
    r"\s*\((?:reported|deadline)[^)]*\)|,?\s*(?:as )?reported on \d{1,2} \w+ \d{4},?",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]{2,}")
_INITIALS = re.compile(r"(?<![\w'’.-])[A-Z]{2,6}(?![\w'’$-])")  # "US$" is a currency
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")  # "U.S.", read as "us"
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)+")


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
    deadline: date | None = None
    reported: date | None = None  # the day of the item's own article
    article: str | None = None  # the id of the item's own article

    @classmethod
    def from_row(cls, item: TrackedItem) -> ItemView:
        """From the row a store read gives (``items_by_id``)."""
        return cls(
            id=item.id,
            kind=item.kind,
            quote=item.quote,
            text=item.text or item.quote,
            speaker=item.speaker_canonical or item.speaker,
            actors=tuple(item.actors),
            action=item.action,
            condition=item.condition,
            status=item.status,
            deadline=item.deadline,
            reported=item.article_published,
            article=item.article_id,
        )

    @property
    def standalone(self) -> str:
        """The standalone text without the dates the extractor appends."""
        return _DATES.sub("", self.text).strip()

    @property
    def names(self) -> set[str]:
        """The keys of the speaker's and actors' names; a description without a proper name
        ("the federal government", "the company", "analysts") names no one in particular: the
        government of one article is not the government of another."""
        return self._keys(proper=True)

    @property
    def descriptions(self) -> set[str]:
        """The keys of the speaker and actors that are descriptions ("the council")."""
        return self._keys(proper=False)

    def _keys(self, *, proper: bool) -> set[str]:
        keys: set[str] = set()
        for name in (self.speaker, *self.actors):
            if name and _is_proper(name) == proper:
                keys |= _name_keys_of(name)
        return keys


@lru_cache(maxsize=20_000)
def _name_keys_of(name: str) -> frozenset[str]:
    """:func:`name_keys`, but an organisation is named only whole: "Motors" is a person's
    surname's place in "General Motors", and would name "Ford Motors" too."""
    keys = name_keys(name)
    if is_organisation(name) and any(" " in key for key in keys):
        return frozenset(key for key in keys if " " in key)
    return frozenset(keys)


_NOT_PROPER = frozenset({"the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his",
                         "her", "its", "their", "our", "this", "that", "these", "those",
                         "one"})  # fmt: skip


def _is_proper(name: str) -> bool:
    """Whether a name has a proper name in it: a capitalised word or an acronym that is not a
    determiner or a pronoun ("GM", "the US Treasury", "Jim Press"; not "The government", "He")."""
    return any(
        word[0].isupper() and word.lower() not in _NOT_PROPER
        for word in re.findall(r"[\w'’.-]+", name)
    )


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


@dataclass(frozen=True)
class _FamilyIndex:
    by_stem: Mapping[str, frozenset[str]]  # one-word entries: stem -> families
    phrases: tuple[tuple[str, str, str], ...]  # (first stem, " padded phrase ", family)


@cache
def _family_index() -> _FamilyIndex:
    by_stem: dict[str, set[str]] = {}
    phrases = []
    for family in event_families():
        for single in family.single:
            by_stem.setdefault(single, set()).add(family.name)
        for phrase in family.phrases:
            phrases.append((phrase[0], " " + " ".join(phrase) + " ", family.name))
    frozen = {single: frozenset(names) for single, names in by_stem.items()}
    return _FamilyIndex(frozen, tuple(phrases))


def families_in(text: str) -> frozenset[str]:
    """The event families ``text`` names (one-word entries by stem, phrases as whole words)."""
    index = _family_index()
    stems = _stems(text)
    found: set[str] = set()
    for word in stems:
        found |= index.by_stem.get(word, frozenset())
    present = set(stems)
    joined = ""
    for first, phrase, name in index.phrases:
        if name in found or first not in present:
            continue
        joined = joined or " " + " ".join(stems) + " "
        if phrase in joined:
            found.add(name)
    return frozenset(found)


@lru_cache(maxsize=100_000)
def word_families(word: str) -> frozenset[str]:
    """:func:`families_in` of one word, cached: the judge asks it of every word of a sentence."""
    return families_in(word)


# -- numbers and names ----------------------------------------------------------------------------


def numbers_in(text: str, *, time_spans: bool = True) -> set[str]:
    """Numbers and amounts, normalised ("30,000" → "30000", "$1.6 billion" → "1.6billion");
    years and bare one-digit numbers left out (they match by chance; "$6 billion" and "5%"
    are amounts); without ``time_spans``, numbers of years, days ... too ("ending 50 years
    of maintenance", "within 30 days": a span or an age, no amount of the event)."""
    found = set()
    for match in _NUMBER.finditer(text):
        if not time_spans and _DURATION.match(text, match.end()):
            continue  # "50 years", "a 10-year low"
        raw = match.group(0).lower().replace("per cent", "%").replace("percent", "%")
        digits = re.sub(r"[$€£\s]", "", raw)
        bare = re.sub(r"(?<=\d),(?=\d{3})", "", digits)
        number = re.match(r"[\d.,]+", bare)
        if number is None or _YEAR.match(number.group(0)):
            continue
        if len(number.group(0)) < 2 and bare == number.group(0) and raw == digits:
            continue  # a bare digit: "6" of "6 of the 10 plants"
        found.add(bare.rstrip(".,"))
    return found


@dataclass(frozen=True)
class NameSpots:
    """What of a text can name someone, read once per text: its words in order (lower-cased),
    its capitalised words, its acronyms ("GM", "U.S.") and the initials of its names of several
    words ("General Motors" → "gm", "The International Monetary Fund" → "imf")."""

    padded: str  # " word word ... " for whole-word phrase lookups
    words: frozenset[str]
    capitalised: frozenset[str]
    initials: frozenset[str]
    abbreviated: frozenset[str] = frozenset()
    # the capitalised words by the blocks of their spellings (see same_surname)
    by_block: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, text: str) -> NameSpots:
        words = [w.strip(".'’") for w in re.findall(r"[\w'’.-]+", text.lower())]
        initials = {found.lower() for found in _INITIALS.findall(text)}
        initials |= {found.replace(".", "").lower() for found in _DOTTED.findall(text)}
        abbreviated = set()
        for run in _CAPITALISED_RUN.findall(text):
            names = run.split()
            if names[0] == "The":
                names = names[1:]
            if len(names) >= 2:
                abbreviated.add("".join(name[0] for name in names).lower())
        capitalised = frozenset(word.lower() for word in _CAPITALISED.findall(text))
        by_block: dict[str, list[str]] = defaultdict(list)
        for word in capitalised:
            for block in surname_blocks(word):
                by_block[block].append(word)
        return cls(
            " " + " ".join(words) + " ",
            frozenset(words),
            capitalised,
            frozenset(initials),
            frozenset(abbreviated),
            {block: tuple(found) for block, found in by_block.items()},
        )


def _named(keys: frozenset[str], spots: NameSpots) -> bool:
    """Whether the text read into ``spots`` names one of ``keys`` (:func:`name_keys`): the whole
    name or its last word, its initials ("GM"), or a surname spelt another way."""
    if not keys:
        return False
    for key in keys:
        if " " in key:
            if f" {key} " in spots.padded:
                return True
        elif key in spots.words or key in spots.abbreviated:
            return True
    if _initials_of(keys) & spots.initials:
        return True
    # another spelling of a surname shares a block with it (see same_surname)
    return any(
        same_surname(key, word)
        for key in keys
        if " " not in key and len(key) >= 5
        for block in surname_blocks(key)
        for word in spots.by_block.get(block, ())
    )


@lru_cache(maxsize=50_000)
def _initials_of(keys: frozenset[str]) -> frozenset[str]:
    """The initials of the names of several words among ``keys`` ("general motors" → "gm")."""
    return frozenset("".join(word[0] for word in key.split()) for key in keys if " " in key)


_INTENT = re.compile(
    r"\b(?:will|would|shall|should|must|is to|are to|was to|were to|going to|plans? to|"
    r"planned to|intends? to|aims? to|agreed to|pledged to|promised to|expected to|wants? to|"
    r"seeks? to|set to|due to|to)\s+",
    re.IGNORECASE,
)


_REPORTING = re.compile(
    r"(?:report|announce|say|confirm|state|reveal|disclose|tell)\w*\s+that\s+",
    re.IGNORECASE,
)


def committed_action(item: ItemView) -> str:
    """The words of what a commitment's actor is to do: its extracted action, else the quote
    from its first "will", "plans to", "to" ... to the end of that clause ("Ford will cut
    30,000 jobs, as part of a plan" → "cut 30,000 jobs"); the whole quote when it has none.
    A reporting verb is not the action: "is expected to report that it will beat last year's
    profit" commits to beating the profit, not to a report. Its event families are the
    commitment's own, not those of every word around it."""
    action = _clause_of(item.action) if item.action else _after_intent(item.quote)
    reported = _REPORTING.match(action)
    if reported and _INTENT.search(action, reported.end()):
        return _after_intent(action[reported.end() :])
    if _PASSIVE.match(action) and not families_in(action):
        # "a vote on any deployment would be held": the thing done is the subject (up to a
        # comma: "the price, currently on sale in the US, will be cut" is no sale)
        found = _INTENT.search(item.quote)
        before = item.quote[: found.start()] if found else ""
        subject = re.split(r"\bthat\s+", before)[-1].split(",")[0].strip()
        if subject:
            return f"{subject} {action}"
    return action


def _after_intent(text: str) -> str:
    found = _INTENT.search(text)
    if found is None:
        return text
    return _clause_of(text[found.end() :])


def _clause_of(action: str) -> str:
    """The action without a clause of its time or reason ("be held before troops were sent" →
    "be held")."""
    return re.split(
        r",\s|[;:]|\s(?:as|in order|because|after|before|until|unless|if|once|when)\s", action
    )[0]


_PASSIVE = re.compile(r"(?:be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|ld|t)\b", re.IGNORECASE)


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
    entities: frozenset[str]

    @classmethod
    @lru_cache(maxsize=20_000)  # views are frozen; a run meets an item many times
    def of(cls, item: ItemView) -> ItemProfile:
        own = committed_action(item) if item.kind == "commitment" else item.quote
        return cls(
            item=item,
            quote_terms=tuple(terms(item.quote)),
            text_terms=tuple(terms(item.standalone)),
            condition_terms=tuple(terms(item.condition or "")),
            names=frozenset(item.names),
            numbers=frozenset(numbers_in(item.quote)),
            families=families_in(own),
            condition_families=families_in(item.condition or ""),
            entities=frozenset(_other_entities(item)),
        )


@dataclass(frozen=True)
class SentenceProfile:
    text: str
    terms: frozenset[str]
    numbers: frozenset[str]
    families: frozenset[str]
    words: frozenset[str]  # lower-cased, as written
    names: NameSpots

    @classmethod
    def of(cls, text: str) -> SentenceProfile:
        return cls(
            text,
            frozenset(terms(text)),
            frozenset(numbers_in(text)),
            families_in(text),
            frozenset(_WORDS.findall(text.lower())),
            NameSpots.of(text),
        )


_PROPER = re.compile(
    r"(?<=[\w,;:’'\")] )[A-Z][\w’'&.-]*[A-Za-z](?!\$)|\b[A-Z]{2,}[a-z]?\b(?!\$)"
)  # "US$40 million" names no one


_LEADING = re.compile(r"[A-Z][\w’'&.-]*[A-Za-z](?= [A-Z])")
_POSSESSIVE = re.compile(r"['’]s\Z")


def entities_in(text: str) -> set[str]:
    """Proper names in ``text``, lower-cased: runs of capitalised words not at the start of a
    sentence, and acronyms ("General Motors", "TARP", "GM"), function words at either end left
    out. A run is one name: "Ford Motor" is not "General Motors" for sharing "Motors"."""
    runs: list[list[str]] = []
    end = -2
    matches = list(_PROPER.finditer(text))
    leading = _LEADING.match(text)  # "General Motors is ..."
    if leading and matches and matches[0].start() == leading.end() + 1:
        matches.insert(0, leading)
    for match in matches:
        word = _POSSESSIVE.sub("", match.group(0).lower()).strip("’'")  # "Dow's" is the Dow
        dotted = re.fullmatch(r"(?:[A-Z]\.)+[A-Z]\.?", match.group(0))  # "U.S" → "us"
        word = word.replace(".", "") if dotted else word.strip(".")
        if runs and match.start() == end + 1 and text[end] == " ":
            runs[-1].append(word)
        else:
            runs.append([word])
        end = match.end()
    names = set()
    for run in runs:
        while run and run[0] in STOPWORDS:
            run.pop(0)
        while run and run[-1] in STOPWORDS:
            run.pop()
        if run:
            names.add(" ".join(run))
    return names


def _name_words(item: ItemView) -> set[str]:
    words: set[str] = set()
    for name in (item.speaker, *item.actors):
        if name:
            words |= set(_WORDS.findall(name.lower()))
    return words


def _other_entities(item: ItemView) -> set[str]:
    """The item's proper names that are not its speaker's or actors' (those are ``named``)."""
    own = _name_words(item)
    return {name for name in entities_in(item.quote) if not set(name.split()) <= own}


def _entity_in(name: str, spots: NameSpots) -> bool:
    """Whether a proper name (:func:`entities_in`) is in the text read into ``spots``: the whole
    name, or the initials of a name of several words ("GM" for "general motors")."""
    if " " in name:
        return f" {name} " in spots.padded or "".join(w[0] for w in name.split()) in spots.initials
    if name in spots.initials or name in spots.abbreviated:  # "GM" for "General Motors"
        return True
    return len(name) > 3 and name in spots.words  # "US" is not "us"


def _entities_found(
    items: Sequence[ItemProfile], spots: Sequence[NameSpots]
) -> list[frozenset[str]]:
    """For each text read into ``spots``: which of the items' proper names it has."""
    names = {name for item in items for name in item.entities}
    return [frozenset(name for name in names if _entity_in(name, text)) for text in spots]


def coverage(wanted: Sequence[str], found: frozenset[str], idf: Mapping[str, float]) -> float:
    """The idf-weighted share of ``wanted`` words that are in ``found``: :func:`_shares` for
    one pair."""
    return float(_shares([wanted], [found], idf)[0, 0])


def _shares(
    wanted: Sequence[Sequence[str] | frozenset[str]],
    found: Sequence[frozenset[str]],
    idf: Mapping[str, float] | None = None,
) -> np.ndarray:
    """items × sentences: the share of each item's ``wanted`` words (idf-weighted when ``idf``
    is given) that each sentence's ``found`` words have — :func:`coverage` for every pair, as one
    matrix product over the items' words."""
    columns: dict[str, int] = {}
    for words in wanted:
        for word in words:
            columns.setdefault(word, len(columns))
    weights = np.zeros((len(wanted), len(columns)))
    for i, words in enumerate(wanted):
        unique = list(set(words))
        values = np.array([idf.get(word, 1.0) if idf is not None else 1.0 for word in unique])
        total = values.sum()
        if total:
            weights[i, [columns[word] for word in unique]] = values / total
    presence = np.zeros((len(found), len(columns)))
    for j, words in enumerate(found):
        presence[j, [columns[word] for word in words if word in columns]] = 1.0
    return np.asarray(weights @ presence.T)


def pair_matrix(
    items: Sequence[ItemProfile],
    sentences: Sequence[SentenceProfile],
    cosines: np.ndarray,
    *,
    named_article: Sequence[bool],
    idf: Mapping[str, float],
) -> np.ndarray:
    """The signals of every (item, sentence) pair (items × sentences × :data:`FEATURES`);
    ``cosines`` is sentences × items, ``entities_article`` is left 0 (an article's, not a
    sentence's). A sentence names an item only when its article does (``named_article``)."""
    rows = np.zeros((len(items), len(sentences), len(FEATURES)))
    if not items or not sentences:
        return rows
    column = {name: FEATURES.index(name) for name in FEATURES}
    sentence_terms = [sentence.terms for sentence in sentences]
    rows[:, :, column["meaning"]] = np.asarray(cosines, dtype=float).T
    rows[:, :, column["words"]] = np.maximum(
        _shares([item.quote_terms for item in items], sentence_terms, idf),
        _shares([item.text_terms for item in items], sentence_terms, idf),
    )
    found = _entities_found(items, [sentence.names for sentence in sentences])
    rows[:, :, column["entities"]] = _shares([item.entities for item in items], found)
    numbers = _shares([item.numbers for item in items], [s.numbers for s in sentences])
    rows[:, :, column["numbers"]] = numbers
    has_numbers = np.array([bool(sentence.numbers) for sentence in sentences])
    rows[:, :, column["numbers_other"]] = (has_numbers[None, :] & (numbers == 0)).astype(float)
    sentence_families = [sentence.families for sentence in sentences]
    families = _shares([item.families for item in items], sentence_families)
    rows[:, :, column["event"]] = (families > 0).astype(float)
    hits = _shares([item.condition_terms for item in items], sentence_terms, idf)
    met = _shares([item.condition_families for item in items], sentence_families) > 0
    condition = np.maximum(hits, met * 0.5 + hits * 0.5)
    has_condition = np.array([bool(item.condition_terms) for item in items])
    rows[:, :, column["condition"]] = np.where(has_condition[:, None], condition, 0.0)
    for i, item in enumerate(items):
        if named_article[i]:
            rows[i, :, column["named_article"]] = 1.0
            rows[i, :, column["named"]] = [_named(item.names, s.names) for s in sentences]
    return rows


def pair_features(
    item: ItemProfile,
    sentence: SentenceProfile,
    meaning: float,
    *,
    named_article: bool,
    idf: Mapping[str, float],
) -> dict[str, float]:
    """The signals of one (item, sentence) pair, by the names in :data:`FEATURES`."""
    cosine = np.array([[meaning]])
    row = pair_matrix([item], [sentence], cosine, named_article=[named_article], idf=idf)
    return {name: float(value) for name, value in zip(FEATURES, row[0, 0], strict=True)}


def described_in(item: ItemProfile, sentence: SentenceProfile) -> bool:
    """Whether ``sentence`` names the item's speaker or an actor by the same description ("the
    council"): only the judge's relation reads it, and only with most of the item's words in the
    sentence — "the federal government" of one story is not that of another."""
    return _named(frozenset(item.item.descriptions), sentence.names)


def named_in(item: ItemProfile, text: str | NameSpots) -> bool:
    """Whether ``text`` (a whole article) names the item's speaker or an actor."""
    return _named(item.names, text if isinstance(text, NameSpots) else NameSpots.of(text))


def is_heading(text: str, span: tuple[int, int]) -> bool:
    """A line of its own without a sentence's final punctuation: a headline or a sub-heading."""
    start, end = span
    line_start = start == 0 or text[start - 1] == "\n"
    line_end = end == len(text) or text[end : end + 1] == "\n"
    return line_start and line_end and text[start:end].rstrip()[-1:] not in ".!?\"”’'…"


def evidence_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences that may be evidence: headlines and sub-headings left out ("Ford Taurus to
    be revived" drops its verbs' tense, and the lead below says it in full)."""
    headlines = headline_spans(text)
    return [span for span in spans if span not in headlines and not is_heading(text, span)]


def similarity(items: Sequence[ItemView], sentences: Sequence[str]) -> np.ndarray:
    """The meaning similarity of every sentence to every item (sentences × items): the better
    of the item's quote and its standalone text. Two calls to the model, whatever the sizes."""
    if not items or not sentences:
        return np.zeros((len(sentences), len(items)))
    sentence_vectors = meaning.embed(list(sentences))
    item_vectors = meaning.embed_remembered(
        [t for item in items for t in (item.quote, item.standalone)]
    )
    both = sentence_vectors @ item_vectors.T
    return np.asarray(np.maximum(both[:, 0::2], both[:, 1::2]))


def article_features(
    items: Sequence[ItemProfile],
    sentences: Sequence[SentenceProfile],
    cosines: np.ndarray,
    *,
    article_text: str,
    idf: Mapping[str, float],
) -> tuple[np.ndarray, list[bool]]:
    """The signals of every (item, sentence) pair of one article (items × sentences ×
    :data:`FEATURES`), and whether the article names each item's speaker or an actor."""
    spots = NameSpots.of(article_text)
    named_article = [named_in(item, spots) for item in items]
    rows = pair_matrix(items, sentences, cosines, named_article=named_article, idf=idf)
    (in_article,) = _entities_found(items, [spots])
    entities_column = FEATURES.index("entities_article")
    for i, item in enumerate(items):
        rows[i, :, entities_column] = (
            len(item.entities & in_article) / len(item.entities) if item.entities else 1.0
        )
    return rows, named_article
