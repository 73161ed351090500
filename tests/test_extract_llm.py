"""LLM extraction through the OpenAI-compatible test double (``tests/llm_double.py``).

Two levels: the real command line in a subprocess (``claimtrack ingest`` then ``claimtrack extract
--backend llm``) for the end-to-end cases and exit codes, and direct calls to
:func:`extract_with_llm_backend` on a store in ``tmp_path`` for the detailed fault cases.

The double answers through :class:`FakeModel`, a careful model: it reads the article text out of
the rendered user message and reports every ``<speaker> said that <quote>.`` sentence and every
``The council will <action>.`` sentence of it, quotes copied verbatim. Faults are queued per
article (by a word of its text), so which article meets a fault does not depend on the order in
which concurrent requests arrive.

Every test ends with :func:`assert_sound`: each stored quote is ``article.text[start:end]``, the
speaker and cue spans too, no item is stored twice, no item comes from an unfinished extraction,
and no made-up quote reached the database.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
from llm_double import (
    LLMDouble,
    RecordedRequest,
    Reply,
    cut_off,
    disconnect,
    empty,
    rate_limited,
    server_error,
    slow,
    structured,
    truncated_json,
)

from claimtrack.extraction.answers import items_from_answer, merge_items
from claimtrack.extraction.chunking import split_into_chunks
from claimtrack.extraction.grounding import ArticleIndex, Span
from claimtrack.extraction.llm_extractor import LLMExtractor
from claimtrack.extraction.models import ArticleExtraction
from claimtrack.extraction.pipeline import ExtractReport, extract_articles, extract_with_llm_backend
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.llm import LLMSettings, LLMUnavailable, cached_call
from claimtrack.prompts import PROMPTS_DIR, load_prompt
from claimtrack.store import Store, llm_log, utc_now

RunCli = Callable[..., subprocess.CompletedProcess[str]]

MODEL = "double-model"
PLANTED_KEY = "sk-planted-3f9a0c77d1e24b5b"  # must never be written anywhere

SPEAKERS = {
    "Mayor Ana Ruiz": ("Ana Ruiz", "Mayor"),
    "Treasurer Bo Lind": ("Bo Lind", "Treasurer"),
    "Councillor Femi Okafor": ("Femi Okafor", "Councillor"),
    "Director Lena Vos": ("Lena Vos", "Director"),
}
CLAIM = re.compile(
    r"(?P<speaker>" + "|".join(map(re.escape, SPEAKERS)) + r") (?P<cue>said|warned|added) "
    r"that (?P<quote>[^.]+)\."
)
COMMITMENT = re.compile(r"The council will (?P<action>[^.]+)\.")
FABRICATED = "the bridge was sold to a private investor"

# Two small invented articles: A has 2 claims and 1 commitment, B has 2 claims.
TEXT_A = (
    "Mayor Ana Ruiz said that the Elm Street bridge will reopen in March.\n\n"
    "Treasurer Bo Lind warned that the repairs had cost twice the first estimate.\n\n"
    "The council will repave Elm Street before the summer."
)
TEXT_B = (
    "Councillor Femi Okafor said that the library will open on Sundays from May.\n\n"
    "Director Lena Vos added that three new librarians would be hired."
)
ITEMS_A, ITEMS_B = 3, 2


def article(text: str, *, title: str, published: str = "2026-01-07") -> dict[str, str]:
    return {"title": title, "published": published, "source": "Harbour Gazette", "text": text}


def write_corpus(folder: Path, articles: Sequence[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    return path


def answer_for(text: str) -> dict[str, Any]:
    """What a careful model answers for ``text``: every claim and commitment, verbatim."""
    claims = []
    for match in CLAIM.finditer(text):
        canonical, role = SPEAKERS[match["speaker"]]
        claims.append(
            {
                "speaker": match["speaker"],
                "speaker_canonical": canonical,
                "speaker_role": role,
                "cue": match["cue"],
                "quote": match["quote"],
                "direct": False,
                "claim_type": "prediction",
                "claim": f"{canonical} {match['cue']} on 7 January 2026 that {match['quote']}.",
            }
        )
    commitments = [
        {
            "actors": ["The council"],
            "action": match["action"],
            "stage": "proposed",
            "reported_by": None,
            "quote": f"will {match['action']}",
            "statement": f"The council will {match['action']}.",
        }
        for match in COMMITMENT.finditer(text)
    ]
    return {"claims": claims, "commitments": commitments}


def with_made_up_items(text: str) -> dict[str, Any]:
    """The careful answer plus a quote that is not in the article and a speaker who is not."""
    answer = answer_for(text)
    first = answer["claims"][0]
    answer["claims"] += [
        {**first, "quote": FABRICATED, "claim": "A claim the article does not make."},
        {**first, "speaker": "Senator Nobody", "speaker_canonical": "Nobody"},
    ]
    return answer


def article_text_of(body: dict[str, Any]) -> str:
    """The article (or chunk) text in a request: the first user message, after its header line
    ``Article published ... by {publication}:`` and a blank line (see prompts/extract.md)."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return str(user).split(":\n\n", 1)[1]


