"""The catalog's service functions: reads as response structs, upserts, suppression.

Other domains (enrichment, search, jobs) go through this module only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server import bulk_rows
from leadbase.server.catalog import match, records
from leadbase.server.catalog.columns import Kind
from leadbase.server.catalog.match import AmongQuery, among
from leadbase.server.catalog.merge import OnMatch
from leadbase.server.catalog.models import COMPANIES, EMAILS, OPENINGS, PEOPLE, PHONES
from leadbase.server.catalog.schemas import (
    LINKEDIN_COMPANY,
    LINKEDIN_JOB,
    LINKEDIN_PERSON,
    MAX_UPSERT_ROWS,
    CompanyOut,
    CompanyRowIn,
    CompanySummary,
    EmailOut,
    LocationOut,
    OpeningOut,
    OpeningRowIn,
    PersonOut,
    PersonRowIn,
    PhoneOut,
    UpsertResult,
    UpsertRowResult,
    UpsertSummary,
    linkedin_url,
)
from leadbase.server.catalog.suppression import (
    SuppressedKey,
    SuppressionResult,
    suppress,
    suppression_keys,
)
from leadbase.server.catalog.upsert import (
    UPSERTS,
    RowOutcome,
    chunks,
    upsert_companies,
    upsert_openings,
    upsert_people,
)
from leadbase.server.errors import InvalidParameter, NotFound

__all__ = [
    "CheckedRow",
    "RowOutcome",
    "SuppressedKey",
    "SuppressionResult",
    "check_rows",
    "get_company",
    "get_opening",
    "get_person",
    "load_companies",
    "load_openings",
    "load_people",
    "suppress",
    "suppression_keys",
    "upsert_companies",
    "upsert_openings",
    "upsert_people",
    "upsert_rows",
]


async def get_person(session: AsyncSession, *, person_id: str) -> PersonOut:
    people = await load_people(session, person_ids=[person_id])
    if person_id not in people:
        raise NotFound(f"No person {person_id}.", param="id")
    return people[person_id]


async def get_company(session: AsyncSession, *, company_id: str) -> CompanyOut:
    companies = await load_companies(session, company_ids=[company_id])
    if company_id not in companies:
        raise NotFound(f"No company {company_id}.", param="id")
    return companies[company_id]


async def get_opening(session: AsyncSession, *, opening_id: str) -> OpeningOut:
    openings = await load_openings(session, opening_ids=[opening_id])
    if opening_id not in openings:
        raise NotFound(f"No opening {opening_id}.", param="id")
    return openings[opening_id]


# A person's columns as PersonOut shows them, with its company's summary joined in: one
# query, not two, and no column the response leaves out (bulk calls load hundreds).
_PEOPLE_BY_ID = AmongQuery(
    lambda among: (
        sa.select(
            PEOPLE.c.id,
            PEOPLE.c.first_name,
            PEOPLE.c.last_name,
            PEOPLE.c.full_name,
            PEOPLE.c.title,
            PEOPLE.c.seniority,
            PEOPLE.c.department,
            PEOPLE.c.linkedin_slug,
            PEOPLE.c.city,
            PEOPLE.c.region,
            PEOPLE.c.country,
            PEOPLE.c.source,
            PEOPLE.c.synthetic,
            PEOPLE.c.updated_at,
            PEOPLE.c.verified_at,
            COMPANIES.c.id,
            COMPANIES.c.name,
            COMPANIES.c.domain,
            COMPANIES.c.linkedin_slug,
        )
        .select_from(PEOPLE.outerjoin(COMPANIES, COMPANIES.c.id == PEOPLE.c.company_id))
        .where(among(PEOPLE.c.id))
    )
)
_EMAILS_OF = AmongQuery(
    lambda among: (
        sa.select(EMAILS.c.person_id, EMAILS.c.email, EMAILS.c.status, EMAILS.c.kind)
        .where(among(EMAILS.c.person_id))
        .order_by(EMAILS.c.person_id, EMAILS.c.kind.desc(), EMAILS.c.email)
    )
)
_PHONES_OF = AmongQuery(
    lambda among: (
        sa.select(PHONES.c.person_id, PHONES.c.e164, PHONES.c.kind)
        .where(among(PHONES.c.person_id))
        .order_by(PHONES.c.person_id, PHONES.c.id)
    )
)


async def load_people(session: AsyncSession, *, person_ids: Iterable[str]) -> dict[str, PersonOut]:
    """The people with these ids (unknown ids are left out), in three queries."""
    rows: list[sa.Row[*tuple[Any, ...]]] = []
    for chunk in chunks(set(person_ids)):
        rows.extend(await _PEOPLE_BY_ID.execute(session, chunk))
    emails: dict[str, list[EmailOut]] = defaultdict(list)
    phones: dict[str, list[PhoneOut]] = defaultdict(list)
    for chunk in chunks([row[0] for row in rows]):
        for person_id, address, status, kind in await _EMAILS_OF.execute(session, chunk):
            emails[person_id].append(EmailOut(email=address, status=status, kind=kind))
        for person_id, e164, kind in await _PHONES_OF.execute(session, chunk):
            phones[person_id].append(PhoneOut(e164=e164, kind=kind))
    found: dict[str, PersonOut] = {}
    for (
        person_id,
        first_name,
        last_name,
        full_name,
        title,
        seniority,
        department,
        slug,
        city,
        region,
        country,
        source,
        synthetic,
        updated_at,
        verified_at,
        company_id,
        company_name,
        company_domain,
        company_slug,
    ) in rows:
        found[person_id] = PersonOut(
            id=person_id,
            first_name=first_name,
            last_name=last_name,
            full_name=full_name,
            title=title,
            seniority=seniority,
            department=department,
            company=None
            if company_id is None
            else CompanySummary(
                id=company_id,
                name=company_name,
                domain=company_domain,
                linkedin_url=linkedin_url(LINKEDIN_COMPANY, company_slug),
            ),
            emails=emails.get(person_id, []),
            phones=phones.get(person_id, []),
            linkedin_url=linkedin_url(LINKEDIN_PERSON, slug),
            location=LocationOut(city=city, region=region, country=country),
            source=source,
            synthetic=synthetic,
            updated_at=updated_at,
            verified_at=verified_at,
        )
    return found


async def load_companies(
    session: AsyncSession, *, company_ids: Iterable[str]
) -> dict[str, CompanyOut]:
    found: dict[str, CompanyOut] = {}
    for chunk in chunks(set(company_ids)):
        rows = await session.execute(
            sa.select(COMPANIES).where(among(session, COMPANIES.c.id, chunk))
        )
        for row in rows.mappings():
            found[row["id"]] = CompanyOut(
                id=row["id"],
                name=row["name"],
                domain=row["domain"],
                website=row["website"],
                linkedin_url=linkedin_url(LINKEDIN_COMPANY, row["linkedin_slug"]),
                industry=row["industry"],
                headcount_range=row["headcount_range"],
                location=_location(row),
                founded=row["founded"],
                description=row["description"],
                source=row["source"],
                synthetic=row["synthetic"],
                updated_at=row["updated_at"],
                verified_at=row["verified_at"],
            )
    return found


async def load_openings(
    session: AsyncSession, *, opening_ids: Iterable[str]
) -> dict[str, OpeningOut]:
    rows: list[sa.RowMapping] = []
    for chunk in chunks(set(opening_ids)):
        rows.extend(
            (
                await session.execute(
                    sa.select(OPENINGS).where(among(session, OPENINGS.c.id, chunk))
                )
            ).mappings()
        )
    summaries = await _company_summaries(session, {row["company_id"] for row in rows})
    return {
        row["id"]: OpeningOut(
            id=row["id"],
            company=summaries[row["company_id"]],
            title=row["title"],
            seniority=row["seniority"],
            department=row["department"],
            location=_location(row),
            posted_at=row["posted_at"],
            url=row["url"],
            linkedin_url=linkedin_url(LINKEDIN_JOB, row["linkedin_job_id"]),
            source=row["source"],
            synthetic=row["synthetic"],
            updated_at=row["updated_at"],
        )
        for row in rows
    }


_COMPANY_SUMMARIES = AmongQuery(
    lambda among: sa.select(
        COMPANIES.c.id, COMPANIES.c.name, COMPANIES.c.domain, COMPANIES.c.linkedin_slug
    ).where(among(COMPANIES.c.id))
)


async def _company_summaries(
    session: AsyncSession, company_ids: Iterable[str]
) -> dict[str, CompanySummary]:
    found: dict[str, CompanySummary] = {}
    for chunk in chunks(company_ids):
        for company_id, name, domain, slug in await _COMPANY_SUMMARIES.execute(session, chunk):
            found[company_id] = CompanySummary(
                id=company_id,
                name=name,
                domain=domain,
                linkedin_url=linkedin_url(LINKEDIN_COMPANY, slug),
            )
    return found


def _location(row: sa.RowMapping) -> LocationOut:
    return LocationOut(city=row["city"], region=row["region"], country=row["country"])


# Admin bulk upsert ----------------------------------------------------------------------

_ROW_SCHEMAS: dict[Kind, type[msgspec.Struct]] = {
    "people": PersonRowIn,
    "companies": CompanyRowIn,
    "openings": OpeningRowIn,
}


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """One upsert row after validation: its record, or why it can't be one."""

    row_ref: str
    record: records.Record | None
    errors: dict[str, str] | None = None
    # A person row whose only fault is that it has no name, but an email, LinkedIn URL or
    # phone: an update of the catalog person one of them finds, who lends it their name
    # (``named_from_catalog``). Its values, to parse again once named.
    nameless: dict[str, str] | None = None

    @property
    def code(self) -> str | None:
        """An invalid row's error code (``records.Errors``); None for a valid one."""
        if self.errors is None:
            return None
        return (
            self.errors.code if isinstance(self.errors, records.Errors) else InvalidParameter.code
        )


