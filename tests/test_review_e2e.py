"""The real ``claimtrack review`` in a pseudo-terminal: open, accept, quit, check the database."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from review_helpers import all_states, build_review_db, copy_db, state_of
from test_tracking import write_corpus

from claimtrack.store import Store

pexpect = pytest.importorskip("pexpect")


def spawn_review(store: Store) -> Any:
    """``claimtrack review`` in a 120 x 36 pseudo-terminal, deciding as user:e2e."""
    env = {**os.environ, "CLAIMTRACK_USER": "e2e", "TERM": "xterm-256color"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "claimtrack", "--db", str(store.path), "review", "--refresh-every", "0"],
        env=env,
        dimensions=(36, 120),
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.pty
def test_claimtrack_review_in_a_terminal_accepts_a_proposal(tmp_path: Path) -> None:
    store = copy_db(build_review_db(tmp_path, write_corpus(tmp_path / "corpus")), tmp_path)
    before = all_states(store)
    child = spawn_review(store)
    try:
        child.expect("NEW EVIDENCE")  # the detail pane of the first proposal is on screen
        child.expect(f"of {len(before)}")
        child.send("a")
        child.expect("accepted")  # the status line, once the decision is written
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    after = all_states(store)
    accepted = [pid for pid, state in after.items() if state == "accepted"]
    assert len(accepted) == 1 and all(
        before[pid] == after[pid] for pid in after if pid not in accepted
    )
    decided = state_of(store, accepted[0])
    assert decided.decided_by == "user:e2e" and decided.item_status == decided.to_status


@pytest.mark.slow
@pytest.mark.pty
def test_claimtrack_review_picks_a_relation_and_exports_from_the_palette(tmp_path: Path) -> None:
    store = copy_db(build_review_db(tmp_path, write_corpus(tmp_path / "corpus")), tmp_path)
    out = tmp_path / "ledger.json"
    child = spawn_review(store)
    try:
        child.expect("NEW EVIDENCE")
        child.expect("1 of ")  # the first page is in: there is a proposal to decide
        child.send("e")
        child.expect("Accept as which relation")
        child.send("2")  # the second relation offered: spelled out, not yet accepted
        child.expect("enter accepts as")
        child.send("checked by phone\r")
        child.expect("accepted")
        child.send("\x10")  # ctrl+p: the command palette
        child.expect("Search for commands")
        child.send("Export")
        child.expect("items, events and proposals")
        child.send("\r")
        child.expect("Export the ledger")
        child.send("\x15")  # ctrl+u: the suggested path away
        child.send(f"{out}\r")
        child.expect("Exported")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    accepted = [pid for pid, state in all_states(store).items() if state == "accepted"]
    assert len(accepted) == 1
    decided = state_of(store, accepted[0])
    assert decided.note == "checked by phone" and decided.decided_by == "user:e2e"
    assert decided.applied_relation not in (None, decided.relation)  # "2" is not the proposed
    assert out.exists()
    with store.read() as con:
        sessions = con.execute("SELECT actor, ended_at FROM review_sessions").fetchall()
    assert [(actor, ended is not None) for actor, ended in sessions] == [("user:e2e", True)]
