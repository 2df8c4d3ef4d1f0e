from __future__ import annotations

import re
import socket
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import quote

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nameparser import HumanName
from nameparser.config import CONSTANTS

from leadbase.server.catalog import normalize
from leadbase.server.catalog.normalize import (
    HEADCOUNT_RANGES,
    LinkedinKind,
    LinkedinRef,
    PersonName,
    company_name_key,
    domain,
    email,
    headcount_range,
    linkedin,
    name_key,
    person_name,
    phone,
    slug_forms,
)
from leadbase.server.errors import InvalidLinkedinUrl

# Examples run on a shared 2-core machine: no deadlines, no timing assertions.
properties = settings(deadline=None, max_examples=200)

# Emails ----------------------------------------------------------------------------------


MEMBER_ID = "ACoAABcDeFgHiJkLmNoPqRsTuVwXyZ0123456"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("john.doe@example.com", "john.doe@example.com"),
        ("  John.Doe@Example.COM \n", "john.doe@example.com"),
        ("MAILTO:jane@example.com", "jane@example.com"),
        ("jane+leads@mail.example.co.uk", "jane+leads@mail.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("first_last-1@sub-domain.example.io", "first_last-1@sub-domain.example.io"),
        ("x@example.museum", "x@example.museum"),
        ("anna@bücher.de", "anna@xn--bcher-kva.de"),
        ("ivan@example.xn--p1ai", "ivan@example.xn--p1ai"),
    ],
)
def test_email_is_trimmed_and_lower_cased(raw: str, expected: str) -> None:
    assert email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "john.example.com",  # no @
        "john doe@example.com",  # a space
        "john@exa mple.com",
        "john@@example.com",  # two @
        "john@doe@example.com",
        "@example.com",  # empty local part
        "john@",  # empty domain
        "john@localhost",  # a single label
        "john@example",
        "john@-example.com",  # label starts with a hyphen
        "john@example-.com",
        "john@exa_mple.com",
        "john@example..com",
        "john@.example.com",
        "john@example.com.",
        "john@example.c",  # one-letter TLD
        "john@example.123",  # numeric TLD
        "john@[192.168.0.1]",
        "john@192.168.0.1",
        ".john@example.com",  # dots only between atoms
        "john.@example.com",
        "jo..hn@example.com",
        '"john"@example.com',  # quoted local parts are not lead data
        "jöhn@example.com",
        "j(ohn)@example.com",
        "a" * 65 + "@example.com",
        "john@" + "a" * 64 + ".com",
        "john@" + ".".join(["abcdefgh"] * 30) + ".com",
    ],
)
def test_email_rejects_an_invalid_address(raw: str) -> None:
    assert email(raw) is None


@properties
@given(st.emails())
def test_email_accepts_addresses_and_is_idempotent(address: str) -> None:
    normalized = email(address)
    assert normalized == address.lower()
    assert email(normalized) == normalized


@properties
@given(st.text())
def test_email_of_any_text_is_none_or_a_fixed_point(text: str) -> None:
    normalized = email(text)
    assert normalized is None or email(normalized) == normalized


# Phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 650-253-0000", None, "+16502530000"),
        ("+16502530000", None, "+16502530000"),
        ("(650) 253-0000", "US", "+16502530000"),
        ("650.253.0000", "us", "+16502530000"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("030 901820", "DE", "+4930901820"),
        ("+49 (0) 30 901820", "US", "+4930901820"),  # an explicit country code wins
        ("+1 650 253 0000 ext. 12", None, "+16502530000"),
    ],
)
def test_phone_is_formatted_as_e164(raw: str, region: str | None, expected: str) -> None:
    assert phone(raw, default_region=region) == expected


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("", None),
        ("not a number", None),
        ("12345", None),
        ("(650) 253-0000", None),  # national format needs a region
        ("+1 555 0100", None),  # too short
        ("+1 123 456 7890", None),  # area codes never start with 1
        ("+999 1234 5678", None),  # no such country code
        ("650 253 0000", "ZZ"),  # unknown region
        ("+44 20 7946 095812345", None),  # too long
        ("1" * 300, "US"),
    ],
)
def test_phone_rejects_an_invalid_number(raw: str, region: str | None) -> None:
    assert phone(raw, default_region=region) is None


@properties
@given(st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)))
def test_phone_reads_each_regions_national_format(region: str) -> None:
    example = phonenumbers.example_number(region)
    assert example is not None
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert phone(national, default_region=region) == e164
    assert phone(e164) == e164


