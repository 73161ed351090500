"""The LLM double, driven by the real openai client and instructor over HTTP on 127.0.0.1.

These tests also pin what the installed openai and instructor do with each fault (see the
module docstring of ``tests/llm_double.py``), so an upgrade that changes a retry rule fails here.
"""

from __future__ import annotations

import base64
import json
import struct
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import instructor
import openai
import pytest
from instructor.core import IncompleteOutputException, InstructorRetryException
from llm_double import (
    LLMDouble,
    cut_off,
    disconnect,
    empty,
    rate_limited,
    server_error,
    slow,
    structured,
    tool_call,
    truncated_body,
    truncated_json,
    unavailable,
)
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, ValidationInfo, field_validator

ARTICLE = 'The minister said "we will build 300 homes by 2026" at the opening.'
GOOD = {"speaker": "the minister", "quote": "we will build 300 homes by 2026"}
FABRICATED = {"speaker": "the minister", "quote": "we will build 3,000 homes"}
MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "Extract the quote from: {{ article }}"}
]

# The openai client's first backoff is 0.5 s x jitter in [0.75, 1]: never under 0.375 s.
MIN_BACKOFF = 0.375


class Claim(BaseModel):
    speaker: str
    quote: str


class GroundedClaim(BaseModel):
    """A claim whose quote must appear verbatim in the article given as context."""

    speaker: str
    quote: str

    @field_validator("quote")
    @classmethod
    def quote_is_in_article(cls, quote: str, info: ValidationInfo) -> str:
        article = (info.context or {}).get("article", "")
        if quote not in article:
            raise ValueError(f"quote not found in the article: {quote!r}")
        return quote


@pytest.fixture
def double() -> Iterator[LLMDouble]:
    with LLMDouble() as running:
        yield running


ClientFactory = Callable[..., openai.OpenAI]


@pytest.fixture
def make_client(double: LLMDouble) -> Iterator[ClientFactory]:
    """Real openai clients pointed at the double; closed before the double stops."""
    clients: list[openai.OpenAI] = []

    def make(*, max_retries: int = 2, timeout: float = 5.0) -> openai.OpenAI:
        client = openai.OpenAI(
            base_url=double.base_url, api_key="test", max_retries=max_retries, timeout=timeout
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def extract(
    client: openai.OpenAI,
    response_model: type[BaseModel] = Claim,
    *,
    mode: instructor.Mode = instructor.Mode.TOOLS,
    max_retries: int = 2,
    context: dict[str, Any] | None = None,
) -> Any:
    patched = instructor.from_openai(client, mode=mode)
    return patched.create(
        model="gpt-test",
        response_model=response_model,
        messages=MESSAGES,
        max_retries=max_retries,
        context={"article": ARTICLE} if context is None else context,
    )


def retry_counts(double: LLMDouble) -> list[int]:
    return [request.retry_count for request in double.chat_requests]


def gap_between_requests(double: LLMDouble) -> float:
    """Seconds between the first two chat requests, as the server saw them."""
    first, second = double.chat_requests[:2]
    return second.timestamp - first.timestamp


# -- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode",
    [
        instructor.Mode.TOOLS,
        instructor.Mode.JSON,
        instructor.Mode.JSON_SCHEMA,
        instructor.Mode.MD_JSON,
    ],
    ids=lambda mode: mode.name,
)
def test_structured_answer_parses_in_every_mode(
    double: LLMDouble, make_client: ClientFactory, mode: instructor.Mode
) -> None:
    double.push(structured(GOOD))

    claim = extract(make_client(), mode=mode)

    assert claim.model_dump() == GOOD
    (request,) = double.chat_requests
    assert request.body["model"] == "gpt-test"
    assert any(ARTICLE in message["content"] for message in request.messages)
    if mode is instructor.Mode.TOOLS:
        assert request.tool_name == "Claim"
    assert not double.errors


