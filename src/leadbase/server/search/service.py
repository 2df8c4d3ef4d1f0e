"""Search over the catalog: one page of results, a count, a masked preview.

prepare (limit, mode, filters, cursor; every refusal before anything is reserved) ->
select (one statement: the full-text index for keywords, titles and exact filters, SQL
conditions for the rest, keyset order) -> load (the catalog's response structs).

The keyset order is the catalog's own: the rowid on SQLite, which FTS5 reads in order,
so a page stops reading after ``limit`` matches; the id on PostgreSQL. A cursor is bound
to one query (kind, mode, filters): any other query answers 400 invalid_cursor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.models import (
    COMPANIES,
    EMAILS,
    OPENINGS,
    PEOPLE,
    PHONES,
)
from leadbase.server.catalog.schemas import CompanyOut, OpeningOut, PersonOut
from leadbase.server.errors import InvalidCursor, InvalidParameter
from leadbase.server.pagination import check_limit, decode_cursor, encode_cursor
from leadbase.server.search.filters import (
    CITY,
    COUNTRY,
    DEPARTMENT,
    HEADCOUNT,
    INDUSTRY,
    NAME,
    REGION,
    SENIORITY,
    TEXT,
    TITLE,
    Criteria,
    Kind,
    check_mode,
    criteria,
)
from leadbase.server.search.fulltext import UNIVERSAL_TOKEN, Layout, fts5_query, tsquery
from leadbase.server.search.schemas import (
    MAX_LIMIT,
    MAX_PREVIEW_LIMIT,
    CompanyFilters,
    Filters,
    Mode,
    OpeningFilters,
    PeopleFilters,
    PersonPreview,
    moment,
)

T = TypeVar("T")


_ROW_FACETS = dict.fromkeys(
    (UNIVERSAL_TOKEN, SENIORITY, DEPARTMENT, COUNTRY, REGION, CITY), "facets"
)

# Where each kind's fields live in its index (migration 0004).
LAYOUTS: dict[Kind, Layout] = {
    "people": Layout(
        columns={TEXT: ("full_name", "title", "company_name"), TITLE: ("title",)},
        facet_columns={**_ROW_FACETS, INDUSTRY: "company_facets", HEADCOUNT: "company_facets"},
        weights={TEXT: "", TITLE: "B"},
    ),
    "companies": Layout(
        columns={TEXT: ("name", "description"), NAME: ("name",)},
        facet_columns={**_ROW_FACETS, INDUSTRY: "facets", HEADCOUNT: "facets"},
        weights={TEXT: "", NAME: "A"},
    ),
    "openings": Layout(
        columns={TEXT: ("title", "company_name"), TITLE: ("title",)},
        facet_columns=_ROW_FACETS,
        weights={TEXT: "", TITLE: "A"},
    ),
}
_TABLES: dict[Kind, sa.Table] = {"people": PEOPLE, "companies": COMPANIES, "openings": OPENINGS}


@dataclass(frozen=True, slots=True)
class Query:
    """A validated search: what to match, how many, after which position."""

    kind: Kind
    filters: Filters
    criteria: Criteria
    limit: int
    # The cursor's binding: kind, mode and filters.
    listing: str
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None
    has_more: bool = False

    def meta(self) -> dict[str, Any]:
        return {"next_cursor": self.next_cursor, "has_more": self.has_more}


@dataclass(slots=True)
class _Statement:
    """The FROM and WHERE of a search, and its keyset position column."""

    source: sa.FromClause
    position: sa.ColumnElement[Any]
    where: list[sa.ColumnElement[bool]] = field(default_factory=list)


# Prepare ---------------------------------------------------------------------------------


def prepare(
    kind: Kind,
    *,
    mode: Mode,
    filters: Filters,
    limit: int,
    cursor: str | None,
    entitlements: frozenset[str],
) -> Query:
    """Check everything a search can be refused for, in the order the client fixes it."""
    check_limit(limit, maximum=MAX_LIMIT)
    check_mode(kind, mode, filters, entitlements=entitlements)
    listing = _listing(kind, mode, filters)
    after = decode_cursor(listing, cursor)
    return Query(kind, filters, criteria(kind, filters), limit, listing, after)


def prepare_count(kind: Kind, *, mode: Mode, filters: Filters) -> Query:
    if mode != "database":
        raise InvalidParameter(
            "Counts are only available in database mode: live sources give no exact count.",
            param="mode",
            details={"mode": "must be database"},
        )
    return Query(kind, filters, criteria(kind, filters), 0, _listing(kind, mode, filters))


def prepare_preview(filters: PeopleFilters, *, limit: int) -> Query:
    check_limit(limit, maximum=MAX_PREVIEW_LIMIT)
    return Query("people", filters, criteria("people", filters), limit, "preview")


def _listing(kind: Kind, mode: Mode, filters: Filters) -> str:
    digest = hashlib.sha256(msgspec.json.encode([kind, mode, filters])).hexdigest()
    return f"search.{kind}:{digest[:24]}"


# Run ------------------------------------------------------------------------------------


# A record deleted between the two statements (PostgreSQL reads committed data per
# statement) is left out, and so not billed.


async def search_people(session: AsyncSession, *, query: Query) -> Page[PersonOut]:
    ids, page = await _page(session, query)
    found = await catalog.load_people(session, person_ids=ids)
    return Page([found[i] for i in ids if i in found], page.next_cursor, page.has_more)


async def search_companies(session: AsyncSession, *, query: Query) -> Page[CompanyOut]:
    ids, page = await _page(session, query)
    found = await catalog.load_companies(session, company_ids=ids)
    return Page([found[i] for i in ids if i in found], page.next_cursor, page.has_more)


async def search_openings(session: AsyncSession, *, query: Query) -> Page[OpeningOut]:
    ids, page = await _page(session, query)
    found = await catalog.load_openings(session, opening_ids=ids)
    return Page([found[i] for i in ids if i in found], page.next_cursor, page.has_more)


async def preview_people(session: AsyncSession, *, query: Query) -> Page[PersonPreview]:
    """The first page of a people search, masked; there is no next page."""
    ids, page = await _page(session, query)
    found = await catalog.load_people(session, person_ids=ids)
    return Page([_masked(found[i]) for i in ids if i in found], None, page.has_more)


async def count(session: AsyncSession, *, query: Query) -> int:
    """How many records match, counted in the index where it can be, never loaded."""
    statement = _statement(session, query)
    selected = sa.select(sa.func.count()).select_from(statement.source).where(*statement.where)
    return int((await session.execute(selected)).scalar_one())


async def _page(session: AsyncSession, query: Query) -> tuple[list[str], Page[None]]:
    statement = _statement(session, query, paged=True)
    table = _TABLES[query.kind]
    where = list(statement.where)
    if query.after is not None:
        where.append(statement.position > _position_value(session, query.after))
    selected = (
        sa.select(statement.position, table.c.id)
        .select_from(statement.source)
        .where(*where)
        .order_by(statement.position)
        .limit(query.limit + 1)
    )
    rows = (await session.execute(selected)).all()
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = encode_cursor(query.listing, str(rows[-1][0])) if has_more else None
    return [row[1] for row in rows], Page([], next_cursor, has_more)


def _position_value(session: AsyncSession, after: str) -> int | str:
    """The position a cursor holds: a rowid on SQLite, an id on PostgreSQL."""
    if _is_sqlite(session):
        if after.isascii() and after.isdigit() and len(after) <= 18:
            return int(after)
    elif len(after) <= 40 and "\x00" not in after:
        return after
    raise InvalidCursor(
        "cursor is not a cursor of this listing; pass meta.next_cursor unchanged.",
        param="cursor",
        details={"cursor": "malformed or from another listing"},
    )


# Statements -----------------------------------------------------------------------------


def _statement(session: AsyncSession, query: Query, *, paged: bool = False) -> _Statement:
    table = _TABLES[query.kind]
    conditions = _conditions(query.filters, query.criteria)
    match = query.criteria.match
    if _is_sqlite(session):
        rowid = sa.literal_column(f"{table.name}.rowid", sa.Integer())
        if match is None:
            return _Statement(table, rowid, conditions)
        index = f"search_{query.kind}"
        index_rowid = sa.literal_column(f"{index}.rowid", sa.Integer())
        matches = sa.literal_column(index).op("MATCH")(
            sa.bindparam(None, fts5_query(match, LAYOUTS[query.kind]), type_=sa.String())
        )
        if not paged and not conditions:
            # A count of the index alone: no catalog row is read.
            return _Statement(sa.table(index), index_rowid, [matches])
        source = sa.table(index).join(table, rowid == index_rowid)
        return _Statement(source, index_rowid, [matches, *conditions])
    if match is not None:
        document: sa.ColumnElement[Any] = sa.literal_column(f"{table.name}.search_document")
        conditions.insert(0, document.op("@@")(tsquery(match, LAYOUTS[query.kind])))
    return _Statement(table, table.c.id, conditions)


def _conditions(filters: Filters, found: Criteria) -> list[sa.ColumnElement[bool]]:
    """The filters the full-text index does not answer, as SQL conditions."""
    conditions: list[sa.ColumnElement[bool]] = []
    if isinstance(filters, PeopleFilters):
        _company(conditions, PEOPLE, filters.company_ids, found.domains)
        if filters.has_email is not None:
            usable = sa.exists().where(
                EMAILS.c.person_id == PEOPLE.c.id, EMAILS.c.status != "invalid"
            )
            conditions.append(usable if filters.has_email else ~usable)
        if filters.has_phone is not None:
            reachable = sa.exists().where(PHONES.c.person_id == PEOPLE.c.id)
            conditions.append(reachable if filters.has_phone else ~reachable)
        if filters.updated_since is not None:
            conditions.append(PEOPLE.c.updated_at >= moment(filters.updated_since))
    elif isinstance(filters, CompanyFilters):
        if found.domains is not None:
            conditions.append(COMPANIES.c.domain.in_(found.domains))
        if filters.founded_from is not None:
            conditions.append(COMPANIES.c.founded >= filters.founded_from)
        if filters.founded_to is not None:
            conditions.append(COMPANIES.c.founded <= filters.founded_to)
    elif isinstance(filters, OpeningFilters):
        _company(conditions, OPENINGS, filters.company_ids, found.domains)
        if filters.posted_since is not None:
            conditions.append(OPENINGS.c.posted_at >= moment(filters.posted_since))
    return conditions


def _company(
    conditions: list[sa.ColumnElement[bool]],
    table: sa.Table,
    company_ids: Sequence[str] | None,
    domains: Sequence[str] | None,
) -> None:
    if company_ids is not None:
        conditions.append(table.c.company_id.in_(company_ids))
    if domains is not None:
        owners = sa.select(COMPANIES.c.id).where(COMPANIES.c.domain.in_(domains))
        conditions.append(table.c.company_id.in_(owners.scalar_subquery()))


def _is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _masked(person: PersonOut) -> PersonPreview:
    return PersonPreview(
        first_name=person.first_name,
        last_initial=f"{person.last_name[0]}." if person.last_name else None,
        title=person.title,
        seniority=person.seniority,
        department=person.department,
        company=person.company,
        location=person.location,
        has_email=any(email.status != "invalid" for email in person.emails),
        has_phone=bool(person.phones),
    )
