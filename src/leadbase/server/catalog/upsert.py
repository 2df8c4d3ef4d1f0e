"""Catalog upserts with entity resolution, a batch at a time.

Upserts take whole batches of normalized records (``records``) and cost a fixed handful
of statements per batch, whatever its size: ``IN`` lookups for every key of the batch,
then one ``executemany`` per table. A record that matches a catalog entry, or an earlier
record of the same batch, is merged into it (``merge``: its empty fields filled, or its
fields overwritten), new emails and phones added, and for people the source record is
kept in ``person_sources`` with how it matched. People carrying a suppressed key are
skipped. Nothing here commits.

An import into an empty table (``bulk``) passes a :class:`Carried`: what its batches
created is then remembered from batch to batch and matched in memory, in place of the
lookups into the catalog, which held nothing of that kind when the import began.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import match, normalize, writes
from leadbase.server.catalog.columns import Kind
from leadbase.server.catalog.match import among
from leadbase.server.catalog.merge import Merge, OnMatch, merges
from leadbase.server.catalog.models import (
    COMPANIES,
    EMAILS,
    OPENINGS,
    PEOPLE,
    PHONES,
    SOURCES,
    SUPPRESSIONS,
)
from leadbase.server.catalog.records import CompanyRecord, CompanyRef, OpeningRecord, PersonRecord
from leadbase.server.catalog.writes import Write
from leadbase.server.db import utcnow
from leadbase.server.ids import new_id

Status = Literal["created", "merged", "suppressed"]
SuppressionKind = Literal["email", "linkedin", "phone", "domain", "name_at_company"]


_CHUNK = 5000
_COMPANY_COLUMNS = tuple(COMPANIES.c.keys())
_OPENING_COLUMNS = tuple(OPENINGS.c.keys())


class RowOutcome(msgspec.Struct, frozen=True):
    """What became of one record: the catalog id it created or merged into, and how."""

    status: Status
    id: str | None = None
    # created rows: None; merged: record_id, email, linkedin, phone, name_company
    # (people), domain, linkedin, name (companies), linkedin_job, url, title (openings).
    matched_by: str | None = None


# Suppressed rows ------------------------------------------------------------------------


async def suppressed_keys(
    session: AsyncSession, keys: Mapping[SuppressionKind, Iterable[str]]
) -> set[tuple[str, str]]:
    """Which of these (kind, value) keys are on the suppression list."""
    found: set[tuple[str, str]] = set()
    for kind, values in keys.items():
        for chunk in chunks(values):
            rows = await session.execute(
                sa.select(SUPPRESSIONS.c.kind, SUPPRESSIONS.c.value).where(
                    SUPPRESSIONS.c.kind == kind, among(session, SUPPRESSIONS.c.value, chunk)
                )
            )
            found.update((kind, value) for kind, value in rows)
    return found


async def _suppressed_people(session: AsyncSession, records: Sequence[PersonRecord]) -> list[bool]:
    emails = {address for record in records for address, _, _ in record.emails}
    domains = {d for address in emails if (d := _email_domain(address))}
    domains |= {r.company.domain for r in records if r.company and r.company.domain}
    found = await suppressed_keys(
        session,
        {
            "email": emails,
            "linkedin": {
                form
                for r in records
                if r.linkedin_slug
                for form in normalize.slug_forms(r.linkedin_slug)
            },
            "phone": {e164 for r in records for e164, _ in r.phones},
            "domain": domains,
        },
    )
    if not found:
        return [False] * len(records)
    return [_is_suppressed(record, found) for record in records]


def name_at_company(company_id: str, name_key: str) -> str:
    """The suppression key of a person known by name at a company: what stops a row with
    neither email, phone nor LinkedIn profile from bringing an opted-out person back.

    The name is cut to fit the list's 320 characters beside a company id (no name is that
    long; PostgreSQL would refuse the opt-out whole for one over).
    """
    return f"{company_id}:{name_key[:_NAME_IN_KEY]}"


_NAME_IN_KEY = 280


async def _suppressed_at_companies(
    session: AsyncSession, records: Sequence[PersonRecord], companies: _CompanyBatch
) -> list[bool]:
    """Which people the company they name keeps out: its domain is on the list (the row
    named the company by its name only), or an opted-out person of that name there.

    Asked of the companies the catalog (or bulk load) has, before a refused row may
    create one or give one its LinkedIn page: a company the batch would create has
    nothing on the list.
    """
    company_ids = [_known_company(companies, record.company) for record in records]
    placed = [
        (record, company_id)
        for record, company_id in zip(records, company_ids, strict=True)
        if company_id is not None
    ]
    if not placed:
        return [False] * len(records)
    found = await suppressed_keys(
        session,
        {
            "domain": {d for _, c in placed if (d := companies.keys.domain_of.get(c))},
            "name_at_company": {name_at_company(c, r.name_key) for r, c in placed},
        },
    )
    return [
        company_id is not None
        and (
            ("domain", companies.keys.domain_of.get(company_id)) in found
            or ("name_at_company", name_at_company(company_id, record.name_key)) in found
        )
        for record, company_id in zip(records, company_ids, strict=True)
    ]


async def _any_suppressed(session: AsyncSession) -> bool:
    """Whether the list holds anything: usually not, and then no key needs a look."""
    found = await session.execute(sa.select(sa.exists().select_from(SUPPRESSIONS)))
    return bool(found.scalar_one())


def _is_suppressed(record: PersonRecord, found: set[tuple[str, str]]) -> bool:
    for address, _, _ in record.emails:
        if ("email", address) in found or ("domain", _email_domain(address)) in found:
            return True
    if record.linkedin_slug and any(
        ("linkedin", form) in found for form in normalize.slug_forms(record.linkedin_slug)
    ):
        return True
    if any(("phone", e164) in found for e164, _ in record.phones):
        return True
    return bool(record.company and ("domain", record.company.domain) in found)


def _email_domain(address: str) -> str | None:
    return _host_domain(address.rpartition("@")[2])


@functools.lru_cache(maxsize=65_536)
def _host_domain(host: str) -> str | None:
    return normalize.domain(host)


# Companies --------------------------------------------------------------------------------

# Columns a merge fills or overwrites (see Merge).
_COMPANY_MERGED = (
    "domain",
    "website",
    "linkedin_slug",
    "industry",
    "headcount_range",
    "headcount_min",
    "headcount_max",
    "city",
    "region",
    "country",
    "founded",
    "description",
)
_COMPANY_GROUPS = (
    ("headcount_range", "headcount_min", "headcount_max"),
    ("city", "region", "country"),
)
_COMPANY_MERGES = merges(
    COMPANIES,
    _COMPANY_MERGED,
    groups=_COMPANY_GROUPS,
    keys=("domain", "linkedin_slug"),
    overwritten_groups=(("name", "name_key"),),
)


@dataclass(slots=True)
class _CompanyBatch:
    """Companies a batch refers to: found in the catalog or created by the batch."""

    keys: match.CompanyKeys
    source: str
    synthetic: bool
    now: dt.datetime
    merging: Merge
    new: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Merges into catalog companies: one parameter set per merged record.
    updates: list[dict[str, Any]] = field(default_factory=list)

    def find(self, ref: CompanyRef) -> tuple[str, str] | None:
        """The company a reference names, and by which key."""
        keys = self.keys
        if ref.domain and ref.domain in keys.by_domain:
            return keys.by_domain[ref.domain], "domain"
        if ref.linkedin_slug and ref.linkedin_slug in keys.by_slug:
            return keys.by_slug[ref.linkedin_slug], "linkedin"
        for company_id in keys.by_name.get(ref.name_key, ()):
            # A name alone never joins two companies that have different domains.
            if ref.domain is None or keys.domain_of.get(company_id) is None:
                return company_id, "name"
        return None

    def claim(self, company_id: str, ref: CompanyRef) -> tuple[str | None, str | None]:
        """The domain and slug this company may take from ``ref`` (unowned ones only)."""
        domain = ref.domain if ref.domain and ref.domain not in self.keys.by_domain else None
        slug = (
            ref.linkedin_slug
            if ref.linkedin_slug and ref.linkedin_slug not in self.keys.by_slug
            else None
        )
        if self.keys.domain_of.get(company_id) is not None:
            domain = None
        self.keys.attach(company_id, domain=domain, slug=slug)
        return domain, slug

    def create(self, values: dict[str, Any]) -> str:
        company_id = new_id("com")
        row: dict[str, Any] = dict.fromkeys(_COMPANY_COLUMNS)
        row.update(values)
        row.update(
            id=company_id,
            source=self.source,
            synthetic=self.synthetic,
            created_at=self.now,
            updated_at=self.now,
        )
        self.new[company_id] = row
        self.keys.add(
            company_id, domain=row["domain"], slug=row["linkedin_slug"], name_key=row["name_key"]
        )
        return company_id

    def merge_into(self, company_id: str, values: Mapping[str, Any]) -> None:
        """Merge a record's ``values`` into a company of the catalog or of this batch."""
        created = self.new.get(company_id)
        if created is not None:
            self.merging.apply(created, values)
        else:
            self.updates.append(self.merging.params(company_id, values, self.now))

    def writes(self, dialect: Dialect, *, search_indexed: bool = True) -> list[Write]:
        return [
            *writes.insert(
                dialect, COMPANIES, list(self.new.values()), search_indexed=search_indexed
            ),
            *writes.update(dialect, self.merging.statement, self.updates),
        ]

    def written(self) -> None:
        """The batch's rows are in the catalog: keep only their keys."""
        self.new.clear()
        self.updates.clear()