@properties
@given(st.text(alphabet="0123456789 +-().x", max_size=30), st.sampled_from([None, "US", "DE"]))
def test_phone_of_any_text_is_none_or_a_fixed_point(text: str, region: str | None) -> None:
    normalized = phone(text, default_region=region)
    assert normalized is None or phone(normalized) == normalized


# LinkedIn --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe-82a505/", LinkedinRef("person", "jane-doe-82a505")),
        ("linkedin.com/in/Jane-Doe", LinkedinRef("person", "jane-doe")),
        ("www.linkedin.com/in/jane-doe?trk=abc#x", LinkedinRef("person", "jane-doe")),
        ("http://de.linkedin.com/in/jane-doe/de", LinkedinRef("person", "jane-doe")),
        (
            "https://m.linkedin.com/in/jane-doe/details/experience/",
            LinkedinRef("person", "jane-doe"),
        ),
        ("https://www.linkedin.com/mwlite/in/jane-doe", LinkedinRef("person", "jane-doe")),
        ("https://www.linkedin.com:443/in/jane-doe", LinkedinRef("person", "jane-doe")),
        ("https://www.linkedin.com./in/jane-doe", LinkedinRef("person", "jane-doe")),
        ("//www.linkedin.com/in/jane-doe", LinkedinRef("person", "jane-doe")),
        (
            "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller",
            LinkedinRef("person", "jürgen-müller"),
        ),
        (
            "https://sy.linkedin.com/pub/krzysztof-marzec/a7/576/b50?trk=biz_employee_pub",
            LinkedinRef("person", "krzysztof-marzec-b50576a7"),
        ),
        (
            "https://www.linkedin.com/profile/view?id=ACoAAAbc123&trk=x",
            LinkedinRef("person", "ACoAAAbc123"),
        ),
        (
            "https://www.linkedin.com/sales/lead/ACwAAA123,NAME_SEARCH,xYz",
            LinkedinRef("person", "ACwAAA123"),
        ),
        # A member id keeps its case (it is case-sensitive); a public slug does not.
        (f"https://www.linkedin.com/in/{MEMBER_ID}", LinkedinRef("person", MEMBER_ID)),
        (f"linkedin.com/in/{MEMBER_ID}/", LinkedinRef("person", MEMBER_ID)),
        ("https://www.linkedin.com/in/ACMAARON", LinkedinRef("person", "acmaaron")),
        ("https://www.linkedin.com/in/AcoaaB12x", LinkedinRef("person", "acoaab12x")),
        ("https://www.linkedin.com/company/acme-inc/", LinkedinRef("company", "acme-inc")),
        ("uk.linkedin.com/company/Acme-Inc/about", LinkedinRef("company", "acme-inc")),
        ("https://www.linkedin.com/company/1441/", LinkedinRef("company", "1441")),
        ("https://www.linkedin.com/company/booking.com", LinkedinRef("company", "booking.com")),
        (
            "https://www.linkedin.com/school/stanford-university/",
            LinkedinRef("company", "stanford-university"),
        ),
        ("https://www.linkedin.com/showcase/acme-cloud/", LinkedinRef("company", "acme-cloud")),
        ("https://www.linkedin.com/sales/company/1441", LinkedinRef("company", "1441")),
        ("https://www.linkedin.com/jobs/view/3712345678/", LinkedinRef("job", "3712345678")),
        (
            "https://www.linkedin.com/jobs/view/senior-engineer-at-acme-3712345678?refId=abc",
            LinkedinRef("job", "3712345678"),
        ),
        (
            "https://www.linkedin.com/jobs/search/?keywords=python&currentJobId=3712345678",
            LinkedinRef("job", "3712345678"),
        ),
        (
            "https://www.linkedin.com/jobs/collections/recommended/?currentJobId=3712345678",
            LinkedinRef("job", "3712345678"),
        ),
        ("https://www.linkedin.com/comm/jobs/view/3712345678", LinkedinRef("job", "3712345678")),
        ("urn:li:fsd_profile:ACoAAAbc123", LinkedinRef("person", "ACoAAAbc123")),
        ("urn:li:fs_miniProfile:ACoAAAbc123", LinkedinRef("person", "ACoAAAbc123")),
        ("urn:li:member:123456", LinkedinRef("person", "123456")),
        ("urn:li:company:1441", LinkedinRef("company", "1441")),
        ("urn:li:organization:1441", LinkedinRef("company", "1441")),
        ("urn:li:fsd_company:1441", LinkedinRef("company", "1441")),
        ("urn:li:jobPosting:3712345678", LinkedinRef("job", "3712345678")),
        ("urn:li:fsd_jobPosting:3712345678", LinkedinRef("job", "3712345678")),
        ("URN:LI:JOBPOSTING:3712345678", LinkedinRef("job", "3712345678")),
        ("urn%3Ali%3Afsd_profile%3AACoAAAbc123", LinkedinRef("person", "ACoAAAbc123")),
    ],
)
def test_linkedin_reads_profiles_companies_jobs_and_urns(raw: str, expected: LinkedinRef) -> None:
    assert linkedin(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jane-doe",  # a bare slug is not a URL
        "https://www.linkedin.com/",
        "https://www.linkedin.com/in/",
        "https://www.linkedin.com/in/%20",
        "https://www.linkedin.com/in/---",
        "https://www.linkedin.com/in/jane%2Fdoe",
        "https://www.linkedin.com/in/jane%FFdoe",
        "https://www.linkedin.com/feed/update/urn:li:activity:123/",
        "https://www.linkedin.com/pub/dir/jane/doe",
        "https://www.linkedin.com/jobs/view/not-a-job",
        "https://www.linkedin.com/jobs/search/?keywords=python",
        "https://www.linkedin.com/company/",
        "https://www.linkedin.com/profile/view?trk=x",
        "https://linkedin.com.evil.com/in/jane-doe",
        "https://evil-linkedin.com/in/jane-doe",
        "https://notlinkedin.com/in/jane-doe",
        "https://www.linked_in.com/in/jane-doe",
        "https://www.-x.linkedin.com/in/jane-doe",
        "ftp://www.linkedin.com/in/jane-doe",
        "javascript://www.linkedin.com/in/jane-doe",
        "https://lnkd.in/abc123",
        "https://[::1/in/x",
        "urn:li:activity:123",
        "urn:li:company:acme",
        "urn:li:jobPosting:abc",
        "urn:li:fsd_profile:",
        "urn:li:fsd_profile:a b",
        "https://www.linkedin.com/in/" + "a" * 201,
        "https://www.linkedin.com/in/jane?" + "x" * 3000,
    ],
)
def test_linkedin_rejects_a_malformed_url_with_invalid_linkedin_url(raw: str) -> None:
    with pytest.raises(InvalidLinkedinUrl) as caught:
        linkedin(raw)
    error = caught.value
    assert (error.status, error.code, error.param) == (400, "invalid_linkedin_url", "linkedin_url")
    assert error.message == "linkedin_url is not a LinkedIn profile, company or job URL"
    assert error.details == {"linkedin_url": "expected a LinkedIn profile, company or job URL"}