FaultFactory = Callable[[str], Reply]


@dataclass
class FakeModel:
    """A responder for :class:`LLMDouble`: queued faults per article, then careful answers.

    ``faults`` maps a word of an article's text to the replies (built from the article text)
    that the article's first requests get. ``delay`` is slept inside the responder, so that
    ``max_in_flight`` counts requests the server is working on at the same time.
    """

    faults: dict[str, list[FaultFactory]] = field(default_factory=dict)
    delay: float = 0.0
    texts: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, body: dict[str, Any]) -> Reply:
        text = article_text_of(body)
        with self.lock:
            self.texts.append(text)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            queue = next((q for word, q in self.faults.items() if word in text and q), None)
            fault = queue.pop(0) if queue else None
        try:
            if self.delay:
                time.sleep(self.delay)
        finally:
            with self.lock:
                self.in_flight -= 1
        return fault(text) if fault else structured(answer_for(text))


@pytest.fixture
def double() -> Iterator[LLMDouble]:
    with LLMDouble(responder=FakeModel()) as running:
        yield running


def requests_for(double: LLMDouble, word: str) -> list[RecordedRequest]:
    return [r for r in double.chat_requests if word in article_text_of(r.body)]


# -- reading the database -------------------------------------------------------------------------


def query(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def article_id_with(db: Path, word: str) -> str:
    rows = query(db, "SELECT id FROM articles WHERE contains(text, ?)", [word])
    assert len(rows) == 1, f"one article contains {word!r}"
    return str(rows[0][0])


def extraction_of(db: Path, word: str) -> dict[str, Any]:
    rows = query(
        db,
        """
        SELECT backend, model, prompt_id, mode, status, items_found, items_new, items_dropped,
            dropped, chunks, llm_calls, error
        FROM extractions WHERE article_id = ? ORDER BY finished_at DESC
        """,
        [article_id_with(db, word)],
    )
    assert rows, f"no extraction record for the article with {word!r}"
    keys = ("backend", "model", "prompt_id", "mode", "status", "items_found", "items_new",
            "items_dropped", "dropped", "chunks", "llm_calls", "error")  # fmt: skip
    return dict(zip(keys, rows[0], strict=True))


def calls_of(db: Path, word: str) -> list[dict[str, Any]]:
    rows = query(
        db,
        """
        SELECT model, prompt_id, mode, request_hash, attempt, outcome, error, prompt_tokens,
            completion_tokens, latency_ms, response
        FROM llm_calls WHERE article_id = ? ORDER BY called_at, attempt
        """,
        [article_id_with(db, word)],
    )
    keys = ("model", "prompt_id", "mode", "request_hash", "attempt", "outcome", "error",
            "prompt_tokens", "completion_tokens", "latency_ms", "response")  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in rows]


def item_count(db: Path, word: str | None = None) -> int:
    if word is None:
        return int(query(db, "SELECT count(*) FROM items")[0][0])
    sql = "SELECT count(*) FROM items WHERE article_id = ?"
    return int(query(db, sql, [article_id_with(db, word)])[0][0])


def assert_sound(db: Path) -> None:
    """Every stored quote (and speaker and cue) is verbatim at its offsets; nothing is stored
    twice; nothing comes from an unfinished extraction; no made-up quote got in."""
    rows = query(
        db,
        """
        SELECT i.kind, i.quote, i.span_start, i.span_end, i.speaker, i.speaker_start,
            i.speaker_end, i.cue, i.cue_start, i.cue_end, a.text, e.status
        FROM items i JOIN articles a ON a.id = i.article_id
        LEFT JOIN extractions e ON e.id = i.extraction_id
        """,
    )
    for kind, quote, start, end, speaker, s_start, s_end, cue, c_start, c_end, text, status in rows:
        assert quote == text[start:end], f"ungrounded {kind}: {quote!r} at {start}:{end}"
        assert FABRICATED not in quote
        if s_start is not None:
            assert speaker == text[s_start:s_end]
        if c_start is not None:
            assert cue == text[c_start:c_end]
        assert status == "done", f"item {quote!r} comes from an extraction that is {status}"
    duplicates = query(
        db,
        """
        SELECT a.article_id, a.kind, a.span_start, a.span_end
        FROM items a JOIN items b
          ON a.article_id = b.article_id AND a.kind = b.kind AND a.id <> b.id
         AND b.span_start <= a.span_start AND a.span_end <= b.span_end
        """,
    )
    assert duplicates == [], "an item is stored twice (same span, or inside another)"
    events = query(
        db, "SELECT count(*) FROM items WHERE id NOT IN (SELECT item_id FROM item_events)"
    )
    assert events == [(0,)], "every item has its first status event"


