"""Stories run as a user runs them: pages in a folder, ingested, extracted and tracked offline,
and what the ledger then holds."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from claimtrack.extraction.pipeline import extract_with_rules_backend
from claimtrack.ingest import Limits, ingest_paths
from claimtrack.store import Store
from claimtrack.tracking.pipeline import track_with_rules_backend


def story_ledger(folder: Path, pages: Mapping[str, str]) -> Store:
    """Write ``pages`` ("<published> <title>" → text) as Markdown pages into ``folder`` (which
    may hold other articles already), then ingest, extract and track them with the rules."""
    for number, (head, text) in enumerate(pages.items()):
        published, title = head.split(" ", 1)
        page = f'---\ntitle: "{title}"\npublished: "{published}"\n---\n{text}\n'
        (folder / f"page-{number}.md").write_text(page, encoding="utf-8")
    store = Store(folder / "story.duckdb", lock_timeout=5)
    assert (
        ingest_paths([str(folder)], store, limits=Limits(max_article_bytes=1_000_000)).failed == []
    )
    assert not extract_with_rules_backend(store).failed
    assert track_with_rules_backend(store).failed == []
    return store


def ties(store: Store) -> list[tuple[str, str, str, str]]:
    """(relation, later article's title, the item's quote, the evidence) of every proposal and
    link."""
    with store.read() as con:
        rows = con.execute(
            """
            SELECT t.relation, a.title, i.quote, t.quote
            FROM (SELECT item_id, article_id, relation, quote FROM proposals
                  UNION ALL SELECT item_id, article_id, relation, quote FROM item_links) AS t
            JOIN items AS i ON i.id = t.item_id JOIN articles AS a ON a.id = t.article_id
            """
        ).fetchall()
    return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def found(store: Store, relation: str, title: str, quote: str, evidence: str) -> bool:
    """Whether a proposal or link of ``relation`` ties the article titled ``title`` (a part of
    it) to an item quoting ``quote`` on evidence holding ``evidence``."""
    return any(
        r == relation and title in t and quote in q and evidence in e for r, t, q, e in ties(store)
    )


DONE = frozenset({"finalizes", "fulfils", "triggers", "corroborates", "advances"})


def done_on(store: Store, phrases: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """The status changes of the ledger whose evidence holds one of ``phrases``."""
    return [tie for tie in ties(store) if tie[0] in DONE and any(p in tie[3] for p in phrases)]
