"""What the sync and async clients share: configuration, requests, retries, responses.

Only the I/O differs between ``Leadbase`` and ``AsyncLeadbase``: each loops
send -> classify -> wait with its own transport and sleep; every decision on the way
(what to send, whether and how long to wait, what the answer means) is made here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import math
import os
import random
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

import httpx

from leadbase._convert import ShapeError
from leadbase._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    LeadbaseError,
)
from leadbase._models import Meta
from leadbase._version import __version__

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

ENV_API_KEY: Final = "LEADBASE_API_KEY"
ENV_BASE_URL: Final = "LEADBASE_BASE_URL"
# `leadbase serve`'s default address: Leadbase is self-hosted, there is no public endpoint.
DEFAULT_BASE_URL: Final = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT: Final = 60.0
DEFAULT_MAX_RETRIES: Final = 2
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
USER_AGENT: Final = f"leadbase-python/{__version__}"

# Methods whose repetition has the effect of one call; a POST needs an Idempotency-Key.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
# An epoch timestamp, not a number of seconds (X-RateLimit-Reset is sent both ways).
_EPOCH_THRESHOLD = 1_000_000_000


class NotGiven:
    """The default of a per-call option: use the client's setting (None means "none")."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
Timeout = float | httpx.Timeout | None


# Configuration --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait between attempts.

    Backoff with equal jitter: attempt n waits between half and all of
    ``min(max_delay, initial_delay * 2**n)``. A wait the server asks for (Retry-After; on a
    429 also RateLimit-Reset or X-RateLimit-Reset) wins, up to ``max_server_delay``.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_server_delay: float = 60.0

    def backoff(self, retry: int, rng: Callable[[], float] = random.random) -> float:
        ceiling = min(self.max_delay, self.initial_delay * 2.0**retry)
        return ceiling / 2 + ceiling / 2 * rng()

    def delay(
        self,
        retry: int,
        response: httpx.Response | None,
        *,
        now: float | None = None,
        rng: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before retry number ``retry`` (0 for the first)."""
        asked = None
        if response is not None:
            asked = server_delay(response, now=time.time() if now is None else now)
        if asked is not None:
            return min(asked, self.max_server_delay)
        return self.backoff(retry, rng)


@dataclass(frozen=True, slots=True)
class ClientOptions:
    api_key: str
    base_url: str
    timeout: Timeout
    max_retries: int
    customer_id: str | None
    retry: RetryPolicy

    def changed(
        self,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        customer_id: str | NotGiven | None = NOT_GIVEN,
        retry: RetryPolicy | None = None,
    ) -> ClientOptions:
        """These options with the given ones changed (``with_options`` of the clients)."""
        if max_retries is not None and max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        return dataclasses.replace(
            self,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            customer_id=self.customer_id if isinstance(customer_id, NotGiven) else customer_id,
            retry=retry or self.retry,
        )

    def headers(self) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if self.customer_id:
            headers["X-Customer-Id"] = self.customer_id
        return headers


def resolve_options(
    *,
    api_key: str | None,
    base_url: str | None,
    timeout: Timeout,
    max_retries: int,
    customer_id: str | None,
    retry: RetryPolicy | None,
) -> ClientOptions:
    """The constructor's arguments, with LEADBASE_API_KEY / LEADBASE_BASE_URL as fallbacks."""
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    if not key:
        raise LeadbaseError(
            f"No API key: pass api_key=... or set the {ENV_API_KEY} environment variable."
        )
    if max_retries < 0:
        raise ValueError("max_retries must be 0 or more")
    url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    return ClientOptions(
        api_key=key,
        base_url=url.rstrip("/"),
        timeout=timeout,
        max_retries=max_retries,
        customer_id=customer_id,
        retry=retry or RetryPolicy(),
    )


# Requests -------------------------------------------------------------------------------

Parse = Callable[[Any, Meta], T]


@dataclass(frozen=True, slots=True)
class APIRequest(Generic[T_co]):
    """One logical call: what to send, and how to read the ``data`` of its answer."""

    method: str
    path: str
    parse: Callable[[Any, Meta], T_co]
    params: Mapping[str, Any] | None = None
    body: Any = None
    idempotency_key: str | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    # A GET that costs credits (a record by id): the server takes no key on a GET, so it is
    # sent again only when the first attempt surely did nothing.
    billed: bool = False


def get(
    path: str,
    parse: Parse[T],
    *,
    params: Mapping[str, Any] | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
    billed: bool = False,
) -> APIRequest[T]:
    return APIRequest("GET", path, parse, params=params, timeout=timeout, billed=billed)


def delete(path: str, parse: Parse[T], *, timeout: Timeout | NotGiven = NOT_GIVEN) -> APIRequest[T]:
    return APIRequest("DELETE", path, parse, timeout=timeout)


def post(
    path: str,
    body: Mapping[str, Any],
    parse: Parse[T],
    *,
    idempotency_key: str | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> APIRequest[T]:
    """A POST, with an Idempotency-Key made once here (unless given) for all its attempts."""
    return APIRequest(
        "POST",
        path,
        parse,
        body=without_none(body),
        idempotency_key=idempotency_key or new_idempotency_key(),
        timeout=timeout,
    )


def segment(value: str) -> str:
    """An id as one path segment, whatever it holds."""
    return urllib.parse.quote(value, safe="")


def new_idempotency_key() -> str:
    return f"lb-sdk-{uuid.uuid4()}"


def without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def build_request(
    http: httpx.Client | httpx.AsyncClient, options: ClientOptions, spec: APIRequest[Any]
) -> httpx.Request:
    headers = options.headers()
    content = None
    if spec.body is not None:
        headers["Content-Type"] = "application/json"
        content = json.dumps(spec.body, default=_json_default, separators=(",", ":")).encode()
    if spec.idempotency_key is not None:
        headers[IDEMPOTENCY_HEADER] = spec.idempotency_key
    timeout = options.timeout if isinstance(spec.timeout, NotGiven) else spec.timeout
    return http.build_request(
        spec.method,
        options.base_url + spec.path,
        params=without_none(spec.params) if spec.params else None,
        content=content,
        headers=headers,
        timeout=timeout,
    )


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# Answers and retries --------------------------------------------------------------------


def parse_response(response: httpx.Response, spec: APIRequest[T]) -> T:
    """The parsed ``data`` of a success envelope, with its ``meta``."""
    try:
        body = response.json()
    except ValueError:
        raise APIResponseValidationError(
            "The response is not JSON.", response=response, body=response.text
        ) from None
    if not isinstance(body, Mapping) or "data" not in body:
        raise APIResponseValidationError(
            "The response has no data envelope.", response=response, body=body
        )
    meta = Meta.from_json(body.get("meta"))
    if meta.request_id is None and "x-request-id" in response.headers:
        meta = dataclasses.replace(meta, request_id=response.headers["x-request-id"])
    if response.headers.get("idempotent-replayed") == "true":
        meta = dataclasses.replace(meta, replayed=True)
    try:
        return spec.parse(body["data"], meta)
    except (ShapeError, TypeError, ValueError, KeyError) as exc:
        raise APIResponseValidationError(str(exc), response=response, body=body) from exc


def transport_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    error = (
        APITimeoutError(request=request)
        if isinstance(exc, httpx.TimeoutException)
        else APIConnectionError(f"Connection error: {exc}", request=request)
    )
    error.__cause__ = exc
    return error


def is_retryable(error: APIError) -> bool:
    """Connection errors, 408, 409 idempotency_key_in_use, 429 and 5xx."""
    if isinstance(error, APIConnectionError):
        return True
    if not isinstance(error, APIStatusError):
        return False
    status = error.status_code
    if status == 409:
        return error.code == "idempotency_key_in_use"
    return status in (408, 429) or status >= 500


def can_repeat(spec: APIRequest[Any], error: APIError) -> bool:
    """Sending it again cannot do the work twice: a key, or an idempotent method; a billed
    GET only after an answer that did nothing (429) or a connection never made."""
    if spec.idempotency_key is not None:
        return True
    if spec.method not in _IDEMPOTENT_METHODS:
        return False
    if not spec.billed:
        return True
    if isinstance(error, APIStatusError):
        return error.status_code == 429
    return isinstance(error.__cause__, httpx.ConnectError)


def next_delay(
    options: ClientOptions, retry: int, error: APIError, spec: APIRequest[Any]
) -> float | None:
    """Seconds to wait before retrying after ``error``, or None to give up and raise it."""
    if retry >= options.max_retries or not is_retryable(error):
        return None
    if not can_repeat(spec, error):
        return None
    response = error.response if isinstance(error, APIStatusError) else None
    return options.retry.delay(retry, response)


def server_delay(response: httpx.Response, *, now: float) -> float | None:
    """The wait the server asks for: Retry-After (seconds or HTTP date) on any answer;
    on a 429 also RateLimit-Reset (seconds) or X-RateLimit-Reset (epoch seconds).

    On other answers the reset headers only describe the window, they ask for no wait.
    """
    headers = response.headers
    retry_after = _retry_after(headers.get("retry-after"), now=now)
    if retry_after is not None or response.status_code != 429:
        return retry_after
    reset = _number(headers.get("ratelimit-reset"))
    if reset is not None:
        return max(0.0, reset)
    reset = _number(headers.get("x-ratelimit-reset"))
    if reset is not None:
        return max(0.0, reset - now if reset >= _EPOCH_THRESHOLD else reset)
    return None


def _retry_after(value: str | None, *, now: float) -> float | None:
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None
