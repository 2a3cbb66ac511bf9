"""Per-metric noise model: sampling variance of a weekly mean, organisation level and drift.

A weekly team mean is noisy in two ways: sampling (sd/sqrt(n) for averages, a binomial share for
proportions, inflated by `overdispersion` because texts cluster by person) and genuine slow drift
of the team (`omega2`). Teams also differ in their usual level (`tau2`). All three are estimated
from the panel itself with robust statistics (medians), so a few teams in trouble barely move
them; hard floors and ceilings keep tiny panels sensible.
"""
from dataclasses import dataclass

import numpy as np

MAD_TO_SD = 1.4826
MIN_SERIES = 4  #: teams needed before drift and between-team spread are estimated from data
CHI2_MEDIAN = 0.4549  #: median of a chi-square with one degree of freedom


@dataclass
class NoiseModel:
    """Organisation-wide noise figures of one metric."""

    org_mean: float  #: typical team level (median of team medians)
    tau2: float  #: variance of usual levels between teams
    omega2: float  #: week-to-week drift variance of a team's true level
    individual_sd: float  #: typical sd of individual answers


def nan0(values):
    """NaN replaced by 0 (a lighter np.nan_to_num: panels hold no infinities)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values), 0.0, values)


def row_nanmedian(values):
    """Median of each row ignoring NaN (NaN for an all-NaN row).

    np.nanmedian along an axis falls back to masked arrays for short rows, which dominated
    detection time on large panels; sorting once (NaN sorts last) and indexing is exact and fast.
    """
    values = np.sort(np.asarray(values, dtype=float), axis=1)
    count = np.sum(~np.isnan(values), axis=1)
    out = np.full(values.shape[0], np.nan)
    rows = np.nonzero(count > 0)[0]
    c = count[rows]
    out[rows] = 0.5 * (values[rows, (c - 1) // 2] + values[rows, c // 2])
    return out


def valid_mask(block, min_group):
    """Rows that may be used: a mean is present and n reaches the privacy minimum."""
    return ~np.isnan(block.mean) & (nan0(block.n) >= min_group)


def individual_sd(block, valid, spec):
    """Pooled sd of individual answers for an averaged metric (the prior when no sd is given)."""
    if spec.proportion:
        share = np.nanmedian(np.where(valid, block.mean, np.nan)) if valid.any() else 0.5
        return float(np.sqrt(max(share * (1 - share), 0.01)))
    sds = block.sd[valid & ~np.isnan(block.sd)]
    return float(np.sqrt(np.median(sds ** 2))) if sds.size >= 3 else spec.sd_prior


def row_sd(block, s_ind, prior_df=4.0):
    """Each row's sd shrunk toward the pooled sd, so a tiny group's sd of ~0 cannot fake precision."""
    df = np.maximum(nan0(block.n) - 1.0, 0.0)
    sd2 = np.where(np.isnan(block.sd), s_ind ** 2, block.sd ** 2)
    return np.sqrt((df * sd2 + prior_df * s_ind ** 2) / (df + prior_df))


def trials(block, spec):
    """Denominator of a proportion: invited for participation, n (texts) for friction shares."""
    if spec.family != "participation":
        return block.n
    fallback = block.n / np.maximum(block.mean, 1e-3)
    return np.where(np.isnan(block.invited), fallback, block.invited)


def noise_model(x, se2, valid, s_ind):
    """Estimate org level, between-team variance and drift robustly from all series."""
    xs = np.where(valid, x, np.nan)
    enough = valid.sum(axis=1) >= 4
    if not enough.any():
        return NoiseModel(float(np.nanmedian(xs)) if valid.any() else 0.0,
                          (0.5 * s_ind) ** 2, (0.08 * s_ind) ** 2, s_ind)
    med = row_nanmedian(xs[enough])
    omega2 = float(np.clip(drift_variance(xs, np.where(valid, se2, np.nan)),
                           (0.08 * s_ind) ** 2, (0.3 * s_ind) ** 2))
    return NoiseModel(float(np.median(med)), _between_variance(med, s_ind), omega2, s_ind)


def drift_variance(xs, se2, lags=(4, 6, 8)):
    """Drift variance from the variogram at lags of 4–8 weeks, where slow drift has decorrelated.

    Half the mean squared difference of weeks `lag` apart estimates sampling + drift variance; the
    median over series (of a robust per-series figure) ignores the few series with episodes.
    """
    estimates = []
    for lag in lags:
        if xs.shape[1] <= lag:
            continue
        diff2 = (xs[:, lag:] - xs[:, :-lag]) ** 2
        samp = se2[:, lag:] + se2[:, :-lag]
        excess = np.where(np.isnan(diff2), np.nan, diff2 / CHI2_MEDIAN - samp) / 2.0
        per_series = row_nanmedian(excess[np.sum(~np.isnan(excess), axis=1) >= 4])
        if per_series.size >= MIN_SERIES:  # fewer teams cannot tell drift from an episode
            estimates.append(np.median(per_series))
    return float(np.median(estimates)) if estimates else 0.0


def _between_variance(medians, s_ind):
    """Spread of usual levels between teams, with a default when there are too few teams."""
    if medians.size < MIN_SERIES:
        return (0.5 * s_ind) ** 2
    spread = (MAD_TO_SD * np.median(np.abs(medians - np.median(medians)))) ** 2
    return float(np.clip(spread, (0.15 * s_ind) ** 2, (1.0 * s_ind) ** 2))
