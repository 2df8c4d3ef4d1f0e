"""Batch upserts with entity resolution, on both databases: what is created, what merges
into what and by which key, what a merge fills, provenance, and suppressed rows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import records
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.merge import OnMatch
from leadbase.server.catalog.records import CompanyRecord, OpeningRecord, PersonRecord
from leadbase.server.catalog.upsert import RowOutcome
from leadbase.server.db import Database
from tests.server.credits.support import execute, rows

T = TypeVar("T")


def in_session(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def person(**values: str) -> PersonRecord:
    record = records.parse_person(values)
    assert isinstance(record, PersonRecord), record
    return record


def company(**values: str) -> CompanyRecord:
    record = records.parse_company(values)
    assert isinstance(record, CompanyRecord), record
    return record


def opening(**values: str) -> OpeningRecord:
    record = records.parse_opening(values)
    assert isinstance(record, OpeningRecord), record
    return record


def people(
    database_url: str,
    batch: Sequence[PersonRecord],
    *,
    source: str = "crm",
    on_match: OnMatch = "fill",
) -> list[RowOutcome]:
    return in_session(
        database_url,
        lambda session: catalog.upsert_people(session, batch, source=source, on_match=on_match),
    )


def companies(
    database_url: str, batch: Sequence[CompanyRecord], *, on_match: OnMatch = "fill"
) -> list[RowOutcome]:
    return in_session(
        database_url,
        lambda session: catalog.upsert_companies(session, batch, source="crm", on_match=on_match),
    )


def openings(
    database_url: str, batch: Sequence[OpeningRecord], *, on_match: OnMatch = "fill"
) -> list[RowOutcome]:
    return in_session(
        database_url,
        lambda session: catalog.upsert_openings(session, batch, source="jobs", on_match=on_match),
    )


def statuses(outcomes: Sequence[RowOutcome]) -> list[tuple[str, str | None]]:
    return [(outcome.status, outcome.matched_by) for outcome in outcomes]


def table(database_url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    return rows(database_url, sql, **params)


JANE = {
    "record_id": "1",
    "first_name": "Jane",
    "last_name": "Doe",
    "email": "jane.doe@acme.com",
    "company_name": "Acme Holdings, Inc.",
    "company_domain": "acme.com",
}


# People: creation and provenance ----------------------------------------------------------


def test_new_people_are_created_with_their_company_keys_and_provenance(
    database_url: str,
) -> None:
    (created,) = people(
        database_url,
        [
            person(
                **JANE,
                title="VP of Engineering",
                mobile_phone="+44 7400 123456",
                linkedin_url="https://www.linkedin.com/in/jane-doe",
                location="London, England, United Kingdom",
            )
        ],
    )
    assert created.status == "created" and created.matched_by is None
    [stored] = table(database_url, "SELECT * FROM people")
    assert stored["id"] == created.id
    assert {
        k: stored[k] for k in ("full_name", "name_key", "title", "seniority", "department")
    } == {
        "full_name": "Jane Doe",
        "name_key": "jane doe",
        "title": "VP of Engineering",
        "seniority": "vp",
        "department": "engineering",
    }
    assert (stored["linkedin_slug"], stored["country"], stored["source"]) == (
        "jane-doe",
        "GB",
        "crm",
    )
    [acme] = table(database_url, "SELECT id, name, name_key, domain FROM companies")
    assert (acme["name"], acme["name_key"], acme["domain"]) == (
        "Acme Holdings, Inc.",
        "acme holdings",
        "acme.com",
    )
    assert stored["company_id"] == acme["id"]
    assert table(database_url, "SELECT email, person_id, kind, status FROM person_emails") == [
        {"email": "jane.doe@acme.com", "person_id": created.id, "kind": "work", "status": "unknown"}
    ]
    assert table(database_url, "SELECT e164, kind FROM person_phones") == [
        {"e164": "+447400123456", "kind": "mobile"}
    ]
    assert table(
        database_url, "SELECT person_id, source, source_record_id, matched_by FROM person_sources"
    ) == [
        {"person_id": created.id, "source": "crm", "source_record_id": "1", "matched_by": "created"}
    ]


def test_importing_the_same_records_again_merges_each_into_itself(database_url: str) -> None:
    batch = [person(**JANE), person(record_id="2", full_name="Max Mustermann", company_name="Acme")]
    first = people(database_url, batch)
    again = people(database_url, batch)
    assert statuses(again) == [("merged", "record_id"), ("merged", "record_id")]
    assert [outcome.id for outcome in again] == [outcome.id for outcome in first]
    assert table(database_url, "SELECT count(*) AS n FROM people") == [{"n": 2}]
    assert table(database_url, "SELECT count(*) AS n FROM person_sources") == [{"n": 2}]


@pytest.mark.parametrize("together", [False, True], ids=["two_calls", "one_batch"])
def test_a_record_id_reused_by_a_stranger_does_not_merge_them(
    database_url: str, together: bool
) -> None:
    carol = person(record_id="501", full_name="Carol Chen", email="carol@chen-example.com")
    dan = person(record_id="501", full_name="Dan Diaz", email="dan@diaz-example.com")
    outcomes = (
        people(database_url, [carol, dan])
        if together
        else [
            *people(database_url, [carol]),
            *people(database_url, [dan], on_match="overwrite"),
        ]
    )
    assert statuses(outcomes) == [("created", None), ("created", None)]
    assert table(
        database_url,
        "SELECT p.full_name, e.email FROM people AS p JOIN person_emails AS e"
        " ON e.person_id = p.id ORDER BY p.full_name",
    ) == [
        {"full_name": "Carol Chen", "email": "carol@chen-example.com"},
        {"full_name": "Dan Diaz", "email": "dan@diaz-example.com"},
    ]


def test_a_record_id_still_finds_its_person_renamed_by_their_own_email(
    database_url: str,
) -> None:
    (jane,) = people(database_url, [person(**JANE)])
    renamed = person(record_id="1", full_name="Jane Smith", email="jane.doe@acme.com")
    (again,) = people(database_url, [renamed], on_match="overwrite")
    assert (again.id, again.matched_by) == (jane.id, "record_id")
    assert table(database_url, "SELECT full_name FROM people") == [{"full_name": "Jane Smith"}]


# People: merging ----------------------------------------------------------------------------


def test_a_merge_fills_empty_fields_adds_new_keys_and_keeps_what_was_there(
    database_url: str,
) -> None:
    (jane,) = people(database_url, [person(**JANE)])
    (merged,) = people(
        database_url,
        [
            person(
                record_id="zz-9",
                first_name="Janet",  # never overwrites a name
                last_name="Doe",
                email="JANE.DOE@acme.com",
                personal_email="jane@gmail.com",
                work_phone="+1 415 555 0132",
                title="CTO",
                linkedin_url="https://www.linkedin.com/in/jane-doe",
                location="Austin, TX, United States",
                company_name="Globex",  # never moves her to another company
            )
        ],
        source="apollo",
    )
    assert (merged.status, merged.id, merged.matched_by) == ("merged", jane.id, "email")
    [stored] = table(database_url, "SELECT * FROM people")
    assert (stored["first_name"], stored["title"], stored["seniority"]) == (
        "Jane",
        "CTO",
        "c_suite",
    )
    assert (stored["linkedin_slug"], stored["city"], stored["region"], stored["country"]) == (
        "jane-doe",
        "Austin",
        "TX",
        "US",
    )
    assert stored["source"] == "crm"
    assert table(
        database_url, "SELECT name FROM companies c JOIN people p ON p.company_id = c.id"
    ) == [{"name": "Acme Holdings, Inc."}]
    assert {row["email"] for row in table(database_url, "SELECT email FROM person_emails")} == {
        "jane.doe@acme.com",
        "jane@gmail.com",
    }
    assert table(database_url, "SELECT e164, kind FROM person_phones") == [
        {"e164": "+14155550132", "kind": "direct"}
    ]
    assert table(
        database_url,
        "SELECT source, source_record_id, matched_by FROM person_sources ORDER BY source",
    ) == [
        {"source": "apollo", "source_record_id": "zz-9", "matched_by": "email"},
        {"source": "crm", "source_record_id": "1", "matched_by": "created"},
    ]


def test_a_merge_fills_a_title_and_its_facets_only_when_there_was_none(database_url: str) -> None:
    people(database_url, [person(**JANE, title="Software Engineer")])
    people(database_url, [person(**{**JANE, "record_id": "x"}, title="CEO")], source="other")
    people(database_url, [person(full_name="Max Power", email="max@acme.com")])
    people(database_url, [person(full_name="Max Power", email="max@acme.com", title="CEO")])
    assert table(
        database_url,
        "SELECT full_name, title, seniority, department FROM people ORDER BY full_name",
    ) == [
        {
            "full_name": "Jane Doe",
            "title": "Software Engineer",
            "seniority": "entry",
            "department": "engineering",
        },
        {
            "full_name": "Max Power",
            "title": "CEO",
            "seniority": "c_suite",
            "department": "executive",
        },
    ]


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("linkedin", {"full_name": "J. Doe", "linkedin_url": "linkedin.com/in/jane-doe"}),
        ("phone", {"full_name": "Jane Doe", "mobile_phone": "+44 7400 123456"}),
        ("name_company", {"full_name": "Jayne Doe", "company_domain": "www.acme.com"}),
        ("name_company", {"full_name": "Doe, Jane", "company_name": "ACME Holdings"}),
    ],
)
def test_a_record_merges_into_the_catalog_person_by_any_key(
    database_url: str, key: str, values: dict[str, str]
) -> None:
    (jane,) = people(
        database_url,
        [
            person(
                **JANE,
                linkedin_url="https://www.linkedin.com/in/jane-doe",
                mobile_phone="+447400123456",
            )
        ],
    )
    (merged,) = people(database_url, [person(**values)], source="other")
    assert (merged.status, merged.id, merged.matched_by) == ("merged", jane.id, key)


def test_a_namesake_with_another_linkedin_profile_is_a_new_person(database_url: str) -> None:
    people(database_url, [person(**JANE, linkedin_url="linkedin.com/in/jane-doe-1")])
    (other,) = people(
        database_url,
        [
            person(
                full_name="Jane Doe",
                company_domain="acme.com",
                linkedin_url="linkedin.com/in/jane-doe-2",
            )
        ],
    )
    assert other.status == "created"


def test_a_namesake_with_another_address_at_the_company_is_a_new_person(
    database_url: str,
) -> None:
    people(database_url, [person(**JANE)])
    (other,) = people(
        database_url,
        [person(full_name="Jane Doe", email="jane.doe2@acme.com", company_domain="acme.com")],
    )
    assert other.status == "created"


def test_a_phone_never_joins_people_with_different_linkedin_profiles(database_url: str) -> None:
    people(
        database_url,
        [person(**JANE, mobile_phone="+447400123456", linkedin_url="linkedin.com/in/jd-1")],
    )
    (other,) = people(
        database_url,
        [
            person(
                full_name="Jane Doe",
                mobile_phone="+447400123456",
                linkedin_url="linkedin.com/in/jd-2",
            )
        ],
    )
    assert other.status == "created"


def test_a_shared_phone_never_joins_people_with_different_names(database_url: str) -> None:
    people(database_url, [person(**JANE, work_phone="+1 415 555 0100")])
    (other,) = people(database_url, [person(full_name="Max Power", work_phone="+14155550100")])
    assert other.status == "created"
    assert table(database_url, "SELECT count(*) AS n FROM person_phones") == [{"n": 2}]


def test_keys_held_by_someone_else_stay_theirs(database_url: str) -> None:
    jane, max_ = people(
        database_url,
        [
            person(**JANE, linkedin_url="linkedin.com/in/jane-doe"),
            person(full_name="Max Power", email="max@globex.com"),
        ],
    )
    # Max's row carries Jane's profile: it merges by email into Max, the profile stays Jane's.
    (merged,) = people(
        database_url,
        [
            person(
                full_name="Max Power",
                email="max@globex.com",
                linkedin_url="linkedin.com/in/jane-doe",
            )
        ],
        source="other",
    )
    assert (merged.id, merged.matched_by) == (max_.id, "email")
    assert table(database_url, "SELECT id, linkedin_slug FROM people ORDER BY full_name") == [
        {"id": jane.id, "linkedin_slug": "jane-doe"},
        {"id": max_.id, "linkedin_slug": None},
    ]


# People: duplicates within one batch --------------------------------------------------------


def test_duplicates_within_a_batch_are_resolved_like_catalog_ones(database_url: str) -> None:
    outcomes = people(
        database_url,
        [
            person(**JANE),
            person(full_name="Jane Doe", email="jane.doe@acme.com", title="CTO"),
            person(full_name="Janie Doe", company_name="Acme Holdings"),  # typo, same company
            person(full_name="Max Power", mobile_phone="+447400123456"),
            person(full_name="Max Power", mobile_phone="+44 7400 123456", title="CFO"),
            person(full_name="Sam Lee", linkedin_url="linkedin.com/in/sam-lee"),
            person(full_name="Sam Lee", linkedin_url="https://www.linkedin.com/in/sam-lee/"),
        ],
    )
    assert statuses(outcomes) == [
        ("created", None),
        ("merged", "email"),
        ("merged", "name_company"),
        ("created", None),
        ("merged", "phone"),
        ("created", None),
        ("merged", "linkedin"),
    ]
    ids = [outcome.id for outcome in outcomes]
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] and ids[5] == ids[6]
    assert table(database_url, "SELECT full_name, title FROM people ORDER BY full_name") == [
        {"full_name": "Jane Doe", "title": "CTO"},
        {"full_name": "Max Power", "title": "CFO"},
        {"full_name": "Sam Lee", "title": None},
    ]
    assert table(database_url, "SELECT count(*) AS n FROM companies") == [{"n": 1}]
    assert table(database_url, "SELECT count(*) AS n FROM person_sources") == [{"n": 7}]


# People: overwriting ------------------------------------------------------------------------

PERSON_COLUMNS = (
    "SELECT p.first_name, p.full_name, p.title, p.seniority, p.department, p.city, p.region,"
    " p.country, p.linkedin_slug, c.name AS company FROM people AS p"
    " LEFT JOIN companies AS c ON c.id = p.company_id ORDER BY p.full_name"
)
# Jane's move, as a refreshed CRM export says it: new title, company, city and name.
MOVED = {
    "email": "jane.doe@acme.com",
    "first_name": "Janet",
    "last_name": "Doe",
    "title": "VP of Sales",
    "company_name": "Globex",
    "company_domain": "globex.com",
    "location": "Berlin, Germany",
    "linkedin_url": "linkedin.com/in/someone-else",
}


def test_an_overwrite_replaces_what_the_record_says_and_keeps_what_it_leaves_out(
    database_url: str,
) -> None:
    people(
        database_url,
        [
            person(
                **JANE,
                title="CTO",
                location="Austin, TX, United States",
                linkedin_url="linkedin.com/in/jane-doe",
            )
        ],
    )
    people(database_url, [person(**MOVED)], source="export", on_match="fill")
    assert table(database_url, PERSON_COLUMNS)[0]["title"] == "CTO"  # a fill keeps hers
    (merged,) = people(database_url, [person(**MOVED)], source="refresh", on_match="overwrite")
    assert (merged.status, merged.matched_by) == ("merged", "email")
    assert table(database_url, PERSON_COLUMNS) == [
        {
            "first_name": "Janet",
            "full_name": "Janet Doe",
            "title": "VP of Sales",
            "seniority": "vp",
            "department": "sales",
            # A location is replaced whole: no Texas left beside Berlin.
            "city": "Berlin",
            "region": None,
            "country": "DE",
            # A LinkedIn profile identifies: added when missing, never replaced.
            "linkedin_slug": "jane-doe",
            "company": "Globex",
        }
    ]
    # A later row that leaves everything but the key out changes nothing.
    people(
        database_url,
        [person(full_name="Janet Doe", email="jane.doe@acme.com")],
        on_match="overwrite",
    )
    assert table(database_url, PERSON_COLUMNS)[0]["title"] == "VP of Sales"
    assert table(database_url, "SELECT updated_at > created_at AS later FROM people") == [
        {"later": 1}
    ]


@pytest.mark.parametrize("together", [False, True], ids=["catalog", "same_batch"])
def test_an_overwrite_that_says_less_of_a_location_keeps_its_details(
    database_url: str, together: bool
) -> None:
    sydney = person(**JANE, location="Sydney, New South Wales, Australia")
    refreshes = [
        person(**JANE, country="AU"),  # the same country alone: Sydney stays
        person(**JANE, region="New South Wales"),
        person(**JANE, city="Melbourne", country="AU"),  # a new city: the whole location
    ]
    if together:
        people(database_url, [sydney, *refreshes], on_match="overwrite")
    else:
        people(database_url, [sydney])
        for refresh in refreshes[:2]:
            people(database_url, [refresh], on_match="overwrite")
            assert table(database_url, "SELECT city, region, country FROM people") == [
                {"city": "Sydney", "region": "New South Wales", "country": "AU"}
            ]
        people(database_url, [refreshes[2]], on_match="overwrite")
    assert table(database_url, "SELECT city, region, country FROM people") == [
        {"city": "Melbourne", "region": None, "country": "AU"}
    ]


def test_a_catalog_person_an_overwrite_moves_is_found_where_they_are_now_by_the_batch(
    database_url: str,
) -> None:
    (jane,) = people(database_url, [person(**JANE, title="CTO")])
    outcomes = people(
        database_url,
        [
            person(**MOVED),
            person(full_name="Janet Doe", company_domain="globex.com"),
            person(full_name="Jane Doe", company_domain="acme.com"),
        ],
        on_match="overwrite",
    )
    assert statuses(outcomes) == [
        ("merged", "email"),
        ("merged", "name_company"),
        ("created", None),
    ]
    assert outcomes[0].id == outcomes[1].id == jane.id


def test_an_overwrite_keeps_the_name_when_only_the_name_matched(database_url: str) -> None:
    people(database_url, [person(**JANE, title="CTO")])
    (merged,) = people(
        database_url,
        [person(full_name="Jayne Doe", company_domain="acme.com", title="CEO")],
        on_match="overwrite",
    )
    assert merged.matched_by == "name_company"
    assert [(row["full_name"], row["title"]) for row in table(database_url, PERSON_COLUMNS)] == [
        ("Jane Doe", "CEO")
    ]


def test_an_overwrite_within_one_batch_moves_the_person_for_the_batchs_later_rows(
    database_url: str,
) -> None:
    outcomes = people(
        database_url,
        [
            person(**JANE, title="CTO"),
            person(**MOVED),
            # By name at her new company: she is there now, and only there.
            person(
                full_name="Janet Doe", company_domain="globex.com", mobile_phone="+447400123456"
            ),
            person(full_name="Jane Doe", company_domain="acme.com"),
        ],
        on_match="overwrite",
    )
    assert statuses(outcomes) == [
        ("created", None),
        ("merged", "email"),
        ("merged", "name_company"),
        ("created", None),
    ]
    assert len({outcome.id for outcome in outcomes[:3]}) == 1
    assert [
        (row["full_name"], row["title"], row["company"])
        for row in table(database_url, PERSON_COLUMNS)
    ] == [("Jane Doe", None, "Acme Holdings, Inc."), ("Janet Doe", "VP of Sales", "Globex")]


# Suppression --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "row"),
    [
        ("email", "jane.doe@acme.com", {}),
        ("linkedin", "jane-doe", {"linkedin_url": "https://linkedin.com/in/Jane-Doe"}),
        ("phone", "+447400123456", {"mobile_phone": "07400 123456", "country": "GB"}),
        ("domain", "acme.com", {}),  # the email's and the company's domain
    ],
)
def test_a_row_with_a_suppressed_key_is_skipped(
    database_url: str, kind: str, value: str, row: dict[str, str]
) -> None:
    execute(
        database_url,
        "INSERT INTO suppressions (kind, value, reason, created_at) VALUES (:k, :v, NULL, :t)",
        k=kind,
        v=value,
        t="2024-01-01 00:00:00",
    )
    outcomes = people(
        database_url, [person(**JANE, **row), person(full_name="Max Power", email="max@globex.com")]
    )
    assert statuses(outcomes) == [("suppressed", None), ("created", None)]
    assert outcomes[0].id is None
    assert table(database_url, "SELECT full_name FROM people") == [{"full_name": "Max Power"}]
    assert table(database_url, "SELECT count(*) AS n FROM person_sources") == [{"n": 1}]


# Companies ----------------------------------------------------------------------------------


def test_companies_match_by_domain_then_linkedin_then_name(database_url: str) -> None:
    acme, initech = companies(
        database_url,
        [
            company(
                name="Acme Holdings, Inc.",
                domain="acme.com",
                linkedin_url="linkedin.com/company/acme",
            ),
            company(name="Initech"),
        ],
    )
    outcomes = companies(
        database_url,
        [
            company(name="ACME", website="https://www.acme.com"),
            company(
                name="Acme Rockets", linkedin_url="https://www.linkedin.com/company/acme/about"
            ),
            company(name="Initech LLC", domain="initech.com", industry="Software"),
            company(name="Initech GmbH", domain="initech.de"),
            company(name="Globex"),
        ],
    )
    assert [(o.status, o.id, o.matched_by) for o in outcomes[:3]] == [
        ("merged", acme.id, "domain"),
        ("merged", acme.id, "linkedin"),
        ("merged", initech.id, "name"),
    ]
    # A name alone never joins two companies with different domains.
    assert outcomes[3].status == "created" and outcomes[4].status == "created"
    assert table(database_url, "SELECT name, domain, industry FROM companies ORDER BY name") == [
        {"name": "Acme Holdings, Inc.", "domain": "acme.com", "industry": None},
        {"name": "Globex", "domain": None, "industry": None},
        {"name": "Initech", "domain": "initech.com", "industry": "Software"},
        {"name": "Initech GmbH", "domain": "initech.de", "industry": None},
    ]


def test_a_company_merge_fills_the_headcount_and_location_as_wholes(database_url: str) -> None:
    companies(database_url, [company(name="Acme", domain="acme.com", location="Austin, TX")])
    companies(
        database_url,
        [company(domain="acme.com", headcount="150", location="Berlin, Germany", founded="1999")],
    )
    assert table(
        database_url,
        "SELECT headcount_range, headcount_min, headcount_max, city, region, country, founded "
        "FROM companies",
    ) == [
        {
            "headcount_range": "51-200",
            "headcount_min": 51,
            "headcount_max": 200,
            "city": "Austin",
            "region": "TX",
            "country": None,
            "founded": 1999,
        }
    ]


def test_a_company_overwrite_renames_it_and_replaces_its_details_but_not_its_keys(
    database_url: str,
) -> None:
    companies(
        database_url,
        [
            company(
                name="Facebook",
                domain="facebook.com",
                industry="Internet",
                headcount="5000",
                location="Menlo Park, CA",
            )
        ],
    )
    outcomes = companies(
        database_url,
        [
            company(
                name="Meta Platforms, Inc.",
                domain="facebook.com",
                linkedin_url="linkedin.com/company/meta",
                industry="Technology",
                headcount="10001+",
            ),
            # Found by its new name later in the same batch.
            company(name="Meta Platforms", description="Social apps"),
            # A domain it has is not replaced: this is another company.
            company(name="Meta Platforms", domain="meta.com"),
        ],
        on_match="overwrite",
    )
    assert statuses(outcomes) == [("merged", "domain"), ("merged", "name"), ("created", None)]
    assert table(
        database_url,
        "SELECT name, name_key, domain, linkedin_slug, industry, headcount_range, city,"
        " description FROM companies WHERE domain = 'facebook.com'",
    ) == [
        {
            # The batch's last word on its name.
            "name": "Meta Platforms",
            "name_key": "meta platforms",
            "domain": "facebook.com",
            "linkedin_slug": "meta",
            "industry": "Technology",
            "headcount_range": "10001+",
            # No location given: the one it had stays.
            "city": "Menlo Park",
            "description": "Social apps",
        }
    ]


# Openings -----------------------------------------------------------------------------------


def test_openings_are_created_with_their_company_and_merge_by_job_url_or_posting(
    database_url: str,
) -> None:
    first = openings(
        database_url,
        [
            opening(
                title="Senior Engineer",
                company_domain="acme.com",
                url="https://www.linkedin.com/jobs/view/3791234567/",
                posted_at="2024-05-01",
            ),
            opening(title="Designer", company_name="Acme", url="https://jobs.acme.com/42"),
            opening(title="CFO", company_domain="acme.com", posted_at="2024-05-02"),
        ],
    )
    assert [o.status for o in first] == ["created"] * 3
    again = openings(
        database_url,
        [
            opening(
                title="Senior Engineer (m/f/d)",
                company_domain="acme.com",
                url="https://de.linkedin.com/jobs/view/senior-engineer-3791234567",
                location="Berlin, Germany",
            ),
            opening(title="Designer", company_domain="acme.com", url="https://jobs.acme.com/42"),
            opening(title="cfo", company_domain="acme.com", posted_at="2024-05-02T00:00:00Z"),
            opening(title="CFO", company_domain="acme.com", posted_at="2024-06-01"),
        ],
    )
    assert [(o.status, o.id, o.matched_by) for o in again[:3]] == [
        ("merged", first[0].id, "linkedin_job"),
        ("merged", first[1].id, "url"),
        ("merged", first[2].id, "title"),
    ]
    assert again[3].status == "created"
    assert table(database_url, "SELECT count(*) AS n FROM companies") == [{"n": 1}]
    assert table(
        database_url, "SELECT title, city, country FROM openings WHERE id = :id", id=first[0].id
    ) == [{"title": "Senior Engineer", "city": "Berlin", "country": "DE"}]


def test_an_opening_overwrite_retitles_it_with_its_facets(database_url: str) -> None:
    url = "https://www.linkedin.com/jobs/view/3791234567/"
    openings(
        database_url,
        [opening(title="Engineer", company_domain="acme.com", url=url, location="Austin, TX")],
    )
    (merged,) = openings(
        database_url,
        [
            opening(
                title="Head of Sales", company_domain="acme.com", url=url, posted_at="2024-06-01"
            )
        ],
        on_match="overwrite",
    )
    assert (merged.status, merged.matched_by) == ("merged", "linkedin_job")
    [stored] = table(
        database_url, "SELECT title, seniority, department, city, posted_at FROM openings"
    )
    assert (stored["title"], stored["seniority"], stored["department"], stored["city"]) == (
        "Head of Sales",
        "head",
        "sales",
        "Austin",
    )
    assert str(stored["posted_at"]).startswith("2024-06-01")
