"""The metering proofs as scenarios over any client: in one process or against workers.

Each fires its burst at ``client`` and asserts the exact outcome, answers and ledger.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.envelopes import assert_error
from tests.factories import Tenant, make_key, make_tenant
from tests.server.metering.support import (
    PRICE,
    VALID_PHONE,
    VALIDATE,
    account_credits,
    assert_insufficient_credits,
    assert_ledger_consistent,
    assert_validated,
    burst,
    grant,
    read_ledger,
    statuses,
    usage_lines,
)

# Only the balance, the key or the window may refuse calls in these scenarios: the
# default 120/minute window and parallel cap of 50 would turn some of a burst into 429s.
UNCAPPED: dict[str, Any] = {
    "limits": {"default": ["10000/minute"]},
    "parallel": {"phones.validate": 1000},
}
# An executed call stays in perform this long, so a burst with one key overlaps it.
OVERLAP: dict[str, Any] = {"fault_delay_seconds": {"phones.validate": 0.5}}

BILLING_CALLS = 200
COVERED = 50
KEY_CALLS = 50
KEY_GRANT = 10 * PRICE
IDEMPOTENCY_KEY = "order-7f3a"
WINDOW = 30
WINDOW_CALLS = 40


async def funded_tenant(database_url: str, *, amount: int) -> Tenant:
    tenant = await make_tenant(database_url)
    await grant(database_url, org_id=tenant.org_id, amount=amount)
    return tenant


def _validate(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
    return lambda: client.post(VALIDATE, json=VALID_PHONE, headers=headers)


async def count_down_one_call_at_a_time(client: httpx.AsyncClient, tenant: Tenant) -> None:
    """Calls one after another, each on a new connection (so across every worker): the
    headers count down exactly 29 ... 0, and the next call is refused."""
    # The tenant may be shared with other proofs: fund these calls, on a key of their own
    # (windows are per key).
    await grant(tenant.database_url, org_id=tenant.org_id, amount=WINDOW * PRICE)
    _, secret = await make_key(tenant.database_url, org_id=tenant.org_id)
    headers = {"Authorization": f"Bearer {secret}", "Connection": "close"}
    seen = []
    for _ in range(WINDOW):
        response = await client.post(VALIDATE, json=VALID_PHONE, headers=headers)
        assert response.status_code == 200, response.text
        seen.append(int(response.headers["x-ratelimit-remaining"]))
        assert response.headers["ratelimit-remaining"] == str(seen[-1])
    assert seen == list(range(WINDOW - 1, -1, -1)), seen
    refused = await client.post(VALIDATE, json=VALID_PHONE, headers=headers)
    assert_error(refused, 429, "rate_limit_exceeded")
    assert refused.headers["x-ratelimit-remaining"] == "0"


async def bill_more_calls_than_covered(client: httpx.AsyncClient, tenant: Tenant) -> None:
    """200 calls at once against a balance of 50: 50 billed, 150 refused, balance 0."""
    responses = await burst(BILLING_CALLS, _validate(client, tenant.headers))

    assert statuses(responses) == {200: COVERED, 402: BILLING_CALLS - COVERED}
    for response in responses:
        if response.status_code == 200:
            assert_validated(response)
        else:
            assert_insufficient_credits(response)
    assert await account_credits(client, tenant) == {
        "balance": 0.0,
        "reserved": 0.0,
        "available": 0.0,
    }
    assert await usage_lines(client, tenant) == [
        {
            "operation": "phones.validate",
            "calls": COVERED,
            "units": COVERED,
            "credits": COVERED * PRICE / 1000,
        }
    ]
    ledger = await read_ledger(tenant.database_url, org_id=tenant.org_id)
    assert_ledger_consistent(ledger, granted=COVERED * PRICE, captured=COVERED * PRICE)
    # A refused call never held anything: only the billed calls reserved.
    assert ledger.reservations == {"settled": COVERED}
    assert ledger.total("release") == 0
    assert (ledger.usage_events, ledger.usage_units) == (COVERED, COVERED)


async def repeat_one_key_at_once(client: httpx.AsyncClient, tenant: Tenant) -> None:
    """50 calls at once with one Idempotency-Key: executed and charged once; the others
    replay the answer or are told the key is in use."""
    headers = {**tenant.headers, "Idempotency-Key": IDEMPOTENCY_KEY}
    responses = await burst(KEY_CALLS, _validate(client, headers))

    originals = [
        response
        for response in responses
        if response.status_code == 200 and "idempotent-replayed" not in response.headers
    ]
    assert len(originals) == 1, [(r.status_code, dict(r.headers)) for r in responses]
    (original,) = originals
    assert_validated(original)
    # Some calls arrived while the first still ran: the burst did overlap it.
    assert statuses(responses)[409] >= 1, statuses(responses)
    for response in responses:
        if response is original:
            continue
        if response.status_code == 200:
            assert response.headers["idempotent-replayed"] == "true"
            assert response.content == original.content
        else:
            assert_error(response, 409, "idempotency_key_in_use", param="Idempotency-Key")
            assert 1 <= int(response.headers["retry-after"]) <= 5, response.headers

    # Afterwards the key replays, whoever asks.
    replay = await client.post(VALIDATE, json=VALID_PHONE, headers=headers)
    assert replay.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.content == original.content

    assert (await account_credits(client, tenant))["balance"] == (KEY_GRANT - PRICE) / 1000
    ledger = await read_ledger(tenant.database_url, org_id=tenant.org_id)
    assert_ledger_consistent(ledger, granted=KEY_GRANT, captured=PRICE)
    assert ledger.reservations == {"settled": 1}
    assert (ledger.usage_events, ledger.usage_units) == (1, 1)


async def exhaust_a_window_at_once(client: httpx.AsyncClient, tenant: Tenant) -> None:
    """40 calls at once against a 30/minute window: 30 admitted, 10 refused, and no header
    ever promises more calls than the window really has left."""
    responses = await burst(WINDOW_CALLS, _validate(client, tenant.headers))

    assert statuses(responses) == {200: WINDOW, 429: WINDOW_CALLS - WINDOW}
    admitted = [response for response in responses if response.status_code == 200]
    for response in admitted:
        assert_validated(response)
        assert response.headers["x-ratelimit-limit"] == str(WINDOW)
        assert response.headers["ratelimit-remaining"] == response.headers["x-ratelimit-remaining"]
    # Each admitted call reads its window after counting itself, so the j-th read (in
    # time, and so in falling order of what it saw) has at least j calls counted: it may
    # see calls counted at the same moment elsewhere, never fewer than really are.
    remaining = sorted((int(r.headers["x-ratelimit-remaining"]) for r in admitted), reverse=True)
    for position, seen in enumerate(remaining, start=1):
        assert 0 <= seen <= WINDOW - position, remaining
    assert remaining[-1] == 0, remaining
    for response in responses:
        if response.status_code == 429:
            error = assert_error(response, 429, "rate_limit_exceeded")
            assert error["details"]["limit"] == f"{WINDOW}/minute", error
            assert error["details"]["limit_class"] == "default", error
            assert response.headers["x-ratelimit-remaining"] == "0"
            assert response.headers["retry-after"] == str(error["details"]["retry_after"])
            assert 1 <= int(response.headers["retry-after"]) <= 60, response.headers

    ledger = await read_ledger(tenant.database_url, org_id=tenant.org_id)
    assert_ledger_consistent(ledger, granted=WINDOW_CALLS * PRICE, captured=WINDOW * PRICE)
