"""What a detector that knew where and when each episode began could find: a bound for the backtest.

For every injected episode the oracle is told the team(s), the metric, the onset and the last
affected week. It compares the episode's weekly values with the same series' other weeks (all
weeks outside the episode and its two-week grace, so no episode is blurred into the baseline)
with a one-sided z test at `alpha` (default 0.05):

    z = (baseline mean − episode mean) / sqrt(v / k_episode + v / k_baseline)

where v is the series' own week-to-week variance outside the episode (sampling noise and drift
as they really are, estimated robustly) and k counts valid weeks (n ≥ the privacy minimum). Worse
means lower for drivers, eNPS, sentiment and participation, higher for friction shares, a gap
moving the injected way for perception gaps, and a larger log-variance of answers for
polarization.

A real detector is far weaker than this oracle: it does not know the onset, it scans every team,
metric and week, and its false-alarm budget (≤ 1 per 10 calm team-quarters over ~20 series per
team) needs a per-test error far below 5%. So the oracle's recall at α = 0.05 is an upper bound on
any detector's recall on the same scenarios; if it is below a target, no detector reaches it.
low_level episodes have no "before" (they last the whole year) and are left out.
"""
from collections import defaultdict

import numpy as np

from analysis.signals.backtest import GRACE_WEEKS, TARGET
from analysis.signals.weeks import week_number

MAD_TO_SD = 1.4826
Z_ALPHA = {0.05: 1.645, 0.01: 2.326, 0.0003: 3.432}


def oracle_recall(scenarios, min_group=5, alpha=0.05, episode_class=TARGET):
    """{kind: (found, total)} over one class of every scenario's episodes (default: the target)."""
    z_crit = Z_ALPHA[alpha]
    tally = defaultdict(lambda: [0, 0])
    for scenario in scenarios:
        series = series_by_team_metric(scenario.rows, min_group)
        for episode in scenario.episodes:
            if episode.kind == "low_level" or episode not in episode_class:
                continue
            z = episode_z(episode, series)
            tally[episode.kind][0] += bool(z is not None and z >= z_crit)
            tally[episode.kind][1] += 1
    return {kind: tuple(counts) for kind, counts in sorted(tally.items())}


def series_by_team_metric(rows, min_group):
    """{(team, metric): {week number: (mean, sd)}} for rows at or above the privacy minimum."""
    out = defaultdict(dict)
    for row in rows:
        if row.n is not None and row.n >= min_group:
            out[(row.team, row.metric)][week_number(row.week)] = (row.mean, row.sd)
    return out


def episode_z(episode, series):
    """The oracle's z for one episode (positive = worse), or None without enough weeks."""
    weekly = _worse_values(episode, series)
    onset, end = week_number(episode.onset_week), week_number(episode.end_week)
    inside = np.array([v for w, v in weekly.items() if onset <= w <= end])
    outside = np.array([v for w, v in weekly.items() if w < onset or w > end + GRACE_WEEKS])
    if inside.size == 0 or outside.size < 4:
        return None
    spread = MAD_TO_SD * np.median(np.abs(np.diff(outside))) / np.sqrt(2.0)  # robust to drift
    variance = max(spread, 1e-6) ** 2
    return float((inside.mean() - outside.mean())
                 / np.sqrt(variance / inside.size + variance / outside.size))


def _worse_values(episode, series):
    """{week: value} of the episode's series, oriented so that larger means worse."""
    if episode.kind == "perception_gap":
        marketing, sales = (series.get((team, episode.metric), {}) for team in episode.teams)
        # the simulation lowers marketing's answers and raises sales': the gap m − s falls
        return {w: -(marketing[w][0] - sales[w][0]) for w in marketing.keys() & sales.keys()}
    own = series.get((episode.teams[0], episode.metric), {})
    if episode.kind == "polarization":
        return {w: float(np.log(max(sd, 1e-3) ** 2)) for w, (_, sd) in own.items() if sd}
    sign = 1.0 if episode.metric.startswith("friction:") else -1.0
    return {w: sign * mean for w, (mean, _) in own.items()}


def format_oracle(recall, alpha=0.05, episode_class=TARGET) -> str:
    """The oracle's recall by kind as printable lines."""
    found = sum(f for f, _ in recall.values())
    total = sum(t for _, t in recall.values())
    cells = ", ".join(f"{kind} {f}/{t}" for kind, (f, t) in recall.items())
    share = found / total if total else float("nan")
    return (f"oracle bound (knows team, metric and onset; one-sided α = {alpha}; low_level left "
            f"out): {share:.2f} of {_class_name(episode_class)} (n={total}): {cells}")


def _class_name(episode_class):
    """'the target class', or the label of another class."""
    return "the target class" if episode_class == TARGET else f"episodes {episode_class.label}"
