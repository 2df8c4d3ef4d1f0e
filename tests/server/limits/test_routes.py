"""Rate and parallel limits over HTTP on both profiles: headers, 429 bodies, who counts."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

from leadbase.server.config import Settings
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.auth.support import bearer, new_key
from tests.server.credits.support import (
    PHONE_PRICE,
    VALID_PHONE,
    account,
    configured,
    eventually,
    fund,
    funded_tenant,
    idempotency_records,
    kinds,
    make_funded_tenant,
    reservations,
    serve,
    serve_async,
    usage_events,
)

PATH = "/v1/phones/validate"
BODY = {"phone": VALID_PHONE}
HEADER_NAMES = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)


def three_a_minute(profile: Settings) -> Settings:
    return configured(profile, limits={"default": ["3/minute"]})


def limit_headers(response: httpx.Response) -> dict[str, str]:
    return {name: response.headers[name] for name in HEADER_NAMES}


def test_successful_calls_count_down_and_the_fourth_is_429_rate_limit_exceeded(
    profile: Settings,
) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    with serve(three_a_minute(profile)) as client:
        answers = [client.post(PATH, json=BODY, headers=acme.headers) for _ in range(3)]
        started = time.time()
        refused = client.post(
            PATH, json=BODY, headers={**acme.headers, "Idempotency-Key": "too-many"}
        )
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert answer.headers["X-RateLimit-Limit"] == answer.headers["RateLimit-Limit"] == "3"
        assert 1 <= int(answer.headers["RateLimit-Reset"]) <= 60
        assert started - 1 <= int(answer.headers["X-RateLimit-Reset"]) <= started + 61
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]

    error = assert_error(refused, 429, "rate_limit_exceeded", param=None)
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert error["details"] == {
        "limit": "3/minute",
        "limit_class": "default",
        "retry_after": retry_after,
    }
    assert error["message"] == (
        f"Rate limit of 3/minute reached for default calls; retry in {retry_after}s."
    )
    assert limit_headers(refused)["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == refused.headers["RateLimit-Remaining"] == "0"
    assert abs(int(refused.headers["RateLimit-Reset"]) - retry_after) <= 1
    assert started - 1 <= int(refused.headers["X-RateLimit-Reset"]) <= started + 61
    # The refused call performed nothing: no hold, no charge, no usage line, no key.
    assert account(profile.database_url, acme.org_id) == (1_000 - 3 * PHONE_PRICE, 0)
    assert len(reservations(profile.database_url, acme.org_id)) == 3
    assert len(usage_events(profile.database_url, acme.org_id)) == 3
    assert idempotency_records(profile.database_url) == []


def test_every_metered_answer_carries_both_header_families(profile: Settings) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    with serve(profile) as client:
        free = client.post(PATH, json={"phone": "not a phone"}, headers=acme.headers)
    assert free.status_code == 200
    assert limit_headers(free)["X-RateLimit-Limit"] == "120"
    assert free.headers["RateLimit-Remaining"] == "119"


def test_another_key_and_another_customer_have_windows_of_their_own(profile: Settings) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    fund(profile.database_url, acme.customer_id, 1_000)
    _, second_secret = new_key(profile.database_url, org_id=acme.org_id)
    with serve(configured(profile, limits={"default": ["1/minute"]})) as client:
        assert client.post(PATH, json=BODY, headers=acme.headers).status_code == 200
        assert_error(client.post(PATH, json=BODY, headers=acme.headers), 429, "rate_limit_exceeded")
        other_key = client.post(PATH, json=BODY, headers=bearer(second_secret))
        for_customer = client.post(PATH, json=BODY, headers=acme.customer_headers())
    assert other_key.status_code == 200, other_key.text
    assert other_key.headers["X-RateLimit-Remaining"] == "0"
    assert for_customer.status_code == 200, for_customer.text
    assert for_customer.headers["X-RateLimit-Remaining"] == "0"


def test_an_organizations_own_limits_apply_to_it_alone(profile: Settings) -> None:
    small = funded_tenant(profile.database_url, amount=1_000, name="Small")
    other = funded_tenant(profile.database_url, amount=1_000, name="Other")
    settings = configured(profile, org_limits={small.org_id: {"default": ["1/minute"]}})
    with serve(settings) as client:
        first = client.post(PATH, json=BODY, headers=small.headers)
        refused = client.post(PATH, json=BODY, headers=small.headers)
        others = client.post(PATH, json=BODY, headers=other.headers)
    assert first.headers["X-RateLimit-Limit"] == "1"
    assert_error(refused, 429, "rate_limit_exceeded")
    assert refused.json()["error"]["details"]["limit"] == "1/minute"
    assert others.status_code == 200
    assert others.headers["X-RateLimit-Limit"] == "120"


@pytest.mark.anyio
async def test_a_call_over_the_parallel_cap_is_429_concurrency_limit_exceeded(
    profile: Settings,
) -> None:
    acme = await make_funded_tenant(profile.database_url, amount=1_000)
    capped = configured(
        profile, parallel={"phones.validate": 1}, fault_delay_seconds={"phones.validate": 1.0}
    )
    async with serve_async(capped) as client:
        answers: list[httpx.Response] = []
        async with anyio.create_task_group() as group:

            async def first() -> None:
                answers.append(await client.post(PATH, json=BODY, headers=acme.headers))

            group.start_soon(first)
            await eventually(lambda: len(reservations(profile.database_url, acme.org_id)) == 1)
            refused = await client.post(
                PATH, json=BODY, headers={**acme.headers, "Idempotency-Key": "second"}
            )
            assert not answers  # refused while the first still ran
        after = await client.post(PATH, json=BODY, headers=acme.headers)

    error = assert_error(refused, 429, "concurrency_limit_exceeded", param=None)
    assert error["details"] == {"limit": 1, "operation": "phones.validate", "retry_after": 1}
    assert refused.headers["Retry-After"] == "1"
    # The call was counted against the rate window before it was refused a slot.
    assert refused.headers["X-RateLimit-Remaining"] == "118"
    assert refused.headers["RateLimit-Limit"] == "120"
    [done] = answers
    assert done.status_code == 200, done.text
    assert after.status_code == 200, after.text  # the finished call gave its slot back
    assert account(profile.database_url, acme.org_id) == (1_000 - 2 * PHONE_PRICE, 0)
    assert [kind for kind, _ in kinds(profile.database_url, acme.org_id)].count("reserve") == 2
    assert idempotency_records(profile.database_url) == []


def test_a_refused_call_gives_its_parallel_slot_back(profile: Settings) -> None:
    broke = funded_tenant(profile.database_url, amount=0)
    with serve(configured(profile, parallel={"phones.validate": 1})) as client:
        answers = [client.post(PATH, json=BODY, headers=broke.headers) for _ in range(3)]
    for answer in answers:
        assert_error(answer, 402, "insufficient_credits")


def test_a_timed_out_call_gives_its_parallel_slot_back(profile: Settings) -> None:
    acme: Tenant = funded_tenant(profile.database_url, amount=1_000)
    settings = configured(
        profile,
        parallel={"phones.validate": 1},
        operation_timeout_seconds=0.1,
        reservation_timeout_seconds=30,
        fault_delay_seconds={"phones.validate": 0.5},
    )
    with serve(settings) as client:
        answers = [client.post(PATH, json=BODY, headers=acme.headers) for _ in range(2)]
    for answer in answers:
        assert_error(answer, 503, "upstream_timeout")
