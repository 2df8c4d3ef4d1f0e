"""CSV header mapping for the exports operators have: HubSpot, Salesforce, Apollo, Sales
Navigator and the generator's own files."""

from __future__ import annotations

import pytest

from leadbase.server.catalog.columns import ColumnMap, guess_kind, header_key, map_columns
from leadbase.server.errors import InvalidCsvFormat

HUBSPOT_CONTACTS = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Mobile Phone Number",
    "Job Title",
    "Company Name",
    "Website URL",
    "LinkedIn Profile",
    "City",
    "State/Region",
    "Country/Region",
    "Lifecycle Stage",
]
SALESFORCE_CONTACTS = [
    "Id",
    "FirstName",
    "LastName",
    "Email",
    "Phone",
    "MobilePhone",
    "Title",
    "Account Name",
    "MailingCity",
    "MailingState",
    "MailingCountry",
]
APOLLO_PEOPLE = [
    "First Name",
    "Last Name",
    "Title",
    "Company",
    "Company Name for Emails",
    "Email",
    "Email Status",
    "Seniority",
    "First Phone",
    "Work Direct Phone",
    "Mobile Phone",
    "Corporate Phone",
    "# Employees",
    "Industry",
    "Person Linkedin Url",
    "Website",
    "Company Linkedin Url",
    "City",
    "State",
    "Country",
    "Company City",
    "Apollo Contact Id",
]
SALES_NAVIGATOR = ["First Name", "Last Name", "Title", "Company", "LinkedIn URL", "Location"]
GENERATOR_PEOPLE = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Title",
    "Company",
    "Company Domain",
    "LinkedIn URL",
    "City",
    "State",
    "Country",
]
GENERATOR_COMPANIES = [
    "Record ID",
    "Company Name",
    "Website",
    "LinkedIn URL",
    "Industry",
    "Employees",
    "City",
    "State",
    "Country",
    "Founded",
    "Description",
]
GENERATOR_OPENINGS = [
    "Record ID",
    "Company Domain",
    "Job Title",
    "Location",
    "Posted At",
    "Job URL",
]
HUBSPOT_COMPANIES = [
    "Record ID",
    "Company name",
    "Company Domain Name",
    "Industry",
    "Number of Employees",
    "City",
    "Country/Region",
]


def mapped(columns: ColumnMap, headers: list[str]) -> dict[str, str]:
    return {name: headers[index] for name, index in columns.fields.items()}


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("First Name", "firstname"),
        ("first_name", "firstname"),
        ("FirstName", "firstname"),
        ("  FIRST-NAME ", "firstname"),
        ("# Employees", "#employees"),
        ("State/Region", "stateregion"),
    ],
)
def test_headers_compare_without_case_spaces_underscores_or_punctuation(
    header: str, key: str
) -> None:
    assert header_key(header) == key


def test_hubspot_contacts_map_every_useful_column() -> None:
    columns = map_columns(HUBSPOT_CONTACTS)
    assert columns.kind == "people"
    assert mapped(columns, HUBSPOT_CONTACTS) == {
        "record_id": "Record ID",
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "Email",
        "phone": "Phone Number",
        "mobile_phone": "Mobile Phone Number",
        "title": "Job Title",
        "company_name": "Company Name",
        "company_domain": "Website URL",
        "linkedin_url": "LinkedIn Profile",
        "city": "City",
        "region": "State/Region",
        "country": "Country/Region",
    }
    assert columns.ignored == ("Lifecycle Stage",)


def test_salesforce_contacts_map_account_name_to_the_company() -> None:
    columns = map_columns(SALESFORCE_CONTACTS)
    assert mapped(columns, SALESFORCE_CONTACTS) == {
        "record_id": "Id",
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "phone": "Phone",
        "mobile_phone": "MobilePhone",
        "title": "Title",
        "company_name": "Account Name",
        "city": "MailingCity",
        "region": "MailingState",
        "country": "MailingCountry",
    }


