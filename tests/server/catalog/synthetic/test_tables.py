from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadbase.server.catalog.synthetic.data import COUNTRIES, TITLES
from leadbase.server.catalog.synthetic.names import LOCALES
from leadbase.server.catalog.synthetic.tables import Picker, address_part, csv_field, ranked, tables


@given(st.text())
def test_a_csv_field_reads_back_as_the_value(value: str) -> None:
    line = ",".join([csv_field(value), csv_field("x")]) + "\r\n"

    assert next(csv.reader(io.StringIO(line, newline=""))) == [value, "x"]


def test_people_rows_need_no_quoting_outside_titles_and_company_names() -> None:
    # people.csv is written by joining values: the shipped lists must be CSV-safe.
    values = [
        name for locale in LOCALES.values() for name in (*locale.male, *locale.female, *locale.last)
    ]
    for country in COUNTRIES:
        values.extend([country.name, *[part for pair in country.cities for part in pair]])
    assert [value for value in values if csv_field(value) != value] == []
    titles = [
        title
        for by_seniority in TITLES.values()
        for names in by_seniority.values()
        for title in names
    ]
    assert "Vice President, Engineering" in titles
    assert csv_field("Vice President, Engineering") == '"Vice President, Engineering"'


def test_a_picker_follows_its_weights() -> None:
    pick = Picker(["a", "b", "c"], [1, 2, 7])
    rng = random.Random(9)
    draws = Counter(pick(rng.random) for _ in range(20_000))

    assert 0.08 < draws["a"] / 20_000 < 0.12
    assert 0.67 < draws["c"] / 20_000 < 0.73
    assert pick.at(0.0) == "a"
    assert pick.at(0.15) == "b"
    # The last fraction below 1 can round up to the total; it still picks the last item.
    assert pick.at(1.0 - 2**-53) == "c"
    assert pick.at(1.0) == "c"


def test_a_picker_needs_weights_for_its_items() -> None:
    with pytest.raises(ValueError, match="as many"):
        Picker(["a"], [])


def test_ranked_lists_favour_their_first_items() -> None:
    pick = ranked(["first", "second", "last"])
    rng = random.Random(3)
    draws = Counter(pick(rng.random) for _ in range(5000))

    assert draws["first"] > draws["second"] > draws["last"] > 0


def test_addresses_are_plain_ascii() -> None:
    assert address_part("Jürgen") == "jurgen"
    assert address_part("van den Berg") == "vandenberg"
    assert address_part("O'Brien") == "obrien"
    assert address_part("Jean-Pierre") == "jean-pierre"


def test_every_country_has_names_cities_and_phones() -> None:
    built = tables()
    for country in built.countries.items:
        assert country.phones
        assert country.cities.items
        assert country.first_names.items
