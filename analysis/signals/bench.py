"""Benchmark of detection time on large synthetic panels (a benchmark, never a timed test).

The panel is built directly as arrays (team levels + noise of a weekly mean of n answers) so
that generating 1,000 teams takes a moment; only `detect_signals` is timed.
"""
import time

import numpy as np

from analysis.signals.detect import detect_signals
from analysis.signals.metrics import DRIVERS, FRICTION_CATEGORIES, spec_for
from analysis.signals.panel import MetricBlock, Panel
from analysis.signals.weeks import add_weeks

METRICS = (list(DRIVERS) + ["enps", "participation", "comment_sentiment", "message_sentiment",
                            "tension", "pair:acts_on_handover", "pair:shares_useful_info"]
           + [f"friction:{c}" for c in FRICTION_CATEGORIES])


def synthetic_panel(n_teams, weeks=52, seed=0) -> Panel:
    """A calm panel of n_teams (half marketing, half sales) with every metric type."""
    rng = np.random.default_rng(seed)
    teams = [f"team-{i:04d}" for i in range(n_teams)]
    departments = ["marketing" if i % 2 == 0 else "sales" for i in range(n_teams)]
    panel = Panel(teams, departments, [add_weeks("2025-W01", k) for k in range(weeks)])
    size = np.clip(np.round(rng.lognormal(np.log(10), 0.55, n_teams)), 5, 40)
    n = rng.binomial(size[:, None].astype(int), 0.8, (n_teams, weeks)).astype(float)
    for metric in METRICS:
        panel.blocks[metric] = _block(metric, n, size, rng)
    return panel


def _block(metric, n, size, rng):
    """Arrays for one metric: team level + sampling noise, clipped to the scale."""
    spec = spec_for(metric)
    width = spec.high - spec.low
    level = spec.low + width * rng.uniform(0.6, 0.75, (n.shape[0], 1))
    if spec.proportion:
        level = rng.uniform(0.02, 0.1, (n.shape[0], 1)) if metric != "participation" else n / size[:, None]
    sd = np.full(n.shape, spec.sd_prior * width / 4 if spec.family == "driver" else spec.sd_prior)
    mean = level + rng.normal(0, 1, n.shape) * sd / np.sqrt(np.maximum(n, 1))
    mean = np.clip(mean, spec.low, spec.high)
    invited = np.repeat(size[:, None], n.shape[1], 1) if metric == "participation" else np.full(n.shape, np.nan)
    if spec.proportion:
        sd = np.full(n.shape, np.nan)
    return MetricBlock(mean, sd, n.copy(), invited)


def run_bench(sizes=(100, 300, 1000), weeks=52) -> str:
    """Time detection at each panel size; return the printable table."""
    lines = [f"{'teams':>6} {'weeks':>6} {'metrics':>8} {'seconds':>8} {'µs per team-week':>17}"]
    for n_teams in sizes:
        panel = synthetic_panel(n_teams, weeks)
        start = time.perf_counter()
        detect_signals(panel)
        elapsed = time.perf_counter() - start
        per = 1e6 * elapsed / (n_teams * weeks)
        lines.append(f"{n_teams:>6} {weeks:>6} {len(METRICS):>8} {elapsed:>8.2f} {per:>17.1f}")
    return "\n".join(lines)
