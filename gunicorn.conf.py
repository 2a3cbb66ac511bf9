"""gunicorn settings for Tandem, read by gunicorn when started from the repository's folder.

Only a hook lives here; workers, bind address and timeouts stay on the command line
(docs/deploy.md).
"""
import time

#: The Flask app's import name: the hook below acts only for Tandem's app, not for other apps
#: served from this folder (the load benchmark's bare baseline).
TANDEM_APP_NAME = "app"


def post_worker_init(worker):
    """Load the text scorer in each worker before it takes its first request.

    Loading takes over a second cold; without this the first comment a worker scores waits
    for it, and every request queued behind that worker with it.
    """
    if getattr(worker.wsgi, "name", None) != TANDEM_APP_NAME:
        return
    from app.scoring import warm_up  # imported here: the master never needs the app
    start = time.perf_counter()
    warm_up()
    worker.log.info("text scorer loaded in %.1f s", time.perf_counter() - start)
