"""leadbase.webhooks.verify against the reference Standard Webhooks signer."""

from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from standardwebhooks.webhooks import Webhook

import leadbase
from leadbase import WebhookVerificationError

SECRET = "whsec_" + base64.b64encode(b"a secret of thirty-two bytes!!!!").decode()
PAYLOAD = '{"type": "job.completed", "data": {"id": "job_1"}}'
MESSAGE_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"


def signed(
    payload: str = PAYLOAD, *, at: float | None = None, secret: str = SECRET
) -> dict[str, str]:
    """Headers as a Standard Webhooks sender makes them (the reference library signs)."""
    moment = dt.datetime.fromtimestamp(time.time() if at is None else at, tz=dt.UTC)
    signature = Webhook(secret).sign(MESSAGE_ID, moment, payload)
    return {
        "webhook-id": MESSAGE_ID,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
    }


def test_a_reference_signature_verifies_and_gives_the_payload() -> None:
    event = leadbase.webhooks.verify(PAYLOAD, signed(), SECRET)
    assert event == {"type": "job.completed", "data": {"id": "job_1"}}


def test_bytes_and_header_case_do_not_matter() -> None:
    headers = {name.title(): value for name, value in signed().items()}
    assert leadbase.webhooks.verify(PAYLOAD.encode(), headers, SECRET)["type"] == "job.completed"


def test_our_signer_matches_the_reference() -> None:
    headers = signed(at=1_700_000_000)
    ours = leadbase.webhooks.sign(
        PAYLOAD, secret=SECRET, message_id=MESSAGE_ID, timestamp=1_700_000_000
    )
    assert ours == headers["webhook-signature"]


def test_the_reference_verifier_accepts_what_we_sign() -> None:
    now = int(time.time())
    signature = leadbase.webhooks.sign(PAYLOAD, secret=SECRET, message_id=MESSAGE_ID, timestamp=now)
    headers = {
        "webhook-id": MESSAGE_ID,
        "webhook-timestamp": str(now),
        "webhook-signature": signature,
    }
    assert Webhook(SECRET).verify(PAYLOAD, headers) == leadbase.webhooks.verify(
        PAYLOAD, headers, SECRET
    )


def test_one_matching_signature_among_several_is_enough() -> None:
    headers = signed()
    other = "v1," + base64.b64encode(b"x" * 32).decode()
    headers["webhook-signature"] = f"v2,abc {other} {headers['webhook-signature']}"
    assert leadbase.webhooks.verify(PAYLOAD, headers, SECRET)


@pytest.mark.parametrize(
    ("payload", "secret"),
    [
        (PAYLOAD.replace("job_1", "job_2"), SECRET),
        (PAYLOAD + " ", SECRET),
        (PAYLOAD, "whsec_" + base64.b64encode(b"another secret").decode()),
    ],
    ids=["tampered", "one-more-byte", "wrong-secret"],
)
def test_a_changed_payload_or_another_secret_fails(payload: str, secret: str) -> None:
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        leadbase.webhooks.verify(payload, signed(), secret)


@pytest.mark.parametrize(("offset", "reason"), [(-301, "too old"), (301, "future")])
def test_timestamps_beyond_five_minutes_fail(offset: int, reason: str) -> None:
    headers = signed(at=time.time() + offset)
    with pytest.raises(WebhookVerificationError, match=reason):
        leadbase.webhooks.verify(PAYLOAD, headers, SECRET)


def test_timestamps_within_five_minutes_pass() -> None:
    for offset in (-290, 290):
        assert leadbase.webhooks.verify(PAYLOAD, signed(at=time.time() + offset), SECRET)


def test_the_tolerance_is_configurable() -> None:
    headers = signed(at=time.time() - 60)
    with pytest.raises(WebhookVerificationError):
        leadbase.webhooks.verify(PAYLOAD, headers, SECRET, tolerance=30)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_fails(missing: str) -> None:
    headers = signed()
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match="missing"):
        leadbase.webhooks.verify(PAYLOAD, headers, SECRET)


def test_a_signature_of_another_version_only_fails() -> None:
    headers = signed()
    headers["webhook-signature"] = headers["webhook-signature"].replace("v1,", "v1a,")
    with pytest.raises(WebhookVerificationError):
        leadbase.webhooks.verify(PAYLOAD, headers, SECRET)


def test_a_secret_that_is_not_base64_fails() -> None:
    with pytest.raises(WebhookVerificationError, match="whsec_"):
        leadbase.webhooks.verify(PAYLOAD, signed(), "whsec_not base64!")


def test_a_non_numeric_timestamp_fails() -> None:
    headers = {**signed(), "webhook-timestamp": "yesterday"}
    with pytest.raises(WebhookVerificationError, match="epoch"):
        leadbase.webhooks.verify(PAYLOAD, headers, SECRET)
