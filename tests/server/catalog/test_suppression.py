"""Suppression on both databases: the people a key identifies are deleted with everything
hanging off them, their identity keys are kept, and they never come back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import records
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.records import PersonRecord
from leadbase.server.catalog.suppression import SuppressedKey, SuppressionResult
from leadbase.server.catalog.upsert import name_at_company
from leadbase.server.db import Database
from leadbase.server.errors import AtLeastOneRequired, InvalidLinkedinUrl, InvalidParameter
from tests.server.credits.support import rows

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


def person(**values: str) -> PersonRecord:
    record = records.parse_person(values)
    assert isinstance(record, PersonRecord), record
    return record


def suppress(database_url: str, **keys: Any) -> SuppressionResult:
    return in_session(database_url, lambda session: catalog.suppress(session, **keys))


@pytest.fixture
def catalog_people(database_url: str) -> dict[str, str]:
    batch = [
        person(
            full_name="Jane Doe",
            email="jane@acme.com",
            personal_email="jane.doe@gmail.com",
            mobile_phone="+447400123456",
            linkedin_url="linkedin.com/in/jane-doe",
            company_name="Acme",
            company_domain="acme.com",
        ),
        person(full_name="Max Power", email="max@mail.acme.com", company_name="Globex"),
        person(full_name="Sam Lee", email="sam@globex.com", company_domain="acme.com"),
        person(full_name="Ann Other", email="ann@globex.com", company_name="Globex"),
    ]

    async def work(session: AsyncSession) -> dict[str, str]:
        outcomes = await catalog.upsert_people(session, batch, source="crm")
        return dict(zip(("jane", "max", "sam", "ann"), [str(o.id) for o in outcomes], strict=True))

    return in_session(database_url, work)


def company_of(database_url: str, person_id: str) -> str:
    found = rows(database_url, "SELECT company_id FROM people WHERE id = :id", id=person_id)
    return str(found[0]["company_id"])


def upsert(database_url: str, *records: Any) -> list[str]:
    outcomes = in_session(
        database_url, lambda session: catalog.upsert_people(session, list(records), source="new")
    )
    return [outcome.status for outcome in outcomes]


def names(database_url: str) -> list[str]:
    return [
        row["full_name"]
        for row in rows(database_url, "SELECT full_name FROM people ORDER BY full_name")
    ]


def test_suppressing_an_email_deletes_the_person_and_keeps_all_their_identity_keys(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    acme = company_of(database_url, catalog_people["jane"])
    result = suppress(database_url, email=" JANE@acme.com ", reason="opt-out by email")
    assert result == SuppressionResult(
        keys=[
            SuppressedKey(kind="email", value="jane@acme.com"),
            SuppressedKey(kind="email", value="jane.doe@gmail.com"),
            SuppressedKey(kind="linkedin", value="jane-doe"),
            SuppressedKey(kind="name_at_company", value=f"{acme}:jane doe"),
            SuppressedKey(kind="phone", value="+447400123456"),
        ],
        deleted_people=1,
    )
    assert names(database_url) == ["Ann Other", "Max Power", "Sam Lee"]
    # Emails, phones and provenance went with her.
    for table in ("person_emails", "person_phones", "person_sources"):
        assert rows(
            database_url,
            f"SELECT count(*) AS n FROM {table} WHERE person_id = :id",
            id=catalog_people["jane"],
        ) == [{"n": 0}]
    assert rows(
        database_url, "SELECT kind, value, reason FROM suppressions ORDER BY kind, value"
    ) == [
        {"kind": "email", "value": "jane.doe@gmail.com", "reason": "opt-out by email"},
        {"kind": "email", "value": "jane@acme.com", "reason": "opt-out by email"},
        {"kind": "linkedin", "value": "jane-doe", "reason": "opt-out by email"},
        {"kind": "name_at_company", "value": f"{acme}:jane doe", "reason": "opt-out by email"},
        {"kind": "phone", "value": "+447400123456", "reason": "opt-out by email"},
    ]


def test_a_suppressed_person_is_not_imported_again_by_another_of_their_keys(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    suppress(database_url, phone="+44 7400 123456")
    outcomes = in_session(
        database_url,
        lambda session: catalog.upsert_people(
            session,
            [
                person(full_name="Jane Doe", linkedin_url="https://www.linkedin.com/in/jane-doe/"),
                person(full_name="Jane Doe", email="jane.doe@gmail.com"),
                person(full_name="Jane Doe", mobile_phone="+447400123456"),
            ],
            source="other",
        ),
    )
    assert [outcome.status for outcome in outcomes] == ["suppressed"] * 3
    assert "Jane Doe" not in names(database_url)


def test_an_opted_out_person_named_with_no_key_at_their_company_is_not_imported_again(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    suppress(database_url, email="jane@acme.com")
    assert upsert(
        database_url,
        person(full_name="Jane Doe", company_name="Acme"),
        person(full_name="Jane Doe", company_domain="acme.com"),
        # Another Jane Doe elsewhere, and someone else at Acme, are not her.
        person(full_name="Jane Doe", company_name="Initech"),
        person(full_name="John Roe", company_name="Acme"),
    ) == ["suppressed", "suppressed", "created", "created"]


def test_a_phone_someone_else_has_too_is_not_suppressed_with_the_person(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    upsert(
        database_url,
        person(full_name="Ann Other", mobile_phone="+14155550132", email="ann@globex.com"),
    )
    upsert(
        database_url,
        person(full_name="Max Power", mobile_phone="+14155550132", email="max@mail.acme.com"),
    )
    result = suppress(database_url, email="ann@globex.com")
    assert SuppressedKey(kind="phone", value="+14155550132") not in result.keys
    assert upsert(database_url, person(full_name="Rita Moe", mobile_phone="+14155550132")) == [
        "created"
    ]


def test_a_person_whose_company_found_by_name_has_a_suppressed_domain_is_refused(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    suppress(database_url, domain="acme.com")
    # Acme (acme.com) is found by its name: the row gives no domain of its own.
    assert upsert(
        database_url, person(full_name="Gil Zed", mobile_phone="+447400999999", company_name="Acme")
    ) == ["suppressed"]
    # Refused before its company is resolved: the page it names is not added to Acme.
    assert upsert(
        database_url,
        person(
            full_name="Gil Zed",
            mobile_phone="+447400999999",
            company_name="Acme",
            company_linkedin_url="linkedin.com/company/acme-corp",
        ),
    ) == ["suppressed"]
    assert rows(database_url, "SELECT linkedin_slug FROM companies WHERE name = 'Acme'") == [
        {"linkedin_slug": None}
    ]


def test_suppressing_a_linkedin_profile_or_a_phone(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    assert (
        suppress(database_url, linkedin_url="https://uk.linkedin.com/in/Jane-Doe").deleted_people
        == 1
    )
    assert suppress(database_url, phone="+447400123456").deleted_people == 0
    assert names(database_url) == ["Ann Other", "Max Power", "Sam Lee"]


def test_suppressing_a_domain_deletes_its_addresses_and_its_company_people(
    database_url: str, catalog_people: dict[str, str]
) -> None:
    result = suppress(database_url, domain="https://www.acme.com")
    # Jane (jane@acme.com), Max (an acme.com subdomain), Sam (works at acme.com).
    assert result.deleted_people == 3
    assert result.keys[0] == SuppressedKey(kind="domain", value="acme.com")
    assert names(database_url) == ["Ann Other"]
    # The company itself stays: companies are not personal data.
    assert rows(database_url, "SELECT count(*) AS n FROM companies WHERE domain = 'acme.com'") == [
        {"n": 1}
    ]


def test_suppressing_twice_is_harmless(database_url: str, catalog_people: dict[str, str]) -> None:
    suppress(database_url, email="ann@globex.com")
    again = suppress(database_url, email="ann@globex.com", reason="second request")
    assert again == SuppressionResult(
        keys=[SuppressedKey(kind="email", value="ann@globex.com")], deleted_people=0
    )
    # The email, and Ann by name at Globex.
    assert rows(database_url, "SELECT kind FROM suppressions ORDER BY kind") == [
        {"kind": "email"},
        {"kind": "name_at_company"},
    ]


def test_a_key_nobody_has_is_still_suppressed_for_the_future(database_url: str) -> None:
    result = suppress(database_url, email="future@acme.com", domain="globex.com")
    assert result == SuppressionResult(
        keys=[
            SuppressedKey(kind="email", value="future@acme.com"),
            SuppressedKey(kind="domain", value="globex.com"),
        ],
        deleted_people=0,
    )


def test_unusable_keys_are_all_named() -> None:
    with pytest.raises(InvalidParameter) as raised:
        catalog.suppression_keys(email="nope", phone="12", domain="localhost")
    assert raised.value.details == {
        "email": "not a valid email address",
        "phone": "not a valid phone number in international format (+<country code> ...)",
        "domain": "not a domain name or website",
    }
    with pytest.raises(AtLeastOneRequired) as nothing:
        catalog.suppression_keys()
    assert nothing.value.details == {
        "email": "one of these is required",
        "linkedin_url": "one of these is required",
        "phone": "one of these is required",
        "domain": "one of these is required",
    }


def test_a_malformed_linkedin_url_is_invalid_linkedin_url() -> None:
    with pytest.raises(InvalidLinkedinUrl) as raised:
        catalog.suppression_keys(linkedin_url="https://www.linkedin.com/company/acme")
    assert raised.value.details == {"linkedin_url": "expected https://www.linkedin.com/in/<slug>"}


def test_a_malformed_linkedin_url_beside_another_bad_key_is_still_its_param() -> None:
    with pytest.raises(InvalidLinkedinUrl) as raised:
        catalog.suppression_keys(email="bad", linkedin_url="https://x.com/a")
    assert raised.value.param == "linkedin_url"
    assert set(raised.value.details or {}) == {"email", "linkedin_url"}


def test_a_name_at_company_key_fits_the_list_however_long_the_name() -> None:
    key = name_at_company("com_01HZZZZZZZZZZZZZZZZZZZZZZZ", "x" * 300)
    assert len(key) <= 320 and key.startswith("com_01HZZZZZZZZZZZZZZZZZZZZZZZ:xxx")
