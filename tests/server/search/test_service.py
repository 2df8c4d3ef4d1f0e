"""Search through the service on SQLite and PostgreSQL: what every filter selects, the
full-text semantics, keyset pages, counts, and indexes that follow every catalog change."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa

from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.models import COMPANIES as COMPANY_TABLE
from leadbase.server.catalog.models import PEOPLE as PEOPLE_TABLE
from leadbase.server.db import Database
from leadbase.server.errors import InvalidCursor
from leadbase.server.pagination import encode_cursor
from leadbase.server.search import service as search
from leadbase.server.search.filters import Kind
from tests.server.search.support import (
    ACME,
    ANA,
    BOB,
    CHLOE,
    GLOBEX,
    HANS,
    INITECH,
    JOSE,
    MULLER,
    NOW,
    PRIYA,
    SAM,
    WEI,
    company,
    counted,
    execute,
    filters_of,
    found_ids,
    integrity_checked,
    person,
    seed,
    walk,
)

EVERYONE = [JOSE, ANA, BOB, CHLOE, WEI, PRIYA, HANS, SAM]
OP_ROBOTICS, OP_SALES, OP_DATA, OP_BAKER = "op_01robotics", "op_02sales", "op_03data", "op_04baker"
TEN_DAYS_AGO = (NOW - dt.timedelta(days=10)).isoformat()

PEOPLE_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "no_filter_returns_everyone": ({}, EVERYONE),
    "keywords_match_word_prefixes_of_names_and_company_names": (
        {"keywords": "mull"},
        [JOSE, HANS],
    ),
    "keywords_ignore_accents_in_the_query": ({"keywords": "muller"}, [JOSE, HANS]),
    "keywords_ignore_accents_in_the_text": ({"keywords": "Müller"}, [JOSE, HANS]),
    "keywords_ignore_case": ({"keywords": "GARCIA"}, [ANA]),
    "keywords_match_accented_words_whole": ({"keywords": "Bäckermeister"}, [HANS]),
    "keywords_need_every_word": ({"keywords": "data engineer"}, [ANA]),
    "keywords_search_the_company_name": ({"keywords": "globex"}, [ANA, WEI]),
    "keywords_ignore_punctuation": ({"keywords": "  chloé!!  "}, [CHLOE]),
    "keywords_may_end_in_a_one_letter_prefix": ({"keywords": "bob s"}, [BOB]),
    "keywords_of_one_letter_before_the_last_are_whole_words": ({"keywords": "b smith"}, []),
    "keywords_matching_nothing_return_nothing": ({"keywords": "zyzzyva"}, []),
    "job_titles_match_every_word_of_a_title": ({"job_titles": ["vp sales"]}, [JOSE]),
    # In a title a letter is a word: "Engineer I" must not find "Engineer II".
    "job_titles_take_one_letter_words_whole": ({"job_titles": ["vp s"]}, []),
    "job_titles_match_any_of_the_titles_as_prefixes": (
        {"job_titles": ["eng", "marketing"]},
        [ANA, BOB, CHLOE, PRIYA],
    ),
    "job_titles_look_at_the_title_only": ({"job_titles": ["globex"]}, []),
    # Stored as written: "Chief Technology Officer", "VP of Sales", "Senior Data Engineer",
    # "Software Engineer". A title's other spellings find them.
    "job_titles_match_an_abbreviation_spelled_out": ({"job_titles": ["CTO"]}, [WEI]),
    "job_titles_match_a_phrase_abbreviated": (
        {"job_titles": ["vice president of sales", "sr data eng"]},
        [JOSE, ANA],
    ),
    "job_titles_match_a_phrase_by_its_short_form": ({"job_titles": ["swe"]}, [BOB]),
    "exclude_job_titles_take_other_spellings_too": (
        {"departments": ["engineering", "data"], "exclude_job_titles": ["sr", "cto"]},
        [BOB],
    ),
    "exclude_job_titles_remove_matches": (
        {"departments": ["marketing"], "exclude_job_titles": ["intern"]},
        [CHLOE],
    ),
    "exclude_job_titles_alone_keep_people_without_a_title": (
        {"exclude_job_titles": ["engineer", "intern"]},
        [JOSE, CHLOE, WEI, HANS, SAM],
    ),
    "seniorities_match_any": ({"seniorities": ["vp", "c_suite"]}, [JOSE, WEI]),
    "departments_match_any": ({"departments": ["engineering"]}, [BOB, WEI]),
    "locations_take_country_codes_in_any_case": ({"locations": ["us"]}, [ANA, BOB, WEI]),
    "locations_take_country_names": (
        {"locations": ["Germany", {"country": "United States", "city": "Austin"}]},
        [JOSE, BOB, HANS],
    ),
    "locations_need_every_part_of_an_object": (
        {"locations": [{"country": "US", "city": "austin"}]},
        [BOB],
    ),
    "locations_match_regions": ({"locations": [{"region": "BAYERN"}]}, [HANS]),
    "locations_ignore_surrounding_spaces": ({"locations": [{"region": " Bayern "}]}, [HANS]),
    # Stored as "California" and "Texas": a state's code finds them, with a country or not.
    "locations_match_a_us_state_by_its_code": (
        {"locations": [{"country": "US", "region": "ca"}, {"region": "TX"}]},
        [ANA, BOB],
    ),
    "exclude_locations_take_a_state_code_too": (
        {"locations": ["US"], "exclude_locations": [{"region": "CA"}]},
        [BOB, WEI],
    ),
    # Stored as "Bayern", "Île-de-France" and "Karnataka": other spellings of a region
    # (English, without accents, its code) find them, a code only in its own country.
    "locations_match_a_region_by_its_english_name": (
        {"locations": [{"region": "Bavaria"}]},
        [HANS],
    ),
    "locations_match_a_region_without_its_accents": (
        {"locations": [{"region": "ile de france"}]},
        [CHLOE],
    ),
    "locations_match_a_region_by_its_code": (
        {"locations": [{"country": "DE", "region": "by"}, {"region": "KA"}]},
        [PRIYA, HANS],
    ),
    "locations_match_a_region_code_only_in_its_country": (
        {"locations": [{"country": "US", "region": "BY"}, {"country": "US", "region": "KA"}]},
        [],
    ),
    "locations_match_non_ascii_cities": ({"locations": [{"city": "München"}]}, [HANS]),
    "locations_match_any": ({"locations": ["FR", {"city": "Berlin"}]}, [JOSE, CHLOE]),
    "exclude_locations_keep_people_without_a_location": (
        {"exclude_locations": ["US", {"country": "DE"}]},
        [CHLOE, PRIYA, SAM],
    ),
    "company_ids_match_any": ({"company_ids": [GLOBEX, "co_unknown"]}, [ANA, WEI]),
    "company_domains_are_normalized": (
        {"company_domains": ["https://www.Globex.com/about", "ACME-ROBOTICS.DE"]},
        [JOSE, ANA, WEI],
    ),
    "company_industries_match_whole_values_in_any_case": (
        {"company_industries": ["software"]},
        [JOSE, BOB, PRIYA],
    ),
    "company_industries_match_values_with_punctuation": (
        {"company_industries": ["Food & Beverages"]},
        [HANS],
    ),
    "company_industries_do_not_match_parts_of_values": (
        {"company_industries": ["Food"]},
        [],
    ),
    "company_headcounts_match_any_range": (
        {"company_headcounts": ["1001-5000", "1-10"]},
        [ANA, WEI, HANS],
    ),
    "has_email_counts_only_addresses_not_known_invalid": (
        {"has_email": True},
        [JOSE, WEI, PRIYA],
    ),
    "has_email_false_selects_the_others": ({"has_email": False}, [ANA, BOB, CHLOE, HANS, SAM]),
    "has_phone": ({"has_phone": True}, [JOSE, BOB]),
    "has_phone_false": ({"has_phone": False}, [ANA, CHLOE, WEI, PRIYA, HANS, SAM]),
    "updated_since": ({"updated_since": TEN_DAYS_AGO}, [JOSE, CHLOE, WEI, PRIYA, HANS, SAM]),
    # José was updated at noon on 2026-10-30 (UTC): a date counts from its first instant.
    "updated_since_a_date": ({"updated_since": "2026-10-30"}, [JOSE, CHLOE, WEI, PRIYA, HANS, SAM]),
    "updated_since_the_next_date": (
        {"updated_since": "2026-10-31"},
        [CHLOE, WEI, PRIYA, HANS, SAM],
    ),
    "three_filters_and_a_keyword": (
        {
            "keywords": "engineer",
            "locations": ["US"],
            "company_industries": ["Software"],
            "seniorities": ["entry", "senior"],
        },
        [BOB],
    ),
    "full_text_and_sql_filters_together": (
        {"departments": ["engineering", "data"], "has_email": True, "company_ids": [GLOBEX]},
        [WEI],
    ),
}

COMPANY_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "names_match_word_prefixes": ({"names": ["acme"]}, [ACME]),
    "names_need_every_word": ({"names": ["globex corp", "initech gmbh"]}, [GLOBEX]),
    "names_ignore_accents": ({"names": ["muller"]}, [MULLER]),
    "keywords_search_descriptions": ({"keywords": "software"}, [GLOBEX]),
    "keywords_search_names_and_descriptions": ({"keywords": "backerei"}, [MULLER]),
    "domains": ({"domains": ["globex.com", "www.initech.com"]}, [GLOBEX, INITECH]),
    "industries": ({"industries": ["SOFTWARE"]}, [ACME, INITECH]),
    "headcounts": ({"headcounts": ["11-50", "51-200"]}, [ACME, INITECH]),
    "locations": ({"locations": ["DE"]}, [ACME, MULLER]),
    "exclude_locations": ({"exclude_locations": [{"city": "austin"}, "DE"]}, [GLOBEX]),
    "founded_from": ({"founded_from": 2000}, [ACME, INITECH]),
    "founded_to": ({"founded_to": 1990}, [GLOBEX, MULLER]),
    "founded_between": ({"founded_from": 1980, "founded_to": 2015}, [ACME, GLOBEX]),
}

OPENING_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "titles_match_word_prefixes": ({"titles": ["engineer"]}, [OP_ROBOTICS, OP_DATA]),
    "keywords_search_the_company_name": ({"keywords": "globex"}, [OP_SALES]),
    "keywords_ignore_accents": ({"keywords": "backer"}, [OP_BAKER]),
    "company_ids": ({"company_ids": [ACME]}, [OP_ROBOTICS]),
    "company_domains": ({"company_domains": ["initech.com"]}, [OP_DATA]),
    "locations": ({"locations": [{"city": "AUSTIN"}]}, [OP_DATA]),
    "exclude_locations": ({"exclude_locations": ["US"]}, [OP_ROBOTICS, OP_BAKER]),
    "posted_since_leaves_out_undated_openings": (
        {"posted_since": TEN_DAYS_AGO},
        [OP_ROBOTICS, OP_DATA],
    ),
    "posted_since_a_date": ({"posted_since": "2026-10-31"}, [OP_DATA]),
    "seniorities": ({"seniorities": ["manager"]}, [OP_DATA]),
    "departments": ({"departments": ["sales", "engineering"]}, [OP_ROBOTICS, OP_SALES]),
}


def _cases(kind: Kind, cases: dict[str, tuple[dict[str, Any], list[str]]]) -> Any:
    return [
        pytest.param(kind, filters, expected, id=f"{kind}-{name}")
        for name, (filters, expected) in cases.items()
    ]


@pytest.mark.parametrize(
    ("kind", "filters", "expected"),
    [
        *_cases("people", PEOPLE_CASES),
        *_cases("companies", COMPANY_CASES),
        *_cases("openings", OPENING_CASES),
    ],
)
def test_a_filter_selects_exactly_its_matches_and_the_count_agrees(
    database_url: str, kind: Kind, filters: dict[str, Any], expected: list[str]
) -> None:
    seed(database_url)
    assert asyncio.run(found_ids(database_url, kind, filters)) == expected
    assert asyncio.run(counted(database_url, kind, filters)) == len(expected)


# Pages ----------------------------------------------------------------------------------


def _crowd(size: int) -> list[dict[str, Any]]:
    titles = ["Software Engineer", "Sales Manager", "Data Scientist", "VP of Engineering"]
    seniorities = ["entry", "manager", "senior", "vp"]
    companies = [ACME, GLOBEX, INITECH, MULLER, None]
    countries = ["US", "DE", "FR", None]
    return [
        person(
            f"{index:04d}",
            f"Person{index} Crowd",
            title=titles[index % 4],
            seniority=seniorities[index % 4],
            company_id=companies[index % 5],
            country=countries[index % 3],
        )
        for index in range(size)
    ]


@pytest.mark.parametrize(
    "filters",
    [
        pytest.param({}, id="everyone"),
        pytest.param({"keywords": "engineer"}, id="keyword"),
        pytest.param({"seniorities": ["vp", "entry"], "locations": ["US", "DE"]}, id="facets"),
        pytest.param({"keywords": "crowd", "company_ids": [GLOBEX, INITECH]}, id="mixed"),
    ],
)
def test_walking_every_page_returns_each_match_once_as_many_as_the_count(
    database_url: str, filters: dict[str, Any]
) -> None:
    crowd = _crowd(300)
    seed(database_url, people=crowd, emails=[], phones=[], openings=[])
    pages = asyncio.run(walk(database_url, filters, limit=7))
    walked = [found for page in pages for found in page]
    assert all(len(page) == 7 for page in pages[:-1])
    assert len(walked) == len(set(walked))
    assert walked == asyncio.run(found_ids(database_url, "people", filters))
    assert len(walked) == asyncio.run(counted(database_url, "people", filters))
    assert len(walked) > 7


def test_a_page_ending_exactly_at_the_last_match_says_there_is_no_more(database_url: str) -> None:
    seed(database_url, people=_crowd(14), emails=[], phones=[], openings=[])
    pages = asyncio.run(walk(database_url, {}, limit=7))
    assert [len(page) for page in pages] == [7, 7]


def test_a_cursor_of_another_query_is_refused(database_url: str) -> None:
    seed(database_url, people=_crowd(20), emails=[], phones=[], openings=[])
    first = search.prepare(
        "people",
        mode="database",
        filters=filters_of("people", {"keywords": "crowd"}),
        limit=5,
        cursor=None,
        entitlements=frozenset(),
    )

    async def next_cursor() -> str | None:
        database = Database(database_url)
        try:
            async with database.transaction(write=False) as session:
                return (await search.search_people(session, query=first)).next_cursor
        finally:
            await database.dispose()

    cursor = asyncio.run(next_cursor())
    assert cursor is not None
    for kind, filters in (("people", {"keywords": "crowds"}), ("companies", {"keywords": "crowd"})):
        with pytest.raises(InvalidCursor):
            search.prepare(
                kind,  # type: ignore[arg-type]
                mode="database",
                filters=filters_of(kind, filters),  # type: ignore[arg-type]
                limit=5,
                cursor=cursor,
                entitlements=frozenset(),
            )


# Indexes follow the catalog -------------------------------------------------------------


def test_renaming_a_company_reindexes_its_people_and_openings(database_url: str) -> None:
    seed(database_url)
    execute(
        database_url,
        sa.update(COMPANY_TABLE).where(COMPANY_TABLE.c.id == GLOBEX).values(name="Umbrella Corp"),
    )
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "umbrella"})) == [ANA, WEI]
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "globex"})) == []
    assert asyncio.run(found_ids(database_url, "openings", {"keywords": "umbrella"})) == [OP_SALES]
    assert asyncio.run(found_ids(database_url, "companies", {"names": ["umbrella"]})) == [GLOBEX]
    integrity_checked(database_url)


def test_reclassifying_a_company_moves_its_people_between_facets(database_url: str) -> None:
    seed(database_url)
    execute(
        database_url,
        sa.update(COMPANY_TABLE)
        .where(COMPANY_TABLE.c.id == INITECH)
        .values(industry="Retail", headcount_range="201-500"),
    )
    assert asyncio.run(found_ids(database_url, "people", {"company_industries": ["software"]})) == [
        JOSE
    ]
    assert asyncio.run(found_ids(database_url, "people", {"company_industries": ["retail"]})) == [
        BOB,
        PRIYA,
    ]
    assert asyncio.run(found_ids(database_url, "people", {"company_headcounts": ["201-500"]})) == [
        BOB,
        PRIYA,
    ]
    assert asyncio.run(found_ids(database_url, "companies", {"industries": ["Retail"]})) == [
        INITECH
    ]
    integrity_checked(database_url)


def test_updating_a_person_reindexes_only_what_changed(database_url: str) -> None:
    seed(database_url)
    execute(
        database_url,
        sa.update(PEOPLE_TABLE)
        .where(PEOPLE_TABLE.c.id == BOB)
        .values(title="Staff Engineer", seniority="senior", company_id=ACME, city="Berlin"),
    )
    execute(
        database_url, sa.update(PEOPLE_TABLE).where(PEOPLE_TABLE.c.id == WEI).values(updated_at=NOW)
    )
    assert asyncio.run(found_ids(database_url, "people", {"job_titles": ["staff"]})) == [BOB]
    assert asyncio.run(found_ids(database_url, "people", {"seniorities": ["entry"]})) == []
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "acme"})) == [JOSE, BOB]
    assert asyncio.run(found_ids(database_url, "people", {"locations": [{"city": "berlin"}]})) == [
        JOSE,
        BOB,
    ]
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "chief"})) == [WEI]
    integrity_checked(database_url)


def test_deleting_a_company_detaches_its_people_and_drops_its_openings(database_url: str) -> None:
    seed(database_url)
    execute(database_url, sa.delete(COMPANY_TABLE).where(COMPANY_TABLE.c.id == ACME))
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "acme"})) == []
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "jose"})) == [JOSE]
    assert asyncio.run(found_ids(database_url, "people", {"company_industries": ["software"]})) == [
        BOB,
        PRIYA,
    ]
    assert asyncio.run(found_ids(database_url, "openings", {"keywords": "robotics"})) == []
    assert asyncio.run(found_ids(database_url, "companies", {"keywords": "robots"})) == []
    integrity_checked(database_url)


def test_rows_inserted_after_the_catalog_are_found(database_url: str) -> None:
    seed(database_url)
    seed(
        database_url,
        companies=[company("05new", "Newco", industry="Software")],
        people=[person("09new", "Zoë Newcomer", title="Founder", company_id="co_05new")],
        emails=[],
        phones=[],
        openings=[],
    )
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "zoe newco"})) == ["pe_09new"]
    assert asyncio.run(counted(database_url, "people", {"company_industries": ["software"]})) == 4
    integrity_checked(database_url)


def test_suppressed_people_are_never_found(database_url: str) -> None:
    seed(database_url)

    async def suppress() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                await catalog.suppress(session, email="JOSE@acme-robotics.de", reason="opt-out")
        finally:
            await database.dispose()

    asyncio.run(suppress())
    assert asyncio.run(found_ids(database_url, "people", {"keywords": "jose"})) == []
    assert asyncio.run(found_ids(database_url, "people", {})) == [
        ANA,
        BOB,
        CHLOE,
        WEI,
        PRIYA,
        HANS,
        SAM,
    ]
    assert asyncio.run(counted(database_url, "people", {"seniorities": ["vp"]})) == 0
    integrity_checked(database_url)


def test_filter_values_with_quotes_and_backslashes_match_exactly(database_url: str) -> None:
    odd = "Rock 'n' Roll \\ Music & Co"
    seed(
        database_url,
        companies=[company("01odd", "Odd", industry=odd, city="L'Aquila")],
        people=[person("01odd", "Odd Person", company_id="co_01odd", city="L'Aquila")],
        emails=[],
        phones=[],
        openings=[],
    )
    assert asyncio.run(
        found_ids(database_url, "people", {"company_industries": [odd.upper()]})
    ) == ["pe_01odd"]
    assert asyncio.run(found_ids(database_url, "people", {"company_industries": ["Rock"]})) == []
    assert asyncio.run(
        found_ids(database_url, "companies", {"locations": [{"city": "l'aquila"}]})
    ) == ["co_01odd"]


@pytest.mark.parametrize(
    ("position", "backends"),
    [
        pytest.param("1\x00", {"sqlite", "postgresql"}, id="nul"),
        pytest.param("x" * 41, {"sqlite", "postgresql"}, id="longer_than_an_id"),
        # A rowid is a 64-bit integer; an id is any text.
        pytest.param("9" * 30, {"sqlite"}, id="beyond_64_bits"),
        pytest.param("-1", {"sqlite"}, id="negative"),
    ],
)
def test_a_cursor_forged_with_a_position_that_is_no_position_is_refused(
    database_url: str, position: str, backends: set[str]
) -> None:
    seed(database_url, people=_crowd(3), emails=[], phones=[], openings=[])
    filters = filters_of("people", {"keywords": "crowd"})

    def prepared(cursor: str | None) -> search.Query:
        return search.prepare(
            "people",
            mode="database",
            filters=filters,
            limit=1,
            cursor=cursor,
            entitlements=frozenset(),
        )

    async def next_cursor(query: search.Query) -> str | None:
        database = Database(database_url)
        try:
            async with database.transaction(write=False) as session:
                return (await search.search_people(session, query=query)).next_cursor
        finally:
            await database.dispose()

    cursor = asyncio.run(next_cursor(prepared(None)))
    assert cursor is not None
    listing, _ = msgspec.json.decode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    forged = prepared(encode_cursor(listing, position))
    if database_url.split(":")[0].split("+")[0] not in backends:
        asyncio.run(next_cursor(forged))
        return
    with pytest.raises(InvalidCursor):
        asyncio.run(next_cursor(forged))
