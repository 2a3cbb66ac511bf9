"""Level detector for one metric: each team against its own shrunken baseline, week by week.

Baseline: a precision-weighted mean that starts at the organisation's typical level (weight
1/tau2, i.e. shrinkage toward the org when a team has little history) and then follows the
team's own valid weeks with forgetting factor `forget`. Weeks are winsorised at `freeze_z`
before they feed it and weeks inside an open episode do not feed it, so a slide is not absorbed
into "normal".

Deviation: d = (baseline − value) / sqrt(sampling var + drift var + baseline var), signed so that
positive is worse. For proportions (participation, friction shares) d is the normal quantile of
an exact binomial tail with an effective sample size that includes overdispersion, drift and
baseline uncertainty, so a share of 2 texts in 10 is judged by the binomial, not a normal curve.
"""
from dataclasses import dataclass

import numpy as np

from analysis.signals.baseline import (individual_sd, nan0, noise_model, row_nanmedian, row_sd,
                                       trials, valid_mask)
from analysis.signals.episodes import EpisodeTracker, extract_episodes


@dataclass
class LevelTrace:
    """What the level detector saw: inputs, baselines used, and its episode tracker."""

    x: np.ndarray
    n: np.ndarray
    valid: np.ndarray
    baseline: np.ndarray  #: baseline in force at each week (frozen during episodes)
    history: np.ndarray  #: valid weeks behind the baseline at each week
    noise: object
    tracker: EpisodeTracker

    def episodes(self):
        """Episodes found in this metric."""
        return extract_episodes(self.tracker)


def sampling_var(block, spec, params, s_ind):
    """Return f(t, mu) -> sampling variance of week t's means given baseline mu (per row)."""
    if spec.proportion:
        denom = np.maximum(trials(block, spec), 1.0)
        return lambda t, mu: params.overdispersion * _pq(mu) / denom[:, t]
    se2 = row_sd(block, s_ind) ** 2 / np.maximum(nan0(block.n), 1.0)
    return lambda t, mu: se2[:, t]


def _pq(p):
    """p(1 − p), kept away from zero so an all-zero history still has some variance."""
    p = np.clip(p, 0.02, 0.98)
    return p * (1 - p)


def _binomial_z(x, mu, var, worse_up):
    """Normal quantile of the binomial tail of share x given mu and total variance var."""
    # scipy is imported on first use: it costs seconds of import for every process that loads
    # the web app (each gunicorn worker, each cron command) while few requests need it.
    from scipy import special

    n_eff = np.maximum(_pq(mu) / var, 1.0)
    p = np.clip(mu, 0.02, 0.98)
    hits = x * n_eff if worse_up else (1 - x) * n_eff
    p_bad = p if worse_up else 1 - p
    upper = np.where(hits > 0, special.betainc(np.maximum(hits, 1e-9), n_eff - hits + 1, p_bad), 1.0)
    upper_next = special.betainc(hits + 1, np.maximum(n_eff - hits, 1e-9), p_bad)
    tail = np.clip(0.5 * (upper + upper_next), 1e-12, 1.0)  # mid-p: fair to discrete counts
    return -special.ndtri(tail)  # the normal quantile of an upper tail, exact for tiny tails


def deviation(x, mu, var, spec):
    """Standardised deviation of values x from baseline mu; positive means worse."""
    if spec.proportion:
        return _binomial_z(x, mu, var, worse_up=not spec.higher_is_better)
    sign = 1.0 if spec.higher_is_better else -1.0
    return sign * (mu - x) / np.sqrt(var)


def run_level(block, spec, params, unit=None, h=None) -> LevelTrace:
    """Run the baseline + CUSUM + drop detector over every team of one metric block.

    `unit` is the sd of individual answers that effect sizes are measured in (default: estimated
    from the block itself; a gap block passes the item's, as its own spread is that of a difference).
    `h` overrides the CUSUM limit for a family with its own false-alarm budget.
    """
    valid = valid_mask(block, params.min_group)
    s_ind = individual_sd(block, valid, spec)
    var_fn = sampling_var(block, spec, params, s_ind)
    n_series, n_weeks = block.mean.shape
    guess = _series_medians(block.mean, valid)
    first_var = np.stack([var_fn(t, guess) for t in range(n_weeks)], 1)
    noise = noise_model(block.mean, first_var, valid, s_ind)
    tracker = EpisodeTracker(n_series, n_weeks, params, h=h)
    trace = LevelTrace(block.mean, block.n, valid, np.full(block.mean.shape, np.nan),
                       np.zeros(block.mean.shape, int), noise, tracker)
    _walk(trace, spec, params, var_fn, s_ind if unit is None else unit)
    return trace


def target_shift(spec, mu, unit, params):
    """The shift (in metric units) the CUSUM is tuned to: `target_sd` sd of individual answers."""
    if spec.proportion:
        return params.target_sd * np.sqrt(_pq(mu))
    return np.full(mu.shape, params.target_sd * unit)


def _series_medians(x, valid):
    """Median of each series' valid weeks (0.5 for a series with none), a first guess of its level."""
    xs = np.where(valid, x, np.nan)
    have = valid.any(axis=1)
    out = np.full(x.shape[0], 0.5)
    out[have] = row_nanmedian(xs[have])
    return out


def _walk(trace, spec, params, var_fn, unit):
    """The weekly loop: score against the baseline, step the tracker, update the baseline."""
    n_series, n_weeks = trace.x.shape
    mu = np.full(n_series, trace.noise.org_mean)
    weight = np.full(n_series, 1.0 / trace.noise.tau2)
    seen = np.zeros(n_series, int)
    for t in range(n_weeks):
        v, x = trace.valid[:, t], nan0(trace.x[:, t])
        trace.baseline[:, t], trace.history[:, t] = mu, seen
        samp = var_fn(t, mu)
        total = samp + trace.noise.omega2 + 1.0 / weight
        d = deviation(x, mu, total, spec)
        trace.tracker.step(t, d, v, target_shift(spec, mu, unit, params) / np.sqrt(total))
        # Winsorise rather than skip unusual weeks: skipping only bad weeks would bias the
        # baseline optimistic; clipping keeps it unbiased yet slow to absorb a real shift.
        feed = v & ~trace.tracker.active
        clip = params.freeze_z * np.sqrt(samp + trace.noise.omega2)
        x_fed = np.clip(x, mu - clip, mu + clip)
        w = np.where(feed, 1.0 / (samp + trace.noise.omega2), 0.0)
        weight = np.where(feed, params.forget * weight + w, weight)
        mu = mu + np.where(feed, w / weight * (x_fed - mu), 0.0)
        seen += feed
