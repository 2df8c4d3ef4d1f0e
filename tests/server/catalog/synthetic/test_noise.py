from __future__ import annotations

import random

from cleanco import basename
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from leadbase.server.catalog import normalize
from leadbase.server.catalog.nicknames import NICKNAMES_OF
from leadbase.server.catalog.synthetic import noise
from leadbase.server.catalog.synthetic.data import COUNTRIES, Country

seeds = st.integers(min_value=0, max_value=2**32)
words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzüéß"), min_size=1, max_size=14)


@given(seeds, words)
def test_a_typo_is_one_slip_after_the_first_letter(seed: int, word: str) -> None:
    shown = word.capitalize()
    typed = noise.typo(random.Random(seed), shown)

    if len(shown) < 4:
        assert typed == shown
    else:
        assert OSA.distance(typed, shown) == 1
        assert typed[0] == shown[0]


@given(seeds)
def test_a_nickname_resolves_back_to_the_name(seed: int) -> None:
    rng = random.Random(seed)
    formal = rng.choice(sorted(NICKNAMES_OF))
    nickname = noise.nickname(rng, formal.capitalize())

    if nickname is not None:
        assert nickname.lower() != formal
        assert normalize.name_key(nickname, "Doe") == normalize.name_key(formal, "Doe")


def test_names_without_a_nickname_get_none() -> None:
    assert noise.nickname(random.Random(1), "Xavier") is None
    assert not noise.has_nickname("Xavier")
    assert noise.has_nickname("Robert")


@given(seeds, st.sampled_from(COUNTRIES))
def test_company_name_variants_clean_to_the_same_name(seed: int, country: Country) -> None:
    rng = random.Random(seed)
    suffixes = country.suffixes
    for shown in ("Blue Harbor Logistics", f"Blue Harbor Logistics {suffixes[0]}"):
        variant = noise.company_name(rng, "Blue Harbor Logistics", shown, suffixes)

        assert variant != shown
        assert normalize.company_name_key(variant) == "blue harbor logistics"


def test_every_legal_form_is_one_cleanco_strips() -> None:
    for country in COUNTRIES:
        for suffix in country.suffixes:
            assert basename(f"Blue Harbor {suffix}") == "Blue Harbor", suffix


@given(seeds)
def test_linkedin_variants_point_at_the_same_profile(seed: int) -> None:
    url = noise.linkedin_variant(random.Random(seed), "jane-doe-0a1b2c3d")

    assert normalize.linkedin(url, expect="person").slug == "jane-doe-0a1b2c3d"


@given(seeds)
def test_a_website_reduces_to_the_domain(seed: int) -> None:
    assert normalize.domain(noise.website(random.Random(seed), "acme.co.uk")) == "acme.co.uk"


def test_an_email_in_another_case_is_the_same_address() -> None:
    shown = noise.email_case("jane.doe@acme.com")

    assert shown == "Jane.Doe@Acme.com"
    assert normalize.email(shown) == "jane.doe@acme.com"


def test_person_name_noise_reports_what_it_changed() -> None:
    rng = random.Random(4)
    seen: dict[str, tuple[str, str]] = {}
    for _ in range(400):
        kinds: list[str] = []
        name = noise.person_name(rng, "Robert", "Müller", kinds)
        assert len(kinds) <= 1
        seen[kinds[0] if kinds else "none"] = name

    assert seen["none"] == ("Robert", "Müller")
    assert seen["nickname"][1] == "Müller"
    assert normalize.name_key(*seen["nickname"]) == "robert muller"
    assert seen["name_ascii"] == ("Robert", "Muller")
    assert seen["name_case"] in {("ROBERT", "MÜLLER"), ("robert", "müller")}
    assert OSA.distance(" ".join(seen["name_typo"]), "Robert Müller") == 1
