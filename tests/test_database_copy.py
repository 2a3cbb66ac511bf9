"""`flask database copy-to`: an installation's SQLite data moved to PostgreSQL, whole or not at all."""
import shutil

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from app import create_app
from app.demo import load_demo
from app.extensions import db
from app.mail.transport import OutboxTransport
from config import TestConfig
from surveys.db import Base, utcnow
from surveys.models import Member, Team
from tests.databases import PostgresServer, postgres_server_url
from tests.factories import Factory


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server whatever engine this run tests on."""
    server = PostgresServer(postgres_server_url())
    yield server
    server.close()


@pytest.fixture
def target_url(postgres):
    """A new, empty PostgreSQL database, dropped afterwards."""
    url = postgres.create()
    yield url
    postgres.drop(url)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A SQLite database migrated by the real migrations and holding the demo organisation."""
    folder = tmp_path_factory.mktemp("demo-source")
    config = TestConfig(folder, f"sqlite:///{folder / 'source.db'}")
    source = create_app(config)
    with source.app_context():
        upgrade()
        load_demo(db.session, utcnow(), OutboxTransport(config.MAIL_OUTBOX_DIR), config.BASE_URL,
                  password="copy test password")
        db.session.remove()
        db.engine.dispose()
    return folder / "source.db"


@pytest.fixture
def demo_sqlite(tmp_path, demo_file):
    """This test's own SQLite installation holding the demo (a copy of the module's)."""
    shutil.copy(demo_file, tmp_path / "source.db")
    source = create_app(TestConfig(tmp_path, f"sqlite:///{tmp_path / 'source.db'}"))
    yield source
    with source.app_context():
        db.engine.dispose()


def copy_to(source, url):
    """Run the command as an operator would; returns click's result."""
    return source.test_cli_runner().invoke(args=["database", "copy-to", url])


def every_row(engine):
    """{table: rows in primary-key order}, read through the models' column types."""
    with engine.connect() as connection:
        return {table.name: connection.execute(
                    select(table).order_by(*table.primary_key.columns)).all()
                for table in Base.metadata.sorted_tables}


def test_the_copy_holds_every_row_and_the_target_keeps_working(demo_sqlite, target_url, tmp_path):
    result = copy_to(demo_sqlite, target_url)
    assert result.exit_code == 0, result.output
    assert "row counts match the source" in result.output
    target = create_engine(target_url)
    with demo_sqlite.app_context():
        source_rows = every_row(db.engine)
    copied = every_row(target)
    target.dispose()
    assert copied == source_rows
    assert len(copied["responses"]) > 100 and copied["signals"], "the demo should fill the tables"

    moved = create_app(TestConfig(tmp_path / "moved", target_url))
    with moved.app_context():
        # The id sequences were moved past the copied ids: new rows do not collide.
        Factory(db.session).people({"new-team": ("sales", 5)})
        assert db.session.query(Team).filter_by(slug="new-team").one().id > max(
            row.id for row in source_rows["teams"])
        db.session.remove()
        db.engine.dispose()


def test_a_target_that_already_holds_data_is_refused_and_left_alone(demo_sqlite, target_url):
    assert copy_to(demo_sqlite, target_url).exit_code == 0
    again = copy_to(demo_sqlite, target_url)
    assert again.exit_code != 0 and "already holds data" in again.output
    target = create_engine(target_url)
    with target.connect() as connection:
        members = connection.execute(select(Member.id)).all()
    target.dispose()
    with demo_sqlite.app_context():
        assert len(members) == db.session.query(Member).count()


def test_a_row_postgresql_refuses_stops_the_copy_and_leaves_the_target_empty(demo_sqlite,
                                                                           target_url):
    with demo_sqlite.app_context():
        # SQLite does not enforce column lengths; PostgreSQL does, part-way through the copy.
        db.session.execute(text("UPDATE teams SET name = :long WHERE id = (SELECT max(id) FROM teams)"),
                           {"long": "x" * 5000})
        db.session.commit()
    result = copy_to(demo_sqlite, target_url)
    assert result.exit_code != 0 and "table teams: the target refused a row" in result.output
    assert "Traceback" not in result.output
    target = create_engine(target_url)
    assert all(rows == [] for rows in every_row(target).values())
    target.dispose()


@pytest.mark.parametrize("url", ["mysql://somewhere/tandem", "not a url"])
def test_a_bad_target_url_is_refused_with_a_reason(demo_sqlite, url):
    result = copy_to(demo_sqlite, url)
    assert result.exit_code == 2 and "must be a sqlite:// or postgresql:// URL" in result.output
