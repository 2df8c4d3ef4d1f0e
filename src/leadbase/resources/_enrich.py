"""The requests people and companies share: a record by id, enrich one, enrich a chunk."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from leadbase import _bulk
from leadbase._base import APIRequest, NotGiven, Timeout, get, post, segment
from leadbase._models import Mode, Model
from leadbase._resource import model

RecordT = TypeVar("RecordT", bound=Model)
OneT = TypeVar("OneT", bound=Model)
BulkT = TypeVar("BulkT", bound=Model)


@dataclass(frozen=True, slots=True)
class EnrichEndpoints(Generic[RecordT, OneT, BulkT]):
    """``/v1/<kind>/{id}``, ``/v1/<kind>/enrich`` and ``/v1/<kind>/enrich/bulk``."""

    kind: str
    record: type[RecordT]
    one: type[OneT]
    bulk: type[BulkT]

    def get(self, record_id: str, timeout: Timeout | NotGiven) -> APIRequest[RecordT]:
        return get(
            f"/v1/{self.kind}/{segment(record_id)}",
            model(self.record),
            timeout=timeout,
            billed=True,
        )

    def enrich(
        self,
        identifiers: Mapping[str, object],
        mode: Mode,
        idempotency_key: str | None,
        timeout: Timeout | NotGiven,
    ) -> APIRequest[OneT]:
        return post(
            f"/v1/{self.kind}/enrich",
            {**identifiers, "mode": mode},
            model(self.one),
            idempotency_key=idempotency_key,
            timeout=timeout,
        )

    def enrich_bulk(
        self,
        rows: Sequence[Mapping[str, object]],
        mode: Mode,
        idempotency_key: str | None,
        timeout: Timeout | NotGiven,
    ) -> APIRequest[BulkT]:
        return post(
            f"/v1/{self.kind}/enrich/bulk",
            {"rows": list(rows), "mode": mode},
            model(self.bulk),
            idempotency_key=idempotency_key,
            timeout=timeout,
        )

    def chunk(
        self, mode: Mode, timeout: Timeout | NotGiven
    ) -> Callable[[_bulk.Chunk], APIRequest[BulkT]]:
        """The bulk request of one chunk of ``enrich_many``."""

        def request(chunk: _bulk.Chunk) -> APIRequest[BulkT]:
            return self.enrich_bulk(chunk.rows, mode, chunk.idempotency_key, timeout)

        return request
