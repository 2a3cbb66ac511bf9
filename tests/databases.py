"""Test databases on the engine the run asks for: SQLite files, or databases on a PostgreSQL server.

Set TEST_DATABASE_URL to a postgresql:// URL of a server's maintenance database (`make test` does,
with the server `scripts/test-postgres` starts) and the whole suite runs on PostgreSQL; without it
every test gets its own SQLite file. Either way a test gets a copy of one database migrated once
per run by the real migrations.
"""
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import normalise_database_url

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "test-postgres"


def on_postgresql():
    """Whether this run's tests use PostgreSQL."""
    return bool(SERVER_URL)


class SqliteFiles:
    """Each database is a file in the test's own folder."""

    dialect = "sqlite"

    def create(self, folder):
        """A URL for a new, empty database in `folder`."""
        return f"sqlite:///{Path(folder) / 'test.db'}"

    def copy(self, template_url, folder):
        """A new database in `folder` holding what the template holds."""
        shutil.copy(make_url(template_url).database, Path(folder) / "test.db")
        return self.create(folder)

    def drop(self, _url):
        """Nothing to do: the file goes with the test's temporary folder."""

    def close(self):
        """Nothing to do: there is no server connection."""


class PostgresServer:
    """Each database is a new database on one PostgreSQL server, dropped after its test."""

    dialect = "postgresql"

    def __init__(self, server_url):
        self.server_url = make_url(normalise_database_url(server_url))
        # AUTOCOMMIT: CREATE and DROP DATABASE cannot run inside a transaction.
        self.engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT",
                                    pool_pre_ping=True)

    def create(self, _folder=None, template=None):
        """A URL for a new database: empty, or a copy of `template` (a database name)."""
        name = f"tandem_test_{uuid.uuid4().hex[:16]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{clause}"))
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def copy(self, template_url, folder=None):
        """A new database holding what the template holds (PostgreSQL copies it server-side)."""
        return self.create(folder, template=make_url(template_url).database)

    def drop(self, url):
        """Drop the database, closing any connection a test left open."""
        with self.engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))

    def close(self):
        """Close the connections to the server's maintenance database."""
        self.engine.dispose()


def database_server():
    """The engine this run tests on."""
    return PostgresServer(SERVER_URL) if on_postgresql() else SqliteFiles()


def postgres_server_url():
    """A PostgreSQL server for tests that need one on any run: this run's own, or the throwaway
    loopback server of `scripts/test-postgres` (started here if it is not running)."""
    if on_postgresql():
        return SERVER_URL
    started = subprocess.run([str(SERVER_SCRIPT), "start"], capture_output=True, text=True,
                             timeout=120, check=False)
    if started.returncode != 0:
        pytest.fail(f"could not start the test PostgreSQL server ({started.stderr.strip()}); "
                    "`make services` installs PostgreSQL")
    return started.stdout.strip()
