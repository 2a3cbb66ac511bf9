"""Level detector: each team against its own shrunken baseline, week by week, metric by metric.

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
from analysis.signals.metrics import MetricSpec
from analysis.signals.panel import MetricBlock


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


def variance_source(block, spec, s_ind):
    """What the sampling variances come from: a share's trials (at least 1), else each week's se²."""
    if spec.proportion:
        return np.maximum(trials(block, spec), 1.0)
    return row_sd(block, s_ind) ** 2 / np.maximum(nan0(block.n), 1.0)


def sampling_variance(source, mu, spec, params):
    """Sampling variance of means given baseline mu (per row), from their variance_source.

    `source` may be one week's column with mu per row, or all weeks with mu as a column.
    """
    if spec.proportion:
        return params.overdispersion * _pq(mu) / source
    return source


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


def deviation(x, mu, var, spec, sign, valid):
    """Standardised deviation of values x from baseline mu where `valid` (0 elsewhere: the
    episode tracker skips those rows); positive means worse.

    `sign` is +1 (per row, or for all) where higher is better and −1 where lower is; a share's
    direction is its spec's.
    """
    if not spec.proportion:
        return sign * (mu - x) / np.sqrt(var)
    # A share's tail costs two incomplete beta functions per row, most of a detection's
    # arithmetic, while most weeks of a friction share have no publishable cell: only the valid
    # rows are worked out (each row's figure is the same whatever other rows are computed).
    d = np.zeros(x.shape)
    d[valid] = _binomial_z(x[valid], mu[valid], var[valid], worse_up=not spec.higher_is_better)
    return d


@dataclass
class LevelJob:
    """One metric block for the level detector.

    `unit` is the sd of individual answers that effect sizes are measured in (default: estimated
    from the block itself; a gap block passes the item's, as its own spread is that of a
    difference). `h` overrides the CUSUM limit for a family with its own false-alarm budget.
    """

    block: MetricBlock
    spec: MetricSpec
    unit: float | None = None
    h: float | None = None


def run_levels(jobs, params) -> list[LevelTrace]:
    """Run the baseline + CUSUM + drop detector over every team of each job's block.

    Returns one trace per job, in order. Each block gets its own noise model, starting
    baselines, unit and limit, as if run alone; only the weekly loop is shared, by the rows of
    all blocks whose deviation has the same form (an average, or a share judged one way). At
    1,000 teams that loop cost per numpy call rather than per row, so one loop over the rows of
    many metrics takes little more than one over a single metric's. Every operation in the loop
    works row by row, so each row's figures are exactly those of its block run alone.
    """
    prepared = [_prepare(job, params) for job in jobs]
    groups = {}
    for index, item in enumerate(prepared):
        groups.setdefault(item.form, []).append(index)
    traces = [None] * len(jobs)
    for indices in groups.values():
        for index, trace in zip(indices, _walk([prepared[i] for i in indices], params)):
            traces[index] = trace
    return traces


@dataclass
class _Prepared:
    """A job with what its block alone determines: valid rows, unit, variances, noise model."""

    job: LevelJob
    valid: np.ndarray
    unit: float
    variance: np.ndarray  #: variance_source of the block
    noise: object

    @property
    def form(self):
        """Jobs of the same form share a weekly loop: same weeks, same kind of deviation."""
        spec = self.job.spec
        return (self.valid.shape[1], spec.proportion, spec.proportion and not spec.higher_is_better)


def _prepare(job, params):
    """Valid rows, unit, sampling variances and noise model of one job's block."""
    block, spec = job.block, job.spec
    valid = valid_mask(block, params.min_group)
    s_ind = individual_sd(block, valid, spec)
    source = variance_source(block, spec, s_ind)
    guess = _series_medians(block.mean, valid)
    noise = noise_model(block.mean, sampling_variance(source, guess[:, None], spec, params),
                        valid, s_ind)
    return _Prepared(job, valid, s_ind if job.unit is None else job.unit, source, noise)


