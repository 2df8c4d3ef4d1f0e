"""The NUL character (U+0000), refused wherever a request or an import carries text.

PostgreSQL text cannot hold NUL and no value of this API needs one. Refusing it up front,
alike on both backends, beats failing in the database half way through a call (SQLite
would store it). A bulk call or an import refuses only the row that holds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

NO_NUL = "must not contain the NUL character (U+0000)"

# JSON's escape for NUL: "\u0000" after an even number of backslashes ("\\u0000" is a
# backslash then "u0000").
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def in_json(body: bytes) -> bool:
    """Whether a JSON text escapes a NUL character anywhere (a key or a string)."""
    return b"\\u0000" in body and _ESCAPED_NUL.search(body) is not None


def holding_nul(value: Any, *, path: str = "", root: str = "body") -> dict[str, str]:
    """Where decoded JSON (or a row of text) holds NUL, by path, with the error: an
    object's fields by name (``email``), nested ones dotted (``filters.titles[0]``), a
    key holding NUL under its object's path (``root`` at the top: the body, a row)."""
    found: dict[str, str] = {}
    _collect(value, path, found, root)
    return found


def beside(invalid: Mapping[str, str], holding: Mapping[str, str]) -> dict[str, str]:
    """Every invalid field, then the fields holding NUL that are not among them (a field's
    own error says more)."""
    return {**invalid, **{path: error for path, error in holding.items() if path not in invalid}}


def _collect(value: Any, path: str, found: dict[str, str], root: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            found[path or root] = NO_NUL
    elif isinstance(value, Mapping):
        for name, item in value.items():
            if "\x00" in name:
                found[path or root] = f"a key {NO_NUL}"
            else:
                _collect(item, f"{path}.{name}" if path else name, found, root)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, f"{path}[{index}]", found, root)
