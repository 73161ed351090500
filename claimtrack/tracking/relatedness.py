"""How likely a sentence of a later article speaks about an earlier item: the fitted weights.

A logistic regression over the signals of :mod:`claimtrack.tracking.signals`, fitted on the
training cases of the tracking gold (``evals/tracking``, ``split == "train"``) by
``evals/tracking/fit_judge.py``, which writes ``judge-model.json`` beside this module: the
weights, the feature means and scales, the two thresholds and the version. Nothing here is
guessed by hand; refit after changing a signal (the tests check that the file names the same
features as the code).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from claimtrack.tracking.signals import FEATURES

MODEL_FILE = Path(__file__).with_name("judge-model.json")


@dataclass(frozen=True)
class RelatednessModel:
    version: str
    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    link: float  # the least probability at which the article is taken to speak about the item
    decide: float  # ... and at which its relation is decided; between the two: ``mentions``

    def probability(self, features: Mapping[str, float]) -> float:
        total = self.intercept
        for name, weight, mean, scale in zip(
            self.features, self.weights, self.means, self.scales, strict=True
        ):
            total += weight * (features[name] - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "features": list(self.features),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "means": list(self.means),
            "scales": list(self.scales),
            "link": self.link,
            "decide": self.decide,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> RelatednessModel:
        def floats(key: str) -> tuple[float, ...]:
            values = data[key]
            assert isinstance(values, Sequence)
            return tuple(float(value) for value in values)

        features = tuple(str(name) for name in data["features"])  # type: ignore[attr-defined]
        return cls(
            version=str(data["version"]),
            features=features,
            weights=floats("weights"),
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
            means=floats("means"),
            scales=floats("scales"),
            link=float(data["link"]),  # type: ignore[arg-type]
            decide=float(data["decide"]),  # type: ignore[arg-type]
        )


@cache
def fitted_model() -> RelatednessModel:
    """The model shipped in the package."""
    model = RelatednessModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
    if set(model.features) != set(FEATURES):
        raise ValueError(
            f"{MODEL_FILE.name} was fitted on {sorted(model.features)}, the code measures "
            f"{sorted(FEATURES)}: run evals/tracking/fit_judge.py"
        )
    return model
