"""SQL for stories: the articles that share a ``story`` name, and what they hold."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from claimtrack.store.connection import Transaction


@dataclass(frozen=True)
class StorySummary:
    """One story: how many articles, items and open proposals it has, and its first and last
    article's date (ISO, naive UTC)."""

    name: str
    articles: int
    items: int
    open_proposals: int  # proposed or skipped, about its items or with evidence in its articles
    first_published: str | None
    last_published: str | None

    def to_json(self) -> dict[str, Any]:
        """The story as ``stories list --json`` prints it."""
        return asdict(self)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def list_stories(con: Transaction, name: str | None = None) -> list[StorySummary]:
    """Every story (or the one called ``name``, in any case), the latest first."""
    rows = con.execute(
        """
        WITH stories AS (
            SELECT story, count(*) AS articles, min(published) AS first_published,
                   max(published) AS last_published
            FROM articles WHERE story IS NOT NULL
              AND ($1::VARCHAR IS NULL OR lower(story) = lower($1))
            GROUP BY story
        ),
        story_items AS (
            SELECT a.story, count(*) AS items FROM items i JOIN articles a ON a.id = i.article_id
            WHERE a.story IN (SELECT story FROM stories) GROUP BY a.story
        ),
        open_proposals AS (
            SELECT p.id, p.article_id, p.item_id FROM proposals p
            LEFT JOIN (SELECT proposal_id, arg_max(state, seq) AS state
                       FROM proposal_decisions GROUP BY proposal_id) d ON d.proposal_id = p.id
            WHERE coalesce(d.state, 'proposed') IN ('proposed', 'skipped')
        ),
        story_proposals AS (
            SELECT s.story, count(DISTINCT o.id) AS open_proposals
            FROM open_proposals o
            JOIN articles pa ON pa.id = o.article_id
            JOIN items i ON i.id = o.item_id
            JOIN articles ia ON ia.id = i.article_id
            JOIN stories s ON s.story = pa.story OR s.story = ia.story
            GROUP BY s.story
        )
        SELECT s.story, s.articles, coalesce(si.items, 0), coalesce(sp.open_proposals, 0),
               s.first_published, s.last_published
        FROM stories s
        LEFT JOIN story_items si ON si.story = s.story
        LEFT JOIN story_proposals sp ON sp.story = s.story
        ORDER BY s.last_published DESC NULLS LAST, s.story
        """,
        [name],
    ).fetchall()
    return [
        StorySummary(story, articles, items, open_count, _iso(first), _iso(last))
        for story, articles, items, open_count, first, last in rows
    ]
