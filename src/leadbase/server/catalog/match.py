"""Who in the catalog is this? Exact keys first, then a fuzzy name within a company.

Every lookup is set-based: a batch of queries costs the same handful of ``IN`` queries
as one (emails, LinkedIn slugs, phones, then companies and their people for the rows
that only have a name), so bulk enrichment and import resolution stay fast.

Fuzzy matching blocks on the company (its domain, else its cleaned name) and compares
``name_key`` ("first last", nicknames already resolved) half by half, allowing a typo in
each (:func:`name_score`). A name matches only when the score clears
:data:`NAME_THRESHOLD` and no other person in the block comes within :data:`NAME_MARGIN`
of it: two "John Smith"s at one company are never guessed between, and a colleague
with another LinkedIn profile is a namesake, never a typo.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import msgspec
import sqlalchemy as sa
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from leadbase.server.catalog.models import (
    COMPANIES,
    EMAILS,
    PEOPLE,
    PHONES,
    Company,
)
from leadbase.server.catalog.normalize import PersonName, slug_forms

# Tuned on tests/server/catalog/noisy_people.py (nicknames, typos, titles and suffixes,
# accents, "Last, First", middle names, colleagues with close names): over eight seeds,
# precision 0.998-1.0 and recall 0.99-1.0; what it misses are true namesakes.
NAME_THRESHOLD = 0.9
# The runner-up must score this much lower, or the match is ambiguous.
NAME_MARGIN = 0.04
# Colleagues are first cut to the few closest names by a C-speed ratio (0-100).
_PREFILTER_CUTOFF = 40
_PREFILTER_KEEP = 8

# How sure an exact key is on its own; several agreeing keys combine.
EXACT_CONFIDENCE = {"email": 0.99, "linkedin": 0.99, "phone": 0.9}
# A name match within a company found by its domain is surer than by its name, and by its
# whole name surer than by its brand ("Bearlyable" for "Bearlyable Contractors").
COMPANY_CONFIDENCE = {"company_domain": 0.95, "company_name": 0.9, "company_brand": 0.8}

# Most values per IN list, under SQLite's and psycopg's parameter limits.
_CHUNK = 5000
# Separator of people_by_company's joined fields: ASCII's unit separator, which no id,
# name key or LinkedIn slug holds (normalize keeps them to letters, digits and a few marks).
_FIELD = "\x1f"


class PersonQuery(msgspec.Struct, frozen=True, kw_only=True):
    """What is known of a person, already normalized (see ``normalize``)."""

    email: str | None = None
    linkedin_slug: str | None = None
    # E.164.
    phone: str | None = None
    name: PersonName | None = None
    company_domain: str | None = None
    company_name_key: str | None = None


class MatchResult(msgspec.Struct, frozen=True):
    person_id: str
    # 0..1.
    confidence: float
    # The keys that agreed: ["email"], ["linkedin", "phone"], ["name", "company_domain"].
    matched_on: list[str]
    # Exact keys of the query that belong to someone else (see exact_match).
    conflicting: list[str] = []


class CompanyQuery(msgspec.Struct, frozen=True, kw_only=True):
    company_id: str | None = None
    domain: str | None = None
    linkedin_slug: str | None = None
    name_key: str | None = None


class PhoneHolder(NamedTuple):
    name_key: str
    linkedin_slug: str | None


@dataclass(slots=True)
class KeyOwners:
    """Who holds each exact key of a batch in the catalog."""

    emails: dict[str, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    # A phone can be shared (a switchboard): e164 -> {person id: who they are}.
    phones: dict[str, dict[str, PhoneHolder]] = field(default_factory=dict)


@dataclass(slots=True)
class Resolution:
    matches: list[MatchResult | None]
    owners: KeyOwners


async def find_person(session: AsyncSession, query: PersonQuery) -> MatchResult | None:
    """The best catalog match for ``query``, or None."""
    (found,) = await find_people(session, [query])
    return found


async def find_people(
    session: AsyncSession, queries: Sequence[PersonQuery]
) -> list[MatchResult | None]:
    """:func:`find_person` for many queries at once, in order, in a handful of queries."""
    return (await resolve_people(session, queries)).matches


async def resolve_people(session: AsyncSession, queries: Sequence[PersonQuery]) -> Resolution:
    """The matches and who owns each exact key (the importer needs both)."""
    owners = await key_owners(
        session,
        emails={query.email for query in queries if query.email},
        slugs={query.linkedin_slug for query in queries if query.linkedin_slug},
        phones={query.phone for query in queries if query.phone},
    )
    matches = [exact_match(query, owners) for query in queries]
    pending = [
        index
        for index, query in enumerate(queries)
        if matches[index] is None and _fuzzy_ready(query)
    ]
    if pending:
        fuzzy = await _fuzzy_matches(session, [queries[index] for index in pending])
        for index, found in zip(pending, fuzzy, strict=True):
            matches[index] = found
    return Resolution(matches=matches, owners=owners)


Condition = Callable[[sa.ColumnElement[Any] | QueryableAttribute[Any]], sa.ColumnElement[bool]]


class AmongQuery:
    """A statement with one :func:`among` condition, built once per kind of database.

    Lookups run on every enrichment: a statement built per call is walked again to find
    its compiled form, one built once remembers it. ``build`` receives the condition
    maker (``column IN :among``) and returns the statement.
    """

    def __init__(self, build: Callable[[Condition], sa.Executable]) -> None:
        self._build = build
        self._built: dict[str, sa.Executable] = {}

    async def execute(
        self, session: AsyncSession, values: Iterable[str]
    ) -> sa.Result[*tuple[Any, ...]]:
        on_postgresql = session.get_bind().dialect.name == "postgresql"
        dialect = "postgresql" if on_postgresql else "sqlite"
        statement = self._built.get(dialect)
        if statement is None:
            array = postgresql.ARRAY(sa.String) if on_postgresql else sa.String

            def condition(
                column: sa.ColumnElement[Any] | QueryableAttribute[Any],
            ) -> sa.ColumnElement[bool]:
                parameter = sa.bindparam("among", type_=array)
                return _in_list(column, parameter, on_postgresql=on_postgresql)

            statement = self._built[dialect] = self._build(condition)
        items = list(values)
        return await session.execute(
            statement, {"among": items if on_postgresql else _json_array(items)}
        )


_EMAIL_OWNERS = AmongQuery(
    lambda among: sa.select(EMAILS.c.email, EMAILS.c.person_id).where(among(EMAILS.c.email))
)
_SLUG_OWNERS = AmongQuery(
    lambda among: sa.select(PEOPLE.c.linkedin_slug, PEOPLE.c.id).where(
        among(PEOPLE.c.linkedin_slug)
    )
)
_PHONE_HOLDERS = AmongQuery(
    lambda among: (
        sa.select(PHONES.c.e164, PHONES.c.person_id, PEOPLE.c.name_key, PEOPLE.c.linkedin_slug)
        .join(PEOPLE, PEOPLE.c.id == PHONES.c.person_id)
        .where(among(PHONES.c.e164))
    )
)


async def key_owners(
    session: AsyncSession, *, emails: Iterable[str], slugs: Iterable[str], phones: Iterable[str]
) -> KeyOwners:
    owners = KeyOwners()
    for chunk in _chunks(emails):
        rows = await _EMAIL_OWNERS.execute(session, chunk)
        owners.emails.update((address, person_id) for address, person_id in rows)
    asked = set(slugs)
    for chunk in _chunks({form for slug in asked for form in slug_forms(slug)}):
        rows = await _SLUG_OWNERS.execute(session, chunk)
        owners.slugs.update((slug, person_id) for slug, person_id in rows if slug)
    for slug in asked - owners.slugs.keys():
        # A member id the catalog holds lower-cased (stored before ids kept their case).
        legacy = [form for form in slug_forms(slug)[1:] if form in owners.slugs]
        if legacy:
            owners.slugs[slug] = owners.slugs[legacy[0]]
    for chunk in _chunks(phones):
        holders = await _PHONE_HOLDERS.execute(session, chunk)
        for e164, person_id, name_key, slug in holders:
            owners.phones.setdefault(e164, {})[person_id] = PhoneHolder(name_key, slug)
    return owners


def exact_match(query: PersonQuery, owners: KeyOwners) -> MatchResult | None:
    """The person the exact keys (an email, the LinkedIn slug, a phone only one person
    has) say most for, with the keys that agree; on a tie, the owner of the first key of
    email, LinkedIn, phone.

    Keys that find someone else are ``conflicting``, and halve what they would have
    added: an email of one person and a LinkedIn profile of another is a coin toss
    (0.99 x 0.505 = 0.5), not the 0.99 the email alone would say.
    """
    found: dict[str, str] = {}
    if query.email and query.email in owners.emails:
        found["email"] = owners.emails[query.email]
    if query.linkedin_slug and query.linkedin_slug in owners.slugs:
        found["linkedin"] = owners.slugs[query.linkedin_slug]
    if query.phone and query.phone in owners.phones:
        holder = phone_holder(
            owners.phones[query.phone],
            query.name.key if query.name else None,
            linkedin_slug=query.linkedin_slug,
        )
        if holder is not None:
            found["phone"] = holder
    if not found:
        return None
    keys_of: dict[str, list[str]] = {}
    for key, owner in found.items():
        keys_of.setdefault(owner, []).append(key)
    person_id = max(  # the first of equals: keys_of is in the order of found
        keys_of, key=lambda owner: combined_confidence(EXACT_CONFIDENCE[k] for k in keys_of[owner])
    )
    agreed = keys_of[person_id]
    conflicting = [key for key, owner in found.items() if owner != person_id]
    doubt = combined_confidence(EXACT_CONFIDENCE[key] for key in conflicting) / 2
    return MatchResult(
        person_id=person_id,
        confidence=round(
            combined_confidence(EXACT_CONFIDENCE[key] for key in agreed) * (1 - doubt), 4
        ),
        matched_on=agreed,
        conflicting=conflicting,
    )


def phone_holder(
    holders: Mapping[str, PhoneHolder], name_key: str | None, *, linkedin_slug: str | None = None
) -> str | None:
    """The one person holding a phone, among those who can be this person.

    Colleagues share switchboards and families share landlines: a phone alone never joins
    two people with different names or different LinkedIn profiles.
    """
    candidates = [
        person_id
        for person_id, holder in holders.items()
        if (name_key is None or name_score(name_key, holder.name_key) > 0)
        and not (linkedin_slug and holder.linkedin_slug and holder.linkedin_slug != linkedin_slug)
    ]
    return candidates[0] if len(candidates) == 1 else None


def combined_confidence(confidences: Iterable[float]) -> float:
    missing = 1.0
    for confidence in confidences:
        missing *= 1.0 - confidence
    return round(1.0 - missing, 4)


# Fuzzy: name within a company -------------------------------------------------------------


def _fuzzy_ready(query: PersonQuery) -> bool:
    return query.name is not None and bool(query.company_domain or query.company_name_key)


@dataclass(slots=True)
class CompanyKeys:
    """Which company holds each key; kept up to date as a batch creates companies."""

    by_domain: dict[str, str] = field(default_factory=dict)
    by_slug: dict[str, str] = field(default_factory=dict)
    # Several companies may share a cleaned name; oldest first.
    by_name: dict[str, list[str]] = field(default_factory=dict)
    name_of: dict[str, str] = field(default_factory=dict)
    domain_of: dict[str, str | None] = field(default_factory=dict)
    # Enrichment only (add_brands): a cleaned name no company has -> the one company whose
    # cleaned name starts with it as whole words.
    by_brand: dict[str, str] = field(default_factory=dict)

    def add(self, company_id: str, *, domain: str | None, slug: str | None, name_key: str) -> None:
        if company_id in self.domain_of:
            return
        self.domain_of[company_id] = None
        self.by_name.setdefault(name_key, []).append(company_id)
        self.name_of[company_id] = name_key
        self.attach(company_id, domain=domain, slug=slug)

    def rename(self, company_id: str, name_key: str) -> None:
        """A known company's new name (an overwrite renamed it): found by it, and no longer
        by the old one, as the catalog would answer once the rename is written."""
        old = self.name_of.get(company_id)
        if old == name_key:
            return
        if old is not None:
            self.by_name[old].remove(company_id)
        self.by_name.setdefault(name_key, []).append(company_id)
        self.name_of[company_id] = name_key

    def attach(self, company_id: str, *, domain: str | None, slug: str | None) -> None:
        """Record keys a known company gains."""
        if domain:
            self.by_domain[domain] = company_id
            self.domain_of[company_id] = domain
        if slug:
            self.by_slug[slug] = company_id


_COMPANY_KEY_COLUMNS = (
    COMPANIES.c.id,
    COMPANIES.c.domain,
    COMPANIES.c.linkedin_slug,
    COMPANIES.c.name_key,
)


def _companies_by(column: sa.Column[Any]) -> AmongQuery:
    return AmongQuery(
        lambda among: sa.select(*_COMPANY_KEY_COLUMNS).where(among(column)).order_by(COMPANIES.c.id)
    )


_COMPANIES_BY = {column.name: _companies_by(column) for column in _COMPANY_KEY_COLUMNS}


async def company_keys(
    session: AsyncSession,
    *,
    ids: Iterable[str] = (),
    domains: Iterable[str] = (),
    slugs: Iterable[str] = (),
    name_keys: Iterable[str] = (),
) -> CompanyKeys:
    """Which company ids hold these keys, in one query per kind of key."""
    found = CompanyKeys()
    for key, values in (
        ("id", ids),
        ("domain", domains),
        ("linkedin_slug", slugs),
        ("name_key", name_keys),
    ):
        for chunk in _chunks(values):
            for company_id, domain, slug, name_key in await _COMPANIES_BY[key].execute(
                session, chunk
            ):
                found.add(company_id, domain=domain, slug=slug, name_key=name_key)
    return found


async def all_company_keys(session: AsyncSession) -> CompanyKeys:
    """Every company's keys, oldest first (a bulk load holds them for its whole run)."""
    found = CompanyKeys()
    rows = await session.execute(sa.select(*_COMPANY_KEY_COLUMNS).order_by(COMPANIES.c.id))
    for company_id, domain, slug, name_key in rows:
        found.add(company_id, domain=domain, slug=slug, name_key=name_key)
    return found


