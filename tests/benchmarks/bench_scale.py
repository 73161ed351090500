"""Scale benchmark: start-up, the memory of lists and exports, and idle runs on a large ledger
of real text, through the real console script.

Not a test (pytest does not collect it). Run it with the interpreter claimtrack is installed in::

    python tests/benchmarks/bench_scale.py --items 100000
    python tests/benchmarks/bench_scale.py --items 20000 --keep /tmp/scale-20k

The corpus is PolNeAR train (``../shared/datasets/polnear/data/train/text``, read by path, never
copied into the repository) plus renamed copies of it: copy ``k`` of ``name.txt`` is
``c{k}/name-c{k}.txt`` with one line added at the end, so that every copy is an article of its
own. Copy 0 (the originals) is ingested and extracted with the rules backend for real; the other
copies are ingested for real, and their items, status events and extraction records are copied
from their original's through SQL (the added line comes after every span, so each copy's quotes
are still ``text[start:end]``), which takes seconds where extracting every copy would take
minutes. Every article gets a tracking record (nothing is left to track), a date from its file
name (plus ``k`` days), and one claim in four a ``corroborates`` proposal from the next copy.

Measured, each with ``/usr/bin/time`` around the command: ``claimtrack --help`` (median of 10);
the peak RSS and time of ``claims list --json``, ``proposals list --json`` and ``export`` in each
format; ``ingest`` of the whole corpus again (every file unchanged); and ``recheck`` with the
corpus as its inbox, twice on one day: the first run reads the inbox, proposes the overdue
commitments and works out the stale report, the second is the idle hourly run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from claimtrack.store import Store
from claimtrack.tracking.rules import RULES_TRACK_VERSION

ROOT = Path(__file__).resolve().parents[2]
POLNEAR = ROOT.parent / "shared" / "datasets" / "polnear" / "data" / "train" / "text"
AS_OF = "2030-01-01"


@dataclass
class Measured:
    seconds: float
    peak_mib: float
    stdout: str

    def figures(self) -> str:
        return f"{self.seconds:6.2f} s  {self.peak_mib:7.0f} MiB"


def claimtrack(db: Path, *args: str, keep_stdout: bool = False) -> Measured:
    """Run ``claimtrack --db DB ARGS`` under ``/usr/bin/time``: wall time and peak RSS."""
    script = Path(sys.executable).parent / "claimtrack"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", timing.name, str(script), "--db", str(db),
             *args],
            stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, env=env, check=False,
        )  # fmt: skip
        seconds, kib = timing.read().split()[-2:]
    if done.returncode not in (0, 1):
        raise SystemExit(f"claimtrack {' '.join(args)} failed:\n{done.stderr}")
    return Measured(float(seconds), int(kib) / 1024, done.stdout or "")


def help_seconds(runs: int = 10) -> list[float]:
    script = Path(sys.executable).parent / "claimtrack"
    times = []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
            subprocess.run(
                ["/usr/bin/time", "-f", "%e", "-o", timing.name, str(script), "--help"],
                stdout=subprocess.DEVNULL, check=True,
            )  # fmt: skip
            times.append(float(timing.read().split()[-1]))
    return times


def write_copy(corpus: Path, k: int) -> None:
    folder = corpus / f"c{k:03d}"
    folder.mkdir(parents=True)
    for original in sorted(POLNEAR.glob("*.txt")):
        text = original.read_text(encoding="utf-8")
        if k:
            text = text.rstrip() + f"\n\n(Benchmark copy {k}.)\n"
        (folder / f"{original.stem}-c{k:03d}.txt").write_text(text, encoding="utf-8")


# The copies' items, events and records, from their original's (copy 0). ``copies`` pairs each
# copied article with its original by file name; the original's text is a prefix of the copy's.
_REPLICATE = [
    r"""
    CREATE TEMP TABLE copies AS
    SELECT a.id AS article_id, o.id AS original_id,
           CAST(regexp_extract(a.origin, '-c(\d{3})\.txt$', 1) AS INTEGER) AS k
    FROM articles a JOIN articles o
      ON regexp_extract(a.origin, '([^/]+)-c\d{3}\.txt$', 1)
         = regexp_extract(o.origin, '([^/]+)-c000\.txt$', 1)
    WHERE o.origin LIKE '%-c000.txt' AND a.origin NOT LIKE '%-c000.txt'
      AND starts_with(a.text, o.text)
    """,
    """
    INSERT INTO items
    SELECT i.* REPLACE (substr(md5(c.article_id || i.id), 1, 16) AS id,
                        c.article_id AS article_id, 'x' || c.article_id AS extraction_id)
    FROM items i JOIN copies c ON c.original_id = i.article_id
    """,
    """
    INSERT INTO item_events
    SELECT e.* REPLACE (substr(md5(c.article_id || e.id), 1, 16) AS id,
                        nextval('item_event_seq') AS seq,
                        substr(md5(c.article_id || e.item_id), 1, 16) AS item_id,
                        c.article_id AS article_id)
    FROM item_events e JOIN items i ON i.id = e.item_id
    JOIN copies c ON c.original_id = i.article_id
    """,
    """
    INSERT INTO extractions
    SELECT x.* REPLACE ('x' || c.article_id AS id, c.article_id AS article_id)
    FROM extractions x JOIN copies c ON c.original_id = x.article_id
    """,
    """
    UPDATE articles SET published =
        strptime(regexp_extract(origin, '_(\\d{4}-\\d{2}-\\d{2})_', 1), '%Y-%m-%d')
        + to_days(CAST(regexp_extract(origin, '-c(\\d{3})\\.txt$', 1) AS INTEGER))
    WHERE regexp_matches(origin, '_\\d{4}-\\d{2}-\\d{2}_')
    """,
]


def replicate(db: Path) -> None:
    """Copy the originals' items to their copies; track every article; add proposals."""
    store = Store(db)
    with store.write() as con:
        for statement in _REPLICATE:
            con.execute(statement)
        con.execute(
            """
            INSERT INTO trackings (id, article_id, backend, prompt_id, status, started_at,
                                   finished_at)
            SELECT 't' || id, id, 'rules', ?, 'done', now(), now() FROM articles
            """,
            [f"track-rules@{RULES_TRACK_VERSION}"],
        )
        con.execute(  # one claim in four is corroborated by the same sentence in the next copy
            """
            INSERT INTO proposals (id, item_id, article_id, relation, from_status, to_status,
                                   span_start, span_end, quote, reason, order_basis, backend,
                                   prompt_id, score, created_at)
            SELECT substr(md5('p' || i.id), 1, 16), i.id, later.article_id, 'corroborates',
                   'open', 'corroborated', i.span_start, i.span_end, i.quote,
                   'the same sentence in a later copy', 'published', 'rules', 'bench', 1.0, now()
            FROM items i JOIN copies c ON c.article_id = i.article_id
            JOIN copies later ON later.original_id = c.original_id AND later.k = c.k + 1
            WHERE i.kind = 'claim' AND hash(i.id) % 4 = 0
            """
        )


