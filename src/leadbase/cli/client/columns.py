"""Which CSV column holds which identifier of a person or a company, and the columns
enrich adds for each.

Headers are compared case-, space- and punctuation-insensitively ("First Name",
"first_name" and "FirstName" are one header), with the aliases of HubSpot, Salesforce,
Apollo and Sales Navigator exports (the vocabulary of the server's catalog import, kept
to the identifiers enrichment matches on). The first alias listed wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from leadbase import (
    Company,
    CompanyIdentifiers,
    CompanyRowResult,
    PersonIdentifiers,
    PersonRowResult,
)

# field -> header aliases, in header_key form, strongest first.
PERSON_IDENTIFIERS: Mapping[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "workemail", "businessemail", "primaryemail", "email1"),
    "linkedin_url": (
        "linkedinurl",
        "personlinkedinurl",
        "linkedin",
        "linkedinprofile",
        "linkedinprofileurl",
        "profileurl",
    ),
    "phone": (
        "phone",
        "phonenumber",
        "mobilephone",
        "mobile",
        "workphone",
        "directphone",
        "telephone",
    ),
    "first_name": ("firstname", "first", "givenname", "fname"),
    "last_name": ("lastname", "last", "surname", "familyname", "lname"),
    "full_name": ("fullname", "name", "contactname", "personname", "leadname"),
    "company_domain": (
        "companydomain",
        "companydomainname",
        "domain",
        "website",
        "websiteurl",
        "companywebsite",
    ),
    "company_name": (
        "company",
        "companyname",
        "accountname",
        "currentcompany",
        "organization",
        "organisation",
        "employer",
    ),
}
# A company row is looked up by one identifier: the first of these the row has.
COMPANY_IDENTIFIERS: Mapping[str, tuple[str, ...]] = {
    "company_id": ("leadbasecompanyid",),
    "domain": (
        "domain",
        "companydomain",
        "companydomainname",
        "website",
        "websiteurl",
        "companywebsite",
    ),
    "company_link": (
        "companylinkedinurl",
        "linkedincompanyurl",
        "linkedinurl",
        "linkedin",
        "companylinkedin",
        "linkedincompanypage",
    ),
    "company_name": (
        "company",
        "companyname",
        "accountname",
        "name",
        "organization",
        "organisation",
    ),
}
# What exports write for "no value".
BLANKS = frozenset({"-", "--", "n/a", "na", "null", "none", "nil", "#n/a"})

ADDED_COLUMNS = (
    "leadbase_status",
    "leadbase_confidence",
    "leadbase_matched_on",
    "leadbase_person_id",
    "leadbase_full_name",
    "leadbase_title",
    "leadbase_company",
    "leadbase_company_domain",
    "leadbase_emails",
    "leadbase_phones",
    "leadbase_linkedin_url",
    "leadbase_errors",
)

COMPANY_ADDED_COLUMNS = (
    "leadbase_status",
    "leadbase_confidence",
    "leadbase_matched_on",
    "leadbase_company_id",
    "leadbase_name",
    "leadbase_domain",
    "leadbase_industry",
    "leadbase_headcount_range",
    "leadbase_country",
    "leadbase_linkedin_url",
    "leadbase_errors",
)

_NOT_KEY = re.compile(r"[^a-z0-9#]+")


def header_key(header: str) -> str:
    return _NOT_KEY.sub("", header.strip().lower())


@dataclass(frozen=True, slots=True)
class IdentifierColumns:
    """field -> column index, for the identifiers a file has."""

    fields: Mapping[str, int]

    def identifiers(self, row: Sequence[str]) -> PersonIdentifiers:
        """The row's non-blank identifiers, trimmed."""
        return cast(PersonIdentifiers, self._values(row))

    def company_identifier(self, row: Sequence[str]) -> CompanyIdentifiers:
        """The row's strongest non-blank company identifier (a lookup takes one)."""
        found = self._values(row)
        for name in COMPANY_IDENTIFIERS:
            if name in found:
                return cast(CompanyIdentifiers, {name: found[name]})
        return {}

    def _values(self, row: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, index in self.fields.items():
            if index < len(row):
                value = row[index].strip()
                if value and value.lower() not in BLANKS:
                    found[name] = value
        return found


def map_headers(
    headers: Sequence[str], identifiers: Mapping[str, tuple[str, ...]] = PERSON_IDENTIFIERS
) -> IdentifierColumns:
    position: dict[str, int] = {}
    for index, header in enumerate(headers):
        position.setdefault(header_key(header), index)
    fields: dict[str, int] = {}
    taken: set[int] = set()
    for name, aliases in identifiers.items():
        for alias in aliases:
            found = position.get(alias)
            if found is not None and found not in taken:
                fields[name] = found
                taken.add(found)
                break
    return IdentifierColumns(fields)


def added_values(result: PersonRowResult) -> list[str]:
    """The ADDED_COLUMNS of one row's result."""
    person, match = result.person, result.match
    errors = "; ".join(f"{name}: {reason}" for name, reason in (result.errors or {}).items())
    if person is None:
        return [result.status, "", "", "", "", "", "", "", "", "", "", errors]
    company = person.company
    return [
        result.status,
        f"{match.confidence:g}" if match else "",
        ";".join(match.matched_on) if match else "",
        person.id,
        person.full_name,
        person.title or "",
        company.name if company else "",
        (company.domain or "") if company else "",
        ";".join(email.email for email in person.emails),
        ";".join(phone.e164 for phone in person.phones),
        person.linkedin_url or "",
        errors,
    ]


def company_added_values(result: CompanyRowResult) -> list[str]:
    """The COMPANY_ADDED_COLUMNS of one row's result."""
    company, match = result.company, result.match
    errors = "; ".join(f"{name}: {reason}" for name, reason in (result.errors or {}).items())
    if company is None:
        return [result.status, "", "", "", "", "", "", "", "", "", errors]
    return [
        result.status,
        f"{match.confidence:g}" if match else "",
        ";".join(match.matched_on) if match else "",
        *company_values(company),
        errors,
    ]


def company_values(company: Company) -> list[str]:
    """A company as id, name, domain, industry, headcount range, country, LinkedIn URL:
    the company columns of ``enrich --kind companies`` and ``search companies``."""
    return [
        company.id,
        company.name,
        company.domain or "",
        company.industry or "",
        company.headcount_range or "",
        company.location.country or "",
        company.linkedin_url or "",
    ]
