"""CSV headers -> catalog fields, for the exports operators actually have.

HubSpot, Salesforce, Apollo and Sales Navigator exports and the generator's own files all
name the same things differently ("Account Name", "Company", "Company Name"). Headers
are compared case-, space-, underscore- and punctuation-insensitively ("First Name",
"first_name" and "FirstName" are one header); the first alias listed wins when a file
has two headers for one field (Apollo's "Company" over "Company Name for Emails").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec

from leadbase.server.errors import InvalidCsvFormat

Kind = Literal["people", "companies", "openings"]
KINDS: tuple[Kind, ...] = ("people", "companies", "openings")

# field -> header aliases, already in header_key form, strongest first.
PEOPLE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "record_id": ("recordid", "contactid", "leadid", "personid", "apollocontactid", "id"),
    "first_name": ("firstname", "first", "givenname", "fname"),
    "last_name": ("lastname", "last", "surname", "familyname", "lname"),
    "full_name": ("fullname", "name", "contactname", "personname", "leadname"),
    "email": ("email", "emailaddress", "workemail", "businessemail", "primaryemail", "email1"),
    "personal_email": ("personalemail", "secondaryemail", "otheremail", "email2"),
    "email_status": ("emailstatus", "emailverificationstatus"),
    "phone": ("phone", "phonenumber", "firstphone", "telephone", "otherphone", "homephone"),
    "mobile_phone": ("mobilephone", "mobilephonenumber", "mobile", "mobilenumber", "cellphone"),
    "work_phone": (
        "workdirectphone",
        "directphone",
        "directdial",
        "workphone",
        "officephone",
        "businessphone",
        "corporatephone",
    ),
    "title": ("title", "jobtitle", "position", "currenttitle", "role", "designation"),
    "company_name": (
        "company",
        "companyname",
        "accountname",
        "currentcompany",
        "associatedcompany",
        "organization",
        "organisation",
        "employer",
    ),
    "company_domain": (
        "companydomain",
        "companydomainname",
        "domain",
        "website",
        "websiteurl",
        "companywebsite",
    ),
    "company_linkedin_url": ("companylinkedinurl", "companylinkedin", "companylinkedinprofile"),
    "linkedin_url": (
        "linkedinurl",
        "personlinkedinurl",
        "linkedin",
        "linkedinprofile",
        "linkedinprofileurl",
        "profileurl",
    ),
    "city": ("city", "mailingcity", "personcity"),
    "region": (
        "state",
        "region",
        "stateregion",
        "stateprovince",
        "province",
        "mailingstate",
        "mailingstateprovince",
    ),
    "country": ("country", "countryregion", "mailingcountry", "countrycode"),
    "location": ("location", "geography"),
}

COMPANY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "record_id": ("recordid", "companyid", "accountid", "apolloaccountid", "id"),
    "name": ("companyname", "name", "company", "accountname", "organization", "organisation"),
    "domain": ("domain", "companydomain", "companydomainname", "emaildomain"),
    "website": ("website", "websiteurl", "companywebsite", "url", "homepage"),
    "linkedin_url": (
        "linkedinurl",
        "companylinkedinurl",
        "linkedin",
        "linkedincompanypage",
        "linkedincompanyurl",
    ),
    "industry": ("industry", "sector", "vertical"),
    "headcount": (
        "employees",
        "#employees",
        "numberofemployees",
        "employeecount",
        "headcount",
        "companysize",
        "size",
        "employeerange",
    ),
    "city": ("city", "companycity", "billingcity", "hqcity"),
    "region": (
        "state",
        "region",
        "companystate",
        "stateregion",
        "billingstate",
        "billingstateprovince",
        "hqstate",
        "province",
    ),
    "country": ("country", "companycountry", "countryregion", "billingcountry", "hqcountry"),
    "location": ("location", "headquarters", "hqlocation", "hq"),
    "founded": ("founded", "foundedyear", "yearfounded", "foundingyear"),
    "description": (
        "description",
        "companydescription",
        "about",
        "shortdescription",
        "seodescription",
    ),
}

OPENING_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "record_id": ("recordid", "jobid", "openingid", "id"),
    "title": ("jobtitle", "title", "position", "role"),
    "company_domain": ("companydomain", "domain", "companywebsite", "website"),
    "company_name": ("company", "companyname"),
    "company_linkedin_url": ("companylinkedinurl", "companylinkedin"),
    "url": ("joburl", "url", "joblink", "postingurl", "applyurl", "link"),
    "location": ("location", "joblocation"),
    "city": ("city",),
    "region": ("state", "region"),
    "country": ("country",),
    "posted_at": ("postedat", "dateposted", "posteddate", "postedon", "posted", "publishedat"),
}

COLUMNS: Mapping[Kind, Mapping[str, tuple[str, ...]]] = {
    "people": PEOPLE_COLUMNS,
    "companies": COMPANY_COLUMNS,
    "openings": OPENING_COLUMNS,
}

# Every kind needs one of these groups of fields, all present, to make a record.
REQUIRED: Mapping[Kind, tuple[tuple[str, ...], ...]] = {
    "people": (("first_name", "last_name"), ("full_name",)),
    "companies": (("name",), ("domain",), ("website",)),
    "openings": (("title", "company_domain"), ("title", "company_name")),
}

# Headers that only an export of that kind has, for guessing the kind of a file.
_OPENING_MARKERS = frozenset(
    {"joburl", "postedat", "dateposted", "posteddate", "postedon", "joblink", "postingurl"}
)
_PERSON_MARKERS = frozenset(
    {"firstname", "lastname", "fullname", "first", "last", "personlinkedinurl", "title", "jobtitle"}
)

_NOT_KEY = re.compile(r"[^a-z0-9#]+")


def header_key(header: str) -> str:
    """``"First Name"``, ``"first_name"`` and ``"FirstName"`` -> ``"firstname"``."""
    return _NOT_KEY.sub("", header.strip().lower())


class ColumnMap(msgspec.Struct, frozen=True):
    """Which column of the file holds each catalog field."""

    kind: Kind
    # field -> column index.
    fields: dict[str, int]
    # Headers no field took; kept out of the catalog.
    ignored: tuple[str, ...]

    def values(self, row: Sequence[str]) -> dict[str, str]:
        """The row's non-blank values by field name, trimmed."""
        found: dict[str, str] = {}
        width = len(row)
        for name, index in self.fields.items():
            if index < width and (value := row[index].strip()):
                # Most values are longer than any blank: no lower() for them (a million
                # rows of a dozen columns each).
                if len(value) > _LONGEST_BLANK or value.lower() not in BLANKS:
                    found[name] = value
        return found


