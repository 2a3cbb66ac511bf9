"""Detectors whose evidence is not a team's level: low levels, marketing–sales gaps, camps.

* low_level — the pooled mean of the last `low_window` valid weeks is beyond the metric's norm
  by more than `low_z` standard errors (sampling + drift), i.e. a one-sided test against a fixed
  norm rather than against the team's own past.
* perception_gap — for a paired item, marketing team minus sales team each week, run through the
  level detector both ways (se² = s_m²/n_m + s_s²/n_s, drift estimated on the gaps), so a gap
  that opens beyond the pair's usual difference fires; episodes whose gap never reaches
  `gap_margin` scale points are dropped as too small to matter.
* polarization — the log of a team's answer variance against its own pooled variance
  (chi-square approximation: var(ln s²) ≈ 2/(n−1)), likelihood-ratio CUSUM upward against a
  `polar_target_ratio`-fold variance, and only in weeks where the
  variance is a sizeable share of the largest variance a bounded scale allows at that mean
  (answers piling up at both ends rather than a generally noisier week).
"""
import numpy as np

from analysis.signals.baseline import individual_sd, nan0, noise_model, row_sd, valid_mask
from analysis.signals.episodes import EpisodeTracker
from analysis.signals.metrics import SPECS, MetricSpec
from analysis.signals.panel import MetricBlock
from analysis.signals.trend import LevelJob, sampling_variance, variance_source

#: the gap (scale points) read both ways: marketing rating higher (+) or lower (−) than sales
GAP_SPECS = (MetricSpec("gap", -4.0, 4.0, False, 4.0, 0.95),
             MetricSpec("gap", -4.0, 4.0, True, -4.0, 0.95))


def low_level_trackers(blocks, params):
    """Track episodes of metrics sitting beyond their norm: (tracker, pooled means, unit) for
    each (block, spec) given.

    Each block's evidence is its own; the trackers of all blocks step as one block of rows (they
    share their settings), since at 1,000 teams the weekly steps cost per numpy call, not per row.
    """
    found = [_low_level_evidence(block, spec, params) for block, spec in blocks]
    if not found:
        return []
    d = nan0(np.concatenate([f[0] for f in found]))
    valid = np.concatenate([f[1] for f in found])
    tracker = EpisodeTracker(len(d), d.shape[1], params, h=np.inf, spike_z=params.low_z,
                             min_history=0)
    for t in range(d.shape[1]):
        tracker.step(t, d[:, t], valid[:, t])
    starts = np.cumsum([0] + [len(f[1]) for f in found])
    return [(tracker.rows(a, b), pooled, s_ind)
            for (_, _, pooled, s_ind), a, b in zip(found, starts[:-1], starts[1:])]


def _low_level_evidence(block, spec, params):
    """(deviation beyond the norm, valid rows, pooled means, unit) of one block, per week."""
    valid = valid_mask(block, params.min_group)
    s_ind = individual_sd(block, valid, spec)
    se2 = sampling_variance(variance_source(block, spec, s_ind),
                            np.full((len(block.mean), 1), spec.norm), spec, params)
    noise = noise_model(block.mean, se2, valid, s_ind)
    pooled, pooled_var = _rolling_pool(block.mean, se2, valid, params.low_window)
    sign = 1.0 if spec.higher_is_better else -1.0
    # A margin beyond the norm: a team sitting right at the norm is not a concern, and without
    # it such a team would fire as soon as enough weeks pile up to make 2.98 "surely below" 3.0.
    beyond = spec.norm - sign * params.low_margin_sd * s_ind
    d = sign * (beyond - pooled) / np.sqrt(pooled_var + noise.omega2)
    return d, valid, pooled, s_ind


def _rolling_pool(x, se2, valid, window):
    """Precision-weighted mean (and its variance) of the valid weeks in a trailing window."""
    w = np.where(valid, 1.0 / se2, 0.0)
    wx = np.where(valid, w * nan0(x), 0.0)
    sum_w, sum_wx = np.zeros_like(w), np.zeros_like(w)
    for lag in range(window):
        sum_w[:, lag:] += w[:, :w.shape[1] - lag]
        sum_wx[:, lag:] += wx[:, :w.shape[1] - lag]
    with np.errstate(divide="ignore", invalid="ignore"):
        return sum_wx / sum_w, 1.0 / sum_w


def gap_block(mkt, sales, s_ind):
    """A pseudo metric block of marketing-minus-sales gaps whose sd/sqrt(n) is the gap's se."""
    se2 = (row_sd(mkt, s_ind) ** 2 / np.maximum(nan0(mkt.n), 1.0)
           + row_sd(sales, s_ind) ** 2 / np.maximum(nan0(sales.n), 1.0))
    n = np.fmin(mkt.n, sales.n)
    return MetricBlock(mkt.mean - sales.mean, np.sqrt(se2 * n), n, np.full(n.shape, np.nan))


def gap_jobs(mkt, sales, params):
    """Level-detector jobs for the gap series, one for a widening gap each way (marketing
    higher, lower), and the item's sd of individual answers.

    The gap is judged against the pair's own usual gap (shrunk toward the organisation's), so a
    gap that opens up is a signal while a long-standing small difference in habits is not.
    """
    valid = valid_mask(mkt, params.min_group) & valid_mask(sales, params.min_group)
    s_ind = individual_sd(mkt, valid, SPECS["pair"])
    block = gap_block(mkt, sales, s_ind)
    block.n = np.where(valid, block.n, 0.0)
    return [LevelJob(block, spec, unit=s_ind, h=params.gap_h) for spec in GAP_SPECS], s_ind


def polarization_tracker(block, spec, params, drift_log_var=0.02, prior_df=20.0):
    """Track episodes of a team's answers spreading into camps; returns (tracker, baseline sd)."""
    valid = valid_mask(block, params.min_group) & ~np.isnan(block.sd) & (block.n >= 3)
    s_ind = individual_sd(block, valid, spec)
    n_series, n_weeks = block.mean.shape
    s0, df = np.full(n_series, s_ind ** 2), np.full(n_series, prior_df)
    base_sd = np.full(block.mean.shape, np.nan)
    tracker = EpisodeTracker(n_series, n_weeks, params, h=params.polar_h)
    for t in range(n_weeks):
        v, dfn = valid[:, t], np.maximum(nan0(block.n[:, t]) - 1.0, 1.0)
        var = np.maximum(nan0(block.sd[:, t]) ** 2, 1e-6)
        base_sd[:, t] = np.sqrt(s0)
        se = np.sqrt(2.0 / dfn + 2.0 / df + drift_log_var)
        d = (np.log(var / s0) + 1.0 / dfn) / se
        d = np.where(_camp_share(block.mean[:, t], var, spec) >= params.polar_min_ratio, d,
                     np.minimum(d, 0.0))
        tracker.step(t, d, v, np.log(params.polar_target_ratio) / se)
        feed = v & ~tracker.active
        room = params.freeze_z * np.sqrt(2.0 / dfn)
        fed = s0 * np.exp(np.clip(np.log(var / s0), -room, room))
        df = np.where(feed, params.forget * df + dfn, df)
        s0 = s0 + np.where(feed, dfn / df * (fed - s0), 0.0)
    return tracker, base_sd, s_ind


def _camp_share(mean, var, spec):
    """Variance as a share of the largest possible on a bounded scale at this mean (1 = two camps)."""
    room = (nan0(mean) - spec.low) * (spec.high - nan0(mean))
    return var / np.maximum(room, 1e-6)
