"""Extraction through a real local model: SmolLM2-135M-Instruct behind llama-cpp-python's server.

The model is tiny and makes things up (paraphrased or invented quotes, invented speakers), loops
until the token limit, and puts raw newlines inside JSON strings. That is the point: the test
proves that whatever a real model answers, claimtrack stores only grounded items, counts what it
rejected, keeps every raw answer in the call log, and records the article as done or as failed
with a reason, never loses it.

Needs the ``local-model`` extra (see ``tests/local_model.py``); skipped without it, except under
``CLAIMTRACK_REQUIRE_LOCAL_MODEL=1`` (CI), where a missing model fails. Deselect it with
``-m "not local_model"``.

The outcome is deterministic for a given llama.cpp build (temperature 0), but not asserted as such:
a newer llama-cpp-python may answer differently. Measured with 0.3.36 on 2 cores, the seed
article (two chunks at 1200 tokens) takes 4 calls in 35-45 s: the first chunk's first answer
proposes one commitment whose quote is not in the article, its re-ask answer runs to the token
limit, so the first answer is read leniently (0 kept, 1 dropped); both answers for the second
chunk run to the token limit, so the article is recorded failed with that reason (exit 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from local_model import MODEL_ALIAS, LocalServer, serve
from pydantic import ValidationError

from claimtrack.extraction.chunking import split_into_chunks
from claimtrack.extraction.grounding import ArticleIndex
from claimtrack.extraction.models import PUBLICATION_SPEAKERS, ArticleExtraction

SEED = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "articles"
    / "seed"
    / "coalition-of-the-willing-2026-01-07.md"
)
CHUNK_TOKENS = 1200  # two chunks; the largest request (a re-ask) is ~2,100 of the 8,192 tokens
MAX_TOKENS = 384  # answers that parse take 90-220 tokens; this cuts the model's loops short


@pytest.fixture(scope="module")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    log = tmp_path_factory.mktemp("local-model") / "llama-server.log"
    with serve(log) as server:
        yield server


def _json(text: str | None) -> dict[str, Any] | None:
    """An answer as claimtrack's lenient reader takes it (raw control characters allowed)."""
    if not text:
        return None
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _ungrounded(answer: ArticleExtraction, index: ArticleIndex, publication: str) -> int:
    """Items of an answer that the grounding rule rejects: a quote not in the article, or a
    claim whose speaker is neither named in the article nor the publication itself."""
    count = 0
    for claim in answer.claims:
        speaker = claim.speaker.strip().casefold()
        speaker_ok = (
            speaker in PUBLICATION_SPEAKERS
            or speaker == publication.casefold()
            or index.locate(claim.speaker) is not None
        )
        if index.locate(claim.quote) is None or not speaker_ok:
            count += 1
    count += sum(1 for c in answer.commitments if index.locate(c.quote) is None)
    return count


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.local_model
@pytest.mark.slow
def test_seed_article_through_a_real_local_model(
    local_model: LocalServer, run_cli: Any, tmp_path: Path
) -> None:
    db = tmp_path / "local.duckdb"
    ingested = run_cli("ingest", SEED, "--json", db=db)
    assert ingested.returncode == 0, ingested.stderr

    result = run_cli(
        "extract",
        "--backend",
        "llm",
        "--json",
        db=db,
        env={
            "OPENAI_BASE_URL": local_model.base_url,
            "OPENAI_API_KEY": "not-needed",
            "CLAIMTRACK_MODEL": MODEL_ALIAS,
            "CLAIMTRACK_LLM_MODE": "tools",  # the server answers json_schema with HTTP 500
            "CLAIMTRACK_LLM_REASKS": "1",
            "CLAIMTRACK_LLM_RETRIES": "0",  # one request at a time: a retry only queues behind
            "CLAIMTRACK_LLM_TIMEOUT": "120",
            "CLAIMTRACK_LLM_MAX_TOKENS": str(MAX_TOKENS),
            "CLAIMTRACK_CHUNK_TOKENS": str(CHUNK_TOKENS),
        },
        timeout=300,
    )
    context = (
        f"exit {result.returncode}\nstdout: {result.stdout[-2000:]}\nstderr: "
        f"{result.stderr[-2000:]}\nserver log:\n{local_model.log_tail(15)}"
    )
    # 0: the article is done; 1: it is recorded failed (the model's answer was not usable).
    # Anything else (a crash, 75 for an unreachable endpoint) is a failure of this test.
    assert result.returncode in (0, 1), context
    summary = json.loads(result.stdout)

    with duckdb.connect(str(db), read_only=True) as con:
        (article,) = _rows(con, "SELECT id, text, source FROM articles")
        (extraction,) = _rows(
            con,
            "SELECT * FROM extractions WHERE article_id = ? AND backend = 'llm'",
            article["id"],
        )
        items = _rows(con, "SELECT * FROM items WHERE article_id = ?", article["id"])
        calls = _rows(
            con,
            "SELECT * FROM llm_calls WHERE article_id = ? ORDER BY called_at, attempt",
            article["id"],
        )
    text: str = article["text"]
    index = ArticleIndex(text)
    publication = article["source"] or "the publication"

    # the article is never lost: done (exit 0) or failed with a reason (exit 1)
    assert extraction["model"] == MODEL_ALIAS and extraction["mode"] == "tools", extraction
    if extraction["status"] == "done":
        assert result.returncode == 0 and summary["failed"] == [], context
        assert extraction["error"] is None
    else:
        assert extraction["status"] == "failed", extraction
        assert result.returncode == 1, context
        assert extraction["error"], "a failed article must say why"
        assert [f["article_id"] for f in summary["failed"]] == [article["id"]], context
        assert not items, "a failed extraction stores no items"

    # the call log: every request, each with the model's raw answer; none failed in transport
    assert calls, "no call was logged"
    assert extraction["llm_calls"] == len(calls)
    assert all(call["outcome"] in ("ok", "invalid") for call in calls), [
        (c["outcome"], c["error"]) for c in calls
    ]
    assert all(call["response"] is not None for call in calls)
    answers = [_json(call["response"]) for call in calls]
    proposed = [
        item
        for answer in answers
        if answer is not None
        for key in ("claims", "commitments")
        if isinstance(answer.get(key), list)
        for item in answer[key]
    ]
    assert proposed, (
        "the model proposed nothing in any call, so nothing was tested: "
        f"{[c['response'] for c in calls]}"
    )

    # every stored item is grounded: its quote is the article's text at its offsets
    for item in items:
        assert item["quote"] == text[item["span_start"] : item["span_end"]], item
        if item["speaker_start"] is not None:
            assert item["speaker"] == text[item["speaker_start"] : item["speaker_end"]], item
        if item["cue_start"] is not None:
            assert item["cue"] == text[item["cue_start"] : item["cue_end"]], item
    assert extraction["items_found"] == len(items)

    # the rejected items are counted: recompute the count from the call log. Per chunk (one
    # request hash, in order): an answer that validated ('ok') rejected nothing; otherwise the
    # last answer that parses is read leniently and its ungrounded items are dropped; a chunk
    # with no readable answer ends the article (failed), and no later chunk is asked.
    chunks = split_into_chunks(text, CHUNK_TOKENS)
    assert extraction["chunks"] == len(chunks)
    by_chunk: dict[str, list[dict[str, Any]]] = {}
    for call in calls:
        by_chunk.setdefault(call["request_hash"], []).append(call)
    expected_dropped = 0
    chunk_failed = False
    for chunk_calls in by_chunk.values():
        assert not chunk_failed, "a chunk was asked after an earlier chunk failed"
        assert len(chunk_calls) <= 2, "more calls than 1 re-ask allows"
        if any(call["outcome"] == "ok" for call in chunk_calls):
            continue
        readable = [a for a in map(_json, (c["response"] for c in chunk_calls)) if a is not None]
        try:
            answer = ArticleExtraction.model_validate(readable[-1]) if readable else None
        except ValidationError:
            answer = None
        if answer is None:
            chunk_failed = True
            continue
        expected_dropped += _ungrounded(answer, index, publication)
    assert chunk_failed == (extraction["status"] == "failed"), (chunk_failed, extraction)
    if extraction["status"] == "done":
        assert len(by_chunk) == len(chunks)
    assert extraction["items_dropped"] == expected_dropped, (extraction, calls)
    dropped = json.loads(extraction["dropped"]) if extraction["dropped"] else []
    assert len(dropped) == extraction["items_dropped"], dropped

    # what this run measured, shown with -rP or on failure
    print(
        f"status={extraction['status']} chunks={extraction['chunks']} calls={len(calls)} "
        f"proposed={len(proposed)} stored={len(items)} dropped={extraction['items_dropped']} "
        f"tokens={summary['prompt_tokens']}+{summary['completion_tokens']} "
        f"seconds={summary.get('seconds')} error={extraction['error']!r}"
    )


def test_lenient_reader_takes_the_last_answer_that_parses() -> None:
    """Offline: a re-ask answer cut off at the token limit does not hide the readable one before
    it, and raw newlines inside strings (as SmolLM2 writes them) are read."""
    from claimtrack.llm import CallRecord, _last_readable_answer

    def record(response: str | None) -> CallRecord:
        return CallRecord(
            purpose="extract",
            article_id="a",
            model=MODEL_ALIAS,
            mode="tools",
            prompt_id="p",
            request_hash="h",
            backend_url=None,
            attempt=1,
            called_at=datetime(2026, 1, 7),
            response=response,
        )

    first = '{"commitments": [{"quote": "line one\nline two"}]}'
    cut_off = '{"claims": [{"speaker": "Starmer", "quote": "the toughest phase'
    assert _last_readable_answer([record(first), record(cut_off)]) == {
        "commitments": [{"quote": "line one\nline two"}]
    }
    assert _last_readable_answer([record(cut_off), record(None)]) is None
    assert _last_readable_answer([record(first), record('{"claims": []}')]) == {"claims": []}