async def add_brands(session: AsyncSession, keys: CompanyKeys, name_keys: Iterable[str]) -> None:
    """Look up the cleaned names no company has as brands: a customer writes "Bearlyable"
    for "Bearlyable Contractors Pty. Ltd." (cleaned "bearlyable contractors"). A brand
    finds the one company whose cleaned name starts with it and a space; none when two
    do. Enrichment only: an import never merges a company into a longer name."""
    for name_key in set(name_keys) - keys.by_name.keys():
        # Cleaned names are lower-case ASCII letters, digits and single spaces: " " and
        # "!" bound every name that starts with the brand as a word, in an index range.
        rows = await session.execute(
            sa.select(COMPANIES.c.id, COMPANIES.c.name_key)
            .where(COMPANIES.c.name_key > name_key + " ", COMPANIES.c.name_key < name_key + "!")
            .limit(2)
        )
        # Under a collation that does not sort by code point (SQLite's BINARY and
        # PostgreSQL's C and C.UTF-8 do) the range may hold other names, or miss some:
        # only a range of exactly one name that starts with the brand answers.
        found = rows.all()
        if len(found) == 1 and found[0].name_key.startswith(name_key + " "):
            keys.by_brand[name_key] = found[0].id


def company_block(query: PersonQuery, companies: CompanyKeys) -> tuple[list[str], str | None]:
    """The companies a name is compared within, and which company key found them."""
    if query.company_domain and query.company_domain in companies.by_domain:
        return [companies.by_domain[query.company_domain]], "company_domain"
    if query.company_name_key and query.company_name_key in companies.by_name:
        return companies.by_name[query.company_name_key], "company_name"
    if query.company_name_key and query.company_name_key in companies.by_brand:
        return [companies.by_brand[query.company_name_key]], "company_brand"
    return [], None


