"""Rules backend benchmark: PolNeAR attribution scores and extraction speed.

Not a test (pytest does not collect it: the name starts with ``bench_`` and it defines no
``test_`` functions). Run it from the project root with the interpreter claimtrack is installed in::

    python tests/benchmarks/bench_rules.py
    python tests/benchmarks/bench_rules.py --polnear ../shared/datasets/polnear/data --repeat 5

It prints, for PolNeAR ``dev`` and ``train``, precision, recall and F1 of Source, Cue and Content,
exact and overlap, as :mod:`claimtrack.evals.attribution` scores them (the rules' claims turned into
attributions by :func:`~claimtrack.evals.attribution.items_to_attributions`), and how many items
each rule made (``extra["rule"]``, as ``claims show`` prints it); then articles per
second of :func:`~claimtrack.extraction.rules.extract_with_rules` over the PolNeAR texts and over
the 30 MEANTIME ``gm`` articles in ``data/articles/gm/meantime-gm.jsonl`` (the best of
``--repeat`` runs, single process, texts already in memory).

PolNeAR is read by path at run time and never copied. An annotation file the brat reader cannot
read is left out of the scores, and the script says which (none since the reader follows span
texts over line breaks: three train files have them).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from claimtrack.evals.attribution import (
    MATCHES,
    MEASURES,
    ROLES,
    items_to_attributions,
    score_attributions,
)
from claimtrack.evals.brat import GoldDocument, load_polnear_gold
from claimtrack.extraction.rules import extract_with_rules

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POLNEAR = ROOT.parent / "shared/datasets/polnear/data"
MEANTIME_GM = ROOT / "data/articles/gm/meantime-gm.jsonl"


WIDTHS = (9, 7, 7, 12, 7, 7)


def scores_table(documents: list[GoldDocument]) -> str:
    extracted = {document.name: extract_with_rules(document.text) for document in documents}
    predicted = {name: items_to_attributions(items) for name, items in extracted.items()}
    scores = score_attributions(documents, predicted)
    header = ("exact P", "R", "F1", "overlap P", "R", "F1")
    lines = [
        " " * 8 + "".join(f"{title:>{width}}" for title, width in zip(header, WIDTHS, strict=True))
    ]
    for role in ROLES:
        values = [scores[f"{role}_{match}_{measure}"] for match in MATCHES for measure in MEASURES]
        lines.append(
            f"{role:8}" + "".join(f"{v:{w}.3f}" for v, w in zip(values, WIDTHS, strict=True))
        )
    lines.append(
        f"documents {scores['documents']:.0f}, gold attributions "
        f"{scores['gold_attributions']:.0f}, predicted {scores['predicted_attributions']:.0f}"
    )
    rules = Counter(str(item.extra.get("rule")) for items in extracted.values() for item in items)
    lines.append("items by rule: " + ", ".join(f"{rule} {n}" for rule, n in rules.most_common()))
    return "\n".join(lines)


def articles_per_second(texts: list[tuple[str, date | None]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text, published in texts:
            extract_with_rules(text, published=published)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR, help="PolNeAR data folder")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best one counts")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    polnear_texts: list[tuple[str, date | None]] = []
    for split in ("dev", "train"):
        folder = args.polnear / split
        if not folder.is_dir():
            print(f"\nPolNeAR {split}: {folder} not found, skipped")
            continue
        documents, rejected = load_polnear_gold(folder)
        polnear_texts += [(document.text, None) for document in documents]
        print(f"\nPolNeAR {split}")
        print(scores_table(documents))
        for reason in rejected:
            print(f"  left out (the brat reader rejects it): {reason}")
    print(f"\nSpeed (single process, best of {args.repeat} runs)")
    extract_with_rules("Warm-up: the dateparser import, she said, happens once by March 3.")
    if polnear_texts:
        rate = articles_per_second(polnear_texts, args.repeat)
        print(f"  PolNeAR texts ({len(polnear_texts)}): {rate:,.0f} articles/s")
    gm = [json.loads(line) for line in MEANTIME_GM.read_text(encoding="utf-8").splitlines() if line]
    gm_texts: list[tuple[str, date | None]] = [
        (row["text"], date.fromisoformat(row["published"][:10])) for row in gm
    ]
    rate = articles_per_second(gm_texts, max(args.repeat, 10))
    print(f"  MEANTIME gm ({len(gm_texts)}): {rate:,.0f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
