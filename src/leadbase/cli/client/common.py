"""What every client command shares: --api-key / --base-url, the client, error reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from leadbase import APIError, APIStatusError, Leadbase, LeadbaseError
from leadbase.cli.output import fail

ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        help="The API key (default: LEADBASE_API_KEY).",
        show_default=False,
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="The server (default: LEADBASE_BASE_URL, else http://127.0.0.1:8000).",
        show_default=False,
    ),
]
CustomerOption = Annotated[
    str | None,
    typer.Option(
        "--customer", help="Act for this customer organization (X-Customer-Id).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@contextmanager
def api_errors(*, as_json: bool = False) -> Iterator[None]:
    """Print a failed call as ``error <code>: <message> (request_id <id>)`` and exit 1."""
    try:
        yield
    except APIStatusError as exc:
        fail(
            exc.code or f"http_{exc.status_code}",
            exc.message,
            as_json=as_json,
            param=exc.param,
            details=exc.details if isinstance(exc.details, dict) else None,
            request_id=exc.request_id,
        )
    except APIError as exc:
        fail("connection_error", f"{exc.message} ({_where(exc)})", as_json=as_json)


def _where(exc: APIError) -> str:
    return str(exc.request.url) if exc.request is not None else "no request"


def make_client(
    *,
    api_key: str | None,
    base_url: str | None,
    customer: str | None = None,
    as_json: bool = False,
    **options: Any,
) -> Leadbase:
    """The SDK client; LEADBASE_API_KEY and LEADBASE_BASE_URL are its fallbacks."""
    try:
        return Leadbase(api_key=api_key, base_url=base_url, customer_id=customer, **options)
    except LeadbaseError as exc:
        fail("missing_api_key", str(exc), as_json=as_json)
