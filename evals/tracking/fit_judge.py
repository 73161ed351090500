"""Fit the offline tracking judge's relatedness weights on the training cases of this suite.

    python evals/tracking/fit_judge.py            # fit on split == "train", write the model
    python evals/tracking/fit_judge.py --check    # fit, report, do not write

For every training case, each sentence of the later article is one example: its signals
(:mod:`claimtrack.tracking.signals`) against the case's earlier item, labelled 1 when the
sentence holds the gold evidence and 0 otherwise (every sentence of an ``unrelated`` case is 0).
A logistic regression (scikit-learn, only here: the package reads the JSON) gives the weights.

The thresholds are chosen from the case level, where the judge decides: a case's score is its best
sentence's probability, cross-validated (five folds by item, each fold's cases scored by a model
fitted on the other four), and

- ``link`` is the lowest threshold whose precision at finding related cases is at least
  ``--precision`` (0.75) on the training cases;
- ``decide`` is the threshold above which the relation is decided by cues and factuality rather
  than left to the reviewer as ``mentions`` — the one, at or above ``link``, that maximises the
  training cases' relation-family accuracy.

Dev cases (``split == "dev"``) are never read here. Report them with
``claimtrack eval run evals/tracking --backend rules``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from claimtrack.extraction.rules import split_sentences  # noqa: E402
from claimtrack.tracking import meaning  # noqa: E402
from claimtrack.tracking.relatedness import MODEL_FILE, RelatednessModel  # noqa: E402
from claimtrack.tracking.retrieval import terms  # noqa: E402
from claimtrack.tracking.signals import (  # noqa: E402
    FEATURES,
    ItemProfile,
    ItemView,
    SentenceProfile,
    named_in,
    pair_features,
)

VERSION = "1"


def load(suite: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    cases = [json.loads(line) for line in (suite / "cases.jsonl").open() if line.strip()]
    articles = {
        record["id"]: record
        for record in (json.loads(line) for line in (suite / "articles.jsonl").open())
    }
    return cases, articles


def idf_of(articles: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Document frequencies over the suite's sentences (a stand-in for the item index's)."""
    counts: dict[str, int] = {}
    total = 0
    for record in articles.values():
        for start, end in split_sentences(record["text"]):
            total += 1
            for word in set(terms(record["text"][start:end])):
                counts[word] = counts.get(word, 0) + 1
    return {word: float(np.log(1 + (total - n + 0.5) / (n + 0.5))) for word, n in counts.items()}


def case_examples(
    case: dict[str, Any], articles: dict[str, dict[str, Any]], idf: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """One row of features per sentence of the later article, and its 0/1 label."""
    earlier = case["earlier"]
    view = ItemView(
        id=case["id"],
        kind=earlier["kind"],
        quote=earlier["quote"],
        text=earlier.get("text") or earlier["quote"],
        speaker=earlier.get("speaker"),
        actors=tuple(earlier.get("actors") or ()),
        action=None,
        condition=earlier.get("condition"),
        status="awaiting_trigger" if earlier.get("condition") else "pending",
    )
    profile = ItemProfile.of(view)
    text = articles[case["later"]["article_id"]]["text"]
    spans = split_sentences(text)
    sentences = [text[start:end] for start, end in spans]
    item_vectors = meaning.embed([view.quote, view.standalone])
    sentence_vectors = meaning.embed(sentences)
    similarity = (sentence_vectors @ item_vectors.T).max(axis=1)
    named_article = named_in(profile, text)
    evidence = case["expected"].get("evidence")
    where = text.find(evidence) if evidence else -1
    rows, labels = [], []
    for (start, end), sentence, cosine in zip(spans, sentences, similarity, strict=True):
        features = pair_features(
            profile,
            SentenceProfile.of(sentence),
            float(cosine),
            named_article=named_article,
            idf=idf,
        )
        rows.append([features[name] for name in FEATURES])
        inside = where >= 0 and start < where + len(evidence) and where < end
        labels.append(1 if inside else 0)
    return np.array(rows, dtype=float), np.array(labels, dtype=int)


def item_fold(case: dict[str, Any], folds: int) -> int:
    key = f"{case['earlier']['article_id']}\n{case['earlier']['quote']}".encode()
    return int(hashlib.sha256(key).hexdigest(), 16) % folds


def fit(rows: np.ndarray, labels: np.ndarray) -> RelatednessModel:
    from sklearn.linear_model import LogisticRegression

    means = rows.mean(axis=0)
    scales = rows.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    model.fit((rows - means) / scales, labels)
    return RelatednessModel(
        version=VERSION,
        features=FEATURES,
        weights=tuple(float(w) for w in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales),
        link=0.5,
        decide=0.5,
    )


def case_scores(
    model: RelatednessModel, examples: Sequence[tuple[np.ndarray, np.ndarray]]
) -> list[float]:
    scores = []
    for rows, _ in examples:
        best = max(
            (model.probability(dict(zip(FEATURES, row, strict=True))) for row in rows),
            default=0.0,
        )
        scores.append(best)
    return scores


def choose_link(scores: list[float], related: list[bool], precision: float) -> float:
    """The lowest threshold whose precision on related cases reaches ``precision``."""
    best = 1.0
    for threshold in sorted(set(scores), reverse=True):
        chosen = [r for s, r in zip(scores, related, strict=True) if s >= threshold]
        if chosen and sum(chosen) / len(chosen) >= precision:
            best = threshold
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=HERE)
    parser.add_argument("--precision", type=float, default=0.75)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="report only, do not write")
    args = parser.parse_args(argv)

    cases, articles = load(args.suite)
    train = [case for case in cases if case.get("split") == "train"]
    if not train:
        parser.error(f"{args.suite / 'cases.jsonl'}: no case has split == 'train'")
    idf = idf_of(articles)
    examples = [case_examples(case, articles, idf) for case in train]
    related = [case["expected"]["relation"] != "unrelated" for case in train]

    out_of_fold = [0.0] * len(train)
    for fold in range(args.folds):
        inside = [i for i, case in enumerate(train) if item_fold(case, args.folds) != fold]
        outside = [i for i, case in enumerate(train) if item_fold(case, args.folds) == fold]
        if not outside:
            continue
        model = fit(
            np.vstack([examples[i][0] for i in inside]),
            np.concatenate([examples[i][1] for i in inside]),
        )
        for i, score in zip(
            outside, case_scores(model, [examples[i] for i in outside]), strict=True
        ):
            out_of_fold[i] = score

    link = choose_link(out_of_fold, related, args.precision)
    found = [r for s, r in zip(out_of_fold, related, strict=True) if s >= link]
    precision = sum(found) / max(len(found), 1)
    recall = sum(found) / max(sum(related), 1)
    print(
        f"train cases {len(train)} ({sum(related)} related); cross-validated at link {link:.3f}: "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    final = fit(np.vstack([rows for rows, _ in examples]), np.concatenate([y for _, y in examples]))
    final = RelatednessModel(**{**final.__dict__, "link": link, "decide": link})
    for name, weight in zip(FEATURES, final.weights, strict=True):
        print(f"  {name:14s} {weight:+.3f}")
    if not args.check:
        MODEL_FILE.write_text(json.dumps(final.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
