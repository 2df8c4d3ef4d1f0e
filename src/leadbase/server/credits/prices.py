"""What one unit of each operation costs, in millicredits, for one organization."""

from __future__ import annotations

from collections.abc import Mapping

# Built-in list; settings.prices and settings.org_prices override it.
DEFAULT_PRICES: dict[str, int] = {
    "companies.enrich": 1000,
    "people.enrich": 1000,
    "phones.validate": 100,
    # Per result returned; counts (database mode) and the preview are free but metered,
    # so they are rate-limited and show in usage like every call that reads the catalog.
    "search.companies": 50,
    "search.count": 0,
    "search.openings": 20,
    "search.people": 50,
    "search.preview": 0,
}


class PriceList:
    def __init__(
        self, *, prices: Mapping[str, int], org_prices: Mapping[str, Mapping[str, int]]
    ) -> None:
        self._prices = {**DEFAULT_PRICES, **prices}
        self._org_prices = {org: dict(overrides) for org, overrides in org_prices.items()}

    def price(self, operation: str, *, acting_org_id: str, org_id: str) -> int:
        """The acting organization's override, then its parent's, then the list."""
        for owner in (acting_org_id, org_id):
            overrides = self._org_prices.get(owner)
            if overrides is not None and operation in overrides:
                return overrides[operation]
        try:
            return self._prices[operation]
        except KeyError:
            raise KeyError(f"operation {operation!r} has no price") from None

    def as_dict(self, *, acting_org_id: str, org_id: str) -> dict[str, int]:
        return {
            operation: self.price(operation, acting_org_id=acting_org_id, org_id=org_id)
            for operation in sorted(self._prices)
        }
