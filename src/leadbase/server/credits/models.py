from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from leadbase.server.db import Base, UTCDateTime, utcnow


class CreditAccount(Base):
    """One per organization (customers included). Amounts are integer millicredits.

    ``balance`` is what the organization owns; ``reserved`` is held by running calls;
    what can be reserved next is ``balance - reserved``, which never goes below zero.
    """

    __tablename__ = "credit_accounts"
    __table_args__ = (
        sa.CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        sa.CheckConstraint("balance - reserved >= 0", name="available_not_negative"),
    )

    org_id: Mapped[str] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    balance: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CreditReservation(Base):
    """A hold taken before an operation runs; settled once, by the call or the sweeper."""

    __tablename__ = "credit_reservations"
    __table_args__ = (sa.Index("ix_credit_reservations_open", "state", "expires_at"),)

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    operation: Mapped[str] = mapped_column(sa.String(80))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    request_id: Mapped[str | None] = mapped_column(sa.String(140))
    job_id: Mapped[str | None] = mapped_column(sa.String(40))
    # open -> settled (by the call) or expired (released by the sweeper).
    state: Mapped[str] = mapped_column(sa.String(16), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class CreditEntry(Base):
    """The ledger: an append-only line per grant, reserve, capture, release or refund."""

    __tablename__ = "credit_entries"
    __table_args__ = (sa.Index("ix_credit_entries_org_id_id", "org_id", "id"),)

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    operation: Mapped[str | None] = mapped_column(sa.String(80))
    reservation_id: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    request_id: Mapped[str | None] = mapped_column(sa.String(140))
    job_id: Mapped[str | None] = mapped_column(sa.String(40))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UsageEvent(Base):
    """One line per metered call, billed or free: what usage reports are built from."""

    __tablename__ = "usage_events"
    __table_args__ = (sa.Index("ix_usage_events_org_id_created_at", "org_id", "created_at"),)

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    operation: Mapped[str] = mapped_column(sa.String(80))
    units: Mapped[int] = mapped_column(sa.Integer)
    charged: Mapped[int] = mapped_column(sa.BigInteger)
    request_id: Mapped[str | None] = mapped_column(sa.String(140))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
