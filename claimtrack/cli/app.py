"""The root command group and what every command shares: the store, JSON output, error lines.

The CLI only wires commands to the domain modules; it holds no logic of its own beyond turning
results into text or JSON and errors into one line and an exit code.
"""

from __future__ import annotations

import json
import math
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
from claimtrack.terminal import visible

F = TypeVar("F", bound=Callable[..., Any])

stderr = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def stdout_console(**options: Any) -> Console:
    """The console for human output on stdout: nothing in the text is restyled (no highlighting
    of numbers and URLs) or replaced (":smile:" in an article stays ":smile:", not an emoji)."""
    return Console(highlight=False, emoji=False, **options)


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
            stderr.print(f"[bold red]error:[/] {markup_safe(error.message)}")
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            stderr.print("interrupted; what was committed is kept, run again to finish")
            ctx.exit(130)


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON on stdout (messages stay on stderr)."
    )(func)


# JSON escapes the C0 controls itself; DEL and the C1 controls (a terminal may take U+009B for
# CSI) are written as \u escapes too: the same string to every JSON reader, inert on a terminal.
_JSON_ESCAPES = {codepoint: f"\\u{codepoint:04x}" for codepoint in (0x7F, *range(0x80, 0xA0))}


def finite(value: Any) -> Any:
    """``value`` with every float that is not finite (NaN, Infinity) replaced by None: JSON has no
    word for them, and a bare ``Infinity`` is not JSON (null is what JavaScript writes too)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def print_json(value: Any) -> None:
    """``value`` as valid JSON on stdout: strings exact, NaN and Infinity as null."""
    text = json.dumps(finite(value), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


def markup_safe(text: str) -> str:
    """Outside text (an article's, a file name, a setting) placed in Rich markup: shown as it is,
    its brackets never read as markup and its control characters made visible."""
    return escape(visible(text))


def quote_in_context(text: str, start: int, end: int, quote: str, *, width: int) -> str:
    """Markup for ``quote`` (``text[start:end]``) reversed, with ``width`` characters of
    ``text`` either side."""
    before, after = text[max(0, start - width) : start], text[end : end + width]
    return f"…{markup_safe(before)}[reverse]{markup_safe(quote)}[/]{markup_safe(after)}…"


def error_line(message: str) -> None:
    stderr.print(f"[red]error:[/] {markup_safe(message)}")


def warning_line(message: str) -> None:
    stderr.print(f"[yellow]warning:[/] {markup_safe(message)}")


def info_line(message: str) -> None:
    stderr.print(visible(message), markup=False)


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
