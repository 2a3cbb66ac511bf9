"""The real migrations build the schema the models describe, with nothing left over."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from config import TestConfig


def test_migrations_on_an_empty_database_match_the_models(tmp_path):
    app = create_app(TestConfig(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_every_connection_uses_wal_foreign_keys_and_a_busy_timeout(session):
    connection = session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
