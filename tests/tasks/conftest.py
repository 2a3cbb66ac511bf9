"""Fixtures for the task-queue tests: one redis-server per module, workers started per test."""
import pytest
from sqlalchemy import select

from app.tasks import init_celery
from surveys.db import utcnow
from surveys.models import Manager
from tests.message_factories import members
from tests.services import CeleryWorker, RedisServer

#: Seconds before Redis hands a killed worker's task to another: short, to keep tests quick,
#: but longer than any task here takes.
VISIBILITY_TIMEOUT = 1


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """A real redis-server on loopback, shared by the tests of a module."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """The Redis server, emptied: no task or result of an earlier test is left."""
    redis_server.client.flushall()
    return redis_server


@pytest.fixture
def queued_app(app, broker):
    """The test app with a broker: `enqueue` now sends tasks to Redis instead of running them."""
    app.config.update(CELERY_BROKER_URL=broker.url(0), CELERY_RESULT_BACKEND=broker.url(1),
                      CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
    celery = init_celery(app)
    yield app
    celery.close()


@pytest.fixture
def start_worker(queued_app, tmp_path):
    """start_worker(smtp_port, name) runs a real worker on the test database; all stop at the end."""
    started = []

    def start(smtp_port, name="w1"):
        config = queued_app.config
        env = {
            # the same database the test uses, whatever engine TEST_DATABASE_URL chose
            "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": config["SECRET_KEY"],
            "BASE_URL": config["BASE_URL"],
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "MAIL_OUTBOX_DIR": config["MAIL_OUTBOX_DIR"],
            "ANONYMITY_MIN_GROUP": str(config["ANONYMITY_MIN_GROUP"]),
            "MESSAGE_MIN_CONTRIBUTORS": str(config["MESSAGE_MIN_CONTRIBUTORS"]),
            "MESSAGE_TEXT_RETENTION_DAYS": str(config["MESSAGE_TEXT_RETENTION_DAYS"]),
            "CELERY_BROKER_URL": config["CELERY_BROKER_URL"],
            "CELERY_RESULT_BACKEND": config["CELERY_RESULT_BACKEND"],
            "CELERY_VISIBILITY_TIMEOUT": str(config["CELERY_VISIBILITY_TIMEOUT"]),
            "SCHEDULER_ENABLED": "0",
        }
        worker = CeleryWorker(env, tmp_path / f"worker-{name}.log", name)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()  # idle by now, with nothing in flight: no need to wait for a warm shutdown


def open_round_today(factory, session, size):
    """A team of `size` whose weekly round opens today (the worker uses the real clock)."""
    teams = factory.people({"growth": ("marketing", size)})
    factory.schedule(teams.values(), starts=utcnow().date(), open_hour=0)
    for manager in session.scalars(select(Manager)):
        manager.digest_enabled = False  # only invitations in the mail, whatever weekday it is
    session.commit()
    return {m.email for m in members(session)}
