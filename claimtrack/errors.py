"""One exception root for everything claimtrack reports to a user.

The command line turns a :class:`ClaimtrackError` into one line on stderr and its ``exit_code``; the
review UI shows it as a notification. Exit codes follow ``CONTRACT.md``: 1 some inputs failed,
2 usage error (or a capability that has not landed yet), 75 temporary failure worth retrying later.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_TEMPFAIL = 75  # sysexits.h EX_TEMPFAIL: a scheduler should try again later


class ClaimtrackError(Exception):
    """An error with a message fit to show a user as it is."""

    exit_code = EXIT_INPUT_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ClaimtrackError):
    """The command was called wrongly (unknown id, bad option value)."""

    exit_code = EXIT_USAGE


class NotAvailableYet(UsageError):
    """A command whose capability lands with a later issue."""

    def __init__(self, command: str, capability: str) -> None:
        super().__init__(
            f"'{command}' is not available yet: {capability} has not been built. "
            "See CHANGELOG.md for what works today."
        )
        self.command = command


class DatabaseLocked(ClaimtrackError):
    """Another process held the database for longer than the retry budget."""

    exit_code = EXIT_TEMPFAIL

    def __init__(self, path: str, waited: float, holder: str | None) -> None:
        who = f" by {holder}" if holder else " by another process"
        super().__init__(
            f"database {path} is locked{who}; gave up after {waited:.0f}s. "
            "Try again when it is free (set CLAIMTRACK_LOCK_TIMEOUT to wait longer)."
        )
        self.path = path
        self.waited = waited
        self.holder = holder


class DatabaseError(ClaimtrackError):
    """The database file cannot be opened or is not a claimtrack database."""


class InputError(ClaimtrackError):
    """One input (a file, a line of a file, a record) could not be used.

    Raised and caught per input: the rest of the work goes on.
    """

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