def test_a_profile_url_where_a_company_is_expected_names_the_param() -> None:
    with pytest.raises(InvalidLinkedinUrl) as caught:
        linkedin("https://www.linkedin.com/in/jane-doe", expect="company", param="company_link")
    error = caught.value
    assert error.param == "company_link"
    assert error.message == "company_link is not a LinkedIn company URL"
    assert error.details == {"company_link": "expected https://www.linkedin.com/company/<slug>"}


@pytest.mark.parametrize(
    ("raw", "expect", "detail"),
    [
        ("https://www.linkedin.com/company/acme", "person", "https://www.linkedin.com/in/<slug>"),
        (
            "https://www.linkedin.com/jobs/view/1",
            "company",
            "https://www.linkedin.com/company/<slug>",
        ),
        ("https://www.linkedin.com/in/jane", "job", "https://www.linkedin.com/jobs/view/<id>"),
        ("urn:li:company:1441", "person", "https://www.linkedin.com/in/<slug>"),
        ("not a url", "person", "https://www.linkedin.com/in/<slug>"),
    ],
)
def test_linkedin_of_another_kind_than_expected_is_refused(
    raw: str, expect: LinkedinKind, detail: str
) -> None:
    with pytest.raises(InvalidLinkedinUrl) as caught:
        linkedin(raw, expect=expect)
    assert caught.value.details == {"linkedin_url": f"expected {detail}"}


def test_linkedin_of_the_expected_kind_is_returned() -> None:
    assert linkedin("linkedin.com/in/jane", expect="person") == LinkedinRef("person", "jane")
    assert linkedin("urn:li:jobPosting:7", expect="job") == LinkedinRef("job", "7")


_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-üéøłñ"
slugs = st.text(alphabet=_SLUG_CHARS, min_size=1, max_size=60).filter(
    lambda slug: any(char.isalnum() for char in slug)
)


