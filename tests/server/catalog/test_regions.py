"""Other spellings of a region: its code, its local or English name, without accents."""

from __future__ import annotations

import pytest

from leadbase.server.catalog.regions import REGIONS, other_spellings


@pytest.mark.parametrize(
    ("region", "country", "expected"),
    [
        ("CA", "US", [("US", ("California",))]),
        ("california", "us", [("US", ("CA",))]),
        ("ca", None, [("US", ("California",))]),
        ("Quebec", "CA", [("CA", ("QC", "Québec", "PQ"))]),
        ("qc", None, [("CA", ("Quebec", "Québec", "PQ"))]),
        ("ON", None, [("CA", ("Ontario",))]),
        ("CA", "DE", []),  # not a region of Germany
        ("Ontario", "US", []),  # a province, not a state
        ("Gotham", None, []),
        # A code two countries use names a region in each.
        ("WA", None, [("US", ("Washington",)), ("AU", ("Western Australia",))]),
        ("nt", "AU", [("AU", ("Northern Territory",))]),
        ("Bavaria", None, [("DE", ("BY", "Bayern"))]),
        # Accents and hyphens aside; the spellings left out differ only in ASCII case.
        ("Thuringen", "de", [("DE", ("TH", "Thüringen", "Thueringen", "Thuringia"))]),
        (
            "ILE DE FRANCE",
            None,
            [("FR", ("IDF", "Île-de-France", "Île de France", "Ile-de-France"))],
        ),
        ("São Paulo", "BR", [("BR", ("SP", "Sao Paulo"))]),
        ("Emilia Romagna", "IT", [("IT", ("Emilia-Romagna",))]),
        ("Veneto", None, [("IT", ())]),
        ("Catalonia", None, [("ES", ("CT", "Cataluña", "Cataluna", "Catalunya"))]),
    ],
)
def test_a_region_is_found_by_its_other_spellings_in_its_country(
    region: str, country: str | None, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert other_spellings(region, country) == expected


def test_no_spelling_names_two_regions_of_one_country() -> None:
    for country, regions in REGIONS.items():
        for region in regions:
            for spelling in region:
                found = other_spellings(spelling, country)
                assert len(found) == 1, (country, spelling, found)


def test_every_country_has_its_regions_iso_codes_unique() -> None:
    for country, regions in REGIONS.items():
        codes = [region[0] for region in regions if region[0].isupper()]
        assert len(codes) == len(set(codes)), country
