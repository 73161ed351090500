"""SQL for stored eval runs (``eval_runs``) and their per-case results (``eval_cases``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from claimtrack.store.bulk import insert_rows
from claimtrack.store.connection import Transaction


@dataclass
class EvalRunRecord:
    """One eval run as stored: what ran, on what, when, its metrics and its cost."""

    id: str
    suite: str
    suite_hash: str
    kind: str
    backend: str
    model: str | None
    prompt_id: str
    git_commit: str | None
    git_dirty: bool | None
    started_at: datetime
    finished_at: datetime
    metrics: dict[str, float]
    llm_calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    latency_ms: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class EvalCaseRecord:
    """One case's result: expected against predicted, its metrics and headline score."""

    case_id: str
    score: float | None
    metrics: dict[str, Any]
    expected: Any
    predicted: Any
    detail: dict[str, Any] = field(default_factory=dict)


_RUN_COLUMNS = (
    "id, suite, suite_hash, kind, backend, model, prompt_id, git_commit, git_dirty, started_at, "
    "finished_at, metrics, llm_calls, cache_hits, prompt_tokens, completion_tokens, cost_usd, "
    "latency_ms, notes"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def save_run(con: Transaction, run: EvalRunRecord, cases: Sequence[EvalCaseRecord]) -> None:
    """Store a run and its cases (inside the caller's transaction)."""
    con.execute(
        f"INSERT INTO eval_runs ({_RUN_COLUMNS}) "  # noqa: S608 (a constant column list)
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.id,
            run.suite,
            run.suite_hash,
            run.kind,
            run.backend,
            run.model,
            run.prompt_id,
            run.git_commit,
            run.git_dirty,
            run.started_at,
            run.finished_at,
            _dumps(run.metrics),
            run.llm_calls,
            run.cache_hits,
            run.prompt_tokens,
            run.completion_tokens,
            run.cost_usd,
            run.latency_ms,
            _dumps(run.notes),
        ],
    )
    if not cases:
        return
    insert_rows(
        con,
        "eval_cases",
        (("run_id", "VARCHAR"), ("seq", "INTEGER"), ("case_id", "VARCHAR"), ("score", "DOUBLE"),
         ("metrics", "JSON"), ("expected", "JSON"), ("predicted", "JSON"), ("detail", "JSON")),
        [
            [run.id, seq, case.case_id, case.score, _dumps(case.metrics),
             _dumps(case.expected), _dumps(case.predicted), _dumps(case.detail)]
            for seq, case in enumerate(cases, start=1)
        ],
    )  # fmt: skip


def _run_from_row(row: tuple[Any, ...]) -> EvalRunRecord:
    (
        id_,
        suite,
        suite_hash,
        kind,
        backend,
        model,
        prompt_id,
        git_commit,
        git_dirty,
        started_at,
        finished_at,
        metrics,
        llm_calls,
        cache_hits,
        prompt_tokens,
        completion_tokens,
        cost_usd,
        latency_ms,
        notes,
    ) = row
    return EvalRunRecord(
        id=id_,
        suite=suite,
        suite_hash=suite_hash,
        kind=kind,
        backend=backend,
        model=model,
        prompt_id=prompt_id,
        git_commit=git_commit,
        git_dirty=git_dirty,
        started_at=started_at,
        finished_at=finished_at,
        metrics=json.loads(metrics),
        llm_calls=llm_calls,
        cache_hits=cache_hits,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=cost_usd,
        latency_ms=latency_ms,
        notes=json.loads(notes) if notes else [],
    )


def list_runs(
    con: Transaction, *, kind: str | None = None, limit: int | None = None
) -> list[EvalRunRecord]:
    """Runs, newest first (ties by id), optionally of one suite kind."""
    rows = con.execute(
        f"SELECT {_RUN_COLUMNS} FROM eval_runs "  # noqa: S608 (a constant column list)
        "WHERE ? IS NULL OR kind = ? ORDER BY started_at DESC, id LIMIT ?",
        [kind, kind, limit if limit is not None else 2**62],
    ).fetchall()
    return [_run_from_row(row) for row in rows]


def runs_matching(con: Transaction, prefix: str) -> list[EvalRunRecord]:
    """Runs whose id starts with ``prefix`` (an exact id first)."""
    rows = con.execute(
        f"SELECT {_RUN_COLUMNS} FROM eval_runs "  # noqa: S608 (a constant column list)
        "WHERE starts_with(id, ?) ORDER BY id = ? DESC, started_at DESC LIMIT 10",
        [prefix, prefix],
    ).fetchall()
    return [_run_from_row(row) for row in rows]


def run_cases(con: Transaction, run_id: str) -> list[EvalCaseRecord]:
    """A run's cases in suite order."""
    rows = con.execute(
        """
        SELECT case_id, score, metrics, expected, predicted, detail
        FROM eval_cases WHERE run_id = ? ORDER BY seq
        """,
        [run_id],
    ).fetchall()
    return [
        EvalCaseRecord(
            case_id=case_id,
            score=score,
            metrics=json.loads(metrics) if metrics else {},
            expected=json.loads(expected) if expected else None,
            predicted=json.loads(predicted) if predicted else None,
            detail=json.loads(detail) if detail else {},
        )
        for case_id, score, metrics, expected, predicted, detail in rows
    ]