async def _companies(
    session: AsyncSession,
    refs: Iterable[CompanyRef],
    *,
    carried: Carried | None,
    source: str,
    synthetic: bool,
    now: dt.datetime,
    on_match: OnMatch = "fill",
) -> _CompanyBatch:
    """The companies a batch names: looked up in the catalog, or carried by a bulk load.

    ``on_match`` is how a company's own records merge (:class:`Merge`). A company that a
    person or an opening names takes from it a domain or LinkedIn page it lacks, no more.
    """
    merge = _COMPANY_MERGES[on_match]
    if carried is not None:
        return await carried.company_batch(
            session, source=source, synthetic=synthetic, now=now, merge=merge
        )
    return await _company_batch(
        session, refs, source=source, synthetic=synthetic, now=now, merge=merge
    )


async def _company_batch(
    session: AsyncSession,
    refs: Iterable[CompanyRef],
    *,
    source: str,
    synthetic: bool,
    now: dt.datetime,
    merge: Merge,
) -> _CompanyBatch:
    refs = list(refs)
    keys = await match.company_keys(
        session,
        domains={ref.domain for ref in refs if ref.domain},
        slugs={ref.linkedin_slug for ref in refs if ref.linkedin_slug},
        name_keys={ref.name_key for ref in refs},
    )
    return _CompanyBatch(keys=keys, source=source, synthetic=synthetic, now=now, merging=merge)


