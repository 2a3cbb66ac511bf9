"""The real migrations build the schema the models describe, with nothing left over."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.databases import on_postgresql


def test_migrations_on_an_empty_database_match_the_models(tmp_path, empty_database_url):
    app = create_app(TestConfig(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


@pytest.mark.skipif(on_postgresql(), reason="SQLite connection settings; PostgreSQL's are tested below")
def test_every_connection_uses_wal_foreign_keys_and_a_busy_timeout(session):
    connection = session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL connection settings")
def test_every_postgresql_connection_has_a_lock_timeout(session):
    assert session.connection().exec_driver_sql("SHOW lock_timeout").scalar() == "5s"


def test_upgrading_a_database_with_data_keeps_it(tmp_path, empty_database_url):
    app = create_app(TestConfig(tmp_path, empty_database_url))
    with app.app_context():
        upgrade(revision="0001_initial")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO departments (id, slug, name) VALUES (1, 'sales', 'Sales')")
            connection.exec_driver_sql("INSERT INTO teams (id, slug, name, department_id, timezone) "
                                       "VALUES (1, 'field', 'Field', 1, 'UTC')")
            connection.exec_driver_sql(
                "INSERT INTO rounds (id, team_id, number, state, opens_at, closes_at, week, "
                "bank_version, item_ids) VALUES (1, 1, 0, 'closed', '2026-03-30 09:00:00', "
                "'2026-04-04 09:00:00', '2026-W14', 1, '[]')")
            connection.exec_driver_sql("INSERT INTO members (id, email, name, team_id, active, "
                                       "reminders_off, created_at) VALUES (1, 'a@example.com', "
                                       "'A', 1, TRUE, FALSE, '2026-03-30 09:00:00')")
            connection.exec_driver_sql("INSERT INTO invitations (id, round_id, member_id, used) "
                                       "VALUES (1, 1, 1, FALSE)")
            connection.exec_driver_sql("INSERT INTO responses (id, round_id, team_id, submitted_on) "
                                       "VALUES ('r1', 1, 1, '2026-03-31')")
            connection.exec_driver_sql("INSERT INTO answers (response_id, item_id, value) "
                                       "VALUES ('r1', 'goals_1', 4)")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM invitations").scalar() == 1
            # 0008 copies each answer's round from its response, for the rollup's index
            assert connection.exec_driver_sql("SELECT round_id FROM answers").scalar() == 1
            if connection.dialect.name == "sqlite":  # PostgreSQL enforced the keys on every write
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        db.engine.dispose()
