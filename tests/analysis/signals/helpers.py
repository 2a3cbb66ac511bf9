"""Small builders of panel rows for signal tests."""
import numpy as np

from analysis.signals.panel import PanelRow
from analysis.signals.weeks import add_weeks

START = "2026-W01"


def series(team, metric, means, n=10, sd=0.9, department="marketing", invited=None):
    """Rows of one team's metric, one per week from START; n may be a list."""
    ns = n if isinstance(n, (list, tuple)) else [n] * len(means)
    sds = sd if isinstance(sd, (list, tuple)) else [sd] * len(means)
    return [PanelRow(team, department, add_weeks(START, k), metric, float(m), s, int(c), invited)
            for k, (m, s, c) in enumerate(zip(means, sds, ns))]


def noisy(level, weeks, n, sd=0.9, seed=0):
    """Weekly means of n answers around a level (sampling noise only)."""
    rng = np.random.default_rng(seed)
    return list(level + rng.normal(0, sd / np.sqrt(n), weeks))


def calm_team(team, metric, weeks=20, level=3.9, n=10, seed=0, department="marketing"):
    """A calm series of one team."""
    return series(team, metric, noisy(level, weeks, n, seed=seed), n=n, department=department)
