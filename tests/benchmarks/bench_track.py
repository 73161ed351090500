"""Tracking benchmark: retrieval time per new statement, and a whole tracking run, against 1k, 10k
and 100k open items.

Not a test (pytest does not collect it). Run it with the interpreter claimtrack is installed in::

    python tests/benchmarks/bench_track.py                       # 1000 10000 100000 items
    python tests/benchmarks/bench_track.py --items 100000 --new-articles 200

For each size it writes a fresh database with N generated items (claims and commitments, 10 per
earlier article, seeded, over a vocabulary of 20,000 words with a Zipf-like frequency and 2,000
named speakers) straight through SQL, then measures:

- **index**: building the in-memory BM25 index from the items table (what every tracking run does
  once);
- **per statement**: ``ItemIndex.candidates`` for one sentence of a new article (the unit the
  issue names), median and 95th percentile over 500 generated sentences, k = 64;
- **per article**: the same for a whole 20-sentence article;
- **track run**: ``track_with_rules_backend`` over ``--new-articles`` new articles (retrieval,
  judging, writing proposals), wall time and articles per second, and its CPU time (all
  threads of the process: the fairer figure on a busy machine);
- **backfill**: then one late article, dated before every other, with 10 items, is tracked: every
  article tracked before it is a candidate to be judged again against its items (wall time, and
  how many were); ``--skip-backfill`` leaves it out.

With sentence vectors (the default retrieval when ``CLAIMTRACK_EMBEDDINGS_MODEL`` is not set;
``--no-vectors`` measures lexical retrieval alone, as ``CLAIMTRACK_EMBEDDINGS_MODEL=none`` runs),
also:

- **embed items**: the one-time cost of a vector for every item (computed and stored);
- **vectors per run**: what every later run adds to the index build (finding no item without a
  vector, reading the stored vectors into one matrix);
- **per article, vectors**: embedding a 20-sentence article and finding the items nearest its
  sentences (the track run then fuses them with the lexical candidates);
- **shortlist recall**: the share of the exact 64 nearest items (all 256 dimensions against
  every item) that the search, shortlisting on the first 64 dimensions, also finds.

Generation is outside the timed regions; the figures are wall-clock on this machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from claimtrack.extraction.rules import RULES_VERSION, split_sentences
from claimtrack.store import Store
from claimtrack.store import embeddings as vector_rows
from claimtrack.tracking import meaning
from claimtrack.tracking.embeddings import EmbeddingSearch, LocalEmbedder, StoredVectors, nearest
from claimtrack.tracking.pipeline import (
    DEFAULT_K,
    build_index,
    load_index,
    track_with_rules_backend,
)
from claimtrack.tracking.retrieval import Order
from claimtrack.tracking.rules import RULES_TRACK_VERSION

SEED = 20261127
ITEMS_PER_ARTICLE = 10
VERBS = ["cut", "close", "sign", "build", "approve", "sell", "buy", "open", "delay", "reject"]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnoprstuvw"
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 9))))
    return sorted(words)


def zipf_pick(rng: random.Random, words: list[str]) -> str:
    return words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)]


def sentence(rng: random.Random, words: list[str], names: list[str]) -> str:
    body = " ".join(zipf_pick(rng, words) for _ in range(rng.randint(10, 18)))
    return f"{rng.choice(names)} will {rng.choice(VERBS)} {body}."


def commitments(text: str, sentences: list[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, quote, speaker) of each sentence of ``text`` taken as a commitment whose
    speaker is its first two words."""
    found = []
    offset = 0
    for quote in sentences:
        begin = text.index(quote, offset)
        offset = begin + len(quote)
        found.append((begin, offset, quote, " ".join(quote.split()[:2])))
    return found


