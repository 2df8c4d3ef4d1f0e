from __future__ import annotations

import msgspec
import pytest

from leadbase.server.envelope import (
    Envelope,
    Meta,
    doc_url,
    error_envelope,
    problem_details,
    wants_problem_json,
)
from leadbase.server.errors import InvalidParameter, NotFound


def test_doc_url_points_at_the_code_in_the_catalog() -> None:
    assert doc_url("invalid_cursor") == "/v1/errors#invalid_cursor"


def test_error_envelope_has_every_field_of_api_md_in_order() -> None:
    error = InvalidParameter(
        "linkedin_url is not a LinkedIn profile URL",
        param="linkedin_url",
        details={"linkedin_url": "expected https://www.linkedin.com/in/<slug>"},
    )
    encoded = msgspec.json.encode(error_envelope(error, "req_1"))
    assert encoded == (
        b'{"error":{"type":"invalid_request_error","code":"invalid_parameter",'
        b'"message":"linkedin_url is not a LinkedIn profile URL","param":"linkedin_url",'
        b'"details":{"linkedin_url":"expected https://www.linkedin.com/in/<slug>"},'
        b'"status":400,"request_id":"req_1","doc_url":"/v1/errors#invalid_parameter"}}'
    )


def test_param_and_details_are_null_when_they_do_not_apply() -> None:
    body = msgspec.to_builtins(error_envelope(NotFound(), "req_2"))
    assert body["error"]["param"] is None
    assert body["error"]["details"] is None


def test_problem_details_map_the_error_onto_rfc_9457_members() -> None:
    error = InvalidParameter("2 fields are invalid", param="a", details={"a": "x", "b": "y"})
    problem = msgspec.to_builtins(problem_details(error, "req_3", "/v1/api-keys"))
    assert problem == {
        "type": "/v1/errors#invalid_parameter",
        "title": InvalidParameter.description,
        "status": 400,
        "detail": "2 fields are invalid",
        "instance": "/v1/api-keys",
        "code": "invalid_parameter",
        "param": "a",
        "errors": {"a": "x", "b": "y"},
        "request_id": "req_3",
    }


def test_meta_leaves_out_what_does_not_apply() -> None:
    assert msgspec.to_builtins(Envelope(data=[], meta=Meta(request_id="req_4"))) == {
        "data": [],
        "meta": {"request_id": "req_4"},
    }


def test_the_last_page_of_a_listing_says_next_cursor_null() -> None:
    last_page = Meta(request_id="req_5", next_cursor=None, has_more=False)
    assert msgspec.json.encode(last_page) == (
        b'{"request_id":"req_5","next_cursor":null,"has_more":false}'
    )


def test_a_metered_call_that_billed_nothing_says_zero_credits() -> None:
    assert msgspec.to_builtins(Meta(request_id="req_6", credits_charged=0.0)) == {
        "request_id": "req_6",
        "credits_charged": 0.0,
    }


@pytest.mark.parametrize(
    "accept",
    [
        "application/problem+json",
        "APPLICATION/PROBLEM+JSON",
        "application/json, application/problem+json",
        "application/problem+json;q=0.5, application/json;q=0.9",
        "text/html , application/problem+json ; q=1",
        "application/problem+json; charset=utf-8",
    ],
)
def test_problem_json_is_wanted_when_listed_with_a_positive_quality(accept: str) -> None:
    assert wants_problem_json(accept)


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "",
        "*/*",
        "application/json",
        "application/*",
        "application/json, application/problem+json;q=0",
        "application/problem+json;q=0.0",
        "application/problem+json;q=nonsense",
        "application/problem+jsonx",
    ],
)
def test_problem_json_is_not_wanted_otherwise(accept: str | None) -> None:
    assert not wants_problem_json(accept)
