"""The command line: ``claimtrack`` and ``python -m claimtrack``.

One module per command or command group, named after it; ``app`` holds the root group (which
imports each command module only when that command is used: ``app.COMMANDS``) and ``options``
the options and messages several commands share. Command modules import those two and the
services, never one another.
"""

from claimtrack.cli.app import cli


def main() -> None:
    cli(prog_name="claimtrack")


__all__ = ["cli", "main"]
