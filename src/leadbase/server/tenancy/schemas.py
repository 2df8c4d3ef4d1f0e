from __future__ import annotations

import datetime as dt

import msgspec


class Customer(msgspec.Struct):
    id: str
    name: str
    plan: str
    active: bool
    created_at: dt.datetime


class CallingKey(msgspec.Struct):
    id: str
    scopes: list[str]


class Credits(msgspec.Struct):
    """Amounts in credits (the ledger keeps integer millicredits)."""

    balance: float
    reserved: float
    available: float


class Transaction(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    credits: float
    operation: str | None
    reservation_id: str | None
    request_id: str | None
    job_id: str | None
    note: str | None
    created_at: dt.datetime


class UsageLine(msgspec.Struct, kw_only=True):
    day: dt.date
    operation: str
    calls: int
    units: int
    credits: float


class Account(msgspec.Struct):
    id: str
    name: str
    plan: str
    active: bool
    entitlements: list[str]
    # Set when the caller is a parent organization acting for this customer.
    parent_id: str | None
    acting_as_customer: bool
    customers: list[Customer]
    api_key: CallingKey
    credits: Credits
    # Credits per unit of each operation, for this organization.
    prices: dict[str, float]
    created_at: dt.datetime