async def _fuzzy_matches(
    session: AsyncSession, queries: Sequence[PersonQuery]
) -> list[MatchResult | None]:
    companies = await company_keys(
        session,
        domains={query.company_domain for query in queries if query.company_domain},
        name_keys={query.company_name_key for query in queries if query.company_name_key},
    )
    await add_brands(
        session,
        companies,
        {
            query.company_name_key
            for query in queries
            if query.company_name_key and query.company_domain not in companies.by_domain
        },
    )
    blocks = [company_block(query, companies) for query in queries]
    wanted = {company_id for block, _ in blocks for company_id in block}
    staff = await people_by_company(session, wanted)
    names = await match_names(
        session,
        [
            NameQuery(
                key=query.name.key if query.name else "",
                roster=Roster.of(staff, block),
                linkedin_slug=query.linkedin_slug,
                emails=(query.email,) if query.email else (),
            )
            for query, (block, _) in zip(queries, blocks, strict=True)
        ],
    )
    results: list[MatchResult | None] = []
    for best, (_, found_by) in zip(names, blocks, strict=True):
        if best is None or found_by is None:
            results.append(None)
            continue
        person_id, score = best
        results.append(
            MatchResult(
                person_id=person_id,
                confidence=round(min(score, 0.99) * COMPANY_CONFIDENCE[found_by], 4),
                # A brand is the company_name the query gave.
                matched_on=["name", "company_name" if found_by == "company_brand" else found_by],
            )
        )
    return results


