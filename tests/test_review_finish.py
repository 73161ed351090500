"""The last pieces of issue 21, driven by Pilot: links made by hand from the item screen, ``o``
in the article screen, the item's own article time with its zone, and an item column that does
not repeat the speaker."""

from __future__ import annotations

import io
from typing import Any

import pytest
from review_helpers import ACTOR, opened_urls, press, record_opened, run_app
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable

from claimtrack.review.app import ReviewApp
from claimtrack.review.cells import item_words
from claimtrack.review.screens.article import ArticleScreen
from claimtrack.review.screens.item import ItemScreen
from claimtrack.review.screens.link import ArticlePicker
from claimtrack.review.screens.relation import RelationScreen
from claimtrack.review.widgets.proposal_list import ProposalList
from claimtrack.services import history
from claimtrack.store import Store
from claimtrack.store import items as item_rows


def test_o_in_the_article_screen_opens_the_article_shown(
    review_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_opened(monkeypatch)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "w")
        assert isinstance(app.screen, ArticleScreen)
        await press(pilot, "o", "tab", "o")  # the evidence, then the item's own article
        seen["opened"] = opened_urls(app)
        p = app.queue.entries[0].proposal
        seen["titles"] = (p.article_title, p.item_article_title)

    run_app(review_store, scenario)
    evidence, own = seen["titles"]
    assert seen["opened"] == [
        "https://harbour.example/" + title.lower().replace(" ", "-") for title in (evidence, own)
    ]


def test_o_in_the_article_screen_refuses_what_is_not_http(
    review_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_opened(monkeypatch)
    with review_store.write() as con:
        con.execute("UPDATE articles SET url = 'javascript:alert(1)'")
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "w", "o")
        seen["opened"] = getattr(app, "opened", [])
        seen["notes"] = [str(n.message) for n in app._notifications]

    run_app(review_store, scenario)
    assert seen["opened"] == []
    assert any("Not opened: javascript:alert(1)" in note for note in seen["notes"])


def rendered(screen: Any, selector: str) -> str:
    """What the widgets ``selector`` finds show, as plain text (a table too)."""
    console = Console(width=200, record=True, file=io.StringIO())
    for widget in screen.query(selector).results():
        console.print(widget.content)
    return console.export_text()


