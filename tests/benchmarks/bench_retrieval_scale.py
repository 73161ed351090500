"""Retrieval at a million items of real text: the persisted index, per-sentence retrieval, and a
``track`` run of 1,000 new articles, through the real console script.

Not a test (pytest does not collect it). Run it with the interpreter claimtrack is installed in::

    python tests/benchmarks/bench_retrieval_scale.py --db /tmp/retrieval-1m/scale.duckdb
    python tests/benchmarks/bench_retrieval_scale.py --db /tmp/r-100k/scale.duckdb --copies 6

The corpus (made once, then reused while the file is there): PolNeAR train
(``../shared/datasets/polnear/data/train/text``, read by path) ingested and extracted with the
rules backend, then ``--copies`` renamed copies of it made in SQL (each article with one line
added and its date moved on ``k`` days; its items copied from the original's, their ids new), as
bench_scale.py does with files but without ingesting every copy (minutes instead of an hour).
Every article is marked tracked except the last ``--new-articles`` ingested (at each run):
those are what ``track`` then judges (their proposals and links from an earlier run stay). 56
copies of PolNeAR train's 17.9k items make about 1M.

Measured: building the index beside the database (when there is none, or ``--fresh-index``);
``track`` (wall, user+system CPU, peak RSS from ``/usr/bin/time``); the index opened again with
nothing new (what every later run pays); per-sentence retrieval (``ItemIndex.candidates`` for one
sentence, k = 64) over 500 sentences of PolNeAR dev, median and 95th percentile of wall and CPU
time, against the whole store and against an index of its first 10,000 items, the two taking
turns sentence by sentence (the machine's load weighs on both alike), and the ratio of their
95th percentiles; and how much of each sentence's top
64 with every posting read the capped read also finds (100 sentences). Vectors are off
(``CLAIMTRACK_EMBEDDINGS_MODEL=none``) unless ``--vectors``: then the originals' items are embedded
(WordLlama, on this machine) and each copy's items get their original's vector in SQL, and
``track`` runs with the local vectors (its first run also builds the nearest-neighbour graph).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from claimtrack.extraction.rules import split_sentences
from claimtrack.store import Store, utc_now
from claimtrack.store import embeddings as vector_rows
from claimtrack.store import trackings as rows
from claimtrack.tracking.embeddings import EmbeddingSearch, LocalEmbedder
from claimtrack.tracking.item_index import IndexUpdate, index_folder, open_index
from claimtrack.tracking.retrieval import ItemIndex, Order
from claimtrack.tracking.rules import RULES_TRACK_VERSION

ROOT = Path(__file__).resolve().parents[2]
POLNEAR = ROOT.parent / "shared" / "datasets" / "polnear" / "data"

_COPY = [
    """
    INSERT INTO articles
    SELECT a.* REPLACE (substr(md5(a.id || $k), 1, 16) AS id,
                        nextval('article_seq') AS seq,
                        a.text || '\n\n(Benchmark copy ' || $k || '.)' AS text,
                        a.origin || '#c' || $k AS origin,
                        a.published + to_days(CAST($k AS INTEGER)) AS published)
    FROM articles a WHERE a.origin NOT LIKE '%#c%'
    """,
    """
    INSERT INTO items
    SELECT i.* REPLACE (substr(md5(i.id || $k), 1, 16) AS id,
                        substr(md5(i.article_id || $k), 1, 16) AS article_id,
                        'x' || substr(md5(i.article_id || $k), 1, 16) AS extraction_id)
    FROM items i JOIN articles a ON a.id = i.article_id WHERE a.origin NOT LIKE '%#c%'
    """,
    """
    INSERT INTO extractions
    SELECT x.* REPLACE ('x' || substr(md5(x.article_id || $k), 1, 16) AS id,
                        substr(md5(x.article_id || $k), 1, 16) AS article_id)
    FROM extractions x JOIN articles a ON a.id = x.article_id WHERE a.origin NOT LIKE '%#c%'
    """,
]


def claimtrack(db: Path, *args: str, vectors: bool = False) -> tuple[float, float, float, str]:
    """``claimtrack --db DB ARGS`` under ``/usr/bin/time``: wall s, CPU s, peak MiB, stderr."""
    script = Path(sys.executable).parent / "claimtrack"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMTRACK_"))}
    if not vectors:
        env["CLAIMTRACK_EMBEDDINGS_MODEL"] = "none"
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing.name, str(script), "--db",
             str(db), *args],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        wall, user, system, kib = timing.read().split()[-4:]
    if done.returncode not in (0, 1):
        raise SystemExit(f"claimtrack {' '.join(args)} failed:\n{done.stderr}")
    return float(wall), float(user) + float(system), int(kib) / 1024, done.stdout + done.stderr


def build(db: Path, copies: int, new_articles: int) -> None:
    """PolNeAR train, extracted, and ``copies`` copies made in SQL; all tracked but the new."""
    db.parent.mkdir(parents=True, exist_ok=True)
    claimtrack(db, "ingest", str(POLNEAR / "train" / "text"))
    claimtrack(db, "extract", "--backend", "rules")
    store = Store(db)
    with store.write() as con:  # the originals' dates, from their file names
        con.execute(
            """
            UPDATE articles SET published =
                strptime(regexp_extract(origin, '_(\\d{4}-\\d{2}-\\d{2})_', 1), '%Y-%m-%d')
            WHERE regexp_matches(origin, '_\\d{4}-\\d{2}-\\d{2}_')
            """
        )
    for k in range(1, copies):
        with store.write() as con:
            for statement in _COPY:
                con.execute(statement, {"k": str(k)})


def mark_tracked(db: Path, new_articles: int) -> None:
    """Every article tracked by this version of the rules judge but the last ``new_articles``
    (again at each run: the judge's version changes with its code)."""
    with Store(db).write() as con:
        con.execute("DELETE FROM trackings")
        con.execute(
            """
            INSERT INTO trackings (id, article_id, backend, prompt_id, status, started_at,
                                   finished_at)
            SELECT 't' || id, id, 'rules', ?, 'done', now(), now() FROM articles
            WHERE id NOT IN (SELECT id FROM articles ORDER BY seq DESC LIMIT ?)
            """,
            [f"track-rules@{RULES_TRACK_VERSION}", new_articles],
        )


def embed_copies(db: Path, copies: int) -> None:
    """Vectors for the originals' items (computed), and for every copy's (their original's)."""
    store = Store(db)
    search = EmbeddingSearch(LocalEmbedder())
    with store.read() as con:
        originals = [
            row[0]
            for row in con.execute(
                "SELECT i.id FROM items i JOIN articles a ON a.id = i.article_id "
                "WHERE a.origin NOT LIKE '%#c%'"
            ).fetchall()
        ]
    for first in range(0, len(originals), 4096):
        page = originals[first : first + 4096]
        with store.read() as con:
            texts = dict(
                con.execute(
                    "SELECT id, text || ' ' || quote FROM items WHERE id IN (SELECT unnest(?))",
                    [page],
                ).fetchall()
            )
        vectors = search.embedder.embed([texts[item_id] for item_id in page])
        with store.write() as con:
            vector_rows.save_vectors(con, search.model, page, vectors, utc_now())
    with store.write() as con:
        con.execute(
            """
            INSERT INTO item_embeddings (item_id, model, vector, created_at)
            SELECT substr(md5(e.item_id || CAST(t.k AS VARCHAR)), 1, 16), e.model, e.vector,
                   e.created_at
            FROM item_embeddings e, range(1, ?) t(k)
            WHERE e.model = ? AND e.item_id IN (SELECT unnest(?))
            ON CONFLICT DO NOTHING
            """,
            [copies, search.model, originals],
        )


def dev_sentences(count: int = 500) -> list[str]:
    found: list[str] = []
    for path in sorted((POLNEAR / "dev" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found.extend(text[start:end] for start, end in split_sentences(text))
    rng = random.Random(20261207)
    return rng.sample([s for s in found if len(s.split()) >= 6], count)


def per_sentence_ms(
    indexes: Sequence[ItemIndex], sentences: list[str]
) -> list[dict[str, tuple[float, float]]]:
    """Per-sentence retrieval on each of ``indexes``: wall and CPU milliseconds, median and 95th
    percentile. The indexes take turns sentence by sentence (after one warm-up pass), so that
    the load of a shared machine weighs on each alike."""
    later = Order(date(2030, 1, 1), 10**12)
    walls: list[list[float]] = [[] for _ in indexes]
    cpus: list[list[float]] = [[] for _ in indexes]
    for measured in (False, True):
        for sentence in sentences:
            for number, index in enumerate(indexes):
                started, cpu_started = time.perf_counter(), time.process_time()
                index.candidates([(0, len(sentence))], sentence, "new", later, 64)
                if measured:
                    walls[number].append((time.perf_counter() - started) * 1000)
                    cpus[number].append((time.process_time() - cpu_started) * 1000)

    def spread(times: list[float]) -> tuple[float, float]:
        return statistics.median(times), statistics.quantiles(times, n=20)[18]

    return [{"wall": spread(w), "cpu": spread(c)} for w, c in zip(walls, cpus, strict=True)]


def cap_agreement(index: ItemIndex, sentences: list[str]) -> float:
    """The share of each sentence's top 64 with every posting read that the bounded read
    (:attr:`ItemIndex.PER_TERM`, ``BROUGHT``, ``ADDED``) also finds, over ``sentences``.
    Compared by score (a multiset): the copies of an item score alike, and which copy fills a
    tie is no loss."""
    later = Order(date(2030, 1, 1), 10**12)

    def top(sentence: str) -> Counter[float]:
        hits = index.candidates([(0, len(sentence))], sentence, "new", later, 64)
        return Counter(round(hit.score, 6) for hit in hits)

    capped = [top(sentence) for sentence in sentences]
    bounds = {  # (older code, run for a comparison, has only the first)
        name: getattr(ItemIndex, name)
        for name in ("PER_TERM", "BROUGHT", "ADDED")
        if hasattr(ItemIndex, name)
    }
    for name in bounds:
        setattr(ItemIndex, name, 10**9)
    try:
        exact = [top(sentence) for sentence in sentences]
    finally:
        for name, bound in bounds.items():
            setattr(ItemIndex, name, bound)
    found = sum((a & b).total() for a, b in zip(capped, exact, strict=True))
    return found / max(1, sum(b.total() for b in exact))


def timed_open(store: Store) -> tuple[ItemIndex, IndexUpdate, str]:
    """:func:`open_index`, with its wall and CPU time."""
    started, cpu_started = time.perf_counter(), time.process_time()
    index, update = open_index(store)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return index, update, f"{wall:.2f} s wall, {cpu:.2f} s CPU"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="made when it is not there")
    parser.add_argument("--copies", type=int, default=56, help="copies of PolNeAR train")
    parser.add_argument("--new-articles", type=int, default=1000)
    parser.add_argument("--fresh-index", action="store_true", help="remove the index first")
    parser.add_argument("--vectors", action="store_true", help="track with the local vectors")
    parser.add_argument("--skip-track", action="store_true", help="measure retrieval only")
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        build(args.db, args.copies, args.new_articles)
        print(f"corpus made in {time.perf_counter() - started:.0f} s")
    mark_tracked(args.db, args.new_articles)
    store = Store(args.db)
    if args.vectors:
        with store.read() as con:
            done = vector_rows.dimensions(con, LocalEmbedder().model)
        if not done:
            started = time.perf_counter()
            embed_copies(args.db, args.copies)
            print(f"vectors stored in {time.perf_counter() - started:.0f} s")
    with store.read() as con:
        state = rows.index_state(con)
        pending = len(
            rows.pending_articles(
                con, backend="rules", model=None, prompt_id=f"track-rules@{RULES_TRACK_VERSION}"
            )
        )
    print(f"store: {state.indexed} items to index, {pending} articles to track")
    if args.fresh_index or not index_folder(args.db).exists():
        shutil.rmtree(index_folder(args.db), ignore_errors=True)
        built, update, clock = timed_open(store)
        print(f"index built: {clock} ({len(built)} items, this process {peak_mib():.0f} MiB)")
        del built
    if not args.skip_track:
        wall, cpu, mib, output = claimtrack(
            args.db, "track", "--backend", "rules", "--json", vectors=args.vectors
        )
        print(f"track: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {mib:.0f} MiB")
        print("  " + output.strip().replace("\n", "\n  ")[-600:])
    index, update, clock = timed_open(store)
    print(
        f"index opened again: {clock} ({len(index)} items, {len(index.segments)} segments, "
        f"added {update.added}, rebuilt {update.rebuilt})"
    )
    sentences = dev_sentences()
    agreement = cap_agreement(index, sentences[:100])
    print(f"top 64 with every posting read, also found by the bounded read: {agreement:.1%}")
    with store.read() as con:
        small = ItemIndex.of_rows(rows.indexed_items_page(con, None, 10_000))
    whole, first = per_sentence_ms([index, small], sentences)
    for label, size, figures in (("whole store", len(index), whole), ("first", len(small), first)):
        print(
            f"per sentence, {label} ({size} items): median / p95 "
            f"{figures['wall'][0]:.1f} / {figures['wall'][1]:.1f} ms wall, "
            f"{figures['cpu'][0]:.1f} / {figures['cpu'][1]:.1f} ms CPU"
        )
    print(
        f"p95 ratio, {len(index)} items to {len(small)}: {whole['wall'][1] / first['wall'][1]:.2f} "
        f"wall, {whole['cpu'][1] / first['cpu'][1]:.2f} CPU"
    )
    print(f"this process: peak {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
