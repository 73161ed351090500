"""The root command group and what every command shares: the store, JSON output, error lines.

The CLI only wires commands to the domain modules; it holds no logic of its own beyond turning
results into text or JSON and errors into one line and an exit code.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from claimtrack import __version__
from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.terminal import visible

if TYPE_CHECKING:  # pydantic-settings and duckdb load when a command first needs them
    from claimtrack.config import Settings
    from claimtrack.store import Store

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

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
        from pydantic import ValidationError

        from claimtrack.config import load_settings

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
        from claimtrack.store import Store

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


@dataclass(frozen=True)
class LazyCommand:
    """A command imported only when it is run or its own help is asked for: where it lives
    (``module.attribute``) and the line ``claimtrack --help`` shows for it (the command's own
    short help: a test keeps the two equal)."""

    import_path: str
    summary: str


class LazyGroup(ClaimtrackGroup):
    """A group whose commands are imported on first use (click's documented ``LazyGroup``), so
    that ``claimtrack --help`` and a command's start-up load only what that command needs.

    The group's own help lists the commands from their :class:`LazyCommand` summaries rather
    than by importing every command module (click's "further deferring imports")."""

    def __init__(
        self, *args: Any, lazy_subcommands: Mapping[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_subcommands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            return self._lazy_load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            lazy = self.lazy_subcommands.get(name)
            if lazy is not None:  # shortened as click shortens a command's own help
                rows.append(
                    (name, click.Command(name, help=lazy.summary).get_short_help_str(limit))
                )
            elif (command := super().get_command(ctx, name)) is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _lazy_load(self, cmd_name: str) -> click.Command:
        module_name, attribute = self.lazy_subcommands[cmd_name].import_path.rsplit(".", 1)
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.{attribute} is not a click command")
        return command


COMMANDS = {
    "articles": LazyCommand("claimtrack.cli.articles.articles", "The articles in the database."),
    "claims": LazyCommand(
        "claimtrack.cli.claims.claims", "Claims and commitments extracted from the articles."
    ),
    "eval": LazyCommand(
        "claimtrack.cli.evals.eval_group",
        "Measure prompts and models against gold data, store the runs, compare them.",
    ),
    "export": LazyCommand(
        "claimtrack.cli.export.export", "Export items, their status history and the proposals."
    ),
    "extract": LazyCommand(
        "claimtrack.cli.extract.extract", "Extract claims and commitments from articles."
    ),
    "ingest": LazyCommand(
        "claimtrack.cli.ingest.ingest", "Read articles from files and folders into the database."
    ),
    "proposals": LazyCommand(
        "claimtrack.cli.proposals.proposals",
        "Proposed status changes, waiting for a person's decision.",
    ),
    "recheck": LazyCommand(
        "claimtrack.cli.recheck.recheck", "For schedulers: sources, extract, track, time rules."
    ),
    "review": LazyCommand(
        "claimtrack.cli.review.review", "The review queue: decide proposals with one key each."
    ),
    "run": LazyCommand("claimtrack.cli.run.run", "The main job: ingest, extract and track."),
    "stories": LazyCommand(
        "claimtrack.cli.stories.stories",
        "Stories: the articles that share a story name, and what became of their items.",
    ),
    "track": LazyCommand(
        "claimtrack.cli.track.track", "Judge new articles against earlier items: proposals."
    ),
}


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


def print_json_array(values: Iterable[Any]) -> None:
    """``print_json(list(values))``, byte for byte, written one value at a time: a list of a
    million items never sits in memory whole, as objects or as text."""
    out = sys.stdout
    separator = "[\n  "
    for value in values:
        text = json.dumps(finite(value), ensure_ascii=False, indent=2, default=str, allow_nan=False)
        # JSON text has no raw newline in a string
        out.write(separator + text.translate(_JSON_ESCAPES).replace("\n", "\n  "))
        separator = ",\n  "
    out.write("[]\n" if separator.startswith("[") else "\n]\n")


DEFAULT_LIST_LIMIT = 50  # rows a list shows in the terminal unless --limit says otherwise


def limit_option(func: F) -> F:
    return click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=None,
        help=f"Show at most this many; 0 for all. Default: {DEFAULT_LIST_LIMIT} in the terminal, "
        "all with --json.",
    )(func)


def rows_to_show(limit: int | None, *, as_json: bool) -> int | None:
    """How many rows a list fetches (``None``: all) for ``--limit`` and the output chosen."""
    if limit == 0 or (limit is None and as_json):
        return None
    return DEFAULT_LIST_LIMIT if limit is None else limit


def take_page(
    rows: Iterable[T], shown: int | None, count_all: Callable[[], int]
) -> tuple[list[T], int]:
    """The rows of one page and how many rows there are in all (counted only when the page is
    full: a shorter page holds them all)."""
    page = list(rows)
    return page, count_all() if shown is not None and len(page) == shown else len(page)


def json_or_page(
    read: Callable[[int | None], Iterable[T]],
    count_all: Callable[[], int],
    to_json: Callable[[T], Any],
    *,
    limit: int | None,
    as_json: bool,
) -> tuple[list[T], int] | None:
    """A list command's rows: with ``--json``, printed as a JSON array one row at a time (all of
    them unless ``--limit`` says otherwise) and ``None``; else the page the terminal shows and
    how many rows there are in all. ``read(n)`` gives the first ``n`` rows (``None``: all)."""
    shown = rows_to_show(limit, as_json=as_json)
    if as_json:
        print_json_array(to_json(row) for row in read(shown))
        return None
    return take_page(read(shown), shown, count_all)


def listed_line(shown: int, total: int, noun: str) -> str:
    """What a list says under its table: how many rows, and how to see the rest if it is cut."""
    if total > shown:
        return f"showing {shown:,} of {total:,} {noun}s; --limit 0 for all"
    return plural(shown, noun)


def error_line(message: str) -> None:
    stderr.print(f"[red]error:[/] {markup_safe(message)}")


def warning_line(message: str) -> None:
    stderr.print(f"[yellow]warning:[/] {markup_safe(message)}")


def info_line(message: str) -> None:
    stderr.print(visible(message), markup=False)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


@click.group(
    cls=LazyGroup,
    lazy_subcommands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

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
