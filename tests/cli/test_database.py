from __future__ import annotations

from pathlib import Path

from leadbase.cli.settings import absolute_database_url
from leadbase.server import db
from tests.cli.cli import assert_failed, invoke


def test_upgrade_creates_and_migrates_a_fresh_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "fresh.db"
    url = f"sqlite:///{path}"

    before = invoke("db", "current", "--database-url", url)
    assert before.exit_code == 0, before.output
    assert before.stdout.strip() == "none"
    assert not path.exists()

    upgraded = invoke("db", "upgrade", "--database-url", url)
    assert upgraded.exit_code == 0, upgraded.output
    revision = db.current_revision(url)
    assert revision is not None
    assert upgraded.stdout.strip() == f"{url} is at revision {revision}"

    after = invoke("db", "current", "--database-url", url)
    assert after.stdout.strip() == revision


def test_upgrade_of_a_current_database_changes_nothing(database_url: str) -> None:
    revision = db.current_revision(database_url)
    result = invoke("db", "upgrade", "--database-url", database_url)
    assert result.exit_code == 0, result.output
    assert db.current_revision(database_url) == revision
    assert invoke("db", "current", "--database-url", database_url).stdout.strip() == revision


def test_messages_never_show_the_database_password() -> None:
    url = "postgresql+psycopg://leadbase:s3cret@127.0.0.1:1/none?connect_timeout=2"
    result = invoke("db", "upgrade", "--database-url", url)
    assert_failed(result, "database_error")
    assert "s3cret" not in result.output


def test_relative_sqlite_path_is_made_absolute_for_the_workers() -> None:
    assert absolute_database_url("sqlite:///./leadbase.db") == f"sqlite:///{Path.cwd()}/leadbase.db"
    assert absolute_database_url("sqlite:////var/lib/x.db") == "sqlite:////var/lib/x.db"
    assert absolute_database_url("sqlite://") == "sqlite://"
    postgres = "postgresql+psycopg://user:pw@db:5432/leadbase"
    assert absolute_database_url(postgres) == postgres


def test_settings_file_supplies_the_database_url(tmp_path: Path) -> None:
    path = tmp_path / "from-config.db"
    config = tmp_path / "leadbase.toml"
    config.write_text(f'[leadbase]\ndatabase_url = "sqlite:///{path}"\n')

    result = invoke("db", "upgrade", "--config", str(config))

    assert result.exit_code == 0, result.output
    assert db.current_revision(f"sqlite:///{path}") is not None


def test_unusable_settings_file_fails_with_invalid_settings(tmp_path: Path) -> None:
    config = tmp_path / "leadbase.toml"
    config.write_text("max_body_bytes = -1\n")
    assert_failed(invoke("db", "current", "--config", str(config)), "invalid_settings")
