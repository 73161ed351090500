"""Fit the event-factuality model on MEANTIME and report story-wise cross-validation.

    .venv/bin/python evals/factuality/fit.py                  # CV table + writes the model file
    .venv/bin/python evals/factuality/fit.py --no-write       # CV table only
    .venv/bin/python evals/factuality/fit.py --errors gm:apple  # fit on gm, list apple's errors

Reads ``<data>/<story>/*.conll`` (one token a line: ``n token event certainty polarity time``,
BIO tags with the event number, a blank line between sentences), rebuilds each sentence as raw
text with the character span of every event mention, and computes the features with
``claimtrack.tracking.factuality`` itself, so fitting and run time see the same thing. Gold
"happened" = CERTAIN + POS + NON_FUTURE. scikit-learn is needed here only (the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.tracking import factuality
from claimtrack.tracking.factuality_cues import find_cue
from claimtrack.tracking.factuality_words import tokenize

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "meantime" / "factuality"
VERSION = "factuality-v1"
REGULARISATION = 1.0  # C of the logistic regression (L2); not tuned on held-out stories
THRESHOLD = 0.5  # chosen per fold on the training stories it did worse (0.866 vs 0.875 mean)

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "'s", "'", "n't", "'re",
                   "'ve", "'ll", "'d", "'m", "''"}  # fmt: skip
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
QUOTES = {"``": '"', "''": '"'}


@dataclass(frozen=True)
class Mention:
    story: str
    sentence: str
    span: tuple[int, int]
    happened: bool
    gold: tuple[str, str, str]  # certainty, polarity, time


def read_sentences(path: Path) -> Iterator[list[list[str]]]:
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) < 6:
            if rows:
                yield rows
            rows = []
            continue
        rows.append(columns)
    if rows:
        yield rows


def detokenise(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join MEANTIME tokens into raw-ish text; the offsets of each token in it."""
    text, spans, glue_next = "", [], True
    for token in tokens:
        surface = QUOTES.get(token, token)
        if not glue_next and token not in NO_SPACE_BEFORE:
            text += " "
        spans.append((len(text), len(text) + len(surface)))
        text += surface
        glue_next = token in NO_SPACE_AFTER
    return text, spans


def sentence_mentions(story: str, rows: list[list[str]]) -> list[Mention]:
    text, spans = detokenise([row[1] for row in rows])
    events: dict[str, dict[str, Any]] = {}
    for row, span in zip(rows, spans, strict=True):
        if row[2] == "_":
            continue
        event_id = row[2].split("-", 2)[2]
        event = events.setdefault(event_id, {"start": span[0], "end": span[1]})
        event["end"] = span[1]
        if row[2].startswith("B-"):
            event["gold"] = tuple(column.split("-")[1] for column in row[3:6])
    mentions = []
    for event in events.values():
        gold = event.get("gold", ("UNDERSPECIFIED",) * 3)
        happened = gold == ("CERTAIN", "POS", "NON_FUTURE")
        mentions.append(Mention(story, text, (event["start"], event["end"]), happened, gold))
    return mentions


def read_story(data: Path, story: str) -> list[Mention]:
    mentions: list[Mention] = []
    for path in sorted((data / story).glob("*.conll")):
        for rows in read_sentences(path):
            mentions += sentence_mentions(story, rows)
    return mentions


@dataclass(frozen=True)
class Example:
    mention: Mention
    cue: factuality.Cue | None
    features: list[str]


def examples(mentions: Iterable[Mention]) -> list[Example]:
    found = []
    for mention in mentions:
        tokens = tokenize(mention.sentence)
        head = factuality._head_at(tokens, mention.span)
        cue = find_cue(tokens, head)
        found.append(Example(mention, cue, factuality.features(tokens, head, cue)))
    return found


def fit(train: Sequence[Example]) -> factuality.FactualityModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([dict.fromkeys(ex.features, 1.0) for ex in train])
    labels = [ex.mention.happened for ex in train]
    regression = LogisticRegression(C=REGULARISATION, max_iter=2000)
    regression.fit(matrix, labels)
    names = vectoriser.get_feature_names_out()
    weights = {
        str(name): float(value) for name, value in zip(names, regression.coef_[0], strict=True)
    }
    intercept = float(regression.intercept_[0])
    return factuality.FactualityModel(VERSION, intercept, weights, THRESHOLD)


def predict(
    model: factuality.FactualityModel, example: Example, threshold: float | None = None
) -> tuple[bool, bool]:
    """(the label says certain, positive, non-future; the model alone says so)."""
    threshold = model.threshold if threshold is None else threshold
    alone = model.probability(example.features) >= threshold
    if example.cue is not None:
        return example.cue.label == "ongoing", alone
    return alone, alone


