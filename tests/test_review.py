"""The review queue (Textual) driven by Pilot: every key, and the database checked afterwards.

The database is the tracking corpus (finalizes, retracts, triggers and a corroborates proposal),
built once per session and copied per test. No test sleeps: ``settle`` waits for the workers and
the messages they post.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli
from review_helpers import (
    ACTOR,
    SIZE,
    all_states,
    make_app,
    press,
    run_app,
    settle,
    state_of,
)
from textual.pilot import Pilot

from claimtrack.review.app import ReviewApp
from claimtrack.review.passages import passage
from claimtrack.review.screens.article import ArticleScreen
from claimtrack.review.screens.help import HelpScreen
from claimtrack.review.screens.history import HistoryScreen
from claimtrack.review.screens.item import ItemScreen
from claimtrack.review.screens.items import ItemsScreen
from claimtrack.review.screens.relation import RelationScreen
from claimtrack.review.widgets.detail_pane import DetailPane
from claimtrack.services.decisions import relation_choices
from claimtrack.store import Store
from claimtrack.store import items as item_rows
from claimtrack.store.review import ProposalFilter


def order(app: ReviewApp) -> list[str]:
    return [entry.id for entry in app.queue.entries]


def item_status(store: Store, item_id: str) -> str:
    with store.read() as con:
        return item_rows.get_item(con, item_id).status


# -- the queue --------------------------------------------------------------------------------


def test_queue_opens_on_the_newest_proposal_with_its_detail(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["ids"] = order(app)
        seen["shown"] = app.queue.query_one(DetailPane).entry_id
        seen["total"] = app.queue.total

    run_app(review_store, scenario)
    assert seen["total"] == len(all_states(review_store)) == len(seen["ids"]) >= 3
    assert seen["shown"] == seen["ids"][0]


def test_a_accepts_and_advances(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"], seen["second"] = order(app)[:2]
        await press(pilot, "a")
        seen["shown"] = app.queue.query_one(DetailPane).entry_id

    run_app(review_store, scenario)
    accepted = state_of(review_store, seen["first"])
    assert accepted.state == "accepted" and accepted.decided_by == ACTOR
    assert accepted.item_status == accepted.to_status
    assert seen["shown"] == seen["second"]
    assert state_of(review_store, seen["second"]).state == "proposed"


def test_r_rejects_and_the_item_keeps_its_status(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = order(app)[0]
        await press(pilot, "r", "enter")  # r asks for a note; enter alone rejects without

    run_app(review_store, scenario)
    rejected = state_of(review_store, seen["first"])
    assert rejected.state == "rejected" and rejected.item_status == rejected.from_status
    assert rejected.note is None


def test_r_takes_a_note_and_escape_rejects_nothing(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"], seen["second"] = order(app)[:2]
        await press(pilot, "r", "escape")  # changed my mind
        seen["after_escape"] = order(app)[0]
        await press(pilot, "r")
        await pilot.press(*"not about this bridge")
        await press(pilot, "enter")

    run_app(review_store, scenario)
    assert seen["after_escape"] == seen["first"]
    rejected = state_of(review_store, seen["first"])
    assert rejected.state == "rejected" and rejected.note == "not about this bridge"
    assert state_of(review_store, seen["second"]).state == "proposed"


def test_s_skips_and_the_skipped_proposal_leaves_the_queue(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = order(app)[0]
        await press(pilot, "s")
        seen["after"] = order(app)

    run_app(review_store, scenario)
    assert state_of(review_store, seen["first"]).state == "skipped"
    assert seen["first"] not in seen["after"]


def test_e_accepts_as_the_relation_picked_by_its_number_with_a_note(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = app.queue.entries[0].proposal
        await press(pilot, "e")
        assert isinstance(app.screen, RelationScreen)
        seen["choices"] = app.screen.choices
        other = next(
            i for i, (r, _) in enumerate(app.screen.choices) if r != seen["first"].relation
        )
        seen["picked"] = app.screen.choices[other]
        await press(pilot, str(other + 1))  # the number picks; it does not accept yet
        seen["still_open"] = isinstance(app.screen, RelationScreen)
        await pilot.press(*"typing error")
        await press(pilot, "enter")

    run_app(review_store, scenario)
    proposal, (relation, status) = seen["first"], seen["picked"]
    assert seen["still_open"]
    assert seen["choices"] == relation_choices(proposal.item_kind, proposal.item_status)
    stored = state_of(review_store, proposal.id)
    assert stored.state == "accepted" and stored.applied_relation == relation
    assert stored.applied_status == status and stored.note == "typing error"
    assert item_status(review_store, proposal.item_id) == status


def test_a_stray_down_then_escape_in_the_picker_decides_nothing(review_store: Store) -> None:
    before = all_states(review_store)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "e", "down", "enter")  # a stray arrow, then enter: only the note
        seen["confirming"] = isinstance(app.screen, RelationScreen)
        await press(pilot, "escape", "escape")  # back to the list, then out
        seen["closed"] = not isinstance(app.screen, RelationScreen)

    run_app(review_store, scenario)
    assert seen["confirming"] and seen["closed"]
    assert all_states(review_store) == before


def test_escape_leaves_the_picker_without_a_decision(review_store: Store) -> None:
    before = all_states(review_store)

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "e", "escape")
        assert not isinstance(app.screen, RelationScreen)

    run_app(review_store, scenario)
    assert all_states(review_store) == before


def test_u_undoes_the_last_decision(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        first = app.queue.entries[0].proposal
        seen["first"], seen["status"] = first.id, first.item_status
        await press(pilot, "a")
        assert state_of(app.store, first.id).state == "accepted"
        await press(pilot, "u")
        seen["shown"] = app.queue.query_one(DetailPane).entry_id

    run_app(review_store, scenario)
    undone = state_of(review_store, seen["first"])
    assert undone.state == "proposed" and undone.item_status == seen["status"]
    assert seen["shown"] == seen["first"]  # back on the proposal whose decision was undone


def test_u_with_nothing_to_undo_changes_nothing(review_store: Store) -> None:
    before = all_states(review_store)

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "u")

    run_app(review_store, scenario)
    assert all_states(review_store) == before


MOVES = [(("j",), 1), (("j", "j", "k"), 1), (("down",), 1), (("down", "down", "up"), 1),
         (("j", "j"), 2)]  # fmt: skip


@pytest.mark.parametrize(("keys", "index"), MOVES)
def test_moving_then_accepting_decides_the_row_under_the_cursor(
    review_store: Store, keys: tuple[str, ...], index: int
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["ids"] = order(app)
        await press(pilot, *keys)
        seen["shown"] = app.queue.query_one(DetailPane).entry_id
        await press(pilot, "a")

    run_app(review_store, scenario)
    assert seen["shown"] == seen["ids"][index]
    states = all_states(review_store)
    assert [pid for pid, state in states.items() if state == "accepted"] == [seen["ids"][index]]


def test_slash_filters_by_free_text(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "slash")
        await pilot.press(*"towpath")
        await press(pilot, "enter")
        seen["rows"] = [e.proposal for e in app.queue.entries]
        await press(pilot, "a")

    run_app(review_store, scenario)
    assert len(seen["rows"]) == 1 and "towpath" in seen["rows"][0].item_text
    assert state_of(review_store, seen["rows"][0].id).state == "accepted"


def test_slash_filters_by_speaker_and_source(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "slash", "tab")
        await pilot.press(*"lind")  # speaker
        await press(pilot, "tab")
        await pilot.press(*"harbour")  # story or source
        await press(pilot, "enter")
        seen["rows"] = [e.proposal for e in app.queue.entries]
        await press(pilot, "r", "enter")

    run_app(review_store, scenario)
    assert [p.item_speaker for p in seen["rows"]] == ["Bo Lind"]
    assert state_of(review_store, seen["rows"][0].id).state == "rejected"


def test_tab_switches_panes_and_keys_still_decide(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = order(app)[0]
        await press(pilot, "tab")
        seen["focused"] = app.focused
        await press(pilot, "a", "tab")
        seen["back"] = app.focused

    run_app(review_store, scenario)
    assert isinstance(seen["focused"], DetailPane)
    assert not isinstance(seen["back"], DetailPane)
    assert state_of(review_store, seen["first"]).state == "accepted"


def test_w_shows_the_whole_article_with_the_quote(review_store: Store) -> None:
    before = all_states(review_store)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        entry = app.queue.entries[0].proposal
        await press(pilot, "w")
        assert isinstance(app.screen, ArticleScreen)
        seen["evidence"] = (app.screen.article_id, entry.article_id)
        await press(pilot, "tab")
        seen["source"] = (app.screen.article_id, entry.item_article_id)
        await press(pilot, "escape")
        # escape changed the screen; mypy still holds the isinstance narrowing from above
        seen["back"] = app.screen is app.queue  # type: ignore[comparison-overlap]

    run_app(review_store, scenario)
    assert seen["evidence"][0] == seen["evidence"][1]
    assert seen["source"][0] == seen["source"][1]
    assert seen["back"] and all_states(review_store) == before


def test_question_mark_shows_every_key(review_store: Store) -> None:
    before = all_states(review_store)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "question_mark")
        seen["help"] = app.screen
        await press(pilot, "escape")

    run_app(review_store, scenario)
    assert isinstance(seen["help"], HelpScreen)
    keys = {b.key for b in seen["help"].bindings}
    assert {
        "a",
        "r",
        "s",
        "e",
        "u",
        "j",
        "k",
        "slash",
        "tab",
        "o",
        "w",
        "n",
        "q",
        "question_mark",
    } <= keys
    assert all_states(review_store) == before


def test_q_quits_and_leaves_the_database_as_it_was(review_store: Store) -> None:
    before = all_states(review_store)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await pilot.press("q")
        await pilot.pause()
        seen["running"] = app.is_running

    run_app(review_store, scenario)
    assert seen["running"] is False
    assert all_states(review_store) == before


def test_q_right_after_a_decision_waits_for_it(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = order(app)[0]
        await pilot.press("a", "q")
        await app.workers.wait_for_complete()

    run_app(review_store, scenario)
    assert state_of(review_store, seen["first"]).state == "accepted"


def test_t_sorts_by_story_then_speaker(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "t")
        seen["story"] = app.queue.query_filter.sort
        await press(pilot, "t")
        seen["speakers"] = [e.proposal.item_speaker for e in app.queue.entries]
        seen["first"] = order(app)[0]
        await press(pilot, "a")

    run_app(review_store, scenario)
    assert seen["story"] == "story"
    named = [s.lower() for s in seen["speakers"] if s]
    assert named == sorted(named) and seen["speakers"][0] is not None
    assert state_of(review_store, seen["first"]).state == "accepted"


def test_i_h_and_l_show_the_item_the_history_and_all_items(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "a", "i")
        seen["item"] = app.screen
        await press(pilot, "escape", "h")
        seen["history"] = app.screen
        seen["decisions"] = list(getattr(app.screen, "rows", []))
        await press(pilot, "escape", "l")
        seen["items"] = app.screen
        seen["items_total"] = app.screen.total  # type: ignore[attr-defined]

    run_app(review_store, scenario)
    assert isinstance(seen["item"], ItemScreen)
    assert isinstance(seen["history"], HistoryScreen)
    assert [d.state for d in seen["decisions"]] == ["accepted"]
    assert seen["decisions"][0].actor == ACTOR
    assert isinstance(seen["items"], ItemsScreen) and seen["items_total"] > 5


# -- other processes --------------------------------------------------------------------------


def cli(store: Store, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", str(store.path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"CLAIMTRACK_USER": "other", "PATH": "/usr/bin:/bin"},
    )


def test_another_process_writes_while_the_queue_is_open_and_refresh_shows_it(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["before"] = order(app)
        # the queue holds no handle while it waits: another process can write
        seen["cli"] = cli(review_store, "proposals", "reject", seen["before"][1])
        await press(pilot, "ctrl+r")
        seen["after"] = order(app)

    run_app(review_store, scenario)
    assert seen["cli"].returncode == 0, seen["cli"].stderr
    assert seen["after"] == [pid for pid in seen["before"] if pid != seen["before"][1]]
    assert state_of(review_store, seen["before"][1]).decided_by == "user:other"


def test_accepting_what_another_process_decided_notifies_and_refreshes(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = order(app)[0]
        seen["cli"] = cli(review_store, "proposals", "reject", seen["first"])
        await press(pilot, "a")
        seen["notes"] = [n.message for n in app._notifications]
        seen["after"] = order(app)
        seen["running"] = app.is_running

    run_app(review_store, scenario)
    assert seen["cli"].returncode == 0, seen["cli"].stderr
    assert any("already rejected" in note for note in seen["notes"]), seen["notes"]
    assert seen["first"] not in seen["after"] and seen["running"]
    stored = state_of(review_store, seen["first"])
    assert stored.state == "rejected" and stored.decided_by == "user:other"


def test_a_locked_database_is_a_notification(review_store: Store) -> None:
    seen: dict[str, Any] = {}
    holder_code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
        "sys.stdin.read()"
    )

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = order(app)[0]
        holder = subprocess.Popen(
            [sys.executable, "-c", holder_code, str(review_store.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
            app.store.lock_timeout = 0
            await press(pilot, "a")
            seen["notes"] = [n.message for n in app._notifications]
        finally:
            assert holder.stdin is not None
            holder.stdin.close()
            holder.wait(timeout=30)
        seen["running"] = app.is_running

    run_app(review_store, scenario)
    assert any("is locked" in note for note in seen["notes"]), seen["notes"]
    assert seen["running"] and state_of(review_store, seen["first"]).state == "proposed"


def test_palette_export_asks_a_path_and_writes_the_ledger(
    review_store: Store, tmp_path: Path
) -> None:
    before = all_states(review_store)
    out = tmp_path / "ledger.json"
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "ctrl+p")
        await pilot.press(*"export")
        await press(pilot, "enter")
        await press(pilot, "ctrl+u")  # the suggested path away
        await pilot.press(*str(out))
        await press(pilot, "enter")
        seen["notes"] = [n.message for n in app._notifications]

    run_app(review_store, scenario)
    assert any(note.startswith("Exported") for note in seen["notes"]), seen["notes"]
    ledger = json.loads(out.read_text(encoding="utf-8"))
    assert ledger and all_states(review_store) == before


@pytest.mark.slow
def test_palette_shows_the_skipped_proposals_then_clears_the_filter(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["open"] = order(app)
        await press(pilot, "s")  # the newest proposal, skipped for later
        await press(pilot, "t")  # sorted by story: the palette's views start from the defaults
        for command, name in (("skipped proposals", "skipped"), ("clear the filter", "cleared")):
            await press(pilot, "ctrl+p")
            await pilot.press(*command)
            await press(pilot, "enter")
            seen[name] = (app.queue.query_filter, order(app))

    run_app(review_store, scenario)
    assert seen["skipped"] == (ProposalFilter(state="skipped"), seen["open"][:1])
    assert seen["cleared"] == (ProposalFilter(), seen["open"][1:])


def test_pages_load_near_the_end_of_the_list_and_decisions_shift_no_row(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        # pages of 2: the cursor is always near the end, so every page comes in turn
        seen["loaded"] = order(app)
        await press(pilot, "a")
        seen["after"] = order(app)
        await press(pilot, "ctrl+r")
        seen["reloaded"] = order(app)

    run_app(review_store, scenario, page_size=2)
    everything = list(all_states(review_store))
    assert sorted(seen["loaded"]) == sorted(everything)
    assert seen["after"] == seen["loaded"][1:] == seen["reloaded"]


# -- pieces -----------------------------------------------------------------------------------


def test_passage_is_the_paragraph_with_the_quote_marked() -> None:
    text = "First paragraph.\n\nThe council signed the contract on Monday.\n\nLast one."
    start = text.index("signed")
    found = passage(text, [start, start + len("signed the contract")])
    assert found is not None
    assert found.text == "The council signed the contract on Monday."
    assert found.text[found.start : found.end] == "signed the contract"
    assert passage(text, None) is None and passage(text, [5, 500]) is None


def test_a_long_paragraph_is_cut_around_the_quote() -> None:
    text = "x" * 5000 + " the quote " + "y" * 5000
    start = text.index("the quote")
    found = passage(text, [start, start + 9])
    assert found is not None and len(found.text) < 1000
    assert found.text[found.start : found.end] == "the quote"
    assert found.text.startswith("…") and found.text.endswith("…")


def test_the_app_needs_no_textual_outside_the_review_package() -> None:
    code = (
        "import sys, claimtrack.cli, claimtrack.store.review, claimtrack.services.decisions; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_review_without_a_terminal_is_a_usage_error(run_cli: RunCli, review_store: Store) -> None:
    result = run_cli("review", db=review_store.path)
    assert result.returncode == 2 and "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


__all__ = ["SIZE", "make_app", "settle"]


@pytest.mark.slow
def test_recheck_runs_while_the_queue_is_open_and_deciding(
    review_store: Store, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "towpath.md").write_text(
        "---\ntitle: Towpath works postponed\npublished: 2026-03-01\n---\n"
        "The council postponed the reopening of the towpath along the harbour wall until the "
        "autumn, the city engineer said.\n",
        encoding="utf-8",
    )
    config = tmp_path / "claimtrack.toml"
    config.write_text(
        '[[sources]]\nname = "inbox"\ntype = "inbox"\npath = "inbox"\n', encoding="utf-8"
    )
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["before"] = order(app)
        await press(pilot, "a")  # a decision on its way to the database ...
        seen["recheck"] = cli(review_store, "recheck", "--config", str(config), "--json")
        await press(pilot, "a")  # ... and another one after the recheck
        await press(pilot, "ctrl+r")
        seen["after"] = order(app)
        seen["running"] = app.is_running

    run_app(review_store, scenario)
    assert seen["recheck"].returncode == 0, seen["recheck"].stderr
    assert json.loads(seen["recheck"].stdout)["proposals_created"] >= 1
    new = [pid for pid in seen["after"] if pid not in seen["before"]]
    assert new and seen["running"]
    # the towpath news, and the contract's deadline (February 2026) passed by today
    assert {state_of(review_store, pid).relation for pid in new} >= {"stalls"}
    decided = [pid for pid in seen["before"] if state_of(review_store, pid).state == "accepted"]
    assert len(decided) == 2
