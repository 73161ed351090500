"""The DuckDB store: migrations, short-lived connections, and waiting out another process's lock."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from conftest import RunCli

from claimtrack.errors import EXIT_TEMPFAIL, DatabaseError, DatabaseLocked
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.store import Store, migrations
from claimtrack.store.migrations import Migration


@contextmanager
def raw(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def tables(path: Path) -> set[str]:
    with raw(path, read_only=True) as con:
        found = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    return {row[0] for row in found}


def recorded(path: Path) -> list[tuple[int, str]]:
    with raw(path, read_only=True) as con:
        rows = con.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(int(v), str(n)) for v, n in rows.fetchall()]


def other_process_can_write(path: Path) -> bool:
    """True when a separate process can open the file read-write (nobody holds it)."""
    probe = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"
    result = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=False
    )
    return result.returncode == 0


# -- migrations -----------------------------------------------------------------------------------


def test_new_database_records_every_migration(db_path: Path) -> None:
    Store(db_path).ensure_schema()

    assert recorded(db_path) == [(m.version, m.name) for m in migrations.MIGRATIONS]
    assert recorded(db_path)[-1][0] == migrations.LATEST_VERSION
    assert {"articles", "schema_migrations"} <= tables(db_path)


def test_store_creates_missing_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "still" / "t.duckdb"
    with Store(path).write() as con:
        con.execute("SELECT 1")
    assert recorded(path)[-1][0] == migrations.LATEST_VERSION


def test_reopening_applies_nothing_new(db_path: Path) -> None:
    Store(db_path).ensure_schema()
    with raw(db_path, read_only=True) as con:
        before = con.execute("SELECT * FROM schema_migrations ORDER BY version").fetchall()

    Store(db_path).ensure_schema()
    with raw(db_path) as con:
        assert migrations.migrate(con) == []
        after = con.execute("SELECT * FROM schema_migrations ORDER BY version").fetchall()

    assert after == before  # same rows, same applied_at: nothing re-ran


def test_failing_migration_leaves_no_partial_table_and_no_record(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Migration(1, "broken", ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT VALID SQL"))
    monkeypatch.setattr(migrations, "MIGRATIONS", (broken,))

    with raw(db_path) as con, pytest.raises(duckdb.Error):
        migrations.migrate(con)

    assert "half_done" not in tables(db_path)
    assert recorded(db_path) == []


def test_failing_later_migration_keeps_earlier_versions_whole(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = migrations.MIGRATIONS
    broken = Migration(
        real[-1].version + 1,
        "broken",
        ("CREATE TABLE half_done (x INTEGER)", "INSERT INTO half_done VALUES (1)", "NOT SQL"),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*real, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", broken.version)

    with pytest.raises(duckdb.Error):
        Store(db_path).ensure_schema()

    assert recorded(db_path) == [(m.version, m.name) for m in real]
    assert "half_done" not in tables(db_path)
    assert "articles" in tables(db_path)

    # with the broken migration gone, the same file is usable as it is
    monkeypatch.undo()
    with Store(db_path).write() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)


def test_database_newer_than_code_is_refused(db_path: Path) -> None:
    Store(db_path).ensure_schema()
    future = migrations.LATEST_VERSION + 7
    with raw(db_path) as con:
        con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, 'future')", [future])
    before = db_path.read_bytes()

    with pytest.raises(DatabaseError) as caught:
        Store(db_path).ensure_schema()

    message = caught.value.message
    assert str(future) in message and str(migrations.LATEST_VERSION) in message
    assert "newer" in message and "upgrade" in message
    assert db_path.read_bytes() == before


def test_database_newer_than_code_cli(db_path: Path, run_cli: RunCli) -> None:
    Store(db_path).ensure_schema()
    with raw(db_path) as con:
        con.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")

    result = run_cli("articles", "list", db=db_path)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "999" in lines[0] and "upgrade claimtrack" in lines[0]


# -- connections ----------------------------------------------------------------------------------


def test_connections_are_closed_after_each_unit_of_work(tmp_path: Path, db_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text("A story to store.")
    store = Store(db_path)

    report = ingest_paths([str(story)], store, limits=Limits(max_article_bytes=1000))

    assert report.ingested == 1
    assert other_process_can_write(db_path)
    with store.read() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    assert other_process_can_write(db_path)


def test_write_block_rolls_back_on_error_and_closes(db_path: Path) -> None:
    store = Store(db_path)
    with pytest.raises(RuntimeError), store.write() as con:
        con.execute(
            "INSERT INTO articles (id, text, origin, ingested_at) "
            "VALUES ('x', 'half written', 'test', now())"
        )
        raise RuntimeError("boom")

    with store.read() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert other_process_can_write(db_path)


def test_not_a_duckdb_file_is_one_line_error(tmp_path: Path, run_cli: RunCli) -> None:
    fake = tmp_path / "notes.duckdb"
    fake.write_text("These are my notes, not a database.\n")
    story = tmp_path / "s.txt"
    story.write_text("A story.")

    for args in (("ingest", story), ("articles", "list")):
        result = run_cli(*args, db=fake)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert "cannot open database" in lines[0] and str(fake.name) in lines[0]
        assert "not a valid DuckDB database" in lines[0]
    assert fake.read_text() == "These are my notes, not a database.\n"  # left untouched


# -- locks ----------------------------------------------------------------------------------------

LOCK_MESSAGE = (
    'IO Error: Could not set lock on file "{path}": Conflicting lock is held in '
    "/usr/bin/python3.11 (PID 4242) by user someone. See also https://duckdb.org/docs/"
)


def test_lock_error_is_retried_with_backoff(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db_path).ensure_schema()
    real_connect = duckdb.connect
    attempts: list[bool] = []
    waits: list[float] = []

    def flaky_connect(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        attempts.append(read_only)
        if len(attempts) <= 3:
            raise duckdb.IOException(LOCK_MESSAGE.format(path=path))
        return real_connect(path, read_only=read_only)

    monkeypatch.setattr(duckdb, "connect", flaky_connect)
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)

    Store(db_path, lock_timeout=30).ensure_schema()  # one connection: three refusals, then in

    assert len(attempts) == 4
    assert len(waits) == 3 and all(w > 0 for w in waits)


def test_lock_held_past_budget_raises_database_locked(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db_path).ensure_schema()

    def locked(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        raise duckdb.IOException(LOCK_MESSAGE.format(path=path))

    monkeypatch.setattr(duckdb, "connect", locked)

    with pytest.raises(DatabaseLocked) as caught:
        Store(db_path, lock_timeout=0.2).ensure_schema()

    assert caught.value.exit_code == EXIT_TEMPFAIL == 75
    assert "PID 4242" in caught.value.message and "locked" in caught.value.message
    assert "CLAIMTRACK_LOCK_TIMEOUT" in caught.value.message


def test_other_duckdb_errors_are_not_retried(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def broken(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        calls.append(path)
        raise duckdb.IOException("IO Error: Cannot open file: Permission denied")

    monkeypatch.setattr(duckdb, "connect", broken)

    with pytest.raises(DatabaseError, match="Permission denied"):
        Store(db_path, lock_timeout=30).ensure_schema()
    assert len(calls) == 1


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@contextmanager
def lock_holder(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database open for ``seconds`` once it prints ready."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready", holder.stderr
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=10)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text("The council met on Tuesday.\n")
    return path


@pytest.mark.slow
def test_cli_gives_up_on_a_held_lock_with_exit_75(
    db_path: Path, story: Path, run_cli: RunCli
) -> None:
    Store(db_path).ensure_schema()
    with lock_holder(db_path, seconds=60) as holder:
        result = run_cli(
            "ingest", story, "--json", db=db_path, env={"CLAIMTRACK_LOCK_TIMEOUT": "1"}
        )
        assert holder.poll() is None  # still holding when the ingest gave up

    assert result.returncode == 75, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "locked" in lines[0] and str(db_path) in lines[0]
    assert f"PID {holder.pid}" in lines[0]
    assert result.stdout == ""
    assert recorded(db_path)  # still a whole database
    with raw(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)


def test_cli_waits_for_a_lock_released_within_budget(
    db_path: Path, story: Path, run_cli: RunCli
) -> None:
    with lock_holder(db_path, seconds=1):
        result = run_cli(
            "ingest", story, "--json", db=db_path, env={"CLAIMTRACK_LOCK_TIMEOUT": "10"}
        )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ingested"] == 1
    with raw(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_bad_lock_timeout_setting_is_one_line(db_path: Path, story: Path, run_cli: RunCli) -> None:
    result = run_cli("ingest", story, db=db_path, env={"CLAIMTRACK_LOCK_TIMEOUT": "soon"})

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "CLAIMTRACK_LOCK_TIMEOUT" in lines[0]


def test_db_path_under_a_file_is_one_line_error(
    tmp_path: Path, story: Path, run_cli: RunCli
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")

    result = run_cli("ingest", story, db=blocker / "t.duckdb")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot create database" in lines[0]
    assert str(blocker) in lines[0]
