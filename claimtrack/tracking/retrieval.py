"""Finding the earlier items a new article may bear on, without asking a model.

Each item is a small document (its standalone text, its quote, its speaker and actors) in a BM25
index over stemmed words (Snowball). Every sentence of a new article is a query; an item's score
for the article is the sum of its three best sentences' scores, each raised when the sentence
names the item's speaker or actor (on the tracking gold, summing the best three found more of the
related items than the best one alone or the whole article as one query: docs/benchmarks.md).
The article's candidates are the top ``k`` items published before it (see :func:`order_basis`).

Cost per query is bounded by construction, not by the store: each word's postings are stored in
impact order (by their BM25 contribution) and only its best :attr:`ItemIndex.PER_TERM` are read;
words in more than a third of the items are skipped, as BM25 gives them next to no weight anyway.
The index is segments of numpy arrays (:class:`Segment`), built here or memory-mapped from the
index kept beside the database and updated with each run's new items
(:mod:`claimtrack.tracking.item_index`).

Why not DuckDB's full-text search: the ``fts`` extension is not bundled with the Python wheel and
``INSTALL fts`` needs the internet; ``duckdb-extension-fts`` pins an older duckdb.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import ClassVar, overload

import numpy as np
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


def order_bases(days: np.ndarray, seqs: np.ndarray, times: np.ndarray, later: Order) -> np.ndarray:
    """:func:`order_basis` of many earlier items (their stored day numbers, sequence numbers
    and microsecond times) for one ``later`` article, as codes into :data:`_BASIS_NAMES`."""
    later_day = _day_number(later.published)
    later_time = _microseconds(later.time)
    basis = np.where(later.seq > seqs, _INGESTION, _NONE)
    if later_day != NO_DAY:
        dated = days != NO_DAY
        basis = np.where(dated & (later_day > days), _PUBLISHED, basis)
        basis = np.where(dated & (later_day < days), _NONE, basis)
        if later_time != NO_TIME:
            timed = dated & (later_day == days) & (times != NO_TIME) & (times != later_time)
            basis = np.where(timed, np.where(later_time > times, _PUBLISHED, _NONE), basis)
    return basis


@dataclass(slots=True)
class IndexedItem:
    id: str
    kind: str
    article_id: str
    order: Order
    document: str  # what is indexed: text, quote, speaker, actors ("" when read back)
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


K1 = 1.2  # BM25
B = 0.75
NO_DAY = np.iinfo(np.int32).min  # an undated item's day
NO_TIME = np.iinfo(np.int64).min  # an item whose article gives no time of day
_EPOCH = date(1970, 1, 1)
_EPOCH_TIME = datetime(1970, 1, 1)


def _day_number(day: date | None) -> int:
    return NO_DAY if day is None else (day - _EPOCH).days


def _microseconds(moment: datetime | None) -> int:
    return NO_TIME if moment is None else (moment - _EPOCH_TIME) // timedelta(microseconds=1)


_NONE, _PUBLISHED, _INGESTION = 0, 1, 2  # order_basis's answers, as codes for arrays
_BASIS_NAMES: tuple[str | None, ...] = (None, "published", "ingestion")


@lru_cache(maxsize=100_000)
def _day(number: int) -> date | None:
    return None if number == NO_DAY else _EPOCH + timedelta(days=number)


def _order(day: int, seq: int, moment: int) -> Order:
    """An item's :class:`Order` from its stored numbers."""
    time = None if moment == NO_TIME else _EPOCH_TIME + timedelta(microseconds=moment)
    return Order(_day(day), seq, time)


def _norms(lengths: np.ndarray, average: float) -> np.ndarray:
    """BM25's length normalisation of each document, as float32."""
    return (K1 * (1 - B + B * lengths / (average or 1.0))).astype(np.float32)


