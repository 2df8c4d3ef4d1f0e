"""``leadbase serve``: migrate once here, then hand the socket to granian or uvicorn workers.

Workers build their app with ``app_from_environment``, so the settings resolved here
(flags, TOML, LEADBASE_*) travel to them as LEADBASE_* variables.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from leadbase.cli.output import console, fail, reported_errors
from leadbase.cli.settings import ConfigOption, DatabaseUrlOption, display_url, resolve

if TYPE_CHECKING:
    from leadbase.server.config import Settings
    from leadbase.server.demo import DemoSetup

APP_FACTORY = "leadbase.server.app:app_from_environment"


class ServerKind(StrEnum):
    granian = "granian"
    uvicorn = "uvicorn"


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
    server: Annotated[
        ServerKind, typer.Option("--server", help="The ASGI server that runs the workers.")
    ] = ServerKind.granian,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Create (or reuse) a demo organization and print a fresh key for it."
        ),
    ] = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Start the API server; the database is migrated once before any worker starts."""
    check_port_free(host, port)
    with reported_errors():
        settings = _prepare(config_file=config, database_url=database_url, demo=demo)
        setup = asyncio.run(_demo(settings)) if demo else None
    base_url = client_url(host, port)
    if setup is not None:
        print_demo(setup, base_url=base_url)
    console.print(
        f"Leadbase on {base_url} ({workers} {server.value} worker(s), "
        f"database {display_url(settings.database_url)})",
        soft_wrap=True,
    )
    # Workers are forked: anything still buffered would be printed once per process.
    sys.stdout.flush()
    sys.stderr.flush()
    if server is ServerKind.uvicorn:
        _run_uvicorn(host=host, port=port, workers=workers, log_level=settings.log_level)
    else:
        _run_granian(host=host, port=port, workers=workers, log_level=settings.log_level)


def _prepare(*, config_file: Path | None, database_url: str | None, demo: bool) -> Settings:
    """Resolve settings, migrate once, and export them for the workers."""
    import msgspec

    from leadbase.server import db
    from leadbase.server.config import export_to_environment

    settings = resolve(config_file=config_file, database_url=database_url)
    if settings.auto_migrate or demo:
        db.upgrade(settings.database_url)
    # The schema is current now; N workers need not each take the migration lock.
    export_to_environment(msgspec.structs.replace(settings, auto_migrate=False))
    return settings


async def _demo(settings: Settings) -> DemoSetup:
    from leadbase.server.db import Database
    from leadbase.server.demo import prepare_demo

    database = Database(settings.database_url)
    try:
        return await prepare_demo(database, plan=settings.default_plan)
    finally:
        await database.dispose()


def print_demo(setup: DemoSetup, *, base_url: str) -> None:
    """The demo's organization, its key, and curl lines to paste as they are."""
    console.rule("Leadbase demo")
    facts = Table.grid(padding=(0, 2))
    facts.add_row(
        "organization",
        f"{setup.org_name} ({setup.org_id})" + ("" if setup.created else ", reused"),
    )
    facts.add_row(
        "credits",
        f"{setup.credits / 1000:g} (customer: {setup.customer_credits / 1000:g})",
    )
    facts.add_row("customer", f"{setup.customer_name} ({setup.customer_id})")
    facts.add_row("catalog", catalog_line(setup.catalog_people, setup.synthetic_people))
    facts.add_row(
        "API key", f"{setup.key_id}, every customer scope (not catalog:write), shown once:"
    )
    console.print(facts)
    console.print(setup.secret, soft_wrap=True, markup=False)
    console.print()
    console.print("Try it once the server is up:")
    for line in demo_commands(setup, base_url=base_url):
        console.print(line, soft_wrap=True, markup=False)
    console.rule()


def catalog_line(people: int, synthetic: int) -> str:
    """The demo banner's catalog: an operator's imported data is not labelled demo data."""
    if synthetic == people:
        return f"{people:,} people (synthetic demo data)"
    if synthetic == 0:
        return f"{people:,} people (imported)"
    return f"{people:,} people ({synthetic:,} of them synthetic demo data)"


def demo_commands(setup: DemoSetup, *, base_url: str) -> list[str]:
    auth = '-H "Authorization: Bearer $LEADBASE_API_KEY"'
    return [
        f"export LEADBASE_API_KEY={setup.secret}",
        f"curl -s {base_url}/v1/account {auth}",
        f'curl -s {base_url}/v1/account {auth} -H "X-Customer-Id: {setup.customer_id}"',
        f'curl -s -X POST {base_url}/v1/api-keys {auth} -H "Content-Type: application/json"'
        """ -d '{"name": "read only", "scopes": ["account:read"]}'""",
        f"curl -s {base_url}/v1/api-keys {auth}",
        f'curl -s -X POST {base_url}/v1/phones/validate {auth} -H "Content-Type: application/json"'
        """ -d '{"phone": "+1 650 253 0000"}'""",
        f'curl -s -X POST {base_url}/v1/search/people {auth} -H "Content-Type: application/json"'
        """ -d '{"filters": {"seniorities": ["director"], "keywords": "sales"}, "limit": 3}'""",
        f"curl -s {base_url}/v1/account/transactions {auth}",
        f"curl -s {base_url}/v1/errors",
    ]


def check_port_free(host: str, port: int) -> None:
    """Exit with status 1 when something already listens on ``host:port``.

    granian binds with SO_REUSEPORT, so a second server on a taken port would start and
    the kernel would split connections between the two (two databases answering in turn).
    A bind without it fails while another socket listens there.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            fail(
                "address_in_use" if exc.errno == errno.EADDRINUSE else "cannot_listen",
                f"cannot listen on {host}:{port}: {exc.strerror or exc}"
                + (" (is another server running there?)" if exc.errno == errno.EADDRINUSE else ""),
                as_json=False,
            )


def client_url(host: str, port: int) -> str:
    """Where a client on this machine reaches the server (wildcard binds -> loopback)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _run_granian(*, host: str, port: int, workers: int, log_level: str) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    level = log_level.lower()
    Granian(
        target=APP_FACTORY,
        factory=True,
        interface=Interfaces.ASGI,
        address=host,
        port=port,
        workers=workers,
        log_level=LogLevels(level) if level in LogLevels.__members__ else LogLevels.info,
        # The app writes its own JSON access log.
        log_access=False,
    ).serve()


def _run_uvicorn(*, host: str, port: int, workers: int, log_level: str) -> None:
    import uvicorn

    level = log_level.lower()
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=level if level in uvicorn.config.LOG_LEVELS else "info",
        access_log=False,
    )
