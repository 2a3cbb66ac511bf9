"""No broker: work runs in-process. Settings are checked. Rate limits shared through Redis."""
import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.jobs import run_due_surveys
from app.mail.transport import transport_from_config
from app.tasks import enqueue, mail_queue
from app.tasks.celery_app import bound_celery, celery_settings
from app.tasks.work import TASKS
from config import Config, ConfigError, TestConfig
from surveys.db import utcnow
from surveys.models import MailState, OutgoingMail
from tests.tasks.conftest import open_round_today


def test_without_a_broker_enqueue_does_the_work_here_and_now(app, session, factory):
    open_round_today(factory, session, 5)
    assert mail_queue(app.config) is None
    report = run_due_surveys(session, utcnow(), transport_from_config(app.config),
                             queue=mail_queue(app.config))
    assert (report.invitations_sent, report.queued) == (5, 0)
    outbox = list(transport_from_config(app.config).directory.glob("*.eml"))
    assert len(outbox) == 5
    key = session.scalars(select(OutgoingMail.dedup_key)).first()
    assert enqueue("send_mail", key) == "not sent"  # ran here: the ledger refused a second send
    done = enqueue("run_due_jobs")
    assert "invited 0" in done["surveys"] and "queued" not in done["surveys"]
    assert len(list(transport_from_config(app.config).directory.glob("*.eml"))) == 5
    assert {m.state for m in session.scalars(select(OutgoingMail))} == {MailState.SENT}


@pytest.mark.parametrize("name, value, message", [
    ("CELERY_BROKER_URL", "amqp://localhost", "CELERY_BROKER_URL must be a redis://"),
    ("CELERY_RESULT_BACKEND", "localhost:6379", "CELERY_RESULT_BACKEND must be a redis://"),
    ("CELERY_VISIBILITY_TIMEOUT", "0", "CELERY_VISIBILITY_TIMEOUT must be at least 1"),
])
def test_a_bad_queue_setting_names_the_variable(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        Config(tmp_path)


def test_a_worker_without_a_broker_refuses_to_start_saying_why(app):
    with pytest.raises(ConfigError, match="CELERY_BROKER_URL is not set"):
        bound_celery(app)


def test_beat_asks_for_a_registered_task_and_tasks_are_acknowledged_late(tmp_path):
    config = TestConfig(tmp_path)
    config.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    celery = create_app(config).extensions["celery"]
    schedule = celery.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} <= set(celery.tasks)
    assert {f"tandem.{name}" for name in TASKS} <= set(celery.tasks)
    settings = celery_settings(config.__dict__, tmp_path)
    assert settings["task_acks_late"] and settings["task_reject_on_worker_lost"]
    assert celery.conf.broker_transport_options == {"visibility_timeout": 3600}
    celery.close()


def limited_app(folder, database_url, storage):
    """One web worker's app: rate limits on, counters in `storage`."""
    config = TestConfig(folder, database_url)
    config.RATELIMIT_ENABLED = True
    config.RATELIMIT_STORAGE_URI = storage
    return create_app(config)


def test_rate_limits_in_redis_hold_across_two_app_instances(broker, tmp_path, database_url):
    # Two app instances on one database, as two gunicorn workers would be.
    apps = [limited_app(tmp_path / name, database_url, broker.url(2)) for name in ("a", "b")]
    first, second = (application.test_client() for application in apps)
    assert [first.get(f"/s/guess-{i}").status_code for i in range(30)] == [404] * 30
    # The second instance (another web worker) sees the same count and refuses at once.
    assert second.get("/s/one-more").status_code == 429
    assert broker.client.execute_command("SELECT", 2) and broker.client.dbsize() > 0
    for application in apps:
        with application.app_context():
            db.engine.dispose()
