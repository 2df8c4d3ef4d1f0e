"""Garbage collection tuned for batch work (imports): fewer, cheaper collections.

A batch allocates hundreds of thousands of containers that live until it is written.
With the default thresholds the cyclic collector runs every 700 allocations and, now
and then, walks every long-lived object too: about a quarter of an import's CPU
(measured on 100k people rows). Freezing what already exists keeps the collector off
the process's own long-lived objects, and a higher first threshold lets it run less
often; reference counting still frees almost everything as soon as it is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_YOUNG_THRESHOLD = 50_000
_depth = 0


@contextmanager
def collecting_less() -> Iterator[None]:
    """Batch-friendly collection inside the block; nested blocks share the outermost's."""
    global _depth
    previous = gc.get_threshold()
    if _depth == 0:
        gc.freeze()
        gc.set_threshold(_YOUNG_THRESHOLD, previous[1], previous[2])
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.set_threshold(*previous)
            gc.unfreeze()
