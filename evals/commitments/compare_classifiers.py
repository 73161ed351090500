"""Experiment: stronger small text classifiers for the specificity decision (issue 18).

    python evals/commitments/compare_classifiers.py            # every variant, a table
    python evals/commitments/compare_classifiers.py --only "T-words+chars+named (SVM, veto)"

Not shipped code: it cross-validates, on the pledges' **train** split only (five folds by text,
as ``fit_specificity.py``), text classifiers for "this sentence is a pledge", and prints each
variant's F1. The test split is never read.

Two shapes of decision are compared:

- ``S-*`` (as shipped): an example is a candidate sentence the rules find in the publication's
  own voice; a text is a pledge when one of its candidates reaches the threshold, or the rules
  find a commitment the decision does not judge.
- ``T-*`` (a candidate-free path): an example is every training text, with the rules' candidate
  features when it has any and a ``no_candidate`` flag when not, so that a manifesto line the
  patterns miss ("Free laptops to students of class 12") may be a pledge too. A ``veto``
  variant lets the classifier decide every text, also one where the rules find a commitment the
  shipped decision never judges (a named actor's, "The Congress will ...", or a reported one).

Features: hashed word uni- and bigrams and character 3-5-grams (``HashingVectorizer``, 2^18
buckets, TF-IDF weighting) and the named features of
:func:`claimtrack.extraction.rules.specificity.features` (rule ids, word classes, target shapes).
Classifiers: logistic regression, linear SVM, SGD, with and without balanced class weights.

The F1 of a variant is the mean over the five folds of each fold's text F1, at the one threshold
(and C) that gives the best F1 over the pooled out-of-fold predictions (as ``fit_specificity.py``
chooses them); ``pooled`` is that pooled F1. Both are chosen after seeing the held-out folds, so
the figures are a little optimistic. The candidates are cached in ``/tmp``. Results and the
decision taken on them: docs/benchmarks.md ("A stronger specificity classifier").
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from fit_specificity import candidates_in  # noqa: E402
from score import DATASETS, pledge_split  # noqa: E402

from claimtrack.evals.pledges import read_sentences  # noqa: E402
from claimtrack.extraction.rules.specificity import features  # noqa: E402

CACHE = Path("/tmp/claimtrack-pledges-train-candidates.pickle")
BUCKETS = 2**18
FOLDS = 5
THRESHOLDS = np.round(np.arange(-3.0, 3.001, 0.05), 3)  # on a decision score or a log-odds


@dataclass(frozen=True)
class TrainText:
    text: str
    pledge: bool
    candidates: tuple[tuple[str, tuple[str, ...]], ...]  # own-voice sentence, its patterns
    decided_elsewhere: bool  # the rules find a commitment the decision does not judge


def train_texts(path: Path) -> list[TrainText]:
    if CACHE.exists():
        cached: list[TrainText] = pickle.loads(CACHE.read_bytes())  # our own file
        return cached
    texts = []
    for sentence in read_sentences(path):
        if pledge_split(sentence.id) != "train":
            continue
        found, ungated = candidates_in(sentence.text)
        candidates = tuple((text, tuple(rules)) for text, rules in found)
        texts.append(TrainText(sentence.text, sentence.pledge, candidates, ungated))
    CACHE.write_bytes(pickle.dumps(texts))
    return texts


# ---------------------------------------------------------------- features

WORDS = HashingVectorizer(
    n_features=BUCKETS, ngram_range=(1, 2), alternate_sign=False, norm=None, lowercase=True
)
CHARS = HashingVectorizer(
    n_features=BUCKETS, analyzer="char_wb", ngram_range=(3, 5), alternate_sign=False, norm=None
)


def named_features(sentence: str, rules: Sequence[str]) -> dict[str, float]:
    return {n: v for n, v in features(sentence, rules).items() if not n.startswith("hashed:")}


def legacy_features(sentence: str, rules: Sequence[str]) -> dict[str, float]:
    return features(sentence, rules)


def named_matrix(rows: Sequence[dict[str, float]]) -> sparse.csr_matrix:
    names = sorted({name for row in rows for name in row})
    column = {name: index for index, name in enumerate(names)}
    data, indices, indptr = [], [], [0]
    for row in rows:
        for name, value in row.items():
            indices.append(column[name])
            data.append(value)
        indptr.append(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(names)))


@dataclass(frozen=True)
class Examples:
    """The rows a classifier sees: their texts, the index of their training text, labels."""

    strings: list[str]
    text_of: np.ndarray
    labels: np.ndarray
    named: sparse.csr_matrix
    legacy: sparse.csr_matrix  # the shipped features: named ones and 8,192 hashed words
    words: sparse.csr_matrix = None  # type: ignore[assignment]
    chars: sparse.csr_matrix = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", WORDS.transform(self.strings))
        object.__setattr__(self, "chars", CHARS.transform(self.strings))


def sentence_examples(texts: Sequence[TrainText]) -> Examples:
    """One row per own-voice candidate sentence (the decision as shipped)."""
    strings, owners, labels, named, legacy = [], [], [], [], []
    for index, text in enumerate(texts):
        for sentence, rules in text.candidates:
            strings.append(sentence)
            owners.append(index)
            labels.append(text.pledge)
            named.append(named_features(sentence, rules))
            legacy.append(legacy_features(sentence, rules))
    return Examples(
        strings, np.array(owners), np.array(labels), named_matrix(named), named_matrix(legacy)
    )


def text_examples(texts: Sequence[TrainText]) -> Examples:
    """One row per training text, candidates or not (the candidate-free path)."""
    named, legacy = [], []
    for text in texts:
        for rows, made in ((named, named_features), (legacy, legacy_features)):
            row: dict[str, float] = {}
            for sentence, rules in text.candidates:
                for name, value in made(sentence, rules).items():
                    row[name] = max(row.get(name, 0.0), value)
            if not text.candidates:
                row = made(text.text, ()) | {"no_candidate": 1.0}
            row["decided_elsewhere"] = float(text.decided_elsewhere)
            rows.append(row)
    strings = [text.text for text in texts]
    labels = np.array([text.pledge for text in texts])
    return Examples(
        strings, np.arange(len(texts)), labels, named_matrix(named), named_matrix(legacy)
    )


# ---------------------------------------------------------------- variants


STRENGTHS = {  # the C (LR, SVM) or alpha (SGD) values tried
    "lr": (0.3, 1.0, 3.0, 10.0),
    "svm": (0.03, 0.1, 0.3, 1.0),
    "sgd": (1e-5, 1e-4, 1e-3),
}


@dataclass(frozen=True)
class Variant:
    name: str
    shape: str  # "S" candidate sentences, "T" every text
    inputs: frozenset[str]  # of "words", "chars", "named", "shipped" (named + 8,192 words)
    classifier: str  # "lr", "svm", "sgd"
    balanced: bool = False
    veto: bool = False  # the classifier decides every text, the rules' other commitments too
    strengths: tuple[float, ...] = ()

    @property
    def tried(self) -> tuple[float, ...]:
        return self.strengths or STRENGTHS[self.classifier]


def _variant(shape: str, inputs: str, classifier: str, **options: object) -> Variant:
    """``_variant("T", "words chars named", "lr", veto=True)``, named as the table shows it."""
    notes = [classifier.upper()] + [name for name, on in options.items() if on is True]
    name = f"{shape}-{inputs.replace(' ', '+')} ({', '.join(notes)})"
    return Variant(name, shape, frozenset(inputs.split()), classifier, **options)  # type: ignore[arg-type]


ALL = "words chars named"
VARIANTS = (
    _variant("S", "shipped", "lr", strengths=(0.03, 0.1, 0.3, 1.0)),
    _variant("S", "words", "lr"),
    _variant("S", "chars", "lr"),
    _variant("S", "words chars", "lr"),
    _variant("S", ALL, "lr"),
    _variant("S", ALL, "lr", balanced=True),
    _variant("S", ALL, "svm"),
    _variant("S", ALL, "sgd"),
    _variant("T", "shipped", "lr", strengths=(0.03, 0.1, 0.3, 1.0)),
    _variant("T", "words", "lr"),
    _variant("T", "words chars", "lr"),
    _variant("T", ALL, "lr"),
    _variant("T", ALL, "lr", balanced=True),
    _variant("T", ALL, "svm"),
    _variant("T", ALL, "svm", balanced=True),
    _variant("T", ALL, "sgd"),
    _variant("T", "shipped", "lr", veto=True, strengths=(0.03, 0.1, 0.3, 1.0)),
    _variant("T", ALL, "lr", veto=True, strengths=(1.0, 10.0, 30.0, 100.0)),
    _variant("T", ALL, "svm", veto=True, strengths=(0.1, 0.3, 1.0)),
)


def classifier(variant: Variant, strength: float) -> Callable[[], object]:
    weight = "balanced" if variant.balanced else None
    if variant.classifier == "lr":
        return lambda: LogisticRegression(C=strength, max_iter=3000, class_weight=weight)
    if variant.classifier == "svm":
        return lambda: LinearSVC(C=strength, class_weight=weight)
    return lambda: SGDClassifier(
        loss="modified_huber", alpha=strength, class_weight=weight, max_iter=50, random_state=0
    )


def fold_matrices(
    variant: Variant, examples: Examples, fitted: np.ndarray, held_out: np.ndarray
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """The fold's training and held-out rows: TF-IDF fitted on the training rows only."""
    parts_fit, parts_held = [], []
    for used, counts in (("words", examples.words), ("chars", examples.chars)):
        if used not in variant.inputs:
            continue
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[fitted])
        parts_fit.append(tfidf.transform(counts[fitted]))
        parts_held.append(tfidf.transform(counts[held_out]))
    for used, named in (("named", examples.named), ("shipped", examples.legacy)):
        if used in variant.inputs:
            parts_fit.append(named[fitted])
            parts_held.append(named[held_out])
    return sparse.hstack(parts_fit).tocsr(), sparse.hstack(parts_held).tocsr()


