"""Rollup plus detection at 100, 300 and 1,000 teams × 52 weeks (issue 5's speed target: ≤ 10 s).

Run: `.venv/bin/python -m benchmarks.rollup_detection [100 300 1000]`. Per size it prints the full
rollup of 52 weeks of raw answers into the stored panel, detection over the whole panel, and the
weekly job as it really runs: one more week of answers arrives, the refresh redoes that week only,
and detection runs again over all 53 weeks. Times per team-week show how it grows.
"""
import sys
import tempfile
import time

from flask_migrate import upgrade

from analysis.signals.detect import detect_signals
from app import create_app
from app.extensions import db
from benchmarks.orgdata import add_week, build_org
from config import TestConfig
from surveys.rollup import refresh_panel, stored_panel, stored_panel_rows

WEEKS = 52


def measure(n_teams):
    """(rollup seconds, detection seconds, panel rows) for a fresh org of n_teams."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestConfig(folder))
        with app.app_context():
            upgrade()
            build_org(db.session, n_teams, WEEKS)
            full_rollup = timed(refresh_panel, db.session, 5)
            detection = timed(detect_over_panel, db.session)
            add_week(db.session, WEEKS)
            weekly = timed(refresh_panel, db.session, 5) + timed(detect_over_panel, db.session)
            rows = len(stored_panel_rows(db.session))
            db.session.remove()
            db.engine.dispose()
    return full_rollup, detection, weekly, rows


def timed(function, *args):
    """(wall seconds, CPU seconds of this process) one call takes.

    CPU time is printed too because the machine is shared: under load the wall time measures
    the neighbours as much as this code (SQLite runs in-process, so its work is in the CPU time).
    """
    start, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return Seconds(time.perf_counter() - start, time.process_time() - cpu)


class Seconds(tuple):
    """(wall, cpu) seconds that add up pairwise."""

    def __new__(cls, wall, cpu):
        return super().__new__(cls, (wall, cpu))

    def __add__(self, other):
        return Seconds(self[0] + other[0], self[1] + other[1])


def detect_over_panel(session):
    """Detection over every stored panel row, as `flask signals detect` runs it."""
    return detect_signals(stored_panel(session))


def main(sizes):
    """Print the table."""
    print("seconds as wall (CPU of this process)")
    print(f"{'teams':>6} {'weeks':>6} {'cells':>8} {'full rollup s':>14} {'detect s':>13} "
          f"{'full total s':>14} {'weekly job s':>13} {'ms/team-week':>13}")
    for n_teams in sizes:
        rollup, detect, weekly, rows = measure(n_teams)
        total = rollup + detect
        print(f"{n_teams:>6} {WEEKS:>6} {rows:>8} {_pair(rollup):>14} {_pair(detect):>13} "
              f"{_pair(total):>14} {_pair(weekly):>13} "
              f"{1000 * total[0] / (n_teams * WEEKS):>13.3f}", flush=True)


def _pair(seconds):
    """'wall (cpu)' text."""
    return f"{seconds[0]:.2f} ({seconds[1]:.2f})"


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 300, 1000])