@dataclass
class Segment:
    """Items ``first`` to ``first + len(ids) - 1`` of an index, as arrays (built here, or memory-
    mapped from a persisted index, :mod:`claimtrack.tracking.item_index`).

    Postings are one array per column, word by word (``vocab`` sorted, word ``w``'s postings
    ``term_starts[w]:term_starts[w + 1]``), each word's postings by their BM25 contribution,
    highest first (impact order), so that the best ``n`` of a common word are its first ``n``.
    Names likewise: ``name_keys`` sorted, their item positions ascending."""

    first: int
    ids: np.ndarray  # str
    kinds: np.ndarray  # str
    article_ids: np.ndarray  # str
    days: np.ndarray  # int32 days since 1970-01-01, NO_DAY when undated
    seqs: np.ndarray  # int64 the article's ingestion order
    times: np.ndarray  # int64 microseconds since 1970 (naive UTC), NO_TIME without a time
    lengths: np.ndarray  # int32 words indexed per item
    vocab: np.ndarray  # str, sorted
    term_starts: np.ndarray  # int64, len(vocab) + 1
    positions: np.ndarray  # int32 item positions (of the whole index)
    counts: np.ndarray  # int32 how often the word occurs in the item
    name_keys: np.ndarray  # str, sorted
    name_starts: np.ndarray  # int64, len(name_keys) + 1
    name_positions: np.ndarray  # int32
    id_order: np.ndarray  # int32: the local rows by id, for looking items up by id

    ARRAYS: ClassVar[tuple[str, ...]] = (
        "ids", "kinds", "article_ids", "days", "seqs", "times", "lengths", "vocab",
        "term_starts", "positions", "counts", "name_keys", "name_starts", "name_positions",
        "id_order",
    )  # fmt: skip

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of_items(cls, items: Sequence[IndexedItem], first: int) -> Segment:
        """A segment of ``items``, the first at position ``first``."""
        words_of = [terms(item.document) for item in items]
        lengths = np.fromiter((len(words) for words in words_of), np.int32, len(items))
        word_ids: dict[str, int] = {}
        term_column: list[int] = []
        position_column: list[int] = []
        count_column: list[int] = []
        for local, words in enumerate(words_of):
            for word, count in Counter(words).items():
                term_column.append(word_ids.setdefault(word, len(word_ids)))
                position_column.append(first + local)
                count_column.append(count)
        key_ids: dict[str, int] = {}
        key_column: list[int] = []
        named_column: list[int] = []
        for local, item in enumerate(items):
            for key in item.names:
                key_column.append(key_ids.setdefault(key, len(key_ids)))
                named_column.append(first + local)
        columns = {
            "ids": np.array([item.id for item in items], dtype=str),
            "kinds": np.array([item.kind for item in items], dtype=str),
            "article_ids": np.array([item.article_id for item in items], dtype=str),
            "days": np.array([_day_number(item.order.published) for item in items], np.int32),
            "seqs": np.array([item.order.seq for item in items], np.int64),
            "times": np.array([_microseconds(item.order.time) for item in items], np.int64),
        }
        postings = (
            np.array(term_column, np.int32),
            np.array(position_column, np.int32),
            np.array(count_column, np.int32),
        )
        named = (np.array(key_column, np.int32), np.array(named_column, np.int32))
        return cls.packed(
            first,
            columns,
            lengths,
            (np.array(list(word_ids), dtype=str), postings),
            (np.array(list(key_ids), dtype=str), named),
        )

    @classmethod
    def packed(
        cls,
        first: int,
        columns: dict[str, np.ndarray],
        lengths: np.ndarray,
        words: tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]],
        names: tuple[np.ndarray, tuple[np.ndarray, np.ndarray]],
    ) -> Segment:
        """A segment of items given column by column (``ids``, ``kinds``, ``article_ids``,
        ``days``, ``seqs``, ``times``), their lengths, their words (the words, and postings as
        word number, position, count) and their names (the keys, and key number, position)."""
        vocab, term_starts, positions, counts = _impact_ordered(
            *words, _norms(lengths, float(lengths.mean()) if len(lengths) else 1.0), first
        )
        name_keys, name_starts, name_positions = _grouped(names[0], *names[1])
        return cls(
            first=first,
            lengths=lengths,
            vocab=vocab,
            term_starts=term_starts,
            positions=positions,
            counts=counts,
            name_keys=name_keys,
            name_starts=name_starts,
            name_positions=name_positions,
            id_order=np.argsort(columns["ids"], kind="stable").astype(np.int32),
            **columns,
        )

    def local_of(self, item_id: str) -> int:
        """The row of ``item_id`` in this segment, or -1."""
        at = int(np.searchsorted(self.ids, item_id, sorter=self.id_order))
        if at < len(self.ids) and self.ids[self.id_order[at]] == item_id:
            return int(self.id_order[at])
        return -1

    def item(self, position: int) -> IndexedItem:
        local = position - self.first
        return IndexedItem(
            id=str(self.ids[local]),
            kind=str(self.kinds[local]),
            article_id=str(self.article_ids[local]),
            order=_order(int(self.days[local]), int(self.seqs[local]), int(self.times[local])),
            document="",
        )


