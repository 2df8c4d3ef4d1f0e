"""create_app(settings) -> Litestar: wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import anyio.to_thread
import structlog
from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders, State
from litestar.types import Message, Scope

from leadbase.server import db
from leadbase.server.auth.authenticate import Authenticator
from leadbase.server.auth.routes import ROUTES as API_KEY_ROUTES
from leadbase.server.body import refuse_nul_characters
from leadbase.server.catalog import bulk as bulk_load
from leadbase.server.catalog.admin_routes import ROUTES as CATALOG_ADMIN_ROUTES
from leadbase.server.catalog.routes import ROUTES as CATALOG_ROUTES
from leadbase.server.config import Settings, load_settings
from leadbase.server.credits.prices import PriceList
from leadbase.server.credits.sweeper import run_sweeper
from leadbase.server.error_handler import handle_exception
from leadbase.server.head import HeadAsGet
from leadbase.server.limits.service import build_limiter
from leadbase.server.observability import Metrics, RequestContextMiddleware, configure_logging
from leadbase.server.openapi import complete_document, openapi_config
from leadbase.server.ops.routes import ROUTES as OPS_ROUTES
from leadbase.server.phones.routes import ROUTES as PHONE_ROUTES
from leadbase.server.pipeline import DEPENDENCIES, OPERATION_KEY, Operation, Services
from leadbase.server.search.routes import ROUTES as SEARCH_ROUTES
from leadbase.server.tenancy.routes import ROUTES as ACCOUNT_ROUTES

logger = structlog.get_logger("leadbase.server")


async def _finish_bulk_loads(database: db.Database) -> None:
    """Build the indexes a bulk catalog import that died half way left to build.

    Best effort: a server whose database does not answer yet still starts, and says so
    on /readyz; the next start or import builds them.
    """
    try:
        built = await bulk_load.finish_pending(database)
    except Exception as error:
        logger.warning("could not check for an interrupted bulk catalog load", error=str(error))
        return
    if built:
        logger.warning("finished an interrupted bulk catalog load", tables=built)


def create_app(settings: Settings) -> Litestar:
    configure_logging(level=settings.log_level, json=settings.log_json)
    database = db.Database(settings.database_url)
    metrics = Metrics()
    services = Services(
        settings=settings,
        database=database,
        authenticator=Authenticator(database=database, settings=settings),
        limiter=build_limiter(settings),
        prices=PriceList(prices=settings.prices, org_prices=settings.org_prices),
        extras={"metrics": metrics},
    )

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.auto_migrate:
            await anyio.to_thread.run_sync(db.upgrade, settings.database_url)
        await _finish_bulk_loads(database)
        complete_document(app)
        try:
            async with anyio.create_task_group() as background:
                background.start_soon(
                    partial(run_sweeper, database, interval=settings.sweep_interval_seconds)
                )
                yield
                background.cancel_scope.cancel()
        finally:
            await services.limiter.close()
            await database.dispose()

    app = Litestar(
        route_handlers=[
            *OPS_ROUTES,
            *ACCOUNT_ROUTES,
            *API_KEY_ROUTES,
            *PHONE_ROUTES,
            *CATALOG_ROUTES,
            *CATALOG_ADMIN_ROUTES,
            *SEARCH_ROUTES,
        ],
        dependencies=DEPENDENCIES,
        exception_handlers={Exception: handle_exception},
        state=State({"services": services}),
        openapi_config=openapi_config(_version()),
        request_max_body_size=settings.max_body_bytes,
        lifespan=[lifespan],
        before_request=refuse_nul_characters,
        before_send=[_allow_every_method],
        logging_config=None,
        debug=False,
    )
    # Outermost, so that errors raised before routing still get a request id and a metric.
    app.asgi_handler = RequestContextMiddleware(HeadAsGet(app.asgi_handler), metrics=metrics)
    return app


async def _allow_every_method(message: Message, scope: Scope) -> None:
    # async: Litestar runs a plain function hook in a worker thread, twice per response.
    """The automatic OPTIONS answer lists only the methods of the path's first handler in
    Litestar 2 (litestar#4169); list every method the path has."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    handlers = {
        method: handler
        for path in scope["route_handler"].paths
        for method, handler in scope["litestar_app"].route_handler_method_map.get(path, {}).items()
    }
    methods = set(handlers)
    if "GET" in handlers and _serves_head(handlers["GET"]):
        methods.add("HEAD")
    if methods:
        MutableScopeHeaders.from_message(message)["Allow"] = ", ".join(sorted(methods))


def _serves_head(get_handler: Any) -> bool:
    """Whether a GET route answers HEAD too (head.HeadAsGet): all but the billed ones,
    which refuse it (head.refuse_on_metered)."""
    declared = get_handler.opt.get(OPERATION_KEY)
    return not (isinstance(declared, Operation) and declared.metered is not None)


def app_from_environment() -> Litestar:
    """The ASGI factory server workers import: settings come from LEADBASE_* variables."""
    return create_app(load_settings())


def _version() -> str:
    try:
        return version("leadbase")
    except PackageNotFoundError:
        return "0.0.0"
