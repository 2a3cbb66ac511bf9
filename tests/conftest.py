"""Shared fixtures: an app on a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)
built by the real migrations."""
import contextvars
import datetime as dt
import logging

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.databases import database_server as pick_database_server
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
def database_server():
    """Where this run's databases live: SQLite files, or a PostgreSQL server."""
    server = pick_database_server()
    yield server
    server.close()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory, database_server):
    """The URL of a database migrated once per run by the real migrations; tests get copies."""
    folder = tmp_path_factory.mktemp("template")
    url = database_server.create(folder)
    template_app = create_app(TestConfig(folder, url))
    with template_app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    database_server.drop(url)


@pytest.fixture
def database_url(tmp_path, migrated_database, database_server):
    """The URL of this test's own copy of the migrated database, dropped afterwards."""
    url = database_server.copy(migrated_database, tmp_path)
    yield url
    database_server.drop(url)


@pytest.fixture
def empty_database_url(tmp_path, database_server):
    """The URL of a new database with no tables, for tests that run migrations themselves."""
    url = database_server.create(tmp_path)
    yield url
    database_server.drop(url)


@pytest.fixture
def app(tmp_path, database_url):
    """A Tandem app with its own freshly migrated database and outbox."""
    application = create_app(TestConfig(tmp_path, database_url))
    with application.app_context():
        yield application
        db.session.remove()
        leaked = db.engine.pool.checkedout()
        db.engine.dispose()
    # A connection still checked out here was never given back: on PostgreSQL it would stay open.
    assert leaked == 0, f"{leaked} database connection(s) left checked out by the test"


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
