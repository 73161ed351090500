"""Running an eval suite: predict with a backend, score against the gold, summarise.

Today: attribution suites in brat standoff (PolNeAR's layout, read by path) with the rules
backend, and tracking suites (``evals/tracking``) with the rules or llm backend. Runs are not
stored yet; storing them, comparing runs, the regression gate and the llm backend for
attribution land with the evals work.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.errors import UsageError
from claimtrack.evals.attribution import items_to_attributions, score_attributions
from claimtrack.evals.brat import ANNOTATION_DIR, TEXT_DIR, read_brat_folder


@dataclass
class EvalRun:
    run_id: str
    suite: str
    kind: str
    backend: str
    prompt_id: str
    metrics: dict[str, float]
    seconds: float
    notes: list[str] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "suite": self.suite,
            "kind": self.kind,
            "backend": self.backend,
            "prompt_id": self.prompt_id,
            "metrics": self.metrics,
            "seconds": round(self.seconds, 3),
            "notes": self.notes,
            "cases": self.cases,
        }


def suite_kind(path: Path) -> str:
    from claimtrack.evals.tracking import is_tracking_suite

    if (path / TEXT_DIR).is_dir() and (path / ANNOTATION_DIR).is_dir():
        return "attribution-brat"
    if is_tracking_suite(path):
        return "tracking"
    raise UsageError(
        f"{path}: not an eval suite this version can run (expected a brat attribution folder "
        f"with {TEXT_DIR}/ and {ANNOTATION_DIR}/, as PolNeAR's data/dev, or a tracking suite "
        "with cases.jsonl and articles.jsonl, as evals/tracking)"
    )


def _run_tracking(path: Path, backend: str, model: str | None, prompt_name: str | None) -> EvalRun:
    from claimtrack.evals.tracking import run_tracking_suite

    settings = prompt = None
    if backend == "llm":
        from claimtrack.llm import LLMSettings
        from claimtrack.prompts import load_prompt

        settings = LLMSettings.from_env(model=model)
        prompt = load_prompt(prompt_name or "track")
    started = time.perf_counter()
    metrics, results, prompt_id = run_tracking_suite(
        path, backend, settings=settings, prompt=prompt
    )
    seconds = time.perf_counter() - started
    model_name = settings.model if settings else ""
    digest = hashlib.sha256(
        f"{path.resolve()}\x1ftracking\x1f{prompt_id}\x1f{model_name}".encode()
    ).hexdigest()
    return EvalRun(
        run_id=digest[:12],
        suite=str(path),
        kind="tracking",
        backend=backend,
        prompt_id=prompt_id,
        metrics=metrics,
        seconds=seconds,
        notes=["not stored: eval list, show and compare are not available yet"],
        cases=[result.to_json() for result in results],
    )


def run_suite(
    path: Path, backend: str, model: str | None = None, prompt_name: str | None = None
) -> EvalRun:
    if not path.exists():
        raise UsageError(f"{path}: no such suite")
    kind = suite_kind(path)
    if kind == "tracking":
        return _run_tracking(path, backend, model, prompt_name)
    if backend != "rules":
        raise UsageError(
            "evals run with the rules backend for now; the llm backend in evals (with runs "
            "stored, compared and gated) lands with the evals work"
        )
    from claimtrack.extraction.rules import RULES_VERSION, extract_with_rules

    started = time.perf_counter()
    gold = read_brat_folder(path)
    predicted = {
        document.name: items_to_attributions(extract_with_rules(document.text)) for document in gold
    }
    metrics = score_attributions(gold, predicted)
    seconds = time.perf_counter() - started
    prompt_id = f"rules@{RULES_VERSION}"
    digest = hashlib.sha256(f"{path.resolve()}\x1f{kind}\x1f{prompt_id}".encode()).hexdigest()
    return EvalRun(
        run_id=digest[:12],
        suite=str(path),
        kind=kind,
        backend=backend,
        prompt_id=prompt_id,
        metrics=metrics,
        seconds=seconds,
        notes=["not stored: eval list, show and compare are not available yet"],
    )
