"""The request spine, shared by every endpoint.

A route declares what it is with :func:`operation` (scope, entitlement, body schema, the
errors it can answer with); the spine's steps read that declaration:
``authenticate -> check_idempotency -> enforce_limits -> reserve -> perform -> settle``.
Routes only parse, call one service function and return a struct.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Authenticator, Principal
from leadbase.server.config import Settings
from leadbase.server.db import Database
from leadbase.server.envelope import Envelope, Meta

T = TypeVar("T")

OPERATION_KEY = "leadbase_operation"


@dataclass(frozen=True, slots=True)
class Operation:
    """What a route is, as the spine and the OpenAPI document need to know it."""

    scope: str | None
    entitlement: str | None = None
    body: type[msgspec.Struct] | None = None
    # Statuses this route answers with beyond the ones every authenticated route has.
    errors: tuple[int, ...] = ()
    authenticated: bool = True


def operation(
    *,
    scope: str | None,
    entitlement: str | None = None,
    body: type[msgspec.Struct] | None = None,
    errors: tuple[int, ...] = (),
    authenticated: bool = True,
) -> dict[str, Any]:
    """The ``opt`` of a route handler: ``@get("/v1/x", opt=operation(scope="x:read"))``."""
    return {
        OPERATION_KEY: Operation(
            scope=scope,
            entitlement=entitlement,
            body=body,
            errors=errors,
            authenticated=authenticated,
        )
    }


def operation_of(request: Request[Any, Any, Any]) -> Operation:
    declared = request.route_handler.opt.get(OPERATION_KEY)
    if not isinstance(declared, Operation):
        raise RuntimeError(f"route {request.route_handler} declares no operation")
    return declared


@dataclass(slots=True)
class Services:
    """The per-process objects every request shares; kept on ``app.state.services``."""

    settings: Settings
    database: Database
    authenticator: Authenticator
    extras: dict[str, Any] = field(default_factory=dict)


def services_of(state: State) -> Services:
    services = state.get("services")
    if not isinstance(services, Services):
        raise RuntimeError("the application was not started through create_app")
    return services


def request_id_of(request: Request[Any, Any, Any]) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


async def authenticate(request: Request[Any, Any, Any], state: State) -> Principal:
    declared = operation_of(request)
    return await services_of(state).authenticator.authenticate(
        request.headers, scope=declared.scope, entitlement=declared.entitlement
    )


async def open_transaction(
    state: State, principal: NamedDependency[Principal]
) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: committed when the handler returns, else rolled back.

    It depends on ``principal`` so that a request failing authentication never opens one.
    """
    async with services_of(state).database.transaction() as session:
        yield session


def envelope(request: Request[Any, Any, Any], data: T, **meta: Any) -> Envelope[T]:
    return Envelope(data=data, meta=Meta(request_id=request_id_of(request), **meta))


DEPENDENCIES = {
    "principal": Provide(authenticate),
    "session": Provide(open_transaction),
}
