"""Real services on loopback: a redis-server and `celery worker` subprocesses.

Shared by the task-queue tests and the fault loop (`benchmarks.faults`), so they raise
ServiceError rather than calling pytest: a failing service fails a test all the same.
"""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

from tests.log_capture import CAPTURED
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent
#: How long a service may take to come up before the test fails (a busy CI machine is slow).
START_TIMEOUT = 60


class ServiceError(RuntimeError):
    """A service did not come up, died, or a condition was not met in time."""


def wait_for(condition, timeout, what):
    """Poll `condition()` until it is true; ServiceError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise ServiceError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


class RedisServer:
    """A throwaway redis-server on a free loopback port, nothing written to disk."""

    def __init__(self, folder):
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceError("redis-server is not installed; `make test` installs it "
                        "(or run: apt-get install redis-server)")
        self.port = free_port()
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.client = redis.Redis(port=self.port)
        wait_for(self._answers, START_TIMEOUT, "redis-server to answer PING")

    def url(self, db=0):
        """A redis:// URL of one of its databases."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _answers(self):
        if self.process.poll() is not None:
            raise ServiceError(f"redis-server exited with status {self.process.returncode}")
        try:
            return self.client.ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        """Shut the server down."""
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=10)


class CeleryWorker:
    """`celery -A app.tasks.worker worker` as a subprocess: prefork pool, one task at a time.

    Prefork, as deployed: the main process talks to Redis while a pool process runs the task,
    so an early acknowledgement would really be sent before the task ends (the solo pool only
    sends it once the task has finished, which would hide a missing late ack).
    """

    def __init__(self, env, log_path, name="w1"):
        self.log_path = Path(log_path)
        self.log = self.log_path.open("wb")
        command = [sys.executable, "-m", "celery", "-A", "app.tasks.worker", "worker",
                   "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
                   "--hostname", f"{name}@tandem-test",
                   # no waiting to sync with other workers: start in about a second
                   "--without-mingle", "--without-gossip", "--without-heartbeat"]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        wait_for(self._ready, START_TIMEOUT, f"celery worker {name} to be ready")

    def output(self):
        """Everything the worker has logged so far."""
        return self.log_path.read_text(errors="replace")

    def _ready(self):
        if self.process.poll() is not None:
            raise ServiceError(f"celery worker exited with status {self.process.returncode}:\n"
                        f"{self.output()[-3000:]}")
        return " ready." in self.output()

    def kill(self):
        """SIGKILL to the worker and its pool at once, like a crash: nothing is handed back."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close()

    def _close(self):
        if not self.log.closed:
            self.log.close()
            # The session's log sweep checks the worker's lines for secrets too.
            CAPTURED.extend(self.output().splitlines())
