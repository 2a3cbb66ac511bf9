"""Manager pages over real HTTP against gunicorn (issue 6: p95 ≤ 200 ms; ≤ 30% slower at 2× history).

Run: `.venv/bin/python -m benchmarks.pages [TEAMS]`. Builds 100 teams × 52 weeks (then × 104
weeks) of answers, rolls them up, starts gunicorn on loopback, signs in as an admin (who sees
every team, the heaviest overview) and times each page; the sign-in page of the same server is
the baseline.
"""
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import requests
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from benchmarks.orgdata import START, build_org
from config import TestConfig
from surveys.accounts import create_account
from surveys.signals import detect_and_store
from tests.smtp_server import free_port

PASSWORD = "benchmark password"
GUNICORN_CONF = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             "gunicorn.conf.py")
REQUESTS = 60
PAGES = {"sign-in page (baseline)": "/login", "overview": "/overview",
         "team": "/teams/team-0000", "boundary": "/boundary/team-0000/team-0001"}


def prepare(folder, n_teams, weeks):
    """A migrated database with history, panel, signals and an admin."""
    app = create_app(TestConfig(folder))
    with app.app_context():
        upgrade()
        build_org(db.session, n_teams, weeks)
        detect_and_store(db.session, build_now(weeks), 5)
        create_account(db.session, "admin@example.com", "Admin", "admin", password=PASSWORD)
        db.session.remove()
        db.engine.dispose()


def build_now(weeks):
    """A moment just after the generated history."""
    return START + dt.timedelta(weeks=weeks)


def serve(folder, port, database_url=None, workers=2, app_spec="app:create_app()",
          ready_path="/login", extra_env=None, log_path=None, preload=False):
    """gunicorn on loopback (`workers` sync workers) serving `app_spec`; returns the process.

    It runs in a session of its own, so `os.killpg` reaches the master and every worker at once
    (the fault loop kills them that way). Defaults: Tandem on the folder's SQLite database.
    `preload` imports the app once in the master before forking the workers.
    """
    env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{folder}/test.db",
           "SECRET_KEY": "benchmark", "MAIL_OUTBOX_DIR": f"{folder}/outbox", **(extra_env or {})}
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    # Tandem's own gunicorn settings (the scorer loaded per worker), whatever the current folder.
    options = ["-c", GUNICORN_CONF, *(["--preload"] if preload else [])]
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
                                f"127.0.0.1:{port}", *options, app_spec], env=env, stdout=log,
                               stderr=log, start_new_session=True)
    if log_path:
        log.close()  # the child holds its own copy
    return wait_ready(process, f"http://127.0.0.1:{port}{ready_path}")


def wait_ready(process, url, attempts=150):
    """Return `process` once `url` answers; kill it and fail after `attempts` × 0.2 s."""
    for _ in range(attempts):
        try:
            requests.get(url, timeout=10)
            return process
        except requests.RequestException:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def signed_in(base, email="admin@example.com", password=PASSWORD):
    """An HTTP session signed in (as the admin unless told) through the real form."""
    http = requests.Session()
    page = http.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    http.post(f"{base}/login", data={"email": email, "password": password,
                                     "csrf_token": token})
    return http


def timings(http, url):
    """(p50, p95) in milliseconds over REQUESTS sequential requests, after one warm-up."""
    assert http.get(url).status_code == 200
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        http.get(url)
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def measure(n_teams, weeks):
    """{page: (p50, p95)} for one history length."""
    with tempfile.TemporaryDirectory() as folder:
        prepare(folder, n_teams, weeks)
        port = free_port()
        process = serve(folder, port)
        try:
            http = signed_in(f"http://127.0.0.1:{port}")
            return {name: timings(http, f"http://127.0.0.1:{port}{path}")
                    for name, path in PAGES.items()}
        finally:
            process.terminate()
            process.wait()


def main(n_teams=100):
    """Print p50/p95 per page at 52 and 104 weeks, and the growth."""
    short, long = measure(n_teams, 52), measure(n_teams, 104)
    print(f"{n_teams} teams; {REQUESTS} requests per page; gunicorn, 2 workers, SQLite")
    print(f"{'page':<26} {'p50 52w':>8} {'p95 52w':>8} {'p95 104w':>9} {'growth':>7}")
    for name in PAGES:
        growth = long[name][1] / short[name][1] - 1
        print(f"{name:<26} {short[name][0]:>8.1f} {short[name][1]:>8.1f} {long[name][1]:>9.1f} "
              f"{growth:>+7.0%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
