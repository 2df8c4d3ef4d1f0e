"""The request spine, shared by every endpoint.

A route declares what it is with :func:`operation` (scope, entitlement, body schema, the
errors it can answer with); the spine's steps read that declaration:
``authenticate -> check_idempotency -> enforce_limits -> reserve -> perform -> settle``.
Routes only parse, call one service function and return a struct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import anyio
import msgspec
from litestar import Request, Response
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server import head
from leadbase.server.auth.authenticate import Authenticator, Principal
from leadbase.server.config import Settings
from leadbase.server.credits import service as credits
from leadbase.server.credits.prices import PriceList
from leadbase.server.db import Database
from leadbase.server.envelope import Envelope, Meta
from leadbase.server.errors import LeadbaseError, UpstreamTimeout
from leadbase.server.idempotency import service as idempotency
from leadbase.server.limits.service import Lease, Limiter, RateLimitDecision

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
    # Billed calls name their operation: its price, limits, parallel cap and usage line.
    metered: str | None = None
    limit_class: str = "default"
    # The success body, for routes that hand the spine's bytes back as they are.
    response: type[Any] | None = None


# What a metered call can answer beyond an ordinary authenticated one.
METERED_ERRORS = (402, 409, 429, 503)
# A call with a body is a POST, and every POST honours Idempotency-Key (409s).
BODY_ERRORS = (409,)


def operation(
    *,
    scope: str | None,
    entitlement: str | None = None,
    body: type[msgspec.Struct] | None = None,
    errors: tuple[int, ...] = (),
    authenticated: bool = True,
    metered: str | None = None,
    limit_class: str = "default",
    response: type[Any] | None = None,
) -> dict[str, Any]:
    """The ``opt`` of a route handler: ``@get("/v1/x", opt=operation(scope="x:read"))``."""
    return {
        OPERATION_KEY: Operation(
            scope=scope,
            entitlement=entitlement,
            body=body,
            errors=tuple(
                sorted(
                    {*errors, *(METERED_ERRORS if metered else ()), *(BODY_ERRORS if body else ())}
                )
            ),
            authenticated=authenticated,
            metered=metered,
            limit_class=limit_class,
            response=response,
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
    limiter: Limiter
    prices: PriceList
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
    request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal]
) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: committed when the handler returns, else rolled back.

    It depends on ``principal`` so that a request failing authentication never opens one.
    Reads don't take SQLite's write lock, so concurrent GETs don't queue behind each other.
    """
    write = request.method not in _SAFE_METHODS
    async with services_of(state).database.transaction(write=write) as session:
        yield session


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def envelope(request: Request[Any, Any, Any], data: T, **meta: Any) -> Envelope[T]:
    return Envelope(data=data, meta=Meta(request_id=request_id_of(request), **meta))


DEPENDENCIES = {
    "principal": Provide(authenticate),
    "session": Provide(open_transaction),
}


# The metered call -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What ``perform`` delivered: the data and how many billable units it holds."""

    data: T
    units: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    # What an idempotent replay answers instead of ``data``, when ``data`` holds a secret
    # that is shown once and must not be stored (a new API key).
    replay_data: T | None = None


Perform = Callable[[AsyncSession], Awaitable[Outcome[T]]]


class ClientDisconnected(LeadbaseError):
    """The client went away before the answer was ready: nothing is charged.

    Nobody reads the answer; 499 (nginx's "client closed request") keeps it out of the
    5xx error log and shows it in metrics for what it is.
    """

    status = 499
    type = "api_error"
    description = "The client closed the connection before the answer was ready."


@dataclass(slots=True)
class _Call:
    """The state one call accumulates on its way through the spine."""

    request: Request[Any, Any, Any]
    principal: Principal
    services: Services
    declared: Operation
    # The metered operation, or None for a call that is neither billed nor limited.
    operation: str | None
    unit_price: int
    request_id: str
    claim: idempotency.Claim | None = None
    decision: RateLimitDecision | None = None
    lease: Lease | None = None
    reservation: credits.Reservation | None = None

    @property
    def limit_headers(self) -> dict[str, str]:
        return self.decision.headers() if self.decision is not None else {}


