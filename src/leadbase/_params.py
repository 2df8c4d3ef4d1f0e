"""What the methods take: request bodies and filters as typed dicts.

Plain dicts with these keys type-check; every key is optional unless said otherwise, and
keys the server doesn't know are refused by it (400 invalid_parameter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Required, TypedDict


class PersonIdentifiers(TypedDict, total=False):
    """Any of email, linkedin_url, phone, or a name with company_domain or company_name."""

    email: str
    linkedin_url: str
    phone: str
    first_name: str
    last_name: str
    full_name: str
    company_domain: str
    company_name: str


class PersonRow(PersonIdentifiers, total=False):
    """A bulk row; ``row_ref`` (unique in a call) is echoed back, and made up when left out."""

    row_ref: str


class CompanyIdentifiers(TypedDict, total=False):
    """Exactly one of company_id, company_link (LinkedIn URL or website), company_name, domain."""

    company_id: str
    company_link: str
    company_name: str
    domain: str


class CompanyRow(CompanyIdentifiers, total=False):
    row_ref: str


class LocationParts(TypedDict, total=False):
    """Matches when every part given matches; at least one is needed."""

    country: str
    region: str
    city: str


# A bare string is a country: its ISO 3166-1 alpha-2 code ("US") or English name ("Germany").
LocationFilter = str | LocationParts


class PeopleFilters(TypedDict, total=False):
    """Filters of a people search; a list means any of its values, filters combine with AND.

    seniorities: owner, founder, c_suite, partner, vp, head, director, manager, senior,
    entry, intern. departments: executive, engineering, sales, marketing, finance, hr,
    operations, product, design, legal, it, support, data, education, medical, consulting,
    other. headcounts: 1-10, 11-50, 51-200, 201-500, 501-1000, 1001-5000, 5001-10000, 10001+.
    """

    job_titles: Sequence[str]
    exclude_job_titles: Sequence[str]
    seniorities: Sequence[str]
    departments: Sequence[str]
    locations: Sequence[LocationFilter]
    exclude_locations: Sequence[LocationFilter]
    company_ids: Sequence[str]
    company_domains: Sequence[str]
    company_industries: Sequence[str]
    company_headcounts: Sequence[str]
    has_email: bool
    has_phone: bool
    # Every word, as a word prefix, in the name, the title or the company's name.
    keywords: str
    # A date counts from its first instant in UTC; a datetime needs its offset.
    updated_since: dt.datetime | dt.date


class CompanyFilters(TypedDict, total=False):
    names: Sequence[str]
    domains: Sequence[str]
    industries: Sequence[str]
    headcounts: Sequence[str]
    locations: Sequence[LocationFilter]
    exclude_locations: Sequence[LocationFilter]
    founded_from: int
    founded_to: int
    keywords: str


class OpeningFilters(TypedDict, total=False):
    titles: Sequence[str]
    company_ids: Sequence[str]
    company_domains: Sequence[str]
    locations: Sequence[LocationFilter]
    exclude_locations: Sequence[LocationFilter]
    posted_since: dt.datetime | dt.date
    seniorities: Sequence[str]
    departments: Sequence[str]
    keywords: str


# Catalog upserts (operators: the catalog:write scope) --------------------------------------


class CatalogPersonRow(TypedDict, total=False):
    """A person to create, or merge into the catalog person it matches. ``row_ref``
    (unique in the call) is required. A row may leave the name out when its email,
    LinkedIn URL or phone finds the person it updates."""

    row_ref: Required[str]
    # The record's id in its source system: provenance, and a re-sent record stays one.
    record_id: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    personal_email: str
    # valid, invalid, risky or unknown (the default).
    email_status: str
    phone: str
    mobile_phone: str
    work_phone: str
    title: str
    linkedin_url: str
    company_name: str
    company_domain: str
    company_linkedin_url: str
    city: str
    region: str
    country: str
    # "City, Region, Country" in one string, when the parts aren't given.
    location: str


class CatalogCompanyRow(TypedDict, total=False):
    """A company to create or merge (by domain, LinkedIn page, then name)."""

    row_ref: Required[str]
    record_id: str
    name: str
    domain: str
    website: str
    linkedin_url: str
    industry: str
    # A count ("120") or a range ("51-200").
    headcount: str
    city: str
    region: str
    country: str
    location: str
    founded: str | int
    description: str


class CatalogOpeningRow(TypedDict, total=False):
    """A job opening to create or merge (by LinkedIn job, URL, or company, title and date)."""

    row_ref: Required[str]
    record_id: str
    title: str
    company_domain: str
    company_name: str
    company_linkedin_url: str
    url: str
    location: str
    city: str
    region: str
    country: str
    # ISO 8601 date or date-time.
    posted_at: str
