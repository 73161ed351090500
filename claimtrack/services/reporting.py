"""How a use case tells its caller what is happening without printing anything.

A use case takes plain callables: a bar for each stage's progress, one-line messages (notices,
errors, warnings). The caller decides what to show: the CLI prints lines and draws rich bars,
a test collects them, the review queue may post them to its screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

Progress = Callable[[int, int], None]  # (done, total) after each step of a stage
Message = Callable[[str], None]  # one line for a person


class ProgressBars(Protocol):
    """Opens the progress of one stage ("ingesting", "extracting", "tracking"), fed
    ``(done, total)``: bytes when ``in_bytes``, else articles."""

    def __call__(
        self, label: str, *, in_bytes: bool = False
    ) -> AbstractContextManager[Progress]: ...


def ignore(*_: object) -> None:
    """A callback for what the caller does not want to hear."""


@contextmanager
def no_progress(label: str, *, in_bytes: bool = False) -> Iterator[Progress]:
    """No progress shown: the default of every use case."""
    yield ignore


def report_failed_articles(failed: list[dict[str, str]], on_error: Message) -> None:
    """One line per article that failed: its id and why."""
    for failure in failed:
        on_error(f"article {failure['article_id']}: {failure['error']}")
