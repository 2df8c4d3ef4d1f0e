"""Idempotency-Key over HTTP, on both profiles: replay, conflicts, scope, expiry, failures."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.config import Settings
from leadbase.server.db import Database, utcnow
from leadbase.server.idempotency import service as idempotency
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.credits.support import (
    PHONE_PRICE,
    VALID_PHONE,
    account,
    assert_ledger_consistent,
    configured,
    eventually,
    execute,
    fund,
    funded_tenant,
    idempotency_records,
    kinds,
    make_funded_tenant,
    serve,
    serve_async,
    sql_time,
    usage_events,
)

PATH = "/v1/phones/validate"
BODY = {"phone": VALID_PHONE}


@pytest.fixture
def acme(profile: Settings) -> Tenant:
    return funded_tenant(profile.database_url, amount=1_000)


@pytest.fixture
def api(profile: Settings) -> Iterator[TestClient[Litestar]]:
    with serve(profile) as client:
        yield client


def post(
    client: TestClient[Litestar],
    key: str | None,
    body: Any = BODY,
    *,
    headers: dict[str, str],
) -> httpx.Response:
    sent = {**headers, "Idempotency-Key": key} if key is not None else headers
    return client.post(PATH, json=body, headers=sent)


def captures(tenant: Tenant, org_id: str | None = None) -> int:
    return [kind for kind, _ in kinds(tenant.database_url, org_id or tenant.org_id)].count(
        "capture"
    )


# Replays ------------------------------------------------------------------------------


def test_the_same_key_and_body_replay_the_first_answer_and_charge_once(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    first = post(api, "order-1", headers=acme.headers)
    assert first.status_code == 200, first.text
    assert "idempotent-replayed" not in first.headers
    second = post(api, "order-1", headers=acme.headers)
    assert second.status_code == 200, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content
    assert second.json()["meta"]["request_id"] == first.headers["x-request-id"]
    assert second.headers["x-request-id"] != first.headers["x-request-id"]
    assert second.headers["content-type"] == "application/json"
    assert captures(acme) == 1
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (1_000 - PHONE_PRICE, 0)
    assert len(usage_events(acme.database_url, acme.org_id)) == 1
    [record] = idempotency_records(acme.database_url)
    assert (record["state"], record["status"], record["request_id"]) == (
        "completed",
        200,
        first.headers["x-request-id"],
    )


def test_a_free_answer_is_replayed_as_free(api: TestClient[Litestar], acme: Tenant) -> None:
    first = post(api, "free", {"phone": "not a phone"}, headers=acme.headers)
    second = post(api, "free", {"phone": "not a phone"}, headers=acme.headers)
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content
    assert second.json()["meta"]["credits_charged"] == 0.0
    assert account(acme.database_url, acme.org_id) == (1_000, 0)


def test_the_same_json_in_another_key_order_or_spacing_is_the_same_body(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    headers = {**acme.headers, "Content-Type": "application/json", "Idempotency-Key": "k"}
    first = api.post(
        PATH, content=f'{{"phone":"{VALID_PHONE}","default_region":"GB"}}', headers=headers
    )
    second = api.post(
        PATH,
        content=f'{{\n  "default_region" : "GB",\n  "phone" : "{VALID_PHONE}"\n}}',
        headers=headers,
    )
    assert first.status_code == second.status_code == 200, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content
    assert captures(acme) == 1


def test_the_same_key_with_another_body_is_409_reused_and_charges_nothing_more(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    assert post(api, "order-1", headers=acme.headers).status_code == 200
    response = post(api, "order-1", {"phone": "+33 6 12 34 56 78"}, headers=acme.headers)
    assert_error(response, 409, "idempotency_key_reused", param="Idempotency-Key", details=None)
    assert "idempotent-replayed" not in response.headers
    assert captures(acme) == 1
    assert len(usage_events(acme.database_url, acme.org_id)) == 1


# Scope --------------------------------------------------------------------------------


def test_the_same_key_for_a_customer_is_another_key(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    fund(acme.database_url, acme.customer_id, 1_000)
    mine = post(api, "shared", headers=acme.headers)
    for_customer = post(api, "shared", headers=acme.customer_headers())
    assert mine.status_code == for_customer.status_code == 200, for_customer.text
    assert "idempotent-replayed" not in for_customer.headers
    assert captures(acme) == 1
    assert captures(acme, acme.customer_id) == 1
    assert {(r["org_id"], r["acting_org_id"]) for r in idempotency_records(acme.database_url)} == {
        (acme.org_id, acme.org_id),
        (acme.org_id, acme.customer_id),
    }


def test_the_same_key_of_another_organization_is_another_key(
    profile: Settings, api: TestClient[Litestar], acme: Tenant
) -> None:
    other = funded_tenant(profile.database_url, amount=1_000, name="Globex")
    assert post(api, "shared", headers=acme.headers).status_code == 200
    theirs = post(api, "shared", {"phone": "+33 6 12 34 56 78"}, headers=other.headers)
    assert theirs.status_code == 200, theirs.text
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["data"]["region"] == "FR"
    assert captures(acme) == captures(other) == 1


def test_a_key_of_255_characters_is_accepted(api: TestClient[Litestar], acme: Tenant) -> None:
    assert post(api, "k" * 255, headers=acme.headers).status_code == 200
    assert post(api, "k" * 255, headers=acme.headers).headers["idempotent-replayed"] == "true"


def test_a_key_longer_than_255_characters_is_400_and_nothing_is_performed(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, "k" * 256, headers=acme.headers)
    assert_error(
        response,
        400,
        "invalid_parameter",
        param="Idempotency-Key",
        details={"Idempotency-Key": "1-255 printable characters"},
    )
    assert idempotency_records(acme.database_url) == []
    assert kinds(acme.database_url, acme.org_id) == [("grant", 1_000)]
    assert usage_events(acme.database_url, acme.org_id) == []


# What is not stored -------------------------------------------------------------------


def test_a_400_is_not_stored_so_the_key_can_be_used_for_the_corrected_body(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    bad = post(api, "fix-me", {"phone": 12}, headers=acme.headers)
    assert_error(bad, 400, "invalid_parameter", param="phone")
    good = post(api, "fix-me", headers=acme.headers)
    assert good.status_code == 200, good.text
    assert "idempotent-replayed" not in good.headers


def test_a_402_is_not_stored_so_the_key_runs_once_credits_arrive(
    profile: Settings, api: TestClient[Litestar]
) -> None:
    broke = funded_tenant(profile.database_url, amount=0)
    assert_error(post(api, "pay-later", headers=broke.headers), 402, "insufficient_credits")
    assert idempotency_records(profile.database_url) == []
    fund(profile.database_url, broke.org_id, 500)
    paid = post(api, "pay-later", headers=broke.headers)
    assert paid.status_code == 200, paid.text
    assert "idempotent-replayed" not in paid.headers
    assert account(profile.database_url, broke.org_id) == (400, 0)


def test_a_timeout_is_not_stored_so_the_key_can_be_retried(profile: Settings) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    slow = configured(
        profile,
        operation_timeout_seconds=0.2,
        reservation_timeout_seconds=5,
        fault_delay_seconds={"phones.validate": 1.0},
    )
    with serve(slow) as client:
        assert_error(post(client, "retry-me", headers=acme.headers), 503, "upstream_timeout")
    assert idempotency_records(profile.database_url) == []
    with serve(profile) as client:
        retried = post(client, "retry-me", headers=acme.headers)
    assert retried.status_code == 200, retried.text
    assert "idempotent-replayed" not in retried.headers
    assert captures(acme) == 1


# Running, dead and expired keys ---------------------------------------------------------


@pytest.mark.anyio
async def test_a_key_still_running_is_409_in_use_with_retry_after(profile: Settings) -> None:
    acme = await make_funded_tenant(profile.database_url, amount=1_000)
    slow = configured(profile, fault_delay_seconds={"phones.validate": 1.0})
    headers = {**acme.headers, "Idempotency-Key": "slow-key"}
    async with serve_async(slow) as client:
        async with anyio.create_task_group() as group:
            answers: list[httpx.Response] = []

            async def first() -> None:
                answers.append(await client.post(PATH, json=BODY, headers=headers))

            group.start_soon(first)
            await eventually(
                lambda: [r["state"] for r in idempotency_records(acme.database_url)] == ["running"]
            )
            busy = await client.post(PATH, json=BODY, headers=headers)
            other_body = await client.post(
                PATH, json={"phone": "+33 6 12 34 56 78"}, headers=headers
            )
            assert not answers  # both were refused while the first still ran
        replay = await client.post(PATH, json=BODY, headers=headers)
    assert_error(busy, 409, "idempotency_key_in_use", param="Idempotency-Key", details=None)
    assert busy.headers["retry-after"] == "1"
    assert_error(other_body, 409, "idempotency_key_reused")
    [done] = answers
    assert done.status_code == 200, done.text
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.content == done.content
    assert captures(acme) == 1


def test_a_running_key_whose_owner_died_is_taken_over(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    asyncio.run(_claim_as_a_dead_process(acme, key="orphan"))
    response = post(api, "orphan", headers=acme.headers)
    assert response.status_code == 200, response.text
    assert "idempotent-replayed" not in response.headers
    [record] = idempotency_records(acme.database_url)
    assert (record["state"], record["request_id"]) == (
        "completed",
        response.headers["x-request-id"],
    )
    assert captures(acme) == 1


def test_a_key_older_than_24_hours_runs_again(api: TestClient[Litestar], acme: Tenant) -> None:
    first = post(api, "daily", headers=acme.headers)
    execute(
        acme.database_url,
        "UPDATE idempotency_records SET expires_at = :past",
        past=sql_time(acme.database_url, utcnow() - dt.timedelta(seconds=1)),
    )
    second = post(api, "daily", headers=acme.headers)
    assert first.status_code == second.status_code == 200, second.text
    assert "idempotent-replayed" not in second.headers
    assert second.json()["meta"]["request_id"] != first.json()["meta"]["request_id"]
    assert captures(acme) == 2
    assert account(acme.database_url, acme.org_id) == (1_000 - 2 * PHONE_PRICE, 0)


async def _claim_as_a_dead_process(tenant: Tenant, *, key: str) -> None:
    """A claim whose lock has already run out, as a process killed mid-call leaves it."""
    database = Database(tenant.database_url)
    try:
        async with database.transaction() as session:
            await idempotency.claim(
                session,
                scope=idempotency.Scope(
                    org_id=tenant.org_id,
                    acting_org_id=tenant.org_id,
                    method="POST",
                    path=PATH,
                    key=key,
                ),
                body_hash=idempotency.request_hash(b'{"phone": "%s"}' % VALID_PHONE.encode()),
                request_id="req_dead",
                lock_for=dt.timedelta(seconds=-1),
            )
    finally:
        await database.dispose()
