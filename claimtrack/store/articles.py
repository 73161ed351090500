"""SQL for the ``articles`` table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from claimtrack.articles import Article, ArticleRecord
from claimtrack.errors import UsageError
from claimtrack.store.bulk import stream_rows
from claimtrack.store.connection import Transaction

_COLUMNS = (
    "id, title, published, published_precision, source, url, text, external_id, origin, meta, "
    "ingested_at, revision_of, story, published_offset"
)


def _article(row: Sequence[Any]) -> Article:
    (
        id_,
        title,
        published,
        precision,
        source,
        url,
        text,
        external_id,
        origin,
        meta,
        ingested_at,
        revision_of,
        story,
        offset,
    ) = row
    return Article(
        id=id_,
        title=title,
        published=published,
        published_precision=precision,
        source=source,
        url=url,
        text=text,
        external_id=external_id,
        origin=origin,
        meta=json.loads(meta) if meta else {},
        ingested_at=ingested_at,
        revision_of=revision_of,
        story=story,
        published_offset=offset,
    )


def known_ids(con: Transaction, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are already stored."""
    wanted = list(set(ids))
    if not wanted:
        return set()
    rows = con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [wanted])
    return {row[0] for row in rows.fetchall()}


def latest_by_url(con: Transaction, urls: Iterable[str]) -> dict[str, str]:
    """For each URL already stored, the id of its most recently ingested article."""
    wanted = list(set(urls))
    if not wanted:
        return {}
    rows = con.execute(
        """
        SELECT url, arg_max(id, seq) FROM articles
        WHERE url IN (SELECT unnest(?)) GROUP BY url
        """,
        [wanted],
    ).fetchall()
    return {url: id_ for url, id_ in rows}


def ids_by_external_id(con: Transaction) -> dict[str, str]:
    """For every article with a source id of its own, that id -> the article's id."""
    rows = con.execute(
        "SELECT external_id, id FROM articles WHERE external_id IS NOT NULL"
    ).fetchall()
    return {external: id_ for external, id_ in rows}


def article_texts(con: Transaction, ids: Sequence[str]) -> dict[str, str]:
    """The text of each article in ``ids``."""
    if not ids:
        return {}
    rows = con.execute(
        "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))", [sorted(set(ids))]
    ).fetchall()
    return {id_: text for id_, text in rows}


def insert_articles(
    con: Transaction,
    records: Sequence[ArticleRecord],
    revision_of: Sequence[str | None],
    ingested_at: datetime,
) -> None:
    """Insert new articles in one statement (columns passed as lists, not a round trip per row)."""
    if not records:
        return
    columns: list[list[Any]] = [
        [r.id for r in records],
        [r.external_id for r in records],
        [r.title for r in records],
        [r.published for r in records],
        [r.published_precision for r in records],
        [r.source for r in records],
        [r.url for r in records],
        [r.text for r in records],
        [r.origin for r in records],
        [json.dumps(r.meta, ensure_ascii=False) if r.meta else None for r in records],
        list(revision_of),
        [r.story for r in records],
        [r.published_offset for r in records],
    ]
    con.execute(
        """
        INSERT INTO articles (id, external_id, title, published, published_precision, source, url,
                              text, origin, meta, revision_of, story, published_offset,
                              ingested_at)
        SELECT unnest($1), unnest($2), unnest($3), unnest($4::TIMESTAMP[]), unnest($5),
               unnest($6), unnest($7), unnest($8), unnest($9), unnest($10)::JSON, unnest($11),
               unnest($12), unnest($13::INTEGER[]), $14
        ON CONFLICT DO NOTHING
        """,
        [*columns, ingested_at],
    )


def give_story(con: Transaction, ids: Sequence[str], story: str) -> int:
    """Put the stored articles ``ids`` that belong to no story yet into ``story`` (a story an
    article already has is kept); returns how many were given it."""
    if not ids:
        return 0
    row = con.execute(
        """
        UPDATE articles SET story = ? WHERE id IN (SELECT unnest(?)) AND story IS NULL
        RETURNING id
        """,
        [story, sorted(set(ids))],
    ).fetchall()
    return len(row)


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles ``articles list`` shows; ``story`` matches the story's name in any case,
    ``search`` the title or the text."""

    source: str | None = None
    search: str | None = None
    story: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The query's ``WHERE`` and its parameters."""
        sql = "WHERE 1 = 1"
        params: list[Any] = []
        if self.source is not None:
            sql += " AND source = ?"
            params.append(self.source)
        if self.story is not None:
            sql += " AND lower(story) = lower(?)"
            params.append(self.story)
        if self.search is not None:
            # literally, any case: % and _ in the search are characters, not LIKE wildcards
            sql += " AND (contains(lower(title), lower(?)) OR contains(lower(text), lower(?)))"
            params += [self.search, self.search]
        return sql, params


def _articles_query(chosen: ArticleFilter, limit: int | None) -> tuple[str, list[Any]]:
    where, params = chosen.where()
    sql = f"SELECT {_COLUMNS} FROM articles {where} ORDER BY published NULLS LAST, seq"  # noqa: S608
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def list_articles(
    con: Transaction,
    *,
    limit: int | None = None,
    source: str | None = None,
    search: str | None = None,
    story: str | None = None,
) -> list[Article]:
    """Articles by publication date (undated last), then ingestion order (the filters as
    :class:`ArticleFilter` reads them)."""
    sql, params = _articles_query(ArticleFilter(source, search, story), limit)
    return [_article(row) for row in con.execute(sql, params).fetchall()]


def recent_articles(con: Transaction, chosen: ArticleFilter, *, limit: int) -> list[Article]:
    """The ``limit`` latest articles ``chosen`` matches: the latest published first (undated
    last), then the latest ingested."""
    where, params = chosen.where()
    sql = (
        f"SELECT {_COLUMNS} FROM articles {where} "  # noqa: S608 - fixed text, values bound
        "ORDER BY published DESC NULLS LAST, seq DESC LIMIT ?"
    )
    return [_article(row) for row in con.execute(sql, [*params, limit]).fetchall()]


def iter_articles(
    con: Transaction, chosen: ArticleFilter, *, limit: int | None = None
) -> Iterator[Article]:
    """The articles of :func:`list_articles`, in its order, read a batch at a time."""
    sql, params = _articles_query(chosen, limit)
    return (_article(row) for row in stream_rows(con, sql, params))


def count_articles(con: Transaction, chosen: ArticleFilter) -> int:
    """How many articles :func:`iter_articles` gives with no limit."""
    where, params = chosen.where()
    row = con.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()  # noqa: S608
    return int(row[0]) if row else 0


def get_article(con: Transaction, ref: str) -> Article:
    """One article by id, unique id prefix (4 characters or more), or the source's own id."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM articles WHERE id = ? OR external_id = ?",  # noqa: S608
        [ref, ref],
    ).fetchall()
    if not rows and len(ref) >= 4:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE starts_with(id, ?) LIMIT 2",  # noqa: S608
            [ref],
        ).fetchall()
    if not rows:
        raise UsageError(f"no article with id {ref!r} (see 'claimtrack articles list')")
    if len(rows) > 1:
        ids = ", ".join(row[0] for row in rows)
        raise UsageError(f"{ref!r} matches more than one article ({ids}); give more of the id")
    return _article(rows[0])
