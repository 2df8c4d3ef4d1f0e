"""Enrichment: match a caller's identifiers against the catalog, one record or 500 at once.

validate (normalize every identifier, every unusable field named at once) -> match (the
matcher's batch forms: a handful of set-based queries whatever the number of rows) ->
load (the matched records, suppressed ones never) -> output (msgspec structs).

Decisions the routes document:
- A blank string ("" or whitespace) counts as not given, as CRM exports leave columns empty.
- ``mode: realtime`` needs the plan's ``realtime`` entitlement (403 not_entitled); no live
  source exists yet, so an entitled call answers 503 upstream_unavailable, charging nothing.
- Bulk: each row is a JSON object with a ``row_ref`` (a string, unique in the call), else
  the whole call is 400 (``bulk_rows``); anything else wrong in a row, a NUL character
  included, makes that row ``invalid`` with its errors, free. Every matched row is
  billed, two rows matching the same record included.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server import bulk_rows
from leadbase.server.catalog import match, normalize
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.schemas import CompanyOut, PersonOut
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

MAX_BULK_ROWS = 500

Mode = Literal["database", "realtime"]
RowStatus = Literal["matched", "no_match", "invalid"]
RowErrorCode = Annotated[
    str,
    msgspec.Meta(
        description="An invalid row's error code, the one a single call with the row would"
        " get: invalid_parameter, invalid_linkedin_url, at_least_one_required or"
        " exactly_one_required (its problems by field are in errors).",
        examples=["invalid_linkedin_url"],
    ),
]
Q = TypeVar("Q")
S = TypeVar("S", bound=msgspec.Struct)


Email = Annotated[str, msgspec.Meta(max_length=320, description="The person's email address.")]
LinkedinUrl = Annotated[
    str, msgspec.Meta(max_length=500, description="The person's LinkedIn profile URL.")
]
Phone = Annotated[
    str, msgspec.Meta(max_length=100, description="A phone number: +<country code> <number>.")
]
NamePart = Annotated[
    str, msgspec.Meta(max_length=200, description="Matched with company_domain or company_name.")
]
CompanyDomain = Annotated[
    str, msgspec.Meta(max_length=500, description="The company's domain or website.")
]
CompanyName = Annotated[
    str, msgspec.Meta(max_length=300, description="The company's name; legal suffixes ignored.")
]
CompanyLink = Annotated[
    str, msgspec.Meta(max_length=500, description="The company's LinkedIn URL or its website.")
]
CompanyId = Annotated[
    str, msgspec.Meta(max_length=40, description="A company id from an earlier answer.")
]
RowRef = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=200, description="Your reference for the row, echoed back."
    ),
]
ModeField = Annotated[
    Mode,
    msgspec.Meta(
        description="database answers from the catalog; realtime needs the realtime plan feature."
    ),
]


# Requests -------------------------------------------------------------------------------


class PersonIdentifiers(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email | None = None
    linkedin_url: LinkedinUrl | None = None
    phone: Phone | None = None
    first_name: NamePart | None = None
    last_name: NamePart | None = None
    full_name: NamePart | None = None
    company_domain: CompanyDomain | None = None
    company_name: CompanyName | None = None


class EnrichPerson(PersonIdentifiers, kw_only=True, forbid_unknown_fields=True):
    """Any of email, linkedin_url, phone, or a name with company_domain or company_name."""

    mode: ModeField = "database"


class PersonRow(PersonIdentifiers, kw_only=True, forbid_unknown_fields=True):
    row_ref: RowRef


class EnrichPeople(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """1-500 rows, each with its own row_ref and the identifiers of EnrichPerson."""

    rows: Annotated[list[PersonRow], msgspec.Meta(min_length=1, max_length=MAX_BULK_ROWS)]
    mode: ModeField = "database"


class CompanyIdentifiers(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    company_id: CompanyId | None = None
    company_link: CompanyLink | None = None
    company_name: CompanyName | None = None
    domain: CompanyDomain | None = None


class EnrichCompany(CompanyIdentifiers, kw_only=True, forbid_unknown_fields=True):
    """Exactly one of company_id, company_link, company_name, domain."""

    mode: ModeField = "database"


class CompanyRow(CompanyIdentifiers, kw_only=True, forbid_unknown_fields=True):
    row_ref: RowRef


class EnrichCompanies(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """1-500 rows, each with its own row_ref and exactly one company identifier."""

    rows: Annotated[list[CompanyRow], msgspec.Meta(min_length=1, max_length=MAX_BULK_ROWS)]
    mode: ModeField = "database"


class RawBulk(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A bulk body before its rows are checked one by one (a bad row is not a bad call;
    a row that is not an object is named by bulk_rows)."""

    rows: list[Any]
    mode: Mode = "database"


