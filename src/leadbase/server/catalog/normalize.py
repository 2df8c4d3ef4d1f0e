"""Normalized keys for catalog values: emails, phones, LinkedIn URLs, domains, names, titles.

Every function here runs once per imported row and per enrichment query, so each is a
pure function of its input, offline (tldextract reads its bundled suffix list) and cheap:
regexes are compiled once and repeated inputs (domains, company names, titles) are cached.
Each normalizer is idempotent: normalizing its own output gives the same output.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal
from urllib.parse import unquote

import msgspec
import phonenumbers
import tldextract
from anyascii import anyascii
from cleanco.termdata import terms_by_country, terms_by_type
from nameparser import HumanName
from nameparser.config import CONSTANTS as NAME_CONSTANTS
from phonenumbers import NumberParseException, PhoneNumberFormat

from leadbase.server.catalog import e164
from leadbase.server.catalog.nicknames import canonical_first_name
from leadbase.server.catalog.titles import title_facets
from leadbase.server.errors import InvalidLinkedinUrl

__all__ = [
    "HEADCOUNT_RANGES",
    "LinkedinKind",
    "LinkedinRef",
    "PersonName",
    "company_name_key",
    "domain",
    "email",
    "headcount_range",
    "linkedin",
    "name_key",
    "person_name",
    "phone",
    "title_facets",
]

# Emails ----------------------------------------------------------------------------------

_ATEXT = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_PART = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


# Characters that show nothing and that copying from web pages leaves in text: zero-width
# space, soft hyphen, word joiner, byte order mark, direction marks and embeddings. They
# split a name in two for nameparser and make an address invalid. (The zero-width
# joiner and non-joiner stay: some scripts need them.)
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def _without_invisibles(text: str) -> str:
    return _INVISIBLE.sub("", text)


def email(raw: str) -> str | None:
    """The address trimmed and lower-cased, or None when it is not a valid address."""
    address = _without_invisibles(raw).strip().lower()
    if address.startswith("mailto:"):
        address = address[7:]
    local, at, host = address.rpartition("@")
    if not at or len(address) > 254 or len(local) > 64 or not _LOCAL_PART.fullmatch(local):
        return None
    ascii_host = _hostname(host)
    return f"{local}@{ascii_host}" if ascii_host else None


@lru_cache(maxsize=65536)
def _hostname(host: str) -> str | None:
    """A DNS name with at least two labels in lower-case ASCII (IDNA), or None."""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    host = host.lower()
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not _TLD.fullmatch(labels[-1]):
        return None
    return host if all(_LABEL.fullmatch(label) for label in labels) else None


# Phones ----------------------------------------------------------------------------------


def phone(raw: str, *, default_region: str | None = None) -> str | None:
    """The number in E.164 ("+14155550123"), or None when it is not a valid number.

    ``default_region`` (ISO 3166 alpha-2) reads numbers written without a country code.
    """
    known = e164.international(raw)
    if known is not e164.UNDECIDED:
        return known
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


# LinkedIn --------------------------------------------------------------------------------

LinkedinKind = Literal["person", "company", "job"]


class LinkedinRef(msgspec.Struct, frozen=True):
    """One LinkedIn profile, company page or job posting: its kind and slug.

    A public slug is lower-cased (LinkedIn ignores its case). A member id (the
    ``ACoAA...`` of URNs, Sales Navigator leads and ``/in/ACoAA...``) keeps its case: it
    is case-sensitive, and lower-cased it names no one. For jobs the slug is the numeric
    job id; companies reached by numeric id keep it.
    """

    kind: LinkedinKind
    slug: str


_EXPECTED = {
    "person": "expected https://www.linkedin.com/in/<slug>",
    "company": "expected https://www.linkedin.com/company/<slug>",
    "job": "expected https://www.linkedin.com/jobs/view/<id>",
}
_KIND_NAMES = {"person": "profile", "company": "company", "job": "job"}
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_PORT = re.compile(r":\d{1,5}$")
_SLUG = re.compile(r"[\w.~-]{1,200}")
_DIGITS = re.compile(r"\d{1,20}", re.ASCII)
_JOB_SEGMENT = re.compile(r"(?:.*-)?(\d{1,20})", re.ASCII)
_PUB_PART = re.compile(r"[0-9a-z]{1,3}")
_JOB_QUERY = re.compile(r"(?:^|&)currentjobid=(\d{1,20})(?:&|$)", re.IGNORECASE | re.ASCII)
_ID_QUERY = re.compile(r"(?:^|&)id=([\w-]{1,200})(?:&|$)", re.IGNORECASE | re.ASCII)
_URN = re.compile(r"urn:li:([a-z_]+):(.+)", re.IGNORECASE)
_URN_ID = re.compile(r"[\w-]{1,200}", re.ASCII)
# A member id where a profile slug goes ("/in/ACoAAB..." of ~39 characters): public slugs
# are lower-case, and one as long that starts so is unlikely.
_MEMBER_ID = re.compile(r"AC[a-z]AA[\w-]{20,195}", re.ASCII)
_URN_KINDS: dict[str, LinkedinKind] = {
    "fsd_profile": "person",
    "fs_profile": "person",
    "fs_miniprofile": "person",
    "fsd_miniprofile": "person",
    "member": "person",
    "person": "person",
    "company": "company",
    "organization": "company",
    "fsd_company": "company",
    "fs_minicompany": "company",
    "fs_normalized_company": "company",
    "school": "company",
    "fsd_school": "company",
    "jobposting": "job",
    "fsd_jobposting": "job",
    "fs_normalized_jobposting": "job",
}
_COMPANY_SECTIONS = frozenset({"company", "school", "showcase", "company-beta"})
_SKIPPED_PREFIXES = frozenset({"mwlite", "comm"})


class _NotLinkedin(Exception):
    """Internal: the input is not a reference to a profile, company or job."""


def linkedin(
    raw: str, *, expect: LinkedinKind | None = None, param: str = "linkedin_url"
) -> LinkedinRef:
    """The profile, company or job a LinkedIn URL or URN names.

    Raises InvalidLinkedinUrl (400, ``param`` and ``details`` keyed by it) when ``raw`` is
    not one, or names another kind than ``expect``.
    """
    try:
        ref = _linkedin(raw.strip())
    except _NotLinkedin:
        ref = None
    if ref is None or (expect is not None and ref.kind != expect):
        wanted = _KIND_NAMES[expect] if expect else "profile, company or job"
        raise InvalidLinkedinUrl(
            f"{param} is not a LinkedIn {wanted} URL",
            param=param,
            details={param: _EXPECTED[expect] if expect else f"expected a LinkedIn {wanted} URL"},
        )
    return ref


# The common form, read without the general parser below (which gives the same answer).
_PROFILE_URL = re.compile(
    r"https?://(?:www\.|[a-z]{2}\.)?linkedin\.com/in/([a-z0-9_.~-]{1,200})/?", re.IGNORECASE
)


def _linkedin(text: str) -> LinkedinRef | None:
    if len(text) > 2048:
        return None
    if (profile := _PROFILE_URL.fullmatch(text)) and any(
        char.isalnum() for char in profile.group(1)
    ):
        slug = profile.group(1)
        return LinkedinRef(kind="person", slug=slug if _MEMBER_ID.fullmatch(slug) else slug.lower())
    if text[:11].lower() == "urn%3ali%3a":
        text = unquote(text)
    if text[:7].lower() == "urn:li:":
        return _from_urn(text)
    scheme = _SCHEME.match(text)
    if scheme:
        if scheme.group().lower() not in {"http://", "https://"}:
            return None
        text = text[scheme.end() :]
    elif text.startswith("//"):
        text = text[2:]
    rest, _, query = text.partition("#")[0].partition("?")
    host, _, path = rest.partition("/")
    if not _is_linkedin_host(host):
        return None
    return _from_path([unquote(part) for part in path.split("/") if part], query)


def _is_linkedin_host(host: str) -> bool:
    host = _PORT.sub("", host.lower()).rstrip(".")
    if host == "linkedin.com":
        return True
    if not host.endswith(".linkedin.com"):
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in host[:-13].split("."))


def _from_path(segments: list[str], query: str) -> LinkedinRef | None:
    while segments and segments[0].lower() in _SKIPPED_PREFIXES:
        segments = segments[1:]
    if not segments:
        return None
    section = segments[0].lower()
    rest = segments[1:]
    if section == "in" and rest:
        return LinkedinRef(kind="person", slug=_profile_slug(rest[0]))
    if section == "pub" and rest:
        return LinkedinRef(kind="person", slug=_slug(_pub_slug(rest)))
    if section == "profile" and rest[:1] == ["view"]:
        found = _ID_QUERY.search(query)
        return LinkedinRef(kind="person", slug=_member_id(found.group(1))) if found else None
    if section in _COMPANY_SECTIONS and rest:
        return LinkedinRef(kind="company", slug=_slug(rest[0]))
    if section == "sales" and len(rest) >= 2:
        return _from_sales(rest[0].lower(), rest[1])
    if section == "jobs":
        return _from_jobs(rest, query)
    return None


def _pub_slug(parts: list[str]) -> str:
    # /pub/jane-doe/a7/576/b50 is the old form of /in/jane-doe-b50576a7.
    if len(parts) == 4 and all(_PUB_PART.fullmatch(part.lower()) for part in parts[1:]):
        return parts[0] + "-" + "".join(reversed(parts[1:]))
    if len(parts) == 1 and parts[0].lower() != "dir":
        return parts[0]
    raise _NotLinkedin


def _from_sales(page: str, identifier: str) -> LinkedinRef | None:
    # Sales Navigator: /sales/lead/<id>,NAME_SEARCH,xyz and /sales/company/<id>
    identifier = identifier.partition(",")[0]
    if page in {"lead", "people"}:
        return LinkedinRef(kind="person", slug=_member_id(identifier))
    if page == "company":
        return LinkedinRef(kind="company", slug=_slug(identifier))
    return None


def _from_jobs(rest: list[str], query: str) -> LinkedinRef | None:
    if len(rest) >= 2 and rest[0].lower() == "view":
        found = _JOB_SEGMENT.fullmatch(rest[1])
        return LinkedinRef(kind="job", slug=str(int(found.group(1)))) if found else None
    found = _JOB_QUERY.search(query)
    return LinkedinRef(kind="job", slug=str(int(found.group(1)))) if found else None


def _from_urn(text: str) -> LinkedinRef | None:
    found = _URN.fullmatch(text)
    if not found:
        return None
    kind = _URN_KINDS.get(found.group(1).lower())
    identifier = found.group(2)
    if kind in {"job", "company"}:  # numeric ids; profiles have opaque ones
        if not _DIGITS.fullmatch(identifier):
            return None
        return LinkedinRef(kind=kind, slug=str(int(identifier)))
    if kind is None or not _URN_ID.fullmatch(identifier):
        return None
    return LinkedinRef(kind=kind, slug=identifier)


def slug_forms(slug: str) -> tuple[str, ...]:
    """A profile slug as the catalog may hold it: a member id also lower-cased, as imports
    stored member ids before they kept their case; any other slug alone."""
    lowered = slug.lower()
    return (slug,) if lowered == slug else (slug, lowered)


def _profile_slug(text: str) -> str:
    """An /in/ segment: a member id as it is, a public slug lower-cased."""
    return text if _MEMBER_ID.fullmatch(text) else _slug(text)


def _member_id(text: str) -> str:
    """An opaque member id (a lead's, a URN's), case kept."""
    if not _URN_ID.fullmatch(text):
        raise _NotLinkedin
    return text


def _slug(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    slug = text.lower()
    if not _SLUG.fullmatch(slug) or not any(char.isalnum() for char in slug):
        raise _NotLinkedin
    return slug


# Domains ---------------------------------------------------------------------------------

_extractor: tldextract.TLDExtract | None = None
_AUTHORITY_END = re.compile(r"[/?#\\]")


def _tld_extractor() -> tldextract.TLDExtract:
    global _extractor
    if _extractor is None:
        # No suffix-list URLs and no cache dir: the bundled snapshot, never the network.
        _extractor = tldextract.TLDExtract(
            suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
        )
    return _extractor


def domain(raw: str) -> str | None:
    """The registrable domain ("example.co.uk") of a URL, host name or email address.

    Lower-case ASCII (IDNA); None for IP addresses, single-label hosts and bare public
    suffixes. Private suffixes count ("acme.github.io" is its own domain); a host that is
    one itself is its owner's domain only as that domain or its www (see
    _owner_of_private_suffix).
    """
    return _domain(raw.strip().lower())


@lru_cache(maxsize=65536)
def _domain(text: str) -> str | None:
    scheme = _SCHEME.match(text)
    if scheme:
        text = text[scheme.end() :]
    elif text.startswith("//"):
        text = text[2:]
    host = _AUTHORITY_END.split(text, maxsplit=1)[0]
    host = host.rpartition("@")[2]  # an email address, or user info in a URL
    host = _PORT.sub("", host).rstrip(".")
    ascii_host = _hostname(host) if host and not host.startswith("[") else None
    if ascii_host is None:
        return None
    parts = _tld_extractor().extract_str(ascii_host)
    if not parts.domain:
        return _owner_of_private_suffix(ascii_host)
    if not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def _owner_of_private_suffix(host: str) -> str | None:
    """A host that is itself a private suffix: the ICANN registrable domain when the host
    is that domain or its www ("www.moonscale.io" under "*.moonscale.io"). Any other
    name under it is a tenant of the platform, not the platform's company."""
    parts = _tld_extractor().extract_str(host, include_psl_private_domains=False)
    if not parts.domain or not parts.suffix:
        return None
    registrable = f"{parts.domain}.{parts.suffix}"
    return registrable if host in (registrable, f"www.{registrable}") else None


