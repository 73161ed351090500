"""Hostile network, hostile endpoints, a damaged database: each ends in one line and an exit code.

- **Fetching**: a server that drips a byte at a time ends at the configured timeout (the whole
  request, not each read); URLs a feed, an index page or a redirect hands over never reach a
  loopback, private, link-local or otherwise non-public address unless the source says
  ``allow_private = true``; a feed's new entries are read ``max_links`` a run.
- **Config**: a timeout or delay that is not a sane number of seconds is a usage error naming the
  file and the key.
- **The LLM endpoint**: ``Retry-After`` past the call's waiting budget, and an endpoint that
  cannot be reached, end the run at once with exit 75 and one line.
- **A damaged database** (cut short, overwritten): every command says so in one line naming the
  file and what to do, exits 1, and writes nothing into it.

Real sockets throughout: a local site (``http_site``), a dripping server, the LLM double.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from http_site import Page, Site, article_page, redirect, rss
from llm_double import LLMDouble, rate_limited
from test_recheck import count, site, write_config

from claimtrack.cli import cli
from claimtrack.fetch import Fetcher, FetchError
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.store import Store

# -- helpers --------------------------------------------------------------------------------------


def invoke(db: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=env)


__all__ = ["site"]  # the local news site of the recheck tests, a fixture here too


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


class Dripper:
    """A server on 127.0.0.1 that answers one byte every ``pause`` seconds: the headers too
    (``slow_headers``) or only the body (a Content-Length it takes half a minute to fill)."""

    def __init__(self, *, slow_headers: bool, pause: float = 0.3) -> None:
        self.slow_headers = slow_headers
        self.pause = pause
        self.sent = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}/story.html"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(client,), daemon=True).start()

    def _drip(self, client: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n"
        with client:
            try:
                client.recv(65536)
                if not self.slow_headers:
                    client.sendall(head)
                for byte in (head if self.slow_headers else b"") + b"<p>" + b"x" * 97:
                    if self._stop.is_set():
                        return
                    client.sendall(bytes([byte]))
                    self.sent += 1
                    time.sleep(self.pause)
            except OSError:
                return  # the client hung up: what claimtrack should do at its deadline

    def close(self) -> None:
        self._stop.set()
        self._server.close()


@pytest.fixture(params=[False, True], ids=["slow-body", "slow-headers"])
def dripper(request: pytest.FixtureRequest) -> Iterator[Dripper]:
    server = Dripper(slow_headers=request.param)
    yield server
    server.close()


# -- a whole request ends at its timeout ----------------------------------------------------------


def test_a_server_dripping_bytes_is_cut_off_at_the_timeout(dripper: Dripper) -> None:
    fetcher = Fetcher(timeout=2, delay=0)
    started = time.monotonic()

    with pytest.raises(FetchError) as failed:
        fetcher.get(dripper.url, user_url=True)

    assert time.monotonic() - started < 15  # behaviour, not speed: each read was quick
    assert "timed out" in failed.value.reason and "2 s" in failed.value.reason


def test_recheck_with_a_dripping_page_ends_at_its_timeout(tmp_path: Path) -> None:
    server = Dripper(slow_headers=False)
    try:
        (tmp_path / "urls.txt").write_text(server.url + "\n", encoding="utf-8")
        write_config(tmp_path, '[[sources]]\nname = "w"\ntype = "urls"\npath = "urls.txt"\n')
        config = tmp_path / "claimtrack.toml"
        config.write_text(config.read_text().replace("timeout = 5", "timeout = 2"))
        started = time.monotonic()

        result = invoke(tmp_path / "news.duckdb", "recheck", "--json")

        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert elapsed < 30, elapsed  # the lock is held by a run, not by a slow server
    assert result.exit_code == 1, result.output
    (failure,) = [f for f in json.loads(result.stdout)["failed"] if "path" in f]
    assert failure["path"] == server.url and "timed out" in failure["error"]


# -- what a feed, an index page or a redirect hands over stays outside ----------------------------

# each of these ends on the test site (127.0.0.1) when fetched: loopback written six ways
LOOPBACK_FORMS = [
    "127.0.0.1",
    "localhost",
    "127.1",
    "2130706433",  # 127.0.0.1 as one decimal number
    "0.0.0.0",  # the unspecified address connects to this machine on Linux
]


def hostile_feed(site: Site) -> list[str]:
    port = site.url("/").rsplit(":", 1)[1].split("/")[0]
    links = [f"http://{host}:{port}/a1.html" for host in LOOPBACK_FORMS]
    if _ipv6_loopback_works():
        links.append(f"http://[::ffff:127.0.0.1]:{port}/a1.html")  # IPv4-mapped IPv6
    site.pages["/feed.xml"] = rss(
        "Harbour Gazette",
        [(f"Entry {n}", link, "Wed, 07 Jan 2026 09:00:00 GMT") for n, link in enumerate(links)],
    )
    return links


def _ipv6_loopback_works() -> bool:
    try:
        with socket.create_connection(("::1", 9), timeout=1):
            pass
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return True


def test_feed_entries_on_internal_addresses_are_refused(site: Site, tmp_path: Path) -> None:
    links = hostile_feed(site)
    write_config(
        tmp_path, f'[[sources]]\nname = "f"\ntype = "feed"\nurl = "{site.url("/feed.xml")}"\n'
    )
    db = tmp_path / "news.duckdb"

    result = invoke(db, "recheck", "--json")

    assert result.exit_code == 1, result.output
    assert site.requested("/a1.html") == []  # nothing internal was asked for
    assert count(db, "SELECT count(*) FROM articles") == 0
    failed = {f["path"]: f["error"] for f in json.loads(result.stdout)["failed"] if "path" in f}
    assert sorted(failed) == sorted(links)
    assert all("refused" in e and "allow_private" in e for e in failed.values())


def test_allow_private_lets_a_source_read_its_intranet(site: Site, tmp_path: Path) -> None:
    hostile_feed(site)
    write_config(
        tmp_path,
        f'[[sources]]\nname = "f"\ntype = "feed"\nurl = "{site.url("/feed.xml")}"\n'
        "allow_private = true\n",
    )
    db = tmp_path / "news.duckdb"

    result = invoke(db, "recheck", "--json")

    assert result.exit_code == 0, result.output
    assert site.requested("/a1.html") and count(db, "SELECT count(*) FROM articles") == 1


def test_index_links_on_a_private_address_are_refused(site: Site, tmp_path: Path) -> None:
    site.pages["/news/"] = Page(b"<a href='/a1.html'>Bridge</a> <a href='/a2.html'>Deal</a>")
    write_config(
        tmp_path, f'[[sources]]\nname = "i"\ntype = "index"\nurl = "{site.url("/news/")}"\n'
    )

    result = invoke(tmp_path / "news.duckdb", "recheck", "--json")

    assert result.exit_code == 1, result.output
    assert site.requested("/news/")  # the URL the user wrote is theirs to choose
    assert site.requested("/a1.html") == [] and site.requested("/a2.html") == []


def test_a_redirect_to_a_private_address_is_refused(site: Site, tmp_path: Path) -> None:
    """``ingest URL``: the URL typed is the user's choice, even on 127.0.0.1; where it
    redirects is not."""
    site.pages["/moved"] = redirect(site.url("/a1.html"))
    db = tmp_path / "news.duckdb"

    result = invoke(db, "ingest", site.url("/moved"), "--json")

    assert result.exit_code == 1, result.output
    assert site.requested("/moved") and site.requested("/a1.html") == []
    (failure,) = json.loads(result.stdout)["failed"]
    assert "refused" in failure["error"] and "loopback" in failure["error"]
    assert len(error_lines(result.stderr)) == 1


def test_a_name_with_one_private_address_among_its_answers_is_refused(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every address the name resolves to is checked, and only checked ones are connected to
    (here the private one comes first: connecting in order would reach the site)."""
    port = int(site.url("/").rsplit(":", 1)[1].split("/")[0])
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example":
            v4, stream = socket.AF_INET, socket.SOCK_STREAM
            return [
                (v4, stream, 6, "", ("127.0.0.1", port)),
                (v4, stream, 6, "", ("8.8.8.8", port)),
            ]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    with pytest.raises(FetchError) as failed:
        Fetcher(timeout=3, delay=0).get(f"http://news.example:{port}/a1.html")

    assert "news.example resolves to 127.0.0.1" in failed.value.reason
    assert site.requested("/a1.html") == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("::1", "loopback"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::", "unspecified"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("224.0.0.251", "multicast"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("240.0.0.1", "reserved"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("64:ff9b::808:808", None),  # NAT64 of a public address is public
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    from claimtrack.fetch import non_public_kind

    assert non_public_kind(address) == kind


def test_a_feed_is_read_max_links_new_entries_a_run(site: Site, tmp_path: Path) -> None:
    """A feed listing thousands of entries does not make one run fetch thousands of pages."""
    for n in range(5):
        site.pages[f"/p{n}.html"] = article_page(f"Story {n}", [f"Story number {n} is here."])
    site.pages["/feed.xml"] = rss(
        "Gazette",
        [
            (f"Story {n}", site.url(f"/p{n}.html"), "Wed, 07 Jan 2026 09:00:00 GMT")
            for n in range(5)
        ],
    )
    write_config(
        tmp_path,
        f'[[sources]]\nname = "f"\ntype = "feed"\nurl = "{site.url("/feed.xml")}"\n'
        "allow_private = true\nmax_links = 2\n",
    )
    db = tmp_path / "news.duckdb"

    fetched = []
    for _ in range(3):
        assert invoke(db, "recheck").exit_code == 0
        fetched.append(sum(len(site.requested(f"/p{n}.html")) for n in range(5)))

    assert fetched == [2, 4, 5]  # two a run, in feed order, none twice


# -- config values that are not seconds -----------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("timeout = 1e308", "recheck.timeout"),
        ("timeout = inf", "recheck.timeout"),
        ("timeout = nan", "recheck.timeout"),
        ("timeout = -1", "recheck.timeout"),
        ("timeout = 0", "recheck.timeout"),
        ("delay = 1e308", "recheck.delay"),
    ],
)
def test_an_absurd_timeout_is_one_usage_line(tmp_path: Path, setting: str, key: str) -> None:
    config = tmp_path / "claimtrack.toml"
    config.write_text(f"[recheck]\n{setting}\n", encoding="utf-8")

    result = invoke(tmp_path / "news.duckdb", "recheck", "--config", str(config))

    assert result.exit_code == 2, result.output
    (line,) = error_lines(result.stderr)
    assert str(config) in line and key in line
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_source_delay_that_is_not_finite_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "claimtrack.toml"
    config.write_text(
        '[[sources]]\nname = "w"\ntype = "feed"\nurl = "http://127.0.0.1:9/"\ndelay = inf\n'
    )

    result = invoke(tmp_path / "news.duckdb", "recheck", "--config", str(config))

    assert result.exit_code == 2 and "sources.0.delay" in result.stderr


