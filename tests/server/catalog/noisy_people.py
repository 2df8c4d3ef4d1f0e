"""A small labelled set for person matching: a catalog, and queries with the noise real
lists carry (nicknames, typos, suffixes and titles, accents, "Last, First", middle names,
company name variants), half of them for people who are not in the catalog.

Deterministic for a seed; tests/server/catalog/test_match.py tunes and pins the
matcher's precision and recall on it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from leadbase.server.catalog.nicknames import NICKNAMES_OF

FIRST_NAMES = (
    "robert",
    "william",
    "james",
    "michael",
    "elizabeth",
    "jennifer",
    "margaret",
    "richard",
    "thomas",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "joseph",
    "katherine",
    "susan",
    "patricia",
    "jonathan",
    "nicholas",
    "samuel",
    "benjamin",
    "alexander",
    "andrew",
    "edward",
    "stephen",
    "rebecca",
    "victoria",
    "timothy",
    "kimberly",
    "jessica",
    "john",
    "joan",
    "mark",
    "marc",
    "priya",
    "wei",
    "josé",
    "zoë",
    "søren",
    "aisha",
    "mateo",
    "yuki",
    "olga",
    "ingrid",
    "chloe",
    "liam",
    "noah",
    "emma",
    "sofia",
    "hannah",
)
LAST_NAMES = (
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcía",
    "miller",
    "davis",
    "rodríguez",
    "martínez",
    "hernández",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "müller",
    "schmidt",
    "dvořák",
    "nowak",
    "kowalski",
    "o'brien",
    "mcdonald",
    "van der berg",
    "smith-jones",
    "nguyen",
    "patel",
    "kim",
    "tanaka",
    "rossi",
    "dubois",
    "andersen",
    "ivanova",
    "silva",
    "fischer",
    "weber",
    "becker",
    "hoffmann",
    "schulz",
    "koch",
)
COMPANY_WORDS = (
    "acme",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "wonka",
    "hooli",
    "vandelay",
    "cyberdyne",
    "soylent",
    "tyrell",
    "massive",
    "aperture",
    "gringotts",
    "oscorp",
    "pied",
    "dunder",
    "vehement",
    "monarch",
    "sterling",
    "prestige",
    "blue",
    "north",
    "summit",
)
# Legal forms only: what cleanco drops, so "Acme Labs" names "Acme Labs, Inc." too.
SUFFIXES = ("Inc.", ", Inc.", "LLC", "Ltd", "GmbH", "Corp.", "S.A.", "Pty Ltd")
_ACCENTS = {"é": "e", "ë": "e", "ø": "o", "á": "a", "í": "i", "ř": "r", "ü": "u"}


@dataclass(frozen=True)
class CatalogPerson:
    first: str
    last: str
    company: int
    email: str
    linkedin: str


@dataclass(frozen=True)
class Company:
    name: str
    # The name without its legal form ("Acme Labs" of "Acme Labs, Inc.").
    base: str
    domain: str


@dataclass(frozen=True)
class Query:
    full_name: str
    company_domain: str | None
    company_name: str | None
    # Index into the catalog people, or None for someone the catalog doesn't have.
    expected: int | None
    noise: str


@dataclass(frozen=True)
class NoisySet:
    companies: list[Company]
    people: list[CatalogPerson]
    queries: list[Query]


def build(seed: int = 7, *, companies: int = 40, queries: int = 1200) -> NoisySet:
    rng = random.Random(seed)
    made = [_company(rng, index) for index in range(companies)]
    people: list[CatalogPerson] = []
    for index in range(companies):
        size = rng.choice((1, 2, 3, 5, 8, 13, 21, 34, 55))
        taken: set[tuple[str, str]] = set()
        while len(taken) < size:
            taken.add((rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)))
        for first, last in sorted(taken):
            people.append(_person(first, last, index, made[index], len(people)))
        # Colleagues whose names differ by a letter, and true namesakes.
        if index % 5 == 0:
            people.append(_person("john", "smith", index, made[index], len(people)))
            people.append(_person("joan", "smith", index, made[index], len(people)))
        if index % 7 == 0:
            people.append(_person("mark", "jones", index, made[index], len(people)))
            people.append(_person("marc", "jones", index, made[index], len(people)))
    found = [_positive(rng, people, made) for _ in range(queries // 2)]
    found += [_negative(rng, people, made) for _ in range(queries - len(found))]
    rng.shuffle(found)
    return NoisySet(companies=made, people=people, queries=found)


def _company(rng: random.Random, index: int) -> Company:
    word = COMPANY_WORDS[index % len(COMPANY_WORDS)]
    name = f"{word.title()} {('Labs', 'Systems', 'Partners', 'Works')[index // len(COMPANY_WORDS)]}"
    suffix = rng.choice(SUFFIXES)
    full = f"{name}{suffix}" if suffix.startswith(",") else f"{name} {suffix}"
    return Company(name=full, base=name, domain=f"{word}{index}.com")


def _person(first: str, last: str, company: int, where: Company, number: int) -> CatalogPerson:
    handle = _plain(f"{first}.{last}".replace(" ", "").replace("'", "")) + str(number)
    return CatalogPerson(
        first=first.title(),
        last=_title(last),
        company=company,
        email=f"{handle}@{where.domain}",
        linkedin=f"https://www.linkedin.com/in/{handle.replace('.', '-')}",
    )


def _positive(rng: random.Random, people: list[CatalogPerson], companies: list[Company]) -> Query:
    index = rng.randrange(len(people))
    person = people[index]
    noise = rng.choice(("clean", "nickname", "typo", "suffix", "accents", "reversed", "middle"))
    first, last = person.first, person.last
    if noise == "nickname" and NICKNAMES_OF.get(first.lower()):
        first = rng.choice(NICKNAMES_OF[first.lower()]).title()
    elif noise == "typo":
        if rng.random() < 0.5 and len(last) >= 5:
            last = _typo(rng, last)
        elif len(first) >= 5:
            first = _typo(rng, first)
    full = f"{first} {last}"
    if noise == "suffix":
        full = rng.choice(("Dr. {n}", "{n} Jr.", "{n}, PhD", "Mr. {n}", "{n} MBA")).format(n=full)
    elif noise == "accents":
        full = _plain(full).upper()
    elif noise == "reversed":
        full = f"{last}, {first}"
    elif noise == "middle":
        full = f"{first} {rng.choice('ABCJMR')}. {last}"
    domain, name = _company_hint(rng, companies[person.company])
    return Query(full, domain, name, expected=index, noise=noise)


def _negative(rng: random.Random, people: list[CatalogPerson], companies: list[Company]) -> Query:
    company = rng.randrange(len(companies))
    present = {(p.first.lower(), p.last.lower()) for p in people if p.company == company}
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if (first, last) not in present:
            break
    domain, name = _company_hint(rng, companies[company])
    return Query(f"{first.title()} {_title(last)}", domain, name, expected=None, noise="absent")


def _company_hint(rng: random.Random, company: Company) -> tuple[str | None, str | None]:
    if rng.random() < 0.5:
        return rng.choice((company.domain, f"https://www.{company.domain}/about")), None
    base = company.base if rng.random() < 0.5 else company.name
    return None, base.upper() if rng.random() < 0.2 else base


def _typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    if kind == "drop":
        return word[:position] + word[position + 1 :]
    if kind == "double":
        return word[:position] + word[position] + word[position:]
    return word[:position] + rng.choice("aeiounrst") + word[position + 1 :]


def _plain(text: str) -> str:
    return "".join(_ACCENTS.get(char, char) for char in text)


def _title(last: str) -> str:
    if last.startswith("van "):
        return last
    return (
        "-".join(part[:1].upper() + part[1:] for part in last.split("-"))
        .replace("O'b", "O'B")
        .replace("Mcd", "McD")
    )
