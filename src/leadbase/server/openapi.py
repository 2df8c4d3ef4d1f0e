"""Completes the generated OpenAPI document with what routes declare through the spine:
request and metered response bodies, every error response with its headers, security
schemes, and the X-Customer-Id and Idempotency-Key request headers."""

from __future__ import annotations

import functools
import inspect
import re
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, Response, Router, get
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.datastructures import CacheControlHeader
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath
from litestar.routes import HTTPRoute

from leadbase.server.envelope import PROBLEM_JSON, ErrorEnvelope, ProblemDetails
from leadbase.server.errors import NotFound, catalog
from leadbase.server.idempotency.service import MAX_KEY_LENGTH
from leadbase.server.pipeline import OPERATION_KEY, Operation

# Swagger UI's files, shipped (docs_assets/README.md): /docs works on a network that
# cannot reach a CDN, as a self-hosted server's often cannot. Their path names the version,
# so a browser may keep them for good; only these four files are served, by name.
_SWAGGER_UI_VERSION = "5.24.2"
_DOCS_ASSETS_DIRECTORY = Path(__file__).with_name("docs_assets")
_DOCS_ASSETS_PATH = f"/docs/assets/{_SWAGGER_UI_VERSION}"
_DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
_A_YEAR_SECONDS = 365 * 86_400
_NO_SUCH_PAGE = "No such documentation page; see /docs and /openapi.json."
_REF = "#/components/schemas/{name}"
_HEADER_REF = "#/components/headers/{name}"
_STATUS_TEXT = {
    400: "Invalid request",
    401: "Missing, invalid, revoked or expired API key",
    402: "Insufficient credits; nothing was performed",
    403: "Scope, customer or plan does not allow this call",
    404: "Not found (or not in your organization)",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Request body is not JSON",
    429: "Rate or concurrency limit hit",
    500: "Internal error",
    503: "Upstream or backing service unavailable",
}
_RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": "Calls allowed in the most constraining window.",
    "X-RateLimit-Remaining": "Calls left in that window.",
    "X-RateLimit-Reset": "When that window resets (epoch seconds).",
    "RateLimit-Limit": "Calls allowed in the most constraining window.",
    "RateLimit-Remaining": "Calls left in that window.",
    "RateLimit-Reset": "Seconds until that window resets.",
}
_INTEGER = {"type": "integer", "minimum": 0}
HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {
        "description": "The request id (the client's own X-Request-Id when it sent a sane one).",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
    },
    "WWW-Authenticate": {
        "description": "The authentication scheme to use.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "required": True,
        "schema": _INTEGER,
    },
    "Idempotent-Replayed": {
        "description": "true when this is the stored answer to an earlier call with the same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    **{
        name: {"description": description, "schema": _INTEGER}
        for name, description in _RATE_LIMIT_HEADERS.items()
    },
}


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Leadbase API",
        version=version,
        description="B2B lead-data API: people, companies and job openings (lookups,"
        " enrichment, search), phone validation, API keys and the credit ledger.",
        render_plugins=[_swagger_ui()],
        openapi_router=Router(
            "/docs",
            route_handlers=[docs_asset],
            include_in_schema=False,
            after_request=_no_html_not_found,
        ),
    )


def _swagger_ui() -> SwaggerRenderPlugin:
    """Swagger UI at /docs, from the server's own files, not a CDN."""
    return SwaggerRenderPlugin(
        path="/",
        js_url=f"{_DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{_DOCS_ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{_DOCS_ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{_DOCS_ASSETS_PATH}/favicon-32x32.png'>",
    )


@get(
    f"/assets/{_SWAGGER_UI_VERSION}/{{name:str}}",
    include_in_schema=False,
    cache_control=CacheControlHeader(max_age=_A_YEAR_SECONDS, public=True, immutable=True),
)
async def docs_asset(name: FromPath[str]) -> Response[bytes]:
    """One of Swagger UI's files; any other name is not found."""
    media_type = _DOCS_ASSETS.get(name)
    if media_type is None:
        raise NotFound(_NO_SUCH_PAGE)
    return Response(_asset(name), media_type=media_type)


@functools.cache
def _asset(name: str) -> bytes:
    return (_DOCS_ASSETS_DIRECTORY / name).read_bytes()


def _no_html_not_found(response: Response[Any]) -> Response[Any]:
    # Litestar answers unknown paths under the docs router with an HTML page of its own.
    if response.status_code == 404:
        raise NotFound(_NO_SUCH_PAGE)
    return response


def complete_document(app: Litestar) -> dict[str, Any]:
    """The finished document; the first call patches Litestar's cached one in place, so
    /openapi.json and the UI at /docs serve the same document."""
    completed = app.state.get("openapi_document")
    if completed is not None:
        return dict(completed)
    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    components = document.setdefault("components", {})
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer lb_live_... (or Authorization: Token lb_live_...)",
        },
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    components["headers"] = dict(HEADERS)
    components.setdefault("schemas", {}).update(_component_schemas(app))
    _describe_operations(app, document)
    for path_format, handler, declared in _declared_handlers(app):
        path_item = document.get("paths", {}).get(path_format, {})
        for method in handler.http_methods:
            item = path_item.get(method.lower())
            if item is not None:
                _complete_operation(item, declared, method=method, status=handler.status_code)
    app.state["openapi_document"] = document
    return document


