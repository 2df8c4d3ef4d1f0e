"""A small catalog for the enrichment tests, loaded through the catalog's own service
(the importer's path), so the stored keys are exactly what an import would store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from leadbase.server.catalog import records
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.records import CompanyRecord, PersonRecord
from leadbase.server.db import Database

COMPANIES: dict[str, dict[str, str]] = {
    "acme": {
        "name": "Acme Holdings, Inc.",
        "domain": "acme.com",
        "website": "https://www.acme.com",
        "linkedin_url": "https://www.linkedin.com/company/acme-holdings",
        "industry": "Software",
        "headcount": "120",
        "location": "London, England, United Kingdom",
        "founded": "1999",
        "description": "Anvils and rockets.",
    },
    "globex": {"name": "Globex Corporation", "domain": "globex.io"},
    # Two companies share the cleaned name "initech": a name alone can't pick one.
    "initech_us": {"name": "Initech LLC", "domain": "initech.com"},
    "initech_de": {"name": "Initech GmbH", "domain": "initech.de"},
}
PEOPLE: dict[str, dict[str, str]] = {
    "jane": {
        "first_name": "Jane",
        "last_name": "Doe",
        "title": "VP of Engineering",
        "email": "jane.doe@acme.com",
        "email_status": "valid",
        "mobile_phone": "+44 7400 123456",
        "linkedin_url": "https://www.linkedin.com/in/jane-doe",
        "company_name": "Acme Holdings, Inc.",
        "company_domain": "acme.com",
        "location": "London, England, United Kingdom",
    },
    "robert": {
        "first_name": "Robert",
        "last_name": "Smith",
        "title": "Sales Manager",
        "email": "rsmith@globex.io",
        "company_name": "Globex Corporation",
        "company_domain": "globex.io",
    },
    "peter": {
        "full_name": "Peter Gibbons",
        "title": "Software Engineer",
        "email": "peter@initech.com",
        "company_name": "Initech LLC",
        "company_domain": "initech.com",
    },
    # Suppressed right after loading: deleted, with its keys kept on the list.
    "sam": {
        "first_name": "Sam",
        "last_name": "Hidden",
        "email": "sam@acme.com",
        "linkedin_url": "https://www.linkedin.com/in/sam-hidden",
        "company_name": "Acme Holdings, Inc.",
        "company_domain": "acme.com",
    },
}


@dataclass(frozen=True)
class Catalog:
    companies: dict[str, str]
    people: dict[str, str]


def _person(values: dict[str, str]) -> PersonRecord:
    record = records.parse_person(values)
    assert isinstance(record, PersonRecord), record
    return record


def _company(values: dict[str, str]) -> CompanyRecord:
    record = records.parse_company(values)
    assert isinstance(record, CompanyRecord), record
    return record


async def load_catalog(database_url: str) -> Catalog:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            made = await catalog.upsert_companies(
                session, [_company(values) for values in COMPANIES.values()], source="test"
            )
            company_ids = {
                name: str(outcome.id) for name, outcome in zip(COMPANIES, made, strict=True)
            }
            people = await catalog.upsert_people(
                session, [_person(values) for values in PEOPLE.values()], source="test"
            )
            person_ids = {
                name: str(outcome.id) for name, outcome in zip(PEOPLE, people, strict=True)
            }
            assert {outcome.status for outcome in (*made, *people)} == {"created"}
            await catalog.suppress(session, email="sam@acme.com", reason="opt-out")
        return Catalog(companies=company_ids, people=person_ids)
    finally:
        await database.dispose()


def seed_catalog(database_url: str) -> Catalog:
    return asyncio.run(load_catalog(database_url))
