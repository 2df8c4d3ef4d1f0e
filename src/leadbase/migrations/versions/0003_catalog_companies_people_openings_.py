"""catalog: companies, people, openings, provenance, suppressions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 21:40:08.451951
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "companies",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("linkedin_slug", sa.String(length=200), nullable=True),
        sa.Column("industry", sa.String(length=120), nullable=True),
        sa.Column("headcount_range", sa.String(length=20), nullable=True),
        sa.Column("headcount_min", sa.Integer(), nullable=True),
        sa.Column("headcount_max", sa.Integer(), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("founded", sa.SmallInteger(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("domain", name=op.f("uq_companies_domain")),
        sa.UniqueConstraint("linkedin_slug", name=op.f("uq_companies_linkedin_slug")),
    )
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.create_index("ix_companies_country", ["country"], unique=False)
        batch_op.create_index("ix_companies_industry", ["industry"], unique=False)
        batch_op.create_index("ix_companies_name_key", ["name_key"], unique=False)

    op.create_table(
        "suppressions",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "value", name=op.f("pk_suppressions")),
    )
    op.create_table(
        "openings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("seniority", sa.String(length=40), nullable=True),
        sa.Column("department", sa.String(length=60), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("linkedin_job_id", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_openings_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_openings")),
        sa.UniqueConstraint("linkedin_job_id", name=op.f("uq_openings_linkedin_job_id")),
        sa.UniqueConstraint("url", name=op.f("uq_openings_url")),
    )
    with op.batch_alter_table("openings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_openings_company_id_posted_at", ["company_id", "posted_at"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("first_name", sa.String(length=120), nullable=True),
        sa.Column("last_name", sa.String(length=120), nullable=True),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("seniority", sa.String(length=40), nullable=True),
        sa.Column("department", sa.String(length=60), nullable=True),
        sa.Column("company_id", sa.String(length=40), nullable=True),
        sa.Column("linkedin_slug", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_people_company_id_companies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("linkedin_slug", name=op.f("uq_people_linkedin_slug")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_company_id", ["company_id"], unique=False)
        batch_op.create_index("ix_people_country", ["country"], unique=False)
        batch_op.create_index("ix_people_department", ["department"], unique=False)
        batch_op.create_index("ix_people_name_key", ["name_key"], unique=False)
        batch_op.create_index("ix_people_seniority", ["seniority"], unique=False)

    op.create_table(
        "person_emails",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_emails_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_person_emails")),
    )
    with op.batch_alter_table("person_emails", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_emails_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_phones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_phones_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_phones")),
        sa.UniqueConstraint("person_id", "e164", name=op.f("uq_person_phones_person_id")),
    )
    with op.batch_alter_table("person_phones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_phones_e164"), ["e164"], unique=False)

    op.create_table(
        "person_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("source_record_id", sa.String(length=200), nullable=False),
        sa.Column("matched_by", sa.String(length=30), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_sources_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_sources")),
        sa.UniqueConstraint("source", "source_record_id", name=op.f("uq_person_sources_source")),
    )
    with op.batch_alter_table("person_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_sources_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("person_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_sources_person_id"))

    op.drop_table("person_sources")
    with op.batch_alter_table("person_phones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_phones_e164"))

    op.drop_table("person_phones")
    with op.batch_alter_table("person_emails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_emails_person_id"))

    op.drop_table("person_emails")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_seniority")
        batch_op.drop_index("ix_people_name_key")
        batch_op.drop_index("ix_people_department")
        batch_op.drop_index("ix_people_country")
        batch_op.drop_index("ix_people_company_id")

    op.drop_table("people")
    with op.batch_alter_table("openings", schema=None) as batch_op:
        batch_op.drop_index("ix_openings_company_id_posted_at")

    op.drop_table("openings")
    op.drop_table("suppressions")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_name_key")
        batch_op.drop_index("ix_companies_industry")
        batch_op.drop_index("ix_companies_country")

    op.drop_table("companies")
