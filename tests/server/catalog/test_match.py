"""Person and company matching on both databases: exact keys, fuzzy names within a
company, ambiguity, batches, and the matcher's precision and recall on a noisy set."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import match, normalize, records
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.match import MatchResult, PersonQuery
from leadbase.server.catalog.records import CompanyRecord, PersonRecord
from leadbase.server.db import Database
from tests.server.catalog import noisy_people

T = TypeVar("T")


def person(**values: str) -> PersonRecord:
    record = records.parse_person(values)
    assert isinstance(record, PersonRecord), record
    return record


def company(**values: str) -> CompanyRecord:
    record = records.parse_company(values)
    assert isinstance(record, CompanyRecord), record
    return record


def in_session(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def load(database_url: str, people: Sequence[PersonRecord]) -> list[str]:
    async def work(session: AsyncSession) -> list[str]:
        outcomes = await catalog.upsert_people(session, people, source="test")
        assert [outcome.status for outcome in outcomes] == ["created"] * len(people)
        return [str(outcome.id) for outcome in outcomes]

    return in_session(database_url, work)


def find(database_url: str, *queries: PersonQuery) -> list[MatchResult | None]:
    return in_session(database_url, lambda session: match.find_people(session, queries))


def named(full: str, **keys: str) -> PersonQuery:
    return PersonQuery(name=normalize.person_name(full=full), **keys)


ACME = {"company_name": "Acme Holdings, Inc.", "company_domain": "acme.com"}


@pytest.fixture
def staff(database_url: str) -> dict[str, str]:
    """Acme's people: close first names (John, Joan), a shared phone, two namesakes."""
    names = ("john", "joan", "kate", "sam", "sam_too", "mike")
    ids = load(
        database_url,
        [
            person(
                first_name="John",
                last_name="Smith",
                email="john.smith@acme.com",
                linkedin_url="https://www.linkedin.com/in/john-smith-acme",
                mobile_phone="+44 7400 123456",
                **ACME,
            ),
            person(first_name="Joan", last_name="Smith", email="joan@acme.com", **ACME),
            person(
                first_name="Katherine",
                last_name="Oduya",
                email="k.oduya@acme.com",
                work_phone="+1 415 555 0100",
                linkedin_url="https://www.linkedin.com/in/katherine-oduya",
                **ACME,
            ),
            person(
                first_name="Sam",
                last_name="Lee",
                linkedin_url="https://linkedin.com/in/sam-lee-1",
                **ACME,
            ),
            person(
                first_name="Sam",
                last_name="Lee",
                linkedin_url="https://linkedin.com/in/sam-lee-2",
                **ACME,
            ),
            person(
                first_name="Michael",
                last_name="Hernández",
                email="mh@acme.com",
                work_phone="+1 415 555 0100",
                **ACME,
            ),
        ],
    )
    return dict(zip(names, ids, strict=True))


# Exact keys -------------------------------------------------------------------------------


def test_an_email_matches_its_person_with_the_email_as_the_key(
    database_url: str, staff: dict[str, str]
) -> None:
    (found,) = find(database_url, PersonQuery(email="john.smith@acme.com"))
    assert found == MatchResult(person_id=staff["john"], confidence=0.99, matched_on=["email"])


def test_keys_that_agree_are_all_listed_and_raise_the_confidence(
    database_url: str, staff: dict[str, str]
) -> None:
    (found,) = find(
        database_url,
        PersonQuery(
            email="john.smith@acme.com", linkedin_slug="john-smith-acme", phone="+447400123456"
        ),
    )
    assert found == MatchResult(
        person_id=staff["john"], confidence=1.0, matched_on=["email", "linkedin", "phone"]
    )


def test_when_keys_disagree_the_email_wins_and_the_doubt_is_said(
    database_url: str, staff: dict[str, str]
) -> None:
    (found,) = find(
        database_url, PersonQuery(email="joan@acme.com", linkedin_slug="john-smith-acme")
    )
    # The LinkedIn profile is John's: one of two people, not 0.99 sure.
    assert found == MatchResult(
        person_id=staff["joan"], confidence=0.5, matched_on=["email"], conflicting=["linkedin"]
    )


def test_when_keys_disagree_the_person_most_of_them_find_wins(
    database_url: str, staff: dict[str, str]
) -> None:
    (found,) = find(
        database_url,
        PersonQuery(email="joan@acme.com", linkedin_slug="john-smith-acme", phone="+447400123456"),
    )
    # John's LinkedIn profile and mobile say more than Joan's email.
    assert found is not None and found.person_id == staff["john"]
    assert (found.matched_on, found.conflicting) == (["linkedin", "phone"], ["email"])
    assert found.confidence == round(0.9990 * (1 - 0.99 / 2), 4)


