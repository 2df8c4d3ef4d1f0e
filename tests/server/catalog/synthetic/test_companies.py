from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leadbase.server.catalog.synthetic.companies import allocate


@given(
    st.integers(min_value=0, max_value=100_000),
    st.lists(st.floats(min_value=0.1, max_value=1000), min_size=1, max_size=200),
)
def test_allocation_splits_the_total_exactly(total: int, weights: list[float]) -> None:
    shares = list(allocate(total, weights))

    assert sum(shares) == total
    assert len(shares) == len(weights)
    assert min(shares) >= 0


def test_allocation_is_proportional() -> None:
    assert list(allocate(100, [1, 1, 2, 6])) == [10, 10, 20, 60]
    # Running totals are rounded, so small shares come out whole and the sum stays exact.
    assert list(allocate(3, [1, 1, 1, 1, 1, 1])) == [0, 1, 1, 0, 0, 1]
