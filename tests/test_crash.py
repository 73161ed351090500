"""Crashes: ``claimtrack run`` killed with SIGKILL at random points, then run again normally.

Each round starts from a fresh database, starts the real command line on the bundled sample,
kills it after a random delay (seeded; spread over a clean run's length after its imports),
notes how far it got (no database yet, ingesting, extracting, tracking, done), runs it again to
the end, and
compares the database with one made by a single clean run: the same articles, items, status
events, links, proposals and finished extraction and tracking records — nothing lost, nothing
twice — and DuckDB opens the file without complaint.

CI runs ``CLAIMTRACK_CRASH_RUNS`` rounds (5 by default); the full count of the reliability report
is ``CLAIMTRACK_CRASH_RUNS=50 python -m pytest tests/test_crash.py -s`` (it prints where each kill
landed).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

SAMPLE = Path(__file__).parents[1] / "data" / "articles"
ROUNDS = int(os.environ.get("CLAIMTRACK_CRASH_RUNS", "5"))
SEED = 20261127


def command(db: Path, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "claimtrack", "--db", str(db), "run", str(corpus), "--json"]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
    env["CLAIMTRACK_LOCK_TIMEOUT"] = "30"
    return env


def snapshot(db: Path) -> dict[str, Any]:
    """What a user's database holds, independent of when it was written."""
    con = duckdb.connect(str(db), read_only=True)
    try:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(con.execute(sql).fetchall())

        return {
            "articles": rows("SELECT id, title, published FROM articles"),
            "items": rows("SELECT id, kind, article_id, span_start, span_end, quote FROM items"),
            "events": rows("SELECT item_id, to_status, actor FROM item_events"),
            "extractions": rows("SELECT article_id, status, items_found FROM extractions"),
            "trackings": rows("SELECT article_id, status, candidates FROM trackings"),
            "proposals": rows("SELECT id, item_id, article_id, relation, to_status FROM proposals"),
            "links": rows("SELECT id, item_id, article_id FROM item_links"),
        }
    finally:
        con.close()


def phase(db: Path) -> str:
    """How far a killed run got, read from what it left."""
    if not db.exists():
        return "before the database"
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:  # the file must always open
        raise AssertionError(
            f"the killed run left a database DuckDB cannot open: {error}"
        ) from error
    try:
        counts = [
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]  # noqa: S608
            for table in ("articles", "extractions", "trackings")
        ]
    except duckdb.CatalogException:
        return "creating the schema"
    finally:
        con.close()
    articles, extractions, trackings = counts
    if trackings:
        return "tracking" if trackings < articles else "done"
    if extractions:
        return "extracting" if extractions < articles else "tracking"
    return "ingesting" if articles else "creating the schema"


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], float, float, Path]:
    """The clean run's database, how long it took, and how long the interpreter and imports
    take before it does anything (kills are spread over the rest)."""
    folder = tmp_path_factory.mktemp("crash-reference")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "import claimtrack.cli, claimtrack.extraction.pipeline"],
        check=True,
        env=environment(),
    )
    startup = time.monotonic() - started
    corpus = folder / "corpus"
    shutil.copytree(SAMPLE, corpus)
    db = folder / "clean.duckdb"
    started = time.monotonic()
    done = subprocess.run(command(db, corpus), capture_output=True, text=True, env=environment())
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    return snapshot(db), took, min(startup, took), corpus


def test_run_killed_at_random_points_then_finished_equals_a_clean_run(
    reference: tuple[dict[str, Any], float, float, Path], tmp_path: Path
) -> None:
    expected, clean_seconds, startup, corpus = reference
    assert expected["proposals"] and expected["items"]  # a corpus that exercises every step
    rng = random.Random(SEED)
    landed: dict[str, int] = {}
    for round_ in range(ROUNDS):
        db = tmp_path / f"round-{round_}.duckdb"
        delay = rng.uniform(startup * 0.8, clean_seconds)
        process = subprocess.Popen(
            command(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=environment(),
        )  # fmt: skip
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        where = phase(db)
        landed[where] = landed.get(where, 0) + 1

        again = subprocess.run(
            command(db, corpus), capture_output=True, text=True, env=environment()
        )

        assert again.returncode == 0, f"round {round_} (killed {where}): {again.stderr}"
        assert snapshot(db) == expected, f"round {round_}: killed {where} after {delay:.2f}s"
    print(f"\n{ROUNDS} kills, clean run {clean_seconds:.1f}s; where they landed: {landed}")
