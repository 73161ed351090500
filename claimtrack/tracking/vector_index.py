"""Approximate nearest neighbours over the item vectors, kept beside the database (usearch).

A run used to read every stored vector into one matrix (1 GB at a million 256-d items) and take
its product with each article's sentences. Now the vectors of one embeddings model live in a
usearch HNSW graph in ``<db>.index/vectors-<model hash>/``, quantised to 8 bits, keyed by the
item's position in the lexical index (:mod:`claimtrack.tracking.item_index`); each run adds the
vectors of the positions added since (read from ``item_embeddings`` for those items only) and
saves the graph as a new file, named in ``CURRENT`` (replaced atomically, as the lexical index's).
Searches run on the file memory-mapped. The graph is made again when missing, unreadable, or
built for another lexical index (``lineage``: the lexical index was rebuilt, its positions
changed).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claimtrack.store import Store
from claimtrack.store import embeddings as vector_rows
from claimtrack.tracking.item_index import MARGIN, index_folder
from claimtrack.tracking.retrieval import ItemIndex

CONNECTIVITY = 16  # usearch's graph degree (its default)
EXPANSION_ADD = 64  # candidates weighed when a vector is added (usearch's default: 128)
EXPANSION_SEARCH = 128  # candidates weighed per search (usearch's default: 64)
ADD_BATCH = 50_000  # vectors read and added at a time


def vector_folder(db_path: Path, model: str) -> Path:
    model_hash = hashlib.sha256(model.encode()).hexdigest()[:12]
    return index_folder(db_path) / f"vectors-{model_hash}"


@dataclass
class VectorIndex:
    """A model's item vectors as a usearch graph over lexical index positions."""

    graph: Any  # usearch.index.Index
    index: ItemIndex  # the lexical index whose positions are the keys

    def nearest_items(self, queries: np.ndarray, limit: int) -> list[tuple[str, float, int]]:
        """The ``limit`` items nearest any of ``queries`` (unit rows): (item id, best cosine,
        the query that came nearest), best first, ties by position; restatements left out."""
        if not len(queries) or len(self.graph) == 0 or queries.shape[1] != self.graph.ndim:
            return []
        # a quarter more: restatements among them are left out
        wanted = min(limit + limit // 4, len(self.graph))
        found = self.graph.search(queries.astype(np.float32), wanted, threads=1)
        keys = np.asarray(found.keys, np.int64).reshape(-1)
        distances = np.asarray(found.distances, np.float32).reshape(-1)
        query_of = np.repeat(np.arange(len(queries)), len(keys) // len(queries))
        # usearch pads a short answer with the largest key and a distance that is no number
        valid = np.flatnonzero((keys >= 0) & (keys < self.index.size) & np.isfinite(distances))
        valid = valid[~np.asarray(self.index.dead)[keys[valid]]]
        keys, query_of = keys[valid], query_of[valid]
        cosines = 1.0 - distances[valid]
        ranked = np.lexsort((query_of, keys, -cosines))  # best first, ties by position
        _, first = np.unique(keys[ranked], return_index=True)  # each item's best
        best = ranked[np.sort(first)][:limit]
        return [
            (self.index.item(int(key)).id, float(cosine), int(query))
            for key, cosine, query in zip(keys[best], cosines[best], query_of[best], strict=True)
        ]


def open_vectors(
    store: Store, index: ItemIndex, lineage: str, model: str, dims: int,
    warn: Callable[[str], None],
) -> VectorIndex:  # fmt: skip
    """The model's graph over ``index``, with the vectors of positions added since it was
    saved (a new graph when there is none, or it belongs to another lineage)."""
    folder = vector_folder(store.path, model)
    graph, covered = _current(folder, lineage, dims, index.size, warn)
    if covered == index.size:
        return VectorIndex(graph, index)
    for first in range(covered, index.size, ADD_BATCH):
        positions = list(range(first, min(first + ADD_BATCH, index.size)))
        by_id = {index.item(p).id: p for p in positions}
        with store.read() as con:
            ids, vectors = vector_rows.vectors_of(con, model, list(by_id))
        if ids:
            keys = np.array([by_id[item_id] for item_id in ids], np.int64)
            graph.add(keys, vectors, threads=0)
    return VectorIndex(_saved(folder, graph, lineage, dims, index.size) or graph, index)


def _current(
    folder: Path, lineage: str, dims: int, size: int, warn: Callable[[str], None]
) -> tuple[Any, int]:
    """The saved graph and how many positions it covers: memory-mapped when it covers them
    all, loaded (to take new vectors) when it covers fewer, a new one when there is none."""
    from usearch.index import Index

    meta = _meta(folder)
    if meta is None or meta.get("lineage") != lineage or meta.get("dims") != dims:
        return _empty(dims), 0
    covered = int(meta["covered"])
    if covered > size:
        warn(f"the vector index {folder} is ahead of the item index; building it again")
        return _empty(dims), 0
    try:
        graph = Index.restore(str(folder / meta["file"]), view=covered == size)
    except (OSError, ValueError, RuntimeError) as error:
        warn(f"the vector index {folder} cannot be read ({error}); building it again")
        return _empty(dims), 0
    if graph is None:
        warn(f"the vector index {folder} cannot be read; building it again")
        return _empty(dims), 0
    return graph, covered


def _empty(dims: int) -> Any:
    from usearch.index import Index

    return Index(
        ndim=dims, metric="cos", dtype="i8", connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH,
    )  # fmt: skip


def _meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta: dict[str, Any] = json.loads((folder / "CURRENT").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta


def _saved(folder: Path, graph: Any, lineage: str, dims: int, covered: int) -> Any:
    """Write ``graph`` as a new file, name it in CURRENT, remove files older than the one
    before; return the saved graph memory-mapped (None when the folder cannot be written)."""
    from usearch.index import Index

    name = f"v-{uuid.uuid4().hex[:12]}.usearch"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = folder / f".tmp-{name}"
        graph.save(str(scratch))
        scratch.rename(folder / name)
        previous = _meta(folder)
        pointer = folder / f".tmp-CURRENT-{uuid.uuid4().hex[:8]}"
        meta = {"file": name, "lineage": lineage, "dims": dims, "covered": covered}
        pointer.write_text(json.dumps(meta), encoding="utf-8")
        pointer.replace(folder / "CURRENT")
    except OSError:
        return None
    keep = {name, (previous or {}).get("file")}
    _remove_old(folder, keep)
    return Index.restore(str(folder / name), view=True)


def _remove_old(folder: Path, keep: set[Any]) -> None:
    import time

    stale = time.time() - MARGIN.total_seconds()
    for path in [*folder.glob("v-*.usearch"), *folder.glob(".tmp-*")]:
        if path.name in keep:
            continue
        try:
            if path.stat().st_mtime < stale:
                path.unlink()
        except FileNotFoundError:
            continue
