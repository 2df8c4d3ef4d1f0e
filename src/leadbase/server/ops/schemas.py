from __future__ import annotations

import msgspec


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct):
    status: str
    database: str


class ErrorCode(msgspec.Struct):
    code: str
    type: str
    status: int
    retryable: bool
    description: str
