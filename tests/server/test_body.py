from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.body import FieldRule, check_json_content_type, decode_struct
from leadbase.server.errors import (
    AtLeastOneRequired,
    InvalidParameter,
    MalformedJson,
    UnsupportedMediaType,
)
from tests.envelopes import assert_error
from tests.factories import Tenant


class Address(msgspec.Struct, forbid_unknown_fields=True):
    city: str


class Contact(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1)]
    age: int | None = None
    tags: list[str] = msgspec.field(default_factory=list)
    address: Address | None = None
    seen_at: dt.datetime | None = None


class Range(msgspec.Struct, forbid_unknown_fields=True):
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low must not exceed high")


class Bounded(msgspec.Struct, forbid_unknown_fields=True):
    bounds: Range | None = None


class Window(msgspec.Struct, forbid_unknown_fields=True):
    days: int

    def __post_init__(self) -> None:
        if self.days % 7:
            raise FieldRule("days", "a whole number of weeks")


class Report(msgspec.Struct, forbid_unknown_fields=True):
    window: Window


class Ranged(msgspec.Struct, forbid_unknown_fields=True):
    days: int
    label: str = ""

    def __post_init__(self) -> None:
        if self.days % 7:
            raise FieldRule("days", "a whole number of weeks")


class Page(msgspec.Struct, forbid_unknown_fields=True):
    window: Ranged
    limit: int = 10


# Unit: content type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "Application/JSON",
        "application/vnd.api+json",
        "application/merge-patch+json; charset=utf-8",
        "application/problem+json",
        'application/json; charset="utf-8"',
        "application/json; charset=utf8",
        "application/json; charset=US-ASCII",
    ],
)
def test_json_content_types_and_a_missing_one_are_accepted(content_type: str | None) -> None:
    check_json_content_type(content_type)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/json",
        "application/jsonx",
        "application/json-seq",
        "",
        # JSON is read as UTF-8: another charset would be misread, not converted.
        "application/json; charset=utf-16",
        'application/json; charset="latin-1"',
    ],
)
def test_other_content_types_are_unsupported(content_type: str) -> None:
    with pytest.raises(UnsupportedMediaType) as raised:
        check_json_content_type(content_type)
    assert raised.value.status == 415
    assert raised.value.param == "Content-Type"


# Unit: decoding --------------------------------------------------------------------------


def test_a_valid_body_decodes_into_the_struct() -> None:
    contact = decode_struct(b'{"name": "Ada", "tags": ["x"], "address": {"city": "Oslo"}}', Contact)
    assert contact == Contact(name="Ada", tags=["x"], address=Address(city="Oslo"))


def test_every_invalid_field_is_in_details_not_just_the_first() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"name": "", "age": "old", "tags": [1], "colour": "red"}', Contact)
    error = raised.value
    assert error.details == {
        "colour": "unknown field",
        "name": "expected a string of at least 1 character",
        "age": "expected an integer or null, got a string",
        "tags": "expected a string, got an integer (at tags[0])",
    }
    assert error.param == "colour"
    assert error.message == "4 fields are invalid: colour, name, age, tags"


class Shaped(msgspec.Struct, forbid_unknown_fields=True):
    since: Annotated[dt.datetime, msgspec.Meta(tz=True)] | None = None
    titles: Annotated[list[str], msgspec.Meta(min_length=1, max_length=2)] | None = None
    country: Annotated[str, msgspec.Meta(pattern="^[A-Za-z]{2}$")] | None = None
    code: Annotated[str, msgspec.Meta(pattern="^[0-9]+$")] | None = None


def _checked(contact: Contact) -> None:
    """An endpoint's own checks: a city of letters, no tag "x", a name with an address."""
    problems: dict[str, str] = {}
    if contact.address is not None and not contact.address.city.isalpha():
        problems["address.city"] = "letters only"
    for index, tag in enumerate(contact.tags):
        if tag == "x":
            problems[f"tags[{index}]"] = "not a tag"
    if problems:
        raise InvalidParameter.of_fields(problems)
    if contact.address is None:
        raise AtLeastOneRequired("a contact needs an address", details={"address": "required"})


def test_the_endpoints_own_checks_of_the_valid_fields_join_the_schemas_errors() -> None:
    body = b'{"name": "Ada", "age": "old", "address": {"city": "0slo"}, "tags": ["x", "y"]}'
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(body, Contact, check=_checked)
    assert raised.value.details == {
        "age": "expected an integer or null, got a string",
        "address.city": "letters only",
        "tags[0]": "not a tag",
    }


