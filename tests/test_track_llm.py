"""LLM tracking through the OpenAI-compatible test double: one call per article, grounded
evidence, re-asks, the cache, and an endpoint that is down.

Extraction uses the rules backend (deterministic, offline); tracking goes through the real openai
client and instructor to :class:`Judge`, a responder that reads the numbered candidates out of the
rendered prompt (``prompts/track.md``) and judges them the way a careful model would.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from llm_double import LLMDouble, Reply, server_error, structured
from test_tracking import build, proposals, split_corpus, write_corpus

from claimtrack.llm import LLMSettings, LLMUnavailable
from claimtrack.prompts import load_prompt
from claimtrack.store import Store
from claimtrack.tracking.pipeline import TrackReport, track_with_llm_backend

SIGNED = (
    "The city council signed the Elm Street bridge repair contract with Delta Builders on Monday."
)
MADE_UP = "The council signed the contract in a ceremony on the bridge."
CANDIDATE = re.compile(
    r"^(?P<n>\d+)\. \[(?P<kind>\w+), status (?P<status>\w+), from [^\]]+\] ", re.M
)
QUOTE = re.compile(r'^   quote: "(?P<quote>.*)"$', re.M)


def user_message(body: dict[str, Any]) -> str:
    return str(next(m["content"] for m in body["messages"] if m["role"] == "user"))


def candidates_in(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(number, kind, quote) of each candidate listed in a tracking request."""
    text = user_message(body).split("Earlier items:", 1)[1]
    listed = [(int(m["n"]), m["kind"]) for m in CANDIDATE.finditer(text)]
    quotes = [m["quote"] for m in QUOTE.finditer(text)]
    assert len(listed) == len(quotes)
    return [(n, kind, quote) for (n, kind), quote in zip(listed, quotes, strict=True)]


@dataclass
class Judge:
    """Finalizes the contract commitment with ``evidence`` (the mayor's claim about it, which a
    claim cannot be finalized, and everything else are unrelated).

    ``bad_answers`` replies (made-up evidence) come first, then the careful answer."""

    evidence: str = SIGNED
    bad_answers: int = 0
    down: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, body: dict[str, Any]) -> Reply:
        self.requests.append(body)
        if self.down:
            return server_error()
        judgements = []
        for number, kind, quote in candidates_in(body):
            related = (
                kind == "commitment" and "contract" in quote and self.evidence in user_message(body)
            )
            if related and self.bad_answers:
                judgements.append(_judgement(number, "finalizes", MADE_UP))
            elif related:
                judgements.append(_judgement(number, "finalizes", self.evidence))
            else:
                judgements.append({"candidate": number, "relation": "unrelated", "reason": "-"})
        if any(j["relation"] != "unrelated" for j in judgements) and self.bad_answers:
            self.bad_answers -= 1
        return structured({"judgements": judgements})


def _judgement(number: int, relation: str, evidence: str) -> dict[str, Any]:
    return {"candidate": number, "relation": relation, "evidence": evidence, "reason": "signed"}


@pytest.fixture
def judge() -> Judge:
    return Judge()


@pytest.fixture
def double(judge: Judge) -> Iterator[LLMDouble]:
    with LLMDouble(responder=judge) as running:
        yield running


