"""Ingestion: files and folders in, articles in the store, a report of what happened to each input.

Records are written in batches (one transaction and one connection per batch), so memory stays flat
however large the corpus and the database is free between batches for other processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.articles import ArticleRecord
from claimtrack.errors import InputError
from claimtrack.ingest.readers import (
    InputWarning,
    Limits,
    ReadItem,
    discover,
    html_records,
    is_url,
    read_path,
)
from claimtrack.store import Store, Transaction, utc_now
from claimtrack.store import articles as article_rows
from claimtrack.store import files as file_rows
from claimtrack.store.files import FileState, SeenFile

if TYPE_CHECKING:
    from claimtrack.fetch import Fetcher

__all__ = [
    "IngestReport",
    "InputWarning",
    "Limits",
    "file_state",
    "ingest_paths",
    "ingest_records",
    "unchanged_files",
]


@dataclass
class IngestReport:
    """What one ingest did: counts, the ids it added, and every failure and warning."""

    ingested: int = 0
    duplicates: int = 0
    revisions: int = 0
    unchanged: int = 0  # files not read again: unchanged since read whole (their articles count
    # as duplicates)
    article_ids: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``ingest --json`` shape of CONTRACT.md, plus revisions and warnings."""
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "revisions": self.revisions,
            "unchanged_files": self.unchanged,
            "failed": [{"path": e.path, "line": e.line, "error": e.reason} for e in self.failed],
            "warnings": [
                {"path": w.path, "line": w.line, "warning": w.reason} for w in self.warnings
            ],
        }


class _BatchWriter:
    """Buffers records and writes each batch in one transaction; ``story`` is the story of the
    records that name none (an article already stored without one is given it too)."""

    def __init__(
        self, store: Store, report: IngestReport, batch_size: int, story: str | None = None
    ) -> None:
        self.store = store
        self.report = report
        self.batch_size = batch_size
        self.story = story
        self.pending: dict[str, ArticleRecord] = {}
        self.files: list[SeenFile] = []  # files read whole, recorded with their last records

    def add(self, record: ArticleRecord) -> None:
        if self.story and not record.story:
            record.story = self.story
        if record.id in self.pending:
            self.report.duplicates += 1
            return
        self.pending[record.id] = record
        if len(self.pending) >= self.batch_size:
            self.flush()

    def file_read(self, file: SeenFile) -> None:
        """``file`` was read whole and cleanly: record it when its records are written."""
        self.files.append(file)

    def flush(self) -> None:
        if not self.pending and not self.files:
            return
        batch = list(self.pending.values())
        with self.store.write() as con:
            known = article_rows.known_ids(con, (r.id for r in batch))
            fresh = [r for r in batch if r.id not in known]
            latest = article_rows.latest_by_url(con, (r.url for r in fresh if r.url))
            revision_of: list[str | None] = []
            for record in fresh:
                previous = latest.get(record.url) if record.url else None
                revision_of.append(previous)
                if record.url:
                    latest[record.url] = record.id
            article_rows.insert_articles(con, fresh, revision_of, utc_now())
            _give_stories(con, [r for r in batch if r.id in known])
            file_rows.remember_seen_files(con, self.files, utc_now())
        self.pending.clear()
        self.files.clear()
        self.report.duplicates += len(batch) - len(fresh)
        self.report.ingested += len(fresh)
        self.report.revisions += sum(1 for previous in revision_of if previous)
        self.report.article_ids.extend(r.id for r in fresh)


def _give_stories(con: Transaction, known: Sequence[ArticleRecord]) -> None:
    """Articles read again that now name a story get it, if they had none."""
    by_story: dict[str, list[str]] = {}
    for record in known:
        if record.story:
            by_story.setdefault(record.story, []).append(record.id)
    for story, ids in by_story.items():
        article_rows.give_story(con, ids, story)


