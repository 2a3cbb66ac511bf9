"""gunicorn settings for Tandem, read by gunicorn when started from the repository's folder.

Only a hook lives here; workers, bind address and timeouts stay on the command line
(docs/deploy.md).
"""
import gc
import time

#: The Flask app's import name: the hook below acts only for Tandem's app, not for other apps
#: served from this folder (the load benchmark's bare baseline).
TANDEM_APP_NAME = "app"


def post_worker_init(worker):
    """Load the text scorer (and the login's dummy hash) in each worker before its first request.

    Loading takes over a second cold; without this the first comment a worker scores waits
    for it, and every request queued behind that worker with it.
    """
    if getattr(worker.wsgi, "name", None) != TANDEM_APP_NAME:
        return
    # Imported here: the master never needs the app.
    from app.scoring import warm_up
    from surveys.accounts import dummy_hash

    start = time.perf_counter()
    warm_up()
    dummy_hash()  # the first unknown-account login must not take longer than the others
    worker.log.info("text scorer loaded in %.1f s", time.perf_counter() - start)
    freeze_startup_heap()


def freeze_startup_heap():
    """Move everything alive after start-up out of the cyclic garbage collector's sight.

    The app, its modules, the scorer's model and lexicon are several hundred thousand objects
    that live as long as the worker. Python's full collections walked them all again and again
    (about 90 ms each, a pause for whichever request was running); frozen, they are never
    walked, and collections see only what requests create. Nothing frozen is ever freed,
    which is what these objects would be anyway.
    """
    gc.collect()
    gc.freeze()