class Colleague(NamedTuple):
    """A person of a roster whose name came close (see shortlist)."""

    person_id: str
    name_key: str
    linkedin_slug: str | None
    # None until loaded: only colleagues whose names come close ever need them.
    emails: frozenset[str] | None = None
    # The title, for rosters built in memory; people read from the catalog have theirs
    # loaded only when a record's title may decide (catalog_contenders).
    title: str | None = None


@dataclass(slots=True)
class Roster:
    """The people of a company (or a block of them) as parallel lists.

    A bulk call or an import batch reads the staff of hundreds of companies, tens of
    thousands of people of whom a few come close to a name: lists cost no object per
    person, and only the close ones become a :class:`Colleague`.
    """

    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    # "" when the person has no LinkedIn profile.
    slugs: list[str] = field(default_factory=list)
    # Each person's addresses and title, when known (people this import batch created);
    # None when not loaded (people read from the catalog).
    emails: list[frozenset[str]] | None = None
    titles: list[str | None] | None = None

    @classmethod
    def of(cls, rosters: Mapping[str, Roster], company_ids: Sequence[str]) -> Roster:
        """The rosters of ``company_ids`` as one (a block of companies with one name)."""
        found = [rosters[company_id] for company_id in company_ids if company_id in rosters]
        if not found:
            return NOBODY
        if len(found) == 1:
            return found[0]
        block = cls()
        for roster in found:
            block.ids += roster.ids
            block.names += roster.names
            block.slugs += roster.slugs
        return block

    @classmethod
    def in_memory(cls) -> Roster:
        """A roster that knows everyone's addresses and titles (people :meth:`add` ed)."""
        return cls(emails=[], titles=[])

    def add(
        self,
        person_id: str,
        name_key: str,
        slug: str | None,
        emails: frozenset[str],
        title: str | None = None,
    ) -> None:
        """A person with known addresses and title, to an :meth:`in_memory` roster."""
        assert self.emails is not None and self.titles is not None, "add() needs in_memory()"
        self.ids.append(person_id)
        self.names.append(name_key)
        self.slugs.append(slug or "")
        self.emails.append(emails)
        # Interned: a bulk load keeps a roster entry per person, and titles repeat.
        self.titles.append(sys.intern(title) if title else None)

    def take(self, person_id: str) -> Colleague | None:
        """Take a person off this in-memory roster (a merge moved or renamed them): their
        entry, to add them back with, or None when they are not on it."""
        assert self.emails is not None and self.titles is not None, "take() needs in_memory()"
        try:
            index = self.ids.index(person_id)
        except ValueError:
            return None
        entry = self.colleague(index)
        for values in (self.ids, self.names, self.slugs, self.emails, self.titles):
            del values[index]
        return entry

    def colleague(self, index: int) -> Colleague:
        return Colleague(
            self.ids[index],
            self.names[index],
            self.slugs[index] or None,
            self.emails[index] if self.emails is not None else None,
            self.titles[index] if self.titles is not None else None,
        )


