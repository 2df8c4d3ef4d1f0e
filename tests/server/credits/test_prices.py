"""Prices per operation: the built-in list, settings over it, per-organization overrides."""

from __future__ import annotations

import pytest

from leadbase.server.credits.prices import DEFAULT_PRICES, PriceList

PARENT = "org_parent"
CUSTOMER = "org_customer"
OTHER = "org_other"


def prices() -> PriceList:
    return PriceList(
        prices={"phones.validate": 150, "emails.find": 1_000},
        org_prices={
            PARENT: {"phones.validate": 80, "emails.find": 900},
            CUSTOMER: {"phones.validate": 50},
        },
    )


def test_phones_validate_costs_a_tenth_of_a_credit_by_default() -> None:
    assert DEFAULT_PRICES["phones.validate"] == 100
    assert (
        PriceList(prices={}, org_prices={}).price(
            "phones.validate", acting_org_id=OTHER, org_id=OTHER
        )
        == 100
    )


def test_settings_prices_override_the_built_in_list() -> None:
    assert prices().price("phones.validate", acting_org_id=OTHER, org_id=OTHER) == 150
    assert prices().price("emails.find", acting_org_id=OTHER, org_id=OTHER) == 1_000


def test_the_acting_organizations_override_comes_first() -> None:
    assert prices().price("phones.validate", acting_org_id=CUSTOMER, org_id=PARENT) == 50


def test_a_customer_without_its_own_price_pays_its_parents() -> None:
    assert prices().price("emails.find", acting_org_id=CUSTOMER, org_id=PARENT) == 900


def test_an_organization_acting_for_itself_pays_its_override() -> None:
    assert prices().price("phones.validate", acting_org_id=PARENT, org_id=PARENT) == 80


def test_another_organizations_override_does_not_apply() -> None:
    assert prices().price("phones.validate", acting_org_id=OTHER, org_id=OTHER) == 150


def test_an_operation_without_a_price_is_a_key_error() -> None:
    with pytest.raises(KeyError, match=r"'people\.teleport' has no price"):
        prices().price("people.teleport", acting_org_id=CUSTOMER, org_id=PARENT)


def test_an_override_alone_does_not_price_an_unknown_operation_for_others() -> None:
    listed = PriceList(prices={}, org_prices={PARENT: {"secret.op": 5}})
    assert listed.price("secret.op", acting_org_id=PARENT, org_id=PARENT) == 5
    with pytest.raises(KeyError):
        listed.price("secret.op", acting_org_id=OTHER, org_id=OTHER)


def test_as_dict_lists_every_operation_at_the_organizations_price() -> None:
    assert prices().as_dict(acting_org_id=CUSTOMER, org_id=PARENT) == {
        **DEFAULT_PRICES,
        "emails.find": 900,
        "phones.validate": 50,
    }
    assert prices().as_dict(acting_org_id=OTHER, org_id=OTHER) == {
        **DEFAULT_PRICES,
        "emails.find": 1_000,
        "phones.validate": 150,
    }
