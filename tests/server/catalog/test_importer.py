"""CSV import on both databases: counts, the error report with exact row numbers, UTF-8
and header checks before any write, and resuming an interrupted import."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from leadbase.server.catalog import suppression
from leadbase.server.catalog.importer import (
    ImportStopped,
    ImportSummary,
    Progress,
    checkpoint_path,
    default_errors_path,
    discard_checkpoint,
    import_csv,
)
from leadbase.server.db import Database, upgrade
from leadbase.server.errors import InvalidCsvFormat, InvalidParameter
from tests.server.credits.support import execute, rows

HUBSPOT = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Job Title",
    "Company Name",
    "Website URL",
]


def write_csv(path: Path, header: list[str], body: list[list[str]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(body)
    return path


def run_import(database_url: str, path: Path, **options: Any) -> ImportSummary:
    async def run() -> ImportSummary:
        database = Database(database_url)
        try:
            return await import_csv(database, path, **options)
        finally:
            await database.dispose()

    return asyncio.run(run())


def stop_requested() -> asyncio.Event:
    """A stop asked for before the import starts: it ends after its first batch."""
    stop = asyncio.Event()
    stop.set()
    return stop


def contacts(count: int, *, start: int = 0) -> list[list[str]]:
    return [
        [
            f"hs-{i}",
            f"First{i}",
            f"Last{i}",
            f"person{i}@acme{i % 3}.com",
            "",
            "Account Executive",
            f"Acme {i % 3} Inc.",
            f"https://acme{i % 3}.com",
        ]
        for i in range(start, start + count)
    ]


def report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def count(database_url: str, table: str) -> int:
    return int(rows(database_url, f"SELECT count(*) AS n FROM {table}")[0]["n"])


def test_a_crm_export_is_imported_with_its_counts(database_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(7))
    summary = run_import(database_url, path)
    assert summary.file == str(path)
    assert (summary.kind, summary.source) == ("people", "people.csv")
    assert (summary.rows, summary.created, summary.merged, summary.suppressed, summary.failed) == (
        7,
        7,
        0,
        0,
        0,
    )
    assert summary.rows_per_second > 0
    assert summary.errors_file is None and not default_errors_path(path).exists()
    assert summary.resumed_after_row is None
    assert summary.columns == {
        "record_id": "Record ID",
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "Email",
        "phone": "Phone Number",
        "title": "Job Title",
        "company_name": "Company Name",
        "company_domain": "Website URL",
    }
    assert count(database_url, "people") == 7
    assert count(database_url, "companies") == 3
    assert rows(database_url, "SELECT DISTINCT source FROM person_sources") == [
        {"source": "people.csv"}
    ]
    assert not checkpoint_path(path).exists()


def test_importing_again_merges_every_row(database_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(4))
    run_import(database_url, path, batch_rows=3)
    again = run_import(database_url, path, batch_rows=3)
    assert (again.rows, again.created, again.merged) == (4, 0, 4)
    assert count(database_url, "people") == 4


NAMESAKES = [
    ["", "John", "Smith", "john.smith@acme-x.com", "", "CEO", "Acme X", "acme-x.com"],
    ["", "John", "Smith", "jsmith@acme-x.com", "", "Engineer", "Acme X", "acme-x.com"],
    ["", "John", "Smith", "", "", "Financial  analyst", "Acme X", "acme-x.com"],
]


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk-load", "row-by-row"])
def test_the_same_namesakes_under_another_file_name_merge_by_their_title(
    database_url: str, tmp_path: Path, bulk: bool
) -> None:
    first = run_import(database_url, write_csv(tmp_path / "a.csv", HUBSPOT, NAMESAKES), bulk=bulk)
    assert (first.created, first.merged) == (3, 0)
    # Another source: no record to recognise. Two merge by email; the third John Smith
    # has no key but his title, which only one of the three namesakes holds.
    for name in ("b.csv", "c.csv"):
        again = run_import(database_url, write_csv(tmp_path / name, HUBSPOT, NAMESAKES))
        assert (again.created, again.merged) == (0, 3)
    assert count(database_url, "people") == 3


def test_a_namesake_whose_title_no_one_holds_is_someone_new(
    database_url: str, tmp_path: Path
) -> None:
    run_import(database_url, write_csv(tmp_path / "a.csv", HUBSPOT, NAMESAKES))
    designer = [["", "John", "Smith", "", "", "Designer", "Acme X", "acme-x.com"]]
    again = run_import(database_url, write_csv(tmp_path / "b.csv", HUBSPOT, designer))
    assert (again.created, again.merged) == (1, 0)


def test_a_namesake_new_in_this_batch_is_a_rival_of_the_catalogs(
    database_url: str, tmp_path: Path
) -> None:
    run_import(database_url, write_csv(tmp_path / "a.csv", HUBSPOT, NAMESAKES[:2]))
    keyless = [
        ["", "John", "Smith", "", "", "Designer", "Acme X", "acme-x.com"],
        ["", "John", "Smith", "", "", "Engineer", "Acme X", "acme-x.com"],
    ]
    again = run_import(database_url, write_csv(tmp_path / "b.csv", HUBSPOT, keyless))
    # The designer is new; the engineer is the catalog's, not the designer just created.
    assert (again.created, again.merged) == (1, 1)
    merged_into = rows(
        database_url,
        "SELECT people.title FROM person_sources JOIN people ON people.id = person_id"
        " WHERE person_sources.source = 'b.csv' ORDER BY person_sources.id",
    )
    assert [row["title"] for row in merged_into] == ["Designer", "Engineer"]


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk-load", "row-by-row"])
def test_a_title_a_merge_filled_in_decides_a_later_tie_in_the_same_file(
    database_url: str, tmp_path: Path, bulk: bool
) -> None:
    body = [
        ["", "Ann", "Lee", "ann@initech.com", "", "", "Initech", "initech.com"],
        ["", "Ann", "Lee", "a.lee@initech.com", "", "Engineer", "Initech", "initech.com"],
        ["", "Ann", "Lee", "ann@initech.com", "", "CFO", "Initech", "initech.com"],
        ["", "Ann", "Lee", "", "", "CFO", "Initech", "initech.com"],
    ]
    done = run_import(database_url, write_csv(tmp_path / "a.csv", HUBSPOT, body), bulk=bulk)
    assert (done.created, done.merged) == (2, 2)


MEMBER_URL = "https://www.linkedin.com/sales/lead/ACwAABcDeFgHiJkLmNoPqRsTuVwXyZ0123456,NAME"
SALES_NAVIGATOR = ["First Name", "Last Name", "linkedInProfileUrl", "Company Name"]


def test_a_member_id_stored_lower_cased_by_an_older_import_is_still_the_same_person(
    database_url: str, tmp_path: Path
) -> None:
    row = ["Kim", "Kato", MEMBER_URL, "Initech"]
    run_import(database_url, write_csv(tmp_path / "a.csv", SALES_NAVIGATOR, [row]))
    (stored,) = rows(database_url, "SELECT linkedin_slug FROM people")
    assert stored["linkedin_slug"] == "ACwAABcDeFgHiJkLmNoPqRsTuVwXyZ0123456"
    # What imports stored before member ids kept their case.
    execute(database_url, "UPDATE people SET linkedin_slug = lower(linkedin_slug)")
    again = run_import(database_url, write_csv(tmp_path / "b.csv", SALES_NAVIGATOR, [row]))
    assert (again.created, again.merged) == (0, 1)
    assert rows(database_url, "SELECT matched_by FROM person_sources WHERE source = 'b.csv'") == [
        {"matched_by": "linkedin"}
    ]

    async def suppress() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                await suppression.suppress(session, linkedin_url=MEMBER_URL)
        finally:
            await database.dispose()

    asyncio.run(suppress())
    assert count(database_url, "people") == 0
    refused = run_import(database_url, write_csv(tmp_path / "c.csv", SALES_NAVIGATOR, [row]))
    assert (refused.created, refused.suppressed) == (0, 1)


def test_failed_rows_are_reported_with_their_spreadsheet_row_numbers(
    database_url: str, tmp_path: Path
) -> None:
    body = contacts(5)
    body[1][3] = "not-an-email"  # row 3
    body[1][4] = "12"
    body[2][5] = "Senior\nEngineer"  # row 4 spans two lines of the file
    body[3][1:3] = ["", ""]  # row 5: no name
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    summary = run_import(database_url, path)
    assert (summary.rows, summary.created, summary.failed) == (5, 3, 2)
    # Row 3 has a name and a company, but without its email and phone nothing to be found by
    # (nor suppressed by); row 5 has no name.
    assert (summary.rows_with_fields_dropped, summary.droppable) == (0, 0)
    assert summary.errors_file == str(default_errors_path(path))
    lines = report(default_errors_path(path))
    assert [
        (line["row"], line["outcome"], line["column"], line["error"], line["value"])
        for line in lines
    ] == [
        ("3", "row rejected", "Email", "not a valid email address", "not-an-email"),
        (
            "3",
            "row rejected",
            "Phone Number",
            "not a valid phone number (use +<country code> or give the country)",
            "12",
        ),
        (
            "5",
            "row rejected",
            "First Name",
            "a person needs a name (first and last name, or a full name)",
            "",
        ),
    ]
    assert json.loads(lines[0]["raw"]) == dict(zip(HUBSPOT, body[1], strict=True))
    assert count(database_url, "people") == 3


def test_a_row_holding_a_nul_character_is_reported_and_the_rest_imported(
    database_url: str, tmp_path: Path
) -> None:
    # PostgreSQL text cannot hold NUL: it failed the whole import there and SQLite stored it.
    body = contacts(3)
    body[1][2] = "La\x00st"  # row 3
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    summary = run_import(database_url, path)
    assert (summary.rows, summary.created, summary.failed) == (3, 2, 1)
    lines = report(default_errors_path(path))
    assert [(line["row"], line["column"], line["error"]) for line in lines] == [
        ("3", "Last Name", "must not contain the NUL character (U+0000)")
    ]
    assert count(database_url, "people") == 2


@pytest.mark.parametrize("read_ahead", [False, True], ids=["inline", "read-ahead"])
def test_invalid_fields_are_dropped_when_the_rest_of_the_row_makes_a_person(
    database_url: str, tmp_path: Path, read_ahead: bool
) -> None:
    body = contacts(5)
    body[0][4] = "12"  # row 2: a phone that is no number, beside a name and an email
    body[1][1:5] = ["Maria", "Gonzalez", "not-an-email", "+1 650 253 0000"]  # row 3
    body[2][5] = "Senior\x00Engineer"  # row 4: a NUL in the title
    body[3][3] = "broken"  # row 5: without its email and company, nothing to find it by
    body[3][6:8] = ["", ""]
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    summary = run_import(
        database_url, path, drop_invalid_fields=True, read_ahead=read_ahead, batch_rows=2
    )
    assert (summary.rows, summary.created, summary.merged, summary.failed) == (5, 4, 0, 1)
    assert (summary.rows_with_fields_dropped, summary.droppable) == (3, 0)
    lines = report(default_errors_path(path))
    assert [(line["row"], line["outcome"], line["column"], line["value"]) for line in lines] == [
        ("2", "field dropped", "Phone Number", "12"),
        ("3", "field dropped", "Email", "not-an-email"),
        ("4", "field dropped", "Job Title", "Senior\x00Engineer"),
        # Reported by what was wrong with the fields sent, not by what is missing without them.
        ("5", "row rejected", "Email", "broken"),
    ]
    assert rows(
        database_url,
        "SELECT p.last_name, p.title, e.email, f.e164 FROM people p"
        " LEFT JOIN person_emails e ON e.person_id = p.id"
        " LEFT JOIN person_phones f ON f.person_id = p.id ORDER BY p.last_name",
    ) == [
        {
            "last_name": "Gonzalez",
            "title": "Account Executive",
            "email": None,
            "e164": "+16502530000",
        },
        {
            "last_name": "Last0",
            "title": "Account Executive",
            "email": "person0@acme0.com",
            "e164": None,
        },
        {"last_name": "Last2", "title": None, "email": "person2@acme2.com", "e164": None},
        {
            "last_name": "Last4",
            "title": "Account Executive",
            "email": "person4@acme1.com",
            "e164": None,
        },
    ]


@pytest.mark.parametrize("read_ahead", [False, True], ids=["inline", "read-ahead"])
def test_without_the_option_the_rows_it_would_import_are_counted_and_marked(
    database_url: str, tmp_path: Path, read_ahead: bool
) -> None:
    body = contacts(3)
    body[0][4] = "12"  # row 2: the email stays
    body[1][1:3] = ["", ""]  # row 3: no name
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    summary = run_import(database_url, path, read_ahead=read_ahead, batch_rows=2)
    assert (summary.created, summary.failed, summary.droppable) == (1, 2, 1)
    assert summary.rows_with_fields_dropped == 0
    assert [(line["row"], line["outcome"]) for line in report(default_errors_path(path))] == [
        ("2", "row rejected (droppable)"),
        ("3", "row rejected"),
    ]


def test_what_names_a_record_is_never_dropped(database_url: str, tmp_path: Path) -> None:
    body = contacts(4)
    body[0][1] = "Fir\x00st0"  # row 2: the first name
    body[1][0] = "hs\x00-1"  # row 3: the record id
    body[2][5:7] = ["CTO\x00", "\x00"]  # row 4: the title and the company name
    body[3][4:6] = ["12", "Head of\x00 Sales"]  # row 5: a phone and the title: both go
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    summary = run_import(database_url, path, drop_invalid_fields=True)
    assert (summary.created, summary.failed, summary.rows_with_fields_dropped) == (1, 3, 1)
    assert [
        (line["row"], line["outcome"], line["column"]) for line in report(default_errors_path(path))
    ] == [
        ("2", "row rejected", "First Name"),
        ("3", "row rejected", "Record ID"),
        ("4", "row rejected", "Job Title"),
        ("4", "row rejected", "Company Name"),
        ("5", "field dropped", "Phone Number"),
        ("5", "field dropped", "Job Title"),
    ]
    assert rows(database_url, "SELECT last_name, title FROM people") == [
        {"last_name": "Last3", "title": None}
    ]
    assert rows(database_url, "SELECT source_record_id FROM person_sources") == [
        {"source_record_id": "hs-3"}
    ]


def test_an_opted_out_person_whose_one_address_is_malformed_is_not_imported_again(
    database_url: str, tmp_path: Path
) -> None:
    row = ["hs-9", "Jane", "Doe", "jane@acme.com", "", "CTO", "Acme Inc.", "acme.com"]
    run_import(database_url, write_csv(tmp_path / "a.csv", HUBSPOT, [row]))

    async def suppress() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                await suppression.suppress(session, email="jane@acme.com")
        finally:
            await database.dispose()

    asyncio.run(suppress())
    row[3] = "Jane Doe <jane@acme.com>"
    path = write_csv(tmp_path / "b.csv", HUBSPOT, [row])
    summary = run_import(database_url, path, drop_invalid_fields=True)
    assert (summary.created, summary.failed, summary.rows_with_fields_dropped) == (0, 1, 0)
    assert count(database_url, "people") == 0


def test_a_bulk_load_refuses_people_of_a_suppressed_domain_found_by_company_name(
    database_url: str, tmp_path: Path
) -> None:
    companies = write_csv(tmp_path / "c.csv", ["Company Name", "Website"], [["Acme", "acme.com"]])
    run_import(database_url, companies)

    async def suppress() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                await suppression.suppress(session, domain="acme.com")
        finally:
            await database.dispose()

    asyncio.run(suppress())
    people = write_csv(
        tmp_path / "p.csv",
        ["First Name", "Last Name", "Mobile Phone", "Company Name"],
        [["Gil", "Zed", "+44 7400 999999", "Acme"], ["Ann", "Lee", "+44 7400 888888", "Initech"]],
    )
    summary = run_import(database_url, people)
    # The people table was empty: a bulk load, which resolves companies in memory.
    assert (summary.bulk, summary.created, summary.suppressed) == (True, 1, 1)
    assert rows(database_url, "SELECT full_name FROM people") == [{"full_name": "Ann Lee"}]


def test_an_opening_keeps_its_company_and_may_lose_its_link(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "openings.csv",
        ["Company Domain", "Job Title", "Job URL", "Posted At"],
        [
            ["acme.com", "Engineer", "not a url", "last week"],
            ["not a domain", "Designer", "https://jobs.acme.com/2", ""],
        ],
    )
    summary = run_import(database_url, path, drop_invalid_fields=True)
    assert (summary.created, summary.failed, summary.rows_with_fields_dropped) == (1, 1, 1)
    assert [
        (line["row"], line["outcome"], line["column"]) for line in report(default_errors_path(path))
    ] == [
        ("2", "field dropped", "Job URL"),
        ("2", "field dropped", "Posted At"),
        ("3", "row rejected", "Company Domain"),
    ]
    assert rows(database_url, "SELECT title, url, posted_at FROM openings") == [
        {"title": "Engineer", "url": None, "posted_at": None}
    ]


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolon", "tab"])
def test_a_file_separated_by_semicolons_or_tabs_is_read_as_such(
    database_url: str, tmp_path: Path, delimiter: str
) -> None:
    # Excel's CSV where the decimal mark is a comma (much of Europe), with its BOM.
    path = tmp_path / "kontakte.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["First Name", "Last Name", "Email", "Company Name"])
        writer.writerow(["Jörg", "Weiß", "joerg@acme.de", "Acme, GmbH"])
        writer.writerow(["Anna", "Schmidt", "anna@acme.de", 'Acme "Süd"; Werk 2'])
    summary = run_import(database_url, path, read_ahead=True, batch_rows=1)
    assert (summary.kind, summary.created, summary.failed) == ("people", 2, 0)
    assert rows(
        database_url,
        "SELECT p.full_name, c.name FROM people AS p JOIN companies AS c ON c.id = p.company_id"
        " ORDER BY p.full_name",
    ) == [
        {"full_name": "Anna Schmidt", "name": 'Acme "Süd"; Werk 2'},
        {"full_name": "Jörg Weiß", "name": "Acme, GmbH"},
    ]


def test_an_import_resumes_only_as_it_began_dropping_fields_or_not(
    database_url: str, tmp_path: Path
) -> None:
    body = contacts(6)
    body[1][4] = "12"  # row 3, in the first batch: rejected
    body[4][4] = "12"  # row 6, after the stop: imported without its phone on resuming
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    with pytest.raises(ImportStopped):
        run_import(database_url, path, batch_rows=3, stop=stop_requested())
    with pytest.raises(InvalidParameter) as refused:
        run_import(database_url, path, batch_rows=3, drop_invalid_fields=True)
    assert "ran without --drop-invalid-fields" in refused.value.message
    with pytest.raises(InvalidParameter) as refused:
        run_import(database_url, path, batch_rows=3, on_match="overwrite")
    assert "ran with --on-match fill" in refused.value.message
    summary = run_import(database_url, path, batch_rows=3)
    assert (summary.rows, summary.created, summary.failed, summary.droppable) == (6, 4, 2, 2)
    assert [line["outcome"] for line in report(default_errors_path(path))] == [
        "row rejected (droppable)",
        "row rejected (droppable)",
    ]


def test_a_company_keeps_its_name_when_its_website_is_dropped(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "companies.csv",
        ["Company Name", "Website", "Founded"],
        [["Acme Inc.", "not a site", "the nineties"], ["", "not a site either", ""]],
    )
    summary = run_import(database_url, path, drop_invalid_fields=True)
    assert (summary.created, summary.failed, summary.rows_with_fields_dropped) == (1, 1, 1)
    assert [
        (line["row"], line["outcome"], line["column"]) for line in report(default_errors_path(path))
    ] == [
        ("2", "field dropped", "Website"),
        ("2", "field dropped", "Founded"),
        ("3", "row rejected", "Website"),
        ("3", "row rejected", "Company Name"),
    ]
    assert rows(database_url, "SELECT name, domain, founded FROM companies") == [
        {"name": "Acme Inc.", "domain": None, "founded": None}
    ]


def test_a_file_that_is_not_utf8_fails_before_anything_is_written(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    data = ",".join(HUBSPOT).encode() + b"\n1,Ren\xe9,Dupont,rene@acme.com,,,Acme,acme.com\n"
    path.write_bytes(data)
    with pytest.raises(InvalidCsvFormat) as raised:
        run_import(database_url, path)
    offset = data.index(b"\xe9")
    assert raised.value.details == {
        "encoding": f"invalid UTF-8 at byte {offset}; save the file as UTF-8"
    }
    assert count(database_url, "people") == 0
    assert not checkpoint_path(path).exists() and not default_errors_path(path).exists()


def test_a_file_without_the_required_columns_fails_before_anything_is_written(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", ["Email", "Title"], [["a@b.com", "CEO"]])
    with pytest.raises(InvalidCsvFormat) as raised:
        run_import(database_url, path, kind="people")
    assert raised.value.param == "columns"
    assert count(database_url, "people") == 0


def test_an_empty_file_is_invalid(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InvalidCsvFormat):
        run_import(database_url, path)


def test_a_byte_order_mark_is_not_part_of_the_first_header(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(2), bom=True)
    summary = run_import(database_url, path)
    assert summary.columns["record_id"] == "Record ID"
    assert summary.created == 2


def test_companies_and_openings_files_are_imported(database_url: str, tmp_path: Path) -> None:
    companies = write_csv(
        tmp_path / "companies.csv",
        ["Record ID", "Company Name", "Website", "Industry", "Employees", "Country", "Founded"],
        [
            ["c1", "Acme Inc.", "https://acme.com", "Software", "120", "US", "1999"],
            ["c2", "Globex", "globex.io", "Energy", "10,001+", "Germany", "1950"],
            ["c3", "Broken", "not a site", "", "", "", ""],
        ],
    )
    openings = write_csv(
        tmp_path / "openings.csv",
        ["Record ID", "Company Domain", "Job Title", "Location", "Posted At", "Job URL"],
        [
            ["o1", "acme.com", "Engineer", "Austin, TX", "2024-05-01", "https://jobs.acme.com/1"],
            ["o2", "initech.com", "CFO", "", "", "https://www.linkedin.com/jobs/view/123/"],
        ],
    )
    made = run_import(database_url, companies)
    posted = run_import(database_url, openings)
    assert (made.kind, made.created, made.failed) == ("companies", 2, 1)
    assert (posted.kind, posted.created) == ("openings", 2)
    assert rows(database_url, "SELECT name, domain FROM companies ORDER BY name") == [
        {"name": "Acme Inc.", "domain": "acme.com"},
        {"name": "Globex", "domain": "globex.io"},
        {"name": "initech.com", "domain": "initech.com"},
    ]


def test_suppressed_rows_are_counted_and_never_imported(database_url: str, tmp_path: Path) -> None:
    execute(
        database_url,
        "INSERT INTO suppressions (kind, value, created_at) VALUES ('domain', 'acme1.com', :t)",
        t="2024-01-01 00:00:00",
    )
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(6))
    summary = run_import(database_url, path)
    assert (summary.rows, summary.created, summary.suppressed) == (6, 4, 2)
    assert count(database_url, "people") == 4


# Resuming -----------------------------------------------------------------------------------


class Interrupted(Exception):
    pass


def interrupt_after(batches: int) -> Progress:
    seen = []

    def on_progress(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == batches:
            raise Interrupted

    return on_progress


def test_an_interrupted_import_resumes_after_its_last_committed_batch(
    database_url: str, tmp_path: Path
) -> None:
    body = contacts(10)
    body[1][3] = "bad"  # row 3, in the first batch
    body[8][3] = "bad"  # row 10, in a later batch
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    with pytest.raises(Interrupted):
        run_import(database_url, path, batch_rows=4, on_progress=interrupt_after(1))
    saved = json.loads(checkpoint_path(path).read_text())
    assert (saved["row"], saved["counts"]) == (
        5,
        {
            "rows": 4,
            "created": 3,
            "merged": 0,
            "suppressed": 0,
            "failed": 1,
            "rows_with_fields_dropped": 0,
            "droppable": 0,
        },
    )
    assert saved["offset"] == len(b"".join(path.read_bytes().splitlines(keepends=True)[:5]))
    assert count(database_url, "people") == 3

    summary = run_import(database_url, path, batch_rows=4)
    assert summary.resumed_after_row == 5
    assert (summary.rows, summary.created, summary.merged, summary.failed) == (10, 8, 0, 2)
    assert count(database_url, "people") == 8
    assert [line["row"] for line in report(default_errors_path(path))] == ["3", "10"]
    assert not checkpoint_path(path).exists()


def test_a_checkpoint_for_a_changed_file_is_refused_until_discarded(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(6))
    with pytest.raises(Interrupted):
        run_import(database_url, path, batch_rows=2, on_progress=interrupt_after(1))
    write_csv(path, HUBSPOT, contacts(9))
    with pytest.raises(InvalidParameter) as raised:
        run_import(database_url, path, batch_rows=2)
    assert raised.value.param == "resume"
    assert raised.value.details == {
        "resume": "people.csv.leadbase-checkpoint: its size differs from this run's"
    }
    assert discard_checkpoint(path) is True
    summary = run_import(database_url, path, batch_rows=2)
    assert (summary.rows, summary.created, summary.merged, summary.resumed_after_row) == (
        9,
        7,
        2,
        None,
    )


def test_a_checkpoint_is_refused_by_an_import_into_another_database(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(6))
    with pytest.raises(Interrupted):
        run_import(database_url, path, batch_rows=2, on_progress=interrupt_after(1))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other)
    # Resuming there would skip the two rows it never received.
    with pytest.raises(InvalidParameter) as raised:
        run_import(other, path, batch_rows=2)
    assert raised.value.details == {
        "resume": "people.csv.leadbase-checkpoint: its database differs from this run's"
    }
    assert run_import(other, path, batch_rows=2, resume=False).created == 6
    assert run_import(database_url, path, batch_rows=2).resumed_after_row is None


def test_an_explicit_error_report_is_kept_even_when_empty(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(2))
    errors = tmp_path / "out" / "errors.csv"
    errors.parent.mkdir()
    summary = run_import(database_url, path, errors_path=errors)
    assert summary.errors_file == str(errors)
    assert errors.read_bytes() == b"row,outcome,column,error,value,raw\r\n"


def test_reading_ahead_in_a_second_process_imports_the_same_rows(
    database_url: str, tmp_path: Path
) -> None:
    body = contacts(9)
    body[4][3] = "bad"  # row 6
    path = write_csv(tmp_path / "people.csv", HUBSPOT, body)
    summary = run_import(database_url, path, batch_rows=4, read_ahead=True)
    assert (summary.rows, summary.created, summary.failed) == (9, 8, 1)
    assert [line["row"] for line in report(default_errors_path(path))] == ["6"]
    assert rows(database_url, "SELECT email FROM person_emails ORDER BY email")[0] == {
        "email": "person0@acme0.com"
    }
    assert count(database_url, "people") == 8


def test_without_resume_an_unfinished_import_starts_over(database_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(6))
    with pytest.raises(Interrupted):
        run_import(database_url, path, batch_rows=2, on_progress=interrupt_after(2))
    summary = run_import(database_url, path, batch_rows=2, resume=False)
    assert (summary.rows, summary.created, summary.merged, summary.resumed_after_row) == (
        6,
        2,
        4,
        None,
    )
    assert not checkpoint_path(path).exists()


def test_a_stop_request_ends_the_import_after_the_batch_being_written(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(10))

    with pytest.raises(ImportStopped) as raised:
        run_import(database_url, path, batch_rows=4, stop=stop_requested())
    assert raised.value.row == 5
    assert count(database_url, "people") == 4
    assert json.loads(checkpoint_path(path).read_text())["row"] == 5
    assert run_import(database_url, path, batch_rows=4).resumed_after_row == 5
    assert count(database_url, "people") == 10
