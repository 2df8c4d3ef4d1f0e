"""Finding the NUL character in JSON bodies and rows of text."""

from __future__ import annotations

import msgspec
import pytest

from leadbase.server import nul
from leadbase.server.nul import NO_NUL


@pytest.mark.parametrize(
    ("text", "escapes_nul"),
    [
        (r'{"a": "x\u0000"}', True),
        (r'{"a\u0000": 1}', True),
        (r'{"a": "\\\u0000"}', True),  # an escaped backslash, then NUL
        (r'{"a": "\\u0000"}', False),  # a backslash, then the text u0000
        (r'{"a": "\\\\u0000"}', False),
        (r'{"a": "u0000"}', False),
    ],
)
def test_in_json_finds_an_escaped_nul_and_only_that(text: str, escapes_nul: bool) -> None:
    assert nul.in_json(text.encode()) is escapes_nul
    decoded = msgspec.json.decode(text)
    assert bool(nul.holding_nul(decoded)) is escapes_nul


def test_holding_nul_names_every_path() -> None:
    value = {
        "name": "a\x00",
        "fine": "b",
        "filters": {"titles": ["ok", "c\x00"], "n": 1, "none": None},
        "rows": [{"email": "d\x00", "ok": "e"}],
        "bad\x00key": 1,
    }
    assert nul.holding_nul(value) == {
        "name": NO_NUL,
        "filters.titles[1]": NO_NUL,
        "rows[0].email": NO_NUL,
        "body": f"a key {NO_NUL}",
    }
    assert nul.holding_nul({"a": "b", "c": ["d"]}) == {}
    assert nul.holding_nul("x\x00", path="q") == {"q": NO_NUL}
    assert nul.holding_nul({"e\x00": "x"}, root="row") == {"row": f"a key {NO_NUL}"}
