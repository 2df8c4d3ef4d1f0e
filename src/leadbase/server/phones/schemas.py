from __future__ import annotations

from typing import Annotated

import msgspec

Region = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")]


class ValidatePhone(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    phone: Annotated[str, msgspec.Meta(max_length=100)]
    # Where a number without +country code is dialled from, e.g. "US".
    default_region: Region | None = None


class PhoneFormats(msgspec.Struct):
    e164: str
    international: str
    national: str


class PhoneValidation(msgspec.Struct, kw_only=True):
    input: str
    valid: bool
    possible: bool
    # Why the number is invalid, when it is: not_a_number, invalid_country_code,
    # too_short, too_long, not_possible or invalid_for_region.
    reason: str | None = None
    formats: PhoneFormats | None = None
    type: str | None = None
    region: str | None = None
    country_code: int | None = None
    carrier: str | None = None
    time_zones: list[str] = msgspec.field(default_factory=list)