def check_rows(kind: Kind, rows: Sequence[Any]) -> list[CheckedRow]:
    """Validate every row before anything is written: the call as a whole
    (``bulk_rows``), then each row alone, an invalid one with all of its errors."""
    refs = bulk_rows.row_refs(rows, limit=MAX_UPSERT_ROWS)
    return [_check_row(kind, ref, row) for ref, row in zip(refs, rows, strict=True)]


def _check_row(kind: Kind, ref: str, row: dict[str, Any]) -> CheckedRow:
    typed = bulk_rows.typed_row(row, _ROW_SCHEMAS[kind])
    if isinstance(typed, dict):
        return CheckedRow(row_ref=ref, record=None, errors=typed)
    values: dict[str, str] = {}
    for name in typed.__struct_fields__:
        value = getattr(typed, name)
        if name != "row_ref" and value is not None and (text := str(value).strip()):
            values[name] = text
    parsed = records.PARSERS[kind](values)
    if not isinstance(parsed, dict):
        return CheckedRow(row_ref=ref, record=parsed)
    nameless = kind == "people" and parsed == {records.name_field(values): records.NAME_NEEDED}
    if nameless and any(records.person_keys(values)):
        return CheckedRow(row_ref=ref, record=None, errors=parsed, nameless=values)
    return CheckedRow(row_ref=ref, record=None, errors=parsed)


