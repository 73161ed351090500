"""Benchmark: LLM extraction through the HTTP test double, at a fixed latency per call.

Reproduce (from the repository root, in the project's venv):

    python tests/benchmarks/bench_extract_llm.py --articles 100 --latency 0.2 --concurrency 8

It ingests N generated articles (each small enough for one call), starts the OpenAI-compatible
test double on 127.0.0.1 answering every request after ``--latency`` seconds, runs the real
``claimtrack extract --backend llm --concurrency C --json`` in a subprocess, and reports:

- the CPU time of that process (less sensitive to other load on the machine than wall time);
- wall time of the extract command against the ideal ``calls * latency / concurrency``
  (issue 20's target: within 1.3x at 100 articles, 1.1x at 1,000; the process start-up, the
  openai and instructor imports and the CPU of each call on the event loop are the overhead),
  the extraction alone (after start-up; it includes importing openai and instructor, about
  1 s on a 2-core machine, which happens when the first client is built) and the window from
  the first request to the last answer, which shows how well the calls are kept in flight;
- LLM calls per article (target: 1 for an article that fits the budget);
- prompt tokens per article against the article's own tokens plus the fixed prompt (target:
  <= 1.3 x article tokens + the fixed part). Tokens are the double's estimate (characters / 4)
  for both sides, so the ratio shows what the request adds to the article, not a tokenizer's count.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from llm_double import LLMDouble, slow, structured

NAMES = ["Keir Starmer", "Emmanuel Macron", "Olaf Scholz", "Mary Barra", "Rick Wagoner"]
VERBS = ["said", "warned", "stated", "added", "noted"]


def article(index: int, rng: random.Random) -> dict[str, str]:
    sentences = []
    for n in range(18):
        who = rng.choice(NAMES)
        sentences.append(
            f"{who} {rng.choice(VERBS)} that plan {index}-{n} would cost "
            f"{rng.randint(1, 900)} million dollars over {rng.randint(2, 9)} years."
        )
    return {
        "id": f"bench-{index}",
        "title": f"Benchmark article {index}",
        "published": "2026-01-07",
        "source": "Bench",
        "text": " ".join(sentences),
    }


def responder(latency: float):  # type: ignore[no-untyped-def]
    def answer(body: dict) -> object:  # type: ignore[type-arg]
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        text = user.split(":\n\n", 1)[1]
        first = re.split(r"(?<=\.)\s", text)[0]
        speaker = " ".join(first.split()[:2])
        quote = first.split(" that ", 1)[1].rstrip(".")
        return slow(
            latency,
            structured(
                {
                    "claims": [
                        {
                            "speaker": speaker,
                            "cue": first.split()[2],
                            "quote": quote,
                            "direct": False,
                            "claim_type": "prediction",
                            "claim": f"{speaker} said that {quote}.",
                        }
                    ],
                    "commitments": [],
                }
            ),
        )

    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    claimtrack = str(Path(sys.executable).with_name("claimtrack"))
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus = folder / "corpus.jsonl"
        corpus.write_text(
            "\n".join(json.dumps(article(i, rng)) for i in range(args.articles)), encoding="utf-8"
        )
        db = folder / "bench.duckdb"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
        subprocess.run(
            [claimtrack, "--db", str(db), "ingest", str(corpus)], check=True, env=env,
            capture_output=True,
        )  # fmt: skip
        with LLMDouble(responder=responder(args.latency)) as double:
            env |= {
                "OPENAI_BASE_URL": double.base_url,
                "OPENAI_API_KEY": "bench",
                "CLAIMTRACK_MODEL": "double",
                "CLAIMTRACK_LLM_BACKOFF": "0",
            }
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(
                [claimtrack, "--db", str(db), "extract", "--backend", "llm",
                 "--concurrency", str(args.concurrency), "--json"],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            requests = len(double.chat_requests)
        if done.returncode != 0:
            sys.exit(f"extract failed ({done.returncode}): {done.stderr}")
        summary = json.loads(done.stdout)
        con = duckdb.connect(str(db), read_only=True)
        per_article = con.execute(
            """
            SELECT length(a.text) / 4 AS article_tokens, sum(c.prompt_tokens), count(*)
            FROM llm_calls c JOIN articles a ON a.id = c.article_id
            GROUP BY a.id, a.text
            """
        ).fetchall()
        window = con.execute(
            """
            SELECT epoch(max(called_at + to_microseconds(CAST(latency_ms * 1000 AS BIGINT)))
                         - min(called_at))
            FROM llm_calls
            """
        ).fetchone()[0]  # type: ignore[index]
        con.close()

    ideal = requests * args.latency / args.concurrency
    fixed = statistics.median(prompt - article for article, prompt, _ in per_article)
    worst = max(prompt / (1.3 * article + fixed) for article, prompt, _ in per_article)
    calls = [count for _, _, count in per_article]
    print(f"articles: {args.articles}, latency {args.latency}s, concurrency {args.concurrency}")
    print(f"extracted: {summary['articles_extracted']}, items new: {summary['items_new']}")
    print(f"LLM calls: {requests} (per article: min {min(calls)}, max {max(calls)})")
    inner = summary["seconds"]
    print(f"wall time of extract: {wall:.2f}s; ideal {ideal:.2f}s; ratio {wall / ideal:.2f}")
    print(f"CPU time of the extract process: {cpu:.2f}s (user + system, all threads)")
    print(
        f"extraction alone (after start-up, with the openai and instructor imports): {inner:.2f}s; "
        f"ratio {inner / ideal:.2f}"
    )
    print(
        f"first request to last answer: {window:.2f}s; ratio {window / ideal:.2f} "
        f"(the floor is {math.ceil(requests / args.concurrency) * args.latency:.2f}s: "
        f"{math.ceil(requests / args.concurrency)} rounds of {args.latency}s)"
    )
    print(
        "prompt tokens per article: median "
        f"{statistics.median(p for _, p, _ in per_article):.0f}, article tokens median "
        f"{statistics.median(a for a, _, _ in per_article):.0f}, fixed prompt part {fixed:.0f}; "
        f"worst prompt / (1.3 x article + fixed) = {worst:.2f} (target <= 1.0)"
    )


if __name__ == "__main__":
    main()
