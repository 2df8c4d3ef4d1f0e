"""Completes the generated OpenAPI document with what routes declare through the spine:
request bodies, every error response, security schemes and the X-Customer-Id header."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar, Response, Router
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.routes import HTTPRoute

from leadbase.server.envelope import PROBLEM_JSON, ErrorEnvelope, ProblemDetails
from leadbase.server.errors import NotFound, catalog
from leadbase.server.pipeline import OPERATION_KEY, Operation

_REF = "#/components/schemas/{name}"
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


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Leadbase API",
        version=version,
        description="B2B lead-data API: people, companies, openings, emails and phones.",
        render_plugins=[SwaggerRenderPlugin(path="/")],
        openapi_router=Router(
            "/docs", route_handlers=[], include_in_schema=False, after_request=_no_html_not_found
        ),
    )


def _no_html_not_found(response: Response[Any]) -> Response[Any]:
    # Litestar answers unknown paths under the docs router with an HTML page of its own.
    if response.status_code == 404:
        raise NotFound("No such documentation page; see /docs and /openapi.json.")
    return response


def complete_document(app: Litestar) -> dict[str, Any]:
    """The finished document; the first call patches Litestar's cached one in place, so
    /openapi.json and the UI at /docs serve the same document."""
    completed = app.state.get("openapi_document")
    if completed is not None:
        return dict(completed)
    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer lb_live_...",
        },
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    bodies = {
        declared.body
        for declared in _operations(app)
        if declared is not None and declared.body is not None
    }
    _, component_schemas = msgspec.json.schema_components(
        [ErrorEnvelope, ProblemDetails, *sorted(bodies, key=lambda body: body.__name__)],
        ref_template=_REF,
    )
    schemas.update(component_schemas)
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path_item = document.get("paths", {}).get(route.path_format)
        if path_item is None:
            continue
        for handler in route.route_handlers:
            declared = handler.opt.get(OPERATION_KEY)
            if not isinstance(declared, Operation):
                continue
            for method in handler.http_methods:
                item = path_item.get(method.lower())
                if item is not None:
                    _complete_operation(item, declared)
    app.state["openapi_document"] = document
    return document


def _operations(app: Litestar) -> list[Operation | None]:
    return [
        handler.opt.get(OPERATION_KEY)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
    ]


def error_statuses(declared: Operation) -> list[int]:
    statuses = {500, *declared.errors}
    if declared.authenticated:
        # Query and header parameters can be invalid; the customer can be unknown.
        statuses |= {400, 401, 403, 404}
    if declared.body is not None:
        statuses |= {400, 413, 415}
    return sorted(statuses)


def _complete_operation(item: dict[str, Any], declared: Operation) -> None:
    if declared.body is not None:
        item["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(name=declared.body.__name__)}}
            },
        }
    responses = item.setdefault("responses", {})
    for status in error_statuses(declared):
        responses[str(status)] = _error_response(status)
    if declared.authenticated:
        item["security"] = [{"bearer": []}, {"apiKey": []}]
        parameters = item.setdefault("parameters", [])
        if not any(parameter.get("name") == "X-Customer-Id" for parameter in parameters):
            parameters.append(
                {
                    "name": "X-Customer-Id",
                    "in": "header",
                    "required": False,
                    "description": "Act for one of your customer organizations.",
                    "schema": {"type": "string"},
                }
            )


def _error_response(status: int) -> dict[str, Any]:
    codes = [error.code for error in catalog() if error.status == status]
    return {
        "description": f"{_STATUS_TEXT.get(status, 'Error')}: {', '.join(codes)}",
        "content": {
            "application/json": {"schema": {"$ref": _REF.format(name="ErrorEnvelope")}},
            PROBLEM_JSON: {"schema": {"$ref": _REF.format(name="ProblemDetails")}},
        },
    }
