"""Which CSV column holds which identifier of a person, and the columns enrich adds.

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

from leadbase import PersonIdentifiers, PersonRowResult

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

_NOT_KEY = re.compile(r"[^a-z0-9#]+")


def header_key(header: str) -> str:
    return _NOT_KEY.sub("", header.strip().lower())


@dataclass(frozen=True, slots=True)
class IdentifierColumns:
    """field -> column index, for the identifiers a file has."""

    fields: Mapping[str, int]

    def identifiers(self, row: Sequence[str]) -> PersonIdentifiers:
        """The row's non-blank identifiers, trimmed."""
        found: dict[str, str] = {}
        for name, index in self.fields.items():
            if index < len(row):
                value = row[index].strip()
                if value and value.lower() not in BLANKS:
                    found[name] = value
        return cast(PersonIdentifiers, found)


def map_headers(headers: Sequence[str]) -> IdentifierColumns:
    position: dict[str, int] = {}
    for index, header in enumerate(headers):
        position.setdefault(header_key(header), index)
    fields: dict[str, int] = {}
    taken: set[int] = set()
    for name, aliases in PERSON_IDENTIFIERS.items():
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
