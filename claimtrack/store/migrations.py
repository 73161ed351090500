"""Forward-only schema migrations.

Each migration is applied in one transaction together with its row in ``schema_migrations``, so a
database is always at a whole version. Never edit a migration that has shipped: add the next one.
Later issues (extraction, tracking, evals) add their tables here.
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
