"""The tracking gold read end to end: the 90 MEANTIME articles through ``claimtrack run``.

``claimtrack eval run evals/tracking`` gives the judge each gold item as written by the annotator.
A user gets less: the items the extractor found, the candidates retrieval gave, and at most a few
proposals an article. This script runs the whole pipeline on the suite's articles, as a user runs
it on a folder, and asks of every gold case whether the later article ended up linked to the
earlier item:

- the gold item is *extracted* when an item of its earlier article overlaps its quote in the text;
- a related case is *found* when a proposal or a link ties its later article to such an item
  (any relation; ``mentions`` included), and *decided right* when that relation is of the gold's
  relation family;
- an ``unrelated`` case with such a tie is a *false link*.

And of every tie the run made (proposals and links), as a reviewer meets them: how many a case
or the reader's judgments in ``candidates.jsonl`` judge, and how many of those are right (the
case's relation is not ``unrelated``; the reader read it as related). Ties nobody judged are
counted apart, so this *queue precision* is of the judged ties only.

Usage (from the repository root; about a minute):

    .venv/bin/python evals/tracking/end_to_end.py            # train and dev figures
    .venv/bin/python evals/tracking/end_to_end.py --cases    # and one line per case
    .venv/bin/python evals/tracking/end_to_end.py --unjudged /tmp/to-read.jsonl
        # the proposals and links no case or reading judges, to read and add to candidates.jsonl

The run's database is kept in a temporary folder unless ``--db`` names one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from claimtrack.statuses import RELATION_FAMILIES

HERE = Path(__file__).parent


@dataclass(frozen=True)
class CaseOutcome:
    case: str
    split: str
    expected: str
    extracted: bool
    relations: tuple[str, ...]  # what the run tied the later article to the item with

    @property
    def found(self) -> bool:
        return bool(self.relations)

    @property
    def decided_right(self) -> bool:
        family = RELATION_FAMILIES.get(self.expected)
        return any(RELATION_FAMILIES.get(r) == family for r in self.relations if r != "mentions")


def run_pipeline(db: Path, articles: Path) -> None:
    """``claimtrack run`` on a folder holding only the suite's articles (offline rules)."""
    folder = db.parent / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(articles, folder / "articles.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
    command = [sys.executable, "-m", "claimtrack", "--db", str(db), "run", str(folder)]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


Spans = dict[str, list[tuple[str, int, int]]]  # article id -> (item id, start, end)


def _articles_and_items(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, str], dict[str, str], Spans]:
    """The run's texts and ids by external id, and each article's item spans."""
    texts = dict(con.execute("SELECT external_id, text FROM articles").fetchall())
    ids = dict(con.execute("SELECT external_id, id FROM articles").fetchall())
    spans: Spans = {}
    for article, item, start, end in con.execute(
        "SELECT article_id, id, span_start, span_end FROM items"
    ).fetchall():
        spans.setdefault(article, []).append((item, start, end))
    return texts, ids, spans


def outcomes(db: Path, cases: Sequence[dict[str, object]]) -> list[CaseOutcome]:
    with duckdb.connect(str(db), read_only=True) as con:
        texts, ids, spans = _articles_and_items(con)
        ties: dict[tuple[str, str], list[str]] = {}
        for item, article, relation in con.execute(
            "SELECT item_id, article_id, relation FROM proposals "
            "UNION ALL SELECT item_id, article_id, relation FROM item_links"
        ).fetchall():
            ties.setdefault((item, article), []).append(relation)
    found = []
    for case in cases:
        earlier = case["earlier"]
        later = case["later"]
        assert isinstance(earlier, dict) and isinstance(later, dict)
        article = str(earlier["article_id"])
        items = _overlaps(spans.get(ids[article], []), texts[article], str(earlier["quote"]))
        later_id = ids[later["article_id"]]
        relations = tuple(r for item in items for r in ties.get((item, later_id), []))
        expected = case["expected"]
        assert isinstance(expected, dict)
        found.append(
            CaseOutcome(
                str(case["id"]), str(case["split"]), str(expected["relation"]), bool(items),
                relations,
            )
        )  # fmt: skip
    return found


@dataclass(frozen=True)
class Tie:
    split: str  # the split of the cases on its later article ("" when none)
    right: bool | None  # None: no case or reading judges it
    reading: dict[str, Any]  # the tie as a row of candidates.jsonl, ``reader`` still to fill


def _overlaps(spans: Sequence[tuple[str, int, int]], text: str, quote: str) -> list[str]:
    """The items (of ``spans``, in their order) over any of the words of ``quote`` in
    ``text``: the extractor's reading of the same statement."""
    at = text.find(quote)
    return [item for item, s, e in spans if at >= 0 and s < at + len(quote) and e > at]


