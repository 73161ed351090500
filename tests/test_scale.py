"""A large ledger: start-up that does not grow with the code, memory bounded by the page, idle
runs that cost what is new. Checked by what is imported, streamed and read, never by a clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from claimtrack.cli.app import COMMANDS, cli

HEAVY = {
    "duckdb",
    "numpy",
    "textual",
    "openai",
    "instructor",
    "pydantic_settings",
    "snowballstemmer",
    "wordllama",
}


def imported_after(program: str, *args: str) -> set[str]:
    """The packages of ``HEAVY`` that ``program`` left imported, run in a fresh interpreter."""
    program += (
        "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
    done = subprocess.run(
        [sys.executable, "-c", program, *args], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return set(loaded) & HEAVY


# -- start-up -------------------------------------------------------------------------------------


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert imported_after("import claimtrack.cli") == set()


def test_the_top_level_help_loads_no_command_and_no_heavy_library() -> None:
    program = (
        "from click.testing import CliRunner\n"
        "from claimtrack.cli import cli\n"
        "result = CliRunner().invoke(cli, ['--help'], catch_exceptions=False)\n"
        "assert result.exit_code == 0 and 'claims' in result.output, result.output\n"
        "import sys\n"
        "assert not [m for m in sys.modules if m.startswith('claimtrack.cli.') and\n"
        "            m not in ('claimtrack.cli.app',)], sorted(sys.modules)\n"
    )
    assert imported_after(program) == set()


def test_listing_claims_loads_neither_tracking_nor_vectors(tmp_path: Path) -> None:
    """A read-only list needs the store, not the stemmer, numpy or the sentence vectors."""
    program = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from claimtrack.cli import cli\n"
        "result = CliRunner().invoke(cli, ['--db', sys.argv[1], 'claims', 'list', '--json'],\n"
        "                            catch_exceptions=False)\n"
        "assert result.exit_code == 0, result.output\n"
    )
    loaded = imported_after(program, str(tmp_path / "empty.duckdb"))
    assert "duckdb" in loaded  # guards the check: the command did run against a store
    assert loaded & {"numpy", "wordllama", "textual", "openai"} == set()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_help_line_of_each_command_is_its_own(name: str) -> None:
    """``claimtrack --help`` shows each command's summary without importing it: the summary
    kept beside the root group is the command's own short help, word for word."""
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    assert COMMANDS[name].summary == command.get_short_help_str(limit=10_000)
