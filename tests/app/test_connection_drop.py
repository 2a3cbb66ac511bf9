"""PostgreSQL connections dropped under the app (a restart, a failover, an idle timeout): the pool
notices on the next request and reconnects, so nobody sees an error page."""
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.databases import PostgresServer, postgres_server_url


@pytest.fixture
def app_on_postgresql(tmp_path):
    """An app on its own migrated PostgreSQL database, whatever engine this run tests on."""
    server = PostgresServer(postgres_server_url())
    url = server.create()
    application = create_app(TestConfig(tmp_path, url))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()
    server.drop(url)
    server.close()


def drop_every_connection(url):
    """What a database restart does to the app: the server ends all the app's sessions."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    return ended


def test_the_pool_recovers_on_the_next_request_after_the_server_drops_it(app_on_postgresql):
    client = app_on_postgresql.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}  # a pooled connection now exists
    with app_on_postgresql.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    assert drop_every_connection(url) >= 1
    after = client.get("/healthz")
    assert after.status_code == 200 and after.get_json() == {"status": "ok"}
    assert client.get("/s/no-such-link").status_code == 404  # a page reading the database works too
