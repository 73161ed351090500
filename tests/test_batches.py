"""Backfills through the OpenAI Batch API (``extract --batch``, ``track --batch``) against the
test double's ``/v1/files`` and ``/v1/batches``, with the real openai client.

The double answers each request line of a batch with the reply its responder gives for that
body, exactly as it answers a live chat completion, so the same careful models as the live tests
(:class:`test_extract_llm.FakeModel`, :class:`test_track_llm.Judge`) answer here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_extract_llm
from llm_double import LLMDouble, http_error, structured
from test_extract_llm import (
    FABRICATED,
    ITEMS_A,
    ITEMS_B,
    TEXT_A,
    FakeModel,
    article,
    article_id_with,
    assert_sound,
    cli_env,
    extraction_of,
    item_count,
    llm_settings,
    query,
    run_extract,
    with_made_up_items,
    write_corpus,
)
from test_track_llm import SIGNED, Judge, settings_for
from test_tracking import build, proposals
from test_tracking import write_corpus as write_tracking_corpus

from claimtrack.config import load_settings
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.services.batches import (
    ExtractBatchRun,
    TrackBatchRun,
    extract_in_batches,
    track_in_batches,
)
from claimtrack.services.extract import ExtractOptions
from claimtrack.services.track import TrackOptions
from claimtrack.store import Store
from claimtrack.tracking.pipeline import track_with_llm_backend


@pytest.fixture
def double() -> Iterator[LLMDouble]:
    with LLMDouble(responder=FakeModel()) as running:
        yield running


# articles A and B ingested: test_extract_llm's fixture, shared by name
articles_ab = test_extract_llm.articles_ab


def extract_batch(store: Store) -> ExtractBatchRun:
    return extract_in_batches(store, load_settings(), ExtractOptions(backend="llm"))


def batch_rows(db: Path) -> list[tuple[str, str, int, int]]:
    """(status, purpose, requests, articles) of each recorded batch, oldest first."""
    return [
        (str(status), str(purpose), int(requests), int(articles))
        for status, purpose, requests, articles in query(
            db,
            """
            SELECT b.status, b.purpose, b.requests, count(ba.article_id)
            FROM llm_batches b LEFT JOIN llm_batch_articles ba ON ba.batch_id = b.id
            GROUP BY b.id, b.status, b.purpose, b.requests, b.submitted_at
            ORDER BY b.submitted_at
            """,
        )
    ]


def bodies(lines: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(line["body"], sort_keys=True) for line in lines)


# -- extraction -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json_schema", "md_json"])
def test_extract_batch_submits_the_live_requests_then_collects_grounded_items(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    articles_ab: Store,
    double: LLMDouble,
    mode: str,
) -> None:
    llm_settings(monkeypatch, double, CLAIMTRACK_LLM_MODE=mode)
    double.next_batches(in_progress=1)
    db = articles_ab.path

    submitted = extract_batch(articles_ab)

    assert [b["articles"] for b in submitted.batches.submitted] == [2]
    assert double.chat_requests == [] and item_count(db) == 0
    assert batch_rows(db) == [("submitted", "extract", 2, 2)]
    [batch] = double.batches
    assert batch.endpoint == "/v1/chat/completions" and batch.completion_window == "24h"
    # each line is the very body a live call sends (same articles, same settings)
    live_store = Store(tmp_path / "live.duckdb")
    ingest_paths([str(tmp_path / "in")], live_store, limits=Limits(max_article_bytes=1_000_000))
    assert run_extract(live_store, llm_settings(monkeypatch, double)).articles_extracted == 2
    assert bodies(batch.lines) == bodies([{"body": r.body} for r in double.chat_requests])
    # while the batch runs, a normal run leaves its articles alone and a rerun sends nothing new
    assert run_extract(articles_ab, llm_settings(monkeypatch, double)).articles_pending == 0
    waiting = extract_batch(articles_ab)
    assert [b["status"] for b in waiting.batches.waiting] == ["in_progress"]
    assert waiting.batches.submitted == [] and len(double.batches) == 1

    collected = extract_batch(articles_ab)

    assert [b["batch_id"] for b in collected.batches.collected] == [batch.id]
    report = collected.report
    assert report.articles_extracted == 2 and report.failed == []
    assert report.items_new == ITEMS_A + ITEMS_B and report.llm_calls == 2
    assert collected.batches.submitted == [] and len(double.batches) == 1
    assert batch_rows(db) == [("collected", "extract", 2, 2)]
    assert extraction_of(db, "Elm")["status"] == "done"
    assert extraction_of(db, "Elm")["mode"] == mode
    outcomes = query(db, "SELECT outcome, request_hash, prompt_tokens FROM llm_calls")
    assert len(outcomes) == 2 and all(o == "ok" and tokens > 0 for o, _, tokens in outcomes)
    assert {key for _, key, _ in outcomes} == {line["custom_id"] for line in batch.lines}
    assert_sound(db)
    assert extract_batch(articles_ab).batches.to_json()["submitted"] == []


def test_made_up_quotes_in_a_batch_answer_are_dropped_and_a_failed_line_fails_its_article(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble
) -> None:
    double.responder = FakeModel(
        faults={
            "Elm": [lambda t: structured(with_made_up_items(t))],
            "library": [lambda t: http_error(400, "the request was refused")],
        }
    )
    llm_settings(monkeypatch, double)
    db = articles_ab.path
    extract_batch(articles_ab)

    run = extract_batch(articles_ab)

    report = run.report
    assert report.articles_extracted == 1 and report.items_dropped == 2
    assert item_count(db, "Elm") == ITEMS_A and item_count(db, "library") == 0
    record = extraction_of(db, "Elm")
    assert FABRICATED in json.loads(record["dropped"])
    [failure] = report.failed
    assert failure["article_id"] == article_id_with(db, "library")
    assert "HTTP 400" in failure["error"] and "the request was refused" in failure["error"]
    assert extraction_of(db, "library")["status"] == "failed"
    assert_sound(db)
    # the failed article is not sent in a batch again: a normal run re-asks it
    again = extract_batch(articles_ab)
    assert again.batches.submitted == [] and again.batches.left_for_live_run == 1
    live = run_extract(articles_ab, llm_settings(monkeypatch, double))
    assert live.articles_extracted == 1 and item_count(db, "library") == ITEMS_B
    assert_sound(db)


def test_an_expired_batch_is_reported_and_its_articles_left_for_a_normal_run(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble
) -> None:
    llm_settings(monkeypatch, double)
    double.next_batches(outcome="expired")
    db = articles_ab.path
    extract_batch(articles_ab)

    run = extract_batch(articles_ab)

    assert [b["status"] for b in run.batches.ended] == ["expired"]
    assert run.batches.collected == [] and run.batches.submitted == []
    assert batch_rows(db) == [("expired", "extract", 2, 2)] and item_count(db) == 0
    live = run_extract(articles_ab, llm_settings(monkeypatch, double))
    assert live.articles_pending == 2 and live.articles_extracted == 2
    assert_sound(db)


def test_a_collect_interrupted_after_storing_is_finished_by_the_next_run(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble
) -> None:
    llm_settings(monkeypatch, double)
    db = articles_ab.path
    extract_batch(articles_ab)
    extract_batch(articles_ab)
    # as if the run had died after storing the items, before marking the batch collected
    with articles_ab.write() as con:
        con.execute("UPDATE llm_batches SET status = 'collecting'")

    run = extract_batch(articles_ab)

    assert len(run.batches.collected) == 1 and run.report.articles_pending == 0
    assert batch_rows(db) == [("collected", "extract", 2, 2)]
    assert item_count(db) == ITEMS_A + ITEMS_B
    assert_sound(db)


@pytest.mark.slow
def test_cli_extract_batch_submits_then_collects(
    tmp_path: Path, db_path: Path, run_cli: Any, double: LLMDouble
) -> None:
    corpus = write_corpus(tmp_path / "in", [article(TEXT_A, title="Bridge")])
    assert run_cli("ingest", corpus, db=db_path).returncode == 0
    env = cli_env(double)

    first = run_cli("extract", "--batch", db=db_path, env=env)
    second = run_cli("extract", "--batch", "--json", db=db_path, env=env)

    assert first.returncode == 0, first.stderr
    assert "Submitted batch batch_double_" in first.stderr
    assert "Run 'claimtrack extract --batch' again to collect it" in first.stderr
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout)
    assert summary["articles_extracted"] == 1 and summary["failed"] == []
    assert summary["items_new"] == ITEMS_A and summary["llm_calls"] == 1
    assert [b["status"] for b in summary["batches"]["collected"]] == ["completed"]
    assert {"articles_ingested", "articles_tracked", "proposals_created"} <= set(summary)
    assert_sound(db_path)


def test_cli_extract_batch_refuses_the_rules_backend(db_path: Path, run_cli: Any) -> None:
    done = run_cli("extract", "--batch", "--backend", "rules", db=db_path)

    assert done.returncode == 2 and "--batch" in done.stderr and "Traceback" not in done.stderr


# -- tracking -------------------------------------------------------------------------------------


def track_batch(store: Store) -> TrackBatchRun:
    return track_in_batches(store, load_settings(), TrackOptions(backend="llm"))


def test_track_batch_submits_the_live_request_then_proposes_as_a_live_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: Store
) -> None:
    monkeypatch.setenv("CLAIMTRACK_EMBEDDINGS_MODEL", "none")
    judge = Judge()
    with LLMDouble(responder=judge) as double:
        settings = settings_for(monkeypatch, double.base_url)
        build(store, write_tracking_corpus(tmp_path / "in"))
        live_store = Store(tmp_path / "live.duckdb")
        build(live_store, write_tracking_corpus(tmp_path / "live"))
        track_with_llm_backend(live_store, settings, load_track_prompt())
        live_bodies = bodies([{"body": r.body} for r in double.chat_requests])

        submitted = track_batch(store)
        [batch] = double.batches
        collected = track_batch(store)

    # the one article with candidates is asked about, with the body a live call sends
    assert bodies(batch.lines) == live_bodies and len(batch.lines) == 1
    assert [b["articles"] for b in submitted.batches.submitted] == [3]
    assert submitted.report.articles_tracked == 0
    report = collected.report
    assert report.articles_tracked == 3 and report.failed == [] and report.llm_calls == 1
    assert batch_rows(store.path) == [("collected", "track", 1, 3)]
    assert [(p.relation, p.to_status, p.quote) for p in proposals(store)] == [
        ("finalizes", "finalized", SIGNED)
    ]
    assert [(p.relation, p.quote) for p in proposals(store)] == [
        (p.relation, p.quote) for p in proposals(live_store)
    ]


def load_track_prompt() -> Any:
    from claimtrack.prompts import load_prompt

    return load_prompt("track")
