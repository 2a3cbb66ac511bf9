"""Shared fixtures: an app on a real SQLite database built by the real migrations."""
import contextvars
import datetime as dt
import logging
import shutil

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.factories import Factory
from tests.log_capture import CaptureAll, leaked_secrets
from tests.smtp_server import SmtpServer

#: A fixed Wednesday noon UTC; tests pass `now` explicitly instead of patching clocks.
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session", autouse=True)
def log_sweep():
    """Capture every log record of the run; at the end, no registered secret may appear in one."""
    handler, root = CaptureAll(level=logging.DEBUG), logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield
    root.removeHandler(handler)
    root.setLevel(previous_level)
    leaks = leaked_secrets()
    assert not leaks, f"secrets reached the logs: {leaks[:3]}"


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database file migrated once per run by the real migrations; tests get copies."""
    folder = tmp_path_factory.mktemp("template")
    template_app = create_app(TestConfig(folder))
    with template_app.app_context():
        upgrade()
        db.engine.dispose()
    return folder / "test.db"


@pytest.fixture
def app(tmp_path, migrated_database):
    """A Tandem app with its own freshly migrated database and outbox."""
    shutil.copy(migrated_database, tmp_path / "test.db")
    application = create_app(TestConfig(tmp_path))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    """The app's database session."""
    return db.session


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as a real server would: its own g and db session.

    Without this, requests would share the test's application context, and with it Flask-Login's
    cached user and the test's SQLAlchemy identity map, hiding bugs a real deployment would hit.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    """A test client for HTTP requests against the app."""
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def factory(session):
    """Builds organisations, rounds and invitations in one line each."""
    return Factory(session)


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost that records what it receives."""
    with SmtpServer() as server:
        yield server
