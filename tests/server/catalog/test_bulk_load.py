"""Bulk loads on both databases: an import into an empty table builds its indexes at its
end and resolves entities across batches in memory, with the same result as a row-by-row
import; however it ends, and whoever runs next, the indexes are built."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from litestar.testing import TestClient

from leadbase.server.app import create_app
from leadbase.server.catalog import bulk
from leadbase.server.catalog.columns import Kind
from leadbase.server.catalog.importer import ImportStopped
from leadbase.server.catalog.write_behind import write_behind
from leadbase.server.catalog.writes import Write
from leadbase.server.config import Settings
from leadbase.server.db import Database
from tests.server.catalog.test_importer import (
    HUBSPOT,
    Interrupted,
    contacts,
    count,
    interrupt_after,
    run_import,
    stop_requested,
    write_csv,
)
from tests.server.credits.support import rows
from tests.server.search.support import found_ids, integrity_checked

# Later rows are earlier people again, each batch of two apart, one way of matching each.
ACROSS_BATCHES = [
    [
        "hs-1",
        "Ada",
        "Lovelace",
        "ada@analytical.com",
        "",
        "Engineer",
        "Analytical",
        "analytical.com",
    ],
    ["hs-2", "Grace", "Hopper", "grace@navy.mil", "+1 202 555 0143", "Admiral", "Navy", "navy.mil"],
    ["hs-3", "Ada", "Lovelace", "ada@analytical.com", "", "", "", ""],
    ["hs-1", "Ada", "Lovelace", "", "", "Chief Engineer", "Analytical", "analytical.com"],
    ["hs-5", "Grace", "Hoper", "", "", "", "Navy", "navy.mil"],
    [
        "hs-6",
        "Alan",
        "Turing",
        "alan@bletchley.uk",
        "",
        "Cryptanalyst",
        "Bletchley",
        "bletchley.uk",
    ],
    ["hs-7", "Alan", "Turing", "alan@bletchley.uk", "", "", "", ""],
]


def schema_objects(database_url: str) -> list[tuple[str, str]]:
    """Every index and trigger, as (name, definition)."""
    if database_url.startswith("sqlite"):
        sql = (
            "SELECT name, coalesce(sql, '') AS definition FROM sqlite_master"
            " WHERE type IN ('index', 'trigger') ORDER BY name"
        )
    else:
        sql = (
            "SELECT indexname AS name, indexdef AS definition FROM pg_indexes"
            " WHERE schemaname = current_schema() ORDER BY indexname"
        )
    return [(row["name"], row["definition"]) for row in rows(database_url, sql)]


def deferred(database_url: str) -> int:
    return count(database_url, "catalog_deferred")


def defer(database_url: str, kind: Kind) -> None:
    """What a load that died half way leaves: its indexes dropped, their statements kept."""

    async def run() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                await bulk.defer(await session.connection(), kind)
        finally:
            await database.dispose()

    asyncio.run(run())


@pytest.mark.parametrize(
    ("bulk_load", "behind"),
    [(True, False), (True, True), (False, False)],
    ids=["bulk", "bulk_written_behind", "row_by_row"],
)
def test_people_of_earlier_batches_are_matched_the_same_with_or_without_a_bulk_load(
    database_url: str, tmp_path: Path, bulk_load: bool, behind: bool
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, ACROSS_BATCHES)
    schema = schema_objects(database_url)
    summary = run_import(database_url, path, batch_rows=2, bulk=bulk_load, write_behind=behind)
    assert summary.bulk is bulk_load
    assert (summary.bulk and summary.indexing_seconds > 0) or summary.indexing_seconds == 0
    assert (summary.rows, summary.created, summary.merged) == (7, 3, 4)
    assert rows(
        database_url,
        "SELECT s.source_record_id, s.matched_by, p.full_name, p.title FROM person_sources AS s"
        " JOIN people AS p ON p.id = s.person_id ORDER BY s.id",
    ) == [
        {"source_record_id": id_, "matched_by": how, "full_name": name, "title": title}
        for id_, how, name, title in [
            ("hs-1", "created", "Ada Lovelace", "Engineer"),
            ("hs-2", "created", "Grace Hopper", "Admiral"),
            ("hs-3", "email", "Ada Lovelace", "Engineer"),
            ("hs-5", "name_company", "Grace Hopper", "Admiral"),
            ("hs-6", "created", "Alan Turing", "Cryptanalyst"),
            ("hs-7", "email", "Alan Turing", "Cryptanalyst"),
        ]
    ]
    # The fourth row came back by its record id (no new provenance line).
    assert count(database_url, "person_emails") == 3
    assert schema_objects(database_url) == schema and deferred(database_url) == 0
    found = asyncio.run(found_ids(database_url, "people", {"keywords": "cryptanalyst"}))
    assert len(found) == 1
    assert len(asyncio.run(found_ids(database_url, "people", {"keywords": "navy"}))) == 1
    integrity_checked(database_url)


@pytest.mark.parametrize("bulk_load", [True, False], ids=["bulk", "row_by_row"])
def test_an_overwriting_import_leaves_each_person_as_their_last_rows_say(
    database_url: str, tmp_path: Path, bulk_load: bool
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, ACROSS_BATCHES)
    summary = run_import(database_url, path, batch_rows=2, bulk=bulk_load, on_match="overwrite")
    assert (summary.on_match, summary.created, summary.merged) == ("overwrite", 3, 4)
    # Ada's new title came two batches after her; blank cells erased nothing; "Grace Hoper",
    # found by name, did not rename Grace.
    assert rows(database_url, "SELECT full_name, title FROM people ORDER BY full_name") == [
        {"full_name": "Ada Lovelace", "title": "Chief Engineer"},
        {"full_name": "Alan Turing", "title": "Cryptanalyst"},
        {"full_name": "Grace Hopper", "title": "Admiral"},
    ]
    assert len(asyncio.run(found_ids(database_url, "people", {"keywords": "chief"}))) == 1
    integrity_checked(database_url)


# Ada moves to Babbage a batch after she was created, then rows name her by name alone:
# at her new company (she), and at the one she left (someone else now).
MOVES = [
    [
        "hs-1",
        "Ada",
        "Lovelace",
        "ada@analytical.com",
        "",
        "Engineer",
        "Analytical",
        "analytical.com",
    ],
    ["hs-2", "Grace", "Hopper", "grace@navy.mil", "", "Admiral", "Navy", "navy.mil"],
    ["hs-3", "Ada", "Lovelace", "ada@analytical.com", "", "CTO", "Babbage", "babbage.com"],
    ["hs-4", "Alan", "Turing", "alan@bletchley.uk", "", "", "Bletchley", "bletchley.uk"],
    ["hs-5", "Ada", "Lovelace", "", "", "", "Babbage", "babbage.com"],
    ["hs-6", "Ada", "Lovelace", "", "", "", "Analytical", "analytical.com"],
]


@pytest.mark.parametrize(
    ("bulk_load", "batch_rows"),
    [(True, 2), (True, 6), (False, 1), (False, 2), (False, 6)],
    ids=["bulk_by_2", "bulk_whole", "rows_by_1", "rows_by_2", "rows_whole"],
)
def test_an_overwrite_that_moves_someone_gives_one_result_whatever_the_batches(
    database_url: str, tmp_path: Path, bulk_load: bool, batch_rows: int
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, MOVES)
    run_import(database_url, path, batch_rows=batch_rows, bulk=bulk_load, on_match="overwrite")
    assert rows(
        database_url,
        "SELECT s.source_record_id, s.matched_by, p.title, c.name AS company"
        " FROM person_sources AS s JOIN people AS p ON p.id = s.person_id"
        " JOIN companies AS c ON c.id = p.company_id"
        " WHERE p.full_name = 'Ada Lovelace' ORDER BY s.source_record_id",
    ) == [
        {"source_record_id": "hs-1", "matched_by": "created", "title": "CTO", "company": "Babbage"},
        {"source_record_id": "hs-3", "matched_by": "email", "title": "CTO", "company": "Babbage"},
        {
            "source_record_id": "hs-5",
            "matched_by": "name_company",
            "title": "CTO",
            "company": "Babbage",
        },
        {
            "source_record_id": "hs-6",
            "matched_by": "created",
            "title": None,
            "company": "Analytical",
        },
    ]


@pytest.mark.parametrize(
    ("bulk_load", "batch_rows"),
    [(True, 1), (False, 1), (False, 3)],
    ids=["bulk_by_1", "rows_by_1", "rows_whole"],
)
def test_a_company_renamed_by_an_overwrite_is_no_longer_found_by_its_old_name(
    database_url: str, tmp_path: Path, bulk_load: bool, batch_rows: int
) -> None:
    path = write_csv(
        tmp_path / "companies.csv",
        ["Name", "Domain"],
        [["Foo", "foo.com"], ["Bar", "foo.com"], ["Foo", ""]],
    )
    run_import(database_url, path, batch_rows=batch_rows, bulk=bulk_load, on_match="overwrite")
    assert rows(database_url, "SELECT name, domain FROM companies ORDER BY name") == [
        {"name": "Bar", "domain": "foo.com"},
        {"name": "Foo", "domain": None},
    ]


def test_an_import_into_a_table_that_holds_rows_is_not_a_bulk_load(
    database_url: str, tmp_path: Path
) -> None:
    first = run_import(database_url, write_csv(tmp_path / "a.csv", HUBSPOT, contacts(3)))
    second = run_import(database_url, write_csv(tmp_path / "b.csv", HUBSPOT, contacts(3, start=3)))
    assert (first.bulk, second.bulk) == (True, False)
    assert second.indexing_seconds == 0
    assert len(asyncio.run(found_ids(database_url, "people", {"keywords": "first4"}))) == 1
    integrity_checked(database_url)


def test_a_bulk_load_that_fails_half_way_keeps_its_rows_indexed(
    database_url: str, tmp_path: Path
) -> None:
    schema = schema_objects(database_url)
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(6))
    with pytest.raises(Interrupted):
        run_import(database_url, path, batch_rows=2, on_progress=interrupt_after(2))
    assert count(database_url, "people") == 4
    assert schema_objects(database_url) == schema and deferred(database_url) == 0
    assert len(asyncio.run(found_ids(database_url, "people", {"keywords": "first3"}))) == 1
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "first4"})) == []
    integrity_checked(database_url)
    # The rerun resumes into a table that now holds rows: row by row.
    resumed = run_import(database_url, path, batch_rows=2)
    assert (resumed.resumed_after_row, resumed.bulk, resumed.created) == (5, False, 6)
    assert len(asyncio.run(found_ids(database_url, "people", {"keywords": "first4"}))) == 1


def test_a_load_that_died_is_finished_by_the_next_import(database_url: str, tmp_path: Path) -> None:
    schema = schema_objects(database_url)
    defer(database_url, "people")
    dropped = {name for name, _ in schema} - {name for name, _ in schema_objects(database_url)}
    assert "ix_people_company_staff" in dropped and "ix_person_phones_e164" in dropped
    assert not any(name.startswith(("pk_", "uq_", "sqlite_autoindex")) for name in dropped)
    if database_url.startswith("sqlite"):
        assert {"search_people_insert", "search_people_company_after_update"} <= dropped
    companies = write_csv(tmp_path / "companies.csv", ["Name", "Domain"], [["Acme", "acme.com"]])
    assert run_import(database_url, companies).bulk is True
    assert schema_objects(database_url) == schema and deferred(database_url) == 0


def finish_pending(database_url: str) -> None:
    async def run() -> None:
        database = Database(database_url)
        try:
            await bulk.finish_pending(database)
        finally:
            await database.dispose()

    asyncio.run(run())


def unfinished(database_url: str) -> bool:
    async def run() -> bool:
        database = Database(database_url)
        try:
            return await bulk.unfinished(database)
        finally:
            await database.dispose()

    return asyncio.run(run())


def test_a_load_that_died_is_known_to_be_unfinished_until_it_is_finished(
    database_url: str,
) -> None:
    assert unfinished(database_url) is False
    defer(database_url, "people")
    assert unfinished(database_url) is True
    finish_pending(database_url)
    assert unfinished(database_url) is False


def test_the_server_finishes_a_load_that_died_as_it_starts(settings: Settings) -> None:
    schema = schema_objects(settings.database_url)
    defer(settings.database_url, "openings")
    assert deferred(settings.database_url) > 0
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
    assert schema_objects(settings.database_url) == schema
    assert deferred(settings.database_url) == 0


def test_companies_and_openings_written_behind_match_across_batches(
    database_url: str, tmp_path: Path
) -> None:
    companies = write_csv(
        tmp_path / "companies.csv",
        ["Name", "Domain", "Industry"],
        [
            ["Acme Inc.", "acme.com", ""],
            ["Globex", "globex.com", "Energy"],
            ["ACME", "acme.com", "Manufacturing"],  # merged by domain, a batch later
            ["Initech LLC", "", "Software"],
            ["Initech", "initech.com", ""],  # merged by name, two batches later
        ],
    )
    done = run_import(database_url, companies, batch_rows=2, write_behind=True)
    assert (done.bulk, done.created, done.merged) == (True, 3, 2)
    assert rows(database_url, "SELECT name, domain, industry FROM companies ORDER BY id") == [
        {"name": "Acme Inc.", "domain": "acme.com", "industry": "Manufacturing"},
        {"name": "Globex", "domain": "globex.com", "industry": "Energy"},
        {"name": "Initech LLC", "domain": "initech.com", "industry": "Software"},
    ]
    openings = write_csv(
        tmp_path / "openings.csv",
        ["Title", "Company Domain", "Company", "URL", "Posted At"],
        [
            ["Welder", "acme.com", "", "https://jobs.acme.com/1", "2026-11-01"],
            ["Chemist", "umbrella.com", "Umbrella", "https://umbrella.com/jobs/7", ""],
            ["Welder", "acme.com", "", "https://jobs.acme.com/1", ""],  # the same URL
            ["Biologist", "umbrella.com", "Umbrella", "", ""],  # a company made by row 2
        ],
    )
    done = run_import(database_url, openings, batch_rows=2, write_behind=True)
    assert (done.bulk, done.created, done.merged) == (True, 3, 1)
    assert count(database_url, "companies") == 4
    assert len(asyncio.run(found_ids(database_url, "openings", {"keywords": "welder"}))) == 1
    assert len(asyncio.run(found_ids(database_url, "companies", {"keywords": "initech"}))) == 1
    integrity_checked(database_url)


def test_a_bulk_load_written_behind_stops_after_the_batch_being_written(
    database_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HUBSPOT, contacts(10))

    with pytest.raises(ImportStopped) as raised:
        run_import(database_url, path, batch_rows=4, write_behind=True, stop=stop_requested())
    assert raised.value.row == 5
    assert count(database_url, "people") == 4 and deferred(database_url) == 0
    resumed = run_import(database_url, path, batch_rows=4)
    assert (resumed.resumed_after_row, resumed.rows, resumed.created) == (5, 10, 10)


def test_a_write_that_fails_in_the_writing_process_is_raised_and_rolled_back(
    database_url: str,
) -> None:
    async def run() -> None:
        database = Database(database_url)
        try:
            async with write_behind(database_url) as writer:
                writer.submit(
                    [
                        Write(
                            "INSERT INTO catalog_deferred (table_name, object_name, statement)"
                            f" VALUES ({_marks(database_url)})",
                            [("t", "o", "s")],
                        ),
                        Write("INSERT INTO no_such_table VALUES (1)", [()]),
                    ]
                )
                with pytest.raises(RuntimeError, match="no_such_table"):
                    await writer.settled()
        finally:
            await database.dispose()

    asyncio.run(run())
    assert deferred(database_url) == 0


def _marks(database_url: str) -> str:
    return ", ".join(["?" if database_url.startswith("sqlite") else "%s"] * 3)
