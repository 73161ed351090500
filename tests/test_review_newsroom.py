"""The review queue as a newsroom uses it all day (issue 21): columns that use the width, times
with their zone, URLs opened safely, item notes, stories, "new since your last session", and the
palette's export and recheck."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from review_helpers import all_states, opened_urls, press, record_opened, run_app
from textual.pilot import Pilot
from textual.widgets import DataTable

from claimtrack.review.app import ReviewApp
from claimtrack.review.cells import NEW_MARK, own_words
from claimtrack.review.screens.filter import FilterScreen
from claimtrack.review.screens.story import StoryScreen
from claimtrack.review.urls import openable
from claimtrack.review.widgets.detail_pane import DetailPane
from claimtrack.review.widgets.proposal_list import ProposalList, column_layout
from claimtrack.services import history
from claimtrack.store import Store
from claimtrack.store import items as item_rows


def test_own_words_leave_out_the_date_clause_only() -> None:
    said = "Bo Lind said, as reported on 7 January 2026, that the repairs would cost more"
    assert own_words(said) == "Bo Lind said that the repairs would cost more"
    assert own_words('Ruiz said, as reported on 9 March 2026, "we will"') == 'Ruiz said, "we will"'
    assert own_words("According to Ruiz, as reported on 9 March 2026, it failed") == (
        "According to Ruiz, it failed"
    )
    assert own_words("The council will sign the contract.") == "The council will sign the contract."


@pytest.mark.parametrize("width", [76, 116, 196])
def test_the_columns_fill_the_list_and_the_item_gets_the_rest(width: int) -> None:
    layout = column_layout(width)
    assert sum(column.width + 2 for column in layout) == width
    keys = [column.key for column in layout]
    assert keys[:3] == ["relation", "speaker", "item"] and keys[-2:] == ["day", "state"]
    assert ("source" in keys) == (width >= 96)


def test_a_wider_terminal_gives_the_items_words_more_room(review_store: Store) -> None:
    widths: dict[int, int] = {}

    for size in ((80, 30), (200, 40)):

        async def scenario(app: ReviewApp, pilot: Pilot[Any], size: Any = size) -> None:
            table = app.queue.query_one(ProposalList)
            widths[size[0]] = table.columns["item"].width  # type: ignore[index]

        run_app(review_store, scenario, size=size)
    assert widths[200] > widths[80] + 15


def test_the_all_items_view_gives_the_items_words_the_width_and_no_date_clause(
    review_store: Store,
) -> None:
    seen: dict[int, Any] = {}

    for size in ((80, 30), (200, 40)):

        async def scenario(app: ReviewApp, pilot: Pilot[Any], size: Any = size) -> None:
            await press(pilot, "l")
            table = app.screen.query_one(DataTable)
            seen[size[0]] = (
                table.columns["item"].width,  # type: ignore[index]
                [str(table.get_row_at(i)[4]) for i in range(table.row_count)],
            )

        run_app(review_store, scenario, size=size)
    (narrow, _), (wide, texts) = seen[80], seen[200]
    assert wide >= 120 > narrow  # the words use the terminal, not a fixed 60 columns
    assert texts and not any("as reported on" in text for text in texts)
    assert max(len(text) for text in texts) > 100  # whole, not cut at 100 characters


def test_the_list_shows_source_day_and_state_and_no_date_clause(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        table = app.queue.query_one(ProposalList)
        seen["rows"] = [[cell.plain for cell in table.get_row_at(i)] for i in range(4)]

    run_app(review_store, scenario, size=(200, 40))
    for row in seen["rows"]:
        assert "as reported on" not in row[2]
        assert row[3] == "Harbour Gazette" and row[5] == "proposed"
    # the evidence article was published at 14:08 in +05:30: its day is its own
    assert {row[4] for row in seen["rows"]} == {"2026-02-10"}


def test_the_detail_shows_the_time_in_its_zone_the_url_and_no_undated_note(
    review_store: Store,
) -> None:
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        detail = app.queue.query_one(DetailPane)
        seen["text"] = "\n".join(
            str(widget.render()) for widget in detail.query("Static").results()
        )

    run_app(review_store, scenario)
    assert "2026-02-10 14:08 +05:30" in seen["text"]
    assert "https://harbour.example/bridge-contract-signed" in seen["text"]
    assert "undated" not in seen["text"]


def test_o_opens_the_evidence_url_in_the_browser(
    review_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_opened(monkeypatch)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["url"] = app.queue.entries[0].proposal.article_url
        await press(pilot, "o")
        seen["opened"] = opened_urls(app)

    run_app(review_store, scenario)
    assert seen["opened"] == [seen["url"]] == ["https://harbour.example/bridge-contract-signed"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://", "http://a b"],
)
def test_o_refuses_an_address_that_is_not_http_and_says_so(
    review_store: Store, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    record_opened(monkeypatch)
    with review_store.write() as con:
        con.execute("UPDATE articles SET url = ?", [url])
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "o")
        seen["opened"] = getattr(app, "opened", [])
        seen["notes"] = [str(n.message) for n in app._notifications]

    run_app(review_store, scenario)
    assert seen["opened"] == [] and not openable(url)
    assert any("Not opened" in note for note in seen["notes"]), seen["notes"]


def test_n_adds_a_note_to_the_item_and_its_timeline_shows_it(review_store: Store) -> None:
    before = all_states(review_store)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["item"] = app.queue.entries[0].proposal.item_id
        seen["status"] = app.queue.entries[0].proposal.item_status
        await press(pilot, "n")
        await pilot.press(*"ask the treasurer")
        await press(pilot, "enter")
        seen["timeline"] = [e.note for e in app.queue.entries[0].timeline]

    run_app(review_store, scenario)
    assert "ask the treasurer" in seen["timeline"]
    events = history.item_history(review_store, seen["item"]).events
    assert [(e.kind, e.note, e.actor) for e in events if e.kind == "note"] == [
        ("note", "ask the treasurer", "user:tester")
    ]
    with review_store.read() as con:
        assert item_rows.get_item(con, seen["item"]).status == seen["status"]
    assert all_states(review_store) == before


def test_g_shows_the_story_with_its_items_by_status(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "g")
        seen["screen"] = app.screen
        seen["heading"] = str(app.screen.query_one("#story-heading").render())

    run_app(review_store, scenario)
    assert isinstance(seen["screen"], StoryScreen)
    assert "story Harbour town" in seen["heading"] and "3 articles" in seen["heading"]


def test_the_filter_offers_the_stories_and_narrows_to_one(review_store: Store) -> None:
    with review_store.write() as con:
        con.execute("UPDATE articles SET story = 'Library' WHERE title LIKE 'Library%'")
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["all"] = len(app.queue.entries)
        await press(pilot, "slash")
        assert isinstance(app.screen, FilterScreen)
        select = app.screen.query_one("#f-story")
        seen["options"] = [str(option[0]) for option in select._options[1:]]  # type: ignore[attr-defined]
        select.value = "Harbour town"  # type: ignore[attr-defined]
        await press(pilot, "enter")
        seen["story"] = app.queue.query_filter.story
        seen["rows"] = len(app.queue.entries)

    run_app(review_store, scenario)
    assert seen["options"] == ["Harbour town", "Library"] or seen["options"] == [
        "Library",
        "Harbour town",
    ]
    assert seen["story"] == "Harbour town" and 0 < seen["rows"] <= seen["all"]


def test_proposals_made_since_the_last_session_are_marked_new(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        table = app.queue.query_one(ProposalList)
        seen["states"] = [table.get_row_at(i)[-1].plain for i in range(len(app.queue.entries))]
        seen["status"] = str(app.queue.query_one("#queue-status").render())

    run_app(review_store, scenario, last_seen=datetime(2026, 2, 1))
    assert seen["states"] and all(s == f"{NEW_MARK} proposed" for s in seen["states"])
    assert "new since your last session" in seen["status"]

    seen.clear()
    run_app(review_store, scenario, last_seen=datetime(2026, 3, 1))
    assert all(s == "proposed" for s in seen["states"])


@pytest.mark.slow
def test_palette_recheck_runs_and_reads_the_queue_again(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "ctrl+p")
        await pilot.press(*"recheck now")
        await press(pilot, "enter")
        seen["notes"] = [str(n.message) for n in app._notifications]
        seen["progress"] = app.queue.progress

    run_app(review_store, scenario)
    assert any(note.startswith("recheck as of") for note in seen["notes"]), seen["notes"]
    assert seen["progress"] == ""  # done: the status line no longer says "rechecking"
    with review_store.read() as con:
        runs = con.execute("SELECT count(*) FROM recheck_runs").fetchone()
    assert runs is not None and runs[0] == 1


def test_the_item_view_lists_its_timeline_by_the_evidence_dates(review_store: Store) -> None:
    from claimtrack.review import data
    from claimtrack.store import articles as article_rows
    from claimtrack.store import proposals as proposal_rows

    with review_store.read() as con:
        item = item_rows.get_item(con, proposal_rows.list_proposals(con)[0].item_id)
        dated = sorted(
            (a for a in article_rows.list_articles(con) if a.published and a.id != item.article_id),
            key=lambda a: a.published or "",
        )
    later, earlier = dated[-1], dated[0]
    assert later.published != earlier.published
    for article in (later, earlier):  # recorded latest-dated first
        history.link_evidence(
            review_store, item.id, article.id, actor="user:tester", note=f"seen in {article.id}"
        )
    view = data.load_item(review_store, item.id)
    notes = [event.note or "" for event in view.timeline if event.kind == "link"]
    assert [note.endswith(f"seen in {earlier.id}") for note in notes] == [True, False], notes
    assert notes[1].endswith(f"seen in {later.id}"), notes
