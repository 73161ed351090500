"""Write docs/review-queue.svg: the review queue over the tracking corpus at 200 x 36.

python tests/benchmarks/review_screenshot.py [OUT]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from review_helpers import build_review_db, make_app, settle
from test_tracking import write_corpus

from claimtrack.store import Store


async def shoot(path: Path, out: Path) -> None:
    app = make_app(Store(path))
    async with app.run_test(size=(200, 36)) as pilot:
        await settle(pilot)
        out.write_text(app.export_screenshot(title="claimtrack review"), encoding="utf-8")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/review-queue.svg")
    with tempfile.TemporaryDirectory() as folder:
        path = build_review_db(Path(folder), write_corpus(Path(folder) / "corpus"))
        asyncio.run(shoot(path, out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
