"""The root command group and what every command shares: the store, JSON output, error lines.

The CLI only wires commands to the domain modules; it holds no logic of its own beyond turning
results into text or JSON and errors into one line and an exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from claimtrack import __version__
from claimtrack.config import Settings, load_settings
from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.store import Store

F = TypeVar("F", bound=Callable[..., Any])

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class AppContext:
    """What the root group hands every command."""

    db: Path | None

    @cached_property
    def settings(self) -> Settings:
        try:
            return load_settings(db=self.db)
        except ValidationError as error:
            problems = "; ".join(
                f"CLAIMTRACK_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                for e in error.errors()
            )
            raise UsageError(f"bad setting: {problems}") from None

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.db, lock_timeout=self.settings.lock_timeout)


pass_app = click.make_pass_decorator(AppContext)


class ClaimtrackGroup(click.Group):
    """A group that turns :class:`ClaimtrackError` into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimtrackError as error:
            stderr.print(f"[bold red]error:[/] {escape(error.message)}")
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            stderr.print("interrupted; what was committed is kept, run again to finish")
            ctx.exit(130)


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON on stdout (messages stay on stderr)."
    )(func)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def error_line(message: str) -> None:
    stderr.print(f"[red]error:[/] {escape(message)}")


def warning_line(message: str) -> None:
    stderr.print(f"[yellow]warning:[/] {escape(message)}")


def info_line(message: str) -> None:
    stderr.print(message, markup=False)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


@click.group(cls=ClaimtrackGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The DuckDB file. Default: $CLAIMTRACK_DB, else ./claimtrack.duckdb.",
)
@click.version_option(__version__, prog_name="claimtrack")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Keep a ledger of what people said and promised in the news, and what became of it.

    \b
    The main job, over the bundled sample:
      claimtrack run data/articles
    Then look at what is stored:
      claimtrack articles list

    Every list and show command takes --json. Exit codes: 0 done, 1 some inputs failed (the rest
    were done), 2 usage error, 75 try again later (database locked, LLM endpoint unreachable).
    """
    ctx.obj = AppContext(db=db)


@contextmanager
def progress_bar(
    label: str, *, show: bool, min_total: int, in_bytes: bool = False
) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, fed ``(done, total)``; shown only in a terminal, and only once
    the total is large enough for a bar to help."""
    if not show or not stderr.is_terminal:
        yield lambda done, total: None
        return
    count: ProgressColumn = DownloadColumn() if in_bytes else MofNCompleteColumn()
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        count,
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        if total >= min_total:
            if not bar.live.is_started:
                bar.start()
            bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
