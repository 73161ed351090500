"""Retrieval by embedding, beside the lexical index, when ``CLAIMTRACK_EMBEDDINGS_MODEL`` is set.

Lexical retrieval misses what a later article says in other words ("will be phased out" →
"was discontinued"). With an embeddings model on the OpenAI-compatible endpoint, every item gets a
vector once (stored in ``item_embeddings``; only new items are embedded on later runs), each new
article's sentences are embedded in one request, and the items nearest any sentence (cosine,
computed in DuckDB) are fused with the lexical candidates by reciprocal rank. Still one judging
call per article; the extra cost is the embedding requests. If the embeddings endpoint fails,
tracking goes on with the lexical candidates alone and the report says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimtrack.store import Store, utc_now
from claimtrack.store import embeddings as vector_rows
from claimtrack.tracking.retrieval import Hit, IndexedItem, Order, order_basis

BATCH = 128  # texts per embeddings request
RRF_K = 60  # reciprocal-rank fusion constant (Cormack et al.)


@dataclass
class EmbeddingSearch:
    settings: Any  # LLMSettings: endpoint, timeout, retries
    model: str
    requests: int = 0
    embedded_items: int = 0
    error: str | None = None
    _client: Any = field(default=None, repr=False)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        from claimtrack.llm import build_embeddings_client, embed_texts

        if self._client is None:
            self._client = build_embeddings_client(self.settings)
        self.requests += 1
        return embed_texts(self._client, self.model, texts)

    def ensure_items(self, store: Store, on_progress: Callable[[int], None] | None = None) -> None:
        """Embed every item that has no vector for the model yet (in batches)."""
        from claimtrack.llm import LLMUnavailable

        while self.error is None:
            with store.read() as con:
                missing = vector_rows.items_without_vectors(con, self.model, BATCH)
            if not missing:
                return
            try:
                vectors = self._embed([text for _, text in missing])
            except LLMUnavailable as error:
                self.error = error.message
                return
            now = utc_now()
            with store.write() as con:
                vector_rows.save_vectors(
                    con,
                    self.model,
                    [(i, v) for (i, _), v in zip(missing, vectors, strict=True)],
                    now,
                )
            self.embedded_items += len(missing)
            if on_progress:
                on_progress(self.embedded_items)

    def hits(
        self,
        store: Store,
        by_id: dict[str, IndexedItem],
        sentences: Sequence[tuple[int, int]],
        text: str,
        article_id: str,
        order: Order,
        k: int,
    ) -> list[Hit]:
        """The items nearest the article's sentences, earlier articles only, best first."""
        from claimtrack.llm import LLMUnavailable

        if self.error is not None or not sentences:
            return []
        try:
            vectors = self._embed([text[start:end] for start, end in sentences])
        except LLMUnavailable as error:
            self.error = error.message
            return []
        with store.read() as con:
            found = vector_rows.nearest(con, self.model, vectors, 4 * k)
        hits = []
        for item_id, similarity, sentence in found:
            item = by_id.get(item_id)
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
