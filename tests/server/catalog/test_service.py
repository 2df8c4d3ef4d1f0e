"""The catalog service on both databases: records read back as response structs, and the
admin upsert's validation and per-row results."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import records
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.records import CompanyRecord, OpeningRecord, PersonRecord
from leadbase.server.catalog.schemas import (
    CompanyOut,
    CompanySummary,
    EmailOut,
    LocationOut,
    OpeningOut,
    PersonOut,
    PhoneOut,
    UpsertRowResult,
    UpsertSummary,
)
from leadbase.server.db import Database
from leadbase.server.errors import InvalidParameter, NotFound
from leadbase.server.nul import NO_NUL

T = TypeVar("T")


def in_session(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def parsed(parse: Callable[[dict[str, str]], Any], **values: str) -> Any:
    record = parse(values)
    assert not isinstance(record, dict), record
    return record


@pytest.fixture
def stored(database_url: str) -> dict[str, str]:
    """One company, a person working there and one of its openings."""

    async def work(session: AsyncSession) -> dict[str, str]:
        company: CompanyRecord = parsed(
            records.parse_company,
            name="Acme Holdings, Inc.",
            website="https://www.acme.com",
            linkedin_url="https://www.linkedin.com/company/acme",
            industry="Software",
            headcount="120",
            location="London, England, United Kingdom",
            founded="1999",
            description="Anvils.",
        )
        person: PersonRecord = parsed(
            records.parse_person,
            first_name="Jane",
            last_name="Doe",
            title="VP of Engineering",
            email="jane@acme.com",
            email_status="valid",
            personal_email="jane.doe@gmail.com",
            mobile_phone="+44 7400 123456",
            work_phone="+44 20 7946 0958",
            linkedin_url="https://www.linkedin.com/in/jane-doe",
            company_name="Acme Holdings, Inc.",
            company_domain="acme.com",
            city="London",
            country="GB",
        )
        opening: OpeningRecord = parsed(
            records.parse_opening,
            title="Senior Engineer",
            company_domain="acme.com",
            url="https://www.linkedin.com/jobs/view/3791234567/",
            location="Berlin, Germany",
            posted_at="2024-05-01T09:30:00Z",
        )
        (made,) = await catalog.upsert_companies(session, [company], source="crm")
        (jane,) = await catalog.upsert_people(session, [person], source="crm")
        (job,) = await catalog.upsert_openings(session, [opening], source="jobs")
        return {"company": str(made.id), "person": str(jane.id), "opening": str(job.id)}

    return in_session(database_url, work)


def test_a_person_reads_back_with_company_emails_phones_and_linkedin_url(
    database_url: str, stored: dict[str, str]
) -> None:
    jane = in_session(
        database_url, lambda session: catalog.get_person(session, person_id=stored["person"])
    )
    assert isinstance(jane.updated_at, dt.datetime) and jane.updated_at.tzinfo == dt.UTC
    assert jane == PersonOut(
        id=stored["person"],
        first_name="Jane",
        last_name="Doe",
        full_name="Jane Doe",
        title="VP of Engineering",
        seniority="vp",
        department="engineering",
        company=CompanySummary(
            id=stored["company"],
            name="Acme Holdings, Inc.",
            domain="acme.com",
            linkedin_url="https://www.linkedin.com/company/acme",
        ),
        emails=[
            EmailOut(email="jane@acme.com", status="valid", kind="work"),
            EmailOut(email="jane.doe@gmail.com", status="unknown", kind="personal"),
        ],
        phones=[
            PhoneOut(e164="+447400123456", kind="mobile"),
            PhoneOut(e164="+442079460958", kind="direct"),
        ],
        linkedin_url="https://www.linkedin.com/in/jane-doe",
        location=LocationOut(city="London", region=None, country="GB"),
        source="crm",
        synthetic=False,
        updated_at=jane.updated_at,
        verified_at=None,
    )


def test_a_company_reads_back_whole(database_url: str, stored: dict[str, str]) -> None:
    acme = in_session(
        database_url, lambda session: catalog.get_company(session, company_id=stored["company"])
    )
    assert acme == CompanyOut(
        id=stored["company"],
        name="Acme Holdings, Inc.",
        domain="acme.com",
        website="https://www.acme.com",
        linkedin_url="https://www.linkedin.com/company/acme",
        industry="Software",
        headcount_range="51-200",
        location=LocationOut(city="London", region="England", country="GB"),
        founded=1999,
        description="Anvils.",
        source="crm",
        synthetic=False,
        updated_at=acme.updated_at,
        verified_at=None,
    )


def test_an_opening_reads_back_with_its_company(database_url: str, stored: dict[str, str]) -> None:
    job = in_session(
        database_url, lambda session: catalog.get_opening(session, opening_id=stored["opening"])
    )
    assert job == OpeningOut(
        id=stored["opening"],
        company=CompanySummary(
            id=stored["company"],
            name="Acme Holdings, Inc.",
            domain="acme.com",
            linkedin_url="https://www.linkedin.com/company/acme",
        ),
        title="Senior Engineer",
        seniority="senior",
        department="engineering",
        location=LocationOut(city="Berlin", region=None, country="DE"),
        posted_at=dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC),
        url="https://www.linkedin.com/jobs/view/3791234567/",
        linkedin_url="https://www.linkedin.com/jobs/view/3791234567",
        source="jobs",
        synthetic=False,
        updated_at=job.updated_at,
    )


@pytest.mark.parametrize(
    ("read", "param"),
    [
        (lambda session: catalog.get_person(session, person_id="per_nope"), "id"),
        (lambda session: catalog.get_company(session, company_id="com_nope"), "id"),
        (lambda session: catalog.get_opening(session, opening_id="opn_nope"), "id"),
    ],
)
def test_an_unknown_id_is_not_found(
    database_url: str, read: Callable[[AsyncSession], Awaitable[Any]], param: str
) -> None:
    with pytest.raises(NotFound) as raised:
        in_session(database_url, read)
    assert raised.value.param == param


def test_loading_many_leaves_unknown_ids_out(database_url: str, stored: dict[str, str]) -> None:
    found = in_session(
        database_url,
        lambda session: catalog.load_people(session, person_ids=[stored["person"], "per_nope"]),
    )
    assert list(found) == [stored["person"]]


# Admin upsert rows --------------------------------------------------------------------------


def test_rows_are_checked_one_by_one_with_all_their_errors() -> None:
    checked = catalog.check_rows(
        "people",
        [
            {"row_ref": "a", "full_name": "Jane Doe", "email": "jane@acme.com"},
            {"row_ref": "b", "full_name": "Max", "email": "nope", "phone": "12"},
            {"row_ref": "c", "full_name": 7, "surname": "x"},
            {"row_ref": "d", "first_name": "  ", "email": "max@globex.com"},
        ],
    )
    assert [(row.row_ref, row.record is not None) for row in checked] == [
        ("a", True),
        ("b", False),
        ("c", False),
        ("d", False),
    ]
    assert checked[1].errors == {
        "email": "not a valid email address",
        "phone": "not a valid phone number (use +<country code> or give the country)",
    }
    assert checked[2].errors == {
        "surname": "unknown field",
        "full_name": "expected a string or null, got an integer",
    }
    assert checked[3].errors == {
        "first_name": "a person needs a name (first and last name, or a full name)"
    }


def test_row_refs_are_checked_for_the_whole_call() -> None:
    with pytest.raises(InvalidParameter) as raised:
        catalog.check_rows("companies", [{"row_ref": "a", "name": "Acme"}, {"name": "Globex"}])
    assert raised.value.details == {
        "rows[1].row_ref": "required: a string of 1 to 200 characters, unique in the call"
    }


def test_a_row_holding_nul_is_invalid_alone_with_its_other_errors() -> None:
    checked = catalog.check_rows(
        "companies",
        [
            {"row_ref": "ok", "name": "Acme", "domain": "acme.com"},
            {"row_ref": "nul", "name": "Glo\x00bex", "domain": "globex.com"},
            {"row_ref": "both", "name": "Initech\x00", "founded": [1999]},
        ],
    )
    assert checked[0].record is not None and checked[0].errors is None
    assert (checked[1].record, checked[1].errors) == (None, {"name": NO_NUL})
    assert checked[2].record is None and checked[2].errors is not None
    assert set(checked[2].errors) == {"name", "founded"}


def test_upsert_rows_answers_every_row_in_order_with_a_summary(database_url: str) -> None:
    checked = catalog.check_rows(
        "people",
        [
            {"row_ref": "new", "full_name": "Jane Doe", "email": "jane@acme.com"},
            {"row_ref": "bad", "full_name": "Max", "email": "nope"},
            {"row_ref": "dup", "full_name": "Jane Doe", "email": "JANE@acme.com", "title": "CTO"},
        ],
    )
    result = in_session(
        database_url,
        lambda session: catalog.upsert_rows(session, kind="people", rows=checked, source="api"),
    )
    jane_id = result.results[0].id
    assert jane_id is not None and jane_id.startswith("per_")
    assert result.results == [
        UpsertRowResult(row_ref="new", status="created", id=jane_id),
        UpsertRowResult(
            row_ref="bad",
            status="invalid",
            code="invalid_parameter",
            errors={"email": "not a valid email address"},
        ),
        UpsertRowResult(row_ref="dup", status="merged", id=jane_id, matched_by="email"),
    ]
    assert result.summary == UpsertSummary(total=3, created=1, merged=1, suppressed=0, invalid=1)


def test_upsert_rows_with_only_invalid_rows_writes_nothing(database_url: str) -> None:
    checked = catalog.check_rows("openings", [{"row_ref": "x", "title": "CFO"}])
    result = in_session(
        database_url,
        lambda session: catalog.upsert_rows(session, kind="openings", rows=checked, source="api"),
    )
    assert result.summary == UpsertSummary(total=1, created=0, merged=0, suppressed=0, invalid=1)
    assert result.results[0].errors == {
        "company_domain": "an opening needs its company's domain or name"
    }