def test_a_linkedin_slug_alone_matches(database_url: str, staff: dict[str, str]) -> None:
    (found,) = find(database_url, PersonQuery(linkedin_slug="sam-lee-2"))
    assert found is not None and found.person_id == staff["sam_too"]
    assert found.matched_on == ["linkedin"]


def test_a_phone_one_person_has_matches_and_a_shared_one_does_not(
    database_url: str, staff: dict[str, str]
) -> None:
    mobile, switchboard = find(
        database_url, PersonQuery(phone="+447400123456"), PersonQuery(phone="+14155550100")
    )
    assert mobile == MatchResult(person_id=staff["john"], confidence=0.9, matched_on=["phone"])
    assert switchboard is None


def test_a_shared_phone_matches_the_holder_whose_name_agrees(
    database_url: str, staff: dict[str, str]
) -> None:
    (found,) = find(
        database_url,
        PersonQuery(phone="+14155550100", name=normalize.person_name(full="Kate Oduya")),
    )
    assert found == MatchResult(person_id=staff["kate"], confidence=0.9, matched_on=["phone"])


def test_an_unknown_key_matches_nobody(database_url: str, staff: dict[str, str]) -> None:
    assert find(
        database_url,
        PersonQuery(email="nobody@acme.com"),
        PersonQuery(linkedin_slug="nobody"),
        PersonQuery(phone="+447400999999"),
    ) == [None, None, None]


# Name within a company --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "key"),
    [
        ("Katherine Oduya", "company_domain"),
        ("Kate Oduya", "company_domain"),  # nickname
        ("Dr. Katherine Oduya PhD", "company_domain"),  # title and suffix
        ("ODUYA, KATHERINE", "company_domain"),  # "Last, First"
        ("Katherine Oudya", "company_domain"),  # a transposition
        ("Katherine M. Oduya", "company_domain"),  # a middle initial
        ("K. Oduya", "company_domain"),  # an initial
        ("Mike Hernandez", "company_name"),  # nickname, accent dropped
    ],
)
def test_a_noisy_name_matches_within_its_company(
    database_url: str, staff: dict[str, str], full_name: str, key: str
) -> None:
    hint = {"company_domain": "acme.com"} if key == "company_domain" else {}
    if key == "company_name":
        hint = {"company_name_key": normalize.company_name_key("ACME HOLDINGS")}
    (found,) = find(database_url, named(full_name, **hint))
    assert found is not None, full_name
    assert found.person_id in (staff["kate"], staff["mike"])
    assert found.matched_on == ["name", key]
    assert 0.7 < found.confidence < 0.95


def test_an_exact_name_is_surer_than_a_typo_and_a_domain_than_a_company_name(
    database_url: str, staff: dict[str, str]
) -> None:
    exact, typo, by_name = find(
        database_url,
        named("Katherine Oduya", company_domain="acme.com"),
        named("Katherine Oudya", company_domain="acme.com"),
        named("Katherine Oduya", company_name_key="acme holdings"),
    )
    assert exact is not None and typo is not None and by_name is not None
    assert exact.confidence > typo.confidence
    assert exact.confidence > by_name.confidence


def test_the_closest_of_two_similar_colleagues_wins(
    database_url: str, staff: dict[str, str]
) -> None:
    john, joan = find(
        database_url,
        named("John Smith", company_domain="acme.com"),
        named("Joan Smith", company_domain="acme.com"),
    )
    assert john is not None and john.person_id == staff["john"]
    assert joan is not None and joan.person_id == staff["joan"]


def test_two_namesakes_at_one_company_are_never_guessed_between(
    database_url: str, staff: dict[str, str]
) -> None:
    assert find(database_url, named("Sam Lee", company_domain="acme.com")) == [None]


def namesakes(*titles: str | None, prefix: str = "per_") -> match.Roster:
    roster = match.Roster.in_memory()
    for index, title in enumerate(titles):
        roster.add(f"{prefix}{index}", "john smith", None, frozenset(), title)
    return roster


@pytest.mark.parametrize(
    ("titles", "title", "expected"),
    [
        (("CEO", "Engineer", "Financial Analyst"), "financial  ANALYST", "per_2"),
        (("CEO", "Engineer", "Financial Analyst"), "Designer", None),
        (("CEO", "Engineer", "Financial Analyst"), None, None),
        (("Engineer", "Engineer", "CEO"), "engineer", None),  # two hold it: still a tie
        (("CEO", None), "CEO", None),  # the namesake without a title might be the CEO
        (("CEO",), "Designer", "per_0"),  # no namesake: the name alone decides
        # More namesakes than a shortlist holds: one left out might hold the title too.
        (("CEO", *["Engineer"] * 9), "ceo", None),
        (("CEO", *["Engineer"] * 6), "ceo", "per_0"),
    ],
)
def test_a_tie_between_namesakes_goes_to_the_one_holding_the_records_title(
    titles: tuple[str | None, ...], title: str | None, expected: str | None
) -> None:
    found = match.decide(
        match.contenders_in("john smith", namesakes(*titles)), match.title_key(title)
    )
    assert (found[0] if found else None) == expected


