"""``leadbase account`` against a real server."""

from __future__ import annotations

import json

import pytest

from tests.cli.cli import assert_failed, invoke
from tests.factories import Tenant


def test_account_prints_the_balance(server: str, acme: Tenant) -> None:
    result = invoke("account", "--api-key", acme.secret, "--base-url", server)
    assert result.exit_code == 0, result.output
    assert "Acme" in result.stdout and acme.org_id in result.stdout
    assert "100.000 available" in result.stdout
    assert acme.customer_id in result.stdout


def test_account_as_json_for_a_customer(server: str, acme: Tenant) -> None:
    result = invoke(
        "account",
        "--api-key",
        acme.secret,
        "--base-url",
        server,
        "--customer",
        acme.customer_id,
        "--json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["id"] == acme.customer_id and document["acting_as_customer"] is True


def test_the_environment_gives_key_and_server(
    server: str, acme: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADBASE_API_KEY", acme.secret)
    monkeypatch.setenv("LEADBASE_BASE_URL", server)
    result = invoke("account", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == acme.org_id


def test_a_wrong_key_prints_code_message_and_request_id(server: str) -> None:
    result = invoke("account", "--api-key", "lb_live_wrong", "--base-url", server)
    assert_failed(result, "invalid_api_key")
    assert "The API key is not valid." in result.stderr
    assert "(request_id req_" in result.stderr


def test_a_wrong_key_as_json(server: str) -> None:
    result = invoke("account", "--api-key", "lb_live_wrong", "--base-url", server, "--json")
    assert result.exit_code == 1
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "invalid_api_key" and error["request_id"].startswith("req_")


def test_no_key_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEADBASE_API_KEY", raising=False)
    assert_failed(invoke("account"), "missing_api_key")


def test_an_unreachable_server_is_a_connection_error(acme: Tenant) -> None:
    result = invoke(
        "account", "--api-key", acme.secret, "--base-url", "http://127.0.0.1:9", "--json"
    )
    assert result.exit_code == 1
    assert json.loads(result.stderr)["error"]["code"] == "connection_error"
