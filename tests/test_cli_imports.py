"""The CLI stays thin: a command module imports the shared ``app`` and ``options`` and the
services, never another command module (what two commands share belongs below both)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import claimtrack.cli

CLI_DIR = Path(claimtrack.cli.__file__).parent
SHARED = {"claimtrack.cli.app", "claimtrack.cli.options"}


def cli_modules_imported(source: str, module: str) -> set[str]:
    """The ``claimtrack.cli.*`` modules that ``source`` (the text of ``module``) imports, in any
    spelling: ``import a.b``, ``from a.b import c``, ``from claimtrack.cli import run``, and
    relative imports."""
    package = module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    command_modules = {path.stem for path in CLI_DIR.glob("*.py")}
    return {
        ".".join(name.split(".")[:3])
        for name in found
        if name.startswith("claimtrack.cli.") and name.split(".")[2] in command_modules
    }


@pytest.mark.parametrize(
    "statement",
    [
        "import claimtrack.cli.track",
        "from claimtrack.cli.track import run_tracking",
        "from claimtrack.cli import track",
        "from . import track",
        "from .track import run_tracking",
    ],
)
def test_the_check_sees_every_spelling_of_an_import(statement: str) -> None:
    found = cli_modules_imported(statement, "claimtrack.cli.run")
    assert "claimtrack.cli.track" in found


def test_the_shared_modules_are_allowed() -> None:
    source = "from claimtrack.cli.app import cli\nfrom claimtrack.cli.options import json_option\n"
    assert cli_modules_imported(source, "claimtrack.cli.run") <= SHARED


def test_no_command_module_imports_another() -> None:
    crossings = {}
    for path in sorted(CLI_DIR.glob("*.py")):
        if path.name == "__init__.py":  # the package registers every command: it imports them all
            continue
        module = f"claimtrack.cli.{path.stem}"
        imported = cli_modules_imported(path.read_text(encoding="utf-8"), module)
        forbidden = imported - SHARED - {module}
        if forbidden:
            crossings[path.name] = sorted(forbidden)
    assert crossings == {}
