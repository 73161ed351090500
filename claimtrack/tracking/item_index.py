"""The item index kept beside the database, updated with what was stored since its last update.

A tracking run used to build its BM25 index from every stored item (33 s and 3 GB at 858k
items); now it opens ``<db>.index/`` (memory-mapped numpy arrays: a few hundred milliseconds
whatever the size) and adds only the items stored since, as a new segment
(:class:`~claimtrack.tracking.retrieval.Segment`). Items that became restatements of earlier
ones (``item_links``) are marked dead. A whole build indexes the items page by page and merges the
pages into one segment; the segments added later are merged once there are more than
:data:`SMALL_SEGMENTS` of them.

Layout::

    <db>.index/CURRENT                 the name of the current generation (replaced atomically)
    <db>.index/g-<n>-<token>/meta.json its segments, counts, the last item and link it saw
    <db>.index/g-<n>-<token>/dead.npy  positions no longer indexed
    <db>.index/segments/<name>/*.npy   a segment's arrays, written once, never changed

Every write goes to a temporary folder that is renamed into place, and ``CURRENT`` is replaced by
``os.replace``: a reader (another claimtrack process) sees the old generation or the new one,
never half of one. Two processes updating at once each write a generation of their own; the last
rename wins and both are whole. Generations and segments older than the one before the current
are removed. The database is only read (DuckDB's one writer is never taken).

Rebuilt from the items table when missing, unreadable, of another format (the words it indexes
are made another way), or when its item count no longer matches the database's; a rebuild of an
index that was there says why on stderr, once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from claimtrack.store import Store
from claimtrack.store import trackings as rows
from claimtrack.tracking import retrieval
from claimtrack.tracking.retrieval import ItemIndex, Segment, indexed_item, merged

FORMAT = 1  # bump when the arrays change meaning
# items stored this long before the last one the index saw are read again (and skipped when
# indexed already): a writer takes its timestamp before its transaction commits
MARGIN = timedelta(minutes=10)
SEGMENT_ITEMS = 100_000  # items read and indexed at a time by a whole build (then merged)
SMALL_SEGMENTS = 4  # more segments than this after the first are merged

Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"claimtrack: {message}", file=sys.stderr)


def fingerprint() -> str:
    """What the index's words depend on: its format, stopwords, word pattern, BM25 constants."""
    material = json.dumps(
        [FORMAT, sorted(retrieval.STOPWORDS), retrieval._WORD.pattern, retrieval.K1, retrieval.B]
    )
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def index_folder(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".index")


class Unusable(Exception):
    """The persisted index cannot be used as it is (the reason is the message)."""


@dataclass
class Persisted:
    """An opened generation: its index, the names of its segments, what it last saw."""

    index: ItemIndex
    names: list[str]
    last_item: datetime | None
    last_link: datetime | None
    saved: bool = True  # False: built here, not yet a generation on disk
    # one value from a build to the next: the positions of two indexes of one lineage agree
    lineage: str = ""


@dataclass
class IndexUpdate:
    """What opening the index did (for the tracking report and the benchmarks)."""

    added: int = 0
    restated: int = 0
    rebuilt: str | None = None  # why it was built from the items table, if it was
    lineage: str = ""  # :attr:`Persisted.lineage`


def open_index(store: Store, warn: Warn = _stderr) -> tuple[ItemIndex, IndexUpdate]:
    """The index of ``store``'s items, brought up to date (built when it is missing or unusable;
    kept in memory only when its folder cannot be written)."""
    folder = index_folder(store.path)
    update = IndexUpdate()
    try:
        persisted = load(folder)
    except Unusable as error:
        update.rebuilt = str(error)
        warn(f"the item index {folder} {error}; building it again from the items")
        persisted = None
    if persisted is None:
        update.rebuilt = update.rebuilt or "missing"
        persisted = _build(store, folder)
    try:
        return _updated(store, folder, persisted, update), update
    except Unusable as error:
        warn(f"the item index {folder} {error}; building it again from the items")
        update.rebuilt = str(error)
        update.added = update.restated = 0
        return _updated(store, folder, _build(store, folder), update), update


