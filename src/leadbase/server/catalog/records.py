"""One import row (a CSV line or an admin API row) -> a normalized catalog record.

The input is a mapping of field name (see ``columns``) to non-blank text; the output is a
record whose every key is already normalized, or the row's errors keyed by field. The
values that repeat across millions of rows (companies, titles, places) are normalized
once each (cached), which keeps an import near the database's own insert speed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

import msgspec

from leadbase.server.catalog import normalize
from leadbase.server.catalog.columns import Kind
from leadbase.server.db import fits_utc
from leadbase.server.errors import AtLeastOneRequired, InvalidLinkedinUrl, InvalidParameter

_CACHE = 65_536

EMAIL_STATUSES = {
    "valid": "valid",
    "verified": "valid",
    "deliverable": "valid",
    "invalid": "invalid",
    "undeliverable": "invalid",
    "bounced": "invalid",
    "risky": "risky",
    "catchall": "risky",
    "acceptall": "risky",
    "guessed": "risky",
    "unknown": "unknown",
    "unavailable": "unknown",
}


# The records are array_like: they cross an import's reading pipe (msgpack) as arrays,
# without their field names: 244 bytes a person instead of 422, and a quarter less time to decode.
class CompanyRef(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """The company a person works for or an opening belongs to, as a row names it."""

    name: str
    name_key: str
    domain: str | None = None
    linkedin_slug: str | None = None


class PersonRecord(msgspec.Struct, kw_only=True, array_like=True):
    # Provenance id: the source's record id, else a fingerprint of the row.
    source_record_id: str
    first_name: str | None
    last_name: str | None
    full_name: str
    name_key: str
    title: str | None = None
    seniority: str | None = None
    department: str | None = None
    # (address, kind, status).
    emails: list[tuple[str, str, str]] = msgspec.field(default_factory=list)
    # (E.164, kind).
    phones: list[tuple[str, str]] = msgspec.field(default_factory=list)
    linkedin_slug: str | None = None
    company: CompanyRef | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None


class CompanyRecord(msgspec.Struct, kw_only=True, array_like=True):
    source_record_id: str
    name: str
    name_key: str
    domain: str | None = None
    website: str | None = None
    linkedin_slug: str | None = None
    industry: str | None = None
    headcount_range: str | None = None
    headcount_min: int | None = None
    headcount_max: int | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    founded: int | None = None
    description: str | None = None

    @property
    def ref(self) -> CompanyRef:
        return CompanyRef(
            name=self.name,
            name_key=self.name_key,
            domain=self.domain,
            linkedin_slug=self.linkedin_slug,
        )


class OpeningRecord(msgspec.Struct, kw_only=True, array_like=True):
    source_record_id: str
    title: str
    company: CompanyRef
    seniority: str | None = None
    department: str | None = None
    url: str | None = None
    linkedin_job_id: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    posted_at: dt.datetime | None = None


class Errors(dict[str, str]):
    """A row's problems by field, and the one error code that sums them up for a caller:
    a malformed LinkedIn URL's own code wins, as in the enrich endpoints' answers; a
    person with nothing to be found by is at_least_one_required; else invalid_parameter."""

    code: str = InvalidParameter.code


Record = PersonRecord | CompanyRecord | OpeningRecord


# People ---------------------------------------------------------------------------------


def parse_person(values: Mapping[str, str]) -> PersonRecord | Errors:
    errors = Errors()
    name = normalize.person_name(
        full=values.get("full_name"), first=values.get("first_name"), last=values.get("last_name")
    )
    if name is None:
        errors[name_field(values)] = NAME_NEEDED
    city, region, country = _location(values, errors)
    emails = _emails(values, errors)
    phones = _phones(values, country, errors)
    slug = _linkedin(values, "linkedin_url", "person", errors)
    company = _company_ref(values, errors)
    if errors or name is None:
        return errors
    if not (emails or phones or slug or company):
        missing = Errors(
            email="a person needs an email, phone, LinkedIn URL or company to be found by"
        )
        missing.code = AtLeastOneRequired.code
        return missing
    title = values.get("title")
    seniority, department = _title_facets(title)
    return PersonRecord(
        source_record_id=_record_id(values),
        first_name=name.first,
        last_name=name.last,
        full_name=name.full,
        name_key=name.key,
        title=title,
        seniority=seniority,
        department=department,
        emails=emails,
        phones=phones,
        linkedin_slug=slug,
        company=company,
        city=city,
        region=region,
        country=country,
    )


NAME_NEEDED = "a person needs a name (first and last name, or a full name)"


def name_field(values: Mapping[str, str]) -> str:
    """The field a row's missing name is reported under."""
    return "full_name" if "full_name" in values else "first_name"


