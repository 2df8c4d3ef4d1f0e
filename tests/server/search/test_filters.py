"""Which filters each mode allows, and how filter values are checked and compiled."""

from __future__ import annotations

import typing
from typing import Any

import msgspec
import pytest

from leadbase.server.catalog.normalize import HEADCOUNT_RANGES
from leadbase.server.catalog.titles import DEPARTMENTS, SENIORITIES
from leadbase.server.errors import (
    InvalidParameter,
    NotEntitled,
    UnsupportedFilter,
    UpstreamUnavailable,
)
from leadbase.server.search.filters import DATABASE_ONLY, Kind, check_mode, criteria, given
from leadbase.server.search.fulltext import AllOf, AnyOf, Facet, Match, Words
from leadbase.server.search.schemas import (
    CompanyFilters,
    Department,
    HeadcountRange,
    OpeningFilters,
    PeopleFilters,
    Seniority,
)

REALTIME = frozenset({"realtime"})


def people(**filters: Any) -> PeopleFilters:
    return msgspec.convert(filters, PeopleFilters)


def test_the_filter_vocabularies_are_the_catalogs() -> None:
    assert typing.get_args(Seniority) == SENIORITIES
    assert typing.get_args(Department) == DEPARTMENTS
    assert typing.get_args(HeadcountRange) == HEADCOUNT_RANGES


def test_database_only_filters_exist_on_their_kind() -> None:
    schemas: dict[Kind, type[msgspec.Struct]] = {
        "people": PeopleFilters,
        "companies": CompanyFilters,
        "openings": OpeningFilters,
    }
    for kind, names in DATABASE_ONLY.items():
        assert names <= set(schemas[kind].__struct_fields__), kind


def test_database_mode_allows_every_filter() -> None:
    check_mode("people", "database", people(has_email=True, keywords="x"), entitlements=frozenset())


def test_realtime_names_every_filter_it_does_not_allow() -> None:
    filters = people(seniorities=["vp"], has_phone=True, keywords="cloud")
    with pytest.raises(UnsupportedFilter) as raised:
        check_mode("people", "realtime", filters, entitlements=REALTIME)
    assert raised.value.param == "filters.has_phone"
    assert raised.value.details == {
        "filters.has_phone": "not available in realtime mode",
        "filters.keywords": "not available in realtime mode",
    }


def test_realtime_filters_are_refused_before_the_entitlement_is_checked() -> None:
    filters = msgspec.convert({"founded_from": 2000}, CompanyFilters)
    with pytest.raises(UnsupportedFilter):
        check_mode("companies", "realtime", filters, entitlements=frozenset())


def test_realtime_without_the_plans_feature_is_not_entitled() -> None:
    with pytest.raises(NotEntitled) as raised:
        check_mode("people", "realtime", people(seniorities=["vp"]), entitlements=frozenset())
    assert raised.value.param == "mode"


def test_realtime_with_the_feature_has_no_live_source_yet() -> None:
    filters = msgspec.convert({"titles": ["engineer"]}, OpeningFilters)
    with pytest.raises(UpstreamUnavailable):
        check_mode("openings", "realtime", filters, entitlements=REALTIME)


def test_given_lists_the_filters_set_in_declaration_order() -> None:
    assert given(people(keywords="a", seniorities=["vp"], has_email=False)) == [
        "seniorities",
        "has_email",
        "keywords",
    ]


def test_a_location_string_is_a_country_and_an_object_needs_every_part() -> None:
    found = criteria("people", people(locations=["us", {"country": "DE", "city": "Berlin"}]))
    assert found.match == Match(
        required=(AnyOf((Facet("c", "US"), AllOf((Facet("c", "DE"), Facet("y", "Berlin"))))),)
    )


def test_a_country_is_its_code_or_its_english_name() -> None:
    named = criteria("people", people(locations=["Germany", {"country": "united states"}]))
    coded = criteria("people", people(locations=["de", {"country": "US"}]))
    assert named.match == coded.match
    assert criteria("people", people(locations=["UK"])).match == Match(
        required=(AnyOf((Facet("c", "GB"),)),)
    )
    with pytest.raises(InvalidParameter) as raised:
        criteria("people", people(locations=["Atlantis", {"country": "XX", "city": "Paris"}]))
    unknown = "not a country: an ISO 3166-1 alpha-2 code or an English name"
    assert raised.value.details == {
        "filters.locations[0]": unknown,
        "filters.locations[1].country": unknown,
    }


def test_no_filter_asks_nothing_of_the_index() -> None:
    assert criteria("people", people(has_email=True)).match is None


def test_exclusions_are_kept_apart_from_requirements() -> None:
    found = criteria("people", people(exclude_job_titles=["Intern"], keywords="Data"))
    assert found.match == Match(
        required=(Words("text", ("Data",), typed=True),),
        excluded=(AnyOf((Words("title", ("Intern",)),)),),
    )


def test_domains_are_reduced_to_registrable_domains_once_each() -> None:
    found = criteria(
        "openings",
        msgspec.convert(
            {"company_domains": ["https://jobs.Acme.co.uk/x", "acme.co.uk", "b.io"]},
            OpeningFilters,
        ),
    )
    assert found.domains == ("acme.co.uk", "b.io")


def test_every_unusable_value_is_named_at_once() -> None:
    filters = people(
        keywords="!!!", job_titles=["cto", "--"], company_domains=["localhost", "ok.com"]
    )
    with pytest.raises(InvalidParameter) as raised:
        criteria("people", filters)
    assert raised.value.param == "filters.keywords"
    assert raised.value.details == {
        "filters.keywords": "holds no letters or digits",
        "filters.job_titles[1]": "holds no letters or digits",
        "filters.company_domains[0]": "not a domain name",
    }


def test_founded_to_before_founded_from_is_invalid() -> None:
    filters = msgspec.convert({"founded_from": 2010, "founded_to": 2000}, CompanyFilters)
    with pytest.raises(InvalidParameter) as raised:
        criteria("companies", filters)
    assert raised.value.details == {"filters.founded_to": "must not be before founded_from"}


def test_a_state_is_found_by_its_other_spelling_only_in_its_own_country() -> None:
    found = criteria("people", people(locations=[{"region": "Washington"}]))
    assert found.match == Match(
        required=(
            AnyOf(
                (
                    AnyOf(
                        (
                            Facet("r", "Washington"),
                            # "WA" is Western Australia too: only the US's counts.
                            AllOf((Facet("c", "US"), Facet("r", "WA"))),
                        )
                    ),
                )
            ),
        )
    )
    within = criteria("people", people(locations=[{"country": "us", "region": "wa"}]))
    assert within.match == Match(
        required=(
            AnyOf(
                (
                    AllOf(
                        (
                            Facet("c", "US"),
                            AnyOf((Facet("r", "wa"), Facet("r", "Washington"))),
                        )
                    ),
                )
            ),
        )
    )
