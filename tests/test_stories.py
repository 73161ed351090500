"""Stories, "new since my last review", the state names the review queue shares, and times
shown with their zone: what a fact-checker following one story all day relies on.

The corpus is test_tracking's small town news (a contract to sign, then signed; a figure, then
retracted; a towpath that reopens once the river falls, then it falls), put into stories.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_tracking import EARLIER, LATER, write_corpus

from claimtrack.cli import cli
from claimtrack.services import sessions
from claimtrack.store import Store, utc_now
from claimtrack.times import format_published, format_recorded, parse_moment
from claimtrack.tracking.retrieval import Order, order_basis


def invoke(db: Path, *args: str, user: str = "ana") -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={"CLAIMTRACK_USER": user})


def as_json(db: Path, *args: str) -> Any:
    result = invoke(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def run_story(db: Path, folder: Path, story: str | None = None) -> None:
    result = invoke(db, "run", str(folder), *(["--story", story] if story else []))
    assert result.exit_code == 0, result.output


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The reviewer's zone: Berlin (UTC+1 in January)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# -- where an article's story comes from ----------------------------------------------------------


def test_the_records_story_wins_and_story_fills_in_the_rest(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {"title": "Own", "text": "The council met on Monday.", "story": "Harbour bridge"},
        {"title": "None", "text": "The library opened on Sunday."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    plain = tmp_path / "plain.md"
    plain.write_text("---\ntitle: Stored before\n---\nThe ferry was late again.", encoding="utf-8")
    db = tmp_path / "db.duckdb"
    assert invoke(db, "ingest", str(plain)).exit_code == 0

    result = invoke(db, "ingest", str(feed), str(plain), "--story", "Town hall")

    assert result.exit_code == 0, result.output
    listed = {a["title"]: a for a in as_json(db, "articles", "list")}
    assert listed["Own"]["story"] == "Harbour bridge"
    assert listed["None"]["story"] == "Town hall"
    assert listed["Stored before"]["story"] == "Town hall"  # read again: given the story
    shown = as_json(db, "articles", "show", listed["Own"]["id"])
    assert "story" not in shown["meta"]  # a column now, not metadata
    table = invoke(db, "articles", "list", "--story", "town HALL")
    assert "Town hall" in table.stdout and "Harbour bridge" not in table.stdout


def test_a_recheck_source_names_the_story_of_what_it_brings(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    config = tmp_path / "claimtrack.toml"
    config.write_text(
        '[recheck]\ndelay = 0\n\n[[sources]]\nname = "harbour-inbox"\ntype = "inbox"\n'
        f'path = "{inbox}"\n',
        encoding="utf-8",
    )
    db = tmp_path / "db.duckdb"

    result = invoke(db, "recheck", "--config", str(config), "--as-of", "2026-01-08")

    assert result.exit_code == 0, result.output
    assert [a["story"] for a in as_json(db, "articles", "list")] == ["harbour-inbox"]


# -- one story's items and proposals --------------------------------------------------------------


@pytest.fixture
def two_stories(tmp_path: Path) -> Path:
    """The bridge corpus in the story "Harbour"; an unrelated article in "Library"."""
    db = tmp_path / "db.duckdb"
    corpus = write_corpus(tmp_path / "harbour")
    (corpus / "c-library.md").rename(tmp_path / "c-library.md")
    run_story(db, corpus, "Harbour")
    library = tmp_path / "library"
    library.mkdir()
    (tmp_path / "c-library.md").rename(library / "c-library.md")
    run_story(db, library, "Library")
    return db


def test_claims_and_proposals_are_listed_by_story(two_stories: Path) -> None:
    db = two_stories
    articles = {a["id"]: a["story"] for a in as_json(db, "articles", "list")}
    every_item = as_json(db, "claims", "list")
    harbour = as_json(db, "claims", "list", "--story", "harbour")

    assert harbour and len(harbour) < len(every_item)
    assert {articles[item["article_id"]] for item in harbour} == {"Harbour"}
    proposals = as_json(db, "proposals", "list", "--story", "Harbour")
    assert proposals and all(articles[p["article_id"]] == "Harbour" for p in proposals)
    assert as_json(db, "proposals", "list", "--story", "Library") == []


def test_a_story_shows_its_items_by_status_with_their_latest_change(two_stories: Path) -> None:
    db = two_stories
    finalizes = next(
        p for p in as_json(db, "proposals", "list", "--story", "Harbour")
        if p["relation"] == "finalizes"
    )  # fmt: skip
    accepted = invoke(db, "proposals", "accept", finalizes["id"], "--note", "signed, says clerk")
    assert accepted.exit_code == 0, accepted.output

    stories = {s["name"]: s for s in as_json(db, "stories", "list")}
    view = as_json(db, "stories", "show", "HARBOUR")

    assert stories["Harbour"]["articles"] == 2 and stories["Library"]["articles"] == 1
    assert stories["Harbour"]["open_proposals"] == len(
        as_json(db, "proposals", "list", "--story", "Harbour", "--state", "open")
    )
    signed = view["by_status"]["finalized"]
    assert [entry["id"] for entry in signed] == [finalizes["item_id"]]
    change = signed[0]["latest_change"]
    assert change["to"] == "finalized" and change["actor"] == "user:ana"
    assert change["article_id"] == finalizes["article_id"]
    assert change["article_title"] == "Bridge contract signed"
    assert change["note"] == "signed, says clerk"
    assert (
        sum(len(entries) for entries in view["by_status"].values()) == stories["Harbour"]["items"]
    )
    text = invoke(db, "stories", "show", "Harbour")
    assert "finalized (1)" in text.stdout and "signed, says clerk" in text.stdout
    missing = invoke(db, "stories", "show", "Nowhere")
    assert missing.exit_code == 2 and "no story called 'Nowhere'" in missing.output


# -- the review queue's state names ---------------------------------------------------------------


def test_proposals_list_takes_the_review_queues_states_all_and_open(two_stories: Path) -> None:
    db = two_stories
    every = as_json(db, "proposals", "list")
    first = every[0]["id"]
    assert invoke(db, "proposals", "reject", first).exit_code == 0

    listed_all = as_json(db, "proposals", "list", "--state", "all")
    still_open = as_json(db, "proposals", "list", "--state", "open")

    assert [p["id"] for p in listed_all] == [p["id"] for p in every]
    assert first not in {p["id"] for p in still_open}
    assert len(still_open) == len(every) - 1


# -- new since the last review --------------------------------------------------------------------


def test_since_last_lists_only_what_came_after_the_last_session(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    run_story(db, write_corpus(tmp_path / "in"))
    before = {p["id"] for p in as_json(db, "proposals", "list")}
    never = invoke(db, "proposals", "list", "--since", "last", "--json")
    store = Store(db, lock_timeout=5)
    session = sessions.start_review(store, "user:ana")
    sessions.end_review(store, session, now=utc_now() + timedelta(seconds=1))
    time.sleep(1.1)
    news = tmp_path / "news"
    news.mkdir()
    again = LATER.format(date="2026-02-20").replace("last week.", "last week, officials said.")
    (news / "b-again.md").write_text(again, encoding="utf-8")
    run_story(db, news)

    fresh = {p["id"] for p in as_json(db, "proposals", "list", "--since", "last")}
    for_bo = invoke(db, "proposals", "list", "--since", "last", "--json", user="bo")

    every = {p["id"] for p in as_json(db, "proposals", "list")}
    assert before and never.exit_code == 0 and "not reviewed before" in never.stderr
    assert fresh and fresh == every - before
    assert {p["id"] for p in json.loads(for_bo.stdout)} == every  # bo never reviewed: all new
    tomorrow = (datetime.now() + timedelta(days=1)).date().isoformat()
    assert as_json(db, "proposals", "list", "--since", tomorrow) == []
    bad = invoke(db, "proposals", "list", "--since", "yesterday-ish")
    assert bad.exit_code == 2 and "give 'last', a date" in bad.output


def test_the_last_review_is_the_later_of_a_session_end_and_a_decision(
    tmp_path: Path, store: Store
) -> None:
    run_story(store.path, write_corpus(tmp_path / "in"))
    assert sessions.last_review(store, "user:ana") is None
    session = sessions.start_review(store, "user:ana")
    ended = datetime(2026, 3, 1, 9, 0)
    sessions.end_review(store, session, now=ended)
    assert sessions.last_review(store, "user:ana") == ended

    proposal = as_json(store.path, "proposals", "list")[0]["id"]
    assert invoke(store.path, "proposals", "skip", proposal).exit_code == 0

    assert sessions.last_review(store, "user:ana") > ended  # type: ignore[operator]
    assert sessions.last_review(store, "user:bo") is None


# -- same-day articles and their times ------------------------------------------------------------


def reasons(db: Path) -> list[tuple[str, str]]:
    return [(p["order_basis"], p["reason"]) for p in as_json(db, "proposals", "list")]


def test_same_day_articles_with_times_are_ordered_by_them_without_an_assumption(
    tmp_path: Path,
) -> None:
    db = tmp_path / "db.duckdb"
    corpus = write_corpus(
        tmp_path / "in", earlier="2026-01-09T08:30:00+05:30", later="2026-01-09T14:08:00+05:30"
    )
    later = tmp_path / "later"
    later.mkdir()
    (corpus / "b-later.md").rename(later / "b-later.md")
    run_story(db, later)  # the later article is ingested first ...
    run_story(db, corpus)  # ... its time still puts it after the earlier one

    found = reasons(db)

    assert found and all(basis == "published" for basis, _ in found)
    assert not any("order assumed" in reason or "no date" in reason for _, reason in found)


def test_same_day_articles_without_times_say_so_and_are_not_called_undated(
    tmp_path: Path,
) -> None:
    db = tmp_path / "db.duckdb"
    run_story(db, write_corpus(tmp_path / "in", earlier="2026-01-09", later="2026-01-09"))

    found = reasons(db)

    assert found and all(basis == "ingestion" for basis, _ in found)
    for _, reason in found:
        assert "both articles are of the same day and neither gives a time" in reason
        assert "no date" not in reason and "undated" not in reason


@pytest.mark.parametrize(
    ("earlier", "later", "basis"),
    [
        (datetime(2026, 1, 9, 3, 0), datetime(2026, 1, 9, 8, 38), "published"),
        (datetime(2026, 1, 9, 8, 38), datetime(2026, 1, 9, 3, 0), None),  # earlier in the day
        (datetime(2026, 1, 9, 8, 38), datetime(2026, 1, 9, 8, 38), "ingestion"),
        (None, datetime(2026, 1, 9, 8, 38), "ingestion"),  # one without a time
    ],
)
def test_order_on_one_day_follows_the_times_when_both_have_one(
    earlier: datetime | None, later: datetime | None, basis: str | None
) -> None:
    day = datetime(2026, 1, 9).date()
    # the later one was ingested first: only the times can put it after
    assert order_basis(Order(day, 5, earlier), Order(day, 4, later)) == (
        basis if basis != "ingestion" else None
    )
    assert order_basis(Order(day, 4, earlier), Order(day, 5, later)) == (basis or None)


# -- times shown with their zone ------------------------------------------------------------------


def test_times_are_shown_in_the_articles_zone_or_marked(local_zone: None) -> None:
    stored = datetime(2026, 1, 9, 8, 38, 44)  # 14:08:44 IST, stored as UTC

    assert format_published(stored, "time", 330) == "2026-01-09 14:08 +05:30"
    assert format_published(stored, "time", None) == "2026-01-09 08:38 (no zone given)"
    assert format_published(stored, "day", None) == "2026-01-09"
    assert format_published(None, None, None) == "undated"
    assert format_recorded("2026-01-09T08:38:44") == "2026-01-09 09:38 +01:00"
    assert parse_moment("2026-01-09") == datetime(2026, 1, 8, 23, 0)  # Berlin's midnight
    assert parse_moment("2026-01-09T14:08+05:30") == datetime(2026, 1, 9, 8, 38)


def test_an_articles_time_keeps_the_zone_its_source_gave(tmp_path: Path, local_zone: None) -> None:
    db = tmp_path / "db.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ist.md").write_text(LATER.format(date="2026-01-09T14:08:44+05:30"), encoding="utf-8")
    (folder / "plain.md").write_text(EARLIER.format(date="'2026-01-08T10:00:00'"), encoding="utf-8")
    assert invoke(db, "ingest", str(folder)).exit_code == 0

    table = invoke(db, "articles", "list").stdout
    listed = {a["title"]: a for a in as_json(db, "articles", "list")}

    assert "2026-01-09 14:08 +05:30" in table and "08:38" not in table
    assert "2026-01-08 10:00 (no zone given)" in table
    assert listed["Bridge contract signed"]["published"] == "2026-01-09T08:38:44"  # JSON: UTC
    assert listed["Bridge contract signed"]["published_offset"] == 330
