"""SQL for the LLM call log and the response cache."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from claimtrack.store.connection import Transaction


class CallRecord(Protocol):
    """What the log stores of one LLM call (``claimtrack.llm.CallRecord`` has these fields; the
    store names them here rather than import the client's module, which sits above it)."""

    @property
    def id(self) -> str: ...

    @property
    def called_at(self) -> datetime: ...

    @property
    def purpose(self) -> str: ...

    @property
    def article_id(self) -> str | None: ...

    @property
    def backend_url(self) -> str | None: ...

    @property
    def model(self) -> str | None: ...

    @property
    def mode(self) -> str | None: ...

    @property
    def prompt_id(self) -> str | None: ...

    @property
    def request_hash(self) -> str | None: ...

    @property
    def attempt(self) -> int: ...

    @property
    def outcome(self) -> str: ...

    @property
    def error(self) -> str | None: ...

    @property
    def prompt_tokens(self) -> int | None: ...

    @property
    def completion_tokens(self) -> int | None: ...

    @property
    def cached_tokens(self) -> int | None: ...

    @property
    def latency_ms(self) -> float | None: ...

    @property
    def cost_usd(self) -> float | None: ...

    @property
    def response(self) -> str | None: ...


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
