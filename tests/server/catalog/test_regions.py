"""The two spellings of a US state or Canadian province."""

from __future__ import annotations

import pytest

from leadbase.server.catalog.regions import CANADIAN_PROVINCES, US_STATES, spellings


@pytest.mark.parametrize(
    ("region", "country", "expected"),
    [
        ("CA", "US", ("CA", "California")),
        ("california", "us", ("california", "CA")),
        ("ca", None, ("ca", "California")),
        ("Quebec", "CA", ("Quebec", "QC")),
        ("ON", None, ("ON", "Ontario")),
        ("CA", "DE", ("CA",)),  # not a region code of Germany
        ("Bayern", None, ("Bayern",)),
        ("Ontario", "US", ("Ontario",)),  # a province, not a state
    ],
)
def test_a_state_or_province_is_found_by_its_code_or_its_name(
    region: str, country: str | None, expected: tuple[str, ...]
) -> None:
    assert spellings(region, country) == expected


def test_no_code_means_a_state_and_a_province_at_once() -> None:
    assert not set(US_STATES) & set(CANADIAN_PROVINCES)
    names = [*US_STATES.values(), *CANADIAN_PROVINCES.values()]
    assert len({name.casefold() for name in names}) == len(names)
