"""``client.phones``: parse, validate and format a phone number."""

from __future__ import annotations

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, post
from leadbase._resource import AsyncAPIResource, SyncAPIResource, model


def _validate(
    phone: str,
    default_region: str | None,
    idempotency_key: str | None,
    timeout: Timeout | NotGiven,
) -> APIRequest[models.PhoneValidation]:
    return post(
        "/v1/phones/validate",
        {"phone": phone, "default_region": default_region},
        model(models.PhoneValidation),
        idempotency_key=idempotency_key,
        timeout=timeout,
    )


class Phones(SyncAPIResource):
    def validate(
        self,
        *,
        phone: str,
        default_region: str | None = None,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.PhoneValidation:
        """Parse, validate and format one number (``default_region`` for numbers without
        +country code, e.g. "US"); 0.1 credit when it is valid, free otherwise."""
        return self._client._request(_validate(phone, default_region, idempotency_key, timeout))


class AsyncPhones(AsyncAPIResource):
    async def validate(
        self,
        *,
        phone: str,
        default_region: str | None = None,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.PhoneValidation:
        """Parse, validate and format one number; 0.1 credit when it is valid."""
        request = _validate(phone, default_region, idempotency_key, timeout)
        return await self._client._request(request)