def test_a_field_the_schema_refused_is_not_checked_again_nor_its_list() -> None:
    # tags[1] is refused: the whole list is left out of the check (indexes would shift).
    body = b'{"name": "Ada", "tags": ["x", 2], "address": {"city": 5}}'
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(body, Contact, check=_checked)
    assert raised.value.details == {
        "tags": "expected a string, got an integer (at tags[1])",
        "address.city": "expected a string, got an integer",
    }


def test_a_rule_across_fields_waits_for_the_refused_fields() -> None:
    # Without the refused address the check would say one is required: it is not told.
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"name": "Ada", "address": 5}', Contact, check=_checked)
    assert raised.value.details == {"address": "expected an object or null, got an integer"}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            b'{"since": "2026-01-31"}',
            "expected a date-time with its time zone, like 2026-01-31T00:00:00Z (RFC 3339)",
        ),
        (
            b'{"since": "2026-01-31T10:00:00"}',
            "expected a date-time with its time zone, like 2026-01-31T00:00:00Z (RFC 3339)",
        ),
        (b'{"titles": []}', "expected an array of at least 1 item"),
        (b'{"titles": ["a", "b", "c"]}', "expected an array of at most 2 items"),
        (b'{"country": "USA"}', "expected a two-letter ISO 3166-1 country code, like US or DE"),
        (b'{"code": "x"}', "expected a string matching ^[0-9]+$"),
    ],
)
def test_a_shape_rule_is_said_in_words(body: bytes, problem: str) -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(body, Shaped)
    assert list((raised.value.details or {}).values()) == [problem]


def test_a_missing_required_field_is_named() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"age": 3}', Contact)
    assert raised.value.details == {"name": "this field is required"}
    assert raised.value.param == "name"
    assert raised.value.message == "name: this field is required"


def test_a_nested_error_is_keyed_by_its_path() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"name": "Ada", "address": {"city": 7}}', Contact)
    assert raised.value.details == {"address.city": "expected a string, got an integer"}


def test_every_invalid_field_of_a_nested_object_is_in_details() -> None:
    body = b'{"name": "", "address": {"city": 7, "planet": "Mars"}}'
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(body, Contact)
    assert raised.value.details == {
        "name": "expected a string of at least 1 character",
        "address.planet": "unknown field",
        "address.city": "expected a string, got an integer",
    }


def test_a_rule_across_a_nested_objects_fields_is_reported_on_that_object() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"bounds": {"low": 5, "high": 1}}', Bounded)
    assert raised.value.details == {"bounds": "low must not exceed high"}


def test_a_list_of_objects_is_reported_on_the_list_with_the_item_path() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"name": "Ada", "tags": ["a", 7]}', Contact)
    assert raised.value.details == {"tags": "expected a string, got an integer (at tags[1])"}


def test_a_rule_across_fields_is_reported_on_the_body() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"low": 5, "high": 1}', Range)
    assert raised.value.details == {"body": "low must not exceed high"}


def test_a_rule_on_one_field_is_reported_on_that_field_at_any_depth() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"days": 3}', Window)
    assert raised.value.details == {"days": "a whole number of weeks"}
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"window": {"days": 3}}', Report)
    assert (raised.value.param, raised.value.details) == (
        "window.days",
        {"window.days": "a whole number of weeks"},
    )


def test_a_field_rule_is_named_beside_other_invalid_fields() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"limit": "x", "window": {"days": 3, "label": 7}}', Page)
    assert raised.value.details == {
        "limit": "expected an integer, got a string",
        "window.label": "expected a string, got an integer",
        "window.days": "a whole number of weeks",
    }


def test_a_nul_is_named_beside_other_invalid_fields() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"name": "Ada\\u0000", "age": "x"}', Contact)
    assert raised.value.details == {
        "age": "expected an integer or null, got a string",
        "name": "must not contain the NUL character (U+0000)",
    }


def test_a_repeated_key_hiding_an_invalid_value_is_a_validation_error() -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(b'{"low": "x", "low": 1, "high": 2}', Range)
    assert raised.value.details == {"body": "a key appears more than once with an invalid value"}