@st.composite
def spellings(draw: st.DrawFn, path: str) -> str:
    """One of the many ways to write the URL of ``path`` (which starts with "/")."""
    scheme = draw(st.sampled_from(["https://", "http://", "HTTPS://", "//", ""]))
    sub = draw(st.sampled_from(["", "www.", "m.", "de.", "fr.", "uk.", "br.", "es."]))
    host = sub + "linkedin.com"
    if draw(st.booleans()):
        host = host.upper()
    path = "".join(_spell(draw, char) for char in path)
    trailing = draw(st.sampled_from(["", "/"]))
    query = draw(st.sampled_from(["", "?trk=public_profile", "?originalSubdomain=de&lipi=x%3D"]))
    fragment = draw(st.sampled_from(["", "#experience", "#"]))
    return f"{scheme}{host}{path}{trailing}{query}{fragment}"


def _spell(draw: st.DrawFn, char: str) -> str:
    if char == "/":
        return char
    if draw(st.integers(0, 4)) == 0:
        return quote(char, safe="") if not char.isascii() else f"%{ord(char):02X}"
    return char.upper() if draw(st.booleans()) else char


def _slug_of(slug: str) -> str:
    return unicodedata.normalize("NFC", slug).lower()


@properties
@given(st.data(), slugs, st.sampled_from(["", "/details/experience", "/recent-activity/all"]))
def test_every_spelling_of_a_profile_url_gives_one_ref(
    data: st.DataObject, slug: str, tail: str
) -> None:
    url = data.draw(spellings(f"/in/{slug}{tail}"))
    assert linkedin(url) == LinkedinRef("person", _slug_of(slug))
    assert linkedin(url, expect="person") == LinkedinRef("person", _slug_of(slug))


@properties
@given(st.data(), slugs, st.sampled_from(["", "/about", "/jobs", "/people"]))
def test_every_spelling_of_a_company_url_gives_one_ref(
    data: st.DataObject, slug: str, tail: str
) -> None:
    url = data.draw(spellings(f"/company/{slug}{tail}"))
    assert linkedin(url, expect="company") == LinkedinRef("company", _slug_of(slug))


@properties
@given(
    st.data(),
    st.integers(1, 10**15),
    st.sampled_from(["/jobs/view/{}", "/jobs/view/engineer-at-acme-{}", "/comm/jobs/view/{}"]),
)
def test_every_spelling_of_a_job_url_gives_one_ref(
    data: st.DataObject, job_id: int, template: str
) -> None:
    url = data.draw(spellings(template.format(job_id)))
    assert linkedin(url, expect="job") == LinkedinRef("job", str(job_id))


@properties
@given(
    st.integers(1, 10**15), st.sampled_from(["search", "collections/recommended", "search-results"])
)
def test_a_job_search_url_names_its_current_job(job_id: int, page: str) -> None:
    url = f"https://www.linkedin.com/jobs/{page}/?geoId=1&currentJobId={job_id}&start=25"
    assert linkedin(url) == LinkedinRef("job", str(job_id))


@properties
@given(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        min_size=1,
        max_size=40,
    ).filter(str.isascii),
    st.sampled_from(["fsd_profile", "fs_profile", "fs_miniProfile", "member", "person"]),
)
def test_a_profile_urn_gives_the_id_as_slug(identifier: str, kind: str) -> None:
    assert linkedin(f"urn:li:{kind}:{identifier}") == LinkedinRef("person", identifier)


@properties
@given(
    st.integers(0, 10**15),
    st.sampled_from(
        [
            ("company", "company"),
            ("organization", "company"),
            ("jobPosting", "job"),
            ("fsd_jobPosting", "job"),
        ]
    ),
)
def test_a_numeric_urn_gives_the_number_as_slug(number: int, urn: tuple[str, LinkedinKind]) -> None:
    name, kind = urn
    assert linkedin(f"urn:li:{name}:{number}") == LinkedinRef(kind, str(number))


_URLISH = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/:?#&=%.-_~@[] \t\nÜ", max_size=80)


