"""Rollup plus detection at 100, 300 and 1,000 teams × 52 weeks (issue 5's speed target: ≤ 10 s).

Run: `.venv/bin/python -m benchmarks.rollup_detection [100 300 1000]`. Prints, per size, the time
to roll raw answers up into the panel, the time of detection alone, their sum, and the time per
team-week, so growth with teams × weeks can be read off directly.
"""
import sys
import tempfile
import time

from flask_migrate import upgrade

from analysis.signals.detect import detect_signals
from analysis.signals.panel import panel_from_rows
from app import create_app
from app.extensions import db
from benchmarks.orgdata import build_org
from config import TestConfig
from surveys.rollup import panel_rows

WEEKS = 52


def measure(n_teams):
    """(rollup seconds, detection seconds, panel rows) for a fresh org of n_teams."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestConfig(folder))
        with app.app_context():
            upgrade()
            build_org(db.session, n_teams, WEEKS)
            start = time.perf_counter()
            rows = panel_rows(db.session, min_group=5)
            rolled = time.perf_counter()
            detect_signals(panel_from_rows(rows))
            detected = time.perf_counter()
            db.session.remove()
            db.engine.dispose()
    return rolled - start, detected - rolled, len(rows)


def main(sizes):
    """Print the table."""
    print(f"{'teams':>6} {'weeks':>6} {'rows':>8} {'rollup s':>9} {'detect s':>9} {'total s':>8} {'ms/team-week':>13}")
    for n_teams in sizes:
        rollup, detect, rows = measure(n_teams)
        total = rollup + detect
        print(f"{n_teams:>6} {WEEKS:>6} {rows:>8} {rollup:>9.2f} {detect:>9.2f} {total:>8.2f} "
              f"{1000 * total / (n_teams * WEEKS):>13.3f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 300, 1000])
