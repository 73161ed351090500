"""Retrieval by sentence vectors, beside the lexical index.

Lexical retrieval misses what a later article says in other words ("will be phased out" → "was
discontinued"). Every item gets a vector once (stored in ``item_embeddings`` under the model's
name; later runs embed only new items). A tracking run searches them through a nearest-neighbour
graph kept beside the database (:mod:`claimtrack.tracking.vector_index`, updated with the new
items' vectors only); evals and small scratch stores read them into one matrix and take its
product with each article's sentences (:class:`StoredVectors`). The nearest items are fused with
the lexical candidates by reciprocal rank.

Where the vectors come from (``search_for``, from ``CLAIMTRACK_EMBEDDINGS_MODEL``):

- not set: on this machine, by :mod:`claimtrack.tracking.meaning` (WordLlama, shipped in its
  wheel; no network);
- a model name: the OpenAI-compatible endpoint's embeddings model (one request per batch of
  items, one per article);
- ``none``: no vectors, lexical retrieval only.

If the vectors cannot be had (the endpoint fails, the local weights are missing), tracking goes on
with the lexical candidates alone and the report says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from claimtrack.errors import ClaimtrackError
from claimtrack.store import Store, utc_now
from claimtrack.store import embeddings as vector_rows
from claimtrack.tracking import meaning
from claimtrack.tracking.retrieval import Hit, IndexedItem, ItemIndex, Order, order_basis

if TYPE_CHECKING:
    from claimtrack.tracking.vector_index import VectorIndex

DISABLED = "none"  # CLAIMTRACK_EMBEDDINGS_MODEL=none: no vectors, lexical retrieval only
RRF_K = 60  # reciprocal-rank fusion constant (Cormack et al.)


class Embedder(Protocol):
    model: str  # the name vectors are stored under
    batch: int  # items embedded (and written) at a time
    requests: int  # requests made to an endpoint
    floor: float  # items less similar than this to every sentence are no candidates
    prefix: int  # > 0: the first dimensions are an embedding of their own (a coarse pass)

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class EndpointEmbedder:
    """An embeddings model on the OpenAI-compatible endpoint."""

    settings: Any  # LLMSettings: endpoint, timeout, retries
    model: str
    batch: int = 128  # texts per request
    requests: int = 0
    floor: float = -1.0  # none: each model has its own scale of cosines
    prefix: int = 0  # not known of an arbitrary model
    _client: Any = field(default=None, repr=False)

    def embed(self, texts: list[str]) -> np.ndarray:
        from claimtrack.llm import build_embeddings_client, embed_texts

        if self._client is None:
            self._client = build_embeddings_client(self.settings)
        self.requests += 1
        return np.asarray(embed_texts(self._client, self.model, texts), dtype=np.float32)


@dataclass
class LocalEmbedder:
    """Sentence vectors computed here (:mod:`claimtrack.tracking.meaning`)."""

    model: str = meaning.MODEL_ID
    batch: int = 4096
    requests: int = 0  # never any
    # On the tracking gold (gm and stock), 95% of the evidence sentences are at least this near
    # their item, and 66% of the other sentences are not (evals/tracking/meaning_report.py).
    floor: float = 0.25
    # WordLlama is trained so that its first 64 dimensions are an embedding too (Matryoshka)
    prefix: int = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        return meaning.embed(texts)


def search_for(name: str | None, endpoint_settings: Callable[[], Any]) -> EmbeddingSearch | None:
    """The vector retrieval ``CLAIMTRACK_EMBEDDINGS_MODEL`` (``name``) asks for: the local
    vectors when it is not set, none for ``none``, else the endpoint's model."""
    if not name:
        return EmbeddingSearch(LocalEmbedder())
    if name.strip().lower() == DISABLED:
        return None
    return EmbeddingSearch(EndpointEmbedder(endpoint_settings(), name))


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` scaled to length 1 (a zero row stays zero), as float32."""
    vectors = np.array(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


def nearest(matrix: np.ndarray, queries: np.ndarray, limit: int) -> list[tuple[int, float, int]]:
    """The ``limit`` rows of ``matrix`` nearest any of ``queries`` (both of unit rows): (row,
    best cosine, the query that came nearest), best first, ties by row."""
    if not len(matrix) or not len(queries):
        return []
    scores = matrix @ queries.T
    best = scores.max(axis=1)
    rows = top_rows(best, limit)
    rows = rows[np.lexsort((rows, -best[rows]))]
    best_query = scores[rows].argmax(axis=1)
    return [
        (int(row), float(best[row]), int(query))
        for row, query in zip(rows, best_query, strict=True)
    ]


def top_rows(scores: np.ndarray, count: int) -> np.ndarray:
    """The positions of the ``count`` highest ``scores``, in no order."""
    if count >= len(scores):
        return np.arange(len(scores))
    return np.argpartition(-scores, count)[:count]


SHORTLIST = 2048  # rows the coarse pass keeps for the exact one


@dataclass
class StoredVectors:
    """A model's stored vectors as unit rows; with ``prefix``, the first ``prefix`` dimensions
    (made unit rows too) shortlist the nearest rows before the exact product on all dimensions:
    at 100,000 items about half the time per article (tests/benchmarks/bench_track.py gives the
    share of the exact nearest items the shortlist keeps)."""

    item_ids: list[str]
    matrix: np.ndarray
    prefix: int = 0
    coarse: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.matrix = unit_rows(self.matrix)
        wide = self.matrix.ndim == 2 and self.matrix.shape[1] > self.prefix > 0
        if wide and len(self.matrix) > SHORTLIST:
            self.coarse = unit_rows(self.matrix[:, : self.prefix])

    def nearest_items(self, queries: np.ndarray, limit: int) -> list[tuple[str, float, int]]:
        """As :meth:`nearest`, with item ids for rows (none when the dimensions differ)."""
        if self.matrix.shape[1:] != queries.shape[1:]:
            return []  # no stored vectors yet
        return [
            (self.item_ids[row], cos, query) for row, cos, query in self.nearest(queries, limit)
        ]

    def nearest(self, queries: np.ndarray, limit: int) -> list[tuple[int, float, int]]:
        """As :func:`nearest`, over the shortlist when there is a coarse pass."""
        if self.coarse is None:
            return nearest(self.matrix, queries, limit)
        coarse = self.coarse @ unit_rows(queries[:, : self.prefix]).T
        rows = np.sort(top_rows(coarse.max(axis=1), SHORTLIST))
        return [
            (int(rows[row]), similarity, query)
            for row, similarity, query in nearest(self.matrix[rows], queries, limit)
        ]


@dataclass
class EmbeddingSearch:
    embedder: Embedder
    embedded_items: int = 0
    error: str | None = None
    _vectors: StoredVectors | VectorIndex | None = field(default=None, repr=False)

    @property
    def model(self) -> str:
        return self.embedder.model

    @property
    def requests(self) -> int:
        return self.embedder.requests

    def _embed(self, texts: list[str]) -> np.ndarray | None:
        """Unit vectors of ``texts``, or None (and ``error`` set) when they cannot be had."""
        try:
            return unit_rows(self.embedder.embed(texts))
        except ClaimtrackError as error:  # the endpoint failed, the local weights are missing
            self.error = error.message
            return None

    def ensure_items(
        self,
        store: Store,
        on_progress: Callable[[int], None] | None = None,
        *,
        read_all: bool = True,
    ) -> None:
        """Embed every item that has no vector for the model yet (in batches), then (with
        ``read_all``) read the model's vectors for the searches to come."""
        while self.error is None:
            with store.read() as con:
                missing = vector_rows.items_without_vectors(con, self.model, self.embedder.batch)
            if not missing:
                break
            vectors = self._embed([text for _, text in missing])
            if vectors is None:
                return
            with store.write() as con:
                vector_rows.save_vectors(
                    con, self.model, [item_id for item_id, _ in missing], vectors, utc_now()
                )
            self.embedded_items += len(missing)
            if on_progress:
                on_progress(self.embedded_items)
        if read_all:
            self._read_vectors(store)

    def use_graph(self, store: Store, index: ItemIndex, lineage: str) -> None:
        """Search the nearest-neighbour graph kept beside the database over ``index``
        (brought up to date with the vectors of the items it lacks)."""
        if self.error is not None:
            return
        from claimtrack.tracking.vector_index import open_vectors

        with store.read() as con:
            dims = vector_rows.dimensions(con, self.model)
        if dims:
            self._vectors = open_vectors(store, index, lineage, self.model, dims, _warn)

    def _read_vectors(self, store: Store) -> StoredVectors:
        with store.read() as con:
            item_ids, matrix = vector_rows.vectors(con, self.model)
        self._vectors = StoredVectors(item_ids, matrix, self.embedder.prefix)
        return self._vectors

    def hits(
        self,
        store: Store,
        item_of: Callable[[str], IndexedItem | None],
        sentences: Sequence[tuple[int, int]],
        text: str,
        article_id: str,
        order: Order,
        k: int,
    ) -> list[Hit]:
        """The items nearest the article's sentences, earlier articles only, best first;
        ``item_of`` finds an item of the lexical index by id (None: not indexed)."""
        if self.error is not None or not sentences:
            return []
        queries = self._embed([text[start:end] for start, end in sentences])
        if queries is None:
            return []
        stored = self._vectors or self._read_vectors(store)
        hits = []
        for item_id, similarity, sentence in stored.nearest_items(queries, 4 * k):
            if similarity < self.embedder.floor:
                break
            item = item_of(item_id)
            if item is None or item.article_id == article_id:
                continue
            basis = order_basis(item.order, order)
            if basis is None:
                continue
            span = sentences[sentence]
            hits.append(Hit(item, similarity, span, basis, (span,)))
            if len(hits) == k:
                break
        return hits


def _warn(message: str) -> None:
    import sys

    print(f"claimtrack: {message}", file=sys.stderr)


def fuse(lexical: list[Hit], semantic: list[Hit], k: int) -> list[Hit]:
    """Reciprocal-rank fusion of two ranked lists; an item in both keeps its lexical sentences
    first (they are the words the judge will look at)."""
    scores: dict[str, float] = {}
    chosen: dict[str, Hit] = {}
    for ranked in (lexical, semantic):
        for rank, hit in enumerate(ranked, start=1):
            scores[hit.item.id] = scores.get(hit.item.id, 0.0) + 1.0 / (RRF_K + rank)
            if hit.item.id in chosen:
                first = chosen[hit.item.id]
                extra = tuple(s for s in hit.sentences if s not in first.sentences)
                chosen[hit.item.id] = Hit(
                    first.item, first.score, first.sentence, first.order_basis,
                    first.sentences + extra,
                )  # fmt: skip
            else:
                chosen[hit.item.id] = hit
    ranked_ids = sorted(scores, key=lambda item_id: (-scores[item_id], item_id))[:k]
    return [chosen[item_id] for item_id in ranked_ids]
