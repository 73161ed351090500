"""One recheck at a time per database: an exclusive ``flock`` on ``<db>.recheck.lock``.

A second ``claimtrack recheck`` started while one runs waits for it (up to the lock timeout) and
then does what is left, or exits 75 so that the scheduler tries again later. The lock is the
kernel's: it goes away with the process, even after ``kill -9``, so a crashed run never leaves a
stale lock behind. The file holds the holder's PID, for the message.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from claimtrack.errors import EXIT_TEMPFAIL, ClaimtrackError


class RecheckBusy(ClaimtrackError):
    """Another recheck held the database past the wait."""

    exit_code = EXIT_TEMPFAIL


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".recheck.lock")


@contextmanager
def recheck_lock(db: Path, timeout: float) -> Iterator[None]:
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    who = f" (PID {holder})" if holder.isdigit() else ""
                    raise RecheckBusy(
                        f"another recheck{who} is working on {db}; gave up after "
                        f"{timeout:.0f}s. The scheduler's next run will do what is left."
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
