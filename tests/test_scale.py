"""A large ledger: start-up that does not grow with the code, memory bounded by the page, idle
runs that cost what is new. Checked by what is imported, streamed and read, never by a clock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from claimtrack.articles import Article
from claimtrack.cli.app import COMMANDS, cli, print_json, print_json_array
from claimtrack.extraction.rules import RULES_VERSION
from claimtrack.ingest import IngestReport, Limits, ingest_paths, readers
from claimtrack.sources import collect
from claimtrack.store import Store, bulk
from claimtrack.store import articles as article_rows
from claimtrack.store import export as export_rows
from claimtrack.store import items as item_rows
from claimtrack.store import proposals as proposal_rows
from claimtrack.store import time_rules as time_rule_rows
from claimtrack.store.items import StoredItem
from claimtrack.tracking.rules import RULES_TRACK_VERSION

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


# -- idle runs cost what is new -------------------------------------------------------------------


def write_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"story-{n}.txt"
        path.write_text(f"Story {n}\n\nThe mayor said bridge {n} will reopen in May.\n")
        paths.append(path)
    return paths


def ingest_counting_reads(
    store: Store, folder: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[IngestReport, list[str]]:
    opened: list[str] = []
    read_path = readers.read_path

    def counting(path: Path, limits: Limits) -> Any:
        opened.append(path.name)
        return read_path(path, limits)

    with monkeypatch.context() as patch:
        patch.setattr("claimtrack.ingest.read_path", counting)
        report = ingest_paths(
            [str(folder)], store, limits=Limits(max_article_bytes=10_000), **options
        )
    return report, opened


def test_an_unchanged_folder_is_not_read_again(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path / "in", 4)

    first, opened_first = ingest_counting_reads(store, tmp_path / "in", monkeypatch)
    again, opened_again = ingest_counting_reads(store, tmp_path / "in", monkeypatch)

    assert (first.ingested, len(opened_first)) == (4, 4)
    assert opened_again == []  # nothing opened, nothing hashed
    assert (again.ingested, again.duplicates, again.unchanged) == (0, 4, 4)  # as if re-read
    assert again.to_json()["unchanged_files"] == 4


def test_a_changed_file_and_a_bad_file_are_read_again(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_files(tmp_path / "in", 3)
    (tmp_path / "in" / "broken.json").write_text("{not json")
    ingest_counting_reads(store, tmp_path / "in", monkeypatch)
    paths[0].write_text("Story 0\n\nThe mayor said bridge 0 will now reopen in June.\n")
    stat = paths[1].stat()
    os.utime(paths[1], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched

    again, opened = ingest_counting_reads(store, tmp_path / "in", monkeypatch)

    assert sorted(opened) == ["broken.json", "story-0.txt", "story-1.txt"]
    # the edited file is new; the touched one is read and found stored; one is not read at all
    assert (again.ingested, again.duplicates, again.unchanged) == (1, 2, 1)
    assert [problem.path for problem in again.failed] == [str(tmp_path / "in" / "broken.json")]


def test_a_new_story_reads_the_files_again(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading with --story gives the stored articles that have none that story: an unchanged
    file read without it is read again with it (and not after)."""
    write_files(tmp_path / "in", 2)
    ingest_counting_reads(store, tmp_path / "in", monkeypatch)

    _, with_story = ingest_counting_reads(store, tmp_path / "in", monkeypatch, story="Bridges")
    _, again = ingest_counting_reads(store, tmp_path / "in", monkeypatch, story="Bridges")
    _, without = ingest_counting_reads(store, tmp_path / "in", monkeypatch)

    assert (len(with_story), again, without) == (2, [], [])
    with store.read() as con:
        assert {a.story for a in article_rows.list_articles(con)} == {"Bridges"}