def ingest_paths(
    args: Sequence[str],
    store: Store,
    *,
    limits: Limits,
    batch_size: int = 500,
    on_error: Callable[[InputError | InputWarning], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    story: str | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into ``store``.

    ``on_error`` is told of each failure and warning as it happens; ``on_progress`` gets
    (bytes done, bytes in all) after each file, for a progress bar. Bad inputs never stop the run.
    ``story`` is the story of the articles whose record names none.
    """
    report = IngestReport()
    writer = _BatchWriter(store, report, batch_size, story)

    def problem(item: InputError | InputWarning) -> None:
        (report.failed if isinstance(item, InputError) else report.warnings).append(item)  # type: ignore[arg-type]
        if on_error:
            on_error(item)

    files: list[Path] = []
    urls = [arg for arg in args if is_url(arg)]
    if urls:
        for item in fetch_urls(urls, limits):
            if isinstance(item, ArticleRecord):
                writer.add(item)
            else:
                problem(item)
    for arg in args:
        if is_url(arg):
            continue
        for found in discover([arg]):
            if isinstance(found, InputError):
                problem(found)
            else:
                files.append(found)

    unchanged = unchanged_files(store, files, story)
    sizes = [_size(path) for path in files]
    total, done = sum(sizes), 0
    for path, size in zip(files, sizes, strict=True):
        if path in unchanged:
            report.unchanged += 1
            report.duplicates += unchanged[path].records
        else:
            _read_file(path, limits, writer, problem)
        done += size
        if on_progress:
            on_progress(done, total)
    writer.flush()
    return report


def file_state(path: Path) -> FileState | None:
    """Where ``path`` is (absolute) and how it looks now; ``None`` if it cannot be looked at."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return FileState(str(path.absolute()), stat.st_size, stat.st_mtime_ns)


def unchanged_files(store: Store, paths: Sequence[Path], story: str | None) -> dict[Path, SeenFile]:
    """The files among ``paths`` that reading again would add nothing from: read whole before,
    and unchanged since (path, size and modification time); with a ``story``, read with it
    (reading again gives it to their articles that have none)."""
    states = {path: state for path in paths if (state := file_state(path)) is not None}
    with store.read() as con:
        seen = file_rows.seen_files(con, list(states.values()))
    return {
        path: seen[state.path]
        for path, state in states.items()
        if state.path in seen and (story is None or seen[state.path].story == story)
    }


def _read_file(
    path: Path,
    limits: Limits,
    writer: _BatchWriter,
    problem: Callable[[InputError | InputWarning], None],
) -> None:
    """Read one file into ``writer``; a file read with no error or warning is recorded as seen
    (as it looked before it was read: one changed meanwhile is read again next time)."""
    state = file_state(path)
    records, clean = 0, True
    for item in read_path(path, limits):
        if isinstance(item, ArticleRecord):
            writer.add(item)
            records += 1
        else:
            problem(item)
            clean = False
    if state is not None and clean and records:
        writer.file_read(SeenFile(state, records, writer.story))


def ingest_records(
    items: Iterable[ReadItem],
    store: Store,
    *,
    batch_size: int = 500,
    on_error: Callable[[InputError | InputWarning], None] | None = None,
    story: str | None = None,
) -> IngestReport:
    """Write records read elsewhere (a feed, a URL list) as ``ingest_paths`` writes files';
    ``story`` is the story of the records that name none (a recheck source's name)."""
    report = IngestReport()
    writer = _BatchWriter(store, report, batch_size, story)
    for item in items:
        if isinstance(item, ArticleRecord):
            writer.add(item)
        else:
            (report.failed if isinstance(item, InputError) else report.warnings).append(item)  # type: ignore[arg-type]
            if on_error:
                on_error(item)
    writer.flush()
    return report


def fetch_urls(
    urls: Sequence[str], limits: Limits, fetcher: Fetcher | None = None
) -> Iterator[ReadItem]:
    """Fetch each web page and extract its article (trafilatura); one error per failed URL.

    The URLs are the user's own (the command line): each may be on a private address (an
    intranet page, a local server), but a redirect from it to one is refused."""
    from claimtrack.fetch import Fetcher, FetchError

    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for url in urls:
            try:
                page = fetcher.get(url, user_url=True)
            except FetchError as error:
                yield InputError(url, error.reason)
                continue
            yield from html_records(page.body, url, page.url, limits, defaults={"url": page.url})
    finally:
        if own:
            fetcher.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
