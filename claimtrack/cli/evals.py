"""``claimtrack eval run`` (attribution suites, rules backend, for now)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from claimtrack.cli.app import info_line, json_option, print_json
from claimtrack.cli.ingest import backend_option, model_option, prompt_option
from claimtrack.cli.pending import eval_group
from claimtrack.errors import UsageError
from claimtrack.evals.runs import EvalRun

ROLES = ("source", "cue", "content")


@eval_group.command("run")
@click.argument("suite", type=click.Path(path_type=Path))
@backend_option
@prompt_option
@model_option
@click.option("--baseline", help="A run to compare with; fail when a headline metric drops.")
@click.option("--max-drop", type=float, help="The largest drop allowed against --baseline.")
@json_option
def eval_run(
    suite: Path,
    backend: str | None,
    prompt_name: str | None,
    model: str | None,
    baseline: str | None,
    max_drop: float | None,
    as_json: bool,
) -> None:
    """Run an eval SUITE and print its metrics.

    SUITE is a brat standoff attribution folder (text/ and attributions/, PolNeAR's layout),
    scored for Source, Cue and Content precision, recall and F1, exact and overlap, as BBC's
    Citron scores them (rules backend); or a tracking suite (cases.jsonl and articles.jsonl, as
    evals/tracking), scored for retrieval recall@k, relation accuracy and macro-F1, and proposal
    precision and recall (rules or llm backend). Stored runs and --baseline gates are not
    available yet.

    \b
    Examples:
      claimtrack eval run ../shared/datasets/polnear/data/dev --backend rules
      claimtrack eval run evals/tracking --backend rules
    """
    from claimtrack.evals.runs import run_suite

    if baseline is not None or max_drop is not None:
        raise UsageError("--baseline and --max-drop are not available yet (runs are not stored)")
    run = run_suite(suite, backend or "rules", model=model, prompt_name=prompt_name)
    if as_json:
        print_json(run.to_json())
        return
    if run.kind == "tracking":
        _print_tracking(run)
        return
    table = Table(title=f"{run.suite} ({run.prompt_id})", box=None)
    table.add_column("role")
    for match in ("exact", "overlap"):
        for measure in ("precision", "recall", "f1"):
            table.add_column(f"{match} {measure[0].upper() if measure != 'f1' else 'F1'}")
    for role in ROLES:
        table.add_row(
            role,
            *(
                f"{run.metrics[f'{role}_{match}_{measure}']:.3f}"
                for match in ("exact", "overlap")
                for measure in ("precision", "recall", "f1")
            ),
        )
    Console().print(table)
    _attribution_footer(run)


def _attribution_footer(run: EvalRun) -> None:
    gold = int(run.metrics["gold_attributions"])
    predicted = int(run.metrics["predicted_attributions"])
    info_line(
        f"{int(run.metrics['documents'])} documents, {gold} gold and {predicted} predicted "
        f"attributions, {run.seconds:.2f}s. Run {run.run_id} is not stored (not available yet)."
    )


def _print_tracking(run: EvalRun) -> None:
    table = Table(title=f"{run.suite} ({run.prompt_id})", box=None)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in run.metrics.items():
        shown = (
            f"{int(value)}"
            if name in ("cases", "retrieval_k") or name.endswith("ed")
            else f"{value:.3f}"
        )
        table.add_row(name, shown)
    Console().print(table)
    wrong = [c for c in run.cases if not c["correct"]]
    for case in wrong:
        info_line(
            f"{case['id']}: expected {case['expected']['relation']}, "
            f"got {case['predicted']['relation']}"
        )
    info_line(
        f"{len(run.cases)} cases, {len(wrong)} judged wrong, {run.seconds:.2f}s. "
        f"Run {run.run_id} is not stored (not available yet)."
    )
