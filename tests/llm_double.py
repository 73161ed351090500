"""An OpenAI-compatible HTTP server for tests: scripted replies, injected faults, a request log.

The double listens on 127.0.0.1 on an ephemeral port and speaks just enough of the OpenAI
protocol for the real ``openai`` client and ``instructor`` to run unmodified against it::

    with LLMDouble([structured({"claims": []})]) as double:
        client = openai.OpenAI(base_url=double.base_url, api_key="test")
        ...
        assert len(double.chat_requests) == 1

Endpoints: ``POST /v1/chat/completions`` (answered from the script), ``GET /v1/models`` and
``GET /v1/models/{id}``, ``POST /v1/embeddings`` (deterministic unit vectors derived from a hash
of each input, float or base64 encoded as the client asks; never scripted). Streaming
(``"stream": true``) is refused with a 400, so a test that streams fails loudly.

The Batch API: ``POST /v1/files`` (multipart upload, kept in memory), ``GET /v1/files/{id}`` and
``GET /v1/files/{id}/content``; ``POST /v1/batches`` (checks the input file as OpenAI does: JSONL,
unique ``custom_id``, ``method`` POST, ``url`` the batch's endpoint, or the batch fails) and
``GET /v1/batches/{id}``. When a batch completes, each request line is answered with the reply
the script (or the responder) gives for that body, exactly as a chat-completion request would
be; a 200 goes to the output file, an error status to the error file. How the next batches go
is set with :meth:`LLMDouble.next_batches`: how many polls they answer ``in_progress`` first,
and whether they then complete, fail or expire.

The script is a queue of replies, one consumed per chat-completion request, then an optional
``responder(request_json) -> reply``. A reply is a :class:`Reply` (built with the helpers below),
or a mapping / pydantic model (taken as :func:`structured`), or a string (taken as
:func:`content`). When neither is left the double answers 500 with ``x-should-retry: false`` (so
the client does not retry) and notes the problem in :attr:`LLMDouble.errors`.

Only the standard library is used: ``http.server.ThreadingHTTPServer`` in a background thread.

What the installed clients do with these answers (read from the source, not guessed)
-----------------------------------------------------------------------------------------
openai 3.3 (``openai/_base_client.py``, ``openai/_constants.py``):

* Defaults: ``max_retries=2`` (so up to 3 requests), timeout 600 s with connect 5 s.
* It retries, on its own, statuses 408, 409, 429 and every status >= 500; plus any exception
  while sending (connection reset, a body cut short before its ``Content-Length``) and timeouts,
  which become ``APIConnectionError`` / ``APITimeoutError`` once the retries are spent. A
  ``x-should-retry: true|false`` response header overrides the status rule (but not the
  Retry-After cap below). Other 4xx raise at once (``BadRequestError`` ...).
* Each retry sends ``x-stainless-retry-count: N`` (0 on the first attempt), recorded here as
  :attr:`RecordedRequest.retry_count`: it tells the client's retries apart from instructor's
  re-asks (which start again at 0).
* Wait before a retry: ``retry-after-ms`` (milliseconds, checked first), else ``Retry-After`` as
  seconds (floats accepted) or an HTTP date. It is honoured only when ``0 < value <= 120`` s;
  ``Retry-After: 0`` is NOT "retry now" but falls back to the backoff below. A value above 120 s
  means "do not retry at all" (the error is raised at once).
* Backoff otherwise: ``min(0.5 * 2**n, 8.0)`` s times a jitter in ``[0.75, 1]``, n = retries taken
  so far, so 0.375-0.5 s before the first retry. The only way to make a retry instant from the
  server side is a tiny ``retry-after-ms`` (e.g. ``"1"``); fault helpers here accept it.
* A 200 whose body is not valid JSON raises a bare ``json.JSONDecodeError`` (no retry).

instructor 1.17 (``instructor/v2/core/retry.py``, ``instructor/v2/providers/openai/handlers.py``):

* ``max_retries`` on ``create`` counts re-asks after the first attempt (default 3 on
  ``Instructor.create``, 1 on a patched ``chat.completions.create``). Only parse errors are
  retried: pydantic ``ValidationError``, ``json.JSONDecodeError``, ``ResponseParsingError``
  (e.g. no tool call in a TOOLS answer). A ``JSONDecodeError`` raised by the openai client
  itself (bad HTTP body) is therefore retried too, but with the same messages, not a re-ask.
  A numeric ``timeout=`` passed to ``create`` also bounds the re-asks (``stop_after_delay``).
* Re-ask, TOOLS mode: the assistant message (with its tool_calls) is appended, then a
  ``{"role": "tool", "tool_call_id": ..., "content": "Validation Error found:\\n<error>\\nRecall
  the function correctly, fix the errors"}`` message. JSON / JSON_SCHEMA / MD_JSON: the assistant
  message, then a user message ``"Correct your JSON ONLY RESPONSE, based on the following
  errors:\\n<error>"``. A TOOLS answer without a tool call is re-asked as a user message.
  The whole conversation grows by these two messages per re-ask.
* When attempts run out, or on any other error (including openai's ``APITimeoutError``,
  ``RateLimitError`` ...), it raises ``InstructorRetryException`` (``instructor.core``) with
  ``n_attempts``, ``failed_attempts``, ``last_completion``, ``total_usage``; the original error
  is its ``__cause__``.
* ``finish_reason == "length"`` raises ``IncompleteOutputException`` at once, unwrapped and not
  re-asked.
* The validation context is passed as ``context=`` (there is no ``validation_context=``
  argument in 1.17: it would be forwarded to the openai client and rejected). The same
  ``context`` is also used to render every message as a (sandboxed) Jinja template: text
  pasted into a message that contains ``{#`` or ``{{`` breaks or changes; pass the article as
  a context value (``{{ article }}``) instead, values are not re-rendered.
* The returned object is an instance of an instructor-made subclass of the response model that
  carries ``_raw_response`` (the last ``ChatCompletion``) and ``_total_usage``, so ``==``
  against a plain model instance is False: compare ``model_dump()``.
* Usage: instructor overwrites each completion's ``usage`` with the running total over the
  attempts so far (``v2/core/usage.py``), so after a re-ask ``_raw_response.usage`` (and the
  completion from ``create_with_completion``) is cumulative. A call's own usage can be read in
  a ``"completion:response"`` hook, which runs before that overwrite.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import email.parser
import email.policy
import hashlib
import json
import math
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, Self

from pydantic import BaseModel

__all__ = [
    "LLMDouble",
    "RecordedRequest",
    "Reply",
    "content",
    "cut_off",
    "disconnect",
    "empty",
    "http_error",
    "json_content",
    "rate_limited",
    "server_error",
    "slow",
    "structured",
    "tool_call",
    "truncated_body",
    "truncated_json",
    "unavailable",
]

Responder = Callable[[dict[str, Any]], Any]


# --------------------------------------------------------------------------------------------
# Replies
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted step: how the double answers one chat-completion request.

    Build replies with the helper functions (:func:`structured`, :func:`rate_limited`, ...)
    rather than by hand; every field has a meaning on its own so helpers can be combined with
    ``dataclasses.replace`` (see :func:`slow`).
    """

    kind: Literal["structured", "tool_call", "content", "http_error", "disconnect"]
    payload: str = ""
    """JSON text of the answer (structured / tool_call), message text (content), or the error
    message (http_error)."""
    tool_name: str | None = None
    """For tool_call: the function name; ``None`` takes ``tools[0].function.name``."""
    finish_reason: str = "stop"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (interrupted when the double stops)."""
    body_fraction: float | None = None
    """Send only this fraction of the response body's bytes."""
    declared_length: Literal["sent", "full"] = "sent"
    """With ``body_fraction``: ``Content-Length`` of the bytes sent (a well-framed but invalid
    JSON body) or of the full body (the connection then drops mid-body)."""
    cached_tokens: int = 0
    """``usage.prompt_tokens_details.cached_tokens`` (capped at prompt_tokens)."""


