"""HEAD: what GET answers, without the body (RFC 9110, 9.3.2).

Litestar serves HEAD only from handlers of its own that return no body, so uptime checks
and ``curl -I`` got 405 on every GET route. :class:`HeadAsGet` runs a HEAD request as a
GET and drops the body it sends; the status and headers (Content-Length included) are
the GET's. A billed lookup refuses HEAD (:func:`refuse_on_metered`): answering it would
either charge for a response that holds no data or tell for free whether a record exists.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from leadbase.server.errors import MethodNotAllowed

# Set in the scope of a HEAD request run as GET.
HEAD_SCOPE_KEY = "leadbase.head"


class HeadAsGet:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        # A copy: the middleware outside this one logs and counts the request as HEAD.
        await self.app({**scope, "method": "GET", HEAD_SCOPE_KEY: True}, receive, without_body)


def refuse_on_metered(request: Request[Any, Any, Any]) -> None:
    """405 for a HEAD request on a billed route (its caller knows the route is billed)."""
    if request.scope.get(HEAD_SCOPE_KEY):
        raise MethodNotAllowed(
            f"HEAD is not served on {request.url.path}, a billed lookup; use GET.",
            headers={"Allow": "GET, OPTIONS"},
        )
