"""catalog: a company's staff read from one covering index

Matching a name within a company reads every person of the shortlisted companies:
``SELECT company_id, id, name_key, linkedin_slug FROM people WHERE company_id IN (...)``.
With an index on company_id alone each of those rows is a second lookup into the table;
an index holding the four columns answers the query by itself (SQLite: a covering index;
PostgreSQL: an index-only scan). It replaces ix_people_company_id, which it covers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 06:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STAFF_COLUMNS = ["company_id", "name_key", "linkedin_slug", "id"]


def upgrade() -> None:
    op.create_index("ix_people_company_staff", "people", STAFF_COLUMNS)
    op.drop_index("ix_people_company_id", table_name="people")


def downgrade() -> None:
    op.create_index("ix_people_company_id", "people", ["company_id"])
    op.drop_index("ix_people_company_staff", table_name="people")