def target_shift(spec, mu, shift, params):
    """The shift (in metric units) the CUSUM is tuned to: `target_sd` sd of individual answers.

    For averages that is `shift`, worked out once per row (target_sd × the row's unit).
    """
    if spec.proportion:
        return params.target_sd * np.sqrt(_pq(mu))
    return shift


def _series_medians(x, valid):
    """Median of each series' valid weeks (0.5 for a series with none), a first guess of its level."""
    xs = np.where(valid, x, np.nan)
    have = valid.any(axis=1)
    out = np.full(x.shape[0], 0.5)
    out[have] = row_nanmedian(xs[have])
    return out


def _walk(items, params):
    """The weekly loop over the rows of jobs of one form; returns their traces.

    Score against the baseline, step the tracker, update the baseline.
    """
    rows, spec = _Rows.of(items, params), items[0].job.spec
    mu, weight, seen = rows.org_mean, rows.first_weight, np.zeros(len(rows.values), int)
    tracker = EpisodeTracker(len(rows.values), rows.values.shape[1], params, h=rows.h)
    baseline, history = np.full(rows.values.shape, np.nan), np.zeros(rows.values.shape, int)
    for t in range(rows.values.shape[1]):
        v, x = rows.valid[:, t], rows.values[:, t]
        baseline[:, t], history[:, t] = mu, seen
        samp = sampling_variance(rows.variance[:, t], mu, spec, params)
        total = samp + rows.omega2 + 1.0 / weight
        d = deviation(x, mu, total, spec, rows.sign, v)
        tracker.step(t, d, v, target_shift(spec, mu, rows.shift, params) / np.sqrt(total))
        # Winsorise rather than skip unusual weeks: skipping only bad weeks would bias the
        # baseline optimistic; clipping keeps it unbiased yet slow to absorb a real shift.
        feed = v & ~tracker.active
        clip = params.freeze_z * np.sqrt(samp + rows.omega2)
        x_fed = np.clip(x, mu - clip, mu + clip)
        w = np.where(feed, 1.0 / (samp + rows.omega2), 0.0)
        weight = np.where(feed, params.forget * weight + w, weight)
        mu = mu + np.where(feed, w / weight * (x_fed - mu), 0.0)
        seen += feed
    starts = np.cumsum([0] + [len(item.valid) for item in items])
    return [LevelTrace(item.job.block.mean, item.job.block.n, item.valid, baseline[a:b],
                       history[a:b], item.noise, tracker.rows(a, b))
            for item, a, b in zip(items, starts[:-1], starts[1:])]


@dataclass
class _Rows:
    """The rows of several prepared jobs stacked, with each job's figures repeated per row."""

    values: np.ndarray  #: weekly means, NaN as 0
    valid: np.ndarray
    variance: np.ndarray  #: variance_source
    org_mean: np.ndarray  #: the starting baseline
    first_weight: np.ndarray  #: 1 / tau2, the starting baseline's weight
    omega2: np.ndarray
    sign: np.ndarray  #: +1 where higher is better
    shift: np.ndarray  #: target shift of an average, in metric units
    h: np.ndarray  #: CUSUM limit

    @classmethod
    def of(cls, items, params):
        """Stack the rows of `items` (prepared jobs), in order."""
        sizes = [len(item.valid) for item in items]

        def stacked(arrays):
            return np.concatenate(arrays) if len(arrays) > 1 else arrays[0]

        def per_row(values):
            return np.repeat(np.array(values, dtype=float), sizes)

        return cls(nan0(stacked([i.job.block.mean for i in items])),
                   stacked([i.valid for i in items]), stacked([i.variance for i in items]),
                   per_row([i.noise.org_mean for i in items]),
                   per_row([1.0 / i.noise.tau2 for i in items]),
                   per_row([i.noise.omega2 for i in items]),
                   per_row([1.0 if i.job.spec.higher_is_better else -1.0 for i in items]),
                   per_row([params.target_sd * i.unit for i in items]),
                   per_row([params.cusum_h if i.job.h is None else i.job.h for i in items]))
