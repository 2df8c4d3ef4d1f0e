"""Typed response models: frozen dataclasses built from the JSON of ``data``.

Every model keeps the JSON object it came from in ``raw`` (fields this SDK version does not
know yet included). The object a method returns also carries the response's ``meta``
(request id, credits charged); models nested in it have ``meta`` None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from leadbase._convert import convert

RowStatus = Literal["matched", "no_match", "invalid"]
Mode = Literal["database", "realtime"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta:
    """The ``meta`` of a response: who answered and what it cost."""

    request_id: str | None = None
    # On metered calls: credits taken by this call (0 when nothing was billed).
    credits_charged: float | None = None
    # On listings: the cursor of the next page while has_more is true.
    next_cursor: str | None = None
    has_more: bool | None = None
    # The server answered with the stored response of an earlier call with the same
    # Idempotency-Key (Idempotent-Replayed: true): nothing was performed or billed again.
    replayed: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Meta:
        return convert(cls, data if isinstance(data, Mapping) else {})


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """Base of every response model."""

    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # Set on the object a method returns; None on the models nested in it.
    meta: Meta | None = field(default=None, repr=False, compare=False)


# Account --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Customer(Model):
    id: str
    name: str
    plan: str
    active: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class CallingKey(Model):
    id: str
    scopes: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Credits(Model):
    """Amounts in credits."""

    balance: float
    reserved: float
    available: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Account(Model):
    """The organization a call acts for: plan, credits, prices and customers."""

    id: str
    name: str
    plan: str
    active: bool
    entitlements: tuple[str, ...]
    parent_id: str | None
    acting_as_customer: bool
    customers: tuple[Customer, ...]
    api_key: CallingKey
    credits: Credits
    # Credits per unit of each operation.
    prices: Mapping[str, float]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction(Model):
    """One line of the credit ledger."""

    id: str
    kind: str
    credits: float
    operation: str | None
    reservation_id: str | None
    request_id: str | None
    job_id: str | None
    note: str | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageLine(Model):
    day: dt.date
    operation: str
    calls: int
    units: int
    credits: float


# API keys -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKey(Model):
    id: str
    name: str
    prefix: str
    scopes: tuple[str, ...]
    customer_id: str | None
    requires_customer: bool
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatedApiKey(ApiKey):
    """A new key; ``key`` is its secret, shown this once (None on an idempotent replay)."""

    key: str | None


# Catalog --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Location(Model):
    city: str | None = None
    region: str | None = None
    # ISO 3166-1 alpha-2.
    country: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanySummary(Model):
    """The company as nested in a person or an opening."""

    id: str
    name: str
    domain: str | None
    linkedin_url: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailAddress(Model):
    email: str
    # valid, invalid, risky, unknown.
    status: str
    # work or personal.
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneNumber(Model):
    e164: str
    # mobile, work, direct, other.
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Model):
    id: str
    first_name: str | None
    last_name: str | None
    full_name: str
    title: str | None
    seniority: str | None
    department: str | None
    company: CompanySummary | None
    emails: tuple[EmailAddress, ...]
    phones: tuple[PhoneNumber, ...]
    linkedin_url: str | None
    location: Location
    source: str
    # True for made-up demo records (`leadbase catalog generate`).
    synthetic: bool
    updated_at: dt.datetime
    verified_at: dt.datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Company(Model):
    id: str
    name: str
    domain: str | None
    website: str | None
    linkedin_url: str | None
    industry: str | None
    headcount_range: str | None
    location: Location
    founded: int | None
    description: str | None
    source: str
    synthetic: bool
    updated_at: dt.datetime
    verified_at: dt.datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Opening(Model):
    """A job opening (a hiring signal)."""

    id: str
    company: CompanySummary
    title: str
    seniority: str | None
    department: str | None
    location: Location
    posted_at: dt.datetime | None
    url: str | None
    linkedin_url: str | None
    source: str
    synthetic: bool
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Match(Model):
    # 0..1: 0.99 for an email or LinkedIn profile, 0.9 for a phone, 1.0 for a company id;
    # lower for a fuzzy name, and for identifiers of someone else beside the match.
    confidence: float
    # The keys that matched: email, linkedin, phone, name, company_domain, ...
    matched_on: tuple[str, ...]
    # Identifiers sent that belong to someone else: the match is doubtful.
    conflicting: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonEnrichment(Model):
    person: Person
    match: Match


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyEnrichment(Model):
    company: Company
    match: Match


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkSummary(Model):
    total: int
    matched: int
    no_match: int
    # Invalid rows (free); their results carry the errors.
    failed: int
    # The distinct records matched, which the call is billed for (a record several rows
    # matched is billed once); None from a server that predates it. enrich_many adds up
    # its calls' and leaves out those replayed under their Idempotency-Key.
    billed: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonRowResult(Model):
    """One row of a bulk enrichment: matched (with the person), no_match or invalid."""

    row_ref: str
    status: RowStatus
    person: Person | None = None
    match: Match | None = None
    # An invalid row's error code (as a single call with it would get) and its problems.
    code: str | None = None
    errors: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyRowResult(Model):
    row_ref: str
    status: RowStatus
    company: Company | None = None
    match: Match | None = None
    # An invalid row's error code (as a single call with it would get) and its problems.
    code: str | None = None
    errors: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkPeopleEnrichment(Model):
    summary: BulkSummary
    results: tuple[PersonRowResult, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkCompaniesEnrichment(Model):
    summary: BulkSummary
    results: tuple[CompanyRowResult, ...]


R = TypeVar("R", PersonRowResult, CompanyRowResult)


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkResult(Generic[R]):
    """What ``enrich_many`` returns: every row's result in input order, with totals."""

    summary: BulkSummary
    results: tuple[R, ...]
    # Added up over the calls made; a chunk replayed under its Idempotency-Key adds nothing.
    credits_charged: float
    request_ids: tuple[str, ...]