# What exports write for "no value".
BLANKS = frozenset({"-", "--", "n/a", "na", "null", "none", "nil", "#n/a"})
_LONGEST_BLANK = max(map(len, BLANKS))


def guess_kind(headers: Sequence[str]) -> Kind | None:
    """people, companies or openings, from the headers alone; None when it can't tell."""
    keys = keys_in_order(headers)
    holds = {kind: _satisfied(_match_fields(keys, COLUMNS[kind]), kind) for kind in KINDS}
    markers = set(keys)
    if holds["openings"] and markers & _OPENING_MARKERS:
        return "openings"
    if holds["people"] and markers & _PERSON_MARKERS:
        return "people"
    # "Name" alone is a company's name as often as a person's: companies first.
    for kind in ("companies", "people"):
        if holds[kind]:
            return kind
    return None


def keys_in_order(headers: Sequence[str]) -> list[str]:
    return [header_key(header) for header in headers]


def map_columns(headers: Sequence[str], *, kind: Kind | None = None) -> ColumnMap:
    """The column map for a file's header row; InvalidCsvFormat when it can't hold ``kind``."""
    chosen = kind or guess_kind(headers)
    if chosen is None:
        raise InvalidCsvFormat(
            "Cannot tell whether the file holds people, companies or openings; pass --kind.",
            param="kind",
            details={"headers": ", ".join(headers)[:500]},
        )
    fields = _match_fields(keys_in_order(headers), COLUMNS[chosen])
    if not _satisfied(fields, chosen):
        raise InvalidCsvFormat(
            f"The file lacks the columns a {chosen} import needs.",
            param="columns",
            details={
                "columns": f"needs {describe_required(chosen)}; found: {', '.join(headers)}"[:1000]
            },
        )
    taken = set(fields.values())
    ignored = tuple(header for index, header in enumerate(headers) if index not in taken)
    return ColumnMap(kind=chosen, fields=fields, ignored=ignored)


def describe_required(kind: Kind) -> str:
    return " or ".join(" + ".join(group) for group in REQUIRED[kind])


def _match_fields(keys: Sequence[str], columns: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    position: dict[str, int] = {}
    for index, key in enumerate(keys):
        position.setdefault(key, index)
    fields: dict[str, int] = {}
    taken: set[int] = set()
    for name, aliases in columns.items():
        for alias in aliases:
            found = position.get(alias)
            if found is not None and found not in taken:
                fields[name] = found
                taken.add(found)
                break
    return fields


def _satisfied(fields: Mapping[str, int], kind: Kind) -> bool:
    return any(all(name in fields for name in group) for group in REQUIRED[kind])
