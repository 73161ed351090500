"""SQL for the time rules: overdue commitments and stale items, as of a given day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from claimtrack.store.bulk import insert_rows
from claimtrack.store.connection import Transaction
from claimtrack.store.proposals import PROPOSAL_COLUMNS, proposal_id

# statuses in which a commitment is still waiting to be done, and claims still being watched
OPEN_COMMITMENTS = ("pending", "awaiting_trigger", "finalized", "in_progress", "stalled", "unclear")
OPEN_CLAIMS = ("open", "disputed", "unclear")
TIME_RULES_ID = "time-rules@1"

_STATUS = "(SELECT item_id, arg_max(to_status, seq) AS status FROM item_events GROUP BY item_id)"


def overdue_commitments(con: Transaction, as_of: date) -> list[dict[str, Any]]:
    """Commitments whose deadline is before ``as_of``, still open, never proposed overdue, and
    with no open or accepted proposal that they were fulfilled."""
    rows = con.execute(
        f"""
        SELECT i.id, i.article_id, i.span_start, i.span_end, i.quote, i.deadline,
               i.deadline_text, s.status
        FROM items i JOIN {_STATUS} s ON s.item_id = i.id
        WHERE i.kind = 'commitment' AND i.deadline IS NOT NULL AND i.deadline < ?
          AND s.status IN (SELECT unnest(?))
          AND NOT EXISTS (
            SELECT 1 FROM proposals p WHERE p.item_id = i.id AND p.relation = 'deadline_passed')
          AND NOT EXISTS (
            SELECT 1 FROM proposals p
            LEFT JOIN (SELECT proposal_id, arg_max(state, seq) AS state
                       FROM proposal_decisions GROUP BY proposal_id) d ON d.proposal_id = p.id
            WHERE p.item_id = i.id AND p.relation = 'fulfils'
              AND coalesce(d.state, 'proposed') IN ('proposed', 'skipped', 'accepted'))
        ORDER BY i.deadline, i.id
        """,  # noqa: S608 - fixed text
        [as_of, list(OPEN_COMMITMENTS)],
    ).fetchall()
    return [
        {
            "item_id": r[0],
            "article_id": r[1],
            "span": (r[2], r[3]),
            "quote": r[4],
            "deadline": r[5],
            "deadline_text": r[6],
            "status": r[7],
        }
        for r in rows
    ]


def propose_overdue(
    con: Transaction, found: list[dict[str, Any]], as_of: date, now: datetime
) -> int:
    """One ``deadline_passed`` → ``overdue`` proposal per commitment (its id is a content hash:
    never twice, even after a rejection). Returns how many were new."""
    rows = []
    for item in found:
        reason = (
            f"the deadline {item['deadline'].isoformat()} ('{item['deadline_text']}') passed "
            f"before {as_of.isoformat()} with no evidence of fulfilment"
        )
        rows.append(
            [proposal_id(item["item_id"], item["article_id"], "deadline_passed", "overdue"),
             item["item_id"], item["article_id"], "deadline_passed", item["status"], "overdue",
             item["span"][0], item["span"][1], item["quote"], reason, "as_of", "time-rules",
             None, TIME_RULES_ID, None, now]
        )  # fmt: skip
    if not rows:
        return 0
    before = con.execute("SELECT count(*) FROM proposals").fetchone()
    insert_rows(con, "proposals", PROPOSAL_COLUMNS, rows, on_conflict="ON CONFLICT DO NOTHING")
    after = con.execute("SELECT count(*) FROM proposals").fetchone()
    return int(after[0]) - int(before[0]) if before and after else 0


def stale_items(
    con: Transaction, as_of: date, days: int, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """Open items with no news for ``days`` before ``as_of``: the latest of their own article's
    date and the dates of later articles proposed or linked about them. Returns the count and
    the ``limit`` stalest."""
    cutoff = as_of - timedelta(days=days)
    sql = f"""
        WITH news AS (
            SELECT i.id, i.kind, i.text, s.status,
                   greatest(a.published,
                            (SELECT max(pa.published) FROM proposals p
                             JOIN articles pa ON pa.id = p.article_id
                             WHERE p.item_id = i.id AND p.relation <> 'deadline_passed'),
                            (SELECT max(la.published) FROM item_links l
                             JOIN articles la ON la.id = l.article_id WHERE l.item_id = i.id)
                   ) AS last_news
            FROM items i JOIN {_STATUS} s ON s.item_id = i.id
            JOIN articles a ON a.id = i.article_id
            WHERE (i.kind = 'commitment' AND s.status IN (SELECT unnest($1)))
               OR (i.kind = 'claim' AND s.status IN (SELECT unnest($2)))
        )
        SELECT id, kind, text, status, last_news FROM news
        WHERE last_news IS NOT NULL AND last_news < $3
    """  # noqa: S608 - fixed text
    params = [list(OPEN_COMMITMENTS), list(OPEN_CLAIMS), cutoff]
    count_row = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()  # noqa: S608
    rows = con.execute(sql + " ORDER BY last_news, id LIMIT $4", [*params, limit]).fetchall()
    return int(count_row[0]) if count_row else 0, [
        {
            "id": r[0],
            "kind": r[1],
            "text": r[2],
            "status": r[3],
            "last_news": r[4].date().isoformat() if r[4] else None,
        }
        for r in rows
    ]
