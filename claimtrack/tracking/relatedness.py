"""Does a later article speak about an earlier item, and in which sentence: the fitted models.

Two logistic regressions, fitted on the training cases of the tracking gold (``evals/tracking``,
``split == "train"``) by ``evals/tracking/fit_judge.py``, which writes ``judge-model.json``
beside this module (weights, feature means and scales, the threshold, the version). Nothing here is
set by hand; refit after changing a signal (a test checks that the file names the features the
code computes).

1. **sentence**: the probability that one sentence holds the evidence about one item, from the
   signals of :mod:`claimtrack.tracking.signals`. The best sentence is the evidence.
2. **pair**: the probability that the article speaks about the item at all, from what the
   sentence model says across the article and across the article's other candidates:

   - ``best``: the best sentence's log-odds (not its probability, which saturates near 1);
   - ``support``: how many sentences score above even odds (log), a story told over several
     sentences;
   - ``named_article``: the article names the item's speaker or actor somewhere;
   - ``entities_article``: the share of the item's other proper names the article has (1 for an
     item that names none: nothing is missing).

Neither depends on the other candidates of the article, so a pair is judged the same whether
retrieval found three candidates or sixty-four. A pair at or above ``link`` is a link; at most
``per_article`` links an article (the best), as a later report bears on a few earlier items, not
dozens.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from claimtrack.tracking.signals import FEATURES

MODEL_FILE = Path(__file__).with_name("judge-model.json")
PAIR_FEATURES: tuple[str, ...] = ("best", "support", "named_article", "entities_article")


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic regression over standardised features."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def log_odds(self, rows: np.ndarray) -> np.ndarray:
        """One log-odds per row of ``rows`` (columns in the order of ``features``), in
        [-30, 30]."""
        scores = ((rows - np.asarray(self.means)) / np.asarray(self.scales)) @ np.asarray(
            self.weights
        ) + self.intercept
        return np.asarray(np.clip(scores, -30.0, 30.0))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """One probability per row of ``rows``."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.log_odds(rows))))

    def probability(self, features: Mapping[str, float]) -> float:
        row = np.array([[features[name] for name in self.features]], dtype=float)
        return float(self.probabilities(row)[0])

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "means": list(self.means),
            "scales": list(self.scales),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Logistic:
        def floats(key: str) -> tuple[float, ...]:
            values = data[key]
            if not isinstance(values, list):
                raise ValueError(f"{key}: not a list")
            return tuple(float(value) for value in values)

        features = data["features"]
        if not isinstance(features, list):
            raise ValueError("features: not a list")
        return cls(
            features=tuple(str(name) for name in features),
            weights=floats("weights"),
            intercept=float(str(data["intercept"])),
            means=floats("means"),
            scales=floats("scales"),
        )


@dataclass(frozen=True)
class RelatednessModel:
    version: str
    sentence: Logistic
    pair: Logistic
    link: float  # the least pair probability at which the article is taken to speak about it
    per_article: int  # at most this many links an article

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "sentence": self.sentence.to_json(),
            "pair": self.pair.to_json(),
            "link": self.link,
            "per_article": self.per_article,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> RelatednessModel:
        sentence, pair = data["sentence"], data["pair"]
        if not isinstance(sentence, dict) or not isinstance(pair, dict):
            raise ValueError("sentence and pair must be objects")
        return cls(
            version=str(data["version"]),
            sentence=Logistic.from_json(sentence),
            pair=Logistic.from_json(pair),
            link=float(str(data["link"])),
            per_article=int(str(data["per_article"])),
        )


@cache
def fitted_model() -> RelatednessModel:
    """The model shipped in the package."""
    model = RelatednessModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
    if model.sentence.features != FEATURES or model.pair.features != PAIR_FEATURES:
        raise ValueError(
            f"{MODEL_FILE.name} was fitted on other features than the code computes: "
            "run evals/tracking/fit_judge.py"
        )
    return model


@dataclass(frozen=True)
class PairScore:
    """How one candidate item fares against one article."""

    probability: float  # the pair model's: the article speaks about the item
    sentence: int  # the evidence: the best sentence
    sentence_probability: float
    features: dict[str, float]  # the pair features


def pair_rows(
    sentence_odds: np.ndarray, named_article: Sequence[bool], entities_article: np.ndarray
) -> tuple[np.ndarray, list[int]]:
    """The pair features of every candidate (rows of ``PAIR_FEATURES``) from the sentence
    log-odds (candidates × sentences), and each candidate's best sentence."""
    count, sentences = sentence_odds.shape
    if not sentences:
        return np.zeros((count, len(PAIR_FEATURES))), [0] * count
    best_sentence = sentence_odds.argmax(axis=1)
    rows = np.column_stack(
        [
            sentence_odds.max(axis=1),
            np.log1p((sentence_odds >= 0.0).sum(axis=1)),
            np.array([1.0 if named else 0.0 for named in named_article]),
            np.asarray(entities_article, dtype=float),
        ]
    )
    return rows, [int(s) for s in best_sentence]


def sentence_odds(sentence: Logistic, sentence_rows: np.ndarray) -> np.ndarray:
    """The sentence model's log-odds of every (candidate, sentence) pair (candidates ×
    sentences) from their signals (candidates × sentences × ``FEATURES``)."""
    count, sentences, _ = sentence_rows.shape
    flat = sentence_rows.reshape(count * sentences, len(FEATURES))
    return sentence.log_odds(flat).reshape(count, sentences)


def article_pairs(
    sentence: Logistic, sentence_rows: np.ndarray, named_article: Sequence[bool]
) -> tuple[np.ndarray, list[int], np.ndarray]:
    """From the signals of one article's (candidate, sentence) pairs (candidates × sentences ×
    ``FEATURES``): the pair features (rows of ``PAIR_FEATURES``), each candidate's best
    sentence, and the sentence log-odds (candidates × sentences). The judge and the script that
    fits the pair model both call this, so what is fitted is what runs."""
    count, sentences, _ = sentence_rows.shape
    if not count or not sentences:
        return np.zeros((count, len(PAIR_FEATURES))), [0] * count, np.zeros((count, sentences))
    odds = sentence_odds(sentence, sentence_rows)
    entities = sentence_rows[:, 0, FEATURES.index("entities_article")]
    rows, best = pair_rows(odds, named_article, entities)
    return rows, best, odds


def score_pairs(
    model: RelatednessModel, sentence_rows: np.ndarray, named_article: Sequence[bool]
) -> tuple[list[PairScore], np.ndarray]:
    """``sentence_rows``: candidates × sentences × ``FEATURES``; also the sentence log-odds
    (candidates × sentences) the scores came from."""
    rows, best, odds = article_pairs(model.sentence, sentence_rows, named_article)
    probabilities = model.pair.probabilities(rows) if len(rows) else np.zeros(0)
    return [
        PairScore(
            probability=float(probabilities[i]),
            sentence=best[i],
            sentence_probability=float(1.0 / (1.0 + np.exp(-odds[i, best[i]])))
            if odds.shape[1]
            else 0.0,
            features=dict(zip(PAIR_FEATURES, (float(v) for v in rows[i]), strict=True)),
        )
        for i in range(len(rows))
    ], odds
