"""Imports every table so that ``Base.metadata`` is complete (Alembic, tests)."""

from leadbase.server.auth.models import ApiKey
from leadbase.server.catalog.models import (
    Company,
    Opening,
    Person,
    PersonEmail,
    PersonPhone,
    PersonSource,
    Suppression,
)
from leadbase.server.credits.models import CreditAccount, CreditEntry, CreditReservation, UsageEvent
from leadbase.server.db import Base
from leadbase.server.idempotency.models import IdempotencyRecord
from leadbase.server.tenancy.models import Organization

__all__ = [
    "ApiKey",
    "Base",
    "Company",
    "CreditAccount",
    "CreditEntry",
    "CreditReservation",
    "IdempotencyRecord",
    "Opening",
    "Organization",
    "Person",
    "PersonEmail",
    "PersonPhone",
    "PersonSource",
    "Suppression",
    "UsageEvent",
]
