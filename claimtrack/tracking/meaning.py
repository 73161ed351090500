"""Sentence meaning offline: WordLlama's 256-dimension vectors, shipped inside its wheel.

WordLlama (``l2_supercat``, 256 dimensions) averages token vectors distilled from large language
models' input embeddings: no network, no torch, 16 MB of weights that ``pip install wordllama``
puts beside its code. ``WordLlama.load()`` looks in a cache folder of its own and tries to download
from a hub when the file is not there, so the model is loaded from the package's own folder with
downloads disabled. It is loaded once per process, on first use (about 0.2 s).

``embed`` gives float32 rows of unit length, so a dot product is the cosine similarity.
``MODEL_ID`` names model, size and the package's minor version: vectors stored under it are
comparable with what ``embed`` gives today (the dependency is pinned to that minor version).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claimtrack.errors import ClaimtrackError

CONFIG = "l2_supercat"
DIMENSIONS = 256
MODEL_ID = f"wordllama-{CONFIG}-{DIMENSIONS}@0.4"

_lock = threading.Lock()
_model: Any = None


class MeaningModelMissing(ClaimtrackError):
    """The sentence-meaning weights are not installed."""


def _load() -> Any:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as error:
        raise MeaningModelMissing(
            "the offline tracking judge reads sentence meaning with the wordllama package, which "
            "is not installed: pip install 'wordllama>=0.4,<0.5'"
        ) from error
    folder = Path(wordllama.__file__).parent
    try:
        return WordLlama.load(
            config=CONFIG, dim=DIMENSIONS, cache_dir=folder, disable_download=True
        )
    except (FileNotFoundError, ValueError) as error:
        raise MeaningModelMissing(
            f"wordllama's {CONFIG} {DIMENSIONS}-dimension weights are not in {folder}: "
            "reinstall it with pip install --force-reinstall 'wordllama>=0.4,<0.5'"
        ) from error


def model() -> Any:
    """The process-wide model, loaded on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load()
    return _model


def embed(texts: Sequence[str]) -> np.ndarray:
    """One float32 row of unit length per text (an empty text gives a zero row)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


REMEMBERED = 50_000  # texts whose vectors one process keeps (1 KB each)
_remembered: dict[str, np.ndarray] = {}
_remembered_lock = threading.Lock()


def embed_remembered(texts: Sequence[str]) -> np.ndarray:
    """:func:`embed`, keeping each text's vector for the rest of the process: the judge reads
    the same candidate items against article after article. At most :data:`REMEMBERED` texts
    are kept; past that the memory starts again empty."""
    with _remembered_lock:
        missing = [text for text in dict.fromkeys(texts) if text not in _remembered]
        if missing:
            if len(_remembered) + len(missing) > REMEMBERED:
                _remembered.clear()
            _remembered.update(zip(missing, embed(missing), strict=True))
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([_remembered[text] for text in texts])


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts' vectors (-1 to 1; 0 when either has no words)."""
    first, second = embed([a, b])
    return float(first @ second)