def _updated(store: Store, folder: Path, persisted: Persisted, update: IndexUpdate) -> ItemIndex:
    """``persisted`` with the items and links stored since it was saved (saved if it changed).

    Items and links stored at or after the last ones it saw are read first; when the count
    then differs from the database's (a writer's transaction committed late, with an earlier
    timestamp), those of the last :data:`MARGIN` before them are read too; when it still
    differs, :class:`Unusable` is raised."""
    index = persisted.index
    segments, names = list(index.segments), list(persisted.names)
    dead = np.array(index.dead, dtype=bool)
    fresh = newly_dead = 0
    for margin in (timedelta(0), MARGIN):
        with store.read() as con:
            state = rows.index_state(con)
            ids = rows.indexed_item_ids_since(con, _before(persisted.last_item, margin))
            new_rows = rows.indexed_items_by_id(con, _unknown(segments, ids))
            restated = rows.restated_since(con, _before(persisted.last_link, margin))
        if new_rows:
            size = sum(len(segment) for segment in segments)
            segments.append(Segment.of_items([indexed_item(row) for row in new_rows], size))
            names.append("")  # not saved yet
            dead = np.concatenate([dead, np.zeros(len(new_rows), bool)])
            fresh += len(new_rows)
        positions = _positions(segments, restated)
        newly_dead += int((~dead[positions]).sum())
        dead[positions] = True
        if len(dead) - int(dead.sum()) == state.indexed:
            break
    else:
        live = len(dead) - int(dead.sum())
        raise Unusable(f"holds {live} items where the database has {state.indexed}")
    update.added += fresh
    update.restated += newly_dead
    update.lineage = persisted.lineage
    unchanged = (
        persisted.saved
        and not fresh
        and not newly_dead
        and (state.last_item, state.last_link) == (persisted.last_item, persisted.last_link)
    )
    if unchanged:
        return index
    segments, names = _compacted(segments, names)
    saved = Persisted(
        ItemIndex.of_segments(segments, dead),
        names,
        state.last_item,
        state.last_link,
        lineage=persisted.lineage,
    )
    try:
        return save(folder, saved).index
    except OSError as error:
        _stderr(f"could not save the item index {folder} ({error}); it is kept in memory")
        return saved.index


def _before(moment: datetime | None, margin: timedelta) -> datetime | None:
    return None if moment is None else moment - margin


def _found(segments: Sequence[Segment], ids: Sequence[str]) -> np.ndarray:
    """For each of ``ids``, its position in ``segments`` (-1: not there)."""
    wanted = np.array(ids, dtype=str)
    found = np.full(len(wanted), -1, np.int64)
    for segment in segments:
        if not len(segment) or not len(wanted):
            continue
        at = np.searchsorted(segment.ids, wanted, sorter=segment.id_order)
        rows = np.asarray(segment.id_order)[np.minimum(at, len(segment) - 1)]
        here = np.asarray(segment.ids)[rows] == wanted
        found[here] = segment.first + rows[here]
    return found


def _unknown(segments: Sequence[Segment], ids: Sequence[str]) -> list[str]:
    return [item_id for item_id, at in zip(ids, _found(segments, ids), strict=True) if at < 0]


def _positions(segments: Sequence[Segment], ids: Sequence[str]) -> np.ndarray:
    found = _found(segments, ids)
    return found[found >= 0]


def _compacted(segments: list[Segment], names: list[str]) -> tuple[list[Segment], list[str]]:
    """Fewer segments (each word costs a lookup in every one): past :data:`SMALL_SEGMENTS`
    after the first, those are merged into one, or all into one when they hold a quarter as
    many items as the first."""
    if len(segments) <= 1 + SMALL_SEGMENTS:
        return segments, names
    later = sum(len(segment) for segment in segments[1:])
    if later * 4 >= len(segments[0]):
        return [merged(segments)], [""]
    return [segments[0], merged(segments[1:])], [names[0], ""]


def _build(store: Store, folder: Path) -> Persisted:
    """The index of every item, read page by page (each page one short read), saved segment by
    segment as it goes; what the pages missed is added by the update that follows."""
    with store.read() as con:
        state = rows.index_state(con)
    segments: list[Segment] = []
    names: list[str] = []
    after: str | None = None
    first = 0
    while True:
        with store.read() as con:
            page = rows.indexed_items_page(con, after, SEGMENT_ITEMS)
        if not page:
            break
        segment = Segment.of_items([indexed_item(row) for row in page], first)
        try:
            name = _save_segment(folder, segment)
            segment = _load_segment(folder / "segments" / name, first)
        except OSError:
            name = ""
        segments.append(segment)
        names.append(name)
        first += len(segment)
        after = page[-1].id
    if len(segments) > 1:  # one segment: a word is looked up once
        segments, names = [merged(segments)], [""]
    dead = np.zeros(first, bool)
    # the state read before the pages: what was stored meanwhile is read again by the update
    return Persisted(
        ItemIndex.of_segments(segments, dead),
        names,
        state.last_item,
        None,
        saved=False,
        lineage=uuid.uuid4().hex,
    )


# -- files ----------------------------------------------------------------------------------------


def load(folder: Path, attempts: int = 3) -> Persisted | None:
    """The current generation in ``folder`` (None when there is none); raises :class:`Unusable`
    when it cannot be read or is of another format. A generation removed by another process
    between reading ``CURRENT`` and opening it is looked up again."""
    for attempt in range(attempts):
        try:
            current = (folder / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        try:
            return _load_generation(folder, current)
        except FileNotFoundError as error:
            if attempt == attempts - 1:
                raise Unusable(f"is missing a file ({error.filename})") from error
        except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError) as error:
            raise Unusable(f"cannot be read ({type(error).__name__}: {error})") from error
    return None


