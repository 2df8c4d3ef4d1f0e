"""Synthetic companies (kept in memory: people and openings refer to them) and openings."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from anyascii import anyascii

from leadbase.server.catalog.synthetic.data import (
    BRAND_HEADS,
    BRAND_LINKS,
    BRAND_TAILS,
    DESCRIPTIONS,
    JOB_BOARDS,
    NOUN_WORDS,
    PLACE_WORDS,
)
from leadbase.server.catalog.synthetic.tables import (
    CountryTables,
    IndustryTables,
    Picker,
    Tables,
    address_part,
    csv_field,
)

T = TypeVar("T")

COMPANY_COLUMNS = (
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
)
OPENING_COLUMNS = ("Record ID", "Company Domain", "Job Title", "Location", "Posted At", "Job URL")

# (label, fewest, most employees, share of companies)
_SIZES = Picker(
    [
        ("1-10", 1, 10),
        ("11-50", 11, 50),
        ("51-200", 51, 200),
        ("201-500", 201, 500),
        ("501-1000", 501, 1000),
        ("1001-5000", 1001, 5000),
        ("5001-10000", 5001, 10000),
        ("10001+", 10001, 150000),
    ],
    [30, 28, 20, 9, 5, 5, 1.8, 1.2],
)
# How people spread over companies: a 10,000-employee company shows ~60x a 5-person one.
_PEOPLE_EXPONENT = 0.55
# Work email local parts as str.format patterns of (first, last): "{0:.1}" is the initial.
EMAIL_PATTERNS = Picker(
    ["{0}.{1}", "{0:.1}{1}", "{0}", "{0}{1:.1}", "{0}_{1}", "{0}{1}", "{0:.1}.{1}"],
    [50, 18, 7, 5, 5, 8, 7],
)
# Companies that show their legal form in the export's name column.
_SUFFIX_SHOWN = 0.65
_LINKEDIN_PAGE = 0.9
_TECH_TLDS = ("io", "ai", "co")
_OPENING_WINDOW = dt.timedelta(days=90)
_WEBSITES = ("https://www.{}", "https://www.{}", "http://{}", "www.{}", "https://{}/", "{}")
# Odd, so index -> id is a bijection modulo a power of two: ids never repeat.
_SPREAD = 2_654_435_761


@dataclass(slots=True)
class Company:
    index: int
    record_id: str
    # As companies.csv shows it; ``base`` is the name without its legal form.
    name: str
    base: str
    # ``name`` as a CSV field.
    name_field: str
    domain: str
    slug: str
    country: CountryTables
    city: str
    region: str
    industry: IndustryTables
    email_pattern: str
    small: bool
    # Relative number of people in the catalog who work there.
    weight: float


class CompanyMaker:
    """Companies with unique domains and LinkedIn pages, names unique where it can."""

    def __init__(self, rng: random.Random, tables: Tables, *, as_of: dt.date) -> None:
        self._rng = rng
        self._tables = tables
        self._year = as_of.year
        self._names: set[str] = set()
        self._domains: set[str] = set()
        self._slugs: set[str] = set()

    def make(self, count: int) -> Iterator[tuple[Company, list[str]]]:
        for index in range(count):
            yield self._company(index)

    def _company(self, index: int) -> tuple[Company, list[str]]:
        random_ = self._rng.random
        country = self._tables.countries(random_)
        industry = self._tables.industries(random_)
        size, fewest, most = _SIZES(random_)
        employees = int(fewest * (most / fewest) ** random_())
        base, labels = self._name(country, industry)
        suffix_shown = random_() < _SUFFIX_SHOWN
        name = f"{base} {_one(random_, country.country.suffixes)}" if suffix_shown else base
        domain = self._domain(labels, country, industry)
        slug = self._slug(domain.split(".", 1)[0], country)
        city, region = country.cities(random_)
        small = employees <= 50
        # Exponentially distributed age (expovariate, inlined): most companies are young.
        age = -math.log(1.0 - random_()) * (7 if small else 25)
        founded = max(1850, self._year - int(age))
        company = Company(
            index,
            f"syn-c-{index + 1:07d}",
            name,
            base,
            csv_field(name),
            domain,
            slug,
            country,
            city,
            region,
            industry,
            EMAIL_PATTERNS(random_),
            small,
            employees**_PEOPLE_EXPONENT,
        )
        description = _one(random_, DESCRIPTIONS).format(
            name=name,
            industry=industry.industry.name.lower(),
            city=city,
            country=country.country.name,
            founded=founded,
        )
        row = [
            company.record_id,
            name,
            _one(random_, _WEBSITES).format(domain),
            f"https://www.linkedin.com/company/{slug}" if random_() < _LINKEDIN_PAGE else "",
            industry.industry.name,
            size if random_() < 0.2 else str(employees),
            city,
            region,
            country.country.name,
            str(founded),
            description,
        ]
        return company, row

    def _name(self, country: CountryTables, industry: IndustryTables) -> tuple[str, list[str]]:
        """A fresh company name and the domain labels it could go by, best first."""
        for _ in range(8):
            base, labels = self._candidate(country, industry)
            # Folded: "García Labs" and "Garcia Labs" would be one company to a matcher.
            key = base.lower() if base.isascii() else anyascii(base).lower()
            if key not in self._names:
                break
        self._names.add(key)
        return base, labels

    def _candidate(self, country: CountryTables, industry: IndustryTables) -> tuple[str, list[str]]:
        random_ = self._rng.random
        word = _one(random_, industry.industry.words)
        shape = random_()
        if shape < 0.5:
            head, link = _one(random_, BRAND_HEADS), _one(random_, BRAND_LINKS)
            brand = head + link + _one(random_, BRAND_TAILS)
            if shape < 0.3:
                return f"{brand} {word}", [brand, brand + word, f"{brand}-{word}"]
            return brand, [brand, f"get{brand}", f"{brand}hq", f"{brand}{word}"]
        if shape < 0.65:
            pair = f"{_one(random_, BRAND_HEADS)} {_one(random_, NOUN_WORDS)}"
            return f"{pair} {word}", [pair, pair + word, _initials(pair) + word]
        if shape < 0.88:
            locale = country.locales(random_)
            last, _ = locale.last(random_)
            if shape < 0.8:
                return f"{last} {word}", [last + word, f"{last}-{word}", last]
            partner, _ = locale.last(random_)
            return f"{last} & {partner}", [
                last + partner,
                f"{last}-{partner}",
                f"{last}and{partner}",
            ]
        place, noun = _one(random_, PLACE_WORDS), _one(random_, NOUN_WORDS)
        return f"{place} {noun} {word}", [place + noun, place + noun + word, f"{place}-{noun}"]

    def _domain(self, labels: list[str], country: CountryTables, industry: IndustryTables) -> str:
        random_ = self._rng.random
        tech = industry.industry.tech and random_() < 0.3
        tld = _one(random_, _TECH_TLDS) if tech else country.tlds(random_)
        for label in labels:
            part = _label(label)
            domain = f"{part}.{tld}"
            if part and domain not in self._domains:
                self._domains.add(domain)
                return domain
        number = 2
        while (domain := f"{_label(labels[0])}{number}.{tld}") in self._domains:
            number += 1
        self._domains.add(domain)
        return domain

    def _slug(self, label: str, country: CountryTables) -> str:
        for slug in (label, f"{label}-{country.country.code.lower()}"):
            if slug not in self._slugs:
                self._slugs.add(slug)
                return slug
        number = 2
        while (slug := f"{label}-{number}") in self._slugs:
            number += 1
        self._slugs.add(slug)
        return slug


def _one(random_: Callable[[], float], items: Sequence[T]) -> T:
    # rng.choice costs three times as much, and companies are made by the hundred thousand.
    return items[int(random_() * len(items))]


def _label(name: str) -> str:
    """A name as a domain label; plain ASCII words skip the transliteration."""
    return name.lower() if name.isascii() and name.isalpha() else address_part(name)


def _initials(words: str) -> str:
    return "".join(word[0] for word in words.split())


def opening_rows(
    rng: random.Random, companies: list[Company], count: int, *, as_of: dt.date
) -> Iterator[list[str]]:
    """Job openings, mostly at the larger companies, posted in the 90 days before ``as_of``."""
    if not count:
        return
    pick = Picker(companies, [company.weight for company in companies])
    random_ = rng.random
    end = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    window = int(_OPENING_WINDOW.total_seconds())
    for index in range(count):
        company = pick(random_)
        title = company.industry.openings(random_)
        where = random_()
        if where < 0.7:
            location = f"{company.city}, {company.region}, {company.country.country.name}"
        elif where < 0.85:
            location = "Remote"
        else:
            city, region = company.country.cities(random_)
            location = f"{city}, {region}, {company.country.country.name}"
        posted = end - dt.timedelta(seconds=1 + int(random_() * window))
        yield [
            f"syn-o-{index + 1:07d}",
            company.domain,
            title,
            location,
            posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            _job_url(rng, company, index),
        ]


def _job_url(rng: random.Random, company: Company, index: int) -> str:
    # Unique per opening: the ids are a bijection of the opening's index.
    if rng.random() < 0.45:
        return f"https://www.linkedin.com/jobs/view/{3_700_000_000 + (index * _SPREAD) % 2**28}"
    board = rng.choice(JOB_BOARDS)
    return board.format(slug=company.slug, domain=company.domain, id=4_000_000 + index)


def allocate(total: int, weights: list[float]) -> Iterator[int]:
    """Split ``total`` over ``weights`` in proportion, exactly and without randomness."""
    whole = math.fsum(weights)
    running = 0.0
    given = 0
    for position, weight in enumerate(weights):
        running += weight
        target = total if position == len(weights) - 1 else round(total * running / whole)
        target = min(max(target, given), total)
        yield target - given
        given = target
