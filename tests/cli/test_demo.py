"""The demo that ``leadbase serve --demo`` prepares and the curl lines it prints."""

from __future__ import annotations

import asyncio
import json
import shlex
from dataclasses import dataclass, field

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.cli.serve import client_url, demo_commands
from leadbase.server.auth.keys import TENANT_SCOPES
from leadbase.server.db import Database
from leadbase.server.demo import (
    DEMO_CREDITS,
    DEMO_CUSTOMER_CREDITS,
    DemoSetup,
    prepare_demo,
)
from leadbase.server.tenancy import service as organizations

BASE_URL = "http://127.0.0.1:8000"


def _prepare(database_url: str) -> DemoSetup:
    async def run() -> DemoSetup:
        database = Database(database_url)
        try:
            return await prepare_demo(database)
        finally:
            await database.dispose()

    return asyncio.run(run())


def _demo_organizations(database_url: str) -> list[tuple[str, str | None, bool]]:
    async def run() -> list[tuple[str, str | None, bool]]:
        database = Database(database_url)
        try:
            async with database.transaction(write=False) as session:
                found = await organizations.list_all(session)
                return [(org.id, org.parent_id, org.demo) for org in found]
        finally:
            await database.dispose()

    return asyncio.run(run())


def test_demo_on_a_fresh_database_creates_an_organization_with_a_customer(
    database_url: str, client: TestClient[Litestar]
) -> None:
    setup = _prepare(database_url)

    assert setup.created is True
    assert _demo_organizations(database_url) == [
        (setup.org_id, None, True),
        (setup.customer_id, setup.org_id, False),
    ]
    account = client.get("/v1/account", headers={"Authorization": f"Bearer {setup.secret}"})
    assert account.status_code == 200, account.text
    data = account.json()["data"]
    assert data["id"] == setup.org_id
    assert data["name"] == setup.org_name
    assert [customer["id"] for customer in data["customers"]] == [setup.customer_id]
    assert data["api_key"] == {"id": setup.key_id, "scopes": sorted(TENANT_SCOPES)}
    assert data["credits"]["available"] == DEMO_CREDITS / 1000 == setup.credits / 1000
    assert setup.customer_credits == DEMO_CUSTOMER_CREDITS
    # The demo catalog it loaded is all synthetic.
    assert setup.catalog_people > 0
    assert setup.synthetic_people == setup.catalog_people


def test_demo_again_tops_the_credits_back_up_without_granting_more(
    database_url: str, client: TestClient[Litestar]
) -> None:
    first = _prepare(database_url)
    headers = {"Authorization": f"Bearer {first.secret}"}
    spent = client.post("/v1/phones/validate", json={"phone": "+1 650 253 0000"}, headers=headers)
    assert spent.json()["meta"]["credits_charged"] == 0.1

    second = _prepare(database_url)
    third = _prepare(database_url)

    assert second.credits == third.credits == DEMO_CREDITS
    ledger = client.get("/v1/account/transactions?limit=100", headers=headers).json()["data"]
    grants = sorted(entry["credits"] for entry in ledger if entry["kind"] == "grant")
    assert grants == [0.1, DEMO_CREDITS / 1000]


def test_demo_again_reuses_the_organization_and_issues_a_different_key(
    database_url: str, client: TestClient[Litestar]
) -> None:
    first = _prepare(database_url)
    second = _prepare(database_url)

    assert second.created is False
    assert (second.org_id, second.customer_id) == (first.org_id, first.customer_id)
    assert second.key_id != first.key_id
    assert second.secret != first.secret
    assert len(_demo_organizations(database_url)) == 2
    for setup in (first, second):
        account = client.get("/v1/account", headers={"Authorization": f"Bearer {setup.secret}"})
        assert account.status_code == 200, account.text
        assert account.json()["data"]["api_key"]["id"] == setup.key_id


@dataclass
class _Curl:
    method: str = "GET"
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def _parse_curl(line: str, variables: dict[str, str]) -> _Curl:
    """The subset of curl the printed lines use: -s, -X, -H, -d and one URL."""
    for name, value in variables.items():
        line = line.replace(f"${name}", value)
    words = shlex.split(line)
    assert words[0] == "curl"
    curl = _Curl()
    rest = iter(words[1:])
    for word in rest:
        if word == "-s":
            continue
        if word == "-X":
            curl.method = next(rest)
        elif word == "-H":
            name, _, value = next(rest).partition(":")
            curl.headers[name.strip()] = value.strip()
        elif word == "-d":
            curl.body = next(rest)
            curl.method = "POST" if curl.method == "GET" else curl.method
        else:
            assert not curl.url, f"two URLs in {line!r}"
            curl.url = word
    return curl


def test_every_printed_curl_line_succeeds_against_the_server(
    database_url: str, client: TestClient[Litestar]
) -> None:
    setup = _prepare(database_url)
    lines = demo_commands(setup, base_url=BASE_URL)

    export = lines[0]
    assert export == f"export LEADBASE_API_KEY={setup.secret}"
    variables = {"LEADBASE_API_KEY": setup.secret}
    answers: list[httpx.Response] = []
    for line in lines[1:]:
        curl = _parse_curl(line, variables)
        assert curl.url.startswith(BASE_URL)
        response = client.request(
            curl.method, curl.url.removeprefix(BASE_URL), headers=curl.headers, content=curl.body
        )
        assert response.status_code in (200, 201), f"{line}\n{response.text}"
        answers.append(response)

    as_customer = answers[1].json()["data"]
    assert as_customer["id"] == setup.customer_id
    created = answers[2].json()["data"]
    assert created["scopes"] == ["account:read"]
    listed = [key["id"] for key in answers[3].json()["data"]]
    assert created["id"] in listed
    assert setup.key_id in listed
    validated = answers[4].json()
    assert validated["data"]["formats"]["e164"] == "+16502530000"
    assert validated["meta"]["credits_charged"] == 0.1
    found = answers[5].json()
    assert [person["seniority"] for person in found["data"]] == ["director"] * 3
    assert found["meta"]["credits_charged"] == 0.15  # 0.05 a result
    ledger = answers[6].json()["data"]
    billed = {entry["kind"] for entry in ledger if entry["operation"] == "phones.validate"}
    assert billed == {"reserve", "capture"}
    assert "invalid_api_key" in json.dumps(answers[7].json())


def test_printed_lines_reach_wildcard_binds_through_loopback() -> None:

    assert client_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert client_url("::", 9000) == "http://[::1]:9000"
    assert client_url("10.1.2.3", 80) == "http://10.1.2.3:80"
