"""Standard Webhooks signatures: ``leadbase.webhooks.verify(payload, headers, secret)``.

A delivery carries ``webhook-id``, ``webhook-timestamp`` (epoch seconds) and
``webhook-signature``: space-separated ``v1,<base64 HMAC-SHA256>`` of
``"{id}.{timestamp}.{payload}"`` under the endpoint's secret ``whsec_<base64>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any, Final

from leadbase._exceptions import WebhookVerificationError

SECRET_PREFIX: Final = "whsec_"
# How far a delivery's timestamp may be from now, either way, in seconds.
DEFAULT_TOLERANCE: Final = 5 * 60


def verify(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> Any:
    """The delivery's JSON payload, once its signature and timestamp check out.

    Pass the body exactly as received (before any JSON parsing) and its headers (any
    case). Raises ``WebhookVerificationError`` for a missing header, a timestamp more than
    ``tolerance`` seconds away from now, or no matching ``v1`` signature.
    """
    found = {name.lower(): value for name, value in headers.items()}
    message_id = found.get("webhook-id")
    timestamp = found.get("webhook-timestamp")
    signatures = found.get("webhook-signature")
    if not (message_id and timestamp and signatures):
        raise WebhookVerificationError(
            "missing webhook-id, webhook-timestamp or webhook-signature header"
        )
    _check_timestamp(timestamp, tolerance=tolerance, now=time.time() if now is None else now)
    body = payload if isinstance(payload, bytes) else payload.encode()
    expected = _signature(_key(secret), message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in _v1_signatures(signatures)):
        raise WebhookVerificationError("no matching signature")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise WebhookVerificationError("the payload is not JSON") from exc


def sign(payload: bytes | str, *, secret: str, message_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` header value for a payload (for tests and senders)."""
    body = payload if isinstance(payload, bytes) else payload.encode()
    digest = _signature(_key(secret), message_id, str(timestamp), body)
    return "v1," + base64.b64encode(digest).decode()


def _key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WebhookVerificationError("the secret is not whsec_<base64>") from exc
    if not key:
        raise WebhookVerificationError("the secret is empty")
    return key


def _signature(key: bytes, message_id: str, timestamp: str, body: bytes) -> bytes:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return hmac.new(key, signed, hashlib.sha256).digest()


def _v1_signatures(header: str) -> list[bytes]:
    found: list[bytes] = []
    for item in header.split():
        version, _, encoded = item.partition(",")
        if version != "v1":
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def _check_timestamp(value: str, *, tolerance: float, now: float) -> None:
    try:
        timestamp = int(value)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not epoch seconds") from None
    if timestamp < now - tolerance:
        raise WebhookVerificationError("the delivery's timestamp is too old")
    if timestamp > now + tolerance:
        raise WebhookVerificationError("the delivery's timestamp is in the future")
