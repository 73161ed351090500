"""Fit the offline tracking judge's relatedness weights on the training cases of this suite.

    python evals/tracking/fit_judge.py            # fit on split == "train", write the model
    python evals/tracking/fit_judge.py --check    # fit, report, do not write

The judge meets an article's candidates as retrieval gives them: a few items the article bears
on among many it does not. The examples are built the same way. For every later article of a
training case, the candidates are every earlier item of its story: the training cases' gold items
and, as the many others a real store holds, what the rules extractor finds in the earlier
articles (an extracted item over the same words as a gold item is left out: it is that item).
Each (item, sentence of the later article) pair is one example, labelled 1 when a training case
says the article bears on the item and the sentence holds its evidence, and 0 otherwise — also
for the pairs no case annotates, which are assumed unrelated (a few are not: the figures below
are pessimistic). A logistic regression (scikit-learn, only here: the package reads the JSON)
gives the weights. The reader's judgments of such pairs (``candidates.jsonl``, train rows: what a
run proposed that no case annotates, read as related or not) are counted in the report below,
never fitted on: they were read from one model's best candidates.

The thresholds come from the pair level, where the judge decides — an (item, article) pair's
score is its best sentence's probability, cross-validated (folds by later article: each article's
pairs scored by a model fitted on the other articles):

- ``link`` is the lowest threshold whose precision at finding the related pairs is at least
  ``--precision`` (0.5, pessimistic as said) among all candidate pairs of the training articles;
- ``decide`` is ``link``: every link gets a relation from cues and factuality, and ``mentions``
  only when no relation's conditions hold.

Dev cases (``split == "dev"``) and their items are never read here (the apple story is all dev);
report them with ``claimtrack eval run evals/tracking --backend rules``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from claimtrack.extraction.rules import split_sentences  # noqa: E402
from claimtrack.extraction.rules.extract import extract_with_rules  # noqa: E402
from claimtrack.tracking.relatedness import (  # noqa: E402
    MODEL_FILE,
    PAIR_FEATURES,
    Logistic,
    RelatednessModel,
    article_pairs,
)
from claimtrack.tracking.retrieval import terms  # noqa: E402
from claimtrack.tracking.signals import (  # noqa: E402
    FEATURES,
    ItemProfile,
    ItemView,
    SentenceProfile,
    article_features,
    evidence_spans,
    similarity,
)

VERSION = "1"
READINGS_FILE = "candidates.jsonl"


def load(suite: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    cases = [json.loads(line) for line in (suite / "cases.jsonl").open() if line.strip()]
    articles = {
        record["id"]: record
        for record in (json.loads(line) for line in (suite / "articles.jsonl").open())
    }
    return cases, articles


def load_readings(suite: Path, split: str = "train") -> list[dict[str, Any]]:
    """The reader's judgments of extracted candidates (``candidates.jsonl``) of ``split``: the
    pairs an end-to-end run proposed that no case annotates, each read as ``related`` (a reader
    would accept that the later article speaks about the item, ``evidence`` saying so) or
    ``unrelated``."""
    path = suite / READINGS_FILE
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [row for row in rows if row.get("split") == split]


def read_pairs(
    readings: Sequence[dict[str, Any]], articles: dict[str, dict[str, Any]]
) -> dict[tuple[str, str], list[tuple[tuple[int, int], str | None]]]:
    """(later article, earlier article) -> the spans of the items a reader judged against the
    later article, with the evidence sentence (None: unrelated)."""
    found: dict[tuple[str, str], list[tuple[tuple[int, int], str | None]]] = {}
    for row in readings:
        said = row["evidence"] if row["reader"] == "related" else None
        start = articles[row["earlier"]]["text"].index(row["quote"])
        span = (start, start + len(row["quote"]))
        found.setdefault((row["later"], row["earlier"]), []).append((span, said))
    return found


@dataclass
class Candidate:
    """An earlier item as the judge sees it, with the article it came from."""

    article_id: str
    view: ItemView
    span: tuple[int, int]


def gold_item(case: dict[str, Any], text: str) -> Candidate:
    earlier = case["earlier"]
    start = text.index(earlier["quote"])
    view = ItemView(
        id=f"{earlier['article_id']}:{start}",
        kind=earlier["kind"],
        quote=earlier["quote"],
        text=earlier.get("text") or earlier["quote"],
        speaker=earlier.get("speaker"),
        actors=tuple(earlier.get("actors") or ()),
        action=None,
        condition=earlier.get("condition"),
        status="awaiting_trigger" if earlier.get("condition") else "pending",
    )
    return Candidate(earlier["article_id"], view, (start, start + len(earlier["quote"])))


def extracted_items(article_id: str, record: dict[str, Any]) -> list[Candidate]:
    found = []
    for item in extract_with_rules(record["text"]):
        view = ItemView(
            id=f"{article_id}:{item.span.start}:{item.kind}",
            kind=item.kind,
            quote=item.quote,
            text=item.text,
            speaker=item.speaker_canonical or item.speaker,
            actors=tuple(item.actors),
            action=item.action,
            condition=item.condition,
            status=item.initial_status,
        )
        found.append(Candidate(article_id, view, (item.span.start, item.span.end)))
    return found


def idf_of(candidates: Sequence[Candidate]) -> dict[str, float]:
    """Inverse document frequencies over the items, as the item index computes them."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        for word in set(terms(f"{candidate.view.text} {candidate.view.quote}")):
            counts[word] = counts.get(word, 0) + 1
    total = len(candidates)
    return {word: float(np.log(1 + (total - n + 0.5) / (n + 0.5))) for word, n in counts.items()}


