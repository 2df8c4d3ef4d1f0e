"""Search request bodies (mode, filters, limit, cursor) and the shapes only search answers.

Search results themselves are the catalog's PersonOut, CompanyOut and OpeningOut.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from leadbase.server.body import FieldRule
from leadbase.server.catalog.schemas import CompanySummary, LocationOut
from leadbase.server.db import fits_utc

Mode = Literal["database", "realtime"]
ModeField = Annotated[
    Mode,
    msgspec.Meta(
        description="database answers from the catalog; realtime would reach live sources"
        " (none is configured yet: 503 upstream_unavailable for an entitled plan)."
    ),
]
# The catalog's vocabularies (catalog.titles, catalog.normalize); a test pins them equal.
Seniority = Literal[
    "owner",
    "founder",
    "c_suite",
    "partner",
    "vp",
    "head",
    "director",
    "manager",
    "senior",
    "entry",
    "intern",
]
Department = Literal[
    "executive",
    "engineering",
    "sales",
    "marketing",
    "finance",
    "hr",
    "operations",
    "product",
    "design",
    "legal",
    "it",
    "support",
    "data",
    "education",
    "medical",
    "consulting",
    "other",
]
HeadcountRange = Literal[
    "1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+"
]

DEFAULT_LIMIT = 25
MAX_LIMIT = 2500
MAX_PREVIEW_LIMIT = 25
MAX_VALUES = 100

# A NUL character in any text is refused by the body's decoder (server.nul).
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Keywords = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=200,
        description="Words that must all appear (as word prefixes, ignoring case and"
        " accents) in the record's text fields; a one-letter word is a word of its own"
        ' ("r&d"), but for a last letter, a prefix ("peter w").',
    ),
]
Region = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=200,
        description="A region as stored, or another spelling of it in its country: its code"
        " (where exports use one), its local or English name, with or without accents or"
        ' hyphens ("CA" and "California", "BY", "Bayern" and "Bavaria", "QC" and "Québec")'
        " for the US, CA, AU, DE, IN, BR, MX, ES, IT, FR and NL.",
    ),
]
Country = Annotated[
    str,
    msgspec.Meta(
        min_length=2,
        max_length=60,
        description='An ISO 3166-1 alpha-2 country code ("DE"), or the country\'s English name'
        ' ("Germany", "United States", "UK").',
    ),
]
# A string, not a datetime: msgspec decodes a field as a date or a datetime, not either,
# and "posted since November 1st" is a date. :func:`moment` reads it.
Since = Annotated[
    str,
    msgspec.Meta(
        max_length=40,
        description="An RFC 3339 date-time with its offset (2026-11-01T09:30:00Z), or a"
        " date (2026-11-01), meaning from the start of that day, UTC.",
        examples=["2026-11-01", "2026-11-01T09:30:00+01:00"],
    ),
]
_SINCE_PROBLEM = (
    "expected a date (2026-11-01) or a date-time with its offset (2026-11-01T09:30:00Z)"
)
Year = Annotated[int, msgspec.Meta(ge=1000, le=9999)]


def moment(since: str) -> dt.datetime:
    """The aware moment a ``Since`` names: a date is its first instant in UTC.

    Raises ValueError with what is wrong, for a ``FieldRule``.
    """
    if len(since) == len("2026-11-01"):
        try:
            day = msgspec.convert(since, dt.date)
        except msgspec.ValidationError:
            raise ValueError(_SINCE_PROBLEM) from None
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    try:
        parsed = msgspec.convert(since, dt.datetime)
    except msgspec.ValidationError:
        raise ValueError(_SINCE_PROBLEM) from None
    if parsed.tzinfo is None:
        raise ValueError("a date-time needs its offset (Z or +01:00); or send a date (2026-11-01)")
    if not fits_utc(parsed):
        raise ValueError("out of range once converted to UTC")
    return parsed


def _check_since(name: str, since: str | None) -> None:
    if since is None:
        return
    try:
        moment(since)
    except ValueError as problem:
        raise FieldRule(name, str(problem)) from None


class Location(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Matches when every part given matches (case-insensitively, for ASCII letters)."""

    country: Country | None = None
    region: Region | None = None
    city: Text | None = None

    def __post_init__(self) -> None:
        if self.country is None and self.region is None and self.city is None:
            raise ValueError("a location needs a country, a region or a city")


# A bare string is a country: "US" is {"country": "US"}.
LocationFilter = Country | Location

