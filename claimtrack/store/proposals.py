"""SQL for tracking: tracking records, proposals, review decisions, and links between items.

A proposal's review state is its latest row in ``proposal_decisions`` (``proposed`` when it has
none); an item's status is its latest ``item_events`` row. Both tables are append-only: a decision
is undone by a new row, never by an update, so the history of who decided what stays whole.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.store.bulk import insert_rows
from claimtrack.store.items import articles_without_done
from claimtrack.tracking.retrieval import IndexedItem, Order
from claimtrack.tracking.statuses import REVIEW_STATES, valid_status

# the stored columns, in the order rows are built below
PROPOSAL_COLUMNS = (
    ("id", "VARCHAR"), ("item_id", "VARCHAR"), ("article_id", "VARCHAR"), ("relation", "VARCHAR"),
    ("from_status", "VARCHAR"), ("to_status", "VARCHAR"), ("span_start", "INTEGER"),
    ("span_end", "INTEGER"), ("quote", "VARCHAR"), ("reason", "VARCHAR"),
    ("order_basis", "VARCHAR"), ("backend", "VARCHAR"), ("model", "VARCHAR"),
    ("prompt_id", "VARCHAR"), ("score", "DOUBLE"), ("created_at", "TIMESTAMP"),
)  # fmt: skip
_LINK_COLUMNS = (
    ("id", "VARCHAR"), ("item_id", "VARCHAR"), ("article_id", "VARCHAR"),
    ("linked_item_id", "VARCHAR"), ("relation", "VARCHAR"), ("span_start", "INTEGER"),
    ("span_end", "INTEGER"), ("quote", "VARCHAR"), ("created_at", "TIMESTAMP"),
)  # fmt: skip
_TRACKING_COLUMNS = (
    ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("backend", "VARCHAR"), ("model", "VARCHAR"),
    ("prompt_id", "VARCHAR"), ("status", "VARCHAR"), ("candidates", "INTEGER"),
    ("judged", "INTEGER"), ("proposals_new", "INTEGER"), ("links_new", "INTEGER"),
    ("dropped", "JSON"), ("llm_calls", "INTEGER"), ("order_basis", "VARCHAR"),
    ("error", "VARCHAR"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
)  # fmt: skip


class AlreadyDecided(ClaimtrackError):
    """The proposal was decided (here or in another terminal) since it was shown."""


def _hash(*parts: object) -> str:
    material = "\x1f".join("" if part is None else str(part) for part in parts).encode()
    return hashlib.sha256(material).hexdigest()[:16]


def tracking_id(article_id: str, backend: str, model: str | None, prompt_id: str) -> str:
    return _hash("tracking", article_id, backend, model, prompt_id)


def proposal_id(item_id: str, article_id: str, relation: str, to_status: str) -> str:
    """Content-hash id: judging the same article again proposes nothing new."""
    return _hash(item_id, article_id, relation, to_status)


@dataclass
class Judgement:
    """What a judge concluded about one candidate item for one later article."""

    item_id: str
    relation: str
    to_status: str | None  # None for repeats and unrelated
    span: tuple[int, int] | None  # the evidence in the later article
    quote: str | None
    reason: str | None = None
    score: float | None = None
    order_basis: str = "published"
    linked_item_id: str | None = None  # repeats: the later article's own item that restates it


@dataclass
class TrackingRecord:
    id: str
    article_id: str
    backend: str
    model: str | None
    prompt_id: str
    started_at: datetime
    finished_at: datetime
    status: str = "done"
    candidates: int = 0
    judged: int = 0
    proposals_new: int = 0
    links_new: int = 0
    dropped: list[str] = field(default_factory=list)
    llm_calls: int = 0
    order_basis: str | None = None
    error: str | None = None
    # a tracked article judged again because an earlier article arrived after it was tracked:
    # its proposals and links are stored, its tracking record is left as it was
    backfill: bool = False


# -- what tracking reads --------------------------------------------------------------------------


def pending_articles(
    con: duckdb.DuckDBPyConnection,
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
    only: Sequence[str] | None = None,
) -> list[str]:
    """Extracted articles not yet tracked by this backend, model and prompt, oldest first."""
    return articles_without_done(
        con,
        "trackings",
        backend=backend,
        model=model,
        prompt_id=prompt_id,
        only=only,
        extracted_only=True,
    )


def indexed_items(con: duckdb.DuckDBPyConnection) -> list[IndexedItem]:
    """Every item that is not itself a restatement of an earlier one, as the index reads it."""
    rows = con.execute(
        """
        SELECT i.id, i.kind, i.article_id, a.published, a.seq, i.text, i.quote, i.speaker,
               i.speaker_canonical, i.actors, i.action, i.condition
        FROM items i JOIN articles a ON a.id = i.article_id
        WHERE NOT EXISTS (SELECT 1 FROM item_links l WHERE l.linked_item_id = i.id)
        ORDER BY a.seq, i.span_start
        """
    ).fetchall()
    from claimtrack.tracking.retrieval import name_keys

    found = []
    for (id_, kind, article_id, published, seq, text, quote, speaker, canonical, actors,
         action, condition) in rows:  # fmt: skip
        actor_list = json.loads(actors) if actors else []
        names: set[str] = set()
        for name in (speaker, canonical, *actor_list):
            names |= name_keys(name)
        document = " ".join(
            part
            for part in (text, quote, canonical or speaker, *actor_list, action, condition)
            if part
        )
        found.append(
            IndexedItem(
                id=id_,
                kind=kind,
                article_id=article_id,
                order=Order(published.date() if published else None, seq),
                document=document,
                names=names,
            )
        )
    return found


def tracked_later_than(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str],
    *,
    backend: str,
    model: str | None,
    prompt_id: str,
) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Articles tracked (by this backend, model and prompt) before some of ``article_ids`` were
    extracted, that may come after one of them (ingested after it, or published on a later day),
    with when each was tracked; and when each of ``article_ids`` was extracted. A tracking could
    not see the items of an article extracted after it. A superset: retrieval then decides item
    by item (:func:`claimtrack.tracking.retrieval.order_basis`)."""
    extracted = dict(
        con.execute(
            """
            SELECT article_id, max(finished_at) FROM extractions
            WHERE article_id IN (SELECT unnest(?)) AND status = 'done' GROUP BY article_id
            """,
            [list(article_ids)],
        ).fetchall()
    )
    if not extracted:
        return {}, {}
    tracked = con.execute(
        """
        WITH page AS (
            SELECT min(seq) AS seq, min(published) AS published
            FROM articles WHERE id IN (SELECT unnest($ids))
        )
        SELECT a.id, max(r.finished_at) FROM articles a, page, trackings r
        WHERE r.article_id = a.id AND r.status = 'done' AND r.backend = $backend
          AND coalesce(r.model, '') = $model AND r.prompt_id = $prompt
          AND r.finished_at < $extracted
          AND a.id NOT IN (SELECT unnest($ids))
          AND (a.seq > page.seq OR a.published::DATE > page.published::DATE)
        GROUP BY a.id, a.published, a.seq
        ORDER BY a.published NULLS LAST, a.seq
        """,
        {"ids": list(article_ids), "backend": backend, "model": model or "",
         "prompt": prompt_id, "extracted": max(extracted.values())},
    ).fetchall()  # fmt: skip
    return dict(tracked), extracted


