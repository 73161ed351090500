"""The command line: ``claimtrack`` and ``python -m claimtrack``.

One module per command family; ``app`` holds the root group and what they share.
"""

from claimtrack.cli import (  # noqa: F401  (registers the commands)
    articles,
    evals,
    export,
    extract,
    ingest,
    recheck,
    review,
    run,
    track,
)
from claimtrack.cli.app import cli


def main() -> None:
    cli(prog_name="claimtrack")


__all__ = ["cli", "main"]
