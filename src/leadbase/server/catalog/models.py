"""The catalog: companies, people and job openings, owned by the operator and shared by
every tenant. Each row keeps normalized match keys next to the values shown, and where
its data came from (``source``, ``updated_at``, ``verified_at``)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from leadbase.server.db import Base, UTCDateTime, utcnow


class Company(Base):
    __tablename__ = "companies"
    # Search filters read the full-text facets (migration 0004), not b-tree indexes.
    __table_args__ = (sa.Index("ix_companies_name_key", "name_key"),)

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    # cleanco's base name, lower-cased ASCII: "Acme Holdings, Inc." -> "acme holdings".
    name_key: Mapped[str] = mapped_column(sa.String(300))
    # Registrable domain ("example.co.uk"), the strongest company key.
    domain: Mapped[str | None] = mapped_column(sa.String(253), unique=True)
    website: Mapped[str | None] = mapped_column(sa.String(500))
    linkedin_slug: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    industry: Mapped[str | None] = mapped_column(sa.String(120))
    # One of HEADCOUNT_RANGES ("51-200"); min/max make range filters plain comparisons.
    headcount_range: Mapped[str | None] = mapped_column(sa.String(20))
    headcount_min: Mapped[int | None] = mapped_column(sa.Integer)
    headcount_max: Mapped[int | None] = mapped_column(sa.Integer)
    city: Mapped[str | None] = mapped_column(sa.String(120))
    region: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    founded: Mapped[int | None] = mapped_column(sa.SmallInteger)
    description: Mapped[str | None] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(120))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Person(Base):
    __tablename__ = "people"
    # Matching blocks on the company and reads its staff from this index alone (migration
    # 0006); search filters read the full-text facets.
    __table_args__ = (
        sa.Index("ix_people_company_staff", "company_id", "name_key", "linkedin_slug", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    first_name: Mapped[str | None] = mapped_column(sa.String(120))
    last_name: Mapped[str | None] = mapped_column(sa.String(120))
    full_name: Mapped[str] = mapped_column(sa.String(300))
    # "first last" in lower-case ASCII (anyascii), nicknames resolved: the fuzzy match key.
    name_key: Mapped[str] = mapped_column(sa.String(300))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    # Derived from the title: c_suite, vp, director, manager, senior, entry, ...
    seniority: Mapped[str | None] = mapped_column(sa.String(40))
    department: Mapped[str | None] = mapped_column(sa.String(60))
    company_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="SET NULL")
    )
    linkedin_slug: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    city: Mapped[str | None] = mapped_column(sa.String(120))
    region: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    source: Mapped[str] = mapped_column(sa.String(120))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PersonEmail(Base):
    __tablename__ = "person_emails"

    # Normalized (lower-cased) address; one person per address.
    email: Mapped[str] = mapped_column(sa.String(320), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # valid, invalid, risky (catch-all, role), unknown.
    status: Mapped[str] = mapped_column(sa.String(16), default="unknown")
    # work or personal.
    kind: Mapped[str] = mapped_column(sa.String(16), default="work")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PersonPhone(Base):
    __tablename__ = "person_phones"
    __table_args__ = (sa.UniqueConstraint("person_id", "e164"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    e164: Mapped[str] = mapped_column(sa.String(20), index=True)
    # mobile, work, direct, other.
    kind: Mapped[str] = mapped_column(sa.String(16), default="other")


class Opening(Base):
    __tablename__ = "openings"
    __table_args__ = (sa.Index("ix_openings_company_id_posted_at", "company_id", "posted_at"),)

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    company_id: Mapped[str] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(300))
    seniority: Mapped[str | None] = mapped_column(sa.String(40))
    department: Mapped[str | None] = mapped_column(sa.String(60))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    region: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    posted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    url: Mapped[str | None] = mapped_column(sa.String(1000), unique=True)
    # LinkedIn job id, when the opening came from a LinkedIn job URL.
    linkedin_job_id: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    source: Mapped[str] = mapped_column(sa.String(120))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PersonSource(Base):
    """Provenance: every record a person was built from (merged duplicates included)."""

    __tablename__ = "person_sources"
    __table_args__ = (sa.UniqueConstraint("source", "source_record_id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(sa.String(120))
    source_record_id: Mapped[str] = mapped_column(sa.String(200))
    # How it was attached: created, email, linkedin, phone, name_company (fuzzy).
    matched_by: Mapped[str] = mapped_column(sa.String(30))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Suppression(Base):
    """Opt-outs: a suppressed person is never returned and never imported again."""

    __tablename__ = "suppressions"

    # kind: email, linkedin (slug), phone (E.164), domain.
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(320), primary_key=True)
    reason: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The tables, for Core statements: bulk work (imports, lookups for every enrichment) skips
# the ORM's per-row objects and its statement compilation.
PEOPLE = cast(sa.Table, Person.__table__)
COMPANIES = cast(sa.Table, Company.__table__)
OPENINGS = cast(sa.Table, Opening.__table__)
EMAILS = cast(sa.Table, PersonEmail.__table__)
PHONES = cast(sa.Table, PersonPhone.__table__)
SOURCES = cast(sa.Table, PersonSource.__table__)
SUPPRESSIONS = cast(sa.Table, Suppression.__table__)