def generate(db: Path, items: int, new_articles: int, rng: random.Random) -> list[str]:
    """Write ``items`` items (with articles and first events) and ``new_articles`` extracted but
    untracked articles; return 500 sentences to query with."""
    words = vocabulary(rng)
    names = [
        f"{w.title()} {v.title()}" for w, v in zip(words[:2000], words[2000:4000], strict=True)
    ]
    store = Store(db)
    start = datetime(2020, 1, 1)
    old_articles = items // ITEMS_PER_ARTICLE
    with store.write() as con:
        article_rows = []
        item_rows = []
        for a in range(old_articles + new_articles):
            sentences = [
                sentence(rng, words, names)
                for _ in range(ITEMS_PER_ARTICLE if a < old_articles else 20)
            ]
            text = " ".join(sentences)
            article_id = f"a{a:07d}"
            article_rows.append((article_id, f"A{a}", start + timedelta(days=a), text, "bench"))
            if a >= old_articles:
                continue
            for n, (begin, end, quote, speaker) in enumerate(commitments(text, sentences)):
                item_rows.append(
                    (f"i{a:07d}{n:02d}", "commitment", article_id, f"e{a}", begin, end, quote,
                     quote, speaker, speaker)
                )  # fmt: skip
        columns = list(zip(*article_rows, strict=True))
        con.execute(
            """
            INSERT INTO articles (id, title, published, text, origin, ingested_at)
            SELECT unnest($1), unnest($2), unnest($3::TIMESTAMP[]), unnest($4), unnest($5), now()
            """,
            [list(c) for c in columns],
        )
        columns = list(zip(*item_rows, strict=True))
        con.execute(
            """
            INSERT INTO items (id, kind, article_id, extraction_id, span_start, span_end, quote,
                text, speaker, speaker_canonical, created_at)
            SELECT unnest($1), unnest($2), unnest($3), unnest($4), unnest($5::INTEGER[]),
                unnest($6::INTEGER[]), unnest($7), unnest($8), unnest($9), unnest($10), now()
            """,
            [list(c) for c in columns],
        )
        con.execute(
            """
            INSERT INTO item_events (id, item_id, occurred_at, actor, to_status)
            SELECT 'ev' || id, id, now(), 'extraction', 'pending' FROM items
            """
        )
        con.execute(
            """
            INSERT INTO extractions (id, article_id, backend, prompt_id, status, started_at,
                finished_at)
            SELECT 'x' || id, id, 'rules', ?, 'done', now(), now() FROM articles
            """,
            [f"rules@{RULES_VERSION}"],  # as if the rules had extracted them: not again
        )
        con.execute(  # the earlier articles were tracked long ago: only the new ones are pending
            """
            INSERT INTO trackings (id, article_id, backend, prompt_id, status, started_at,
                finished_at)
            SELECT 't' || id, id, 'rules', ?, 'done', now(), now() FROM articles WHERE id < ?
            """,
            [f"track-rules@{RULES_TRACK_VERSION}", f"a{old_articles:07d}"],
        )
    return [sentence(rng, words, names) for _ in range(500)]


def measure_vectors(store: Store, queries: list[str], later: Order) -> dict[str, float]:
    """The one-time embedding of every item, what each later run adds, and the search per
    article."""
    started = time.perf_counter()
    EmbeddingSearch(LocalEmbedder()).ensure_items(store)
    embed_seconds = time.perf_counter() - started
    search = EmbeddingSearch(LocalEmbedder())
    started = time.perf_counter()
    search.ensure_items(store)
    per_run_seconds = time.perf_counter() - started
    assert search.embedded_items == 0 and search.error is None, search.error
    item_of = build_index(store).item_by_id
    per_article = []
    for first in range(0, 400, 20):
        text = " ".join(queries[first : first + 20])
        started = time.perf_counter()
        search.hits(store, item_of, split_sentences(text), text, "new", later, DEFAULT_K)
        per_article.append((time.perf_counter() - started) * 1000)
    return {
        "embed_items_s": round(embed_seconds, 2),
        "vectors_per_run_s": round(per_run_seconds, 2),
        "article_vectors_median_ms": round(statistics.median(per_article), 1),
        "shortlist_recall_at_64": shortlist_recall(store, queries),
    }


def shortlist_recall(store: Store, queries: list[str], k: int = DEFAULT_K) -> float:
    with store.read() as con:
        item_ids, matrix = vector_rows.vectors(con, meaning.MODEL_ID)
    stored = StoredVectors(item_ids, matrix, LocalEmbedder.prefix)
    kept = []
    for first in range(0, 400, 20):
        vectors = meaning.embed(queries[first : first + 20])
        exact = {row for row, _, _ in nearest(stored.matrix, vectors, k)}
        kept.append(len(exact & {row for row, _, _ in stored.nearest(vectors, k)}) / k)
    return round(statistics.mean(kept), 3)


