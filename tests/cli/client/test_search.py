"""``leadbase search people|companies|openings`` against a real server."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest

from tests.cli.cli import assert_failed, invoke
from tests.factories import Tenant
from tests.server.catalog.enrich_support import Catalog


def _search(server: str, acme: Tenant, *args: str) -> str:
    result = invoke("search", *args, "--api-key", acme.secret, "--base-url", server)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_people_by_title_and_location_as_json(server: str, acme: Tenant, catalog: Catalog) -> None:
    output = _search(
        server, acme, "people", "--title", "vp engineering", "--location", "GB", "--format", "json"
    )
    (person,) = json.loads(output)
    assert person["id"] == catalog.people["jane"]
    assert person["emails"][0]["email"] == "jane.doe@acme.com"


def test_people_as_csv_stop_at_the_limit(server: str, acme: Tenant, catalog: Catalog) -> None:
    output = _search(server, acme, "people", "--limit", "2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 2
    assert set(rows[0]) >= {"id", "full_name", "title", "email", "company_domain"}
    # Only what was asked for was fetched (and billed): 2 x 0.05.
    balance = json.loads(
        invoke("account", "--api-key", acme.secret, "--base-url", server, "--json").stdout
    )
    assert balance["credits"]["balance"] == 99.9


def test_people_as_a_table(server: str, acme: Tenant, catalog: Catalog) -> None:
    output = _search(server, acme, "people", "--seniority", "manager")
    assert "Robert" in output and "1 result(s)" in output


def test_limit_across_pages(server: str, acme: Tenant, catalog: Catalog) -> None:
    output = _search(server, acme, "companies", "--limit", "10", "--format", "json")
    assert len(json.loads(output)) == 4


def test_companies_by_name(server: str, acme: Tenant, catalog: Catalog) -> None:
    output = _search(server, acme, "companies", "--name", "globex", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(output))
    assert row["domain"] == "globex.io"


def test_a_bad_filter_is_reported(server: str, acme: Tenant) -> None:
    result = invoke(
        "search", "people", "--seniority", "emperor", "--api-key", acme.secret, "--base-url", server
    )
    assert_failed(result, "invalid_parameter")
    assert "(request_id req_" in result.stderr


def test_people_by_region_or_excluding_a_country(
    server: str, acme: Tenant, catalog: Catalog
) -> None:
    output = _search(server, acme, "people", "--location", ", England, GB", "--format", "json")
    assert [person["id"] for person in json.loads(output)] == [catalog.people["jane"]]
    output = _search(server, acme, "people", "--exclude-location", "GB", "--format", "csv")
    names = sorted(row["full_name"] for row in csv.DictReader(io.StringIO(output)))
    assert names == ["Peter Gibbons", "Robert Smith"]


def test_count_prints_how_many_and_is_free(server: str, acme: Tenant, catalog: Catalog) -> None:
    assert (
        _search(server, acme, "people", "--title", "vp", "--count") == "1 found (a count is free)\n"
    )
    output = _search(server, acme, "companies", "--count", "--format", "json")
    assert json.loads(output) == {"count": 4}
    balance = json.loads(
        invoke("account", "--api-key", acme.secret, "--base-url", server, "--json").stdout
    )
    assert balance["credits"]["balance"] == 100


def test_openings_posted_since_a_date(server: str, acme: Tenant, catalog: Catalog) -> None:
    rows = [
        {"row_ref": "new", "title": "Data Engineer", "company_domain": "acme.com",
         "posted_at": "2026-11-20T09:00:00Z", "url": "https://jobs.acme.com/1"},
        {"row_ref": "old", "title": "Sales Manager", "company_domain": "globex.io",
         "posted_at": "2026-10-01"},
    ]  # fmt: skip
    response = httpx.post(
        f"{server}/v1/admin/catalog/openings", json={"rows": rows}, headers=acme.headers
    )
    assert response.status_code == 200, response.text
    output = _search(server, acme, "openings", "--posted-since", "2026-11-01", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(output))
    assert (row["title"], row["company_domain"], row["url"]) == (
        "Data Engineer",
        "acme.com",
        "https://jobs.acme.com/1",
    )
    assert row["posted_at"].startswith("2026-11-20T09:00:00")
    assert _search(server, acme, "openings", "--count") == "2 found (a count is free)\n"


def test_a_since_that_is_no_date_is_refused_before_any_call(server: str, acme: Tenant) -> None:
    result = invoke(
        "search", "openings", "--posted-since", "last week", "--api-key", acme.secret,
        "--base-url", server,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "expected a date (2026-11-01)" in result.output


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(
            ["people", "--title", "vp", "--seniority", "vp", "--department", "engineering",
             "--location", "GB", "--exclude-location", "US", "--company-domain", "acme.com",
             "--has-email", "--has-phone", "--updated-since", "2020-01-01", "--keyword", "jane"],
            id="people",
        ),
        pytest.param(
            ["companies", "--name", "acme", "--industry", "Software", "--headcount", "51-200",
             "--location", "United Kingdom", "--exclude-location", "US", "--keyword", "acme"],
            id="companies",
        ),
        pytest.param(
            ["openings", "--title", "engineer", "--seniority", "senior", "--department",
             "engineering", "--location", "GB", "--exclude-location", "US",
             "--company-domain", "acme.com", "--posted-since", "2020-01-01", "--keyword", "acme"],
            id="openings",
        ),
    ],
)  # fmt: skip
def test_every_option_is_a_filter_the_server_takes(
    server: str, acme: Tenant, catalog: Catalog, options: list[str]
) -> None:
    # The server refuses an unknown filter: each option's name reached it as one it knows.
    assert _search(server, acme, *options, "--count", "--format", "json").startswith('{"count": ')
