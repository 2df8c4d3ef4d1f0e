"""The shipped lists turned into weighted pickers, built once per process.

A pick costs one ``random()`` call and a bisect, which is what keeps the generator near a
hundred thousand rows a second in plain Python.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from anyascii import anyascii

from leadbase.server.catalog.synthetic import phones
from leadbase.server.catalog.synthetic.data import (
    CORE_DEPARTMENT_BOOST,
    COUNTRIES,
    DEPARTMENT_WEIGHTS,
    INDUSTRIES,
    SENIORITY_WEIGHTS,
    TITLES,
    Country,
    Industry,
)
from leadbase.server.catalog.synthetic.names import LOCALES

T = TypeVar("T")
Random = Callable[[], float]


class Picker(Generic[T]):
    """A weighted choice: ``pick(rng.random)``; hot loops inline ``parts`` instead."""

    __slots__ = ("parts",)

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("a picker needs as many positive weights as items")
        cumulative = list(itertools.accumulate(weights))
        # (items, cumulative weights, total, last index): the pick is
        # items[bisect_right(cumulative, random() * total, 0, last)], where the bound keeps
        # a product that rounds up to the total on the last item.
        self.parts: tuple[tuple[T, ...], list[float], float, int] = (
            tuple(items),
            cumulative,
            cumulative[-1],
            len(cumulative) - 1,
        )

    def __call__(self, random: Random) -> T:
        return self.at(random())

    def at(self, fraction: float) -> T:
        """The item at ``fraction`` (0 <= fraction < 1) of the weight."""
        items, cumulative, total, last = self.parts
        return items[bisect.bisect_right(cumulative, fraction * total, 0, last)]

    @property
    def items(self) -> tuple[T, ...]:
        return self.parts[0]


def ranked(items: Sequence[T], *, exponent: float = 1.0, offset: float = 4.0) -> Picker[T]:
    """Zipf-like weights by position: the first items are the common ones."""
    return Picker(items, [1.0 / (rank + offset) ** exponent for rank in range(len(items))])


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def csv_field(value: str) -> str:
    """``value`` as written in a CSV file: quoted when it holds a comma, quote or newline."""
    if _NEEDS_QUOTES.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


_NOT_ADDRESS = re.compile(r"[^a-z0-9-]+")


def address_part(name: str) -> str:
    """A name as it appears in an email address or a URL: "Jürgen" -> "jurgen"."""
    return _NOT_ADDRESS.sub("", anyascii(name).lower()).strip("-")


# (as shown, as in an address)
Name = tuple[str, str]


@dataclass(frozen=True, slots=True)
class LocaleTables:
    code: str
    male: Picker[Name]
    female: Picker[Name]
    last: Picker[Name]


@dataclass(frozen=True, slots=True)
class CountryTables:
    country: Country
    locales: Picker[LocaleTables]
    # Locale, gender and given name in one pick: (as shown, as in an address, locale).
    first_names: Picker[tuple[str, str, LocaleTables]]
    cities: Picker[tuple[str, str]]
    tlds: Picker[str]
    providers: Picker[str]
    phones: tuple[phones.PhoneTemplate, ...]


@dataclass(frozen=True, slots=True)
class IndustryTables:
    industry: Industry
    # (title, as a CSV field) of people at small companies (founders, owners) and others.
    small_titles: Picker[tuple[str, str]]
    titles: Picker[tuple[str, str]]
    # Titles of job openings: no founders or executives.
    openings: Picker[str]


@dataclass(frozen=True, slots=True)
class Tables:
    countries: Picker[CountryTables]
    industries: Picker[IndustryTables]
    locales: dict[str, LocaleTables]


@functools.cache
def tables() -> Tables:
    locales = {code: _locale(locale.code) for code, locale in LOCALES.items()}
    countries = [_country(country, locales) for country in COUNTRIES]
    industries = [_industry(industry) for industry in INDUSTRIES]
    return Tables(
        countries=Picker(countries, [country.weight for country in COUNTRIES]),
        industries=Picker(industries, [industry.weight for industry in INDUSTRIES]),
        locales=locales,
    )


def _names(names: Sequence[str], *, hyphens: bool = True) -> Picker[Name]:
    def address(name: str) -> str:
        part = address_part(name)
        return part if hyphens else part.replace("-", "")

    return ranked([(name, address(name)) for name in names], exponent=0.9)


def _locale(code: str) -> LocaleTables:
    locale = LOCALES[code]
    # "Jean-Pierre" keeps its hyphen in jean-pierre.martin@; surnames go without.
    last = _names(locale.last, hyphens=False)
    return LocaleTables(code, _names(locale.male), _names(locale.female), last)


def _country(country: Country, locales: dict[str, LocaleTables]) -> CountryTables:
    return CountryTables(
        country=country,
        locales=Picker(
            [locales[code] for code, _ in country.locales],
            [share for _, share in country.locales],
        ),
        first_names=_first_names(country, locales),
        cities=ranked(country.cities, exponent=1.1, offset=1.5),
        tlds=ranked(country.tlds, offset=1.0),
        providers=ranked(country.providers, exponent=1.5, offset=0.5),
        phones=phones.templates(country.code),
    )


def _first_names(
    country: Country, locales: dict[str, LocaleTables]
) -> Picker[tuple[str, str, LocaleTables]]:
    items: list[tuple[str, str, LocaleTables]] = []
    weights: list[float] = []
    for code, share in country.locales:
        locale = locales[code]
        for names in (locale.female, locale.male):
            listed, cumulative, total, _ = names.parts
            previous = 0.0
            for (shown, address), running in zip(listed, cumulative, strict=True):
                items.append((shown, address, locale))
                # Half the people are women; within a list, names keep their own weights.
                weights.append(share * 0.5 * (running - previous) / total)
                previous = running
    return Picker(items, weights)


_SMALL_BOOST = {"founder": 12.0, "owner": 12.0, "c_suite": 3.0, "vp": 0.3, "head": 0.5}
_NOT_OPENINGS = frozenset({"c_suite", "founder", "owner", "partner", "vp"})


def _industry(industry: Industry) -> IndustryTables:
    return IndustryTables(
        industry=industry,
        small_titles=_with_fields(_titles(industry, boosts=_SMALL_BOOST)),
        titles=_with_fields(_titles(industry, boosts={})),
        openings=_titles(industry, boosts={}, excluded=_NOT_OPENINGS),
    )


def _titles(
    industry: Industry,
    *,
    boosts: dict[str, float],
    excluded: frozenset[str] = frozenset(),
) -> Picker[str]:
    titles: list[str] = []
    weights: list[float] = []
    for department, by_seniority in TITLES.items():
        weight = DEPARTMENT_WEIGHTS[department]
        if department == industry.core:
            weight = max(weight, 1.0) * CORE_DEPARTMENT_BOOST
        for seniority, names in by_seniority.items():
            if seniority in excluded or not weight:
                continue
            share = weight * SENIORITY_WEIGHTS[seniority] * boosts.get(seniority, 1.0)
            titles.extend(names)
            weights.extend([share / len(names)] * len(names))
    return Picker(titles, weights)


def _with_fields(picker: Picker[str]) -> Picker[tuple[str, str]]:
    items, cumulative, _, _ = picker.parts
    weights = [right - left for left, right in zip([0.0, *cumulative], cumulative, strict=False)]
    return Picker([(item, csv_field(item)) for item in items], weights)
