"""A key's life after creation: first use, expiry, and revocation seen within a second."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.db import utcnow
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.auth.support import bearer, new_key, update_key

# Settings.key_cache_seconds bounds how long another process may still accept a revoked key.
REVOCATION_BOUND_SECONDS = 1.0
# Slack for the poll's own sleep and scheduling on a busy machine.
EPSILON_SECONDS = 0.1
POLL_DEADLINE_SECONDS = 1.5
POLL_INTERVAL_SECONDS = 0.01


@dataclass(frozen=True)
class Poll:
    """Seconds from the revocation: when each accepted call started, and the refused one."""

    accepted: list[float]
    refused_at: float
    # When the call before the refused one returned (0.0 if the first call was refused).
    previous_returned_at: float


def _listed(client: TestClient[Litestar], tenant: Tenant, key_id: str) -> dict[str, object]:
    response = client.get("/v1/api-keys", params={"limit": 100}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    (listed,) = [key for key in response.json()["data"] if key["id"] == key_id]
    assert isinstance(listed, dict)
    return listed


def _poll_until_refused(client: TestClient[Litestar], secret: str, *, since: float) -> Poll:
    accepted: list[float] = []
    returned_at = 0.0
    while True:
        started = time.monotonic() - since
        response = client.get("/v1/account", headers=bearer(secret))
        if response.status_code != 200:
            assert_error(response, 401, "api_key_revoked")
            return Poll(accepted=accepted, refused_at=started, previous_returned_at=returned_at)
        returned_at = time.monotonic() - since
        accepted.append(started)
        assert started < POLL_DEADLINE_SECONDS, (
            f"a revoked key was still accepted {started:.3f}s after its revocation"
        )
        time.sleep(POLL_INTERVAL_SECONDS)


def _assert_refused_within_the_bound(poll: Poll) -> None:
    # The guarantee: no call that began a second after the revocation was let through.
    late = [started for started in poll.accepted if started >= REVOCATION_BOUND_SECONDS]
    assert not late, f"accepted at {late} s after the revocation"
    # And the refusal came right after the bound, unless the call before it was itself slow.
    latest_start = max(REVOCATION_BOUND_SECONDS, poll.previous_returned_at) + POLL_INTERVAL_SECONDS
    assert poll.refused_at <= latest_start + EPSILON_SECONDS, poll


def test_last_used_at_is_set_by_the_first_use(client: TestClient[Litestar], tenant: Tenant) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    assert _listed(client, tenant, key_id)["last_used_at"] is None

    before = utcnow()
    assert client.get("/v1/account", headers=bearer(secret)).status_code == 200
    after = utcnow()

    last_used_at = _listed(client, tenant, key_id)["last_used_at"]
    assert isinstance(last_used_at, str)
    assert before <= dt.datetime.fromisoformat(last_used_at) <= after


def test_a_refused_call_does_not_count_as_a_use(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id, scopes=["people:read"])
    assert_error(client.get("/v1/account", headers=bearer(secret)), 403, "insufficient_scope")
    assert _listed(client, tenant, key_id)["last_used_at"] is None


def test_the_calling_key_sees_its_own_use_in_the_listing(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.get("/v1/api-keys", headers=tenant.headers)
    (own,) = [key for key in response.json()["data"] if key["id"] == tenant.key_id]
    assert own["last_used_at"] is not None


def test_a_key_is_refused_once_its_expiry_passes(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    expires_at = utcnow() + dt.timedelta(seconds=0.8)
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, expires_at=expires_at)
    assert client.get("/v1/account", headers=bearer(secret)).status_code == 200

    time.sleep(max(0.0, (expires_at - utcnow()).total_seconds()) + 0.02)
    # The lookup may still be cached; the expiry is checked on every call regardless.
    assert_error(
        client.get("/v1/account", headers=bearer(secret)),
        401,
        "api_key_expired",
        param=None,
        details=None,
    )


def test_a_key_revoked_here_is_refused_at_once(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    assert client.get("/v1/account", headers=bearer(secret)).status_code == 200

    response = client.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert_error(client.get("/v1/account", headers=bearer(secret)), 401, "api_key_revoked")


def test_a_key_can_revoke_itself(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.delete(f"/v1/api-keys/{tenant.key_id}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["revoked_at"] is not None
    assert_error(client.get("/v1/account", headers=tenant.headers), 401, "api_key_revoked")


def test_a_key_revoked_in_the_database_is_refused_within_a_second(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    # Warm this process's cache, then revoke behind its back, as another process would.
    assert client.get("/v1/account", headers=bearer(secret)).status_code == 200
    update_key(tenant.database_url, key_id, revoked_at=utcnow())
    revoked = time.monotonic()

    _assert_refused_within_the_bound(_poll_until_refused(client, secret, since=revoked))


def test_a_key_revoked_by_another_server_process_is_refused_within_a_second(
    client: TestClient[Litestar], tenant: Tenant, settings: Settings
) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    assert client.get("/v1/account", headers=bearer(secret)).status_code == 200

    with TestClient(create_app(settings), raise_server_exceptions=False) as other_process:
        response = other_process.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers)
        revoked = time.monotonic()
        assert response.status_code == 200, response.text
        assert_error(
            other_process.get("/v1/account", headers=bearer(secret)), 401, "api_key_revoked"
        )

    _assert_refused_within_the_bound(_poll_until_refused(client, secret, since=revoked))


def test_a_revoked_key_stays_refused(client: TestClient[Litestar], tenant: Tenant) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    update_key(tenant.database_url, key_id, revoked_at=utcnow())
    for _ in range(3):
        assert_error(client.get("/v1/account", headers=bearer(secret)), 401, "api_key_revoked")
