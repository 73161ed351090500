"""Commands of the contract whose capability lands with a later issue.

Each one is declared with its real options and help, and exits 2 with a plain sentence saying what
is missing, so scripts written against CONTRACT.md fail loudly rather than silently.
"""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.cli.app import cli
from claimtrack.errors import NotAvailableYet

EXPORT = "export of items, history and proposals"
REVIEW = "the review queue"


def _not_yet(command: str, capability: str) -> None:
    raise NotAvailableYet(command, capability)


@cli.command(short_help="The review queue (not available yet).")
def review() -> None:
    """Open the keyboard-driven review queue of proposed status changes. Not available yet."""
    _not_yet("review", REVIEW)


@cli.command(short_help="Export items, history and proposals (not available yet).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "parquet"]),
    required=True,
    help="File format.",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Where to write.")
def export(**_: object) -> None:
    """Export items, their status history and the proposals. Not available yet."""
    _not_yet("export", EXPORT)
