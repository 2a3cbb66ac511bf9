"""Handing work to the task queue, or doing it here when no broker is configured."""
from flask import current_app

#: Prefix of every Tandem task name on the broker.
TASK_PREFIX = "tandem."


def queue_configured(config):
    """True when a broker is configured, so work goes to Celery workers."""
    return bool(config.get("CELERY_BROKER_URL"))


def enqueue(name, *args):
    """Run the task `name`: sent to the workers when a broker is configured, else done here now.

    Returns the work's own result when done here, or Celery's AsyncResult when queued.
    """
    # Imported here: the work imports the jobs, and the jobs ask this module for `mail_queue`.
    from app.tasks.work import TASKS

    work = TASKS[name]
    if not queue_configured(current_app.config):
        return work(*args)
    return current_app.extensions["celery"].send_task(TASK_PREFIX + name, args=list(args))


def mail_queue(config):
    """A `queue(key)` that hands one e-mail to the workers, or None to send in this process."""
    if not queue_configured(config):
        return None
    return lambda key: enqueue("send_mail", key)
