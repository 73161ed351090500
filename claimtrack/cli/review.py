"""``claimtrack review``: the keyboard-driven review queue (the Textual app is imported lazily)."""

from __future__ import annotations

import sys

import click

from claimtrack.cli.app import AppContext, pass_app
from claimtrack.config import current_user
from claimtrack.errors import UsageError
from claimtrack.services import sessions
from claimtrack.store.review import ProposalFilter


@click.command(short_help="The review queue: decide proposals with one key each.")
@click.option(
    "--refresh-every",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds between automatic re-reads of the queue (0: only on ctrl+r).",
)
@click.option(
    "--since",
    metavar="last|DATE",
    help="Only proposals made since your last review ('last') or since a date "
    "(2026-01-09, 2026-01-09T14:08; local time unless a zone is given).",
)
@pass_app
def review(app: AppContext, refresh_every: float, since: str | None) -> None:
    """Open the keyboard-driven review queue of proposed status changes.

    Each proposal shows the item (speaker, text, current status, its quote in its paragraph) beside
    the new evidence (the later article's quote in its paragraph), the proposed change and the
    item's timeline.

    \b
    Keys (also in the footer and under ?):
      a accept and next   r reject (a note)   s skip   u undo
      e accept as another relation (1-9), with a note      n note on the item
      j/k or arrows move  / filter (story, ...)   tab switch pane   t sort
      o open the article's URL   w whole article   i item   g story   h history
      ctrl+r refresh      ctrl+p command palette (export, recheck now, ...)   q quit

    Proposals made since your last session (its end, or your last decision) are marked ●;
    --since last shows only those.

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

    actor = current_user()
    last_seen = sessions.last_review(app.store, actor)
    query = ProposalFilter(since=sessions.since_moment(app.store, since, actor)) if since else None
    session = sessions.start_review(app.store, actor)
    try:
        ReviewApp(
            app.store,
            actor=actor,
            refresh_every=refresh_every or None,
            query=query,
            last_seen=last_seen,
            settings=app.settings,
        ).run()
    finally:
        sessions.end_review(app.store, session)