# Company names ---------------------------------------------------------------------------

_NAME_APOSTROPHES = re.compile(r"['\u2019`.]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> list[str]:
    """Lower-case ASCII words: accents and scripts transliterated, "S.A." -> "sa"."""
    if not text.isascii():
        text = anyascii(text)
    text = _NAME_APOSTROPHES.sub("", text.lower().replace("&", " and "))
    return _NON_WORD.sub(" ", text).split()


def _legal_suffixes() -> dict[int, frozenset[tuple[str, ...]]]:
    terms: set[tuple[str, ...]] = set()
    for group in (*terms_by_type.values(), *terms_by_country.values()):
        terms.update(tuple(words) for term in group if (words := _fold(term)))
    sizes = sorted({len(term) for term in terms}, reverse=True)
    return {size: frozenset(term for term in terms if len(term) == size) for size in sizes}


# cleanco's legal-form terms ("inc", "gmbh", "s a", "pty ltd"), folded like the names.
_SUFFIXES = _legal_suffixes()
# East Asian legal forms, written without spaces and often first: cleanco lacks them.
_CJK_FORMS = "|".join(
    re.escape(form)
    for form in (
        "股份有限公司",
        "有限责任公司",
        "有限責任公司",
        "有限公司",
        "株式会社",
        "有限会社",
        "合同会社",
        "(株)",
        "\uff08株\uff09",
        "\u3231",
        "주식회사",
        "유한회사",
        "(주)",
        "\uff08주\uff09",
    )
)
_CJK_FORM = re.compile(rf"^\s*(?:{_CJK_FORMS})\s*|\s*(?:{_CJK_FORMS})\s*$")


def company_name_key(name: str) -> str:
    """A company's matching key: legal forms dropped, lower-case ASCII words.

    "Acme Holdings, Inc." -> "acme holdings"; "" when the name has no letters or digits.
    """
    return _company_name_key(name)


@lru_cache(maxsize=65536)
def _company_name_key(name: str) -> str:
    if not name.isascii():
        name = _CJK_FORM.sub("", name)
    words = _fold(name)
    stripped = True
    while stripped:
        stripped = False
        for size, terms in _SUFFIXES.items():
            # Keep at least one word: "Inc." alone is still a name.
            if len(words) > size and tuple(words[-size:]) in terms:
                del words[-size:]
                stripped = True
                break
    while len(words) > 1 and words[0] == "the":
        del words[0]
    return " ".join(words)


# Person names ----------------------------------------------------------------------------


class PersonName(msgspec.Struct, frozen=True):
    """A person's name as shown (``first``, ``last``, ``full``) and its matching ``key``."""

    first: str | None
    last: str | None
    full: str
    key: str


_SIMPLE_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")
# Words nameparser gives a role (titles, suffixes, "van", "y"): names with them go to it.
_NAMEPARSER_WORDS = frozenset(
    word
    for group in (
        NAME_CONSTANTS.titles,
        NAME_CONSTANTS.prefixes,
        NAME_CONSTANTS.conjunctions,
        NAME_CONSTANTS.suffix_acronyms,
        NAME_CONSTANTS.suffix_not_acronyms,
    )
    for word in group
)
_GENERATIONS = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_NAME_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "mba", "esq", "cpa", "pmp", "dds", "jd"}
)