class PersonKeys(NamedTuple):
    """What a row finds a person by exactly: emails, LinkedIn slug, phones (normalized)."""

    emails: list[str]
    linkedin_slug: str | None
    phones: list[str]


def person_keys(values: Mapping[str, str]) -> PersonKeys:
    """The exact keys of a person row (its invalid ones left out): what a row without a
    name finds the catalog person it updates by."""
    ignored = Errors()
    _, _, country = _location(values, ignored)
    return PersonKeys(
        emails=[address for address, _, _ in _emails(values, ignored)],
        linkedin_slug=_linkedin(values, "linkedin_url", "person", ignored),
        phones=[e164 for e164, _ in _phones(values, country, ignored)],
    )


def _emails(values: Mapping[str, str], errors: Errors) -> list[tuple[str, str, str]]:
    status = "unknown"
    if (raw_status := values.get("email_status")) is not None:
        status = EMAIL_STATUSES.get(re.sub(r"[^a-z]", "", raw_status.lower()), "unknown")
    found: list[tuple[str, str, str]] = []
    for field, kind in (("email", "work"), ("personal_email", "personal")):
        raw = values.get(field)
        if raw is None:
            continue
        address = normalize.email(raw)
        if address is None:
            errors[field] = "not a valid email address"
        elif all(address != known for known, _, _ in found):
            found.append((address, kind, status if field == "email" else "unknown"))
    return found


