"""Suppression: opt-outs are deleted from the catalog and never imported again.

A suppressed key (email, LinkedIn profile, phone, or a whole email/company domain)
deletes the people it identifies; their other keys join the list too, so the same person
does not come back through another of them:

- their emails and LinkedIn profile;
- their phones that no one else in the catalog has (a shared switchboard number would
  keep every colleague out);
- their name at their company (``name_at_company``), for a row that names them with
  neither email, phone nor LinkedIn profile. A namesake at the same company is kept out
  too: the price of keeping an opt-out out.

An import also refuses a person whose company, found by name, has a suppressed domain.
"""

from __future__ import annotations

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import normalize
from leadbase.server.catalog.match import among
from leadbase.server.catalog.models import COMPANIES, EMAILS, PEOPLE, PHONES, SUPPRESSIONS
from leadbase.server.catalog.upsert import SuppressionKind, chunks, name_at_company
from leadbase.server.catalog.writes import insert_ignoring_conflicts
from leadbase.server.db import utcnow
from leadbase.server.errors import AtLeastOneRequired, InvalidLinkedinUrl, InvalidParameter


class SuppressedKey(msgspec.Struct, frozen=True):
    kind: SuppressionKind
    value: str


class SuppressionResult(msgspec.Struct, kw_only=True):
    # Every key now on the list: the ones asked for and the other keys of the people
    # deleted (module docstring), so that they are not imported again by another key.
    keys: list[SuppressedKey]
    deleted_people: int


async def suppress(
    session: AsyncSession,
    *,
    email: str | None = None,
    linkedin_url: str | None = None,
    phone: str | None = None,
    domain: str | None = None,
    reason: str | None = None,
) -> SuppressionResult:
    """Delete the people these keys identify and keep the keys out of every future import."""
    asked = suppression_keys(email=email, linkedin_url=linkedin_url, phone=phone, domain=domain)
    person_ids: set[str] = set()
    for key in asked:
        person_ids |= await _people_with(session, key)
    keys = list(asked)
    for key in await _identity_keys(session, person_ids):
        if key not in keys:
            keys.append(key)
    for chunk in chunks(person_ids):
        await session.execute(sa.delete(PEOPLE).where(among(session, PEOPLE.c.id, chunk)))
    now = utcnow()
    await insert_ignoring_conflicts(
        session,
        SUPPRESSIONS,
        [{"kind": k.kind, "value": k.value, "reason": reason, "created_at": now} for k in keys],
    )
    return SuppressionResult(keys=keys, deleted_people=len(person_ids))


def suppression_keys(
    *,
    email: str | None = None,
    linkedin_url: str | None = None,
    phone: str | None = None,
    domain: str | None = None,
) -> list[SuppressedKey]:
    """The normalized keys, or one error naming every unusable one."""
    keys: list[SuppressedKey] = []
    errors: dict[str, str] = {}
    if email is not None:
        if (address := normalize.email(email)) is None:
            errors["email"] = "not a valid email address"
        else:
            keys.append(SuppressedKey(kind="email", value=address))
    if linkedin_url is not None:
        slug = _suppressed_slug(linkedin_url, errors)
        if slug is not None:
            keys.append(SuppressedKey(kind="linkedin", value=slug))
    if phone is not None:
        if (e164 := normalize.phone(phone)) is None:
            errors["phone"] = (
                "not a valid phone number in international format (+<country code> ...)"
            )
        else:
            keys.append(SuppressedKey(kind="phone", value=e164))
    if domain is not None:
        if (registrable := normalize.domain(domain)) is None:
            errors["domain"] = "not a domain name or website"
        else:
            keys.append(SuppressedKey(kind="domain", value=registrable))
    if errors:
        # A bad LinkedIn URL has its own code (400 invalid_linkedin_url), as everywhere.
        if "linkedin_url" in errors:
            raise InvalidLinkedinUrl.of_fields(errors, param="linkedin_url")
        raise InvalidParameter.of_fields(errors)
    if not keys:
        raise AtLeastOneRequired(
            "Give at least one of email, linkedin_url, phone or domain to suppress.",
            details={name: "one of these is required" for name in _SUPPRESSION_FIELDS},
        )
    return keys