async def run(
    request: Request[Any, Any, Any],
    principal: Principal,
    *,
    perform: Perform[T],
    max_units: int = 0,
    status_code: int = 200,
    perform_writes: bool = False,
) -> Response[bytes]:
    """Run one call through the spine and answer with its envelope.

    check_idempotency -> enforce_limits -> reserve (one short transaction, committed so a
    crash leaves a hold the sweeper can release) -> perform -> settle + record (one
    transaction with the idempotency record, so a replay never charges twice). Limits,
    reservation and usage apply to metered operations; every POST gets idempotency.

    ``perform`` reads in a transaction of its own unless ``perform_writes``: on SQLite a
    write transaction holds the database's one write lock, which a slow lookup (a bulk
    call, a live source) must not keep from every other writer. A perform that writes
    runs in the settling transaction, so its writes commit with the charge or not at all.
    """
    services = services_of(request.app.state)
    declared = operation_of(request)
    metered = declared.metered
    if metered is not None:
        head.refuse_on_metered(request)
    call = _Call(
        request=request,
        principal=principal,
        services=services,
        declared=declared,
        operation=metered,
        unit_price=0
        if metered is None
        else services.prices.price(
            metered, acting_org_id=principal.acting_org_id, org_id=principal.org_id
        ),
        request_id=request_id_of(request),
    )
    try:
        replay = await _admit(call, max_units=max_units)
        if replay is not None:
            return _replay_response(replay)
        return await _perform_and_settle(
            call,
            perform,
            max_units=max_units,
            status_code=status_code,
            perform_writes=perform_writes,
        )
    except LeadbaseError as error:
        error.headers = {**call.limit_headers, **error.headers}
        raise
    finally:
        if call.lease is not None:
            await services.limiter.release(call.lease)


async def _admit(call: _Call, *, max_units: int) -> idempotency.Replay | None:
    """Steps 2-4. Any refusal rolls the whole transaction back: no key kept, no hold.

    Idempotency-Key applies to POST only (API.md); a billed GET ignores one.
    """
    key = (
        idempotency.check_key(call.request.headers.get(idempotency.HEADER))
        if call.request.method == "POST"
        else None
    )
    identity = (call.principal.key_id, call.principal.customer_id or "-")
    async with call.services.database.transaction() as session:
        if key is not None:
            claimed = await idempotency.claim(
                session,
                scope=idempotency.Scope(
                    org_id=call.principal.org_id,
                    acting_org_id=call.principal.acting_org_id,
                    method=call.request.method,
                    path=call.request.url.path,
                    key=key,
                ),
                body_hash=idempotency.request_hash(await call.request.body()),
                request_id=call.request_id,
                lock_for=_hold_timeout(call.services),
            )
            if isinstance(claimed, idempotency.Replay):
                return claimed
            call.claim = claimed
        if call.operation is None:
            return None
        limiter = call.services.limiter
        call.decision = await limiter.hit(
            identity=identity,
            limit_class=call.declared.limit_class,
            org_id=call.principal.acting_org_id,
        )
        call.lease = await limiter.acquire(identity=identity, operation=call.operation)
        if call.unit_price * max_units > 0:
            call.reservation = await credits.reserve(
                session,
                org_id=call.principal.acting_org_id,
                operation=call.operation,
                amount=call.unit_price * max_units,
                timeout=_hold_timeout(call.services),
                request_id=call.request_id,
                units=max_units,
            )
    return None


async def _perform_and_settle(
    call: _Call,
    perform: Perform[T],
    *,
    max_units: int,
    status_code: int,
    perform_writes: bool,
) -> Response[bytes]:
    database = call.services.database
    try:
        if perform_writes:
            async with database.transaction() as session:
                outcome = await _perform_watching_client(call, session, perform)
                body = await _record(call, session, outcome, max_units, status_code)
        else:
            async with database.transaction(write=False) as reading:
                outcome = await _perform_watching_client(call, reading, perform)
            async with database.transaction() as session:
                body = await _record(call, session, outcome, max_units, status_code)
    except BaseException as failure:
        with anyio.CancelScope(shield=True):
            await _release(call, failure)
        raise
    return Response(body, status_code=status_code, media_type=_JSON, headers=call.limit_headers)


