from __future__ import annotations

import phonenumbers
import pytest

from leadbase.server.catalog.synthetic import phones
from leadbase.server.catalog.synthetic.data import COUNTRIES


@pytest.mark.parametrize("region", [country.code for country in COUNTRIES])
def test_every_rendering_is_the_same_valid_number(region: str) -> None:
    templates = phones.templates(region)

    assert len(templates) >= 2
    for template in templates:
        for index in range(0, 2_000_000, 9_973):
            international = template.international(index)
            e164 = template.e164(index)
            national = template.national(index)
            parsed = phonenumbers.parse(international)
            assert phonenumbers.is_valid_number_for_region(parsed, region), international
            assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164
            assert phonenumbers.parse(national, region) == parsed
            assert international == phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )


def test_no_two_people_on_a_template_share_a_number() -> None:
    template = phones.templates("US")[0]
    numbers = {template.e164(index) for index in range(10**template.width)}

    assert len(numbers) == 10**template.width


def test_templates_never_overlap_within_a_region() -> None:
    for country in COUNTRIES:
        heads = [template.e164_head for template in phones.templates(country.code)]
        for head in heads:
            assert [other for other in heads if other.startswith(head)] == [head]


def test_templates_are_the_same_in_every_process() -> None:
    phones.templates.cache_clear()
    first = phones.templates("DE")
    phones.templates.cache_clear()

    assert phones.templates("DE") == first
