"""What every command prints: rich for people, JSON for scripts, one shape for failures.

Exit codes: 0 success; 1 when the command could not do its work (a Leadbase error such
as ``not_found`` or ``invalid_parameter``, unusable settings, an unreachable database);
2 for a command line that does not parse (Typer's own usage errors).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, ProgressColumn

# Consoles resolve sys.stdout / sys.stderr when they print, so test runners can capture them.
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

FAILURE = 1
SERVER_EXTRA_HINT = 'this command needs the server: pip install "leadbase[server]"'


def print_json(text: str) -> None:
    """One JSON document on stdout, exactly as given (no markup, no wrapping)."""
    typer.echo(text)


def fail(
    code: str,
    message: str,
    *,
    as_json: bool,
    param: str | None = None,
    details: Mapping[str, Any] | None = None,
    request_id: str | None = None,
) -> NoReturn:
    """Report why the command failed, on stderr, and exit with status 1."""
    if as_json:
        error = {"code": code, "message": message, "param": param, "details": details}
        if request_id is not None:
            error["request_id"] = request_id
        typer.echo(json.dumps({"error": error}, default=str), err=True)
    else:
        where = f" (request_id {request_id})" if request_id else ""
        errors.print(
            f"[bold red]error[/] [bold]{code}[/]: {escape(message)}{escape(where)}", soft_wrap=True
        )
        if details:
            for name, reason in details.items():
                errors.print(f"  {escape(str(name))}: {escape(str(reason))}", soft_wrap=True)
    raise typer.Exit(FAILURE)


@contextmanager
def reported_errors(*, as_json: bool = False) -> Iterator[None]:
    """Turn the errors a server command can meet into a message and exit status 1."""
    try:
        from sqlalchemy.exc import DBAPIError

        from leadbase.server.config import SettingsError
        from leadbase.server.errors import LeadbaseError
    except ModuleNotFoundError as exc:
        fail("server_not_installed", f"{SERVER_EXTRA_HINT} ({exc})", as_json=as_json)
    try:
        yield
    except LeadbaseError as exc:
        fail(exc.code, exc.message, as_json=as_json, param=exc.param, details=exc.details)
    except SettingsError as exc:
        fail("invalid_settings", str(exc), as_json=as_json)
    except DBAPIError as exc:
        reason = str(exc.orig).strip() if exc.orig is not None else str(exc)
        fail("database_error", reason, as_json=as_json)


@contextmanager
def progress_bar(
    *columns: str | ProgressColumn, enabled: bool
) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr, when it is a terminal, and the callback that moves it: (done, total)."""
    if not (enabled and errors.is_terminal):
        yield None
        return
    with Progress(*columns, console=errors, transient=True) as bar:
        task = bar.add_task("", total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield on_progress