def _phones(
    values: Mapping[str, str], country: str | None, errors: Errors
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for field, kind in (("mobile_phone", "mobile"), ("work_phone", "direct"), ("phone", "other")):
        raw = values.get(field)
        if raw is None:
            continue
        e164 = normalize.phone(raw, default_region=country)
        if e164 is None:
            errors[field] = "not a valid phone number (use +<country code> or give the country)"
        elif all(e164 != known for known, _ in found):
            found.append((e164, kind))
    return found


def _company_ref(values: Mapping[str, str], errors: Errors) -> CompanyRef | None:
    name = values.get("company_name")
    domain = None
    if (raw_domain := values.get("company_domain")) is not None:
        domain = _domain(raw_domain)
        if domain is None:
            errors["company_domain"] = "not a domain name or website"
    slug = _linkedin(values, "company_linkedin_url", "company", errors)
    if name is None:
        if domain is None:
            return None
        # Named by its domain until a row says more: "acme.co.uk", matched as "acme".
        name = domain
        key = _company_name_key(domain.split(".", 1)[0])
    else:
        key = _company_name_key(name)
    if not key:
        errors["company_name"] = "has no letters or digits"
        return None
    return CompanyRef(name=name, name_key=key, domain=domain, linkedin_slug=slug)


# Companies ------------------------------------------------------------------------------


def parse_company(values: Mapping[str, str]) -> CompanyRecord | Errors:
    errors = Errors()
    domain = None
    for field in ("domain", "website"):
        if (raw := values.get(field)) is not None:
            found = _domain(raw)
            if found is None:
                errors[field] = "not a domain name or website"
            domain = domain or found
    name = values.get("name") or domain
    if name is None:
        key = ""
    elif name == values.get("name"):
        key = _company_name_key(name)
    else:
        key = _company_name_key(name.split(".", 1)[0])
    if name is None:
        errors["name"] = "a company needs a name, a domain or a website"
    elif not key:
        errors["name"] = "has no letters or digits"
    slug = _linkedin(values, "linkedin_url", "company", errors)
    headcount = None
    if (raw_headcount := values.get("headcount")) is not None:
        headcount = normalize.headcount_range(raw_headcount)
        if headcount is None:
            errors["headcount"] = "not a number of employees or a range such as 51-200"
    founded = _founded(values.get("founded"), errors)
    city, region, country = _location(values, errors)
    if errors or name is None:
        return errors
    return CompanyRecord(
        source_record_id=_record_id(values),
        name=name,
        name_key=key,
        domain=domain,
        website=values.get("website"),
        linkedin_slug=slug,
        industry=values.get("industry"),
        headcount_range=headcount[0] if headcount else None,
        headcount_min=headcount[1] if headcount else None,
        headcount_max=headcount[2] if headcount else None,
        city=city,
        region=region,
        country=country,
        founded=founded,
        description=values.get("description"),
    )


def _founded(raw: str | None, errors: Errors) -> int | None:
    if raw is None:
        return None
    year = raw.split(".", 1)[0].strip()
    if not year.isdigit() or not 1000 <= int(year) <= dt.date.today().year + 1:
        errors["founded"] = "not a year"
        return None
    return int(year)


# Openings -------------------------------------------------------------------------------


def parse_opening(values: Mapping[str, str]) -> OpeningRecord | Errors:
    errors = Errors()
    title = values.get("title")
    if title is None:
        errors["title"] = "an opening needs a job title"
    company = _company_ref(values, errors)
    if company is None and "company_domain" not in errors and "company_name" not in errors:
        errors["company_domain"] = "an opening needs its company's domain or name"
    url = values.get("url")
    job_id = None
    if url is not None:
        if _is_linkedin(url):
            job_id = _linkedin(values, "url", "job", errors)
        elif not url.lower().startswith(("http://", "https://")):
            errors["url"] = "not an http(s) URL"
    posted_at = _datetime(values.get("posted_at"), "posted_at", errors)
    city, region, country = _location(values, errors)
    if errors or title is None or company is None:
        return errors
    seniority, department = _title_facets(title)
    return OpeningRecord(
        source_record_id=_record_id(values),
        title=title,
        company=company,
        seniority=seniority,
        department=department,
        url=url,
        linkedin_job_id=job_id,
        city=city,
        region=region,
        country=country,
        posted_at=posted_at,
    )


def _datetime(raw: str | None, field: str, errors: Errors) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        errors[field] = "not an ISO 8601 date or date-time (2024-05-01 or 2024-05-01T09:30:00Z)"
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    if not fits_utc(moment):
        errors[field] = "out of range once converted to UTC"
        return None
    return moment.astimezone(dt.UTC)


# Shared pieces --------------------------------------------------------------------------


def _record_id(values: Mapping[str, str]) -> str:
    record_id = values.get("record_id")
    if record_id is not None:
        return record_id[:200]
    # No id in the source: the row's own content, so the same row sent twice is one record.
    content = "\x1f".join(f"{name}\x1e{value}" for name, value in sorted(values.items()))
    return "sha1:" + hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()


def _linkedin(
    values: Mapping[str, str], field: str, kind: normalize.LinkedinKind, errors: Errors
) -> str | None:
    raw = values.get(field)
    if raw is None:
        return None
    try:
        return normalize.linkedin(raw, expect=kind, param=field).slug
    except InvalidLinkedinUrl as error:
        errors[field] = str((error.details or {}).get(field) or error.message)
        errors.code = error.code
        return None


def _is_linkedin(url: str) -> bool:
    return url.lower().startswith("urn:li:") or _domain(url) == "linkedin.com"


def _location(
    values: Mapping[str, str], errors: Errors
) -> tuple[str | None, str | None, str | None]:
    city, region = values.get("city"), values.get("region")
    country = None
    if (raw_country := values.get("country")) is not None:
        country = country_code(raw_country)
        if country is None:
            errors["country"] = "not a country name or ISO 3166 code"
    if (location := values.get("location")) is not None:
        parsed = split_location(location)
        city, region, country = city or parsed[0], region or parsed[1], country or parsed[2]
    return city, region, country


@functools.lru_cache(maxsize=_CACHE)
def split_location(location: str) -> tuple[str | None, str | None, str | None]:
    """``"Austin, Texas, United States"`` -> (city, region, country code)."""
    parts = [part.strip() for part in location.split(",") if part.strip()]
    if not parts:
        return None, None, None
    country = country_code(parts[-1])
    if country is not None:
        parts.pop()
    if len(parts) > 2:
        parts = [", ".join(parts[:-1]), parts[-1]]
    city = parts[0] if parts else None
    region = parts[1] if len(parts) > 1 else None
    return city, region, country


@functools.lru_cache(maxsize=_CACHE)
def country_code(raw: str) -> str | None:
    """ISO 3166-1 alpha-2 for a code or an English country name; None when unknown."""
    key = re.sub(r"[^a-z]", "", raw.lower())
    return _countries().get(key)


@functools.cache
def _countries() -> dict[str, str]:
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for code, translations in LOCALE_DATA.items():
        name = translations.get("en")
        while name is not None and name.startswith("*"):
            name = translations.get(name[1:])
        names[code.lower()] = code
        if name:
            names[re.sub(r"[^a-z]", "", name.lower())] = code
    for alias, code in _COUNTRY_ALIASES.items():
        names[alias] = code
    return names


_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "unitedstatesofamerica": "US",
    "america": "US",
    "uk": "GB",
    "greatbritain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northernireland": "GB",
    "uae": "AE",
    "deutschland": "DE",
    "czechia": "CZ",
    "holland": "NL",
    "thenetherlands": "NL",
    "korea": "KR",
    "republicofkorea": "KR",
    "russianfederation": "RU",
    "turkiye": "TR",
    "northmacedonia": "MK",
    "eswatini": "SZ",
    "ivorycoast": "CI",
    "hongkongsar": "HK",
    "mainlandchina": "CN",
}


