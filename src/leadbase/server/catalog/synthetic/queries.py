"""Labelled matching queries: people as a customer would look them up, and people who
are not in the catalog, each with the answer.

Positives are people of the catalog seen through noise (a typo, a nickname, the company by
name with another legal form, a personal email...). Negatives are people who do not
exist: a real person at a company they don't work for, a colleague's surname with another
first name, a new name. A negative never has a name close to anyone at its company
(both halves within Jaro-Winkler 0.85), so telling it apart is fair to ask of a matcher;
a positive whose name is that close to a colleague's is asked with an exact key.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from rapidfuzz.distance import JaroWinkler

from leadbase.server.catalog.normalize import name_key
from leadbase.server.catalog.synthetic import noise
from leadbase.server.catalog.synthetic.companies import Company
from leadbase.server.catalog.synthetic.people import Person

QUERY_COLUMNS = (
    "Query ID",
    "Expected Entity ID",
    "Kind",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "LinkedIn URL",
    "Company",
    "Company Domain",
    "Country",
)
POSITIVE_SHARE = 0.75
# Two names this close in both halves could be one person mistyped.
CLOSE_NAMES = 0.85
_ATTEMPTS = 20

NameKey = tuple[str, str]


def split_key(first: str, last: str) -> NameKey:
    """(first, last) matching keys, nickname resolved, as the catalog computes them."""
    first_key, _, last_key = name_key(first, last).partition(" ")
    return first_key, last_key


def close(left: NameKey, right: NameKey) -> bool:
    return (
        JaroWinkler.normalized_similarity(left[0], right[0]) >= CLOSE_NAMES
        and JaroWinkler.normalized_similarity(left[1], right[1]) >= CLOSE_NAMES
    )


class QueryMaker:
    """Watches people being made (``observe``), then writes the queries (``rows``).

    It samples people and target companies up front from its own random stream, so
    asking for queries never changes the catalog files.
    """

    def __init__(self, rng: random.Random, *, queries: int, people: int, companies: int) -> None:
        self._rng = rng
        self._positives = round(queries * POSITIVE_SHARE) if people else 0
        self._negatives = queries - self._positives if companies else 0
        sample = min(people, self._positives * 5 // 4 + 8) if self._positives else 0
        self._sampled = set(rng.sample(range(people), sample))
        self._targets = set(rng.sample(range(companies), min(companies, self._negatives)))
        # (person, has a colleague with a close name)
        self._candidates: list[tuple[Person, bool]] = []
        self._staff: list[tuple[Company, list[NameKey]]] = []

    def observe(self, company: Company, staff: list[Person]) -> None:
        sampled = [person for person in staff if person.number in self._sampled]
        target = company.index in self._targets
        if not sampled and not target:
            return
        keys = [split_key(person.first, person.last) for person in staff]
        for person in sampled:
            own = split_key(person.first, person.last)
            namesakes = sum(1 for key in keys if close(own, key))
            self._candidates.append((person, namesakes > 1))
        if target:
            self._staff.append((company, keys))

    def rows(self) -> Iterator[list[str]]:
        queries = self._positive_rows() + self._negative_rows()
        self._rng.shuffle(queries)
        for number, row in enumerate(queries, start=1):
            yield [f"syn-q-{number:07d}", *row]

    def _positive_rows(self) -> list[list[str]]:
        rows: list[list[str]] = []
        for person, ambiguous in self._candidates:
            if len(rows) == self._positives:
                break
            row = self._positive(person, ambiguous=ambiguous)
            if row is not None:
                rows.append(row)
        return rows

    def _positive(self, person: Person, *, ambiguous: bool) -> list[str] | None:
        rng = self._rng
        country = person.country.country.name
        if ambiguous and person.email is None:
            return None
        if rng.random() < 0.1 and person.email:
            return [person.entity_id, "email_only", "", "", person.email, "", "", "", "", country]
        kinds: list[str] = []
        first, last = noise.person_name(rng, person.first, person.last, kinds)
        company_name, domain = self._company(person.company, kinds)
        email = ""
        draw = rng.random()
        if person.email and (ambiguous or draw < 0.3):
            email = person.email
            kinds.append("email")
        elif person.email and draw < 0.35:
            email = noise.email_case(person.email)
            kinds.append("email_case")
        elif draw < 0.45:
            email = person.personal_email
            kinds.append("email_personal")
        linkedin = ""
        if person.linkedin_slug and rng.random() < 0.15:
            linkedin = noise.linkedin_variant(rng, person.linkedin_slug)
            kinds.append("linkedin")
        phone = ""
        if person.phone and rng.random() < 0.1:
            phone = person.phone.e164(person.number)
            kinds.append("phone")
        if ambiguous:
            kinds.append("close_colleague")
        kind = ";".join(kinds)
        return [
            person.entity_id,
            kind,
            first,
            last,
            email,
            phone,
            linkedin,
            company_name,
            domain,
            country,
        ]

    def _company(self, company: Company, kinds: list[str]) -> tuple[str, str]:
        draw = self._rng.random()
        if draw < 0.35:
            kinds.append("company_domain")
            return "", company.domain
        if draw < 0.55:
            kinds.append("company_name")
            return company.name, ""
        if draw < 0.75:
            kinds.append("company_suffix")
            suffixes = company.country.country.suffixes
            return noise.company_name(self._rng, company.base, company.name, suffixes), ""
        kinds.append("company_name_domain")
        return company.name, company.domain

    def _negative_rows(self) -> list[list[str]]:
        rows: list[list[str]] = []
        if not self._staff:
            return rows
        for _ in range(self._negatives):
            for _ in range(_ATTEMPTS):
                row = self._negative()
                if row is not None:
                    rows.append(row)
                    break
        return rows

    def _negative(self) -> list[str] | None:
        rng, random_ = self._rng, self._rng.random
        company, keys = rng.choice(self._staff)
        locale = company.country.locales(random_)
        draw = random_()
        if draw < 0.4 and self._candidates:
            person, _ = rng.choice(self._candidates)
            if person.company.index == company.index:
                return None
            kind, first, last = "absent_other_company", person.first, person.last
        elif draw < 0.7 and keys:
            # A colleague's surname is kept as the key has it, so build it from a colleague.
            kind, last = "absent_colleague_surname", rng.choice(keys)[1].title()
            first, _ = (locale.female if random_() < 0.5 else locale.male)(random_)
        else:
            kind = "absent_new_name"
            first, _ = (locale.female if random_() < 0.5 else locale.male)(random_)
            last, _ = locale.last(random_)
        own = split_key(first, last)
        if any(close(own, key) for key in keys):
            return None
        email = ""
        if kind == "absent_new_name" and random_() < 0.5:
            # first.last whatever the company's pattern: only this very name could own it.
            email = f"{own[0]}.{own[1].replace(' ', '')}@{company.domain}"
            kind += ";email"
        shown = random_()
        company_name = company.name if shown >= 0.5 else ""
        domain = company.domain if shown < 0.7 else ""
        country = company.country.country.name
        return ["", kind, first, last, email, "", "", company_name, domain, country]