TitleList = Annotated[
    list[Text],
    msgspec.Meta(
        min_length=1,
        max_length=MAX_VALUES,
        description="Any of these; a title matches when it holds every word given, each as"
        ' a word prefix ("vp sales" matches "VP of Sales"), or another spelling of them as'
        ' whole words ("cto" matches "Chief Technology Officer", "vice president" "VP",'
        ' "sr mgr" "Senior Manager"); a one-letter word is a word of its own ("Engineer I",'
        ' "r&d").',
    ),
]
NameList = Annotated[
    list[Text],
    msgspec.Meta(
        min_length=1,
        max_length=MAX_VALUES,
        description="Any of these; a name matches when it holds every word given, each as"
        ' a word prefix ("acme rob" matches "Acme Robotics GmbH").',
    ),
]
TextList = Annotated[list[Text], msgspec.Meta(min_length=1, max_length=MAX_VALUES)]
IdList = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=40)]],
    msgspec.Meta(min_length=1, max_length=MAX_VALUES),
]
SeniorityList = Annotated[list[Seniority], msgspec.Meta(min_length=1, max_length=MAX_VALUES)]
DepartmentList = Annotated[list[Department], msgspec.Meta(min_length=1, max_length=MAX_VALUES)]
HeadcountList = Annotated[list[HeadcountRange], msgspec.Meta(min_length=1, max_length=MAX_VALUES)]
LocationList = Annotated[
    list[LocationFilter],
    msgspec.Meta(
        min_length=1,
        max_length=MAX_VALUES,
        description='Any of these: a country ("US", "Germany") or {country, region, city}.',
    ),
]
IndustryList = Annotated[
    list[Text],
    msgspec.Meta(
        min_length=1,
        max_length=MAX_VALUES,
        description="Any of these industries, matched whole (ASCII case-insensitive).",
    ),
]


class PeopleFilters(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    job_titles: TitleList | None = None
    exclude_job_titles: TitleList | None = None
    seniorities: SeniorityList | None = None
    departments: DepartmentList | None = None
    locations: LocationList | None = None
    exclude_locations: LocationList | None = None
    company_ids: IdList | None = None
    company_domains: TextList | None = None
    company_industries: IndustryList | None = None
    company_headcounts: HeadcountList | None = None
    # An email whose status is not "invalid" / any phone.
    has_email: bool | None = None
    has_phone: bool | None = None
    # Matched against the full name, the title and the company's name.
    keywords: Keywords | None = None
    updated_since: Since | None = None

    def __post_init__(self) -> None:
        _check_since("updated_since", self.updated_since)


class CompanyFilters(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    names: NameList | None = None
    domains: TextList | None = None
    industries: IndustryList | None = None
    headcounts: HeadcountList | None = None
    locations: LocationList | None = None
    exclude_locations: LocationList | None = None
    founded_from: Year | None = None
    founded_to: Year | None = None
    # Matched against the name and the description.
    keywords: Keywords | None = None


class OpeningFilters(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    titles: TitleList | None = None
    company_ids: IdList | None = None
    company_domains: TextList | None = None
    locations: LocationList | None = None
    exclude_locations: LocationList | None = None
    posted_since: Since | None = None
    seniorities: SeniorityList | None = None
    departments: DepartmentList | None = None
    # Matched against the title and the company's name.
    keywords: Keywords | None = None

    def __post_init__(self) -> None:
        _check_since("posted_since", self.posted_since)


Filters = PeopleFilters | CompanyFilters | OpeningFilters

# limit is checked by the service (400 limit_out_of_range), not by the decoder: its range
# is stated in the document only.
Limit = Annotated[
    int,
    msgspec.Meta(
        description="1 to 2500 results per page (default 25).",
        extra_json_schema={"minimum": 1, "maximum": MAX_LIMIT},
    ),
]
Cursor = Annotated[
    str, msgspec.Meta(max_length=500, description="meta.next_cursor of the previous page.")
]


class PeopleSearch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mode: ModeField = "database"
    filters: PeopleFilters = msgspec.field(default_factory=PeopleFilters)
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


class CompanySearch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mode: ModeField = "database"
    filters: CompanyFilters = msgspec.field(default_factory=CompanyFilters)
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


class OpeningSearch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mode: ModeField = "database"
    filters: OpeningFilters = msgspec.field(default_factory=OpeningFilters)
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


class PeopleCount(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mode: ModeField = "database"
    filters: PeopleFilters = msgspec.field(default_factory=PeopleFilters)


class CompanyCount(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mode: ModeField = "database"
    filters: CompanyFilters = msgspec.field(default_factory=CompanyFilters)


class OpeningCount(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mode: ModeField = "database"
    filters: OpeningFilters = msgspec.field(default_factory=OpeningFilters)


class PeoplePreview(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    filters: PeopleFilters = msgspec.field(default_factory=PeopleFilters)
    limit: Annotated[
        int,
        msgspec.Meta(
            description="1 to 25 (default 10).",
            extra_json_schema={"minimum": 1, "maximum": MAX_PREVIEW_LIMIT},
        ),
    ] = 10


# Responses ------------------------------------------------------------------------------


class Count(msgspec.Struct, kw_only=True):
    count: int


class PersonPreview(msgspec.Struct, kw_only=True):
    """A search result with what identifies or reaches the person left out: no id, no
    email, phone or LinkedIn URL, the last name cut to its initial."""

    first_name: str | None
    # "S." for Smith.
    last_initial: str | None
    title: str | None
    seniority: str | None
    department: str | None
    company: CompanySummary | None
    location: LocationOut
    has_email: bool
    has_phone: bool