@dataclass
class ArticleBlock:
    """One later article against all its candidates."""

    article_id: str
    rows: np.ndarray  # candidates × sentences × FEATURES
    labels: np.ndarray  # candidates × sentences: 1 where the sentence holds the gold evidence
    related: np.ndarray  # candidates: a training case says the article bears on it
    accepted: np.ndarray  # candidates: a case, or the reader's judgment, says so (reports only)
    named_article: list[bool]
    annotated: list[int]  # candidates a training case pairs with this article (either way)


def article_block(
    article_id: str,
    text: str,
    candidates: Sequence[Candidate],
    evidence: dict[str, str | None],
    idf: dict[str, float],
    read: dict[str, str | None] | None = None,
) -> ArticleBlock:
    """Every candidate against the article ``text``. ``evidence`` maps the ids of the items a
    training case relates to this article to the gold evidence (None for ``unrelated``);
    ``read``, the reader's judgments of other candidates the same way: they are counted in the
    reports (``accepted``), never fitted on (they were read from one model's top candidates)."""
    spans = evidence_spans(text, split_sentences(text))
    sentences = [SentenceProfile.of(text[start:end]) for start, end in spans]
    views = [candidate.view for candidate in candidates]
    cosines = similarity(views, [sentence.text for sentence in sentences])
    rows, named_article = article_features(
        [ItemProfile.of(view) for view in views], sentences, cosines, article_text=text, idf=idf
    )
    labels = np.zeros(rows.shape[:2], dtype=int)
    related = np.zeros(len(candidates), dtype=bool)
    annotated = [i for i, view in enumerate(views) if view.id in evidence]
    accepted = np.array([bool((read or {}).get(view.id)) for view in views], dtype=bool)
    for i, view in enumerate(views):
        gold = evidence.get(view.id)
        where = text.find(gold) if gold else -1
        if where < 0:
            continue
        related[i] = True
        for j, (start, end) in enumerate(spans):
            labels[i, j] = int(start < where + len(gold or "") and where < end)
    return ArticleBlock(
        article_id, rows, labels, related, related | accepted, named_article, annotated
    )