# Catalog upserts ------------------------------------------------------------------------

# created, merged, suppressed (an opted-out person, skipped), invalid (see errors).
UpsertStatus = Literal["created", "merged", "suppressed", "invalid"]


@dataclass(frozen=True, slots=True, kw_only=True)
class UpsertRowResult(Model):
    row_ref: str
    status: UpsertStatus
    # The catalog record the row created or was merged into (None when suppressed/invalid).
    id: str | None = None
    # What the merge matched on: record_id, email, linkedin, phone, name_company (people);
    # domain, linkedin, name (companies); linkedin_job, url, title (openings).
    matched_by: str | None = None
    # An invalid row's error code (invalid_parameter, invalid_linkedin_url,
    # at_least_one_required) and its problems by field.
    code: str | None = None
    errors: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UpsertSummary(Model):
    total: int
    created: int
    merged: int
    suppressed: int
    invalid: int


@dataclass(frozen=True, slots=True, kw_only=True)
class UpsertResult(Model):
    """What a catalog upsert did: a summary and each row's result, in the order sent."""

    summary: UpsertSummary
    results: tuple[UpsertRowResult, ...]


# Search ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Count(Model):
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonPreview(Model):
    """A masked search result: no id, email, phone or LinkedIn URL; last name cut."""

    first_name: str | None
    last_initial: str | None
    title: str | None
    seniority: str | None
    department: str | None
    company: CompanySummary | None
    location: Location
    has_email: bool
    has_phone: bool


# Phones ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneFormats(Model):
    e164: str
    international: str
    national: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneValidation(Model):
    input: str
    valid: bool
    possible: bool
    # not_a_number, invalid_country_code, too_short, too_long, not_possible, ...
    reason: str | None = None
    formats: PhoneFormats | None = None
    type: str | None = None
    region: str | None = None
    country_code: int | None = None
    carrier: str | None = None
    time_zones: tuple[str, ...] = ()


# Operations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorCode(Model):
    """One entry of the server's error catalog (GET /v1/errors)."""

    code: str
    type: str
    status: int
    retryable: bool
    description: str
