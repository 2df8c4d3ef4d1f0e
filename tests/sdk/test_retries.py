"""Retries over httpx.MockTransport, sync and async: which answers are retried, how often,
how long the client waits, and that a POST keeps one Idempotency-Key through its retries."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import pytest

from leadbase import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServiceUnavailableError,
)
from tests.sdk.mock import ACCOUNT, Answer, Script, async_client, error, ok, scripted, sync_client

RETRYABLE: list[tuple[Answer, type[Exception]]] = [
    (error(408, "request_timeout"), APIStatusError),
    (error(409, "idempotency_key_in_use"), ConflictError),
    (error(429, "rate_limit_exceeded"), RateLimitError),
    (error(500, "internal_error"), InternalServerError),
    (error(502, "bad_gateway"), InternalServerError),
    (error(503, "upstream_unavailable"), ServiceUnavailableError),
    (error(504, "gateway_timeout"), InternalServerError),
    (httpx.ConnectError("refused"), APIConnectionError),
    (httpx.ReadError("reset"), APIConnectionError),
    (httpx.ReadTimeout("slow"), APITimeoutError),
]
NOT_RETRYABLE: list[tuple[Answer, type[Exception]]] = [
    (error(400, "invalid_parameter"), BadRequestError),
    (error(401, "invalid_api_key"), AuthenticationError),
    (error(402, "insufficient_credits"), InsufficientCreditsError),
    (error(403, "insufficient_scope"), PermissionDeniedError),
    (error(404, "no_match"), NotFoundError),
    (error(409, "idempotency_key_reused"), ConflictError),
    (error(413, "payload_too_large"), PayloadTooLargeError),
    (error(422, "unprocessable"), BadRequestError),
]


def _ids(cases: list[tuple[Answer, type[Exception]]]) -> list[str]:
    return [
        f"{a.status_code}" if isinstance(a, httpx.Response) else type(a).__name__ for a, _ in cases
    ]


def _post(script: Script, **options: Any) -> None:
    with sync_client(script, **options) as client:
        client.phones.validate(phone="+16502530000")


async def _post_async(script: Script, **options: Any) -> None:
    async with async_client(script, **options) as client:
        await client.phones.validate(phone="+16502530000")


@pytest.mark.parametrize(("answer", "raised"), RETRYABLE, ids=_ids(RETRYABLE))
def test_retryable_answers_are_retried_max_retries_times(
    answer: Answer, raised: type[Exception]
) -> None:
    script = scripted(answer)
    with pytest.raises(raised):
        _post(script, max_retries=3)
    assert len(script.requests) == 4
    keys = script.header("Idempotency-Key")
    assert keys[0] is not None and keys[0].startswith("lb-sdk-")
    assert keys == [keys[0]] * 4, "one key for every attempt of a call"
    assert len(script.sleeps) == 3


@pytest.mark.parametrize(("answer", "raised"), RETRYABLE, ids=_ids(RETRYABLE))
@pytest.mark.anyio
async def test_retryable_answers_are_retried_async(answer: Answer, raised: type[Exception]) -> None:
    script = scripted(answer)
    with pytest.raises(raised):
        await _post_async(script, max_retries=2)
    assert len(script.requests) == 3
    assert len(set(script.header("Idempotency-Key"))) == 1
    assert len(script.sleeps) == 2


@pytest.mark.parametrize(("answer", "raised"), NOT_RETRYABLE, ids=_ids(NOT_RETRYABLE))
def test_other_errors_are_raised_at_once(answer: Answer, raised: type[Exception]) -> None:
    script = scripted(answer)
    with pytest.raises(raised):
        _post(script, max_retries=3)
    assert len(script.requests) == 1
    assert script.sleeps == []


@pytest.mark.parametrize(("answer", "raised"), NOT_RETRYABLE, ids=_ids(NOT_RETRYABLE))
@pytest.mark.anyio
async def test_other_errors_are_raised_at_once_async(
    answer: Answer, raised: type[Exception]
) -> None:
    script = scripted(answer)
    with pytest.raises(raised):
        await _post_async(script, max_retries=3)
    assert len(script.requests) == 1


def test_a_retry_that_succeeds_returns_the_answer_with_the_same_key() -> None:
    script = scripted(
        error(503),
        error(429, **{"Retry-After": "0"}),
        ok({"input": "x", "valid": True, "possible": True}),
    )
    with sync_client(script) as client:
        validation = client.phones.validate(phone="x", idempotency_key="my-key")
    assert validation.valid
    assert script.header("Idempotency-Key") == ["my-key"] * 3
    assert script.bodies() == [{"phone": "x"}] * 3


def test_each_call_gets_its_own_key() -> None:
    script = scripted(ok({"input": "x", "valid": False, "possible": False}))
    with sync_client(script) as client:
        client.phones.validate(phone="x")
        client.phones.validate(phone="x")
    first, second = script.header("Idempotency-Key")
    assert first != second


def test_gets_are_retried_without_a_key() -> None:
    script = scripted(httpx.ConnectError("refused"), error(500), ok(ACCOUNT))
    with sync_client(script) as client:
        assert client.account.get().name == "Acme"
    assert [request.method for request in script.requests] == ["GET"] * 3
    assert script.header("Idempotency-Key") == [None] * 3


@pytest.mark.parametrize(
    ("answer", "raised"),
    [
        (error(500, "internal_error"), InternalServerError),
        (httpx.ReadTimeout("slow"), APITimeoutError),
        (httpx.ReadError("reset"), APIConnectionError),
    ],
    ids=["500", "ReadTimeout", "ReadError"],
)
def test_a_billed_get_is_not_sent_again_after_an_attempt_that_may_have_billed(
    answer: Answer, raised: type[Exception]
) -> None:
    script = scripted(answer, ok(ACCOUNT))
    with sync_client(script) as client, pytest.raises(raised):
        client.people.get("per_1")
    assert len(script.requests) == 1


def test_a_billed_get_is_sent_again_after_an_attempt_that_did_nothing() -> None:
    script = scripted(httpx.ConnectError("refused"), error(429, "rate_limit_exceeded"), error(404))
    with sync_client(script, max_retries=2) as client, pytest.raises(NotFoundError):
        client.companies.get("com_1")
    assert len(script.requests) == 3
    assert script.header("Idempotency-Key") == [None] * 3


def test_max_retries_zero_never_retries() -> None:
    script = scripted(error(503))
    with pytest.raises(ServiceUnavailableError):
        _post(script, max_retries=0)
    assert len(script.requests) == 1


# Waits ------------------------------------------------------------------------------------


def _waits(*answers: Answer, policy: RetryPolicy | None = None) -> list[float]:
    script = scripted(*answers, ok({"input": "x", "valid": True, "possible": True}))
    _post(script, max_retries=len(answers), retry=policy)
    return script.sleeps


def test_backoff_doubles_from_half_a_second_with_jitter() -> None:
    waits = _waits(error(500), error(500), error(500), error(500), error(500), error(500))
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling


def test_backoff_is_configurable() -> None:
    waits = _waits(error(500), error(500), policy=RetryPolicy(initial_delay=2.0, max_delay=3.0))
    assert 1.0 <= waits[0] <= 2.0
    assert 1.5 <= waits[1] <= 3.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"RateLimit-Reset": "12"}, 12.0),
        ({"X-RateLimit-Reset": "9"}, 9.0),
        ({"Retry-After": "3", "RateLimit-Reset": "40"}, 3.0),
        ({"Retry-After": "3600"}, 60.0),
        ({"Retry-After": "-5"}, 0.0),
    ],
)
def test_429_waits_what_the_server_asks_bounded(headers: dict[str, str], expected: float) -> None:
    assert _waits(error(429, **headers)) == [expected]


def test_x_ratelimit_reset_as_epoch_seconds() -> None:
    (wait,) = _waits(error(429, **{"X-RateLimit-Reset": str(int(time.time()) + 20)}))
    assert 18 <= wait <= 20


def test_retry_after_as_an_http_date() -> None:
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    (wait,) = _waits(error(503, **{"Retry-After": date}))
    assert 28 <= wait <= 30


def test_reset_headers_on_a_5xx_describe_the_window_and_ask_no_wait() -> None:
    (wait,) = _waits(error(500, **{"RateLimit-Reset": "55", "X-RateLimit-Reset": "99"}))
    assert 0.25 <= wait <= 0.5


def test_the_bound_on_server_waits_is_configurable() -> None:
    waits = _waits(error(429, **{"Retry-After": "30"}), policy=RetryPolicy(max_server_delay=5))
    assert waits == [5.0]


def test_409_in_use_waits_its_retry_after() -> None:
    assert _waits(error(409, "idempotency_key_in_use", **{"Retry-After": "1"})) == [1.0]


@pytest.mark.anyio
async def test_async_waits_honour_retry_after() -> None:
    script = scripted(
        error(429, **{"Retry-After": "4"}), ok({"input": "x", "valid": True, "possible": True})
    )
    await _post_async(script)
    assert script.sleeps == [4.0]


# Timeouts -------------------------------------------------------------------------------


def _timeout_of(request: httpx.Request) -> dict[str, float | None]:
    timeout: dict[str, float | None] = request.extensions["timeout"]
    return timeout


def test_default_timeout_is_60_seconds_and_overridable_per_call() -> None:
    script = scripted(ok({"input": "x", "valid": True, "possible": True}))
    with sync_client(script) as client:
        client.phones.validate(phone="x")
        client.phones.validate(phone="x", timeout=5.0)
        client.with_options(timeout=12.0).phones.validate(phone="x")
    assert [_timeout_of(r)["read"] for r in script.requests] == [60.0, 5.0, 12.0]


def test_with_options_changes_retries_and_shares_the_connection() -> None:
    script = scripted(error(503))
    with sync_client(script, max_retries=0) as client:
        patient = client.with_options(max_retries=2)
        with pytest.raises(ServiceUnavailableError):
            patient.phones.validate(phone="x")
        assert len(script.requests) == 3
        with pytest.raises(ServiceUnavailableError):
            client.phones.validate(phone="x")
        assert len(script.requests) == 4
