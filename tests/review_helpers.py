"""Shared by the review UI tests: a small review database and a Pilot that waits for workers."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from claimtrack.extraction.pipeline import extract_with_rules_backend
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.review.app import ReviewApp
from claimtrack.store import Store
from claimtrack.store import proposals as proposal_rows
from claimtrack.tracking.pipeline import track_with_rules_backend

SIZE = (120, 36)
ACTOR = "user:tester"


def build_review_db(folder: Path, corpus: Path) -> Path:
    """The tracking corpus (finalizes, retracts, triggers, ...) with fixed timestamps, so that
    snapshots do not change with the day they are taken."""
    path = folder / "review.duckdb"
    store = Store(path, lock_timeout=5)
    assert (
        ingest_paths([str(corpus)], store, limits=Limits(max_article_bytes=1_000_000)).failed == []
    )
    assert not extract_with_rules_backend(store).failed
    assert track_with_rules_backend(store).failed == []
    with store.write() as con:
        con.execute("UPDATE item_events SET occurred_at = TIMESTAMP '2026-02-11 09:00:00'")
        con.execute("UPDATE proposals SET created_at = TIMESTAMP '2026-02-11 09:00:00'")
        # the judge's id changes with every edit of the tracking rules: pinned, so that the
        # snapshots change only when the screen does
        con.execute("UPDATE proposals SET prompt_id = 'track-rules@pinned'")
        con.execute(
            "UPDATE item_events SET note = regexp_replace(note, 'rules@[0-9a-f]+', 'rules@pinned')"
        )
        # a story, addresses, and an evidence article timed in its own zone (14:08 +05:30)
        con.execute(
            "UPDATE articles SET story = 'Harbour town', "
            "url = 'https://harbour.example/' || lower(replace(title, ' ', '-'))"
        )
        con.execute(
            "UPDATE articles SET published = TIMESTAMP '2026-02-10 08:38:00', "
            "published_precision = 'time', published_offset = 330 "
            "WHERE title = 'Bridge contract signed'"
        )
    return path


def copy_db(source: Path, folder: Path) -> Store:
    target = folder / "t-review.duckdb"
    shutil.copy(source, target)
    return Store(target, lock_timeout=1)


def make_app(store: Store, **options: Any) -> ReviewApp:
    return ReviewApp(store, actor=ACTOR, refresh_every=None, **options)


async def settle(pilot: Pilot[Any]) -> None:
    """Until no worker runs and every message they posted is handled (no sleeping)."""
    app = pilot.app
    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # superseded by a newer load: expected
            continue
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return


async def press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def state_of(store: Store, proposal_id: str) -> proposal_rows.ProposalRow:
    with store.read() as con:
        return proposal_rows.get_proposal(con, proposal_id)


def all_states(store: Store) -> dict[str, str]:
    with store.read() as con:
        return {p.id: p.state for p in proposal_rows.list_proposals(con)}


def run_app(
    store: Store,
    scenario: Callable[[ReviewApp, Pilot[Any]], Awaitable[None]],
    *,
    size: tuple[int, int] = SIZE,
    **options: Any,
) -> ReviewApp:
    import asyncio

    app = make_app(store, **options)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())
    return app


def opened_urls(app: ReviewApp) -> list[str]:
    return app.opened  # type: ignore[attr-defined,no-any-return]


def record_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """``App.open_url`` records instead of starting a browser."""

    def open_url(self: ReviewApp, url: str, *, new_tab: bool = True) -> None:
        self.opened = [*getattr(self, "opened", []), url]  # type: ignore[attr-defined]

    monkeypatch.setattr(ReviewApp, "open_url", open_url)
