"""The llm backend in evals, through the OpenAI-compatible HTTP double: the extraction
pipeline's prompt, grounding and response cache (a second identical run sends no request, and an
article already extracted costs nothing), cost in the stored run, and a prompts x models matrix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_double import LLMDouble, Reply, structured

pytestmark = pytest.mark.slow  # each runs the command line several times: 5-6 s of CPU a test

TEXT = "Anna Berg said taxes will rise next year. The council met on Monday."
ARTICLE = {"id": "a1", "text": TEXT, "published": "2026-01-05", "source": "The Daily"}
ANSWER = {
    "claims": [
        {
            "speaker": "Anna Berg",
            "cue": "said",
            "quote": "taxes will rise next year",
            "direct": False,
            "claim_type": "prediction",
            "claim": "Anna Berg said on 5 January 2026 that taxes will rise in 2027.",
        },
        {  # not in the article: grounding drops it
            "speaker": "Anna Berg",
            "quote": "taxes will fall sharply",
            "direct": False,
            "claim_type": "prediction",
            "claim": "Invented.",
        },
    ],
    "commitments": [],
}


class Answers:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, body: dict[str, Any]) -> Reply:
        self.requests.append(body)
        return structured(ANSWER)


@pytest.fixture
def double() -> Iterator[tuple[LLMDouble, Answers]]:
    answers = Answers()
    with LLMDouble(responder=answers) as running:
        yield running, answers


def env(double: LLMDouble) -> dict[str, str | None]:
    return {
        "OPENAI_BASE_URL": double.base_url,
        "OPENAI_API_KEY": "sk-test",
        "CLAIMTRACK_LLM_BACKOFF": "0",
        "CLAIMTRACK_LLM_REASKS": "0",
        "CLAIMTRACK_MODEL": "gpt-4o-mini",
    }


def suite(tmp_path: Path) -> Path:
    path = tmp_path / "suite.jsonl"
    record = ARTICLE | {
        "items": [
            {
                "kind": "claim",
                "quote": "taxes will rise next year",
                "speaker": "Anna Berg",
                "cue": "said",
                "direct": False,
            }
        ]
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def run(run_cli: Any, db: Path, double: LLMDouble, *args: str | Path) -> Any:
    ran = run_cli("eval", "run", *args, "--backend", "llm", "--json", db=db, env=env(double))
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def test_second_identical_run_makes_no_call(
    run_cli: Any, tmp_path: Path, double: tuple[LLMDouble, Answers]
) -> None:
    server, answers = double
    db, path = tmp_path / "e.duckdb", suite(tmp_path)

    first = run(run_cli, db, server, path)
    second = run(run_cli, db, server, path)

    assert len(answers.requests) == 1
    assert first["cost"]["llm_calls"] == 1 and first["cost"]["cache_hits"] == 0
    assert first["cost"]["prompt_tokens"] > 0 and first["cost"]["cost_usd"] > 0
    assert second["cost"]["llm_calls"] == 0 and second["cost"]["cache_hits"] == 1
    assert second["metrics"] == first["metrics"]
    assert first["metrics"]["claim_f1"] == 1.0 and first["metrics"]["grounding_rate"] == 1.0
    assert first["metrics"]["items_dropped_ungrounded"] == 1  # the invented quote
    assert first["prompt_id"].startswith("extract@") and first["model"] == "gpt-4o-mini"
    # the prompt the model saw is extraction's, rendered with the article's date and outlet
    user = next(m["content"] for m in answers.requests[0]["messages"] if m["role"] == "user")
    assert TEXT in user


def test_an_article_already_extracted_costs_no_call(
    run_cli: Any, tmp_path: Path, double: tuple[LLMDouble, Answers]
) -> None:
    server, answers = double
    db, path = tmp_path / "e.duckdb", suite(tmp_path)
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    assert run_cli("ingest", articles, db=db).returncode == 0
    extracted = run_cli("extract", "--backend", "llm", db=db, env=env(server))
    assert extracted.returncode == 0, extracted.stderr
    assert len(answers.requests) == 1

    report = run(run_cli, db, server, path)

    assert len(answers.requests) == 1
    assert report["cost"]["llm_calls"] == 0 and report["cost"]["cache_hits"] == 1


def test_matrix_of_prompts_and_models(
    run_cli: Any, tmp_path: Path, double: tuple[LLMDouble, Answers]
) -> None:
    server, answers = double
    db, path = tmp_path / "e.duckdb", suite(tmp_path)
    prompt = tmp_path / "extract-copy.md"
    original = (Path(__file__).parents[1] / "prompts" / "extract.md").read_text(encoding="utf-8")
    edited = original.replace("version: 1", "version: 99").replace(
        "## user", "- Prefer fewer, surer items.\n\n## user"
    )
    prompt.write_text(edited, encoding="utf-8")

    runs = run(
        run_cli,
        db,
        server,
        path,
        "--prompt",
        "extract",
        "--prompt",
        str(prompt),
        "--model",
        "gpt-4o-mini",
        "--model",
        "other-model",
    )

    assert len(runs) == 4 and len({r["run_id"] for r in runs}) == 4
    assert {(r["prompt_id"].split("#")[0], r["model"]) for r in runs} == {
        ("extract@1", "gpt-4o-mini"),
        ("extract@1", "other-model"),
        ("extract@99", "gpt-4o-mini"),
        ("extract@99", "other-model"),
    }
    assert len(answers.requests) == 4  # each combination asks once
    other = next(r for r in runs if r["model"] == "other-model")
    assert other["cost"]["cost_usd"] is None  # no price known for that model
    listed = run_cli("eval", "list", "--json", db=db)
    assert len(json.loads(listed.stdout)) == 4
    table = run_cli(
        "eval",
        "run",
        path,
        "--backend",
        "llm",
        "--model",
        "gpt-4o-mini",
        "--model",
        "other-model",
        db=db,
        env=env(server),
    )
    assert table.returncode == 0 and "other-model" in table.stdout and "runs" in table.stdout
