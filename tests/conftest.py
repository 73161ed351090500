"""Shared fixtures: a private database per test, a clean environment, and the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from claimtrack.store import Store

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """No test sees the LLM or claimtrack settings of the user, nor the working directory's db."""
    for name in list(os.environ):
        if name.startswith("CLAIMTRACK_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(name)
    fallback = tmp_path_factory.mktemp("env-db") / "env.duckdb"
    monkeypatch.setenv("CLAIMTRACK_DB", str(fallback))
    return fallback


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.duckdb"


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path, lock_timeout=5)


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run the real command line in a subprocess: ``run_cli("ingest", path, db=..., env=...)``.

    ``db`` adds ``--db``; ``env`` entries are added to (or, when None, removed from) the
    environment; ``script=True`` runs the ``claimtrack`` console script instead of
    ``python -m claimtrack``.
    """

    def run(
        *args: str | Path,
        db: Path | None = None,
        env: dict[str, str | None] | None = None,
        cwd: Path | None = None,
        script: bool = False,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        command = (
            [str(Path(sys.executable).parent / "claimtrack")]
            if script
            else [sys.executable, "-m", "claimtrack"]
        )
        if db is not None:
            command += ["--db", str(db)]
        command += [str(arg) for arg in args]
        environment = dict(os.environ)
        for name, value in (env or {}).items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd or tmp_path,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def review_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review UI's database (the tracking corpus, fixed timestamps), built once per session."""
    from review_helpers import build_review_db
    from test_tracking import write_corpus

    folder = tmp_path_factory.mktemp("review-source")
    return build_review_db(folder, write_corpus(folder / "corpus"))


@pytest.fixture
def review_store(review_source: Path, tmp_path: Path) -> Store:
    """A private copy of ``review_source``."""
    from review_helpers import copy_db

    return copy_db(review_source, tmp_path)