# A company nobody works at; never added to (its emails are unknown).
NOBODY = Roster()


class NameQuery(NamedTuple):
    key: str
    roster: Roster
    linkedin_slug: str | None = None
    emails: Collection[str] = ()
    # The record's title (title_key): breaks a tie between namesakes.
    title: str | None = None


def title_key(title: str | None) -> str | None:
    """A title as ties are broken on: lower-case, spaces collapsed; None when blank."""
    if title is None:
        return None
    return " ".join(title.lower().split()) or None


# || on both backends; NULL would void the whole string, hence the coalesce.
_MEMBER = (
    PEOPLE.c.id + _FIELD + PEOPLE.c.name_key + _FIELD + sa.func.coalesce(PEOPLE.c.linkedin_slug, "")
)
_STAFF = AmongQuery(
    lambda among: (
        sa.select(PEOPLE.c.company_id, sa.func.aggregate_strings(_MEMBER, _FIELD))
        .where(among(PEOPLE.c.company_id))
        .group_by(PEOPLE.c.company_id)
    )
)


async def people_by_company(session: AsyncSession, company_ids: Iterable[str]) -> dict[str, Roster]:
    """company id -> the roster of the people who work there (their emails not loaded).

    A shortlisted company of a bulk call has tens of people and a call reads thousands:
    one row per company, its people's fields joined into one string, split in C, costs
    a fraction of one result row per person. Read from one covering index (0006).
    """
    staff: dict[str, Roster] = {}
    for chunk in _chunks(company_ids):
        for company_id, members in await _STAFF.execute(session, chunk):
            fields = members.split(_FIELD)
            staff[company_id] = Roster(ids=fields[0::3], names=fields[1::3], slugs=fields[2::3])
    return staff