def _json_text(data: Mapping[str, Any] | BaseModel | str) -> str:
    if isinstance(data, BaseModel):
        return data.model_dump_json()
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False)


def structured(data: Mapping[str, Any] | BaseModel | str, *, cached_tokens: int = 0) -> Reply:
    """The structured answer, shaped for whatever mode the request shows.

    A request with ``tools`` (instructor TOOLS) gets a tool call; one with ``response_format``
    (JSON, JSON_SCHEMA) gets the JSON as message content; one with neither (MD_JSON) gets the
    JSON inside a ```json fence. ``data`` may be a mapping, a pydantic model or JSON text.
    """
    return Reply("structured", _json_text(data), cached_tokens=cached_tokens)


def tool_call(
    data: Mapping[str, Any] | BaseModel | str,
    *,
    name: str | None = None,
    finish_reason: str = "stop",
    cached_tokens: int = 0,
) -> Reply:
    """A tool call whose ``function.arguments`` is ``data`` as a JSON string."""
    return Reply(
        "tool_call",
        _json_text(data),
        tool_name=name,
        finish_reason=finish_reason,
        cached_tokens=cached_tokens,
    )


def content(text: str, *, finish_reason: str = "stop", cached_tokens: int = 0) -> Reply:
    """A plain assistant message with this text and no tool call."""
    return Reply("content", text, finish_reason=finish_reason, cached_tokens=cached_tokens)


