"""``leadbase catalog import`` and ``leadbase catalog suppress``, run as an operator would."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.cli import assert_failed, assert_failed_json, invoke, invoke_json
from tests.server.credits.support import rows

HEADER = ["Record ID", "First Name", "Last Name", "Email", "Company", "Company Domain"]


def people_csv(path: Path, count: int, *, bad: tuple[int, ...] = ()) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(count):
            email = "broken" if i in bad else f"p{i}@acme.com"
            writer.writerow([f"r{i}", f"First{i}", f"Last{i}", email, "Acme Inc.", "acme.com"])
    return path


def test_import_prints_its_summary_as_json(database_url: str, tmp_path: Path) -> None:
    path = people_csv(tmp_path / "people.csv", 5, bad=(2,))
    summary = invoke_json("catalog", "import", str(path), "--database-url", database_url)
    assert {k: summary[k] for k in ("kind", "source", "rows", "created", "merged", "failed")} == {
        "kind": "people",
        "source": "people.csv",
        "rows": 5,
        "created": 4,
        "merged": 0,
        "failed": 1,
    }
    assert summary["errors_file"] == str(path) + ".errors.csv"
    with open(summary["errors_file"], encoding="utf-8", newline="") as handle:
        (failure,) = list(csv.DictReader(handle))
    assert (failure["row"], failure["column"], failure["value"]) == ("4", "Email", "broken")
    assert rows(database_url, "SELECT count(*) AS n FROM people") == [{"n": 4}]


def test_import_prints_a_readable_summary(database_url: str, tmp_path: Path) -> None:
    path = people_csv(tmp_path / "people.csv", 3)
    result = invoke(
        "catalog", "import", str(path), "--source", "hubspot", "--database-url", database_url
    )
    assert result.exit_code == 0, result.output
    assert f"Imported {path} as people (source hubspot)" in result.stdout
    assert "created" in result.stdout and "rows/s" in result.stdout
    assert rows(database_url, "SELECT DISTINCT source FROM people") == [{"source": "hubspot"}]


def test_a_row_failed_only_for_a_field_it_can_do_without_is_imported_when_asked(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "First Name,Last Name,Email,Phone\n"
        "Ann,Lee,ann@acme.com,+1 650 253 0000\n"
        "Bo,Chen,bo@acme.com,650 253 0001\n",  # no country code, and no country
        encoding="utf-8",
    )
    strict = invoke("catalog", "import", str(path), "--database-url", database_url)
    assert strict.exit_code == 0, strict.output
    assert "1 of the failed rows would import without their invalid fields" in strict.stdout
    assert "rerun with --drop-invalid-fields" in strict.stdout

    lenient = invoke(
        "catalog", "import", str(path), "--drop-invalid-fields", "--database-url", database_url
    )
    assert lenient.exit_code == 0, lenient.output
    assert "fields dropped" in lenient.stdout and "would import" not in lenient.stdout
    assert rows(database_url, "SELECT last_name FROM people ORDER BY last_name") == [
        {"last_name": "Chen"},
        {"last_name": "Lee"},
    ]
    with open(str(path) + ".errors.csv", encoding="utf-8", newline="") as handle:
        (dropped,) = list(csv.DictReader(handle))
    assert (dropped["row"], dropped["outcome"], dropped["column"]) == (
        "3",
        "field dropped",
        "Phone",
    )


def test_an_import_told_to_overwrite_replaces_what_the_catalog_held(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email,Title\nAnn Lee,ann@acme.com,Engineer\n", encoding="utf-8")
    assert invoke("catalog", "import", str(path), "--database-url", database_url).exit_code == 0
    refreshed = tmp_path / "refreshed.csv"
    refreshed.write_text("Name,Email,Title\nAnn Lee,ann@acme.com,CTO\n", encoding="utf-8")
    filled = invoke("catalog", "import", str(refreshed), "--database-url", database_url)
    assert filled.exit_code == 0 and "overwritten" not in filled.stdout
    assert rows(database_url, "SELECT title FROM people") == [{"title": "Engineer"}]
    overwritten = invoke(
        "catalog",
        "import",
        str(refreshed),
        "--on-match",
        "overwrite",
        "--source",
        "refresh",
        "--database-url",
        database_url,
    )
    assert overwritten.exit_code == 0, overwritten.output
    assert "(overwritten with the file's values)" in overwritten.stdout
    assert rows(database_url, "SELECT title FROM people") == [{"title": "CTO"}]
    wrong = invoke("catalog", "import", str(refreshed), "--on-match", "replace")
    assert wrong.exit_code == 2 and "fill" in wrong.output and "overwrite" in wrong.output


def test_the_summary_names_the_columns_it_ignored(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "salesforce.csv"
    path.write_text(
        "First Name,Last Name,Email,Mailing State/Province,Favourite Colour\n"
        "Frank,Fisher,frank@fisher.co.uk,England,teal\n",
        encoding="utf-8",
    )
    result = invoke("catalog", "import", str(path), "--database-url", database_url)
    assert result.exit_code == 0, result.output
    assert "Ignored columns (not a catalog field): Favourite Colour" in result.stdout
    # Salesforce's contact location header is a region.
    assert rows(database_url, "SELECT region FROM people") == [{"region": "England"}]


def test_a_kind_given_on_the_command_line_is_checked_against_the_headers(
    database_url: str, tmp_path: Path
) -> None:
    path = people_csv(tmp_path / "people.csv", 2)
    result = invoke(
        "catalog",
        "import",
        str(path),
        "--kind",
        "openings",
        "--database-url",
        database_url,
        "--json",
    )
    error = assert_failed_json(result, "invalid_csv_format")
    assert error["param"] == "columns"


def test_a_file_that_is_not_utf8_fails_with_invalid_csv_format(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nr1,Ren\xe9,Dupont,r@acme.com,Acme,acme.com\n")
    assert_failed(
        invoke("catalog", "import", str(path), "--database-url", database_url),
        "invalid_csv_format",
    )
    assert rows(database_url, "SELECT count(*) AS n FROM people") == [{"n": 0}]


def test_no_resume_starts_over_despite_a_checkpoint(database_url: str, tmp_path: Path) -> None:
    path = people_csv(tmp_path / "people.csv", 4)
    checkpoint = Path(str(path) + ".leadbase-checkpoint")
    checkpoint.write_text('{"stale": true}')
    stale = invoke("catalog", "import", str(path), "--database-url", database_url, "--json")
    assert assert_failed_json(stale, "invalid_parameter")["param"] == "resume"
    summary = invoke_json(
        "catalog",
        "import",
        str(path),
        "--no-resume",
        "--batch-rows",
        "3",
        "--database-url",
        database_url,
    )
    assert (summary["rows"], summary["created"], summary["resumed_after_row"]) == (4, 4, None)
    assert not checkpoint.exists()


def test_suppress_deletes_the_person_and_reports_the_keys(
    database_url: str, tmp_path: Path
) -> None:
    invoke_json(
        "catalog", "import", str(people_csv(tmp_path / "p.csv", 2)), "--database-url", database_url
    )
    result = invoke_json(
        "catalog",
        "suppress",
        "--email",
        "P0@acme.com",
        "--reason",
        "asked",
        "--database-url",
        database_url,
    )
    (acme,) = rows(database_url, "SELECT id FROM companies")
    assert result == {
        "keys": [
            {"kind": "email", "value": "p0@acme.com"},
            {"kind": "name_at_company", "value": f"{acme['id']}:first0 last0"},
        ],
        "deleted_people": 1,
    }
    assert rows(database_url, "SELECT full_name FROM people") == [{"full_name": "First1 Last1"}]
    again = invoke_json(
        "catalog", "import", str(tmp_path / "p.csv"), "--database-url", database_url
    )
    assert (again["suppressed"], again["merged"]) == (1, 1)


def test_suppress_prints_what_it_did(database_url: str) -> None:
    result = invoke(
        "catalog", "suppress", "--domain", "https://acme.com/", "--database-url", database_url
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Deleted 0 people; suppressed 1 key(s):\n  domain   acme.com\n"


def test_suppress_needs_a_usable_key(database_url: str) -> None:
    assert_failed(
        invoke("catalog", "suppress", "--database-url", database_url), "at_least_one_required"
    )
    error = assert_failed_json(
        invoke(
            "catalog",
            "suppress",
            "--linkedin",
            "https://x.com/in/a",
            "--database-url",
            database_url,
            "--json",
        ),
        "invalid_linkedin_url",
    )
    assert error["details"] == {"linkedin_url": "expected https://www.linkedin.com/in/<slug>"}


def test_ctrl_c_stops_an_import_that_the_same_command_then_resumes(
    database_url: str, tmp_path: Path
) -> None:
    path = people_csv(tmp_path / "people.csv", 6_000)
    command = [
        sys.executable,
        "-m",
        "leadbase.cli.main",
        "catalog",
        "import",
        str(path),
        "--database-url",
        database_url,
        "--batch-rows",
        "200",
        "--read-ahead",
    ]
    # A session of its own: SIGINT to the group, as a terminal's Ctrl-C sends it.
    running = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    checkpoint = Path(str(path) + ".leadbase-checkpoint")
    deadline = time.monotonic() + 60
    while not checkpoint.exists() and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(running.pid, signal.SIGINT)
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 130, stderr
    assert b"run the same command again to resume" in stderr
    # One Ctrl-C lets the batch finish: nothing is left unbuilt to warn about.
    assert b"stopped at once" not in stderr
    assert b"Traceback" not in stderr
    assert checkpoint.exists()

    resumed = subprocess.run([*command, "--json"], capture_output=True, timeout=300, check=True)
    summary = json.loads(resumed.stdout)
    assert summary["resumed_after_row"] > 1
    assert (summary["rows"], summary["created"], summary["merged"]) == (6_000, 6_000, 0)
    assert rows(database_url, "SELECT count(*) AS n FROM people") == [{"n": 6_000}]
    assert not checkpoint.exists()
