import pytest
from django.core.exceptions import ImproperlyConfigured

from onewindow.config import Config


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ["DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL",
                 "UPLOAD_MAX_BYTES", "AXES_FAILURE_LIMIT", "DATABASE_PREPARED_STATEMENTS"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ONEWINDOW_VAR_DIR", str(tmp_path))
    return monkeypatch


def test_config_defaults_to_sqlite_in_var_with_wal(clean_env, tmp_path):
    config = Config.from_environ()
    assert config.database["ENGINE"] == "django.db.backends.sqlite3"
    assert config.database["NAME"] == str(tmp_path / "onewindow.sqlite3")
    assert "journal_mode=WAL" in config.database["OPTIONS"]["init_command"]
    assert config.debug is False
    assert len(config.secret_key) >= 32
    assert Config.from_environ().secret_key == config.secret_key  # kept in var/, stable


def test_config_reads_postgres_url(clean_env):
    clean_env.setenv("DATABASE_URL", "postgres://u:p@db.example:5433/zone")
    db = Config.from_environ().database
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example", 5433, "zone")
    assert db["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 2}


def test_config_prepared_statements_off_for_a_transaction_pooler(clean_env):
    clean_env.setenv("DATABASE_URL", "postgres://u:p@pgbouncer:6432/zone")
    clean_env.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    assert "server_side_binding" not in Config.from_environ().database.get("OPTIONS", {})


@pytest.mark.parametrize(("name", "value"), [
    ("DEBUG", "maybe"),
    ("DATABASE_URL", "mysql://x/y"),
    ("DATABASE_URL", "not a url"),
    ("SECRET_KEY", "short"),
    ("UPLOAD_MAX_BYTES", "lots"),
    ("AXES_FAILURE_LIMIT", "0"),
    ("ALLOWED_HOSTS", " , "),
    ("SITE_URL", "ftp://zone"),
])
def test_config_bad_value_names_the_variable(clean_env, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        Config.from_environ()
