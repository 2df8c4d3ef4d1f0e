"""``leadbase enrich`` against a real server: the output, and resuming after Ctrl-C or a
crash without billing a finished row twice."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import Result

from leadbase import Leadbase
from leadbase.cli.client import checkpoint, enrich
from leadbase.server.config import Settings
from tests.cli.cli import assert_failed, invoke
from tests.factories import Tenant
from tests.sdk.conftest import BALANCE
from tests.sdk.support import tcp_server
from tests.server.catalog.enrich_support import Catalog
from tests.server.credits.support import account, configured

HEADERS = ["First Name", "Last Name", "Email", "Company Domain", "Notes"]
PEOPLE = [
    ["", "", "Jane.Doe@acme.com", "", "by email"],
    ["Bob", "Smith", "", "globex.io", "nickname + domain"],
    ["", "", "stranger@acme.com", "", "not in the catalog"],
    ["", "", "jane at acme", "", "not an email"],
    ["Peter", "Gibbons", "n/a", "initech.com", "name + domain"],
]
EXPECTED = ["matched", "matched", "no_match", "invalid", "matched"]
LEADBASE = Path(sys.executable).parent / "leadbase"


def write_csv(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def enrich_command(server: str, tenant: Tenant, source: Path, output: Path, *args: str) -> Result:
    return invoke(
        "enrich",
        str(source),
        "-o",
        str(output),
        "--api-key",
        tenant.secret,
        "--base-url",
        server,
        *args,
    )


def run_enrich(
    server: str, tenant: Tenant, source: Path, output: Path, *args: str
) -> dict[str, object]:
    result = enrich_command(server, tenant, source, output, "--json", *args)
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def charged(tenant: Tenant) -> int:
    """Millicredits spent so far; nothing may still be held."""
    balance, reserved = account(tenant.database_url, tenant.org_id)
    assert reserved == 0
    return BALANCE - balance


def test_the_output_has_the_input_columns_and_each_rows_result(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "people.csv", PEOPLE)
    output = tmp_path / "out.csv"
    summary = run_enrich(server, acme, source, output, "--chunk-size", "2")
    rows = read_csv(output)
    assert [row["Notes"] for row in rows] == [person[4] for person in PEOPLE]
    assert [row["leadbase_status"] for row in rows] == EXPECTED
    jane = rows[0]
    assert jane["leadbase_person_id"] == catalog.people["jane"]
    assert (jane["leadbase_full_name"], jane["leadbase_title"]) == ("Jane Doe", "VP of Engineering")
    assert jane["leadbase_emails"] == "jane.doe@acme.com"
    assert jane["leadbase_phones"] == "+447400123456"
    assert jane["leadbase_linkedin_url"] == "https://www.linkedin.com/in/jane-doe"
    assert jane["leadbase_matched_on"] == "email" and float(jane["leadbase_confidence"]) >= 0.99
    assert rows[1]["leadbase_company_domain"] == "globex.io"
    assert "email" in rows[3]["leadbase_errors"]
    assert summary == {
        "output": str(output),
        "rows": 5,
        "matched": 3,
        "no_match": 1,
        "invalid": 1,
        "credits_charged": 3.0,
        "replayed_chunks": 0,
    }
    assert not checkpoint.path_for(output).exists()
    assert charged(acme) == 3_000


def test_a_human_gets_a_summary_line(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "people.csv", PEOPLE)
    result = enrich_command(server, acme, source, tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert (
        "5 rows" in result.stdout
        and "3 matched" in result.stdout
        and "3.000 credits" in result.stdout
    )


def test_hubspot_headers_and_a_byte_order_mark(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = tmp_path / "hubspot.csv"
    source.write_text(
        "\ufeffFirst name,Last name,Email Address,Company Name\nRobert,Smith,,Globex\n",
        encoding="utf-8",
    )
    run_enrich(server, acme, source, tmp_path / "out.csv")
    (row,) = read_csv(tmp_path / "out.csv")
    assert row["leadbase_status"] == "matched" and row["First name"] == "Robert"


def test_a_file_without_identifier_columns_is_refused(
    server: str, acme: Tenant, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "notes.csv", [["a"]], headers=["Notes"])
    result = enrich_command(server, acme, source, tmp_path / "out.csv")
    assert_failed(result, "invalid_csv_format")
    # A file of people has no column a company is looked up by.
    people = write_csv(tmp_path / "people.csv", PEOPLE[:1], headers=HEADERS[:3])
    result = enrich_command(server, acme, people, tmp_path / "out.csv", "--kind", "companies")
    assert_failed(result, "invalid_csv_format")
    assert "no column enrich can match companies on" in result.stderr
    assert not (tmp_path / "out.csv").exists()


COMPANY_HEADERS = ["Account Name", "Website", "Company LinkedIn URL", "Owner"]
COMPANIES = [
    ["Acme", "https://www.acme.com/about", "", "by website (the domain wins over the name)"],
    ["", "", "https://www.linkedin.com/company/acme-holdings", "by LinkedIn page"],
    ["Globex Corporation", "", "", "by name"],
    ["Initech", "", "", "two companies of the name"],
    ["", "", "", "nothing to look up"],
]


def test_companies_are_enriched_by_their_strongest_identifier(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "accounts.csv", COMPANIES, headers=COMPANY_HEADERS)
    output = tmp_path / "out.csv"
    summary = run_enrich(server, acme, source, output, "--kind", "companies", "--chunk-size", "2")
    assert (summary["matched"], summary["no_match"], summary["invalid"]) == (3, 1, 1)
    rows = read_csv(output)
    assert [row["Owner"] for row in rows] == [company[3] for company in COMPANIES]
    assert [row["leadbase_status"] for row in rows] == [
        "matched",
        "matched",
        "matched",
        "no_match",
        "invalid",
    ]
    by_site, by_page, by_name = rows[:3]
    assert by_site["leadbase_company_id"] == by_page["leadbase_company_id"]
    assert by_site["leadbase_company_id"] == catalog.companies["acme"]
    assert (by_site["leadbase_name"], by_site["leadbase_domain"]) == (
        "Acme Holdings, Inc.",
        "acme.com",
    )
    assert (by_site["leadbase_industry"], by_site["leadbase_country"]) == ("Software", "GB")
    assert by_site["leadbase_matched_on"] == "domain"
    assert by_page["leadbase_matched_on"] == "linkedin"
    assert by_name["leadbase_domain"] == "globex.io"
    assert rows[4]["leadbase_errors"].startswith("company_id: one of these is required")
    # 1 credit a company a call: both Acme rows share the first call, so Acme is billed
    # once; Globex once; no match and invalid rows are free.
    assert charged(acme) == 2 * 1_000


def test_a_checkpoint_of_the_other_kind_is_refused(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "accounts.csv", COMPANIES, headers=COMPANY_HEADERS)
    output = tmp_path / "out.csv"
    checkpoint.save(
        checkpoint.path_for(output),
        checkpoint.Checkpoint(
            input_sha256=enrich._sha256(source), chunk_size=500, mode="database", kind="people"
        ),
    )
    result = enrich_command(server, acme, source, output, "--kind", "companies")
    assert_failed(result, "checkpoint_mismatch")


class Crash(Exception):
    """The process dies here: after the server answered, before anything was written."""


class CrashAfter(httpx.HTTPTransport):
    def __init__(self, answers: int) -> None:
        super().__init__()
        self.answers = answers

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.answers -= 1
        if self.answers < 0:
            response.read()
            raise Crash("killed after the server billed the chunk")
        return response


def test_a_crash_after_billing_replays_the_chunk_instead_of_billing_again(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "people.csv", PEOPLE * 4)
    output = tmp_path / "out.csv"
    with (
        httpx.Client(transport=CrashAfter(answers=3)) as http,
        Leadbase(api_key=acme.secret, base_url=server, http_client=http) as client,
        pytest.raises(Crash),
    ):
        enrich.run(client, source, output, chunk_size=2, concurrency=1)
    saved = checkpoint.load(checkpoint.path_for(output))
    assert saved is not None and (saved.chunks_done, saved.rows_done) == (3, 6)
    # Chunk 3 was billed by the server but never written: 4 rows billed, 5 rows x 3 matched.
    assert charged(acme) == (2 + 1 + 1 + 1) * 1_000
    summary = run_enrich(server, acme, source, output, "--chunk-size", "2")
    assert summary["replayed_chunks"] == 1
    rows = read_csv(output)
    assert [row["Notes"] for row in rows] == [person[4] for person in PEOPLE * 4]
    assert [row["leadbase_status"] for row in rows] == EXPECTED * 4
    matched = sum(row["leadbase_status"] == "matched" for row in rows)
    assert charged(acme) == matched * 1_000 == 12_000


def test_a_checkpoint_of_other_work_is_refused_until_restart(
    server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "people.csv", PEOPLE)
    output = tmp_path / "out.csv"
    checkpoint.save(
        checkpoint.path_for(output),
        checkpoint.Checkpoint(input_sha256="other", chunk_size=2, mode="database"),
    )
    result = enrich_command(server, acme, source, output)
    assert_failed(result, "checkpoint_mismatch")
    run_enrich(server, acme, source, output, "--restart")
    assert len(read_csv(output)) == 5


# Real interruptions, in a process of its own ----------------------------------------------


@pytest.fixture
def slow_server(server_settings: Settings) -> Iterator[str]:
    """Each bulk call takes a while, so that the command is stopped in the middle."""
    with tcp_server(configured(server_settings, fault_delay_seconds={"people.enrich": 0.3})) as url:
        yield url


def _start(slow_server: str, acme: Tenant, source: Path, output: Path) -> subprocess.Popen[str]:
    command = [
        str(LEADBASE),
        "enrich",
        str(source),
        "-o",
        str(output),
        "--chunk-size",
        "2",
        "--concurrency",
        "2",
    ]
    env = {**os.environ, "LEADBASE_API_KEY": acme.secret, "LEADBASE_BASE_URL": slow_server}
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as a terminal sends it, even when this run inherited it ignored (a
        # background job of a non-interactive shell, say).
        preexec_fn=_default_ctrl_c,
    )


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_chunks(output: Path, chunks: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        saved = (
            checkpoint.load(checkpoint.path_for(output))
            if checkpoint.path_for(output).exists()
            else None
        )
        if saved is not None and saved.chunks_done >= chunks:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("the command made no progress")


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_stopped_mid_run_then_rerun_bills_each_matched_row_once(
    stop: signal.Signals, slow_server: str, acme: Tenant, catalog: Catalog, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "people.csv", PEOPLE * 6)
    output = tmp_path / "out.csv"
    process = _start(slow_server, acme, source, output)
    _wait_for_chunks(output, 3, process)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=30)
    if stop == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "interrupted after" in stderr and "run the same command again to resume" in stderr
    else:
        assert process.returncode == -signal.SIGKILL
    saved = checkpoint.load(checkpoint.path_for(output))
    assert saved is not None and 0 < saved.rows_done < 30
    summary = run_enrich(
        slow_server, acme, source, output, "--chunk-size", "2", "--concurrency", "2"
    )
    rows = read_csv(output)
    assert [row["Notes"] for row in rows] == [person[4] for person in PEOPLE * 6]
    assert [row["leadbase_status"] for row in rows] == EXPECTED * 6
    assert summary["matched"] == 18
    # Whatever the server had finished when the command stopped was replayed, not billed.
    deadline = time.monotonic() + 10
    while account(acme.database_url, acme.org_id)[1] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert charged(acme) == 18 * 1_000