def json_content(data: Mapping[str, Any] | BaseModel | str, *, cached_tokens: int = 0) -> Reply:
    """Message content that is the bare JSON text of ``data`` (even if the request has tools)."""
    return content(_json_text(data), cached_tokens=cached_tokens)


def empty() -> Reply:
    """An answer with ``content: ""``, no tool call, ``finish_reason: "stop"``."""
    return content("")


def _cut(text: str, keep: float) -> str:
    return text[: max(1, int(len(text) * keep))] if text else text


def truncated_json(data: Mapping[str, Any] | BaseModel | str, *, keep: float = 0.5) -> Reply:
    """A well-formed HTTP answer whose JSON (tool arguments or content) stops part-way, with
    ``finish_reason: "stop"``: the model produced broken JSON, so instructor re-asks."""
    return Reply("structured", _cut(_json_text(data), keep))


def cut_off(data: Mapping[str, Any] | BaseModel | str, *, keep: float = 0.5) -> Reply:
    """The model ran out of tokens: JSON cut part-way and ``finish_reason: "length"``."""
    return Reply("structured", _cut(_json_text(data), keep), finish_reason="length")


def _retry_headers(
    retry_after: float | str | None, retry_after_ms: float | str | None
) -> dict[str, str]:
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if retry_after_ms is not None:
        headers["retry-after-ms"] = str(retry_after_ms)
    return headers


def http_error(status: int, message: str, *, headers: Mapping[str, str] | None = None) -> Reply:
    """Any HTTP error status with an OpenAI-style ``{"error": {...}}`` body."""
    return Reply("http_error", message, status=status, headers=dict(headers or {}))


def rate_limited(
    *, retry_after: float | str | None = None, retry_after_ms: float | str | None = None
) -> Reply:
    """HTTP 429. ``retry_after`` sets ``Retry-After`` (seconds or an HTTP date), ``retry_after_ms``
    sets ``retry-after-ms``; openai honours either only when it is > 0 and <= 120 s."""
    return http_error(
        429,
        "Rate limit reached for requests (LLMDouble)",
        headers=_retry_headers(retry_after, retry_after_ms),
    )


def server_error(
    status: int = 500,
    *,
    retry_after: float | str | None = None,
    retry_after_ms: float | str | None = None,
) -> Reply:
    """HTTP 500 (or another 5xx) with an OpenAI-style error body."""
    return http_error(
        status,
        "The server had an error while processing your request (LLMDouble)",
        headers=_retry_headers(retry_after, retry_after_ms),
    )


