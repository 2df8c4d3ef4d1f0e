"""JSON -> frozen dataclasses, by their type hints, tolerating fields the SDK doesn't know.

Servers add fields: unknown keys are kept in the model's ``raw`` dict, never an error. A
field the model needs and the JSON lacks takes the field's default, else it is an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")
Converter = Callable[[Any], Any]

_PLANS: dict[type[Any], Callable[[Mapping[str, Any]], dict[str, Any]]] = {}


class ShapeError(ValueError):
    """The JSON does not have the shape of the model."""


def convert(cls: type[T], data: Any, **extra: Any) -> T:
    """An instance of the dataclass ``cls`` built from ``data`` (a JSON object)."""
    if not isinstance(data, Mapping):
        raise ShapeError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    plan = _PLANS.get(cls) or _plan(cls)
    return cls(**plan(data), **extra)


def _plan(cls: type[Any]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    hints = typing.get_type_hints(cls)
    fields = [
        (field.name, _converter(hints[field.name]), _required(field))
        for field in dataclasses.fields(cls)
        if field.init and field.name not in ("raw", "meta")
    ]
    keeps_raw = any(field.name == "raw" for field in dataclasses.fields(cls))

    def build(data: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {"raw": data} if keeps_raw else {}
        for name, conv, required in fields:
            if name in data:
                value = data[name]
                values[name] = None if value is None else conv(value)
            elif required:
                raise ShapeError(f"{cls.__name__}: the response lacks {name!r}")
        return values

    _PLANS[cls] = build
    return build


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _converter(hint: Any) -> Converter:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        return _converter(options[0]) if len(options) == 1 else _identity
    if origin is tuple:
        item = _converter(args[0])
        return lambda value: tuple(item(element) for element in value)
    if origin in (dict, Mapping, typing.Mapping):
        item = _converter(args[1])
        return lambda value: {key: item(element) for key, element in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        model = hint
        return lambda value: convert(model, value)
    return _SCALARS.get(hint, _identity)


def _identity(value: Any) -> Any:
    return value


def _to_float(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


_SCALARS: dict[Any, Converter] = {
    float: _to_float,
    dt.datetime: dt.datetime.fromisoformat,
    dt.date: dt.date.fromisoformat,
}
