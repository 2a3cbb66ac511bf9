"""Every periodic job in one place: `flask jobs run-due` and the in-process scheduler call this."""
import datetime as dt
import logging

from apscheduler.schedulers.background import BackgroundScheduler

from app.extensions import db
from app.jobs import run_due_surveys, send_due_alerts, send_due_digests
from app.mail.transport import transport_from_config
from app.tasks.dispatch import enqueue, mail_queue, queue_configured
from surveys.db import utcnow
from surveys.locks import job_lock, last_finished
from surveys.messages.kept import batches_to_requeue
from surveys.messages.store import purge_texts
from surveys.signals import detect_and_store

log = logging.getLogger(__name__)
#: Detection reruns at least this often, and whenever a round closes.
DETECTION_INTERVAL = dt.timedelta(hours=24)
#: How often the in-process scheduler wakes up.
TICK_MINUTES = 5


def run_due_jobs(session, now, config):
    """Run every job that is due, each under its own lock; returns {job: what it did}.

    With a task queue configured (CELERY_BROKER_URL), the e-mails the jobs find due are handed to
    the workers by ledger key instead of being sent by this process.
    """
    transport, queue, done = transport_from_config(config), mail_queue(config), {}
    with job_lock(session, "surveys", now) as held:
        done["surveys"] = run_due_surveys(session, now, transport, queue=queue) if held else "busy"
    closed = getattr(done["surveys"], "closed", 0)
    with job_lock(session, "detect", now) as held:
        due = closed or _older_than(last_finished(session, "detect"), now, DETECTION_INTERVAL)
        done["detect"] = (run_detection(session, now, config)
                          if held and due else "not due" if held else "busy")
    with job_lock(session, "alerts", now) as held:
        done["alerts"] = send_due_alerts(session, now, transport, queue=queue) if held else "busy"
    with job_lock(session, "digests", now) as held:
        done["digests"] = (send_due_digests(session, now, transport, queue=queue)
                           if held else "busy")
    with job_lock(session, "message-purge", now) as held:
        done["message-purge"] = (purge_texts(session, now, config["MESSAGE_TEXT_RETENTION_DAYS"])
                                 if held else "busy")
    if queue_configured(config):
        with job_lock(session, "kept-batches", now) as held:
            done["kept-batches"] = requeue_kept_batches(session, now) if held else "busy"
    return done


def requeue_kept_batches(session, now):
    """Queue again every kept message batch no worker has finished; returns how many."""
    ids = batches_to_requeue(session, now)
    for batch_id in ids:
        enqueue("import_kept_batch", batch_id)
    return len(ids)


def run_detection(session, now, config):
    """Roll up the panel and detect signals with the configured group minimums."""
    return detect_and_store(session, now, config["ANONYMITY_MIN_GROUP"],
                            config["MESSAGE_MIN_CONTRIBUTORS"])


def _older_than(moment, now, interval):
    return moment is None or now - moment >= interval


def start_scheduler(app):
    """Run the jobs every few minutes inside this process (when SCHEDULER_ENABLED is on)."""
    scheduler = BackgroundScheduler(daemon=True)
    scheduler.add_job(_tick, "interval", minutes=TICK_MINUTES, args=[app],
                      next_run_time=dt.datetime.now(dt.timezone.utc), max_instances=1,
                      coalesce=True)
    scheduler.start()
    return scheduler


def _tick(app):
    with app.app_context():
        try:
            done = run_due_jobs(db.session, utcnow(), app.config)
            log.info("scheduled jobs: %s", {name: str(result) for name, result in done.items()})
        except Exception:  # a failing tick must not kill the scheduler; the next tick retries
            log.exception("scheduled jobs failed")
        finally:
            db.session.remove()
