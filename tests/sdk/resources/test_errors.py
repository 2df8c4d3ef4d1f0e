"""client.errors: the server's catalog, and its codes are the SDK's codes."""

from __future__ import annotations

import pytest

from leadbase import AsyncLeadbase, Leadbase
from leadbase._exceptions import error_class


def test_every_catalog_status_maps_to_a_class_of_that_status(api: Leadbase) -> None:
    codes = api.errors.list()
    assert {"invalid_parameter", "no_match", "idempotency_key_in_use"} <= {c.code for c in codes}
    for entry in codes:
        assert error_class(entry.status).__name__.endswith("Error")
    retryable = {entry.code for entry in codes if entry.retryable}
    assert retryable == {
        "idempotency_key_in_use",
        "rate_limit_exceeded",
        "concurrency_limit_exceeded",
        "internal_error",
        "upstream_unavailable",
        "upstream_timeout",
    }, "the SDK retries exactly these (with 408 and connection errors)"


@pytest.mark.anyio
async def test_async_list(async_api: AsyncLeadbase) -> None:
    assert len(await async_api.errors.list()) > 30
