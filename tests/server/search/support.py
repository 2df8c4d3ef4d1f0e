"""A small catalog for the search tests, written with plain SQLAlchemy Core inserts (the
importer's path is tested elsewhere), and helpers that run searches through the service.

Ids sort in insertion order, so the keyset order of a search (the rowid on SQLite, the
id on PostgreSQL) is the order rows are listed here on both backends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import msgspec
import sqlalchemy as sa

from leadbase.server import db
from leadbase.server.catalog.models import COMPANIES, EMAILS, OPENINGS, PEOPLE, PHONES
from leadbase.server.db import Database
from leadbase.server.search import service as search
from leadbase.server.search.filters import Kind
from leadbase.server.search.schemas import CompanyFilters, OpeningFilters, PeopleFilters

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
FILTERS: dict[Kind, type[PeopleFilters | CompanyFilters | OpeningFilters]] = {
    "people": PeopleFilters,
    "companies": CompanyFilters,
    "openings": OpeningFilters,
}


def company(key: str, name: str, **values: Any) -> dict[str, Any]:
    return {
        "id": f"co_{key}",
        "name": name,
        "name_key": name.lower(),
        "domain": None,
        "website": None,
        "linkedin_slug": None,
        "industry": None,
        "headcount_range": None,
        "headcount_min": None,
        "headcount_max": None,
        "city": None,
        "region": None,
        "country": None,
        "founded": None,
        "description": None,
        "source": "test",
        "synthetic": False,
        "created_at": NOW,
        "updated_at": NOW,
        "verified_at": None,
        **values,
    }


def person(key: str, full_name: str, **values: Any) -> dict[str, Any]:
    first, _, last = full_name.partition(" ")
    return {
        "id": f"pe_{key}",
        "first_name": first,
        "last_name": last or None,
        "full_name": full_name,
        "name_key": full_name.lower(),
        "title": None,
        "seniority": None,
        "department": None,
        "company_id": None,
        "linkedin_slug": None,
        "city": None,
        "region": None,
        "country": None,
        "source": "test",
        "synthetic": False,
        "created_at": NOW,
        "updated_at": NOW,
        "verified_at": None,
        **values,
    }


def opening(key: str, title: str, company_id: str, **values: Any) -> dict[str, Any]:
    return {
        "id": f"op_{key}",
        "company_id": company_id,
        "title": title,
        "seniority": None,
        "department": None,
        "city": None,
        "region": None,
        "country": None,
        "posted_at": None,
        "url": None,
        "linkedin_job_id": None,
        "source": "test",
        "synthetic": False,
        "created_at": NOW,
        "updated_at": NOW,
        **values,
    }


SMALL_COMPANIES = [
    company(
        "01acme",
        "Acme Robotics GmbH",
        domain="acme-robotics.de",
        industry="Software",
        headcount_range="51-200",
        country="DE",
        region="Berlin",
        city="Berlin",
        founded=2010,
        description="Industrial robots and warehouse automation",
        linkedin_slug="acme-robotics",
    ),
    company(
        "02globex",
        "Globex Corporation",
        domain="globex.com",
        industry="Financial Services",
        headcount_range="1001-5000",
        country="US",
        region="California",
        city="San Francisco",
        founded=1990,
        description="Payments and banking software",
    ),
    company(
        "03initech",
        "Initech",
        domain="initech.com",
        industry="Software",
        headcount_range="11-50",
        country="US",
        region="Texas",
        city="Austin",
        founded=2018,
        description="Enterprise data platform",
    ),
    company(
        "04muller",
        "Müller Bäckerei",
        domain="mueller-baeckerei.de",
        industry="Food & Beverages",
        headcount_range="1-10",
        country="DE",
        region="Bayern",
        city="München",
        founded=1950,
        description="Bäckerei und Konditorei",
    ),
]
ACME, GLOBEX, INITECH, MULLER = (row["id"] for row in SMALL_COMPANIES)
SMALL_PEOPLE = [
    person(
        "01jose",
        "José Müller",
        title="VP of Sales",
        seniority="vp",
        department="sales",
        company_id=ACME,
        country="DE",
        region="Berlin",
        city="Berlin",
        linkedin_slug="jose-muller",
        updated_at=NOW - dt.timedelta(days=2),
    ),
    person(
        "02ana",
        "Ana García",
        title="Senior Data Engineer",
        seniority="senior",
        department="data",
        company_id=GLOBEX,
        country="US",
        region="California",
        city="San Francisco",
        updated_at=NOW - dt.timedelta(days=40),
    ),
    person(
        "03bob",
        "Bob Smith",
        title="Software Engineer",
        seniority="entry",
        department="engineering",
        company_id=INITECH,
        country="US",
        region="Texas",
        city="Austin",
        updated_at=NOW - dt.timedelta(days=400),
    ),
    person(
        "04chloe",
        "Chloé Dubois",
        title="Head of Marketing",
        seniority="head",
        department="marketing",
        country="FR",
        region="Île-de-France",
        city="Paris",
    ),
    person(
        "05wei",
        "Wei Chen",
        title="Chief Technology Officer",
        seniority="c_suite",
        department="engineering",
        company_id=GLOBEX,
        country="US",
        region="New York",
        city="New York",
    ),
    person(
        "06priya",
        "Priya Patel",
        title="Marketing Intern",
        seniority="intern",
        department="marketing",
        company_id=INITECH,
        country="IN",
        region="Karnataka",
        city="Bangalore",
    ),
    person(
        "07hans",
        "Hans Becker",
        title="Bäckermeister",
        seniority=None,
        department=None,
        company_id=MULLER,
        country="DE",
        region="Bayern",
        city="München",
    ),
    person("08nobody", "Sam Nobody", title=None),
]
JOSE, ANA, BOB, CHLOE, WEI, PRIYA, HANS, SAM = (row["id"] for row in SMALL_PEOPLE)
SMALL_EMAILS = [
    {"email": "jose@acme-robotics.de", "person_id": JOSE, "status": "valid", "kind": "work"},
    {"email": "ana@globex.com", "person_id": ANA, "status": "invalid", "kind": "work"},
    {"email": "wei@globex.com", "person_id": WEI, "status": "valid", "kind": "work"},
    {"email": "priya@gmail.com", "person_id": PRIYA, "status": "risky", "kind": "personal"},
]
SMALL_PHONES = [
    {"person_id": JOSE, "e164": "+4915112345678", "kind": "mobile"},
    {"person_id": BOB, "e164": "+15125550100", "kind": "work"},
]
SMALL_OPENINGS = [
    opening(
        "01robotics",
        "Robotics Software Engineer",
        ACME,
        seniority="senior",
        department="engineering",
        country="DE",
        region="Berlin",
        city="Berlin",
        posted_at=NOW - dt.timedelta(days=3),
    ),
    opening(
        "02sales",
        "Account Executive",
        GLOBEX,
        seniority="entry",
        department="sales",
        country="US",
        region="California",
        city="San Francisco",
        posted_at=NOW - dt.timedelta(days=30),
    ),
    opening(
        "03data",
        "Data Engineering Manager",
        INITECH,
        seniority="manager",
        department="data",
        country="US",
        region="Texas",
        city="Austin",
        posted_at=NOW - dt.timedelta(days=1),
    ),
    opening("04baker", "Bäcker (m/w/d)", MULLER, country="DE", city="München"),
]


@contextmanager
def engine_for(database_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(db.sync_url(database_url))
    if engine.dialect.name == "sqlite":
        # As the server's engine does: cascades and SET NULL are foreign-key actions.
        sa.event.listen(engine, "connect", _foreign_keys_on)
    try:
        yield engine
    finally:
        engine.dispose()


def _foreign_keys_on(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def seed(
    database_url: str,
    *,
    companies: Sequence[dict[str, Any]] = SMALL_COMPANIES,
    people: Sequence[dict[str, Any]] = SMALL_PEOPLE,
    emails: Sequence[dict[str, Any]] = SMALL_EMAILS,
    phones: Sequence[dict[str, Any]] = SMALL_PHONES,
    openings: Sequence[dict[str, Any]] = SMALL_OPENINGS,
) -> None:
    with engine_for(database_url) as engine, engine.begin() as connection:
        for table, rows in (
            (COMPANIES, companies),
            (PEOPLE, people),
            (EMAILS, emails),
            (PHONES, phones),
            (OPENINGS, openings),
        ):
            if rows:
                connection.execute(sa.insert(table), list(rows))


def execute(database_url: str, statement: sa.Executable) -> None:
    with engine_for(database_url) as engine, engine.begin() as connection:
        connection.execute(statement)


def filters_of(
    kind: Kind, filters: dict[str, Any]
) -> PeopleFilters | CompanyFilters | OpeningFilters:
    return msgspec.convert(filters, FILTERS[kind])


async def found_ids(
    database_url: str, kind: Kind, filters: dict[str, Any], *, limit: int = 2500
) -> list[str]:
    """The ids one page of a database search returns, in order."""
    query = search.prepare(
        kind,
        mode="database",
        filters=filters_of(kind, filters),
        limit=limit,
        cursor=None,
        entitlements=frozenset(),
    )
    database = Database(database_url)
    try:
        async with database.transaction(write=False) as session:
            if kind == "people":
                return [
                    item.id for item in (await search.search_people(session, query=query)).items
                ]
            if kind == "companies":
                page = await search.search_companies(session, query=query)
                return [item.id for item in page.items]
            openings = await search.search_openings(session, query=query)
            return [item.id for item in openings.items]
    finally:
        await database.dispose()


async def counted(database_url: str, kind: Kind, filters: dict[str, Any]) -> int:
    query = search.prepare_count(kind, mode="database", filters=filters_of(kind, filters))
    database = Database(database_url)
    try:
        async with database.transaction(write=False) as session:
            return await search.count(session, query=query)
    finally:
        await database.dispose()


async def walk(database_url: str, filters: dict[str, Any], *, limit: int) -> list[list[str]]:
    """Every page of a people search, following next_cursor until has_more is false."""
    pages: list[list[str]] = []
    cursor: str | None = None
    database = Database(database_url)
    try:
        while True:
            query = search.prepare(
                "people",
                mode="database",
                filters=filters_of("people", filters),
                limit=limit,
                cursor=cursor,
                entitlements=frozenset(),
            )
            async with database.transaction(write=False) as session:
                page = await search.search_people(session, query=query)
            pages.append([item.id for item in page.items])
            assert page.has_more == (page.next_cursor is not None)
            if not page.has_more:
                return pages
            cursor = page.next_cursor
    finally:
        await database.dispose()


def integrity_checked(database_url: str) -> None:
    """FTS5 compares each index with its content view; PostgreSQL recomputes documents."""
    with engine_for(database_url) as engine, engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for table in ("people", "companies", "openings"):
                connection.execute(
                    sa.text(
                        f"INSERT INTO search_{table}(search_{table}, rank) VALUES ('integrity-check', 1)"
                    )
                )
            return
        stale = connection.execute(
            sa.text(
                "SELECT count(*) FROM people AS p LEFT JOIN companies AS c ON c.id = p.company_id"
                " WHERE p.search_document IS DISTINCT FROM search_people_vector(p.full_name,"
                " p.title, p.seniority, p.department, p.country, p.region, p.city, c.name,"
                " c.industry, c.headcount_range)"
            )
        ).scalar_one()
        stale += connection.execute(
            sa.text(
                "SELECT count(*) FROM openings AS o LEFT JOIN companies AS c ON c.id = o.company_id"
                " WHERE o.search_document IS DISTINCT FROM search_openings_vector(o.title, c.name,"
                " o.seniority, o.department, o.country, o.region, o.city)"
            )
        ).scalar_one()
        checked = "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM openings)"
        assert connection.execute(sa.text(checked)).scalar_one() > 0
        assert stale == 0