async def match_names(
    session: AsyncSession, queries: Sequence[NameQuery]
) -> list[tuple[str, float] | None]:
    """For each query, the person of its catalog roster whose name clearly matches, and
    the score: :func:`catalog_contenders`, then :func:`decide`."""
    found = await catalog_contenders(session, queries)
    return [decide(group, query.title) for query, group in zip(queries, found, strict=True)]


async def catalog_contenders(
    session: AsyncSession, queries: Sequence[NameQuery]
) -> list[Contenders]:
    """Each query's :class:`Contenders` in its catalog roster, in a handful of queries:
    emails loaded only for the close names that need them, titles only for the
    contenders of a query that has one."""
    shortlists = [shortlist(query.key, query.roster) for query in queries]
    wanted = {
        colleague.person_id
        for query, short in zip(queries, shortlists, strict=True)
        if query.emails
        for colleague, _ in short
        if colleague.emails is None
    }
    emails = await emails_of(session, wanted) if wanted else {}
    found = [
        _of_shortlist(
            [
                Scored(colleague._replace(emails=emails[colleague.person_id]), score)
                if colleague.emails is None and colleague.person_id in emails
                else Scored(colleague, score)
                for colleague, score in short
            ],
            linkedin_slug=query.linkedin_slug,
            emails=query.emails,
        )
        for query, short in zip(queries, shortlists, strict=True)
    ]
    titled = {
        candidate.colleague.person_id
        for query, contenders in zip(queries, found, strict=True)
        if query.title
        for candidate in contenders.group
        if candidate.colleague.title is None
    }
    if not titled:
        return found
    titles = await titles_of(session, titled)
    return [
        contenders._replace(
            group=[
                Scored(
                    candidate.colleague._replace(title=titles.get(candidate.colleague.person_id)),
                    candidate.score,
                )
                if candidate.colleague.title is None
                else candidate
                for candidate in contenders.group
            ]
        )
        for contenders in found
    ]


class Scored(NamedTuple):
    colleague: Colleague
    # name_score of the colleague's name against the key asked about.
    score: float


def shortlist(key: str, roster: Roster) -> list[Scored]:
    """The people of the roster whose names come close enough to matter, as a match or as
    a rival."""
    if not roster.names:
        return []
    # A C-speed ratio drops the clearly different names first; every name name_score
    # could accept (a typo per half, an initial) stays well above the cut-off.
    closest = process.extract(
        key,
        roster.names,
        scorer=fuzz.ratio,
        score_cutoff=_PREFILTER_CUTOFF,
        limit=_PREFILTER_KEEP,
    )
    floor = NAME_THRESHOLD - NAME_MARGIN
    return [
        Scored(roster.colleague(index), score)
        for name, _, index in closest
        if (score := name_score(key, name)) >= floor
    ]


_EMAILS_OF = AmongQuery(
    lambda among: sa.select(EMAILS.c.person_id, EMAILS.c.email).where(among(EMAILS.c.person_id))
)


_TITLES_OF = AmongQuery(
    lambda among: sa.select(PEOPLE.c.id, PEOPLE.c.title).where(among(PEOPLE.c.id))
)


async def titles_of(session: AsyncSession, person_ids: Iterable[str]) -> dict[str, str | None]:
    """person id -> its title."""
    found: dict[str, str | None] = {}
    for chunk in _chunks(person_ids):
        found.update(
            (person_id, title) for person_id, title in await _TITLES_OF.execute(session, chunk)
        )
    return found


