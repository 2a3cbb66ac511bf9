"""The load benchmark's baseline: a bare Flask app that inserts one SQLite row per POST.

Served by the same gunicorn settings as Tandem (`gunicorn benchmarks.bare_app:create_app()`),
with the same SQLite settings Tandem uses (WAL, busy timeout), so what separates the two
figures is Tandem's own work: link checks, sessions, CSRF, forms, validation, the ORM.
"""
import os
import sqlite3
import threading

from flask import Flask, request

from surveys.db import SQLITE_BUSY_TIMEOUT_MS

SCHEMA = "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"


def create_app(path=None):
    """The bare app writing to `path` (default: $BARE_DATABASE)."""
    path = path or os.environ["BARE_DATABASE"]
    app = Flask(__name__)
    local = threading.local()

    def connection():
        # One connection per worker thread, opened once, like a pooled engine would keep it.
        if not hasattr(local, "connection"):
            local.connection = sqlite3.connect(path, isolation_level=None)
            local.connection.execute("PRAGMA journal_mode=WAL")
            local.connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            local.connection.execute(SCHEMA)
        return local.connection

    @app.post("/")
    def insert():
        """Store the posted form as one row."""
        body = "&".join(f"{k}={v}" for k, v in sorted(request.form.items()))
        connection().execute("INSERT INTO rows (body) VALUES (?)", (body,))
        return "", 201

    @app.get("/")
    def ready():
        """Answers once the server is up."""
        return "ok"

    return app


def row_count(path):
    """How many rows the bare app stored."""
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM rows").fetchone()[0]