def training_blocks(
    cases: list[dict[str, Any]],
    articles: dict[str, dict[str, Any]],
    readings: Sequence[dict[str, Any]] = (),
) -> list[ArticleBlock]:
    train = [case for case in cases if case.get("split") == "train"]
    read = read_pairs(readings, articles)
    gold_spans: dict[str, list[tuple[int, int]]] = {}
    for case in cases:  # any gold item: an extracted item over its words is that item
        text = articles[case["earlier"]["article_id"]]["text"]
        gold_spans.setdefault(case["earlier"]["article_id"], []).append(gold_item(case, text).span)
    blocks = []
    for story in sorted({case["story"] for case in train}):
        in_story = sorted(
            (record for record in articles.values() if record.get("story") == story),
            key=lambda record: (record["published"], record["id"]),
        )
        golds = {}
        for case in train:
            if case["story"] == story:
                item = gold_item(case, articles[case["earlier"]["article_id"]]["text"])
                golds[item.view.id] = item
        extracted = []
        for record in in_story:
            for item in extracted_items(record["id"], record):
                taken = gold_spans.get(record["id"], [])
                if not any(item.span[0] < end and start < item.span[1] for start, end in taken):
                    extracted.append(item)
        idf = idf_of([*golds.values(), *extracted])
        later_ids = sorted({c["later"]["article_id"] for c in train if c["story"] == story})
        for later in later_ids:
            published = articles[later]["published"]
            earlier = [
                c for c in [*golds.values(), *extracted]
                if articles[c.article_id]["published"] < published
            ]  # fmt: skip
            evidence: dict[str, str | None] = {}
            for case in train:
                if case["later"]["article_id"] == later:
                    item = gold_item(case, articles[case["earlier"]["article_id"]]["text"])
                    evidence[item.view.id] = case["expected"].get("evidence")
            judged: dict[str, str | None] = {}
            for candidate in extracted:
                for span, said in read.get((later, candidate.article_id), []):
                    if candidate.span[0] < span[1] and span[0] < candidate.span[1]:
                        judged.setdefault(candidate.view.id, said)
            text = articles[later]["text"]
            blocks.append(article_block(later, text, earlier, evidence, idf, judged))
    return blocks


def fit_logistic(rows: np.ndarray, labels: np.ndarray, names: Sequence[str]) -> Logistic:
    from sklearn.linear_model import LogisticRegression

    means = rows.mean(axis=0)
    scales = rows.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    model.fit((rows - means) / scales, labels)
    return Logistic(
        features=tuple(names),
        weights=tuple(float(w) for w in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales),
    )


def fit_sentence(blocks: Sequence[ArticleBlock]) -> Logistic:
    rows = np.vstack([b.rows.reshape(-1, len(FEATURES)) for b in blocks])
    labels = np.concatenate([b.labels.reshape(-1) for b in blocks])
    return fit_logistic(rows, labels, FEATURES)


def fold_of(article_id: str, folds: int) -> int:
    return int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % folds


def out_of_fold_pairs(blocks: Sequence[ArticleBlock], folds: int) -> list[np.ndarray]:
    """Each article's pair features, from a sentence model fitted without that article's fold."""
    found: list[np.ndarray] = [np.zeros(0)] * len(blocks)
    for fold in range(folds):
        inside = [b for b in blocks if fold_of(b.article_id, folds) != fold]
        model = fit_sentence(inside)
        for i, block in enumerate(blocks):
            if fold_of(block.article_id, folds) == fold:
                rows, _, _ = article_pairs(model, block.rows, block.named_article)
                found[i] = rows
    return found


def choose_link(scores: Sequence[float], related: Sequence[bool], precision: float) -> float:
    """The lowest threshold at which the pairs scored at or above it are related with at least
    ``precision``."""
    best = 1.0
    found = 0
    ranked = sorted(zip(scores, related, strict=True), reverse=True)
    for count, (score, is_related) in enumerate(ranked, start=1):
        found += is_related
        if found / count >= precision:
            best = score
    return best


def capped(
    scores: Sequence[np.ndarray], related: Sequence[np.ndarray], link: float, per_article: int
) -> tuple[int, int]:
    """(links, annotated-related links) when each article keeps its best ``per_article`` pairs
    at or above ``link``."""
    links = found = 0
    for block_scores, block_related in zip(scores, related, strict=True):
        order = np.argsort(-block_scores)[:per_article]
        chosen = [int(i) for i in order if block_scores[i] >= link]
        links += len(chosen)
        found += int(block_related[chosen].sum()) if chosen else 0
    return links, found