async def named_from_catalog(session: AsyncSession, rows: Sequence[CheckedRow]) -> list[CheckedRow]:
    """``rows`` with each nameless person row given the name of the catalog person its
    email, LinkedIn URL or phone finds (so a row may correct one field of a person it
    names by a key); still invalid when none does, as a new person needs a name."""
    pending = [(index, row) for index, row in enumerate(rows) if row.nameless is not None]
    if not pending:
        return list(rows)
    keys = [records.person_keys(row.nameless or {}) for _, row in pending]
    owners = await match.key_owners(
        session,
        emails={address for found in keys for address in found.emails},
        slugs={found.linkedin_slug for found in keys if found.linkedin_slug},
        phones={e164 for found in keys for e164 in found.phones},
    )
    owner_ids = [_owner(found, owners) for found in keys]
    names = await _names_of(session, {person_id for person_id in owner_ids if person_id})
    named = list(rows)
    for (index, row), person_id in zip(pending, owner_ids, strict=True):
        values = row.nameless or {}
        name = names.get(person_id) if person_id else None
        if name is None:
            field = records.name_field(values)
            errors = {
                field: f"{records.NAME_NEEDED}; no person in the catalog has this row's email,"
                " LinkedIn URL or phone to update"
            }
            named[index] = CheckedRow(row_ref=row.row_ref, record=None, errors=errors)
            continue
        parsed = records.parse_person({**values, **name})
        if isinstance(parsed, dict):
            named[index] = CheckedRow(row_ref=row.row_ref, record=None, errors=parsed)
        else:
            named[index] = CheckedRow(row_ref=row.row_ref, record=parsed)
    return named


