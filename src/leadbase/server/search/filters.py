"""Which filters each mode allows, and what the full-text index is asked for each filter.

Filters only the catalog can answer (its full-text keywords, its ids, what it knows of
emails, phones and freshness) are database-only; a live source would take the rest.
Filters the index does not hold (ids, domains, dates, has_email) are plain SQL conditions
in the service; every other filter becomes part of one full-text :class:`Match`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from leadbase.server.catalog import normalize
from leadbase.server.catalog.records import country_code
from leadbase.server.catalog.regions import other_spellings
from leadbase.server.errors import (
    InvalidParameter,
    NotEntitled,
    UnsupportedFilter,
    UpstreamUnavailable,
)
from leadbase.server.search.fulltext import AllOf, AnyOf, Clause, Facet, Match, Words, words
from leadbase.server.search.schemas import (
    CompanyFilters,
    Filters,
    Location,
    LocationFilter,
    Mode,
    OpeningFilters,
    PeopleFilters,
)
from leadbase.server.search.title_synonyms import title_clause

Kind = Literal["people", "companies", "openings"]

DATABASE_ONLY: Mapping[Kind, frozenset[str]] = {
    "people": frozenset({"keywords", "company_ids", "has_email", "has_phone", "updated_since"}),
    "companies": frozenset({"keywords", "founded_from", "founded_to"}),
    "openings": frozenset({"keywords", "company_ids"}),
}

# Facet letters, as migration 0004 indexes them.
SENIORITY, DEPARTMENT, COUNTRY, REGION, CITY, INDUSTRY, HEADCOUNT = "sdcryih"
# Fields of the text index (see service.LAYOUTS).
TEXT, TITLE, NAME = "text", "title", "name"


def given(filters: Filters) -> list[str]:
    """The names of the filters that are set, in declaration order."""
    return [name for name in filters.__struct_fields__ if getattr(filters, name) is not None]


def check_mode(kind: Kind, mode: Mode, filters: Filters, *, entitlements: frozenset[str]) -> None:
    """Refuse what ``mode`` can't serve, before anything is reserved.

    400 unsupported_filter naming every filter the mode doesn't allow; then, in realtime,
    403 not_entitled without the plan's realtime feature, else 503 upstream_unavailable:
    no live source is configured yet, so realtime answers nothing and charges nothing.
    """
    if mode == "database":
        return
    refused = [name for name in given(filters) if name in DATABASE_ONLY[kind]]
    if refused:
        raise UnsupportedFilter(
            f"{', '.join(refused)} cannot be used in {mode} mode; use mode database.",
            param=f"filters.{refused[0]}",
            details={f"filters.{name}": f"not available in {mode} mode" for name in refused},
        )
    if "realtime" not in entitlements:
        raise NotEntitled(
            "mode realtime needs the realtime feature, which this plan does not include.",
            param="mode",
            details={"entitlement": "realtime"},
        )
    raise UpstreamUnavailable(
        "Realtime search has no live source configured yet; nothing was charged. Use mode database."
    )


@dataclass(frozen=True, slots=True)
class Criteria:
    """A search's filters as the service runs them."""

    # What the full-text index must (not) hold; None when no such filter is set.
    match: Match | None
    # The registrable domains of the (company) domain filter, normalized.
    domains: tuple[str, ...] | None = None


def criteria(kind: Kind, filters: Filters) -> Criteria:
    """The filters compiled, or one 400 invalid_parameter naming every unusable value."""
    build = _Builder()
    if isinstance(filters, PeopleFilters):
        build.text("keywords", TEXT, filters.keywords)
        build.phrases("job_titles", TITLE, filters.job_titles, clause=title_clause)
        build.phrases(
            "exclude_job_titles",
            TITLE,
            filters.exclude_job_titles,
            exclude=True,
            clause=title_clause,
        )
        build.facets(SENIORITY, filters.seniorities)
        build.facets(DEPARTMENT, filters.departments)
        build.locations("locations", filters.locations)
        build.locations("exclude_locations", filters.exclude_locations, exclude=True)
        build.facets(INDUSTRY, filters.company_industries, name="company_industries")
        build.facets(HEADCOUNT, filters.company_headcounts)
        domains = build.domains("company_domains", filters.company_domains)
    elif isinstance(filters, CompanyFilters):
        build.text("keywords", TEXT, filters.keywords)
        build.phrases("names", NAME, filters.names)
        build.facets(INDUSTRY, filters.industries, name="industries")
        build.facets(HEADCOUNT, filters.headcounts)
        build.locations("locations", filters.locations)
        build.locations("exclude_locations", filters.exclude_locations, exclude=True)
        domains = build.domains("domains", filters.domains)
        build.founded(filters.founded_from, filters.founded_to)
    else:
        assert isinstance(filters, OpeningFilters)
        build.text("keywords", TEXT, filters.keywords)
        build.phrases("titles", TITLE, filters.titles, clause=title_clause)
        build.facets(SENIORITY, filters.seniorities)
        build.facets(DEPARTMENT, filters.departments)
        build.locations("locations", filters.locations)
        build.locations("exclude_locations", filters.exclude_locations, exclude=True)
        domains = build.domains("company_domains", filters.company_domains)
    if build.errors:
        first = next(iter(build.errors))
        raise InvalidParameter(
            f"{len(build.errors)} filter value(s) cannot be searched: {', '.join(build.errors)}",
            param=first,
            details=build.errors,
        )
    match = Match(tuple(build.required), tuple(build.excluded))
    return Criteria(match=match if match.required or match.excluded else None, domains=domains)


