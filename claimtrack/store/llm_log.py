"""SQL for the LLM call log and the response cache."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from claimtrack.store.connection import Transaction

if TYPE_CHECKING:
    from claimtrack.llm import CallRecord


def record_calls(con: Transaction, calls: Sequence[CallRecord]) -> None:
    """Append call records (inside the caller's transaction)."""
    for call in calls:
        con.execute(
            """
            INSERT INTO llm_calls (id, called_at, purpose, article_id, backend_url, model, mode,
                prompt_id, request_hash, attempt, outcome, error, prompt_tokens,
                completion_tokens, cached_tokens, latency_ms, cost_usd, response)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """,
            [
                call.id,
                call.called_at,
                call.purpose,
                call.article_id,
                call.backend_url,
                call.model,
                call.mode,
                call.prompt_id,
                call.request_hash,
                call.attempt,
                call.outcome,
                call.error,
                call.prompt_tokens,
                call.completion_tokens,
                call.cached_tokens,
                call.latency_ms,
                call.cost_usd,
                call.response,
            ],
        )


def cached_responses(con: Transaction, keys: Iterable[str]) -> dict[str, Any]:
    """The cached answers (as JSON values) for those of ``keys`` that have one."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    rows = con.execute(
        "SELECT key, response FROM llm_cache WHERE key IN (SELECT unnest(?))", [wanted]
    ).fetchall()
    return {key: json.loads(response) for key, response in rows}


def cache_response(
    con: Transaction,
    key: str,
    *,
    model: str,
    prompt_id: str,
    response: Any,
    now: datetime,
) -> None:
    con.execute(
        """
        INSERT OR REPLACE INTO llm_cache (key, model, prompt_id, response, created_at)
        VALUES (?, ?, ?, ?, ?)
        """,
        [key, model, prompt_id, json.dumps(response, ensure_ascii=False), now],
    )
