"""Clients over httpx.MockTransport: scripted answers, every request and wait recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from leadbase import AsyncLeadbase, Leadbase

API_KEY = "lb_live_test"
BASE_URL = "http://leadbase.test"

Answer = httpx.Response | Exception

ACCOUNT: dict[str, Any] = {
    "id": "org_1",
    "name": "Acme",
    "plan": "standard",
    "active": True,
    "entitlements": ["bulk"],
    "parent_id": None,
    "acting_as_customer": False,
    "customers": [],
    "api_key": {"id": "key_1", "scopes": ["account:read"]},
    "credits": {"balance": 10.0, "reserved": 0.0, "available": 10.0},
    "prices": {"people.enrich": 1.0},
    "created_at": "2026-01-02T03:04:05Z",
}


def ok(data: Any = None, **meta: Any) -> httpx.Response:
    return httpx.Response(
        200, json={"data": {} if data is None else data, "meta": {"request_id": "req_ok", **meta}}
    )


def error(status: int, code: str = "x", **headers: str) -> httpx.Response:
    body = {"error": {"type": "t", "code": code, "message": f"{status} {code}", "status": status}}
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class Script:
    """Answers in order (the last one repeats); records each request and each wait."""

    answers: list[Answer]
    requests: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        # A response is read once; each request gets a fresh copy of the scripted one.
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self.handle(request)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def sleep_async(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def bodies(self) -> list[Any]:
        return [
            json.loads(request.content) if request.content else None for request in self.requests
        ]

    def header(self, name: str) -> list[str | None]:
        return [request.headers.get(name) for request in self.requests]


def scripted(*answers: Answer) -> Script:
    return Script(list(answers))


def sync_client(script: Script, **options: Any) -> Leadbase:
    http = httpx.Client(transport=httpx.MockTransport(script.handle))
    return Leadbase(
        api_key=API_KEY, base_url=BASE_URL, http_client=http, sleep=script.sleep, **options
    )


def async_client(script: Script, **options: Any) -> AsyncLeadbase:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script.handle_async))
    return AsyncLeadbase(
        api_key=API_KEY, base_url=BASE_URL, http_client=http, sleep=script.sleep_async, **options
    )


def handler_client(handle: Callable[[httpx.Request], httpx.Response], **options: Any) -> Leadbase:
    http = httpx.Client(transport=httpx.MockTransport(handle))
    return Leadbase(api_key=API_KEY, base_url=BASE_URL, http_client=http, **options)