def out_of_fold(variant: Variant, examples: Examples, strength: float) -> np.ndarray:
    """Each row's decision score from a model fitted on the folds without its text (a text's
    fold is its index modulo five, the same texts in every variant)."""
    scores = np.zeros(len(examples.strings))
    make = classifier(variant, strength)
    for fold in range(FOLDS):
        fitted = np.flatnonzero(examples.text_of % FOLDS != fold)
        held_out = np.flatnonzero(examples.text_of % FOLDS == fold)
        train, held = fold_matrices(variant, examples, fitted, held_out)
        model = make()
        model.fit(train, examples.labels[fitted])  # type: ignore[attr-defined]
        scores[held_out] = model.decision_function(held)  # type: ignore[attr-defined]
    return scores


def text_predictions(
    scores: np.ndarray,
    examples: Examples,
    texts: Sequence[TrainText],
    threshold: float,
    veto: bool = False,
) -> np.ndarray:
    predicted = np.array([text.decided_elsewhere and not veto for text in texts])
    np.logical_or.at(predicted, examples.text_of, scores >= threshold)
    return predicted


def f1(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    right = int((predicted & gold).sum())
    precision = right / predicted.sum() if predicted.any() else 0.0
    recall = right / gold.sum() if gold.any() else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall or 1.0)


