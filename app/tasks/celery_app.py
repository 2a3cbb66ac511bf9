"""A Celery app bound to a Flask app: settings from its config, an app context for every task."""
import datetime as dt
from pathlib import Path

from celery import Celery, Task
from celery.signals import worker_process_init
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.tasks.dispatch import TASK_PREFIX, queue_configured
from config import ConfigError
from surveys.errors import MessagesDisabled

#: How often beat asks for the periodic jobs (the in-process scheduler's tick, and cron's).
JOBS_INTERVAL = dt.timedelta(minutes=5)
#: A task hitting a busy or dropped database tries again, with backoff, this many times.
DATABASE_RETRIES = 5


def init_celery(flask_app):
    """Bind a Celery app to `flask_app` when CELERY_BROKER_URL is set; returns it, or None."""
    if not queue_configured(flask_app.config):
        return None

    class FlaskTask(Task):
        """Runs each task inside an app context, so it has the config and its own db session."""

        def __call__(self, *args, **kwargs):
            with flask_app.app_context():  # the context's teardown removes the session
                return self.run(*args, **kwargs)

    celery = Celery(flask_app.import_name, task_cls=FlaskTask, set_as_current=False)
    celery.conf.update(celery_settings(flask_app.config, Path(flask_app.instance_path)))
    _register_tasks(celery)
    flask_app.extensions["celery"] = celery
    _dispose_engine_in_forked_children(flask_app)
    return celery


def bound_celery(flask_app):
    """The Celery app bound to `flask_app`; ConfigError when no broker is configured."""
    celery = flask_app.extensions.get("celery")
    if celery is None:
        raise ConfigError("CELERY_BROKER_URL is not set: a Celery worker or beat needs a broker "
                          "(e.g. redis://localhost:6379/0); without one, jobs run in-process")
    return celery


def celery_settings(config, instance_path):
    """Celery's settings from Tandem's config."""
    visibility = config["CELERY_VISIBILITY_TIMEOUT"]
    backend = config.get("CELERY_RESULT_BACKEND")
    return {
        "broker_url": config["CELERY_BROKER_URL"],
        "result_backend": backend,
        "task_ignore_result": backend is None,
        "result_expires": dt.timedelta(days=1),
        # Acknowledge a task only when it has finished: a worker killed mid-task loses nothing,
        # Redis hands the task to another worker once the visibility timeout has passed.
        "task_acks_late": True,
        # A pool process killed mid-task (OOM, SIGKILL) puts its task back at once.
        "task_reject_on_worker_lost": True,
        # Reserve one task at a time, so a dying worker holds back as little as possible.
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {"visibility_timeout": visibility},
        "result_backend_transport_options": {"visibility_timeout": visibility},
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "timezone": "UTC",
        "enable_utc": True,
        "beat_schedule": {
            "run-due-jobs": {"task": TASK_PREFIX + "run_due_jobs",
                             "schedule": JOBS_INTERVAL.total_seconds(),
                             # a tick nobody ran before the next one is worthless: drop it
                             "options": {"expires": JOBS_INTERVAL.total_seconds()}},
        },
        "beat_schedule_filename": str(instance_path / "celerybeat-schedule"),
        "worker_hijack_root_logger": False,
    }


def _register_tasks(celery):
    # Imported here: the work pulls in the jobs, which use app.tasks.dispatch.
    from app.tasks.work import TASKS

    for name, work in TASKS.items():
        celery.task(name=TASK_PREFIX + name, autoretry_for=(OperationalError,),
                    max_retries=DATABASE_RETRIES, retry_backoff=True, retry_backoff_max=60,
                    # sampling switched off while a batch waited: expected, nothing is written
                    throws=(MessagesDisabled,))(work)


def _dispose_engine_in_forked_children(flask_app):
    """A prefork pool process must not share the parent's pooled database connections."""
    def dispose(**_kwargs):
        with flask_app.app_context():
            db.engine.dispose(close=False)

    worker_process_init.connect(dispose, weak=False)
