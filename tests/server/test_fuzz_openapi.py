"""Schemathesis against /openapi.json: no 5xx, and every answer is the one documented.

One bounded, deterministic run per caller: a key holding every scope (so authenticated
routes are exercised beyond 401) and an anonymous caller. Every default check of
schemathesis 4 runs on every case; the one place where a check cannot apply says why.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from leadbase.server import db
from leadbase.server.app import create_app
from leadbase.server.auth.models import ApiKey
from leadbase.server.config import Settings
from leadbase.server.credits import service as credits
from leadbase.server.db import Database
from leadbase.server.envelope import PROBLEM_JSON
from tests.factories import Tenant, make_tenant

SEED = 20_240_601
# Examples per operation and generation mode. The key's run adds the coverage phase's
# fixed cases (boundaries, missing parameters, undocumented methods); the anonymous run
# only needs to see every operation refuse it.
RUNS: dict[str, dict[str, Any]] = {
    "key": {"generation": {"max-examples": 10}},
    "anonymous": {
        "generation": {"max-examples": 5},
        "phases": {"coverage": {"enabled": False}},
        # Its errors come back as problem details, so those are checked against their schema too.
        "accept": PROBLEM_JSON,
    },
}
# A bound, so the run stays fast as routes are added: with 30 operations the coverage
# phase's boundary cases dominate (about 4,300 calls, under 30 s here).
MAX_CALLS = 6_000

ERROR_CONTENT = {
    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}},
    PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}},
}
REQUEST_ID_HEADER = {"$ref": "#/components/headers/X-Request-Id"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@dataclass
class FuzzRun:
    """What one run sent, to check its bounds and its reach once every operation is done."""

    tenant: Tenant
    caller: str
    calls: int = 0
    # (operation, whether it declares security, status) -> how many answers.
    statuses: Counter[tuple[str, bool, int]] = field(default_factory=Counter)

    def secured(self, *, refused: bool | None = None) -> set[str]:
        return {
            label
            for (label, is_secured, status) in self.statuses
            if is_secured and (refused is None or (status == 401) == refused)
        }


@pytest.fixture
def fuzz_tenant(sqlite_template: Path, tmp_path: Path) -> Tenant:
    path = tmp_path / "fuzz.db"
    shutil.copyfile(sqlite_template, path)
    tenant = asyncio.run(make_tenant(f"sqlite:///{path}"))
    asyncio.run(_fund(tenant))
    return tenant


async def _fund(tenant: Tenant) -> None:
    # Enough credits that metered calls are performed rather than refused with 402.
    database = Database(tenant.database_url)
    try:
        async with database.transaction() as session:
            for org_id in (tenant.org_id, tenant.customer_id):
                await credits.grant(session, org_id=org_id, amount=10**9, note="fuzz")
    finally:
        await database.dispose()


@pytest.fixture
def fuzz_app(fuzz_tenant: Tenant) -> Litestar:
    return create_app(
        Settings(
            database_url=fuzz_tenant.database_url,
            auto_migrate=False,
            log_level="CRITICAL",
            # The run is a burst from one key; the default windows would make it mostly 429s.
            limits={"default": ["100000/minute"], "bulk": ["100000/minute"]},
        )
    )


@pytest.fixture(params=sorted(RUNS))
def fuzz_run(request: pytest.FixtureRequest, fuzz_tenant: Tenant) -> Iterator[FuzzRun]:
    run = FuzzRun(tenant=fuzz_tenant, caller=request.param)
    started = time.perf_counter()
    yield run
    print(f"\nfuzz[{run.caller}]: {run.calls} calls in {time.perf_counter() - started:.1f}s")
    assert 0 < run.calls <= MAX_CALLS
    # With the key every secured operation got past authentication at least once;
    # without it every one refused at least once.
    assert run.secured(refused=run.caller == "anonymous") == run.secured()
    assert _revoked_at(run.tenant) is None


def _revoked_at(tenant: Tenant) -> Any:
    engine = sa.create_engine(db.sync_url(tenant.database_url))
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.select(ApiKey.revoked_at).where(ApiKey.id == tenant.key_id))
    finally:
        engine.dispose()


@pytest.fixture
def api_schema(fuzz_app: Litestar, fuzz_run: FuzzRun) -> Iterator[Any]:
    settings: dict[str, Any] = {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "deterministic": True,
            "database": "none",
            **RUNS[fuzz_run.caller]["generation"],
        },
        "phases": {
            # Ids harvested from responses could name the run's own key, and a DELETE
            # /v1/api-keys/{key_id} would then revoke it mid-run.
            "fuzzing": {"extra-data-sources": {"responses": False}},
            "coverage": {
                "extra-data-sources": {"responses": False},
                **RUNS[fuzz_run.caller].get("phases", {}).get("coverage", {}),
            },
        },
    }
    if fuzz_run.caller == "key":
        settings["auth"] = {"openapi": {"bearer": {"bearer": fuzz_run.tenant.secret}}}
    config = schemathesis.Config.from_dict(settings)
    yield schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=config)
    # The ASGI transport keeps the app's lifespan running for the process; end it here.
    shutdown_lifespans()


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32's lazy loader reads and rewrites Node._nodeid, which pytest 9.2
    # renamed; give it the attribute it expects (only its subtest labels use it).
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_answers_every_request_as_documented(case: Any, fuzz_run: FuzzRun) -> None:
    # Never revoke the key the run authenticates with.
    hypothesis.assume((case.path_parameters or {}).get("key_id") != fuzz_run.tenant.key_id)
    excluded = [positive_data_acceptance] if _breaks_unstated_rule(case) else []
    if _reaches_a_live_source(case):
        excluded.append(not_a_server_error)
    if _is_bulk(case):
        # A bulk call answers a bad row with a 200 that marks that row invalid (with its
        # errors) and performs the rest: a schema-violating row is not a rejected call.
        excluded.append(negative_data_rejection)
    headers = {"Accept": accept} if (accept := RUNS[fuzz_run.caller].get("accept")) else None
    response = case.call_and_validate(headers=headers, excluded_checks=excluded)
    fuzz_run.calls += 1
    operation = case.operation
    if case.method.upper() == operation.method.upper():
        secured = bool(operation.definition.raw.get("security"))
        fuzz_run.statuses[(operation.label, secured, response.status_code)] += 1


def _breaks_unstated_rule(case: Any) -> bool:
    """A rule a JSON schema cannot state: a schema-valid request that breaks one is rightly
    refused with 400, so the check that schema-valid data is accepted does not apply."""
    query = case.query or {}
    body = case.body if isinstance(case.body, dict) else {}
    label = case.operation.label
    if _holds_nul((case.path_parameters, query, case.body)):
        # No text anywhere may hold a NUL character (PostgreSQL text cannot).
        return True
    if query.get("cursor") is not None:
        # Opaque: any string is schema-valid, only a cursor this server issued is accepted.
        return True
    if label == "GET /v1/account/usage":
        # since <= until, at most 366 days apart.
        return query.get("since") is not None or query.get("until") is not None
    if label == "POST /v1/api-keys":
        # expires_at lies in the future.
        return body.get("expires_at") is not None
    if label in {"POST /v1/people/enrich", "POST /v1/companies/enrich"}:
        # Identifiers must be usable (an email's syntax, a LinkedIn URL of the right kind,
        # a phone number) and come in an allowed combination (at least one, exactly one).
        return True
    if label.startswith("POST /v1/search/") or label == "POST /v1/preview/people":
        # Searches: a body cursor is opaque; realtime refuses catalog-only filters (and a
        # count); text filters need a letter or digit, domain filters a registrable domain,
        # a location object one of its parts, founded_from <= founded_to. msgspec decodes
        # integers strictly: 5.0, a JSON Schema integer, is refused. A "since" is a date
        # or a date-time with its offset, which one string schema cannot say.
        given = body.get("filters")
        filters: dict[str, Any] = given if isinstance(given, dict) else {}
        checked = {"keywords", "job_titles", "exclude_job_titles", "names", "titles"}
        checked |= {"domains", "company_domains", "locations", "exclude_locations"}
        checked |= {"updated_since", "posted_since"}
        years = (filters.get("founded_from"), filters.get("founded_to"))
        return (
            body.get("cursor") is not None
            or body.get("mode") == "realtime"
            or any(filters.get(name) is not None for name in checked)
            or None not in years
            or any(isinstance(number, float) for number in (body.get("limit"), *years))
        )
    if isinstance(body.get("rows"), list):
        # Bulk calls (enrichment, catalog upserts): row_ref is unique within a call.
        rows = body.get("rows")
        refs = [
            row["row_ref"]
            for row in (rows if isinstance(rows, list) else [])
            if isinstance(row, dict) and isinstance(row.get("row_ref"), str)
        ]
        return len(refs) != len(set(refs))
    return False


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    return isinstance(value, list | tuple) and any(_holds_nul(item) for item in value)


def _is_bulk(case: Any) -> bool:
    return isinstance(case.body, dict) and isinstance(case.body.get("rows"), list)


def _reaches_a_live_source(case: Any) -> bool:
    """Realtime enrichment and search have no live source in this build: their documented
    answer is 503 upstream_unavailable (nothing charged), which is not a server fault."""
    body = case.body if isinstance(case.body, dict) else {}
    label = case.operation.label
    return ("/enrich" in label or "/search/" in label) and body.get("mode") == "realtime"


# The document itself (tests/server/ops covers its route and /docs) --------------------


@pytest.fixture
def document(fuzz_app: Litestar) -> dict[str, Any]:
    with TestClient(fuzz_app) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json"
    body: dict[str, Any] = response.json()
    return body


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_openapi_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    # Validates against the OpenAPI 3.1 schema; raises jsonschema_rs.ValidationError.
    schemathesis.openapi.from_dict(document).validate()


def test_every_error_response_is_the_envelope_or_problem_details(
    document: dict[str, Any],
) -> None:
    for label, operation in _operations(document):
        responses = operation["responses"]
        errors = {status: response for status, response in responses.items() if int(status) >= 400}
        assert "500" in errors, label
        if operation.get("security"):
            assert {"400", "401", "403", "404"} <= set(errors), label
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(errors), label
        for status, response in errors.items():
            assert response["content"] == ERROR_CONTENT, (label, status)
            assert response["description"], (label, status)


def test_every_response_documents_its_request_id(document: dict[str, Any]) -> None:
    for label, operation in _operations(document):
        for status, response in operation["responses"].items():
            assert response["headers"]["X-Request-Id"] == REQUEST_ID_HEADER, (label, status)
    assert document["components"]["headers"]["X-Request-Id"]["required"] is True
