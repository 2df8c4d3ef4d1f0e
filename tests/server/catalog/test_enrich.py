"""Enrichment's validation and service: every identifier normalized, every problem named,
bulk rows checked one by one, and a whole batch matched in a bounded number of queries."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import enrich
from leadbase.server.catalog.enrich import (
    BulkCompaniesEnrichment,
    BulkPeopleEnrichment,
    BulkSummary,
    CompanyIdentifiers,
    CompanyKey,
    PersonIdentifiers,
    RawBulk,
)
from leadbase.server.catalog.match import PersonQuery
from leadbase.server.catalog.normalize import PersonName
from leadbase.server.db import Database
from leadbase.server.errors import (
    AtLeastOneRequired,
    ExactlyOneRequired,
    InvalidLinkedinUrl,
    InvalidParameter,
    LeadbaseError,
    NoMatch,
    NotEntitled,
    UpstreamUnavailable,
)
from leadbase.server.nul import NO_NUL
from tests.server.catalog.enrich_support import seed_catalog

JANE = PersonName(first="Jane", last="Doe", full="Jane Doe", key="jane doe")


def raises(error_type: type[LeadbaseError], call: Any, *args: Any) -> LeadbaseError:
    with pytest.raises(error_type) as caught:
        call(*args)
    assert type(caught.value) is error_type
    return caught.value


# People: identifiers ----------------------------------------------------------------------


def test_every_person_identifier_is_normalized_into_the_query() -> None:
    query = enrich.person_query(
        PersonIdentifiers(
            email="  Jane.Doe@Example.COM ",
            linkedin_url="https://de.linkedin.com/in/Jane-Doe/?trk=feed",
            phone="+44 7400 123456",
            full_name="Dr. Jane Doe PhD",
            company_domain="https://www.example.co.uk/about",
            company_name="Example Holdings, Inc.",
        )
    )
    assert query == PersonQuery(
        email="jane.doe@example.com",
        linkedin_slug="jane-doe",
        phone="+447400123456",
        name=PersonName(first="Jane", last="Doe", full="Dr. Jane Doe PhD", key="jane doe"),
        company_domain="example.co.uk",
        company_name_key="example holdings",
    )


@pytest.mark.parametrize(
    ("identifiers", "expected"),
    [
        (PersonIdentifiers(email="jane@example.com"), PersonQuery(email="jane@example.com")),
        (
            PersonIdentifiers(linkedin_url="urn:li:fsd_profile:ACoAAB12"),
            PersonQuery(linkedin_slug="ACoAAB12"),
        ),
        (PersonIdentifiers(phone="+1 650-253-0000"), PersonQuery(phone="+16502530000")),
        (
            PersonIdentifiers(first_name="Jane", last_name="Doe", company_domain="example.com"),
            PersonQuery(name=JANE, company_domain="example.com"),
        ),
        (
            PersonIdentifiers(full_name="Jane Doe", company_name="Example GmbH"),
            PersonQuery(name=JANE, company_name_key="example"),
        ),
    ],
    ids=["email", "linkedin", "phone", "first-last-domain", "full-name-company"],
)
def test_any_one_identifier_of_api_md_is_enough(
    identifiers: PersonIdentifiers, expected: PersonQuery
) -> None:
    assert enrich.person_query(identifiers) == expected


def test_blank_strings_count_as_not_given() -> None:
    query = enrich.person_query(
        PersonIdentifiers(email="jane@example.com", phone="", linkedin_url="  ", full_name="")
    )
    assert query == PersonQuery(email="jane@example.com")


def test_an_incomplete_name_next_to_an_exact_key_is_left_out_of_the_query() -> None:
    query = enrich.person_query(
        PersonIdentifiers(email="jane@example.com", first_name="Jane", company_name="Example")
    )
    assert query == PersonQuery(email="jane@example.com", company_name_key="example")


def test_every_invalid_identifier_is_named_at_once() -> None:
    error = raises(
        InvalidParameter,
        enrich.person_query,
        PersonIdentifiers(
            email="not-an-email",
            phone="12",
            company_domain="localhost",
            company_name="!!!",
            full_name="???",
        ),
    )
    assert error.param == "email"
    assert error.details == {
        "email": "not a valid email address",
        "phone": "not a valid phone number in international format (+<country code> ...)",
        "company_domain": "not a domain name or website",
        "company_name": "has no letters or digits to match on",
        "full_name": "has no letters to match on",
    }


def test_a_company_page_is_not_a_person_linkedin_url() -> None:
    error = raises(
        InvalidLinkedinUrl,
        enrich.person_query,
        PersonIdentifiers(linkedin_url="https://www.linkedin.com/company/acme"),
    )
    assert error.param == "linkedin_url"
    assert error.details == {"linkedin_url": "expected https://www.linkedin.com/in/<slug>"}


def test_an_invalid_linkedin_url_reports_the_other_invalid_fields_too() -> None:
    error = raises(
        InvalidLinkedinUrl,
        enrich.person_query,
        PersonIdentifiers(email="nope", linkedin_url="https://example.com/in/jane"),
    )
    assert error.details == {
        "email": "not a valid email address",
        "linkedin_url": "expected https://www.linkedin.com/in/<slug>",
    }
    # The message leads with the field the code is about.
    assert error.message == (
        "linkedin_url: expected https://www.linkedin.com/in/<slug>; also invalid: email"
    )


def test_no_identifier_at_all_is_at_least_one_required() -> None:
    error = raises(AtLeastOneRequired, enrich.person_query, PersonIdentifiers())
    assert error.param is None
    assert error.details == {
        "email": "an email address of the person",
        "linkedin_url": "the person's LinkedIn profile URL",
        "phone": "a phone number in international format",
        "full_name": "or first_name and last_name, with company_domain or company_name",
    }


def test_a_name_without_a_company_names_the_missing_company() -> None:
    error = raises(AtLeastOneRequired, enrich.person_query, PersonIdentifiers(full_name="Jane Doe"))
    assert error.param == "company_domain"
    assert error.details == {
        "company_domain": "or company_name: the company to match the name at",
        "company_name": "or company_domain: the company to match the name at",
    }
    assert "company_domain or company_name" in error.message


def test_a_company_without_a_name_names_the_missing_name() -> None:
    error = raises(
        AtLeastOneRequired, enrich.person_query, PersonIdentifiers(company_domain="example.com")
    )
    assert error.details == {
        "full_name": "or first_name and last_name: the name to match at the company"
    }


@pytest.mark.parametrize(
    ("identifiers", "missing", "gap"),
    [
        (PersonIdentifiers(first_name="Jane", company_name="Example"), "last_name", "is missing"),
        (PersonIdentifiers(last_name="Doe", company_name="Example"), "first_name", "is missing"),
        (
            PersonIdentifiers(full_name="Madonna", company_name="Example"),
            "full_name",
            "needs a first and a last name",
        ),
    ],
)
def test_half_a_name_names_the_other_half(
    identifiers: PersonIdentifiers, missing: str, gap: str
) -> None:
    error = raises(AtLeastOneRequired, enrich.person_query, identifiers)
    assert error.param == missing
    assert list(error.details or {}) == [missing]
    assert error.message == f"A name matches only with a company: {missing} {gap}."


def test_half_a_name_and_no_company_names_both_gaps() -> None:
    error = raises(AtLeastOneRequired, enrich.person_query, PersonIdentifiers(first_name="Pete"))
    assert error.message == (
        "A name matches only with a company: last_name is missing and the company is missing"
        " (company_domain or company_name)."
    )
    assert list(error.details or {}) == ["last_name", "company_domain", "company_name"]


def test_a_bad_linkedin_url_is_the_param_of_its_own_code() -> None:
    error = raises(
        InvalidLinkedinUrl,
        enrich.person_query,
        PersonIdentifiers(email="bad", linkedin_url="https://x.com/a"),
    )
    assert error.param == "linkedin_url"
    assert set(error.details or {}) == {"email", "linkedin_url"}


# Companies: exactly one identifier --------------------------------------------------------


@pytest.mark.parametrize(
    ("identifiers", "key"),
    [
        (CompanyIdentifiers(company_id="com_1"), CompanyKey(by="company_id", value="com_1")),
        (
            CompanyIdentifiers(domain="https://www.Example.co.uk/x"),
            CompanyKey("domain", "example.co.uk"),
        ),
        (CompanyIdentifiers(company_name="Example, Inc."), CompanyKey("name", "example")),
        (
            CompanyIdentifiers(company_link="https://uk.linkedin.com/company/Example-Ltd/"),
            CompanyKey("linkedin", "example-ltd"),
        ),
        (CompanyIdentifiers(company_link="urn:li:company:1234"), CompanyKey("linkedin", "1234")),
        (
            CompanyIdentifiers(company_link="https://example.com/about"),
            CompanyKey("domain", "example.com"),
        ),
    ],
    ids=["id", "domain", "name", "linkedin-link", "urn-link", "website-link"],
)
def test_each_company_identifier_becomes_one_key(
    identifiers: CompanyIdentifiers, key: CompanyKey
) -> None:
    assert enrich.company_key(identifiers) == key


def test_no_company_identifier_names_all_four() -> None:
    error = raises(ExactlyOneRequired, enrich.company_key, CompanyIdentifiers(domain="  "))
    assert error.param is None
    assert error.details == {
        "company_id": "one of these is required",
        "company_link": "one of these is required",
        "company_name": "one of these is required",
        "domain": "one of these is required",
    }


def test_two_company_identifiers_name_each_given_field() -> None:
    error = raises(
        ExactlyOneRequired,
        enrich.company_key,
        CompanyIdentifiers(company_name="Example", domain="example.com"),
    )
    choice = "send only one of company_id, company_link, company_name, domain"
    assert error.param == "company_name"
    assert error.details == {"company_name": choice, "domain": choice}


def test_a_profile_url_is_not_a_company_link() -> None:
    error = raises(
        InvalidLinkedinUrl,
        enrich.company_key,
        CompanyIdentifiers(company_link="https://www.linkedin.com/in/jane-doe"),
    )
    assert error.param == "company_link"
    assert error.details == {"company_link": "expected https://www.linkedin.com/company/<slug>"}


@pytest.mark.parametrize(
    ("identifiers", "field", "problem"),
    [
        (
            CompanyIdentifiers(company_link="not a url"),
            "company_link",
            "not a LinkedIn company URL or a website",
        ),
        (CompanyIdentifiers(domain="127.0.0.1"), "domain", "not a domain name or website"),
        (
            CompanyIdentifiers(company_name="..."),
            "company_name",
            "has no letters or digits to match on",
        ),
    ],
)
def test_an_unusable_company_identifier_is_invalid(
    identifiers: CompanyIdentifiers, field: str, problem: str
) -> None:
    error = raises(InvalidParameter, enrich.company_key, identifiers)
    assert (error.param, error.details) == (field, {field: problem})


# Modes ----------------------------------------------------------------------------------------


def test_realtime_needs_the_realtime_entitlement() -> None:
    error = raises(
        NotEntitled, lambda: enrich.check_mode("realtime", entitlements=frozenset({"bulk"}))
    )
    assert (error.param, error.details) == ("mode", {"entitlement": "realtime"})
    # Entitled, it is refused for want of a live source, still before anything is reserved.
    raises(
        UpstreamUnavailable,
        lambda: enrich.check_mode("realtime", entitlements=frozenset({"realtime"})),
    )
    enrich.check_mode("database", entitlements=frozenset())


# Bulk rows ------------------------------------------------------------------------------------


def bulk(rows: list[dict[str, Any]]) -> RawBulk:
    return RawBulk(rows=rows)


def test_a_bad_row_is_invalid_alone_with_every_problem_named() -> None:
    rows = enrich.people_rows(
        bulk(
            [
                {"row_ref": "ok", "email": "jane@example.com"},
                {"row_ref": "types", "email": 5, "nickname": "JD", "phone": ["+1"]},
                {"row_ref": "values", "email": "nope", "linkedin_url": "https://x.com/in/a"},
                {"row_ref": "nothing"},
                {"row_ref": "name-only", "full_name": "Jane Doe"},
                {"row_ref": "nul", "email": "jane@example.com", "company_name": "G\x00"},
                {"row_ref": "nul-and-bad", "email": "nope\x00", "nickname": "JD"},
            ]
        )
    )
    assert [row.row_ref for row in rows] == [
        "ok",
        "types",
        "values",
        "nothing",
        "name-only",
        "nul",
        "nul-and-bad",
    ]
    assert rows[0].query == PersonQuery(email="jane@example.com")
    assert rows[0].errors is None
    assert all(row.query is None for row in rows[1:])
    assert rows[1].errors == {
        "nickname": "unknown field",
        "email": "expected a string or null, got an integer",
        "phone": "expected a string or null, got an array",
    }
    assert rows[2].errors == {
        "email": "not a valid email address",
        "linkedin_url": "expected https://www.linkedin.com/in/<slug>",
    }
    assert rows[3].errors is not None
    assert set(rows[3].errors) == {"email", "linkedin_url", "phone", "full_name"}
    assert rows[4].errors is not None
    assert set(rows[4].errors) == {"company_domain", "company_name"}
    # A NUL character makes its row invalid, not the call; with the row's other errors.
    assert rows[5].errors == {"company_name": NO_NUL}
    assert rows[6].errors == {"nickname": "unknown field", "email": NO_NUL}
    assert enrich.valid_count(rows) == 1


def test_company_rows_need_exactly_one_identifier_each() -> None:
    rows = enrich.company_rows(
        bulk(
            [
                {"row_ref": "1", "domain": "example.com"},
                {"row_ref": "2", "domain": "example.com", "company_name": "Example"},
                {"row_ref": "3"},
                {"row_ref": "4", "company_link": "https://www.linkedin.com/in/jane"},
            ]
        )
    )
    assert rows[0].query == CompanyKey("domain", "example.com")
    assert rows[1].errors == {
        "company_name": "send only one of company_id, company_link, company_name, domain",
        "domain": "send only one of company_id, company_link, company_name, domain",
    }
    assert rows[2].errors is not None and len(rows[2].errors) == 4
    assert rows[3].errors == {"company_link": "expected https://www.linkedin.com/company/<slug>"}


# The service against a catalog ------------------------------------------------------------


async def _enrich_counting_statements(
    database_url: str, people: list[dict[str, Any]], companies: list[dict[str, Any]]
) -> tuple[BulkPeopleEnrichment, BulkCompaniesEnrichment, list[str]]:
    database = Database(database_url)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]).split(None, 1)[0].upper())

    sa.event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with database.transaction(write=False) as session:
            found_people = await enrich.enrich_people(
                session, rows=enrich.people_rows(bulk(people))
            )
            found_companies = await enrich.enrich_companies(
                session, rows=enrich.company_rows(bulk(companies))
            )
    finally:
        await database.dispose()
    return found_people, found_companies, [s for s in statements if s == "SELECT"]


def test_500_rows_are_matched_with_a_handful_of_set_based_queries(database_url: str) -> None:
    seeded = seed_catalog(database_url)
    kinds: list[dict[str, Any]] = [
        {"email": "jane.doe@acme.com"},
        {"linkedin_url": "https://www.linkedin.com/in/jane-doe"},
        {"phone": "+447400123456"},
        {"full_name": "Bob Smith", "company_domain": "globex.io"},
        {"full_name": "Peter Gibbons", "company_name": "Initech"},
        {"email": "stranger@nowhere.com"},
        {"email": "invalid"},
    ]
    people = [{"row_ref": str(index), **kinds[index % len(kinds)]} for index in range(500)]
    company_kinds: list[dict[str, Any]] = [
        {"domain": "acme.com"},
        {"company_link": "https://www.linkedin.com/company/acme-holdings"},
        {"company_id": seeded.companies["globex"]},
        {"company_name": "Globex"},
        {"company_name": "Initech"},
    ]
    companies = [
        {"row_ref": str(index), **company_kinds[index % len(company_kinds)]} for index in range(500)
    ]
    found_people, found_companies, selects = asyncio.run(
        _enrich_counting_statements(database_url, people, companies)
    )
    # People: emails, slugs, phones, companies by domain and by name, their staff, then
    # four reads of the matched records; companies: one per kind of key, then the records.
    # The same 15 for 5 rows or 500.
    assert len(selects) <= 10 + 5, selects
    expected = [seeded.people[name] for name in ("jane", "jane", "jane", "robert", "peter")]
    for index, result in enumerate(found_people.results):
        kind = index % len(kinds)
        assert result.row_ref == str(index)
        if kind < 5:
            assert result.status == "matched"
            assert result.person is not None and result.person.id == expected[kind]
        else:
            assert result.status == ("no_match" if kind == 5 else "invalid")
    assert found_people.summary == BulkSummary(
        total=500, matched=358, no_match=71, failed=71, billed=3
    )
    assert found_companies.summary == BulkSummary(
        total=500, matched=400, no_match=100, failed=0, billed=2
    )
    assert [r.status for r in found_companies.results[:5]] == [
        "matched",
        "matched",
        "matched",
        "matched",
        "no_match",
    ]


def test_a_single_enrichment_without_a_match_raises_no_match(database_url: str) -> None:
    seed_catalog(database_url)

    async def enrich_stranger() -> None:
        database = Database(database_url)
        try:
            async with database.transaction(write=False) as session:
                await enrich.enrich_person(session, query=PersonQuery(email="who@acme.com"))
        finally:
            await database.dispose()

    with pytest.raises(NoMatch):
        asyncio.run(enrich_stranger())


def test_realtime_raises_upstream_unavailable_before_any_query() -> None:
    async def realtime() -> None:
        await enrich.enrich_companies(cast(AsyncSession, None), rows=[], mode="realtime")

    with pytest.raises(UpstreamUnavailable):
        asyncio.run(realtime())
