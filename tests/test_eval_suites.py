"""The native suite format: the committed suites are valid, the scorer's arithmetic by hand, bad
suite lines get one clear line, and the pledge TSV reader and scorer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimtrack.errors import UsageError
from claimtrack.evals import native, pledges
from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import Item

ROOT = Path(__file__).parents[1]
SUITES = [ROOT / "evals" / "seed", ROOT / "evals" / "meantime-attribution"]
MEANTIME = ROOT.parent / "shared" / "datasets" / "meantime" / "articles.jsonl"
SEED_TEXT = ROOT.parent / "shared" / "seed" / "coalition-of-the-willing-2026-01-07.txt"


@pytest.mark.parametrize("suite", SUITES, ids=lambda p: p.name)
def test_committed_suite_is_valid(suite: Path) -> None:
    cases = native.read_suite(suite)  # raises on any bad line

    assert cases and all(case.items for case in cases)
    for case in cases:
        spans = set()
        for item in case.items:
            assert case.text[item.start : item.end] == item.quote
            assert item.quote == item.quote.strip(), f"{case.id}: padded quote {item.quote!r}"
            assert item.speaker is None or item.speaker.split()[-1] in case.text
            if item.kind == "claim":
                assert item.direct is not None and (item.cue is None or item.cue in case.text)
            for value in (item.condition, item.deadline, *item.actors):
                assert value is None or value in case.text
            assert (item.kind, item.start, item.end) not in spans, f"{case.id}: duplicate item"
            spans.add((item.kind, item.start, item.end))
    assert (suite / "README.md").is_file()


def test_seed_suite_holds_the_seed_article_unchanged() -> None:
    [case] = native.read_suite(SUITES[0])
    if SEED_TEXT.is_file():
        assert case.text == SEED_TEXT.read_text(encoding="utf-8")
    kinds = [item.kind for item in case.items]
    assert kinds.count("claim") >= 20 and kinds.count("commitment") >= 5
    conditional = [i for i in case.items if i.condition == "once a ceasefire is reached"]
    assert conditional and conditional[0].actors == ["Britain", "France"]


def test_meantime_suite_copies_meantime_and_credits_it() -> None:
    cases = native.read_suite(SUITES[1])
    readme = (SUITES[1] / "README.md").read_text(encoding="utf-8")
    assert "Wikinews" in readme and "MEANTIME" in readme and "CC BY" in readme
    lines = (SUITES[1] / "suite.jsonl").read_text(encoding="utf-8").splitlines()
    assert all("CC BY" in json.loads(line)["license"] for line in lines)
    assert len(cases) >= 8 and all(case.kinds == ("claim",) for case in cases)
    if not MEANTIME.is_file():
        pytest.skip(f"{MEANTIME} is not here to compare the texts with")
    source = {json.loads(line)["id"]: json.loads(line) for line in MEANTIME.open(encoding="utf-8")}
    for case in cases:
        assert case.text == source[case.id]["text"]


TEXT = 'Anna Berg said taxes will rise. "We will build a bridge," the mayor said. Sky is blue.'


def claim(quote: str, speaker: str, direct: bool = False) -> Item:
    start = TEXT.index(quote)
    return Item(
        "claim", Span(start, start + len(quote)), quote, quote, speaker=speaker, direct=direct
    )


def commitment(quote: str, actors: list[str], condition: str | None = None) -> Item:
    start = TEXT.index(quote)
    return Item(
        "commitment",
        Span(start, start + len(quote)),
        quote,
        quote,
        actors=actors,
        condition=condition,
    )


def gold_case() -> native.NativeCase:
    record = {
        "id": "t",
        "text": TEXT,
        "items": [
            {"kind": "claim", "quote": "taxes will rise", "speaker": "Anna Berg", "direct": False},
            {
                "kind": "claim",
                "quote": "We will build a bridge",
                "speaker": "the mayor",
                "direct": True,
            },
            {"kind": "commitment", "quote": "We will build a bridge", "actors": ["the mayor"]},
        ],
    }
    return native._read_case(record)


def test_scores_by_hand() -> None:
    predicted = [
        claim("taxes will rise.", "Berg"),  # matches, speaker matches, indirect
        claim('"We will build a bridge,"', "Anna Berg", direct=True),  # matches, wrong speaker
        claim("Sky is blue", "Sky"),  # false positive
        commitment("will build a bridge", ["The Mayor"], condition="if funded"),
    ]

    metrics, [case] = native.score_suite([gold_case()], [predicted])

    assert metrics["claim_precision"] == pytest.approx(2 / 3)
    assert metrics["claim_recall"] == 1.0
    assert metrics["claim_speaker_precision"] == pytest.approx(1 / 3)
    assert metrics["claim_speaker_recall"] == pytest.approx(1 / 2)
    assert metrics["direct_claim_f1"] == 1.0
    assert metrics["indirect_claim_precision"] == pytest.approx(1 / 2)
    assert metrics["commitment_f1"] == 1.0
    assert metrics["item_precision"] == pytest.approx(3 / 4)
    assert metrics["item_recall"] == 1.0
    assert metrics["commitment_actor_accuracy"] == 1.0
    assert metrics["commitment_condition_accuracy"] == 0.0  # gold has none
    assert metrics["grounding_rate"] == 1.0
    assert case.matches == [(0, 0), (1, 1), (2, 3)]


def test_an_ungrounded_prediction_lowers_the_grounding_rate() -> None:
    bad = claim("taxes will rise", "Anna Berg")
    bad.quote = "taxes will soar"
    metrics, _ = native.score_suite([gold_case()], [[bad]])
    assert metrics["grounding_rate"] == 0.0


def test_matching_is_one_to_one() -> None:
    twice = [claim("taxes will rise", "Anna Berg"), claim("taxes will rise.", "Anna Berg")]
    metrics, _ = native.score_suite([gold_case()], [twice])
    assert metrics["claim_precision"] == pytest.approx(1 / 2)
    assert metrics["claim_recall"] == pytest.approx(1 / 2)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "Expecting value"),
        ('{"id": "a", "text": "Some text here.", "items": []', "Expecting"),
        ('{"text": "Some text.", "items": []}', "missing field 'id'"),
        (
            '{"id": "a", "text": "Some text.", "items": [{"kind": "claim", "quote": "other"}]}',
            "not in the text",
        ),
        (
            '{"id": "a", "text": "ab ab", "items": [{"kind": "claim", "quote": "ab"}]}',
            "more than once",
        ),
        (
            '{"id": "a", "text": "Some text.", "items": [{"kind": "claim", "quote": "Some", '
            '"start": 1, "end": 5}]}',
            "not the quote",
        ),
        (
            '{"id": "a", "text": "Some text.", "items": [{"kind": "rumour", "quote": "Some"}]}',
            "'kind'",
        ),
    ],
)
def test_bad_suite_line_is_named(tmp_path: Path, line: str, reason: str) -> None:
    suite = tmp_path / "bad.jsonl"
    good = '{"id": "ok", "text": "Fine text.", "items": []}'
    suite.write_text(f"{good}\n{line}\n", encoding="utf-8")

    with pytest.raises(UsageError) as raised:
        native.read_suite(suite)

    assert raised.value.message.startswith(f"{suite}:2: ")
    assert reason in raised.value.message


def test_bad_suite_through_the_cli(run_cli: Any, tmp_path: Path) -> None:
    suite = tmp_path / "bad.jsonl"
    suite.write_text('{"id": "a", "text": "x", "items": [1]}\n', encoding="utf-8")
    ran = run_cli("eval", "run", suite, db=tmp_path / "e.duckdb")
    lines = [line for line in ran.stderr.splitlines() if line.startswith("error")]
    assert ran.returncode == 2 and len(lines) == 1 and f"{suite}:1:" in lines[0]
    assert "Traceback" not in ran.stderr


PLEDGE_HEADER = "manifesto_id\tparty\tyear\tpledge\tbinary_pledge\ttext\n"


def test_pledge_scores_by_hand() -> None:
    metrics = pledges.score([True, True, False, False], [True, False, True, False])
    assert metrics["pledge_precision"] == metrics["pledge_recall"] == 0.5
    assert metrics["pledge_f1"] == 0.5 and metrics["accuracy"] == 0.5


def test_pledge_tsv_through_the_cli(run_cli: Any, tmp_path: Path) -> None:
    tsv = tmp_path / "p.tsv"
    tsv.write_text(
        PLEDGE_HEADER
        + '0\tA\t2014\t1\t1\t"We will build 100 new hospitals\tby 2019."\n'
        + "1\tA\t2014\t0\t0\tThe last decade was a decade of decay.\n",
        encoding="utf-8",
    )
    ran = run_cli("eval", "run", tsv, "--json", db=tmp_path / "e.duckdb")
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    assert report["kind"] == "pledges" and report["metrics"]["sentences"] == 2
    assert report["metrics"]["gold_pledges"] == 1
    assert [case["id"] for case in report["cases"]] == ["line-2", "line-3"]


def test_bad_pledge_row_is_named(tmp_path: Path) -> None:
    tsv = tmp_path / "p.tsv"
    tsv.write_text(PLEDGE_HEADER + "0\tA\t2014\t1\t1\tFine.\n1\tA\t2014\tyes\t1\tBad.\n")
    with pytest.raises(UsageError, match=r"p\.tsv:3: 'pledge' must be 0 or 1"):
        pledges.read_sentences(tsv)
    (tmp_path / "h.tsv").write_text("a\tb\n1\t2\n")
    with pytest.raises(UsageError, match=r"h\.tsv:1: the header lacks text, pledge"):
        pledges.read_sentences(tmp_path / "h.tsv")