def _suppressed_too(
    suppressed: list[bool], live: list[PersonRecord], hidden: Sequence[bool]
) -> tuple[list[bool], list[PersonRecord]]:
    """``suppressed`` (a flag per record) and ``live`` (the records it does not flag) once
    the live records ``hidden`` flags are suppressed as well."""
    if not any(hidden):
        return suppressed, live
    flags = iter(hidden)
    suppressed = [True if flagged else next(flags) for flagged in suppressed]
    return suppressed, [record for record, out in zip(live, hidden, strict=True) if not out]


def _known_company(batch: _CompanyBatch, ref: CompanyRef | None) -> str | None:
    found = batch.find(ref) if ref is not None else None
    return found[0] if found is not None else None


def _resolve_ref(batch: _CompanyBatch, ref: CompanyRef) -> str:
    """The id of the company ``ref`` names, created when the catalog has none."""
    found = batch.find(ref)
    if found is None:
        return batch.create(
            {
                "name": ref.name,
                "name_key": ref.name_key,
                "domain": ref.domain,
                "linkedin_slug": ref.linkedin_slug,
            }
        )
    company_id = found[0]
    domain, slug = batch.claim(company_id, ref)
    if domain or slug:
        batch.merge_into(company_id, {"domain": domain, "linkedin_slug": slug})
    return company_id


async def upsert_companies(
    session: AsyncSession,
    records: Sequence[CompanyRecord],
    *,
    source: str,
    synthetic: bool = False,
    on_match: OnMatch = "fill",
) -> list[RowOutcome]:
    """Create or merge companies (matched by domain, LinkedIn page, then cleaned name)."""
    return await _run(
        session,
        await plan_companies(
            session, records, source=source, synthetic=synthetic, on_match=on_match
        ),
    )


async def plan_companies(
    session: AsyncSession,
    records: Sequence[CompanyRecord],
    *,
    source: str,
    synthetic: bool = False,
    carried: Carried | None = None,
    on_match: OnMatch = "fill",
) -> Planned:
    """:func:`upsert_companies`, its writes returned rather than run."""
    batch = await _companies(
        session,
        (record.ref for record in records),
        carried=carried,
        source=source,
        synthetic=synthetic,
        now=utcnow(),
        on_match=on_match,
    )
    outcomes: list[RowOutcome] = []
    for record in records:
        values = {name: getattr(record, name) for name in ("name", "name_key", *_COMPANY_MERGED)}
        found = batch.find(record.ref)
        if found is None:
            outcomes.append(RowOutcome(status="created", id=batch.create(values)))
            continue
        company_id, how = found
        values["domain"], values["linkedin_slug"] = batch.claim(company_id, record.ref)
        batch.merge_into(company_id, values)
        if on_match == "overwrite":
            batch.keys.rename(company_id, record.name_key)
        outcomes.append(RowOutcome(status="merged", id=company_id, matched_by=how))
    planned = Planned(outcomes, batch.writes(_dialect(session), search_indexed=carried is None))
    if carried is not None:
        batch.written()
    return planned


# People ---------------------------------------------------------------------------------

