"""Phone numbers with libphonenumber's data: parse, validate, format, describe."""

from __future__ import annotations

import pytest

from leadbase.server.phones.schemas import PhoneFormats, PhoneValidation
from leadbase.server.phones.service import validate

UK_ZONES = ["Europe/Guernsey", "Europe/Isle_of_Man", "Europe/Jersey", "Europe/London"]


def test_a_uk_mobile_is_described_with_its_carrier_and_time_zones() -> None:
    assert validate("+44 7400 123456") == PhoneValidation(
        input="+44 7400 123456",
        valid=True,
        possible=True,
        formats=PhoneFormats(
            e164="+447400123456", international="+44 7400 123456", national="07400 123456"
        ),
        type="mobile",
        region="GB",
        country_code=44,
        carrier="Three",
        time_zones=UK_ZONES,
    )


@pytest.mark.parametrize(
    ("raw", "e164", "international", "national", "kind", "region", "code", "zones"),
    [
        (
            "+1 650-253-0000",
            "+16502530000",
            "+1 650-253-0000",
            "(650) 253-0000",
            "fixed_line_or_mobile",
            "US",
            1,
            ["America/Los_Angeles"],
        ),
        (
            "+44 20 7946 0018",
            "+442079460018",
            "+44 20 7946 0018",
            "020 7946 0018",
            "fixed_line",
            "GB",
            44,
            ["Europe/London"],
        ),
        (
            "+49 30 123456",
            "+4930123456",
            "+49 30 123456",
            "030 123456",
            "fixed_line",
            "DE",
            49,
            ["Europe/Berlin"],
        ),
        (
            "+33 1 42 68 53 00",
            "+33142685300",
            "+33 1 42 68 53 00",
            "01 42 68 53 00",
            "fixed_line",
            "FR",
            33,
            ["Europe/Paris"],
        ),
    ],
)
def test_landlines_are_formatted_three_ways(
    raw: str,
    e164: str,
    international: str,
    national: str,
    kind: str,
    region: str,
    code: int,
    zones: list[str],
) -> None:
    result = validate(raw)
    assert (result.valid, result.possible, result.reason) == (True, True, None)
    assert result.formats == PhoneFormats(e164=e164, international=international, national=national)
    assert (result.type, result.region, result.country_code) == (kind, region, code)
    assert result.carrier is None  # libphonenumber has no carrier for landlines
    assert result.time_zones == zones


@pytest.mark.parametrize(
    ("raw", "carrier", "region"),
    [("+49 1512 3456789", "T-Mobile", "DE"), ("+33 6 12 34 56 78", "SFR", "FR")],
)
def test_mobiles_carry_the_carrier_libphonenumber_knows(
    raw: str, carrier: str, region: str
) -> None:
    result = validate(raw)
    assert (result.type, result.carrier, result.region) == ("mobile", carrier, region)


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("(650) 253-0000", "US", "+16502530000"),
        ("020 7946 0018", "gb", "+442079460018"),
        ("030 123456", "DE", "+4930123456"),
        ("06 12 34 56 78", "fr", "+33612345678"),
    ],
)
def test_a_national_number_is_read_in_the_default_region(raw: str, region: str, e164: str) -> None:
    result = validate(raw, default_region=region)
    assert result.valid
    assert result.formats is not None and result.formats.e164 == e164


def test_a_full_international_number_ignores_the_default_region() -> None:
    result = validate("+49 30 123456", default_region="US")
    assert (result.valid, result.region) == (True, "DE")


@pytest.mark.parametrize(
    ("raw", "region", "possible", "reason", "code"),
    [
        ("hello", None, False, "not_a_number", None),
        ("", None, False, "not_a_number", None),
        ("+999 123", None, False, "invalid_country_code", None),
        ("020 7946 0018", None, False, "invalid_country_code", None),
        ("+1 23", None, False, "too_short", 1),
        ("+1 201 5550 12345678", None, False, "too_long", 1),
        ("+1 212 000 0000", None, True, "invalid_for_region", 1),
        ("+44 7700 900123", None, True, "invalid_for_region", 44),  # Ofcom's drama range
    ],
)
def test_an_invalid_number_says_why(
    raw: str, region: str | None, possible: bool, reason: str, code: int | None
) -> None:
    assert validate(raw, default_region=region) == PhoneValidation(
        input=raw, valid=False, possible=possible, reason=reason, country_code=code
    )
