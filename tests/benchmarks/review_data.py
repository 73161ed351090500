"""A large review queue generated straight through SQL, for the review benchmark and scale tests.

``generate(path, items=100_000, proposals=100_000)`` writes ``items / 10`` articles of ten
fixed-width paragraphs each, one item per paragraph (its quote is the whole sentence, so ``quote ==
text[span_start:span_end]`` holds), each item's first status event, and ``proposals`` proposals
whose evidence is a sentence of a later article. Seeded by arithmetic, so every run is the same.
"""

from __future__ import annotations

from pathlib import Path

from claimtrack.store import Store

PER_ARTICLE = 10
SPEAKERS = 2_000
SOURCES = ("Harbour Gazette", "Valley Times", "The Courier", "Evening Post", "Daily Ledger")


def generate(path: Path, *, items: int = 100_000, proposals: int = 100_000) -> Store:
    store = Store(path, lock_timeout=5)
    store.ensure_schema()
    articles = max(2, items // PER_ARTICLE)
    with store.write() as con:
        # sentence k of article n, all the same width: 'Speaker 000123 said that plan 0004567 will
        # be finished by 2026.' Paragraphs are separated by a blank line.
        con.execute(  # a macro takes no parameters: SPEAKERS is a constant of this module
            "CREATE TEMP MACRO sentence(n, k) AS printf('Speaker %06d said that plan %07d will be "
            f"finished by %d.', (n * 7 + k * 13) % {SPEAKERS}, n * 10 + k, 2026 + k % 4)"
        )
        width = con.execute("SELECT length(sentence(0, 0))").fetchone()[0] + 2  # type: ignore[index]
        con.execute(
            """
            INSERT INTO articles (id, title, published, published_precision, source, url, text,
                                  origin, ingested_at)
            SELECT printf('a%015d', n), printf('Plan report number %d', n),
                   TIMESTAMP '2020-01-01' + to_days(CAST(n / 10 AS INTEGER)), 'day',
                   list_extract(?, 1 + n % 5), printf('https://example.org/%d', n),
                   (SELECT string_agg(sentence(n, k), chr(10) || chr(10) ORDER BY k)
                    FROM range(?) t(k)),
                   'generated', TIMESTAMP '2026-01-01'
            FROM range(?) r(n)
            """,
            [list(SOURCES), PER_ARTICLE, articles],
        )
        con.execute(
            """
            INSERT INTO items (id, kind, article_id, extraction_id, span_start, span_end, quote,
                               text, speaker, speaker_canonical, created_at)
            SELECT printf('i%015d', m), CASE WHEN m % 3 = 0 THEN 'claim' ELSE 'commitment' END,
                   printf('a%015d', m // ?), 'generated', (m % ?) * ?, (m % ?) * ? + ? - 2,
                   sentence(m // ?, m % ?),
                   printf('Plan %07d will be finished.', m),
                   printf('Speaker %06d', ((m // ?) * 7 + (m % ?) * 13) % ?),
                   printf('Speaker %06d', ((m // ?) * 7 + (m % ?) * 13) % ?),
                   TIMESTAMP '2026-01-01'
            FROM range(?) r(m)
            """,
            [PER_ARTICLE, PER_ARTICLE, width, PER_ARTICLE, width, width, PER_ARTICLE,
             PER_ARTICLE, PER_ARTICLE, PER_ARTICLE, SPEAKERS, PER_ARTICLE, PER_ARTICLE,
             SPEAKERS, items],
        )  # fmt: skip
        con.execute(
            """
            INSERT INTO item_events (id, item_id, occurred_at, actor, from_status, to_status,
                                     article_id, span_start, span_end, quote, note)
            SELECT printf('e%015d', m), i.id, TIMESTAMP '2026-01-01', 'extraction', NULL,
                   CASE WHEN i.kind = 'claim' THEN 'open'
                        WHEN m % 7 = 0 THEN 'overdue' ELSE 'pending' END,
                   i.article_id, i.span_start, i.span_end, i.quote, 'generated'
            FROM (SELECT *, CAST(substr(id, 2) AS BIGINT) AS m FROM items) i
            """
        )
        # proposal p: about item p % items, evidence in a later article (paragraph p % 10)
        con.execute(
            """
            INSERT INTO proposals (id, item_id, article_id, relation, from_status, to_status,
                span_start, span_end, quote, reason, order_basis, backend, model, prompt_id,
                score, created_at)
            SELECT printf('p%015d', p), printf('i%015d', p % ?),
                   printf('a%015d', least((p % ?) // ? + 1 + p % 3, ? - 1)),
                   CASE WHEN (p % ?) % 3 = 0 THEN 'corroborates' ELSE 'finalizes' END,
                   CASE WHEN (p % ?) % 3 = 0 THEN 'open' ELSE 'pending' END,
                   CASE WHEN (p % ?) % 3 = 0 THEN 'corroborated' ELSE 'finalized' END,
                   (p % ?) * ?, (p % ?) * ? + ? - 2,
                   sentence(least((p % ?) // ? + 1 + p % 3, ? - 1), p % ?),
                   'generated', 'published', 'rules', NULL, 'rules@bench', 1.0,
                   TIMESTAMP '2026-01-02'
            FROM range(?) r(p)
            """,
            [items, items, PER_ARTICLE, articles, items, items, items,
             PER_ARTICLE, width, PER_ARTICLE, width, width,
             items, PER_ARTICLE, articles, PER_ARTICLE, proposals],
        )  # fmt: skip
    return store
