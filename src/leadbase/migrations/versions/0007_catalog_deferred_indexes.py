"""catalog: indexes a bulk load builds at its end

An import into an empty catalog table (``catalog.bulk``) drops that table's secondary
indexes (and, on SQLite, its full-text triggers) and builds them once when the load ends:
one sort per index instead of a random b-tree insert per row. The statements that put
them back are kept here, in the transaction that dropped them, so a load that dies half
way is finished by the next import (or server start), not forgotten.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_deferred",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("object_name", sa.String(200), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("catalog_deferred")
