from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth import service as api_keys
from leadbase.server.auth.authenticate import Principal
from leadbase.server.auth.schemas import ApiKeyOut, CreateApiKey, CreatedApiKeyOut
from leadbase.server.body import parse_body
from leadbase.server.envelope import Envelope
from leadbase.server.pagination import (
    DEFAULT_PAGE_SIZE,
    PageCursor,
    PageLimit,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from leadbase.server.pipeline import Outcome, envelope, operation, run, services_of

_LISTING = "api_keys"


@post(
    "/v1/api-keys",
    opt=operation(scope="keys:manage", body=CreateApiKey, response=Envelope[CreatedApiKeyOut]),
    status_code=201,
    tags=["api keys"],
)
async def create_api_key(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Create a key for the organization this call acts for; the secret is shown once.

    An idempotent replay answers the same key with ``key: null``: the secret is never stored.
    """
    data = await parse_body(request, CreateApiKey)
    scopes = api_keys.check_new_key(
        data.scopes if data.scopes is not None else principal.scopes,
        expires_at=data.expires_at,
        granted=principal.scopes,
    )

    async def perform(session: AsyncSession) -> Outcome[CreatedApiKeyOut]:
        created = await api_keys.create(
            session,
            org_id=principal.acting_org_id,
            name=data.name,
            scopes=scopes,
            customer_id=data.customer_id,
            requires_customer=data.requires_customer,
            expires_at=data.expires_at,
        )
        shown = CreatedApiKeyOut(**_fields(ApiKeyOut.of(created.key)), key=created.secret)
        return Outcome(data=shown, replay_data=msgspec.structs.replace(shown, key=None))

    return await run(request, principal, perform=perform, status_code=201, perform_writes=True)


@get("/v1/api-keys", opt=operation(scope="keys:manage"), tags=["api keys"])
async def list_api_keys(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    session: NamedDependency[AsyncSession],
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: PageCursor = None,
) -> Envelope[list[ApiKeyOut]]:
    """Keys of the organization this call acts for, newest first (prefix only, never the secret)."""
    check_limit(limit)
    after = decode_cursor(_LISTING, cursor)
    keys, has_more = await api_keys.list_page(
        session, org_id=principal.acting_org_id, limit=limit, after=after
    )
    next_cursor = encode_cursor(_LISTING, keys[-1].id) if has_more else None
    return envelope(
        request, [ApiKeyOut.of(key) for key in keys], next_cursor=next_cursor, has_more=has_more
    )


@delete(
    "/v1/api-keys/{key_id:str}",
    opt=operation(scope="keys:manage"),
    status_code=200,
    tags=["api keys"],
)
async def revoke_api_key(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    session: NamedDependency[AsyncSession],
    state: State,
    key_id: FromPath[str],
) -> Envelope[ApiKeyOut]:
    """Revoke a key; every process refuses it within a second."""
    key = await api_keys.revoke(session, key_id=key_id, org_id=principal.acting_org_id)
    services_of(state).authenticator.forget_key(key.secret_hash)
    return envelope(request, ApiKeyOut.of(key))


def _fields(out: ApiKeyOut) -> dict[str, Any]:
    return {name: getattr(out, name) for name in out.__struct_fields__}


ROUTES = [create_api_key, list_api_keys, revoke_api_key]
