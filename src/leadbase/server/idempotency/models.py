from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from leadbase.server.db import Base, UTCDateTime, utcnow


class IdempotencyRecord(Base):
    """One POST made with an Idempotency-Key: running, then its stored response."""

    __tablename__ = "idempotency_records"
    __table_args__ = (
        sa.UniqueConstraint(
            "org_id", "acting_org_id", "method", "path", "key", name="uq_idempotency_scope"
        ),
        sa.Index("ix_idempotency_records_expires_at", "expires_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.String(40))
    acting_org_id: Mapped[str] = mapped_column(sa.String(40))
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(300))
    key: Mapped[str] = mapped_column(sa.String(255))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    # running -> completed; a running record whose lock expired belongs to a dead process.
    state: Mapped[str] = mapped_column(sa.String(16))
    request_id: Mapped[str] = mapped_column(sa.String(140))
    locked_until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status: Mapped[int | None] = mapped_column(sa.Integer)
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    body: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
