"""Settings for Tandem, read from environment variables (DESIGN §9).

A bad value stops start-up with a `ConfigError` that names the variable, so a typo in a deployment
never turns into a silently wrong privacy threshold.
"""
import os
import secrets
from pathlib import Path

#: No admin setting may push the anonymity minimum below this (DESIGN §3.2).
ABSOLUTE_MIN_GROUP = 3


class ConfigError(ValueError):
    """A setting has a value Tandem cannot run with."""


def _env(name, default=None):
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_int(name, default, minimum=None, maximum=None):
    """Read an integer setting, checking its range."""
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {value}")
    return value


def env_bool(name, default):
    """Read an on/off setting (1/0, true/false, yes/no, on/off)."""
    raw = _env(name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def env_url(name, default):
    """Read an http(s) base URL, without a trailing slash."""
    raw = _env(name, default)
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must start with http:// or https://, got {raw!r}")
    return raw.rstrip("/")


def env_database_url(name, default):
    """Read a SQLAlchemy database URL for a dialect Tandem supports (PostgreSQL via psycopg 3)."""
    return checked_database_url(name, _env(name, default))


def checked_database_url(name, raw):
    """`raw` as a URL Tandem can use, or a ConfigError naming `name`."""
    if not raw.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
        raise ConfigError(f"{name} must be a sqlite:// or postgresql:// URL, got {raw.split(':')[0]!r}")
    return normalise_database_url(raw)


def normalise_database_url(url):
    """Point a plain postgresql:// URL at psycopg 3 (SQLAlchemy would otherwise pick psycopg2)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def env_redis_url(name):
    """Read an optional redis:// (or rediss://, TLS) URL; None when unset."""
    raw = _env(name)
    if raw is not None and not raw.startswith(("redis://", "rediss://")):
        raise ConfigError(f"{name} must be a redis:// or rediss:// URL, got {raw.split(':')[0]!r}")
    return raw


class Config:
    """Settings for a running Tandem; every value comes from the environment or a default."""

    def __init__(self, instance_path=None):
        instance = Path(instance_path or Path(__file__).resolve().parent / "instance")
        self.SECRET_KEY = _env("SECRET_KEY") or self._instance_secret(instance)
        self.SQLALCHEMY_DATABASE_URI = env_database_url(
            "DATABASE_URL", f"sqlite:///{instance / 'tandem.db'}")
        self.BASE_URL = env_url("BASE_URL", "http://127.0.0.1:5000")
        self.MAIL_SERVER = _env("MAIL_SERVER")
        self.MAIL_PORT = env_int("MAIL_PORT", 25, minimum=1, maximum=65535)
        self.MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        self.MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Tandem <tandem@localhost>")
        self.MAIL_OUTBOX_DIR = _env("MAIL_OUTBOX_DIR", str(instance / "outbox"))
        self.ANONYMITY_MIN_GROUP = env_int("ANONYMITY_MIN_GROUP", 5, minimum=ABSOLUTE_MIN_GROUP)
        self.COMMENT_MIN_GROUP = env_int("COMMENT_MIN_GROUP", 5, minimum=ABSOLUTE_MIN_GROUP)
        self.MESSAGE_MIN_CONTRIBUTORS = env_int(
            "MESSAGE_MIN_CONTRIBUTORS", 5, minimum=ABSOLUTE_MIN_GROUP)
        #: Days redacted message text is kept for re-scoring; 0 keeps scores only (DESIGN §3.5).
        self.MESSAGE_TEXT_RETENTION_DAYS = env_int(
            "MESSAGE_TEXT_RETENTION_DAYS", 0, minimum=0, maximum=365)
        self.SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", False)
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False
        # Test each pooled connection before use, so a database restart or a dropped connection
        # costs one reconnect on the next request instead of an error page.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.BASE_URL.startswith("https://")
        #: Where rate-limit counters live: memory:// (one process) or redis://host:6379 (shared).
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
        #: The Celery broker; unset, every task runs in the process that asks for it (as before).
        self.CELERY_BROKER_URL = env_redis_url("CELERY_BROKER_URL")
        #: Where task outcomes are kept (counts and states only); unset, they are not kept.
        self.CELERY_RESULT_BACKEND = env_redis_url("CELERY_RESULT_BACKEND")
        #: Seconds before Redis hands an unacknowledged task to another worker: a worker killed
        #: mid-task is noticed after this long, so it must exceed the longest task.
        self.CELERY_VISIBILITY_TIMEOUT = env_int(
            "CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1, maximum=7 * 24 * 3600)
        self.RATELIMIT_HEADERS_ENABLED = True
        #: How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host.
        #: 0 (the default) ignores those headers, so a client cannot forge its address; behind
        #: nginx set 1, or rate limits would count every visitor as the proxy.
        self.TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0, maximum=5)
        #: How long a survey cookie lasts after the link was exchanged for it.
        self.SURVEY_SESSION_MINUTES = 60
        #: Largest request body accepted anywhere (survey answers are small).
        self.MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    @staticmethod
    def _instance_secret(instance):
        """A random key kept in the instance folder, so a demo needs no setup but survives restarts."""
        key_file = instance / "secret_key"
        if not key_file.exists():
            instance.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


class TestConfig(Config):
    """Settings for the test suite: a throwaway database and outbox under `instance_path`."""

    TESTING = True
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, instance_path, database_url=None):
        super().__init__(instance_path)
        self.SECRET_KEY = "test-secret-key-not-for-production"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            database_url or f"sqlite:///{Path(instance_path) / 'test.db'}")
        self.MAIL_SERVER = None
        self.MAIL_OUTBOX_DIR = str(Path(instance_path) / "outbox")
        self.SCHEDULER_ENABLED = False
        # Tasks run in-process unless a test binds the app to its own Redis (tests/tasks).
        self.CELERY_BROKER_URL = self.CELERY_RESULT_BACKEND = None
        # Fuzzing sends hundreds of requests a second from one address; the limit test turns it on.
        self.RATELIMIT_ENABLED = False
