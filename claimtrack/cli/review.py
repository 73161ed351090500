"""``claimtrack review``: the keyboard-driven review queue (the Textual app is imported lazily)."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.app import AppContext, pass_app
from claimtrack.cli.options import current_user
from claimtrack.errors import UsageError


@click.command(short_help="The review queue: decide proposals with one key each.")
@click.option(
    "--refresh-every",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds between automatic re-reads of the queue (0: only on ctrl+r).",
)
@pass_app
def review(app: AppContext, refresh_every: float) -> None:
    """Open the keyboard-driven review queue of proposed status changes.

    Each proposal shows the item (speaker, text, current status, its quote in its paragraph) beside
    the new evidence (the later article's quote in its paragraph), the proposed change and the
    item's timeline.

    \b
    Keys (also in the footer and under ?):
      a accept and next   r reject   s skip   e edit (another status, a note)   u undo
      j/k or arrows move  / filter   tab switch pane   o whole article   i item   t sort
      ctrl+r refresh      ctrl+p command palette (history, all items, export)   q quit

    Decisions are saved as they are made, each in its own short transaction, and the database is
    not held while the queue waits for a key: 'claimtrack recheck' can run in another terminal,
    and its proposals appear on refresh. Decided as $CLAIMTRACK_USER (else your login name).
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "'claimtrack review' needs a terminal; use 'claimtrack proposals' in scripts"
        )
    path = app.settings.db
    if not path.exists():
        raise UsageError(f"no database at {path}: run 'claimtrack run PATH' first (or give --db)")
    app.store.ensure_schema()
    from claimtrack.review.app import ReviewApp

    ReviewApp(app.store, actor=current_user(), refresh_every=refresh_every or None).run()