def build(root: Path, items: int) -> tuple[Path, Path]:
    """The store and the corpus folder for about ``items`` items."""
    db, corpus = root / "scale.duckdb", root / "corpus"
    write_copy(corpus, 0)
    claimtrack(db, "ingest", str(corpus / "c000"))
    claimtrack(db, "extract", "--backend", "rules")
    with Store(db).read() as con:
        per_copy = con.execute("SELECT count(*) FROM items").fetchone()[0]  # type: ignore[index]
    copies = max(1, math.ceil(items / per_copy))
    for k in range(1, copies):
        write_copy(corpus, k)
    claimtrack(db, "ingest", str(corpus))
    replicate(db)
    (root / "claimtrack.toml").write_text(
        '[recheck]\nbackend = "rules"\n\n[[sources]]\nname = "inbox"\ntype = "inbox"\n'
        'path = "corpus"\n',
        encoding="utf-8",
    )
    return db, corpus


def counts(db: Path) -> dict[str, int]:
    with Store(db).read() as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]  # noqa: S608
            for table in ("articles", "items", "proposals")
        }


def measure(root: Path, db: Path, corpus: Path) -> None:
    times = help_seconds()
    print(
        f"claimtrack --help: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, 10 runs)"
    )
    for name, args in [
        ("claims list --json", ["claims", "list", "--json"]),
        ("proposals list --json", ["proposals", "list", "--json"]),
        ("claims list (terminal)", ["claims", "list"]),
        ("export csv", ["export", "--format", "csv", "--out", str(root / "out.csv")]),
        ("export parquet", ["export", "--format", "parquet", "--out", str(root / "out.parquet")]),
        ("export json", ["export", "--format", "json", "--out", str(root / "out.json")]),
        ("ingest corpus (unchanged)", ["ingest", str(corpus)]),
    ]:
        print(f"{name:28} {claimtrack(db, *args).figures()}")
    for run in ("recheck (first of the day)", "recheck (idle, same day)"):
        done = claimtrack(db, "recheck", "--as-of", AS_OF, "--json", keep_stdout=True)
        summary = json.loads(done.stdout)
        print(
            f"{run:28} {done.figures()}  overdue proposed {summary['overdue_proposed']}, "
            f"stale {summary['stale']['count']}, seconds {summary['seconds']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="about this many items")
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    args = parser.parse_args()
    if not POLNEAR.is_dir():
        raise SystemExit(f"{POLNEAR}: PolNeAR train is not there")
    with tempfile.TemporaryDirectory(prefix="claimtrack-scale-") as folder:
        root = args.keep or Path(folder)
        root.mkdir(parents=True, exist_ok=True)
        db, corpus = build(root, args.items)
        print(f"store: {counts(db)}, {db.stat().st_size / 2**20:.0f} MiB; as of {AS_OF}")
        measure(root, db, corpus)


if __name__ == "__main__":
    main()