def test_tool_call_answer_carries_usage_and_the_request_is_logged(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(structured(GOOD, cached_tokens=7))
    patched = instructor.from_openai(make_client(), mode=instructor.Mode.TOOLS)

    claim, completion = patched.create_with_completion(
        model="gpt-test", response_model=Claim, messages=MESSAGES, context={"article": ARTICLE}
    )

    assert claim.model_dump() == GOOD
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.name == "Claim"
    assert json.loads(call.function.arguments) == GOOD
    usage = completion.usage
    assert usage.prompt_tokens > len(ARTICLE) // 4  # the article and the tool schema count
    assert usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert usage.prompt_tokens_details.cached_tokens == 7

    (request,) = double.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer <redacted>"
    assert request.body["tool_choice"] == {"type": "function", "function": {"name": "Claim"}}
    assert request.timestamp == pytest.approx(time.time(), abs=5)


def test_responder_answers_from_the_request(double: LLMDouble, make_client: ClientFactory) -> None:
    def echo_the_tool_name(body: dict[str, Any]) -> dict[str, str]:
        return {"speaker": body["tools"][0]["function"]["name"], "quote": "q"}

    double.responder = echo_the_tool_name

    assert extract(make_client()).model_dump() == {"speaker": "Claim", "quote": "q"}


def test_an_exhausted_script_fails_loudly_without_client_retries(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    with pytest.raises(openai.InternalServerError, match="script exhausted"):
        make_client().chat.completions.create(model="gpt-test", messages=MESSAGES)

    assert len(double.chat_requests) == 1  # x-should-retry: false
    assert double.errors


@pytest.mark.parametrize(
    "setup",
    [
        lambda double: double.push(tool_call(GOOD)),  # a tool call, but no tools were offered
        lambda double: setattr(double, "responder", lambda body: 1 / 0),
    ],
    ids=["tool-call-without-tools", "responder-raises"],
)
def test_a_reply_the_double_cannot_give_is_reported(
    double: LLMDouble, make_client: ClientFactory, setup: Callable[[LLMDouble], None]
) -> None:
    setup(double)

    with pytest.raises(openai.InternalServerError, match="LLMDouble"):
        make_client().chat.completions.create(model="gpt-test", messages=MESSAGES)

    assert len(double.chat_requests) == 1
    assert len(double.errors) == 1


def test_models_and_deterministic_embeddings(double: LLMDouble, make_client: ClientFactory) -> None:
    client = make_client()

    assert [model.id for model in client.models.list()] == ["llm-double"]
    # The client asks for base64 unless told otherwise; both encodings give the same vector.
    first = client.embeddings.create(model="emb", input=["alpha", "beta"])
    again = client.embeddings.create(model="emb", input="alpha", encoding_format="float")
    small = client.embeddings.create(model="emb", input="alpha", dimensions=4)

    assert [len(item.embedding) for item in first.data] == [16, 16]
    assert first.data[0].embedding == pytest.approx(again.data[0].embedding, abs=1e-6)
    assert first.data[0].embedding != first.data[1].embedding
    assert sum(v * v for v in small.data[0].embedding) == pytest.approx(1.0, abs=1e-5)
    assert double.requests[1].body["encoding_format"] == "base64"


def test_base64_embeddings_are_little_endian_float32(double: LLMDouble) -> None:
    # The wire format, checked without the client's decoding.
    request = urllib.request.Request(
        f"{double.base_url}/embeddings",
        data=json.dumps({"input": "alpha", "encoding_format": "base64", "dimensions": 3}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        payload = json.load(response)
    raw = base64.b64decode(payload["data"][0]["embedding"])
    assert len(struct.unpack("<3f", raw)) == 3


# -- faults the openai client retries by itself -----------------------------------------------


@pytest.mark.parametrize("retry_after", [0, None], ids=["retry-after-0", "no-retry-after"])
def test_429_then_success_is_retried_by_the_client_after_its_backoff(
    double: LLMDouble, make_client: ClientFactory, retry_after: int | None
) -> None:
    double.push(rate_limited(retry_after=retry_after), structured(GOOD))

    assert extract(make_client()).model_dump() == GOOD

    assert retry_counts(double) == [0, 1]
    # Retry-After: 0 is outside openai's honoured range (0, 120]: it backs off as if absent.
    assert gap_between_requests(double) >= MIN_BACKOFF


def test_429_with_retry_after_ms_is_retried_without_backoff(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(rate_limited(retry_after_ms=1), structured(GOOD))

    assert extract(make_client()).model_dump() == GOOD

    assert retry_counts(double) == [0, 1]
    assert gap_between_requests(double) < MIN_BACKOFF


def test_429_with_retry_after_beyond_two_minutes_is_not_retried(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(rate_limited(retry_after=121), structured(GOOD))

    with pytest.raises(openai.RateLimitError):
        make_client().chat.completions.create(model="gpt-test", messages=MESSAGES)

    assert retry_counts(double) == [0]


@pytest.mark.parametrize(
    "fault",
    [server_error(500), unavailable(retry_after_ms=1)],
    ids=["500", "503-retry-after-ms"],
)
def test_server_error_then_success(
    double: LLMDouble, make_client: ClientFactory, fault: Any
) -> None:
    double.push(fault, structured(GOOD))

    assert extract(make_client()).model_dump() == GOOD

    assert retry_counts(double) == [0, 1]


def test_connection_reset_then_success(double: LLMDouble, make_client: ClientFactory) -> None:
    double.push(disconnect(), structured(GOOD))

    assert extract(make_client()).model_dump() == GOOD

    assert retry_counts(double) == [0, 1]


def test_connection_reset_without_client_retries_is_a_connection_error(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(disconnect(), truncated_body(GOOD, declared_length="full"))
    client = make_client(max_retries=0)

    for _ in range(2):  # a reset, then a body cut short of its Content-Length
        with pytest.raises(openai.APIConnectionError):
            client.chat.completions.create(model="gpt-test", messages=MESSAGES)

    assert retry_counts(double) == [0, 0]


def test_slow_answer_beyond_the_client_timeout(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(slow(5, GOOD), slow(5, GOOD), slow(5, GOOD))

    # The openai client retries timeouts too: max_retries=1 means two requests.
    with pytest.raises(openai.APITimeoutError):
        make_client(max_retries=1, timeout=0.2).chat.completions.create(
            model="gpt-test", messages=MESSAGES
        )
    assert retry_counts(double) == [0, 1]

    # Through instructor the timeout arrives wrapped, with the openai error as its cause.
    with pytest.raises(InstructorRetryException) as caught:
        extract(make_client(max_retries=0, timeout=0.2))
    assert isinstance(caught.value.__cause__, openai.APITimeoutError)
    assert len(double.chat_requests) == 3


# -- faults instructor handles -----------------------------------------------------------------


def test_truncated_json_is_reasked_with_the_validation_error(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(truncated_json(GOOD), structured(GOOD))

    assert extract(make_client(), max_retries=2).model_dump() == GOOD

    first, second = double.chat_requests
    assert (first.retry_count, second.retry_count) == (0, 0)  # a re-ask, not a client retry
    assistant, tool_message = second.messages[-2:]
    assert assistant["role"] == "assistant"
    cut_arguments = assistant["tool_calls"][0]["function"]["arguments"]
    assert json.dumps(GOOD).startswith(cut_arguments)
    assert len(cut_arguments) < len(json.dumps(GOOD))
    assert tool_message["role"] == "tool"
    assert tool_message["tool_call_id"] == assistant["tool_calls"][0]["id"]
    assert tool_message["content"].startswith("Validation Error found:")
    assert "json_invalid" in tool_message["content"]


def test_truncated_http_body_is_resent_by_instructor_not_reasked(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(truncated_body(GOOD), structured(GOOD))

    assert extract(make_client(), max_retries=2).model_dump() == GOOD

    # openai raises a bare JSONDecodeError (no client retry); instructor retries it as a parse
    # error, but with no completion to quote it sends the same messages again.
    first, second = double.chat_requests
    assert (first.retry_count, second.retry_count) == (0, 0)
    assert first.messages == second.messages


@pytest.mark.parametrize(
    ("mode", "role", "prefix"),
    [
        (instructor.Mode.TOOLS, "user", "Validation Error found:"),
        (instructor.Mode.JSON, "user", "Correct your JSON ONLY RESPONSE"),
    ],
    ids=["TOOLS", "JSON"],
)
def test_empty_answer_is_reasked(
    double: LLMDouble, make_client: ClientFactory, mode: instructor.Mode, role: str, prefix: str
) -> None:
    double.push(empty(), structured(GOOD))

    assert extract(make_client(), mode=mode).model_dump() == GOOD

    reask = double.chat_requests[1].messages[-1]
    assert reask["role"] == role
    assert reask["content"].startswith(prefix)


def test_quote_not_in_the_article_is_reasked_then_fixed(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(structured(FABRICATED), structured(GOOD))
    patched = instructor.from_openai(make_client(), mode=instructor.Mode.JSON)
    per_call: list[int] = []  # read at once: instructor mutates the completion's usage later
    patched.on("completion:response", lambda r: per_call.append(r.usage.total_tokens))

    claim = patched.create(
        model="gpt-test",
        response_model=GroundedClaim,
        messages=MESSAGES,
        max_retries=2,
        context={"article": ARTICLE},
    )

    assert claim.quote == GOOD["quote"]
    reask = double.chat_requests[1].messages[-1]
    assert reask["role"] == "user"
    assert "quote not found in the article" in reask["content"]
    # After a re-ask the returned completion's usage is the running total over all attempts,
    # not that call's own: per-call usage has to be taken from the hook.
    assert len(per_call) == 2
    assert claim._raw_response.usage.total_tokens == sum(per_call)  # type: ignore[attr-defined]
    assert claim._total_usage.total_tokens == sum(per_call)  # type: ignore[attr-defined]


def test_quote_never_in_the_article_exhausts_instructor_retries(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.responder = lambda body: structured(FABRICATED)

    with pytest.raises(InstructorRetryException) as caught:
        extract(make_client(), GroundedClaim, max_retries=2)

    assert len(double.chat_requests) == 3  # the first attempt and two re-asks
    assert caught.value.n_attempts == 3
    assert len(caught.value.failed_attempts or []) == 3
    assert retry_counts(double) == [0, 0, 0]
    # Each re-ask carries the whole conversation so far: one more (assistant, tool) pair.
    assert [len(request.messages) for request in double.chat_requests] == [1, 3, 5]
    assert "quote not found in the article" in double.chat_requests[2].messages[-1]["content"]


def test_finish_reason_length_raises_incomplete_output_at_once(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    double.push(cut_off(GOOD), structured(GOOD))

    with pytest.raises(IncompleteOutputException) as caught:
        extract(make_client(), max_retries=2)

    completion = caught.value.last_completion
    assert completion is not None
    assert completion.choices[0].finish_reason == "length"
    assert len(double.chat_requests) == 1
    assert double.pending == 1


def test_context_is_also_a_jinja_template_context(
    double: LLMDouble, make_client: ClientFactory
) -> None:
    """instructor renders messages with ``context``: pass article text in as ``{{ article }}``
    (a value is not re-rendered), never pasted into a message, where ``{#`` would break it."""
    double.push(structured(GOOD))
    extract(make_client(), context={"article": "text with {# and {{ braces }}"})
    assert double.chat_requests[0].messages[0]["content"].endswith("{# and {{ braces }}")

    patched = instructor.from_openai(make_client())
    with pytest.raises(Exception, match="end of comment"):
        patched.create(
            model="gpt-test",
            response_model=Claim,
            messages=[{"role": "user", "content": "pasted text with {# in it"}],
            context={"article": ARTICLE},
        )
    assert len(double.chat_requests) == 1  # it failed before sending


# -- the double itself -------------------------------------------------------------------------


def test_starts_and_stops_fast_even_with_a_client_waiting() -> None:
    started = time.monotonic()
    with LLMDouble([slow(30, GOOD)]) as double:
        client = openai.OpenAI(base_url=double.base_url, api_key="test", max_retries=0)
        outcome: list[BaseException] = []

        def call() -> None:
            try:
                client.chat.completions.create(model="gpt-test", messages=MESSAGES)
            except openai.APIError as exc:
                outcome.append(exc)

        waiting = threading.Thread(target=call)
        waiting.start()
        while not double.requests:
            time.sleep(0.01)
    waiting.join(timeout=5)
    client.close()

    assert not waiting.is_alive()
    assert isinstance(outcome[0], openai.APIConnectionError)
    assert time.monotonic() - started < 2