def _describe_operations(app: Litestar, document: dict[str, Any]) -> None:
    """Each operation's summary and description from its handler's docstring, in place of
    the handler's name that Litestar puts there."""
    paths = document.get("paths", {})
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in paths:
            continue
        for handler in route.route_handlers:
            doc = inspect.getdoc(handler.fn)
            if not doc:
                continue
            for method in handler.http_methods:
                item = paths[route.path_format].get(method.lower())
                if item is not None:
                    item["summary"] = summary_of(doc)
                    item["description"] = doc


# The first paragraph's first clause: up to a colon, a semicolon or a full stop.
_CLAUSE_END = re.compile(r"[:;]\s|\.(\s|$)")


def summary_of(doc: str) -> str:
    """A docstring's opening clause, on one line: "Revoke a key; every process refuses it
    within a second." -> "Revoke a key"."""
    paragraph = " ".join(doc.split("\n\n", 1)[0].split())
    return _CLAUSE_END.split(paragraph, 1)[0].rstrip(".")


def _declared_handlers(app: Litestar) -> list[tuple[str, HTTPRouteHandler, Operation]]:
    return [
        (route.path_format, handler, declared)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if isinstance(declared := handler.opt.get(OPERATION_KEY), Operation)
    ]


def _component_schemas(app: Litestar) -> dict[str, Any]:
    """Bodies routes parse themselves and answers they hand back as bytes, by msgspec."""
    declared = [operation for _, _, operation in _declared_handlers(app)]
    types: set[Any] = {operation.body for operation in declared if operation.body is not None}
    types |= {operation.response for operation in declared if operation.response is not None}
    _, schemas = msgspec.json.schema_components(
        [ErrorEnvelope, ProblemDetails, *sorted(types, key=_ref_name)], ref_template=_REF
    )
    return schemas


def _ref_name(schema_type: Any) -> str:
    (ref,), _ = msgspec.json.schema_components([schema_type], ref_template="{name}")
    return str(ref["$ref"])


def error_statuses(declared: Operation) -> list[int]:
    statuses = {500, *declared.errors}
    if declared.authenticated:
        # Query and header parameters can be invalid; the customer can be unknown.
        statuses |= {400, 401, 403, 404}
    if declared.body is not None:
        statuses |= {400, 413, 415}
    return sorted(statuses)


def _complete_operation(
    item: dict[str, Any], declared: Operation, *, method: str, status: int
) -> None:
    if declared.body is not None:
        item["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_ref(declared.body)}},
        }
    responses = item.setdefault("responses", {})
    success = responses.setdefault(str(status), {"description": "Success"})
    if declared.response is not None:
        success["content"] = {"application/json": {"schema": _schema_ref(declared.response)}}
    success_headers = [*(["Idempotent-Replayed"] if method == "POST" else [])]
    if declared.metered is not None:
        success_headers += _RATE_LIMIT_HEADERS
    if success_headers:
        success["headers"] = {
            name: {"$ref": _HEADER_REF.format(name=name)} for name in success_headers
        }
    for error_status in error_statuses(declared):
        responses[str(error_status)] = _error_response(error_status)
    for response in responses.values():
        response.setdefault("headers", {})["X-Request-Id"] = {
            "$ref": _HEADER_REF.format(name="X-Request-Id")
        }
    if declared.authenticated:
        item["security"] = [{"bearer": []}, {"apiKey": []}]
        _add_header_parameter(
            item,
            name="X-Customer-Id",
            description="Act for one of your customer organizations.",
            schema={"type": "string"},
        )
    # Every authenticated POST runs through the spine, which honours Idempotency-Key.
    if declared.authenticated and method == "POST":
        _add_header_parameter(
            item,
            name="Idempotency-Key",
            description="Replays the stored answer for 24 hours instead of performing (and charging) twice.",
            # Printable, as the spine checks it; no outer spaces, which transports strip.
            schema={
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_KEY_LENGTH,
                "pattern": "^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$",
            },
        )


def _add_header_parameter(
    item: dict[str, Any], *, name: str, description: str, schema: dict[str, Any]
) -> None:
    parameters = item.setdefault("parameters", [])
    if not any(parameter.get("name") == name for parameter in parameters):
        parameters.append(
            {
                "name": name,
                "in": "header",
                "required": False,
                "description": description,
                "schema": schema,
            }
        )


def _schema_ref(schema_type: Any) -> dict[str, str]:
    return {"$ref": _REF.format(name=_ref_name(schema_type))}


def _error_response(status: int) -> dict[str, Any]:
    codes = [error.code for error in catalog() if error.status == status]
    response: dict[str, Any] = {
        "description": f"{_STATUS_TEXT.get(status, 'Error')}: {', '.join(codes)}",
        "content": {
            "application/json": {"schema": {"$ref": _REF.format(name="ErrorEnvelope")}},
            PROBLEM_JSON: {"schema": {"$ref": _REF.format(name="ProblemDetails")}},
        },
    }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {"$ref": _HEADER_REF.format(name="WWW-Authenticate")}
        }
    if status == 429:
        response["headers"] = {"Retry-After": {"$ref": _HEADER_REF.format(name="Retry-After")}}
    return response
