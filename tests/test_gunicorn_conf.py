"""gunicorn.conf.py: what each Tandem worker does before its first request."""
import gc
import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def conf():
    spec = importlib.util.spec_from_file_location("tandem_gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def unfrozen():
    """The test process's heap as it was: whatever a test froze is handed back to the collector."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def worker(app_name):
    return SimpleNamespace(wsgi=SimpleNamespace(name=app_name), log=logging.getLogger("test"))


def test_a_tandem_worker_freezes_its_start_up_heap_once_warm(conf, unfrozen):
    conf.post_worker_init(worker(conf.TANDEM_APP_NAME))
    # The app, the scorer's model and everything else alive then is out of the collector's walk.
    assert gc.get_freeze_count() > 0
    gc.collect()  # later collections still work on what requests create
    assert gc.get_freeze_count() > 0


def test_another_app_served_from_the_folder_is_left_alone(conf, unfrozen):
    conf.post_worker_init(worker("benchmarks.bare_app"))
    assert gc.get_freeze_count() == 0