@properties
@given(
    st.one_of(
        st.text(),
        _URLISH,
        _URLISH.map(lambda text: "https://www.linkedin.com/" + text),
        _URLISH.map(lambda text: "linkedin.com/in/" + text),
        _URLISH.map(lambda text: "urn:li:" + text),
    ),
    st.sampled_from([None, "person", "company", "job"]),
)
def test_garbage_only_ever_raises_invalid_linkedin_url(
    text: str, expect: LinkedinKind | None
) -> None:
    try:
        ref = linkedin(text, expect=expect, param="link")
    except InvalidLinkedinUrl as error:
        assert error.param == "link"
        assert error.details is not None and set(error.details) == {"link"}
    else:
        assert expect is None or ref.kind == expect
        assert ref.slug == ref.slug.lower()
        assert ref.slug.strip() == ref.slug and ref.slug
        # The canonical URL of a ref reads back as the same ref.
        assert linkedin(f"https://www.linkedin.com{_PATHS[ref.kind]}{quote(ref.slug)}") == ref


_PATHS = {"person": "/in/", "company": "/company/", "job": "/jobs/view/"}


# Domains ---------------------------------------------------------------------------------


@contextmanager
def network_forbidden(*, fresh: bool = True) -> Iterator[list[str]]:
    """Any connection or name lookup fails the test; the list records the attempts.

    ``fresh`` builds a new extractor inside the guard, so loading the suffix list is
    guarded too (~50 ms, too slow for every example of a property).
    """
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args))
        raise AssertionError(f"network access attempted: {args!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        if fresh:
            patch.setattr(normalize, "_extractor", None)
        normalize._domain.cache_clear()
        yield attempts
    normalize._domain.cache_clear()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com", "example.com"),
        ("https://www.example.com/about?x=1#top", "example.com"),
        ("HTTP://WWW.Example.COM", "example.com"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("https://shop.example.co.uk:8443/", "example.co.uk"),
        ("jane@mail.example.com.au", "example.com.au"),
        ("mailto:jane@example.de", "example.de"),
        ("http://user:secret@sub.example.org/path", "example.org"),
        ("example.com.", "example.com"),
        ("  example.com  ", "example.com"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("https://www.xn--mnchen-3ya.de", "xn--mnchen-3ya.de"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("acme.github.io", "acme.github.io"),  # a private suffix counts
        # ... unless the host is one: then the ICANN rules name the owner's domain.
        ("github.io", "github.io"),
        ("www.moonscale.io", "moonscale.io"),  # private rule *.moonscale.io
        ("https://www.moonscale.io/about", "moonscale.io"),
        ("acme.herokuapp.com", "acme.herokuapp.com"),
        ("example.com\\path", "example.com"),
    ],
)
def test_domain_is_the_registrable_domain(raw: str, expected: str) -> None:
    with network_forbidden() as attempts:
        assert domain(raw) == expected
    assert attempts == []


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "localhost",
        "http://localhost:8000/",
        "192.168.0.1",
        "https://10.0.0.1/x",
        "[::1]",
        "http://[2001:db8::1]/",
        "co.uk",
        "com",
        "example.notatld",
        # A tenant of a platform under a private wildcard rule is not the platform.
        "acme.moonscale.io",
        "john@acme.moonscale.io",
        "exa mple.com",
        "-example.com",
        "example..com",
        "not a domain",
        "jane@",
    ],
)
def test_domain_is_none_without_a_registrable_domain(raw: str) -> None:
    with network_forbidden():
        assert domain(raw) is None


_LABELS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
_SUFFIXES = st.sampled_from(["com", "co.uk", "de", "io", "com.au", "org", "co.jp", "xn--p1ai"])


@properties
@given(
    _LABELS,
    _SUFFIXES,
    st.lists(_LABELS, max_size=3),
    st.sampled_from(["https://", "http://", "HTTP://", "//", ""]),
    st.sampled_from(["", "/", "/about?ref=x", ":8080/x", "#top"]),
    st.sampled_from(["jane", "j.doe+x"]),
)
def test_a_url_an_email_and_the_host_agree_on_the_domain(
    label: str, suffix: str, subdomains: list[str], scheme: str, tail: str, local: str
) -> None:
    registrable = f"{label}.{suffix}"
    host = ".".join([*subdomains, registrable])
    with network_forbidden(fresh=False) as attempts:
        # Some names are private suffixes themselves ("x0.com", "blogspot.com").
        assume(domain(registrable) == registrable)
        found = domain(host)
        assert found is not None
        assert found == registrable or found.endswith(f".{registrable}")
        assert domain(f"{scheme}{host.upper()}{tail}") == found
        assert domain(f"{local}@{host}") == found
        assert domain(f"{local}@{host.upper()}") == found
    assert attempts == []


