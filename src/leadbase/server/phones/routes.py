from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Principal
from leadbase.server.body import parse_body
from leadbase.server.envelope import Envelope
from leadbase.server.phones import service as phones
from leadbase.server.phones.schemas import PhoneValidation, ValidatePhone
from leadbase.server.pipeline import Outcome, operation, run


@post(
    "/v1/phones/validate",
    opt=operation(
        scope="phones:find",
        body=ValidatePhone,
        metered="phones.validate",
        response=Envelope[PhoneValidation],
    ),
    status_code=200,
    tags=["phones"],
)
async def validate_phone(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Parse, validate and format one number; 0.1 credit when it is valid, free otherwise."""
    data = await parse_body(request, ValidatePhone)

    async def perform(_session: AsyncSession) -> Outcome[PhoneValidation]:
        result = phones.validate(data.phone, default_region=data.default_region)
        return Outcome(data=result, units=1 if result.valid else 0)

    return await run(request, principal, perform=perform, max_units=1)


ROUTES = [validate_phone]
