"""Synthetic people: one clean record per person, then duplicates of them with noise.

People are made company by company, a block of companies at a time; a block's rows are
shuffled together with duplicates of people made so far and written out, so memory holds
one block plus a window of recent people to duplicate, whatever the total.
"""

from __future__ import annotations

import bisect
import random
from collections import deque
from collections.abc import Callable, Iterator
from typing import NamedTuple

from leadbase.server.catalog.synthetic import noise, phones
from leadbase.server.catalog.synthetic.companies import Company, allocate
from leadbase.server.catalog.synthetic.tables import (
    CountryTables,
    Tables,
    address_part,
    csv_field,
)

PEOPLE_COLUMNS = (
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
)
TRUTH_COLUMNS = ("Record ID", "Entity ID", "Duplicate", "Noise")

# A block is written once it holds this many people.
_BLOCK = 4096
# Duplicates repeat one of this many most recent people.
_WINDOW = 50_000
_HAS_WORK_EMAIL = 0.9
_HAS_PHONE = 0.75
_HAS_LINKEDIN = 0.85
# Base rows show phones as E.164 this often, else in international format.
_E164 = 0.75
# Odd, so index -> token is a bijection modulo 2**32: LinkedIn slugs never repeat.
_SPREAD = 2_654_435_761
# Profile slugs of (first, last, token), as LinkedIn makes them: the token keeps them unique.
_SLUGS = (
    "{0}-{1}-{2:08x}",
    "{0}-{1}-{2:08x}",
    "{0}-{1}-{2:08x}",
    "{0}{1}-{2:08x}",
    "{0:.1}{1}-{2:08x}",
    "{0}-{1:.1}-{2:08x}",
)


class Person(NamedTuple):
    """The truth about one person (an entity); every row about them derives from it."""

    # 0, 1, 2... in the order people are made.
    number: int
    first: str
    last: str
    title: str
    company: Company
    email: str | None
    phone: phones.PhoneTemplate | None
    linkedin_slug: str | None
    city: str
    region: str
    country: CountryTables

    @property
    def entity_id(self) -> str:
        return entity_id(self.number)

    @property
    def personal_email(self) -> str:
        """A private address, unique to the person (the index is in it)."""
        first, last = address_part(self.first), address_part(self.last).replace("-", "")
        provider = self.country.providers.at(((self.number * _SPREAD) & 0xFFFFFFFF) / 2**32)
        separator = "." if self.number & 1 else ""
        return f"{first}{separator}{last}{self.number}@{provider}"


# Lines of people.csv and of truth.csv ("\r\n"-terminated, as csv.writer ends them), and
# how many rows they are.
Chunk = tuple[str, str, int]
# A block row: its values, the number of the person it is about and its noise kinds.
BlockRow = tuple[list[str], int, str]
# Called with each company and its people once they are all made.
CompanyObserver = Callable[[Company, list[Person]], None]