async def emails_of(session: AsyncSession, person_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(person_ids):
        for person_id, email in await _EMAILS_OF.execute(session, chunk):
            found[person_id].add(email)
    return {person_id: frozenset(emails) for person_id, emails in found.items()}


class Contenders(NamedTuple):
    """The best candidate for a name and its rivals (see _contenders); ``complete`` when
    the roster's close names were all looked at. A shortlist cut at _PREFILTER_KEEP may
    have left namesakes out, and then a title cannot tell them apart."""

    group: list[Scored]
    complete: bool

    def without(self, person_ids: Collection[str]) -> Contenders:
        """These contenders but ``person_ids`` (people known elsewhere now); what is left
        is sorted out again by :func:`together`."""
        group = [scored for scored in self.group if scored.colleague.person_id not in person_ids]
        return Contenders(group, self.complete)


def contenders_in(
    key: str,
    roster: Roster,
    *,
    linkedin_slug: str | None = None,
    emails: Collection[str] = (),
) -> Contenders:
    """The :class:`Contenders` for ``key`` in a roster that holds what it needs (built
    in memory, or a catalog roster when no email or title is asked about)."""
    return _of_shortlist(shortlist(key, roster), linkedin_slug=linkedin_slug, emails=emails)


def _of_shortlist(
    short: Sequence[Scored], *, linkedin_slug: str | None, emails: Collection[str]
) -> Contenders:
    # A shortlist as long as shortlist() keeps may have been cut.
    group = _contenders(short, linkedin_slug=linkedin_slug, emails=emails)
    return Contenders(group, complete=len(short) < _PREFILTER_KEEP)


def together(
    first: Contenders,
    second: Contenders,
    *,
    linkedin_slug: str | None = None,
    emails: Collection[str] = (),
) -> Contenders:
    """The contenders of two rosters of one company (the catalog's, an import batch's)
    as one: a namesake in either is a rival."""
    group = _contenders([*first.group, *second.group], linkedin_slug=linkedin_slug, emails=emails)
    return Contenders(group, complete=first.complete and second.complete)


def _contenders(
    scored: Sequence[Scored], *, linkedin_slug: str | None, emails: Collection[str]
) -> list[Scored]:
    """The best candidate and its rivals (other people within NAME_MARGIN of it); none
    unless the best clears NAME_THRESHOLD.

    Colleagues who can't be this person are left out first. A person has one LinkedIn
    profile: another slug means a namesake, never a typo. And someone with an address at
    the same domain but none in common is someone else: a namesake (john.smith@ and
    john.smith2@) or a near-namesake (john.smith@ and joan@).
    """
    eligible = [
        candidate
        for candidate in scored
        if not (
            linkedin_slug
            and candidate.colleague.linkedin_slug
            and candidate.colleague.linkedin_slug != linkedin_slug
        )
        and not _emails_conflict(emails, candidate.colleague.emails or ())
    ]
    if not eligible:
        return []
    best = max(candidate.score for candidate in eligible)
    if best < NAME_THRESHOLD:
        return []
    # The same person twice in the block (same id) is not a rival.
    group: dict[str, Scored] = {}
    for candidate in eligible:
        if candidate.score > best - NAME_MARGIN:
            group.setdefault(candidate.colleague.person_id, candidate)
    return list(group.values())


def decide(found: Contenders, title: str | None) -> tuple[str, float] | None:
    """The one contender; among namesakes that tie, the one holding the record's title
    (a title_key), when every one of them has a known title and only one holds it.

    Three John Smiths at one company, one of them a financial analyst: a record of John
    Smith, financial analyst, is him (a re-import must not add a fourth). A namesake
    whose title is unknown might hold it too, and one left out of a cut shortlist might:
    then nobody is chosen. (Keys are made only here: ties are rare, titles many.)
    """
    group = found.group
    if len(group) == 1:
        return group[0].colleague.person_id, group[0].score
    if not group or title is None or not found.complete:
        return None
    keys = [title_key(candidate.colleague.title) for candidate in group]
    if None in keys:
        return None
    same = [
        candidate
        for candidate, key in zip(group, keys, strict=True)
        if key == title and candidate.score >= NAME_THRESHOLD
    ]
    if len(same) != 1:
        return None
    return same[0].colleague.person_id, same[0].score


def _emails_conflict(left: Collection[str], right: Collection[str]) -> bool:
    if not left or not right or not set(left).isdisjoint(right):
        return False
    domains = {address.rpartition("@")[2] for address in left}
    return any(address.rpartition("@")[2] in domains for address in right)


def name_score(left: str, right: str) -> float:
    """0..1 similarity of two name keys ("first last"); 0 when they can't be one person.

    Each half may differ by a typo: one edit (a transposition counts as one), two in
    names of ten letters or more, none in names of three; each edit costs 0.05. A first
    name may be an initial of the other (0.9).
    """
    if left == right:
        return 1.0
    left_first, _, left_last = left.partition(" ")
    right_first, _, right_last = right.partition(" ")
    if not left_last or not right_last:
        # A single name matches only itself.
        return 0.0
    last = _spelling_similarity(left_last, right_last)
    if not last:  # most names a roster holds: no need to look at the first name
        return 0.0
    first = _first_name_similarity(left_first, right_first)
    return round(first + last - 1.0, 4) if first else 0.0


def _first_name_similarity(left: str, right: str) -> float:
    if len(left) == 1 or len(right) == 1:
        # An initial agrees with any name it starts, and no more than that.
        return 0.9 if left[0] == right[0] else 0.0
    return _spelling_similarity(left, right)


def _spelling_similarity(left: str, right: str) -> float:
    if left == right:
        return 1.0
    shorter = min(len(left), len(right))
    allowed = 0 if shorter <= 3 else (2 if shorter >= 10 else 1)
    edits = OSA.distance(left, right, score_cutoff=allowed)
    return 0.0 if edits > allowed else 1.0 - _EDIT_COST * edits


_EDIT_COST = 0.05


# Companies ------------------------------------------------------------------------------


async def find_company(
    session: AsyncSession,
    *,
    company_id: str | None = None,
    domain: str | None = None,
    linkedin_slug: str | None = None,
    name_key: str | None = None,
) -> Company | None:
    """The company with any of these keys (id, then domain, LinkedIn slug, cleaned name)."""
    (found,) = await find_companies(
        session,
        [
            CompanyQuery(
                company_id=company_id, domain=domain, linkedin_slug=linkedin_slug, name_key=name_key
            )
        ],
    )
    return found


async def find_companies(
    session: AsyncSession, queries: Sequence[CompanyQuery]
) -> list[Company | None]:
    """:func:`find_company` for many queries, in order, in one query per kind of key."""
    keys = await company_keys(
        session,
        ids={query.company_id for query in queries if query.company_id},
        domains={query.domain for query in queries if query.domain},
        slugs={query.linkedin_slug for query in queries if query.linkedin_slug},
        name_keys={query.name_key for query in queries if query.name_key},
    )
    chosen = [company_for(query, keys) for query in queries]
    wanted = {company_id for company_id in chosen if company_id is not None}
    loaded: dict[str, Company] = {}
    for chunk in _chunks(wanted):
        rows = await session.scalars(sa.select(Company).where(among(session, Company.id, chunk)))
        loaded.update((company.id, company) for company in rows)
    return [loaded.get(company_id) if company_id else None for company_id in chosen]


def company_for(query: CompanyQuery, keys: CompanyKeys) -> str | None:
    """The id a query's strongest key points to; a cleaned name only when it is unique."""
    if query.company_id:
        return query.company_id if query.company_id in keys.domain_of else None
    if query.domain and query.domain in keys.by_domain:
        return keys.by_domain[query.domain]
    if query.linkedin_slug and query.linkedin_slug in keys.by_slug:
        return keys.by_slug[query.linkedin_slug]
    if query.name_key:
        named = keys.by_name.get(query.name_key, [])
        if len(named) == 1:
            return named[0]
        return keys.by_brand.get(query.name_key)
    return None


def among(
    session: AsyncSession,
    column: sa.ColumnElement[Any] | QueryableAttribute[Any],
    values: Iterable[str],
) -> sa.ColumnElement[bool]:
    """``column IN values`` bound as one parameter: a JSON array read by ``json_each`` on
    SQLite, an array on PostgreSQL. One statement compiles (and caches) the same whatever
    the number of values, where an expanding ``IN`` renders one parameter per value."""
    items = list(values)
    if session.get_bind().dialect.name == "postgresql":
        parameter = sa.bindparam(None, items, type_=postgresql.ARRAY(sa.String))
        return _in_list(column, parameter, on_postgresql=True)
    return _in_list(
        column, sa.bindparam(None, _json_array(items), type_=sa.String), on_postgresql=False
    )


def _json_array(items: list[str]) -> str:
    # msgspec writes the same JSON as json.dumps, six times faster (a bulk call sends
    # thousands of ids this way).
    return msgspec.json.encode(items).decode()


def _in_list(
    column: sa.ColumnElement[Any] | QueryableAttribute[Any],
    parameter: sa.BindParameter[Any],
    *,
    on_postgresql: bool,
) -> sa.ColumnElement[bool]:
    if on_postgresql:
        return column == sa.any_(parameter)
    listed = sa.select(sa.column("value", sa.String)).select_from(sa.func.json_each(parameter))
    return column.in_(listed.scalar_subquery())


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
