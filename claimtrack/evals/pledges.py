"""Sentence-level commitment detection on a labelled TSV (the manifesto pledges of Fornaciari et
al., Findings of ACL 2021: ``../shared/datasets/pledges/sentences.tsv``, read by path, never
copied).

The file is tab-separated with a header naming at least ``text`` and ``pledge`` (1 for a pledge,
a commitment to a specific, testable future action; 0 otherwise); ``party`` and ``year`` are
kept with each case (``manifesto_id``, despite its name a sentence number that starts again in
each manifesto, is not). Fields may be quoted (a sentence can hold a newline or a tab).
A sentence is predicted a pledge when the backend extracts at least one commitment from it alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import UsageError

REQUIRED = ("text", "pledge")
HEADLINE = ("pledge_f1",)


@dataclass
class Sentence:
    id: str
    text: str
    pledge: bool
    party: str | None
    year: str | None
    line: int


def is_pledge_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".tsv"


def read_sentences(path: Path) -> list[Sentence]:
    """The labelled sentences; a bad row raises :class:`UsageError` naming file and line."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from error
    sentences = []
    with handle:
        reader = csv.DictReader(handle, delimiter="\t")
        try:
            header = reader.fieldnames or []
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise UsageError(
                    f"{path}:1: the header lacks {', '.join(missing)} (a pledge TSV has the "
                    "columns manifesto_id, party, year, pledge, binary_pledge, text)"
                )
            start = reader.line_num + 1
            for row in reader:
                label = (row.get("pledge") or "").strip()
                text = (row.get("text") or "").strip()
                if label not in ("0", "1"):
                    raise UsageError(f"{path}:{start}: 'pledge' must be 0 or 1, not {label!r}")
                if not text:
                    raise UsageError(f"{path}:{start}: the sentence is empty")
                sentences.append(
                    Sentence(
                        id=f"line-{start}",
                        text=text,
                        pledge=label == "1",
                        party=row.get("party"),
                        year=row.get("year"),
                        line=start,
                    )
                )
                start = reader.line_num + 1
        except UnicodeDecodeError as error:
            raise UsageError(f"{path}: not UTF-8 ({error.reason})") from error
        except csv.Error as error:
            raise UsageError(f"{path}:{reader.line_num}: {error}") from error
    if not sentences:
        raise UsageError(f"{path}: no sentences")
    return sentences


def score(gold: list[bool], predicted: list[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the pledge class, accuracy, and the counts."""
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    predicted_count, gold_count = sum(predicted), sum(gold)
    precision = tp / predicted_count if predicted_count else 0.0
    recall = tp / gold_count if gold_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return {
        "pledge_precision": precision,
        "pledge_recall": recall,
        "pledge_f1": f1,
        "accuracy": correct / len(gold) if gold else 0.0,
        "sentences": float(len(gold)),
        "gold_pledges": float(gold_count),
        "predicted_pledges": float(predicted_count),
    }