@functools.lru_cache(maxsize=_CACHE)
def _domain(raw: str) -> str | None:
    return normalize.domain(raw)


@functools.lru_cache(maxsize=_CACHE)
def _company_name_key(name: str) -> str:
    return normalize.company_name_key(name)


@functools.lru_cache(maxsize=_CACHE)
def _title_facets(title: str | None) -> tuple[str | None, str | None]:
    return normalize.title_facets(title)


Parser = Callable[[dict[str, str]], Record | Errors]

PARSERS: dict[Kind, Parser] = {
    "people": parse_person,
    "companies": parse_company,
    "openings": parse_opening,
}


# Dropping invalid fields (an import's drop_invalid_fields) ----------------------------

# The fields a row may be imported without when they are invalid: what describes a
# record, never what names it (a person's name, a company's name, an opening's title or
# company, a record id). A row whose invalid field is not here fails whole.
DROPPABLE: Mapping[Kind, frozenset[str]] = {
    "people": frozenset(
        {
            "email",
            "personal_email",
            "mobile_phone",
            "work_phone",
            "phone",
            "linkedin_url",
            "title",
            "company_domain",
            "company_linkedin_url",
            "city",
            "region",
            "country",
            "location",
        }
    ),
    "companies": frozenset(
        {
            "domain",
            "website",
            "linkedin_url",
            "industry",
            "headcount",
            "founded",
            "description",
            "city",
            "region",
            "country",
            "location",
        }
    ),
    "openings": frozenset(
        {"url", "posted_at", "company_linkedin_url", "city", "region", "country", "location"}
    ),
}

# A person's exact keys, which suppression and matching go by.
_PERSON_KEYS = frozenset(
    {"email", "personal_email", "mobile_phone", "work_phone", "phone", "linkedin_url"}
)


def without_invalid(
    kind: Kind, values: Mapping[str, str], errors: Mapping[str, str]
) -> Record | None:
    """The record ``values`` make without the fields ``errors`` names, when each of them
    may be dropped; None when the row must fail whole.

    A person who loses an exact key must keep another: a row for an opted-out person whose
    one address is malformed (``Jane Doe <jane@acme.com>``) must not come back as a new
    person found by name. The record keeps the row's own id (or the fingerprint of the
    whole row), so two rows that differ only in a dropped field stay two records.
    """
    if not errors.keys() <= DROPPABLE[kind]:
        return None
    record = PARSERS[kind]({name: value for name, value in values.items() if name not in errors})
    if isinstance(record, dict):
        return None
    if (
        isinstance(record, PersonRecord)
        and errors.keys() & _PERSON_KEYS
        and not (record.emails or record.phones or record.linkedin_slug)
    ):
        return None
    return msgspec.structs.replace(record, source_record_id=_record_id(values))
