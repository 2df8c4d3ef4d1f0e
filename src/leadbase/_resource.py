"""Base classes of the resources (``client.people``, ...) and how they read answers."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from leadbase._base import APIRequest, Parse
from leadbase._convert import convert
from leadbase._models import Meta, Model
from leadbase._pagination import AsyncPage, AsyncPaginator, ListResult, Page

T = TypeVar("T")
M = TypeVar("M", bound=Model)


class SyncRequester(Protocol):
    def _request(self, spec: APIRequest[T]) -> T: ...


class AsyncRequester(Protocol):
    async def _request(self, spec: APIRequest[T]) -> T: ...


def model(cls: type[M]) -> Parse[M]:
    """Read ``data`` as one ``cls``, carrying the response's meta."""

    def parse(data: Any, meta: Meta) -> M:
        return convert(cls, data, meta=meta)

    return parse


def items(cls: type[M]) -> Parse[ListResult[M]]:
    """Read ``data`` as a list of ``cls``."""

    def parse(data: Any, meta: Meta) -> ListResult[M]:
        return ListResult(_models(cls, data), meta)

    return parse


def _models(cls: type[M], data: Any) -> list[M]:
    if not isinstance(data, list):
        raise TypeError(f"expected a list of {cls.__name__}, got {type(data).__name__}")
    return [convert(cls, item) for item in data]


def raw(data: Any, meta: Meta) -> Any:
    """``data`` as it is: the parse of a page request, which the page replaces."""
    return data


# A page's request, for a cursor (None for the first page); its parse is set here.
PageRequest = Callable[[str | None], APIRequest[Any]]


class SyncAPIResource:
    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def _page(self, cls: type[M], request: PageRequest, cursor: str | None) -> Page[M]:
        def fetch(at: str | None) -> Page[M]:
            def parse(data: Any, meta: Meta) -> Page[M]:
                return Page(_models(cls, data), meta, fetch)

            return self._client._request(dataclasses.replace(request(at), parse=parse))

        return fetch(cursor)


class AsyncAPIResource:
    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    def _page(self, cls: type[M], request: PageRequest, cursor: str | None) -> AsyncPaginator[M]:
        async def fetch(at: str | None) -> AsyncPage[M]:
            def parse(data: Any, meta: Meta) -> AsyncPage[M]:
                return AsyncPage(_models(cls, data), meta, fetch)

            return await self._client._request(dataclasses.replace(request(at), parse=parse))

        first: Callable[[], Awaitable[AsyncPage[M]]] = lambda: fetch(cursor)  # noqa: E731
        return AsyncPaginator(first)
