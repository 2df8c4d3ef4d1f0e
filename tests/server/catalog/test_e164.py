"""The fast path for international numbers answers exactly what libphonenumber answers."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from leadbase.server.catalog import e164

properties = settings(deadline=None, max_examples=500)

_TYPES = (
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)
EXAMPLES = sorted(
    {
        phonenumbers.format_number(example, PhoneNumberFormat.E164)
        for region in phonenumbers.SUPPORTED_REGIONS
        for kind in _TYPES
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    }
)


def library(raw: str, region: str | None = None) -> str | None:
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def agrees(raw: str, region: str | None = None) -> bool:
    fast = e164.international(raw)
    return fast is e164.UNDECIDED or fast == library(raw, region)


def test_every_example_number_of_every_region_gets_the_librarys_answer() -> None:
    formats = (PhoneNumberFormat.E164, PhoneNumberFormat.INTERNATIONAL)
    written = [
        phonenumbers.format_number(phonenumbers.parse(example), layout)
        for example in EXAMPLES
        for layout in formats
    ]
    assert [raw for raw in written if not agrees(raw)] == []


def test_the_fast_path_decides_almost_every_example() -> None:
    decided = [raw for raw in EXAMPLES if e164.international(raw) is not e164.UNDECIDED]
    assert len(decided) >= 0.9 * len(EXAMPLES), (len(decided), len(EXAMPLES))


@properties
@given(
    st.sampled_from(EXAMPLES),
    st.lists(st.sampled_from("0123456789"), min_size=1, max_size=4),
    st.sampled_from(["", "1", "12"]),
    st.sampled_from([None, "US", "GB", "DE", "FR"]),
)
def test_mutated_examples_get_the_librarys_answer(
    example: str, tail: list[str], extra: str, region: str | None
) -> None:
    mutated = example[: -len(tail)] + "".join(tail) + extra
    assert agrees(mutated, region)


@properties
@given(st.text(alphabet="0123456789 -.()", min_size=1, max_size=24))
def test_any_plus_and_digits_get_the_librarys_answer(rest: str) -> None:
    assert agrees("+" + rest)


@properties
@given(st.sampled_from(EXAMPLES), st.data())
def test_separators_anywhere_change_nothing(example: str, data: st.DataObject) -> None:
    digits = example[1:]
    spaced = "".join(
        digit + data.draw(st.sampled_from(["", " ", "-", ".", ") ", " ("])) for digit in digits
    )
    assert agrees("+" + spaced)


@pytest.mark.parametrize(
    "raw",
    [
        "+44 (0)20 7946 0958",  # a national prefix the library strips
        "+1 650 253 0000 ext. 12",
        "(650) 253-0000",
        "+800 1234 5678",  # non-geographic
        "+1 800 FLOWERS",
        "+44",
    ],
)
def test_what_the_fast_path_cannot_judge_is_left_to_the_library(raw: str) -> None:
    assert e164.international(raw) is e164.UNDECIDED


def test_valid_and_invalid_international_numbers() -> None:
    assert e164.international("+1 650-253-0000") == "+16502530000"
    assert e164.international(" +61 416 331 996 ") == "+61416331996"
    assert e164.international("+1 000 000 0000") is None