def unavailable(
    *, retry_after: float | str | None = None, retry_after_ms: float | str | None = None
) -> Reply:
    """HTTP 503."""
    return server_error(503, retry_after=retry_after, retry_after_ms=retry_after_ms)


def disconnect() -> Reply:
    """Read the request, then reset the connection (RST) without sending any response."""
    return Reply("disconnect")


def truncated_body(
    reply: Reply | Mapping[str, Any] | BaseModel | str,
    *,
    keep: float = 0.5,
    declared_length: Literal["sent", "full"] = "sent",
) -> Reply:
    """Send only the first ``keep`` fraction of the HTTP response body of ``reply``.

    ``declared_length="sent"``: ``Content-Length`` matches what is sent, so the client gets a
    complete 200 whose JSON does not parse. ``"full"``: the header promises the whole body and
    the connection drops part-way, which the client sees as a transport error.
    """
    return dataclasses.replace(
        _as_reply(reply), body_fraction=keep, declared_length=declared_length
    )


def slow(seconds: float, reply: Reply | Mapping[str, Any] | BaseModel | str | None = None) -> Reply:
    """Wait ``seconds`` before answering with ``reply`` (default: an empty structured answer)."""
    base = structured({}) if reply is None else _as_reply(reply)
    return dataclasses.replace(base, delay=seconds)


def _as_reply(value: Any) -> Reply:
    if isinstance(value, Reply):
        return value
    if isinstance(value, str):
        return content(value)
    if isinstance(value, Mapping | BaseModel):
        return structured(value)
    raise TypeError(f"cannot use {type(value).__name__} as an LLMDouble reply")


# --------------------------------------------------------------------------------------------
# Request log
# --------------------------------------------------------------------------------------------

_SECRET_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "openai-api-key"})


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the double received it."""

    method: str
    path: str
    headers: Mapping[str, str]
    """Lower-cased names; credentials shown as ``<redacted>`` (keeping a ``Bearer`` scheme)."""
    body: Any
    """Parsed JSON body, or ``None`` when there is none or it is not JSON."""
    timestamp: float
    """``time.time()`` when the request had been read."""
    raw: bytes = field(default=b"", repr=False)
    """The body's bytes as received (a multipart upload has no JSON ``body``)."""

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def tool_name(self) -> str | None:
        """``tools[0].function.name`` of a chat request, if any."""
        tools = self.body.get("tools") if isinstance(self.body, dict) else None
        return tools[0]["function"]["name"] if tools else None

    @property
    def retry_count(self) -> int:
        """The openai client's ``x-stainless-retry-count``: 0 on a first attempt."""
        return int(self.headers.get("x-stainless-retry-count", "0"))


def _redact(name: str, value: str) -> str:
    if name not in _SECRET_HEADERS:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} <redacted>" if rest else "<redacted>"


# --------------------------------------------------------------------------------------------
# The Batch API's files and batches
# --------------------------------------------------------------------------------------------

BatchOutcome = Literal["completed", "failed", "expired", "cancelled"]


@dataclass
class DoubleFile:
    """A file uploaded to (or written by) the double."""

    id: str
    filename: str
    purpose: str
    content: bytes

    def entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.content),
            "created_at": int(time.time()),
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class DoubleBatch:
    """A batch as the double keeps it: its request lines (parsed) and where it is."""

    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, Any]
    polls_in_progress: int
    outcome: BatchOutcome
    status: str = "in_progress"
    lines: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None

    def entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": int(time.time()),
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "metadata": self.metadata,
            "request_counts": {
                "total": len(self.lines),
                "completed": self.completed,
                "failed": self.failed,
            },
        }


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str, bytes]]:
    """A multipart/form-data body's fields: name -> (file name, bytes)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    fields: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[str(name)] = (
            str(part.get_filename() or ""),
            payload if isinstance(payload, bytes) else b"",
        )
    return fields


def _batch_lines(content: bytes, endpoint: str) -> tuple[list[dict[str, Any]], str | None]:
    """The input file's request lines, or the reason OpenAI would fail the batch."""
    lines: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, raw in enumerate(content.decode("utf-8").splitlines(), start=1):
        try:
            line = json.loads(raw)
        except ValueError:
            return [], f"line {number} is not JSON"
        custom_id = line.get("custom_id")
        if not isinstance(custom_id, str) or custom_id in seen:
            return [], f"line {number}: custom_id missing or repeated"
        if line.get("method") != "POST" or line.get("url") != endpoint:
            return [], f"line {number}: not a POST to {endpoint}"
        if not isinstance(line.get("body"), dict):
            return [], f"line {number}: no body"
        seen.add(custom_id)
        lines.append(line)
    return lines, None if lines else "the input file holds no request"


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------


