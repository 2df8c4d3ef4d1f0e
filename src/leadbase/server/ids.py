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
# Within one millisecond the next id is the last one plus a random step of this many bits:
# still in order, but not guessable from its neighbour (a step of one would let anybody
# who holds one id of a bulk import walk the whole catalog). 2**32 ids fit a millisecond.
_STEP_BITS = 48
_STEP_BYTES = _STEP_BITS // 8
# Random bytes are read from the system this many at a time: one syscall per id would cost
# more than the rest of new_id, and imports make ids by the hundred thousand.
_ENTROPY_CHUNK = 4096

# The newest id this process made (milliseconds, random part), for monotonic ids.
_newest = [0, 0]
_newest_lock = threading.Lock()
_entropy = bytearray()


def _random_bits(size: int) -> int:
    """``size`` random bytes as an integer, from the buffered system source (under the lock)."""
    if len(_entropy) < size:
        _entropy[:] = os.urandom(_ENTROPY_CHUNK)
    value = int.from_bytes(_entropy[-size:], "big")
    del _entropy[-size:]
    return value


def _after_fork_in_child() -> None:
    """A forked child must not step with its parent's bytes (same steps, same ids), and
    gets a lock of its own: the parent's was held across the fork (see below)."""
    global _newest_lock
    _entropy.clear()
    _newest_lock = threading.Lock()


def _hold_for_fork() -> None:
    # Held across a fork, so that no other thread is half way through new_id: its lock
    # would stay held, in the child, by a thread that does not exist there.
    _newest_lock.acquire()


def _release_after_fork() -> None:
    _newest_lock.release()


os.register_at_fork(
    before=_hold_for_fork,
    after_in_parent=_release_after_fork,
    after_in_child=_after_fork_in_child,
)


def new_id(prefix: str) -> str:
    """``org_01JF...``: 48 bits of milliseconds then 80 random bits, so ids sort by creation.

    Within one millisecond a process's ids go up from its first one by random steps (ULID's
    monotonic mode, with a step nobody can guess): ledger lines, usage events and the like
    list in the order they were made, however fast they come. Ids of different processes
    in one millisecond are unordered.
    """
    milliseconds = time.time_ns() // 1_000_000
    with _newest_lock:
        newest_milliseconds, newest_random = _newest
        if milliseconds <= newest_milliseconds:  # the same millisecond, or the clock stepped back
            step = 1 + _random_bits(_STEP_BYTES)
            milliseconds, random = newest_milliseconds, newest_random + step
            if random >> _RANDOM_BITS:
                milliseconds, random = milliseconds + 1, _random_bits(_RANDOM_BITS // 8)
        else:
            random = _random_bits(_RANDOM_BITS // 8)
        _newest[0], _newest[1] = milliseconds, random
    value = milliseconds << _RANDOM_BITS | random
    return f"{prefix}_{''.join([_PAIRS[(value >> shift) & 1023] for shift in _SHIFTS])}"
