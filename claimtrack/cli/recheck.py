"""``claimtrack recheck``: the command for cron and systemd timers."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from claimtrack.cli.app import (
    AppContext,
    error_line,
    info_line,
    json_option,
    pass_app,
    print_json,
    warning_line,
)
from claimtrack.cli.options import exit_code
from claimtrack.errors import UsageError
from claimtrack.services.recheck import DryRunReport
from claimtrack.services.recheck import dry_run as dry_run_recheck
from claimtrack.services.recheck import recheck as run_recheck

OVERDUE_SHOWN = 5  # a dry run names the first few commitments it would propose overdue


def _today() -> date:
    return datetime.now(UTC).date()


def _parse_as_of(value: str | None) -> date:
    if value is None:
        return _today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r}: give a date as YYYY-MM-DD") from None


@click.command(short_help="For schedulers: sources, extract, track, time rules.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The claimtrack.toml to use. Default: claimtrack.toml beside the database.",
)
@click.option("--as-of", help="Take this date (YYYY-MM-DD) as today for the time rules.")
@click.option("--dry-run", is_flag=True, help="Say what would be done; change and fetch nothing.")
@json_option
@pass_app
def recheck(
    app: AppContext, config_path: Path | None, as_of: str | None, dry_run: bool, as_json: bool
) -> None:
    """For schedulers: read what is new in the sources of claimtrack.toml (inbox folders, RSS
    and Atom feeds, URL lists), extract claims and commitments, track them against earlier
    items, then apply the time rules: a commitment whose deadline passed with no news of its
    fulfilment gets one 'overdue' proposal; items with no news for stale_after_days are listed.

    Safe beside people: the database is held only for short moments (the review queue stays
    usable), two rechecks never work at once (the second waits, then exits 75), and a recheck
    killed half-way is finished by the next one. A second run straight after finds nothing new
    and says so. One line per run goes to stderr and to a log file beside the database.

    \b
    Exit codes: 0 done, 1 a source or an input failed (the rest was done), 75 try again later.

    \b
    Examples:
      claimtrack recheck
      claimtrack --db ~/news/ukraine.duckdb recheck --json
      claimtrack recheck --dry-run
      claimtrack recheck --as-of 2026-03-01
    Cron (hourly):
      0 * * * * cd ~/news && claimtrack --db ukraine.duckdb recheck >/dev/null
    """
    from claimtrack.sources.config import find_config, load_config

    day = _parse_as_of(as_of)
    db = app.settings.db
    config_file = find_config(db, config_path)
    config = load_config(config_file)
    if config_file is None and not as_json:
        info_line(
            f"No claimtrack.toml beside {db} (and no --config): no sources to read; extracting, "
            "tracking and applying the time rules only."
        )
    if dry_run:
        _report_dry_run(dry_run_recheck(app.store, app.settings, config, day), as_json)
        return
    report = run_recheck(
        app.store,
        app.settings,
        config,
        day,
        on_error=error_line,
        on_notice=info_line,
        on_warning=warning_line,
    )
    if as_json:
        print_json(report.to_json())
    info_line(report.line())
    if report.time_rules.overdue_proposed:
        info_line(
            f"{report.time_rules.overdue_proposed:,} commitment(s) passed their deadline with no "
            "news of fulfilment: one 'overdue' proposal each, made once "
            "('claimtrack proposals list --relation deadline_passed')."
        )
    sys.exit(exit_code(endpoint_down=report.endpoint_down, failures=len(report.failed)))


def _report_dry_run(report: DryRunReport, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
    else:
        for source in report.sources:
            for path in source["would_read"]:
                info_line(f"  {source['name']}: {path}")
        for overdue in report.overdue[:OVERDUE_SHOWN]:
            info_line(
                f"  overdue: {overdue['item_id']} (deadline {overdue['deadline'].isoformat()})"
            )
        if len(report.overdue) > OVERDUE_SHOWN:
            info_line(
                f"  ... and {len(report.overdue) - OVERDUE_SHOWN:,} more overdue "
                "(--json lists them all)"
            )
    info_line(report.line())