def test_apollo_prefers_company_over_company_name_for_emails() -> None:
    columns = map_columns(APOLLO_PEOPLE)
    fields = mapped(columns, APOLLO_PEOPLE)
    assert fields["company_name"] == "Company"
    assert fields["linkedin_url"] == "Person Linkedin Url"
    assert fields["company_linkedin_url"] == "Company Linkedin Url"
    assert fields["company_domain"] == "Website"
    assert fields["email_status"] == "Email Status"
    assert fields["phone"] == "First Phone"
    assert fields["work_phone"] == "Work Direct Phone"
    assert fields["mobile_phone"] == "Mobile Phone"
    assert fields["record_id"] == "Apollo Contact Id"
    assert fields["city"] == "City"  # not "Company City"
    assert "Company Name for Emails" in columns.ignored
    assert "# Employees" in columns.ignored  # a company field, not a person's


def test_sales_navigator_keeps_its_location_in_one_column() -> None:
    columns = map_columns(SALES_NAVIGATOR)
    assert mapped(columns, SALES_NAVIGATOR) == {
        "first_name": "First Name",
        "last_name": "Last Name",
        "title": "Title",
        "company_name": "Company",
        "linkedin_url": "LinkedIn URL",
        "location": "Location",
    }


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (GENERATOR_PEOPLE, "people"),
        (GENERATOR_COMPANIES, "companies"),
        (GENERATOR_OPENINGS, "openings"),
        (HUBSPOT_CONTACTS, "people"),
        (HUBSPOT_COMPANIES, "companies"),
        (SALESFORCE_CONTACTS, "people"),
        (APOLLO_PEOPLE, "people"),
        (SALES_NAVIGATOR, "people"),
        (["Name", "Domain", "Industry"], "companies"),
        (["Full Name", "Email"], "people"),
        (["Notes", "Owner"], None),
    ],
)
def test_the_kind_is_guessed_from_the_headers(headers: list[str], kind: str | None) -> None:
    assert guess_kind(headers) == kind


def test_the_generator_files_map_every_column() -> None:
    assert mapped(map_columns(GENERATOR_COMPANIES), GENERATOR_COMPANIES) == {
        "record_id": "Record ID",
        "name": "Company Name",
        "website": "Website",
        "linkedin_url": "LinkedIn URL",
        "industry": "Industry",
        "headcount": "Employees",
        "city": "City",
        "region": "State",
        "country": "Country",
        "founded": "Founded",
        "description": "Description",
    }
    assert mapped(map_columns(GENERATOR_OPENINGS), GENERATOR_OPENINGS) == {
        "record_id": "Record ID",
        "company_domain": "Company Domain",
        "title": "Job Title",
        "location": "Location",
        "posted_at": "Posted At",
        "url": "Job URL",
    }
    people = map_columns(GENERATOR_PEOPLE)
    assert len(people.fields) == len(GENERATOR_PEOPLE) and people.ignored == ()


def test_a_file_without_the_required_columns_is_invalid_csv_format() -> None:
    with pytest.raises(InvalidCsvFormat) as raised:
        map_columns(["Email", "Title"], kind="people")
    assert raised.value.param == "columns"
    assert raised.value.details == {
        "columns": "needs first_name + last_name or full_name; found: Email, Title"
    }


def test_an_unguessable_file_asks_for_the_kind() -> None:
    with pytest.raises(InvalidCsvFormat) as raised:
        map_columns(["Notes", "Owner"])
    assert raised.value.param == "kind"


def test_an_explicit_kind_wins_over_the_guess() -> None:
    columns = map_columns(["Name", "Email"], kind="people")
    assert columns.kind == "people"
    assert columns.fields == {"full_name": 0, "email": 1}


def test_values_are_trimmed_and_blank_placeholders_dropped() -> None:
    columns = map_columns(["First Name", "Last Name", "Email", "Title", "City"])
    row = ["  Jane ", "Doe", "N/A", "-", ""]
    assert columns.values(row) == {"first_name": "Jane", "last_name": "Doe"}
    # A short row (fewer fields than headers) reads as blanks.
    assert columns.values(["Jane"]) == {"first_name": "Jane"}
