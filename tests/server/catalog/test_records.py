"""Import rows -> normalized catalog records, or every error of the row keyed by field."""

from __future__ import annotations

import datetime as dt

import pytest

from leadbase.server.catalog import records
from leadbase.server.catalog.records import (
    CompanyRecord,
    CompanyRef,
    OpeningRecord,
    PersonRecord,
    country_code,
    split_location,
)


def test_a_person_row_is_normalized_into_its_keys() -> None:
    record = records.parse_person(
        {
            "record_id": "hs-1",
            "full_name": "Dr. Robert Smith Jr.",
            "email": " Bob.Smith@ACME.com ",
            "personal_email": "bob@gmail.com",
            "email_status": "Verified",
            "mobile_phone": "07400 123456",
            "work_phone": "+1 (415) 555-0132",
            "title": "VP of Sales",
            "linkedin_url": "https://uk.linkedin.com/in/Bob-Smith/?trk=x",
            "company_name": "Acme Holdings, Inc.",
            "company_domain": "https://www.acme.com/about",
            "company_linkedin_url": "linkedin.com/company/acme",
            "location": "London, England, United Kingdom",
        }
    )
    assert record == PersonRecord(
        source_record_id="hs-1",
        first_name="Robert",
        last_name="Smith",
        full_name="Dr. Robert Smith Jr.",
        name_key="robert smith",
        title="VP of Sales",
        seniority="vp",
        department="sales",
        emails=[("bob.smith@acme.com", "work", "valid"), ("bob@gmail.com", "personal", "unknown")],
        phones=[("+447400123456", "mobile"), ("+14155550132", "direct")],
        linkedin_slug="bob-smith",
        company=CompanyRef(
            name="Acme Holdings, Inc.",
            name_key="acme holdings",
            domain="acme.com",
            linkedin_slug="acme",
        ),
        city="London",
        region="England",
        country="GB",
    )


def test_every_bad_field_of_a_row_is_reported_at_once() -> None:
    errors = records.parse_person(
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "not-an-email",
            "phone": "12",
            "linkedin_url": "https://www.linkedin.com/company/acme",
            "company_domain": "localhost",
            "country": "Atlantis",
        }
    )
    assert errors == {
        "country": "not a country name or ISO 3166 code",
        "email": "not a valid email address",
        "phone": "not a valid phone number (use +<country code> or give the country)",
        "linkedin_url": "expected https://www.linkedin.com/in/<slug>",
        "company_domain": "not a domain name or website",
    }


def test_a_person_needs_a_name_and_something_to_be_found_by() -> None:
    assert records.parse_person({"email": "a@b.com"}) == {
        "first_name": "a person needs a name (first and last name, or a full name)"
    }
    assert records.parse_person({"full_name": "Jane Doe", "title": "CEO"}) == {
        "email": "a person needs an email, phone, LinkedIn URL or company to be found by"
    }


def test_a_phone_without_country_code_is_read_in_the_rows_country() -> None:
    record = records.parse_person(
        {"full_name": "Jane Doe", "phone": "(415) 555-0132", "country": "USA"}
    )
    assert isinstance(record, PersonRecord)
    assert record.phones == [("+14155550132", "other")]
    assert record.country == "US"


def test_a_company_domain_alone_names_the_company() -> None:
    record = records.parse_person({"full_name": "Jane Doe", "company_domain": "globex.io"})
    assert isinstance(record, PersonRecord)
    assert record.company == CompanyRef(name="globex.io", name_key="globex", domain="globex.io")


def test_the_same_row_without_an_id_gets_the_same_fingerprint() -> None:
    row = {"full_name": "Jane Doe", "email": "jane@acme.com"}
    first, again = records.parse_person(row), records.parse_person(dict(reversed(row.items())))
    other = records.parse_person({**row, "title": "CEO"})
    assert isinstance(first, PersonRecord) and isinstance(again, PersonRecord)
    assert isinstance(other, PersonRecord)
    assert first.source_record_id == again.source_record_id
    assert first.source_record_id.startswith("sha1:")
    assert other.source_record_id != first.source_record_id


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Verified", "valid"), ("catch-all", "risky"), ("Bounced", "invalid"), ("?", "unknown")],
)
def test_email_statuses_of_exports_are_mapped(raw: str, status: str) -> None:
    record = records.parse_person({"full_name": "J D", "email": "j@d.com", "email_status": raw})
    assert isinstance(record, PersonRecord)
    assert record.emails == [("j@d.com", "work", status)]


def test_a_company_row_is_normalized() -> None:
    record = records.parse_company(
        {
            "record_id": "c-9",
            "name": "Acme Holdings, Inc.",
            "website": "https://www.acme.co.uk/",
            "linkedin_url": "https://www.linkedin.com/company/acme/",
            "industry": "Software",
            "headcount": "51-200",
            "location": "Austin, TX, USA",
            "founded": "1999",
            "description": "Anvils.",
        }
    )
    assert record == CompanyRecord(
        source_record_id="c-9",
        name="Acme Holdings, Inc.",
        name_key="acme holdings",
        domain="acme.co.uk",
        website="https://www.acme.co.uk/",
        linkedin_slug="acme",
        industry="Software",
        headcount_range="51-200",
        headcount_min=51,
        headcount_max=200,
        city="Austin",
        region="TX",
        country="US",
        founded=1999,
        description="Anvils.",
    )


