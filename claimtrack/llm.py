"""The one module that builds the LLM client, and everything about a call to a model.

- **Client**: instructor over ``openai.AsyncOpenAI``; ``OPENAI_BASE_URL`` points it at any
  OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio). ``CLAIMTRACK_LLM_MODE`` picks the
  instructor mode (``tools`` by default: llama-cpp-python's server rejects ``response_format``
  json_schema but serves tools). Parsing is lenient (``strict=False``) for local models.
- **One retry layer per kind of failure**, never multiplied: the openai client's own retries are
  off (``max_retries=0``) and :func:`structured_call` retries transport failures (429, 5xx,
  connection errors, timeouts) with tenacity, honouring ``Retry-After`` within a call's waiting
  budget (``max_wait`` seconds in all: an endpoint that asks for longer is not waited for, the
  call fails at once and the run ends, exit 75); instructor re-asks only
  when an answer does not validate (a quote not in the article, broken JSON). When the re-asks are
  spent, the last answer that parses is read leniently: grounded items are kept, the rest dropped
  and counted.
- **Call log**: every request is one :class:`CallRecord` (model, prompt id, mode, request hash,
  tokens, latency, outcome, error, the answer) gathered through instructor's hooks; the caller
  stores them. A ``ContextVar`` ties hook calls to the task that made them, so concurrent calls
  never mix their records.
- **Circuit breaker** (:class:`EndpointBreaker`, one per client session): after
  ``BREAKER_THRESHOLD`` calls in a row fail on the transport (their retries spent), or once the
  endpoint asks to wait past the budget, no further request is sent in this run; the drivers stop
  and exit 75 instead of failing every remaining article one by one.
- **Cache key** (:func:`request_key`): model, base URL, rendered messages, schema and parameters.

openai and instructor are imported where a client is built or an error read, not with this module:
importing them takes about half a second, which every command that never calls a model (the rules
backend, ``--help``, review, export) would otherwise pay.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, stop_after_attempt

from claimtrack.errors import ClaimtrackError, UsageError
from claimtrack.store import utc_now

if TYPE_CHECKING:
    import instructor
    import openai

M = TypeVar("M", bound=BaseModel)

# CLAIMTRACK_LLM_MODE value -> the name of instructor's Mode member
MODES: dict[str, str] = {
    "tools": "TOOLS",
    "json_schema": "JSON_SCHEMA",
    "json": "JSON",
    "md_json": "MD_JSON",
}
DEFAULT_MODE = "tools"

# instructor logs every failed attempt at ERROR ("Max retries exceeded. Total attempts: 1" even
# when claimtrack's own retry then succeeds); without logging configured Python prints those on
# stderr. Every attempt is in the call log with its reason, so they are not shown unless the user
# configures logging.
logging.getLogger("instructor").addHandler(logging.NullHandler())
DEFAULT_MODEL = "gpt-4o-mini"
BREAKER_THRESHOLD = 3  # calls in a row failing on the transport before a run gives up

# US dollars per million tokens (input, output). Override or extend with CLAIMTRACK_PRICES, a JSON
# object like {"my-model": [0.1, 0.4]}. A model not listed has no cost estimate (None), not zero.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1": (2.00, 8.00),
}


class LLMUnavailable(ClaimtrackError):
    """The endpoint could not be reached or kept failing: a scheduler should try again later."""

    exit_code = 75
    report: Any = None  # what the run did before giving up, for a --json summary


class LLMAnswerError(ClaimtrackError):
    """The model answered, but not with something claimtrack can use (cut off, not JSON)."""


@dataclass(frozen=True)
class LLMSettings:
    model: str
    mode: str
    base_url: str | None
    timeout: float = 120.0
    retries: int = 4  # transport retries after the first attempt
    reasks: int = 2  # instructor re-asks after an invalid answer
    backoff: float = 1.0  # seconds of the first backoff step; 0 in tests
    max_wait: float = 60.0  # seconds one call may spend waiting between its retries, in all
    max_tokens: int = 4096
    temperature: float = 0.0
    prices: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def from_env(cls, model: str | None = None, mode: str | None = None) -> LLMSettings:
        mode = (mode or os.environ.get("CLAIMTRACK_LLM_MODE") or DEFAULT_MODE).lower()
        if mode not in MODES:
            raise UsageError(
                f"CLAIMTRACK_LLM_MODE={mode!r} is not a mode; use one of {', '.join(MODES)}"
            )
        prices = dict(DEFAULT_PRICES)
        raw_prices = os.environ.get("CLAIMTRACK_PRICES")
        if raw_prices:
            try:
                given = json.loads(raw_prices).items()
                prices.update({name: (float(v[0]), float(v[1])) for name, v in given})
            except (ValueError, TypeError, IndexError, AttributeError) as error:
                raise UsageError(
                    'CLAIMTRACK_PRICES must be JSON like {"model": [input_per_million, '
                    f"output_per_million]}}: {error}"
                ) from error

        def number(name: str, default: float) -> float:
            value = os.environ.get(name)
            if value is None or value == "":
                return default
            try:
                return float(value)
            except ValueError:
                raise UsageError(f"{name}={value!r} is not a number") from None

        return cls(
            model=model or os.environ.get("CLAIMTRACK_MODEL") or DEFAULT_MODEL,
            mode=mode,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            timeout=number("CLAIMTRACK_LLM_TIMEOUT", 120.0),
            retries=int(number("CLAIMTRACK_LLM_RETRIES", 4)),
            reasks=int(number("CLAIMTRACK_LLM_REASKS", 2)),
            backoff=number("CLAIMTRACK_LLM_BACKOFF", 1.0),
            max_tokens=int(number("CLAIMTRACK_LLM_MAX_TOKENS", 4096)),
            prices=prices,
        )

    def cost(self, prompt_tokens: int | None, completion_tokens: int | None) -> float | None:
        price = self.prices.get(self.model)
        if price is None or prompt_tokens is None or completion_tokens is None:
            return None
        return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000


@dataclass
class CallRecord:
    """One request to a model, as the call log stores it."""

    purpose: str
    article_id: str | None
    model: str
    mode: str
    prompt_id: str
    request_hash: str
    backend_url: str | None
    attempt: int
    called_at: datetime
    outcome: str = "ok"  # ok | invalid | error | cached
    error: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached_tokens: int | None = None
    latency_ms: float | None = None
    cost_usd: float | None = None
    response: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def cached_call(
    settings: LLMSettings, prompt_id: str, article_id: str | None, key: str, purpose: str
) -> CallRecord:
    """The call-log row of a request answered from the response cache (no tokens spent)."""
    return CallRecord(
        purpose=purpose,
        article_id=article_id,
        model=settings.model,
        mode=settings.mode,
        prompt_id=prompt_id,
        request_hash=key,
        backend_url=settings.base_url,
        attempt=1,
        called_at=utc_now(),
        outcome="cached",
        prompt_tokens=0,
        completion_tokens=0,
    )


def _call_record(
    settings: LLMSettings,
    purpose: str,
    article_id: str | None,
    prompt_id: str,
    request_hash: str,
    attempt: int,
) -> CallRecord:
    """The record of a request made now (its outcome ``ok`` until said otherwise)."""
    return CallRecord(
        purpose=purpose,
        article_id=article_id,
        model=settings.model,
        mode=settings.mode,
        prompt_id=prompt_id,
        request_hash=request_hash,
        backend_url=settings.base_url,
        attempt=attempt,
        called_at=utc_now(),
    )


@dataclass
class _Recorder:
    settings: LLMSettings
    purpose: str
    article_id: str | None
    prompt_id: str
    request_hash: str
    records: list[CallRecord] = field(default_factory=list)
    started: float = 0.0

    def begin(self) -> None:
        self.started = time.perf_counter()
        self.records.append(
            _call_record(
                self.settings,
                self.purpose,
                self.article_id,
                self.prompt_id,
                self.request_hash,
                len(self.records) + 1,
            )
        )

    @property
    def current(self) -> CallRecord | None:
        return self.records[-1] if self.records else None

    def finish(self, outcome: str, error: str | None = None) -> None:
        record = self.current
        if record is None:
            return
        record.latency_ms = (time.perf_counter() - self.started) * 1000
        record.outcome = outcome
        record.error = error


_recorder: ContextVar[_Recorder | None] = ContextVar("claimtrack_llm_recorder", default=None)


def _on_kwargs(*args: Any, **kwargs: Any) -> None:
    recorder = _recorder.get()
    if recorder:
        recorder.begin()


def _on_response(response: Any) -> None:
    recorder = _recorder.get()
    if not recorder or recorder.current is None:
        return
    recorder.finish("ok")
    record = recorder.current
    usage = getattr(response, "usage", None)
    if usage is not None:
        record.prompt_tokens = getattr(usage, "prompt_tokens", None)
        record.completion_tokens = getattr(usage, "completion_tokens", None)
        details = getattr(usage, "prompt_tokens_details", None)
        record.cached_tokens = getattr(details, "cached_tokens", None) if details else None
    record.cost_usd = recorder.settings.cost(record.prompt_tokens, record.completion_tokens)
    record.response = answer_text(response)


def _on_error(error: Exception, *args: Any, **kwargs: Any) -> None:
    recorder = _recorder.get()
    if recorder:
        recorder.finish("error", describe_error(error))


def _on_parse_error(error: Exception, *args: Any, **kwargs: Any) -> None:
    recorder = _recorder.get()
    if recorder and recorder.current is not None:
        recorder.current.outcome = "invalid"
        recorder.current.error = _one_line(str(error))


def build_client(settings: LLMSettings) -> instructor.AsyncInstructor:
    """The instructor client for ``settings``: the only place an LLM client is made."""
    import instructor
    import openai

    client = openai.AsyncOpenAI(
        base_url=settings.base_url,
        api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",  # local servers ignore it
        max_retries=0,  # structured_call retries transport failures, once, in one place
        timeout=settings.timeout,
    )
    wrapped = instructor.from_openai(client, mode=instructor.Mode[MODES[settings.mode]])
    wrapped.on("completion:kwargs", _on_kwargs)
    wrapped.on("completion:response", _on_response)
    wrapped.on("completion:error", _on_error)
    wrapped.on("parse:error", _on_parse_error)
    return wrapped


class EndpointBreaker:
    """Whether the endpoint is given up on for this run: after ``threshold`` calls in a row
    failed on the transport, or at once when it asks to be left alone for longer than a call
    may wait. An answer of any kind (even one that does not validate) closes the count again."""

    def __init__(self, threshold: int = BREAKER_THRESHOLD) -> None:
        self.threshold = threshold
        self.failures = 0  # calls in a row that failed on the transport
        self.reason: str | None = None  # set once it is open

    @property
    def open(self) -> bool:
        return self.reason is not None

    def answered(self) -> None:
        self.failures = 0

    def failed(self, error: str) -> None:
        self.failures += 1
        if self.failures >= self.threshold and self.reason is None:
            self.reason = f"{self.failures} calls in a row failed ({error})"

    def give_up(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason


class ClientSession:
    """One run's client, its limit of ``concurrency`` calls at a time and its circuit breaker,
    opened and closed in the run's event loop (the extraction and tracking backends each hold
    one)."""

    def __init__(self, settings: LLMSettings, concurrency: int) -> None:
        self.settings = settings
        self.concurrency = concurrency
        self.client: Any = None
        self.limit = asyncio.Semaphore(concurrency)
        self.breaker = EndpointBreaker()

    async def open(self) -> None:
        self.client = build_client(self.settings)
        self.limit = asyncio.Semaphore(self.concurrency)

    async def close(self) -> None:
        """Close the connections in this event loop, not at garbage collection."""
        if self.client is not None and self.client.client is not None:
            await self.client.client.close()


@cache
def _schema(response_model: type[BaseModel]) -> dict[str, Any]:
    return response_model.model_json_schema()


@cache
def _instructor_model(response_model: type[M]) -> type[M]:
    """``response_model`` wrapped once as instructor's ``OpenAISchema``.

    Given a plain pydantic model, instructor builds a new wrapper class on every call, and its
    JSON-schema cache (keyed on the class) then never hits: about 3 ms of CPU per call, spent on
    the event loop while other calls wait for their answers. The wrapper validates exactly as the
    model does (it subclasses it).
    """
    import instructor

    return instructor.openai_schema(response_model)


def request_key(
    settings: LLMSettings,
    messages: list[dict[str, str]],
    response_model: type[BaseModel],
) -> str:
    """The cache key: what decides the answer (model, endpoint, messages, schema, parameters)."""
    material = {
        "model": settings.model,
        "base_url": settings.base_url or "https://api.openai.com/v1",
        "mode": settings.mode,
        "messages": messages,
        "schema": _schema(response_model),
        "params": {"temperature": settings.temperature, "max_tokens": settings.max_tokens},
    }
    encoded = json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _request_parameters(settings: LLMSettings) -> dict[str, Any]:
    """The parameters every chat request carries besides its messages and schema."""
    return {
        "model": settings.model,
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
    }


@dataclass
class CallResult:
    """What :func:`structured_call` returns: the answer (or why there is none) and its calls."""

    value: BaseModel | None
    calls: list[CallRecord]
    error: str | None = None
    transport_failure: bool = False  # the endpoint was unreachable or kept failing
    not_sent: bool = False  # no request was made: the breaker had given up on the endpoint


def _transport_cause(error: BaseException) -> BaseException | None:
    """The openai transport error behind ``error`` (instructor wraps it), if it is one."""
    import openai

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (openai.APIConnectionError, openai.RateLimitError)):
            return seen
        if isinstance(seen, openai.APIStatusError) and (
            seen.status_code in (408, 409) or seen.status_code >= 500
        ):
            return seen
        seen = seen.__cause__
    return None


def _retry_after(error: BaseException | None) -> float | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    seconds = headers.get("retry-after")
    if seconds:
        try:
            return float(seconds)
        except ValueError:
            return None  # an HTTP date: fall back to the backoff
    return None


def _asked_wait(state: RetryCallState) -> float | None:
    """The wait the endpoint asked for (Retry-After) with the failure of this attempt."""
    error = state.outcome.exception() if state.outcome else None
    return _retry_after(_transport_cause(error) if error else None)


def _waiter(settings: LLMSettings) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        remaining = max(settings.max_wait - state.idle_for, 0.0)
        asked = _asked_wait(state)
        if asked is not None:
            return min(max(asked, 0.0), remaining)
        return float(min(settings.backoff * 2 ** (state.attempt_number - 1), remaining))

    return wait


def _retry_rule(
    settings: LLMSettings, breaker: EndpointBreaker | None
) -> Callable[[RetryCallState], bool]:
    """Retry a transport failure, unless the endpoint was given up on, or asks for a longer
    wait than the call has left (then give up on it: waiting less would only be refused again,
    and so would every other article's call)."""

    def retry(state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        if error is None or _transport_cause(error) is None:
            return False
        if breaker is not None and breaker.open:
            return False
        asked = _asked_wait(state)
        remaining = settings.max_wait - state.idle_for
        if asked is not None and asked > remaining:
            if breaker is not None:
                breaker.give_up(
                    f"the endpoint asked to wait {asked:g} s (Retry-After), longer than the "
                    f"{max(remaining, 0.0):g} s left to wait"
                )
            return False
        return True

    return retry


async def structured_call(
    client: instructor.AsyncInstructor,
    settings: LLMSettings,
    *,
    response_model: type[M],
    messages: list[dict[str, str]],
    context: dict[str, Any],
    prompt_id: str,
    request_hash: str,
    purpose: str,
    article_id: str | None = None,
    lenient: Callable[[dict[str, Any]], M] | None = None,
    breaker: EndpointBreaker | None = None,
) -> CallResult:
    """Ask for ``response_model``; never raises for a model or endpoint failure.

    ``messages`` are templates that instructor renders with ``context`` (which also carries the
    validation context). ``lenient`` reads the last answer that parses when the re-asks are spent
    (keeping what is grounded); without it such a call fails. ``breaker`` (the session's) is
    told how the call ended; once it is open no request is sent.
    """
    recorder = _Recorder(settings, purpose, article_id, prompt_id, request_hash)

    async def ask() -> Any:
        return await client.chat.completions.create(
            response_model=_instructor_model(response_model),
            messages=messages,  # type: ignore[arg-type]
            context=context,
            max_retries=settings.reasks,
            strict=False,
            **_request_parameters(settings),
        )

    token = _recorder.set(recorder)
    try:
        result = await _attempts(ask, settings, recorder, lenient, breaker)
    finally:
        _recorder.reset(token)
    if breaker is not None and not result.not_sent:
        if result.transport_failure:
            breaker.failed(result.error or "failed")
        else:
            breaker.answered()
    return result


async def _attempts(
    ask: Callable[[], Awaitable[Any]],
    settings: LLMSettings,
    recorder: _Recorder,
    lenient: Callable[[dict[str, Any]], M] | None,
    breaker: EndpointBreaker | None,
) -> CallResult:
    """``ask`` until it answers or the retries are spent; every failure a recorded reason."""
    retrying = AsyncRetrying(
        retry=_retry_rule(settings, breaker),
        stop=stop_after_attempt(settings.retries + 1),
        wait=_waiter(settings),
        reraise=True,
    )
    try:
        async for attempt in retrying:
            if breaker is not None and breaker.open:  # given up on while this one waited
                return _given_up(breaker, recorder.records)
            with attempt:
                value = await ask()
        return CallResult(value, recorder.records)
    except Exception as error:  # every failure becomes a recorded reason
        if _transport_cause(error) is not None:
            return CallResult(None, recorder.records, describe_error(error), transport_failure=True)
        from instructor.core import IncompleteOutputException

        if isinstance(error, IncompleteOutputException):
            reason = f"the answer was cut off at the token limit (max_tokens={settings.max_tokens})"
            if recorder.current is not None:  # the hooks saw a response, not a failure
                recorder.current.outcome = "invalid"
                recorder.current.error = reason
            return CallResult(None, recorder.records, reason)
        read = _lenient_result(recorder.records, lenient)
        return read or CallResult(None, recorder.records, describe_error(error))


def _lenient_result(
    records: list[CallRecord], lenient: Callable[[dict[str, Any]], M] | None
) -> CallResult | None:
    """The last readable answer of ``records`` read by ``lenient`` (what is grounded kept), or
    None when there is no reader or no answer parses as JSON."""
    if lenient is None:
        return None
    data = _last_readable_answer(records)
    if data is None:
        return None
    try:
        return CallResult(lenient(data), records)
    except (ValidationError, ValueError, TypeError) as error:
        return CallResult(None, records, f"the answer did not validate: {_one_line(str(error))}")


def _given_up(breaker: EndpointBreaker, records: list[CallRecord]) -> CallResult:
    """A call the breaker stopped: before its first request, or between two attempts."""
    reason = f"gave up on the LLM endpoint: {breaker.reason}"
    return CallResult(
        None,
        records,
        reason if records else f"not sent: {reason}",
        transport_failure=True,
        not_sent=not records,
    )


def answer_text(completion: Any) -> str | None:
    """The model's answer as text: tool-call arguments, or the message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None)
    if calls:
        return str(calls[0].function.arguments)
    content = getattr(message, "content", None)
    return str(content) if content is not None else None


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def _last_readable_answer(records: list[CallRecord]) -> dict[str, Any] | None:
    """The last answer that parses as a JSON object: a re-ask can leave a small model's answer
    worse than the one before it (cut off, broken JSON), and then the earlier one is read."""
    for record in reversed(records):
        data = _answer_json(record.response)
        if data is not None:
            return data
    return None


def _answer_json(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text, strict=False)  # small models put raw newlines inside strings
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe_error(error: BaseException) -> str:
    """A one-line reason, naming the transport failure when there is one."""
    import openai
    from instructor.core import InstructorRetryException

    cause = _transport_cause(error)
    if isinstance(cause, openai.APITimeoutError):
        return "the model did not answer in time (timeout)"
    if isinstance(cause, openai.APIConnectionError):
        return f"cannot reach the LLM endpoint: {_one_line(str(cause))}"
    status = cause if isinstance(cause, openai.APIStatusError) else error
    if isinstance(status, openai.APIStatusError):
        message = _one_line(str(status.message))
        return f"the LLM endpoint answered HTTP {status.status_code}: {message}"
    if isinstance(error, InstructorRetryException):  # its str() dumps every attempt as XML
        attempts = error.failed_attempts or []
        last = attempts[-1].exception if attempts else error.__cause__
        return _one_line(
            f"the model's answer was not usable after {error.n_attempts} attempt(s): {last}"
        )
    return _one_line(f"{type(error).__name__}: {error}")


def build_embeddings_client(settings: LLMSettings) -> openai.OpenAI:
    """The client for ``/v1/embeddings`` and the Batch API's ``/v1/files`` and ``/v1/batches``
    (synchronous: one request at a time). These requests have no answer to validate, so the
    openai client's own retries (with its Retry-After handling) are the one retry layer here."""
    import openai

    return openai.OpenAI(
        base_url=settings.base_url,
        api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",
        max_retries=settings.retries,
        timeout=settings.timeout,
    )


def embed_texts(client: openai.OpenAI, model: str, texts: list[str]) -> list[list[float]]:
    """One vector per text, in order; raises :class:`LLMUnavailable` with a one-line reason."""
    import openai

    try:
        response = client.embeddings.create(model=model, input=texts)
    except openai.OpenAIError as error:
        raise LLMUnavailable(f"embeddings ({model}): {describe_error(error)}") from error
    ordered = sorted(response.data, key=lambda item: item.index)
    if len(ordered) != len(texts):
        raise LLMUnavailable(f"embeddings ({model}): {len(ordered)} vectors for {len(texts)} texts")
    return [list(item.embedding) for item in ordered]


# -- the Batch API --------------------------------------------------------------------------------

BATCH_PRICE_FACTOR = 0.5  # OpenAI's published Batch API pricing: half the price of a live call
BATCH_ENDPOINT: Final = "/v1/chat/completions"
BATCH_WINDOW: Final = "24h"
BATCH_RUNNING = frozenset({"validating", "in_progress", "finalizing", "cancelling"})


def request_body(
    settings: LLMSettings,
    response_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The chat-completions body :func:`structured_call` sends as its first attempt, built by
    instructor's own request preparation (the mode's tool or JSON schema, the rendered
    messages): the body of one Batch API request line."""
    import instructor
    from instructor.processing.response import handle_response_model

    # instructor 1.17 defines it there (v2/core/templating.py); mypy does not find it
    from instructor.v2.core.templating import handle_templating  # type: ignore[attr-defined]

    mode = instructor.Mode[MODES[settings.mode]]
    _, kwargs = handle_response_model(
        _instructor_model(response_model),
        mode=mode,
        messages=messages,
        **_request_parameters(settings),
    )
    return dict(handle_templating(kwargs, mode=mode, context=context))


def batch_line(key: str, body: dict[str, Any]) -> str:
    """One line of a Batch API input file: the request ``body`` under its cache key."""
    line = {"custom_id": key, "method": "POST", "url": BATCH_ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False)


@dataclass(frozen=True)
class BatchState:
    """Where a batch is, as the endpoint reports it."""

    id: str
    status: str  # validating, in_progress, finalizing, completed, failed, expired, cancelled ...
    input_file_id: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    completed: int = 0
    failed: int = 0
    total: int = 0
    errors: str | None = None  # why the endpoint failed the batch as a whole

    @property
    def running(self) -> bool:
        return self.status in BATCH_RUNNING


def _batch_state(batch: Any) -> BatchState:
    counts = batch.request_counts
    errors = batch.errors.data if batch.errors and batch.errors.data else []
    reasons = "; ".join(_one_line(f"{e.code or 'error'}: {e.message or ''}") for e in errors)
    return BatchState(
        id=batch.id,
        status=batch.status,
        input_file_id=batch.input_file_id,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        total=counts.total if counts else 0,
        errors=reasons or None,
    )


class BatchEndpoint:
    """The Batch API of the endpoint ``settings`` name: ``/v1/files`` and ``/v1/batches``."""

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self.client = build_embeddings_client(settings)

    def submit(self, path: Path, metadata: dict[str, str]) -> BatchState:
        """Upload the JSONL request file ``path`` (purpose "batch") and create its batch over
        ``/v1/chat/completions`` with the 24 h window; raises :class:`LLMUnavailable`."""
        import openai

        try:
            with path.open("rb") as handle:
                uploaded = self.client.files.create(file=handle, purpose="batch")
            batch = self.client.batches.create(
                input_file_id=uploaded.id,
                endpoint=BATCH_ENDPOINT,
                completion_window=BATCH_WINDOW,
                metadata=metadata,
            )
        except openai.OpenAIError as error:
            raise LLMUnavailable(f"submitting a batch: {describe_error(error)}") from error
        return _batch_state(batch)

    def state(self, batch_id: str) -> BatchState:
        """The batch's state now; raises :class:`LLMUnavailable`."""
        import openai

        try:
            return _batch_state(self.client.batches.retrieve(batch_id))
        except openai.OpenAIError as error:
            raise LLMUnavailable(f"asking for batch {batch_id}: {describe_error(error)}") from error

    def output(self, file_ids: list[str | None]) -> dict[str, dict[str, Any]]:
        """The lines of a batch's output (and error) files by ``custom_id``; a line that is not a
        JSON object with a ``custom_id`` answers nothing (its request then has no answer)."""
        import openai

        lines: dict[str, dict[str, Any]] = {}
        for file_id in file_ids:
            if not file_id:
                continue
            try:
                text = self.client.files.content(file_id).text
            except openai.OpenAIError as error:
                raise LLMUnavailable(f"reading file {file_id}: {describe_error(error)}") from error
            for raw in text.splitlines():
                try:
                    line = json.loads(raw)
                except json.JSONDecodeError:
                    continue
                if isinstance(line, dict) and isinstance(line.get("custom_id"), str):
                    lines.setdefault(line["custom_id"], line)
        return lines


class BatchAnswers:
    """A finished batch's answers by request key, each read as :func:`structured_call` reads a
    live answer: instructor's parser for the mode, the same response model and validation
    context (so an ungrounded quote fails validation), then the lenient reading that keeps
    what is grounded. There is no re-ask: the batch has answered once."""

    def __init__(self, settings: LLMSettings, batch_id: str, lines: dict[str, dict[str, Any]]):
        self.settings = settings
        self.batch_id = batch_id
        self.lines = lines

    async def ask(
        self,
        client: Any,
        settings: LLMSettings,
        *,
        response_model: type[M],
        messages: list[dict[str, str]],
        context: dict[str, Any],
        prompt_id: str,
        request_hash: str,
        purpose: str,
        article_id: str | None = None,
        lenient: Callable[[dict[str, Any]], M] | None = None,
        breaker: EndpointBreaker | None = None,
    ) -> CallResult:
        """:func:`structured_call`'s answer, read from the batch (no client, no request)."""
        line = self.lines.get(request_hash)
        if line is None:
            return CallResult(
                None,
                [],
                f"batch {self.batch_id} holds no answer to this request (its input changed "
                "since it was submitted, or the endpoint left it out)",
            )
        record = _call_record(self.settings, purpose, article_id, prompt_id, request_hash, 1)
        completion = self._completion(line, record)
        if completion is None:
            return CallResult(None, [record], record.error)
        return self._parse(completion, record, response_model, context, lenient)

    def _completion(self, line: dict[str, Any], record: CallRecord) -> Any:
        """The line's chat completion (its usage and answer on ``record``), or None with the
        reason on ``record`` when the request failed."""
        from openai.types.chat import ChatCompletion

        response = line.get("response") or {}
        status = response.get("status_code")
        if line.get("error") or status != 200:
            error = line.get("error") or (response.get("body") or {}).get("error") or {}
            message = error.get("message") if isinstance(error, dict) else str(error)
            record.outcome = "error"
            record.error = _one_line(
                f"the batch request failed (HTTP {status}): {message or 'no reason given'}"
            )
            return None
        try:
            completion = ChatCompletion.model_validate(response.get("body"))
        except ValidationError as error:
            record.outcome = "error"
            record.error = f"the batch answer is not a chat completion: {_one_line(str(error))}"
            return None
        usage = completion.usage
        if usage is not None:
            record.prompt_tokens = usage.prompt_tokens
            record.completion_tokens = usage.completion_tokens
            details = usage.prompt_tokens_details
            record.cached_tokens = details.cached_tokens if details else None
        cost = self.settings.cost(record.prompt_tokens, record.completion_tokens)
        record.cost_usd = cost * BATCH_PRICE_FACTOR if cost is not None else None
        record.response = answer_text(completion)
        return completion

    def _parse(
        self,
        completion: Any,
        record: CallRecord,
        response_model: type[M],
        context: dict[str, Any],
        lenient: Callable[[dict[str, Any]], M] | None,
    ) -> CallResult:
        import instructor
        from instructor.core import IncompleteOutputException
        from instructor.processing.response import process_response

        try:
            value = process_response(
                completion,
                response_model=_instructor_model(response_model),
                stream=False,
                validation_context=context,
                strict=False,
                mode=instructor.Mode[MODES[self.settings.mode]],
            )
        except IncompleteOutputException:
            record.outcome = "invalid"
            record.error = (
                f"the answer was cut off at the token limit (max_tokens={self.settings.max_tokens})"
            )
            return CallResult(None, [record], record.error)
        except Exception as error:  # instructor's parse errors: validation, JSON, no tool call
            record.outcome = "invalid"
            record.error = _one_line(str(error))
            read = _lenient_result([record], lenient)
            return read or CallResult(
                None, [record], f"the answer was not usable: {_one_line(str(error))}"
            )
        return CallResult(value, [record])