class _Builder:
    def __init__(self) -> None:
        self.required: list[Clause] = []
        self.excluded: list[Clause] = []
        self.errors: dict[str, str] = {}

    def _add(self, clause: Clause, *, exclude: bool) -> None:
        (self.excluded if exclude else self.required).append(clause)

    def text(self, name: str, field: str, value: str | None) -> None:
        if value is None:
            return
        found = words(value)
        if not found:
            self.errors[f"filters.{name}"] = "holds no letters or digits"
        else:
            self._add(Words(field, found, typed=True), exclude=False)

    def phrases(
        self,
        name: str,
        field: str,
        values: Sequence[str] | None,
        *,
        exclude: bool = False,
        clause: Callable[[str, tuple[str, ...]], Clause] = Words,
    ) -> None:
        """Any of ``values``, each matching when its words do (``clause``: a title's
        words match other spellings of them too)."""
        if values is None:
            return
        clauses: list[Clause] = []
        for index, value in enumerate(values):
            found = words(value)
            if not found:
                self.errors[f"filters.{name}[{index}]"] = "holds no letters or digits"
            clauses.append(clause(field, found))
        self._add(AnyOf(tuple(clauses)), exclude=exclude)

    def facets(self, letter: str, values: Sequence[str] | None, *, name: str | None = None) -> None:
        """Exact values; ``name`` for free text, which is stripped and must not be blank
        (a vocabulary's values are checked by their type)."""
        if values is None:
            return
        if name is not None:
            values = [
                self._stripped(f"filters.{name}[{i}]", value) for i, value in enumerate(values)
            ]
        self._add(AnyOf(tuple(Facet(letter, value) for value in values)), exclude=False)

    def locations(
        self, name: str, values: Sequence[LocationFilter] | None, *, exclude: bool = False
    ) -> None:
        if values is None:
            return
        places = [self._place(f"filters.{name}[{i}]", value) for i, value in enumerate(values)]
        self._add(AnyOf(tuple(_location(place) for place in places)), exclude=exclude)

    def _place(self, path: str, value: LocationFilter) -> Location:
        if isinstance(value, str):
            return Location(country=self._country(path, value))
        country, region, city = value.country, value.region, value.city
        return Location(
            country=self._country(f"{path}.country", country) if country is not None else None,
            region=self._stripped(f"{path}.region", region) if region is not None else None,
            city=self._stripped(f"{path}.city", city) if city is not None else None,
        )

    def _country(self, path: str, value: str) -> str:
        """The ISO code of a country given by its code or English name ("Germany"), as
        imports store it."""
        code = country_code(value)
        if code is None:
            self.errors[path] = "not a country: an ISO 3166-1 alpha-2 code or an English name"
            return value
        return code

    def _stripped(self, path: str, value: str) -> str:
        # Facets are stored stripped: " Software " would never match, "  " match nothing.
        stripped = value.strip()
        if not stripped:
            self.errors[path] = "is blank"
        return stripped

    def domains(self, name: str, values: Sequence[str] | None) -> tuple[str, ...] | None:
        if values is None:
            return None
        found: list[str] = []
        for index, value in enumerate(values):
            registrable = normalize.domain(value)
            if registrable is None:
                self.errors[f"filters.{name}[{index}]"] = "not a domain name"
            elif registrable not in found:
                found.append(registrable)
        return tuple(found)

    def founded(self, start: int | None, end: int | None) -> None:
        if start is not None and end is not None and start > end:
            self.errors["filters.founded_to"] = "must not be before founded_from"


def _region(region: str, country: str | None) -> Clause:
    """The region as written, or another spelling of it ("CA", "California"; "Bayern",
    "Bavaria": imports keep what they were given) in the country it belongs to: "WA" is
    Washington only in the US, Western Australia only in Australia."""
    spelled: list[Clause] = [Facet(REGION, region)]
    for place, spellings in other_spellings(region, country):
        facets: list[Clause] = [Facet(REGION, spelling) for spelling in spellings]
        if not facets:
            continue
        if country is not None:
            spelled.extend(facets)  # the location's own country facet scopes them
        else:
            spelled.append(AllOf((Facet(COUNTRY, place), _any_of(facets))))
    return _any_of(spelled)


def _any_of(clauses: list[Clause]) -> Clause:
    return clauses[0] if len(clauses) == 1 else AnyOf(tuple(clauses))


def _location(place: Location) -> Clause:
    parts: list[Clause] = []
    if place.country is not None:
        parts.append(Facet(COUNTRY, place.country))
    if place.region is not None:
        parts.append(_region(place.region, place.country))
    if place.city is not None:
        parts.append(Facet(CITY, place.city))
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))