def scores(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    pairs = Counter(zip(gold, predicted, strict=True))
    total = len(gold)
    result = {"n": float(total), "accuracy": (pairs[True, True] + pairs[False, False]) / total}
    for name, value in (("happened", True), ("not", False)):
        right = pairs[value, value]
        said = right + pairs[not value, value]
        truly = right + pairs[value, not value]
        result[f"{name}_precision"] = right / said if said else 0.0
        result[f"{name}_recall"] = right / truly if truly else 0.0
    return result


def cross_validate(by_story: dict[str, list[Example]]) -> dict[str, dict[str, float]]:
    table = {}
    for held_out in by_story:
        training = {story: exs for story, exs in by_story.items() if story != held_out}
        train = [ex for exs in training.values() for ex in exs]
        test = by_story[held_out]
        model = fit(train)
        majority = Counter(ex.mention.happened for ex in train).most_common(1)[0][0]
        gold = [ex.mention.happened for ex in test]
        decisions = [predict(model, ex) for ex in test]
        row = scores(gold, [label for label, _ in decisions])
        row["model_only_accuracy"] = scores(gold, [alone for _, alone in decisions])["accuracy"]
        row["baseline_accuracy"] = scores(gold, [majority] * len(test))["accuracy"]
        row["threshold"] = model.threshold
        table[held_out] = row
    return table


def format_table(table: dict[str, dict[str, float]]) -> str:
    header = (
        "held-out    n  threshold  baseline  model-only  accuracy  happened P/R  not-happened P/R"
    )
    lines = [header]
    for story, row in table.items():
        lines.append(
            f"{story:<8} {int(row['n']):>4}  {row['threshold']:.2f}       "
            f"{row['baseline_accuracy']:.3f}     "
            f"{row['model_only_accuracy']:.3f}       {row['accuracy']:.3f}     "
            f"{row['happened_precision']:.3f}/{row['happened_recall']:.3f}   "
            f"{row['not_precision']:.3f}/{row['not_recall']:.3f}"
        )
    mean = {key: sum(row[key] for row in table.values()) / len(table)
            for key in ("baseline_accuracy", "model_only_accuracy", "accuracy")}  # fmt: skip
    lines.append(
        f"{'mean':<8}                  {mean['baseline_accuracy']:.3f}     "
        f"{mean['model_only_accuracy']:.3f}       {mean['accuracy']:.3f}"
    )
    return "\n".join(lines)


def list_errors(by_story: dict[str, list[Example]], fit_story: str, score_story: str) -> None:
    model = fit(by_story[fit_story])
    for ex in by_story[score_story]:
        label, _ = predict(model, ex)
        if label != ex.mention.happened:
            start, end = ex.mention.span
            text = ex.mention.sentence
            marked = f"{text[:start]}[[{text[start:end]}]]{text[end:]}"
            cue = f"{ex.cue.label}:{ex.cue.words}" if ex.cue else "-"
            probability = model.probability(ex.features)
            print(f"{'/'.join(ex.mention.gold)}  said={label} p={probability:.2f} cue={cue}")
            print(f"    {marked}")


def model_document(
    model: factuality.FactualityModel, table: dict[str, Any], stories: Sequence[str]
) -> dict[str, Any]:
    names = sorted(model.weights)
    return {
        "version": VERSION,
        "feature_set": factuality.FEATURE_SET,
        "trained_on": "MEANTIME factuality (CC BY 4.0), stories " + ", ".join(stories),
        "positive_class": "CERTAIN + POS + NON_FUTURE",
        "regularisation_C": REGULARISATION,
        "intercept": model.intercept,
        "threshold": model.threshold,
        "features": names,
        "coefficients": [round(model.weights[name], 6) for name in names],
        "story_cv": table,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=factuality.MODEL_FILE)
    parser.add_argument("--no-write", action="store_true", help="report CV, write nothing")
    parser.add_argument(
        "--errors", metavar="FIT:SCORE", help="fit on one story, list another's errors"
    )
    args = parser.parse_args(argv)
    stories = sorted(path.name for path in args.data.iterdir() if path.is_dir())
    by_story = {story: examples(read_story(args.data, story)) for story in stories}
    if args.errors:
        fit_story, score_story = args.errors.split(":")
        list_errors(by_story, fit_story, score_story)
        return 0
    table = cross_validate(by_story)
    print(format_table(table))
    if not args.no_write:
        model = fit([ex for exs in by_story.values() for ex in exs])
        document = model_document(model, table, stories)
        args.out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out} ({len(model.weights)} features)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
