"""Stored eval runs: eval run stores every run, eval list/show/compare read them, and the
regression gate fails a run whose headline metric dropped against a baseline."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from claimtrack.store import Store
from claimtrack.store import evals as run_rows
from claimtrack.store.evals import EvalCaseRecord, EvalRunRecord

ROOT = Path(__file__).parents[1]
SEED = ROOT / "evals" / "seed"
TRACKING = ROOT / "evals" / "tracking"


def run_json(run_cli: Any, db: Path, *args: str | Path) -> dict[str, Any]:
    ran = run_cli("eval", "run", *args, "--json", db=db)
    assert ran.returncode == 0, ran.stderr
    report: dict[str, Any] = json.loads(ran.stdout)
    return report


def store_run(
    db: Path, run_id: str, kind: str, metrics: dict[str, float], scores: dict[str, float]
) -> None:
    """A run stored directly, with chosen metrics and case scores."""
    now = datetime(2026, 1, 1)
    record = EvalRunRecord(
        id=run_id,
        suite="suite",
        suite_hash="h",
        kind=kind,
        backend="rules",
        model=None,
        prompt_id="rules@x",
        git_commit=None,
        git_dirty=None,
        started_at=now + timedelta(seconds=len(run_id)),
        finished_at=now + timedelta(seconds=len(run_id) + 1),
        metrics=metrics,
    )
    cases = [EvalCaseRecord(case, score, {}, [], []) for case, score in scores.items()]
    with Store(db).write() as con:
        run_rows.save_run(con, record, cases)


def test_a_run_is_stored_and_shown(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    report = run_json(run_cli, db, SEED)

    assert re.fullmatch(r"[0-9a-f]{12}", report["run_id"])
    shown = run_cli("eval", "show", report["run_id"][:6], "--json", db=db)
    assert shown.returncode == 0, shown.stderr
    stored = json.loads(shown.stdout)
    assert stored["metrics"] == report["metrics"]
    assert stored["kind"] == "native" and stored["backend"] == "rules"
    assert stored["prompt_id"].startswith("rules@") and stored["model"] is None
    assert re.fullmatch(r"[0-9a-f]{64}", stored["suite_hash"])
    # this test runs from a git checkout of claimtrack
    assert stored["git_commit"] is None or re.fullmatch(r"[0-9a-f]{40}", stored["git_commit"])
    assert stored["cost"]["llm_calls"] == 0
    [case] = stored["cases"]
    assert case["id"] == "coalition-of-the-willing-2026-01-07"
    assert case["score"] == pytest.approx(report["metrics"]["item_f1"])
    assert {item["kind"] for item in case["expected"]} == {"claim", "commitment"}
    assert all("quote" in item for item in case["predicted"])


@pytest.mark.slow
def test_list_is_newest_first_and_filters_by_kind(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    first = run_json(run_cli, db, SEED)["run_id"]
    second = run_json(run_cli, db, TRACKING)["run_id"]

    listed = run_cli("eval", "list", "--json", db=db)
    only_native = run_cli("eval", "list", "--kind", "native", "--json", db=db)

    assert [run["run_id"] for run in json.loads(listed.stdout)] == [second, first]
    assert [run["run_id"] for run in json.loads(only_native.stdout)] == [first]
    text = run_cli("eval", "list", db=db)
    assert first in text.stdout and second in text.stdout


def test_the_same_suite_twice_makes_two_runs(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    a, b = run_json(run_cli, db, SEED), run_json(run_cli, db, SEED)
    assert a["run_id"] != b["run_id"] and a["metrics"] == b["metrics"]


def test_suite_hash_follows_the_content(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    suite = tmp_path / "suite.jsonl"
    line = json.loads((SEED / "suite.jsonl").read_text(encoding="utf-8"))
    suite.write_text(json.dumps(line) + "\n", encoding="utf-8")
    before = run_json(run_cli, db, suite)
    line["items"] = line["items"][:3]
    suite.write_text(json.dumps(line) + "\n", encoding="utf-8")
    after = run_json(run_cli, db, suite)

    assert before["suite_hash"] != after["suite_hash"]
    assert after["metrics"]["gold_claims"] + after["metrics"]["gold_commitments"] == 3


@pytest.mark.slow
def test_a_sample_is_seeded_and_has_its_own_suite_hash(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    suite = ROOT / "evals" / "meantime-attribution"  # 8 articles
    whole = run_json(run_cli, db, suite)
    first = run_json(run_cli, db, suite, "--sample", "3", "--seed", "1")
    again = run_json(run_cli, db, suite, "--sample", "3", "--seed", "1")
    other = run_json(run_cli, db, suite, "--sample", "3", "--seed", "2")

    def cases(report: dict[str, Any]) -> list[str]:
        shown = run_cli("eval", "show", report["run_id"], "--all-cases", "--json", db=db)
        return [case["id"] for case in json.loads(shown.stdout)["cases"]]

    assert whole["metrics"]["cases"] == 8 and first["metrics"]["cases"] == 3
    assert cases(first) == cases(again) and cases(first) != cases(other)
    assert set(cases(first)) < set(cases(whole))
    assert first["suite_hash"] == again["suite_hash"] != whole["suite_hash"]
    assert first["suite_hash"] != other["suite_hash"]
    assert first["notes"] == ["a sample of 3 of 8 cases (seed 1)"]


def test_a_tracking_suite_is_not_sampled(run_cli: Any, tmp_path: Path) -> None:
    ran = run_cli("eval", "run", TRACKING, "--sample", "5", db=tmp_path / "e.duckdb")
    assert ran.returncode == 2
    assert "tracking suite is run whole" in ran.stderr


def test_compare_reports_deltas_wins_and_losses(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    store_run(db, "aaaa00000001", "native", {"item_f1": 0.5}, {"x": 0.5, "y": 1.0, "z": 0.2})
    store_run(db, "bbbb00000002", "native", {"item_f1": 0.75}, {"x": 0.9, "y": 0.4, "z": 0.2})

    ran = run_cli("eval", "compare", "aaaa", "bbbb", "--json", db=db)

    assert ran.returncode == 0, ran.stderr
    comparison = json.loads(ran.stdout)
    assert comparison["metrics"]["item_f1"] == {"a": 0.5, "b": 0.75, "delta": 0.25}
    assert [case["id"] for case in comparison["wins"]] == ["x"]
    assert [case["id"] for case in comparison["losses"]] == ["y"]
    assert comparison["ties"] == 1
    text = run_cli("eval", "compare", "aaaa", "bbbb", db=db)
    assert "+0.250" in text.stdout and "x: 0.500 -> 0.900" in text.stderr


def test_compare_refuses_runs_of_different_kinds(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    store_run(db, "aaaa00000001", "native", {"item_f1": 0.5}, {})
    store_run(db, "bbbb00000002", "tracking", {"relation_accuracy": 0.5}, {})

    ran = run_cli("eval", "compare", "aaaa", "bbbb", db=db)

    assert ran.returncode == 2
    assert "native" in ran.stderr and "tracking" in ran.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "nope"), "no eval run 'nope'"),
        (("show", "ab"), "ambiguous"),
        (("compare", "abab00000001", "zzz"), "no eval run 'zzz'"),
    ],
)
def test_unknown_or_ambiguous_run_ids(
    run_cli: Any, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    db = tmp_path / "e.duckdb"
    store_run(db, "abab00000001", "native", {"item_f1": 0.5}, {})
    store_run(db, "abcd00000002", "native", {"item_f1": 0.5}, {})

    ran = run_cli("eval", *args, db=db)

    assert ran.returncode == 2
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], ran.stderr
    assert ran.stdout == ""


def test_gate_fails_on_a_headline_drop_and_names_it(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    store_run(db, "base00000001", "native", {"item_f1": 0.99, "grounding_rate": 1.0}, {})

    ran = run_cli("eval", "run", SEED, "--baseline", "base", "--max-drop", "0.02", db=db)

    assert ran.returncode == 1, ran.stderr
    regressions = [line for line in ran.stderr.splitlines() if line.startswith("regression:")]
    assert len(regressions) == 1
    assert "item_f1" in regressions[0] and "base00000001" in regressions[0]
    assert "grounding_rate" not in ran.stderr.split("regression:", 1)[1]
    # the failing run is stored all the same, so it can be inspected
    listed = json.loads(run_cli("eval", "list", "--json", db=db).stdout)
    assert len(listed) == 2


@pytest.mark.slow
def test_gate_passes_within_max_drop(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    baseline = run_json(run_cli, db, SEED)
    item_f1 = baseline["metrics"]["item_f1"]
    store_run(db, "near00000001", "native", {"item_f1": item_f1 + 0.01}, {})

    same = run_cli("eval", "run", SEED, "--baseline", baseline["run_id"], db=db)
    within = run_cli("eval", "run", SEED, "--baseline", "near", "--max-drop", "0.02", db=db)
    beyond = run_cli("eval", "run", SEED, "--baseline", "near", "--max-drop", "0.005", db=db)

    assert same.returncode == 0, same.stderr
    assert within.returncode == 0, within.stderr
    assert beyond.returncode == 1


def test_gate_needs_a_baseline_of_the_same_kind(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    store_run(db, "trak00000001", "tracking", {"relation_accuracy": 0.1}, {})

    wrong_kind = run_cli("eval", "run", SEED, "--baseline", "trak", db=db)
    no_baseline = run_cli("eval", "run", SEED, "--max-drop", "0.1", db=db)

    assert wrong_kind.returncode == 2 and "tracking" in wrong_kind.stderr
    assert no_baseline.returncode == 2 and "--baseline" in no_baseline.stderr
    assert json.loads(run_cli("eval", "list", "--json", db=db).stdout)[0]["run_id"] == (
        "trak00000001"
    )  # nothing ran


def test_rules_backend_refuses_prompt_and_model(run_cli: Any, tmp_path: Path) -> None:
    ran = run_cli("eval", "run", SEED, "--backend", "rules", "--model", "m", db=tmp_path / "e.db")
    assert ran.returncode == 2 and "--backend llm" in ran.stderr


def test_not_a_suite_is_one_line(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for target in (tmp_path / "empty", tmp_path / "missing"):
        ran = run_cli("eval", "run", target, db=tmp_path / "e.duckdb")
        lines = [line for line in ran.stderr.splitlines() if line.strip()]
        assert ran.returncode == 2 and len(lines) == 1 and str(target) in lines[0]
