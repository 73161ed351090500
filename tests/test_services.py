"""The use cases without the command line, as the review queue or a script would call them:
they print nothing and say what happens through the callables they are given."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_tracking import proposals, write_corpus

from claimtrack.config import load_settings
from claimtrack.services.extract import ExtractOptions, resolve_backend
from claimtrack.services.reporting import Progress
from claimtrack.services.run import RunHooks, RunReport, run_job
from claimtrack.services.track import TrackOptions
from claimtrack.store import Store


def run_rules_job(store: Store, corpus: Path, hooks: RunHooks | None = None) -> RunReport:
    return run_job(
        store,
        load_settings(db=store.path),
        [str(corpus)],
        ExtractOptions(backend="rules"),
        TrackOptions(backend="rules"),
        hooks=hooks or RunHooks(),
    )


def test_the_main_job_tells_each_stage_as_it_ends_and_prints_nothing(
    tmp_path: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    heard: list[str] = []
    bars: list[tuple[str, bool]] = []

    @contextmanager
    def bar(label: str, *, in_bytes: bool = False) -> Iterator[Progress]:
        bars.append((label, in_bytes))
        yield lambda done, total: heard.append(f"{label} {done}/{total}")

    hooks = RunHooks(
        progress=bar,
        on_ingested=lambda report: heard.append(f"ingested {report.ingested}"),
        on_extracted=lambda report: heard.append(f"extracted {report.articles_extracted}"),
        on_tracked=lambda outcome: heard.append(f"tracked {outcome.report.articles_tracked}"),
    )
    report = run_rules_job(store, corpus, hooks)

    assert bars == [("ingesting", True), ("extracting", False), ("tracking", False)]
    stages = [line for line in heard if line.split()[0] in ("ingested", "extracted", "tracked")]
    assert stages == [
        f"ingested {report.ingested.ingested}",
        f"extracted {report.extracted.articles_extracted}",
        f"tracked {report.tracked.report.articles_tracked}",
    ]
    # each stage's progress came before its report
    assert heard.index(stages[1]) > max(
        i for i, line in enumerate(heard) if line.startswith("extracting ")
    )
    assert report.ingested.ingested == 3 and report.extracted.articles_extracted == 3
    assert report.to_json()["proposals_created"] == len(proposals(store)) > 0
    assert capsys.readouterr() == ("", "")


def test_the_main_job_run_again_finds_nothing_new(tmp_path: Path, store: Store) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    run_rules_job(store, corpus)
    stored = len(proposals(store))

    again = run_rules_job(store, corpus).to_json()

    assert again["articles_ingested"] == 0 and again["duplicates"] == 3
    assert again["articles_extracted"] == again["articles_tracked"] == 0
    assert again["proposals_created"] == 0 and len(proposals(store)) == stored
    assert again["failed"] == []


def test_the_offline_default_is_said_once_and_only_when_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notices: list[str] = []

    assert resolve_backend(None, notices.append) == "rules"
    assert resolve_backend("rules", notices.append) == "rules"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert resolve_backend(None, notices.append) == "llm"

    assert len(notices) == 1 and "offline rules backend" in notices[0]