def test_a_person_taken_off_a_roster_is_no_rival_and_gives_back_their_entry() -> None:
    roster = namesakes("CEO", "Engineer")
    roster.add("per_2", "jane doe", "jane-doe", frozenset({"jane@acme.com"}), "CTO")
    assert match.decide(match.contenders_in("john smith", roster), None) is None
    assert roster.take("per_2") == match.Colleague(
        "per_2", "jane doe", "jane-doe", frozenset({"jane@acme.com"}), "CTO"
    )
    assert roster.take("per_0") is not None
    assert roster.take("per_0") is None  # taken already
    found = match.decide(match.contenders_in("john smith", roster), None)
    assert found is not None and found[0] == "per_1"
    assert (roster.ids, roster.names, roster.slugs, roster.titles) == (
        ["per_1"],
        ["john smith"],
        [""],
        ["Engineer"],
    )


def test_namesakes_of_two_rosters_are_rivals_of_each_other() -> None:
    catalog = match.contenders_in("john smith", namesakes("Engineer", prefix="cat_"))
    batch = match.contenders_in("john smith", namesakes("Designer", prefix="new_"))
    assert match.decide(batch, None) is not None  # alone, each roster has a clear winner
    both = match.together(batch, catalog)
    assert match.decide(both, None) is None
    assert match.decide(both, "engineer") == ("cat_0", 1.0)
    # The same person in both (a block of one company's rosters) is no rival of itself.
    assert match.decide(match.together(catalog, catalog), None) == ("cat_0", 1.0)


def test_a_colleague_with_another_linkedin_profile_is_a_namesake(
    database_url: str, staff: dict[str, str]
) -> None:
    namesake, unspecified = find(
        database_url,
        named("Katherine Oduya", company_domain="acme.com", linkedin_slug="katherine-oduya-2"),
        named("Katherine Oduya", company_domain="acme.com"),
    )
    assert namesake is None
    assert unspecified is not None and unspecified.person_id == staff["kate"]


def test_someone_with_another_address_at_the_same_domain_is_someone_else(
    database_url: str, staff: dict[str, str]
) -> None:
    near, namesake, personal = find(
        database_url,
        named("Joen Smith", company_domain="acme.com", email="joen@acme.com"),
        named("John Smith", company_domain="acme.com", email="john.smith2@acme.com"),
        named("Jonh Smith", company_domain="acme.com", email="john@gmail.com"),
    )
    assert near is None  # John and Joan both have other addresses at acme.com
    assert namesake is None  # a second John Smith at Acme
    assert personal is not None and personal.person_id == staff["john"]


@pytest.mark.parametrize(
    "full_name",
    ["Katherine Smith", "Jonathan Smith", "Kate Odum", "Sam", "Katherine Oduya-Baker"],
)
def test_a_different_person_at_the_company_is_no_match(
    database_url: str, staff: dict[str, str], full_name: str
) -> None:
    assert find(database_url, named(full_name, company_domain="acme.com")) == [None]


def test_a_name_never_matches_outside_its_company(database_url: str, staff: dict[str, str]) -> None:
    assert find(
        database_url,
        named("Katherine Oduya", company_domain="globex.com"),
        named("Katherine Oduya", company_name_key="globex"),
        named("Katherine Oduya"),
    ) == [None, None, None]


def test_a_batch_answers_in_order_with_the_same_answers_as_one_at_a_time(
    database_url: str, staff: dict[str, str]
) -> None:
    queries = [
        PersonQuery(email="mh@acme.com"),
        named("Kate Oduya", company_domain="acme.com"),
        PersonQuery(email="nobody@acme.com"),
        PersonQuery(linkedin_slug="sam-lee-1"),
        named("Sam Lee", company_domain="acme.com"),
    ]
    batch = find(database_url, *queries)
    single = [find(database_url, query)[0] for query in queries]
    assert batch == single
    assert [result.person_id if result else None for result in batch] == [
        staff["mike"],
        staff["kate"],
        None,
        staff["sam"],
        None,
    ]


def test_find_person_is_find_people_for_one(database_url: str, staff: dict[str, str]) -> None:
    found = in_session(
        database_url,
        lambda session: match.find_person(session, PersonQuery(email="joan@acme.com")),
    )
    assert found is not None and found.person_id == staff["joan"]


