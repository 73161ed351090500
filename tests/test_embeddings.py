"""Retrieval by embedding: a later article that says it in other words still finds the item.

The HTTP double's embeddings here are "concept" vectors: each word is mapped to a concept through a
small synonym table (stop/ended, building/production, big/large, sedan/saloon, factory/plant) and
the concepts hashed into 64 dimensions — so paraphrases share a vector direction without sharing a
word, which is what an embeddings model gives and BM25 cannot.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pytest
from llm_double import LLMDouble, Reply, structured
from test_track_llm import CANDIDATE, QUOTE, user_message

from claimtrack.cli import cli
from claimtrack.tracking.meaning import MODEL_ID

CONCEPTS = {
    "stop": "end", "ended": "end", "ceased": "end", "discontinued": "end",
    "building": "make", "production": "make", "making": "make",
    "big": "large", "large": "large",
    "sedan": "sedan", "saloon": "sedan", "car": "sedan",
    "factory": "plant", "plant": "plant",
    "atlanta": "atlanta", "georgia": "atlanta",
}  # fmt: skip
EARLIER = (
    "---\ntitle: Carmaker plans\npublished: 2026-01-05\n---\n"
    "Ford plans to stop building its big sedan at the Atlanta factory next year.\n"
)
LATER = (
    "---\ntitle: Production ended\npublished: 2026-06-01\n---\n"
    "Production of the large saloon car ended in October at the Georgia plant.\n"
)
EVIDENCE = "Production of the large saloon car ended in October at the Georgia plant."


def concept_vector(text: str, dimensions: int = 64) -> list[float]:
    vector = [0.0] * dimensions
    for word in re.findall(r"[a-z]+", text.lower()):
        concept = CONCEPTS.get(word)
        if concept:
            slot = hashlib.sha256(concept.encode()).digest()[0] % dimensions
            vector[slot] += 1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector] if any(vector) else [1.0 / math.sqrt(dimensions)] * dimensions


class ConceptDouble(LLMDouble):
    def _embeddings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {"object": "embedding", "index": n, "embedding": concept_vector(t)}
            for n, t in enumerate(texts)
        ]
        return {"object": "list", "data": data, "model": body.get("model"),
                "usage": {"prompt_tokens": 1, "total_tokens": 1}}  # fmt: skip


def judge(body: dict[str, Any]) -> Reply:
    """Fulfilled, for the sedan commitment when the evidence is in the article."""
    message = user_message(body)
    listed = message.split("Earlier items:", 1)[1]
    judgements = []
    for match, quote in zip(CANDIDATE.finditer(listed), QUOTE.finditer(listed), strict=True):
        if match["kind"] == "commitment" and "sedan" in quote["quote"] and EVIDENCE in message:
            judgements.append({"candidate": int(match["n"]), "relation": "fulfils",
                               "evidence": EVIDENCE, "reason": "production ended"})  # fmt: skip
        else:
            judgements.append(
                {"candidate": int(match["n"]), "relation": "unrelated", "reason": "-"}
            )
    return structured({"judgements": judgements})


@pytest.fixture
def double() -> Iterator[ConceptDouble]:
    with ConceptDouble(responder=judge) as running:
        yield running


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(EARLIER, encoding="utf-8")
    (folder / "b.md").write_text(LATER, encoding="utf-8")
    return folder


def track(db: Path, corpus: Path, env: dict[str, str]) -> dict[str, Any]:
    from click.testing import CliRunner

    runner = CliRunner()
    assert (
        runner.invoke(cli, ["--db", str(db), "run", str(corpus), "--backend", "rules"]).exit_code
        == 0
    )
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM trackings")  # track again, with the judge under test
    result = runner.invoke(cli, ["--db", str(db), "track", "--backend", "llm", "--json"], env=env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    proposals = json.loads(
        runner.invoke(cli, ["--db", str(db), "proposals", "list", "--json"]).stdout
    )
    return {"summary": summary, "stderr": result.stderr, "proposals": proposals}


def environment(double: LLMDouble, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": double.base_url, "OPENAI_API_KEY": "sk-test",
            "CLAIMTRACK_LLM_BACKOFF": "0", "CLAIMTRACK_LLM_RETRIES": "0", **extra}  # fmt: skip


def test_with_vectors_off_the_paraphrase_is_not_even_a_candidate(
    double: ConceptDouble, corpus: Path, tmp_path: Path
) -> None:
    env = environment(double, CLAIMTRACK_EMBEDDINGS_MODEL="none")

    outcome = track(tmp_path / "a.duckdb", corpus, env)

    assert outcome["proposals"] == [] and outcome["summary"]["embedding_requests"] == 0
    assert double.chat_requests == []  # no lexical candidate: no call at all


def test_by_default_local_vectors_find_the_paraphrase_without_the_endpoint(
    double: ConceptDouble, corpus: Path, tmp_path: Path
) -> None:
    outcome = track(tmp_path / "l.duckdb", corpus, environment(double))

    (proposal,) = outcome["proposals"]
    assert (proposal["relation"], proposal["quote"]) == ("fulfils", EVIDENCE)
    assert outcome["summary"]["embedding_requests"] == 0  # vectors made here, not requested
    assert not [r for r in double.requests if r.path.endswith("/embeddings")]
    with duckdb.connect(str(tmp_path / "l.duckdb")) as con:
        models = con.execute("SELECT DISTINCT model FROM item_embeddings").fetchall()
    assert models == [(MODEL_ID,)]


def test_with_embeddings_the_paraphrase_is_judged_and_proposed(
    double: ConceptDouble, corpus: Path, tmp_path: Path
) -> None:
    env = environment(double, CLAIMTRACK_EMBEDDINGS_MODEL="concepts")

    outcome = track(tmp_path / "b.duckdb", corpus, env)

    (proposal,) = outcome["proposals"]
    assert (proposal["relation"], proposal["to_status"], proposal["quote"]) == (
        "fulfils", "fulfilled", EVIDENCE,
    )  # fmt: skip
    assert "sedan" in proposal["item_quote"]
    # every item embedded once (one batch), then one request for the new article's sentences
    assert outcome["summary"]["embedding_requests"] >= 2
    assert len(double.chat_requests) == 1


def test_embeddings_endpoint_down_falls_back_to_lexical_with_a_warning(
    double: ConceptDouble, corpus: Path, tmp_path: Path
) -> None:
    env = environment(double, CLAIMTRACK_EMBEDDINGS_MODEL="concepts")
    env["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1"  # chat is not needed: no lexical candidate

    outcome = track(tmp_path / "c.duckdb", corpus, env)

    assert outcome["summary"]["embedding_error"] and outcome["summary"]["failed"] == []
    assert "lexical retrieval only" in outcome["stderr"]
    assert outcome["proposals"] == []
