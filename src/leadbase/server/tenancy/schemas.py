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
    created_at: dt.datetime
