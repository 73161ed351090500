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
    """Append call records (inside the caller's transaction), in one statement; a record
    already stored (same id) is kept as it is."""
    by_id: dict[str, CallRecord] = {}
    for call in calls:
        by_id.setdefault(call.id, call)
    unique = list(by_id.values())
    if not unique:
        return
    con.execute(
        """
        INSERT INTO llm_calls (id, called_at, purpose, article_id, backend_url, model, mode,
            prompt_id, request_hash, attempt, outcome, error, prompt_tokens,
            completion_tokens, cached_tokens, latency_ms, cost_usd, response)
        SELECT unnest($1::VARCHAR[]), unnest($2::TIMESTAMP[]), unnest($3::VARCHAR[]),
            unnest($4::VARCHAR[]), unnest($5::VARCHAR[]), unnest($6::VARCHAR[]),
            unnest($7::VARCHAR[]), unnest($8::VARCHAR[]), unnest($9::VARCHAR[]),
            unnest($10::INTEGER[]), unnest($11::VARCHAR[]), unnest($12::VARCHAR[]),
            unnest($13::INTEGER[]), unnest($14::INTEGER[]), unnest($15::INTEGER[]),
            unnest($16::DOUBLE[]), unnest($17::DOUBLE[]), unnest($18::VARCHAR[])
        ON CONFLICT DO NOTHING
        """,
        [
            [call.id for call in unique],
            [call.called_at for call in unique],
            [call.purpose for call in unique],
            [call.article_id for call in unique],
            [call.backend_url for call in unique],
            [call.model for call in unique],
            [call.mode for call in unique],
            [call.prompt_id for call in unique],
            [call.request_hash for call in unique],
            [call.attempt for call in unique],
            [call.outcome for call in unique],
            [call.error for call in unique],
            [call.prompt_tokens for call in unique],
            [call.completion_tokens for call in unique],
            [call.cached_tokens for call in unique],
            [call.latency_ms for call in unique],
            [call.cost_usd for call in unique],
            [call.response for call in unique],
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


def cache_responses(
    con: Transaction,
    entries: Sequence[tuple[str, Any]],
    *,
    model: str,
    prompt_id: str,
    now: datetime,
) -> None:
    """:func:`cache_response` for every ``(key, response)`` of ``entries``, in one statement;
    of a key given twice, the last response is kept."""
    latest = dict(entries)
    if not latest:
        return
    con.execute(
        """
        INSERT OR REPLACE INTO llm_cache (key, model, prompt_id, response, created_at)
        SELECT unnest($1::VARCHAR[]), $2, $3, unnest($4::VARCHAR[])::JSON, $5
        """,
        [
            list(latest),
            model,
            prompt_id,
            [json.dumps(response, ensure_ascii=False) for response in latest.values()],
            now,
        ],
    )
