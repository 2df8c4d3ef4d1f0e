"""A bulk body's rows as a whole: counted, objects, each with a row_ref of its own."""

from __future__ import annotations

from typing import Any

import pytest

from leadbase.server.bulk_rows import row_refs
from leadbase.server.errors import BulkLimitExceeded, InvalidParameter, PayloadIsEmpty
from leadbase.server.nul import NO_NUL

REQUIRED = "required: a string of 1 to 200 characters, unique in the call"


def test_each_rows_row_ref_in_order() -> None:
    assert row_refs([{"row_ref": "b"}, {"row_ref": "a", "x": 1}], limit=2) == ["b", "a"]


def test_no_rows_is_payload_is_empty() -> None:
    with pytest.raises(PayloadIsEmpty) as raised:
        row_refs([], limit=500)
    assert (raised.value.param, raised.value.details) == (
        "rows",
        {"rows": "expected 1 to 500 rows, got 0"},
    )


def test_more_rows_than_the_limit_is_bulk_limit_exceeded() -> None:
    rows = [{"row_ref": str(index)} for index in range(501)]
    with pytest.raises(BulkLimitExceeded) as raised:
        row_refs(rows, limit=500)
    assert raised.value.details == {"rows": "at most 500 rows per call, got 501"}
    assert len(row_refs(rows[:500], limit=500)) == 500


def test_every_row_that_cannot_be_told_apart_is_named_at_once() -> None:
    rows: list[Any] = [
        {"row_ref": "a"},
        {"email": "x@example.com"},
        {"row_ref": "a"},
        {"row_ref": 7},
        {"row_ref": ""},
        {"row_ref": "x" * 201},
        "text",
        {"row_ref": "n\x00"},
        {"row_ref": "b"},
    ]
    with pytest.raises(InvalidParameter) as raised:
        row_refs(rows, limit=500)
    assert raised.value.param == "rows[1].row_ref"
    assert raised.value.details == {
        "rows[1].row_ref": REQUIRED,
        "rows[2].row_ref": "duplicate of rows[0].row_ref",
        "rows[3].row_ref": REQUIRED,
        "rows[4].row_ref": REQUIRED,
        "rows[5].row_ref": REQUIRED,
        "rows[6]": "expected a JSON object",
        "rows[7].row_ref": NO_NUL,
    }
