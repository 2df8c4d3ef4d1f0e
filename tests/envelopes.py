"""Assertions on the exact error envelope of API.md, shared by every HTTP test."""

from __future__ import annotations

from typing import Any, Final

import httpx

from leadbase.server.errors import error_for_code

ERROR_KEYS: Final = frozenset(
    {"type", "code", "message", "param", "details", "status", "request_id", "doc_url"}
)


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Final[Any] = _Unchecked()


def assert_error(
    response: httpx.Response,
    status: int,
    code: str,
    *,
    param: Any = UNCHECKED,
    details: Any = UNCHECKED,
) -> dict[str, Any]:
    """Assert ``response`` is the exact API.md error envelope for ``code``; return its body.

    ``param`` and ``details`` are compared exactly when given (pass None to require null).
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0].strip() == "application/json"
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == ERROR_KEYS, error
    entry = error_for_code(code)
    assert entry.status == status, f"{code} is a {entry.status} in the catalog, not {status}"
    assert error["code"] == code, error
    assert error["type"] == entry.type, error
    assert error["status"] == status, error
    assert isinstance(error["message"], str) and error["message"], error
    assert error["request_id"] == response.headers["x-request-id"], error
    assert error["request_id"], error
    assert error["doc_url"] == f"/v1/errors#{code}", error
    if param is not UNCHECKED:
        assert error["param"] == param, error
    if details is not UNCHECKED:
        assert error["details"] == details, error
    return error
