"""What each task does, as plain functions run inside a Flask app context.

Every one is idempotent, because a worker killed mid-task has the task delivered again (late
acknowledgement): e-mail goes through the claim ledger, message batches through the duplicate
check on (source, message hash), and the periodic jobs through their job locks and the ledger.
"""
import datetime as dt

from flask import current_app

from app.extensions import db
from app.jobs import send_due_digests
from app.mail.by_key import send_by_key
from app.mail.transport import transport_from_config
from app.scheduler import run_detection, run_due_jobs
from app.tasks.dispatch import mail_queue
from surveys.db import utcnow
from surveys.locks import job_lock
from surveys.messages.ingest import ImportReport, score_and_store
from surveys.messages.kept import forget_batch, kept_batch
from surveys.messages.store import purge_texts


def send_mail(key):
    """Send the e-mail of ledger key `key` if still wanted and unclaimed; its state, as text."""
    state = send_by_key(db.session, key, utcnow(), transport_from_config(current_app.config))
    # None: sent already, claimed by another runner (maybe one that died), or no longer wanted.
    return state.value if state is not None else "not sent"


def import_message_batch(source, fresh, counts, received_at):
    """Score and store a prepared message batch (`surveys.messages.ingest.prepare_import`).

    `counts` are the ImportReport counts of the preparation; `received_at` is an ISO time.
    Returns the outcome counts, never who. A rerun stores nothing twice.
    """
    report = ImportReport(**counts)
    # One process: a worker is already the unit of parallelism (and may not fork a pool).
    score_and_store(db.session, source, fresh, report, dt.datetime.fromisoformat(received_at),
                    workers=1)
    return report.counts()


def import_kept_batch(batch_id):
    """Store the kept batch `batch_id` (`surveys.messages.kept`), then forget it.

    A rerun after the batch was stored finds no row; a rerun after storing but before forgetting
    stores nothing twice (duplicates are skipped).
    """
    batch = kept_batch(db.session, batch_id)
    if batch is None:
        return "already stored"
    outcome = import_message_batch(batch.source, batch.messages, batch.counts,
                                   batch.received_at.isoformat())
    forget_batch(db.session, batch_id)
    return outcome


def run_due_jobs_now():
    """Run every due periodic job, as `flask jobs run-due` does; {job: what it did}."""
    done = run_due_jobs(db.session, utcnow(), current_app.config)
    return {name: str(result) for name, result in done.items()}


def send_digests_now():
    """Send (or hand to the queue) the weekly digests that are due, under the digests lock."""
    now, config = utcnow(), current_app.config
    with job_lock(db.session, "digests", now) as held:
        if not held:
            return "busy"
        return send_due_digests(db.session, now, transport_from_config(config),
                                queue=mail_queue(config))


def detect_signals_now():
    """Roll up the panel and detect signals, under the detection lock."""
    now = utcnow()
    with job_lock(db.session, "detect", now) as held:
        return str(run_detection(db.session, now, current_app.config)) if held else "busy"


def purge_message_texts_now():
    """Clear kept message text past MESSAGE_TEXT_RETENTION_DAYS; how many were cleared."""
    now = utcnow()
    with job_lock(db.session, "message-purge", now) as held:
        if not held:
            return "busy"
        return purge_texts(db.session, now, current_app.config["MESSAGE_TEXT_RETENTION_DAYS"])


#: Task name (without the "tandem." prefix) → its work. Tasks carry ids and keys only, never
#: message text: a message batch waits in the database (`import_kept_batch`).
TASKS = {
    "send_mail": send_mail,
    "import_kept_batch": import_kept_batch,
    "run_due_jobs": run_due_jobs_now,
    "send_digests": send_digests_now,
    "detect_signals": detect_signals_now,
    "purge_message_texts": purge_message_texts_now,
}