@properties
@given(st.one_of(st.text(), _URLISH))
def test_domain_of_any_text_is_none_or_a_fixed_point(text: str) -> None:
    with network_forbidden(fresh=False):
        found = domain(text)
        assert found is None or domain(found) == found


def test_the_network_guard_catches_a_connection() -> None:
    with network_forbidden() as attempts, pytest.raises(AssertionError):
        socket.create_connection(("127.0.0.1", 9))
    assert len(attempts) == 1


# Company names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme Holdings, Inc.", "acme holdings"),
        ("Acme Inc", "acme"),
        ("ACME, LLC", "acme"),
        ("Acme Co. Ltd.", "acme"),
        ("The Acme Company", "acme"),
        ("Acme GmbH & Co. KG", "acme"),
        ("Société Générale S.A.", "societe generale"),
        ("Nestlé S.A.", "nestle"),
        ("Müller Holding AG", "muller holding"),
        ("Hewlett-Packard Enterprise", "hewlett packard enterprise"),
        ("McDonald's Corporation", "mcdonalds"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Johnson and Johnson", "johnson and johnson"),
        ("  acme   holdings  ", "acme holdings"),
        ("Inc.", "inc"),  # a name that is only a legal form stays a name
        ("トヨタ自動車株式会社", "toyotazidongche"),
        ("株式会社 日立製作所", "rilizhizuosuo"),
        ("Alibaba 有限公司", "alibaba"),
        ("삼성전자 주식회사", "samseongjeonja"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_company_name_key_drops_legal_forms_and_punctuation(name: str, key: str) -> None:
    assert company_name_key(name) == key


def test_company_name_key_of_non_latin_names_is_ascii() -> None:
    key = company_name_key("\u042f\u043d\u0434\u0435\u043a\u0441 \u041e\u041e\u041e")  # Yandex OOO
    assert key == "yandeks"


@properties
@given(st.text())
def test_company_name_key_is_idempotent(name: str) -> None:
    key = company_name_key(name)
    assert company_name_key(key) == key
    assert key.isascii() and key == " ".join(key.split())


@properties
@given(
    st.from_regex(r"[A-Z][a-z]{2,12}( [A-Z][a-z]{2,12})?", fullmatch=True),
    st.sampled_from(
        [
            "Inc",
            "Inc.",
            ", Inc.",
            " LLC",
            " Ltd",
            " Limited",
            " GmbH",
            " S.A.",
            " Corp.",
            " Co., Ltd.",
        ]
    ),
)
def test_company_name_key_ignores_the_legal_form(base: str, form: str) -> None:
    spacer = "" if form.startswith((" ", ",")) else " "
    assert company_name_key(f"{base}{spacer}{form}") == company_name_key(base)


# Person names ----------------------------------------------------------------------------


def test_a_nickname_and_the_full_first_name_share_a_key() -> None:
    robert = person_name(full="Robert Smith")
    bob = person_name(first="Bob", last="Smith")
    assert robert is not None and bob is not None
    assert robert.key == bob.key == "robert smith"
    assert bob == PersonName(first="Bob", last="Smith", full="Bob Smith", key="robert smith")


@pytest.mark.parametrize(
    ("given", "recorded", "nickname"),
    [
        ("Bob", "Robert", True),
        ("pete", "Peter", True),
        ("Peter", "Peter", False),
        ("PETER", "Peter", False),
        ("Péter", "Peter", False),
        ("Petr", "Peter", False),  # a typo, not another name
        ("Paul", "Peter", False),
    ],
)
def test_a_nickname_is_another_name_for_the_same_first_name(
    given: str, recorded: str, nickname: bool
) -> None:
    assert normalize.is_nickname(given, recorded) is nickname


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Smith, John", PersonName("John", "Smith", "John Smith", "john smith")),
        ("Dr. Jane Doe PhD", PersonName("Jane", "Doe", "Dr. Jane Doe PhD", "jane doe")),
        (
            "Prof. Dr. Hans-Peter von Braun III",
            PersonName(
                "Hans-Peter",
                "von Braun",
                "Prof. Dr. Hans-Peter von Braun III",
                "hanspeter von braun",
            ),
        ),
        ("Jürgen Müller", PersonName("Jürgen", "Müller", "Jürgen Müller", "jurgen muller")),
        (
            "Søren Kierkegaard",
            PersonName("Søren", "Kierkegaard", "Søren Kierkegaard", "soren kierkegaard"),
        ),
        ("Łukasz Żółć", PersonName("Łukasz", "Żółć", "Łukasz Żółć", "lukasz zolc")),
        ("John Q. Public Jr.", PersonName("John", "Public", "John Q. Public Jr.", "john public")),
        (
            "Mary Ann van der Berg",
            PersonName("Mary", "van der Berg", "Mary Ann van der Berg", "mary van der berg"),
        ),
        ("Conan O'Brien", PersonName("Conan", "O'Brien", "Conan O'Brien", "conan obrien")),
        ("  Bill   Gates ", PersonName("Bill", "Gates", "Bill Gates", "william gates")),
        ("Cher", PersonName("Cher", None, "Cher", "cher")),
        # nameparser reads "Ra" as a suffix and "King" as a title; both are names here.
        ("Bob Ra", PersonName("Bob", "Ra", "Bob Ra", "robert ra")),
        ("King Smith", PersonName("King", "Smith", "King Smith", "king smith")),
        ("Dr. Smith", PersonName(None, "Smith", "Dr. Smith", "smith")),
    ],
)
def test_person_name_parses_full_names(full: str, expected: PersonName) -> None:
    assert person_name(full=full) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"full": ""},
        {"full": "   "},
        {"first": "", "last": " "},
        {"full": "..."},
        {"first": "-", "last": "?"},
    ],
)
def test_person_name_is_none_without_a_usable_name(kwargs: dict[str, str]) -> None:
    assert person_name(**kwargs) is None


