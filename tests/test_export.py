"""``claimtrack export``: the ledger in CSV, JSON and Parquet, read back as a user would."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result
from test_tracking import write_corpus

from claimtrack.cli import cli


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture
def ledger(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A database with items, proposals, and one accepted proposal (a status event)."""
    db = tmp_path / "l.duckdb"
    assert invoke(db, "run", str(write_corpus(tmp_path / "in"))).exit_code == 0
    proposals = json.loads(invoke(db, "proposals", "list", "--json").stdout)
    accepted = next(p for p in proposals if p["relation"] == "finalizes")
    assert invoke(db, "proposals", "accept", accepted["id"], "--note", "signed").exit_code == 0
    return db, {"proposals": len(proposals), "accepted": accepted}


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]  # noqa: S608
            for table in ("items", "item_events", "proposals")
        }
    finally:
        con.close()


def test_csv_writes_three_files_a_spreadsheet_opens(
    ledger: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, known = ledger
    out = tmp_path / "out" / "ledger.csv"
    out.parent.mkdir()

    result = invoke(db, "export", "--format", "csv", "--out", str(out), "--json")

    assert result.exit_code == 0, result.output
    stored = counts(db)
    with out.open(newline="", encoding="utf-8") as items_file:
        items = list(csv.DictReader(items_file))
    with (tmp_path / "out" / "ledger.events.csv").open(newline="", encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    with (tmp_path / "out" / "ledger.proposals.csv").open(newline="", encoding="utf-8") as f:
        proposals = list(csv.DictReader(f))
    assert (len(items), len(events), len(proposals)) == (
        stored["items"], stored["item_events"], stored["proposals"],
    )  # fmt: skip
    accepted = known["accepted"]
    item = next(row for row in items if row["id"] == accepted["item_id"])
    assert item["status"] == "finalized"
    decision = next(row for row in events if row["proposal_id"] == accepted["id"])
    assert (decision["from_status"], decision["to_status"], decision["note"]) == (
        "pending", "finalized", "signed",
    )  # fmt: skip
    assert next(p for p in proposals if p["id"] == accepted["id"])["state"] == "accepted"
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "ledger.csv",
        "ledger.events.csv",
        "ledger.proposals.csv",
    ]  # fmt: skip  (no temporary file left)


def test_json_and_parquet_hold_the_same_rows(
    ledger: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, _ = ledger

    as_json = invoke(db, "export", "--format", "json", "--out", str(tmp_path / "l.json"))
    as_parquet = invoke(db, "export", "--format", "parquet", "--out", str(tmp_path / "l.parquet"))

    assert as_json.exit_code == as_parquet.exit_code == 0
    document = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    for table, suffix in (("items", ""), ("events", ".events"), ("proposals", ".proposals")):
        parquet = str(tmp_path / f"l{suffix}.parquet")
        ids = {row[0] for row in con.execute(f"SELECT * FROM read_parquet('{parquet}')").fetchall()}  # noqa: S608
        first_key = next(iter(document[table][0]))
        assert ids == {row[first_key] for row in document[table]}
    con.close()
    assert len(document["proposals"]) == counts(db)["proposals"]


def test_a_missing_folder_is_one_line_and_nothing_is_written(
    ledger: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, _ = ledger

    result = invoke(db, "export", "--format", "csv", "--out", str(tmp_path / "nope" / "l.csv"))

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'nope'}: no such folder"]


def test_each_format_names_the_relation_a_proposal_was_accepted_as(
    ledger: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, known = ledger  # its finalizes proposal accepted as proposed
    proposals = json.loads(invoke(db, "proposals", "list", "--json").stdout)
    retracts = next(p for p in proposals if p["relation"] == "retracts")
    chosen = invoke(db, "proposals", "accept", retracts["id"], "--relation", "contradicts")
    assert chosen.exit_code == 0, chosen.output

    assert invoke(db, "export", "--format", "csv", "--out", str(tmp_path / "l.csv")).exit_code == 0
    assert (
        invoke(db, "export", "--format", "json", "--out", str(tmp_path / "l.json")).exit_code == 0
    )

    with (tmp_path / "l.proposals.csv").open(newline="", encoding="utf-8") as f:
        from_csv = {row["id"]: row["accepted_as"] for row in csv.DictReader(f)}
    document = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    from_json = {row["id"]: row["accepted_as"] for row in document["proposals"]}
    accepted = {known["accepted"]["id"]: "finalizes", retracts["id"]: "contradicts"}
    for proposal_id, relation in accepted.items():
        assert from_csv[proposal_id] == from_json[proposal_id] == relation
    undecided = set(from_json) - set(accepted)
    assert undecided and all(from_json[p] is None and from_csv[p] == "" for p in undecided)


def test_proposals_show_says_the_relation_it_was_accepted_as(
    ledger: tuple[Path, dict[str, Any]],
) -> None:
    db, known = ledger
    proposals = json.loads(invoke(db, "proposals", "list", "--json").stdout)
    retracts = next(p for p in proposals if p["relation"] == "retracts")
    assert (
        invoke(db, "proposals", "accept", retracts["id"], "--relation", "contradicts").exit_code
        == 0
    )

    as_proposed = invoke(db, "proposals", "show", known["accepted"]["id"]).stdout
    chosen = invoke(db, "proposals", "show", retracts["id"]).stdout
    chosen_json = json.loads(invoke(db, "proposals", "show", retracts["id"], "--json").stdout)

    assert "accepted_as: finalizes (as proposed)" in as_proposed
    assert "accepted_as: contradicts (chosen by the reviewer)" in chosen
    assert chosen_json["accepted_as"] == "contradicts" and chosen_json["relation"] == "retracts"
