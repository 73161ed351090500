"""``claimtrack recheck``: sources (inbox, feed, URL list) from a local site, time rules, the lock,
dry runs, bad configs, and ``claimtrack ingest URL``.

Every test checks what a scheduled user relies on: what was stored, what was asked of the site
(conditional requests, nothing fetched twice), the exit code, and the one line per problem.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result
from http_site import Page, Site, article_page, rss
from test_tracking import EARLIER, LATER

from claimtrack.cli import cli
from claimtrack.sources.lock import recheck_lock
from claimtrack.store import Store

CONTRACT_KEYS = {
    "articles_ingested",
    "articles_extracted",
    "articles_tracked",
    "proposals_created",
    "llm_calls",
    "failed",
}
EARLIER_PARAGRAPHS = [p for p in EARLIER.split("---\n", 2)[2].strip().split("\n\n")]
LATER_PARAGRAPHS = [p for p in LATER.split("---\n", 2)[2].strip().split("\n\n")]


def recheck(db: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "recheck", *args], env=env)


def summary(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    assert data.keys() >= CONTRACT_KEYS
    return data


def count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(sql).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        running.pages["/a1.html"] = article_page(
            "Council plans bridge repairs", EARLIER_PARAGRAPHS, "2026-01-07"
        )
        running.pages["/a2.html"] = article_page(
            "Bridge contract signed", LATER_PARAGRAPHS, "2026-02-10"
        )
        yield running


def write_config(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "claimtrack.toml"
    path.write_text("[recheck]\ndelay = 0\ntimeout = 5\n\n" + body, encoding="utf-8")
    return path


INBOX = '[[sources]]\nname = "inbox"\ntype = "inbox"\npath = "inbox"\n'


# -- inbox ----------------------------------------------------------------------------------------


def test_inbox_reads_new_files_only_and_a_second_run_does_nothing(tmp_path: Path) -> None:
    write_config(tmp_path, INBOX)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    db = tmp_path / "news.duckdb"

    first = recheck(db, "--as-of", "2026-01-08", "--json")
    (inbox / "a.md").rename(inbox / "renamed.md")  # moved: the same bytes
    (inbox / "renamed.md").touch()
    (inbox / "b.md").write_text(LATER.format(date="2026-02-10"), encoding="utf-8")
    second = recheck(db, "--as-of", "2026-02-11", "--json")
    third = recheck(db, "--as-of", "2026-02-11")

    assert first.exit_code == 0, first.output
    one, two = summary(first), summary(second)
    assert (one["articles_ingested"], one["articles_extracted"], one["articles_tracked"]) == (
        1,
        1,
        1,
    )
    assert (two["articles_ingested"], two["articles_extracted"], two["articles_tracked"]) == (
        1,
        1,
        1,
    )
    assert two["proposals_created"] >= 3 and two["sources"][0]["checked"] == 2
    assert third.exit_code == 0 and "Nothing new" in third.stderr
    assert count(db, "SELECT count(*) FROM articles") == 2
    # one line per run in the log beside the database
    log = (tmp_path / "news.log").read_text().splitlines()
    assert len(log) == 3 and log[-1].endswith("Nothing new.")


def test_a_bad_inbox_file_is_reported_once_and_the_rest_goes_on(tmp_path: Path) -> None:
    write_config(tmp_path, INBOX)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    (inbox / "bad.json").write_text("{not json", encoding="utf-8")
    db = tmp_path / "news.duckdb"

    first = recheck(db, "--json")
    second = recheck(db, "--json")

    assert first.exit_code == 1
    errors = [line for line in first.stderr.splitlines() if "bad.json" in line]
    assert len(errors) == 1 and "invalid JSON" in errors[0]
    assert summary(first)["articles_ingested"] == 1
    assert second.exit_code == 0 and summary(second)["failed"] == []


# -- feeds and URL lists --------------------------------------------------------------------------


def recheck_twice_reading_once(site: Site, db: Path, listing: str, etag: str) -> dict[str, Any]:
    """Two rechecks of a source listing /a1.html and /a2.html: the first ingests both, the second
    nothing; each page is fetched once, the listing twice, conditionally the second time."""
    first = recheck(db, "--json")
    second = recheck(db, "--json")

    assert first.exit_code == 0, first.output
    one = summary(first)
    assert one["articles_ingested"] == 2 and one["proposals_created"] >= 3
    assert summary(second)["articles_ingested"] == 0
    assert len(site.requested("/a1.html")) == len(site.requested("/a2.html")) == 1
    fetched = site.requested(listing)
    assert len(fetched) == 2 and fetched[1].headers.get("if-none-match") == etag
    return one


def test_feed_entries_are_fetched_once_and_the_feed_conditionally(
    site: Site, tmp_path: Path
) -> None:
    site.pages["/feed.xml"] = rss(
        "Harbour Gazette",
        [
            ("Council plans bridge repairs", site.url("/a1.html"), "Wed, 07 Jan 2026 09:00:00 GMT"),
            ("Bridge contract signed", site.url("/a2.html"), "Tue, 10 Feb 2026 09:00:00 GMT"),
        ],
        etag='"v1"',
    )
    write_config(
        tmp_path,
        f'[[sources]]\nname = "gazette"\ntype = "feed"\nurl = "{site.url("/feed.xml")}"\n'
        "allow_private = true\n",  # the test site is on 127.0.0.1
    )
    db = tmp_path / "news.duckdb"

    recheck_twice_reading_once(site, db, "/feed.xml", '"v1"')

    assert "claimtrack/" in site.requested("/feed.xml")[0].headers["user-agent"]
    con = duckdb.connect(str(db), read_only=True)
    titles = sorted(r[0] for r in con.execute("SELECT title FROM articles").fetchall())
    con.close()
    assert titles == ["Bridge contract signed", "Council plans bridge repairs"]


def test_an_index_page_yields_its_new_article_links_once(site: Site, tmp_path: Path) -> None:
    """A site without a feed: its news page is read like a feed, and the articles it links to
    (not its navigation, images, other sites, or links the pattern leaves out) are read once."""
    index = (
        "<html><body><nav><a href='/'>Home</a> <a href='/tag/bridges'>Bridges</a></nav>"
        "<ul><li><a href='/a2.html'>Bridge contract signed</a></li>"
        "<li><a href='/a1.html#comments'>Council plans bridge repairs</a></li>"
        "<li><a href='/about.html'>About us</a></li></ul>"
        "<img src='/logo.png'><a href='/logo.png'>logo</a>"
        "<a href='https://elsewhere.example/a3.html'>Elsewhere</a></body></html>"
    )
    site.pages["/news/"] = Page(index.encode("utf-8"), etag='"i1"')
    write_config(
        tmp_path,
        f'[[sources]]\nname = "gazette"\ntype = "index"\nurl = "{site.url("/news/")}"\n'
        'links = "/a[0-9]+[.]html$"\nallow_private = true\n',  # the test site is on 127.0.0.1
    )
    db = tmp_path / "news.duckdb"

    one = recheck_twice_reading_once(site, db, "/news/", '"i1"')

    assert one["sources"][0]["checked"] == 2  # a1 and a2: the pattern left about.html out
    assert not site.requested("/about.html") and not site.requested("/logo.png")
    assert not site.requested("/tag/bridges")


def test_index_links_keep_the_page_order_and_leave_out_what_is_not_an_article() -> None:
    from claimtrack.sources.collect import _article_links

    html = (
        "<a href='/tag/ferries'>Ferries</a> <a href=\"/news/b.html\">B</a> "
        "<a href='/news/a.html#top'>A</a> <a href='/login'>Log in</a> <a href='/img/x.jpg'>x</a> "
        "<a href='http://other.example/news/c.html'>C</a> <a href='/news/'>News</a>"
    )

    links = _article_links(html, "http://127.0.0.1:8000/news/")

    assert links == ["http://127.0.0.1:8000/news/b.html", "http://127.0.0.1:8000/news/a.html"]


def test_a_failing_source_is_named_and_skipped(site: Site, tmp_path: Path) -> None:
    site.pages["/broken.xml"] = Page(b"<rss><channel><item>", content_type="application/rss+xml")
    (tmp_path / "urls.txt").write_text(
        f"# watchlist\n{site.url('/a1.html')}\n{site.url('/gone.html')}\nnot a url\n",
        encoding="utf-8",
    )
    write_config(
        tmp_path,
        f'[[sources]]\nname = "broken"\ntype = "feed"\nurl = "{site.url("/broken.xml")}"\n\n'
        f'[[sources]]\nname = "down"\ntype = "feed"\nurl = "http://127.0.0.1:9/feed"\n\n'
        '[[sources]]\nname = "watchlist"\ntype = "urls"\npath = "urls.txt"\n',
    )
    db = tmp_path / "news.duckdb"

    result = recheck(db, "--json")

    assert result.exit_code == 1
    report = summary(result)
    assert report["articles_ingested"] == 1  # the one good page of the URL list
    by_source = {f.get("source"): f["error"] for f in report["failed"] if "source" in f}
    assert "not an RSS or Atom feed" in by_source["broken"]
    assert "cannot connect" in by_source["down"]
    paths = {f.get("path"): f["error"] for f in report["failed"] if "path" in f}
    assert "HTTP 404" in paths[site.url("/gone.html")]
    assert any("not an http(s) URL" in e for e in paths.values())
    assert "source broken:" in result.stderr and "source down:" in result.stderr


def test_a_page_that_keeps_failing_is_given_up(site: Site, tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text(site.url("/gone.html") + "\n", encoding="utf-8")
    write_config(tmp_path, '[[sources]]\nname = "w"\ntype = "urls"\npath = "urls.txt"\n')
    (tmp_path / "claimtrack.toml").write_text(
        (tmp_path / "claimtrack.toml")
        .read_text()
        .replace("timeout = 5", "timeout = 5\nmax_attempts = 2")
    )
    db = tmp_path / "news.duckdb"

    results = [recheck(db, "--json") for _ in range(3)]

    assert [r.exit_code for r in results] == [1, 1, 0]
    assert "gave up after 2 attempts" in results[1].stderr
    assert len(site.requested("/gone.html")) == 2


def test_ingest_url(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"

    result = CliRunner().invoke(
        cli, ["--db", str(db), "ingest", site.url("/a1.html"), site.url("/nope"), "--json"]
    )

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ingested"] == 1 and "HTTP 404" in report["failed"][0]["error"]
    listed = json.loads(
        CliRunner().invoke(cli, ["--db", str(db), "articles", "list", "--json"]).stdout
    )
    assert listed[0]["title"] == "Council plans bridge repairs"
    assert listed[0]["url"] == site.url("/a1.html")


# -- time rules -----------------------------------------------------------------------------------


def test_overdue_is_proposed_once_and_stale_items_are_listed(tmp_path: Path) -> None:
    write_config(tmp_path, INBOX)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # "next month" from 7 January 2026: deadline 28 February 2026
    (inbox / "a.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    db = tmp_path / "news.duckdb"

    before = summary(recheck(db, "--as-of", "2026-02-01", "--json"))
    after = summary(recheck(db, "--as-of", "2026-03-02", "--json"))
    proposals = json.loads(
        CliRunner()
        .invoke(
            cli, ["--db", str(db), "proposals", "list", "--relation", "deadline_passed", "--json"]
        )
        .stdout
    )
    CliRunner().invoke(cli, ["--db", str(db), "proposals", "reject", proposals[0]["id"]])
    again = summary(recheck(db, "--as-of", "2026-04-01", "--json"))

    assert before["overdue_proposed"] == 0
    assert after["overdue_proposed"] == 1 and after["proposals_created"] == 1
    assert len(proposals) == 1
    assert proposals[0]["to_status"] == "overdue" and "contract" in proposals[0]["quote"]
    assert again["overdue_proposed"] == 0  # once, even after a rejection
    assert before["stale"]["count"] == 0  # 25 days after the article: within 30
    assert again["stale"]["count"] >= 1 and again["stale"]["after_days"] == 30
    assert all(item["last_news"] == "2026-01-07" for item in again["stale"]["items"])


# -- safety ---------------------------------------------------------------------------------------


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    write_config(tmp_path, INBOX)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    db = tmp_path / "news.duckdb"

    result = recheck(db, "--dry-run", "--as-of", "2026-03-02", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert report["sources"][0]["would_read"] == [str(inbox / "a.md")]
    assert count(db, "SELECT count(*) FROM articles") == 0
    assert not (tmp_path / "news.log").exists()


def test_a_second_recheck_waits_then_exits_75(tmp_path: Path) -> None:
    write_config(tmp_path, INBOX)
    (tmp_path / "inbox").mkdir()
    db = tmp_path / "news.duckdb"
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with recheck_lock(db, timeout=5):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    try:
        busy = recheck(db, env={"CLAIMTRACK_LOCK_TIMEOUT": "0.3"})
    finally:
        release.set()
        holder.join()
    free = recheck(db)

    assert busy.exit_code == 75
    assert "another recheck" in busy.stderr and len(busy.stderr.strip().splitlines()) <= 2
    assert free.exit_code == 0


def test_an_interrupted_run_is_finished_by_the_next(tmp_path: Path) -> None:
    write_config(tmp_path, INBOX)
    (tmp_path / "inbox").mkdir()
    db = tmp_path / "news.duckdb"
    # as if a recheck had been killed after ingesting: articles stored, not extracted or tracked
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    (corpus / "b.md").write_text(LATER.format(date="2026-02-10"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(corpus)]).exit_code == 0

    report = summary(recheck(db, "--json"))

    assert (
        report["articles_ingested"],
        report["articles_extracted"],
        report["articles_tracked"],
    ) == (0, 2, 2)
    assert report["proposals_created"] >= 3


@pytest.mark.parametrize("limited", [False, True])
def test_the_config_sets_how_many_candidates_each_article_is_judged_against(
    tmp_path: Path, limited: bool
) -> None:
    setting = "candidates = 1\n" if limited else ""
    config = write_config(tmp_path, INBOX)
    config.write_text(config.read_text().replace("[recheck]\n", "[recheck]\n" + setting))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text(EARLIER.format(date="2026-01-07"), encoding="utf-8")
    (inbox / "b.md").write_text(LATER.format(date="2026-02-10"), encoding="utf-8")
    db = tmp_path / "news.duckdb"

    result = recheck(db, "--json")

    assert result.exit_code == 0, result.stderr
    with Store(db).read() as con:
        row = con.execute("SELECT max(candidates) FROM trackings").fetchone()
    assert row is not None
    # the later article is judged against every earlier item, or against the best one only
    assert row[0] == 1 if limited else row[0] > 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[recheck\n", "invalid TOML"),
        ('[[sources]]\nname = "x"\ntype = "feed"\n', "a feed source needs 'url'"),
        ("[recheck]\nstale_after_dayz = 3\n", "stale_after_dayz"),
        ('[[sources]]\nname = "x"\ntype = "pigeon"\npath = "p"\n', "sources.0.type"),
        ('[[sources]]\nname = "x"\ntype = "index"\nurl = "http://a/"\nlinks = "("\n', "links"),
    ],
)
def test_a_bad_config_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "claimtrack.toml"
    config.write_text(text, encoding="utf-8")

    result = recheck(tmp_path / "news.duckdb")

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(config) in lines[0] and message in lines[0]


def test_the_readme_config_example_is_valid(tmp_path: Path) -> None:
    from claimtrack.sources.config import load_config

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "claimtrack.toml"
    path.write_text(example, encoding="utf-8")

    config = load_config(path)

    assert [s.type for s in config.sources] == ["inbox", "feed", "urls", "index"]
    assert config.sources[0].path == tmp_path / "inbox"
    assert config.recheck.stale_after_days == 30


@pytest.mark.slow
def test_two_rechecks_started_together_share_nothing_and_corrupt_nothing(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    write_config(tmp_path, INBOX)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(6):
        (inbox / f"a{n}.md").write_text(
            EARLIER.format(date=f"2026-01-0{n + 1}").replace("Delta Builders", f"Builder {n}"),
            encoding="utf-8",
        )
    (inbox / "later.md").write_text(LATER.format(date="2026-02-10"), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    command = [sys.executable, "-m", "claimtrack", "--db", str(db), "recheck", "--json"]

    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]

    codes = sorted(run.returncode for run in runs)
    assert codes in ([0, 0], [0, 75]), outputs
    ingested = sum(json.loads(out)["articles_ingested"] for out, _ in outputs if out.strip())
    assert ingested == 7  # each file ingested by exactly one of them
    assert count(db, "SELECT count(*) FROM articles") == 7
    assert count(db, "SELECT count(*) - count(DISTINCT article_id) FROM extractions") == 0
    assert count(db, "SELECT count(*) FROM trackings WHERE status = 'done'") == 7
    distinct = "count(DISTINCT (item_id, article_id, relation, to_status))"
    assert count(db, f"SELECT count(*) - {distinct} FROM proposals") == 0  # noqa: S608 - fixed text
