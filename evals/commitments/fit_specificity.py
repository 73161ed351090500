"""Fit the specificity decision of the rules backend on the pledges' training split.

    python evals/commitments/fit_specificity.py            # fit on train, write the model
    python evals/commitments/fit_specificity.py --check    # fit and report, do not write

The examples are the candidate sentences the rules find in the training split of the pledge
corpus (``../shared/datasets/pledges/sentences.tsv``, read by path; the split is score.py's hash
of the sentence id): every sentence of a training text that no one is reported to have said and in
which a commitment pattern found something, with the patterns that did (the decision itself is
switched off while they are collected). Each is labelled with its text's label (a pledge or not).
A logistic regression (scikit-learn, only here: the package reads the JSON) over
:func:`claimtrack.extraction.rules.specificity.features` gives the weights.

The regularisation and the threshold are chosen by five-fold cross-validation over the training
texts (a text's sentences stay in one fold): a text is predicted a pledge when one of its
candidate sentences reaches the threshold, as score.py reads the extractor; the pair with the best
F1 over the folds' predictions wins. The test split is never read here; report it once with
``python evals/commitments/score.py --test``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from score import DATASETS, pledge_split  # noqa: E402

from claimtrack.evals.pledges import read_sentences  # noqa: E402
from claimtrack.extraction.rules import commitments, extract_with_rules  # noqa: E402
from claimtrack.extraction.rules.specificity import (  # noqa: E402
    BUCKETS,
    MODEL_FILE,
    SpecificityModel,
    features,
)

VERSION = "specificity-v1"
REGULARISATION = (0.03, 0.1, 0.3, 1.0)  # scikit-learn's C: the inverse strength of the L2 penalty
THRESHOLDS = np.round(np.arange(0.15, 0.701, 0.025), 3)


@dataclass(frozen=True)
class Example:
    text: int  # which training text it comes from
    features: dict[str, float]
    pledge: bool


@contextmanager
def decided_as(keep: bool, found: list[tuple[str, list[str]]]) -> Iterator[None]:
    """Replace the decision by ``keep``: each candidate sentence and its patterns go into
    ``found``."""

    def record(sentence: str, rules: Iterable[str]) -> bool:
        found.append((sentence, list(rules)))
        return keep

    decide = commitments.is_specific
    commitments.is_specific = record
    try:
        yield
    finally:
        commitments.is_specific = decide


@dataclass(frozen=True)
class Text:
    pledge: bool
    decided_elsewhere: bool  # the rules find a commitment the decision does not judge


def candidates_in(text: str) -> tuple[list[tuple[str, list[str]]], bool]:
    """The sentences of ``text`` the decision would judge, each with its patterns, and whether
    the rules find a commitment in it that the decision does not judge."""
    found: list[tuple[str, list[str]]] = []
    with decided_as(True, found):
        extract_with_rules(text)
    with decided_as(False, []):
        ungated = any(item.kind == "commitment" for item in extract_with_rules(text))
    return found, ungated


def training_examples(path: Path) -> tuple[list[Example], list[Text]]:
    """The candidate sentences of the training texts, and every training text."""
    examples: list[Example] = []
    texts: list[Text] = []
    for sentence in read_sentences(path):
        if pledge_split(sentence.id) != "train":
            continue
        found, ungated = candidates_in(sentence.text)
        for text, rules in found:
            examples.append(Example(len(texts), features(text, rules), sentence.pledge))
        texts.append(Text(sentence.pledge, ungated))
    return examples, texts


def design(examples: Sequence[Example], named: Sequence[str]) -> sparse.csr_matrix:
    """One row per example: the buckets first, then the named features in ``named``'s order."""
    column = {name: BUCKETS + index for index, name in enumerate(named)}
    rows, columns, values = [], [], []
    for row, example in enumerate(examples):
        for name, value in example.features.items():
            where = int(name[7:]) if name.startswith("hashed:") else column.get(name)
            if where is not None:
                rows.append(row)
                columns.append(where)
                values.append(value)
    shape = (len(examples), BUCKETS + len(named))
    return sparse.csr_matrix((values, (rows, columns)), shape=shape)


def text_f1(probabilities: np.ndarray, examples: Sequence[Example], texts: Sequence[Text],
            threshold: float) -> tuple[float, float, float]:  # fmt: skip
    """Precision, recall and F1 over texts: a text is a pledge when one of its candidates
    reaches ``threshold`` or the rules find one the decision does not judge."""
    predicted = np.array([text.decided_elsewhere for text in texts])
    for probability, example in zip(probabilities, examples, strict=True):
        predicted[example.text] |= probability >= threshold
    gold = np.array([text.pledge for text in texts])
    right = int((predicted & gold).sum())
    precision = right / predicted.sum() if predicted.any() else 0.0
    recall = right / gold.sum() if gold.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cross_validated(matrix: sparse.csr_matrix, examples: Sequence[Example], c: float) -> np.ndarray:
    """Each example's probability from a model fitted on the folds without its text."""
    target = np.array([example.pledge for example in examples])
    groups = np.array([example.text for example in examples])
    probabilities = np.zeros(len(examples))
    for fitted, held_out in GroupKFold(n_splits=5).split(matrix, target, groups):
        model = LogisticRegression(C=c, max_iter=5000).fit(matrix[fitted], target[fitted])
        probabilities[held_out] = model.predict_proba(matrix[held_out])[:, 1]
    return probabilities


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=Path, default=DATASETS / "pledges/sentences.tsv")
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args(argv)
    examples, texts = training_examples(args.pledges)
    named = sorted(
        {name for e in examples for name in e.features if not name.startswith("hashed:")}
    )
    matrix = design(examples, named)
    pledges = sum(text.pledge for text in texts)
    print(f"training texts {len(texts)} (pledges {pledges}), candidate sentences "
          f"{len(examples)}, named features {len(named)}, buckets {BUCKETS}")  # fmt: skip
    best = (-1.0, 0.0, 0.0)
    for c in REGULARISATION:
        probabilities = cross_validated(matrix, examples, c)
        for threshold in THRESHOLDS:
            scores = text_f1(probabilities, examples, texts, float(threshold))
            if scores[2] > best[0]:
                best = (scores[2], c, float(threshold))
                print(f"  C {c}: threshold {threshold:.3f}  cross-validated P {scores[0]:.3f} "
                      f"R {scores[1]:.3f} F1 {scores[2]:.3f}")  # fmt: skip
    f1, c, threshold = best
    print(f"chosen: C {c}, threshold {threshold:.3f} (cross-validated F1 {f1:.3f} on train)")
    target = np.array([example.pledge for example in examples])
    fitted = LogisticRegression(C=c, max_iter=5000).fit(matrix, target)
    weights = [round(float(weight), 5) for weight in fitted.coef_[0]]
    model = SpecificityModel(
        version=VERSION,
        named=dict(zip(named, weights[BUCKETS:], strict=True)),
        hashed=tuple(weights[:BUCKETS]),
        intercept=round(float(fitted.intercept_[0]), 5),
        threshold=threshold,
    )
    if not args.check:
        MODEL_FILE.write_text(json.dumps(model.to_json(), indent=0) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
