from __future__ import annotations

import pytest

from leadbase.server.catalog.nicknames import NICKNAMES, NICKNAMES_OF, canonical_first_name


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("bob", "robert"),
        ("bobby", "robert"),
        ("bill", "william"),
        ("liz", "elizabeth"),
        ("peggy", "margaret"),
        ("jim", "james"),
        ("chuck", "charles"),
        ("ted", "edward"),
        ("rick", "richard"),
        ("robert", "robert"),
        ("zoe", "zoe"),
    ],
)
def test_a_nickname_resolves_to_its_canonical_name(name: str, canonical: str) -> None:
    assert canonical_first_name(name) == canonical


def test_a_canonical_name_resolves_to_itself() -> None:
    for canonical in NICKNAMES_OF:
        assert canonical_first_name(canonical) == canonical
    for canonical in NICKNAMES.values():
        assert canonical_first_name(canonical) == canonical


def test_every_listed_nickname_resolves_except_names_of_their_own() -> None:
    for canonical, nicknames in NICKNAMES_OF.items():
        for nickname in nicknames:
            resolved = NICKNAMES.get(nickname)
            assert resolved is not None or nickname in NICKNAMES_OF, nickname
            assert resolved is None or nickname in NICKNAMES_OF[resolved]
            assert nickname != canonical


def test_a_shared_nickname_goes_to_its_first_listing() -> None:
    assert "charlie" in NICKNAMES_OF["charles"] and "charlie" in NICKNAMES_OF["charlotte"]
    assert NICKNAMES["charlie"] == "charles"


def test_the_table_is_lower_case_ascii() -> None:
    for canonical, nicknames in NICKNAMES_OF.items():
        for name in (canonical, *nicknames):
            assert name.isascii() and name.isalpha() and name == name.lower(), name
        assert len(set(nicknames)) == len(nicknames), canonical
    assert len(NICKNAMES) >= 250
