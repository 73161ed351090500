"""The persisted item index: the same candidates as a fresh build however the items arrive, items
that become restatements leave it, a damaged or older index is rebuilt with one line, a reader
never sees half a write, the cap on postings keeps each word's best-scoring items, and a query
reads a bounded number of postings in all."""

from __future__ import annotations

import json
import multiprocessing
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claimtrack.extraction.rules import split_sentences
from claimtrack.store import Store, utc_now
from claimtrack.tracking import item_index
from claimtrack.tracking.item_index import index_folder, load, open_index, save
from claimtrack.tracking.pipeline import build_index
from claimtrack.tracking.retrieval import (
    Hit,
    IndexedItem,
    ItemIndex,
    Order,
    Segment,
    _best,
    merged,
    name_keys,
)

WORDS = ["budget", "tax", "plant", "jobs", "wage", "school", "bridge", "vote", "steel", "pension"]
WORDS += ["port", "strike", "union", "court", "ruling", "merger", "loan", "deficit", "housing"]
NAMES = ["Femi Okafor", "Ana Lindqvist", "General Motors", "Tom Reyes", "Mira Sato"]


def _sentence(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
    return f"{rng.choice(NAMES)} said the {words} would change."


def add_articles(
    store: Store, rng: random.Random, first: int, count: int, ago: timedelta = timedelta(0)
) -> None:
    """``count`` articles of three items each (their sentences), stored now (or ``ago``)."""
    stored_at = utc_now() - ago
    articles, items = [], []
    for a in range(first, first + count):
        sentences = [_sentence(rng) for _ in range(3)]
        text = " ".join(sentences)
        articles.append((f"a{a:05d}", text, datetime(2026, 1, 1) + timedelta(days=a)))
        offset = 0
        for n, quote in enumerate(sentences):
            start = text.index(quote, offset)
            offset = start + len(quote)
            speaker = " ".join(quote.split()[:2])
            items.append((f"i{a:05d}{n}", f"a{a:05d}", start, offset, quote, speaker))
    with store.write() as con:
        con.execute(
            "INSERT INTO articles (id, text, published, origin, ingested_at) "
            "SELECT unnest($1), unnest($2), unnest($3::TIMESTAMP[]), 'test', now()",
            [list(column) for column in zip(*articles, strict=True)],
        )
        con.execute(
            "INSERT INTO items (id, kind, article_id, extraction_id, span_start, span_end, quote, "
            "text, speaker, created_at) SELECT unnest($1), 'claim', unnest($2), 'x', "
            "unnest($3::INTEGER[]), unnest($4::INTEGER[]), unnest($5), unnest($5), unnest($6), "
            "$7",
            [*(list(column) for column in zip(*items, strict=True)), stored_at],
        )


def link(store: Store, item_id: str, restated_by: str) -> None:
    with store.write() as con:
        con.execute(
            "INSERT INTO item_links (id, item_id, article_id, linked_item_id, relation, "
            "created_at) VALUES (?, ?, 'a-later', ?, 'repeats', now())",
            [f"l-{item_id}", restated_by, item_id],
        )


QUERIES = [
    "Femi Okafor said the budget and the tax on steel would change.",
    "The union called a strike at the port. Ana Lindqvist spoke of the pension deficit.",
    "GM will close the plant; the court ruling on the merger stands.",
]


def candidates(index: ItemIndex) -> list[list[tuple[str, float, tuple[tuple[int, int], ...]]]]:
    """Every query's top 20, as (item id, score rounded, sentences)."""
    later = Order(date(2030, 1, 1), 10**9)

    def shown(hit: Hit) -> tuple[str, float, tuple[tuple[int, int], ...]]:
        return hit.item.id, round(hit.score, 9), hit.sentences

    return [
        [shown(hit) for hit in index.candidates(split_sentences(q), q, "new", later, 20)]
        for q in QUERIES
    ]


def test_the_index_updated_in_steps_gives_the_candidates_of_a_fresh_build(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(item_index, "SMALL_SEGMENTS", 2)  # merging happens within the steps
    monkeypatch.setattr(item_index, "SEGMENT_ITEMS", 4)  # the build reads pages and merges them
    rng = random.Random(7)
    first = 0
    for step, count in enumerate([5, 1, 12, 3, 2, 7]):
        add_articles(store, rng, first, count)
        first += count
        index, update = open_index(store, warn=pytest.fail)
        fresh = build_index(store)
        assert (update.added, update.rebuilt) == (
            (0, "missing") if step == 0 else (3 * count, None)
        )
        assert candidates(index) == candidates(fresh)
        assert index.idf == pytest.approx(fresh.idf)
    assert len(index.segments) <= 1 + item_index.SMALL_SEGMENTS
    current = (index_folder(store.path) / "CURRENT").read_text()
    again, update = open_index(store, warn=pytest.fail)
    assert (update.added, update.restated, update.rebuilt) == (0, 0, None)
    assert (index_folder(store.path) / "CURRENT").read_text() == current  # nothing rewritten
    assert candidates(again) == candidates(index)


def test_items_committed_late_with_an_earlier_timestamp_are_found(store: Store) -> None:
    add_articles(store, random.Random(21), 0, 3)
    open_index(store, warn=pytest.fail)
    add_articles(store, random.Random(22), 3, 2, ago=timedelta(minutes=5))  # within the margin
    index, update = open_index(store, warn=pytest.fail)
    assert (update.added, update.rebuilt) == (6, None)
    assert candidates(index) == candidates(build_index(store))
    add_articles(store, random.Random(23), 5, 1, ago=timedelta(hours=2))  # beyond it
    said: list[str] = []
    index, update = open_index(store, warn=said.append)
    assert len(said) == 1 and "holds 15 items where the database has 18" in said[0], said
    assert candidates(index) == candidates(build_index(store))


def test_an_item_that_became_a_restatement_leaves_the_index(store: Store) -> None:
    add_articles(store, random.Random(3), 0, 4)
    index, _ = open_index(store, warn=pytest.fail)
    assert index.position_of("i000011") >= 0
    link(store, "i000011", restated_by="i000001")
    index, update = open_index(store, warn=pytest.fail)
    assert update.restated == 1
    assert index.position_of("i000011") == -1
    found = {item_id for hits in candidates(index) for item_id, _, _ in hits}
    assert "i000011" not in found and found


@pytest.mark.parametrize("damage", ["truncated", "other version", "generation gone"])
def test_a_damaged_or_older_index_is_rebuilt_with_one_line(store: Store, damage: str) -> None:
    add_articles(store, random.Random(5), 0, 6)
    built, _ = open_index(store, warn=pytest.fail)
    expected = candidates(built)
    folder = index_folder(store.path)
    generation = folder / (folder / "CURRENT").read_text()
    if damage == "truncated":
        target = next((folder / "segments").glob("*/positions.npy"))
        target.write_bytes(target.read_bytes()[:40])
    elif damage == "other version":
        meta = generation / "meta.json"
        meta.write_text(meta.read_text().replace('"fingerprint": "', '"fingerprint": "x'))
    else:
        (generation / "meta.json").unlink()
    said: list[str] = []
    index, update = open_index(store, warn=said.append)
    assert len(said) == 1 and "building it again" in said[0], said
    assert update.rebuilt is not None
    assert candidates(index) == expected
    again, update = open_index(store, warn=pytest.fail)  # repaired: no second message
    assert update.rebuilt is None and candidates(again) == expected


def test_an_index_that_no_longer_matches_the_database_is_rebuilt(store: Store) -> None:
    add_articles(store, random.Random(9), 0, 3)
    open_index(store, warn=pytest.fail)
    other = Store(store.path.with_name("other.duckdb"))
    add_articles(other, random.Random(10), 0, 2)
    store.path.unlink()
    other.path.rename(store.path)  # another database under the same name
    said: list[str] = []
    index, _ = open_index(Store(store.path), warn=said.append)
    assert len(said) == 1 and "holds 9 items where the database has 6" in said[0]
    assert candidates(index) == candidates(build_index(Store(store.path)))


def _read_until_stopped(folder: Path, size: int, stop: Any, failures: Any) -> None:
    """Load the index again and again until ``stop`` is set; put what went wrong in
    ``failures``."""
    while not stop.is_set():
        try:
            found = load(folder)
            assert found is not None and found.index.size == size
            assert len(found.index.dead) == size and found.index.dead.sum() == 1
        except Exception as error:
            failures.put(repr(error))
            return


def test_a_reader_in_another_process_never_sees_half_a_write(store: Store) -> None:
    add_articles(store, random.Random(11), 0, 8)
    index, _ = open_index(store, warn=pytest.fail)
    folder = index_folder(store.path)
    persisted = load(folder)
    assert persisted is not None
    persisted.index.dead[0] = True
    persisted = save(folder, persisted)
    processes = multiprocessing.get_context("fork")
    stop, failures = processes.Event(), processes.Queue()
    readers = [
        processes.Process(target=_read_until_stopped, args=(folder, index.size, stop, failures))
        for _ in range(2)
    ]
    for reader in readers:
        reader.start()
    try:
        for n in range(15):  # generations written while they read: a dead flag moves each time
            persisted.index.dead[:] = False
            persisted.index.dead[n % index.size] = True
            persisted.names = [""] * len(persisted.names)  # write the segments again too
            persisted = save(folder, persisted)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    assert failures.empty(), failures.get()
    assert all(reader.exitcode == 0 for reader in readers)


def _budget_items(rng: random.Random) -> list[IndexedItem]:
    """Items that all say "budget", some often and briefly (high BM25), some once at length."""
    items = []
    for n in range(300):
        filler = " ".join(rng.choice(WORDS[1:]) for _ in range(rng.randint(0, 30)))
        text = " ".join(["budget"] * rng.randint(1, 4)) + " " + filler
        items.append(IndexedItem(f"b{n:03d}", "claim", f"a{n}", Order(None, n), text))
    return items


def test_the_postings_cap_keeps_each_words_best_scoring_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = _budget_items(random.Random(13))
    monkeypatch.setattr(ItemIndex, "COMMON", 1.0)  # "budget" in every item is looked up
    monkeypatch.setattr(ItemIndex, "RARE", 1.0)  # ... and brings candidates
    exact = ItemIndex(items).score_query(["budget"])
    assert len(exact) == len(items)  # uncapped: every item that says it
    best = sorted(exact, key=lambda p: (-exact[p], p))[:25]
    monkeypatch.setattr(ItemIndex, "PER_TERM", 25)
    one = ItemIndex(items)
    halves = [Segment.of_items(items[:120], 0), Segment.of_items(items[120:], 120)]
    for index in (one, ItemIndex.of_segments(halves), ItemIndex.of_segments([merged(halves)])):
        capped = index.score_query(["budget"])
        assert sorted(capped, key=lambda p: (-capped[p], p)) == best
        assert all(capped[p] == pytest.approx(exact[p]) for p in capped)


def _worded_items(rng: random.Random) -> list[IndexedItem]:
    """300 items: "alpha" in 10, "beta" and "gamma" in 40 each (all three apart), "delta" in
    97 of them (the alpha ones among them), each word one to three times among filler."""

    def said(word: str) -> str:
        return " ".join([word] * rng.randint(1, 3))

    items = []
    for n in range(300):
        rare = "alpha" if n < 10 else "beta" if n < 50 else "gamma" if n < 90 else ""
        words = [said(rare) if rare else "", said("delta") if n < 10 or n % 10 < 3 else ""]
        filler = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
        items.append(IndexedItem(f"w{n:03d}", "claim", f"a{n}", Order(None, n), " ".join(
            [*words, filler]
        )))  # fmt: skip
    return items


def _top(scores: dict[int, float], count: int) -> set[int]:
    return set(sorted(scores, key=lambda p: (-scores[p], p))[:count])


def test_a_querys_rare_words_bring_a_bounded_number_of_items_rarest_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rare words of a query read BROUGHT postings in all: the rarest first, an equal share
    of what is left each, and what a word leaves unread goes to the next."""
    index = ItemIndex(_worded_items(random.Random(5)))
    alone = {word: index.score_query([word]) for word in ("alpha", "beta", "gamma")}
    assert [len(alone[word]) for word in alone] == [10, 40, 40]
    monkeypatch.setattr(ItemIndex, "BROUGHT", 50)
    found = index.score_query(["gamma", "alpha", "beta"])
    # alpha's share is 50 // 3 = 16, it has 10; beta and gamma then share 40: 20 each
    assert set(found) == set(alone["alpha"]) | _top(alone["beta"], 20) | _top(alone["gamma"], 20)
    assert all(found[p] == pytest.approx(alone["beta"].get(p, 0.0) + alone["alpha"].get(p, 0.0)
               + alone["gamma"].get(p, 0.0)) for p in found)  # fmt: skip


def test_a_querys_common_words_add_their_best_postings_to_the_items_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A common word adds to the items rarer words found, from its best ADDED postings."""
    items = _worded_items(random.Random(6))
    index = ItemIndex(items)
    assert index.frequency("delta") == 97  # common: in more than RARE of the items
    monkeypatch.setattr(ItemIndex, "RARE", 1.0)
    delta = ItemIndex(items).score_query(["delta"])  # every item that says it
    monkeypatch.undo()
    monkeypatch.setattr(ItemIndex, "ADDED", 30)
    alpha = index.score_query(["alpha"])
    both = index.score_query(["alpha", "delta"])
    best_delta = _top(delta, 30)
    assert set(both) == set(alpha)
    assert set(alpha) - best_delta and set(alpha) & best_delta  # some say delta less well
    for p in alpha:
        added = delta[p] if p in best_delta else 0.0
        assert both[p] == pytest.approx(alpha[p] + added)


def test_a_word_read_to_a_small_share_is_read_again_when_a_larger_one_is_needed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An article's sentences share the postings they read (the memo): a sentence that may read
    more of a word than an earlier one did gets what a fresh read gives."""
    index = ItemIndex(_worded_items(random.Random(7)))
    monkeypatch.setattr(ItemIndex, "BROUGHT", 40)
    memo: dict[str, Any] = {}
    index.scores(["alpha", "beta", "gamma"], memo)  # beta read to 15
    index.scores(["alpha", "gamma"], memo)  # gamma to 30: read again, more
    for query in (["beta"], ["gamma"], ["beta", "gamma"], ["alpha", "beta"]):
        positions, scores = index.scores(query, memo)
        fresh_positions, fresh_scores = index.scores(query)
        assert positions.tolist() == fresh_positions.tolist()
        assert scores.tolist() == pytest.approx(fresh_scores.tolist())


def test_the_name_bonus_looked_up_near_the_best_keeps_what_raising_every_item_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each sentence keeps its PER_SENTENCE best after the name bonus; only the items the bonus
    could lift among them are looked up by name, and the candidates are what raising every
    named item gave."""
    rng = random.Random(11)
    items = [
        IndexedItem(f"n{n:03d}", "claim", f"a{n}", Order(None, n), _sentence(rng), names)
        for n in range(400)
        for names in [name_keys(rng.choice(NAMES))]
    ]
    monkeypatch.setattr(ItemIndex, "RARE", 1.0)  # every word brings items: hundreds a sentence
    monkeypatch.setattr(ItemIndex, "COMMON", 1.0)
    monkeypatch.setattr(ItemIndex, "PER_SENTENCE", 12)
    index = ItemIndex(items)
    text = " ".join(_sentence(rng) for _ in range(6))
    sentences = split_sentences(text)
    later = Order(None, 10_000)
    near = index.candidates(sentences, text, "new", later, 30)

    def raising_every_item(
        self: ItemIndex, positions: np.ndarray, scores: np.ndarray, keys: set[str]
    ) -> np.ndarray:
        scores[self._naming(positions, keys)] *= self.NAME_BONUS
        return _best(positions, scores, self.PER_SENTENCE)

    monkeypatch.setattr(ItemIndex, "_best_named", raising_every_item)
    every = index.candidates(sentences, text, "new", later, 30)
    assert len(near) == 30
    assert [(hit.item.id, hit.score, hit.sentences) for hit in near] == [
        (hit.item.id, hit.score, hit.sentences) for hit in every
    ]


def test_segments_with_ids_of_other_widths_give_whole_ids_and_dates() -> None:
    """Columns are read across segments as one array: no id is cut to another segment's width."""
    first = [IndexedItem("s", "claim", "x", Order(date(2026, 1, 2), 1), "harbour crane")]
    second = [
        IndexedItem("item-with-a-long-id", "claim", "article-long", Order(None, 2), "harbour")
    ]
    index = ItemIndex.of_segments([Segment.of_items(first, 0), Segment.of_items(second, 1)])
    later = Order(date(2026, 5, 1), 10)
    # article "a" is not "article-long" cut to the first segment's one letter
    hits = index.candidates([(0, 14)], "harbour crane.", "a", later, 5)
    assert [(hit.item.id, hit.order_basis) for hit in hits] == [
        ("s", "published"),
        ("item-with-a-long-id", "ingestion"),
    ]
    assert index.item(1).article_id == "article-long"


def test_read_back_items_keep_their_order_in_time() -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7)
    items = [
        IndexedItem("t", "commitment", "a1", Order(moment.date(), 3, moment), "plant"),
        IndexedItem("u", "claim", "a2", Order(None, 4), "plant"),
    ]
    index = ItemIndex(items)
    assert [index.item(p) for p in range(2)] == [
        IndexedItem("t", "commitment", "a1", Order(moment.date(), 3, moment), ""),
        IndexedItem("u", "claim", "a2", Order(None, 4), ""),
    ]
    assert index.item_by_id("u") == index.item(1) and index.item_by_id("v") is None
    assert np.array_equal(index.dead, [False, False])


def _embed_all(store: Store, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random unit vectors for the items that have none yet (model "test", 16 dimensions)."""
    from claimtrack.store import embeddings as vector_rows
    from claimtrack.tracking.embeddings import unit_rows

    with store.read() as con:
        missing = vector_rows.items_without_vectors(con, "test", 10_000)
    vectors = unit_rows(rng.standard_normal((len(missing), 16)))
    with store.write() as con:
        ids = [item_id for item_id, _ in missing]
        vector_rows.save_vectors(con, "test", ids, vectors, datetime(2026, 1, 1))
    return dict(zip(ids, vectors, strict=True))


def test_the_vector_graph_finds_each_items_own_vector_as_items_arrive(store: Store) -> None:
    from claimtrack.tracking.vector_index import open_vectors, vector_folder

    rng = np.random.default_rng(17)
    vectors: dict[str, np.ndarray] = {}
    for first, count in [(0, 10), (10, 4)]:  # a graph made, then the new items added to it
        add_articles(store, random.Random(first), first, count)
        vectors |= _embed_all(store, rng)
        index, update = open_index(store, warn=pytest.fail)
        graph = open_vectors(store, index, update.lineage, "test", 16, pytest.fail)
        assert len(graph.graph) == index.size == len(vectors)
        for item_id, vector in vectors.items():
            best = graph.nearest_items(vector[None, :], 3)
            assert best[0][0] == item_id and best[0][1] == pytest.approx(1.0, abs=0.02)
    saved = json.loads((vector_folder(store.path, "test") / "CURRENT").read_text())
    assert saved["covered"] == index.size
    link(store, "i000051", restated_by="i000001")
    index, update = open_index(store, warn=pytest.fail)
    graph = open_vectors(store, index, update.lineage, "test", 16, pytest.fail)
    found = [item_id for item_id, _, _ in graph.nearest_items(vectors["i000051"][None, :], 5)]
    assert "i000051" not in found and len(found) == 5
    other = open_vectors(store, index, "another lineage", "test", 16, pytest.fail)
    assert len(other.graph) == index.size  # made again over the positions of this index


@pytest.mark.filterwarnings("error")
def test_asking_the_graph_for_more_than_it_holds_gives_each_item_once(store: Store) -> None:
    # usearch pads a short answer (keys and distances that are no answer); a padded distance once
    # surfaced as a RuntimeWarning in the README's `run`: padding is dropped before arithmetic
    from claimtrack.tracking.vector_index import open_vectors

    add_articles(store, random.Random(3), 0, 3)
    vectors = _embed_all(store, np.random.default_rng(5))
    index, update = open_index(store, warn=pytest.fail)
    graph = open_vectors(store, index, update.lineage, "test", 16, pytest.fail)
    queries = np.stack(list(vectors.values())[:2])
    found = graph.nearest_items(queries, 10 * len(vectors))
    assert sorted(item_id for item_id, _, _ in found) == sorted(vectors)


def test_order_bases_over_arrays_agree_with_order_basis() -> None:
    from datetime import date, datetime, timedelta

    from claimtrack.tracking.retrieval import (
        _BASIS_NAMES,
        NO_DAY,
        NO_TIME,
        Order,
        _day_number,
        _microseconds,
        order_bases,
        order_basis,
    )

    rng = random.Random(11)

    def some_order() -> Order:  # undated, dated, or dated with a time; days and seqs collide
        day = None if rng.random() < 0.2 else date(2026, 1, 1) + timedelta(days=rng.randint(0, 3))
        moment = None
        if day is not None and rng.random() < 0.6:
            moment = datetime(day.year, day.month, day.day, rng.choice([9, 12, 15]))
        return Order(day, rng.randint(0, 5), moment)

    earlier = [some_order() for _ in range(400)]
    days = np.array([_day_number(o.published) for o in earlier], np.int64)
    seqs = np.array([o.seq for o in earlier], np.int64)
    times = np.array([_microseconds(o.time) for o in earlier], np.int64)
    assert NO_DAY in days and NO_TIME in times
    for _ in range(50):
        later = some_order()
        codes = order_bases(days, seqs, times, later).tolist()
        assert [_BASIS_NAMES[c] for c in codes] == [order_basis(o, later) for o in earlier]