@pytest.fixture
def idle_db(large_db: Path, tmp_path: Path) -> Path:
    """A private copy of ``large_db`` with every article extracted and tracked, and every
    commitment's deadline in 2020: a backlog of overdue commitments and stale items."""
    path = tmp_path / "idle.duckdb"
    shutil.copy(large_db, path)
    with Store(path).write() as con:
        con.execute(
            "INSERT INTO extractions (id, article_id, backend, prompt_id, status, started_at, "
            "finished_at) SELECT 'x' || id, id, 'rules', ?, 'done', now(), now() FROM articles",
            [f"rules@{RULES_VERSION}"],
        )
        con.execute(
            "INSERT INTO trackings (id, article_id, backend, prompt_id, status, started_at, "
            "finished_at) SELECT 't' || id, id, 'rules', ?, 'done', now(), now() FROM articles",
            [f"track-rules@{RULES_TRACK_VERSION}"],
        )
        con.execute(
            "UPDATE items SET deadline = DATE '2020-06-01', deadline_text = 'by June 2020' "
            "WHERE kind = 'commitment'"
        )
    return path


def recheck_json(db: Path, *args: str) -> tuple[dict[str, Any], str]:
    result = CliRunner().invoke(
        cli, ["--db", str(db), "recheck", "--json", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary, result.stderr


def test_the_stale_report_is_counted_once_a_day(
    idle_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[date] = []
    stale_items = time_rule_rows.stale_items

    def counting(con: Any, as_of: date, days: int, limit: int = 50) -> Any:
        counted.append(as_of)
        return stale_items(con, as_of, days, limit)

    monkeypatch.setattr(time_rule_rows, "stale_items", counting)

    first, _ = recheck_json(idle_db, "--as-of", "2030-01-01")
    hourly, said = recheck_json(idle_db, "--as-of", "2030-01-01")
    next_day, _ = recheck_json(idle_db, "--as-of", "2030-01-02")

    assert counted == [date(2030, 1, 1), date(2030, 1, 2)]
    assert (
        hourly["stale"] == first["stale"] and next_day["stale"]["count"] == first["stale"]["count"]
    )
    assert first["stale"]["count"] > len(first["stale"]["items"]) == 10  # counts all, lists a few
    assert "stale (counted earlier today)" in said


def test_overdue_after_a_backfill_is_proposed_once_and_summarised(idle_db: Path) -> None:
    dry = invoke(idle_db, "recheck", "--dry-run", "--as-of", "2030-01-01")
    first, said = recheck_json(idle_db, "--as-of", "2030-01-01")
    again, said_again = recheck_json(idle_db, "--as-of", "2030-01-01")

    backlog = first["overdue_proposed"]
    assert backlog > 5 and again["overdue_proposed"] == 0
    assert dry.stderr.count("  overdue: ") == 5
    assert f"and {backlog - 5} more overdue" in dry.stderr
    assert said.count(f"{backlog} commitment(s) passed their deadline") == 1
    assert "overdue: " not in said and "passed their deadline" not in said_again


def test_an_idle_inbox_hashes_no_file(
    idle_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(idle_db.parent / "inbox", 3)
    (idle_db.parent / "claimtrack.toml").write_text(
        '[recheck]\nbackend = "rules"\n\n[[sources]]\nname = "inbox"\ntype = "inbox"\n'
        'path = "inbox"\n'
    )
    hashed: list[str] = []
    file_hash = collect._file_hash

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return file_hash(path)

    monkeypatch.setattr(collect, "_file_hash", counting)

    first, _ = recheck_json(idle_db, "--as-of", "2030-01-01")
    read_first = sorted(hashed)
    hashed.clear()
    idle, _ = recheck_json(idle_db, "--as-of", "2030-01-01")

    assert first["articles_ingested"] == 3 and read_first == [f"story-{n}.txt" for n in range(3)]
    assert hashed == [] and idle["articles_ingested"] == 0
    assert idle["sources"][0]["checked"] == 3  # still looked at, by path, size and time