_NO_POSITIONS = np.zeros(0, np.int32)


def _impact_ordered(
    words: np.ndarray,
    postings: tuple[np.ndarray, np.ndarray, np.ndarray],
    norms: np.ndarray,
    first: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Postings (word number, position, count) grouped by word in sorted order, each word's by
    BM25 contribution (``count (k1 + 1) / (count + norm)``, the idf is the word's own), best
    first, ties by position: (vocab, term starts, positions, counts)."""
    term_numbers, positions, counts = postings
    vocab, sorted_terms = _sorted_keys(words, term_numbers)
    impact = (counts / (counts + norms[positions - first])).astype(np.float32)
    by = np.lexsort((positions, -impact, sorted_terms))
    del impact
    term_starts = np.searchsorted(sorted_terms[by], np.arange(len(vocab) + 1)).astype(np.int64)
    return vocab, term_starts, positions[by].astype(np.int32), counts[by].astype(np.int32)


def _sorted_keys(keys: np.ndarray, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` sorted, and ``numbers`` (indices into ``keys``) renumbered to match."""
    order = np.argsort(keys, kind="stable")
    rank = np.empty(len(keys), np.int32)
    rank[order] = np.arange(len(keys), dtype=np.int32)
    return keys[order], rank[numbers]


def _grouped(
    keys: np.ndarray, numbers: np.ndarray, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(key number, position) pairs as sorted keys, their starts and their positions
    (ascending within a key)."""
    sorted_keys, renumbered = _sorted_keys(keys, numbers)
    by = np.lexsort((positions, renumbered))
    starts = np.searchsorted(renumbered[by], np.arange(len(sorted_keys) + 1)).astype(np.int64)
    return sorted_keys, starts, positions[by].astype(np.int32)


def _expanded(keys: np.ndarray, starts: np.ndarray, union: np.ndarray) -> np.ndarray:
    """For each entry of a grouped column, the number of its key in ``union`` (sorted)."""
    return np.repeat(np.searchsorted(union, keys).astype(np.int32), np.diff(starts))


def merged(segments: Sequence[Segment]) -> Segment:
    """One segment of consecutive ``segments`` (their postings ordered anew)."""
    words = np.unique(np.concatenate([s.vocab for s in segments]))
    postings = (
        np.concatenate([_expanded(s.vocab, s.term_starts, words) for s in segments]),
        np.concatenate([s.positions for s in segments]),
        np.concatenate([s.counts for s in segments]),
    )
    names = np.unique(np.concatenate([s.name_keys for s in segments]))
    named = (
        np.concatenate([_expanded(s.name_keys, s.name_starts, names) for s in segments]),
        np.concatenate([s.name_positions for s in segments]),
    )
    columns = {
        name: np.concatenate([getattr(s, name) for s in segments])
        for name in ("ids", "kinds", "article_ids", "days", "seqs", "times")
    }
    lengths = np.concatenate([s.lengths for s in segments])
    return Segment.packed(segments[0].first, columns, lengths, (words, postings), (names, named))


class _Directory:
    """The keys of every segment (words, or names) in one dictionary: each key's number, its row
    in each segment (-1: not there), and how many items it has over them all."""

    def __init__(self, columns: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        keys = np.unique(np.concatenate([k for k, _ in columns])) if columns else np.zeros(0, str)
        self.number: dict[str, int] = dict(zip(keys.tolist(), range(len(keys)), strict=True))
        self.rows = np.full((len(columns), len(keys)), -1, np.int32)
        self.totals = np.zeros(len(keys), np.int64)
        for segment, (own, starts) in enumerate(columns):
            at = np.searchsorted(keys, own)
            self.rows[segment, at] = np.arange(len(own), dtype=np.int32)
            self.totals[at] += np.diff(starts)

    def total(self, key: str) -> int:
        number = self.number.get(key)
        return 0 if number is None else int(self.totals[number])

    def where(self, key: str) -> list[tuple[int, int]]:
        """(segment, row) of every segment that has ``key``."""
        number = self.number.get(key)
        if number is None:
            return []
        return [
            (segment, row) for segment, row in enumerate(self.rows[:, number].tolist()) if row >= 0
        ]


def _best(positions: np.ndarray, weights: np.ndarray, limit: int) -> np.ndarray:
    """The indices of the ``limit`` highest ``weights``, ties by lower position (in no order)."""
    if len(weights) <= limit:
        return np.arange(len(weights))
    threshold = np.partition(weights, len(weights) - limit)[len(weights) - limit]
    above = np.flatnonzero(weights > threshold)
    tied = np.flatnonzero(weights == threshold)
    tied = tied[np.argsort(positions[tied], kind="stable")][: limit - len(above)]
    return np.concatenate([above, tied])


@dataclass(frozen=True, slots=True)
class Read:
    """A word's best postings as read to ``limit`` (fewer when it has fewer): positions and
    their BM25 term-frequency parts (:meth:`ItemIndex.postings`)."""

    positions: np.ndarray
    weights: np.ndarray
    limit: int


class IndexedItems(Sequence[IndexedItem]):
    """The items of an index by position, made when asked for (a persisted index of a million
    items holds arrays, not a million objects)."""

    def __init__(self, index: ItemIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return self._index.size

    @overload
    def __getitem__(self, position: int) -> IndexedItem: ...
    @overload
    def __getitem__(self, position: slice) -> Sequence[IndexedItem]: ...
    def __getitem__(self, position: int | slice) -> IndexedItem | Sequence[IndexedItem]:
        if isinstance(position, slice):
            return [self[p] for p in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        return self._index.item(position)


class ItemIndex:
    """BM25 (k1 = 1.2, b = 0.75) over the items' documents, in segments of arrays.

    Built in memory from items (``ItemIndex(items)``, :meth:`of_rows`), or opened from a
    persisted index and updated with the items added since
    (:mod:`claimtrack.tracking.item_index`): the scores are the same either way, as the idf and
    the length normalisation are worked out over every segment at query time."""

    K1 = K1
    B = B
    COMMON = 1 / 3  # words in more of the items than this are not looked up
    RARE = 0.01  # words in fewer of the items than this bring new candidates; more common ones
    # only add to the scores of items a rarer word already found (bounded work per query)
    PER_TERM = 1024  # postings read per word at most: its best by BM25 contribution, so that
    # a word costs the same in a million items as in ten thousand
    BROUGHT = 4096  # postings a query's rare words read in all, and its common words ADDED:
    ADDED = 2048  # a sentence's work is bounded whatever the store (at 1M items, its rare words
    # had 7,400 postings to read on average, the common ones 3,900; at 10k items, 280 and 1,300)
    NAME_BONUS = 1.5  # a sentence naming the item's speaker or actor scores this much higher
    SENTENCES = 3  # an item's score for an article: the sum of its best sentences' scores
    PER_SENTENCE = 256  # items kept from each sentence's scores before they are summed

    @classmethod
    def of_rows(cls, rows: Iterable[IndexRow]) -> ItemIndex:
        """The index of stored items (:func:`claimtrack.store.trackings.indexed_items`)."""
        return cls(indexed_item(row) for row in rows)

    def __init__(self, items: Iterable[IndexedItem]) -> None:
        self.setup([Segment.of_items(list(items), 0)])

    @classmethod
    def of_segments(cls, segments: Sequence[Segment], dead: np.ndarray | None = None) -> ItemIndex:
        """An index of ``segments`` (consecutive); ``dead`` marks positions no longer indexed
        (items that became restatements of earlier ones)."""
        index = cls.__new__(cls)
        index.setup(segments, dead)
        return index

    def setup(self, segments: Sequence[Segment], dead: np.ndarray | None = None) -> None:
        self.segments = list(segments)
        self.size = sum(len(s) for s in self.segments)
        self.dead = dead if dead is not None else np.zeros(self.size, bool)
        self._starts = np.array([s.first for s in self.segments], np.int64)
        lengths = np.concatenate([s.lengths for s in self.segments]) if self.segments else None
        average = float(lengths.mean()) if lengths is not None and len(lengths) else 1.0
        self._norm = _norms(lengths, average) if lengths is not None else np.zeros(0, np.float32)
        self.items: Sequence[IndexedItem] = IndexedItems(self)
        self._idf: dict[str, float] | None = None
        self._common_limit = max(50, int(self.size * self.COMMON))
        self._rare_limit = max(64, int(self.size * self.RARE))
        self._words = _Directory([(s.vocab, s.term_starts) for s in self.segments])
        self._name_keys = _Directory([(s.name_keys, s.name_starts) for s in self.segments])
        keys = list(self._name_keys.number)
        # the longest name that begins with each word, in words: where a sentence may name one
        self._longest_from: dict[str, int] = {}
        # one-word names of five letters or more, by their first five: where to look for another
        # spelling of a name ("Zelenskiy" for the "Zelensky" of an earlier article)
        self._spellings: dict[str, list[str]] = defaultdict(list)
        # names of two or more words by their initials: "General Motors" is "gm" in a sentence
        # that says "GM" (each word's first letter; name keys hold no stopwords)
        self._by_initials: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            words = key.split()
            if len(words) > self._longest_from.get(words[0], 0):
                self._longest_from[words[0]] = len(words)
            if len(words) >= 2:
                self._by_initials["".join(word[0] for word in words)].append(key)
            elif len(key) >= 5:
                for block in surname_blocks(key):
                    self._spellings[block].append(key)
        self._respelt: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return self.size

    def _segment_of(self, position: int) -> Segment:
        return self.segments[int(np.searchsorted(self._starts, position, side="right")) - 1]

    def item(self, position: int) -> IndexedItem:
        """The item at ``position`` (read back: no document, no names)."""
        return self._segment_of(position).item(position)

    def position_of(self, item_id: str) -> int:
        """The position of ``item_id``, or -1 when it is not indexed (or no longer)."""
        for segment in self.segments:
            local = segment.local_of(item_id)
            if local >= 0:
                position = segment.first + local
                return -1 if self.dead[position] else position
        return -1

    def item_by_id(self, item_id: str) -> IndexedItem | None:
        position = self.position_of(item_id)
        return None if position < 0 else self.item(position)

    def frequency(self, word: str) -> int:
        """How many items ``word`` occurs in (items no longer indexed included)."""
        return self._words.total(word)

    def _idf_of(self, frequency: int) -> float:
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    @property
    def idf(self) -> dict[str, float]:
        """Inverse document frequency of every indexed word (common words included)."""
        if self._idf is None:
            totals = self._words.totals
            values = np.log(1 + (self.size - totals + 0.5) / (totals + 0.5)).tolist()
            self._idf = dict(zip(self._words.number, values, strict=True))
        return self._idf

    def postings(self, word: str, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """The best ``limit`` postings of ``word`` over every segment: positions and their
        BM25 term-frequency part (``count (k1 + 1) / (count + norm)``), unordered."""
        parts = []
        for number, row in self._words.where(word):
            segment = self.segments[number]
            start = int(segment.term_starts[row])
            end = min(int(segment.term_starts[row + 1]), start + limit)
            parts.append((segment.positions[start:end], segment.counts[start:end]))
        if not parts:
            return _NO_POSITIONS, np.zeros(0)
        if len(parts) == 1:
            positions, counts = parts[0]
        else:
            positions = np.concatenate([p for p, _ in parts])
            counts = np.concatenate([c for _, c in parts])
        weights = counts * (self.K1 + 1) / (counts + self._norm[positions])
        best = _best(positions, weights, limit)
        return positions[best], weights[best]

    def score_query(self, query: Sequence[str]) -> dict[int, float]:
        """BM25 score of the items sharing a word with ``query`` (item position -> score),
        as :meth:`scores` finds them."""
        positions, scores = self.scores(query)
        return dict(zip(positions.tolist(), scores.tolist(), strict=True))

    def scores(
        self,
        query: Sequence[str],
        memo: dict[str, Read] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """BM25 score of the items sharing a word with ``query``: positions (ascending), scores.

        Rare words first: each brings the items it occurs in (its best postings). Common words
        (in more than 1 % of the items) then only add to the items already found: a sentence
        of common words alone brings no candidate (it would bring thousands, weakly).

        What a query reads is bounded whatever the store: each word its best :attr:`PER_TERM`
        postings at most, the rare words together :attr:`BROUGHT` and the common ones
        :attr:`ADDED`, shared out rarest first (what a rarer word leaves goes to the next).
        ``memo`` keeps each word's postings for the next query (an article's sentences share
        words)."""
        memo = {} if memo is None else memo
        frequencies = {word: self.frequency(word) for word in set(query)}
        words = sorted(
            (w for w, n in frequencies.items() if 0 < n <= self._common_limit),
            key=lambda w: (frequencies[w], w),
        )
        rare = [w for w in words if frequencies[w] <= self._rare_limit]
        common = words[len(rare) :]
        brought = self._shared_out(rare, frequencies, self.BROUGHT, memo)
        if not brought:
            return _NO_POSITIONS, np.zeros(0)
        found, inverse = np.unique(np.concatenate([p for p, _ in brought]), return_inverse=True)
        scores = np.bincount(inverse, np.concatenate([s for _, s in brought]), len(found))
        added = self._shared_out(common, frequencies, self.ADDED, memo)
        if added:  # every common word's postings at once, summed by found item
            positions = np.concatenate([p for p, _ in added])
            at = np.searchsorted(found, positions)
            at[at == len(found)] = 0
            hit = found[at] == positions
            weights = np.concatenate([w for _, w in added])[hit]
            scores += np.bincount(at[hit], weights, len(found))
        live = ~self.dead[found]
        return found[live], scores[live]

    def _shared_out(
        self,
        words: Sequence[str],
        frequencies: Mapping[str, int],
        budget: int,
        memo: dict[str, Read],
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each of ``words`` (rarest first): its best postings, positions and BM25 scores, at
        most ``budget`` in all, each word taking an equal share of what the words before it
        left (and at most :attr:`PER_TERM`)."""
        read = []
        for left, word in zip(range(len(words), 0, -1), words, strict=True):
            share = min(self.PER_TERM, budget // left)
            positions, weights = self._postings_read(word, share, memo)
            budget -= len(positions)
            read.append((positions, weights * self._idf_of(frequencies[word])))
        return read

    def _postings_read(
        self, word: str, limit: int, memo: dict[str, Read]
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`postings` of ``word`` to ``limit``, from ``memo`` when it read as many
        (or more)."""
        held = memo.get(word)
        if held is None or held.limit < limit:
            positions, weights = self.postings(word, limit)
            memo[word] = Read(positions, weights, limit)
            return positions, weights
        positions, weights = held.positions, held.weights
        best = _best(positions, weights, limit)
        return positions[best], weights[best]

    def _named_positions(self, key: str) -> np.ndarray:
        """Positions of the items naming ``key`` (ascending)."""
        parts = []
        for number, row in self._name_keys.where(key):
            segment = self.segments[number]
            start, end = int(segment.name_starts[row]), int(segment.name_starts[row + 1])
            parts.append(segment.name_positions[start:end])
        if len(parts) == 1:
            return parts[0]  # a view: a common name's list is not copied for each sentence
        return np.concatenate(parts) if parts else _NO_POSITIONS

    def _has_name(self, key: str) -> bool:
        return key in self._name_keys.number

    def named_keys(self, lowered_sentence: str) -> set[str]:
        """The name keys of indexed items that the (lower-cased) sentence names."""
        tokens = [  # as name_keys reads names: stopwords out
            token.strip(".'’")
            for token in re.findall(r"[\w'’.-]+", lowered_sentence)
            if token not in STOPWORDS
        ]
        found: set[str] = set()
        for first, token in enumerate(tokens):
            for size in range(1, min(self._longest_from.get(token, 0), len(tokens) - first) + 1):
                key = " ".join(tokens[first : first + size])
                if self._has_name(key):
                    found.add(key)
        return found

    def named_in(self, lowered_sentence: str) -> set[int]:
        """Positions of the items whose speaker or actor the (lower-cased) sentence names."""
        return {
            int(p) for key in self.named_keys(lowered_sentence)
            for p in self._named_positions(key)
        }  # fmt: skip

    def _naming(self, positions: np.ndarray, keys: Iterable[str]) -> np.ndarray:
        """Which of ``positions`` name one of ``keys`` (a mask)."""
        mask = np.zeros(len(positions), bool)
        for key in keys:
            named = self._named_positions(key)
            at = np.searchsorted(named, positions)
            at[at == len(named)] = 0
            mask |= (named[at] == positions) if len(named) else False
        return mask

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
            if self._has_name(key):
                if key != word.lower():  # "Chrysler's" names Chrysler
                    found.append(key)
                continue
            if self.frequency(stem(key)):
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
            if not self._has_name(key):  # "GM" for "General Motors"
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
        bases: dict[int, str | None] = {}
        memo: dict[str, Read] = {}
        matched: list[tuple[np.ndarray, np.ndarray, int]] = []  # positions, scores, sentence
        for number, (start, end) in enumerate(sentences):
            sentence = text[start:end]
            respelt = self.spelt_differently(sentence)
            positions, scores = self.scores(
                [*terms(sentence), *(t for name in respelt for t in terms(name))], memo
            )
            if not len(positions):
                continue
            keys = self.named_keys(sentence.lower()) | set(respelt)
            # the sentence's best few hundred only: a sentence of common words matches thousands
            kept = self._best_named(positions, scores, keys)
            bases.update(
                self._bases(
                    [p for p in positions[kept].tolist() if p not in bases], article_id, order
                )
            )
            earlier = np.array([bases[p] is not None for p in positions[kept].tolist()], bool)
            matched.append((positions[kept][earlier], scores[kept][earlier], number))
        return self._ranked(matched, sentences, bases, k, min_score)

    def _best_named(self, positions: np.ndarray, scores: np.ndarray, keys: set[str]) -> np.ndarray:
        """The indices of the :attr:`PER_SENTENCE` best ``scores`` once the items naming one of
        ``keys`` have theirs raised by :attr:`NAME_BONUS` (in place). Only the items that the
        bonus could bring among them are looked up: those it would raise to the best scores'
        floor without it (a name's items are thousands in a large store)."""
        near = np.arange(len(scores))
        if len(scores) > self.PER_SENTENCE:
            floor = np.partition(scores, len(scores) - self.PER_SENTENCE)[-self.PER_SENTENCE]
            near = np.flatnonzero(scores * self.NAME_BONUS >= floor)
        named = near[self._naming(positions[near], keys)]
        scores[named] *= self.NAME_BONUS
        return _best(positions, scores, self.PER_SENTENCE)

    def _ranked(
        self,
        matched: Sequence[tuple[np.ndarray, np.ndarray, int]],
        sentences: Sequence[tuple[int, int]],
        bases: Mapping[int, str | None],
        k: int,
        min_score: float,
    ) -> list[Hit]:
        """Each item's score for the article — the sum of its best :attr:`SENTENCES` sentence
        scores (ties: the earlier sentence) — and its top ``k``, ties by item id."""
        if not matched:
            return []
        positions = np.concatenate([found for found, _, _ in matched]).astype(np.int64)
        scores = np.concatenate([score for _, score, _ in matched]).astype(np.float64)
        numbers = np.concatenate([np.full(len(found), n) for found, _, n in matched])
        if not len(positions):
            return []
        rows = np.lexsort((numbers, -scores, positions))  # by item, best sentence first
        positions, scores, numbers = positions[rows], scores[rows], numbers[rows]
        starts = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]])
        rank = np.arange(len(positions)) - np.repeat(starts, np.diff(np.r_[starts, len(positions)]))
        top = rank < self.SENTENCES
        positions, scores, numbers = positions[top], scores[top], numbers[top]
        starts = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]])
        totals = np.add.reduceat(scores, starts)
        chosen = np.arange(len(starts))
        if len(chosen) > k:  # the k best and any tied with the k-th, then ties by id
            kth = np.partition(totals, len(totals) - k)[len(totals) - k]
            chosen = np.flatnonzero(totals >= kth)
        firsts = positions[starts[chosen]].tolist()
        ids = self._column("ids", firsts).tolist()
        ends = np.r_[starts[1:], len(positions)]
        ranked = sorted(
            zip(totals[chosen].tolist(), ids, firsts, chosen.tolist(), strict=True),
            key=lambda entry: (-entry[0], entry[1]),
        )[:k]
        return [
            Hit(
                self.item(position),
                score,
                sentences[int(numbers[starts[group]])],
                bases[position] or "published",
                tuple(sentences[n] for n in numbers[starts[group] : ends[group]].tolist()),
            )
            for score, _, position, group in ranked
            if score > min_score
        ]

    def _column(self, name: str, positions: Sequence[int] | np.ndarray) -> np.ndarray:
        """A column of the items at ``positions`` (``ids``, ``days`` ...), as an array."""
        wanted = np.asarray(positions, np.int64)
        if len(self.segments) == 1:
            segment = self.segments[0]
            return getattr(segment, name)[wanted - segment.first]  # type: ignore[no-any-return]
        segment_of = np.searchsorted(self._starts, wanted, side="right") - 1
        # the widest of the segments' types: "<U16" and "<U20" ids make "<U20"
        values = np.empty(len(wanted), np.result_type(*(getattr(s, name) for s in self.segments)))
        for number in np.unique(segment_of).tolist():
            segment = self.segments[number]
            at = np.flatnonzero(segment_of == number)
            values[at] = getattr(segment, name)[wanted[at] - segment.first]
        return values

    def _bases(
        self, positions: Sequence[int], article_id: str, order: Order
    ) -> dict[int, str | None]:
        """:func:`order_basis` of each item at ``positions`` for a later article (None for its
        own items and for items that come after it), over the columns at once."""
        if not positions:
            return {}
        basis = order_bases(
            self._column("days", positions).astype(np.int64),
            self._column("seqs", positions).astype(np.int64),
            self._column("times", positions).astype(np.int64),
            order,
        )
        own = self._column("article_ids", positions) == article_id
        basis = np.where(own, _NONE, basis)
        return {
            position: _BASIS_NAMES[code]
            for position, code in zip(positions, basis.tolist(), strict=True)
        }

    def hit_for(
        self,
        item_id: str,
        sentences: Sequence[tuple[int, int]],
        text: str,
        article_id: str,
        order: Order,
    ) -> Hit | None:
        """The hit ``item_id`` would be for the article, whatever its rank (for evals)."""
        for hit in self.candidates(sentences, text, article_id, order, k=self.size):
            if hit.item.id == item_id:
                return hit
        return None