@pytest.mark.parametrize("body", [b"[1]", b'"text"', b"3", b"null", b"true"])
def test_json_that_is_not_an_object_is_an_invalid_parameter(body: bytes) -> None:
    with pytest.raises(InvalidParameter) as raised:
        decode_struct(body, Contact)
    assert raised.value.details == {"body": "expected a JSON object"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "Ada"',
        b"not json",
        b"\xff\xfe\x00",
        b'{"name": "\xff"}',
        # The first field is invalid, so the typed decode stops before the syntax error.
        b'{"age": "x", "name": ',
        b'{"age": "x", "name": "\xc3\x28"}',
    ],
    ids=[
        "truncated",
        "text",
        "binary",
        "bad-utf8-in-string",
        "invalid-then-truncated",
        "invalid-then-bad-utf8",
    ],
)
def test_bytes_that_are_not_json_are_malformed_json(body: bytes) -> None:
    with pytest.raises(MalformedJson) as raised:
        decode_struct(body, Contact)
    assert raised.value.details is not None
    assert set(raised.value.details) == {"body"}


# Through HTTP: POST /v1/api-keys ---------------------------------------------------------


def test_an_empty_body_is_payload_is_empty(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.post("/v1/api-keys", headers=tenant.headers)
    assert_error(response, 400, "payload_is_empty", param=None, details=None)


def test_a_whitespace_body_is_payload_is_empty(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=b"  \n ",
    )
    assert_error(response, 400, "payload_is_empty", param=None, details=None)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"name": "x"', "Input data was truncated"),
        (b"<name>x</name>", "JSON is malformed: invalid character (byte 0)"),
        (
            b'{"name": "\xff"}',
            "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
        ),
        (b'{"name": "x", "tags": ' + b"[" * 5000 + b"]" * 5000 + b"}", "JSON is nested too deeply"),
        (b'{"name": 7, "tags": ' + b"[" * 5000 + b"]" * 5000 + b"}", "JSON is nested too deeply"),
    ],
    ids=["truncated", "not-json", "invalid-utf8", "nested-too-deeply", "invalid-then-nested"],
)
def test_a_body_that_is_not_json_is_malformed_json(
    client: TestClient[Litestar], tenant: Tenant, body: bytes, problem: str
) -> None:
    response = client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=body,
    )
    error = assert_error(response, 400, "malformed_json", param=None, details={"body": problem})
    assert error["message"] == f"The request body is not valid JSON: {problem}."


def test_a_json_array_body_is_an_invalid_parameter(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post("/v1/api-keys", headers=tenant.headers, json=[1])
    assert_error(
        response, 400, "invalid_parameter", param=None, details={"body": "expected a JSON object"}
    )


def test_every_invalid_field_of_the_body_is_keyed_in_details(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post(
        "/v1/api-keys",
        headers=tenant.headers,
        json={
            "name": 7,
            "scopes": "people:read",
            "expires_at": "tomorrow",
            "requires_customer": "yes",
            "colour": "red",
        },
    )
    error = assert_error(
        response,
        400,
        "invalid_parameter",
        param="colour",
        details={
            "colour": "unknown field",
            "name": "expected a string, got an integer",
            "scopes": "expected an array or null, got a string",
            "expires_at": "expected a date-time with its time zone, like 2026-01-31T00:00:00Z (RFC 3339)",
            "requires_customer": "expected true or false, got a string",
        },
    )
    assert error["message"] == (
        "5 fields are invalid: colour, name, scopes, expires_at, requires_customer"
    )


def test_a_missing_required_body_field_is_an_invalid_parameter(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post("/v1/api-keys", headers=tenant.headers, json={"scopes": []})
    assert_error(
        response,
        400,
        "invalid_parameter",
        param="name",
        details={"name": "this field is required"},
    )


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "text/plain; charset=utf-8"],
)
def test_a_body_that_is_not_declared_json_is_unsupported_media_type(
    client: TestClient[Litestar], tenant: Tenant, content_type: str
) -> None:
    response = client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": content_type},
        content=b'{"name": "ci"}',
    )
    media_type = content_type.split(";")[0]
    error = assert_error(
        response, 415, "unsupported_media_type", param="Content-Type", details=None
    )
    assert error["message"] == (
        f"Content-Type {media_type!r} is not supported; send application/json."
    )


def test_a_form_post_is_unsupported_media_type(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post("/v1/api-keys", headers=tenant.headers, data={"name": "ci"})
    assert_error(response, 415, "unsupported_media_type", param="Content-Type")


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "application/vnd.api+json", None],
)
def test_json_flavoured_or_missing_content_types_are_accepted(
    client: TestClient[Litestar], tenant: Tenant, content_type: str | None
) -> None:
    headers = dict(tenant.headers)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = client.post(
        "/v1/api-keys", headers=headers, content=b'{"name": "ci", "scopes": ["account:read"]}'
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["scopes"] == ["account:read"]