# Responses ------------------------------------------------------------------------------


class Match(msgspec.Struct, kw_only=True, omit_defaults=True):
    # 0..1: an email or LinkedIn profile 0.99, a phone 0.9 (lines are shared), keys that
    # agree combine; a company id 1.0, its domain or LinkedIn page 0.99, a unique cleaned
    # name 0.9; a fuzzy name within a company lower (match.COMPANY_CONFIDENCE).
    confidence: float
    # The keys that matched: email, linkedin, phone, name, company_domain, company_name,
    # company_id, domain.
    matched_on: list[str]
    # Identifiers sent that belong to someone else (an email of one person, a LinkedIn
    # profile of another): the match is doubtful, and its confidence says so. Left out
    # when there is none.
    conflicting: list[str] = []


class PersonEnrichment(msgspec.Struct, kw_only=True):
    person: PersonOut
    match: Match


class CompanyEnrichment(msgspec.Struct, kw_only=True):
    company: CompanyOut
    match: Match


class BulkSummary(msgspec.Struct, kw_only=True):
    total: int
    matched: int
    no_match: int
    # Rows that were invalid (free): their results carry the errors.
    failed: int
    # The distinct records matched: what the call is billed for. Rows that match the same
    # record (one person by email and by phone, a repeated row) deliver it once.
    billed: int


class PersonRowResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    row_ref: str
    status: RowStatus
    person: PersonOut | None = None
    match: Match | None = None
    code: RowErrorCode | None = None
    errors: dict[str, str] | None = None


class CompanyRowResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    row_ref: str
    status: RowStatus
    company: CompanyOut | None = None
    match: Match | None = None
    code: RowErrorCode | None = None
    errors: dict[str, str] | None = None


class BulkPeopleEnrichment(msgspec.Struct, kw_only=True):
    summary: BulkSummary
    results: list[PersonRowResult]


class BulkCompaniesEnrichment(msgspec.Struct, kw_only=True):
    summary: BulkSummary
    results: list[CompanyRowResult]


# Validation -----------------------------------------------------------------------------


class CompanyKey(msgspec.Struct, frozen=True):
    """One normalized company identifier: what to look up and by which key."""

    by: Literal["company_id", "domain", "linkedin", "name"]
    value: str


class Row(msgspec.Struct, Generic[Q], frozen=True):
    """A bulk row after validation: its query, or the errors that made it invalid."""

    row_ref: str
    query: Q | None
    errors: dict[str, str] | None = None
    code: str | None = None


def check_mode(mode: Mode, *, entitlements: frozenset[str]) -> None:
    """Refuse realtime before anything is reserved: 403 not_entitled when the plan lacks
    it, else 503 upstream_unavailable (no live source is configured yet)."""
    if mode == "realtime" and "realtime" not in entitlements:
        raise NotEntitled(
            "mode realtime needs the realtime feature, which this plan does not include.",
            param="mode",
            details={"entitlement": "realtime"},
        )
    _check_live(mode)


