"""Request bodies: content type, emptiness, JSON syntax, then every invalid field at once;
and no NUL character anywhere a request carries text (``nul``).

msgspec stops at the first invalid field; API.md wants them all in ``details``, so a body
that fails the fast typed decode is decoded again untyped and checked field by field, and
the endpoint's own checks (``check``: an email's syntax, a LinkedIn URL's kind, a filter's
words) run on the fields that passed, so that one answer names every invalid field.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import msgspec
from litestar import Request

from leadbase.server import nul
from leadbase.server.errors import (
    InvalidLinkedinUrl,
    InvalidParameter,
    LeadbaseError,
    MalformedJson,
    PayloadIsEmpty,
    UnsupportedMediaType,
)

S = TypeVar("S", bound=msgspec.Struct)

_JSON_MEDIA_TYPE = re.compile(r"^application/([a-z0-9.+-]+\+)?json$")
# ASCII is UTF-8 too.
_UTF8_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_CHARSET = re.compile(r"(?:^|;)\s*charset\s*=\s*\"?([^\";\s]*)", re.IGNORECASE)
_MSGSPEC_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
# msgspec raises UnicodeDecodeError, not DecodeError, for invalid UTF-8 inside a string, and
# RecursionError for arrays or objects nested deeper than it follows (about a thousand).
_UNREADABLE = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)


class FieldRule(ValueError):
    """A rule on one field that msgspec's constraints cannot state, raised by a Struct's
    ``__post_init__``: reported under the field's own path (``filters.updated_since``),
    not its object's. (msgspec runs it once every field has decoded.)"""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


async def parse_body(
    request: Request[Any, Any, Any],
    schema: type[S],
    *,
    rows: str | None = None,
    check: Callable[[S], object] | None = None,
) -> S:
    """Decode the request body into ``schema`` or raise the matching 400/415 error.

    ``rows`` names a bulk body's list of rows, which the caller checks one by one: a NUL
    character in a row then makes that row invalid, not the call. ``check`` is the
    endpoint's own validation of a decoded body (the caller runs it again on the body
    returned): when the schema refuses some fields, the problems it finds in the others
    join the answer.
    """
    body = await request.body()
    if not body.strip():
        raise PayloadIsEmpty("This endpoint needs a JSON object body; the body was empty.")
    check_json_content_type(request.headers.get("content-type"))
    return decode_struct(body, schema, rows=rows, check=check)


def check_json_content_type(content_type: str | None) -> None:
    # A missing Content-Type is read as JSON; any other declared type is refused, and so
    # is a charset other than UTF-8 (JSON between systems is UTF-8, RFC 8259; the body
    # would be decoded as UTF-8 whatever it declared).
    if content_type is None:
        return
    media_type, _, parameters = content_type.partition(";")
    media_type = media_type.strip().lower()
    if not _JSON_MEDIA_TYPE.match(media_type):
        raise UnsupportedMediaType(
            f"Content-Type {media_type!r} is not supported; send application/json.",
            param="Content-Type",
        )
    charset = _CHARSET.search(parameters)
    if charset is not None and charset.group(1).lower() not in _UTF8_CHARSETS:
        raise UnsupportedMediaType(
            f"charset {charset.group(1)!r} is not supported; send the JSON as UTF-8.",
            param="Content-Type",
        )


async def refuse_nul_characters(request: Request[Any, Any, Any]) -> None:
    """400 invalid_parameter for a path or query parameter holding a NUL character (the
    application's before-request hook; async, or Litestar runs it in a worker thread)."""
    named = [*request.path_params.items(), *request.query_params.multi_items()]
    found = {
        name: nul.NO_NUL for name, value in named if isinstance(value, str) and "\x00" in value
    }
    if found:
        raise InvalidParameter.of_fields(found)


def decode_struct(
    body: bytes,
    schema: type[S],
    *,
    rows: str | None = None,
    check: Callable[[S], object] | None = None,
) -> S:
    try:
        decoded = msgspec.json.decode(body, type=schema)
    except msgspec.ValidationError:
        pass
    except _UNREADABLE as exc:
        raise _malformed(exc) from None
    else:
        if nul.in_json(body):
            _refuse_nul(msgspec.json.decode(body), rows=rows)
        return decoded
    # The typed decode stops at the first invalid field, before any later syntax error.
    try:
        raw = msgspec.json.decode(body)
    except _UNREADABLE as exc:
        raise _malformed(exc) from None
    if not isinstance(raw, dict):
        raise InvalidParameter(
            "The request body must be a JSON object.", details={"body": "expected a JSON object"}
        )
    failure = invalid_fields(raw, schema)
    holding = _holding_nul(raw, rows=rows) if nul.in_json(body) else {}
    if check is not None:
        failure = _with_the_rest_checked(failure, raw, schema, check, holding)
    if not holding:
        raise failure
    raise InvalidParameter.of_fields(nul.beside(failure.details or {}, holding))