def person_name(
    *, full: str | None = None, first: str | None = None, last: str | None = None
) -> PersonName | None:
    """A name from a full name ("Dr. Jane Doe PhD", "Doe, Jane") or from its parts.

    Parts win over what the full name says; None when no part has a letter or digit.
    """
    first, last = _clean(first), _clean(last)
    full = _clean(full)
    if full and (first is None or last is None):
        parsed_first, parsed_last = _parse_full(full)
        first = first or parsed_first
        last = last or parsed_last
    key = name_key(first, last)
    if not key:
        return None
    shown = " ".join(part for part in (first, last) if part)
    # "Doe, Jane" is shown the way it is said: "Jane Doe".
    return PersonName(
        first=first, last=last, full=shown if not full or "," in full else full, key=key
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(_without_invisibles(value).split())
    return cleaned or None


def _parse_full(full: str) -> tuple[str | None, str | None]:
    words = full.split(" ")
    if 2 <= len(words) <= 3 and all(_is_plain_name_word(word) for word in words):
        # nameparser would read these the same way; skipping it saves ~0.2 ms a name. But
        # for a word that looks like a roman numeral ("Vi", "Ix"): nameparser reads it as
        # a generation suffix whatever its case, here it stays a name ("Nguyen Thi Vi").
        return words[0], words[-1]
    parsed = HumanName(full)
    first, last = parsed.first, parsed.last
    if first and not last:
        # nameparser reads a last name that is also a suffix or title as one ("Bob Ra",
        # "King Smith"); a two-word name still has a last name.
        if parsed.suffix and parsed.suffix_list[0].lower() not in _GENERATIONS:
            last = parsed.suffix_list[0]
        elif parsed.title:
            first, last = parsed.title_list[-1], first
    return first or None, last or None


def _is_plain_name_word(word: str) -> bool:
    return bool(_SIMPLE_NAME_WORD.fullmatch(word)) and word.lower() not in _NAMEPARSER_WORDS


def name_key(first: str | None, last: str | None) -> str:
    """The matching key "first last": lower-case ASCII, first-name nickname resolved.

    ("Bob", "Smith") and ("Robert", "Smith") both give "robert smith".
    """
    first_key = _first_key(first) if first else ""
    last_key = _last_key(last) if last else ""
    return f"{first_key} {last_key}".strip()


@lru_cache(maxsize=65536)
def _first_key(first: str) -> str:
    return canonical_first_name(_first_spelling(first))


@lru_cache(maxsize=65536)
def _first_spelling(first: str) -> str:
    # As the key folds it, before its nickname is resolved.
    words = _fold(first.replace("-", ""))
    if len(words) > 1:
        words = [word for word in words if len(word) > 1] or words[:1]
    return "".join(words)


def is_nickname(given: str, recorded: str) -> bool:
    """Whether ``given`` is another name for ``recorded`` ("Pete" for "Peter"), not a way
    of writing the same one ("PETER", "Péter")."""
    spelled, kept = _first_spelling(given), _first_spelling(recorded)
    return spelled != kept and canonical_first_name(spelled) == canonical_first_name(kept)


@lru_cache(maxsize=65536)
def _last_key(last: str) -> str:
    words = _fold(last)
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        del words[-1]
    return " ".join(words)


# Headcounts ------------------------------------------------------------------------------

_HEADCOUNT_BOUNDS: tuple[tuple[str, int, int | None], ...] = (
    ("1-10", 1, 10),
    ("11-50", 11, 50),
    ("51-200", 51, 200),
    ("201-500", 201, 500),
    ("501-1000", 501, 1000),
    ("1001-5000", 1001, 5000),
    ("5001-10000", 5001, 10000),
    ("10001+", 10001, None),
)
HEADCOUNT_RANGES = tuple(label for label, _, _ in _HEADCOUNT_BOUNDS)
_HEADCOUNT_NUMBER = r"(\d+(?:[.,]\d+)*)\s*(k?)"
_HEADCOUNT = re.compile(
    rf"{_HEADCOUNT_NUMBER}(?:\s*(?:-|\u2013|\u2014|to)\s*{_HEADCOUNT_NUMBER})?\s*(\+|or more|plus)?"
)
_HEADCOUNT_OPEN_WORDS = re.compile(r"\b(?:over|more than|above|at least)\b")
_HEADCOUNT_SOLO_WORDS = re.compile(r"\b(?:self[- ]employed|myself only|just me|sole)\b")


def headcount_range(raw: str | int | None) -> tuple[str, int, int | None] | None:
    """(label, min, max) of the HEADCOUNT_RANGES bucket for a count or a range text.

    150 -> ("51-200", 51, 200); "10,001+" -> ("10001+", 10001, None); None when unreadable.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return _bucket(raw)
    return _headcount_text(raw.strip().lower())


@lru_cache(maxsize=1024)
def _headcount_text(text: str) -> tuple[str, int, int | None] | None:
    if _HEADCOUNT_SOLO_WORDS.search(text):
        return _HEADCOUNT_BOUNDS[0]
    found = _HEADCOUNT.search(text)
    if not found:
        return None
    low = _headcount_number(found.group(1), found.group(2))
    if found.group(3) is not None:
        high = _headcount_number(found.group(3), found.group(4))
        return _bucket(high) if high >= low else None
    if found.group(5) or _HEADCOUNT_OPEN_WORDS.search(text):
        return _bucket(low + 1)  # "10,000+" is more than 10,000
    return _bucket(low)


def _headcount_number(digits: str, thousands: str) -> int:
    if thousands:
        return int(float(digits.replace(",", ".")) * 1000)
    return int(digits.replace(",", "").replace(".", ""))


def _bucket(count: int) -> tuple[str, int, int | None] | None:
    if count <= 0:
        return None
    for bounds in _HEADCOUNT_BOUNDS:
        if bounds[2] is None or count <= bounds[2]:
            return bounds
    return None
