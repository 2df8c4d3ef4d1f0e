"""Configuration of the clients: explicit arguments, environment fallbacks, headers."""

from __future__ import annotations

import httpx
import pytest

from leadbase import (
    APIResponseValidationError,
    AsyncLeadbase,
    Leadbase,
    LeadbaseError,
    __version__,
)
from leadbase._base import APIRequest, get
from leadbase._resource import raw
from tests.sdk.mock import ACCOUNT, async_client, error, ok, scripted, sync_client


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("LEADBASE_API_KEY", raising=False)
    monkeypatch.delenv("LEADBASE_BASE_URL", raising=False)
    return monkeypatch


def test_a_missing_key_is_a_clear_error_at_construction(no_environment: pytest.MonkeyPatch) -> None:
    with pytest.raises(LeadbaseError, match="LEADBASE_API_KEY"):
        Leadbase()
    with pytest.raises(LeadbaseError, match="api_key="):
        AsyncLeadbase()


def test_the_environment_is_only_a_fallback(no_environment: pytest.MonkeyPatch) -> None:
    no_environment.setenv("LEADBASE_API_KEY", "lb_live_from_env")
    no_environment.setenv("LEADBASE_BASE_URL", "http://env.test:9000/")
    script = scripted(ok(ACCOUNT))
    http = httpx.Client(transport=httpx.MockTransport(script.handle))
    with Leadbase(http_client=http) as from_env:
        from_env.account.get()
        assert from_env.base_url == "http://env.test:9000"
    with Leadbase(
        api_key="lb_live_explicit", base_url="http://explicit.test", http_client=http
    ) as explicit:
        explicit.account.get()
    assert [str(request.url) for request in script.requests] == [
        "http://env.test:9000/v1/account",
        "http://explicit.test/v1/account",
    ]
    assert script.header("Authorization") == ["Bearer lb_live_from_env", "Bearer lb_live_explicit"]


def test_the_default_base_url_is_a_local_server(no_environment: pytest.MonkeyPatch) -> None:
    assert Leadbase(api_key="k").base_url == "http://127.0.0.1:8000"


def test_negative_retries_are_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Leadbase(api_key="k", max_retries=-1)


def test_every_request_carries_key_user_agent_and_customer() -> None:
    script = scripted(ok(ACCOUNT))
    with sync_client(script, customer_id="org_customer") as client:
        client.account.get()
        client.with_options(customer_id=None).account.get()
    first, second = script.requests
    assert first.headers["Authorization"] == "Bearer lb_live_test"
    assert first.headers["User-Agent"] == f"leadbase-python/{__version__}"
    assert first.headers["Accept"] == "application/json"
    assert first.headers["X-Customer-Id"] == "org_customer"
    assert "X-Customer-Id" not in second.headers
    assert "Idempotency-Key" not in first.headers


def test_posts_send_compact_json_without_unset_fields() -> None:
    script = scripted(ok({"input": "x", "valid": False, "possible": False}))
    with sync_client(script) as client:
        client.phones.validate(phone="+1 650")
    (request,) = script.requests
    assert request.headers["Content-Type"] == "application/json"
    assert request.content == b'{"phone":"+1 650"}'


def test_a_post_without_a_key_is_not_retried() -> None:
    """The rule behind every generated key: a keyless POST could be performed twice."""
    script = scripted(error(503), ok({}))
    request: APIRequest[object] = APIRequest("POST", "/v1/x", raw, body={})
    with sync_client(script) as client, pytest.raises(LeadbaseError):
        client._request(request)
    assert len(script.requests) == 1
    assert "Idempotency-Key" not in script.requests[0].headers


def test_ids_are_sent_as_one_path_segment() -> None:
    script = scripted(error(404, "not_found"))
    with sync_client(script) as client, pytest.raises(LeadbaseError):
        client.people.get("../admin?x=1")
    assert script.requests[0].url.raw_path == b"/v1/people/..%2Fadmin%3Fx%3D1"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, content=b"<html>proxy</html>"),
        httpx.Response(200, json={"ok": True}),
        httpx.Response(200, json={"data": {"name": "no id"}, "meta": {}}),
    ],
    ids=["not-json", "no-envelope", "missing-field"],
)
def test_a_success_that_is_not_the_envelope_is_a_validation_error(answer: httpx.Response) -> None:
    with (
        sync_client(scripted(answer)) as client,
        pytest.raises(APIResponseValidationError) as raised,
    ):
        client.account.get()
    assert raised.value.status_code == 200


def test_the_request_id_header_fills_a_missing_meta() -> None:
    answer = httpx.Response(200, json={"data": ACCOUNT}, headers={"X-Request-Id": "req_h"})
    with sync_client(scripted(answer)) as client:
        account = client.account.get()
    assert account.meta is not None and account.meta.request_id == "req_h"


def test_query_parameters_drop_what_is_unset() -> None:
    script = scripted(ok([], has_more=False, next_cursor=None))
    with sync_client(script) as client:
        client.api_keys.list(limit=5)
        client.api_keys.list()
    assert [request.url.query for request in script.requests] == [b"limit=5", b""]


def test_get_requests_have_no_body() -> None:
    spec = get("/v1/account", raw)
    assert spec.body is None and spec.idempotency_key is None


@pytest.mark.anyio
async def test_the_async_client_sends_the_same_headers() -> None:
    script = scripted(ok(ACCOUNT))
    async with async_client(script, customer_id="org_c") as client:
        account = await client.account.get()
    assert account.credits.available == 10.0
    assert script.header("X-Customer-Id") == ["org_c"]
    assert script.header("User-Agent") == [f"leadbase-python/{__version__}"]


def test_closing_leaves_a_passed_in_http_client_open() -> None:
    http = httpx.Client(transport=httpx.MockTransport(scripted(ok(ACCOUNT)).handle))
    with Leadbase(api_key="k", http_client=http):
        pass
    assert not http.is_closed
    own = Leadbase(api_key="k")
    own.close()
    assert own._http.is_closed