def _with_the_rest_checked(
    failure: InvalidParameter,
    raw: dict[str, Any],
    schema: type[S],
    check: Callable[[S], object],
    holding: Mapping[str, str],
) -> InvalidParameter:
    """``failure``, with the fields ``check`` finds invalid among those the schema took
    (not those ``holding`` NUL: that is their problem)."""
    invalid = failure.details or {}
    more = problems_of_the_rest(raw, schema, {**invalid, **holding}, check)
    return InvalidParameter.of_fields({**invalid, **more}) if more else failure


def problems_of_the_rest(
    raw: dict[str, Any],
    schema: type[S],
    invalid: Mapping[str, Any],
    check: Callable[[S], object],
) -> dict[str, str]:
    """What ``check`` (an endpoint's own validation of a decoded value) finds wrong in the
    fields of ``raw`` the schema took, ``invalid`` naming those it refused.

    Only a field's own problem counts (invalid_parameter, invalid_linkedin_url): a rule
    across fields (at least one identifier, exactly one) may fail only for want of a field
    the schema refused, and is told once that field is fixed.
    """
    try:
        check(msgspec.convert(_without(raw, invalid), schema))
    except (InvalidParameter, InvalidLinkedinUrl) as found:
        details = found.details or {}
        return {path: str(problem) for path, problem in details.items() if path not in invalid}
    except (msgspec.ValidationError, LeadbaseError):
        pass  # the rest alone is no valid value, or breaks a rule across fields
    return {}