def test_person_name_parts_win_over_the_full_name() -> None:
    parsed = person_name(full="Robert Smith", first="Rob")
    assert parsed == PersonName("Rob", "Smith", "Robert Smith", "robert smith")


@pytest.mark.parametrize(
    ("first", "last", "key"),
    [
        ("Bob", "Smith", "robert smith"),
        ("BILL", "GATES", "william gates"),
        ("Liz", "Taylor", "elizabeth taylor"),
        ("Jean-Pierre", "Dupont", "jeanpierre dupont"),
        ("John Q.", "Public", "john public"),
        ("J.", "Public", "j public"),
        ("Anna", "Smith-Jones", "anna smith jones"),
        ("Anna", "Smith Jr.", "anna smith"),
        ("Anna", None, "anna"),
        (None, "Smith", "smith"),
        (None, None, ""),
        ("Zoë", "Saldaña", "zoe saldana"),
        ("伟", "张", "wei zhang"),
    ],
)
def test_name_key_is_lower_ascii_with_nicknames_resolved(
    first: str | None, last: str | None, key: str
) -> None:
    assert name_key(first, last) == key


# Words nameparser reads as a title or suffix ("Ii" is II, "Jr", "Dr") are not names.
_NOT_NAMES = CONSTANTS.titles | CONSTANTS.suffix_acronyms | CONSTANTS.suffix_not_acronyms
_ROMAN_NUMERAL = cast("re.Pattern[str]", CONSTANTS.regexes.roman_numeral)
_NAME_WORDS = st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True).filter(
    # Nor what nameparser reads as a roman numeral ("Vi"), which person_name keeps as a name.
    lambda word: word.lower() not in _NOT_NAMES and not _ROMAN_NUMERAL.match(word)
)


@properties
@given(
    st.sampled_from(
        [
            ("Bob", "Robert"),
            ("Bill", "William"),
            ("Liz", "Elizabeth"),
            ("Mike", "Michael"),
            ("Kate", "Catherine"),
            ("Tony", "Anthony"),
        ]
    ),
    _NAME_WORDS,
)
def test_full_name_with_a_nickname_matches_the_parts(names: tuple[str, str], last: str) -> None:
    nickname, canonical = names
    parsed = person_name(full=f"{nickname} {last}")
    reversed_ = person_name(full=f"{last}, {nickname}")
    assert parsed is not None and reversed_ is not None
    assert parsed.key == reversed_.key == name_key(canonical, last)


@properties
@given(st.lists(_NAME_WORDS, min_size=2, max_size=3))
def test_person_name_agrees_with_nameparser_on_first_and_last(words: list[str]) -> None:
    full = " ".join(words)
    parsed = person_name(full=full)
    expected = HumanName(full)
    assume(expected.first and expected.last)
    assert parsed is not None
    assert (parsed.first, parsed.last) == (expected.first or None, expected.last or None)


@properties
@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_name_key_is_idempotent_per_part(first: str | None, last: str | None) -> None:
    first_key = name_key(first, None)
    last_key = name_key(None, last)
    assert name_key(first_key, None) == first_key
    assert name_key(None, last_key) == last_key
    assert name_key(first_key, last_key) == name_key(first, last)
    key = name_key(first, last)
    assert key.isascii() and key == " ".join(key.split())


