"""Commands of the contract whose capability lands with a later issue.

Each one is declared with its real options and help, and exits 2 with a plain sentence saying what
is missing, so scripts written against CONTRACT.md fail loudly rather than silently.
"""

from __future__ import annotations

import click

from claimtrack.cli.app import cli, json_option
from claimtrack.errors import NotAvailableYet

EVALS = "prompt evals"


def _not_yet(command: str, capability: str) -> None:
    raise NotAvailableYet(command, capability)


@cli.group("eval")
def eval_group() -> None:
    """Measure prompts and models against gold data."""


@eval_group.command("list")
@json_option
def eval_list(**_: object) -> None:
    """List eval runs. Not available yet."""
    _not_yet("eval list", EVALS)


@eval_group.command("show")
@click.argument("run_id")
@json_option
def eval_show(**_: object) -> None:
    """Show one eval run's metrics and cases. Not available yet."""
    _not_yet("eval show", EVALS)


@eval_group.command("compare")
@click.argument("run_a")
@click.argument("run_b")
@json_option
def eval_compare(**_: object) -> None:
    """Compare two eval runs: metric deltas, per-case wins and losses. Not available yet."""
    _not_yet("eval compare", EVALS)
