"""The entry point of `celery -A app.tasks.worker worker` and `celery -A app.tasks.worker beat`.

Builds the Flask app from the environment, like `flask`, and exposes its bound Celery app.
"""
from app import create_app
from app.tasks.celery_app import bound_celery

celery = bound_celery(create_app())