def person_query(identifiers: PersonIdentifiers) -> match.PersonQuery:
    """The normalized query, or one error naming every unusable or missing identifier."""
    errors: dict[str, str] = {}
    email = _normalized(errors, "email", identifiers.email, normalize.email)
    linkedin_slug = _linkedin_slug(errors, identifiers.linkedin_url)
    phone = _normalized(errors, "phone", identifiers.phone, normalize.phone)
    company_domain = _normalized(
        errors, "company_domain", identifiers.company_domain, normalize.domain
    )
    company_name_key = _normalized(
        errors, "company_name", identifiers.company_name, normalize.company_name_key
    )
    name, name_errors = _person_name(identifiers)
    errors.update(name_errors)
    if errors:
        # The LinkedIn URL's own code wins; details still name every invalid field.
        if "linkedin_url" in errors:
            raise InvalidLinkedinUrl.of_fields(errors, param="linkedin_url")
        raise InvalidParameter.of_fields(errors)
    company_given = company_domain is not None or company_name_key is not None
    if email is None and linkedin_slug is None and phone is None:
        if name is None or not company_given:
            raise _missing_identifiers(identifiers, name_usable=name is not None)
    return match.PersonQuery(
        email=email,
        linkedin_slug=linkedin_slug,
        phone=phone,
        name=name,
        company_domain=company_domain,
        company_name_key=company_name_key,
    )


_PROBLEMS = {
    "email": "not a valid email address",
    "phone": "not a valid phone number in international format (+<country code> ...)",
    "company_domain": "not a domain name or website",
    "company_name": "has no letters or digits to match on",
    "domain": "not a domain name or website",
    "company_link": "not a LinkedIn company URL or a website",
}


def _normalized(
    errors: dict[str, str], field: str, raw: str | None, normalizer: Callable[[str], str | None]
) -> str | None:
    """The normalized value of a given field; its problem goes into ``errors``."""
    if (given := _given(raw)) is None:
        return None
    value = normalizer(given) or None
    if value is None:
        errors[field] = _PROBLEMS[field]
    return value


def _linkedin_slug(errors: dict[str, str], raw: str | None) -> str | None:
    if (given := _given(raw)) is None:
        return None
    try:
        return normalize.linkedin(given, expect="person", param="linkedin_url").slug
    except InvalidLinkedinUrl as error:
        errors.update(error.details or {"linkedin_url": error.message})
        return None


def _person_name(
    identifiers: PersonIdentifiers,
) -> tuple[normalize.PersonName | None, dict[str, str]]:
    """A name usable for matching (first and last known), or None; errors for bad parts."""
    full = _given(identifiers.full_name)
    first = _given(identifiers.first_name)
    last = _given(identifiers.last_name)
    if full is None and first is None and last is None:
        return None, {}
    name = normalize.person_name(full=full, first=first, last=last)
    if name is None:
        field = "full_name" if full is not None else ("first_name" if first else "last_name")
        return None, {field: "has no letters to match on"}
    return (name if name.first and name.last else None), {}


def _missing_identifiers(
    identifiers: PersonIdentifiers, *, name_usable: bool
) -> AtLeastOneRequired:
    """Say what is missing: an identifier, or the other half of name + company."""
    full = _given(identifiers.full_name)
    first = _given(identifiers.first_name)
    last = _given(identifiers.last_name)
    company_given = (
        _given(identifiers.company_domain) is not None
        or _given(identifiers.company_name) is not None
    )
    if full is None and first is None and last is None and not company_given:
        return AtLeastOneRequired(
            "Send at least one of email, linkedin_url or phone, or a name (full_name, or"
            " first_name and last_name) with company_domain or company_name.",
            details={
                "email": "an email address of the person",
                "linkedin_url": "the person's LinkedIn profile URL",
                "phone": "a phone number in international format",
                "full_name": "or first_name and last_name, with company_domain or company_name",
            },
        )
    missing: dict[str, str] = {}
    # What the message says of each gap, in words a caller can act on.
    gaps: list[str] = []
    if not name_usable:
        if full is not None:
            missing["full_name"] = "needs a first and a last name to match with a company"
            gaps.append("full_name needs a first and a last name")
        elif first is not None:
            missing["last_name"] = "required with first_name to match by name"
            gaps.append("last_name is missing")
        elif last is not None:
            missing["first_name"] = "required with last_name to match by name"
            gaps.append("first_name is missing")
        else:
            missing["full_name"] = "or first_name and last_name: the name to match at the company"
            gaps.append("the name is missing (full_name, or first_name and last_name)")
    if not company_given:
        missing["company_domain"] = "or company_name: the company to match the name at"
        missing["company_name"] = "or company_domain: the company to match the name at"
        gaps.append("the company is missing (company_domain or company_name)")
    return AtLeastOneRequired(
        f"A name matches only with a company: {' and '.join(gaps)}.",
        param=next(iter(missing)),
        details=missing,
    )


