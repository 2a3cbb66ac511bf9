"""Settings: read from the environment; a bad value stops start-up naming the variable."""
import pytest

from config import Config, ConfigError


@pytest.mark.parametrize("name, value, message", [
    ("ANONYMITY_MIN_GROUP", "2", "ANONYMITY_MIN_GROUP must be at least 3"),
    ("COMMENT_MIN_GROUP", "five", "COMMENT_MIN_GROUP must be a whole number"),
    ("MESSAGE_MIN_CONTRIBUTORS", "1", "MESSAGE_MIN_CONTRIBUTORS must be at least 3"),
    ("MAIL_PORT", "99999", "MAIL_PORT must be at most 65535"),
    ("MAIL_USE_TLS", "maybe", "MAIL_USE_TLS must be true or false"),
    ("SCHEDULER_ENABLED", "2", "SCHEDULER_ENABLED must be true or false"),
    ("MESSAGE_TEXT_RETENTION_DAYS", "-1", "MESSAGE_TEXT_RETENTION_DAYS must be at least 0"),
    ("MESSAGE_TEXT_RETENTION_DAYS", "a week", "MESSAGE_TEXT_RETENTION_DAYS must be a whole number"),
    ("BASE_URL", "ftp://example.com", "BASE_URL must start with http"),
    ("DATABASE_URL", "mysql://x", "DATABASE_URL must be a sqlite"),
])
def test_a_bad_setting_names_the_variable(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        Config(tmp_path)


def test_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ANONYMITY_MIN_GROUP", "7")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    monkeypatch.setenv("BASE_URL", "https://tandem.example.com/")
    config = Config(tmp_path)
    assert config.ANONYMITY_MIN_GROUP == 7 and config.MAIL_USE_TLS
    assert config.BASE_URL == "https://tandem.example.com" and config.SESSION_COOKIE_SECURE


def test_defaults_work_with_no_environment(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "ANONYMITY_MIN_GROUP", "BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config = Config(tmp_path)
    assert config.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'tandem.db'}"
    assert config.ANONYMITY_MIN_GROUP == 5 and config.MAIL_SERVER is None
    assert len(config.SECRET_KEY) == 64 and Config(tmp_path).SECRET_KEY == config.SECRET_KEY


def test_the_flask_command_refuses_to_start_with_a_bad_setting(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ANONYMITY_MIN_GROUP": "1", "FLASK_APP": "app"}
    result = subprocess.run([sys.executable, "-m", "flask", "routes"], env=env, capture_output=True,
                            text=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert result.returncode != 0 and "ANONYMITY_MIN_GROUP must be at least 3" in result.stderr