def _load_generation(folder: Path, name: str) -> Persisted:
    meta: dict[str, Any] = json.loads((folder / name / "meta.json").read_text(encoding="utf-8"))
    if meta.get("fingerprint") != fingerprint():
        raise Unusable("was made by another version of claimtrack")
    segments = []
    first = 0
    for entry in meta["segments"]:
        segment = _load_segment(folder / "segments" / entry["name"], first)
        if len(segment) != entry["count"]:
            raise ValueError(f"segment {entry['name']} holds {len(segment)} items")
        segments.append(segment)
        first += len(segment)
    dead = np.load(folder / name / "dead.npy")
    if dead.shape != (first,) or meta["items"] != first:
        raise ValueError(f"{len(dead)} dead flags for {first} items")
    return Persisted(
        ItemIndex.of_segments(segments, np.asarray(dead, dtype=bool)),
        [entry["name"] for entry in meta["segments"]],
        _moment(meta["last_item"]),
        _moment(meta["last_link"]),
        lineage=str(meta["lineage"]),
    )


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _load_segment(path: Path, first: int) -> Segment:
    # plain arrays over the mapping: np.memmap's own indexing costs a Python call per slice
    arrays = {
        name: np.load(path / f"{name}.npy", mmap_mode="r").view(np.ndarray)
        for name in Segment.ARRAYS
    }
    segment = Segment(first=first, **arrays)
    size = len(segment.ids)
    columns = (segment.kinds, segment.article_ids, segment.days, segment.seqs, segment.times,
               segment.lengths, segment.id_order)  # fmt: skip
    if any(len(column) != size for column in columns):
        raise ValueError(f"segment {path.name}: columns of unequal length")
    if segment.term_starts[-1] != len(segment.positions) != len(segment.counts):
        raise ValueError(f"segment {path.name}: postings cut short")
    if segment.name_starts[-1] != len(segment.name_positions):
        raise ValueError(f"segment {path.name}: names cut short")
    return segment


def _save_segment(folder: Path, segment: Segment) -> str:
    name = f"s{segment.first:09d}-{len(segment)}-{uuid.uuid4().hex[:8]}"
    target = folder / "segments" / name
    scratch = folder / "segments" / f".tmp-{name}"
    scratch.mkdir(parents=True)
    for array in Segment.ARRAYS:
        np.save(scratch / f"{array}.npy", np.asarray(getattr(segment, array)))
    scratch.rename(target)
    return name


def save(folder: Path, persisted: Persisted) -> Persisted:
    """Write ``persisted`` as a new generation (its unsaved segments first), make it current,
    and return it as read back (memory-mapped)."""
    index = persisted.index
    names = [
        name or _save_segment(folder, segment)
        for name, segment in zip(persisted.names, index.segments, strict=True)
    ]
    generation = f"g-{datetime.now().strftime('%Y%m%d%H%M%S%f')}-{uuid.uuid4().hex[:8]}"
    scratch = folder / f".tmp-{generation}"
    scratch.mkdir(parents=True)
    np.save(scratch / "dead.npy", np.asarray(index.dead, dtype=bool))
    meta = {
        "format": FORMAT,
        "fingerprint": fingerprint(),
        "items": index.size,
        "segments": [
            {"name": name, "count": len(segment)}
            for name, segment in zip(names, index.segments, strict=True)
        ],
        "last_item": _iso(persisted.last_item),
        "last_link": _iso(persisted.last_link),
        "lineage": persisted.lineage,
    }
    (scratch / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    scratch.rename(folder / generation)
    previous = _current(folder)
    pointer = folder / f".tmp-CURRENT-{uuid.uuid4().hex[:8]}"
    pointer.write_text(generation, encoding="utf-8")
    pointer.replace(folder / "CURRENT")
    _remove_old(folder, keep={generation, previous} - {None})
    return _load_generation(folder, generation)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _current(folder: Path) -> str | None:
    try:
        return (folder / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def _remove_old(folder: Path, keep: set[str | None]) -> None:
    """Generations other than ``keep`` and segments none of ``keep`` uses, once older than
    :data:`MARGIN` (another process may have just written them for a generation of its own;
    best effort: it may be removing them too). Leftovers of killed writes go the same way."""
    used: set[str] = set()
    for generation in keep:
        try:
            meta = json.loads((folder / str(generation) / "meta.json").read_text("utf-8"))
            used.update(entry["name"] for entry in meta["segments"])
        except (OSError, ValueError, KeyError):
            return  # cannot tell what is in use: remove nothing
    stale = datetime.now().timestamp() - MARGIN.total_seconds()
    for path in [*folder.glob("g-*"), *folder.glob(".tmp-*"), *folder.glob("segments/*")]:
        if path.name in keep or path.name in used:
            continue
        try:
            if path.stat().st_mtime < stale:
                shutil.rmtree(path, ignore_errors=True)
        except FileNotFoundError:
            continue
