"""A large ledger: start-up that does not grow with the code, memory bounded by the page, idle
runs that cost what is new. Checked by what is imported, streamed and read, never by a clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from claimtrack.articles import Article
from claimtrack.cli.app import COMMANDS, cli, print_json, print_json_array
from claimtrack.store import Store, bulk
from claimtrack.store import articles as article_rows
from claimtrack.store import export as export_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store.items import StoredItem

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


# -- memory bounded by the page -------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 items in 12 articles and 80 proposals, generated straight through SQL."""
    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    from review_data import generate

    path = tmp_path_factory.mktemp("large") / "large.duckdb"
    generate(path, items=120, proposals=80)
    return path


def invoke(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(
    "values",
    [[], [{"id": "a"}], [{"id": "a", "span": [1, 2], "nested": {"x": None}}, {"text": 'é\n"q"'}]],
)
def test_a_json_array_written_row_by_row_is_the_same_bytes(
    values: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    print_json(values)
    whole = capsys.readouterr().out
    print_json_array(iter(values))
    assert capsys.readouterr().out == whole


LISTS = [
    (("claims", "list"), item_rows, "_item_row", StoredItem),
    (("proposals", "list"), proposal_rows, "proposal_row", proposal_rows.ProposalRow),
    (("articles", "list"), article_rows, "_article", Article),
]


@pytest.mark.parametrize(
    ("command", "module", "reader", "row_type"), LISTS, ids=["claims", "proposals", "articles"]
)
def test_lists_in_json_write_each_row_before_reading_the_next(
    large_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, str],
    module: ModuleType,
    reader: str,
    row_type: type,
) -> None:
    """``--json`` streams: rows are turned into JSON while later rows are still unread, so the
    whole list never sits in memory (the order of reads and writes shows it, not a clock)."""
    monkeypatch.setattr(bulk, "STREAM_BATCH", 7)
    events: list[str] = []
    read_row = getattr(module, reader)
    method = "summary" if row_type is Article else "to_json"
    write_row = getattr(row_type, method)

    def reading(row: Any) -> Any:
        events.append("read")
        return read_row(row)

    def writing(self: Any) -> Any:
        events.append("write")
        return write_row(self)

    monkeypatch.setattr(module, reader, reading)
    monkeypatch.setattr(row_type, method, writing)

    rows = json.loads(invoke(large_db, *command, "--json").stdout)

    assert len(rows) == events.count("write") > 1
    assert events.index("write") < len(events) - 1 - events[::-1].index("read")


@pytest.mark.parametrize(
    ("command", "noun", "total"),
    [(("claims", "list"), "items", 120), (("proposals", "list"), "proposals", 80)],
)
def test_terminal_lists_show_a_page_and_say_how_to_see_all(
    large_db: Path, command: tuple[str, str], noun: str, total: int
) -> None:
    paged = invoke(large_db, *command)
    everything = invoke(large_db, *command, "--limit", "0")
    in_json = json.loads(invoke(large_db, *command, "--json").stdout)

    assert f"showing 50 of {total} {noun}; --limit 0 for all" in paged.stderr
    assert f"{total} {noun}" in everything.stderr and "showing" not in everything.stderr
    assert len(in_json) == total  # scripts still get every row
    assert len(everything.stdout.splitlines()) > len(paged.stdout.splitlines())


def test_a_json_export_is_written_row_by_row(
    large_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export's JSON is the document ``json.dumps`` would write, and no table is ever
    handed to the encoder whole."""
    largest: list[int] = []
    dumps = json.dumps

    def measured(value: Any, **options: Any) -> str:
        lists = value.values() if isinstance(value, dict) else [value]
        largest.append(max((len(v) for v in lists if isinstance(v, list)), default=0))
        return dumps(value, **options)

    out = tmp_path / "ledger.json"
    with monkeypatch.context() as patch:
        patch.setattr(json, "dumps", measured)
        invoke(large_db, "export", "--format", "json", "--out", str(out))

    with Store(large_db).read() as con:
        document = {}
        for name, sql in export_rows.TABLES.items():
            cursor = con.execute(sql)
            columns = [column[0] for column in cursor.description]
            document[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    expected = dumps(document, ensure_ascii=False, indent=1, default=str)
    assert out.read_text(encoding="utf-8") == expected
    assert len(document["items"]) == 120 and max(largest) <= 1
