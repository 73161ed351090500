"""Recheck benchmark: an inbox of 1,000 new articles against a store with 10,000 open items, rules
backend, through the real console script.

Not a test (pytest does not collect it). Run it with the interpreter claimtrack is installed in::

    python tests/benchmarks/bench_recheck.py
    python tests/benchmarks/bench_recheck.py --articles 1000 --items 10000

The store's items are generated straight into the database (``bench_track.generate``: 10 items per
earlier article, already extracted and tracked); the inbox articles are ``bench_ingest``'s news-like
5 KB Markdown files (quotes, reporting verbs, commitments), published after every stored item.
Then ``claimtrack --db DB recheck --json`` runs once, timed from outside, and its own split
(ingest, extract, track, time rules) is printed with the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_ingest
import bench_track


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimtrack-bench-") as folder:
        root = Path(folder)
        db = root / "news.duckdb"
        bench_track.generate(db, args.items, 0, random.Random(bench_track.SEED))
        inbox = root / "inbox"
        written = bench_ingest.write_corpus(inbox, args.articles, "md")
        (root / "claimtrack.toml").write_text(
            '[recheck]\nbackend = "rules"\n\n[[sources]]\nname = "inbox"\ntype = "inbox"\n'
            'path = "inbox"\n',
            encoding="utf-8",
        )
        script = Path(sys.executable).parent / "claimtrack"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
        started = time.perf_counter()
        done = subprocess.run(
            [str(script), "--db", str(db), "recheck", "--as-of", "2030-01-01", "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"recheck failed ({done.returncode}): {done.stderr[-2000:]}")
        summary = json.loads(done.stdout)
        print(
            json.dumps(
                {
                    "inbox_files": written,
                    "stored_items": args.items,
                    "wall_s": round(wall, 2),
                    "split_s": summary["seconds"],
                    "articles_ingested": summary["articles_ingested"],
                    "articles_extracted": summary["articles_extracted"],
                    "items_new": summary["items_new"],
                    "articles_tracked": summary["articles_tracked"],
                    "proposals_created": summary["proposals_created"],
                }
            )
        )


if __name__ == "__main__":
    main()
