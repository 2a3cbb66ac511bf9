"""The task queue: Celery with Redis for e-mail, message scoring and the periodic jobs.

`enqueue(name, *args)` is the one way the rest of the app asks for queued work: with no
CELERY_BROKER_URL the work runs in the calling process, exactly as it always has.
"""
from app.tasks.celery_app import init_celery
from app.tasks.dispatch import enqueue, mail_queue, queue_configured

__all__ = ["enqueue", "init_celery", "mail_queue", "queue_configured"]
