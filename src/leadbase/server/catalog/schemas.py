"""Catalog response shapes (people, companies, openings) and the admin upsert bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from leadbase.server.catalog.merge import OnMatch

LINKEDIN_PERSON = "https://www.linkedin.com/in/{slug}"
LINKEDIN_COMPANY = "https://www.linkedin.com/company/{slug}"
LINKEDIN_JOB = "https://www.linkedin.com/jobs/view/{slug}"


def linkedin_url(template: str, slug: str | None) -> str | None:
    """The canonical URL rebuilt from a stored slug."""
    return template.format(slug=slug) if slug else None


# Responses ------------------------------------------------------------------------------


class LocationOut(msgspec.Struct, kw_only=True):
    city: str | None = None
    region: str | None = None
    # ISO 3166-1 alpha-2.
    country: str | None = None


class CompanySummary(msgspec.Struct, kw_only=True):
    """The company a person works for or an opening belongs to, as it is nested in them."""

    id: str
    name: str
    domain: str | None
    linkedin_url: str | None


class EmailOut(msgspec.Struct, kw_only=True):
    email: str
    # valid, invalid, risky, unknown.
    status: str
    # work or personal.
    kind: str


class PhoneOut(msgspec.Struct, kw_only=True):
    e164: str
    # mobile, work, direct, other.
    kind: str


class PersonOut(msgspec.Struct, kw_only=True):
    id: str
    first_name: str | None
    last_name: str | None
    full_name: str
    title: str | None
    seniority: str | None
    department: str | None
    company: CompanySummary | None
    emails: list[EmailOut]
    phones: list[PhoneOut]
    linkedin_url: str | None
    location: LocationOut
    source: str
    # True for rows made by `leadbase catalog generate`: demo data, not real people.
    synthetic: bool
    updated_at: dt.datetime
    verified_at: dt.datetime | None


class CompanyOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    domain: str | None
    website: str | None
    linkedin_url: str | None
    industry: str | None
    headcount_range: str | None
    location: LocationOut
    founded: int | None
    description: str | None
    source: str
    synthetic: bool
    updated_at: dt.datetime
    verified_at: dt.datetime | None


class OpeningOut(msgspec.Struct, kw_only=True):
    id: str
    company: CompanySummary
    title: str
    seniority: str | None
    department: str | None
    location: LocationOut
    posted_at: dt.datetime | None
    url: str | None
    linkedin_url: str | None
    source: str
    synthetic: bool
    updated_at: dt.datetime


# Admin bulk upsert ----------------------------------------------------------------------

Text = Annotated[str, msgspec.Meta(max_length=1000)]
RowRef = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Source = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]

MAX_UPSERT_ROWS = 500


class PersonRowIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One person to create or merge; every field but ``row_ref`` is optional."""

    row_ref: RowRef
    # The record's id in its source system: provenance, and a re-sent record stays one.
    record_id: Text | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    full_name: Text | None = None
    email: Text | None = None
    personal_email: Text | None = None
    # valid, invalid, risky or unknown (the default).
    email_status: Text | None = None
    phone: Text | None = None
    mobile_phone: Text | None = None
    work_phone: Text | None = None
    title: Text | None = None
    linkedin_url: Text | None = None
    company_name: Text | None = None
    company_domain: Text | None = None
    company_linkedin_url: Text | None = None
    city: Text | None = None
    region: Text | None = None
    country: Text | None = None
    # "City, Region, Country" in one string, when the parts aren't given.
    location: Text | None = None


class CompanyRowIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    row_ref: RowRef
    record_id: Text | None = None
    name: Text | None = None
    domain: Text | None = None
    website: Text | None = None
    linkedin_url: Text | None = None
    industry: Text | None = None
    # A count ("120") or a range ("51-200").
    headcount: Text | None = None
    city: Text | None = None
    region: Text | None = None
    country: Text | None = None
    location: Text | None = None
    founded: Text | int | None = None
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | None = None


class OpeningRowIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    row_ref: RowRef
    record_id: Text | None = None
    title: Text | None = None
    company_domain: Text | None = None
    company_name: Text | None = None
    company_linkedin_url: Text | None = None
    url: Text | None = None
    location: Text | None = None
    city: Text | None = None
    region: Text | None = None
    country: Text | None = None
    # ISO 8601 date or date-time.
    posted_at: Text | None = None


OnMatchField = Annotated[
    OnMatch,
    msgspec.Meta(
        description="What a row does to the catalog record it matches: fill its empty fields,"
        " or overwrite them with the row's values. A blank value never erases one;"
        " emails and phones are added, a LinkedIn page or domain the record has is kept."
    ),
]


class PeopleUpsert(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rows: Annotated[list[PersonRowIn], msgspec.Meta(min_length=1, max_length=MAX_UPSERT_ROWS)]
    # Provenance label stored with every row (default "admin_api").
    source: Source | None = None
    on_match: OnMatchField = "fill"


class CompaniesUpsert(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rows: Annotated[list[CompanyRowIn], msgspec.Meta(min_length=1, max_length=MAX_UPSERT_ROWS)]
    source: Source | None = None
    on_match: OnMatchField = "fill"


class OpeningsUpsert(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rows: Annotated[list[OpeningRowIn], msgspec.Meta(min_length=1, max_length=MAX_UPSERT_ROWS)]
    source: Source | None = None
    on_match: OnMatchField = "fill"


class RawUpsert(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the upsert routes decode first, so that one bad row fails alone."""

    rows: list[Any]
    source: Source | None = None
    on_match: OnMatchField = "fill"


UpsertStatus = Literal["created", "merged", "suppressed", "invalid"]
UpsertErrorCode = Annotated[
    str,
    msgspec.Meta(
        description="An invalid row's error code: invalid_linkedin_url for a malformed"
        " LinkedIn URL, at_least_one_required for a person with nothing to be found by,"
        " else invalid_parameter (its problems by field are in errors).",
        examples=["invalid_parameter"],
    ),
]


class UpsertRowResult(msgspec.Struct, kw_only=True):
    row_ref: str | None
    status: UpsertStatus
    # The catalog record the row created or was merged into (null when suppressed/invalid).
    id: str | None = None
    # What the merge matched on: email, linkedin, phone, name_company, domain, name, url...
    matched_by: str | None = None
    code: UpsertErrorCode | None = None
    errors: dict[str, str] | None = None


class UpsertSummary(msgspec.Struct, kw_only=True):
    total: int
    created: int
    merged: int
    suppressed: int
    invalid: int


class UpsertResult(msgspec.Struct, kw_only=True):
    summary: UpsertSummary
    results: list[UpsertRowResult]
