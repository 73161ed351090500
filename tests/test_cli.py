"""The command line as users and scripts meet it: help, exit codes, --db, JSON on stdout only."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import RunCli

import claimtrack
from claimtrack.cli import cli
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "articles"
SAMPLE_COUNT = 31  # 1 seed .md + 30 MEANTIME jsonl records
SUMMARY_KEYS = {"id", "title", "published", "source", "url"}
RUN_KEYS = {
    "articles_ingested",
    "articles_extracted",
    "articles_tracked",
    "proposals_created",
    "llm_calls",
    "failed",
}


def subcommand(group: click.Group, name: str) -> click.Command:
    """``group``'s command ``name``, asked as click asks (the root group imports its commands
    only then: ``group.commands`` holds none of them)."""
    found = group.get_command(click.Context(group), name)
    assert found is not None, name
    return found


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(click.Context(command))):
            yield from walk(subcommand(command, name), (*path, name))


COMMAND_PATHS = list(walk(cli))


def lookup(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = subcommand(command, name)
    return command


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- help -----------------------------------------------------------------------------------------


def test_command_tree_is_walked() -> None:
    # guards the walk itself: a broken walk would make the help tests vacuous
    assert len(COMMAND_PATHS) >= 20
    assert ("proposals", "accept") in COMMAND_PATHS and ("eval", "compare") in COMMAND_PATHS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "claimtrack")
def test_every_command_and_group_has_help(path: tuple[str, ...]) -> None:
    command = lookup(path)
    assert command.help and command.help.strip(), f"{' '.join(path)} has no help text"
    undocumented = [
        param.name
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert undocumented == [], f"{' '.join(path)}: options without help: {undocumented}"

    result = CliRunner().invoke(cli, [*path, "--help"])

    assert result.exit_code == 0, result.output
    assert command.help.strip().splitlines()[0][:40] in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2 and "frobnicate" in result.stderr


# -- entry points ---------------------------------------------------------------------------------


def test_python_m_version(run_cli: RunCli) -> None:
    result = run_cli("--version")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"claimtrack, version {claimtrack.__version__}"


def test_console_script_on_path(run_cli: RunCli, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "claimtrack"
    assert script.exists(), "the claimtrack console script is not installed next to python"
    story = tmp_path / "s.txt"
    story.write_text("Installed script test.")
    db = tmp_path / "script.duckdb"

    version = run_cli("--version", script=True)
    ingested = run_cli("ingest", story, "--json", db=db, script=True)

    assert version.returncode == 0 and claimtrack.__version__ in version.stdout
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["ingested"] == 1


def test_commands_without_a_model_do_not_import_the_llm_client(tmp_path: Path) -> None:
    """openai and instructor take about half a second to import: --help and the rules backend,
    which never call a model, must not pay it (checked by what is imported, not by a clock)."""
    import subprocess

    story = tmp_path / "s.txt"
    story.write_text("The minister said the bridge will reopen in May.")
    program = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from claimtrack.cli import cli\n"
        f"db = {str(tmp_path / 'rules.duckdb')!r}\n"
        "for args in (['--help'], ['--db', db, 'run', '--backend', 'rules', sys.argv[1]]):\n"
        "    result = CliRunner().invoke(cli, args, catch_exceptions=False)\n"
        "    assert result.exit_code == 0, result.output\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openai', 'instructor'}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
    done = subprocess.run(
        [sys.executable, "-c", program, str(story)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- where the database is ------------------------------------------------------------------------


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text("Where does this article go?")
    return path


def stored_count(db: Path) -> int:
    with Store(db).read() as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
    assert row is not None
    return int(row[0])


def test_db_option_wins_over_environment(tmp_path: Path, story: Path, run_cli: RunCli) -> None:
    option_db, env_db = tmp_path / "option.duckdb", tmp_path / "env.duckdb"

    result = run_cli("ingest", story, db=option_db, env={"CLAIMTRACK_DB": str(env_db)})

    assert result.returncode == 0, result.stderr
    assert option_db.exists() and not env_db.exists()
    assert not (tmp_path / "claimtrack.duckdb").exists()
    assert stored_count(option_db) == 1


def test_db_from_environment_without_option(tmp_path: Path, story: Path, run_cli: RunCli) -> None:
    env_db = tmp_path / "sub" / "env.duckdb"

    result = run_cli("ingest", story, env={"CLAIMTRACK_DB": str(env_db)})

    assert result.returncode == 0, result.stderr
    assert env_db.exists()
    assert not (tmp_path / "claimtrack.duckdb").exists()
    assert stored_count(env_db) == 1


def test_default_db_in_working_directory(tmp_path: Path, story: Path, run_cli: RunCli) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()

    result = run_cli("ingest", story, env={"CLAIMTRACK_DB": None}, cwd=workdir)

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["claimtrack.duckdb"]
    assert stored_count(workdir / "claimtrack.duckdb") == 1


# -- the main job over the bundled sample ---------------------------------------------------------


@pytest.mark.slow
def test_run_over_sample_then_again(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "run.duckdb"

    first = run_cli("run", SAMPLE, "--json", db=db)
    second = run_cli("run", SAMPLE, "--json", db=db)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one.keys() >= RUN_KEYS and two.keys() >= RUN_KEYS
    assert (one["articles_ingested"], one["failed"]) == (SAMPLE_COUNT, [])
    assert (two["articles_ingested"], two["duplicates"]) == (0, SAMPLE_COUNT)
    # every article is extracted once (rules backend, offline), the second run has nothing to do
    assert (one["articles_extracted"], two["articles_extracted"]) == (SAMPLE_COUNT, 0)
    assert one["items_new"] > SAMPLE_COUNT and two["items_new"] == 0
    # every article is tracked once; tracking again creates nothing new
    assert (one["articles_tracked"], two["articles_tracked"]) == (SAMPLE_COUNT, 0)
    assert one["proposals_created"] > 0 and two["proposals_created"] == 0
    assert one["llm_calls"] == two["llm_calls"] == 0
    # with no LLM configured it says, once, that the offline backend is used
    assert first.stderr.count("offline rules backend") == 1
    assert stored_count(db) == SAMPLE_COUNT


def test_run_without_json_says_what_happened(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("run", SAMPLE / "seed", db=tmp_path / "r.duckdb")

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "Ingested 1 article" in result.stderr
    assert "Extracted 1 article with rules" in result.stderr
    assert "Tracked 1 article with rules" in result.stderr


def test_run_exits_1_when_an_input_failed(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("run", SAMPLE / "seed", tmp_path / "missing.md", "--json")

    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["articles_ingested"] == 1
    assert [f["path"] for f in summary["failed"]] == [str(tmp_path / "missing.md")]
    assert all(f["error"] for f in summary["failed"])


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, ingested once (through the library) for the read-only tests."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    report = ingest_paths([str(SAMPLE)], Store(db), limits=Limits(max_article_bytes=2_000_000))
    assert report.ingested == SAMPLE_COUNT and not report.failed
    return db


def test_ingest_json_shape_and_messages_on_stderr(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "i.duckdb"
    result = run_cli("ingest", SAMPLE, "--json", db=db)
    again = run_cli("ingest", SAMPLE, db=db)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {"ingested", "duplicates", "failed"} <= summary.keys()
    assert (summary["ingested"], summary["duplicates"], summary["failed"]) == (SAMPLE_COUNT, 0, [])
    assert again.returncode == 0 and again.stdout == ""
    assert f"Ingested 0 articles ({SAMPLE_COUNT} duplicates)" in again.stderr


def test_articles_list_json(sample_db: Path, run_cli: RunCli) -> None:
    result = run_cli("articles", "list", "--json", db=sample_db)

    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert len(listed) == SAMPLE_COUNT
    assert all(entry.keys() >= SUMMARY_KEYS for entry in listed)
    assert len({entry["id"] for entry in listed}) == SAMPLE_COUNT
    by_title = {entry["title"]: entry for entry in listed}
    obama = by_title["Barack Obama presents rescue plan after GM declaration of bankruptcy"]
    assert (obama["published"], obama["source"]) == ("2009-06-01", "Wikinews")
    seed = [e for e in listed if e["published"] == "2026-01-07T10:18:14"]
    assert len(seed) == 1
    dates = [entry["published"] for entry in listed if entry["published"]]
    assert dates == sorted(dates)  # by publication date


def test_articles_list_limit_and_search(sample_db: Path, run_cli: RunCli) -> None:
    limited = json.loads(run_cli("articles", "list", "--limit", "5", "--json", db=sample_db).stdout)
    searched = json.loads(
        run_cli("articles", "list", "--search", "ceasefire", "--json", db=sample_db).stdout
    )

    assert len(limited) == 5
    assert len(searched) == 1 and searched[0]["published"] == "2026-01-07T10:18:14"


@pytest.mark.slow
def test_articles_show_by_id_prefix_and_source_id(sample_db: Path, run_cli: RunCli) -> None:
    listed = json.loads(run_cli("articles", "list", "--json", db=sample_db).stdout)
    by_external = json.loads(
        run_cli("articles", "show", "wikinews-127227", "--json", db=sample_db).stdout
    )
    full_id = by_external["id"]
    ids = [entry["id"] for entry in listed]
    prefix = next(
        full_id[:n] for n in range(4, 17) if sum(i.startswith(full_id[:n]) for i in ids) == 1
    )

    by_id = run_cli("articles", "show", full_id, "--json", db=sample_db)
    by_prefix = run_cli("articles", "show", prefix, "--json", db=sample_db)

    assert by_id.returncode == 0 and by_prefix.returncode == 0
    shown = json.loads(by_id.stdout)
    assert json.loads(by_prefix.stdout) == shown == by_external
    assert (SUMMARY_KEYS | {"text"}) <= shown.keys()
    assert shown["title"] == "Barack Obama presents rescue plan after GM declaration of bankruptcy"
    assert shown["text"].startswith("Barack Obama presents rescue plan")
    assert shown["id"] == hashlib.sha256(shown["text"].encode()).hexdigest()[:16]
    summary = next(entry for entry in listed if entry["id"] == full_id)
    assert {key: shown[key] for key in SUMMARY_KEYS} == {key: summary[key] for key in SUMMARY_KEYS}


def test_articles_show_plain_text(sample_db: Path, run_cli: RunCli) -> None:
    result = run_cli("articles", "show", "wikinews-127227", db=sample_db)

    assert result.returncode == 0, result.stderr
    assert "Barack Obama presents rescue plan" in result.stdout
    assert "2009-06-01" in result.stdout


@pytest.mark.parametrize("ref", ["no-such-article", "zzzz", "wikinews-0"])
def test_articles_show_unknown_id_exits_2(sample_db: Path, run_cli: RunCli, ref: str) -> None:
    result = run_cli("articles", "show", ref, "--json", db=sample_db)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    message = lines(result.stderr)
    assert len(message) == 1 and ref in message[0]


def test_articles_show_prefix_shorter_than_four_is_refused(
    sample_db: Path, run_cli: RunCli
) -> None:
    with Store(sample_db).read() as con:
        row = con.execute(
            "SELECT id FROM articles WHERE external_id = 'wikinews-127227'"
        ).fetchone()
    assert row is not None
    short = row[0][:3]

    result = run_cli("articles", "show", short, "--json", db=sample_db)

    assert result.returncode == 2
    assert result.stdout == "" and len(lines(result.stderr)) == 1


def colliding_texts() -> tuple[str, str, str]:
    """Two article texts whose ids share their first four hex digits, and that prefix."""
    seen: dict[str, str] = {}
    for n in range(100_000):
        text = f"Article number {n}."
        prefix = hashlib.sha256(text.encode()).hexdigest()[:4]
        if prefix in seen:
            return seen[prefix], text, prefix
        seen[prefix] = text
    raise AssertionError("no collision found")  # pragma: no cover


def test_articles_show_ambiguous_prefix_exits_2(tmp_path: Path, run_cli: RunCli) -> None:
    first, second, prefix = colliding_texts()
    feed = tmp_path / "c.jsonl"
    feed.write_text(json.dumps({"text": first}) + "\n" + json.dumps({"text": second}) + "\n")
    db = tmp_path / "c.duckdb"
    assert run_cli("ingest", feed, db=db).returncode == 0

    result = run_cli("articles", "show", prefix, "--json", db=db)

    assert result.returncode == 2
    assert result.stdout == ""
    message = lines(result.stderr)
    assert len(message) == 1 and "more than one" in message[0]


@pytest.mark.slow
def test_json_commands_print_only_json_on_stdout(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "j.duckdb"
    vague = tmp_path / "vague.jsonl"
    vague.write_text(json.dumps({"text": "Undated story.", "published": "yesterday"}) + "\n")

    outputs = [
        run_cli("ingest", vague, tmp_path / "missing.txt", "--json", db=db),
        run_cli("run", SAMPLE / "seed", "--json", db=db),
        run_cli("articles", "list", "--json", db=db),
        run_cli("articles", "show", "wikinews-127227", "--json", db=db),  # not there: exit 2
    ]

    for result in outputs[:3]:
        json.loads(result.stdout)  # raises if anything but JSON is on stdout
    ingest_result = outputs[0]
    assert ingest_result.returncode == 1
    # the warning and the error went to stderr, not into the JSON
    assert "yesterday" in ingest_result.stderr and "missing.txt" in ingest_result.stderr
    report = json.loads(ingest_result.stdout)
    assert report["ingested"] == 1 and len(report["failed"]) == 1
    assert "offline rules backend" in outputs[1].stderr  # the message went to stderr
    assert outputs[3].returncode == 2 and outputs[3].stdout == ""


# -- extraction and the items it stores -----------------------------------------------------------

CLAIM_KEYS = {"id", "kind", "speaker", "text", "quote", "article_id", "span", "status"}


@pytest.mark.slow
def test_claims_list_json_is_grounded_and_has_contract_keys(
    tmp_path: Path, run_cli: RunCli
) -> None:
    db = tmp_path / "c.duckdb"
    assert run_cli("run", SAMPLE, db=db).returncode == 0

    listed = run_cli("claims", "list", "--json", db=db)
    articles = {
        a["id"]: json.loads(run_cli("articles", "show", a["id"], "--json", db=db).stdout)["text"]
        for a in json.loads(run_cli("articles", "list", "--json", db=db).stdout)
    }

    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert {"claim", "commitment"} <= {item["kind"] for item in items}
    for item in items:
        assert item.keys() >= CLAIM_KEYS
        start, end = item["span"]
        assert articles[item["article_id"]][start:end] == item["quote"]
        assert item["status"] in {"open", "pending", "awaiting_trigger"}


@pytest.mark.slow
def test_claims_filters_and_show(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "c.duckdb"
    assert run_cli("run", SAMPLE / "seed", db=db).returncode == 0

    starmer = json.loads(run_cli("claims", "list", "--speaker", "Starmer", "--json", db=db).stdout)
    waiting = json.loads(
        run_cli("claims", "list", "--status", "awaiting_trigger", "--json", db=db).stdout
    )
    shown = run_cli("claims", "show", starmer[0]["id"][:8], db=db)
    shown_json = json.loads(run_cli("claims", "show", starmer[0]["id"], "--json", db=db).stdout)

    assert starmer and all(
        "Starmer" in (i["speaker"] or "") + (i["speaker_canonical"] or "") for i in starmer
    )
    assert any("ceasefire" in (i["condition"] or "") for i in waiting)
    assert shown.returncode == 0 and starmer[0]["quote"][:30] in shown.stdout.replace("\n", " ")
    assert [e["to"] for e in shown_json["events"]] == [starmer[0]["status"]]
    # which rule of the rules backend made it: a "rule:" line, a "rule" key
    assert shown_json["rule"].startswith("attribution.")
    assert f"rule: {shown_json['rule']}" in shown.stdout
    unknown = run_cli("claims", "show", "ffffffffffff", db=db)
    assert unknown.returncode == 2 and len(lines(unknown.stderr)) == 1


@pytest.mark.slow
def test_claims_by_a_speaker_spelt_differently_across_articles(
    tmp_path: Path, run_cli: RunCli
) -> None:
    db = tmp_path / "c.duckdb"
    stories = tmp_path / "stories"
    stories.mkdir()
    articles = [
        "Volodymyr Zelensky said the talks in Geneva had been productive.",
        "Zelenskyy said on Friday that the ceasefire would hold.",
        "Olena Zelenska said the schools would reopen in March.",
        "Oleksandr Zelensky, a farmer, said the harvest was late.",
        "The International Monetary Fund said growth would slow.",
    ]
    for n, text in enumerate(articles):
        (stories / f"{n}.txt").write_text(text, encoding="utf-8")
    assert run_cli("run", stories, db=db).returncode == 0

    def speakers(name: str) -> set[str]:
        listed = run_cli("claims", "list", "--speaker", name, "--json", db=db)
        return {item["speaker_canonical"] for item in json.loads(listed.stdout)}

    assert speakers("Zelenskiy") == {"Volodymyr Zelensky", "Zelenskyy", "Oleksandr Zelensky"}
    assert speakers("Volodymyr Zelenskyy") == {"Volodymyr Zelensky", "Zelenskyy"}
    assert speakers("IMF") == {"International Monetary Fund"}


@pytest.mark.slow
def test_extract_named_article_only(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "e.duckdb"
    assert run_cli("ingest", SAMPLE, db=db).returncode == 0

    result = run_cli("extract", "wikinews-127227", "--json", db=db)
    again = run_cli("extract", "wikinews-127227", "--json", db=db)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["articles_extracted"] == 1 and summary["backend"] == "rules"
    assert json.loads(again.stdout)["articles_extracted"] == 0


@pytest.mark.slow
def test_claims_speakers_groups_one_persons_names_across_articles(
    tmp_path: Path, run_cli: RunCli
) -> None:
    db = tmp_path / "s.duckdb"
    stories = tmp_path / "stories"
    stories.mkdir()
    articles = {
        "2026-03-02": "Harbor Freight Lines said on Monday that it would close two depots.",
        "2026-03-05": "HFL said the depots would close in May. Mayor Ana Ruiz said the city would "
        "help the workers.",
        "2026-03-09": "Ruiz said on Monday that 40 workers had found new jobs.",
        "2026-03-12": "A union official said the talks had failed.",
    }
    for day, text in articles.items():
        (stories / f"{day}.md").write_text(f"---\npublished: {day}\n---\n{text}\n", "utf-8")
    assert run_cli("run", stories, db=db).returncode == 0

    listed = run_cli("claims", "speakers", "--json", db=db)

    assert listed.returncode == 0
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {"Harbor Freight Lines", "Ana Ruiz"}
    company, mayor = rows["Harbor Freight Lines"], rows["Ana Ruiz"]
    assert company["names"] == ["Harbor Freight Lines", "HFL"]
    assert (company["claims"], company["articles"]) == (2, 2)
    assert (company["first_published"], company["last_published"]) == ("2026-03-02", "2026-03-05")
    assert mayor["names"] == ["Ana Ruiz", "Ruiz"] and mayor["roles"] == ["Mayor"]
    # two claims, and the commitment she reported ("the city would help the workers")
    assert (mayor["claims"], mayor["commitments"], mayor["items"]) == (2, 1, 3)
    table = run_cli("claims", "speakers", db=db)
    assert lines(table.stdout)[1].split()[:4] == ["Ana", "Ruiz", "3", "2"]  # most items first
    assert "2 named speakers; 1 item with no named speaker" in table.stderr  # the union official
    # the same grouping finds every name of one body
    found = run_cli("claims", "list", "--speaker", "Harbor Freight Lines", "--json", db=db)
    assert {item["speaker_canonical"] for item in json.loads(found.stdout)} == {
        "Harbor Freight Lines",
        "HFL",
    }