def test_a_company_without_a_name_is_named_by_its_domain() -> None:
    record = records.parse_company({"domain": "globex.io"})
    assert isinstance(record, CompanyRecord)
    assert (record.name, record.name_key, record.domain) == ("globex.io", "globex", "globex.io")


def test_bad_company_fields_are_all_reported() -> None:
    assert records.parse_company(
        {"name": "Acme", "website": "not a site", "headcount": "lots", "founded": "3024"}
    ) == {
        "website": "not a domain name or website",
        "headcount": "not a number of employees or a range such as 51-200",
        "founded": "not a year",
    }
    assert records.parse_company({"industry": "Software"}) == {
        "name": "a company needs a name, a domain or a website"
    }


def test_an_opening_from_a_linkedin_job_url_keeps_the_job_id() -> None:
    record = records.parse_opening(
        {
            "record_id": "o-1",
            "title": "Senior Software Engineer",
            "company_domain": "acme.com",
            "url": "https://www.linkedin.com/jobs/view/senior-engineer-at-acme-3791234567/",
            "location": "Berlin, Germany",
            "posted_at": "2024-05-01",
        }
    )
    assert record == OpeningRecord(
        source_record_id="o-1",
        title="Senior Software Engineer",
        company=CompanyRef(name="acme.com", name_key="acme", domain="acme.com"),
        seniority="senior",
        department="engineering",
        url="https://www.linkedin.com/jobs/view/senior-engineer-at-acme-3791234567/",
        linkedin_job_id="3791234567",
        city="Berlin",
        country="DE",
        posted_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
    )


def test_an_opening_needs_a_title_and_a_company() -> None:
    assert records.parse_opening({"url": "ftp://x", "posted_at": "yesterday"}) == {
        "title": "an opening needs a job title",
        "company_domain": "an opening needs its company's domain or name",
        "url": "not an http(s) URL",
        "posted_at": "not an ISO 8601 date or date-time (2024-05-01 or 2024-05-01T09:30:00Z)",
    }


def test_posted_at_past_the_calendar_in_utc_is_a_row_error() -> None:
    values = {"title": "CFO", "company_name": "Acme", "posted_at": "9999-12-31T23:00:00-05:00"}
    assert records.parse_opening(values) == {"posted_at": "out of range once converted to UTC"}


def test_posted_at_keeps_its_offset_as_utc() -> None:
    record = records.parse_opening(
        {"title": "CFO", "company_name": "Acme", "posted_at": "2024-05-01T09:30:00+02:00"}
    )
    assert isinstance(record, OpeningRecord)
    assert record.posted_at == dt.datetime(2024, 5, 1, 7, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("location", "parts"),
    [
        ("San Francisco, California, United States", ("San Francisco", "California", "US")),
        ("Berlin, Germany", ("Berlin", None, "DE")),
        ("Austin, TX", ("Austin", "TX", None)),
        ("United Kingdom", (None, None, "GB")),
        ("Greater New York City Area", ("Greater New York City Area", None, None)),
        ("Kings Cross, London, England, UK", ("Kings Cross, London", "England", "GB")),
        (" , ", (None, None, None)),
    ],
)
def test_a_location_string_splits_into_city_region_and_country(
    location: str, parts: tuple[str | None, str | None, str | None]
) -> None:
    assert split_location(location) == parts


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("US", "US"),
        ("usa", "US"),
        ("United States of America", "US"),
        ("Deutschland", "DE"),
        ("côte d'ivoire", "CI"),
        ("U.K.", "GB"),
        ("Narnia", None),
    ],
)
def test_countries_are_iso_codes(raw: str, code: str | None) -> None:
    assert country_code(raw) == code


def test_a_record_without_its_invalid_fields_keeps_the_fingerprint_of_the_whole_row() -> None:
    base = {"full_name": "Ann Lee", "email": "ann@acme.com", "company_name": "Acme"}
    first = records.without_invalid("people", {**base, "phone": "12"}, {"phone": "bad"})
    second = records.without_invalid("people", {**base, "phone": "13"}, {"phone": "bad"})
    assert isinstance(first, PersonRecord) and isinstance(second, PersonRecord)
    assert first.phones == [] and first.emails == [("ann@acme.com", "work", "unknown")]
    # Rows that differ only in what was dropped are still two rows of the source.
    assert first.source_record_id != second.source_record_id


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        # A person's only exact key.
        ({"full_name": "Ann Lee", "email": "x", "company_name": "Acme"}, {"email": "bad"}),
        # What names a record.
        ({"full_name": "Ann Lee", "email": "ann@acme.com"}, {"full_name": "bad"}),
        ({"full_name": "Ann Lee", "email": "ann@acme.com", "record_id": "1"}, {"record_id": "bad"}),
    ],
)
def test_a_row_that_would_lose_what_identifies_it_is_not_kept(
    values: dict[str, str], errors: dict[str, str]
) -> None:
    assert records.without_invalid("people", values, errors) is None