def _without(raw: dict[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """``raw`` without the values ``paths`` name (``filters.seniorities``, ``email``): an
    object's key, or a whole list for a path into one (other items keep their indexes)."""
    kept = dict(raw)
    for path in paths:
        keys = path.split("[", 1)[0].split(".")
        holder = kept
        for key in keys[:-1]:
            inner = holder.get(key)
            if not isinstance(inner, dict):
                break
            holder[key] = holder = dict(inner)
        else:
            holder.pop(keys[-1], None)
    return kept


def _refuse_nul(raw: Any, *, rows: str | None) -> None:
    """400 naming every field that holds NUL, but for the rows the caller checks alone."""
    if found := _holding_nul(raw, rows=rows):
        raise InvalidParameter.of_fields(found)


def _holding_nul(raw: Any, *, rows: str | None) -> dict[str, str]:
    found = nul.holding_nul(raw)
    if rows is None:
        return found
    return {path: error for path, error in found.items() if not path.startswith(f"{rows}[")}


def _malformed(exc: Exception) -> MalformedJson:
    reason = "JSON is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
    return MalformedJson(f"The request body is not valid JSON: {reason}.", details={"body": reason})


def invalid_fields(raw: dict[str, Any], schema: type[msgspec.Struct]) -> InvalidParameter:
    """One error naming every invalid field of ``raw`` against ``schema``, nested objects'
    fields by their dotted path (``filters.seniorities``)."""
    errors: dict[str, str] = {}
    _collect_invalid(raw, schema, prefix="", errors=errors)
    if errors:
        _rule_among_the_rest(raw, schema, prefix="", errors=errors)
        return InvalidParameter.of_fields(errors)
    # Every field is fine alone: a rule across fields (__post_init__) failed.
    try:
        msgspec.convert(raw, schema)
    except msgspec.ValidationError as exc:
        _add_rule(errors, "", exc, fallback="body")
    else:
        # Only the typed decode saw it: a repeated key whose earlier value was invalid.
        errors["body"] = "a key appears more than once with an invalid value"
    return InvalidParameter.of_fields(errors)


def _collect_invalid(
    raw: dict[str, Any], schema: type[msgspec.Struct], *, prefix: str, errors: dict[str, str]
) -> None:
    fields = {field.encode_name: field for field in msgspec.structs.fields(schema)}
    for name in raw:
        if name not in fields:
            errors[f"{prefix}{name}"] = "unknown field"
    for name, field in fields.items():
        path = f"{prefix}{name}"
        if name not in raw:
            if field.required:
                errors[path] = "this field is required"
            continue
        try:
            msgspec.json.decode(msgspec.json.encode(raw[name]), type=field.type)
        except msgspec.ValidationError as exc:
            nested = _struct_of(field.type)
            found = len(errors)
            if nested is not None and isinstance(raw[name], dict):
                _collect_invalid(raw[name], nested, prefix=f"{path}.", errors=errors)
                if len(errors) > found:
                    _rule_among_the_rest(raw[name], nested, prefix=f"{path}.", errors=errors)
            if len(errors) == found:  # not an object's fields, or a rule across them
                _add_rule(errors, f"{path}.", exc, fallback=path, annotation=field.type)


def _rule_among_the_rest(
    raw: dict[str, Any], schema: type[msgspec.Struct], *, prefix: str, errors: dict[str, str]
) -> None:
    """A FieldRule broken by the fields that are fine, when others are not: msgspec runs
    ``__post_init__`` only once every field has decoded, so try the rest alone."""
    rest = {
        name: value
        for name, value in raw.items()
        if not any(
            path == f"{prefix}{name}" or path.startswith((f"{prefix}{name}.", f"{prefix}{name}["))
            for path in errors
        )
    }
    try:
        msgspec.convert(rest, schema)
    except msgspec.ValidationError as exc:
        rule = exc.__cause__
        if isinstance(rule, FieldRule):
            errors.setdefault(f"{prefix}{rule.field}", rule.problem)


def _add_rule(
    errors: dict[str, str],
    prefix: str,
    exc: msgspec.ValidationError,
    *,
    fallback: str,
    annotation: Any = None,
) -> None:
    """A failed rule: a FieldRule under its field's path, anything else under ``fallback``."""
    rule = exc.__cause__
    if isinstance(rule, FieldRule):
        errors[f"{prefix}{rule.field}"] = rule.problem
    else:
        errors[fallback] = _field_message(fallback, exc, annotation)


def _struct_of(annotation: Any) -> type[msgspec.Struct] | None:
    """The Struct a field holds (``Filters``, ``Filters | None``), if it holds one."""
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    if get_origin(annotation) is Annotated:
        return _struct_of(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        structs = [found for member in get_args(annotation) if (found := _struct_of(member))]
        return structs[0] if len(structs) == 1 else None
    return None


def _field_message(name: str, exc: msgspec.ValidationError, annotation: Any = None) -> str:
    text = str(exc)
    match = _MSGSPEC_PATH.search(text)
    message = in_words(text if match is None else text[: match.start()], annotation)
    if match is None:
        return message
    # msgspec reports paths from the field's own root; re-anchor them on the field.
    return f"{message} (at {name}{match.group('path')})" if match.group("path") else message


# msgspec's words for JSON types, as a client reads them.
_JSON_TYPES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "array": "an array",
    "object": "an object",
}
_EXPECTED = re.compile(r"^Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`$")
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")
_LENGTH = re.compile(r"^Expected `(?P<kind>str|array|object)` of length (?P<op>>=|<=) (?P<n>\d+)$")
_UNITS = {"str": "character", "array": "item", "object": "field"}
_PATTERN = re.compile(r"^Expected `str` matching regex '(?P<pattern>.*)'$")
# The patterns of the API's schemas, as a client reads them.
_PATTERNS = {"^[A-Za-z]{2}$": "a two-letter ISO 3166-1 country code, like US or DE"}
_DATETIME_WORDS = "a date-time with its time zone, like 2026-01-31T00:00:00Z (RFC 3339)"
_DATETIME = {
    "Invalid RFC3339 encoded datetime": f"expected {_DATETIME_WORDS}",
    "Expected `datetime` with a timezone component": f"expected {_DATETIME_WORDS}",
    "Invalid RFC3339 encoded date": "expected a date like 2026-01-31",
}


def in_words(message: str, annotation: Any = None) -> str:
    """msgspec's "Expected `str | null`, got `int`" as "expected a string or null, got an
    integer", and an unknown enum value with the values there are."""
    if expected := _EXPECTED.match(message):
        wanted = " or ".join(
            _JSON_TYPES.get(kind, f"`{kind}`") for kind in expected["expected"].split(" | ")
        )
        got = _JSON_TYPES.get(expected["got"], f"`{expected['got']}`")
        return f"expected {wanted}, got {got}"
    if (unknown := _ENUM.match(message)) and (allowed := _allowed_values(annotation)):
        return f"{unknown['value']} is not one of: {', '.join(allowed)}"
    if length := _LENGTH.match(message):
        bound = "at least" if length["op"] == ">=" else "at most"
        unit = _UNITS[length["kind"]] + ("" if length["n"] == "1" else "s")
        kind = _JSON_TYPES[length["kind"]]
        return f"expected {kind} of {bound} {length['n']} {unit}"
    if pattern := _PATTERN.match(message):
        return f"expected {_PATTERNS.get(pattern['pattern'], 'a string matching ' + pattern['pattern'])}"
    return _DATETIME.get(message, message)


def _allowed_values(annotation: Any) -> list[str]:
    """The values a Literal takes, through Optional, Annotated and list[...] around it."""
    origin = get_origin(annotation)
    if origin is Literal:
        return [str(value) for value in get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    found: list[str] = []
    for argument in get_args(annotation) if origin is not None else ():
        found += [value for value in _allowed_values(argument) if value not in found]
    return found
