"""Time ``assess``: CPU microseconds per call over MEANTIME sentences, with and without a span.

.venv/bin/python evals/factuality/speed.py [--data DIR] [--calls 10000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fit import DEFAULT_DATA, read_story

from claimtrack.tracking.factuality import assess, load_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    stories = sorted(path.name for path in args.data.iterdir() if path.is_dir())
    mentions = [mention for story in stories for mention in read_story(args.data, story)]
    sample = list(itertools.islice(itertools.cycle(mentions), args.calls))
    load_model()  # the file is read once per process; not part of a call
    judge = assess.__wrapped__  # without the cache: each call computes (MEANTIME has 1.5k mentions)
    started = time.process_time()
    for mention in sample:
        judge(mention.sentence, mention.span)
    with_span = (time.process_time() - started) / len(sample) * 1e6
    started = time.process_time()
    for mention in sample:
        judge(mention.sentence)
    without_span = (time.process_time() - started) / len(sample) * 1e6
    words = sum(len(mention.sentence.split()) for mention in sample) / len(sample)
    print(f"{len(sample)} calls, {words:.1f} words a sentence on average")
    print(f"with an event span: {with_span:.1f} µs a call")
    print(f"without (every predicate judged): {without_span:.1f} µs a call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
