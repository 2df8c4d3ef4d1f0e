"""``leadbase search people|companies`` against a real server."""

from __future__ import annotations

import csv
import io
import json

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
