"""``claimtrack export``."""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.cli.app import AppContext, info_line, json_option, pass_app, print_json
from claimtrack.services.export import export_ledger
from claimtrack.store.export import FORMATS


@click.command(short_help="Export items, their status history and the proposals.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), required=True, help="csv, json or parquet."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write. csv and parquet also write <stem>.events and <stem>.proposals "
    "beside it; json writes one document with all three.",
)
@json_option
@pass_app
def export(app: AppContext, fmt: str, out: Path, as_json: bool) -> None:
    """Export the ledger: every item with its current status, every status event (who, when,
    from, to, the evidence), and every proposal with its review state.

    Files are written whole or not at all (a temporary file renamed into place).

    \b
    Examples:
      claimtrack export --format csv --out ledger.csv     # ledger.csv, ledger.events.csv,
                                                          # ledger.proposals.csv
      claimtrack export --format parquet --out ledger.parquet
      claimtrack export --format json --out ledger.json
    """
    report = export_ledger(app.store, out, fmt)
    if as_json:
        print_json(report.to_json())
    else:
        info_line(
            f"Exported {report.items} items, {report.events} events and "
            f"{report.proposals} proposals to {', '.join(report.files)}."
        )
