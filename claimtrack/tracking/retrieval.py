"""Finding the earlier items a new article may bear on, without asking a model.

Each item is a small document (its standalone text, its quote, its speaker and actors) in an in-
memory BM25 index over stemmed words (Snowball). Every sentence of a new article is a query; an
item's score for the article is the sum of its three best sentences' scores, each raised when the
sentence names the item's speaker or actor (on the tracking gold, summing the best three found more
of the related items than the best one alone or the whole article as one query:
docs/benchmarks.md). The article's candidates are the top ``k`` items published before it (see
:func:`order_basis`). Cost per query grows with the posting lists of the query's words, not with
the number of items: very common words (in more than a third of the items) are skipped, as BM25
gives them next to no weight anyway.

Why not DuckDB's full-text search: the ``fts`` extension is not bundled with the Python wheel and
``INSTALL fts`` needs the internet; ``duckdb-extension-fts`` pins an older duckdb. The index is
rebuilt from the items table at each tracking run (about a second per 100,000 items, measured in
docs/benchmarks.md).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter

import snowballstemmer

from claimtrack.extraction.speakers import same_surname, surname_blocks
from claimtrack.store.trackings import IndexRow

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself said says
say told according reported s t mr mrs ms dr
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_POSSESSIVE = re.compile(r"['’]s?\Z")
_ACRONYM = re.compile(r"(?<![\w'’.-])([A-Z]{2,6})(?:['’]s)?(?![\w'’-])")
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][a-z][\w'’-]{3,}")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a lower-cased word (cached)."""
    return str(_STEMMER.stemWord(word))


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words; stopwords left out; numbers kept whole ("1,100")."""
    return [stem(word) for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def name_keys(name: str | None) -> set[str]:
    """Keys that identify a speaker or actor in text: the whole name and its last word.

    "British Prime Minister Keir Starmer" -> {"british prime minister keir starmer", "starmer"};
    "General Motors" -> {"general motors", "motors"} (and "GM" stays "gm").
    """
    if not name:
        return set()
    words = [w.strip(".'’") for w in re.findall(r"[\w'’.-]+", name.lower()) if w not in STOPWORDS]
    words = [w for w in words if w]
    if not words:
        return set()
    keys = {" ".join(words)}
    last = words[-1]
    if len(last) >= 3 or name.isupper():
        keys.add(last)
    return keys


def names_match(first: set[str], second: set[str]) -> bool:
    """Whether two sets of :func:`name_keys` name one speaker: a key in common, or one surname
    spelt two ways ("zelenskiy", "zelenskyy": :func:`same_surname`)."""
    if first & second:
        return True
    return any(same_surname(a, b) for a in first if " " not in a for b in second if " " not in b)


@dataclass(frozen=True, slots=True)
class Order:
    """Where an article stands in time: its publication date (if known), then ingestion order;
    ``time`` the publication time (naive UTC) when the article gives one."""

    published: date | None
    seq: int
    time: datetime | None = None


def order_basis(earlier: Order, later: Order) -> str | None:
    """How ``later`` is known to come after ``earlier``, or None when it does not.

    - ``published``: both dated, ``later`` on a later day, or on the same day at a later time
      when both give a time;
    - ``ingestion``: same day (without a time on both, or at the same time), or one of them
      undated: ingested later is taken as later, and the proposal says so;
    - None: ``later`` was published before ``earlier`` (or is the same article): an older
      article never updates a newer item.
    """
    if earlier.published is not None and later.published is not None:
        if later.published > earlier.published:
            return "published"
        if later.published < earlier.published:
            return None
        if earlier.time is not None and later.time is not None and earlier.time != later.time:
            return "published" if later.time > earlier.time else None
    return "ingestion" if later.seq > earlier.seq else None


@dataclass(slots=True)
class IndexedItem:
    id: str
    kind: str
    article_id: str
    order: Order
    document: str  # what is indexed: text, quote, speaker, actors
    names: set[str] = field(default_factory=set)  # speaker and actor keys


def indexed_item(row: IndexRow) -> IndexedItem:
    """A stored item as the index reads it: one document of its text, quote, speaker, actors,
    action and condition, and the keys of the names it mentions."""
    names: set[str] = set()
    for name in (row.speaker, row.speaker_canonical, *row.actors):
        names |= name_keys(name)
    parts = (row.text, row.quote, row.speaker_canonical or row.speaker, *row.actors, row.action,
             row.condition)  # fmt: skip
    return IndexedItem(
        id=row.id,
        kind=row.kind,
        article_id=row.article_id,
        order=Order(
            row.published.date() if row.published else None,
            row.seq,
            row.published if row.published_precision == "time" else None,
        ),
        document=" ".join(part for part in parts if part),
        names=names,
    )


@dataclass(frozen=True, slots=True)
class Hit:
    item: IndexedItem
    score: float
    sentence: tuple[int, int]  # the best-matching sentence of the article (character offsets)
    order_basis: str
    sentences: tuple[tuple[int, int], ...] = ()  # the best few, best first


class ItemIndex:
    """BM25 (k1 = 1.2, b = 0.75) over the items' documents."""

    K1 = 1.2
    B = 0.75
    COMMON = 1 / 3  # words in more of the items than this are not looked up
    RARE = 0.01  # words in fewer of the items than this bring new candidates; more common ones
    # only add to the scores of items a rarer word already found (bounded work per query)
    NAME_BONUS = 1.5  # a sentence naming the item's speaker or actor scores this much higher
    SENTENCES = 3  # an item's score for an article: the sum of its best sentences' scores
    PER_SENTENCE = 256  # items kept from each sentence's scores before they are summed

    @classmethod
    def of_rows(cls, rows: Iterable[IndexRow]) -> ItemIndex:
        """The index of stored items (:func:`claimtrack.store.trackings.indexed_items`)."""
        return cls(indexed_item(row) for row in rows)

    def __init__(self, items: Iterable[IndexedItem]) -> None:
        self.items: list[IndexedItem] = []
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths: list[int] = []
        for position, item in enumerate(items):
            self.items.append(item)
            counts: dict[str, int] = defaultdict(int)
            words = terms(item.document)
            for word in words:
                counts[word] += 1
            for word, count in counts.items():
                postings[word].append((position, count))
            lengths.append(len(words))
        total = len(self.items)
        average = (sum(lengths) / total) if total else 1.0
        self._norm = [
            self.K1 * (1 - self.B + self.B * length / (average or 1.0)) for length in lengths
        ]
        self._idf = {
            word: math.log(1 + (total - len(found) + 0.5) / (len(found) + 0.5))
            for word, found in postings.items()
        }
        limit = max(50, int(total * self.COMMON))
        self._postings = {word: found for word, found in postings.items() if len(found) <= limit}
        self._rare_limit = max(64, int(total * self.RARE))
        self._lookup = {  # the common words' postings as dicts, to look single items up
            word: dict(found)
            for word, found in self._postings.items()
            if len(found) > self._rare_limit
        }
        self._by_name: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(self.items):
            for key in item.names:
                self._by_name[key].append(position)
        self._longest_name = max((len(key.split()) for key in self._by_name), default=0)
        # one-word names of five letters or more, by their first five: where to look for another
        # spelling of a name ("Zelenskiy" for the "Zelensky" of an earlier article)
        self._spellings: dict[str, list[str]] = defaultdict(list)
        for key in self._by_name:
            if " " not in key and len(key) >= 5:
                for block in surname_blocks(key):
                    self._spellings[block].append(key)
        self._respelt: dict[str, tuple[str, ...]] = {}
        # names of two or more words by their initials: "General Motors" is "gm" in a sentence
        # that says "GM" (each word's first letter; name keys hold no stopwords)
        self._by_initials: dict[str, list[str]] = defaultdict(list)
        for key in self._by_name:
            words = key.split()
            if len(words) >= 2:
                self._by_initials["".join(word[0] for word in words)].append(key)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def idf(self) -> dict[str, float]:
        """Inverse document frequency of every indexed word (common words included)."""
        return self._idf

    def score_query(self, query: Sequence[str]) -> dict[int, float]:
        """BM25 score of the items sharing a word with ``query`` (item position -> score).

        Rare words first: each brings every item it occurs in. Common words (in more than 1 % of
        the items) then only add to the items already found, looked up one by one: a sentence
        of common words alone brings no candidate (it would bring thousands, weakly)."""
        scores: dict[int, float] = defaultdict(float)
        words = sorted(
            (word for word in set(query) if word in self._postings),
            key=lambda word: len(self._postings[word]),
        )
        norm = self._norm
        k1 = self.K1 + 1
        for word in words:
            idf = self._idf[word]
            lookup = self._lookup.get(word)
            if lookup is None:
                for position, count in self._postings[word]:
                    scores[position] += idf * count * k1 / (count + norm[position])
            else:
                for position in list(scores):
                    found = lookup.get(position, 0)
                    if found:
                        scores[position] += idf * found * k1 / (found + norm[position])
        return scores

    def named_in(self, lowered_sentence: str) -> set[int]:
        """Positions of the items whose speaker or actor the (lower-cased) sentence names."""
        tokens = [  # as name_keys reads names: stopwords out
            token.strip(".'’")
            for token in re.findall(r"[\w'’.-]+", lowered_sentence)
            if token not in STOPWORDS
        ]
        found: set[int] = set()
        for size in range(1, self._longest_name + 1):
            for first in range(len(tokens) - size + 1):
                key = " ".join(tokens[first : first + size])
                positions = self._by_name.get(key)
                if positions:
                    found.update(positions)
        return found

    def spelt_differently(self, sentence: str) -> list[str]:
        """The names of indexed items that a capitalised word of ``sentence`` spells differently:
        "Zelenskiy" finds "zelensky" (:func:`~claimtrack.extraction.speakers.same_surname`).

        Outlets transliterate names their own way, and a story is followed across outlets; the
        exact spelling would neither bring these items nor raise them as named. Only capitalised
        words that no item uses count: "stated" is not the "States" of "United States", nor
        "American" another spelling of "America". A possessive names the name ("Chrysler's"), and
        an acronym the name of two or more words it abbreviates ("GM" for "General Motors").
        """
        found: list[str] = []
        for word in _CAPITALISED.findall(sentence):
            key = _POSSESSIVE.sub("", word.lower())
            if key in self._by_name:
                if key != word.lower():  # "Chrysler's" names Chrysler
                    found.append(key)
                continue
            if stem(key) in self._idf:
                continue  # a word the items use ("American", "Stocks"): not a name spelt anew
            respelt = self._respelt.get(key)
            if respelt is None:
                respelt = self._respelt[key] = tuple(
                    {
                        other: None
                        for block in sorted(surname_blocks(key))
                        for other in self._spellings.get(block, ())
                        if same_surname(key, other)
                    }
                )
            found.extend(respelt)
        for acronym in _ACRONYM.findall(sentence):
            key = acronym.lower()
            if key not in self._by_name:  # "GM" for "General Motors"
                found.extend(self._by_initials.get(key, ()))
        return found

    def candidates(
        self,
        sentences: Sequence[tuple[int, int]],
        text: str,
        article_id: str,
        order: Order,
        k: int,
        *,
        min_score: float = 0.0,
    ) -> list[Hit]:
        """The top ``k`` items from earlier articles for an article whose sentences (spans into
        ``text``) are given."""
        found: dict[int, list[tuple[float, tuple[int, int]]]] = defaultdict(list)
        bases: dict[int, str | None] = {}
        for start, end in sentences:
            sentence = text[start:end]
            respelt = self.spelt_differently(sentence)
            scores = self.score_query(
                [*terms(sentence), *(t for name in respelt for t in terms(name))]
            )
            if not scores:
                continue
            named = self.named_in(sentence.lower())
            for name in respelt:
                named.update(self._by_name[name])
            for position in named & scores.keys():
                scores[position] *= self.NAME_BONUS
            # the sentence's best few hundred only: a sentence of common words matches thousands
            best = heapq.nlargest(self.PER_SENTENCE, scores.items(), key=itemgetter(1))
            for position, score in best:
                basis = bases.get(position, "?")
                if basis == "?":
                    item = self.items[position]
                    basis = bases[position] = (
                        None if item.article_id == article_id else order_basis(item.order, order)
                    )
                if basis is not None:
                    found[position].append((score, (start, end)))
        ranked = []
        for position, matches in found.items():
            top = sorted(matches, key=lambda match: -match[0])[: self.SENTENCES]
            ranked.append(
                (sum(score for score, _ in top), position, tuple(span for _, span in top))
            )
        ranked.sort(key=lambda entry: (-entry[0], self.items[entry[1]].id))
        return [
            Hit(self.items[position], score, spans[0], bases[position] or "published", spans)
            for score, position, spans in ranked[:k]
            if score > min_score
        ]

    def hit_for(
        self,
        item_id: str,
        sentences: Sequence[tuple[int, int]],
        text: str,
        article_id: str,
        order: Order,
    ) -> Hit | None:
        """The hit ``item_id`` would be for the article, whatever its rank (for evals)."""
        for hit in self.candidates(sentences, text, article_id, order, k=len(self.items)):
            if hit.item.id == item_id:
                return hit
        return None