def company_key(identifiers: CompanyIdentifiers) -> CompanyKey:
    """The one company identifier, normalized; 400 unless exactly one was given."""
    given = {
        name: value
        for name in _COMPANY_FIELDS
        if (value := _given(getattr(identifiers, name))) is not None
    }
    if len(given) != 1:
        raise _not_exactly_one(given)
    ((field, raw),) = given.items()
    if field == "company_id":
        return CompanyKey(by="company_id", value=raw)
    if field == "company_name":
        if not (key := normalize.company_name_key(raw)):
            raise _invalid(field, _PROBLEMS["company_name"])
        return CompanyKey(by="name", value=key)
    if field == "company_link" and _is_linkedin(raw):
        slug = normalize.linkedin(raw, expect="company", param="company_link").slug
        return CompanyKey(by="linkedin", value=slug)
    if (domain := normalize.domain(raw)) is None:
        raise _invalid(field, _PROBLEMS[field])
    return CompanyKey(by="domain", value=domain)


_COMPANY_FIELDS = ("company_id", "company_link", "company_name", "domain")


def _not_exactly_one(given: Mapping[str, str]) -> ExactlyOneRequired:
    choices = ", ".join(_COMPANY_FIELDS)
    if not given:
        return ExactlyOneRequired(
            f"Send exactly one of {choices}; none was given.",
            details={name: "one of these is required" for name in _COMPANY_FIELDS},
        )
    return ExactlyOneRequired(
        f"Send exactly one of {choices}; {len(given)} were given: {', '.join(given)}.",
        param=next(iter(given)),
        details={name: f"send only one of {choices}" for name in given},
    )


def _is_linkedin(raw: str) -> bool:
    return raw.lower().startswith("urn:li:") or normalize.domain(raw) == "linkedin.com"


def _invalid(field: str, problem: str) -> InvalidParameter:
    return InvalidParameter(f"{field}: {problem}", param=field, details={field: problem})


