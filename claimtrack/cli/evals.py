"""``claimtrack eval``: run suites, list, show and compare stored runs, gate regressions."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from claimtrack.cli.app import (
    AppContext,
    error_line,
    info_line,
    json_option,
    markup_safe,
    pass_app,
    print_json,
    stdout_console,
)
from claimtrack.cli.options import backend_option, chosen_backend, concurrency_option
from claimtrack.errors import UsageError
from claimtrack.evals.runs import (
    BRAT,
    HEADLINE,
    LEFT_OUT,
    NATIVE,
    PLEDGES,
    TRACKING,
    Comparison,
    EvalRun,
)

ROLES = ("source", "cue", "content")
NATIVE_GROUPS = ("item", "claim", "commitment", "claim_speaker", "direct_claim", "indirect_claim")
SHOWN_CASES = 40  # cases listed by `eval show` without --all-cases

# a pipe gets wide tables rather than columns squeezed to 80 characters
stdout = stdout_console(width=None if sys.stdout.isatty() else 200)


@click.group("eval")
def eval_group() -> None:
    """Measure prompts and models against gold data, store the runs, compare them.

    \b
    Examples:
      claimtrack eval run evals/seed
      claimtrack eval run ../shared/datasets/polnear/data/dev --json
      claimtrack eval list
      claimtrack eval compare RUN_A RUN_B
    """


# -- eval run -------------------------------------------------------------------------------------


@eval_group.command("run")
@click.argument("suite", type=click.Path(path_type=Path))
@backend_option
@click.option(
    "--prompt",
    "prompt_names",
    multiple=True,
    help="The llm backend's prompt in prompts/, as NAME[@VERSION] or a file; repeat for a "
    "matrix. Default: extract (track for tracking suites).",
)
@click.option(
    "--model",
    "models",
    multiple=True,
    help="The llm backend's model; repeat for a matrix (every prompt with every model). "
    "Default: $CLAIMTRACK_MODEL.",
)
@click.option(
    "--baseline",
    help="A stored run (id or unique prefix) of the same suite kind: exit 1 when a headline "
    "metric drops by more than --max-drop against it.",
)
@click.option(
    "--max-drop",
    type=click.FloatRange(min=0),
    default=None,
    help="The largest drop of a headline metric allowed against --baseline. Default: 0.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a static HTML report of each case, expected beside predicted (with "
    "several runs, one file per run: NAME-RUNID.html).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=None,
    help="Run a seeded random sample of this many cases (documents, articles or sentences) "
    "instead of the whole suite: a cheap first look before an LLM run over thousands. Not for "
    "tracking suites.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="The seed of --sample: the same size and seed pick the same cases.",
)
@concurrency_option
@json_option
@pass_app
def eval_run(
    app: AppContext,
    suite: Path,
    backend: str | None,
    prompt_names: tuple[str, ...],
    models: tuple[str, ...],
    baseline: str | None,
    max_drop: float | None,
    html_path: Path | None,
    sample: int | None,
    seed: int,
    concurrency: int,
    as_json: bool,
) -> None:
    """Run an eval SUITE, store the run, print its metrics and id.

    \b
    Suites (told apart by their layout):
      native            a .jsonl of articles with expected items, or a folder with
                        suite.jsonl (evals/seed, evals/meantime-attribution): claim and
                        commitment detection P/R/F1, speaker and content jointly, direct
                        and indirect apart, commitment fields, grounding rate
      attribution-brat  a brat folder with text/ and attributions/ (PolNeAR's data/dev):
                        Source, Cue, Content P/R/F1, exact and overlap, as Citron scores
      tracking          a folder with cases.jsonl and articles.jsonl (evals/tracking):
                        retrieval recall@k, relation accuracy and macro-F1, proposal P/R
      pledges           a .tsv of sentences labelled pledge 0/1 (the manifesto pledges):
                        sentence-level commitment detection P/R/F1

    Every run is stored with its suite hash, backend, model, prompt id, git commit, metrics,
    per-case results and cost. The llm backend shares the response cache with extraction:
    running the same eval again sends no request. Several --prompt and --model values run
    every combination (one stored run each) and end with a summary table.

    With --baseline RUN, exit 1 when a headline metric (content/source/cue overlap F1;
    relation accuracy, proposal F1, retrieval recall@64; item F1 and grounding rate; pledge
    F1) falls more than --max-drop below the baseline's; one line per metric says which.
    A --sample run has its own suite hash: gate it against a run of the same sample. A gold
    file that cannot be read gets one line naming it, the run is scored without it, and the
    exit code is 1.

    \b
    Examples:
      claimtrack eval run evals/seed
      claimtrack eval run ../shared/datasets/polnear/data/dev --json
      claimtrack eval run ../shared/datasets/pledges/sentences.tsv
      claimtrack eval run ../shared/datasets/pledges/sentences.tsv --backend llm --sample 200
      claimtrack eval run evals/tracking --baseline 3f2a9c --max-drop 0.02
      claimtrack eval run evals/seed --backend llm --prompt extract@1 --prompt extract@2 \\
          --model gpt-4o-mini --model gpt-4.1-mini --html report.html
    """
    from claimtrack.evals.runs import Sample, load_run, run_suite, suite_kind

    if max_drop is not None and baseline is None:
        raise UsageError("--max-drop needs --baseline RUN (the run to compare with)")
    if seed and sample is None:
        raise UsageError("--seed picks the cases of --sample N; add --sample")
    kind = suite_kind(suite)
    chosen = chosen_backend(backend)
    if chosen == "rules" and (prompt_names or models):
        raise UsageError("--prompt and --model choose the llm backend's; add --backend llm")
    base = None
    if baseline is not None:
        base = load_run(app.store, baseline, with_cases=False)
        if base.kind != kind:
            raise UsageError(
                f"baseline {base.run_id} is a {base.kind} run, but {suite} is a {kind} suite"
            )
    matrix = [(p, m) for p in (prompt_names or (None,)) for m in (models or (None,))]
    runs = []
    for prompt_name, model in matrix:
        run = run_suite(
            suite,
            chosen,
            app.store,
            model=model,
            prompt_name=prompt_name,
            concurrency=concurrency,
            sample=Sample(sample, seed) if sample is not None else None,
        )
        runs.append(run)
        for note in run.record.notes or []:
            if note.startswith(LEFT_OUT):
                error_line(note.removeprefix(LEFT_OUT))
        if not as_json:
            print_run(run)
        if html_path is not None:
            _write_html(run, html_path, several=len(matrix) > 1)
    if as_json:
        shown = [run.to_json() for run in runs]
        print_json(shown[0] if len(shown) == 1 else shown)
    elif len(runs) > 1:
        _print_matrix(runs)
    if base is not None:
        _gate(base, runs, max_drop or 0.0)
    if any(run.metrics.get("documents_left_out") for run in runs):
        sys.exit(1)  # scored without the files named above


def _write_html(run: EvalRun, path: Path, *, several: bool) -> None:
    from claimtrack.evals.report import render_html

    target = (
        path.with_name(f"{path.stem}-{run.run_id}{path.suffix or '.html'}") if several else path
    )
    try:
        target.write_text(render_html(run), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{target}: cannot write the report: {error.strerror or error}") from error
    info_line(f"HTML report: {target}")


def _gate(base: EvalRun, runs: list[EvalRun], max_drop: float) -> None:
    from claimtrack.evals.runs import regressions

    if base.record.suite_hash != runs[0].record.suite_hash:
        info_line(
            f"note: baseline {base.run_id} was run on other suite content ({base.record.suite}); "
            "its metrics may not be comparable"
        )
    failed = False
    for run in runs:
        for drop in regressions(base, run, max_drop):
            failed = True
            info_line(
                f"regression: run {run.run_id} {drop.metric} {drop.value:.4f} is {drop.drop:.4f} "
                f"below baseline {base.run_id} ({drop.baseline:.4f}); --max-drop is {max_drop}"
            )
    if failed:
        sys.exit(1)
    info_line(f"No headline metric fell more than {max_drop} below baseline {base.run_id}.")


# -- printing runs --------------------------------------------------------------------------------


def _value(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name in ("cases", "documents", "retrieval_k", "sentences") or not (
        name.endswith(("precision", "recall", "f1", "accuracy", "rate")) or "recall_at" in name
    ):
        return f"{value:g}"
    return f"{value:.3f}"


def _prf_table(title: str, rows: tuple[str, ...], metrics: dict[str, float]) -> Table:
    table = Table(title=title, box=None)
    table.add_column("")
    for column in ("precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row,
            *(_value("f1", metrics.get(f"{row}_{m}")) for m in ("precision", "recall", "f1")),
        )
    return table


def print_run(run: EvalRun) -> None:
    """A run's metrics as a terminal table on stdout, and its id and cost on stderr."""
    model = f", {run.record.model}" if run.record.model else ""
    title = markup_safe(f"{run.record.suite} ({run.record.prompt_id}{model})")
    metrics = run.metrics
    if run.kind == BRAT:
        table = Table(title=title, box=None)
        table.add_column("role")
        for match in ("exact", "overlap"):
            for measure in ("P", "R", "F1"):
                table.add_column(f"{match} {measure}", justify="right")
        for role in ROLES:
            table.add_row(
                role,
                *(
                    f"{metrics[f'{role}_{match}_{measure}']:.3f}"
                    for match in ("exact", "overlap")
                    for measure in ("precision", "recall", "f1")
                ),
            )
        stdout.print(table)
        info_line(
            f"{int(metrics['documents'])} documents, {int(metrics['gold_attributions'])} gold "
            f"and {int(metrics['predicted_attributions'])} predicted attributions."
        )
    elif run.kind == NATIVE:
        scored = not (metrics.get("gold_commitments") or metrics.get("predicted_commitments"))
        rows = tuple(g for g in NATIVE_GROUPS if not (scored and g == "commitment"))
        stdout.print(_prf_table(title, rows, metrics))
        extra = Table(box=None)
        extra.add_column("metric")
        extra.add_column("value", justify="right")
        for name in (
            "commitment_actor_accuracy",
            "commitment_condition_accuracy",
            "commitment_deadline_accuracy",
            "grounding_rate",
            "items_dropped_ungrounded",
        ):
            if name in metrics:
                extra.add_row(name, _value(name, metrics[name]))
        stdout.print(extra)
        info_line(
            f"{int(metrics['cases'])} articles: {int(metrics['gold_claims'])} gold claims, "
            f"{int(metrics['gold_commitments'])} gold commitments; predicted "
            f"{int(metrics['predicted_claims'])} and {int(metrics['predicted_commitments'])}."
        )
    else:
        table = Table(title=title, box=None)
        table.add_column("metric")
        table.add_column("value", justify="right")
        for name, value in metrics.items():
            table.add_row(name, _value(name, value))
        stdout.print(table)
        if run.kind == TRACKING:
            for case in run.cases:
                if not case.metrics.get("correct"):
                    info_line(
                        f"{case.case_id}: expected {case.expected['relation']}, "
                        f"got {case.predicted['relation']}"
                    )
    for note in run.record.notes or []:
        if not note.startswith(LEFT_OUT):  # already said, as errors
            info_line(f"Note: {note}.")
    info_line(f"{_cost_line(run)} {run.seconds:.2f}s. Stored as run {run.run_id}.")


def _cost_line(run: EvalRun) -> str:
    r = run.record
    if r.backend == "rules":
        return "rules backend, no LLM calls;"
    dollars = f"${r.cost_usd:.4f}" if r.cost_usd is not None else "no price known"
    latency = f", {r.latency_ms / 1000:.1f}s in calls" if r.latency_ms else ""
    return (
        f"{r.llm_calls} LLM calls ({r.cache_hits} from cache), "
        f"{r.prompt_tokens + r.completion_tokens} tokens, {dollars}{latency};"
    )


def _print_matrix(runs: list[EvalRun]) -> None:
    headline = HEADLINE.get(runs[0].kind, ())
    table = Table(title="runs", box=None)
    for column in ("run", "prompt", "model", *headline, "calls", "cost $"):
        table.add_column(column, justify="right" if column in (*headline, "calls") else "left")
    for run in runs:
        r = run.record
        table.add_row(
            r.id,
            markup_safe(r.prompt_id),
            markup_safe(r.model or "-"),
            *(_value(name, r.metrics.get(name)) for name in headline),
            str(r.llm_calls),
            f"{r.cost_usd:.4f}" if r.cost_usd is not None else "-",
        )
    stdout.print(table)


# -- eval list / show / compare ------------------------------------------------------------------


@eval_group.command("list")
@click.option(
    "--kind",
    type=click.Choice([NATIVE, BRAT, TRACKING, PLEDGES]),
    help="Only runs of this suite kind.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many runs.")
@json_option
@pass_app
def eval_list(app: AppContext, kind: str | None, limit: int | None, as_json: bool) -> None:
    """List stored eval runs, newest first, with their headline metrics and cost.

    \b
    Examples:
      claimtrack eval list
      claimtrack eval list --kind native --limit 5 --json
    """
    from claimtrack.evals.runs import list_runs

    runs = list_runs(app.store, kind=kind, limit=limit)
    if as_json:
        print_json([run.summary_json() for run in runs])
        return
    if not runs:
        info_line("No eval runs yet: claimtrack eval run SUITE stores one.")
        return
    table = Table(box=None)
    for column in ("run", "started", "kind", "suite", "backend", "prompt", "model", "headline"):
        table.add_column(column)
    table.add_column("calls", justify="right")
    for run in runs:
        r = run.record
        headline = " ".join(
            f"{name}={_value(name, r.metrics.get(name))}" for name in HEADLINE.get(r.kind, ())
        )
        table.add_row(
            r.id,
            r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            r.kind,
            markup_safe(r.suite),
            r.backend,
            markup_safe(r.prompt_id),
            markup_safe(r.model or "-"),
            headline,
            str(r.llm_calls),
        )
    stdout.print(table)


@eval_group.command("show")
@click.argument("run_id")
@click.option("--all-cases", is_flag=True, help="List every case, not only the imperfect ones.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a static HTML report of the run's cases, expected beside predicted.",
)
@json_option
@pass_app
def eval_show(
    app: AppContext, run_id: str, all_cases: bool, html_path: Path | None, as_json: bool
) -> None:
    """Show one stored run: what ran, its metrics, cost, and its cases.

    RUN_ID is a run id or a unique prefix of one (see eval list). Without --all-cases the
    terminal lists the cases that did not score 1.0 (up to 40).

    \b
    Examples:
      claimtrack eval show 3f2a9c
      claimtrack eval show 3f2a9c --json
      claimtrack eval show 3f2a9c --html run.html
    """
    from claimtrack.evals.runs import load_run

    run = load_run(app.store, run_id)
    if html_path is not None:
        _write_html(run, html_path, several=False)
    if as_json:
        print_json(run.to_json())
        return
    r = run.record
    info_line(
        f"run {r.id}: {r.kind} suite {r.suite} (hash {r.suite_hash[:12]}), {r.backend}, "
        f"prompt {r.prompt_id}, model {r.model or '-'}, git {r.git_commit or '-'}"
        f"{' (uncommitted changes)' if r.git_dirty else ''}, "
        f"started {r.started_at:%Y-%m-%d %H:%M:%S}"
    )
    print_run(run)
    listed = run.cases if all_cases else [c for c in run.cases if (c.score or 0.0) < 1.0]
    table = Table(title="cases" if all_cases else "cases scoring below 1", box=None)
    table.add_column("case")
    table.add_column("score", justify="right")
    table.add_column("expected")
    table.add_column("predicted")
    for case in listed if all_cases else listed[:SHOWN_CASES]:
        table.add_row(
            markup_safe(case.case_id),
            _value("f1", case.score),
            markup_safe(_brief(case.expected)),
            markup_safe(_brief(case.predicted)),
        )
    stdout.print(table)
    if not all_cases and len(listed) > SHOWN_CASES:
        info_line(f"... and {len(listed) - SHOWN_CASES} more (--all-cases, --json or --html)")


def _brief(value: object) -> str:
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    if isinstance(value, dict):
        parts = [f"{k}={v}" for k, v in value.items() if not isinstance(v, list | dict)]
        text = ", ".join(parts)
        return text if len(text) <= 80 else text[:79] + "…"
    return str(value)


@eval_group.command("compare")
@click.argument("run_a")
@click.argument("run_b")
@json_option
@pass_app
def eval_compare(app: AppContext, run_a: str, run_b: str, as_json: bool) -> None:
    """Compare two stored runs of the same suite kind: metric deltas (B - A), per-case wins
    (B scores higher) and losses (B scores lower).

    \b
    Examples:
      claimtrack eval compare 3f2a9c 81bd07
      claimtrack eval compare 3f2a9c 81bd07 --json
    """
    from claimtrack.evals.runs import compare_runs, load_run

    comparison = compare_runs(load_run(app.store, run_a), load_run(app.store, run_b))
    if as_json:
        print_json(comparison.to_json())
        return
    print_comparison(comparison)


def print_comparison(comparison: Comparison) -> None:
    a, b = comparison.a.record, comparison.b.record
    headline = HEADLINE.get(b.kind, ())
    if a.suite_hash != b.suite_hash:
        info_line("note: the two runs scored different suite content")
    versus = markup_safe(f"A {a.id} ({a.prompt_id}) vs B {b.id} ({b.prompt_id})")
    table = Table(title=versus, box=None)
    table.add_column("metric")
    for column in ("A", "B", "B - A"):
        table.add_column(column, justify="right")
    for name, (before, after) in comparison.deltas.items():
        delta = "-" if before is None or after is None else f"{after - before:+.3f}"
        table.add_row(
            f"* {name}" if name in headline else name,
            _value(name, before),
            _value(name, after),
            delta,
        )
    stdout.print(table)
    for label, cases in (("wins", comparison.wins), ("losses", comparison.losses)):
        info_line(f"{len(cases)} {label} for B:")
        for case_id, before, after in cases[:SHOWN_CASES]:
            info_line(f"  {case_id}: {_value('f1', before)} -> {_value('f1', after)}")
        if len(cases) > SHOWN_CASES:
            info_line(f"  ... and {len(cases) - SHOWN_CASES} more (--json)")
    info_line(f"{comparison.ties} cases unchanged. (* headline metric)")
