"""Operations endpoints: liveness, readiness, metrics and the error catalog."""

from __future__ import annotations

from typing import Any

import msgspec
import structlog
from litestar import MediaType, Request, Response, get
from litestar.datastructures import State
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from leadbase.server.envelope import Envelope
from leadbase.server.errors import UpstreamUnavailable, catalog
from leadbase.server.openapi import complete_document
from leadbase.server.ops.schemas import ErrorCode, Health, Readiness
from leadbase.server.pipeline import envelope, operation, services_of

logger = structlog.get_logger("leadbase.ops")

_PUBLIC = operation(scope=None, authenticated=False)


@get("/healthz", opt=_PUBLIC, tags=["operations"])
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@get(
    "/readyz",
    opt=operation(scope=None, authenticated=False, errors=(503,)),
    tags=["operations"],
)
async def readyz(state: State) -> Readiness:
    """The process can serve: its database answers."""
    try:
        await services_of(state).database.ping()
    except Exception as exc:
        # The driver's message can name hosts and users: it goes to the log, not the answer.
        logger.warning("database_unreachable", error=str(exc))
        raise UpstreamUnavailable(
            "The database does not answer.", details={"database": "unreachable"}
        ) from exc
    return Readiness(status="ok", database="ok")


@get("/metrics", opt=_PUBLIC, media_type=MediaType.TEXT, tags=["operations"])
async def metrics(state: State) -> Response[bytes]:
    """Prometheus metrics: requests by route and status, latency histogram."""
    registry = services_of(state).extras["metrics"].registry
    # As a header: given as media_type, Litestar appends a second charset parameter.
    return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


@get("/v1/errors", opt=_PUBLIC, tags=["operations"])
async def list_errors(request: Request[Any, Any, Any]) -> Envelope[list[ErrorCode]]:
    """Every error code the API can answer with."""
    codes = [
        ErrorCode(
            code=error.code,
            type=error.type,
            status=error.status,
            retryable=error.retryable,
            description=error.description,
        )
        for error in catalog()
    ]
    return envelope(request, codes)


@get("/openapi.json", include_in_schema=False, media_type="application/vnd.oai.openapi+json")
async def openapi_document(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The OpenAPI 3.1 document (the Swagger UI at /docs reads the same one)."""
    return Response(msgspec.json.encode(complete_document(request.app)))


ROUTES = [healthz, readyz, metrics, list_errors, openapi_document]
