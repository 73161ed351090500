"""Opening the DuckDB file for one unit of work, and waiting politely for another process's lock.

DuckDB lets one process write a file, and any open handle in another process (even read-only)
blocks that writer. So claimtrack never keeps the file open longer than one unit of work, and a
process that meets someone else's lock retries with backoff for ``lock_timeout`` seconds before
giving up with :class:`~claimtrack.errors.DatabaseLocked` (exit 75: a scheduler tries again later).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

import duckdb
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_delay,
    wait_exponential_jitter,
)

from claimtrack.errors import DatabaseError, DatabaseLocked
from claimtrack.store import migrations

# What ``Store.read()`` and ``Store.write()`` yield: one unit of work's connection. Outside the
# store it is only handed to store functions (nothing outside ``claimtrack.store`` runs SQL).
Transaction: TypeAlias = duckdb.DuckDBPyConnection

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.+?) \(PID (?P<pid>\d+)\)")

# What DuckDB says of a file that is cut short or overwritten (its own words, version 1.x-2.x)
_DAMAGE = re.compile(
    r"Could not read enough bytes|not a valid DuckDB database file|Corrupt database file"
    r"|does not match stored checksum",
    re.IGNORECASE,
)


def is_lock_error(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "Could not set lock" in str(error)


def lock_holder(error: BaseException) -> str | None:
    match = _LOCK_HOLDER.search(str(error))
    if not match:
        return None
    return f"PID {match['pid']} ({Path(match['exe']).name})"


def is_damage_error(error: BaseException) -> bool:
    return isinstance(error, duckdb.Error) and bool(_DAMAGE.search(str(error)))


def damaged(path: Path, detail: str) -> DatabaseError:
    """The one line for a damaged file: which, why, and what to do."""
    detail = " ".join(detail.split())[:200]
    return DatabaseError(
        f"cannot open database {path}: the file is damaged ({detail}); restore it from a "
        "backup, or move it aside so that claimtrack starts a new one"
    )


def _check_length(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file too short to hold the blocks in use its header counts (a copy or a disk
    cut short): DuckDB opens it and fails only on reading a missing block, after a write may
    have gone in. (Free blocks at the end are cut off by DuckDB itself: only used ones count.)"""
    row = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
    if row is None:
        return
    block_size, used_blocks = int(row[0]), int(row[1])
    size = path.stat().st_size
    if size < block_size * used_blocks:
        raise damaged(
            path, f"{size:,} bytes, too short for the {used_blocks} blocks its header counts"
        )


class Store:
    """The claimtrack database at ``path``: hands out short-lived connections.

    >>> store = Store(Path("claimtrack.duckdb"))
    >>> with store.write() as tx:   # one transaction; committed on success, rolled back on error
    ...     items.save_extractions(tx, batch, now)
    >>> with store.read() as tx:    # read-only handle, closed at the end of the block
    ...     items.list_items(tx)

    The :data:`Transaction` is passed only to functions of ``claimtrack.store``.
    """

    def __init__(self, path: Path, lock_timeout: float = 30.0) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self._migrated = False

    def _open_for_writing(self) -> duckdb.DuckDBPyConnection:
        con = self._open(read_only=False)
        # Each short-lived connection checkpoints when it closes; by default the checkpoint then
        # merges the small row groups that every batch leaves into ever larger ones, which made
        # ingest time and peak memory grow with the corpus (10k articles: 8.0 s, 222 MiB; 30k:
        # 27.6 s, 367 MiB; without merging 5.2 s, 168 MiB and 15.8 s, 185 MiB). claimtrack never
        # deletes rows, and queries over the unmerged row groups measured no slower.
        con.execute("SET max_vacuum_tasks = 0")
        return con

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        """Connect, retrying on another process's lock until the budget is spent."""
        started = time.monotonic()
        retrying = Retrying(
            retry=retry_if_exception(is_lock_error),
            stop=stop_after_delay(self.lock_timeout),
            wait=wait_exponential_jitter(multiplier=0.05, max=1.0, jitter=0.05),
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return duckdb.connect(str(self.path), read_only=read_only)
        except RetryError as error:
            last = error.last_attempt.exception()
            raise DatabaseLocked(
                str(self.path), time.monotonic() - started, lock_holder(last) if last else None
            ) from last
        except duckdb.Error as error:
            if is_damage_error(error):
                raise damaged(self.path, str(error)) from error
            raise DatabaseError(f"cannot open database {self.path}: {error}") from error
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover

    def ensure_schema(self) -> None:
        """Create the file and apply pending migrations (once per Store)."""
        if self._migrated:
            return
        if self.path.exists():
            con = self._open(read_only=True)
            try:
                _check_length(con, self.path)
                version = migrations.current_version(con)
            except duckdb.Error as error:
                if is_damage_error(error):
                    raise damaged(self.path, str(error)) from error
                raise
            finally:
                con.close()
            if version > migrations.LATEST_VERSION:
                raise DatabaseError(
                    f"database {self.path} is at schema version {version}, newer than this "
                    f"claimtrack knows ({migrations.LATEST_VERSION}); upgrade claimtrack"
                )
            if version == migrations.LATEST_VERSION:
                self._migrated = True
                return
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                where = error.filename or self.path.parent
                raise DatabaseError(
                    f"cannot create database {self.path}: {where}: {error.strerror or error}"
                ) from error
        con = self._open_for_writing()
        try:
            migrations.migrate(con)
        finally:
            con.close()
        self._migrated = True

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A read-write connection in one transaction, closed when the block ends."""
        self.ensure_schema()
        con = self._open_for_writing()
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException as error:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    if not is_damage_error(error):
                        raise
                self._refuse_if_damaged(error)
                raise
            con.execute("COMMIT")
        except duckdb.Error as error:
            self._refuse_if_damaged(error)
            raise
        finally:
            con.close()

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A read-only connection, closed when the block ends."""
        self.ensure_schema()
        con = self._open(read_only=True)
        try:
            yield con
        except duckdb.Error as error:
            self._refuse_if_damaged(error)
            raise
        finally:
            con.close()

    def _refuse_if_damaged(self, error: BaseException) -> None:
        """A block that cannot be read in the middle of the work: the damaged-file line instead
        of DuckDB's traceback (other errors go on as they are)."""
        if is_damage_error(error):
            raise damaged(self.path, str(error)) from error
