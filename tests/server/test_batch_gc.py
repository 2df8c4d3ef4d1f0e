"""The cyclic collector paused for batch work, and put back as it was."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from leadbase.server.batch_gc import collector_paused


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_nested_block_leaves_it_off_until_the_outermost_ends() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_it_is_put_back_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed batch")
    assert gc.isenabled()


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_a_cycle_dropped_inside_waits_for_the_collector_to_come_back() -> None:
    gc.enable()
    with collector_paused():
        node = _Node()
        dropped = weakref.ref(node)
        del node
        # Far past the first generation's threshold: no automatic collection runs.
        young: list[list[object]] = [[] for _ in range(gc.get_threshold()[0] * 3)]
        del young
        assert dropped() is not None
    gc.collect()
    assert dropped() is None
