"""Real servers for the SDK tests: the app over TCP (uvicorn in a thread) or in-process
(httpx's ASGITransport), and the tenants and catalog they serve."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
import uvicorn

from leadbase import AsyncLeadbase, Leadbase
from leadbase.server.app import create_app
from leadbase.server.config import Settings
from tests.factories import Tenant

START_DEADLINE_SECONDS = 20.0


@contextmanager
def tcp_server(settings: Settings) -> Iterator[str]:
    """The app on a free loopback port, served by uvicorn in a thread; yields its base URL."""
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def sync_client(base_url: str, tenant: Tenant, **options: object) -> Iterator[Leadbase]:
    with Leadbase(api_key=tenant.secret, base_url=base_url, **options) as client:  # type: ignore[arg-type]
        yield client


@asynccontextmanager
async def asgi_client(settings: Settings, tenant: Tenant) -> AsyncIterator[AsyncLeadbase]:
    """An async client talking to the app in this event loop, lifespan included."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport) as http,
        AsyncLeadbase(
            api_key=tenant.secret, base_url="http://testserver", http_client=http
        ) as client,
    ):
        yield client