class PeopleMaker:
    def __init__(self, rng: random.Random, tables: Tables) -> None:
        self._rng = rng
        self._tables = tables
        self._recent: deque[Person] = deque(maxlen=_WINDOW)
        self._written = 0

    def blocks(
        self,
        companies: list[Company],
        *,
        people: int,
        duplicates: int,
        observe: CompanyObserver | None = None,
    ) -> Iterator[Chunk]:
        """Blocks of rows, ``people`` distinct people plus ``duplicates`` repeats in all."""
        made = 0
        repeated = 0
        block: list[BlockRow] = []
        counts = allocate(people, [company.weight for company in companies])
        for company, count in zip(companies, counts, strict=True):
            if not count:
                continue
            staff = self._staff(company, count, made, block)
            made += count
            self._recent.extend(staff)
            if observe is not None:
                observe(company, staff)
            if len(block) >= _BLOCK or made == people:
                wanted = round(duplicates * made / people)
                block.extend(self._duplicate(self._pick_recent()) for _ in range(wanted - repeated))
                repeated = wanted
                yield self._numbered(block)
                block = []

    def _numbered(self, block: list[BlockRow]) -> Chunk:
        """Shuffle the block, give its rows their Record IDs and render both files' lines.

        Every value is CSV-safe by construction (quoted by ``csv_field`` where it could
        hold a comma), so a join renders the rows, six times faster than csv.writer.
        """
        self._rng.shuffle(block)
        people_lines: list[str] = []
        truth_lines: list[str] = []
        for number, (values, person, kinds) in enumerate(block, start=self._written + 1):
            record_id = f"syn-p-{number:07d}"
            people_lines.append(f"{record_id},{','.join(values)}\r\n")
            # A base row has kinds ""; a duplicate's start with ";" even with no noise drawn.
            duplicate = "1" if kinds else "0"
            # The Entity ID, formatted here only (see entity_id()).
            truth_lines.append(f"{record_id},syn-e-{person + 1:07d},{duplicate},{kinds[1:]}\r\n")
        self._written += len(block)
        return "".join(people_lines), "".join(truth_lines), len(block)

    def _staff(
        self,
        company: Company,
        count: int,
        first_index: int,
        block: list[BlockRow],
    ) -> list[Person]:
        """Make ``count`` people at ``company`` and append their rows to ``block``.

        The generator's hot loop: weighted picks are inlined (see ``Picker.parts``).
        """
        random_ = self._rng.random
        pick = bisect.bisect_right
        new_tuple = tuple.__new__
        countries = self._tables.countries
        home = company.country
        titles, title_weights, title_total, title_last = (
            company.industry.small_titles if company.small else company.industry.titles
        ).parts
        name, domain, email_pattern = company.name_field, company.domain, company.email_pattern
        taken: set[str] = set()
        staff: list[Person] = []
        for index in range(first_index, first_index + count):
            country, city, region = home, company.city, company.region
            moved = random_()
            if moved < 0.07:
                country = countries(random_)
                city, region = country.cities(random_)
            elif moved < 0.35:
                city, region = country.cities(random_)
            firsts, weights, total, end = country.first_names.parts
            first, first_part, locale = firsts[pick(weights, random_() * total, 0, end)]
            lasts, weights, total, end = locale.last.parts
            last, last_part = lasts[pick(weights, random_() * total, 0, end)]
            email = None
            if random_() < _HAS_WORK_EMAIL:
                local = email_pattern.format(first_part, last_part)
                if local in taken:
                    local = _another(local, taken)
                taken.add(local)
                email = f"{local}@{domain}"
            phone = None
            if random_() < _HAS_PHONE and country.phones:
                phone = country.phones[int(random_() * len(country.phones))]
            slug = None
            if random_() < _HAS_LINKEDIN:
                token = (index * _SPREAD) & 0xFFFFFFFF
                slug = _SLUGS[int(random_() * len(_SLUGS))].format(first_part, last_part, token)
            title, title_field = titles[pick(title_weights, random_() * title_total, 0, title_last)]
            # tuple.__new__ skips the Python-level Person.__new__; same fields, in order.
            person = new_tuple(
                Person,
                (
                    index,
                    first,
                    last,
                    title,
                    company,
                    email,
                    phone,
                    slug,
                    city,
                    region,
                    country,
                ),
            )
            staff.append(person)
            row = [
                first,
                last,
                email or "",
                (phone.e164(index) if random_() < _E164 else phone.international(index))
                if phone
                else "",
                title_field,
                name,
                domain,
                f"https://www.linkedin.com/in/{slug}" if slug else "",
                city,
                region,
                country.country.name,
            ]
            block.append((row, index, ""))
        return staff

    def _pick_recent(self) -> Person:
        return self._recent[int(self._rng.random() * len(self._recent))]

    def _duplicate(self, person: Person) -> BlockRow:
        """The person again, as another system exported them."""
        rng, random_ = self._rng, self._rng.random
        kinds: list[str] = []
        first, last = noise.person_name(rng, person.first, person.last, kinds)
        company = person.company
        company_name = company.name
        draw = random_()
        if draw < 0.45:
            suffixes = company.country.country.suffixes
            company_name = noise.company_name(rng, company.base, company.name, suffixes)
            kinds.append("company_suffix")
        elif draw < 0.55:
            company_name = company_name.upper()
            kinds.append("company_case")
        domain = company.domain
        draw = random_()
        if draw < 0.15:
            domain = ""
            kinds.append("company_domain_missing")
        elif draw < 0.3:
            domain = noise.website(rng, domain)
            kinds.append("company_domain_url")
        values = [
            first,
            last,
            _noisy_email(random_(), person, kinds),
            _noisy_phone(random_(), person, kinds),
            csv_field(person.title),
            csv_field(company_name),
            domain,
            _noisy_linkedin(rng, person, kinds),
            person.city,
            person.region,
            person.country.country.name,
        ]
        if random_() < 0.15:
            values[4] = csv_field(noise.title(rng, person.title))
            kinds.append("title_variant")
        if random_() < 0.15:
            values[8] = values[9] = ""
            kinds.append("location_missing")
        # A leading ";" marks a duplicate even when no noise was drawn.
        return values, person.number, ";" + ";".join(kinds)


def entity_id(number: int) -> str:
    """The Entity ID truth.csv and queries.csv give the person made ``number``-th."""
    return f"syn-e-{number + 1:07d}"


def _another(local: str, taken: set[str]) -> str:
    """Two people with one name at one company: the second gets john.smith2@."""
    number = 2
    while f"{local}{number}" in taken:
        number += 1
    return f"{local}{number}"


def _noisy_email(draw: float, person: Person, kinds: list[str]) -> str:
    if draw < 0.35 and person.email:
        return person.email
    if draw < 0.45 and person.email:
        kinds.append("email_case")
        return noise.email_case(person.email)
    if draw < 0.7:
        kinds.append("email_personal")
        return person.personal_email
    kinds.append("email_missing")
    return ""


def _noisy_phone(draw: float, person: Person, kinds: list[str]) -> str:
    if person.phone is None:
        return ""
    if draw < 0.25:
        return person.phone.international(person.number)
    if draw < 0.6:
        kinds.append("phone_format")
        if draw < 0.45:
            return person.phone.e164(person.number)
        return person.phone.national(person.number)
    kinds.append("phone_missing")
    return ""


def _noisy_linkedin(rng: random.Random, person: Person, kinds: list[str]) -> str:
    if person.linkedin_slug is None:
        return ""
    draw = rng.random()
    if draw < 0.25:
        return noise.linkedin_profile(person.linkedin_slug)
    if draw < 0.6:
        kinds.append("linkedin_variant")
        return noise.linkedin_variant(rng, person.linkedin_slug)
    kinds.append("linkedin_missing")
    return ""