def judged_ties(
    db: Path, cases: Sequence[dict[str, Any]], readings: Sequence[dict[str, Any]]
) -> list[Tie]:
    """Every proposal and link of the run, judged by the cases and the reader's judgments."""
    with duckdb.connect(str(db), read_only=True) as con:
        texts, ids, spans = _articles_and_items(con)
        ties = con.execute(
            """
            SELECT DISTINCT t.item_id, t.article_id, later.external_id, earlier.external_id,
                   i.quote, t.quote
            FROM (SELECT item_id, article_id, quote FROM proposals
                  UNION ALL SELECT item_id, article_id, quote FROM item_links) AS t
            JOIN items AS i ON i.id = t.item_id
            JOIN articles AS later ON later.id = t.article_id
            JOIN articles AS earlier ON earlier.id = i.article_id
            """
        ).fetchall()
    verdicts: dict[tuple[str, str], bool] = {}
    splits: dict[str, str] = {}
    judged = [
        (c["earlier"]["article_id"], c["earlier"]["quote"], c["later"]["article_id"],
         c["expected"]["relation"] != "unrelated")
        for c in cases
    ] + [
        (r["earlier"], r["quote"], r["later"], r["reader"] == "related") for r in readings
    ]  # fmt: skip
    for earlier, quote, later, right in judged:
        for item in _overlaps(spans.get(ids[earlier], []), texts[earlier], quote):
            verdicts.setdefault((item, ids[later]), right)
    for case in cases:
        splits[ids[case["later"]["article_id"]]] = str(case["split"])
    found = []
    for item, article, later, earlier, quote, evidence in ties:
        split = splits.get(article, "")
        reading = {"later": later, "earlier": earlier, "quote": quote, "evidence": evidence,
                   "reader": None, "split": split}  # fmt: skip
        found.append(Tie(split, verdicts.get((item, article)), reading))
    return found


def queue_figures(ties: Sequence[Tie]) -> dict[str, float]:
    judged = [t for t in ties if t.right is not None]
    right = sum(bool(t.right) for t in judged)
    return {
        "ties": len(ties),
        "judged": len(judged),
        "right": right,
        "queue_precision": right / len(judged) if judged else 0.0,
    }


def figures(results: Sequence[CaseOutcome]) -> dict[str, float]:
    related = [r for r in results if r.expected != "unrelated"]
    extracted = [r for r in related if r.extracted]
    found = [r for r in related if r.found]
    unrelated = [r for r in results if r.expected == "unrelated"]
    return {
        "related": len(related),
        "extracted": len(extracted),
        "found": len(found),
        "recall": len(found) / len(related) if related else 0.0,
        "recall_of_extracted": len(found) / len(extracted) if extracted else 0.0,
        "decided_right": sum(r.decided_right for r in found),
        "unrelated": len(unrelated),
        "false_links": sum(r.found for r in unrelated),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=HERE, help="folder of the tracking suite")
    parser.add_argument("--db", type=Path, help="keep the run's database here (a new file)")
    parser.add_argument("--cases", action="store_true", help="also print one line per case")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    parser.add_argument(
        "--unjudged",
        type=Path,
        metavar="FILE",
        help="write the proposals and links no case or reading judges to FILE (a new file), as "
        "rows of candidates.jsonl whose `reader` is null: fill in related or unrelated, read "
        "as a reviewer would, and append them to the suite's candidates.jsonl",
    )
    args = parser.parse_args(argv)
    cases = [json.loads(line) for line in (args.suite / "cases.jsonl").read_text().splitlines()]
    readings_file = args.suite / "candidates.jsonl"
    readings = (
        [json.loads(line) for line in readings_file.read_text().splitlines() if line.strip()]
        if readings_file.exists()
        else []
    )
    with tempfile.TemporaryDirectory(prefix="claimtrack-e2e-") as scratch:
        db = args.db or Path(scratch) / "run" / "e2e.duckdb"
        if db.exists():
            parser.error(f"{db}: exists; name a new file")
        if args.unjudged is not None and args.unjudged.exists():
            parser.error(f"{args.unjudged}: exists; name a new file")
        db.parent.mkdir(parents=True, exist_ok=True)
        run_pipeline(db, args.suite / "articles.jsonl")
        results = outcomes(db, cases)
        ties = judged_ties(db, cases, readings)
    if args.unjudged is not None:
        rows = [tie.reading for tie in ties if tie.right is None]
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        args.unjudged.write_text(lines, encoding="utf-8")
        print(f"{args.unjudged}: {len(rows)} proposals and links nobody judged", file=sys.stderr)
    report = {
        split: figures([r for r in results if split == "all" or r.split == split])
        | queue_figures([t for t in ties if split == "all" or t.split == split])
        for split in ("train", "dev", "all")
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for split, numbers in report.items():
            print(
                f"{split:5}  found {numbers['found']:.0f}/{numbers['related']:.0f} related "
                f"(recall {numbers['recall']:.3f}; gold item extracted in "
                f"{numbers['extracted']:.0f}, recall of those {numbers['recall_of_extracted']:.3f})"
                f", decided in the gold's family {numbers['decided_right']:.0f}, "
                f"false links {numbers['false_links']:.0f}/{numbers['unrelated']:.0f} unrelated"
            )
            print(
                f"       {numbers['ties']:.0f} proposals and links, "
                f"{numbers['judged']:.0f} of them judged, {numbers['right']:.0f} right "
                f"(queue precision {numbers['queue_precision']:.3f})"
            )
    if args.cases:
        for r in results:
            print(r.case, r.split, r.expected, "extracted" if r.extracted else "-", *r.relations)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