# name_score, the fuzzy core -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "score"),
    [
        ("katherine oduya", "katherine oduya", 1.0),
        ("katherine oduya", "katherine oudya", 0.95),
        ("katherine oduya", "katherin oudya", 0.9),
        ("k oduya", "katherine oduya", 0.9),
        ("christopher montgomery", "christpoher montgommery", 0.9),
        ("john smith", "jonathan smith", 0.0),  # two known first names
        ("kim lee", "kim lea", 0.0),  # three letters leave no room for a typo
        ("jennifer martinez", "jennifer martin", 0.0),
        ("madonna", "madonna x", 0.0),
    ],
)
def test_name_score_allows_a_typo_per_name_and_no_more(left: str, right: str, score: float) -> None:
    assert match.name_score(left, right) == pytest.approx(score)
    assert match.name_score(right, left) == pytest.approx(score)


# Companies ----------------------------------------------------------------------------------


@pytest.fixture
def companies(database_url: str) -> dict[str, str]:
    async def work(session: AsyncSession) -> dict[str, str]:
        outcomes = await catalog.upsert_companies(
            session,
            [
                company(
                    name="Acme Holdings, Inc.",
                    domain="acme.com",
                    linkedin_url="https://www.linkedin.com/company/acme",
                ),
                company(name="Initech LLC", domain="initech.com"),
                company(name="Initech GmbH", domain="initech.de"),
            ],
            source="test",
        )
        ids = [str(outcome.id) for outcome in outcomes]
        return dict(zip(("acme", "initech_us", "initech_de"), ids, strict=True))

    return in_session(database_url, work)


def test_find_company_by_any_one_key(database_url: str, companies: dict[str, str]) -> None:
    async def work(session: AsyncSession) -> list[str | None]:
        found = [
            await match.find_company(session, company_id=companies["acme"]),
            await match.find_company(session, domain="acme.com"),
            await match.find_company(session, linkedin_slug="acme"),
            await match.find_company(session, name_key="acme holdings"),
        ]
        return [company.id if company else None for company in found]

    assert in_session(database_url, work) == [companies["acme"]] * 4


def test_a_company_name_two_companies_share_matches_neither(
    database_url: str, companies: dict[str, str]
) -> None:
    async def work(session: AsyncSession) -> list[str | None]:
        found = await match.find_companies(
            session,
            [
                match.CompanyQuery(name_key="initech"),
                match.CompanyQuery(domain="initech.de"),
                match.CompanyQuery(company_id="com_unknown"),
                match.CompanyQuery(domain="nowhere.com"),
            ],
        )
        return [company.id if company else None for company in found]

    assert in_session(database_url, work) == [None, companies["initech_de"], None, None]


# Quality on a labelled noisy set ------------------------------------------------------------


def test_person_matching_has_precision_099_and_recall_095_on_a_noisy_set(
    database_url: str,
) -> None:
    data = noisy_people.build(seed=7)

    async def work(session: AsyncSession) -> list[MatchResult | None]:
        await catalog.upsert_companies(
            session,
            [company(name=c.name, domain=c.domain) for c in data.companies],
            source="test",
        )
        outcomes = await catalog.upsert_people(
            session,
            [
                person(
                    first_name=p.first,
                    last_name=p.last,
                    email=p.email,
                    linkedin_url=p.linkedin,
                    company_name=data.companies[p.company].name,
                    company_domain=data.companies[p.company].domain,
                )
                for p in data.people
            ],
            source="test",
        )
        assert {outcome.status for outcome in outcomes} == {"created"}
        ids.extend(str(outcome.id) for outcome in outcomes)
        return await match.find_people(session, [_query(query) for query in data.queries])

    ids: list[str] = []
    results = in_session(database_url, work)
    expected = [ids[q.expected] if q.expected is not None else None for q in data.queries]
    returned = [(result.person_id if result else None) for result in results]
    right = sum(1 for got, want in zip(returned, expected, strict=True) if got and got == want)
    answered = sum(1 for got in returned if got)
    positives = sum(1 for want in expected if want)
    assert positives == 600 and len(data.queries) == 1200
    precision, recall = right / answered, right / positives
    assert precision >= 0.99, (precision, recall)
    assert recall >= 0.95, (precision, recall)


def _query(query: noisy_people.Query) -> PersonQuery:
    return PersonQuery(
        name=normalize.person_name(full=query.full_name),
        company_domain=normalize.domain(query.company_domain) if query.company_domain else None,
        company_name_key=normalize.company_name_key(query.company_name)
        if query.company_name
        else None,
    )