def _owner(keys: records.PersonKeys, owners: match.KeyOwners) -> str | None:
    """The catalog person the first of ``keys`` that finds one finds (a shared phone
    finds nobody)."""
    for address in keys.emails:
        if address in owners.emails:
            return owners.emails[address]
    if keys.linkedin_slug and keys.linkedin_slug in owners.slugs:
        return owners.slugs[keys.linkedin_slug]
    for e164 in keys.phones:
        if holder := match.phone_holder(owners.phones.get(e164, {}), None):
            return holder
    return None


async def _names_of(
    session: AsyncSession, person_ids: Collection[str]
) -> dict[str, dict[str, str]]:
    """Each person's name as row values: full_name, and first_name and last_name if known."""
    found: dict[str, dict[str, str]] = {}
    for chunk in chunks(person_ids):
        rows = await session.execute(
            sa.select(
                PEOPLE.c.id, PEOPLE.c.first_name, PEOPLE.c.last_name, PEOPLE.c.full_name
            ).where(among(session, PEOPLE.c.id, chunk))
        )
        for person_id, first, last, full in rows:
            parts = {"first_name": first, "last_name": last, "full_name": full}
            found[person_id] = {name: value for name, value in parts.items() if value}
    return found


async def upsert_rows(
    session: AsyncSession,
    *,
    kind: Kind,
    rows: Sequence[CheckedRow],
    source: str,
    on_match: OnMatch = "fill",
) -> UpsertResult:
    """Write the valid rows in the caller's transaction; one result per row, in order."""
    rows = await named_from_catalog(session, rows)
    valid = [row.record for row in rows if row.record is not None]
    upsert = UPSERTS[kind]
    outcomes = iter(await upsert(session, valid, source=source, on_match=on_match) if valid else [])
    results: list[UpsertRowResult] = []
    for row in rows:
        if row.record is None:
            results.append(
                UpsertRowResult(
                    row_ref=row.row_ref, status="invalid", code=row.code, errors=row.errors
                )
            )
            continue
        outcome = next(outcomes)
        results.append(
            UpsertRowResult(
                row_ref=row.row_ref,
                status=outcome.status,
                id=outcome.id,
                matched_by=outcome.matched_by,
            )
        )
    counts = {"created": 0, "merged": 0, "suppressed": 0, "invalid": 0}
    for result in results:
        counts[result.status] += 1
    return UpsertResult(summary=UpsertSummary(total=len(results), **counts), results=results)
