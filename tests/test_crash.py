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

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from llm_double import LLMDouble, Reply, slow, structured

pytestmark = [pytest.mark.crash, pytest.mark.slow]

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


# -- killed during LLM extraction -----------------------------------------------------------------

LLM_ARTICLES = 40
SAID = re.compile(r"(?P<speaker>[A-Z][a-z]+ [A-Z][a-z]+) said that (?P<quote>[^.]+)\.")


def llm_answer(body: dict[str, Any]) -> Reply:
    """A careful model: every "Name Name said that ..." sentence of the article, verbatim,
    after a short wait so that a kill lands while calls are in flight."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    text = str(user).split(":\n\n", 1)[1]
    claims = [
        {
            "speaker": match["speaker"],
            "cue": "said",
            "quote": match["quote"],
            "direct": False,
            "claim_type": "prediction",
            "claim": f"{match['speaker']} said on 7 January 2026 that {match['quote']}.",
        }
        for match in SAID.finditer(text)
    ]
    return slow(0.05, structured({"claims": claims, "commitments": []}))


def llm_corpus(folder: Path) -> Path:
    names = ["Anna Berg", "Omar Haddad", "Li Wei", "Maria Costa"]
    lines = []
    for index in range(LLM_ARTICLES):
        sentences = [
            f"{names[(index + n) % 4]} said that phase {index}-{n} of the plan would cost "
            f"{(index * 7 + n * 13) % 900 + 10} million euros."
            for n in range(4)
        ]
        lines.append(
            json.dumps(
                {
                    "id": f"crash-llm-{index}",
                    "title": f"Plan update {index}",
                    "published": "2026-01-07",
                    "source": "Crash Gazette",
                    "text": " ".join(sentences),
                }
            )
        )
    corpus = folder / "llm-corpus.jsonl"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    return corpus


def llm_snapshot(db: Path) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(con.execute(sql).fetchall())

        return {
            "items": rows("SELECT id, kind, article_id, span_start, span_end, quote FROM items"),
            "extractions": rows("SELECT article_id, backend, status, items_found FROM extractions"),
        }
    finally:
        con.close()


def test_llm_extraction_killed_at_random_points_then_finished_equals_a_clean_run(
    tmp_path: Path,
) -> None:
    """``claimtrack extract --backend llm`` through the HTTP double, killed while calls are in
    flight: what was committed stays, the next run extracts only the rest, one finished record
    per article, and the items equal a clean run's."""
    ingested = tmp_path / "ingested.duckdb"
    corpus = llm_corpus(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", str(ingested), "ingest", str(corpus)],
        check=True, capture_output=True, env=environment(),
    )  # fmt: skip
    with LLMDouble(responder=llm_answer) as double:
        env = environment() | {
            "OPENAI_BASE_URL": double.base_url,
            "OPENAI_API_KEY": "crash-test",
            "CLAIMTRACK_MODEL": "double",
            "CLAIMTRACK_LLM_BACKOFF": "0",
        }

        def extract(db: Path) -> list[str]:
            return [sys.executable, "-m", "claimtrack", "--db", str(db), "extract",
                    "--backend", "llm", "--concurrency", "4", "--json"]  # fmt: skip

        clean = tmp_path / "clean.duckdb"
        shutil.copy(ingested, clean)
        done = subprocess.run(extract(clean), capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        expected = llm_snapshot(clean)
        assert len(expected["items"]) == LLM_ARTICLES * 4  # every sentence a grounded claim
        assert len(expected["extractions"]) == LLM_ARTICLES

        rng = random.Random(SEED + 1)
        landed: list[int] = []  # articles already finished when the kill landed
        for round_ in range(ROUNDS):
            db = tmp_path / f"llm-round-{round_}.duckdb"
            shutil.copy(ingested, db)
            calls_before = len(double.chat_requests)
            process = subprocess.Popen(
                extract(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
            )
            # kill once a random number of requests has reached the model, plus up to one
            # answer's wait: always while calls are in flight or answers are being committed
            kill_after = rng.randint(1, LLM_ARTICLES - 1)
            deadline = time.monotonic() + 60
            while (
                len(double.chat_requests) - calls_before < kill_after
                and process.poll() is None
                and time.monotonic() < deadline
            ):
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.06))
            process.send_signal(signal.SIGKILL)
            process.wait()
            finished = len(llm_snapshot(db)["extractions"])
            landed.append(finished)
            time.sleep(0.2)  # a request sent just before the kill is logged by the double
            calls_killed_run = len(double.chat_requests) - calls_before

            again = subprocess.run(extract(db), capture_output=True, text=True, env=env)

            assert again.returncode == 0, f"round {round_}: {again.stderr}"
            summary = json.loads(again.stdout)
            assert summary["articles_extracted"] == LLM_ARTICLES - finished, (
                f"round {round_}: the second run redid committed articles"
            )
            assert llm_snapshot(db) == expected, f"round {round_}: killed at {finished} done"
            # nothing committed was asked again: the second run's calls are for the rest only
            calls_second_run = len(double.chat_requests) - calls_before - calls_killed_run
            assert calls_second_run == LLM_ARTICLES - finished
    print(f"\n{ROUNDS} kills during LLM extraction; articles finished when killed: {landed}")
