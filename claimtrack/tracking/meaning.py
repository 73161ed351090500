"""TEMPORARY stand-in for the meaning branch's module (same interface); replaced at merge."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_ID = "wordllama-l2-256"


@cache
def _model() -> Any:
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed(texts: Sequence[str]) -> Any:
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    return np.asarray(_model().embed(list(texts), norm=True), dtype=np.float32)
