"""Server settings: ``LEADBASE_*`` environment variables over an optional TOML file.

This is the only module of the server that reads ``os.environ``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

ENV_PREFIX = "LEADBASE_"
CONFIG_FILE_VARIABLE = "LEADBASE_CONFIG"

# Every entitlement a plan can grant; a route that needs one declares it.
ALL_ENTITLEMENTS = ("customers", "realtime", "bulk", "jobs", "webhooks")


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Everything the server can be configured with; defaults give the embedded profile."""

    database_url: str = "sqlite:///./leadbase.db"
    redis_url: str | None = None
    # Largest request body accepted, in bytes (413 payload_too_large above it).
    max_body_bytes: int = 1_048_576
    auto_migrate: bool = True
    log_level: str = "INFO"
    log_json: bool = True
    # How long a looked-up API key is trusted before the database is asked again;
    # this bounds how long a revoked key keeps working.
    key_cache_seconds: float = 1.0
    key_cache_size: int = 10_000
    # Prices per operation in millicredits (1 credit = 1000), over the built-in list;
    # org_prices overrides them for one organization (a customer, or a parent's customers).
    prices: dict[str, int] = msgspec.field(default_factory=dict)
    org_prices: dict[str, dict[str, int]] = msgspec.field(default_factory=dict)
    # Rate-limit windows per operation class, e.g. {"default": ["120/minute", "1000/hour"]},
    # over the built-in ones; org_limits overrides them for one organization.
    limits: dict[str, list[str]] = msgspec.field(default_factory=dict)
    org_limits: dict[str, dict[str, list[str]]] = msgspec.field(default_factory=dict)
    # Parallel-request caps per operation, over the built-in ones.
    parallel: dict[str, int] = msgspec.field(default_factory=dict)
    # Keys in Redis (rate windows, parallel leases) start with this.
    redis_prefix: str = "leadbase:"
    # How long one operation may run before it answers 503 upstream_timeout.
    operation_timeout_seconds: float = 60.0
    # A reservation, an idempotency lock or a parallel lease outlives a crashed process by
    # at most this long; the sweeper then releases the credits.
    reservation_timeout_seconds: float = 120.0
    sweep_interval_seconds: float = 5.0
    # Failure drills: seconds an operation waits, its transaction open, before it runs.
    fault_delay_seconds: dict[str, float] = msgspec.field(default_factory=dict)
    # Plan name -> entitlements; an organization's plan must be listed here.
    plans: dict[str, list[str]] = msgspec.field(
        default_factory=lambda: {
            "standard": list(ALL_ENTITLEMENTS),
            "starter": ["bulk"],
        }
    )
    default_plan: str = "standard"

    def __post_init__(self) -> None:
        if self.max_body_bytes <= 0:
            raise msgspec.ValidationError("max_body_bytes must be positive")
        if min(self.operation_timeout_seconds, self.reservation_timeout_seconds) <= 0:
            raise msgspec.ValidationError("timeouts must be positive")
        if self.reservation_timeout_seconds <= self.operation_timeout_seconds:
            raise msgspec.ValidationError(
                "reservation_timeout_seconds must exceed operation_timeout_seconds"
            )
        if self.default_plan not in self.plans:
            raise msgspec.ValidationError(f"default_plan {self.default_plan!r} is not in plans")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_JSON_FIELDS = frozenset(
    {"prices", "org_prices", "limits", "org_limits", "parallel", "plans", "fault_delay_seconds"}
)


class SettingsError(ValueError):
    """Raised when the environment or the TOML file holds an unusable value."""


def load_settings(
    environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    """Build settings from a TOML file (optional) overlaid with ``LEADBASE_*`` variables."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or (
        Path(env[CONFIG_FILE_VARIABLE]) if env.get(CONFIG_FILE_VARIABLE) else None
    )
    if path is not None:
        values.update(_read_toml(path))
    values.update(_from_environment(env))
    try:
        return msgspec.convert(values, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"invalid Leadbase settings: {exc}") from exc


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read config file {path}: {exc}") from exc
    # Allow both a bare document and one nested under [leadbase].
    section = document.get("leadbase", document)
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: [leadbase] must be a table")
    return section


def _from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """Map ``LEADBASE_DATABASE_URL`` to ``database_url``; JSON for the structured fields."""
    fields = {field.name: field for field in msgspec.structs.fields(Settings)}
    values: dict[str, Any] = {}
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_FILE_VARIABLE:
            continue
        key = name[len(ENV_PREFIX) :].lower()
        if key not in fields:
            continue
        if key in _JSON_FIELDS:
            try:
                values[key] = msgspec.json.decode(raw)
            except msgspec.DecodeError as exc:
                raise SettingsError(f"{name} must be JSON: {exc}") from exc
        else:
            values[key] = raw
    return values


def environment_for(settings: Settings) -> dict[str, str]:
    """The variables that make a child process (a server worker) load these same settings."""
    env: dict[str, str] = {}
    for field in msgspec.structs.fields(Settings):
        value = getattr(settings, field.name)
        if value is None:
            continue
        name = ENV_PREFIX + field.name.upper()
        if isinstance(value, dict):
            env[name] = msgspec.json.encode(value).decode()
        elif isinstance(value, bool):
            env[name] = "true" if value else "false"
        else:
            env[name] = str(value)
    return env


def export_to_environment(settings: Settings) -> None:
    """Put these settings into this process's environment, for the workers it starts next."""
    os.environ.update(environment_for(settings))
