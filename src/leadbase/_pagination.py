"""Pages of a listing that walk ``meta.next_cursor`` lazily, and plain (unpaged) lists.

Iterating a page yields its items, then fetches the next page only when those run out,
while ``meta.has_more`` is true. ``page.data`` is this page's items alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from leadbase._models import Meta

T = TypeVar("T")


class ListResult(Sequence[T]):
    """The items of an unpaged listing, with the response's meta."""

    __slots__ = ("data", "meta")

    def __init__(self, data: Sequence[T], meta: Meta) -> None:
        self.data = tuple(data)
        self.meta = meta

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.data[index]

    def __len__(self) -> int:
        return len(self.data)

    @property
    def has_more(self) -> bool:
        return bool(self.meta.has_more)

    def __repr__(self) -> str:
        return f"ListResult({list(self.data)!r})"


class _PageBase(Generic[T]):
    __slots__ = ("data", "meta")

    def __init__(self, data: Sequence[T], meta: Meta) -> None:
        self.data: tuple[T, ...] = tuple(data)
        self.meta = meta

    @property
    def next_cursor(self) -> str | None:
        return self.meta.next_cursor

    @property
    def request_id(self) -> str | None:
        return self.meta.request_id

    def has_next_page(self) -> bool:
        return bool(self.meta.has_more and self.meta.next_cursor)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={list(self.data)!r}, next_cursor={self.next_cursor!r})"


class Page(_PageBase[T]):
    """One page of a listing (sync). ``for item in page`` walks every later page too."""

    __slots__ = ("_fetch",)

    def __init__(self, data: Sequence[T], meta: Meta, fetch: Callable[[str], Page[T]]) -> None:
        super().__init__(data, meta)
        self._fetch = fetch

    def next_page(self) -> Page[T]:
        """The page after this one; check ``has_next_page()`` first."""
        if not self.has_next_page() or self.next_cursor is None:
            raise RuntimeError("this is the last page; check has_next_page() first")
        return self._fetch(self.next_cursor)

    def iter_pages(self) -> Iterator[Page[T]]:
        """This page, then each next page, fetched when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this and the following pages, fetching each page when needed."""
        for page in self.iter_pages():
            yield from page.data

    def __iter__(self) -> Iterator[T]:
        return self.auto_paging_iter()


class AsyncPage(_PageBase[T]):
    """One page of a listing (async). ``async for item in page`` walks every later page."""

    __slots__ = ("_fetch",)

    def __init__(
        self, data: Sequence[T], meta: Meta, fetch: Callable[[str], Awaitable[AsyncPage[T]]]
    ) -> None:
        super().__init__(data, meta)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T]:
        """The page after this one; check ``has_next_page()`` first."""
        if not self.has_next_page() or self.next_cursor is None:
            raise RuntimeError("this is the last page; check has_next_page() first")
        return await self._fetch(self.next_cursor)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self.auto_paging_iter()


class AsyncPaginator(Generic[T]):
    """What an async listing method returns: ``await`` it for the first page, or
    ``async for`` over it to walk every item (pages fetched as they are reached)."""

    __slots__ = ("_first",)

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def _walk(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._walk()
