"""How well sentence vectors tell whether a later article speaks about an earlier item, on the
tracking gold (``evals/tracking``: the MEANTIME gm and stock stories; apple is held out).

For each case the item is embedded twice (its quote, and its standalone text without dates such
as "in January 2006" or "(reported on ...)"), and so is every sentence of the later article
(``split_sentences``). A sentence's score is its best cosine with either; the case's score is its
best sentence's. Compared with the lexical coverage the rules judge uses today
(``tracking.rules.coverage``: the idf-weighted share of the item's words found in the sentence,
idf from a BM25 index of every sentence of the suite's articles, as the tracking index would
have over items), the report gives:

- **AUC**: the ROC AUC of the case score, related cases (any relation) against ``unrelated``;
- **evidence rank**: where the sentence holding the gold evidence ranks among the later
  article's sentences (ties count against it), how often it is first or in the top 3, and the
  mean reciprocal rank;
- **retrieval floor**: with the item embedded as retrieval stores it (its text and quote as one
  text), the share of evidence sentences at least ``LocalEmbedder.floor`` near it, and the share
  of the other sentences below it.

Run it with the interpreter claimtrack is installed in::

    python evals/tracking/meaning_report.py            # a table
    python evals/tracking/meaning_report.py --json     # the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claimtrack.extraction.rules import split_sentences
from claimtrack.tracking.retrieval import IndexedItem, ItemIndex, Order, terms
from claimtrack.tracking.rules import _DATES, coverage

SUITE = Path(__file__).resolve().parent
Scorer = Callable[[Sequence[str], Sequence[str]], np.ndarray]  # (item texts, sentences) -> scores


@dataclass
class Case:
    id: str
    related: bool
    item_texts: list[str]  # quote, and the standalone text without its dates
    sentences: list[str]
    gold: set[int]  # the sentences holding the evidence


def read_suite(folder: Path = SUITE) -> list[Case]:
    articles = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            articles[record["id"]] = record["text"]
    cases = []
    for line in (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        text = articles[case["later"]["article_id"]]
        spans = split_sentences(text)
        evidence = case["expected"].get("evidence") or ""
        start = text.find(evidence) if evidence else -1
        gold = (
            {n for n, (s, e) in enumerate(spans) if s < start + len(evidence) and e > start}
            if start >= 0
            else set()
        )
        earlier = case["earlier"]
        cases.append(
            Case(
                case["id"],
                case["expected"]["relation"] != "unrelated",
                [earlier["quote"], _DATES.sub(" ", earlier["text"] or "")],
                [text[s:e] for s, e in spans],
                gold,
            )
        )
    return cases


def sentence_idf(cases: Sequence[Case]) -> dict[str, float]:
    """The BM25 index's idf, with every distinct sentence of the suite as a document."""
    sentences = sorted({sentence for case in cases for sentence in case.sentences})
    index = ItemIndex(
        IndexedItem(str(n), "claim", "a", Order(None, 0), sentence)
        for n, sentence in enumerate(sentences)
    )
    return index.idf


def lexical_scorer(idf: dict[str, float]) -> Scorer:
    def score(item_texts: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
        wanted = [terms(text) for text in item_texts]
        return np.array(
            [
                max(coverage(words, set(terms(sentence)), idf) for words in wanted)
                for sentence in sentences
            ]
        )

    return score


def vector_scorer(embed: Callable[[Sequence[str]], np.ndarray]) -> Scorer:
    def score(item_texts: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
        vectors = embed([*item_texts, *sentences])
        items, found = vectors[: len(item_texts)], vectors[len(item_texts) :]
        return np.asarray((found @ items.T).max(axis=1))

    return score


def roc_auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """The chance that a related case scores above an unrelated one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return float(wins / (len(positive) * len(negative)))


def evaluate(cases: Sequence[Case], score: Scorer) -> dict[str, Any]:
    positive, negative, ranks = [], [], []
    for case in cases:
        scores = score(case.item_texts, case.sentences)
        best = float(scores.max()) if len(scores) else 0.0
        (positive if case.related else negative).append(best)
        if case.gold:
            gold = max(scores[n] for n in case.gold)
            ranks.append(
                1 + sum(1 for n, s in enumerate(scores) if n not in case.gold and s >= gold)
            )
    return {
        "auc": round(roc_auc(positive, negative), 3),
        "related": len(positive),
        "unrelated": len(negative),
        "with_evidence": len(ranks),
        "evidence_top1": round(sum(r == 1 for r in ranks) / len(ranks), 3),
        "evidence_top3": round(sum(r <= 3 for r in ranks) / len(ranks), 3),
        "evidence_mrr": round(sum(1 / r for r in ranks) / len(ranks), 3),
        "evidence_median_rank": float(np.median(ranks)),
        "sentences_median": float(np.median([len(c.sentences) for c in cases])),
    }


def floor_shares(cases: Sequence[Case], floor: float) -> dict[str, float]:
    from claimtrack.tracking.meaning import embed

    evidence, other = [], []
    for case in cases:
        quote, text = case.item_texts
        vectors = embed([f"{text} {quote}", *case.sentences])
        for n, similarity in enumerate(vectors[1:] @ vectors[0]):
            (evidence if n in case.gold else other).append(similarity >= floor)
    return {
        "floor": floor,
        "evidence_at_or_above": round(sum(evidence) / len(evidence), 3),
        "other_below": round(1 - sum(other) / len(other), 3),
    }


def report(embed: Callable[[Sequence[str]], np.ndarray] | None = None) -> dict[str, Any]:
    if embed is None:
        from claimtrack.tracking.meaning import MODEL_ID, embed

        name = MODEL_ID
    else:
        name = getattr(embed, "__qualname__", "embed")
    from claimtrack.tracking.embeddings import LocalEmbedder

    cases = read_suite()
    return {
        "lexical coverage (rules)": evaluate(cases, lexical_scorer(sentence_idf(cases))),
        name: evaluate(cases, vector_scorer(embed)),
        "retrieval floor": floor_shares(cases, LocalEmbedder.floor),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = report()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for name, row in figures.items():
        print(f"{name}: " + ", ".join(f"{key} {value}" for key, value in row.items()))


if __name__ == "__main__":
    sys.exit(main())