async def _record(
    call: _Call, session: AsyncSession, outcome: Outcome[T], max_units: int, status_code: int
) -> bytes:
    """Settle what was delivered and store the answer for replays; the answer's bytes."""
    units = max(0, min(outcome.units, max_units))
    meta = dict(outcome.meta)
    if call.operation is not None:
        captured = await _settle(call, session, units=units)
        meta["credits_charged"] = credits.to_credits(captured)
    body = _encode(call, outcome.data, meta)
    if call.claim is not None:
        stored = body if outcome.replay_data is None else _encode(call, outcome.replay_data, meta)
        await idempotency.complete(
            session, claim=call.claim, status=status_code, content_type=_JSON, body=stored
        )
    return body


async def _settle(call: _Call, session: AsyncSession, *, units: int) -> int:
    """Capture what was delivered, release the rest, record the usage; what was charged."""
    assert call.operation is not None
    captured = 0
    if call.reservation is not None:
        settlement = await credits.settle(
            session, reservation=call.reservation, captured=units * call.unit_price
        )
        captured = settlement.captured
    await credits.record_usage(
        session,
        org_id=call.principal.acting_org_id,
        operation=call.operation,
        units=units,
        charged=captured,
        request_id=call.request_id,
    )
    return captured


def _encode(call: _Call, data: Any, meta: dict[str, Any]) -> bytes:
    return msgspec.json.encode(Envelope(data=data, meta=Meta(request_id=call.request_id, **meta)))


async def _release(call: _Call, failure: BaseException) -> None:
    """Nothing was delivered: free the hold, forget the key, count the call as free."""
    async with call.services.database.transaction() as session:
        if call.reservation is not None:
            await credits.release(session, reservation=call.reservation)
        if call.claim is not None:
            await idempotency.abandon(session, claim=call.claim)
        if (
            call.operation is not None
            and isinstance(failure, LeadbaseError)
            and failure.status < 500
        ):
            # A domain outcome such as no_match: a real call, billed nothing.
            await credits.record_usage(
                session,
                org_id=call.principal.acting_org_id,
                operation=call.operation,
                units=0,
                charged=0,
                request_id=call.request_id,
            )


async def _perform_watching_client(
    call: _Call, session: AsyncSession, perform: Perform[T]
) -> Outcome[T]:
    """Run ``perform`` under the operation timeout, abandoning it if the client disconnects."""
    settings = call.services.settings
    disconnected = False

    async def watch_client(scope: anyio.CancelScope) -> None:
        nonlocal disconnected
        while (await call.request.receive())["type"] != "http.disconnect":
            pass
        disconnected = True
        scope.cancel()

    await call.request.body()  # the watcher may only read what follows the body
    outcome: Outcome[T] | None = None
    with anyio.move_on_after(settings.operation_timeout_seconds) as deadline:
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(watch_client, group.cancel_scope)
                try:
                    delay = settings.fault_delay_seconds.get(call.operation or "")
                    if delay:
                        # Slow as a live source is: inside the call's open transaction.
                        await session.connection()
                        await anyio.sleep(delay)
                    outcome = await perform(session)
                finally:
                    group.cancel_scope.cancel()
        except BaseExceptionGroup as group_error:
            # Only the work can fail (the watcher just returns): re-raise its error as is.
            raise group_error.exceptions[0] from None
    if disconnected:
        raise ClientDisconnected()
    if deadline.cancelled_caught or outcome is None:
        raise UpstreamTimeout(
            f"{call.operation or call.request.url.path} did not finish within {settings.operation_timeout_seconds:g}s; nothing was charged."
        )
    return outcome


def _hold_timeout(services: Services) -> dt.timedelta:
    return dt.timedelta(seconds=services.settings.reservation_timeout_seconds)


def _replay_response(replay: idempotency.Replay) -> Response[bytes]:
    return Response(
        replay.body,
        status_code=replay.status,
        media_type=replay.content_type,
        headers={"Idempotent-Replayed": "true"},
    )


_JSON = "application/json"
