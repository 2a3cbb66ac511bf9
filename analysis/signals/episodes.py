"""Turning weekly evidence into episodes: CUSUM and one-week rules, resolution after normal weeks.

All series of one metric are processed together as rows of an array; the loop runs over weeks.
`d` is a standardised deviation where positive means worse. An episode starts when a one-sided
CUSUM passes `h` (a sustained shift) or a single week passes `spike_z` (a sudden change);
it stays open until `resolve_weeks` consecutive observed weeks are within `resolve_z`, which is
what makes a continuing problem one signal instead of a new one every week.
"""
import copy
from dataclasses import dataclass

import numpy as np

SPIKE, SUSTAINED = 1, 2  #: how an episode started

# Two CUSUM forms. Classic: S += d - k (k in standard errors, the same for every row). Likelihood
# ratio: with `delta` the target shift in standard errors of this row and week (it grows with n),
# S += delta * (d - delta / 2), the log-likelihood ratio of "shifted by delta" against "no shift".
# The LR form weighs a week by how much it can tell: a week of 40 answers counts more than one of
# 6, and its false-alarm rate hardly depends on n (run length ~ exp(h)), which a fixed k cannot do.


@dataclass
class Episode:
    """One run of an open signal in one series."""

    series: int
    start: int  #: week index the signal first fired
    end: int  #: last week index while open
    resolved_at: int | None  #: week index of the resolving week, None while still open
    trigger: int  #: SPIKE or SUSTAINED
    origin: int  #: week index where the evidence that fired it began to build up (CUSUM left 0)


class EpisodeTracker:
    """Sequential CUSUM + spike detector with episode state, vectorised over series."""

    def __init__(self, n_series, n_weeks, params, h=None, spike_z=None, min_history=None):
        self.k, self.p = params.cusum_k, params
        self.h = params.cusum_h if h is None else h
        self.spike_z = params.drop_z if spike_z is None else spike_z
        self.min_history = params.min_history if min_history is None else min_history
        self.cusum = np.zeros(n_series)
        self.active = np.zeros(n_series, bool)
        self.quiet = np.zeros(n_series, int)
        self.nobs = np.zeros(n_series, int)
        self.trigger = np.zeros(n_series, np.int8)
        self.origin = np.zeros(n_series, int)
        self.origin_mat = np.zeros((n_series, n_weeks), int)
        self.active_mat = np.zeros((n_series, n_weeks), bool)
        self.trigger_mat = np.zeros((n_series, n_weeks), np.int8)
        self.d_mat = np.full((n_series, n_weeks), np.nan)

    #: per-series state and history, which `rows` slices
    _PER_SERIES = ("cusum", "active", "quiet", "nobs", "trigger", "origin", "origin_mat",
                   "active_mat", "trigger_mat", "d_mat")

    def rows(self, start, stop):
        """The tracker of series start..stop-1 alone: views of this one's state and history.

        Several metrics can be tracked as one block of rows (one step per week for all of them)
        and read back metric by metric; a per-series limit `h` is sliced too.
        """
        part = copy.copy(self)
        for name in self._PER_SERIES:
            setattr(part, name, getattr(self, name)[start:stop])
        if np.ndim(self.h):
            part.h = self.h[start:stop]
        return part

    def step(self, t, d, valid, delta=None):
        """Feed week t's deviations (NaN/invalid rows skipped); return the rows that started.

        `delta` (per row) switches to the likelihood-ratio CUSUM against that shift.
        """
        d = np.where(valid, d, 0.0)
        gain = d - self.k if delta is None else delta * (d - delta / 2.0)
        rising = valid & (self.cusum <= 0.0) & (gain > 0.0)
        self.origin = np.where(rising & ~self.active, t, self.origin)
        self.cusum = np.where(valid, np.maximum(0.0, self.cusum + gain), self.cusum)
        warm = valid & (self.nobs >= self.min_history)
        spike, sustained = warm & (d > self.spike_z), warm & (self.cusum > self.h)
        started = ~self.active & (spike | sustained)
        self.trigger = np.where(started, np.where(spike, SPIKE, SUSTAINED), self.trigger)
        self.origin = np.where(started & spike & ~sustained, t, self.origin)
        self.active |= started
        self._resolve(d, valid, started)
        self.nobs += valid
        self.active_mat[:, t], self.trigger_mat[:, t] = self.active, self.trigger
        self.origin_mat[:, t] = self.origin
        self.d_mat[:, t] = np.where(valid, d, np.nan)
        return started

    def _resolve(self, d, valid, started):
        """Count consecutive normal weeks of open episodes and close those that reach the limit."""
        normal = valid & (d < self.p.resolve_z) & ~started
        counting = self.active & valid
        self.quiet = np.where(counting, np.where(normal, self.quiet + 1, 0), self.quiet)
        done = self.active & (self.quiet >= self.p.resolve_weeks)
        self.active &= ~done
        self.cusum[done], self.quiet[done] = 0.0, 0


def extract_episodes(tracker: EpisodeTracker) -> list[Episode]:
    """List every episode recorded by a tracker, in series then week order."""
    episodes = []
    for series in np.nonzero(tracker.active_mat.any(axis=1))[0]:
        episodes.extend(_series_episodes(int(series), tracker))
    return episodes


def _series_episodes(series, tracker):
    """Episodes of one series from its run(s) of active weeks."""
    active = tracker.active_mat[series]
    edges = np.diff(np.concatenate(([0], active.astype(np.int8), [0])))
    starts, stops = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    n_weeks = active.size
    return [Episode(series, int(s), int(e) - 1, int(e) if e < n_weeks else None,
                    int(tracker.trigger_mat[series, s]), int(tracker.origin_mat[series, s]))
            for s, e in zip(starts, stops)]
