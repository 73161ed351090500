"""evals/tracking/end_to_end.py: the tracking gold read through the whole pipeline, as a user
runs it on a folder (extraction, retrieval, judge, at most a few proposals an article)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "evals" / "tracking" / "end_to_end.py"
EARLIER = (
    "Harbour council to rebuild the ferry pier. The harbour council will rebuild the old ferry "
    "pier at Port Kell by June 2027, its chair Ana Ruiz said on Monday. The council also "
    "approved a new bus timetable."
)
LATER = (
    "Ferry pier at Port Kell reopens. The harbour council has finished rebuilding the old "
    "ferry pier at Port Kell, and ferries docked there on Saturday for the first time in two "
    "years."
)
UNRELATED = (
    "Library extends its opening hours. The city library in Morden will open until 9 pm on "
    "weekdays from March, its director said."
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("end_to_end", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _suite(folder: Path) -> Path:
    articles = [
        {"id": "a1", "story": "pier", "title": "", "published": "2026-01-05", "text": EARLIER},
        {"id": "a2", "story": "pier", "title": "", "published": "2026-03-02", "text": LATER},
        {"id": "a3", "story": "pier", "title": "", "published": "2026-03-03", "text": UNRELATED},
    ]
    for article in articles:
        article["title"] = str(article["text"]).split(".")[0]
    quote = "The harbour council will rebuild the old ferry pier at Port Kell by June 2027"
    earlier = {"article_id": "a1", "kind": "commitment", "quote": quote, "text": quote}
    cases = [
        {"id": "c1", "story": "pier", "split": "dev", "earlier": earlier,
         "later": {"article_id": "a2"}, "expected": {"relation": "fulfils"}},
        {"id": "c2", "story": "pier", "split": "dev", "earlier": earlier,
         "later": {"article_id": "a3"}, "expected": {"relation": "unrelated"}},
    ]  # fmt: skip
    folder.mkdir()
    lines = (json.dumps(record) for record in articles)
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = (json.dumps(case) for case in cases)
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _suite_with_only_the_unrelated_case(folder: Path) -> tuple[Path, str]:
    """The suite without its related case (the later article's tie is judged by no case), and
    that case's earlier quote."""
    suite = _suite(folder)
    cases = (suite / "cases.jsonl").read_text().splitlines()
    (suite / "cases.jsonl").write_text(cases[1] + "\n", encoding="utf-8")
    return suite, str(json.loads(cases[0])["earlier"]["quote"])


def test_a_case_is_found_when_the_run_ties_its_later_article_to_the_extracted_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = _suite(tmp_path / "suite")
    assert _script().main(["--suite", str(suite), "--json", "--cases"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[: out.rindex("}") + 1])
    dev = report["dev"]
    assert (dev["related"], dev["extracted"], dev["found"]) == (1, 1, 1), dev
    assert (dev["unrelated"], dev["false_links"]) == (1, 0), dev
    assert report["train"]["related"] == 0
    assert "c1 dev fulfils extracted" in out
    # the tie is judged by its case, and right
    assert (dev["judged"], dev["right"], dev["queue_precision"]) == (1, 1, 1.0), dev


def test_a_tie_no_case_judges_is_judged_by_the_readers_judgment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite, quote = _suite_with_only_the_unrelated_case(tmp_path / "suite")
    reading = {"later": "a2", "earlier": "a1", "quote": quote, "evidence": "", "reader": "no"}
    (suite / "candidates.jsonl").write_text(json.dumps(reading) + "\n", encoding="utf-8")
    assert _script().main(["--suite", str(suite), "--json"]) == 0
    out = capsys.readouterr().out
    every = json.loads(out[: out.rindex("}") + 1])["all"]
    assert every["ties"] >= 1 and (every["judged"], every["right"]) == (1, 0), every


def test_an_existing_database_is_not_overwritten(tmp_path: Path) -> None:
    suite = _suite(tmp_path / "suite")
    kept = tmp_path / "kept.duckdb"
    kept.write_bytes(b"a user's store")
    with pytest.raises(SystemExit):
        _script().main(["--suite", str(suite), "--db", str(kept)])
    assert kept.read_bytes() == b"a user's store"


def test_the_ties_nobody_judged_are_written_as_rows_to_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite, _ = _suite_with_only_the_unrelated_case(tmp_path / "suite")
    out = tmp_path / "to-read.jsonl"
    assert _script().main(["--suite", str(suite), "--json", "--unjudged", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows and all(row["reader"] is None for row in rows)
    row = next(row for row in rows if row["later"] == "a2")
    assert row["earlier"] == "a1" and row["quote"] in EARLIER and row["evidence"] in LATER
    capsys.readouterr()
    # an existing file is not overwritten
    with pytest.raises(SystemExit):
        _script().main(["--suite", str(suite), "--unjudged", str(out)])