# -- direct calls ---------------------------------------------------------------------------------


@pytest.fixture
def articles_ab(tmp_path: Path, store: Store) -> Store:
    corpus = write_corpus(
        tmp_path / "in", [article(TEXT_A, title="Bridge"), article(TEXT_B, title="Library")]
    )
    report = ingest_paths([str(corpus)], store, limits=Limits(max_article_bytes=1_000_000))
    assert report.ingested == 2
    return store


def llm_settings(
    monkeypatch: pytest.MonkeyPatch, double: LLMDouble, **env: str | float
) -> LLMSettings:
    """Settings as the CLI reads them: from the environment, pointed at the double."""
    values: dict[str, str | float] = {
        "OPENAI_BASE_URL": double.base_url,
        "OPENAI_API_KEY": PLANTED_KEY,
        "CLAIMTRACK_MODEL": MODEL,
        "CLAIMTRACK_LLM_BACKOFF": 0,
        "CLAIMTRACK_LLM_RETRIES": 1,
        "CLAIMTRACK_LLM_REASKS": 1,
        **env,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    return LLMSettings.from_env()


def run_extract(store: Store, settings: LLMSettings, **options: Any) -> ExtractReport:
    return extract_with_llm_backend(store, settings, load_prompt("extract"), **options)


# -- the happy path, end to end -------------------------------------------------------------------


def cli_env(double_or_url: LLMDouble | str, **extra: str) -> dict[str, str | None]:
    url = double_or_url if isinstance(double_or_url, str) else double_or_url.base_url
    return {
        "OPENAI_BASE_URL": url,
        "OPENAI_API_KEY": PLANTED_KEY,
        "CLAIMTRACK_MODEL": MODEL,
        "CLAIMTRACK_LLM_BACKOFF": "0",
        **extra,
    }


def ingest_cli(run_cli: RunCli, db: Path, corpus: Path) -> None:
    done = run_cli("ingest", corpus, db=db, script=True)
    assert done.returncode == 0, done.stderr


def ingest_direct(db: Path, corpus: Path) -> None:
    report = ingest_paths([str(corpus)], Store(db), limits=Limits(max_article_bytes=1_000_000))
    assert report.ingested > 0 and report.failed == []


def extract_cli(
    run_cli: RunCli, db: Path, env: dict[str, str | None], *options: str | Path
) -> tuple[int, dict[str, Any], str]:
    done = run_cli("extract", "--backend", "llm", "--json", *options, db=db, env=env, script=True)
    summary = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, summary, done.stderr


def assert_key_not_stored(db: Path) -> None:
    for path in (db, db.with_name(db.name + ".wal")):
        if path.exists():
            assert PLANTED_KEY.encode() not in path.read_bytes(), f"the API key is in {path}"
    dump = json.dumps(query(db, "SELECT * FROM llm_calls"), default=str)
    dump += json.dumps(query(db, "SELECT * FROM extractions"), default=str)
    assert PLANTED_KEY not in dump


@pytest.mark.slow
def test_cli_happy_path_stores_grounded_items_and_logs_every_call(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    db_path: Path,
    run_cli: RunCli,
    double: LLMDouble,
) -> None:
    corpus = write_corpus(
        tmp_path / "in", [article(TEXT_A, title="Bridge"), article(TEXT_B, title="Library")]
    )
    ingest_cli(run_cli, db_path, corpus)

    code, summary, stderr = extract_cli(run_cli, db_path, cli_env(double))

    assert code == 0, stderr
    assert summary["articles_extracted"] == 2 and summary["failed"] == []
    assert summary["items_new"] == summary["items_found"] == ITEMS_A + ITEMS_B
    assert summary["llm_calls"] == 2 and summary["cache_hits"] == 0  # one call per article
    assert summary["model"] == MODEL and summary["prompt_tokens"] > 0
    assert len(double.chat_requests) == 2 and double.errors == []
    assert {r.body["model"] for r in double.chat_requests} == {MODEL}
    assert_sound(db_path)
    # the spans are located: the speaker as written, the reporting verb next to the quote
    rows = query(
        db_path,
        """
        SELECT i.kind, i.quote, i.speaker, i.speaker_canonical, i.cue, i.speaker_start,
            i.cue_start, i.span_start, s.to_status
        FROM items i JOIN item_events s ON s.item_id = i.id
        WHERE contains(i.quote, 'bridge') OR i.kind = 'commitment'
        ORDER BY i.kind
        """,
    )
    (claim, commitment) = rows
    assert claim[:5] == (
        "claim",
        "the Elm Street bridge will reopen in March",
        "Mayor Ana Ruiz",
        "Ana Ruiz",
        "said",
    )
    assert claim[5] == 0 and claim[5] < claim[6] < claim[7] and claim[8] == "open"
    assert (
        commitment[0] == "commitment"
        and commitment[1] == "will repave Elm Street before the summer"
    )
    assert commitment[8] == "pending"
    # the extraction record names the prompt, model, backend and mode
    prompt_id = load_prompt("extract").id
    for word, count in (("Elm", ITEMS_A), ("library", ITEMS_B)):
        record = extraction_of(db_path, word)
        assert record["backend"] == "llm" and record["model"] == MODEL
        assert record["prompt_id"] == prompt_id and record["mode"] == "tools"
        assert record["status"] == "done" and record["error"] is None
        assert record["items_found"] == record["items_new"] == count
        assert record["chunks"] == 1 and record["llm_calls"] == 1 and record["items_dropped"] == 0
        (call,) = calls_of(db_path, word)
        assert call["outcome"] == "ok" and call["error"] is None and call["attempt"] == 1
        assert call["model"] == MODEL and call["prompt_id"] == prompt_id and call["mode"] == "tools"
        assert re.fullmatch(r"[0-9a-f]{64}", call["request_hash"])
        assert call["prompt_tokens"] > 0 and call["completion_tokens"] > 0
        assert call["latency_ms"] > 0 and "quote" in call["response"]
    assert_key_not_stored(db_path)

    # running again (same prompt, model and backend): every article is skipped, nothing is asked
    again = run_extract(Store(db_path), llm_settings(monkeypatch, double))
    assert again.articles_pending == 0 and again.llm_calls == again.cache_hits == 0
    assert len(double.chat_requests) == 2
    assert item_count(db_path) == ITEMS_A + ITEMS_B


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_every_mode_extracts_and_reasks_through_the_double(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble, mode: str
) -> None:
    # B's first answer makes up a quote: the re-ask is shaped for the mode
    double.responder = FakeModel(faults={"library": [lambda t: structured(with_made_up_items(t))]})
    settings = llm_settings(monkeypatch, double, CLAIMTRACK_LLM_MODE=mode)

    report = run_extract(articles_ab, settings)

    assert report.articles_extracted == 2 and report.failed == []
    assert report.items_new == ITEMS_A + ITEMS_B and report.items_dropped == 0
    first = double.chat_requests[0].body
    assert ("tools" in first) == (mode == "tools")
    assert ("response_format" in first) == (mode == "json")
    reasked = requests_for(double, "library")[-1].messages
    assert len(reasked) == 4 and reasked[2]["role"] == "assistant"
    assert reasked[3]["role"] == ("tool" if mode == "tools" else "user")
    assert FABRICATED in reasked[3]["content"] and "not grounded" in reasked[3]["content"]
    db = articles_ab.path
    assert {extraction_of(db, w)["mode"] for w in ("Elm", "library")} == {mode}
    assert_sound(db)


# -- one test per fault ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    reply: FaultFactory
    handled_by: str  # "retry" (same request again), "reask" (with the error), "next run"
    call_reason: str  # in the failed call's llm_calls.error
    failure_reason: str  # in extractions.error once the fault persists


FAULTS = [
    Fault(
        "429 Retry-After", lambda t: rate_limited(retry_after=0.3), "retry", "HTTP 429", "HTTP 429"
    ),
    Fault("500", lambda t: server_error(), "retry", "HTTP 500", "HTTP 500"),
    Fault("connection reset", lambda t: disconnect(), "retry", "cannot reach", "cannot reach"),
    Fault(
        "truncated JSON",
        lambda t: truncated_json(answer_for(t)),
        "reask",
        "Invalid JSON",
        "not usable after 2 attempt(s)",
    ),
    Fault(
        "quote not in the article",
        lambda t: structured(with_made_up_items(t)),
        "reask",
        "not grounded in the article",
        "",  # never fails: the lenient fallback keeps the grounded items (tested below)
    ),
    Fault(
        "slow answer",
        lambda t: slow(1.6, structured(answer_for(t))),
        "retry",
        "did not answer in time",
        "did not answer in time",
    ),
    Fault("empty answer", lambda t: empty(), "reask", "No tool calls", "not usable after 2"),
    Fault(
        "cut by the token limit",
        lambda t: cut_off(answer_for(t)),
        "next run",
        "cut off at the token limit",
        "cut off at the token limit (max_tokens=",
    ),
]
FAULT_ENV = {"CLAIMTRACK_LLM_TIMEOUT": 1}  # the slow answer takes 1.6 s


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_fault_once_is_survived_and_recorded(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble, fault: Fault
) -> None:
    double.responder = FakeModel(faults={"Elm": [fault.reply]})
    settings = llm_settings(monkeypatch, double, **FAULT_ENV)
    db = articles_ab.path

    report = run_extract(articles_ab, settings, concurrency=2)

    calls = calls_of(db, "Elm")
    assert calls[0]["outcome"] == ("error" if fault.handled_by == "retry" else "invalid")
    assert fault.call_reason in (calls[0]["error"] or "")
    assert extraction_of(db, "library")["status"] == "done"  # the other article is untouched
    assert_sound(db)
    if fault.handled_by == "next run":  # not worth a re-ask: recorded failed, finished next run
        assert [f["article_id"] for f in report.failed] == [article_id_with(db, "Elm")]
        assert fault.failure_reason in extraction_of(db, "Elm")["error"]
        assert item_count(db, "Elm") == 0 and len(calls) == 1
        double.responder = FakeModel()
        report = run_extract(articles_ab, settings)
        assert report.articles_pending == 1 and report.articles_extracted == 1
        assert len(requests_for(double, "library")) == 1  # the done article is not asked again
    else:
        assert report.failed == [] and report.articles_extracted == 2
        first, second = requests_for(double, "Elm")
        assert [c["outcome"] for c in calls] == [calls[0]["outcome"], "ok"]
        assert [c["attempt"] for c in calls] == [1, 2]
        if fault.handled_by == "retry":  # the same request again, after the wait asked for
            assert second.messages == first.messages
        else:  # the model is told what was wrong with its answer
            assert len(second.messages) == 4
            assert fault.call_reason in second.messages[-1]["content"]
        if fault.name.startswith("429"):
            assert second.timestamp - first.timestamp >= 0.25  # Retry-After: 0.3, backoff 0
    record = extraction_of(db, "Elm")
    assert record["status"] == "done" and record["items_found"] == ITEMS_A
    assert record["items_dropped"] == 0
    assert item_count(db) == ITEMS_A + ITEMS_B
    assert_sound(db)


@pytest.mark.parametrize("fault", [f for f in FAULTS if f.failure_reason], ids=lambda f: f.name)
def test_a_fault_that_persists_fails_the_article_and_the_next_run_finishes_it(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble, fault: Fault
) -> None:
    # retries and re-asks are 1 each: two faults in a row spend them
    double.responder = FakeModel(faults={"Elm": [fault.reply, fault.reply]})
    settings = llm_settings(monkeypatch, double, **FAULT_ENV)
    db = articles_ab.path

    report = run_extract(articles_ab, settings, concurrency=2)

    elm = article_id_with(db, "Elm")
    assert report.articles_extracted == 1
    assert [f["article_id"] for f in report.failed] == [elm]
    assert fault.failure_reason in report.failed[0]["error"]
    record = extraction_of(db, "Elm")
    assert record["status"] == "failed" and fault.failure_reason in record["error"]
    assert record["items_found"] == 0 and item_count(db, "Elm") == 0
    calls = calls_of(db, "Elm")
    assert len(calls) == record["llm_calls"] == (1 if fault.handled_by == "next run" else 2)
    assert all(c["outcome"] in ("error", "invalid") and c["error"] for c in calls)
    assert item_count(db, "library") == ITEMS_B
    assert_sound(db)

    double.responder = FakeModel()
    asked_before = len(double.chat_requests)
    report = run_extract(articles_ab, settings, concurrency=2)

    assert report.articles_pending == 1 and report.articles_extracted == 1 and report.failed == []
    assert [article_text_of(r.body) for r in double.chat_requests[asked_before:]] == [TEXT_A]
    record = extraction_of(db, "Elm")
    assert record["status"] == "done" and record["error"] is None
    assert record["items_found"] == ITEMS_A and record["llm_calls"] == 1
    assert item_count(db) == ITEMS_A + ITEMS_B
    assert_sound(db)


def test_an_ungrounded_item_that_survives_the_reasks_is_dropped_and_counted(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble
) -> None:
    made_up = lambda t: structured(with_made_up_items(t))  # noqa: E731
    double.responder = FakeModel(faults={"Elm": [made_up, made_up]})
    settings = llm_settings(monkeypatch, double)  # 1 re-ask: 2 answers, both with made-up items
    db = articles_ab.path

    report = run_extract(articles_ab, settings)

    assert report.failed == [] and report.articles_extracted == 2
    assert report.items_dropped == 2 and report.items_new == ITEMS_A + ITEMS_B
    _, second = requests_for(double, "Elm")
    assert FABRICATED in second.messages[-1]["content"]
    assert "Senator Nobody" in second.messages[-1]["content"]
    record = extraction_of(db, "Elm")
    assert record["status"] == "done" and record["items_found"] == ITEMS_A
    assert record["items_dropped"] == 2
    dropped = json.loads(record["dropped"])
    assert FABRICATED in dropped
    assert any("Senator Nobody" in reason and "not named" in reason for reason in dropped)
    assert [c["outcome"] for c in calls_of(db, "Elm")] == ["invalid", "invalid"]
    assert item_count(db, "Elm") == ITEMS_A
    speakers = {row[0] for row in query(db, "SELECT speaker FROM items")}
    assert "Senator Nobody" not in speakers
    assert_sound(db)


def test_llm_unavailable_for_every_article_raises_after_recording_them(
    monkeypatch: pytest.MonkeyPatch, articles_ab: Store, double: LLMDouble
) -> None:
    double.responder = FakeModel(faults={"": [lambda t: server_error()] * 4})
    settings = llm_settings(monkeypatch, double)

    with pytest.raises(LLMUnavailable, match="HTTP 500") as raised:
        run_extract(articles_ab, settings)

    assert raised.value.exit_code == 75
    db = articles_ab.path
    for word in ("Elm", "library"):
        assert extraction_of(db, word)["status"] == "failed"
    assert item_count(db) == 0


# -- cache, chunking, concurrency (command line) --------------------------------------------------


def prompt_copy(folder: Path, version: int) -> Path:
    """prompts/extract.md with only its version changed: a new prompt id, the same messages."""
    original = (PROMPTS_DIR / "extract.md").read_text(encoding="utf-8")
    bumped = re.sub(r"(?m)^version: \d+$", f"version: {version}", original, count=1)
    assert bumped != original
    path = folder / f"extract-v{version}.md"
    path.write_text(bumped, encoding="utf-8")
    return path


@pytest.mark.slow
def test_cli_cache_answers_the_same_messages_for_free_and_no_cache_asks_again(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    db_path: Path,
    run_cli: RunCli,
    double: LLMDouble,
) -> None:
    corpus = write_corpus(
        tmp_path / "in", [article(TEXT_A, title="Bridge"), article(TEXT_B, title="Library")]
    )
    ingest_direct(db_path, corpus)
    first = run_extract(Store(db_path), llm_settings(monkeypatch, double))  # same settings as env
    assert first.llm_calls == 2 and len(double.chat_requests) == 2
    env = cli_env(double)

    # a new prompt version with the same text: a new extraction, answered from the cache
    v2 = prompt_copy(tmp_path, 2)
    code, cached, stderr = extract_cli(run_cli, db_path, env, "--prompt", v2)

    assert code == 0, stderr
    assert cached["prompt_id"] != first.prompt_id and cached["prompt_id"].startswith("extract@2")
    assert cached["articles_extracted"] == 2 and cached["cache_hits"] == 2
    assert cached["llm_calls"] == 0 and cached["prompt_tokens"] == cached["completion_tokens"] == 0
    assert len(double.chat_requests) == 2  # nothing was asked
    assert cached["items_found"] == ITEMS_A + ITEMS_B and cached["items_new"] == 0
    outcomes = query(
        db_path, "SELECT outcome, count(*) FROM llm_calls WHERE prompt_id = ? GROUP BY 1",
        [cached["prompt_id"]],
    )  # fmt: skip
    assert outcomes == [("cached", 2)]
    record = extraction_of(db_path, "Elm")
    assert record["prompt_id"] == cached["prompt_id"] and record["llm_calls"] == 0

    # --no-cache asks the model again
    v3 = prompt_copy(tmp_path, 3)
    code, fresh, stderr = extract_cli(run_cli, db_path, env, "--prompt", v3, "--no-cache")
    assert code == 0, stderr
    assert fresh["llm_calls"] == 2 and fresh["cache_hits"] == 0
    assert len(double.chat_requests) == 4
    assert item_count(db_path) == ITEMS_A + ITEMS_B
    assert_sound(db_path)


FILLER = (
    "Residents gathered on the quay to watch the boats come in. The gulls were loud and the "
    "tide was low. Children ran between the crates of fish while the harbour master counted "
    "the hulls. "
)


def long_article() -> tuple[str, list[str]]:
    """Seven paragraphs of about 250 characters, one claim each. The fourth and the seventh
    claims use the same words (said by different people) and never share a chunk; the fourth
    ends just before the last chunk starts, nearer to its start than the seventh."""
    paragraphs = [
        FILLER + "Mayor Ana Ruiz said that the lighthouse will be painted.",
        FILLER + "Treasurer Bo Lind warned that the harbour fees would rise.",
        "Director Lena Vos added that the pier would be rebuilt. " + FILLER,
        FILLER + "Councillor Femi Okafor said that the ferry will run again in April.",
        FILLER + "Mayor Ana Ruiz added that the night market will stay.",
        FILLER + "Treasurer Bo Lind said that the fish auction had made a profit.",
        FILLER + "Director Lena Vos added that the ferry will run again in April.",
    ]
    return "\n\n".join(paragraphs), paragraphs


@pytest.mark.slow
def test_cli_long_article_is_chunked_and_items_found_twice_are_stored_once(
    tmp_path: Path, db_path: Path, run_cli: RunCli, double: LLMDouble
) -> None:
    text, paragraphs = long_article()
    chunks = split_into_chunks(text, 200)
    assert len(chunks) >= 3
    corpus = write_corpus(tmp_path / "in", [article(text, title="Harbour")])
    ingest_direct(db_path, corpus)

    code, summary, stderr = extract_cli(run_cli, db_path, cli_env(double), "--chunk-tokens", "200")

    assert code == 0, stderr
    sent = [article_text_of(r.body) for r in double.chat_requests]
    assert sent == [text[c.start : c.end] for c in chunks]  # one request per chunk, in order
    assert all(len(piece) < len(text) for piece in sent)
    found_twice = [p for p in paragraphs if sum(p in piece for piece in sent) > 1]
    assert found_twice  # the overlap shows some paragraphs (and their claims) twice
    assert summary["llm_calls"] == len(chunks) and summary["items_new"] == len(paragraphs)
    record = extraction_of(db_path, "harbour")
    assert record["chunks"] == len(chunks) and record["llm_calls"] == len(chunks)
    assert record["items_found"] == len(paragraphs)
    rows = query(
        db_path, "SELECT speaker, quote, span_start, speaker_start FROM items ORDER BY span_start"
    )
    assert len(rows) == len(paragraphs)
    # offsets into the whole article: each claim lies in its own paragraph, after its speaker
    offset = 0
    for (speaker, quote, start, speaker_start), paragraph in zip(rows, paragraphs, strict=True):
        assert offset <= speaker_start < start < offset + len(paragraph)
        assert f"{speaker} " in paragraph and quote in paragraph
        offset += len(paragraph) + 2
    assert rows[3][1] == rows[6][1] and rows[3][0] != rows[6][0]  # same words, two speakers
    assert_sound(db_path)


def test_a_quote_the_article_repeats_is_located_in_the_chunk_that_was_read() -> None:
    text, _ = long_article()
    chunk = split_into_chunks(text, 200)[-1]
    index = ArticleIndex(text)
    answer = ArticleExtraction.model_validate(
        answer_for(text[chunk.start : chunk.end]), context={"article": index}
    )

    items = items_from_answer(answer, index, chunk, None, "Harbour Gazette")

    (ferry,) = [i for i in items if i.quote == "the ferry will run again in April"]
    assert chunk.start <= ferry.span.start < chunk.end  # not the fourth paragraph's words
    assert ferry.speaker_span is not None and ferry.speaker_span.of(text) == "Director Lena Vos"


def test_merge_keeps_one_item_per_span_and_drops_items_inside_another() -> None:
    text = TEXT_A
    index = ArticleIndex(text)
    whole = Span(0, len(text))
    answer = ArticleExtraction.model_validate(answer_for(text), context={"article": index})
    once = items_from_answer(answer, index, whole, None, "Harbour Gazette")
    inner = answer.model_copy(deep=True)
    inner.claims[0].quote = "bridge will reopen"  # inside the first claim's quote

    merged = merge_items(once + once + items_from_answer(inner, index, whole, None, "x"))

    assert [(i.kind, i.span) for i in merged] == [(i.kind, i.span) for i in once]


@pytest.mark.slow
def test_cli_concurrency_bounds_the_requests_in_flight(
    tmp_path: Path, db_path: Path, run_cli: RunCli
) -> None:
    texts = [
        f"Mayor Ana Ruiz said that bus line {n} will run every {n + 5} minutes." for n in range(8)
    ]
    corpus = write_corpus(
        tmp_path / "in", [article(t, title=f"Bus {n}") for n, t in enumerate(texts)]
    )
    ingest_direct(db_path, corpus)
    model = FakeModel(delay=0.3)

    with LLMDouble(responder=model) as running:
        code, summary, stderr = extract_cli(
            run_cli, db_path, cli_env(running), "--concurrency", "4"
        )

    assert code == 0, stderr
    assert summary["articles_extracted"] == 8 and summary["llm_calls"] == 8
    assert len(model.texts) == 8
    assert 2 <= model.max_in_flight <= 4
    assert_sound(db_path)


def test_the_next_page_is_asked_while_an_answer_of_this_page_is_awaited(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: Store, double: LLMDouble
) -> None:
    # four articles, oldest first: pages of two (bus lines 1, 2 then 3, 4), two calls at a time
    texts = [f"Mayor Ana Ruiz said that bus line {n} will run hourly." for n in range(1, 5)]
    corpus = write_corpus(
        tmp_path / "in",
        [article(t, title=f"Bus {n}", published=f"2026-01-0{n}") for n, t in enumerate(texts, 1)],
    )
    assert ingest_paths([str(corpus)], store, limits=Limits(max_article_bytes=1_000_000)).ingested
    next_page_asked = threading.Event()
    asked_while_waiting: list[bool] = []
    model = FakeModel()

    def responder(body: dict[str, Any]) -> Reply:
        text = article_text_of(body)
        if "line 3" in text or "line 4" in text:
            next_page_asked.set()
        if "line 1" in text:  # held until the next page is asked (or 10 s)
            asked_while_waiting.append(next_page_asked.wait(timeout=10))
        return model(body)

    double.responder = responder
    extractor = LLMExtractor(
        llm_settings(monkeypatch, double),
        load_prompt("extract"),
        concurrency=2,
        use_cache=True,
        chunk_tokens=3000,
    )
    extractor.page_size = 2

    report = extract_articles(store, extractor)

    assert asked_while_waiting == [True]
    assert report.articles_extracted == 4 and report.failed == []
    assert item_count(store.path) == 4
    assert_sound(store.path)


def test_a_save_stores_every_call_once_and_the_last_answer_of_a_repeated_request(
    store: Store,
) -> None:
    settings = LLMSettings(model=MODEL, mode="tools", base_url=None)
    first, second = (cached_call(settings, "extract@1#x", None, "k1", "extract") for _ in (1, 2))
    now = utc_now()
    with store.write() as con:
        llm_log.record_calls(con, [first, second, first])
        llm_log.cache_responses(
            con, [("k1", {"n": 1}), ("k2", {"n": 2}), ("k1", {"n": 3})], model=MODEL,
            prompt_id="extract@1#x", now=now,
        )  # fmt: skip
    with store.write() as con:  # again: nothing stored twice, nothing fails
        llm_log.record_calls(con, [first])

    ids = query(store.path, "SELECT id FROM llm_calls ORDER BY id")
    assert ids == sorted([(first.id,), (second.id,)])
    with store.read() as con:
        assert llm_log.cached_responses(con, ["k1", "k2"]) == {"k1": {"n": 3}, "k2": {"n": 2}}


# -- unreachable endpoint, failures on the command line, the API key ------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_cli_exit_codes_75_unreachable_then_1_for_a_failed_article_then_0_when_all_done(
    tmp_path: Path, db_path: Path, run_cli: RunCli
) -> None:
    corpus = write_corpus(
        tmp_path / "in", [article(TEXT_A, title="Bridge"), article(TEXT_B, title="Library")]
    )
    ingest_direct(db_path, corpus)
    nowhere = f"http://127.0.0.1:{closed_port()}/v1"

    # 1. nothing listens: every article is recorded failed, exit 75 (try again later)
    code, summary, stderr = extract_cli(
        run_cli, db_path, cli_env(nowhere, CLAIMTRACK_LLM_RETRIES="1")
    )

    assert code == 75, stderr
    assert "cannot reach" in stderr and "try again later" in stderr
    # the summary still reaches a scheduler that reads --json
    assert summary["articles_extracted"] == 0 and "cannot reach" in summary["endpoint_down"]
    assert len(summary["failed"]) == 2
    for word in ("Elm", "library"):
        record = extraction_of(db_path, word)
        assert record["status"] == "failed" and "cannot reach" in record["error"]
        calls = calls_of(db_path, word)
        assert len(calls) == 2 and {c["outcome"] for c in calls} == {"error"}
        assert all("cannot reach" in c["error"] for c in calls)
    assert item_count(db_path) == 0

    # 2. `claimtrack run` against a live endpoint: B survives a 500, A's answer is cut off
    model = FakeModel(
        faults={"Elm": [lambda t: cut_off(answer_for(t))], "library": [lambda t: server_error()]}
    )
    with LLMDouble(responder=model) as running:
        done = run_cli(
            "run", corpus, "--backend", "llm", "--json", db=db_path, env=cli_env(running)
        )
        elm = article_id_with(db_path, "Elm")

        assert done.returncode == 1, done.stderr
        summary = json.loads(done.stdout)
        assert summary["duplicates"] == 2 and summary["articles_extracted"] == 1
        (failure,) = summary["failed"]
        assert failure["article_id"] == elm and "cut off at the token limit" in failure["error"]
        assert f"article {elm}: the answer was cut off" in done.stderr
        assert "Max retries exceeded" not in done.stderr  # instructor's log lines stay quiet
        assert "Traceback" not in done.stderr and "Event loop is closed" not in done.stderr
        assert item_count(db_path, "Elm") == 0 and item_count(db_path, "library") == ITEMS_B

        # 3. the next run finishes the failed article only
        code, again, stderr = extract_cli(run_cli, db_path, cli_env(running))

    assert code == 0, stderr
    assert again["articles_pending"] == 1 and again["articles_extracted"] == 1
    assert again["failed"] == [] and again["items_new"] == ITEMS_A
    assert len(model.texts) == 4  # A cut off, B 500 then ok, A ok
    assert {extraction_of(db_path, w)["status"] for w in ("Elm", "library")} == {"done"}
    assert item_count(db_path) == ITEMS_A + ITEMS_B
    # the cut-off answer is logged as invalid with its reason, not as ok
    elm_calls = calls_of(db_path, "Elm")
    assert [c["outcome"] for c in elm_calls] == ["error", "error", "invalid", "ok"]
    assert "cut off at the token limit" in elm_calls[2]["error"]
    library_calls = calls_of(db_path, "library")
    assert [c["outcome"] for c in library_calls] == ["error", "error", "error", "ok"]
    assert "HTTP 500" in library_calls[2]["error"]
    assert_sound(db_path)
    assert_key_not_stored(db_path)