def _given(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


# Bulk bodies ----------------------------------------------------------------------------


def people_rows(raw: RawBulk) -> list[Row[match.PersonQuery]]:
    """A bulk body's rows, each checked alone (``bulk_rows``), as person queries."""
    refs = bulk_rows.row_refs(raw.rows, limit=MAX_BULK_ROWS)
    return [
        _row(ref, row, PersonRow, person_query) for ref, row in zip(refs, raw.rows, strict=True)
    ]


def company_rows(raw: RawBulk) -> list[Row[CompanyKey]]:
    """A bulk body's rows, each checked alone (``bulk_rows``), as company keys."""
    refs = bulk_rows.row_refs(raw.rows, limit=MAX_BULK_ROWS)
    return [
        _row(ref, row, CompanyRow, company_key) for ref, row in zip(refs, raw.rows, strict=True)
    ]


def _row(row_ref: str, raw: dict[str, Any], schema: type[S], build: Callable[[S], Q]) -> Row[Q]:
    identifiers = bulk_rows.typed_row(raw, schema, check=build)
    if isinstance(identifiers, dict):
        return Row(row_ref=row_ref, query=None, errors=identifiers, code=InvalidParameter.code)
    try:
        return Row(row_ref=row_ref, query=build(identifiers))
    except LeadbaseError as error:
        return Row(row_ref=row_ref, query=None, errors=_details(error), code=error.code)


def _details(error: LeadbaseError) -> dict[str, str]:
    if not error.details:
        return {error.param or "row": error.message}
    return {name: str(problem) for name, problem in error.details.items()}


# Service --------------------------------------------------------------------------------


def _check_live(mode: Mode) -> None:
    if mode == "realtime":
        raise UpstreamUnavailable(
            "Realtime enrichment has no live source configured yet; nothing was charged."
            " Use mode database."
        )


async def enrich_person(
    session: AsyncSession, *, query: match.PersonQuery, mode: Mode = "database"
) -> PersonEnrichment:
    """The best match for ``query``; NoMatch (free) when nothing matches."""
    _check_live(mode)
    (found,) = await _match_people(session, [query])
    if found is None:
        raise NoMatch("No person in the catalog matches these identifiers; nothing was charged.")
    return PersonEnrichment(person=found[0], match=found[1])


async def enrich_company(
    session: AsyncSession, *, key: CompanyKey, mode: Mode = "database"
) -> CompanyEnrichment:
    _check_live(mode)
    (found,) = await _match_companies(session, [key])
    if found is None:
        raise NoMatch("No company in the catalog matches this identifier; nothing was charged.")
    return CompanyEnrichment(company=found[0], match=found[1])


async def enrich_people(
    session: AsyncSession, *, rows: Sequence[Row[match.PersonQuery]], mode: Mode = "database"
) -> BulkPeopleEnrichment:
    """Every row's outcome, in order, from a few set-based queries for all of them."""
    _check_live(mode)
    found = iter(await _match_people(session, _queries(rows)))
    results: list[PersonRowResult] = []
    for row in rows:
        if row.query is None:
            results.append(
                PersonRowResult(
                    row_ref=row.row_ref, status="invalid", code=row.code, errors=row.errors
                )
            )
        elif (hit := next(found)) is None:
            results.append(PersonRowResult(row_ref=row.row_ref, status="no_match"))
        else:
            results.append(
                PersonRowResult(row_ref=row.row_ref, status="matched", person=hit[0], match=hit[1])
            )
    delivered = {result.person.id for result in results if result.person is not None}
    return BulkPeopleEnrichment(summary=_summary_of(results, delivered), results=results)


async def enrich_companies(
    session: AsyncSession, *, rows: Sequence[Row[CompanyKey]], mode: Mode = "database"
) -> BulkCompaniesEnrichment:
    _check_live(mode)
    found = iter(await _match_companies(session, _queries(rows)))
    results: list[CompanyRowResult] = []
    for row in rows:
        if row.query is None:
            results.append(
                CompanyRowResult(
                    row_ref=row.row_ref, status="invalid", code=row.code, errors=row.errors
                )
            )
        elif (hit := next(found)) is None:
            results.append(CompanyRowResult(row_ref=row.row_ref, status="no_match"))
        else:
            results.append(
                CompanyRowResult(
                    row_ref=row.row_ref, status="matched", company=hit[0], match=hit[1]
                )
            )
    delivered = {result.company.id for result in results if result.company is not None}
    return BulkCompaniesEnrichment(summary=_summary_of(results, delivered), results=results)


def valid_count(rows: Sequence[Row[Any]]) -> int:
    """The rows that can match: the most a bulk call can be billed for."""
    return sum(1 for row in rows if row.query is not None)


def _queries(rows: Sequence[Row[Q]]) -> list[Q]:
    return [row.query for row in rows if row.query is not None]


def _summary_of(
    results: Sequence[PersonRowResult | CompanyRowResult], delivered: Collection[str]
) -> BulkSummary:
    """The call's counts; ``delivered``: the ids of the records its matched rows hold."""
    counts = {"matched": 0, "no_match": 0, "invalid": 0}
    for result in results:
        counts[result.status] += 1
    return BulkSummary(
        total=len(results),
        matched=counts["matched"],
        no_match=counts["no_match"],
        failed=counts["invalid"],
        billed=len(delivered),
    )


async def _match_people(
    session: AsyncSession, queries: Sequence[match.PersonQuery]
) -> list[tuple[PersonOut, Match] | None]:
    if not queries:
        return []
    results = await match.find_people(session, queries)
    people = await catalog.load_people(
        session, person_ids=list({result.person_id for result in results if result is not None})
    )
    found: list[tuple[PersonOut, Match] | None] = []
    for query, result in zip(queries, results, strict=True):
        person = None if result is None else people.get(result.person_id)
        if result is None or person is None:
            found.append(None)
            continue
        confidence = result.confidence
        if "name" in result.matched_on and _by_nickname(query, person):
            confidence = round(confidence * NICKNAME_CONFIDENCE, 4)
        match_ = Match(
            confidence=confidence,
            matched_on=list(result.matched_on),
            conflicting=list(result.conflicting),
        )
        found.append((person, match_))
    return found


# A name matched through a nickname ("Pete" for the catalog's "Peter") is a shade less sure
# than the name as the catalog spells it: the row may mean someone the catalog lacks.
NICKNAME_CONFIDENCE = 0.97


def _by_nickname(query: match.PersonQuery, person: PersonOut) -> bool:
    given = query.name.first if query.name is not None else None
    recorded = person.first_name
    return given is not None and recorded is not None and normalize.is_nickname(given, recorded)


async def _match_companies(
    session: AsyncSession, keys: Sequence[CompanyKey]
) -> list[tuple[CompanyOut, Match] | None]:
    if not keys:
        return []
    queries = [_company_query(key) for key in keys]
    owners = await match.company_keys(
        session,
        ids={query.company_id for query in queries if query.company_id},
        domains={query.domain for query in queries if query.domain},
        slugs={query.linkedin_slug for query in queries if query.linkedin_slug},
        name_keys={query.name_key for query in queries if query.name_key},
    )
    await match.add_brands(session, owners, {query.name_key for query in queries if query.name_key})
    chosen = [match.company_for(query, owners) for query in queries]
    companies = await catalog.load_companies(
        session, company_ids={company_id for company_id in chosen if company_id is not None}
    )
    found: list[tuple[CompanyOut, Match] | None] = []
    for key, company_id in zip(keys, chosen, strict=True):
        company = companies.get(company_id) if company_id is not None else None
        if company is None:
            found.append(None)
            continue
        by_brand = key.by == "name" and key.value not in owners.by_name
        matched_on, confidence = _COMPANY_MATCHES["brand" if by_brand else key.by]
        found.append((company, Match(confidence=confidence, matched_on=[matched_on])))
    return found


# What a company key says in matched_on, and how sure it is: ids, domains and LinkedIn
# pages are unique keys; a cleaned name matches only when one company has it, a brand
# (the one company whose name starts with it) less surely: as sure as a person found at
# a company by that name is (match.COMPANY_CONFIDENCE).
_COMPANY_MATCHES: dict[str, tuple[str, float]] = {
    "company_id": ("company_id", 1.0),
    "domain": ("domain", 0.99),
    "linkedin": ("linkedin", 0.99),
    "name": ("company_name", match.COMPANY_CONFIDENCE["company_name"]),
    "brand": ("company_name", match.COMPANY_CONFIDENCE["company_brand"]),
}


def _company_query(key: CompanyKey) -> match.CompanyQuery:
    if key.by == "company_id":
        return match.CompanyQuery(company_id=key.value)
    if key.by == "domain":
        return match.CompanyQuery(domain=key.value)
    if key.by == "linkedin":
        return match.CompanyQuery(linkedin_slug=key.value)
    return match.CompanyQuery(name_key=key.value)