def test_the_items_own_article_shows_its_time_in_its_zone(review_store: Store) -> None:
    """The item's article at 09:15 in -05:00 (14:15 UTC): the detail pane and the item screen
    show it as the article gives it, not as a day."""
    with review_store.read() as con:
        row = con.execute(
            "SELECT i.article_id FROM proposals p JOIN items i ON i.id = p.item_id "
            "ORDER BY p.seq DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    with review_store.write() as con:
        con.execute(
            "UPDATE articles SET published = TIMESTAMP '2026-02-03 14:15:00', "
            "published_precision = 'time', published_offset = -300 WHERE id = ?",
            [row[0]],
        )
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["detail"] = rendered(app.queue, "#item-body")
        await press(pilot, "i")
        seen["item"] = rendered(app.screen, "#item-fields")

    run_app(review_store, scenario)
    assert "2026-02-03 09:15 -05:00" in seen["detail"], seen["detail"]
    assert "2026-02-03 09:15 -05:00" in seen["item"], seen["item"]


@pytest.mark.parametrize(
    ("text", "speaker", "shown"),
    [
        ("Bo Lind said, as reported on 7 January 2026, that X", "Bo Lind", "said that X"),
        ("bo lind said that X", "Bo  Lind", "said that X"),  # any case, any spacing
        ("Bo Lind, the treasurer, said X", "Bo Lind", "the treasurer, said X"),
        ("Bo Lind's plan is X", "Bo Lind", "Bo Lind's plan is X"),  # not the name alone
        ("Bo Lindqvist said X", "Bo Lind", "Bo Lindqvist said X"),  # another name
        ("The council said X", "Bo Lind", "The council said X"),
        ("Bo Lind", "Bo Lind", "Bo Lind"),  # nothing but the name: kept
        ("Bo Lind said X", None, "Bo Lind said X"),
    ],
)
def test_the_items_words_leave_out_the_speaker_they_begin_with(
    text: str, speaker: str | None, shown: str
) -> None:
    assert item_words(text, speaker) == shown


@pytest.mark.parametrize("width", [80, 200])
def test_the_item_column_does_not_repeat_the_speaker(review_store: Store, width: int) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        table = app.queue.query_one(ProposalList)
        seen["rows"] = [
            (entry.proposal.item_speaker, entry.proposal.item_text, table.get_row(entry.id))
            for entry in app.queue.entries
        ]
        seen["keys"] = table.keys

    run_app(review_store, scenario, size=(width, 40))
    speaker_at, item_at = seen["keys"].index("speaker"), seen["keys"].index("item")
    repeated = 0
    for speaker, text, cells in seen["rows"]:
        item = cells[item_at].plain
        assert cells[speaker_at].plain == (speaker or "")
        assert not (speaker and item.startswith(speaker)), item
        repeated += bool(speaker and text.startswith(speaker))
    assert repeated >= 2  # the corpus has items whose words begin with their speaker


# -- links made by hand -----------------------------------------------------------------------


def link_rows(store: Store, item_id: str) -> list[tuple[Any, ...]]:
    with store.read() as con:
        return con.execute(
            "SELECT l.article_id, l.relation, l.actor, a.title FROM item_links l "
            "JOIN articles a ON a.id = l.article_id WHERE l.item_id = ? AND l.actor IS NOT NULL",
            [item_id],
        ).fetchall()


def test_l_in_the_item_screen_links_a_chosen_article_as_a_chosen_relation(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        entry = app.queue.entries[0]
        seen["item"], seen["kind"] = entry.proposal.item_id, entry.proposal.item_kind
        seen["status"] = entry.proposal.item_status
        await press(pilot, "i", "l")
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        seen["offered"] = [a.title for a in picker.articles]
        await press(pilot, *"contract", "enter")
        seen["narrowed"] = [a.title for a in picker.articles]
        await press(pilot, "enter")  # the first article found
        assert isinstance(app.screen, RelationScreen)
        seen["choices"] = [relation for relation, _ in app.screen.choices]
        number = seen["choices"].index("contradicts") + 1
        await press(pilot, str(number), *"seen", "space", *"by", "space", *"ana", "enter")
        assert isinstance(app.screen, ItemScreen)
        seen["timeline"] = rendered(app.screen, "#item-timeline")
        await press(pilot, "escape")
        seen["queue_timeline"] = [e.kind for e in app.queue.entries[0].timeline]

    run_app(review_store, scenario)
    item = seen["item"]
    assert seen["narrowed"] == ["Bridge contract signed"]
    assert len(seen["offered"]) > 1
    assert seen["choices"] == history.link_choices(seen["kind"])
    [(_, relation, actor, title)] = link_rows(review_store, item)
    assert (relation, actor, title) == ("contradicts", ACTOR, seen["narrowed"][0])
    with review_store.read() as con:
        stored = item_rows.get_item(con, item)
    assert stored.status == seen["status"]  # a link keeps the status
    link_event = [e for e in stored.events or () if e.kind == "link"]
    assert (
        len(link_event) == 1 and link_event[0].note == "linked by hand as contradicts: seen by ana"
    )
    assert "linked by hand as contradicts: seen by ana" in seen["timeline"]
    assert seen["narrowed"][0] in seen["timeline"]
    assert "link" in seen["queue_timeline"]  # the queue read the item again


def test_escape_in_the_link_dialogs_links_nothing(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["item"] = app.queue.entries[0].proposal.item_id
        await press(pilot, "i", "l", "escape")
        seen["after_picker"] = app.screen
        await press(pilot, "l", "down", "enter", "1", "escape", "escape")
        seen["after_relation"] = app.screen

    run_app(review_store, scenario)
    assert isinstance(seen["after_picker"], ItemScreen)
    assert isinstance(seen["after_relation"], ItemScreen)
    assert link_rows(review_store, seen["item"]) == []


def test_the_article_list_leaves_out_the_items_own_article_and_shows_the_latest_first(
    review_store: Store,
) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["own"] = app.queue.entries[0].proposal.item_article_id
        await press(pilot, "i", "l")
        seen["offered"] = list(app.screen.articles)  # type: ignore[attr-defined]

    run_app(review_store, scenario)
    offered = seen["offered"]
    assert offered and seen["own"] not in {a.id for a in offered}
    dates = [a.published for a in offered if a.published]
    assert dates == sorted(dates, reverse=True)


def test_the_all_items_view_leaves_out_only_a_speaker_shown_whole(review_store: Store) -> None:
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "l")
        table = app.screen.query_one(DataTable)
        seen["rows"] = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]

    run_app(review_store, scenario, size=(200, 40))
    named = {row[3]: row[4] for row in seen["rows"] if row[3]}
    # 'Councillor Femi Okafor' is cut to 'Councillor Femi Ok': the words keep the whole name
    assert named["Councillor Femi Ok"].startswith("Councillor Femi Okafor said that the library")
    ruiz = [row[4] for row in seen["rows"] if row[3] == "Mayor Ana Ruiz"]  # a claim, a commitment
    assert any(words.startswith("Ana Ruiz said that") for words in ruiz), ruiz  # another name


def test_a_name_longer_than_the_speaker_column_stays_in_the_words() -> None:
    words = "Councillor Femi Okafor said that X"
    assert item_words(words, "Councillor Femi Okafor", room=18) == words
    assert item_words(words, "Councillor Femi Okafor", room=22) == "said that X"
    assert item_words(words, None, "Councillor Femi Okafor") == "said that X"


@pytest.mark.parametrize("width", [80, 200])
def test_the_queue_cuts_no_speaker_out_of_the_words_that_its_column_cuts(
    review_store: Store, width: int
) -> None:
    with review_store.write() as con:
        con.execute(
            "UPDATE items SET speaker_canonical = 'Treasurer Bo Lind of the Harbour Council', "
            "text = replace(text, 'Bo Lind said', 'Treasurer Bo Lind of the Harbour Council said')"
        )
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        table = app.queue.query_one(ProposalList)
        item_at = table.keys.index("item")
        seen["items"] = [table.get_row(e.id)[item_at].plain for e in app.queue.entries]

    run_app(review_store, scenario, size=(width, 40))
    assert any(item.startswith("Treasurer Bo Lind of the") for item in seen["items"])


def test_the_item_screen_shows_its_articles_url_and_o_opens_it(
    review_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_opened(monkeypatch)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["title"] = app.queue.entries[0].proposal.item_article_title
        await press(pilot, "i")
        seen["fields"] = rendered(app.screen, "#item-fields")
        await press(pilot, "o")
        seen["opened"] = opened_urls(app)

    run_app(review_store, scenario)
    url = "https://harbour.example/" + seen["title"].lower().replace(" ", "-")
    assert seen["opened"] == [url]
    assert url in seen["fields"]