def rank_precision(
    scores: Sequence[np.ndarray], related: Sequence[np.ndarray], link: float, ranks: int
) -> list[tuple[int, int]]:
    """For the n-th best pair of each article at or above ``link`` (n = 1 .. ``ranks``): how
    many there are and how many of them are related."""
    counts = [[0, 0] for _ in range(ranks)]
    for block_scores, block_related in zip(scores, related, strict=True):
        for rank, i in enumerate(np.argsort(-block_scores)[:ranks]):
            if block_scores[i] >= link:
                counts[rank][0] += 1
                counts[rank][1] += int(block_related[i])
    return [(links, found) for links, found in counts]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=HERE)
    parser.add_argument("--precision", type=float, default=0.75)
    parser.add_argument("--per-article", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="report only, do not write")
    args = parser.parse_args(argv)

    cases, articles = load(args.suite)
    if not any(case.get("split") == "train" for case in cases):
        parser.error(f"{args.suite / 'cases.jsonl'}: no case has split == 'train'")
    readings = load_readings(args.suite)
    blocks = training_blocks(cases, articles, readings)
    pairs = sum(len(b.related) for b in blocks)
    related_total = int(sum(b.related.sum() for b in blocks))
    accepted_total = int(sum(b.accepted.sum() for b in blocks))
    print(
        f"{len(blocks)} training articles, {pairs} (item, article) pairs, {related_total} "
        f"related; {sum(b.labels.size for b in blocks)} (item, sentence) examples; "
        f"{len(readings)} reader's judgments of other candidates, "
        f"{accepted_total - related_total} related (counted below, not fitted on)"
    )
    pair_features = out_of_fold_pairs(blocks, args.folds)
    scores: list[np.ndarray] = [np.zeros(0)] * len(blocks)
    for fold in range(args.folds):
        inside = [i for i, b in enumerate(blocks) if fold_of(b.article_id, args.folds) != fold]
        pair = fit_logistic(
            np.vstack([pair_features[i] for i in inside]),
            np.concatenate([blocks[i].related for i in inside]).astype(int),
            PAIR_FEATURES,
        )
        for i, block in enumerate(blocks):
            if fold_of(block.article_id, args.folds) == fold:
                scores[i] = pair.probabilities(pair_features[i])
    # the threshold: on the training cases' own pairs (each case's item against its later
    # article: the annotated relations and the hard negatives, as the eval judges them)
    case_scores, case_related = [], []
    for block, block_scores in zip(blocks, scores, strict=True):
        for i in block.annotated:
            case_scores.append(float(block_scores[i]))
            case_related.append(bool(block.related[i]))
    link = choose_link(case_scores, case_related, args.precision)
    chosen = [r for s, r in zip(case_scores, case_related, strict=True) if s >= link]
    print(
        f"cross-validated (folds by article) on the {len(case_scores)} training cases: link "
        f"{link:.3f} gives precision {sum(chosen) / max(len(chosen), 1):.3f}, recall "
        f"{sum(chosen) / max(sum(case_related), 1):.3f} at finding the related ones"
    )
    accepted = [b.accepted for b in blocks]
    for per_article in (1, 2, 3, 5, 10):
        links, found = capped(scores, accepted, link, per_article)
        print(
            f"  among all {pairs} candidate pairs, at most {per_article} an article: {links} links "
            f"({links / len(blocks):.1f} an article), {found} of them related "
            f"(recall {found / max(accepted_total, 1):.3f}; pairs nobody judged count as wrong)"
        )
    for rank, (links, found) in enumerate(rank_precision(scores, accepted, link, 5), start=1):
        print(f"  an article's link number {rank}: {found} of {links} related")
    sentence = fit_sentence(blocks)
    pair_all = [article_pairs(sentence, b.rows, b.named_article)[0] for b in blocks]
    pair = fit_logistic(
        np.vstack(pair_all),
        np.concatenate([b.related for b in blocks]).astype(int),
        PAIR_FEATURES,
    )
    final = RelatednessModel(VERSION, sentence, pair, link, args.per_article)
    weights = [*zip(FEATURES, sentence.weights, strict=True)]
    weights += zip(PAIR_FEATURES, pair.weights, strict=True)
    for name, weight in weights:
        print(f"  {name:14s} {weight:+.3f}")
    if not args.check:
        MODEL_FILE.write_text(json.dumps(final.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