def settings_for(monkeypatch: pytest.MonkeyPatch, base_url: str) -> LLMSettings:
    for name, value in {
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "sk-test",
        "CLAIMTRACK_MODEL": "double-model",
        "CLAIMTRACK_LLM_BACKOFF": "0",
        "CLAIMTRACK_LLM_RETRIES": "1",
        "CLAIMTRACK_LLM_REASKS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    return LLMSettings.from_env()


def track(store: Store, settings: LLMSettings, **options: Any) -> TrackReport:
    return track_with_llm_backend(store, settings, load_prompt("track"), **options)


def track_calls(store: Store) -> list[tuple[str, str]]:
    with store.read() as con:
        return con.execute(
            "SELECT article_id, outcome FROM llm_calls WHERE purpose = 'track' ORDER BY called_at"
        ).fetchall()


def test_one_call_per_article_and_a_grounded_proposal(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, write_corpus(tmp_path / "in"))

    report = track(store, settings_for(monkeypatch, double.base_url))

    assert report.failed == [] and report.articles_tracked == 3
    # one call for each article that has candidates; the first article has nothing earlier, and
    # the library story shares no words with any earlier item: no call for them
    with store.read() as con:
        judged = con.execute("SELECT article_id FROM trackings WHERE candidates > 0").fetchall()
    assert report.llm_calls == len(judge.requests) == len(judged) == 1
    assert {article for article, _ in track_calls(store)} == {a for (a,) in judged}
    found = proposals(store)
    assert [(p.relation, p.to_status, p.quote) for p in found] == [
        ("finalizes", "finalized", SIGNED)
    ]
    assert found[0].backend == "llm" and found[0].model == "double-model"
    assert found[0].prompt_id == load_prompt("track").id  # the prompt that was sent


def test_a_late_earlier_article_costs_one_call_for_each_later_article_it_bears_on(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Backfill: the follow-up is tracked before the announcement it follows is ingested."""
    news, announcement = split_corpus(tmp_path)
    settings = settings_for(monkeypatch, double.base_url)
    build(store, news)
    first = track(store, settings)
    assert first.proposals_created == 0

    build(store, announcement)
    second = track(store, settings)

    # the announcement has nothing earlier (no call); the follow-up is judged again against the
    # announcement's items only (one call); the library story shares nothing with them (none)
    assert second.articles_tracked == 1 and second.backfill_judged == 1 and second.failed == []
    assert second.llm_calls == 1
    later_request = judge.requests[-1]
    assert SIGNED in user_message(later_request)
    assert all("library" not in quote for _, _, quote in candidates_in(later_request))
    found = proposals(store)
    assert [(p.relation, p.to_status, p.quote) for p in found] == [
        ("finalizes", "finalized", SIGNED)
    ]
    assert track(store, settings).articles_pending == 0


def test_a_failed_backfill_judgement_is_tried_again_by_the_next_run(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    news, announcement = split_corpus(tmp_path)
    settings = settings_for(monkeypatch, double.base_url)
    build(store, news)
    track(store, settings)
    build(store, announcement)

    judge.down = True
    with pytest.raises(LLMUnavailable) as down:
        track(store, settings)
    failed = down.value.report.failed
    judge.down = False
    retried = track(store, settings)

    # the follow-up's judgement failed, and the announcement it was to judge stays pending
    assert len(failed) == 2 and down.value.report.articles_tracked == 0
    assert "they will be tracked again next run" in failed[0]["error"]
    assert "against its items failed" in failed[1]["error"]
    assert retried.articles_tracked == 1 and retried.backfill_judged == 1
    assert retried.failed == []
    assert [(p.relation, p.quote) for p in proposals(store)] == [("finalizes", SIGNED)]
    assert track(store, settings).articles_pending == 0


def test_calls_stay_at_one_per_article_however_many_items(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "in")
    for n in range(30):  # 30 earlier articles, each with its own claims: a larger store
        (folder / f"0-old-{n:02}.md").write_text(
            f"---\ntitle: Old {n}\npublished: 2025-12-{n % 28 + 1:02}\n---\n"
            f"Councillor Femi Okafor said that the market stall {n} will move to pier {n}.\n"
            f"Mayor Ana Ruiz said that the bridge toll {n} would stay at {n} cents.\n",
            encoding="utf-8",
        )
    build(store, folder)

    report = track(store, settings_for(monkeypatch, double.base_url), k=5)

    assert report.articles_tracked == 33
    per_article: dict[str, int] = {}
    for article, _ in track_calls(store):
        per_article[article] = per_article.get(article, 0) + 1
    assert per_article and set(per_article.values()) == {1}
    assert all(len(candidates_in(body)) <= 5 for body in judge.requests)
    assert any(p.relation == "finalizes" for p in proposals(store))


def test_made_up_evidence_is_reasked_and_never_stored(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, write_corpus(tmp_path / "in"))
    judge.bad_answers = 1

    report = track(store, settings_for(monkeypatch, double.base_url))

    reask = judge.requests[-1]
    assert "not in the article" in json.dumps(reask["messages"])
    assert [p.quote for p in proposals(store)] == [SIGNED]
    assert report.judgements_dropped == 0


def test_evidence_still_made_up_after_the_reasks_is_dropped_and_counted(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, write_corpus(tmp_path / "in"))
    judge.bad_answers = 10

    report = track(store, settings_for(monkeypatch, double.base_url))

    assert proposals(store) == []
    assert report.judgements_dropped == 1 and report.failed == []
    with store.read() as con:
        dropped = con.execute("SELECT dropped FROM trackings WHERE dropped IS NOT NULL").fetchall()
    assert len(dropped) == 1 and MADE_UP in dropped[0][0]


def test_the_cache_answers_a_second_run(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, write_corpus(tmp_path / "in"))
    settings = settings_for(monkeypatch, double.base_url)
    track(store, settings)
    calls = len(judge.requests)
    with store.write() as con:
        con.execute("DELETE FROM trackings")

    again = track(store, settings)
    fresh = track(store, settings, use_cache=False, only=None)  # nothing pending: no calls

    assert again.cache_hits == 1 and again.llm_calls == 0 and len(judge.requests) == calls
    assert again.proposals_created == 0 and fresh.articles_pending == 0


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_endpoint_down_fails_every_article_then_the_next_run_finishes(
    store: Store, tmp_path: Path, double: LLMDouble, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, write_corpus(tmp_path / "in"))
    down = settings_for(monkeypatch, f"http://127.0.0.1:{unused_port()}/v1")

    with pytest.raises(LLMUnavailable) as raised:
        track(store, down)

    report: TrackReport = raised.value.report
    assert len(report.failed) == 1 and "cannot reach" in report.failed[0]["error"]
    assert report.articles_tracked == 2  # they needed no call
    later = track(store, settings_for(monkeypatch, double.base_url))
    assert later.articles_tracked == 1 and [p.quote for p in proposals(store)] == [SIGNED]


@pytest.mark.slow
def test_cli_track_with_the_endpoint_down_exits_75(tmp_path: Path, run_cli: Any) -> None:
    db = tmp_path / "t.duckdb"
    assert (
        run_cli("run", write_corpus(tmp_path / "in"), "--backend", "rules", db=db).returncode == 0
    )
    with Store(db).write() as con:
        con.execute("DELETE FROM trackings")
    env = {
        "OPENAI_BASE_URL": f"http://127.0.0.1:{unused_port()}/v1",
        "OPENAI_API_KEY": "sk-test",
        "CLAIMTRACK_LLM_BACKOFF": "0",
        "CLAIMTRACK_LLM_RETRIES": "0",
    }

    result = run_cli("track", "--backend", "llm", "--json", db=db, env=env)

    assert result.returncode == 75, result.stderr
    summary = json.loads(result.stdout)
    assert summary["articles_tracked"] == 2 and len(summary["failed"]) == 1
    assert "try again later" in result.stderr


@pytest.mark.slow
def test_tracking_eval_with_the_endpoint_down_exits_75(tmp_path: Path, run_cli: Any) -> None:
    env = {
        "OPENAI_BASE_URL": f"http://127.0.0.1:{unused_port()}/v1",
        "OPENAI_API_KEY": "sk-test",
        "CLAIMTRACK_LLM_BACKOFF": "0",
        "CLAIMTRACK_LLM_RETRIES": "0",
    }
    suite = Path(__file__).parents[1] / "evals" / "tracking"

    result = run_cli("eval", "run", suite, "--backend", "llm", db=tmp_path / "e.duckdb", env=env)

    assert result.returncode == 75, result.stderr  # the endpoint, not the suite: try later
    assert "cannot reach the LLM endpoint" in result.stderr
