"""The HTML report: each case expected beside predicted, spans highlighted, text escaped; and a
real browser (headless Chromium) renders it without running anything the suite text holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from claimtrack.evals.report import highlight

HOSTILE = (
    "Mayor Jo Park said the bridge will open in May. "
    '<script>document.body.setAttribute("data-pwned", "1")</script> '
    '"Taxes & fees <b>stay</b>," Park said.'
)


class Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self.tags: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks[-1] += data


def test_highlight_layers_overlapping_spans_and_escapes() -> None:
    html = highlight("a <b> c d", [(0, 5, "claim"), (2, 7, "cue")])
    assert html == (
        '<mark class="claim">a </mark><mark class="claim cue">&lt;b&gt;</mark>'
        '<mark class="cue"> c</mark> d'
    )


def hostile_suite(tmp_path: Path) -> Path:
    suite = tmp_path / "hostile.jsonl"
    record = {
        "id": "x<y>",
        "title": "<i>title</i>",
        "text": HOSTILE,
        "items": [
            {
                "kind": "claim",
                "quote": "the bridge will open in May",
                "speaker": "Jo Park",
                "cue": "said",
                "direct": False,
            },
            {
                "kind": "claim",
                "quote": '"Taxes & fees <b>stay</b>,"',
                "speaker": "Park",
                "cue": "said",
                "direct": True,
            },
        ],
    }
    suite.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return suite


def write_report(run_cli: Any, tmp_path: Path) -> Path:
    report = tmp_path / "report.html"
    ran = run_cli("eval", "run", hostile_suite(tmp_path), "--html", report, db=tmp_path / "e.db")
    assert ran.returncode == 0, ran.stderr
    assert f"HTML report: {report}" in ran.stderr
    return report


def test_report_shows_cases_side_by_side_escaped(run_cli: Any, tmp_path: Path) -> None:
    html = write_report(run_cli, tmp_path).read_text(encoding="utf-8")
    parser = Marks()
    parser.feed(html)

    assert "script" not in parser.tags and "i" not in parser.tags
    assert "<b>stay</b>" not in html and "&lt;b&gt;stay&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html and "x&lt;y&gt;" in html
    assert "the bridge will open in May" in parser.marks  # expected side
    assert html.count('class="side"') == 2
    assert "item_f1" in html


def test_show_writes_the_same_report(run_cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    ran = run_cli("eval", "run", hostile_suite(tmp_path), "--json", db=db)
    run_id = json.loads(ran.stdout)["run_id"]
    shown = run_cli("eval", "show", run_id, "--html", tmp_path / "show.html", db=db)
    assert shown.returncode == 0, shown.stderr
    assert "&lt;script&gt;" in (tmp_path / "show.html").read_text(encoding="utf-8")


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_report_renders_in_headless_chromium(run_cli: Any, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        if os.environ.get("CLAIMTRACK_REQUIRE_CHROMIUM"):  # CI: a skip would hide the gap
            pytest.fail("CLAIMTRACK_REQUIRE_CHROMIUM is set but no chromium is on PATH")
        pytest.skip("no chromium on PATH (Debian: apt-get install -y chromium)")
    report = write_report(run_cli, tmp_path)

    rendered = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert rendered.returncode == 0, rendered.stderr[-2000:]
    dom = rendered.stdout
    assert "<mark" in dom and "Eval run" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]  # nothing ran
    assert "&lt;script&gt;" in dom