_PERSON_MERGED = (
    "first_name",
    "last_name",
    "title",
    "seniority",
    "department",
    "company_id",
    "linkedin_slug",
    "city",
    "region",
    "country",
)
_PERSON_MERGES = merges(
    PEOPLE,
    _PERSON_MERGED,
    groups=(("title", "seniority", "department"), ("city", "region", "country")),
    keys=("linkedin_slug",),
    overwritten_groups=(("first_name", "last_name", "full_name", "name_key"),),
)


@dataclass(slots=True)
class _PeopleBatch:
    """One batch's resolution state: the catalog's keys and what the batch itself made."""

    source: str
    synthetic: bool
    now: dt.datetime
    merging: Merge
    owners: match.KeyOwners
    # source_record_id -> the person it was imported as and their name key, from
    # person_sources (this source) and from this batch.
    records: dict[str, tuple[str, str]]
    emails: dict[str, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    phones: dict[str, dict[str, match.PhoneHolder]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    # company id -> the people this batch created there, with their addresses.
    staff: dict[str, match.Roster] = field(default_factory=dict)
    new: dict[str, dict[str, Any]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    # Overwrites move people after their batch was written: where each person of the
    # in-memory rosters works (overwrite only), and the catalog people this batch moved,
    # whose entries in the catalog's roster (read before the batch) are out of date.
    placed: dict[str, str] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)
    email_rows: list[dict[str, Any]] = field(default_factory=list)
    phone_rows: list[dict[str, Any]] = field(default_factory=list)
    source_rows: list[dict[str, Any]] = field(default_factory=list)
    has_phone: set[tuple[str, str]] = field(default_factory=set)

    def catalog_match(self, record: PersonRecord) -> tuple[str, str] | None:
        """An exact key the catalog already holds: record id, email, LinkedIn, unique phone."""
        owners = self.owners
        if (person_id := self.record_match(record)) and person_id not in self.new:
            return person_id, "record_id"
        for address, _, _ in record.emails:
            if address in owners.emails:
                return owners.emails[address], "email"
        if record.linkedin_slug and record.linkedin_slug in owners.slugs:
            return owners.slugs[record.linkedin_slug], "linkedin"
        for e164, _ in record.phones:
            if e164 in owners.phones:
                holder = match.phone_holder(
                    owners.phones[e164], record.name_key, linkedin_slug=record.linkedin_slug
                )
                if holder is not None:
                    return holder, "phone"
        return None

    def record_match(self, record: PersonRecord) -> str | None:
        """The person this source's record id was imported as, while the record is still
        them: by their name, or by an email, LinkedIn profile or phone of theirs.

        A source's ids get reused by strangers: two exports both named contacts.csv,
        callers of the admin API sharing its default source. Trusting the id alone merged
        one person into another.
        """
        known = self.records.get(record.source_record_id)
        if known is None:
            return None
        person_id, name_key = known
        if match.name_score(record.name_key, name_key) > 0 or self._holds_a_key_of(
            person_id, record
        ):
            return person_id
        return None

    def _holds_a_key_of(self, person_id: str, record: PersonRecord) -> bool:
        owners = self.owners
        for address, _, _ in record.emails:
            if person_id in (owners.emails.get(address), self.emails.get(address)):
                return True
        slug = record.linkedin_slug
        if slug and person_id in (owners.slugs.get(slug), self.slugs.get(slug)):
            return True
        return any(
            person_id in owners.phones.get(e164, ()) or person_id in self.phones.get(e164, ())
            for e164, _ in record.phones
        )

    def batch_match(self, record: PersonRecord) -> tuple[str, str] | None:
        """An earlier record of this batch that is the same person by an exact key."""
        if (person_id := self.record_match(record)) and person_id in self.new:
            return person_id, "record_id"
        for address, _, _ in record.emails:
            if address in self.emails:
                return self.emails[address], "email"
        if record.linkedin_slug and record.linkedin_slug in self.slugs:
            return self.slugs[record.linkedin_slug], "linkedin"
        for e164, _ in record.phones:
            if e164 in self.phones and e164 not in self.owners.phones:
                holder = match.phone_holder(
                    self.phones[e164], record.name_key, linkedin_slug=record.linkedin_slug
                )
                if holder is not None:
                    return holder, "phone"
        return None

    def name_match(
        self, record: PersonRecord, company_id: str | None, catalog: match.Contenders | None
    ) -> tuple[str, str] | None:
        """The person of the company this record names, among the people this batch (or
        bulk load) created there and ``catalog``'s contenders from the catalog's roster:
        a namesake in either is a rival."""
        if company_id is None:
            return None
        emails = [address for address, _, _ in record.emails]
        found = match.contenders_in(
            record.name_key,
            self.staff.get(company_id, match.NOBODY),
            linkedin_slug=record.linkedin_slug,
            emails=emails,
        )
        if catalog is not None:
            # The people this batch moved are on its own rosters, where they are now.
            current = catalog.without(self.moved) if self.moved else catalog
            found = match.together(
                found, current, linkedin_slug=record.linkedin_slug, emails=emails
            )
        best = match.decide(found, match.title_key(record.title))
        return (best[0], "name_company") if best is not None else None

    def create(self, record: PersonRecord, company_id: str | None) -> str:
        person_id = new_id("per")
        self.new[person_id] = {
            "id": person_id,
            "first_name": record.first_name,
            "last_name": record.last_name,
            "full_name": record.full_name,
            "name_key": record.name_key,
            "title": record.title,
            "seniority": record.seniority,
            "department": record.department,
            "company_id": company_id,
            "linkedin_slug": self.claim_slug(record.linkedin_slug, person_id),
            "city": record.city,
            "region": record.region,
            "country": record.country,
            "source": self.source,
            "synthetic": self.synthetic,
            "created_at": self.now,
            "updated_at": self.now,
            "verified_at": None,
        }
        if company_id is not None:
            self._roster(company_id).add(
                person_id,
                record.name_key,
                record.linkedin_slug,
                frozenset(address for address, _, _ in record.emails),
                record.title,
            )
            if self.merging.overwrite:
                self.placed[person_id] = company_id
        return person_id

    def _roster(self, company_id: str) -> match.Roster:
        roster = self.staff.get(company_id)
        if roster is None:
            roster = self.staff[company_id] = match.Roster.in_memory()
        return roster

    def merge(
        self, person_id: str, record: PersonRecord, company_id: str | None, matched_by: str
    ) -> None:
        # Matched by name, the record's name is a spelling of theirs ("Jon" for "John"),
        # perhaps a typo: an overwrite changes a name only when an exact key matched.
        renames = not self.merging.overwrite or matched_by != "name_company"
        values = {
            "first_name": record.first_name if renames else None,
            "last_name": record.last_name if renames else None,
            "full_name": record.full_name if renames else None,
            "name_key": record.name_key if renames else None,
            "title": record.title,
            "seniority": record.seniority,
            "department": record.department,
            "company_id": company_id,
            "linkedin_slug": self.claim_slug(record.linkedin_slug, person_id),
            "city": record.city,
            "region": record.region,
            "country": record.country,
        }
        created = self.new.get(person_id)
        if created is not None:
            before = (created["company_id"], created["name_key"], created["title"])
            self.merging.apply(created, values)
            if (created["company_id"], created["name_key"], created["title"]) != before:
                self._restaff(
                    person_id,
                    record,
                    was_at=before[0],
                    now_at=created["company_id"],
                    name_key=created["name_key"],
                    title=created["title"],
                )
            return
        self.updates.append(self.merging.params(person_id, values, self.now))
        if self.merging.overwrite and company_id is not None:
            # Where the record says they work now: later rows find them there, by the name
            # it gives, and no longer where they were.
            self._restaff(
                person_id,
                record,
                was_at=self.placed.get(person_id),
                now_at=company_id,
                name_key=record.name_key,
                title=record.title,
            )
            self.moved.add(person_id)

    def _restaff(
        self,
        person_id: str,
        record: PersonRecord,
        *,
        was_at: str | None,
        now_at: str | None,
        name_key: str,
        title: str | None,
    ) -> None:
        """Put a person where a merge left them on the in-memory rosters (their entry
        decides later name matches, and ties by title), keeping the LinkedIn profile and
        addresses the entry had; a person newly placed takes the record's."""
        entry = None
        if was_at is not None and (roster := self.staff.get(was_at)) is not None:
            entry = roster.take(person_id)
        if self.merging.overwrite and now_at is not None:
            self.placed[person_id] = now_at
        if now_at is None:
            return
        if entry is None:
            slug = record.linkedin_slug
            emails = frozenset(address for address, _, _ in record.emails)
        else:
            slug, emails = entry.linkedin_slug, entry.emails or frozenset()
            title = title if title is not None else entry.title
        self._roster(now_at).add(person_id, name_key, slug, emails, title)

    def claim_slug(self, slug: str | None, person_id: str) -> str | None:
        if slug is None or slug in self.owners.slugs or slug in self.slugs:
            return None
        self.slugs[slug] = person_id
        return slug

    def attach_keys(self, person_id: str, record: PersonRecord, matched_by: str) -> None:
        """Add the record's emails and phones that nobody holds yet, and its provenance."""
        for address, kind, status in record.emails:
            if address in self.owners.emails or address in self.emails:
                continue
            self.emails[address] = person_id
            self.email_rows.append(
                {
                    "email": address,
                    "person_id": person_id,
                    "status": status,
                    "kind": kind,
                    "verified_at": None,
                }
            )
        for e164, kind in record.phones:
            if (person_id, e164) in self.has_phone or person_id in self.owners.phones.get(e164, ()):
                continue
            self.has_phone.add((person_id, e164))
            self.phones[e164][person_id] = match.PhoneHolder(record.name_key, record.linkedin_slug)
            self.phone_rows.append({"person_id": person_id, "e164": e164, "kind": kind})
        self.records.setdefault(record.source_record_id, (person_id, record.name_key))
        self.source_rows.append(
            {
                "person_id": person_id,
                "source": self.source,
                "source_record_id": record.source_record_id,
                "matched_by": matched_by,
                "imported_at": self.now,
            }
        )

    def writes(self, dialect: Dialect, *, search_indexed: bool = True) -> list[Write]:
        return [
            *writes.insert(dialect, PEOPLE, list(self.new.values()), search_indexed=search_indexed),
            *writes.update(dialect, self.merging.statement, self.updates),
            *writes.insert(dialect, EMAILS, self.email_rows, ignore_conflicts=True),
            *writes.insert(dialect, PHONES, self.phone_rows, ignore_conflicts=True),
            *writes.insert(dialect, SOURCES, self.source_rows, ignore_conflicts=True),
        ]

    def written(self) -> None:
        """The batch's rows are in the catalog: keep only what later batches match by."""
        self.new.clear()
        self.updates.clear()
        self.email_rows.clear()
        self.phone_rows.clear()
        self.source_rows.clear()


async def upsert_people(
    session: AsyncSession,
    records: Sequence[PersonRecord],
    *,
    source: str,
    synthetic: bool = False,
    on_match: OnMatch = "fill",
) -> list[RowOutcome]:
    """Create or merge people, in order; one outcome per record.

    A record joins a catalog person by an exact key (this source's record id, an email,
    the LinkedIn slug, a phone only one person has) or by name within the same company,
    else an earlier record of the batch the same way, else it becomes a new person.
    """
    return await _run(
        session,
        await plan_people(session, records, source=source, synthetic=synthetic, on_match=on_match),
    )


async def plan_people(
    session: AsyncSession,
    records: Sequence[PersonRecord],
    *,
    source: str,
    synthetic: bool = False,
    carried: Carried | None = None,
    on_match: OnMatch = "fill",
) -> Planned:
    """:func:`upsert_people`, its writes returned rather than run."""
    now = utcnow()
    # Usually the list is empty, and then no key needs a look.
    listed = await _any_suppressed(session)
    suppressed = await _suppressed_people(session, records) if listed else [False] * len(records)
    live = [record for record, hidden in zip(records, suppressed, strict=True) if not hidden]
    companies = await _companies(
        session,
        (record.company for record in live if record.company is not None),
        carried=carried,
        source=source,
        synthetic=synthetic,
        now=now,
    )
    if listed:
        at_company = await _suppressed_at_companies(session, live, companies)
        suppressed, live = _suppressed_too(suppressed, live, at_company)
    company_ids = [
        _resolve_ref(companies, record.company) if record.company is not None else None
        for record in live
    ]
    if carried is None:
        batch = _PeopleBatch(
            source=source,
            synthetic=synthetic,
            now=now,
            merging=_PERSON_MERGES[on_match],
            owners=await match.key_owners(
                session,
                emails={address for record in live for address, _, _ in record.emails},
                slugs={record.linkedin_slug for record in live if record.linkedin_slug},
                phones={e164 for record in live for e164, _ in record.phones},
            ),
            records=await _source_records(
                session, source=source, record_ids={record.source_record_id for record in live}
            ),
        )
    else:
        batch = carried.people or _PeopleBatch(
            source=source,
            synthetic=synthetic,
            now=now,
            merging=_PERSON_MERGES[on_match],
            owners=match.KeyOwners(),
            records={},
        )
        carried.people = batch
        batch.now = now
    exact = [batch.catalog_match(record) for record in live]
    if carried is None:
        fuzzy = await _fuzzy_candidates(session, live, company_ids, exact, created=companies.new)
    else:
        # The catalog had nobody when the load began: batch_match knows everyone since.
        fuzzy = [None] * len(live)
    resolved = iter(zip(live, company_ids, exact, fuzzy, strict=True))
    outcomes: list[RowOutcome] = []
    for hidden in suppressed:
        if hidden:
            outcomes.append(RowOutcome(status="suppressed"))
            continue
        record, company_id, found, similar = next(resolved)
        found = found or batch.batch_match(record) or batch.name_match(record, company_id, similar)
        if found is None:
            person_id = batch.create(record, company_id)
            batch.attach_keys(person_id, record, "created")
            outcomes.append(RowOutcome(status="created", id=person_id))
            continue
        person_id, how = found
        batch.merge(person_id, record, company_id, how)
        batch.attach_keys(person_id, record, how)
        outcomes.append(RowOutcome(status="merged", id=person_id, matched_by=how))
    dialect = _dialect(session)
    planned = Planned(
        outcomes,
        [*companies.writes(dialect), *batch.writes(dialect, search_indexed=carried is None)],
    )
    if carried is not None:
        companies.written()
        batch.written()
    return planned


async def _source_records(
    session: AsyncSession, *, source: str, record_ids: Iterable[str]
) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for chunk in chunks(record_ids):
        rows = await session.execute(
            sa.select(SOURCES.c.source_record_id, SOURCES.c.person_id, PEOPLE.c.name_key)
            .join(PEOPLE, PEOPLE.c.id == SOURCES.c.person_id)
            .where(SOURCES.c.source == source, among(session, SOURCES.c.source_record_id, chunk))
        )
        found.update((record_id, (person_id, name_key)) for record_id, person_id, name_key in rows)
    return found


async def _fuzzy_candidates(
    session: AsyncSession,
    records: Sequence[PersonRecord],
    company_ids: Sequence[str | None],
    exact: Sequence[tuple[str, str] | None],
    *,
    created: Collection[str],
) -> list[match.Contenders | None]:
    """For each inexact record with a company, the catalog people of that company whose
    names come close (_PeopleBatch.name_match decides, with the batch's own people).

    Companies the batch ``created`` have nobody in the catalog yet.
    """
    wanted = [
        (index, company_id)
        for index, company_id in enumerate(company_ids)
        if company_id is not None and exact[index] is None
    ]
    found: list[match.Contenders | None] = [None] * len(records)
    if not wanted:
        return found
    staff = await match.people_by_company(
        session, {company_id for _, company_id in wanted if company_id not in created}
    )
    contenders = await match.catalog_contenders(
        session,
        [
            match.NameQuery(
                key=records[index].name_key,
                roster=staff.get(company_id, match.NOBODY),
                linkedin_slug=records[index].linkedin_slug,
                emails=[address for address, _, _ in records[index].emails],
                title=match.title_key(records[index].title),
            )
            for index, company_id in wanted
        ],
    )
    for (index, _), group in zip(wanted, contenders, strict=True):
        found[index] = group
    return found


# Openings -------------------------------------------------------------------------------

_OPENING_MERGED = (
    "seniority",
    "department",
    "city",
    "region",
    "country",
    "posted_at",
    "url",
    "linkedin_job_id",
)
_OPENING_MERGES = merges(
    OPENINGS,
    _OPENING_MERGED,
    groups=(("city", "region", "country"),),
    keys=("url", "linkedin_job_id"),
    # A fill keeps the title an opening was created with, and fills its facets one by one.
    overwritten_groups=(("title", "seniority", "department"),),
)


async def upsert_openings(
    session: AsyncSession,
    records: Sequence[OpeningRecord],
    *,
    source: str,
    synthetic: bool = False,
    on_match: OnMatch = "fill",
) -> list[RowOutcome]:
    """Create or merge job openings: one per LinkedIn job id, URL, or company+title+date.

    A company the catalog lacks is created from what the row says of it.
    """
    return await _run(
        session,
        await plan_openings(
            session, records, source=source, synthetic=synthetic, on_match=on_match
        ),
    )


async def plan_openings(
    session: AsyncSession,
    records: Sequence[OpeningRecord],
    *,
    source: str,
    synthetic: bool = False,
    carried: Carried | None = None,
    on_match: OnMatch = "fill",
) -> Planned:
    """:func:`upsert_openings`, its writes returned rather than run."""
    now = utcnow()
    companies = await _companies(
        session,
        (record.company for record in records),
        carried=carried,
        source=source,
        synthetic=synthetic,
        now=now,
    )
    company_ids = [_resolve_ref(companies, record.company) for record in records]
    if carried is None:
        known = await _known_openings(session, records, company_ids)
    else:
        known = carried.openings = carried.openings or _KnownOpenings()
    merge = _OPENING_MERGES[on_match]
    new: dict[str, dict[str, Any]] = {}
    updates: list[dict[str, Any]] = []
    outcomes: list[RowOutcome] = []
    for record, company_id in zip(records, company_ids, strict=True):
        found = known.find(record, company_id)
        values = {name: getattr(record, name) for name in ("title", *_OPENING_MERGED)}
        values["url"] = record.url if record.url not in known.by_url else None
        values["linkedin_job_id"] = (
            record.linkedin_job_id if record.linkedin_job_id not in known.by_job else None
        )
        if found is None:
            opening_id = new_id("opn")
            row: dict[str, Any] = dict.fromkeys(_OPENING_COLUMNS)
            row.update(values)
            row.update(
                id=opening_id,
                company_id=company_id,
                source=source,
                synthetic=synthetic,
                created_at=now,
                updated_at=now,
            )
            new[opening_id] = row
            known.add(opening_id, row)
            outcomes.append(RowOutcome(status="created", id=opening_id))
            continue
        opening_id, how = found
        if opening_id in new:
            merge.apply(new[opening_id], values)
        else:
            updates.append(merge.params(opening_id, values, now))
        known.add(opening_id, {**values, "company_id": company_id})
        outcomes.append(RowOutcome(status="merged", id=opening_id, matched_by=how))
    dialect = _dialect(session)
    planned = Planned(
        outcomes,
        [
            *companies.writes(dialect),
            *writes.insert(dialect, OPENINGS, list(new.values()), search_indexed=carried is None),
            *writes.update(dialect, merge.statement, updates),
        ],
    )
    if carried is not None:
        companies.written()
    return planned


@dataclass(slots=True)
class _KnownOpenings:
    by_job: dict[str, str] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)
    by_posting: dict[tuple[str, str, Any], str] = field(default_factory=dict)

    def find(self, record: OpeningRecord, company_id: str) -> tuple[str, str] | None:
        if record.linkedin_job_id and record.linkedin_job_id in self.by_job:
            return self.by_job[record.linkedin_job_id], "linkedin_job"
        if record.url and record.url in self.by_url:
            return self.by_url[record.url], "url"
        posting = (company_id, record.title.casefold(), record.posted_at)
        if posting in self.by_posting:
            return self.by_posting[posting], "title"
        return None

    def add(self, opening_id: str, row: Mapping[str, Any]) -> None:
        if row.get("linkedin_job_id"):
            self.by_job.setdefault(row["linkedin_job_id"], opening_id)
        if row.get("url"):
            self.by_url.setdefault(row["url"], opening_id)
        posting = (row["company_id"], row["title"].casefold(), row.get("posted_at"))
        self.by_posting.setdefault(posting, opening_id)


async def _known_openings(
    session: AsyncSession, records: Sequence[OpeningRecord], company_ids: Sequence[str]
) -> _KnownOpenings:
    known = _KnownOpenings()
    columns = (
        OPENINGS.c.id,
        OPENINGS.c.company_id,
        OPENINGS.c.title,
        OPENINGS.c.posted_at,
        OPENINGS.c.url,
        OPENINGS.c.linkedin_job_id,
    )
    lookups = (
        (OPENINGS.c.linkedin_job_id, {r.linkedin_job_id for r in records if r.linkedin_job_id}),
        (OPENINGS.c.url, {r.url for r in records if r.url}),
        (OPENINGS.c.company_id, set(company_ids)),
    )
    for column, values in lookups:
        for chunk in chunks(values):
            rows = await session.execute(sa.select(*columns).where(among(session, column, chunk)))
            for row in rows.mappings():
                known.add(row["id"], dict(row))
    return known


# Bulk loads -----------------------------------------------------------------------------


@dataclass(slots=True)
class Carried:
    """What a bulk load carries from batch to batch: the keys of everything it created,
    and of every company in the catalog.

    The plans hold their state here in place of building it from catalog lookups each
    batch; a batch's rows leave it once planned, their keys stay. So a batch never reads
    what earlier batches wrote, and can be planned while they are still being written
    (``write_behind``).
    """

    people: _PeopleBatch | None = None
    companies: _CompanyBatch | None = None
    openings: _KnownOpenings | None = None

    async def company_batch(
        self,
        session: AsyncSession,
        *,
        source: str,
        synthetic: bool,
        now: dt.datetime,
        merge: Merge,
    ) -> _CompanyBatch:
        """The companies' keys: every company's, read once, then kept up to date."""
        if self.companies is None:
            self.companies = _CompanyBatch(
                keys=await match.all_company_keys(session),
                source=source,
                synthetic=synthetic,
                now=now,
                merging=merge,
            )
        self.companies.now = now
        return self.companies


class Planned(NamedTuple):
    """A batch resolved: one outcome per record, and the writes that make it so."""

    outcomes: list[RowOutcome]
    writes: list[Write]


async def _run(session: AsyncSession, planned: Planned) -> list[RowOutcome]:
    await writes.run(await session.connection(), planned.writes)
    return planned.outcomes


def _dialect(session: AsyncSession) -> Dialect:
    return session.get_bind().dialect


# Helpers --------------------------------------------------------------------------------


def chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


UPSERTS: dict[Kind, Callable[..., Awaitable[list[RowOutcome]]]] = {
    "people": upsert_people,
    "companies": upsert_companies,
    "openings": upsert_openings,
}
PLANS: dict[Kind, Callable[..., Awaitable[Planned]]] = {
    "people": plan_people,
    "companies": plan_companies,
    "openings": plan_openings,
}
