"""The other spelling of a US state or Canadian province."""

from __future__ import annotations

import pytest

from leadbase.server.catalog.regions import CANADIAN_PROVINCES, US_STATES, other_spelling


@pytest.mark.parametrize(
    ("region", "country", "expected"),
    [
        ("CA", "US", ("California", "US")),
        ("california", "us", ("CA", "US")),
        ("ca", None, ("California", "US")),
        ("Quebec", "CA", ("QC", "CA")),
        ("ON", None, ("Ontario", "CA")),
        ("CA", "DE", None),  # not a region of Germany
        ("Bayern", None, None),
        ("Ontario", "US", None),  # a province, not a state
    ],
)
def test_a_state_or_province_has_a_code_and_a_name_in_its_country(
    region: str, country: str | None, expected: tuple[str, str] | None
) -> None:
    assert other_spelling(region, country) == expected


def test_no_code_or_name_is_a_state_and_a_province_at_once() -> None:
    assert not set(US_STATES) & set(CANADIAN_PROVINCES)
    names = [*US_STATES.values(), *CANADIAN_PROVINCES.values()]
    assert len({name.casefold() for name in names}) == len(names)
