"""Forward-only schema migrations.

Each migration is applied in one transaction together with its row in ``schema_migrations``, so a
database is always at a whole version. Never edit a migration that has shipped: add the next one.
Later issues add their tables here.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles",
        (
            "CREATE SEQUENCE article_seq START 1",
            """
            CREATE TABLE articles (
                id VARCHAR PRIMARY KEY,         -- sha256 of the normalised text, 16 hex digits
                seq BIGINT NOT NULL DEFAULT nextval('article_seq'),  -- ingestion order
                external_id VARCHAR,            -- the id the source record gave, if any
                title VARCHAR,
                published TIMESTAMP,            -- UTC if the source gave a zone; NULL if unknown
                published_precision VARCHAR,    -- 'day' or 'time'
                source VARCHAR,
                url VARCHAR,
                text VARCHAR NOT NULL,
                origin VARCHAR NOT NULL,        -- the file (and line) or URL it was read from
                meta JSON,                      -- the source record's other fields, kept as given
                ingested_at TIMESTAMP NOT NULL,
                revision_of VARCHAR             -- the earlier article with the same URL
            )
            """,
            "CREATE INDEX articles_url ON articles (url)",
            "CREATE INDEX articles_external_id ON articles (external_id)",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        2,
        "extraction",
        (
            """
            CREATE TABLE extractions (
                id VARCHAR PRIMARY KEY,         -- hash of article, backend, model, prompt id
                article_id VARCHAR NOT NULL,
                backend VARCHAR NOT NULL,       -- 'rules' or 'llm'
                model VARCHAR,                  -- NULL for rules
                prompt_id VARCHAR NOT NULL,     -- name@version#hash (rules: rules@version)
                mode VARCHAR,                   -- the instructor mode, for llm
                status VARCHAR NOT NULL,        -- 'done' or 'failed'
                items_found INTEGER NOT NULL DEFAULT 0,
                items_new INTEGER NOT NULL DEFAULT 0,
                items_dropped INTEGER NOT NULL DEFAULT 0,  -- ungrounded, never stored
                dropped JSON,                   -- what was dropped and why
                chunks INTEGER NOT NULL DEFAULT 1,
                llm_calls INTEGER NOT NULL DEFAULT 0,
                error VARCHAR,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL
            )
            """,
            "CREATE INDEX extractions_article ON extractions (article_id)",
            """
            CREATE TABLE items (
                id VARCHAR PRIMARY KEY,         -- hash of article, kind and span
                kind VARCHAR NOT NULL,          -- 'claim' or 'commitment'
                article_id VARCHAR NOT NULL,
                extraction_id VARCHAR NOT NULL,
                span_start INTEGER NOT NULL,    -- quote == articles.text[span_start:span_end]
                span_end INTEGER NOT NULL,
                quote VARCHAR NOT NULL,
                text VARCHAR NOT NULL,          -- the standalone claim or commitment
                speaker VARCHAR,                -- as written (commitments: who reported it)
                speaker_canonical VARCHAR,
                speaker_role VARCHAR,
                speaker_start INTEGER,
                speaker_end INTEGER,
                cue VARCHAR,
                cue_start INTEGER,
                cue_end INTEGER,
                direct BOOLEAN,
                claim_type VARCHAR,
                actors JSON,
                action VARCHAR,
                condition VARCHAR,
                deadline_text VARCHAR,
                deadline DATE,
                stage VARCHAR,
                extra JSON,
                created_at TIMESTAMP NOT NULL
            )
            """,
            "CREATE INDEX items_article ON items (article_id)",
            "CREATE SEQUENCE item_event_seq START 1",
            """
            CREATE TABLE item_events (        -- append-only: an item's status is its latest event
                id VARCHAR PRIMARY KEY,
                seq BIGINT NOT NULL DEFAULT nextval('item_event_seq'),
                item_id VARCHAR NOT NULL,
                occurred_at TIMESTAMP NOT NULL,
                actor VARCHAR NOT NULL,         -- 'extraction', 'user:NAME', ...
                from_status VARCHAR,
                to_status VARCHAR NOT NULL,
                article_id VARCHAR,             -- the evidence
                span_start INTEGER,
                span_end INTEGER,
                quote VARCHAR,
                proposal_id VARCHAR,
                note VARCHAR
            )
            """,
            "CREATE INDEX item_events_item ON item_events (item_id)",
            """
            CREATE TABLE llm_calls (          -- one row per request sent to a model
                id VARCHAR PRIMARY KEY,
                called_at TIMESTAMP NOT NULL,
                purpose VARCHAR NOT NULL,       -- 'extract', 'track', 'eval'
                article_id VARCHAR,
                backend_url VARCHAR,
                model VARCHAR NOT NULL,
                mode VARCHAR NOT NULL,
                prompt_id VARCHAR NOT NULL,
                request_hash VARCHAR NOT NULL,
                attempt INTEGER NOT NULL,
                outcome VARCHAR NOT NULL,       -- ok, invalid, error, cached
                error VARCHAR,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                cached_tokens INTEGER,
                latency_ms DOUBLE,
                cost_usd DOUBLE,
                response VARCHAR                -- what the model answered (tool arguments or text)
            )
            """,
            "CREATE INDEX llm_calls_article ON llm_calls (article_id)",
            """
            CREATE TABLE llm_cache (
                key VARCHAR PRIMARY KEY,        -- hash of model, base URL, messages, schema, params
                model VARCHAR NOT NULL,
                prompt_id VARCHAR NOT NULL,
                response JSON NOT NULL,         -- the validated answer
                created_at TIMESTAMP NOT NULL
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        3,
        "tracking",
        (
            """
            CREATE TABLE trackings (          -- one article judged by one backend, model, prompt
                id VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL,
                backend VARCHAR NOT NULL,
                model VARCHAR,
                prompt_id VARCHAR NOT NULL,
                status VARCHAR NOT NULL,        -- 'done' or 'failed'
                candidates INTEGER NOT NULL DEFAULT 0,
                judged INTEGER NOT NULL DEFAULT 0,
                proposals_new INTEGER NOT NULL DEFAULT 0,
                links_new INTEGER NOT NULL DEFAULT 0,
                dropped JSON,                   -- judgements dropped (evidence not in the text)
                llm_calls INTEGER NOT NULL DEFAULT 0,
                order_basis VARCHAR,            -- 'published' or 'ingestion' (undated article)
                error VARCHAR,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL
            )
            """,
            "CREATE INDEX trackings_article ON trackings (article_id)",
            "CREATE SEQUENCE proposal_seq START 1",
            """
            CREATE TABLE proposals (          -- a proposed status change, waiting for a person
                id VARCHAR PRIMARY KEY,         -- hash of item, article, relation, to_status
                seq BIGINT NOT NULL DEFAULT nextval('proposal_seq'),
                item_id VARCHAR NOT NULL,
                article_id VARCHAR NOT NULL,    -- the later article: the evidence
                relation VARCHAR NOT NULL,
                from_status VARCHAR NOT NULL,   -- the item's status when proposed
                to_status VARCHAR NOT NULL,
                span_start INTEGER,             -- quote == articles.text[span_start:span_end]
                span_end INTEGER,
                quote VARCHAR,
                reason VARCHAR,                 -- why the judge thinks so
                order_basis VARCHAR NOT NULL,   -- how the article is known to be later
                backend VARCHAR NOT NULL,
                model VARCHAR,
                prompt_id VARCHAR NOT NULL,
                score DOUBLE,                   -- retrieval score of the item for this article
                created_at TIMESTAMP NOT NULL
            )
            """,
            "CREATE INDEX proposals_item ON proposals (item_id)",
            "CREATE SEQUENCE decision_seq START 1",
            """
            CREATE TABLE proposal_decisions (  -- append-only: a proposal's state is its latest row
                id VARCHAR PRIMARY KEY,
                seq BIGINT NOT NULL DEFAULT nextval('decision_seq'),
                proposal_id VARCHAR NOT NULL,
                decided_at TIMESTAMP NOT NULL,
                actor VARCHAR NOT NULL,         -- 'user:NAME'
                state VARCHAR NOT NULL,         -- accepted, rejected, skipped, proposed (undo)
                to_status VARCHAR,              -- accepted: the status applied (may be edited)
                note VARCHAR,
                item_event_id VARCHAR           -- the status event an acceptance appended
            )
            """,
            "CREATE INDEX proposal_decisions_proposal ON proposal_decisions (proposal_id)",
            """
            CREATE TABLE item_links (         -- a later article repeats an item: no new status
                id VARCHAR PRIMARY KEY,
                item_id VARCHAR NOT NULL,       -- the earlier item
                article_id VARCHAR NOT NULL,    -- the later article
                linked_item_id VARCHAR,         -- the later article's own item that restates it
                relation VARCHAR NOT NULL,      -- 'repeats'
                span_start INTEGER,
                span_end INTEGER,
                quote VARCHAR,
                created_at TIMESTAMP NOT NULL
            )
            """,
            "CREATE INDEX item_links_item ON item_links (item_id)",
            "CREATE INDEX item_links_linked ON item_links (linked_item_id)",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        4,
        "recheck",
        (
            """
            CREATE TABLE source_files (       -- inbox files already read, by content hash
                hash VARCHAR PRIMARY KEY,       -- sha256 of the file's bytes
                source VARCHAR NOT NULL,
                path VARCHAR NOT NULL,          -- where it was when first seen
                seen_at TIMESTAMP NOT NULL,
                outcome VARCHAR NOT NULL,       -- 'ingested' or 'failed'
                error VARCHAR
            )
            """,
            """
            CREATE TABLE source_urls (        -- pages fetched from feeds and URL lists
                url VARCHAR PRIMARY KEY,
                source VARCHAR NOT NULL,
                fetched_at TIMESTAMP NOT NULL,
                outcome VARCHAR NOT NULL,       -- 'ingested', 'failed', 'gave_up'
                attempts INTEGER NOT NULL DEFAULT 1,
                error VARCHAR
            )
            """,
            """
            CREATE TABLE source_feeds (       -- what a feed answered last, for conditional GETs
                source VARCHAR PRIMARY KEY,
                url VARCHAR NOT NULL,
                etag VARCHAR,
                last_modified VARCHAR,
                checked_at TIMESTAMP NOT NULL,
                outcome VARCHAR NOT NULL,       -- 'ok', 'not_modified', 'failed'
                error VARCHAR
            )
            """,
            """
            CREATE TABLE recheck_runs (
                id VARCHAR PRIMARY KEY,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL,
                as_of DATE NOT NULL,
                summary JSON NOT NULL
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        5,
        "evals",
        (
            """
            CREATE TABLE eval_runs (          -- one suite scored by one backend, model, prompt
                id VARCHAR PRIMARY KEY,         -- random, 12 hex digits; looked up by prefix
                suite VARCHAR NOT NULL,         -- the path as given
                suite_hash VARCHAR NOT NULL,    -- sha256 of the suite's files (names and bytes)
                kind VARCHAR NOT NULL,          -- native, attribution-brat, tracking, pledges
                backend VARCHAR NOT NULL,       -- 'rules' or 'llm'
                model VARCHAR,                  -- NULL for rules
                prompt_id VARCHAR NOT NULL,     -- name@version#hash (rules: rules@version)
                git_commit VARCHAR,             -- of claimtrack's checkout; NULL outside git
                git_dirty BOOLEAN,              -- uncommitted changes in that checkout
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL,
                metrics JSON NOT NULL,          -- {name: value}
                llm_calls INTEGER NOT NULL DEFAULT 0,   -- requests sent (cache hits excluded)
                cache_hits INTEGER NOT NULL DEFAULT 0,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                cost_usd DOUBLE,                -- NULL when the model has no price
                latency_ms DOUBLE,              -- summed over the requests sent
                notes JSON
            )
            """,
            """
            CREATE TABLE eval_cases (         -- one case (article, document, sentence) of a run
                run_id VARCHAR NOT NULL,
                seq INTEGER NOT NULL,           -- the case's order in the suite
                case_id VARCHAR NOT NULL,
                score DOUBLE,                   -- the case's headline score: wins and losses
                metrics JSON,                   -- per-case metrics
                expected JSON,
                predicted JSON,
                detail JSON,                    -- what a report needs (text, matches)
                PRIMARY KEY (run_id, case_id)
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        6,
        "embeddings",
        (
            """
            CREATE TABLE item_embeddings (    -- an item's vector, per embeddings model
                item_id VARCHAR NOT NULL,
                model VARCHAR NOT NULL,
                vector FLOAT[] NOT NULL,
                created_at TIMESTAMP NOT NULL,
                PRIMARY KEY (item_id, model)
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "stories, notes, links, sessions",
        (
            # the story an article belongs to (the record's own, a recheck source's, --story)
            "ALTER TABLE articles ADD COLUMN story VARCHAR",
            # minutes east of UTC of the zone the source gave the time in; NULL: none given
            "ALTER TABLE articles ADD COLUMN published_offset INTEGER",
            # records ingested before kept their story field in meta
            """
            UPDATE articles SET story = json_extract_string(meta, '$.story')
            WHERE json_extract_string(meta, '$.story') IS NOT NULL
            """,
            # 'note' and 'link' events leave the status as it was (to_status = from_status);
            # NULL for the status changes recorded before
            "ALTER TABLE item_events ADD COLUMN kind VARCHAR",
            # who linked an item to evidence by hand; NULL for the links tracking made
            "ALTER TABLE item_links ADD COLUMN actor VARCHAR",
            # the relation a reviewer chose when accepting (NULL: the one proposed)
            "ALTER TABLE proposal_decisions ADD COLUMN relation VARCHAR",
            """
            CREATE TABLE review_sessions (   -- one sitting of a reviewer at the review queue
                id VARCHAR PRIMARY KEY,
                actor VARCHAR NOT NULL,         -- 'user:NAME'
                started_at TIMESTAMP NOT NULL,
                ended_at TIMESTAMP              -- NULL while open (or if it never ended cleanly)
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        8,
        "files read, by path, size and modification time",
        (
            """
            CREATE TABLE seen_files (         -- files read whole with no error or warning
                path VARCHAR PRIMARY KEY,       -- absolute, as found (symlinks not resolved)
                size BIGINT NOT NULL,           -- bytes, when read
                mtime_ns BIGINT NOT NULL,       -- modification time, when read
                records INTEGER NOT NULL,       -- articles it gave (all stored since)
                story VARCHAR,                  -- the story given to the records naming none
                seen_at TIMESTAMP NOT NULL
            )
            """,
        ),
    ),
)
MIGRATIONS += (
    Migration(
        9,
        "batches submitted to the OpenAI Batch API",
        (
            """
            CREATE TABLE llm_batches (        -- one batch of requests, from submission to its end
                id VARCHAR PRIMARY KEY,         -- the endpoint's batch id
                purpose VARCHAR NOT NULL,       -- 'extract' or 'track'
                model VARCHAR NOT NULL,
                prompt_id VARCHAR NOT NULL,
                mode VARCHAR NOT NULL,
                backend_url VARCHAR,
                input_file_id VARCHAR,
                requests INTEGER NOT NULL,
                status VARCHAR NOT NULL,        -- submitted | collecting | collected | failed |
                                                -- expired | cancelled
                error VARCHAR,                  -- why it failed or expired
                submitted_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP
            )
            """,
            """
            CREATE TABLE llm_batch_articles (  -- the articles a batch answers for
                batch_id VARCHAR NOT NULL,
                article_id VARCHAR NOT NULL,
                PRIMARY KEY (batch_id, article_id)
            )
            """,
        ),
    ),
)
LATEST_VERSION = MIGRATIONS[-1].version


def ensure_migrations_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied version, 0 for a new file (read-only safe)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every pending migration, each in its own transaction; return the versions applied."""
    ensure_migrations_table(con)
    done = current_version(con)
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in migration.statements:
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