def _estimate_tokens(text: str) -> int:
    """About four characters a token, at least one for non-empty text."""
    return max(1, math.ceil(len(text) / 4)) if text else 0


def _prompt_text(body: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for message in body.get("messages", []):
        value = message.get("content")
        parts.append(value if isinstance(value, str) else json.dumps(value or ""))
        if message.get("tool_calls"):
            parts.append(json.dumps(message["tool_calls"]))
    for key in ("tools", "response_format"):
        if body.get(key):
            parts.append(json.dumps(body[key]))
    return "\n".join(parts)


def _embedding(text: str, dimensions: int) -> list[float]:
    """A deterministic unit vector from the SHA-256 of ``text``."""
    values: list[float] = []
    block = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{block}:{text}".encode()).digest()
        values.extend(b / 127.5 - 1.0 for b in digest)
        block += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


class _Server(ThreadingHTTPServer):
    """Handler threads are joined on close; open connections are tracked so stop can end them."""

    daemon_threads = False
    block_on_close = True
    # socketserver's default listen backlog is 5: a client opening more connections at once has
    # the rest of its SYNs dropped and retried a second later, which no real API server does.
    request_queue_size = 128
    double: LLMDouble

    def __init__(self, address: tuple[str, int], double: LLMDouble) -> None:
        self.double = double
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            open_connections = list(self.connections)
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout) makes writes fail; that is expected, not news.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real API
    server_version = "LLMDouble/1"
    timeout = 30  # idle keep-alive connections do not outlive a test run
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK of the headers (40 ms on Linux), which real API servers do not add.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.double._handle(self, "GET")

    def do_POST(self) -> None:
        self.server.double._handle(self, "POST")

    def send_body(
        self,
        status: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        *,
        body_bytes: int | None = None,
        declared_length: str = "sent",
        content_type: str = "application/json",
    ) -> None:
        sent = body if body_bytes is None else body[:body_bytes]
        length = len(body) if declared_length == "full" else len(sent)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(sent)
        if len(sent) < length:
            self.reset()

    def reset(self) -> None:
        """Abort the connection with a TCP reset."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket only really closes (and resets) once its file objects are closed too.
        self.rfile.close()
        self.wfile.close()
        self.connection.close()


class LLMDouble:
    """An OpenAI-compatible server on 127.0.0.1 that answers from a script.

    Args:
        script: replies consumed in order, one per chat-completion request.
        responder: called with the parsed request JSON once the script is used up; returns a
            reply (``Reply``, mapping / pydantic model, or string).
        model: the id listed by ``/v1/models`` (answers echo the requested model).
        embedding_dimensions: vector size for ``/v1/embeddings`` when ``dimensions`` is not
            in the request.
    """

    def __init__(
        self,
        script: Iterable[Any] = (),
        *,
        responder: Responder | None = None,
        model: str = "llm-double",
        embedding_dimensions: int = 16,
    ) -> None:
        self.model = model
        self.embedding_dimensions = embedding_dimensions
        self.responder = responder
        self.errors: list[str] = []
        """Problems found while answering (script exhausted, responder raised, bad request)."""
        self._script: deque[Reply] = deque(_as_reply(r) for r in script)
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._files: dict[str, DoubleFile] = {}
        self._batches: dict[str, DoubleBatch] = {}
        self._batch_plan: tuple[int, BatchOutcome] = (0, "completed")
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("LLMDouble already started")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"LLMDouble:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake delayed answers, end open connections and join all threads."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()  # joins the handler threads
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("LLMDouble is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, what ``openai.OpenAI(base_url=...)`` wants."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- script ------------------------------------------------------------------------------

    def push(self, *replies: Any) -> None:
        """Append replies to the script."""
        with self._lock:
            self._script.extend(_as_reply(r) for r in replies)

    @property
    def pending(self) -> int:
        """Scripted replies not used yet."""
        with self._lock:
            return len(self._script)

    # -- request log -------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat-completion requests only."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def reset_log(self) -> None:
        with self._lock:
            self._requests.clear()
            self.errors.clear()

    # -- request handling (runs in handler threads) -------------------------------------------

    def _record(self, handler: _Handler, method: str) -> RecordedRequest:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {k.lower(): _redact(k.lower(), v) for k, v in handler.headers.items()}
        path = handler.path.split("?", 1)[0]
        request = RecordedRequest(method, path, headers, body, time.time(), raw)
        with self._lock:
            self._requests.append(request)
        return request

    def _next_id(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    def _note(self, problem: str) -> None:
        with self._lock:
            self.errors.append(problem)

    def _handle(self, handler: _Handler, method: str) -> None:
        request = self._record(handler, method)
        try:
            self._route(handler, request)
        except OSError:
            pass  # the client went away (it timed out, or the double is stopping)
        except Exception as exc:  # a bug in the double or in a test's reply: say so loudly
            problem = f"LLMDouble failed on {method} {request.path}: {type(exc).__name__}: {exc}"
            self._note(problem)
            with contextlib.suppress(OSError):
                handler.send_body(500, _error_body(problem), {"x-should-retry": "false"})

    def _route(self, handler: _Handler, request: RecordedRequest) -> None:
        method, path = request.method, request.path
        number = self._next_id()
        headers = {"x-request-id": f"req_double_{number}"}
        if method == "GET" and path.rstrip("/") == "/v1/models":
            data = [self._model_entry(self.model)]
            handler.send_body(200, _dump({"object": "list", "data": data}), headers)
        elif method == "GET" and path.startswith("/v1/models/"):
            entry = self._model_entry(path.removeprefix("/v1/models/"))
            handler.send_body(200, _dump(entry), headers)
        elif method == "POST" and path == "/v1/embeddings":
            handler.send_body(200, _dump(self._embeddings(request.body or {})), headers)
        elif method == "POST" and path == "/v1/chat/completions":
            self._chat(handler, request, number, headers)
        elif path.startswith(("/v1/files", "/v1/batches")):
            self._batch_api(handler, request, headers)
        else:
            handler.send_body(404, _error_body(f"LLMDouble: no route {method} {path}"), headers)

    # -- the Batch API -------------------------------------------------------------------------

    def next_batches(self, *, in_progress: int = 0, outcome: BatchOutcome = "completed") -> None:
        """Batches created from now on answer ``in_progress`` to their first ``in_progress``
        polls, then end as ``outcome``."""
        with self._lock:
            self._batch_plan = (in_progress, outcome)

    @property
    def batches(self) -> list[DoubleBatch]:
        """Every batch created, oldest first."""
        with self._lock:
            return list(self._batches.values())

    def _batch_api(
        self, handler: _Handler, request: RecordedRequest, headers: dict[str, str]
    ) -> None:
        method, parts = request.method, request.path.strip("/").split("/")[1:]
        if method == "POST" and parts == ["files"]:
            answer = self._upload(request)
        elif method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            stored = self._files.get(parts[1])
            if stored is not None:
                handler.send_body(200, stored.content, headers, content_type="application/jsonl")
                return
            answer = None
        elif method == "GET" and len(parts) == 2 and parts[0] == "files":
            stored = self._files.get(parts[1])
            answer = stored.entry() if stored else None
        elif method == "POST" and parts == ["batches"]:
            answer = self._create_batch(request.body if isinstance(request.body, dict) else {})
        elif method == "GET" and len(parts) == 2 and parts[0] == "batches":
            batch = self._batches.get(parts[1])
            answer = self._poll(batch).entry() if batch else None
        else:
            answer = None
        if answer is None:
            message = f"LLMDouble: no {request.path} here"
            handler.send_body(404, _error_body(message, 404), headers)
        else:
            handler.send_body(200, _dump(answer), headers)

    def _upload(self, request: RecordedRequest) -> dict[str, Any]:
        fields = _multipart(request.headers.get("content-type", ""), request.raw)
        name, content = fields["file"]
        stored = DoubleFile(
            f"file-double-{self._next_id()}", name, fields["purpose"][1].decode(), content
        )
        with self._lock:
            self._files[stored.id] = stored
        return stored.entry()

    def _create_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        in_progress, outcome = self._batch_plan
        batch = DoubleBatch(
            id=f"batch_double_{self._next_id()}",
            input_file_id=str(body.get("input_file_id")),
            endpoint=str(body.get("endpoint")),
            completion_window=str(body.get("completion_window")),
            metadata=dict(body.get("metadata") or {}),
            polls_in_progress=in_progress,
            outcome=outcome,
        )
        stored = self._files.get(batch.input_file_id)
        problem = "no such input file" if stored is None else None
        if stored is not None:
            batch.lines, problem = _batch_lines(stored.content, batch.endpoint)
        if problem is not None:
            batch.status, batch.errors = "failed", [{"code": "invalid_input", "message": problem}]
        with self._lock:
            self._batches[batch.id] = batch
        return batch.entry()

    def _poll(self, batch: DoubleBatch) -> DoubleBatch:
        with self._lock:
            if batch.status != "in_progress":
                return batch
            if batch.polls_in_progress > 0:
                batch.polls_in_progress -= 1
                return batch
        if batch.outcome == "completed":
            self._answer_batch(batch)
        elif batch.outcome == "failed":
            batch.errors = [{"code": "server_error", "message": "LLMDouble failed the batch"}]
        batch.status = batch.outcome
        return batch

    def _answer_batch(self, batch: DoubleBatch) -> None:
        """Each line answered as a chat-completion request with its body would be."""
        output: list[str] = []
        errors: list[str] = []
        for line in batch.lines:
            number = self._next_id()
            reply = self._next_reply(line["body"])
            if isinstance(reply, str):
                self._note(f"batch {batch.id}, {line['custom_id']}: {reply}")
            status, answer = 500, json.loads(_error_body(str(reply)))
            if isinstance(reply, Reply) and reply.kind == "http_error":
                status, answer = reply.status, json.loads(_error_body(reply.payload, reply.status))
            elif isinstance(reply, Reply) and reply.kind != "disconnect":
                status, answer = 200, self._completion(reply, line["body"], number)
            result = {
                "id": f"batch_req_double_{number}",
                "custom_id": line["custom_id"],
                "response": {"status_code": status, "request_id": f"req_{number}", "body": answer},
                "error": None,
            }
            (output if status == 200 else errors).append(json.dumps(result, ensure_ascii=False))
        batch.completed, batch.failed = len(output), len(errors)
        for kind, lines in (("output", output), ("error", errors)):
            if lines:
                stored = DoubleFile(
                    f"file-double-{self._next_id()}",
                    f"{batch.id}_{kind}.jsonl",
                    "batch_output",
                    ("\n".join(lines) + "\n").encode(),
                )
                with self._lock:
                    self._files[stored.id] = stored
                setattr(batch, f"{kind}_file_id", stored.id)

    def _model_entry(self, model_id: str) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": 0, "owned_by": "llm-double"}

    def _embeddings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        raw_input = body.get("input", "")
        if isinstance(raw_input, str) or (raw_input and isinstance(raw_input[0], int)):
            raw_input = [raw_input]
        texts = [item if isinstance(item, str) else json.dumps(item) for item in raw_input]
        dimensions = int(body.get("dimensions") or self.embedding_dimensions)
        data = []
        for index, text in enumerate(texts):
            vector = _embedding(text, dimensions)
            encoded: Any = vector
            if body.get("encoding_format") == "base64":
                packed = struct.pack(f"<{len(vector)}f", *vector)
                encoded = base64.b64encode(packed).decode("ascii")
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(_estimate_tokens(t) for t in texts)
        return {
            "object": "list",
            "data": data,
            "model": body.get("model", self.model),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    def _next_reply(self, body: dict[str, Any]) -> Reply | str:
        """The next reply, or an error text when there is none."""
        with self._lock:
            if self._script:
                return self._script.popleft()
        if self.responder is None:
            return "LLMDouble: script exhausted and no responder"
        try:
            return _as_reply(self.responder(body))
        except Exception as exc:
            return f"LLMDouble: responder raised {type(exc).__name__}: {exc}"

    def _chat(
        self, handler: _Handler, request: RecordedRequest, number: int, headers: dict[str, str]
    ) -> None:
        body = request.body if isinstance(request.body, dict) else None
        if body is None or body.get("stream"):
            problem = "LLMDouble: chat request without a JSON body, or streaming (unsupported)"
            self._note(problem)
            handler.send_body(400, _error_body(problem), headers)
            return
        reply = self._next_reply(body)
        if isinstance(reply, str):
            self._note(f"request {len(self.requests)}: {reply}")
            headers["x-should-retry"] = "false"
            handler.send_body(500, _error_body(reply), headers)
            return
        if reply.delay and self._stopping.wait(reply.delay):
            handler.reset()
            return
        if reply.kind == "disconnect":
            handler.reset()
            return
        if reply.kind == "http_error":
            headers.update(reply.headers)
            handler.send_body(reply.status, _error_body(reply.payload, reply.status), headers)
            return
        encoded = _dump(self._completion(reply, body, number))
        body_bytes = None
        if reply.body_fraction is not None:
            body_bytes = max(1, int(len(encoded) * reply.body_fraction))
        headers.update(reply.headers)
        handler.send_body(
            reply.status,
            encoded,
            headers,
            body_bytes=body_bytes,
            declared_length=reply.declared_length,
        )

    def _completion(self, reply: Reply, body: Mapping[str, Any], number: int) -> dict[str, Any]:
        kind = reply.kind
        if kind == "structured":
            if body.get("tools"):
                kind = "tool_call"
            elif not body.get("response_format"):  # MD_JSON: the model answers in a fence
                reply = dataclasses.replace(reply, payload=f"```json\n{reply.payload}\n```")
        message: dict[str, Any] = {"role": "assistant", "content": reply.payload, "refusal": None}
        if kind == "tool_call":
            name = reply.tool_name
            if name is None:
                tools = body.get("tools") or []
                if not tools:
                    raise ValueError("LLMDouble: tool_call reply but the request has no tools")
                name = tools[0]["function"]["name"]
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": f"call_double_{number}",
                    "type": "function",
                    "function": {"name": name, "arguments": reply.payload},
                }
            ]
        prompt_tokens = _estimate_tokens(_prompt_text(body))
        completion_tokens = _estimate_tokens(reply.payload)
        return {
            "id": f"chatcmpl-double-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "system_fingerprint": "fp_llm_double",
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {
                    "cached_tokens": min(reply.cached_tokens, prompt_tokens),
                    "audio_tokens": 0,
                },
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
        }


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


_ERROR_TYPES = {429: "rate_limit_exceeded", 400: "invalid_request_error", 404: "not_found"}


def _error_body(message: str, status: int = 500) -> bytes:
    kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return _dump({"error": {"message": message, "type": kind, "param": None, "code": kind}})
