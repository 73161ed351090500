"""Reading what is new in one source: an inbox folder, a feed, a list of URLs, or an index page.

Each ``collect_*`` function returns a :class:`Collected`: the records to ingest, one error per
input that could not be read, a source-level error when the whole source failed (it is then
skipped, the other sources go on), and the state to remember once the records are stored (file
hashes, fetched URLs, the feed's ETag and Last-Modified). Nothing is written here: the caller
ingests the records first and remembers the state after, so a run killed in between reads the
same inputs again next time and ingest finds them as duplicates — nothing lost, nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from claimtrack.articles import ArticleRecord
from claimtrack.errors import InputError
from claimtrack.fetch import Fetched, Fetcher, FetchError
from claimtrack.ingest import file_state, unchanged_files
from claimtrack.ingest.readers import Limits, discover, html_records, read_path
from claimtrack.sources.config import RecheckSettings, SourceConfig
from claimtrack.store import Store, Transaction
from claimtrack.store import files as file_rows
from claimtrack.store import sources as source_rows
from claimtrack.store.files import SeenFile

Remember = Callable[[Transaction, datetime], None]


@dataclass
class Collected:
    name: str
    type: str
    records: list[ArticleRecord] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)
    error: str | None = None  # the whole source failed
    checked: int = 0  # files seen, feed entries listed, URLs listed
    would_read: list[str] = field(default_factory=list)  # dry run: what would be read
    remember: list[Remember] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "checked": self.checked,
            "new": len(self.records),
            "failed": [{"path": e.path, "error": e.reason} for e in self.failed],
            "error": self.error,
        }


def collect(
    source: SourceConfig,
    store: Store,
    fetcher: Fetcher,
    limits: Limits,
    settings: RecheckSettings,
    *,
    dry_run: bool = False,
) -> Collected:
    if source.type == "inbox":
        return collect_inbox(source, store, limits, dry_run=dry_run)
    if source.type == "feed":
        return collect_feed(source, store, fetcher, limits, settings, dry_run=dry_run)
    if source.type == "index":
        return collect_index(source, store, fetcher, limits, settings, dry_run=dry_run)
    return collect_url_list(source, store, fetcher, limits, settings, dry_run=dry_run)


# -- inbox folders --------------------------------------------------------------------------------


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def collect_inbox(
    source: SourceConfig, store: Store, limits: Limits, *, dry_run: bool = False
) -> Collected:
    """New files in the folder: a file whose bytes were read before (moved, renamed, touched) is
    passed over; a bad file is reported once, and again only when its bytes change. A file read
    whole and unchanged since (path, size, modification time) is not even hashed again."""
    found = Collected(source.name, source.type)
    folder = source.path
    assert folder is not None
    if not folder.is_dir():
        found.error = f"{folder}: no such folder"
        return found
    paths: list[Path] = []
    for entry in discover([str(folder)]):
        if isinstance(entry, InputError):
            found.failed.append(entry)
        else:
            paths.append(entry)
    found.checked = len(paths)
    unchanged = unchanged_files(store, paths, source.name)  # not even hashed again
    files: list[tuple[Path, str]] = []
    for path in paths:
        if path in unchanged:
            continue
        try:
            files.append((path, _file_hash(path)))
        except OSError as error:
            found.failed.append(InputError(str(path), f"cannot read: {error.strerror or error}"))
    with store.read() as con:
        known = source_rows.known_files(con, [digest for _, digest in files])
    new = [(path, digest) for path, digest in files if digest not in known]
    if dry_run:
        found.would_read = [str(path) for path, _ in new]
        return found
    outcomes: list[tuple[str, str, str, str, str | None]] = []
    seen: list[SeenFile] = []
    for path, digest in new:
        state = file_state(path)
        errors = []
        read = 0
        for item in read_path(path, limits):
            if isinstance(item, ArticleRecord):
                found.records.append(item)
                read += 1
            elif isinstance(item, InputError):
                found.failed.append(item)
                errors.append(item.reason)
        outcome = "ingested" if read else "failed"
        outcomes.append((digest, source.name, str(path), outcome, "; ".join(errors) or None))
        if state is not None and read and not errors:
            seen.append(SeenFile(state, read, source.name))

    def remember(con: Transaction, now: datetime) -> None:
        source_rows.remember_files(con, outcomes, now)
        file_rows.remember_seen_files(con, seen, now)

    found.remember.append(remember)
    return found


# -- feeds and URL lists --------------------------------------------------------------------------


def collect_feed(
    source: SourceConfig,
    store: Store,
    fetcher: Fetcher,
    limits: Limits,
    settings: RecheckSettings,
    *,
    dry_run: bool = False,
) -> Collected:
    """The feed's new entries: fetched conditionally (ETag, Last-Modified); each entry's page
    fetched once and its article extracted (trafilatura), the entry's title and date filling in
    what the page lacks; ``max_links`` a run, in feed order (the rest are read next time)."""
    import feedparser

    found = Collected(source.name, source.type)
    listing = _get_listing(found, source, store, fetcher, settings, dry_run=dry_run)
    if listing is None:
        return found
    page, delay = listing
    parsed = feedparser.parse(page.body)
    entries = list(parsed.get("entries") or [])
    feed_title = (parsed.get("feed") or {}).get("title")
    wanted = []
    for entry in entries:
        link = entry.get("link")
        if not link:
            continue
        defaults = {
            "title": entry.get("title"),
            "published": entry.get("published") or entry.get("updated"),
            "url": link,
            "source": feed_title or source.name,
        }
        wanted.append((link, defaults))
    if parsed.get("bozo") and not wanted:  # broken XML that left nothing usable
        reason = f"not an RSS or Atom feed: {parsed.get('bozo_exception') or 'unreadable'}"
        found.error = " ".join(str(reason).split())[:200]
        found.remember.append(_listing_memory(source, page, "failed", found.error))
        return found
    found.checked = len(wanted)
    with store.read() as con:
        states = source_rows.url_states(con, [link for link, _ in wanted])
    due = [(link, defaults) for link, defaults in wanted if _due(states.get(link), settings)]
    _fetch_pages(found, source, store, fetcher, limits, settings, due[: source.max_links], delay)
    found.remember.append(_listing_memory(source, page, "ok", None))
    return found


def _get_listing(
    found: Collected,
    source: SourceConfig,
    store: Store,
    fetcher: Fetcher,
    settings: RecheckSettings,
    *,
    dry_run: bool,
) -> tuple[Fetched, float] | None:
    """A feed or index page and the source's delay, fetched with the ETag and Last-Modified it
    gave last time; ``None`` (with the outcome remembered) when there is nothing to read."""
    url = source.url
    assert url is not None
    if dry_run:
        found.would_read = [url]
        return None
    with store.read() as con:
        etag, modified = source_rows.feed_state(con, source.name)
    delay = settings.delay if source.delay is None else source.delay
    try:
        page = fetcher.get(
            url,
            etag=etag,
            last_modified=modified,
            delay=delay,
            allow_private=source.allow_private,
            user_url=True,  # written in claimtrack.toml
        )
    except FetchError as error:
        found.error = error.reason
        found.remember.append(_feed_memory(source, url, etag, modified, "failed", error.reason))
        return None
    if page.not_modified:
        found.remember.append(_feed_memory(source, url, etag, modified, "not_modified", None))
        return None
    return page, delay


def _listing_memory(
    source: SourceConfig, page: Fetched, outcome: str, error: str | None
) -> Remember:
    assert source.url is not None
    if outcome == "failed":  # unreadable: no validators, so that the next run reads it again
        return _feed_memory(source, source.url, None, None, outcome, error)
    return _feed_memory(source, source.url, page.etag, page.last_modified, outcome, error)


def _feed_memory(
    source: SourceConfig,
    url: str,
    etag: str | None,
    modified: str | None,
    outcome: str,
    error: str | None,
) -> Remember:
    def remember(con: Transaction, now: datetime) -> None:
        source_rows.remember_feed(
            con,
            source=source.name,
            url=url,
            etag=etag,
            last_modified=modified,
            outcome=outcome,
            error=error,
            now=now,
        )

    return remember


def collect_url_list(
    source: SourceConfig,
    store: Store,
    fetcher: Fetcher,
    limits: Limits,
    settings: RecheckSettings,
    *,
    dry_run: bool = False,
) -> Collected:
    """The pages listed in a text file (one URL a line; blank lines and # comments skipped) that
    were not fetched before."""
    found = Collected(source.name, source.type)
    path = source.path
    assert path is not None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        found.error = f"{path}: cannot read: {getattr(error, 'strerror', None) or error}"
        return found
    wanted = []
    for number, line in enumerate(lines, start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not url.startswith(("http://", "https://")):
            found.failed.append(InputError(str(path), f"not an http(s) URL: {url[:100]!r}", number))
            continue
        wanted.append((url, {"url": url}))
    found.checked = len(wanted)
    delay = settings.delay if source.delay is None else source.delay
    if dry_run:
        with store.read() as con:
            states = source_rows.url_states(con, [u for u, _ in wanted])
        found.would_read = [u for u, _ in wanted if _due(states.get(u), settings)]
        return found
    _fetch_pages(found, source, store, fetcher, limits, settings, wanted, delay, user_urls=True)
    return found


def collect_index(
    source: SourceConfig,
    store: Store,
    fetcher: Fetcher,
    limits: Limits,
    settings: RecheckSettings,
    *,
    dry_run: bool = False,
) -> Collected:
    """The new articles an HTML index page links to (a site without a feed): the page fetched
    conditionally like a feed, its links to the same site read with courlan (navigation pages,
    files that are not pages, logins left out) and, when the source has ``links``, kept only if
    they match it; each new link fetched once and its article extracted, ``max_links`` a run."""
    import re

    found = Collected(source.name, source.type)
    listing = _get_listing(found, source, store, fetcher, settings, dry_run=dry_run)
    if listing is None:
        return found
    page, delay = listing
    html = page.body.decode("utf-8", errors="replace")
    pattern = re.compile(source.links) if source.links else None
    links = [
        link
        for link in _article_links(html, page.url or str(source.url))
        if pattern is None or pattern.search(link)
    ]
    found.checked = len(links)
    with store.read() as con:
        states = source_rows.url_states(con, links)
    wanted = [(link, {"url": link}) for link in links if _due(states.get(link), settings)]
    _fetch_pages(found, source, store, fetcher, limits, settings, wanted[: source.max_links], delay)
    found.remember.append(_listing_memory(source, page, "ok", None))
    return found


def _article_links(html: str, page_url: str) -> list[str]:
    """The links of an index page that may be articles of the same site, in page order.

    courlan's own filters are not used whole: they refuse hosts without a public domain
    (``127.0.0.1``, an intranet name), so the links are read unfiltered and its URL checks
    applied one by one."""
    from urllib.parse import urlsplit

    from courlan import extract_links, is_navigation_page, is_not_crawlable
    from courlan.filters import extension_filter

    host = urlsplit(page_url).netloc
    links = {
        link.split("#", 1)[0]
        for link in extract_links(html, url=page_url, no_filter=True)
        if urlsplit(link).netloc == host
    }
    kept = {
        link
        for link in links
        if link.rstrip("/") != page_url.rstrip("/")
        and extension_filter(link)
        and not is_navigation_page(link)
        and not is_not_crawlable(link)
    }
    return _in_page_order(html, kept)


def _in_page_order(html: str, links: set[str]) -> list[str]:
    """``links`` in the order the page first mentions them (the newest first on most index
    pages), those it does not mention verbatim (made absolute) last, sorted."""
    from urllib.parse import urlsplit

    def position(link: str) -> int:
        parts = urlsplit(link)
        forms = (link, parts.path + (f"?{parts.query}" if parts.query else ""))
        found = [
            at for form in forms for quote in "\"'" if (at := html.find(f"{quote}{form}")) >= 0
        ]
        return min(found, default=len(html))

    return sorted(links, key=lambda link: (position(link), link))


def _due(state: tuple[str, int] | None, settings: RecheckSettings) -> bool:
    """A page not fetched yet, or one that failed fewer than ``max_attempts`` times."""
    if state is None:
        return True
    outcome, attempts = state
    return outcome == "failed" and attempts < settings.max_attempts


def _fetch_pages(
    found: Collected,
    source: SourceConfig,
    store: Store,
    fetcher: Fetcher,
    limits: Limits,
    settings: RecheckSettings,
    wanted: list[tuple[str, dict[str, Any]]],
    delay: float,
    *,
    user_urls: bool = False,
) -> None:
    """Fetch each wanted page and extract its article. ``user_urls``: the user wrote these URLs
    (a URL list), so they may be private addresses; links found in a feed or an index page may
    be so only when the source allows it."""
    with store.read() as con:
        states = source_rows.url_states(con, [url for url, _ in wanted])
    fetched: list[tuple[str, str, str, str | None]] = []
    for url, defaults in wanted:
        state = states.get(url)
        if not _due(state, settings):
            continue
        try:
            page = fetcher.get(
                url, delay=delay, allow_private=source.allow_private, user_url=user_urls
            )
        except FetchError as error:
            attempts = (state[1] if state else 0) + 1
            outcome = "gave_up" if attempts >= settings.max_attempts else "failed"
            reason = error.reason + (
                f" (gave up after {attempts} attempts)" if outcome == "gave_up" else ""
            )
            found.failed.append(InputError(url, reason))
            fetched.append((url, source.name, outcome, error.reason))
            continue
        errors = []
        for item in html_records(page.body, url, page.url, limits, defaults=defaults):
            if isinstance(item, ArticleRecord):
                found.records.append(item)
            elif isinstance(item, InputError):
                found.failed.append(item)
                errors.append(item.reason)
        # a page without article text is not fetched again: it would say the same next time
        fetched.append(
            (url, source.name, "ingested" if not errors else "gave_up", "; ".join(errors) or None)
        )

    def remember(con: Transaction, now: datetime) -> None:
        source_rows.remember_urls(con, fetched, now)

    found.remember.append(remember)
