"""Did it help? Before/after comparison of a metric around an intervention.

Before = valid weeks in the `window` weeks before the start; after = valid weeks in the `window`
weeks after completion (the weeks in between are the intervention itself). Each side is an
n-weighted mean. Its variance is the larger of the sampling variance (individual sd²/total n)
and the spread of its weekly means divided by the number of weeks, so week-to-week drift is not
mistaken for precision. The interval is normal-theory at `level` (90% by default).
"""
from dataclasses import dataclass

import numpy as np

from analysis.signals.metrics import spec_for
from analysis.signals.weeks import week_number


@dataclass
class Effect:
    """Before/after figures, or status 'not enough data' with the reason."""

    metric: str
    status: str  #: "ok" or "not enough data"
    before_mean: float | None = None
    after_mean: float | None = None
    difference: float | None = None  #: after − before
    interval: tuple[float, float] | None = None
    level: float = 0.9
    improved: bool | None = None  #: True/False when the interval excludes 0, else None
    weeks: tuple[int, int] = (0, 0)  #: valid weeks before, after
    reason: str = ""


def before_after_effect(rows, start_week, completion_week, window=6, min_group=5,
                        min_weeks=2, level=0.9) -> Effect:
    """Compare one metric's rows (any number of teams) before start and after completion."""
    rows = [r for r in rows if r.n >= min_group]
    metric = rows[0].metric if rows else ""
    start, done = week_number(start_week), week_number(completion_week)
    before = [r for r in rows if start - window <= week_number(r.week) < start]
    after = [r for r in rows if done < week_number(r.week) <= done + window]
    counts = (len({r.week for r in before}), len({r.week for r in after}))
    if min(counts) < min_weeks:
        return Effect(metric, "not enough data", weeks=counts, level=level,
                      reason=f"need {min_weeks} weeks with at least {min_group} people on each side")
    (m_b, v_b), (m_a, v_a) = _side(before), _side(after)
    # scipy is imported on first use: it costs seconds of import for every process that loads
    # the web app (each gunicorn worker, each cron command) while few requests need it.
    from scipy import stats

    half = stats.norm.ppf(0.5 + level / 2) * np.sqrt(v_b + v_a)
    diff = m_a - m_b
    return Effect(metric, "ok", m_b, m_a, diff, (diff - half, diff + half), level,
                  _improved(metric, diff, half), counts)


def _side(rows):
    """n-weighted mean of rows and its variance (sampling or between-week, whichever is larger)."""
    spec = spec_for(rows[0].metric)
    n = np.array([r.n for r in rows], float)
    x = np.array([r.mean for r in rows])
    mean = float(np.average(x, weights=n))
    sd2 = np.array([_sd2(r, spec, mean) for r in rows])
    sampling = float((n * sd2).sum() / n.sum() ** 2)
    weekly = _weekly_means(rows)
    between = float(np.var(weekly, ddof=1) / len(weekly)) if len(weekly) > 1 else 0.0
    return mean, max(sampling, between)


def _sd2(row, spec, mean):
    """Individual-answer variance of a row: its sd, a binomial p(1−p), or the metric's prior."""
    if spec.proportion:
        return max(mean * (1 - mean), 1e-4)
    return (row.sd if row.sd is not None else spec.sd_prior) ** 2


def _weekly_means(rows):
    """n-weighted mean of each week (teams pooled)."""
    weeks = sorted({r.week for r in rows})
    return np.array([np.average([r.mean for r in rows if r.week == w],
                                weights=[r.n for r in rows if r.week == w]) for w in weeks])


def _improved(metric, diff, half):
    """Whether the change is a clear improvement (True), a clear worsening (False), or unclear."""
    if abs(diff) <= half:
        return None
    better = diff > 0 if spec_for(metric).higher_is_better else diff < 0
    return bool(better)
