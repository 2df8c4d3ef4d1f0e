from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

from leadbase.server.ids import new_id

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHAPE = re.compile(r"^org_[0-9A-HJKMNP-TV-Z]{26}$")


def _milliseconds(identifier: str) -> int:
    """The creation time encoded in the first 10 characters (48 bits)."""
    value = 0
    for char in identifier.split("_", 1)[1][:10]:
        value = value * 32 + CROCKFORD.index(char)
    return value


def test_an_id_is_its_prefix_then_26_crockford_characters() -> None:
    identifier = new_id("org")
    assert SHAPE.match(identifier), identifier


def test_the_prefix_is_kept_as_given() -> None:
    assert new_id("key").startswith("key_")
    assert new_id("req").startswith("req_")


def test_an_id_carries_its_creation_time_in_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    identifier = new_id("org")
    after = time.time_ns() // 1_000_000
    assert before <= _milliseconds(identifier) <= after


def test_ids_made_in_later_milliseconds_sort_after_earlier_ones() -> None:
    made = []
    for _ in range(20):
        made.append(new_id("org"))
        time.sleep(0.002)
    assert made == sorted(made)


def test_ids_are_unique() -> None:
    made = [new_id("org") for _ in range(20_000)]
    assert len(set(made)) == len(made)


def test_ids_made_in_one_millisecond_sort_in_the_order_they_were_made() -> None:
    made = [new_id("txn") for _ in range(20_000)]
    assert made == sorted(made)
    assert len({identifier[:14] for identifier in made}) < len(made)  # many shared a millisecond


def test_ids_made_in_threads_are_unique() -> None:
    made: list[str] = []

    def make() -> None:
        made.extend(new_id("txn") for _ in range(5_000))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 20_000


def test_an_id_made_in_the_same_millisecond_is_not_its_neighbour_plus_one() -> None:
    # A step of one would let whoever holds one id of a bulk import walk the catalog.
    made = [new_id("per") for _ in range(2_000)]
    values = [_value(identifier) for identifier in made]
    same_millisecond = [
        values[index + 1] - values[index]
        for index in range(len(made) - 1)
        if made[index][:14] == made[index + 1][:14]
    ]
    assert same_millisecond, "no two ids shared a millisecond"
    assert min(same_millisecond) > 1_000_000


def test_a_forked_child_draws_its_own_random_bytes_and_can_make_ids() -> None:
    # In a fresh interpreter: a fork inside the test session would run pytest on in the
    # child if it failed before exiting.
    script = """
import os
from leadbase.server import ids
ids.new_id("per")  # random bytes buffered, the lock used
reading, writing = os.pipe()
child = os.fork()
if child == 0:
    try:
        grandchild = os.fork()  # the child forks in turn: its own lock is the one held
        if grandchild == 0:
            ids.new_id("per")
            os._exit(0)
        os.waitpid(grandchild, 0)
        os.write(writing, f"{ids._random_bits(10)} {ids.new_id('per')}".encode())
    finally:
        os._exit(0)
os.close(writing)
ours = str(ids._random_bits(10))
os.waitpid(child, 0)
theirs, made = os.read(reading, 200).decode().split()
print("same" if theirs == ours else "different", made[:4])
"""
    answer = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert answer.stdout.split() == ["different", "per_"], answer.stderr


def _value(identifier: str) -> int:
    value = 0
    for char in identifier.split("_", 1)[1]:
        value = value * 32 + CROCKFORD.index(char)
    return value
