"""Bulk bodies: 1 to N rows, each a JSON object with a ``row_ref`` of its own.

A call fails whole (400) only when its rows cannot be counted or told apart: no rows
(payload_is_empty), more than the call takes (bulk_limit_exceeded), a row that is not an
object, or a row_ref that is missing, malformed or repeated (invalid_parameter keyed
``rows[i]`` or ``rows[i].row_ref``, every such row at once). Anything else wrong with a
row, a NUL character in its text included, makes that row invalid and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import msgspec

from leadbase.server import nul
from leadbase.server.body import invalid_fields, problems_of_the_rest
from leadbase.server.errors import BulkLimitExceeded, InvalidParameter, PayloadIsEmpty

ROW_REF_MAX_LENGTH = 200

S = TypeVar("S", bound=msgspec.Struct)


def row_refs(rows: Sequence[Any], *, limit: int) -> list[str]:
    """Each row's row_ref, in order, or the one 400 that says what is wrong with them."""
    if not rows:
        raise PayloadIsEmpty(
            f"rows is empty; send 1 to {limit} rows.",
            param="rows",
            details={"rows": f"expected 1 to {limit} rows, got 0"},
        )
    if len(rows) > limit:
        raise BulkLimitExceeded(
            f"{len(rows)} rows were sent; a bulk call takes at most {limit}.",
            param="rows",
            details={"rows": f"at most {limit} rows per call, got {len(rows)}"},
        )
    errors: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"rows[{index}]"] = "expected a JSON object"
            continue
        ref = row.get("row_ref")
        field = f"rows[{index}].row_ref"
        if not isinstance(ref, str) or not 1 <= len(ref) <= ROW_REF_MAX_LENGTH:
            errors[field] = (
                f"required: a string of 1 to {ROW_REF_MAX_LENGTH} characters, unique in the call"
            )
        elif "\x00" in ref:
            errors[field] = nul.NO_NUL
        elif ref in first_seen:
            errors[field] = f"duplicate of rows[{first_seen[ref]}].row_ref"
        else:
            first_seen[ref] = index
    if errors:
        raise InvalidParameter.of_fields(errors)
    return list(first_seen)


def typed_row(
    raw: dict[str, Any], schema: type[S], *, check: Callable[[S], object] | None = None
) -> S | dict[str, str]:
    """One row as ``schema``, or every error it has: its invalid fields, the problems
    ``check`` (the endpoint's own validation, as ``body.parse_body`` runs it) finds in the
    others, and the fields whose text holds NUL."""
    refused = nul.holding_nul(raw, root="row")
    try:
        typed = msgspec.convert(raw, schema)
    except msgspec.ValidationError:
        invalid = invalid_fields(raw, schema).details or {}
        if check is not None:  # not on a field holding NUL: that is its problem
            refusing = {**invalid, **refused}
            invalid = {**invalid, **problems_of_the_rest(raw, schema, refusing, check)}
        return nul.beside(invalid, refused)
    return refused or typed