@properties
@given(
    st.one_of(st.none(), st.text()),
    st.one_of(st.none(), st.text()),
    st.one_of(st.none(), st.text()),
)
def test_person_name_never_fails_and_keys_by_its_parts(
    full: str | None, first: str | None, last: str | None
) -> None:
    parsed = person_name(full=full, first=first, last=last)
    if parsed is not None:
        assert parsed.key == name_key(parsed.first, parsed.last) != ""
        assert parsed.full.strip() == parsed.full != ""


# Headcounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1, ("1-10", 1, 10)),
        (10, ("1-10", 1, 10)),
        (11, ("11-50", 11, 50)),
        (150, ("51-200", 51, 200)),
        (1000, ("501-1000", 501, 1000)),
        (10000, ("5001-10000", 5001, 10000)),
        (10001, ("10001+", 10001, None)),
        (250000, ("10001+", 10001, None)),
        ("51-200", ("51-200", 51, 200)),
        ("51 - 200 employees", ("51-200", 51, 200)),
        ("51 to 200", ("51-200", 51, 200)),
        ("2-10", ("1-10", 1, 10)),
        ("0-1", ("1-10", 1, 10)),
        ("11\u201350", ("11-50", 11, 50)),
        ("501-1,000", ("501-1000", 501, 1000)),
        ("1,001-5,000", ("1001-5000", 1001, 5000)),
        ("1k-5k", ("1001-5000", 1001, 5000)),
        ("10,001+", ("10001+", 10001, None)),
        ("10000+", ("10001+", 10001, None)),
        ("10.001+", ("10001+", 10001, None)),
        ("over 10,000", ("10001+", 10001, None)),
        ("500+", ("501-1000", 501, 1000)),
        ("1.5k", ("1001-5000", 1001, 5000)),
        ("Self-employed", ("1-10", 1, 10)),
        ("Myself Only", ("1-10", 1, 10)),
        ("  75 ", ("51-200", 51, 200)),
    ],
)
def test_headcount_range_buckets_counts_and_range_texts(
    raw: str | int, expected: tuple[str, int, int | None]
) -> None:
    assert headcount_range(raw) == expected


@pytest.mark.parametrize("raw", [None, 0, -5, True, False, "", "unknown", "n/a", "200-51", "0"])
def test_headcount_range_is_none_when_unreadable(raw: str | int | None) -> None:
    assert headcount_range(raw) is None


def test_every_headcount_label_reads_as_itself() -> None:
    for label in HEADCOUNT_RANGES:
        found = headcount_range(label)
        assert found is not None and found[0] == label


@properties
@given(st.integers(1, 10**7))
def test_a_headcount_falls_inside_its_bucket(count: int) -> None:
    found = headcount_range(count)
    assert found is not None
    label, low, high = found
    assert low <= count and (high is None or count <= high)
    assert headcount_range(label) == found
    assert headcount_range(str(count)) == found


@properties
@given(st.text(max_size=40))
def test_headcount_range_of_any_text_is_a_bucket_or_none(text: str) -> None:
    found = headcount_range(text)
    assert found is None or found[0] in HEADCOUNT_RANGES


def test_a_member_ids_forms_include_the_lower_cased_one_older_imports_stored() -> None:
    assert slug_forms(MEMBER_ID) == (MEMBER_ID, MEMBER_ID.lower())
    assert slug_forms("jane-doe") == ("jane-doe",)


@pytest.mark.parametrize(
    "full",
    [
        "Pe\u200bter Weaver",  # a zero-width space, copied from a web page
        "Peter Wea\u00adver",  # a soft hyphen
        "\ufeffPeter Weaver",  # a byte order mark
        "Peter \u200eWeaver\u200f",  # direction marks
    ],
)
def test_invisible_characters_do_not_split_or_change_a_name(full: str) -> None:
    assert person_name(full=full) == person_name(full="Peter Weaver")


def test_invisible_characters_are_not_part_of_an_address() -> None:
    assert email("pe\u200bter@bearlyable.com\u2060") == "peter@bearlyable.com"


def test_joiners_that_scripts_need_are_kept() -> None:
    name = person_name(
        first="\u0645\u06cc\u200c\u0631\u0648\u0632", last="\u0627\u062d\u0645\u062f\u06cc"
    )
    assert name is not None and "\u200c" in (name.first or "")