# -- the LLM endpoint: asked to wait for an hour, or not there ------------------------------------

ARTICLES = 31


@pytest.fixture
def pending(tmp_path: Path) -> Path:
    """A database with 31 articles waiting for extraction."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(ARTICLES):
        (folder / f"a{n:02}.md").write_text(
            f"---\ntitle: Story {n}\n---\nMayor Ana Ruiz said that pier {n} will reopen in May.\n"
        )
    db = tmp_path / "t.duckdb"
    assert (
        ingest_paths([str(folder)], Store(db), limits=Limits(max_article_bytes=1_000_000)).ingested
        == ARTICLES
    )
    return db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_retry_after_past_the_budget_ends_the_run_with_75(pending: Path, run_cli: Any) -> None:
    with LLMDouble(responder=lambda body: rate_limited(retry_after=3600)) as double:
        started = time.monotonic()
        done = run_cli(
            "extract", "--backend", "llm", "--json", db=pending, timeout=120,
            env={"OPENAI_BASE_URL": double.base_url, "OPENAI_API_KEY": "sk-test"},
        )  # fmt: skip
        elapsed = time.monotonic() - started
        asked = len(double.chat_requests)

    assert done.returncode == 75, done.stderr
    assert elapsed < 60  # not 4 x 60 s of waiting that the endpoint said would be refused
    assert asked <= 4  # the calls already in flight (concurrency 4), none after
    (line,) = error_lines(done.stderr)
    assert "Retry-After" in line and "3600" in line and "try again later" in line


def unreachable_endpoint() -> dict[str, str]:
    """The environment of a run whose LLM endpoint refuses every connection (one retry, no
    backoff)."""
    return {
        "OPENAI_BASE_URL": f"http://127.0.0.1:{closed_port()}/v1",
        "OPENAI_API_KEY": "sk-test",
        "CLAIMTRACK_LLM_BACKOFF": "0",
        "CLAIMTRACK_LLM_RETRIES": "1",
    }


def test_an_unreachable_endpoint_stops_the_run_after_a_few_failures(
    pending: Path, run_cli: Any
) -> None:
    done = run_cli(
        "extract", "--backend", "llm", "--json", db=pending,
        env=unreachable_endpoint(),
    )  # fmt: skip

    assert done.returncode == 75, done.stderr
    (line,) = error_lines(done.stderr)
    assert "cannot reach the LLM endpoint" in line and "3 calls in a row" in line
    summary = json.loads(done.stdout)
    # 3 failing calls open the breaker, with at most 3 more already in flight; 2 attempts each
    assert summary["llm_calls"] <= (3 + 3) * 2
    assert summary["articles_extracted"] == 0
    assert count(pending, "SELECT count(*) FROM extractions WHERE status = 'done'") == 0


def test_a_recheck_with_the_endpoint_down_says_so_once(
    pending: Path, run_cli: Any, tmp_path: Path
) -> None:
    (tmp_path / "inbox").mkdir()
    config = tmp_path / "claimtrack.toml"
    config.write_text(
        '[recheck]\ndelay = 0\ntimeout = 5\n\n[[sources]]\nname = "inbox"\ntype = "inbox"\n'
        'path = "inbox"\n',
        encoding="utf-8",
    )
    done = run_cli(
        "recheck", "--config", config, "--json", db=pending,
        env=unreachable_endpoint(),
    )  # fmt: skip

    assert done.returncode == 75, done.stderr
    # one line for the endpoint, not one per article (the reasons stay in --json)
    (line,) = error_lines(done.stderr)
    assert "cannot reach the LLM endpoint" in line and "try again later" in line
    assert json.loads(done.stdout)["failed"]


# -- a damaged database ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with articles, items and proposals (the rules backend), big enough that half
    of it leaves tables without their blocks."""
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(40):
        (folder / f"a{n:02}.md").write_text(
            f"---\ntitle: Story {n}\npublished: 2026-01-{n % 28 + 1:02}\n---\n"
            f"Mayor Ana Ruiz said that pier {n} will reopen in May. "
            f"The council promised to repave road {n} before the summer.\n"
        )
    db = tmp_path_factory.mktemp("db") / "healthy.duckdb"
    assert CliRunner().invoke(cli, ["--db", str(db), "run", str(folder)]).exit_code == 0
    return db


