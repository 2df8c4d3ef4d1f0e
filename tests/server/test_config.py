from __future__ import annotations

from pathlib import Path

import pytest

from leadbase.server.config import (
    Settings,
    SettingsError,
    environment_for,
    load_settings,
)

TOML_WITH_SECTION = """
[leadbase]
database_url = "postgresql+psycopg://db.internal/leadbase"
max_body_bytes = 4096
auto_migrate = false
log_level = "DEBUG"

[leadbase.prices]
"people.enrich" = 1500

[leadbase.plans]
standard = ["bulk", "jobs"]
gold = ["customers"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leadbase.toml"
    path.write_text(text)
    return path


def test_no_variables_give_the_embedded_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.database_url == "sqlite:///./leadbase.db"
    assert settings.is_sqlite
    assert settings.max_body_bytes == 1_048_576


def test_variables_map_onto_fields_by_name() -> None:
    settings = load_settings(
        {
            "LEADBASE_DATABASE_URL": "postgresql+psycopg://db/leadbase",
            "LEADBASE_REDIS_URL": "redis://127.0.0.1:6379/0",
            "LEADBASE_MAX_BODY_BYTES": "2048",
            "LEADBASE_AUTO_MIGRATE": "false",
            "LEADBASE_LOG_JSON": "0",
            "LEADBASE_KEY_CACHE_SECONDS": "0.25",
        }
    )
    assert settings.database_url == "postgresql+psycopg://db/leadbase"
    assert not settings.is_sqlite
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.max_body_bytes == 2048
    assert settings.auto_migrate is False
    assert settings.log_json is False
    assert settings.key_cache_seconds == 0.25


def test_structured_fields_are_read_as_json() -> None:
    settings = load_settings(
        {
            "LEADBASE_PRICES": '{"people.enrich": 1000}',
            "LEADBASE_LIMITS": '{"default": ["120/minute", "1000/hour"]}',
            "LEADBASE_PLANS": '{"standard": ["bulk"], "free": []}',
        }
    )
    assert settings.prices == {"people.enrich": 1000}
    assert settings.limits == {"default": ["120/minute", "1000/hour"]}
    assert settings.plans == {"standard": ["bulk"], "free": []}


def test_unrelated_and_unknown_variables_are_ignored() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://elsewhere/x",
            "LEADBASE_API_KEY": "lb_live_for_the_sdk",
            "leadbase_log_level": "DEBUG",
        }
    )
    assert settings == Settings()


def test_a_toml_file_with_a_leadbase_section_is_read(tmp_path: Path) -> None:
    settings = load_settings({}, config_file=_write(tmp_path, TOML_WITH_SECTION))
    assert settings.database_url == "postgresql+psycopg://db.internal/leadbase"
    assert settings.max_body_bytes == 4096
    assert settings.auto_migrate is False
    assert settings.log_level == "DEBUG"
    assert settings.prices == {"people.enrich": 1500}
    assert settings.plans == {"standard": ["bulk", "jobs"], "gold": ["customers"]}


def test_a_bare_toml_file_is_read_too(tmp_path: Path) -> None:
    path = _write(tmp_path, 'max_body_bytes = 512\n[prices]\n"emails.find" = 2000\n')
    settings = load_settings({}, config_file=path)
    assert settings.max_body_bytes == 512
    assert settings.prices == {"emails.find": 2000}


def test_the_config_file_can_be_named_by_leadbase_config(tmp_path: Path) -> None:
    path = _write(tmp_path, TOML_WITH_SECTION)
    settings = load_settings({"LEADBASE_CONFIG": str(path)})
    assert settings.max_body_bytes == 4096


def test_variables_override_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, TOML_WITH_SECTION)
    settings = load_settings(
        {"LEADBASE_CONFIG": str(path), "LEADBASE_MAX_BODY_BYTES": "8192"},
    )
    assert settings.max_body_bytes == 8192
    assert settings.database_url == "postgresql+psycopg://db.internal/leadbase"


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"LEADBASE_MAX_BODY_BYTES": "lots"}, "Expected `int`, got `str` - at `$.max_body_bytes`"),
        ({"LEADBASE_MAX_BODY_BYTES": "0"}, "max_body_bytes must be positive"),
        ({"LEADBASE_AUTO_MIGRATE": "maybe"}, "Expected `bool`, got `str` - at `$.auto_migrate`"),
        ({"LEADBASE_PRICES": "{not json"}, "LEADBASE_PRICES must be JSON"),
        ({"LEADBASE_PRICES": "[1]"}, "Expected `object`, got `array` - at `$.prices`"),
        ({"LEADBASE_PRICES": '{"x": "free"}'}, "Expected `int`, got `str`"),
        ({"LEADBASE_DEFAULT_PLAN": "gold"}, "default_plan 'gold' is not in plans"),
    ],
)
def test_unusable_values_raise_settings_error(environ: dict[str, str], problem: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(environ)
    assert problem in str(raised.value)


def test_an_unknown_key_in_the_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "[leadbase]\ndatabse_url = 'sqlite:///typo.db'\n")
    with pytest.raises(SettingsError, match="databse_url"):
        load_settings({}, config_file=path)


def test_a_missing_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read config file"):
        load_settings({"LEADBASE_CONFIG": str(tmp_path / "absent.toml")})


def test_a_file_that_is_not_toml_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read config file"):
        load_settings({}, config_file=_write(tmp_path, "[leadbase\nmax_body_bytes = 1\n"))


def test_a_leadbase_key_that_is_not_a_table_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"\[leadbase\] must be a table"):
        load_settings({}, config_file=_write(tmp_path, "leadbase = 1\n"))


def test_settings_errors_are_value_errors() -> None:
    assert issubclass(SettingsError, ValueError)


def test_defaults_round_trip_through_the_environment() -> None:
    assert load_settings(environment_for(Settings())) == Settings()


def test_custom_settings_round_trip_through_the_environment() -> None:
    settings = Settings(
        database_url="postgresql+psycopg://postgres@127.0.0.1:5432/leadbase",
        redis_url="redis://127.0.0.1:6379/1",
        max_body_bytes=4096,
        auto_migrate=False,
        log_level="DEBUG",
        log_json=False,
        key_cache_seconds=0.1,
        prices={"people.enrich": 1500},
        limits={"default": ["10/second"]},
        plans={"standard": ["bulk"], "gold": ["customers", "realtime"]},
        default_plan="gold",
    )
    environ = environment_for(settings)
    assert environ["LEADBASE_AUTO_MIGRATE"] == "false"
    assert environ["LEADBASE_PRICES"] == '{"people.enrich":1500}'
    assert all(name.startswith("LEADBASE_") for name in environ)
    assert load_settings(environ) == settings


def test_an_unset_optional_field_is_left_out_of_the_environment() -> None:
    assert "LEADBASE_REDIS_URL" not in environment_for(Settings(redis_url=None))