@dataclass(frozen=True)
class Result:
    variant: str
    strength: float
    threshold: float
    pooled: tuple[float, float, float]
    fold_mean: float
    fold_spread: float
    seconds: float


def evaluate(variant: Variant, texts: Sequence[TrainText], examples: Examples) -> Result:
    started = time.process_time()
    gold = np.array([text.pledge for text in texts])
    best: tuple[float, float, float, np.ndarray] | None = None
    for strength in variant.tried:
        scores = out_of_fold(variant, examples, strength)
        for threshold in THRESHOLDS:
            predicted = text_predictions(scores, examples, texts, float(threshold), variant.veto)
            pooled = f1(predicted, gold)[2]
            if best is None or pooled > best[0]:
                best = (pooled, strength, float(threshold), predicted)
    assert best is not None
    _, strength, threshold, predicted = best
    folds = np.arange(len(texts)) % FOLDS
    per_fold = [f1(predicted[folds == fold], gold[folds == fold])[2] for fold in range(FOLDS)]
    return Result(
        variant.name,
        strength,
        threshold,
        f1(predicted, gold),
        float(np.mean(per_fold)),
        float(np.std(per_fold)),
        time.process_time() - started,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=Path, default=DATASETS / "pledges/sentences.tsv")
    parser.add_argument("--only", action="append", help="run the variants named so")
    args = parser.parse_args(argv)
    texts = train_texts(args.pledges)
    without = sum(1 for t in texts if t.pledge and not t.candidates and not t.decided_elsewhere)
    print(f"train texts {len(texts)}, pledges {sum(t.pledge for t in texts)}, "
          f"pledges without any candidate {without}")  # fmt: skip
    print("| variant | C / alpha | threshold | pooled P R F1 | F1 mean of 5 folds (sd) | CPU s |")
    print("|---|---|---|---|---|---|")
    shapes = {"S": sentence_examples(texts), "T": text_examples(texts)}
    for variant in VARIANTS:
        if args.only and variant.name not in args.only:
            continue
        result = evaluate(variant, texts, shapes[variant.shape])
        p, r, pooled = result.pooled
        print(f"| {result.variant} | {result.strength:g} | {result.threshold:.2f} | "
              f"{p:.3f} {r:.3f} {pooled:.3f} | **{result.fold_mean:.3f}** "
              f"({result.fold_spread:.3f}) | {result.seconds:.0f} |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