def measure(
    items: int, new_articles: int, *, vectors: bool = True, backfill: bool = True
) -> dict[str, float]:
    rng = random.Random(SEED + items)
    with tempfile.TemporaryDirectory(prefix="claimtrack-bench-") as folder:
        db = Path(folder) / "bench.duckdb"
        queries = generate(db, items, new_articles, rng)
        store = Store(db)
        started = time.perf_counter()
        index = build_index(store)
        index_seconds = time.perf_counter() - started
        later = Order(datetime(2030, 1, 1).date(), 10**9)
        per_statement = []
        for query in queries:
            started = time.perf_counter()
            index.candidates([(0, len(query))], query, "new", later, DEFAULT_K)
            per_statement.append((time.perf_counter() - started) * 1000)
        per_article = []
        for first in range(0, 400, 20):
            text = " ".join(queries[first : first + 20])
            started = time.perf_counter()
            index.candidates(split_sentences(text), text, "new", later, DEFAULT_K)
            per_article.append((time.perf_counter() - started) * 1000)
        figures = measure_vectors(store, queries, later) if vectors else {}

        def search() -> EmbeddingSearch | None:
            return EmbeddingSearch(LocalEmbedder()) if vectors else None

        # the index and the vector graph kept beside the database are built by the first run
        # that meets the store, once; the runs after it only add what is new (issue 20)
        started = time.perf_counter()
        persisted, lineage = load_index(store)
        first_search = search()
        if first_search is not None:
            first_search.use_graph(store, persisted, lineage)
        figures["first_open_s"] = round(time.perf_counter() - started, 2)

        started, cpu_started = time.perf_counter(), time.process_time()
        report = track_with_rules_backend(store, embeddings=search())
        track_seconds = time.perf_counter() - started
        track_cpu_seconds = time.process_time() - cpu_started
        assert report.articles_tracked == new_articles and not report.failed, report.to_json()
        if backfill:
            add_late_article(store, queries[:10])
            started = time.perf_counter()
            late = track_with_rules_backend(store, embeddings=search())
            backfill_seconds = time.perf_counter() - started
            assert late.articles_tracked == 1 and not late.failed, late.to_json()
            figures |= {
                "backfill_s": round(backfill_seconds, 2),
                "backfill_judged": late.backfill_judged,
                "backfill_proposals": late.proposals_created,
            }
    per_statement.sort()
    return {
        "vectors": vectors,
        "items": items,
        "index_s": round(index_seconds, 2),
        "statement_median_ms": round(statistics.median(per_statement), 2),
        "statement_p95_ms": round(per_statement[int(len(per_statement) * 0.95)], 2),
        "article_median_ms": round(statistics.median(per_article), 1),
        "track_run_s": round(track_seconds, 2),
        "track_run_cpu_s": round(track_cpu_seconds, 2),  # all threads of the process
        "track_articles_per_s": round(new_articles / track_seconds, 1),
        "proposals": report.proposals_created,
        **figures,
    }


def add_late_article(store: Store, sentences: list[str]) -> None:
    """An article published before all the others, extracted after they were tracked."""
    text = " ".join(sentences)
    with store.write() as con:
        con.execute(
            "INSERT INTO articles (id, title, published, text, origin, ingested_at) "
            "VALUES ('late', 'Late', TIMESTAMP '2019-12-31', ?, 'bench', now())",
            [text],
        )
        for n, (begin, end, quote, speaker) in enumerate(commitments(text, sentences)):
            con.execute(
                """
                INSERT INTO items (id, kind, article_id, extraction_id, span_start, span_end,
                    quote, text, speaker, speaker_canonical, created_at)
                VALUES (?, 'commitment', 'late', 'elate', ?, ?, ?, ?, ?, ?, now())
                """,
                [f"late{n:02d}", begin, end, quote, quote, speaker, speaker],
            )
        con.execute(
            "INSERT INTO item_events (id, item_id, occurred_at, actor, to_status) "
            "SELECT 'ev' || id, id, now(), 'extraction', 'pending' FROM items "
            "WHERE article_id = 'late'"
        )
        con.execute(
            "INSERT INTO extractions (id, article_id, backend, prompt_id, status, started_at, "
            "finished_at) VALUES ('xlate', 'late', 'rules', ?, 'done', now(), "
            "now() + INTERVAL 1 SECOND)",
            [f"rules@{RULES_VERSION}"],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--new-articles", type=int, default=100)
    parser.add_argument(
        "--no-vectors", action="store_true", help="lexical retrieval alone (no sentence vectors)"
    )
    parser.add_argument("--skip-backfill", action="store_true", help="leave the late article out")
    args = parser.parse_args()
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, k = {DEFAULT_K}",
        file=sys.stderr,
    )
    for items in args.items:
        figures = measure(
            items, args.new_articles, vectors=not args.no_vectors, backfill=not args.skip_backfill
        )
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