def truncated(db: Path) -> None:
    with db.open("r+b") as data:
        data.truncate(db.stat().st_size // 2)


def overwritten(offset: int, length: int) -> Any:
    def damage(db: Path) -> None:
        with db.open("r+b") as data:
            data.seek(offset)
            data.write(hashlib.sha256(b"noise").digest() * (length // 32))

    return damage


DAMAGES = {
    "truncated to half": truncated,
    "header overwritten": overwritten(0, 4096),
    "first block overwritten": overwritten(12288, 4096),
    "all garbage": lambda db: db.write_bytes(hashlib.sha256(b"x").digest() * 40_000),
}
COMMANDS = [
    ("ingest", "{new}"),
    ("articles", "list"),
    ("claims", "list"),
    ("proposals", "list"),
    ("extract",),
    ("track",),
    ("export", "--format", "json", "--out", "{out}"),
    ("recheck",),
    ("eval", "list"),
]


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_a_damaged_database_is_one_line_and_left_untouched(
    healthy: Path, tmp_path: Path, damage: str, command: tuple[str, ...]
) -> None:
    db = tmp_path / "damaged.duckdb"
    shutil.copy(healthy, db)
    DAMAGES[damage](db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    new = tmp_path / "new.md"
    new.write_text("Treasurer Bo Lind said the repairs cost twice the estimate.\n")
    args = [a.format(new=new, out=tmp_path / "out.json") for a in command]

    result = invoke(db, *args)

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not an exception escaping as a traceback
    (line,) = error_lines(result.stderr)
    assert f"cannot open database {db}: the file is damaged" in line
    assert "restore it from a backup" in line and "move it aside" in line
    assert "Traceback" not in result.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # nothing written into it
    assert not (tmp_path / "out.json").exists()
