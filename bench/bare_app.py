"""The floor a benchmark is measured against: a raw ASGI app that answers every request with
the same recorded response (status, headers, body bytes) and does nothing else.

Served by granian as ``bare_app:app_from_environment`` (``--factory``), with
``BENCH_BARE_RESPONSE`` naming a JSON file written by :func:`write_response`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import msgspec

RESPONSE_VARIABLE = "BENCH_BARE_RESPONSE"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class RecordedResponse(msgspec.Struct, frozen=True):
    status: int
    # Lower-case names, in the order the real app sent them; content-length included.
    headers: list[tuple[str, str]]
    body: bytes


def write_response(path: Path, response: RecordedResponse) -> None:
    path.write_bytes(msgspec.json.encode(response))


def read_response(path: Path) -> RecordedResponse:
    return msgspec.json.decode(path.read_bytes(), type=RecordedResponse)


class BareApp:
    def __init__(self, response: RecordedResponse) -> None:
        self._start: Message = {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name, value in response.headers
            ],
        }
        self._body: Message = {"type": "http.response.body", "body": response.body}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        # Read the request body, as any real endpoint with a body has to.
        while (await receive()).get("more_body", False):
            pass
        await send(self._start)
        await send(self._body)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def app_from_environment() -> BareApp:
    return BareApp(read_response(Path(os.environ[RESPONSE_VARIABLE])))
