"""Running an eval suite: predict with a backend, score against the gold, store the run.

Suite kinds, told apart by their layout:

- ``native``: a JSONL file (or a folder with ``suite.jsonl``) of articles with their expected
  items (:mod:`claimtrack.evals.native`), as ``evals/seed`` and ``evals/meantime-attribution``;
- ``attribution-brat``: a brat standoff folder with ``text/`` and ``attributions/`` (PolNeAR's
  ``data/dev``), scored as BBC's Citron scores attribution (:mod:`claimtrack.evals.attribution`);
- ``tracking``: a folder with ``cases.jsonl`` and ``articles.jsonl`` (``evals/tracking``);
- ``pledges``: a TSV of sentences labelled pledge or not (:mod:`claimtrack.evals.pledges`).

Every run is stored (``eval_runs``, ``eval_cases``) with its suite's content hash, backend, model,
prompt id, claimtrack's git commit, metrics, per-case results and cost (calls, tokens, dollars,
latency, from the call records). The llm backend goes through the extraction pipeline (or the
tracking judge) with the database's response cache, so re-running an identical eval sends no
request. Runs are compared metric by metric and case by case; :data:`HEADLINE` names the metrics
the regression gate watches for each kind.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from claimtrack.errors import UsageError
from claimtrack.evals import native, pledges
from claimtrack.evals.brat import ANNOTATION_DIR, TEXT_DIR, Attribution
from claimtrack.llm import CallRecord
from claimtrack.store import Store, utc_now
from claimtrack.store import evals as run_rows
from claimtrack.store.evals import EvalCaseRecord, EvalRunRecord

NATIVE = "native"
BRAT = "attribution-brat"
TRACKING = "tracking"
PLEDGES = "pledges"

HEADLINE: dict[str, tuple[str, ...]] = {
    BRAT: ("content_overlap_f1", "source_overlap_f1", "cue_overlap_f1"),
    TRACKING: ("relation_accuracy", "proposal_f1", "retrieval_recall_at_64"),
    NATIVE: native.HEADLINE,
    PLEDGES: pledges.HEADLINE,
}
DEFAULT_PROMPT = {NATIVE: "extract", BRAT: "extract", PLEDGES: "extract", TRACKING: "track"}
C = TypeVar("C")
LEFT_OUT = "left out (unreadable): "  # a run note naming a gold file the run is scored without


@dataclass
class EvalRun:
    """A stored run with its cases."""

    record: EvalRunRecord
    cases: list[EvalCaseRecord] = field(default_factory=list)

    @property
    def run_id(self) -> str:
        return self.record.id

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def metrics(self) -> dict[str, float]:
        return self.record.metrics

    @property
    def seconds(self) -> float:
        return (self.record.finished_at - self.record.started_at).total_seconds()

    def summary_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "run_id": r.id,
            "suite": r.suite,
            "suite_hash": r.suite_hash,
            "kind": r.kind,
            "backend": r.backend,
            "model": r.model,
            "prompt_id": r.prompt_id,
            "git_commit": r.git_commit,
            "git_dirty": r.git_dirty,
            "started_at": r.started_at.isoformat(),
            "finished_at": r.finished_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "metrics": r.metrics,
            "headline": {name: r.metrics.get(name) for name in HEADLINE.get(r.kind, ())},
            "cost": {
                "llm_calls": r.llm_calls,
                "cache_hits": r.cache_hits,
                "prompt_tokens": r.prompt_tokens,
                "completion_tokens": r.completion_tokens,
                "cost_usd": r.cost_usd,
                "latency_ms": r.latency_ms,
            },
            "notes": r.notes,
        }

    def to_json(self) -> dict[str, Any]:
        return self.summary_json() | {"cases": [case_json(case) for case in self.cases]}


def case_json(case: EvalCaseRecord) -> dict[str, Any]:
    return {
        "id": case.case_id,
        "score": case.score,
        "metrics": case.metrics,
        "expected": case.expected,
        "predicted": case.predicted,
    }


# -- what a suite is ------------------------------------------------------------------------------


def suite_kind(path: Path) -> str:
    from claimtrack.evals.tracking import is_tracking_suite

    if not path.exists():
        raise UsageError(f"{path}: no such suite")
    if path.is_dir() and (path / TEXT_DIR).is_dir() and (path / ANNOTATION_DIR).is_dir():
        return BRAT
    if path.is_dir() and is_tracking_suite(path):
        return TRACKING
    if native.suite_file(path) is not None:
        return NATIVE
    if pledges.is_pledge_file(path):
        return PLEDGES
    raise UsageError(
        f"{path}: not an eval suite (expected a native .jsonl file or a folder with "
        f"{native.SUITE_FILE}, as evals/seed; a brat folder with {TEXT_DIR}/ and "
        f"{ANNOTATION_DIR}/, as PolNeAR's data/dev; a tracking folder with cases.jsonl and "
        "articles.jsonl, as evals/tracking; or a pledge .tsv)"
    )


def suite_hash(path: Path) -> str:
    """sha256 over the suite's files: relative names and bytes (hidden files left out)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        relative = file.relative_to(path) if path.is_dir() else Path(file.name)
        if any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(str(relative.as_posix()).encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def git_state(directory: Path | None = None) -> tuple[str | None, bool | None]:
    """claimtrack's checkout: (commit, has uncommitted changes), or (None, None) outside git."""
    root = directory or Path(__file__).resolve().parents[2]

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root.resolve():
        return None, None
    commit = git("rev-parse", "HEAD")
    if commit is None:
        return None, None
    status = git("status", "--porcelain", "--untracked-files=no")
    return commit, bool(status) if status is not None else None


# -- running --------------------------------------------------------------------------------------


@dataclass
class _Scored:
    metrics: dict[str, float]
    cases: list[EvalCaseRecord]
    prompt_id: str
    calls: list[CallRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sample:
    """A seeded random subset of a suite's cases: the same size and seed give the same cases."""

    size: int
    seed: int = 0

    def of(self, cases: Sequence[C]) -> list[C]:
        if self.size >= len(cases):
            return list(cases)
        chosen = sorted(random.Random(self.seed).sample(range(len(cases)), self.size))
        return [cases[i] for i in chosen]

    def note(self, total: int) -> str:
        return f"a sample of {min(self.size, total)} of {total} cases (seed {self.seed})"


def run_suite(
    path: Path,
    backend: str,
    store: Store,
    *,
    model: str | None = None,
    prompt_name: str | None = None,
    concurrency: int = 4,
    sample: Sample | None = None,
) -> EvalRun:
    """Run the suite at ``path`` with ``backend``, store the run in ``store`` and return it.

    With ``sample``, only a seeded subset of the cases is run; its suite hash then names the
    sample too, so that a regression gate never compares a sample with the whole suite."""
    kind = suite_kind(path)
    if sample is not None and kind == TRACKING:
        raise UsageError(
            "--sample applies to extraction suites (native, attribution-brat, pledges); a "
            "tracking suite is run whole"
        )
    if backend == "rules" and (model or prompt_name):
        raise UsageError(
            "--model and --prompt choose the llm backend's model and prompt; "
            "use them with --backend llm"
        )
    settings = prompt = None
    if backend == "llm":
        from claimtrack.llm import LLMSettings
        from claimtrack.prompts import load_prompt

        settings = LLMSettings.from_env(model=model)
        prompt = load_prompt(prompt_name or DEFAULT_PROMPT[kind])
    started = utc_now()
    if kind == TRACKING:
        scored = _run_tracking(path, backend, settings, prompt, store)
    else:
        runner = {NATIVE: _run_native, BRAT: _run_brat, PLEDGES: _run_pledges}[kind]
        scored = runner(_Extraction(path, backend, settings, prompt, store, concurrency, sample))
    hashed = suite_hash(path)
    if sample is not None:
        hashed = hashlib.sha256(f"{hashed} {sample.size} {sample.seed}".encode()).hexdigest()[:16]
    finished = utc_now()
    commit, dirty = git_state()
    record = EvalRunRecord(
        id=uuid.uuid4().hex[:12],
        suite=str(path),
        suite_hash=hashed,
        kind=kind,
        backend=backend,
        model=settings.model if settings else None,
        prompt_id=scored.prompt_id,
        git_commit=commit,
        git_dirty=dirty,
        started_at=started,
        finished_at=finished,
        metrics=scored.metrics,
        notes=scored.notes,
        **_cost(scored.calls),
    )
    with store.write() as con:
        run_rows.save_run(con, record, scored.cases)
    return EvalRun(record, scored.cases)


def _cost(calls: Sequence[CallRecord]) -> dict[str, Any]:
    sent = [call for call in calls if call.outcome != "cached"]
    costs = [call.cost_usd for call in sent if call.cost_usd is not None]
    latencies = [call.latency_ms for call in sent if call.latency_ms is not None]
    return {
        "llm_calls": len(sent),
        "cache_hits": len(calls) - len(sent),
        "prompt_tokens": sum(call.prompt_tokens or 0 for call in sent),
        "completion_tokens": sum(call.completion_tokens or 0 for call in sent),
        "cost_usd": sum(costs) if costs else (0.0 if not sent else None),
        "latency_ms": sum(latencies) if latencies else None,
    }


@dataclass
class _Extraction:
    """What an extraction suite is run with, and the notes the run gathers."""

    path: Path
    backend: str
    settings: Any
    prompt: Any
    store: Store
    concurrency: int
    sample: Sample | None
    notes: list[str] = field(default_factory=list)

    def sampled(self, cases: Sequence[C]) -> list[C]:
        if self.sample is None:
            return list(cases)
        self.notes.append(self.sample.note(len(cases)))
        return self.sample.of(cases)

    def predict(self, texts: Sequence[Any]) -> tuple[list[list[Any]], str, list[CallRecord], int]:
        """Items per text (``TextToExtract``), the prompt id, the calls, and the items dropped
        as ungrounded (llm)."""
        if self.backend == "rules":
            from claimtrack.extraction.rules import RULES_VERSION, extract_with_rules

            found = [
                extract_with_rules(t.text, published=t.published, publication=t.publication)
                for t in texts
            ]
            return found, f"rules@{RULES_VERSION}", [], 0
        from claimtrack.extraction.pipeline import extract_texts_with_llm

        results = extract_texts_with_llm(
            self.store,
            self.settings,
            self.prompt,
            texts,
            purpose="eval",
            concurrency=self.concurrency,
        )
        calls = [call for result in results for call in result.calls]
        dropped = sum(len(result.dropped) for result in results)
        return [result.items for result in results], self.prompt.id, calls, dropped


def _run_native(run: _Extraction) -> _Scored:
    from claimtrack.extraction.pipeline import TextToExtract

    cases = run.sampled(native.read_suite(run.path))
    texts = [TextToExtract(c.id, c.text, c.published, c.source) for c in cases]
    predicted, prompt_id, calls, dropped = run.predict(texts)
    metrics, per_case = native.score_suite(cases, predicted)
    metrics["items_dropped_ungrounded"] = float(dropped)
    records = []
    for case, items, result in zip(cases, predicted, per_case, strict=True):
        case_metrics = result.metrics()
        records.append(
            EvalCaseRecord(
                case_id=case.id,
                score=case_metrics["item_f1"],
                metrics=case_metrics,
                expected=[item.to_json() for item in case.items],
                predicted=[native.item_json(item) for item in items if item.kind in case.kinds],
                detail={
                    "text": case.text,
                    "title": case.title,
                    "matches": result.matches,
                    "kinds": list(case.kinds),
                },
            )
        )
    return _Scored(metrics, records, prompt_id, calls, run.notes)


def _spans_json(attribution: Attribution) -> dict[str, Any]:
    def pieces(spans: Any) -> list[list[int]] | None:
        return [[s.start, s.end] for s in spans] if spans else None

    return {
        "source": pieces(attribution.source),
        "cue": pieces(attribution.cue),
        "content": pieces(attribution.content),
    }


def _run_brat(run: _Extraction) -> _Scored:
    from claimtrack.evals.attribution import (
        count_document,
        items_to_attributions,
        score_attributions,
    )
    from claimtrack.evals.brat import load_polnear_gold
    from claimtrack.extraction.pipeline import TextToExtract

    readable, rejected = load_polnear_gold(run.path)
    run.notes += [f"{LEFT_OUT}{error}" for error in rejected]
    gold = run.sampled(readable)
    texts = [TextToExtract(document.name, document.text) for document in gold]
    items, prompt_id, calls, dropped = run.predict(texts)
    predicted = {
        document.name: items_to_attributions(found)
        for document, found in zip(gold, items, strict=True)
    }
    metrics = score_attributions(gold, predicted)
    metrics["items_dropped_ungrounded"] = float(dropped)
    metrics["documents_left_out"] = float(len(rejected))
    records = []
    for document in gold:
        guesses = predicted[document.name]
        case_metrics: dict[str, float] = {}
        for role, counts in count_document(document, guesses).items():
            case_metrics |= counts.scores(role)
        records.append(
            EvalCaseRecord(
                case_id=document.name,
                score=case_metrics["content_overlap_f1"],
                metrics=case_metrics,
                expected=[_spans_json(a) for a in document.attributions],
                predicted=[_spans_json(a) for a in guesses],
                detail={"text": document.text, "annotator": document.annotator},
            )
        )
    return _Scored(metrics, records, prompt_id, calls, run.notes)


def _run_pledges(run: _Extraction) -> _Scored:
    from claimtrack.extraction.pipeline import TextToExtract

    sentences = run.sampled(pledges.read_sentences(run.path))
    texts = [TextToExtract(s.id, s.text, None, s.party) for s in sentences]
    items, prompt_id, calls, _ = run.predict(texts)
    predicted = [any(item.kind == "commitment" for item in found) for found in items]
    metrics = pledges.score([s.pledge for s in sentences], predicted)
    records = [
        EvalCaseRecord(
            case_id=sentence.id,
            score=1.0 if guess == sentence.pledge else 0.0,
            metrics={"correct": guess == sentence.pledge},
            expected={"pledge": sentence.pledge},
            predicted={
                "pledge": guess,
                "commitments": [
                    native.item_json(item) for item in found if item.kind == "commitment"
                ],
            },
            detail={"text": sentence.text, "party": sentence.party, "year": sentence.year},
        )
        for sentence, guess, found in zip(sentences, predicted, items, strict=True)
    ]
    return _Scored(metrics, records, prompt_id, calls, run.notes)


def _run_tracking(path: Path, backend: str, settings: Any, prompt: Any, store: Store) -> _Scored:
    from claimtrack.evals.tracking import run_tracking_suite

    metrics, results, prompt_id, calls = run_tracking_suite(
        path, backend, settings=settings, prompt=prompt, cache_store=store
    )
    records = []
    for result in results:
        shown = result.to_json()
        records.append(
            EvalCaseRecord(
                case_id=result.id,
                score=1.0 if shown["correct"] else 0.0,
                metrics={"correct": shown["correct"], "retrieved_rank": result.retrieved_rank},
                expected=shown["expected"],
                predicted=shown["predicted"],
            )
        )
    return _Scored(metrics, records, prompt_id, calls)


# -- stored runs ----------------------------------------------------------------------------------


def load_run(store: Store, ref: str, *, with_cases: bool = True) -> EvalRun:
    """A stored run by id or unique id prefix; :class:`UsageError` when none or several match."""
    if not ref.strip():
        raise UsageError("a run id is empty")
    with store.read() as con:
        found = run_rows.runs_matching(con, ref.strip())
        if not found:
            raise UsageError(f"no eval run {ref!r} (see: claimtrack eval list)")
        if len(found) > 1 and found[0].id != ref.strip():
            shown = ", ".join(run.id for run in found[:5])
            raise UsageError(f"run id {ref!r} is ambiguous: it starts {shown}; give more of it")
        record = found[0]
        cases = run_rows.run_cases(con, record.id) if with_cases else []
    return EvalRun(record, cases)


def list_runs(store: Store, *, kind: str | None = None, limit: int | None = None) -> list[EvalRun]:
    with store.read() as con:
        return [EvalRun(record) for record in run_rows.list_runs(con, kind=kind, limit=limit)]


@dataclass
class Drop:
    metric: str
    baseline: float
    value: float

    @property
    def drop(self) -> float:
        return self.baseline - self.value


def regressions(baseline: EvalRun, run: EvalRun, max_drop: float) -> list[Drop]:
    """Headline metrics of ``run`` that fell more than ``max_drop`` below ``baseline``.

    A headline metric the baseline has and the run lacks counts as fallen to 0."""
    if baseline.kind != run.kind:
        raise UsageError(
            f"baseline {baseline.run_id} is a {baseline.kind} run; this suite is {run.kind}"
        )
    drops = []
    for name in HEADLINE.get(run.kind, ()):
        if name not in baseline.metrics:
            continue
        before, after = baseline.metrics[name], run.metrics.get(name, 0.0)
        if before - after > max_drop + 1e-12:
            drops.append(Drop(name, before, after))
    return drops


@dataclass
class Comparison:
    a: EvalRun
    b: EvalRun
    deltas: dict[str, tuple[float | None, float | None]]  # metric -> (a, b)
    wins: list[tuple[str, float | None, float | None]]  # cases b scores higher than a
    losses: list[tuple[str, float | None, float | None]]
    ties: int
    only_a: list[str]
    only_b: list[str]

    def to_json(self) -> dict[str, Any]:
        def delta(a: float | None, b: float | None) -> float | None:
            return None if a is None or b is None else b - a

        return {
            "run_a": self.a.summary_json(),
            "run_b": self.b.summary_json(),
            "same_suite": self.a.record.suite_hash == self.b.record.suite_hash,
            "metrics": {
                name: {"a": a, "b": b, "delta": delta(a, b)} for name, (a, b) in self.deltas.items()
            },
            "headline": list(HEADLINE.get(self.b.kind, ())),
            "wins": [{"id": c, "a": a, "b": b} for c, a, b in self.wins],
            "losses": [{"id": c, "a": a, "b": b} for c, a, b in self.losses],
            "ties": self.ties,
            "only_in_a": self.only_a,
            "only_in_b": self.only_b,
        }


def compare_runs(a: EvalRun, b: EvalRun) -> Comparison:
    """Metric deltas (b - a) and per-case wins (b higher) and losses (b lower) by case score."""
    if a.kind != b.kind:
        raise UsageError(f"run {a.run_id} is a {a.kind} run and {b.run_id} a {b.kind} run")
    names = list(a.metrics) + [name for name in b.metrics if name not in a.metrics]
    deltas = {name: (a.metrics.get(name), b.metrics.get(name)) for name in names}
    scores_a = {case.case_id: case.score for case in a.cases}
    scores_b = {case.case_id: case.score for case in b.cases}
    wins, losses, ties = [], [], 0
    for case_id, before in scores_a.items():
        if case_id not in scores_b:
            continue
        after = scores_b[case_id]
        if (after or 0.0) > (before or 0.0) + 1e-12:
            wins.append((case_id, before, after))
        elif (after or 0.0) < (before or 0.0) - 1e-12:
            losses.append((case_id, before, after))
        else:
            ties += 1
    return Comparison(
        a,
        b,
        deltas,
        wins,
        losses,
        ties,
        only_a=[c for c in scores_a if c not in scores_b],
        only_b=[c for c in scores_b if c not in scores_a],
    )
