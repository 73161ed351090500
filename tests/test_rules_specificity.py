"""The fitted specificity model: the shipped file matches the features the code computes, and
its decision follows its weights. Every sentence is invented for the test."""

from __future__ import annotations

import json

import pytest

from claimtrack.extraction.rules.specificity import (
    BUCKETS,
    MODEL_FILE,
    SpecificityModel,
    features,
    fitted_model,
)


def test_the_shipped_model_hashes_as_the_code_does_and_stores_no_words() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["buckets"] == BUCKETS and len(data["hashed"]) == BUCKETS
    assert all(":" in name or name.isidentifier() for name in data["named"])
    assert 0.0 < fitted_model().threshold < 1.0


def test_features_name_the_shape_of_a_checkable_target() -> None:
    found = features(
        "- Build 12 new colleges in every district within five years.", ["bare_action"]
    )
    for name in ("rule:bare_action", "bullet", "number", "every", "deadline", "opening:base"):
        assert name in found
    assert found["opening_verb:concrete"] == 1.0
    assert features("We will strive to ensure harmony.", ["stated_will"])["vague_words"] > 0


def test_a_model_with_other_buckets_is_refused() -> None:
    data = fitted_model().to_json() | {"hashed": [0.0] * (BUCKETS // 2)}
    with pytest.raises(ValueError, match="buckets"):
        SpecificityModel.from_json(data)


def test_the_probability_follows_the_weights() -> None:
    model = SpecificityModel("t", {"number": 2.0}, (0.0,) * BUCKETS, -1.0, 0.5)
    assert model.probability({"number": 1.0}) > 0.5 > model.probability({})
