"""Review queue benchmark: first paint, next item and accept with 100,000 proposals and 100,000
items, measured through Pilot (the app headless, at 120 x 36).

Not a test (pytest does not collect it). Run it with the interpreter claimtrack is installed in::

    python tests/benchmarks/bench_review.py                     # 100k proposals, 100k items
    python tests/benchmarks/bench_review.py --items 10000 --proposals 10000 --moves 100

It generates a scratch database straight through SQL (``review_data.generate``: 10,000 articles,
the items, their first events, the proposals), outside the timed regions, then measures:

- **first paint**: from starting the app until the first page is in the list and the first
  proposal's item, evidence and timeline are in the detail pane;
- **next item**: ``j`` (sent as the terminal driver sends keys), until the detail pane shows
  the next proposal (median, p95, max);
- **accept**: ``a``, until the next proposal is shown (what the reviewer waits for), and until the
  decision is committed to the database by the writer thread (median, p95, max).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_data import generate
from textual import events

from claimtrack.review.app import ReviewApp
from claimtrack.review.widgets.detail_pane import DetailPane


def summary(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{label:<28} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {ms[-1]:7.1f} ms   (n={len(ms)})"
    )


async def until(condition: object, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.0005)


def key(app: ReviewApp, name: str) -> None:
    """Send a key the way the terminal driver does (Pilot.press also waits for the screen to
    settle, up to ~100 ms, which would be measured instead of the app)."""
    event = events.Key(name, name)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def measure(path: Path, moves: int, accepts: int) -> dict[str, list[float]]:
    from claimtrack.store import Store

    app = ReviewApp(Store(path), actor="user:bench", refresh_every=None)
    figures: dict[str, list[float]] = {"first": [], "next": [], "accept_ui": [], "accept_db": []}
    started = time.perf_counter()
    async with app.run_test(size=(120, 36)):
        queue = app.queue
        detail = queue.query_one(DetailPane)
        await until(lambda: queue.loaded and detail.entry_id is not None)
        figures["first"].append(time.perf_counter() - started)
        for _ in range(moves):
            await until(lambda: len(queue.entries) > queue.table.cursor_row + 1)
            row = queue.table.cursor_row
            expected = queue.entries[row + 1].id
            t = time.perf_counter()
            key(app, "j")
            await until(lambda expected=expected: detail.entry_id == expected)
            figures["next"].append(time.perf_counter() - t)
        for _ in range(accepts):
            await until(lambda: len(queue.entries) > queue.table.cursor_row + 1)
            row = queue.table.cursor_row
            expected = queue.entries[row + 1].id
            t = time.perf_counter()
            key(app, "a")
            await until(lambda expected=expected: detail.entry_id == expected)
            figures["accept_ui"].append(time.perf_counter() - t)
            await until(lambda: not queue.in_flight)
            figures["accept_db"].append(time.perf_counter() - t)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="Items in the database.")
    parser.add_argument("--proposals", type=int, default=100_000, help="Proposals (all open).")
    parser.add_argument("--moves", type=int, default=300, help="j presses measured.")
    parser.add_argument("--accepts", type=int, default=50, help="a presses measured.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-review.duckdb"
        t = time.perf_counter()
        generate(path, items=args.items, proposals=args.proposals)
        print(
            f"generated {args.proposals:,} proposals, {args.items:,} items in "
            f"{time.perf_counter() - t:.1f} s ({path.stat().st_size / 2**20:.0f} MiB); "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{platform.machine()}"
        )
        figures = asyncio.run(measure(path, args.moves, args.accepts))
    print(f"{'first paint':<28} {figures['first'][0] * 1000:7.1f} ms")
    print(summary("next item (j)", figures["next"]))
    print(summary("accept (a): next shown", figures["accept_ui"]))
    print(summary("accept (a): committed", figures["accept_db"]))


if __name__ == "__main__":
    main()