def article_for_tracking(
    con: duckdb.DuckDBPyConnection, article_id: str
) -> tuple[str, str, str | None, date | None, int]:
    """(id, text, title, published day, seq)."""
    row = con.execute(
        "SELECT id, text, title, published, seq FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None:
        raise UsageError(f"no article with id {article_id!r}")
    return row[0], row[1], row[2], row[3].date() if row[3] else None, row[4]


def items_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The fields a judge needs, with the current status, for ``ids``."""
    if not ids:
        return {}
    rows = con.execute(
        """
        WITH wanted AS (SELECT unnest($1) AS id),
        status AS (
            SELECT item_id, arg_max(to_status, seq) AS status FROM item_events
            WHERE item_id IN (SELECT id FROM wanted) GROUP BY item_id
        )
        SELECT i.id, i.kind, i.text, i.quote, i.speaker, i.speaker_canonical, i.actors, i.action,
               i.condition, i.deadline, i.article_id, a.title, a.published, s.status
        FROM items i JOIN articles a ON a.id = i.article_id
        LEFT JOIN status s ON s.item_id = i.id
        WHERE i.id IN (SELECT id FROM wanted)
        """,
        [list(ids)],
    ).fetchall()
    found = {}
    for (id_, kind, text, quote, speaker, canonical, actors, action, condition, deadline,
         article_id, title, published, status) in rows:  # fmt: skip
        found[id_] = {
            "id": id_,
            "kind": kind,
            "text": text,
            "quote": quote,
            "speaker": speaker,
            "speaker_canonical": canonical,
            "actors": json.loads(actors) if actors else [],
            "action": action,
            "condition": condition,
            "deadline": deadline.isoformat() if deadline else None,
            "article_id": article_id,
            "article_title": title,
            "article_published": published.date().isoformat() if published else None,
            "status": status,
        }
    return found


def article_items(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """For each of ``article_ids``, (id, kind, span, speaker_canonical, text) of the items
    extracted from it, in reading order (one query for them all)."""
    found: dict[str, list[dict[str, Any]]] = {article_id: [] for article_id in article_ids}
    rows = con.execute(
        """
        SELECT article_id, id, kind, span_start, span_end, coalesce(speaker_canonical, speaker),
            text
        FROM items WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, span_start
        """,
        [list(article_ids)],
    ).fetchall()
    for r in rows:
        found[r[0]].append(
            {"id": r[1], "kind": r[2], "span": (r[3], r[4]), "speaker": r[5], "text": r[6]}
        )
    return found


# -- what tracking writes -------------------------------------------------------------------------


def save_trackings(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[tuple[TrackingRecord, Sequence[Judgement]]],
    now: datetime,
) -> tuple[int, int]:
    """Write articles' proposals, links and tracking records; call inside one transaction.

    Proposals and links already stored are kept as they are. Returns (new proposals, new links).
    """
    item_ids = sorted({j.item_id for _, judgements in batch for j in judgements})
    statuses = (
        dict(
            con.execute(
                """
            SELECT item_id, arg_max(to_status, seq) FROM item_events
            WHERE item_id IN (SELECT unnest(?)) GROUP BY item_id
            """,
                [item_ids],
            ).fetchall()
        )
        if item_ids
        else {}
    )
    proposal_rows: list[list[Any]] = []
    link_rows: list[list[Any]] = []
    for record, judgements in batch:
        record.proposals_new = record.links_new = 0
        for j in judgements:
            start, end = j.span if j.span else (None, None)
            if j.relation == "repeats":
                link_rows.append(
                    [_hash("link", j.item_id, record.article_id), j.item_id, record.article_id,
                     j.linked_item_id, j.relation, start, end, j.quote, record]
                )  # fmt: skip
            elif j.to_status is not None or j.relation == "mentions":
                # a mention proposes no change: its status is the item's own until the reviewer
                # picks a relation
                current = statuses.get(j.item_id, "unclear")
                to_status = j.to_status or current
                proposal_rows.append(
                    [proposal_id(j.item_id, record.article_id, j.relation, to_status),
                     j.item_id, record.article_id, j.relation,
                     current, to_status, start, end, j.quote,
                     j.reason, j.order_basis, record.backend, record.model, record.prompt_id,
                     j.score, record]
                )  # fmt: skip
    new_proposals = _fresh(con, "proposals", proposal_rows)
    new_links = _fresh(con, "item_links", link_rows)
    for row in new_proposals:
        row[-1].proposals_new += 1
    for row in new_links:
        row[-1].links_new += 1
    # the last element of each row is its tracking record, counted above, not stored
    insert_rows(con, "proposals", PROPOSAL_COLUMNS, [[*row[:-1], now] for row in new_proposals])
    insert_rows(con, "item_links", _LINK_COLUMNS, [[*row[:-1], now] for row in new_links])
    records = [record for record, _ in batch if not record.backfill]
    if not records:
        return len(new_proposals), len(new_links)
    rows = [
        [r.id, r.article_id, r.backend, r.model, r.prompt_id, r.status, r.candidates, r.judged,
         r.proposals_new, r.links_new,
         json.dumps(r.dropped, ensure_ascii=False) if r.dropped else None, r.llm_calls,
         r.order_basis, r.error, r.started_at, r.finished_at]
        for r in {r.id: r for r in records}.values()  # one row per id: each replaces the last
    ]  # fmt: skip
    insert_rows(con, "trackings", _TRACKING_COLUMNS, rows, replace=True)
    return len(new_proposals), len(new_links)


def _fresh(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[Any]]) -> list[list[Any]]:
    """The rows whose id (first column) is neither stored nor repeated earlier in ``rows``."""
    if not rows:
        return []
    known = {
        row[0]
        for row in con.execute(
            f"SELECT id FROM {table} WHERE id IN (SELECT unnest(?))",  # noqa: S608 - fixed names
            [[row[0] for row in rows]],
        ).fetchall()
    }
    fresh = []
    for row in rows:
        if row[0] not in known:
            known.add(row[0])
            fresh.append(row)
    return fresh


# -- proposals: reading ---------------------------------------------------------------------------

# a fixed query text: the f-strings below add only fixed clauses, every value is a parameter
_PROPOSAL_SELECT = """
    SELECT p.id, p.item_id, p.article_id, p.relation, p.from_status, p.to_status, p.quote,
           p.span_start, p.span_end, coalesce(d.state, 'proposed') AS state, p.reason,
           p.order_basis, p.backend, p.model, p.prompt_id, p.score, p.created_at, p.seq,
           d.decided_at, d.actor, d.applied_status, d.note,
           i.kind, i.text, coalesce(i.speaker_canonical, i.speaker), i.quote, i.article_id,
           s.status, a.title, a.published, ia.title, ia.published
    FROM proposals p
    LEFT JOIN (
        SELECT proposal_id, arg_max(state, seq) AS state, arg_max(decided_at, seq) AS decided_at,
               arg_max(actor, seq) AS actor, arg_max(to_status, seq) AS applied_status,
               arg_max(note, seq) AS note
        FROM proposal_decisions GROUP BY proposal_id
    ) d ON d.proposal_id = p.id
    JOIN items i ON i.id = p.item_id
    JOIN (SELECT item_id, arg_max(to_status, seq) AS status FROM item_events GROUP BY item_id) s
      ON s.item_id = p.item_id
    JOIN articles a ON a.id = p.article_id
    JOIN articles ia ON ia.id = i.article_id
"""


def _proposals_where(clause: str) -> str:
    """The proposals query with a fixed ``clause`` (values are always parameters)."""
    return f"SELECT * FROM ({_PROPOSAL_SELECT}) WHERE {clause}"  # noqa: S608


def _proposals_narrowed(condition: str) -> str:
    """The proposals query for the few proposals matching ``condition`` (on the proposals table;
    values as numbered parameters, ``$1``): their decisions and their items' events are
    aggregated alone, not the whole tables (100,000 proposals: ~31 ms → a few ms a lookup)."""
    chosen = f"(SELECT * FROM proposals WHERE {condition})"  # noqa: S608 - fixed conditions
    return (
        _PROPOSAL_SELECT.replace("FROM proposals p", f"FROM {chosen} p", 1)
        .replace(
            "FROM proposal_decisions GROUP BY",
            f"FROM proposal_decisions WHERE proposal_id IN (SELECT id FROM {chosen}) GROUP BY",  # noqa: S608
            1,
        )
        .replace(
            "FROM item_events GROUP BY",
            f"FROM item_events WHERE item_id IN (SELECT item_id FROM {chosen}) GROUP BY",  # noqa: S608
            1,
        )
    )


def _proposal_row(row: Sequence[Any]) -> dict[str, Any]:
    (id_, item_id, article_id, relation, from_status, to_status, quote, start, end, state,
     reason, basis, backend, model, prompt_id, score, created, seq, decided_at, actor, applied,
     note, kind, item_text, speaker, item_quote, item_article, status, title, published,
     item_title, item_published) = row  # fmt: skip
    return {
        "id": id_,
        "item_id": item_id,
        "article_id": article_id,
        "relation": relation,
        "from_status": from_status,
        "to_status": to_status,
        "quote": quote,
        "span": [start, end] if start is not None else None,
        "state": state,
        "reason": reason,
        "order_basis": basis,
        "backend": backend,
        "model": model,
        "prompt_id": prompt_id,
        "score": round(score, 3) if score is not None else None,
        "created_at": created.isoformat(timespec="seconds"),
        "seq": seq,
        "decided_at": decided_at.isoformat(timespec="seconds") if decided_at else None,
        "decided_by": actor,
        "applied_status": applied,
        "note": note,
        "item_kind": kind,
        "item_text": item_text,
        "item_speaker": speaker,
        "item_quote": item_quote,
        "item_article_id": item_article,
        "item_status": status,
        "article_title": title,
        "article_published": published.isoformat() if published else None,
        "item_article_title": item_title,
        "item_article_published": item_published.isoformat() if item_published else None,
    }


def list_proposals(
    con: duckdb.DuckDBPyConnection,
    *,
    state: str | None = None,
    item_id: str | None = None,
    relation: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Proposals, newest first, each with its item and the disagreeing proposals flagged."""
    sql = _proposals_where("1 = 1")
    params: list[Any] = []
    if state is not None:
        sql += " AND state = ?"
        params.append(state)
    if item_id is not None:
        sql += " AND item_id = ?"
        params.append(item_id)
    if relation is not None:
        sql += " AND relation = ?"
        params.append(relation)
    sql += " ORDER BY seq DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    found = [_proposal_row(row) for row in con.execute(sql, params).fetchall()]
    _flag_conflicts(con, found)
    return found


def _flag_conflicts(con: duckdb.DuckDBPyConnection, proposals: list[dict[str, Any]]) -> None:
    """``conflicts_with``: other open proposals for the same item that propose another status
    (both are kept and shown; nothing is merged)."""
    item_ids = sorted({p["item_id"] for p in proposals})
    if not item_ids:
        return
    narrowed = _proposals_narrowed("item_id IN (SELECT unnest($1))")
    rows = con.execute(
        f"""
        SELECT item_id, id, to_status FROM ({narrowed})
        WHERE state IN ('proposed', 'skipped')
        """,  # noqa: S608 - the query text is fixed
        [item_ids],
    ).fetchall()
    by_item: dict[str, list[tuple[str, str]]] = {}
    for item, id_, to_status in rows:
        by_item.setdefault(item, []).append((id_, to_status))
    for proposal in proposals:
        proposal["conflicts_with"] = sorted(
            id_
            for id_, to_status in by_item.get(proposal["item_id"], [])
            if id_ != proposal["id"] and to_status != proposal["to_status"]
        )


def get_proposal(con: duckdb.DuckDBPyConnection, ref: str) -> dict[str, Any]:
    """One proposal by id or unique prefix (4 characters or more)."""
    rows = con.execute(_proposals_narrowed("id = $1"), [ref]).fetchall()
    if not rows and len(ref) >= 4:
        rows = con.execute(
            _proposals_narrowed("starts_with(id, $1)") + " LIMIT 2", [ref]
        ).fetchall()
    if not rows:
        raise UsageError(f"no proposal with id {ref!r} (see 'claimtrack proposals list')")
    if len(rows) > 1:
        raise UsageError(f"{ref!r} matches more than one proposal; give more of the id")
    proposal = _proposal_row(rows[0])
    _flag_conflicts(con, [proposal])
    return proposal


def count_proposals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute(
        _proposals_where("1 = 1").replace("SELECT *", "SELECT state, count(*)", 1)
        + " GROUP BY state"
    ).fetchall()
    return {state: int(count) for state, count in rows}


# -- proposals: deciding --------------------------------------------------------------------------


def _current_status(con: duckdb.DuckDBPyConnection, item_id: str) -> str:
    row = con.execute(
        "SELECT arg_max(to_status, seq) FROM item_events WHERE item_id = ?", [item_id]
    ).fetchone()
    return str(row[0]) if row and row[0] else "unclear"


def append_item_event(
    con: duckdb.DuckDBPyConnection,
    *,
    item_id: str,
    actor: str,
    to_status: str,
    now: datetime,
    article_id: str | None = None,
    span: tuple[int, int] | None = None,
    quote: str | None = None,
    proposal_id: str | None = None,
    note: str | None = None,
) -> tuple[str, str]:
    """Append a status change; returns (event id, the status it changed from)."""
    from_status = _current_status(con, item_id)
    event_id = uuid.uuid4().hex[:16]
    con.execute(
        """
        INSERT INTO item_events (id, item_id, occurred_at, actor, from_status, to_status,
            article_id, span_start, span_end, quote, proposal_id, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [event_id, item_id, now, actor, from_status, to_status, article_id,
         span[0] if span else None, span[1] if span else None, quote, proposal_id, note],
    )  # fmt: skip
    return event_id, from_status


def decide(
    con: duckdb.DuckDBPyConnection,
    ref: str,
    state: str,
    *,
    actor: str,
    now: datetime,
    to_status: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Accept, reject or skip a proposal (inside one write transaction).

    Accepting appends the item's status event (``to_status`` overrides the proposed status: the
    edit). A proposal already accepted or rejected raises :class:`AlreadyDecided`; a skipped one
    can still be decided.
    """
    proposal = get_proposal(con, ref)
    if proposal["state"] in ("accepted", "rejected"):
        raise AlreadyDecided(
            f"proposal {proposal['id']} was already {proposal['state']} by "
            f"{proposal['decided_by']} at {proposal['decided_at']}; undo it first "
            f"('claimtrack proposals undo {proposal['id']}')"
        )
    if state == "skipped" and proposal["state"] == "skipped":
        raise AlreadyDecided(f"proposal {proposal['id']} is already skipped")
    event_id = None
    applied = None
    if state == "accepted":
        applied = to_status or proposal["to_status"]
        if not valid_status(proposal["item_kind"], applied):
            raise UsageError(
                f"{applied!r} is not a status for a {proposal['item_kind']}; "
                "see 'claimtrack proposals accept --help'"
            )
        span = tuple(proposal["span"]) if proposal["span"] else None
        event_id, _ = append_item_event(
            con,
            item_id=proposal["item_id"],
            actor=actor,
            to_status=applied,
            now=now,
            article_id=proposal["article_id"],
            span=span,
            quote=proposal["quote"],
            proposal_id=proposal["id"],
            note=note or f"{proposal['relation']} (proposal {proposal['id']})",
        )
    _decision(con, proposal["id"], state, actor, now, applied, note, event_id)
    return get_proposal(con, proposal["id"])


def undo(con: duckdb.DuckDBPyConnection, ref: str, *, actor: str, now: datetime) -> dict[str, Any]:
    """Put a decided proposal back to ``proposed``; an accepted one gives the item back the
    status it had before (as a new event)."""
    proposal = get_proposal(con, ref)
    if proposal["state"] == "proposed":
        raise AlreadyDecided(f"proposal {proposal['id']} has no decision to undo")
    event_id = None
    if proposal["state"] == "accepted":
        row = con.execute(
            """
            SELECT e.from_status FROM proposal_decisions d
            JOIN item_events e ON e.id = d.item_event_id
            WHERE d.proposal_id = ? AND d.state = 'accepted' ORDER BY d.seq DESC LIMIT 1
            """,
            [proposal["id"]],
        ).fetchone()
        before = row[0] if row and row[0] else proposal["from_status"]
        event_id, _ = append_item_event(
            con,
            item_id=proposal["item_id"],
            actor=actor,
            to_status=before,
            now=now,
            proposal_id=proposal["id"],
            note=f"undo: acceptance of proposal {proposal['id']} reverted",
        )
    _decision(
        con, proposal["id"], "proposed", actor, now, None, f"undo {proposal['state']}", event_id
    )
    return get_proposal(con, proposal["id"])


def _decision(
    con: duckdb.DuckDBPyConnection,
    proposal: str,
    state: str,
    actor: str,
    now: datetime,
    to_status: str | None,
    note: str | None,
    event_id: str | None,
) -> None:
    con.execute(
        """
        INSERT INTO proposal_decisions (id, proposal_id, decided_at, actor, state, to_status,
            note, item_event_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [uuid.uuid4().hex[:16], proposal, now, actor, state, to_status, note, event_id],
    )


def decisions(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict[str, Any]]:
    """The history of decisions, newest first: who, when, what."""
    sql = """
        SELECT d.decided_at, d.actor, d.state, d.to_status, d.note, d.proposal_id, p.item_id,
               p.relation
        FROM proposal_decisions d JOIN proposals p ON p.id = d.proposal_id
        ORDER BY d.seq DESC
    """
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        {
            "decided_at": at.isoformat(timespec="seconds"),
            "actor": actor,
            "state": state,
            "to_status": to_status,
            "note": note,
            "proposal_id": proposal,
            "item_id": item,
            "relation": relation,
        }
        for at, actor, state, to_status, note, proposal, item, relation in con.execute(
            sql, params
        ).fetchall()
    ]


# -- the review queue: pages in a chosen order, filtered, with what the detail pane shows ---------

REVIEW_SORTS: tuple[str, ...] = ("newest", "story", "speaker")
# "open" = not yet accepted or rejected (proposed or skipped); "all" = every state
REVIEW_STATE_CHOICES: tuple[str, ...] = ("proposed", "open", *REVIEW_STATES[1:], "all")

_REVIEW_ORDER = {
    "newest": "p.seq DESC",
    # the story the item came from: its source, then its article (newest story first)
    "story": "ia.source NULLS LAST, ia.published DESC NULLS LAST, i.article_id, i.span_start, "
    "p.seq DESC",
    "speaker": "lower(coalesce(i.speaker_canonical, i.speaker)) NULLS LAST, p.seq DESC",
}
# the proposals query with four more columns: the item's span and both articles' sources
_REVIEW_SELECT = _PROPOSAL_SELECT.replace(
    "FROM proposals p", ", i.span_start, i.span_end, a.source, ia.source\n    FROM proposals p", 1
)


@dataclass(frozen=True)
class ProposalFilter:
    """What the review queue shows: a review state and optional narrowing, and the order.

    ``speaker``, ``source`` and ``text`` match case-insensitively anywhere in the field:
    ``source`` in either article's source or title, ``text`` in the item's text or quote, the
    evidence quote or the judge's reason.
    """

    state: str = "proposed"
    relation: str | None = None
    status: str | None = None  # the item's current status
    speaker: str | None = None
    source: str | None = None
    text: str | None = None
    sort: str = "newest"

    def describe(self) -> str:
        """``proposed · relation=retracts · speaker~ruiz``: for a status line."""
        parts = [self.state]
        for name in ("relation", "status"):
            if getattr(self, name):
                parts.append(f"{name}={getattr(self, name)}")
        for name in ("speaker", "source", "text"):
            if getattr(self, name):
                parts.append(f"{name}~{getattr(self, name)}")
        return " · ".join(parts)


def _review_where(query: ProposalFilter) -> tuple[str, list[Any]]:
    clauses = ["1 = 1"]
    params: list[Any] = []
    state = "coalesce(d.state, 'proposed')"
    if query.state == "open":
        clauses.append(f"{state} IN ('proposed', 'skipped')")
    elif query.state != "all":
        clauses.append(f"{state} = ?")
        params.append(query.state)
    if query.relation:
        clauses.append("p.relation = ?")
        params.append(query.relation)
    if query.status:
        clauses.append("s.status = ?")
        params.append(query.status)
    if query.speaker:
        clauses.append(
            "(contains(lower(i.speaker), lower(?))"
            " OR contains(lower(i.speaker_canonical), lower(?)))"
        )
        params += [query.speaker, query.speaker]
    if query.source:
        clauses.append(
            "(contains(lower(a.source), lower(?)) OR contains(lower(a.title), lower(?))"
            " OR contains(lower(ia.source), lower(?)) OR contains(lower(ia.title), lower(?)))"
        )
        params += [query.source] * 4
    if query.text:
        clauses.append(
            "(contains(lower(i.text), lower(?)) OR contains(lower(i.quote), lower(?))"
            " OR contains(lower(p.quote), lower(?)) OR contains(lower(p.reason), lower(?)))"
        )
        params += [query.text] * 4
    return " AND ".join(clauses), params


def review_page(
    con: duckdb.DuckDBPyConnection, query: ProposalFilter, *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """One page of the review queue: proposals as :func:`list_proposals` gives them, plus
    ``item_span`` and both articles' sources, in ``query.sort`` order."""
    if query.sort not in _REVIEW_ORDER:
        raise UsageError(f"unknown sort {query.sort!r}: use one of {', '.join(REVIEW_SORTS)}")
    where, params = _review_where(query)
    sql = f"{_REVIEW_SELECT} WHERE {where} ORDER BY {_REVIEW_ORDER[query.sort]} LIMIT ? OFFSET ?"
    found = []
    for row in con.execute(sql, [*params, limit, offset]).fetchall():
        proposal = _proposal_row(row[:-4])
        start, end, source, item_source = row[-4:]
        proposal.update(item_span=[start, end], source=source, item_source=item_source)
        found.append(proposal)
    _flag_conflicts(con, found)
    return found


def review_count(con: duckdb.DuckDBPyConnection, query: ProposalFilter) -> int:
    """How many proposals ``query`` matches (all pages)."""
    where, params = _review_where(query)
    sql = f"SELECT count(*) FROM ({_REVIEW_SELECT} WHERE {where})"  # noqa: S608 - fixed text
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def article_texts(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    """The text of each article in ``ids``."""
    if not ids:
        return {}
    rows = con.execute(
        "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))", [sorted(set(ids))]
    ).fetchall()
    return {id_: text for id_, text in rows}


def item_timelines(
    con: duckdb.DuckDBPyConnection, item_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Each item's events, oldest first, as :func:`~claimtrack.store.items.get_item` gives them,
    plus the evidence article's title and date."""
    if not item_ids:
        return {}
    rows = con.execute(
        """
        SELECT e.item_id, e.occurred_at, e.actor, e.from_status, e.to_status, e.article_id,
               e.quote, e.note, e.proposal_id, a.title, a.published
        FROM item_events e LEFT JOIN articles a ON a.id = e.article_id
        WHERE e.item_id IN (SELECT unnest(?)) ORDER BY e.seq
        """,
        [sorted(set(item_ids))],
    ).fetchall()
    found: dict[str, list[dict[str, Any]]] = {id_: [] for id_ in item_ids}
    for (item, at, actor, from_status, to_status, article, quote, note, proposal, title,
         published) in rows:  # fmt: skip
        found[item].append(
            {
                "at": at.isoformat(timespec="seconds"),
                "actor": actor,
                "from": from_status,
                "to": to_status,
                "article_id": article,
                "quote": quote,
                "note": note,
                "proposal_id": proposal,
                "article_title": title,
                "article_published": published.date().isoformat() if published else None,
            }
        )
    return found


def items_page(
    con: duckdb.DuckDBPyConnection,
    *,
    status: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """One page of items (newest article first) with their current status, and how many match
    in all: the review UI's list of items (for example every overdue commitment)."""
    from claimtrack.store.items import _ITEM_COLUMNS, _ITEM_FROM, _item_row

    where = "WHERE 1 = 1"
    params: list[Any] = []
    if status:
        where += " AND s.status = ?"
        params.append(status)
    if kind:
        where += " AND i.kind = ?"
        params.append(kind)
    if text:
        where += (
            " AND (contains(lower(i.text), lower(?)) OR contains(lower(i.speaker), lower(?))"
            " OR contains(lower(i.speaker_canonical), lower(?)))"
        )
        params += [text] * 3
    total_row = con.execute(f"SELECT count(*) {_ITEM_FROM} {where}", params).fetchone()
    rows = con.execute(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} {where} "
        "ORDER BY a.published DESC NULLS LAST, a.seq DESC, i.span_start, i.kind LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [_item_row(row) for row in rows], int(total_row[0]) if total_row else 0
