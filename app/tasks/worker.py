"""The entry point of `celery -A app.tasks.worker worker` and `celery -A app.tasks.worker beat`.

Builds the Flask app from the environment, like `flask`, and exposes its bound Celery app.
"""
from app import create_app
from config import ConfigError

flask_app = create_app()
celery = flask_app.extensions.get("celery")
if celery is None:
    raise ConfigError("CELERY_BROKER_URL is not set: a Celery worker or beat needs a broker "
                      "(e.g. redis://localhost:6379/0); without one, jobs run in-process")
