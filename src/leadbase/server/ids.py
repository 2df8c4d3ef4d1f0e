"""Public identifiers: a type prefix and a time-ordered, random ULID-style body."""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
# Two characters per 10 bits: bulk imports make ids by the hundred thousand.
_PAIRS = tuple(first + second for first in _ALPHABET for second in _ALPHABET)
_SHIFTS = tuple(range(120, -1, -10))
_RANDOM_BITS = 80

# The newest id this process made (milliseconds, random part), for monotonic ids.
_newest = [0, 0]
_newest_lock = threading.Lock()


def new_id(prefix: str) -> str:
    """``org_01JF...``: 48 bits of milliseconds then 80 random bits, so ids sort by creation.

    Within one millisecond a process's ids count up from its first one (ULID's monotonic
    mode): ledger lines, usage events and the like list in the order they were made,
    however fast they come. Ids of different processes in one millisecond are unordered.
    """
    milliseconds = time.time_ns() // 1_000_000
    with _newest_lock:
        newest_milliseconds, newest_random = _newest
        if milliseconds <= newest_milliseconds:  # the same millisecond, or the clock stepped back
            milliseconds, random = newest_milliseconds, newest_random + 1
            if random >> _RANDOM_BITS:
                milliseconds, random = milliseconds + 1, 0
        else:  # a new millisecond: the only ids that need fresh randomness (a syscall)
            random = int.from_bytes(os.urandom(_RANDOM_BITS // 8), "big")
        _newest[0], _newest[1] = milliseconds, random
    value = milliseconds << _RANDOM_BITS | random
    return f"{prefix}_{''.join([_PAIRS[(value >> shift) & 1023] for shift in _SHIFTS])}"