_SUPPRESSION_FIELDS = ("email", "linkedin_url", "phone", "domain")


def _suppressed_slug(raw: str, errors: dict[str, str]) -> str | None:
    try:
        return normalize.linkedin(raw, expect="person", param="linkedin_url").slug
    except InvalidLinkedinUrl as error:
        errors.update(error.details or {"linkedin_url": error.message})
        return None


async def _people_with(session: AsyncSession, key: SuppressedKey) -> set[str]:
    statements: list[sa.Select[tuple[str]]] = []
    if key.kind == "email":
        statements.append(sa.select(EMAILS.c.person_id).where(EMAILS.c.email == key.value))
    elif key.kind == "linkedin":
        forms = normalize.slug_forms(key.value)
        statements.append(sa.select(PEOPLE.c.id).where(PEOPLE.c.linkedin_slug.in_(forms)))
    elif key.kind == "phone":
        statements.append(sa.select(PHONES.c.person_id).where(PHONES.c.e164 == key.value))
    else:
        statements.append(
            sa.select(EMAILS.c.person_id).where(
                EMAILS.c.email.like(f"%@{key.value}") | EMAILS.c.email.like(f"%.{key.value}")
            )
        )
        statements.append(
            sa.select(PEOPLE.c.id).where(
                PEOPLE.c.company_id.in_(
                    sa.select(COMPANIES.c.id).where(COMPANIES.c.domain == key.value)
                )
            )
        )
    found: set[str] = set()
    for statement in statements:
        found.update(str(person_id) for person_id in (await session.execute(statement)).scalars())
    return found


async def _identity_keys(session: AsyncSession, person_ids: set[str]) -> list[SuppressedKey]:
    keys: list[SuppressedKey] = []
    for chunk in chunks(person_ids):
        emails = await session.execute(
            sa.select(EMAILS.c.email)
            .where(among(session, EMAILS.c.person_id, chunk))
            .order_by(EMAILS.c.email)
        )
        keys.extend(SuppressedKey(kind="email", value=value) for value in emails.scalars())
        slugs = await session.execute(
            sa.select(PEOPLE.c.linkedin_slug)
            .where(among(session, PEOPLE.c.id, chunk), PEOPLE.c.linkedin_slug.is_not(None))
            .order_by(PEOPLE.c.linkedin_slug)
        )
        keys.extend(SuppressedKey(kind="linkedin", value=value) for value in slugs.scalars())
        placed = await session.execute(
            sa.select(PEOPLE.c.company_id, PEOPLE.c.name_key)
            .where(among(session, PEOPLE.c.id, chunk), PEOPLE.c.company_id.is_not(None))
            .order_by(PEOPLE.c.company_id, PEOPLE.c.name_key)
        )
        keys.extend(
            SuppressedKey(kind="name_at_company", value=name_at_company(company_id, name_key))
            for company_id, name_key in placed
        )
    keys.extend(
        SuppressedKey(kind="phone", value=e164)
        for e164 in sorted(await _phones_of_theirs_alone(session, person_ids))
    )
    return keys


async def _phones_of_theirs_alone(session: AsyncSession, person_ids: set[str]) -> set[str]:
    """The phones of these people that nobody else in the catalog has."""
    theirs: set[str] = set()
    for chunk in chunks(person_ids):
        found = await session.execute(
            sa.select(PHONES.c.e164).where(among(session, PHONES.c.person_id, chunk))
        )
        theirs.update(found.scalars())
    shared: set[str] = set()
    for chunk in chunks(theirs):
        holders = await session.execute(
            sa.select(PHONES.c.e164, PHONES.c.person_id).where(among(session, PHONES.c.e164, chunk))
        )
        shared.update(e164 for e164, person_id in holders if person_id not in person_ids)
    return theirs - shared
